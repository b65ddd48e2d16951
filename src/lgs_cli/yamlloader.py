"""The machinery of :mod:`lgs_cli.yamlsafe`'s restricted loader: PyYAML (its C
parser when present), the safe constructors and the error descriptions.

Imported on the first :func:`lgs_cli.yamlsafe.load` only: importing PyYAML and
building the loader costs about 12 ms, and a run that takes the roster and every
meeting from the cache loads no YAML at all.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from .yamlsafe import DECIMAL, FALSE_WORDS, NULL_WORDS, TRUE_WORDS, LineDict, LineList, YamlProblem

try:  # pragma: no branch - depends on the PyYAML build
    _Base: type[Any] = yaml.CSafeLoader
    FAST = True
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _Base = yaml.SafeLoader
    FAST = False


class _Loader(_Base):  # type: ignore[misc]
    line_offset = 0
    line_map: list[int] | None = None

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        if node in self.constructed_objects or node in self.recursive_objects:
            # Normally caught earlier by _reject_anchors; this is the second guard.
            raise YamlProblem(_ALIAS_MESSAGE, _line_of(self, node))
        return super().construct_object(node, deep=True)


_ALIAS_MESSAGE = "YAML anchors and aliases (&name / *name) are not allowed"
_SIGIL = re.compile(r"[&*][^\s\[\]{},]")  # where an anchor or alias could start
_DECIMAL = re.compile(DECIMAL)

# Implicit resolvers: start empty, add back only the unsurprising ones. Only
# plain decimal integers of up to 18 digits are numbers, so that str(value)
# gives back exactly what was written; anything else that looks numeric
# (1.10, 0123, 1_000, +46, 0x1F, 11:00) stays text, as written.
_Loader.yaml_implicit_resolvers = {}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(f"^(?:{'|'.join(TRUE_WORDS + FALSE_WORDS)})$"),
                              list("tTfF"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", _DECIMAL, list("-0123456789"))
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(f"^(?:{'|'.join(map(re.escape, NULL_WORDS))}|)$"), ["~", "n", "N", ""]
)


_YAML_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _make_line_map(text: str) -> list[int] | None:
    """YAML also breaks lines at NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR; an
    editor does not. Map YAML's 0-based line numbers to the text's 1-based ones
    (None: they agree, which is the usual case)."""
    if "\x85" not in text and "\u2028" not in text and "\u2029" not in text:
        return None
    lines = [1]
    line = 1
    for m in _YAML_BREAK.finditer(text):
        if m.group(0) in ("\n", "\r\n", "\r"):
            line += 1
        lines.append(line)
    return lines


def _text_line(line_map: list[int] | None, yaml_line: int) -> int:
    """The 1-based line in the text of YAML's 0-based ``yaml_line``."""
    if line_map is not None and 0 <= yaml_line < len(line_map):
        return line_map[yaml_line]
    return yaml_line + 1


def _line_of(loader: Any, node: Any) -> int:
    return _text_line(loader.line_map, int(node.start_mark.line))


def _construct_map(loader: Any, node: Any) -> LineDict:
    if not isinstance(node, yaml.MappingNode):
        raise YamlProblem("expected a mapping of keys to values here", _line_of(loader, node))
    result = LineDict()
    for key_node, value_node in node.value:
        line = _line_of(loader, key_node)
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise YamlProblem("YAML merge keys (<<) are not allowed", line)
        key = loader.construct_object(key_node)
        if not isinstance(key, (str, int, bool)) or key is None:
            raise YamlProblem(f"a key must be text, not {_kind(key)}", line)
        if key in result:
            first = result.lines[key] + loader.line_offset
            raise YamlProblem(f"duplicate key '{key}' (first on line {first})", line,
                              "Each key may appear once; remove or merge one of them.")
        result[key] = loader.construct_object(value_node)
        result.lines[key] = line
    return result


def _construct_seq(loader: Any, node: Any) -> LineList:
    if not isinstance(node, yaml.SequenceNode):
        raise YamlProblem("expected a list here", _line_of(loader, node))
    result = LineList()
    for child in node.value:
        result.append(loader.construct_object(child))
        result.lines.append(_line_of(loader, child))
    return result


def _scalar(loader: Any, node: Any) -> str:
    if not isinstance(node, yaml.ScalarNode):
        raise YamlProblem("expected a single value here, not a list or mapping", _line_of(loader, node))
    return str(loader.construct_scalar(node))


def _construct_str(loader: Any, node: Any) -> str:
    return _scalar(loader, node)


def _construct_int(loader: Any, node: Any) -> int | str:
    # Also reached by an explicit !!int tag: anything but a plain decimal stays text.
    value = _scalar(loader, node)
    return int(value) if _DECIMAL.match(value) else value


def _construct_float(loader: Any, node: Any) -> str:
    # No front-matter or roster value is a fraction: keep the text as written.
    return _scalar(loader, node)


def _construct_bool(loader: Any, node: Any) -> bool:
    value = _scalar(loader, node)
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise YamlProblem(f"'{value}' is not true or false", _line_of(loader, node))


def _construct_null(loader: Any, node: Any) -> None:
    _scalar(loader, node)
    return None


def _construct_undefined(loader: Any, node: Any) -> None:
    raise YamlProblem(
        f"YAML tag {_tag_name(str(node.tag))} is not allowed (tags that construct objects are never executed)",
        _line_of(loader, node), "Remove the tag; write the value as plain text.")


def _kind(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


_Loader.yaml_constructors = {}
_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
_Loader.add_constructor("tag:yaml.org,2002:str", _construct_str)
_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)
_Loader.add_constructor("tag:yaml.org,2002:bool", _construct_bool)
_Loader.add_constructor("tag:yaml.org,2002:null", _construct_null)
# Every other tag (!!python/..., !!timestamp, !!set, !!binary, !custom ...) is
# reported, never constructed.
_Loader.add_constructor(None, _construct_undefined)


def _tag_name(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


def _reject_anchors(text: str, line_map: list[int] | None) -> None:
    """Report the first anchor or alias before anything is constructed, so an
    alias bomb costs one pass over the events and no memory.

    An anchor or alias is its sigil followed by at least one name character,
    which is never white space or a flow indicator (``& `` in "Vård & Kvalitet"
    starts nothing; a sigil followed by nothing usable is a scanning error, the
    same with or without this pass), so texts without such a pair skip it.
    """
    if ("&" not in text and "*" not in text) or _SIGIL.search(text) is None:
        return
    for event in yaml.parse(text, Loader=_Base):
        anchor = getattr(event, "anchor", None)
        if anchor is None:
            continue
        mark = event.start_mark
        line = _text_line(line_map, mark.line) if mark is not None else None
        sigil = "*" if isinstance(event, yaml.AliasEvent) else "&"
        raise YamlProblem(f"{_ALIAS_MESSAGE}: {sigil}{anchor}", line)


_TAB_HINT = "YAML does not allow tab characters for indentation; use spaces."
_INDENT_HINT = "Check the indentation of this line, and put text that contains ': ' or '#' in quotes."
_CLOSE_AT_CONTEXT = {
    "while scanning a quoted scalar": "a quoted value is never closed (its quote opens on line {line})",
    "while parsing a flow sequence": "a list '[' opened on line {line} is not closed with ']'",
    "while parsing a flow mapping": "a mapping '{{' opened on line {line} is not closed with '}}'",
    "while scanning a simple key": "a key on line {line} has no ': ' (a colon and a space after the key)",
}


def _describe(exc: BaseException, text: str, offset: int,
              line_map: list[int] | None) -> tuple[str, int | None, str | None]:
    """Turn a PyYAML exception into (message, line within text, hint)."""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = _text_line(line_map, mark.line) if mark is not None else None
        problem = exc.problem or "invalid YAML"
        context = exc.context or ""
        hint = None
        if "could not determine a constructor" in problem:
            tag = problem.rsplit("tag ", 1)[-1].strip().strip("'\"")
            return (f"YAML tag {_tag_name(tag)} is not allowed (tags that construct objects are never executed)",
                    line, "Remove the tag; write the value as plain text.")
        if context in _CLOSE_AT_CONTEXT and exc.context_mark is not None:
            ctx_line = _text_line(line_map, exc.context_mark.line)
            message = _CLOSE_AT_CONTEXT[context].format(line=ctx_line + offset)
            return f"invalid YAML: {message}", ctx_line, None
        if "exceeded maximum nesting depth" in problem:
            return "invalid YAML: nested too deeply (more than 1,000 levels)", line, None
        if "mapping values are not allowed" in problem or "expected <block end>" in problem:
            hint = _INDENT_HINT
        message = f"{context}: {problem}" if context else problem
        lines = text.split("\n")
        if line is not None and 0 < line <= len(lines) and "\t" in lines[line - 1]:
            hint = _TAB_HINT
            if "cannot start any token" in problem:
                message = "a tab character where YAML allows only spaces"
        return f"invalid YAML: {message}", line, hint
    if isinstance(exc, yaml.reader.ReaderError):
        ch = exc.character if isinstance(exc.character, str) else chr(exc.character)
        pos = text.find(ch)
        line = text.count("\n", 0, pos) + 1 if pos >= 0 else None
        return (f"invalid YAML: control character U+{ord(ch):04X} is not allowed",
                line, "Remove the character; it is invisible in most editors.")
    if isinstance(exc, RecursionError):  # hundreds of levels: the line that goes deepest
        lines = text.split("\n")
        depth = [ln.count("[") + ln.count("{") + (len(ln) - len(ln.lstrip(" "))) // 2 for ln in lines]
        deepest = max(range(len(lines)), key=depth.__getitem__) if lines else None
        return ("invalid YAML: nested too deeply", None if deepest is None else _text_line(line_map, deepest),
                "Minutes need no more than a few levels: a list of names, a mapping for an attendee.")
    detail = str(exc).split("\n", 1)[0][:200]
    return f"invalid YAML: {detail or type(exc).__name__}", None, None


def load(text: str, *, line_offset: int = 0) -> Any:
    """Load one YAML document; raise :class:`YamlProblem` with a line on any problem.

    ``line_offset`` is added to the lines of problems and to the lines their
    messages name (the front matter of a meeting starts on file line 2, so the
    parser passes 1). The ``lines`` of the returned LineDict/LineList stay
    relative to ``text``.
    """
    loader = _Loader(text)
    loader.line_offset = line_offset
    loader.line_map = _make_line_map(text)
    try:
        _reject_anchors(text, loader.line_map)
        return loader.get_single_data()
    except YamlProblem as exc:
        raise YamlProblem(exc.message, exc.line + line_offset if exc.line else None, exc.hint) from None
    except Exception as exc:  # any failure of the YAML library is a problem in the file
        message, line, hint = _describe(exc, text, line_offset, loader.line_map)
        raise YamlProblem(message, line + line_offset if line else None, hint) from None
    finally:
        loader.dispose()
