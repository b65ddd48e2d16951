"""A restricted YAML loader for front matter and the roster.

* Most documents are read by lgs's own reader of the plain block style
  (:mod:`lgs_cli.yamlfast`); the rest by PyYAML, on libyaml's C parser when
  present (``CSafeLoader``), else the pure Python one (``yaml_is_fast()`` tells
  which; ``SLOW_LOADS`` counts those, and the CLI warns when there are many).
* Only the safe constructors: object tags such as ``!!python/object/apply``
  are rejected, never executed.
* No anchors or aliases: "billion laughs" documents are rejected at the first
  anchor or alias, before anything is constructed (bounded time and memory).
  Nesting depth is bounded by libyaml (1,000 levels).
* Duplicate keys are errors, not silently last-wins.
* No YAML 1.1 surprises: ``no``/``yes``/``on``/``off`` stay text, ``11:00``
  stays text (never sexagesimal 660), dates stay text (validated by lgs),
  octal/hex/sexagesimal numbers and fractions stay text exactly as written
  (``1.10`` is "1.10", never 1.1); only plain decimal integers are numbers.
* Every failure of the YAML library becomes a :class:`YamlProblem` with a line
  where one is known; nothing else escapes :func:`load`.
* Mappings and sequences remember the line of each key / element.
"""

from __future__ import annotations

import os
import re
from typing import Any


def yaml_is_fast() -> bool:
    """Whether PyYAML's C parser (libyaml) is used (imports PyYAML)."""
    from .yamlloader import FAST  # noqa: PLC0415

    return FAST


class YamlProblem(Exception):
    """A YAML document that cannot be used; ``line`` is 1-based (within the text,
    plus the ``line_offset`` given to :func:`load`)."""

    def __init__(self, message: str, line: int | None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.hint = hint


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


def load(text: str, *, line_offset: int = 0, checked: bool = False) -> Any:
    """Load one YAML document; raise :class:`YamlProblem` with a line on any problem.

    ``line_offset`` is added to the lines of problems and to the lines their
    messages name (the front matter of a meeting starts on file line 2, so the
    parser passes 1). The ``lines`` of the returned LineDict/LineList stay
    relative to ``text``. Most front matter is read by :mod:`lgs_cli.yamlfast`
    without PyYAML; PyYAML is imported for the rest (:mod:`lgs_cli.yamlloader`).
    ``checked``: see :func:`lgs_cli.yamlfast.load`.
    """
    return load_telling(text, line_offset=line_offset, checked=checked)[0]


def load_telling(text: str, *, line_offset: int = 0, checked: bool = False) -> tuple[Any, bool]:
    """:func:`load`, and whether lgs's own reader read the text (then it reads it
    again the same way, without PyYAML)."""
    from .yamlfast import load as load_fast  # noqa: PLC0415

    global SLOW_LOADS  # a count for the run, read by the CLI

    found = load_fast(text, checked=checked)
    if found is not None:  # the block style lgs writes, read without PyYAML
        return found, True
    from .yamlloader import FAST  # noqa: PLC0415 - PyYAML only when YAML is read
    from .yamlloader import load as load_now  # noqa: PLC0415

    if not FAST:
        SLOW_LOADS += 1
    return load_now(text, line_offset=line_offset), False


# Documents this process read with PyYAML's pure-Python parser (no libyaml): the
# CLI warns when there were many (lgs_cli.cli.load).
SLOW_LOADS = 0


def load_cached(text: str, root: str | os.PathLike[str]) -> Any:
    """:func:`load`, through a copy kept in the cache directory (for the roster,
    read on every run; never inside the archive ``root``): the same result, or
    the same :class:`YamlProblem`, without importing PyYAML while the text and
    lgs are unchanged."""
    from .cache import load_yaml_cached  # noqa: PLC0415

    return load_yaml_cached(text, load, root)


# -- what a plain value means: one definition for both readers ---------------------
# (lgs_cli.yamlloader's implicit resolvers, lgs_cli.yamlfast's _resolve)

TRUE_WORDS = ("true", "True", "TRUE")
FALSE_WORDS = ("false", "False", "FALSE")
NULL_WORDS = ("~", "null", "Null", "NULL")  # and the empty value
# Only plain decimal integers of up to 18 digits are numbers, so that str(value)
# gives back exactly what was written.
DECIMAL = r"^(?:0|-?[1-9][0-9]{0,17})$"


# -- writing: the same dialect, for the few values lgs writes ----------------------

# Patterns, compiled on first use (re keeps them): compiling costs start-up time.
_PLAIN = r"^[^\W\d_][\w .,()'/&+-]*$"
_PLAIN_FLOW = r"^[^\W\d_][\w .()'/&+-]*$"
# Characters YAML does not allow literally (or reads as line breaks): escape them.
_YAML_UNPRINTABLE = "[^\t\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
_YAML_WORDS = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "not-recorded"}


def dump_scalar(text: str, *, flow: bool = False) -> str:
    """``text`` as a YAML scalar: plain where that is unambiguous, else double-quoted
    (a JSON string is a valid YAML double-quoted scalar)."""
    pattern = _PLAIN_FLOW if flow else _PLAIN
    if re.match(pattern, text) and text == text.strip() and text.lower() not in _YAML_WORDS:
        return text
    import json  # noqa: PLC0415

    quoted = json.dumps(text, ensure_ascii=False)
    return re.sub(_YAML_UNPRINTABLE, lambda m: f"\\u{ord(m.group(0)):04x}", quoted)
