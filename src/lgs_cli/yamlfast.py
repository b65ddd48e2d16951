"""The fast path of :func:`lgs_cli.yamlsafe.load`: the block style that minutes'
front matter and rosters are written in, read line by line without PyYAML.

It reads only what it is sure of, and returns None for anything else; the
caller then uses the full loader (:mod:`lgs_cli.yamlloader`), which gives the
same result for every text this reader accepts (``tests/test_yamlfast.py``
checks this on every real, fixture, hostile and generated file and on
Hypothesis documents). Whatever is accepted is valid YAML: an error, however
small, is always left to the full loader to describe.

Accepted:

* a mapping at the top, one ``key: value`` per line, each key once, plain
  text (no ``:`` or ``#`` in it) that is not a number, ``true``/``false`` or
  ``null``;
* under a key with no value, a block mapping (indented deeper) or a block
  sequence (``- …`` lines, at the key's indent or deeper), nested to any
  depth; a sequence item is a value or a mapping (``- name: …`` and the keys
  below it);
* values: plain text on one line (no ``#``, no ``: ``, not starting with a YAML
  indicator), ``"…"`` without ``\\`` or ``"`` inside, ``'…'`` without ``'``
  inside, and ``[a, "b", …]`` and ``{key: value, …}`` on one line, with
  nothing nested; plain values resolve as the full
  loader resolves them (``true``/``false``, ``~``/``null``, plain decimal
  integers, everything else text);
* a key's block scalar (``>``, ``>-``, ``|``, ``|-``) in its plain shape: its
  lines at one indent (deeper ones in ``|``), no blank line inside, no line
  ending in a space;
* blank lines, whole-line comments and comments after a value.

Not accepted (the full loader reads them): tabs, characters YAML escapes or
reads as line breaks, plain or quoted values over
several lines, other block scalars, sequences directly in sequences, nested
flow collections, anchors, tags, directives, escapes, and anything that is an error.
"""

from __future__ import annotations

import re
from typing import Any

from .names import text_memo
from .yamlsafe import _YAML_UNPRINTABLE, DECIMAL, FALSE_WORDS, NULL_WORDS, TRUE_WORDS, LineDict, LineList

# What this reader takes literally: the characters lgs writes unescaped (YAML's
# printable ones without NEL, LINE/PARAGRAPH SEPARATOR and the byte-order mark),
# with line breaks and without tabs.
_OUTSIDE = re.compile(_YAML_UNPRINTABLE.replace("\t", "\n", 1))
# The first character of a plain key or value: not a space or a YAML indicator.
_FIRST = r"[^ :#?,\[\]{}&*!|>'\"%@`-]"
# A plain key (no ":" or "#" in it, no space before its colon), then ": " or ":"
# at the end of the line.
_KEY = re.compile("(" + _FIRST + r"[^:#]{0,99}?)(?<! ):(?: +|$)")
# A sequence item that is plain text with no ":" or "#" (what _value takes as it is).
_PLAIN_ITEM = re.compile(r"- (" + _FIRST + r"[^:#]*+)$")  # possessive: linear on long lines
# "---" or "..." at the start of a line, then a space or the end: YAML's document markers.
_MARKER = re.compile(r"^(?:---|\.\.\.)(?: |$)", re.MULTILINE)
# Deeper than this is left to the full loader (PyYAML's constructor recurses: it
# reports nesting it cannot construct at about 160-330 levels).
MAX_DEPTH = 50
# libyaml reads a key of at most 1,024 characters (counted from its start to its ":").
MAX_KEY = 1000
# What plain values mean, as the full loader resolves them (lgs_cli.yamlsafe).
_DECIMAL = re.compile(DECIMAL)
_WORDS: dict[str, Any] = {**dict.fromkeys(TRUE_WORDS, True), **dict.fromkeys(FALSE_WORDS, False),
                          **dict.fromkeys(NULL_WORDS)}
# A plain value cannot start with these (YAML's indicators; "-", "?" and ":" could
# start one when a non-space follows, which this reader leaves to the full loader).
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_BLOCK_SCALARS = (">-", ">", "|-", "|")
_CLOSING = {'"': '"', "'": "'", "[": "]", "{": "}"}  # where a quoted value or a flow collection ends


class _Unsure(Exception):
    """Not for this reader: the full loader reads the text."""


def load(text: str, *, checked: bool = False) -> LineDict | None:
    """The mapping the full loader would return for ``text``, or None when this
    reader is not sure (then the full loader must read it).

    ``checked``: the caller knows that ``text`` was decoded from UTF-8 (so it has
    no surrogates) and that :func:`lgs_cli.names.has_unsafe_chars` finds nothing
    in it; then only a tab, U+FFFE or U+FFFF can be a character this reader does
    not take literally, and those are looked for instead of searching for all."""
    if checked:
        if "\t" in text or "\ufffe" in text or "\uffff" in text:
            return None
    elif _OUTSIDE.search(text) is not None:
        return None
    if ("---" in text or "..." in text) and _MARKER.search(text) is not None:
        return None  # a document marker: the end of the document, or an error
    try:
        return _Reader(text.split("\n")).document()
    except _Unsure:
        return None
    except Exception:  # pragma: no cover - a slip of this reader: the full loader is never wrong
        return None


def _resolve(plain: str) -> Any:
    if plain in _WORDS:
        return _WORDS[plain]
    if plain[0] in "-0123456789" and _DECIMAL.match(plain):
        return int(plain)
    return plain


def _quoted(text: str) -> str:
    quote = text[0]
    inner = text[1:-1]
    if len(text) < 2 or text[-1] != quote or quote in inner or (quote == '"' and "\\" in inner):
        raise _Unsure
    return inner


def _uncomment(text: str) -> str:
    """A value's text without the comment after it (``text`` has no spaces at
    either end; the result is empty for a comment alone)."""
    first = text[0]
    if first == "#":
        return ""
    if first in _CLOSING:
        end = text.find(_CLOSING[first], 1)
        if end < 0:
            raise _Unsure
        tail = text[end + 1:]
        if not tail:
            return text
        comment = tail.lstrip(" ")
        if comment[0] != "#" or len(comment) == len(tail):
            raise _Unsure
        return text[:end + 1]
    cut = text.find(" #")
    return text if cut < 0 else text[:cut].rstrip(" ")


def _value(text: str, line: int) -> Any:
    """A value on one line (``text`` has no leading or trailing spaces)."""
    first = text[0]
    if first == '"' or first == "'":
        return _quoted(text)
    if first == "[":
        return _flow(text, line)
    if first == "{":
        return _flow_mapping(text, line)
    if first in _INDICATORS or "#" in text or ": " in text or text[-1] == ":":
        raise _Unsure
    return _resolve(text)


def _flow_items(text: str, close: str) -> list[str]:
    """The items of ``[…]`` or ``{…}`` on one line, with nothing nested."""
    if text[-1] != close:
        raise _Unsure
    inner = text[1:-1]
    if not inner.strip(" "):
        return []
    if "[" in inner or "]" in inner or "{" in inner or "}" in inner:
        raise _Unsure
    items = [part.strip(" ") for part in inner.split(",")]
    if not all(items):
        raise _Unsure
    return items


def _flow_scalar(item: str) -> Any:
    if not item:
        raise _Unsure
    first = item[0]
    if first == '"' or first == "'":
        return _quoted(item)
    if first in _INDICATORS or "#" in item or ":" in item:
        raise _Unsure
    return _resolve(item)


def _flow(text: str, line: int) -> LineList:
    result = LineList()
    for item in _flow_items(text, "]"):
        result.append(_flow_scalar(item))
        result.lines.append(line)
    return result


def _flow_mapping(text: str, line: int) -> LineDict:
    result = LineDict()
    for item in _flow_items(text, "}"):
        written, colon, value = item.partition(": ")
        key = _flow_scalar(written) if colon and written == written.rstrip(" ") and len(written) <= MAX_KEY else None
        if not isinstance(key, str) or key in result:
            raise _Unsure
        result[key] = _flow_scalar(value.lstrip(" "))
        result.lines[key] = line
    return result


_FLOW = object()  # _key_line: the value is a flow collection, made with its line


@text_memo
def _key_line(at: int, line: str) -> tuple[str, str, Any] | None:
    """A mapping's line with its key at column ``at``: the key, the text after it
    (its comment cut), and its value when that is a scalar (None for none, _FLOW
    for ``[…]`` or ``{…}``, which are made anew with their lines); None when this
    reader is not sure. Front matter repeats most of its lines from meeting to
    meeting (``status: approved``, ``start: "11:00"``): kept for the run."""
    m = _KEY.match(line, at)
    if m is None:
        return None
    key = m.group(1)
    if not isinstance(_resolve(key), str):  # a key that is not text
        return None
    rest = line[m.end():].rstrip(" ")
    value: Any = None
    try:
        rest = _uncomment(rest) if rest else rest
        if rest[:1] in ("[", "{"):
            value = _FLOW
        elif rest and rest not in _BLOCK_SCALARS:
            value = _value(rest, 0)
    except _Unsure:
        return None
    return key, rest, value


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


class _Reader:
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.depth = 0  # of the blocks being read

    def deeper(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _Unsure

    def next_line(self, i: int) -> int | None:
        """The first line from ``i`` that is not blank or a comment."""
        lines = self.lines
        for j in range(i, len(lines)):
            stripped = lines[j].lstrip(" ")
            if stripped and stripped[0] != "#":
                return j
        return None

    def document(self) -> LineDict:
        i = self.next_line(0)
        if i is None or self.lines[i][0] == " ":
            raise _Unsure  # an empty document (None, or an error), or an indented one
        result, after = self.mapping(i, 0)
        if after is not None:
            raise _Unsure
        return result

    def mapping(self, i: int, at: int) -> tuple[LineDict, int | None]:
        """The block mapping whose keys are at column ``at``, the first on line
        ``i`` (after a sequence item's ``- `` or at the line's indent); and the
        line after it."""
        self.deeper()
        lines = self.lines
        result = LineDict()
        line = lines[i]
        while True:
            found = _key_line[at, line]
            if found is None or found[0] in result:  # not sure; a duplicate key (an error)
                raise _Unsure
            key, rest, value = found
            after = self.next_line(i + 1)
            if rest in _BLOCK_SCALARS:
                value, after = self.block_scalar(i + 1, at, rest)
            elif rest:
                if value is _FLOW:
                    value = _value(rest, i + 1)
            elif after is not None:  # a block below the key, or nothing (null)
                nxt = lines[after]
                indent = _indent(nxt)
                if nxt.startswith("- ", indent) and indent >= at:
                    value, after = self.sequence(after, indent)
                elif indent > at:
                    value, after = self.mapping(after, indent)
            result[key] = value
            result.lines[key] = i + 1
            if after is None:
                self.depth -= 1
                return result, None
            line = lines[after]
            here = _indent(line)
            if here > at:
                raise _Unsure  # a value over several lines, or an error
            if here < at:
                self.depth -= 1
                return result, after
            i = after

    def sequence(self, i: int | None, indent: int) -> tuple[LineList, int | None]:
        """The block sequence whose ``- `` lines are at column ``indent``, from
        line ``i``; and the line after it."""
        self.deeper()
        lines = self.lines
        last = len(lines) - 1
        result = LineList()
        item = " " * indent + "- "
        while i is not None:
            line = lines[i]
            if line.startswith(item):  # the usual item: "- Anna Andersson, Växjö"
                simple = _PLAIN_ITEM.match(line, indent)
                if simple is not None:
                    result.append(_resolve(simple.group(1).rstrip(" ")))
                    result.lines.append(i + 1)
                    i = i + 1 if i < last and lines[i + 1].startswith(item) else self.next_line(i + 1)
                    continue
            here = _indent(line)
            if here > indent:
                raise _Unsure  # a value over several lines, or an error
            if here < indent or not line.startswith("- ", indent):
                break
            after: int | None
            value: Any
            at = _indent(line[indent + 1:]) + indent + 1
            if _KEY.match(line, at):
                value, after = self.mapping(i, at)
            else:
                rest = line[at:].rstrip(" ")
                rest = _uncomment(rest) if rest else rest
                if not rest:
                    raise _Unsure
                value = _value(rest, i + 1)
                after = self.next_line(i + 1)
            result.append(value)
            result.lines.append(i + 1)
            i = after
        self.depth -= 1
        return result, i

    def block_scalar(self, i: int, at: int, style: str) -> tuple[str, int | None]:
        """A block scalar (``>``, ``>-``, ``|``, ``|-``) whose text starts on line
        ``i`` under a key at column ``at``; and the line after it. Only the plain
        shape: its lines at one indent (deeper for ``|``), no blank line inside
        and no line ending in a space."""
        lines = self.lines
        content: list[str] = []
        indent = 0
        j = i
        while j < len(lines):
            line = lines[j]
            stripped = line.lstrip(" ")
            here = len(line) - len(stripped)
            if not stripped:
                if here > indent and content:  # spaces beyond the indent are text
                    raise _Unsure
                j += 1
                continue
            if not content:
                if here <= at or j > i:
                    raise _Unsure  # no text (an empty scalar); a blank line first
                indent = here
            elif here < indent:
                break
            elif j > i + len(content) or (here > indent and style[0] == ">"):
                raise _Unsure  # a blank line inside, a more-indented folded line
            if line[-1] == " ":
                raise _Unsure  # trailing spaces
            content.append(line[indent:])
            j += 1
        if not content:
            raise _Unsure
        text = (" " if style[0] == ">" else "\n").join(content)
        ends_the_text = i + len(content) == len(lines)  # no line break after its last line
        return (text if style[-1] == "-" or ends_the_text else text + "\n"), self.next_line(j)
