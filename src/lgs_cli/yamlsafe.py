"""A restricted YAML loader for front matter and the roster.

* Built on libyaml's C parser when present (``CSafeLoader``), else the pure
  Python one (``yaml_is_fast()`` tells which; the CLI warns).
* Only the safe constructors: object tags such as ``!!python/object/apply``
  are rejected, never executed.
* No anchors or aliases: "billion laughs" documents are rejected at the first
  reused node, in bounded time and memory.
* Duplicate keys are errors, not silently last-wins.
* No YAML 1.1 surprises: ``no``/``yes``/``on``/``off`` stay text, ``11:00``
  stays text (never sexagesimal 660), dates stay text (validated by lgs),
  octal/hex/sexagesimal numbers stay text.
* Mappings and sequences remember the line of each key / element.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

try:  # pragma: no branch - depends on the PyYAML build
    _Base: type[Any] = yaml.CSafeLoader
    _FAST = True
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _Base = yaml.SafeLoader
    _FAST = False


def yaml_is_fast() -> bool:
    return _FAST


class YamlProblem(Exception):
    """A YAML document that cannot be used; ``line`` is 1-based within the text."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class LineDict(dict[Any, Any]):
    """A dict that knows the (1-based, document-relative) line of each key."""

    lines: dict[Any, int]

    def __init__(self) -> None:
        super().__init__()
        self.lines = {}


class LineList(list[Any]):
    """A list that knows the line of each element."""

    lines: list[int]

    def __init__(self) -> None:
        super().__init__()
        self.lines = []


class _Loader(_Base):  # type: ignore[misc]
    def construct_object(self, node: Any, deep: bool = False) -> Any:
        if node in self.constructed_objects or node in self.recursive_objects:
            raise YamlProblem(
                "YAML anchors and aliases (&name / *name) are not allowed in minutes",
                node.start_mark.line + 1,
            )
        return super().construct_object(node, deep=True)


# Implicit resolvers: start empty, add back only the unsurprising ones.
_Loader.yaml_implicit_resolvers = {}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$"), list("-+0123456789")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?$"),
    list("-+0123456789"),
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)


def _construct_map(loader: Any, node: Any) -> LineDict:
    if not isinstance(node, yaml.MappingNode):  # pragma: no cover - defensive
        raise YamlProblem("expected a mapping", node.start_mark.line + 1)
    result = LineDict()
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise YamlProblem("YAML merge keys (<<) are not allowed", key_node.start_mark.line + 1)
        key = loader.construct_object(key_node)
        line = key_node.start_mark.line + 1
        if not isinstance(key, (str, int, float, bool)) or key is None:
            raise YamlProblem(f"a key must be text, not {type(key).__name__}", line)
        if key in result:
            raise YamlProblem(
                f"duplicate key '{key}' (first on line {result.lines[key]})", line
            )
        result[key] = loader.construct_object(value_node)
        result.lines[key] = line
    return result


def _construct_seq(loader: Any, node: Any) -> LineList:
    result = LineList()
    for child in node.value:
        result.append(loader.construct_object(child))
        result.lines.append(child.start_mark.line + 1)
    return result


def _construct_str(loader: Any, node: Any) -> str:
    return str(loader.construct_scalar(node))


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
_Loader.add_constructor("tag:yaml.org,2002:str", _construct_str)
# Explicit !!timestamp, !!set, !!omap, !!pairs, !!binary are not part of the format.
for _tag in ("timestamp", "set", "omap", "pairs", "binary"):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", None)  # -> construct_undefined
_Loader.yaml_constructors.pop("tag:yaml.org,2002:timestamp", None)
_Loader.yaml_constructors.pop("tag:yaml.org,2002:set", None)
_Loader.yaml_constructors.pop("tag:yaml.org,2002:omap", None)
_Loader.yaml_constructors.pop("tag:yaml.org,2002:pairs", None)
_Loader.yaml_constructors.pop("tag:yaml.org,2002:binary", None)


def load(text: str) -> Any:
    """Load one YAML document; raise :class:`YamlProblem` with a line on any problem."""
    loader = _Loader(text)
    try:
        return loader.get_single_data()
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or "invalid YAML"
        if exc.context:
            problem = f"{exc.context}: {problem}"
        if "could not determine a constructor" in problem:
            problem = "YAML tag not allowed (tags that construct objects are never executed)" + (
                f": {problem.split('tag ', 1)[-1]}" if "tag" in problem else ""
            )
        raise YamlProblem(f"invalid YAML: {problem}", line) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"invalid YAML: {exc}", None) from None
    except RecursionError:
        raise YamlProblem("invalid YAML: nested too deeply", None) from None
    except (ValueError, TypeError, OverflowError) as exc:  # pragma: no cover - defensive
        raise YamlProblem(f"invalid YAML: {exc}", None) from None
    finally:
        loader.dispose()
