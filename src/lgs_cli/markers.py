"""The line markers that both the parser and ``lgs show`` read: code fences, HTML
comments and the confidential passages' markers. One definition, so that what
``lgs show`` hides is what the parser reads as hidden (standard library only)."""

from __future__ import annotations

import re

FENCE = re.compile(r"^[ \t]{0,3}(```|~~~)")
CONF_OPEN = re.compile(r"^\s*<!--\s*konfidentiell(?:t)?\s*-->\s*$", re.IGNORECASE)
CONF_CLOSE = re.compile(r"^\s*<!--\s*/\s*konfidentiell(?:t)?\s*-->\s*$", re.IGNORECASE)


def is_fence(line: str) -> bool:
    """A line that opens or closes a fenced code block."""
    return ("`" in line or "~" in line) and FENCE.match(line) is not None


def opens_comment(line: str) -> bool:
    """A line that starts an HTML comment over several lines: ``<!--`` first on the
    line, and no ``-->`` after it (the comment hides its lines when the minutes
    are shown, up to the line with ``-->``)."""
    return "<!--" in line and line.lstrip()[:4] == "<!--" and "-->" not in line[line.index("<!--") + 4:]


# A confidential marker written inside a line ("Text <!-- konfidentiellt --> …"), which
# Markdown does not read as a passage: lgs reports it (LGS034) and --public hides what
# it was meant to hide anyway, from the marker to its close (or on, to a later one).
_INLINE_MARKER = re.compile(r"<!--\s*+(?:(/)\s*+)?konfidentiell(?:t)?\s*+-->", re.IGNORECASE)  # (possessive: linear)
_BACKTICKS = re.compile(r"`+")


def _code_spans(line: str) -> list[tuple[int, int]]:
    """The code spans of a line, as Markdown reads them: a run of backticks up to
    the next run of the same length (linear: each run is looked at once)."""
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(line)]
    following: list[int | None] = [None] * len(runs)  # the next run of the same length
    last: dict[int, int] = {}
    for k in range(len(runs) - 1, -1, -1):
        size = runs[k][1] - runs[k][0]
        following[k] = last.get(size)
        last[size] = k
    spans = []
    k = 0
    while k < len(runs):
        close = following[k]
        if close is None:  # no run closes it: its backticks are text
            k += 1
            continue
        spans.append((runs[k][0], runs[close][1]))
        k = close + 1
    return spans


def inline_conf_markers(line: str) -> list[tuple[int, int, bool]]:
    """The confidential markers inside ``line`` (start, end, opens), outside code
    spans; none for a marker that is the whole line (a passage's own line)."""
    if "<!--" not in line or CONF_OPEN.match(line) or CONF_CLOSE.match(line):
        return []
    found = [(m.start(), m.end(), not m.group(1)) for m in _INLINE_MARKER.finditer(line)]
    if found and "`" in line:
        spans = _code_spans(line)
        found = [f for f in found if not any(a <= f[0] < b for a, b in spans)]
    return found


def open_after(markers: list[tuple[int, int, bool]], open_before: bool) -> bool:
    """Whether a passage is open at the end of a line with these markers."""
    state = open_before
    for _, _, opens in markers:
        state = opens
    return state


def redact_inline(line: str, open_before: bool) -> tuple[str, bool]:
    """``line`` with what its inline markers enclose replaced by "(konfidentiellt)"
    (from the start when a passage is open before it), and whether one is open after."""
    markers = inline_conf_markers(line)
    if not markers and not open_before:
        return line, False
    out: list[str] = []
    state, at = open_before, 0
    if state:
        out.append("(konfidentiellt)")
    for start, end, opens in markers:
        if not state:
            out.append(line[at:start])
        if opens and not state:
            out.append("(konfidentiellt)")
        state, at = opens, end
    if not state:
        out.append(line[at:])
    return "".join(out).rstrip() if state else "".join(out), state
