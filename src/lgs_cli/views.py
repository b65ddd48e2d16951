"""Views for ``lgs meetings`` and ``lgs show``: core results to reports and lines."""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Callable
from functools import partial
from typing import Any

from .archive import Archive
from .archive import find_meeting as _find_meeting
from .markers import CONF_CLOSE, CONF_OPEN, inline_conf_markers, is_fence, opens_comment, redact_inline
from .model import NOT_RECORDED, Attendee, Entry, EntryKind, Meeting
from .names import md_escape, sanitize
from .output import Column, Report, make_console
from .roster import MEMBER_KINDS


def _count(value: Any) -> str:
    return "not recorded" if value is None else str(value)


def meetings_report(archive: Archive) -> Report:
    records = []
    for m in archive.meetings:
        if not m.ok:
            continue
        n = m.counts()
        records.append({
            "date": m.date.isoformat() if m.date else None,
            "date_inferred": m.date_inferred is not None,
            "path": m.relpath,
            "start": m.start,
            "end": m.end,
            "location": m.location,
            "status": m.status,
            "items": n.items,
            "decisions": n.decisions,
            "actions": n.actions,
            "followups": n.followups,
            "deferred": n.deferrals,
            "attendees": n.attendees,
            "attendance_recorded": n.attendees is not None,
        })
    columns = [
        Column("date", "Date", fmt=lambda v: v or "?", min_width=10),
        Column("location", "Location", wrap=True, min_width=12),
        Column("status", "Status", fmt=lambda v: v or "?"),
        Column("items", "Items", justify="right"),
        Column("decisions", "Decisions", justify="right"),
        Column("actions", "Actions", justify="right"),
        Column("attendees", "Attendees", fmt=_count, justify="right"),
    ]
    return Report(records, columns, empty_message="No meetings in the archive.",
                  summary=f"{len(records)} meeting(s)")


def find_meeting(archive: Archive, text: str) -> Meeting:
    """``lgs show DATE`` / ``lgs approve DATE``: see :func:`lgs_cli.archive.find_meeting`."""
    return _find_meeting(archive, text, option="DATE")


def _approval(m: Meeting) -> str:
    if m.status != "approved":
        return ""
    by = m.approved_by if m.approved_by and m.approved_by != NOT_RECORDED else None
    on = m.approved_on.isoformat() if isinstance(m.approved_on, dt.date) else None
    if by and on:
        return f" av {by}, {on}"
    if by:
        return f" av {by} (datum ej angivet)"
    if on:
        return f" {on}"
    return " (vem och när ej angivet i källan)"


def _people(value: list[str] | str | None) -> str:
    if value is None:
        return ""
    if value == NOT_RECORDED:
        return "(ej angivet i källan)"
    return ", ".join(value)


def _att(a: Attendee, *, in_org_line: bool = False) -> str:
    """An attendee as ``show`` lists them: name, organisation and, in brackets,
    sector, partial attendance, whom a deputy stands in for and the note. In an
    organisation's line (``in_org_line``), the name and what is particular to the
    meeting only (the line names the organisation; the sector is the person's)."""
    parts = [a.name]
    if a.org and not in_org_line:
        parts[0] += f", {a.org}"
    extra = []
    if a.sector and not in_org_line:
        extra.append(a.sector)
    if a.items:
        extra.append("punkt " + ", ".join(a.items))
    if a.part:
        extra.append(f"del {a.part}")
    if a.deputy_for:
        extra.append(f"ersättare för {a.deputy_for}")
    if a.note:
        extra.append(a.note)
    return parts[0] + (f" ({'; '.join(extra)})" if extra else "")


ENTRY_LABEL = {
    EntryKind.DECISION: "Beslut",
    EntryKind.ACTION: "Åtgärd",
    EntryKind.FOLLOWUP: "Uppföljning",
    EntryKind.DEFERRAL: "Uppskjutet",
}


def meeting_lines(m: Meeting, archive: Archive, *, public: bool = False) -> list[tuple[str, str]]:
    """The meeting as (style, text) lines; styles: title, meta, heading, field,
    text, decision, action, followup, deferral, detail, note."""
    out: list[tuple[str, str]] = []
    title = f"Ledningsgrupp för samordning – {m.date.isoformat() if m.date else '?'}"
    out.append(("title", title))
    when = " – ".join(x for x in (m.start, m.end) if x)
    meta = [
        ("Status", {"approved": "justerat", "draft": "utkast"}.get(m.status or "", "?") + _approval(m)),
        ("Datum", (m.date.isoformat() if m.date else "?") + (f", kl {when}" if when else "")),
        ("Datum härlett", m.date_inferred or ""),
        ("Plats", m.location or ""),
        ("Ordförande", _people(m.chairs)),
        ("Sekreterare", _people(m.secretary)),
        ("Justerare", _people(m.justerare)),
    ]
    for label, value in meta:
        if value:
            out.append(("meta", f"{label}: {value}"))
    if m.corrections:  # part of the approved record: what was corrected after approval
        out.append(("meta", f"Rättelser ({len(m.corrections)}):"))
        for c in m.corrections:
            when = c.date.isoformat() if c.date else "datum ej angivet"
            out.append(("detail", f"  {when}" + (f", {c.by}" if c.by else "") + (f": {c.note}" if c.note else "")))
    if m.attendees is None:
        out.append(("meta", "Närvarande: (ingen närvarolista i anteckningarna)"))
    else:
        # deputies stand in for a member: they are there, in their organisation's line
        out.append(("meta", f"Närvarande ({len(m.attendees) + len(m.deputies)}):"))
        by_org: dict[str, list[str]] = {}
        for a in [*m.attendees, *m.deputies]:
            by_org.setdefault(a.org or "?", []).append(_att(a, in_org_line=True) if a.org else _att(a))
        order = {org: i for i, org in enumerate(archive.roster.organisations)}
        for org, o in archive.roster.organisations.items():
            if o.kind in MEMBER_KINDS:  # an organisation outside the group (extern) is never missing
                by_org.setdefault(org, [])
        for org, names in sorted(by_org.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])):
            out.append(("detail", f"  {org}: {', '.join(names) if names else '(ingen)'}"))
    for label, people in (("Gäster", m.guests), ("Anmält förhinder", m.absent)):
        if people:
            out.append(("meta", f"{label}: " + "; ".join(_att(a) for a in people)))
    preamble = [ln for ln in _strip_markers(m.preamble, public) if not ln.startswith("# ")]
    if any(ln.strip() for ln in preamble):
        out.append(("text", ""))
        for line in _strip_markers("\n".join(preamble), public):
            out.append(("text", line))
    hidden = 0
    for item in m.items:
        out.append(("text", ""))
        if public and item.confidential:
            hidden += 1
            # the title may itself be confidential: only the number is shown
            out.append(("heading", f"{item.number}. (konfidentiellt – utelämnat)" if item.number
                        else "(konfidentiellt – utelämnat)"))
            continue
        out.append(("heading", item.label + (" [konfidentiellt]" if item.confidential else "")))
        from .parse import entry_field_match, item_field, lazy_line  # noqa: PLC0415 - the parser's own reading of an entry's lines

        by_tag: dict[str, list[Entry]] = {}  # an entry's marker -> the entries with it, in order
        for e in item.entries:
            by_tag.setdefault(f"{ENTRY_LABEL[e.kind]} {e.local}".lower(), []).append(e)
        # an entry in a passage left out keeps its place (its text is "(konfidentiellt)", as in the listings)
        body = [ln for ln in _strip_markers(item.text, public, partial(_starts_entry, by_tag)) if ln is not None]
        shown_entries: set[int] = set()
        skip_indented = False
        lazy = False  # the entry's text may still go on unindented, as the parser reads it (parse.lazy_line)
        for ln in body:
            stripped = ln.strip()
            if skip_indented and (not stripped or ln.startswith((" ", "\t"))):
                if not stripped:
                    skip_indented = False
                    out.append(("text", ""))
                    continue
                nested = _entry_at(by_tag, stripped, shown_entries)  # an action indented under a decision
                if nested is not None:
                    shown_entries.add(nested.line)
                    out.extend(_entry_lines(nested, public))
                    lazy = True
                elif entry_field_match(ln) is not None:
                    lazy = False
                continue
            if skip_indented and lazy and lazy_line(ln, ln.lstrip()):
                continue  # shown as the entry's text
            skip_indented = False
            entry = _entry_at(by_tag, stripped, shown_entries)
            if entry is not None:
                shown_entries.add(entry.line)
                out.extend(_entry_lines(entry, public))
                skip_indented = lazy = True
                continue
            if isinstance(ln, _HiddenLine):  # (an entry shown already: its line is confidential text)
                continue
            if item_field(stripped):  # "Föredragande: …", "**Underlag:** …", as the parser reads them
                out.append(("field", stripped))
            else:
                out.append(("text", ln))
        for e in item.entries:
            if e.line not in shown_entries:
                out.extend(_entry_lines(e, public))
    if public and hidden:
        out.append(("note", f"{hidden} confidential item(s) left out."))
    return out


def _entry_at(by_tag: dict[str, list[Entry]], stripped: str, shown: set[int]) -> Entry | None:
    """The first entry not shown yet whose marker starts this line, a list item
    ("- [ ] **Åtgärd A2:** …"; two follow-ups of one action in a meeting have the
    same marker: each is shown in its place). A marker elsewhere in a line ("som
    sagt under **Åtgärd A2**") is text. One dict lookup a line."""
    if stripped[:1] not in ("-", "*", "+"):
        return None
    start = stripped.find("**")
    if start < 0 or stripped[1:start].strip(" \t[]xX"):  # only "- ", "- [ ] " before the marker
        return None
    end = stripped.find("**", start + 2)
    head = stripped[start + 2:end if end >= 0 else None].rstrip(" :").lower()
    for e in by_tag.get(" ".join(head.split()), ()):
        if e.line not in shown:
            return e
    return None


def _starts_entry(by_tag: dict[str, list[Entry]], line: str) -> bool:
    return _entry_at(by_tag, line.strip(), set()) is not None


def _entry_lines(e: Entry, public: bool) -> list[tuple[str, str]]:
    text = "(konfidentiellt)" if public and e.confidential else e.text
    style = e.kind.value
    box = ""
    if e.kind is EntryKind.ACTION:
        box = "[ ] "
    elif e.kind is EntryKind.FOLLOWUP:
        box = "[x] " if e.checked else "[ ] "
    label = f"{box}{ENTRY_LABEL[e.kind]} {e.id}: {text}"
    lines = [(style, "  " + label)]
    if e.owners:
        lines.append(("detail", "      Ansvarig: " + ", ".join(e.owners)))
    due = e.due.display() if e.due else e.due_written  # (as written when it is no date: LGS023)
    if due:
        lines.append(("detail", ("      Till: " if e.kind is EntryKind.DEFERRAL else "      Senast: ") + due))
    if e.status:
        lines.append(("detail", "      Status: " + e.status.value))
    if e.refers:
        lines.append(("detail", "      Avser: " + ", ".join(e.refers)))
    return lines


_HTML_COMMENT = re.compile(r"^\s*<!--.*-->\s*$")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*([^*\s][^*]*?)\*(?![*\w])")
_LIST = re.compile(r"^(\s*(?:[-*+]|[0-9]+[.)])\s+)")


def _plain(text: str) -> str:
    """Markdown emphasis to plain text for the terminal (the markers are noise there)."""
    return _ITALIC.sub(r"\1", _BOLD.sub(r"\1", text))


class _HiddenLine(str):
    """A line of a confidential passage kept for the entry it starts: shown as
    that entry (without its text), never as text."""

    __slots__ = ()


def has_confidential(m: Meeting, secret: set[str] | frozenset[str] = frozenset()) -> bool:
    """Does the meeting hold anything confidential: an item, an entry or a passage
    (``<!-- konfidentiellt -->``, also inline) marked so, or a follow-up of an entry
    in ``secret`` (the confidential actions and matters: ``review.confidential_ids``)?
    For the hint that a shared rendering holds it."""
    from .review import tells_of_confidential  # noqa: PLC0415

    if any(item.confidential or any(e.confidential or tells_of_confidential(e, secret) for e in item.entries)
           for item in m.items):
        return True
    return any(CONF_OPEN.match(ln) or any(opening for _, _, opening in inline_conf_markers(ln))
               for text in (m.preamble, *(item.text for item in m.items)) if "<!--" in text
               for ln in text.split("\n") if "<!--" in ln)


def _strip_markers(text: str, public: bool, entry_line: Callable[[str], bool] | None = None) -> list[str]:
    """The lines of an item's text to show: without HTML comments (of one line or
    several) and the confidential markers, read as the parser reads them
    (lgs_cli.markers: not inside a code fence); with ``public``, without the
    confidential passages, but for the lines that start an entry there
    (``entry_line``: the entry is shown in its place, without its text)."""
    out = []
    hidden = False
    in_comment = False
    in_fence = False
    for ln in text.split("\n"):
        if in_comment:
            in_comment = "-->" not in ln
            continue
        if not in_fence and opens_comment(ln):
            in_comment = True
            continue
        fence = is_fence(ln)
        if fence:
            in_fence = not in_fence
        elif not in_fence:
            if CONF_OPEN.match(ln):
                hidden = public
                if public:  # indented as the marker: inside an entry, it is part of the entry (not shown)
                    out.append(ln[:len(ln) - len(ln.lstrip())] + "(konfidentiellt avsnitt utelämnat)")
                continue
            if CONF_CLOSE.match(ln):
                hidden = False
                continue
        if hidden:
            closed_here = not in_fence and "<!--" in ln and inline_conf_markers(ln)
            if not closed_here:
                if entry_line is not None and not in_fence and entry_line(ln):
                    out.append(_HiddenLine(ln))
                continue
            ln, hidden = redact_inline(ln, True)  # "… <!-- /konfidentiellt --> open text": the rest is shown
            if hidden:
                continue
        elif public and not in_fence and "<!--" in ln:
            # a marker inside a line hides nothing in Markdown (lgs check: LGS034); --public hides it anyway,
            # on to its close (a later line's, if it is not closed on this one)
            ln, hidden = redact_inline(ln, False)
        if not in_fence and not fence and _HTML_COMMENT.match(ln):  # instructions to the secretary, not minutes
            continue
        out.append(ln)
    # collapse runs of blank lines
    collapsed: list[str] = []
    for ln in out:
        if not ln.strip() and collapsed and not collapsed[-1].strip():
            continue
        collapsed.append(ln)
    while collapsed and not collapsed[0].strip():
        collapsed.pop(0)
    return collapsed


STYLES = {
    "title": "bold",
    "meta": "",
    "heading": "bold cyan",
    "field": "italic",
    "text": "",
    "decision": "bold green",
    "action": "bold yellow",
    "followup": "bold magenta",
    "deferral": "bold blue",
    "detail": "dim",
    "note": "italic",
}


_NO_HTML = re.compile(r"([<>])")
_LEAD = re.compile(r"^\s*(?:[-*+] )?")


def render_lines(lines: list[tuple[str, str]], *, markdown: bool = False) -> None:
    if markdown:
        # What lgs writes (title, headings, entries) is inert text; the minutes' own
        # text is Markdown and stays so, but without raw HTML.
        for n, (style, text) in enumerate(lines):
            if style == "title":
                sys.stdout.write(f"# {md_escape(text)}\n\n")
            elif style == "heading":
                sys.stdout.write(f"\n## {md_escape(text)}\n")
            elif style in ("decision", "action", "followup", "deferral"):
                sys.stdout.write(f"- **{md_escape(text.strip())}**\n")
            elif style == "detail":
                sys.stdout.write(f"  - {md_escape(text.strip())}\n")
            elif style in ("text", "field"):
                # "Föredragande: …" over "Underlag: …": two lines, not one paragraph (a hard line break)
                brk = "\\" if style == "field" and n + 1 < len(lines) and lines[n + 1][0] == "field" else ""
                sys.stdout.write(_NO_HTML.sub(r"\\\1", sanitize(text)) + brk + "\n")
            else:  # lines lgs writes about the meeting (place, people, notes): their list shape kept
                lead = _LEAD.match(text)
                prefix = lead.group(0) if lead else ""
                # a line of its own, not one paragraph with the next (a hard line break: "\\" at the end)
                brk = "\\" if n + 1 < len(lines) and lines[n + 1][0] == "meta" else ""
                # after a list ("  - Alvesta: …"), a blank line: else the line would continue its last item
                gap = "\n" if n and lines[n - 1][0] == "detail" else ""
                sys.stdout.write(gap + prefix + md_escape(text[len(prefix):]) + brk + "\n")
        return
    import io  # noqa: PLC0415

    from rich.text import Text  # noqa: PLC0415

    is_tty = sys.stdout.isatty()
    target = sys.stdout if is_tty else io.StringIO()
    console = make_console(sys.stdout)
    if not is_tty:
        console.file = target
    width = max(40, console.width)
    prepared: list[tuple[str, str]] = []
    for style, text in lines:
        text = sanitize(_plain(text) if style in ("text", "field", "meta", "detail") else text)
        if len(text) > width or (not text.isascii() and _cell_len(text) > width):  # (wide characters: cells)
            if style in ("decision", "action", "followup", "deferral", "detail"):
                indent = " " * (len(text) - len(text.lstrip()) + 4)
            else:
                marker = _LIST.match(text)
                indent = " " * (len(marker.group(1)) if marker else len(text) - len(text.lstrip()))
            text = _fill(text, width, indent)
        prepared.append((style, text))
    if not is_tty:
        # No styles on a pipe: the lines as they are, wrapped already; Rich only folds a line
        # wider than the width in cells (wide characters), as it would have. (A print per line
        # costs ≈ 75 µs: a file of 300,000 short paragraphs took 25 s.)
        from rich.cells import cell_len  # noqa: PLC0415

        out: list[str] = []
        for _, text in prepared:
            for line in text.split("\n"):
                if line.isascii() or cell_len(line) <= width:
                    out.append(line.rstrip())
                else:
                    console.print(Text(line), overflow="fold")
                    assert isinstance(target, io.StringIO)
                    out.extend(folded.rstrip() for folded in target.getvalue().splitlines())
                    target.seek(0)
                    target.truncate()
        sys.stdout.write("".join(line + "\n" for line in out))
        return
    whole = Text()  # one Text for the whole meeting, printed once
    for n, (style, text) in enumerate(prepared):
        whole.append(text, style=STYLES.get(style, "") or None)
        if n + 1 < len(prepared):
            whole.append("\n")
    console.print(whole, overflow="fold")


def _cell_len(text: str) -> int:
    from rich.cells import cell_len  # noqa: PLC0415

    return int(cell_len(text))


def _fill(text: str, width: int, indent: str) -> str:
    """Wrap a line of ``show`` to ``width`` terminal cells, its continuation lines
    indented: by characters where each takes one cell (textwrap), else by cells (a
    Chinese character takes two), so that no line folds back to the margin."""
    if text.isascii() or _cell_len(text) == len(text):
        import textwrap  # noqa: PLC0415

        return textwrap.fill(text, width=width, subsequent_indent=indent, break_on_hyphens=False,
                             break_long_words=True)
    from rich.cells import cell_len  # noqa: PLC0415

    stripped = text.lstrip()
    if len(indent) > width // 2:  # (a line indented nearly as wide as the console: its words get half of it)
        indent = indent[:width // 2]
    lines: list[str] = []
    line, used, empty = text[:len(text) - len(stripped)], len(text) - len(stripped), True
    for word in stripped.split():
        size = cell_len(word)
        if not empty and used + 1 + size <= width:
            line, used = f"{line} {word}", used + 1 + size
            continue
        if not empty:
            if size > width - len(indent) and used + 2 <= width:  # broken anyway: begun on this line
                line, used = line + " ", used + 1
            else:
                lines.append(line)
                line, used = indent, len(indent)
        if used + size > width:  # a word wider than the line: broken by cells, each measured once
            cells = [cell_len(ch) for ch in word]
            start = 0
            while start < len(word) and used + size > width:
                cut, taken = start, 0
                while cut < len(word) and used + taken + cells[cut] <= width:
                    taken += cells[cut]
                    cut += 1
                cut = max(cut, start + 1)  # (a line too narrow for one character: one anyway)
                lines.append(line + word[start:cut])
                size -= sum(cells[start:cut])
                start = cut
                line, used = indent, len(indent)
            word = word[start:]
        line, used, empty = line + word, used + size, False
    lines.append(line)
    return "\n".join(lines)


def meeting_json(m: Meeting, archive: Archive, *, public: bool = False) -> dict[str, Any]:
    def att(a: Attendee) -> dict[str, Any]:
        return {"name": a.name, "org": a.org, "sector": a.sector, "items": a.items, "part": a.part,
                "note": a.note, "for": a.deputy_for}

    def entry(e: Entry) -> dict[str, Any]:
        return {
            "id": e.id,
            "kind": e.kind.value,
            "text": "(konfidentiellt)" if public and e.confidential else e.text,
            "owners": e.owners,
            "due": e.due.iso() if e.due else None,
            "due_label": e.due.label if e.due else None,
            "due_written": e.due_written,
            "status": e.status.english if e.status else None,
            "refers": e.refers,
            "confidential": e.confidential,
            "line": e.line,
        }

    def people(v: list[str] | str | None) -> Any:
        return v

    approved_on = m.approved_on.isoformat() if isinstance(m.approved_on, dt.date) else m.approved_on
    return {
        "date": m.date.isoformat() if m.date else None,
        "date_inferred": m.date_inferred,
        "path": m.relpath,
        "start": m.start,
        "end": m.end,
        "location": m.location,
        "status": m.status,
        "approved_by": m.approved_by,
        "approved_on": approved_on,
        "chairs": people(m.chairs),
        "secretary": people(m.secretary),
        "justerare": people(m.justerare),
        "corrections": [{"date": c.date.isoformat() if c.date else None, "by": c.by, "note": c.note}
                        for c in m.corrections],
        "attendance_recorded": m.attendance_recorded,
        "attendees": [att(a) for a in m.attendees] if m.attendees is not None else None,
        "guests": [att(a) for a in m.guests],
        "absent": [att(a) for a in m.absent],
        "deputies": [att(a) for a in m.deputies],
        "items": [
            {
                "number": it.number,
                "title": it.title,
                "presenters": it.presenters,
                "material": it.material,
                "confidential": it.confidential,
                "entries": [entry(e) for e in it.entries],
            }
            for it in m.items
            if not (public and it.confidential)
        ],
    }
