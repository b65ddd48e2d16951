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
