"""Parse one meeting file into a :class:`~lgs_cli.model.Meeting` plus diagnostics.

The parser never raises on bad input: every problem becomes a diagnostic with
the file and line, and whatever could be read is returned.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import sys
from pathlib import Path
from typing import Any

from . import yamlsafe
from .codes import default_severity
from .dates import MONTHS_SV, parse_iso_date, parse_month, parse_time, split_due
from .fileread import read_bounded
from .markers import CONF_CLOSE, CONF_OPEN, FENCE, inline_conf_markers, open_after, opens_comment, redact_inline
from .model import (
    ENTRY_PREFIX,
    NOT_RECORDED,
    Attendee,
    Correction,
    Diagnostic,
    Due,
    Entry,
    EntryKind,
    FollowUpStatus,
    Item,
    Meeting,
)
from .names import (
    has_typography,
    has_typography_bytes,
    has_unsafe_chars,
    may_have_unsafe_chars,
    nfc,
    non_ascii,
    plain_typography,
    strip_note,
    text_memo,
)

MAX_LINE_CHARS = 20_000

FRONT_MATTER_KEYS = {
    "date", "date_inferred", "start", "end", "location", "status", "approved_by",
    "approved_on", "chairs", "secretary", "justerare", "attendees", "guests", "absent",
    "deputies", "corrections", "source", "expected",
}
REQUIRED_KEYS = ("date", "status", "secretary", "attendees")
STATUSES = ("draft", "approved")
ATTENDEE_KEYS = {"name", "org", "sector", "items", "part", "note", "for"}

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*)$")


def _heading(line: str) -> tuple[str, str] | None:
    """A heading's "#"s and its text, which ends before any closing "#"s and the
    spaces around them (cut with string operations: one lazy pattern for both
    costs more); None when the line is no heading."""
    found = _HEADING.match(line)
    if found is None:
        return None
    return found.group(1), found.group(2).rstrip(" \t").rstrip("#").rstrip(" \t")


@text_memo
def _item_heading(line: str) -> tuple[str | None, str, bool] | bool | None:
    """What a line that starts with "#" is: an agenda item (a level-2 heading), as
    ``(number, title, confidential)``; a level-1 heading (text of the item), as
    whether it looks like a slipped item heading ("# 5. Title"); None for anything
    else. Headings recur from meeting to meeting: kept for the run."""
    heading = _heading(line)
    if heading is None or len(heading[0]) > 2:
        return None
    if len(heading[0]) == 1:
        return _LOOSE_ITEM.match(line) is not None
    title = heading[1]
    confidential = "{" in title and bool(_CONF_TAG.search(title))  # anywhere: "Ärende {konfidentiellt} (forts.)"
    title = " ".join(_CONF_TAG.sub(" ", title).split()) if confidential else title
    tm = _ITEM_TITLE.match(title)
    num, rest = (tm.group(1), tm.group(2)) if tm else (None, title)
    if num and not rest.strip():
        num, rest = None, title
    return num, rest.strip() or "(utan rubrik)", confidential


# The item's number: "5.", "5)", "5:", "5a", also as Swedish minutes number them ("§ 12", "§12", "Punkt 3").
_ITEM_TITLE = re.compile(r"^(?:(?:§[ \t]*|(?i:punkt)[ \t]+)?([0-9]{1,3}[a-z]?)(?:[.):]|(?=\s))\s*)?(.*)$")
# No leading or trailing \s* outside the braces: searching a long run of spaces with one would be quadratic.
_CONF_TAG = re.compile(r"\{\s*konfidentiell(?:t)?\s*\}", re.IGNORECASE)
# "Föredragande: …", also with the label in bold ("**Föredragande:** …", from Word).
_ITEM_FIELD = re.compile(r"^(?P<b>\*\*|__)?(Föredragande|Fördragande|Underlag)(?(b)(?:\s*:\s*(?P=b)|(?P=b)\s*:|\s*:)|\s*:)"
                         r"\s*(.*)$", re.IGNORECASE)
_ENTRY = re.compile(
    r"^(?P<indent>[ \t]*)[-*+][ \t]+(?:\[(?P<box>[ xX])\][ \t]+)?"
    r"\*\*(?P<kind>Beslut|Åtgärd|Uppföljning|Uppskjutet)(?![A-Za-zÅÄÖåäö])(?P<rest>[^*]*)\*\*(?P<text>.*)$",
    re.IGNORECASE,
)
_ENTRY_FIELD_PLAIN = re.compile(r"^[ \t]+[-*+][ \t]+(?P<name>[A-Za-zÅÄÖåäö]+)[ \t]*:[ \t]*(?P<value>.*)$")
# ... also with the name in bold ("  - **Senast:** …", "  - **Senast**: …"), tried when the plain one fails
_ENTRY_FIELD_BOLD = re.compile(r"^[ \t]+[-*+][ \t]+\*\*(?P<name>[A-Za-zÅÄÖåäö]+)[ \t]*(?::[ \t]*\*\*|\*\*[ \t]*:)"
                               r"[ \t]*(?P<value>.*)$")

# ... or a known field in bold as a whole ("  - **Ansvarig: AU**", as Word writes it)
_ENTRY_FIELD_BOLD_WHOLE = re.compile(r"^[ \t]+[-*+][ \t]+\*\*(?P<name>Ansvarig|Senast|Status|Till|Avser)[ \t]*+:"
                                     r"(?P<value>[^*]*+)\*\*[ \t]*+$", re.IGNORECASE)  # (possessive: linear)
# A line under an entry that names one of its fields but is not written as one
# ("  • Senast: …", "  - *Senast:* …", "  - Senast 2026-03-01"), or a field not
# indented under its entry ("Senast: …" on the line after it): warned about (LGS028).
_FIELD_LIKE = re.compile(r"^[ \t]*(?:[^\w\s][ \t]*){0,6}(?:Ansvarig|Senast|Status|Till|Avser)[*_ \t]*(?::|[0-9]{4}-)",
                         re.IGNORECASE)
# A decision, action, follow-up or deferred matter written without the exact marker
# (no bold, "__", a numbered list, a checkbox without bold, "Atgard"): warned about
# (LGS027), since it is in no report. The word, maybe an ID, then a colon.
_LOOSE_MARK = re.compile(
    r"^(?:(?:[-*+]|[0-9]{1,3}[.)])[ \t]++)?(?:\[[ xX]?\][ \t]*+)?(?:\*\*|__|\*|_)?[ \t]*"
    r"(?P<word>Beslut|[ÅA]tg[äa]rd|Uppf[öo]ljning|Uppskjutet|Uppskjuten|Bordlag[dt])"
    r"(?P<id>[ \t]+(?:[ABU][ \t]?[0-9]{1,4}|[0-9]{4}-[0-9]{2}-[0-9]{2}-[ABU][0-9]{1,4}|[0-9]{1,3}))?"
    r"[ \t]*(?:(?:\*\*|__|\*|_)[ \t]*:|:)",
    re.IGNORECASE,
)
# A bold marker that starts a line's text but not as a list item lgs (or Markdown)
# reads as one: another bullet ("•", "–"), no space after the bullet, a quote
# ("> - [x] **…"), a table cell, an escaped checkbox ("\\[ \\]"), bold italics, a
# synonym ("Uppskjuten", "Bordlagt"). Before it only characters that are no letters
# or digits (and a checkbox's "x"). Warned about (LGS027): the entry is in no report.
_HIDDEN_MARK = re.compile(
    r"^[^\w]{0,8}?(?:(?:o|[a-z]{1,3}[.)]|[0-9]{1,3}(?:\.[0-9]{1,3}){0,3}[.)]?)[ \t]+[^\w]{0,4}?)?"  # "o", "a)", "1.1"
    r"(?:\\?\[[ xX]?\\?\][^\w]{0,4}?)?_?[*_]{2,3}_?[ \t]*"
    r"(?:Beslut|[ÅA]tg[äa]rd|Uppf[öo]ljning|Uppskjut(?:et|en)|Bordlag[dt])"
    r"(?:[ \t]+(?:[ABU][ \t]?[0-9]{1,4}|[0-9]{4}-[0-9]{2}-[0-9]{2}-[ABU][0-9]{1,4}|[0-9]{1,3}))?"
    r"[ \t]*(?:_?[*_]{1,3}_?[ \t]*:|:)",
    re.IGNORECASE,
)
# What follows a bare bold word ("**Beslut**") that is no entry: a lowercase word
# ("**Beslut** i kommunerna väntas …"). Anything else after it ("**Beslut** 1: …",
# "**Beslut** – …") is an entry written with a slip (LGS020).
_NO_ENTRY_AFTER = re.compile(r"[ \t]+[a-zåäö]")
# A bold marker with its ID and colon further in a line ("Diskussion. **Beslut B2:** …"):
# an entry that is none (LGS027); one that starts a line is read, or reported above.
_MIDLINE_MARK = re.compile(r"[ \t]*\S.*?\*\*[ \t]*(?:(?:Beslut|[ÅA]tg[äa]rd|Uppskjutet)[ \t]+[ABU][ \t]?[0-9]{1,4}"
                           r"|Uppf[öo]ljning[ \t]+[0-9]{4}-[0-9]{2}-[0-9]{2}-[ABU][0-9]{1,4})"
                           r"[ \t]*(?::[ \t]*\*\*|\*\*[ \t]*:)", re.IGNORECASE)
# A field of an entry ("  - Ansvarig: …") where there is no entry to belong to.
_ORPHAN_FIELD = re.compile(r"^[ \t]+[-*+][ \t]+(?:Ansvarig[ \t]*:|(?:Senast|Till)[ \t]*:[ \t]*[0-9]{4}"
                           r"|Status[ \t]*:[ \t]*(?:klar|struken|kvarstår)|Avser[ \t]*:[ \t]*[0-9]{4}-)", re.IGNORECASE)
# A line that continues the paragraph before it in Markdown ("lazy continuation"):
# an entry's text wrapped by an e-mail program goes on without indentation. Not a
# line that starts a block of its own: a list item, a heading, a quote, a fence,
# HTML, a table row or a thematic break.
_LAZY = re.compile(r"^(?! {0,3}(?:[-*+](?:[ \t]|$)|[0-9]{1,9}[.)](?:[ \t]|$)|#|>|```|~~~|<|\||"
                   r"(?:-[ \t]*){3,}$|(?:\*[ \t]*){3,}$|(?:_[ \t]*){3,}$))[ \t]*\S")
# An agenda item heading written at another level or without the space: "### 5. Title",
# "##4. Title" (a number, then a title word: not "### 5.1 Delrapport" or "### 13:00 Workshop").
_LOOSE_ITEM = re.compile(r"^(?:#{1,6}[ \t]*[0-9]{1,3}[a-z]?[.):][ \t]+|#{2,6}[0-9]{1,3}[a-z]?[ \t]+)[^\W\d_]")
# An agenda item written as a bold line ("**5. Budget**", from Word), or as a line
# underlined with "---" (a "setext" heading in Markdown, "5. Budget" then "----").
_BOLD_ITEM = re.compile(r"^(?:\*\*|__)[ \t]*[0-9]{1,3}[a-z]?[.):][ \t]+[^\W\d_][^*_]*(?:\*\*|__)[ \t]*(?:$|<!--)")
_NUMBERED_TITLE = re.compile(r"^[ \t]{0,3}[0-9]{1,3}[a-z]?:?[ \t]+[^\W\d_]")  # not "5." / "5)": a list item
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}-+[ \t]*$")
# Every line that any of the patterns above (or _HEADING, _ITEM_FIELD, lgs_cli.markers') could match starts
# like this.
_SPECIAL = re.compile(r"^\s*(?:[^\w\s]|_|[0-9]{1,3}[.)]|före?dragande|u(?:nderlag|ppf[öo]ljning|ppskjut)"
                      r"|b(?:eslut|ordlag)|[åa](?:tg[äa]rd|nsvarig|vser)|s(?:enast|tatus)|till|o[ \t]|[a-z]{1,3}[.)][ \t])",
                      re.IGNORECASE)  # [^\w\s]: also "• **Åtgärd …" (_HIDDEN_MARK)
_LOCAL_NUMBER = {p: re.compile(rf"^{p}([0-9]{{1,4}})$", re.IGNORECASE) for p in "BAU"}  # B1, A2, U1
_ENTRY_HINT = ("Write it as '- **Beslut B1:** …', '- [ ] **Åtgärd A1:** …', '- [x] **Uppföljning 2025-04-04-A1:** …' "
               "or '- **Uppskjutet U1:** …' (a list item with the marker in bold).")


def entry_field_match(line: str) -> re.Match[str] | None:
    """A field of the entry above the line ("  - Ansvarig: AU", also "  - **Senast:** …"
    and, for the known fields, "  - **Ansvarig: AU**")."""
    found = _ENTRY_FIELD_PLAIN.match(line)
    if found is None and "**" in line:
        found = _ENTRY_FIELD_BOLD.match(line) or _ENTRY_FIELD_BOLD_WHOLE.match(line)
    return found


def item_field(line: str) -> bool:
    """Whether a line is an item's presenter or material line ("Föredragande: …")."""
    return _ITEM_FIELD.match(line) is not None


def _midline(text: str) -> bool:
    return "**" in text and _MIDLINE_MARK.match(text) is not None
# Numbers, IDs and dates take ASCII digits only ([0-9], not \d, which also takes "٣"
# and "３": an "A٣" would be A3 to lgs but not to a reader).

_FULL_ID = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})-([ABU])([0-9]{1,4})$", re.IGNORECASE)

# The members used on every entry, as module globals: an enum member looked up on
# its class costs ≈ 70 ns more, several times an entry.
_DECISION, _ACTION, _FOLLOWUP, _DEFERRAL = EntryKind.DECISION, EntryKind.ACTION, EntryKind.FOLLOWUP, EntryKind.DEFERRAL
_CARRIED = FollowUpStatus.CARRIED
KIND_OF_MARKER = {
    "beslut": EntryKind.DECISION,
    "åtgärd": EntryKind.ACTION,
    "uppföljning": EntryKind.FOLLOWUP,
    "uppskjutet": EntryKind.DEFERRAL,
}
FIELDS_OF_KIND = {
    EntryKind.DECISION: {"ansvarig", "avser"},
    EntryKind.ACTION: {"ansvarig", "senast"},
    EntryKind.FOLLOWUP: {"status", "ansvarig", "senast"},
    EntryKind.DEFERRAL: {"till", "ansvarig"},
}
STATUS_WORDS = {
    "klar": FollowUpStatus.DONE,
    "klart": FollowUpStatus.DONE,
    "done": FollowUpStatus.DONE,
    "struken": FollowUpStatus.DROPPED,
    "struket": FollowUpStatus.DROPPED,
    "dropped": FollowUpStatus.DROPPED,
    "kvarstår": FollowUpStatus.CARRIED,
    "carried": FollowUpStatus.CARRIED,
}
# Words a secretary writes for a status, which are not read as one (LGS024 says which is meant).
STATUS_MEANT = {
    **dict.fromkeys(("pågår", "pågående", "fortsätter", "öppen", "ej klar", "inte klar", "ongoing", "open",
                     "in progress", "kvarstående", "återkommer"), FollowUpStatus.CARRIED),
    **dict.fromkeys(("avslutad", "avslutat", "genomförd", "genomfört", "utförd", "utfört", "färdig", "färdigt",
                     "levererad", "levererat", "completed", "closed", "finished"), FollowUpStatus.DONE),
    **dict.fromkeys(("utgår", "stryks", "avförd", "avfört", "strykes", "avbruten", "avbrutet", "cancelled",
                     "canceled", "skippad"), FollowUpStatus.DROPPED),
}


@text_memo
def normalize_id(text: str) -> str | None:
    """``2025-04-04-a1`` -> ``2025-04-04-A1``; None when it is not an ID."""
    m = _FULL_ID.match(text.strip())
    if not m:
        return None
    if parse_iso_date(m.group(1)) is None:
        return None
    return f"{m.group(1)}-{m.group(2).upper()}{int(m.group(3))}"


# " och " after a hyphen joins the parts of one name: "Hälso- och sjukvården".
_NAME_TOKEN = re.compile(r"[(),;]|(?<!-) och | samt ")


def split_names(text: str) -> list[str]:
    """Split "A, B och C (RGK)" into names, keeping parentheses together.

    Separators are ``,``, ``;``, `` och `` (not after a hyphen: "Barn- och
    utbildningsförvaltningen" is one name) and `` samt `` outside parentheses.
    Linear in the length of the text (a line may be 20,000 characters).
    """
    return list(_split_names[text])


@text_memo
def _split_names(text: str) -> tuple[str, ...]:
    parts: list[str] = []
    depth = 0
    start = 0
    for m in _NAME_TOKEN.finditer(text):
        token = m.group(0)
        if token == "(":
            depth += 1
        elif token == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            parts.append(text[start:m.start()])
            start = m.end()
    parts.append(text[start:])
    return tuple(" ".join(p.split()) for p in parts if p.strip())


@text_memo
def parse_due_text(text: str) -> Due | None:
    split = split_due(text)
    if split is None:
        return None
    value, label = split
    day = parse_iso_date(value)
    if day is not None:
        return Due(day.year, day.month, day.day, label)
    month = parse_month(value)
    if month is not None:
        return Due(month[0], month[1], None, label)
    return None


class _Reader:
    def __init__(self, path: Path, relpath: str) -> None:
        self.path = path
        self.relpath = relpath
        self.diagnostics: list[Diagnostic] = []
        self.want_digest = False  # read_text: set digest too (for the cache)
        self.digest: bytes | None = None  # of the bytes read (lgs_cli.cache.content_digest)
        # False when read_text found that the bytes have no control or bidi character
        self.maybe_unsafe = True
        self.decoded = False  # the text was decoded from UTF-8 by read_text (no surrogates)
        self.maybe_typography = False  # read_text: the bytes may have non-breaking spaces or hyphens
        self.fields_quiet_after = -1  # the line of an entry reported as not read: its field lines are not reported
        self.boxless: set[int] = set()  # the lines of follow-ups written without a checkbox
        self.lazy_line = -1  # the last line read as an entry's text continued without indentation

    def diag(self, line: int | None, code: str, message: str, hint: str | None = None) -> None:
        self.diagnostics.append(
            Diagnostic(self.relpath, line, code, default_severity(code), message, hint)
        )


_UTF16_32_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"),
)


def read_text(path: Path, relpath: str, reader: _Reader | None = None) -> tuple[str | None, list[Diagnostic]]:
    """Read a minutes file as text with bounded size; problems become diagnostics.

    UTF-8 with or without a byte-order mark; CRLF and lone CR line endings
    become LF (line numbers stay those of the file); the text is NFC-normalised.
    """
    r = reader or _Reader(path, relpath)
    raw, problem, _ = read_bounded(path)
    if raw is not None and r.want_digest:
        from .cache import content_digest  # noqa: PLC0415

        r.digest = content_digest(raw)
    if raw is None:
        hint = "Minutes are small text files; is this the right file?" if "too large" in (problem or "") else None
        r.diag(None, "LGS001", problem or "cannot read the file", hint)
        return None, r.diagnostics
    for bom, encoding in _UTF16_32_BOMS:
        if raw.startswith(bom):
            r.diag(1, "LGS001", f"the file is {encoding} text, not UTF-8 (it starts with a {encoding} byte-order mark)",
                   "Save the file as UTF-8 (in Notepad: Save as → Encoding: UTF-8).")
            return None, r.diagnostics
    nul = raw.find(b"\x00")
    if nul >= 0:
        line = raw[:nul].count(b"\n") + 1
        hint = "Is this a UTF-16 file or a binary file? Save it as UTF-8 text."
        r.diag(line, "LGS001", f"file contains NUL bytes (first on line {line})", hint)
        return None, r.diagnostics
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        byte = raw[exc.start]
        guess = ""
        try:
            raw.decode("cp1252")
            guess = f" It looks like Windows-1252/Latin-1 (ANSI) text, where 0x{byte:02x} is '{bytes([byte]).decode('cp1252')}'."
        except UnicodeDecodeError:
            pass
        r.diag(line, "LGS001",
               f"file is not valid UTF-8: byte 0x{byte:02x} on line {line}.{guess}",
               "Save the file as UTF-8 (in Notepad: Save as → Encoding: UTF-8).")
        return None, r.diagnostics
    # NFC: a file saved on a Mac (NFD, "A" + combining ring) must match the same
    # markers (**Åtgärd**), fields (Föredragande:) and names as one saved elsewhere.
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = nfc(text)
    # a search of the few bytes outside ASCII (after the byte-order mark decoding dropped)
    rest = non_ascii(raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw)
    r.maybe_unsafe = may_have_unsafe_chars(raw, rest)
    r.maybe_typography = has_typography_bytes(rest)  # Word's spaces and hyphens: plain ones in the body
    r.decoded = True
    for number, line_text in enumerate(text.split("\n") if len(text) > MAX_LINE_CHARS else (), start=1):
        if len(line_text) > MAX_LINE_CHARS:
            r.diag(number, "LGS001",
                   f"line {number} is {len(line_text):,} characters long (the limit is {MAX_LINE_CHARS:,})",
                   "Minutes are text with ordinary lines; is this the right file?")
            return None, r.diagnostics
    return text, r.diagnostics


def parse_meeting_file(path: Path, relpath: str, digest: list[bytes] | None = None,
                       ) -> tuple[Meeting, list[Diagnostic]]:
    """Parse one file; ``digest`` (a list) receives the content digest of the
    bytes parsed, when they could be read."""
    reader = _Reader(path, relpath)
    reader.want_digest = digest is not None
    meeting = Meeting(path=path, relpath=relpath, date=None, ok=False)
    text, _ = read_text(path, relpath, reader)
    if digest is not None and reader.digest is not None:
        digest.append(reader.digest)
    if text is None:
        return meeting, reader.diagnostics
    parse_meeting_text(text, meeting, reader)
    return meeting, reader.diagnostics


def parse_meeting_text(text: str, meeting: Meeting, reader: _Reader) -> None:
    if not reader.decoded:  # not from read_text, which normalises the text it reads
        text = nfc(text)
    # The text is NFC now, and so is every part of it (a part of an NFC text is NFC:
    # nothing in it composes that did not in the whole): the body's values are used
    # as they are. Front-matter values are normalised (YAML's escapes can make any).
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        if not text.strip():
            reader.diag(1, "LGS002", "the file is empty", "A meeting file starts with front matter between '---' lines.")
        else:
            named = re.match(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", Path(reader.relpath).name)
            reader.diag(1, "LGS002", "no front matter: the file must start with a line '---'",
                        "Start it with the header lgs reads, at least: '---', "
                        f"'date: {named.group(0) if named else 'YYYY-MM-DD'}', 'status: draft', "
                        "'secretary: not-recorded', 'attendees: not-recorded', '---' (one per line; "
                        "docs/format.md has the rest).")
        return
    end = None
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            end = i
            break
    if end is None:
        reader.diag(1, "LGS002", "front matter is not terminated: no closing '---' line",
                    "End the front matter with a line '---' before the meeting text.")
        return
    fm_text = "\n".join(lines[1:end])
    offset = 1  # YAML line 1 is file line 2
    # One search of the whole text for control and bidi characters (after one of the
    # bytes outside ASCII: read_text); only a text that has some (or a backslash:
    # YAML's escapes) needs the checks of each value and line.
    unsafe = reader.maybe_unsafe and has_unsafe_chars(text)
    try:
        data, fast = yamlsafe.load_telling(fm_text, line_offset=offset, checked=not unsafe and reader.decoded)
    except yamlsafe.YamlProblem as exc:
        reader.diag(exc.line or 1, "LGS002", f"front matter: {exc.message}", exc.hint)
        return
    if data is None:
        data = yamlsafe.LineDict()
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        reader.diag(2, "LGS002", f"front matter is {kind}, not a mapping of keys to values")
        return
    meeting.ok = True
    meeting.front_matter = data  # a LineDict: keeps the line of each key
    if fast:  # the cache keeps the text, read again by lgs's reader when used
        meeting.front_matter_text = fm_text
    meeting.key_lines = {str(k): v + offset for k, v in getattr(data, "lines", {}).items()}
    meeting.body_start_line = end + 2
    if unsafe or "\\" in fm_text:
        _check_unsafe_values(data, offset, reader)
    _read_front_matter(data, meeting, reader, offset)
    body = lines[end + 1:]
    if reader.maybe_typography if reader.decoded else has_typography(text):
        # Non-breaking spaces and hyphens (Word, e-mail) as plain ones: "-\u00a0[ ] **Åtgärd A1:**",
        # "2025\u201104\u201104-A1", "Magnus\u00a0och\u00a0Sandor" read as what they show. (Not in the
        # front matter, where YAML tells them apart: a name there is matched with any spaces.)
        body = plain_typography("\n".join(body)).split("\n")
    _read_body(body, end + 2, meeting, reader, unsafe=unsafe)


# -- front matter ---------------------------------------------------------------

def _has_unsafe(value: Any) -> bool:
    """True when a string anywhere in a YAML value holds control, escape or bidi characters
    (YAML's double-quoted escapes such as "\\e" or "\\u202e" can put them there)."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            if has_unsafe_chars(v):
                return True
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return False


def _check_unsafe_values(data: dict[Any, Any], offset: int, r: _Reader) -> None:
    lines = getattr(data, "lines", {})
    for key, value in data.items():
        if _has_unsafe(key) or _has_unsafe(value):
            line = lines.get(key)
            r.diag(line + offset if line else 2, "LGS030",
                   f"front matter '{key}' contains control or bidirectional characters",
                   "They are shown escaped; remove them from the file.")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, (str, int, float)):
        return nfc(str(value)).strip()
    return None


def _read_front_matter(data: dict[str, Any], m: Meeting, r: _Reader, offset: int) -> None:
    kl = m.key_lines

    def sub_lines(value: Any) -> list[int]:
        return [x + offset for x in getattr(value, "lines", [])] if isinstance(value, list) else []

    for key in data:
        if key not in FRONT_MATTER_KEYS:
            close = _closest(str(key), FRONT_MATTER_KEYS)
            hint: str | None = f"Did you mean '{close}'?" if close else f"Known keys: {', '.join(sorted(FRONT_MATTER_KEYS))}"
            if key == "time":
                hint = "Use start: \"11:00\" and end: \"15:00\"."
            r.diag(kl.get(str(key)), "LGS003", f"unknown front-matter key '{key}'", hint)
    for key in REQUIRED_KEYS:
        if key not in data:
            hint = None
            if key == "attendees":
                hint = "Write 'attendees: not-recorded' if the minutes have no attendance list."
            elif key == "secretary":
                hint = "Write 'secretary: not-recorded' if the minutes do not say."
            r.diag(2, "LGS005", f"required key '{key}' is missing", hint)

    raw_date = data.get("date")
    if raw_date is not None:
        parsed = parse_iso_date(str(raw_date)) if isinstance(raw_date, str) else None
        if parsed is None:
            r.diag(kl.get("date"), "LGS010", f"date '{raw_date}' is not a valid date (YYYY-MM-DD)")
        m.date = parsed
    m.date_inferred = _text(data.get("date_inferred"))
    for key in ("start", "end"):
        value = data.get(key)
        if value is None:
            continue
        raw = str(value) if not isinstance(value, bool) else ""
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 23:
            raw = f"{value}:00"
        t = parse_time(raw)
        if t is None:
            r.diag(kl.get(key), "LGS013", f"{key}: '{value}' is not a time (HH:MM)")
        setattr(m, key, t)
    if m.start and m.end and m.end <= m.start:
        r.diag(kl.get("end"), "LGS013", f"the meeting ends ({m.end}) before it starts ({m.start})")
    m.location = _checked_text(data, "location", m, r)
    m.source = _checked_text(data, "source", m, r)
    status = data.get("status")
    if status is not None:
        s = _text(status)
        if s is None or s.lower() not in STATUSES:
            r.diag(kl.get("status"), "LGS004", f"status '{status}' must be 'draft' or 'approved'")
        else:
            m.status = s.lower()
    m.approved_by = _checked_text(data, "approved_by", m, r)
    raw_on = data.get("approved_on")
    if raw_on is not None:
        if str(raw_on).strip() == NOT_RECORDED:
            m.approved_on = NOT_RECORDED
        else:
            parsed = parse_iso_date(str(raw_on)) if isinstance(raw_on, str) else None
            if parsed is None:
                r.diag(kl.get("approved_on"), "LGS010", f"approved_on '{raw_on}' is not a valid date")
            m.approved_on = parsed
    for key in ("chairs", "secretary", "justerare"):
        if key in data:
            setattr(m, key, _people_list(data[key], key, kl.get(key), sub_lines(data[key]), r))
    if "attendees" in data:
        m.attendees_declared = True
        value = data["attendees"]
        if isinstance(value, str) and value.strip() == NOT_RECORDED:
            m.attendees = None
        elif value is None:
            r.diag(kl.get("attendees"), "LGS004",
                   "attendees is empty: write 'attendees: []' if nobody came, or 'attendees: not-recorded'")
            m.attendees = None
        else:
            m.attendees = _attendee_list(value, "attendees", kl.get("attendees"), sub_lines(value), r)
    for key in ("guests", "absent", "deputies", "expected"):
        if key in data and data[key] is not None:
            value = data[key]
            setattr(m, key, _attendee_list(value, key, kl.get(key), sub_lines(value), r))
    if m.attendees and any(a.deputy_for for a in m.attendees):
        # "- Sofia Kumlin Rylow, Tingsryd, ersättare för Peter Magnusson" under attendees: a deputy
        # wherever listed (counted as one, and checked as one: LGS113)
        m.deputies = [*(a for a in m.attendees if a.deputy_for), *m.deputies]
        m.attendees = [a for a in m.attendees if not a.deputy_for]
    for dep in m.deputies:
        if not dep.deputy_for:
            r.diag(dep.line, "LGS004", f"deputy '{dep.name}' has no 'for:' (whom they stand in for)",
                   "Write '- Name, Organisation, ersättare för NAME' or the mapping form with 'for: NAME' "
                   "(docs/format.md).")
    if "corrections" in data and data["corrections"] is not None:
        value = data["corrections"]
        if not isinstance(value, list):
            r.diag(kl.get("corrections"), "LGS004", "corrections must be a list of {date, by, note}")
        else:
            for i, c in enumerate(value):
                line = sub_lines(value)[i] if i < len(sub_lines(value)) else kl.get("corrections")
                if not isinstance(c, dict):
                    r.diag(line, "LGS004", "a correction must be a mapping with date, by and note")
                    continue
                cdate = parse_iso_date(str(c.get("date", ""))) if c.get("date") is not None else None
                if cdate is None:
                    r.diag(line, "LGS010", "a correction needs a date" if c.get("date") is None
                           else f"correction date '{c.get('date')}' is not a valid date")
                m.corrections.append(Correction(cdate, _text(c.get("by")), _text(c.get("note"))))


def _checked_text(data: dict[str, Any], key: str, m: Meeting, r: _Reader) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    text = _text(value)
    if text is None:
        r.diag(m.key_lines.get(key), "LGS004", f"{key} must be text, not {_type_name(value)}")
    return text


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _people_list(value: Any, key: str, line: int | None, lines: list[int], r: _Reader) -> list[str] | str | None:
    if isinstance(value, str):
        if value.strip() == NOT_RECORDED:
            return NOT_RECORDED
        return [nfc(n) for n in split_names(value)]
    if isinstance(value, list):
        out = []
        for i, v in enumerate(value):
            text = _text(v)
            if text is None or isinstance(v, (int, float)):
                r.diag(lines[i] if i < len(lines) else line, "LGS004", f"{key}: '{v}' is not a name")
                continue
            out.append(text)
        return out
    if value is None:
        return []
    r.diag(line, "LGS004", f"{key} must be a list of names or '{NOT_RECORDED}', not {_type_name(value)}")
    return None


def _attendee_list(value: Any, key: str, line: int | None, lines: list[int], r: _Reader) -> list[Attendee]:
    if isinstance(value, str):
        r.diag(line, "LGS004", f"{key} must be a list" + (
            f" (or '{NOT_RECORDED}')" if key == "attendees" else ""))
        return []
    if not isinstance(value, list):
        r.diag(line, "LGS004", f"{key} must be a list, not {_type_name(value)}")
        return []
    out = []
    for i, v in enumerate(value):
        aline = lines[i] if i < len(lines) else line
        att = _attendee(v, key, aline, r)
        if att is not None:
            out.append(att)
    return out


def _split_outside_parentheses(text: str) -> list[str]:
    """Split at the commas that are not inside parentheses:
    "Name, Region Kronoberg (verksamhetsutvecklare, HSV)" is two parts."""
    if "(" not in text:  # the usual case
        return text.split(",")
    parts: list[str] = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


_DEPUTY_FOR = re.compile(r"^(?:ersättare|ers\.?)\s+för\s+(.+)$", re.IGNORECASE)
_FOR = re.compile(r"\bför\b", re.IGNORECASE)


@text_memo
def _attendee_fields(v: str) -> tuple[str, str | None, str | None, str | None, str | None] | None:
    """``(name, org, sector, note, deputy_for)`` of "Name, Organisation[, sector]";
    None when the name is empty."""
    # A note in parentheses after the name or the organisation ("Sofia Kumlin Rylow
    # (ersättare för Peter Magnusson), Tingsryd", "RGK (verksamhetsutvecklare)") is a
    # note, not part of it; "ersättare för NAME" (such a note or a part of its own)
    # says whom a deputy stands in for.
    text = nfc(v)
    parts = [p.strip() for p in _split_outside_parentheses(text)]
    name, notes = strip_note(parts[0]) if "(" in parts[0] else (parts[0], None)
    name = " ".join(name.split())
    fields: tuple[str, str | None, str | None, str | None, str | None] | None = None
    if name:
        org = parts[1] if len(parts) > 1 and parts[1] else None
        org_note = None
        if org is not None and "(" in org:
            org, org_note = strip_note(org)
        rest = [p for p in parts[2:] if p]
        deputy_for = None
        if _FOR.search(text):  # only then can a part say whom a deputy stands in for
            for part in (notes, org_note, *rest):
                found_for = _DEPUTY_FOR.match(part or "")
                if found_for:
                    deputy_for = found_for.group(1).strip()
            rest = [p for p in rest if not _DEPUTY_FOR.match(p)]
            notes, org_note = (n if n is None or not _DEPUTY_FOR.match(n) else None for n in (notes, org_note))
        note = "; ".join(n for n in (notes, org_note) if n) or None
        fields = (name, org or None, ", ".join(rest) or None, note, deputy_for)
    return fields


_ITEM_REF = re.compile(r"^(?:punkt(?:en)?|§)[ \t]*(?=[0-9])", re.IGNORECASE)


def _item_ref(text: str) -> str:
    """An item of partial attendance as its number: "Punkt 4", "§ 4", "4." are "4"."""
    return _ITEM_REF.sub("", text.strip()).rstrip(".").strip()


def _attendee(v: Any, key: str, line: int | None, r: _Reader) -> Attendee | None:
    if isinstance(v, str):
        fields = _attendee_fields[v]
        if fields is None:
            r.diag(line, "LGS004", f"{key}: empty name")
            return None
        name, org, sector, note, deputy_for = fields
        return Attendee(name, org, sector, None, None, note, deputy_for, line, org)
    if isinstance(v, dict):
        raw_name = v.get("name")
        mname = _text(raw_name)
        if isinstance(raw_name, (int, float)) and not isinstance(raw_name, bool):
            r.diag(line, "LGS004", f"{key}: name '{raw_name}' is a number, not a name",
                   "Write the person's name (put it in quotes if it really is a number).")
            return None
        if not mname:
            r.diag(line, "LGS004", f"{key}: each entry needs a name")
            return None
        for k in v:
            if k not in ATTENDEE_KEYS:
                r.diag(line, "LGS003", f"{key}: unknown key '{k}' for {mname}",
                       f"Known keys: {', '.join(sorted(ATTENDEE_KEYS))}")
        items = v.get("items")
        item_list: list[str] | None = None
        if items is not None:
            if isinstance(items, (str, int)) and not isinstance(items, bool):
                item_list = [_item_ref(str(items))]
            elif isinstance(items, list) and all(isinstance(x, (str, int)) for x in items):
                item_list = [_item_ref(str(x)) for x in items]
            else:
                r.diag(line, "LGS004", f"{key}: items for {mname} must be a list of item numbers")
        part = v.get("part")
        org = _text(v.get("org"))
        return Attendee(
            name=" ".join(mname.split()),
            org=org,
            org_written=org,
            sector=_text(v.get("sector")),
            items=item_list,
            part=str(part) if part is not None else None,
            note=_text(v.get("note")),
            deputy_for=_text(v.get("for")),
            line=line,
        )
    r.diag(line, "LGS004", f"{key}: expected 'Name, Organisation' or a mapping, not {_type_name(v)}")
    return None


def _closest(word: str, choices: set[str]) -> str | None:
    import difflib  # noqa: PLC0415 - only on errors

    found = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.75)
    return found[0] if found else None


# -- body -------------------------------------------------------------------------

def _read_body(lines: list[str], first_line: int, m: Meeting, r: _Reader, *, unsafe: bool) -> None:
    """``unsafe``: the file has control or bidi characters (somewhere)."""
    item: Item | None = None
    item_lines: list[str] = []
    preamble: list[str] = []
    in_fence = False
    in_comment: int | None = None  # the line an HTML comment over several lines was opened on
    conf_open: int | None = None
    entry: Entry | None = None
    entry_indent = 0
    entry_has_field = False
    entry_para = False  # the line before is the entry's text: an unindented line may continue it (_LAZY)
    fence_in_entry = False
    parents: list[tuple[Entry | None, int, bool]] = []  # the entries around ``entry``, innermost last
    used_locals: dict[str, int] = {}

    def finish_item() -> None:
        if item is not None:
            item.text = "\n".join(item_lines).strip("\n")

    # The confidential passage open (conf_open: the line it opened on), moved on by a marker on a
    # line of its own or written inside a line (LGS034); both only on lines with "<!--".
    def passage_marker(line: str, number: int) -> bool:
        """A line that is a passage's marker ("<!-- konfidentiellt -->" alone): read."""
        nonlocal conf_open
        if CONF_OPEN.match(line):
            if conf_open is not None:
                r.diag(number, "LGS025", f"confidential passage opened again (already open since line {conf_open})")
            conf_open = number
            return True
        if CONF_CLOSE.match(line):
            if conf_open is None:
                r.diag(number, "LGS025", "closing <!-- /konfidentiellt --> without an opening one")
            conf_open = None
            return True
        return False

    def inline_markers(line: str, number: int) -> bool:
        """Markers inside the line: reported, and read as opening or closing a passage."""
        nonlocal conf_open
        after = _inline_conf(line, number, r, conf_open is not None)
        if after is None:
            return False
        conf_open = (conf_open or number) if after else None
        return True

    # Most lines are narrative or blank: when no line has unsafe characters, a line
    # that cannot start anything (see _SPECIAL) outside an entry and a fence is
    # plain text of the item, found with one match instead of ten (bench/RESULTS.md).
    plain_ok = not unsafe or not has_unsafe_chars("\n".join(lines))
    for idx, raw in enumerate(lines):
        if plain_ok:
            if entry is None:
                if not in_fence and in_comment is None and not _SPECIAL.match(raw):
                    if _midline(raw):  # "Diskussion. **Beslut B2:** …"
                        _midline_mark(first_line + idx, r)
                    if "<!--" in raw:
                        inline_markers(raw, first_line + idx)
                    (item_lines if item else preamble).append(raw)
                    continue
            elif not raw or raw.isspace():  # a blank line inside an entry (never in a fence) continues it
                item_lines.append(raw)
                entry_para = False
                continue
        number = first_line + idx
        line = raw.rstrip()
        if not plain_ok and has_unsafe_chars(line):
            r.diag(number, "LGS030", "the line contains control or bidirectional characters",
                   "They are shown escaped; remove them from the file.")
        # An HTML comment (a block that starts with "<!--") hides its lines when the
        # minutes are shown: no entry, heading or field in it counts either.
        if in_comment is not None:
            (item_lines if item else preamble).append(raw)
            if "-->" in line:
                in_comment = None
            continue
        if "<!--" in line and not in_fence and opens_comment(line):
            in_comment = number
            (item_lines if item else preamble).append(raw)
            continue
        fence = FENCE.match(line) if "`" in line or "~" in line else None  # (markers.is_fence, inlined)
        if fence:
            in_fence = not in_fence
            if in_fence:  # a fence indented under an entry is part of it (its fields may follow)
                fence_in_entry = entry is not None and len(line) - len(line.lstrip()) > entry_indent
        if in_fence or fence:
            if not fence_in_entry and entry is not None:
                _finish_entries(entry, parents, r)
                entry = None
                parents.clear()
            (item_lines if item else preamble).append(raw)
            continue
        # An entry continues while lines are blank or indented deeper than its marker.
        # An entry inside an entry (an action under its decision) is an entry of its
        # own; the outer one continues after it (``parents``).
        handled = False
        while entry is not None:
            stripped = line.lstrip()
            indent = len(line) - len(stripped)
            if indent and "\t" in line[:indent]:  # a tab as the marker's indent counts it (4)
                indent = len(line[:indent].expandtabs(4))
            if (not stripped or indent > entry_indent) and not (
                    stripped[:1] == "#" and indent <= 3 and _numbered_item(stripped)):
                if "<!--" in line and not ("**" in line and _ENTRY.match(line)):  # (a nested entry: below)
                    if inline_markers(line, number):  # a passage inside the line: the entry is confidential
                        entry.confidential = True
                        line = _without_inline_passages(line)  # not in its fields either (Ansvarig: …)
                    elif passage_marker(line, number):
                        # a passage inside the entry: the entry is confidential (its text is hidden by
                        # --public), as are the entries after it until the passage closes
                        if conf_open is not None:
                            entry.confidential = True
                        handled = True
                        entry_para = False
                        break
                field_match = entry_field_match(line)
                if field_match and stripped:
                    _entry_field(entry, field_match.group("name"), field_match.group("value").strip(), number, r)
                    entry_has_field = True
                    handled = True
                elif not stripped or "**" not in line or not _ENTRY.match(line):
                    loose = _LOOSE_MARK.match(stripped) if stripped else None
                    if loose is not None and loose.group("id"):  # "- Åtgärd A2: …" under an entry
                        _loose_mark(number, r)
                    elif stripped and _field_like(line):  # "  • Senast: …", "  - Senast 2026-03-01"
                        _field_not_read(number, r)
                    elif stripped and not entry_has_field:
                        _more_text(entry, stripped, number, r)
                    handled = True
                    entry_para = bool(stripped)
                else:
                    parents.append((entry, entry_indent, entry_has_field))
                    entry = None
                break
            if entry_para and not entry_has_field and lazy_line(line, stripped):
                # The entry's text wrapped without indentation (an e-mail's line length): Markdown
                # reads the line as the same paragraph, and so does lgs; its fields follow.
                if "<!--" in line and inline_markers(line, number):
                    entry.confidential = True
                _more_text(entry, stripped, number, r)
                r.lazy_line = number
                handled = True
                break
            _finish_entry(entry, r)
            entry_para = False  # the entry around it (if any) has had other lines since its text
            if parents:  # the line may belong to the entry around this one
                entry, entry_indent, entry_has_field = parents.pop()
            else:
                entry = None
        if handled:
            item_lines.append(raw)
            continue
        # markers inside the line make it confidential (whatever it is: heading, field, entry)
        inline = "<!--" in line and inline_markers(line, number)
        if not inline and "<!--" in line and passage_marker(line, number):
            (item_lines if item else preamble).append(raw)
            continue
        if line[:1] == " " and line[1:4].lstrip(" ")[:1] == "#":  # up to three spaces before a heading
            line = line.lstrip(" ")
        heading = _item_heading[line] if line[:1] == "#" else None
        if "{" in line and line[:1] == "#" and (heading is None or isinstance(heading, bool)) \
                and conf_open is None and not (item is not None and item.confidential) \
                and _CONF_TAG.search(line) and _HEADING.match(line):  # (text already confidential is not reported)
            r.diag(number, "LGS034", "{konfidentiellt} marks an agenda item ('## …') only: this heading's text "
                   "is not confidential, and 'lgs show --public' shows it",
                   "Mark the passage with <!-- konfidentiellt --> … <!-- /konfidentiellt -->, "
                   "or put it in an agenda item of its own.")
        if heading is not None:
            if isinstance(heading, bool):  # a level-1 heading: text of the item
                preamble.append(raw) if item is None else item_lines.append(raw)
                if heading:
                    _loose_item(number, r)
                continue
            finish_item()
            item = Item(heading[0], heading[1], number)
            if heading[2] or conf_open is not None or inline:  # (a passage open: the title is in it)
                item.confidential = True
            m.items.append(item)
            item_lines = []
            continue
        marker = _ENTRY.match(line) if "**" in line else None  # the marker is bold
        if marker and not marker.group("rest").strip() and marker.group("box") is None \
                and _NO_ENTRY_AFTER.match(marker.group("text")):
            marker = None  # "- **Beslut** i kommunerna väntas i mars.": a bold word, no entry (no number, no colon)
        if marker:
            entry = _start_entry(marker, number, item, m, r, used_locals, conf_open is not None or inline)
            if entry is None:  # reported (no number, outside an item, a number used twice): not its fields too
                r.fields_quiet_after = number
            entry_indent = len(marker.group("indent").expandtabs(4))
            entry_has_field = False
            entry_para = True
            (item_lines if item else preamble).append(raw)
            continue
        if item is None:
            preamble.append(raw)
            _loose(line, number, r, lines[idx - 1] if idx else "")  # "##1. Mötets öppnande" before the first item
            continue
        item_lines.append(raw)
        fm = _ITEM_FIELD.match(line) if line[:1] in "FfUu*_" else None
        if fm:
            if inline:  # "Föredragande: A <!-- konfidentiellt -->…": the item is confidential
                item.confidential = True
            value = fm.group(3).strip()
            if fm.group("b") and value.endswith(fm.group("b")):  # "**Föredragande: Magnus**"
                value = value[:-2].rstrip()
            elif value[:2] in ("**", "__") and len(value) > 4 and value.endswith(value[:2]):  # "Underlag: **Rapport**"
                value = value[2:-2].strip()
            if fm.group(2).lower() == "underlag":
                if value:
                    item.material.append(value)
            else:
                item.presenters.extend(split_names(value))
            continue
        _loose(line, number, r, lines[idx - 1] if idx else "")
    _finish_entries(entry, parents, r)
    finish_item()
    m.preamble = "\n".join(preamble).strip("\n")
    if in_comment is not None:
        r.diag(in_comment, "LGS033", "this HTML comment is never closed with '-->': the rest of the file is hidden "
               "when the minutes are shown, and no entry in it counts",
               "Close the comment, or remove '<!--'.")
    if conf_open is not None:
        r.diag(conf_open, "LGS025", "confidential passage is never closed with <!-- /konfidentiellt -->")


def _loose(line: str, number: int, r: _Reader, before: str) -> None:
    """The findings for a line of an item (or before the first) that is no entry:
    an entry or an item heading written with a slip. "Beslut:" and "Åtgärd:" alone
    are flagged; "Uppföljning:" and "Uppskjutet:" are ordinary labels unless an ID
    follows them. ``before``: the line above it."""
    colon = ":" in line
    if colon:
        loose = _LOOSE_MARK.match(line.strip())  # the pattern ends with a colon
        if loose is not None and (loose.group("id")
                                  or loose.group("word").lower().startswith(("beslut", "åtg", "atg"))) \
                and not (line.lstrip()[:1] in "-*+" and (loose.group("id") or "").strip().isdigit()
                         and not loose.group("word").lower().startswith("beslut")):  # "- Åtgärd 1: …": a plan's list
            _loose_mark(number, r, loose.group("word"), line)
            return
        if _field_like(line) and (r.lazy_line == number - 1 or _ENTRY.match(before) or entry_field_match(before)):
            if _first_field(number, r):
                _field_not_read(number, r)  # "Senast: …" on the line after an entry, not indented under it
            return
    if line[:1] == "#":
        if _LOOSE_ITEM.match(line):
            _loose_item(number, r)
        return
    bold = "**" in line
    if bold and _HIDDEN_MARK.match(line):
        _hidden_mark(line, number, r)
    elif colon and _ORPHAN_FIELD.match(line):
        if _first_field(number, r):
            r.diag(number, "LGS027", "an entry's field, but no entry above it to belong to: it is in no report",
                   "Indent it under its entry ('  - Ansvarig: …' below '- [ ] **Åtgärd A1:** …'), with nothing "
                   "unindented between them.")
    elif bold and "-->" in line and line.lstrip()[:4] == "<!--":
        rest = line[line.index("-->", line.index("<!--") + 4) + 3:].strip()
        if _HIDDEN_MARK.match(rest):
            r.diag(number, "LGS027", "an entry after an HTML comment on the same line is not read (in Markdown "
                   "the whole line is HTML): it is in no report", "Put the comment on a line of its own.")
            r.fields_quiet_after = number
    elif (bold or "__" in line) and _BOLD_ITEM.match(line):
        _loose_item(number, r, line)
    elif _midline(line):
        _midline_mark(number, r)
    elif "--" in line and _SETEXT_UNDERLINE.match(line) and _NUMBERED_TITLE.match(before) \
            and r.lazy_line != number - 1:
        _loose_item(number - 1, r)  # "5. Budget" underlined: a heading in Markdown, not an agenda item


def _without_inline_passages(line: str) -> str:
    return redact_inline(line, False)[0]


def _inline_conf(line: str, number: int, r: _Reader, open_before: bool) -> bool | None:
    """LGS034 for a confidential marker written inside a line ("Text <!-- konfidentiellt
    --> hemligt <!-- /konfidentiellt -->"), which Markdown does not read as a passage.
    None when the line has none; else whether a passage is open after the line (lgs
    reads the markers anyway, so that --public hides what they were meant to hide)."""
    markers = inline_conf_markers(line)
    if not markers:
        return None
    r.diag(number, "LGS034", "'<!-- konfidentiellt -->' marks a passage only on a line of its own: inside a line "
           "Markdown does not read it (lgs hides the text for --public, but other tools publish it)",
           "Put <!-- konfidentiellt --> and <!-- /konfidentiellt --> on lines of their own, around the lines to "
           "keep out of 'lgs show --public'.")
    return open_after(markers, open_before)


def _midline_mark(number: int, r: _Reader, what: str = "an entry marker in the middle of a line") -> None:
    r.diag(number, "LGS027", f"{what} is not read: it is in no report",
           "Start the entry on a line of its own: '- **Beslut B1:** …'.")


def _more_text(entry: Entry, stripped: str, number: int, r: _Reader) -> None:
    """A line of an entry's text after its marker line (indented, or continued as
    Markdown continues a paragraph)."""
    entry.text = (entry.text + " " + stripped).strip()
    if _midline(stripped):  # "  Dessutom: **Åtgärd A1:** …"
        _midline_mark(number, r)


def _first_field(number: int, r: _Reader) -> bool:
    """Whether a field line not read is to be reported: not when the line above was
    reported already (the entry it belongs to, or a field of it)."""
    first = r.fields_quiet_after != number - 1
    r.fields_quiet_after = number
    return first


def _field_like(line: str) -> bool:
    """:data:`_FIELD_LIKE`, but not a line in italics as a whole: a note such as the
    one `lgs new-meeting` writes under a follow-up ("*Ansvarig: AU · Senast: …*")."""
    return _FIELD_LIKE.match(line) is not None and not line.rstrip().endswith(("*", "_"))


def _field_not_read(number: int, r: _Reader) -> None:
    r.diag(number, "LGS028", "this looks like a field of the entry above, but is not written as one: it is not read",
           "Write it as an indented list item under the entry's marker line: '  - Senast: 2025-05-09'.")


def _numbered_item(line: str) -> bool:
    """An agenda item heading with its number ("## 3. Budget"): one indented under an
    entry ends it (the secretary's item, though Markdown keeps it in the list item);
    "## Bakgrund" under an entry stays the entry's text, as in Markdown."""
    heading = _item_heading[line]
    return isinstance(heading, tuple) and heading[0] is not None


def lazy_line(line: str, stripped: str) -> bool:
    """Whether an unindented line after an entry's text continues it (_LAZY), and is
    not something lgs reads on its own: an entry written with a slip, a presenter
    or material line. (``lgs show`` asks too: it shows such a line once.)"""
    return (_LAZY.match(line) is not None
            and not ("**" in line and (_HIDDEN_MARK.match(line) or _BOLD_ITEM.match(line)))
            and not (":" in line and (_LOOSE_MARK.match(stripped) or _ITEM_FIELD.match(stripped)
                                      or _field_like(stripped))))


def _hidden_mark(line: str, number: int, r: _Reader) -> None:
    text = line.lstrip()
    if text[:1] == ">":
        why = "an entry inside a quote ('>') is not read"
    elif text[:1] == "|":
        why = "an entry inside a table is not read"
    elif "\\[" in text:
        why = "an escaped checkbox ('\\[ \\]', from a converter) is text, not a checkbox"
    elif "***" in text:
        why = "the marker is in bold italics ('***'); only bold ('**') is read"
    elif _HIDDEN_SYNONYM.search(text):
        why = "lgs reads deferred matters as 'Uppskjutet'"
    elif text[:1] in "-*+" and text[1:2] not in (" ", "\t"):
        why = "the bullet needs a space after it"
    else:
        why = "it is not written as a list item lgs reads ('- ' and the marker in bold)"
    r.diag(number, "LGS027", f"this looks like a decision, action, follow-up or deferred matter, but {why}: "
           "it is in no report", _ENTRY_HINT)
    r.fields_quiet_after = number


_HIDDEN_SYNONYM = re.compile(r"\*[ \t]*(?:Uppskjuten|Bordlag[dt])", re.IGNORECASE)


_NUMBERED_LIST = re.compile(r"^[ \t]*[0-9]{1,3}[.)][ \t]")


def _loose_mark(number: int, r: _Reader, word: str = "", line: str = "") -> None:
    r.fields_quiet_after = number
    synonym = word.lower() in ("uppskjuten", "bordlagt", "bordlagd")
    if synonym:
        said = f"'{word}' is not a marker lgs reads (a deferred matter is 'Uppskjutet'): it is in no report"
    elif _NUMBERED_LIST.match(line):  # "1) **Beslut B2:** …" from a numbered list in Word
        said = ("this looks like a decision, action, follow-up or deferred matter, but an item of a numbered list "
                "('1)', '1.') is not read as one: it is in no report")
    else:
        said = "this looks like a decision, action, follow-up or deferred matter but is not marked as one; " \
               "it is in no report"
    r.diag(number, "LGS027", said, _ENTRY_HINT)


def _loose_item(number: int, r: _Reader, line: str = "") -> None:
    title = re.sub(r"^(?:\*\*|__)[ \t]*|(?:\*\*|__)[ \t]*(?:<!--.*)?$", "", line.strip()).strip() if line else ""
    r.diag(number, "LGS032", "this looks like an agenda item heading but is not one; what follows belongs to "
           "the item before",
           f"Write it as an agenda item, a level-2 heading: '## {title}'." if title else
           "An agenda item is a level-2 heading with a space: '## 5. Title'.")


def _start_entry(marker: re.Match[str], number: int, item: Item | None, m: Meeting, r: _Reader,
                 used: dict[str, int], in_conf: bool) -> Entry | None:
    written, rest_written, text, box = marker.group(3, 4, 5, 2)
    kind, rest, found, colon = _marker[written, rest_written]
    text = text.strip()
    if text.startswith(":") and not colon:  # "**Beslut B1**: text"
        text = text[1:].strip()
    if item is None:
        r.diag(number, "LGS021", f"{written} outside an agenda item",
               "Put it under a '## …' item heading.")
        return None
    if found is None:
        if kind is _FOLLOWUP:
            r.diag(number, "LGS020", f"follow-up must name the ID it follows up, like 2025-04-04-A1 (found '{rest}')",
                   _followup_id_hint(rest))
        else:
            prefix = ENTRY_PREFIX[kind]
            r.diag(number, "LGS020",
                   f"{written} needs a number like {prefix}1 (found " + (f"'{rest}')" if rest else "none)"),
                   f"Write '**{written} {prefix}1:**'; numbers are unique within the meeting.")
        return None
    local = found
    if kind is not _FOLLOWUP:
        if local in used:
            r.diag(number, "LGS022", f"{local} is used twice in this meeting (first on line {used[local]})",
                   "This one is left out of every report until it has a number of its own.")
            return None
        used[local] = number
    if kind is _DECISION and box is not None:
        r.diag(number, "LGS026", "a decision has no checkbox; remove '[ ]'")
    elif kind is _ACTION and box is not None and box.lower() == "x":
        r.diag(number, "LGS026", "an action is '[ ]' in the meeting that raises it: '[x]' does not close it",
               "A follow-up at a later meeting closes it (Status: klar). Done at the meeting itself? "
               "Then it is not an action: write it as a decision or as text.")
    if _midline(text):
        _midline_mark(number, r, "a second entry marker on an entry's line")
    entry = Entry(kind, local, text, number, m.date, item.number, item.title)
    if box is not None and box.lower() == "x":
        entry.checked = True
    elif box is None and kind is _FOLLOWUP:
        r.boxless.add(number)
    if in_conf or item.confidential:
        entry.confidential = True
    item.entries.append(entry)
    return entry


_DASHES = "\u2010\u2012\u2013\u2014\u2015\u2212"  # hyphen, figure/en/em dash, bar, minus: not "-"
_FOLLOWUP_ID_HINT = "Write '**Uppföljning 2025-04-04-A1:**' with the action's ID; 'lgs actions --open' lists them."


def _followup_id_hint(rest: str) -> str:
    """What is wrong with a follow-up's ID that is none (LGS020)."""
    plain = " ".join(rest.split()).rstrip(":").strip()  # (runs of spaces as one: no backtracking over them)
    if len(plain) > 40:  # no slip of an ID: a sentence
        return _FOLLOWUP_ID_HINT
    fixed = plain.translate({ord(c): "-" for c in _DASHES})
    if fixed != plain and normalize_id[fixed] is not None:
        return (f"It has dashes (–, as Word writes them) where the ID has hyphens (-): write '{fixed}'.")
    spaced = re.fullmatch(r"([0-9]{4}-[0-9]{2}-[0-9]{2}) ?-? ?([ABUabu] ?[0-9]{1,4})", fixed)
    if spaced and normalize_id[f"{spaced.group(1)}-{spaced.group(2).replace(' ', '')}"] is not None:
        return f"Write it without spaces: '{spaced.group(1)}-{spaced.group(2).replace(' ', '').upper()}'."
    if re.fullmatch(r"[ABUabu] ?[0-9]{1,4}", fixed):
        return ("Write the full ID: the date of the meeting that raised the action, then its number "
                f"('2025-04-04-{fixed.replace(' ', '').upper()}'); 'lgs actions --open' lists them.")
    return _FOLLOWUP_ID_HINT


@text_memo
def _marker(written: str, rest_written: str) -> tuple[EntryKind, str, str | None, bool]:
    """An entry marker's kind, what follows its word (for messages), its local number
    ("A3", also for "a03") or, for a follow-up, the ID it follows up (None when it has
    none), and whether the bold part ends with a colon. Kept for the run."""
    kind = KIND_OF_MARKER[written.lower()]
    rest = rest_written.strip().rstrip(":").strip()
    if kind is _FOLLOWUP:
        found = normalize_id(rest)
    else:
        prefix = ENTRY_PREFIX[kind]
        lm = _LOCAL_NUMBER[prefix].match(rest)
        found = f"{prefix}{int(lm.group(1))}" if lm else None
    return kind, rest, found, rest_written.rstrip().endswith(":")


def _entry_field(entry: Entry | None, name: str, value: str, number: int, r: _Reader) -> None:
    if entry is None:
        return
    key = sys.intern(name.lower())  # interned: one copy in every cache record (lgs_cli.cache)
    allowed = FIELDS_OF_KIND[entry.kind]
    if key not in allowed:
        known = {"ansvarig", "senast", "status", "till", "avser"}
        if key in known:
            fields = f"Fields of {_a(entry.kind.value)}: {', '.join(sorted(k.capitalize() for k in allowed))}"
            if key == "till" and entry.kind is _FOLLOWUP:  # carrying a deferred matter to a new meeting
                fields += ". A follow-up gives a new date with 'Senast:', for a deferred matter too."
            r.diag(number, "LGS020", f"'{name}:' does not belong to {_a(entry.kind.value)}", fields)
        else:
            r.diag(number, "LGS028", f"unknown field '{name}:' in {entry.id}",
                   f"Fields of {_a(entry.kind.value)}: {', '.join(sorted(k.capitalize() for k in allowed))}")
        return
    if key in entry.fields:
        r.diag(number, "LGS020", f"'{name}:' given twice in {entry.id} (first on line {entry.fields[key]})")
        return
    entry.fields[key] = number
    if "**" in value or "__" in value:  # "Ansvarig: **AU**", "**AU**, **RGK**", "**2026-03** (marsmötet)" (Word)
        value = value.replace("**", "").replace("__", "").strip()
    if len(value) > 2 and value[0] in "*_" and value[-1] == value[0]:  # "*AU*"
        value = value[1:-1].strip()
    if key == "ansvarig":
        entry.owners = split_names(value)
    elif key in ("senast", "till"):
        due = parse_due_text[value]
        lead = _DUE_AND_WORDS.match(value) if due is None else None
        dated = parse_due_text[lead.group(1)] if lead is not None else None
        if lead is not None and dated is not None:  # "2026-09-04 efter sommaren"
            # read as the date it plainly is (the words its label), and reported
            due = dataclasses.replace(dated, label=lead.group(2).strip())
            r.diag(number, "LGS023", f"'{name}: {value}' has words after its date that are not in parentheses",
                   f"Write '{lead.group(1)} ({lead.group(2).strip()})'.")
        elif due is None:
            said = _PAREN_WORDS.search(value)  # "4/9 (septembermötet)": the words are the label
            label = said.group(1).strip() if said and re.search(r"[^\W\d_]", said.group(1)) else value.rstrip(".")
            iso_shaped = re.fullmatch(r"[0-9]{4}-[0-9]{2}(?:-[0-9]{2})?", value.split("(")[0].strip())
            guess = None if iso_shaped else _due_guess(value, entry.meeting_date)
            if iso_shaped:  # "2026-12-32", "2026-13"
                hint = f"'{iso_shaped.group(0)}' is no day or month of the calendar: correct it."
            elif guess:
                hint = f"Write '{guess} ({label})'?" if re.search(r"[^\W\d_]", value) else f"Write '{guess}'?"
            else:
                hint = "Write e.g. '2025-05-09 (ledningsgruppen 9 maj)' or '2023-11 (novembermötet)'."
            r.diag(number, "LGS023", f"'{name}: {value}' is not a date (YYYY-MM-DD) or month (YYYY-MM)", hint)
        entry.due = due
        if due is None and value:  # shown as written, never dropped (lgs show, lgs actions)
            entry.due_written = value
    elif key == "status":
        status = STATUS_WORDS.get(value.strip().lower().rstrip("."))
        if status is None:
            first = value.strip().lower().replace(",", " ").replace(";", " ").split()
            word = first[0].rstrip(".") if first else ""
            meant = STATUS_MEANT.get(value.strip().lower().rstrip("."))  # (the whole value: "pågår ej" is not)
            hint = (f"Write the status word alone ('Status: {word}') and the rest in the follow-up's text "
                    "(a new date as 'Senast:')." if word in STATUS_WORDS else
                    f"'{value.strip()}' is read as no status; if it means {meant.value}, write 'Status: {meant.value}'."
                    if meant is not None else "Write 'Status: klar' (done), 'struken' (dropped) or 'kvarstår' "
                    "(carried forward).")
            r.diag(number, "LGS024", f"status '{value}' must be klar, struken or kvarstår", hint)
        entry.status = status
    elif key == "avser":
        for ref in split_names(value):
            normalized = normalize_id[ref]
            if normalized is None:
                r.diag(number, "LGS020", f"'Avser: {ref}' is not an ID like 2024-05-03-U1")
            else:
                entry.refers.append(normalized)


# A due date followed by words without their parentheses: "2026-09-04 efter sommaren", "2026-03, marsmötet".
_DUE_AND_WORDS = re.compile(r"^([0-9]{4}-[0-9]{2}(?:-[0-9]{2})?)(?:[ \t]*+[,;:–-])?[ \t]++([^\s(].*)$")


def _a(noun: str) -> str:
    """"a decision", "an action"."""
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def _due_guess(value: str, meeting: dt.date | None) -> str | None:
    """The ISO date a due date written in words probably means ("6 februari" after
    the meeting, "2026-2-6", "2026-02-06."), for the hint; None when unsure. Only
    for a value that is reported: dateparser is imported then, never otherwise."""
    from .dates import parse_human_date  # noqa: PLC0415
    from .errors import UsageError  # noqa: PLC0415

    text = _PAREN_WORDS.sub(" ", value).strip().rstrip(".").strip().lower()  # "4/9 (septembermötet)"
    if not text or len(text) > 40 or re.search(r"[0-9]", "".join(_PAREN_WORDS.findall(value))):
        return None  # (a number in the parentheses: the words say more than a guess could)
    after = meeting or dt.date.today()
    week = _WEEK_WORDS.fullmatch(text)  # "v. 14", "vecka 50": the week's Friday (docs/format.md)
    if week is not None:
        # (week 53: the next year that has one, within the next six)
        years = (int(week.group(2)),) if week.group(2) else tuple(range(after.year, after.year + 7))
        for y in years:
            try:
                friday = dt.date.fromisocalendar(y, int(week.group(1)), 5)
            except ValueError:  # week 53 of a year without one
                continue
            if friday >= after or week.group(2):
                return friday.isoformat()
        return None
    said = re.fullmatch(_MONTH_OR_SEASON, text)  # "i september", "december 2026", "2026 december", "innan sommaren"
    if said is not None:
        name = said.group("name")
        month = MONTHS_SV.index(name[:-len("mötet")] if name.endswith("mötet") else name) + 1 \
            if name not in _SEASONS else _SEASONS[name]
        stated = said.group("year") or said.group("year_first")
        year = int(stated) if stated else after.year + (1 if month < after.month else 0)
        return f"{year:04d}-{month:02d}"
    if not re.search(r"\d", text):
        return None
    try:
        day = parse_human_date(text, option="Senast", today=after, prefer_future=True)
    except UsageError:
        return None
    if not after <= day <= after + dt.timedelta(days=3 * 366):  # "9/13" read as 2013: no deadline here
        return None
    return day.isoformat()


_PAREN_WORDS = re.compile(r"\(([^()]*)\)")  # (linear: whether it holds words is asked after)
_WEEK_WORDS = re.compile(r"(?:v\.?|vecka|week)[ \t]*([0-9]{1,2})(?:[ \t,]+([0-9]{4}))?")
# Deadlines said by season: the month of the meeting that means (June before the summer break,
# September after it, December before Christmas).
_SEASONS = {"innan sommaren": 6, "före sommaren": 6, "till sommaren": 6, "efter sommaren": 9,
            "till hösten": 9, "i höst": 9, "innan jul": 12, "före jul": 12}
# One month (or its meeting) or one season, nothing more: "i september", "till septembermötet",
# "december 2026", "2026 december", "innan sommaren 2027" (not "mars/april", "inte i maj", "majoriteten").
# A pattern's text: compiled (by re, once) only when a deadline in words is reported.
_MONTH_OR_SEASON = (
    r"(?:(?P<year_first>[0-9]{4})[ \t]+)?(?:(?:i|till|senast|under|inför|innan)[ \t]+)?"
    rf"(?P<name>(?:{'|'.join(MONTHS_SV)})(?:mötet)?|{'|'.join(_SEASONS)})(?:[ \t]+(?P<year>[0-9]{{4}}))?")


def _finish_entries(entry: Entry | None, parents: list[tuple[Entry | None, int, bool]], r: _Reader) -> None:
    """:func:`_finish_entry` for an entry and the entries around it, innermost first."""
    _finish_entry(entry, r)
    for outer, _, _ in reversed(parents):
        _finish_entry(outer, r)


def _finish_entry(entry: Entry | None, r: _Reader) -> None:
    if entry is None:
        return
    if entry.kind is _FOLLOWUP:
        if entry.status is None and "status" not in entry.fields:
            r.diag(entry.line, "LGS024", f"follow-up of {entry.local} has no 'Status:' (klar, struken or kvarstår)")
        elif entry.status is not None:
            closed = entry.status is not _CARRIED
            if closed and entry.line in r.boxless:
                r.diag(entry.line, "LGS026", f"the follow-up has no checkbox; its status is {entry.status.value}",
                       "Write '- [x] **Uppföljning …'; [x] for klar and struken, [ ] for kvarstår.")
            elif closed != entry.checked:
                r.diag(entry.line, "LGS026",
                       f"checkbox is {'[x]' if entry.checked else '[ ]'} but the status is {entry.status.value}",
                       "Use [x] for klar and struken, [ ] for kvarstår.")
    if entry.kind in (_DECISION, _ACTION) and not entry.owners:
        code = "LGS101" if entry.kind is _DECISION else "LGS102"
        what = "decision" if entry.kind is _DECISION else "action"
        r.diag(entry.line, code, f"{what} {entry.id} has no owner",
               "Add an indented line '  - Ansvarig: <person, organisation or group>'.")
    if entry.kind is _DEFERRAL and entry.due is None and "till" not in entry.fields:
        r.diag(entry.line, "LGS029", f"deferred matter {entry.id} has no 'Till:' (the meeting it is deferred to)")
