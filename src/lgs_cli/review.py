"""Review: what a change does to the record (``lgs diff``), and approving
minutes (``lgs approve``) with an edit that touches only the lines it must.

No Typer or Rich here: the diff is data plus plain-text and Markdown renderers.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .archive import Archive
from .errors import LgsError
from .fsutil import atomic_write_bytes
from .model import Entry, EntryKind, Meeting, due_or_words
from .names import md_escape, name_key, sanitize
from .parse import read_text
from .reports import id_key, natural_key
from .status import Tracked, track
from .yamlsafe import dump_scalar as yaml_scalar

# -- the semantic diff -------------------------------------------------------------

# (key, heading) in the order they are shown.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("meetings_added", "Meetings added"),
    ("meetings_removed", "Meetings removed"),
    ("meetings_changed", "Meetings changed"),
    ("decisions_added", "Decisions added"),
    ("decisions_changed", "Decisions changed"),
    ("decisions_removed", "Decisions removed"),
    ("actions_opened", "Actions opened"),
    ("actions_closed", "Actions closed"),
    ("actions_reopened", "Actions reopened"),
    ("actions_reassigned", "Actions re-assigned"),
    ("actions_redated", "Actions re-dated"),
    ("actions_carried", "Actions carried forward"),
    ("actions_changed", "Actions edited"),
    ("actions_removed", "Actions removed"),
    ("deferred_added", "Deferred matters added"),
    ("deferred_settled", "Deferred matters settled"),
    ("deferred_reopened", "Deferred matters reopened"),
    ("deferred_reassigned", "Deferred matters re-assigned"),
    ("deferred_redated", "Deferred matters re-dated"),
    ("deferred_carried", "Deferred matters carried forward"),
    ("deferred_changed", "Deferred matters edited"),
    ("deferred_removed", "Deferred matters removed"),
    ("attendance", "Attendance"),
    ("roster", "Roster (lgs.yaml)"),
)


@dataclass(slots=True)
class RecordDiff:
    base_label: str
    head_label: str
    changes: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {key: [] for key, _ in SECTIONS})
    # files of the head that could not be read as meetings: what they say is not compared
    unreadable: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(self.changes.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "base": self.base_label,
            "head": self.head_label,
            "changes": self.changes,
            "summary": {key: len(rows) for key, rows in self.changes.items()},
            "unreadable": self.unreadable,
        }

    def unreadable_note(self) -> str | None:
        if not self.unreadable:
            return None
        shown = ", ".join(self.unreadable[:UNREADABLE_NAMED])
        more = f" and {len(self.unreadable) - UNREADABLE_NAMED} more" if len(self.unreadable) > UNREADABLE_NAMED else ""
        return (f"{len(self.unreadable)} file(s) could not be read as meetings and are not compared: {shown}{more} "
                "('lgs check' says why)")


UNREADABLE_NAMED = 10  # files named in the note; the JSON lists them all


def _entries(archive: Archive, kind: EntryKind) -> dict[str, tuple[Entry, Meeting]]:
    out: dict[str, tuple[Entry, Meeting]] = {}
    for m in archive.dated:
        if not m.ok:
            continue
        for e in m.entries_of(kind):
            out.setdefault(e.id, (e, m))
    return out


def _owners(archive: Archive, names: list[str]) -> list[str]:
    """Owners as the archive's roster names them (as the listings show them)."""
    return list(archive.roster.canonical_list(names))


def _keys(names: list[str]) -> list[str]:
    return [name_key(n) for n in names]


def relpath_in(m: Meeting, archive: Archive) -> str:
    """The meeting file relative to the archive root (the same for a revision and the working tree)."""
    try:
        return m.path.relative_to(archive.root).as_posix()
    except ValueError:
        return m.path.name


def _iso(m: Meeting) -> str:
    return m.date.isoformat() if m.date else "?"


def _body(m: Meeting) -> str:
    text, _ = read_text(m.path, m.relpath)
    if text is None:
        return ""
    return "\n".join(text.split("\n")[m.body_start_line - 1:])


def _status_change(old: Meeting, new: Meeting) -> str | None:
    if old.status == new.status:
        return None
    text = f"status {old.status or '?'} -> {new.status or '?'}"
    if new.status == "approved":
        by = new.approved_by if new.approved_by else None
        on = new.approved_on.isoformat() if isinstance(new.approved_on, dt.date) else new.approved_on
        if by or on:
            text += f" (approved by {by or '?'} on {on or '?'})"
    return text


_ATTENDANCE_KEYS = {"attendees"}
CONFIDENTIAL = "(konfidentiellt)"


def redact_confidential(archive: Archive) -> None:
    """Replace the text of confidential entries and items with "(konfidentiellt)"
    (``--public``: what is printed may be posted where the group cannot control
    who reads it): an entry's text and its due date's label, and a confidential
    item's title, so that no listing, search or filter of this run sees them."""
    for m in archive.meetings:
        redact_meeting(m)


def redact_meeting(m: Meeting) -> None:
    """:func:`redact_confidential` for one meeting."""
    for item in m.items:
        if item.confidential:
            item.title = CONFIDENTIAL
        for e in item.entries:
            if e.confidential:
                e.text = CONFIDENTIAL
                e.item_title = CONFIDENTIAL if item.confidential else e.item_title
                if e.due is not None and e.due.label:
                    e.due = dataclasses.replace(e.due, label=CONFIDENTIAL)
                if e.due_written:
                    e.due_written = CONFIDENTIAL


def diff_archives(base: Archive, head: Archive, *, base_label: str, head_label: str) -> RecordDiff:
    """What changed in the record from ``base`` to ``head``."""
    d = RecordDiff(base_label, head_label)
    d.unreadable = sorted(relpath_in(m, head) for m in head.meetings if not m.ok)
    if d.unreadable:  # not compared: a meeting whose file cannot be read now is not "removed", nor what it holds
        unread = set(d.unreadable)
        base = replace(base, meetings=[m for m in base.meetings if relpath_in(m, base) not in unread])
    c = d.changes
    old_meetings = {m.date: m for m in base.dated if m.ok}
    new_meetings = {m.date: m for m in head.dated if m.ok}
    for day in sorted(set(new_meetings) - set(old_meetings), key=str):
        m = new_meetings[day]
        n = m.counts()
        c["meetings_added"].append({
            "date": _iso(m), "path": relpath_in(m, head), "status": m.status, "items": n.items,
            "decisions": n.decisions, "actions": n.actions, "followups": n.followups, "attendees": n.attendees,
        })
    for day in sorted(set(old_meetings) - set(new_meetings), key=str):
        m = old_meetings[day]
        c["meetings_removed"].append({"date": _iso(m), "status": m.status})
    for day in sorted(set(old_meetings) & set(new_meetings), key=str):
        old, new = old_meetings[day], new_meetings[day]
        what: list[str] = []
        status = _status_change(old, new)
        if status:
            what.append(status)
        keys = sorted((set(old.front_matter) | set(new.front_matter)) - {"status"} - _ATTENDANCE_KEYS)
        changed_keys = [k for k in keys if old.front_matter.get(k) != new.front_matter.get(k)]
        if changed_keys:
            what.append("front matter: " + ", ".join(changed_keys))
        if _body(old) != _body(new):
            what.append("text edited")
        what.extend(_made_public(old, new))
        if what:
            c["meetings_changed"].append({"date": _iso(new), "path": relpath_in(new, head), "changes": what})
        _attendance(old, new, c["attendance"])
    _decisions(base, head, c)
    _tracked(base, head, c, EntryKind.ACTION)
    _tracked(base, head, c, EntryKind.DEFERRAL)
    _roster(base, head, c["roster"])
    return d


def _made_public(old: Meeting, new: Meeting) -> list[str]:
    """Items and entries confidential at the base and not at the head: said apart
    from "text edited", since the change publishes them (a reviewer must see it)."""
    said = []
    was = {it.number for it in old.items if it.confidential and it.number}
    items = sorted(was & {it.number for it in new.items if not it.confidential and it.number}, key=natural_key)
    if items:
        said.append("no longer confidential: item " + ", ".join(items))
    was = {e.id for e in old.entries if e.confidential}
    entries = sorted(was & {e.id for e in new.entries if not e.confidential}, key=id_key)
    if entries:
        said.append("no longer confidential: " + ", ".join(entries))
    return said


def _roster(base: Archive, head: Archive, out: list[dict[str, Any]]) -> None:
    """What changed in the roster: rule settings, organisations, groups and people
    (they decide how names resolve, and so what the listings show)."""
    old, new = base.roster, head.roster
    if old.fingerprint == new.fingerprint and old.fingerprint is not None:
        return
    if old.unread or new.unread:  # the built-in roster stands in for it: comparing that would say "removed"
        side = "either revision" if old.unread and new.unread else ("the base" if old.unread else "the head")
        out.append({"what": "lgs.yaml", "change": f"cannot be read at {side} ('lgs check' says why): "
                                                  "its changes are not shown"})
        return
    for code in sorted(set(old.rules) | set(new.rules)):
        if old.rules.get(code) != new.rules.get(code):
            out.append({"what": f"rule {code}", "change": f"{old.rules.get(code, 'default')} -> "
                                                          f"{new.rules.get(code, 'default')}"})
    people_old = {p.name: p for p in old.people}
    people_new = {p.name: p for p in new.people}
    for what, before, after in (("organisation", old.organisations, new.organisations),
                                ("group", old.groups, new.groups), ("person", people_old, people_new)):
        for key in sorted(set(before) | set(after)):
            if key not in after:
                out.append({"what": f"{what} {key}", "change": "removed"})
            elif key not in before:
                out.append({"what": f"{what} {key}", "change": "added"})
            elif _without_line(before[key]) != _without_line(after[key]):
                out.append({"what": f"{what} {key}", "change": "changed"})
    if not out and old.fingerprint != new.fingerprint:
        out.append({"what": "lgs.yaml", "change": "edited (meeting defaults, comments or layout)"})


def _without_line(entry: Any) -> Any:
    """A roster entry compared without the line it is on."""
    return replace(entry, line=None) if hasattr(entry, "line") else entry


def _attendance(old: Meeting, new: Meeting, out: list[dict[str, Any]]) -> None:
    if old.attendees is None and new.attendees is None:
        return
    # deputies attend too (for their organisation): moved, added or removed like attendees
    before = {name_key(a.name): a for a in (*(old.attendees or []), *(old.deputies or []))}
    after = {name_key(a.name): a for a in (*(new.attendees or []), *(new.deputies or []))}
    added = [after[k].name for k in after if k not in before]
    removed = [before[k].name for k in before if k not in after]
    # the same person under another organisation (a correction of the list): it counts for another one
    moved = [{"name": after[k].name, "from": before[k].org, "to": after[k].org}
             for k in after if k in before and (before[k].org or "") != (after[k].org or "")]
    absent = {name_key(a.name) for a in new.absent or []}
    now_absent = [before[k].name for k in before if k not in after and k in absent]
    recorded = None
    if old.attendees is None:
        recorded = "recorded"
    elif new.attendees is None:
        recorded = "no longer recorded"
    if added or removed or moved or recorded:
        out.append({"date": _iso(new), "added": added, "removed": removed, "now_absent": now_absent,
                    "organisation_changed": moved, "list": recorded})


def _decisions(base: Archive, head: Archive, c: dict[str, list[dict[str, Any]]]) -> None:
    old = _entries(base, EntryKind.DECISION)
    new = _entries(head, EntryKind.DECISION)
    for key in sorted(set(new) - set(old), key=id_key):
        e, _ = new[key]
        c["decisions_added"].append({"id": key, "text": e.text, "owners": list(head.roster.canonical_list(e.owners)),
                                     "settles": e.refers})
    for key in sorted(set(old) - set(new), key=id_key):
        e, _ = old[key]
        c["decisions_removed"].append({"id": key, "text": e.text})
    for key in sorted(set(old) & set(new), key=id_key):
        (a, _), (b, _) = old[key], new[key]
        what = []
        if a.text != b.text:
            what.append("text")
        was, now = _owners(head, a.owners), _owners(head, b.owners)
        if _keys(was) != _keys(now):
            what.append(f"owners {', '.join(was) or '-'} -> {', '.join(now) or '-'}")
        if a.refers != b.refers:
            what.append(f"settles {', '.join(a.refers) or '-'} -> {', '.join(b.refers) or '-'}")
        if what:
            c["decisions_changed"].append({"id": key, "text": b.text, "changes": what})


def _closing_record(t: Tracked) -> dict[str, Any]:
    closing = t.closing
    assert closing is not None
    entry, m = closing
    # the keys of the listings' JSON (lgs actions: closed_at, closing_note)
    record: dict[str, Any] = {"id": t.id, "text": t.entry.text, "status": t.status, "closed_at": _iso(m)}
    if entry.kind is EntryKind.DECISION:
        record["settled_by"] = entry.id
    else:
        record["closing_note"] = entry.text
    return record


def _tracked(base: Archive, head: Archive, c: dict[str, list[dict[str, Any]]], kind: EntryKind) -> None:
    old = {t.id: t for t in track(base, kind)}
    new = {t.id: t for t in track(head, kind)}
    prefix = "actions" if kind is EntryKind.ACTION else "deferred"
    for key in sorted(set(new) - set(old), key=id_key):
        t = new[key]
        due = t.due  # as the head leaves it: a follow-up in the same change may have re-dated or re-assigned it
        if kind is EntryKind.ACTION:
            c["actions_opened"].append({"id": key, "text": t.entry.text, "owners": _owners(head, t.owners),
                                        "due": due.iso() if due else None, "due_written": t.due_written})
            if not t.is_open:
                c["actions_closed"].append(_closing_record(t))
        else:
            c["deferred_added"].append({"id": key, "text": t.entry.text, "to": due.iso() if due else None,
                                        "to_written": t.due_written})
            if not t.is_open:
                c["deferred_settled"].append(_closing_record(t))
    for key in sorted(set(old) - set(new), key=id_key):
        c[f"{prefix}_removed"].append({"id": key, "text": old[key].entry.text})
    for key in sorted(set(old) & set(new), key=id_key):
        a, b = old[key], new[key]
        if a.is_open and not b.is_open:
            c["actions_closed" if kind is EntryKind.ACTION else "deferred_settled"].append(_closing_record(b))
        if not a.is_open and b.is_open:
            c[f"{prefix}_reopened"].append({"id": key, "text": b.entry.text})
        moved = False
        was, now = _owners(head, a.owners), _owners(head, b.owners)
        if _keys(was) != _keys(now):  # as the head's roster names them: "Sandor" is Sandor Eriksson
            c[f"{prefix}_reassigned"].append({"id": key, "text": b.entry.text, "from": was, "to": now})
            moved = True
        a_due, b_due = due_or_words(a.due, a.due_written), due_or_words(b.due, b.due_written)
        if a_due != b_due:
            c[f"{prefix}_redated"].append({"id": key, "text": b.entry.text, "from": a_due, "to": b_due})
            moved = True
        if b.carried > a.carried and b.is_open and not moved:
            last = b.followups[-1][1]
            c[f"{prefix}_carried"].append({"id": key, "text": b.entry.text, "at": _iso(last), "times": b.carried})
        if a.entry.text != b.entry.text:
            c[f"{prefix}_changed"].append({"id": key, "text": b.entry.text, "changes": ["text"]})


# -- rendering ---------------------------------------------------------------------

def _short(text: str, width: int = 60) -> str:
    text = " ".join(sanitize(text).split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _names(names: list[str] | None) -> str:
    return ", ".join(names) if names else "-"


def _n(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _line(key: str, r: dict[str, Any], code: Callable[[str], str], text: Callable[[str], str],
          dash: str = "--") -> str:
    if key == "meetings_added":
        att = "attendance not recorded" if r["attendees"] is None else _n(r["attendees"], "attendee")
        return (f"{code(r['date'])} ({r['status'] or '?'}): {_n(r['items'], 'item')}, "
                f"{_n(r['decisions'], 'decision')}, {_n(r['actions'], 'action')}, "
                f"{_n(r['followups'], 'follow-up')}, {att}")
    if key == "meetings_removed":
        return f"{code(r['date'])} ({r['status'] or '?'})"
    if key in ("meetings_changed",):
        return f"{code(r['date'])}: {text('; '.join(r['changes']))}"
    if key == "roster":
        return f"{text(r['what'])}: {r['change']}"
    if key == "attendance":
        parts = []
        if r["list"]:
            parts.append(f"attendance list {r['list']}")
        if r["added"]:
            parts.append("added " + text(", ".join(r["added"])))
        if r["removed"]:
            gone = [f"{n} (now absent)" if n in r["now_absent"] else n for n in r["removed"]]
            parts.append("removed " + text(", ".join(gone)))
        if r["organisation_changed"]:
            parts.append("organisation " + text(", ".join(f"{c['name']}: {c['from'] or '-'} -> {c['to'] or '-'}"
                                                          for c in r["organisation_changed"])))
        return f"{code(r['date'])}: {'; '.join(parts)}"
    head = f"{code(r['id'])} {text(_short(r['text']))}"
    if key in ("actions_closed", "deferred_settled"):
        how = f"by {code(r['settled_by'])}" if r.get("settled_by") else ""
        tail = f" ({text(_short(r['closing_note'], 80))})" if r.get("closing_note") else ""
        return f"{head} {dash} {r['status']} at {r['closed_at']} {how}".rstrip() + tail
    if key.endswith("_reassigned"):
        return f"{head} {dash} owner {text(_names(r['from']))} -> {text(_names(r['to']))}"
    if key.endswith("_redated"):
        return f"{head} {dash} {'to' if key == 'deferred_redated' else 'due'} {r['from'] or '-'} -> {r['to'] or '-'}"
    if key.endswith("_carried"):
        return f"{head} {dash} carried at {r['at']} ({r['times']}x in all)"
    if key == "actions_opened":
        words = due_or_words(None, r.get("due_written"))
        due = f", due {r['due']}" if r.get("due") else f", due {text(words)}" if words else ""
        return f"{head} {dash} owner {text(_names(r['owners']))}{due}"
    if key == "deferred_added":
        words = due_or_words(None, r.get("to_written"))
        return f"{head} {dash} to {r['to'] or (text(words) if words else '?')}"
    if key == "decisions_added":
        return f"{head} {dash} owner {text(_names(r['owners']))}"
    if "changes" in r:
        return f"{head} {dash} {text('; '.join(r['changes']))}"
    return head


def render_text(d: RecordDiff) -> str:
    lines = [f"Changes to the record: {sanitize(d.base_label)} -> {sanitize(d.head_label)}"]
    note = d.unreadable_note()
    if note:
        lines += ["", *textwrap.wrap(f"Not compared: {sanitize(note)}.", width=78)]
    if d.empty:
        return "\n".join([*lines, "", "No changes to the record."]) + "\n"
    for key, heading in SECTIONS:
        rows = d.changes[key]
        if not rows:
            continue
        lines += ["", f"{heading} ({len(rows)})"]
        if key.endswith("_carried"):  # usually every open action: the IDs are enough
            lines += textwrap.wrap(", ".join(r["id"] for r in rows), width=78,
                                   initial_indent="  ", subsequent_indent="  ")
            continue
        lines += ["  " + _line(key, r, lambda s: s, sanitize) for r in rows]
    return "\n".join(lines) + "\n"


def render_markdown(d: RecordDiff) -> str:
    lines = [f"### Changes to the record: {md_escape(d.base_label)} → {md_escape(d.head_label)}", ""]
    note = d.unreadable_note()
    if note:
        lines += [f"> **Not compared:** {md_escape(note)}.", ""]
    if d.empty:
        return "\n".join([*lines, "No changes to the record."]) + "\n"
    for key, heading in SECTIONS:
        rows = d.changes[key]
        if not rows:
            continue
        lines += [f"**{heading} ({len(rows)})**", ""]
        if key.endswith("_carried"):
            lines += [", ".join(f"`{r['id']}`" for r in rows), ""]
            continue
        lines += ["- " + _line(key, r, lambda s: f"`{s}`", md_escape, "—") for r in rows]
        lines.append("")
    return "\n".join(lines)


def render_json(d: RecordDiff) -> str:
    from .output import json_for, to_json  # noqa: PLC0415

    return json_for(to_json(d.to_json())) + "\n"


# -- approve: the minimal edit -------------------------------------------------------

class ApproveError(LgsError):
    """The file cannot be edited safely by lgs approve (exit 1)."""


_KEY_LINE = re.compile(rb"^([A-Za-z_][A-Za-z0-9_]*)[ \t]*:(.*)$")
_STATUS_DRAFT = re.compile(rb"^(status[ \t]*:[ \t]*)([\"']?)draft\2([ \t]*(?:#.*)?)$")


def _split_eol(line: bytes) -> tuple[bytes, bytes]:
    if line.endswith(b"\r\n"):
        return line[:-2], b"\r\n"
    if line.endswith((b"\n", b"\r")):
        return line[:-1], line[-1:]
    return line, b""


def approve_bytes(raw: bytes, *, by: str, on: dt.date, justerare: str | None = None) -> bytes:
    """Mark a draft as approved by editing only the lines that must change:
    ``status: draft`` becomes ``status: approved``; ``approved_by:`` and
    ``approved_on:`` are set where they exist or inserted after the status line
    (after the one of them that exists below it); with ``justerare`` (the meeting lists none), ``justerare: [NAME]`` is set
    or inserted after them. Every other byte — line endings, a byte-order mark,
    comments, the body — stays as it was."""
    bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    lines = raw[len(bom):].splitlines(keepends=True)
    if not lines or _split_eol(lines[0])[0].rstrip() != b"---":
        raise ApproveError("the file does not start with front matter ('---')")
    end = next((i for i in range(1, len(lines)) if _split_eol(lines[i])[0].rstrip() in (b"---", b"...")), None)
    if end is None:
        raise ApproveError("the front matter is not closed with '---'")
    keys: dict[bytes, int] = {}
    for i in range(1, end):
        found = _KEY_LINE.match(_split_eol(lines[i])[0])
        if found:
            keys.setdefault(found.group(1), i)
    if b"status" not in keys:
        raise ApproveError("no 'status:' line in the front matter")
    s = keys[b"status"]
    content, eol = _split_eol(lines[s])
    match = _STATUS_DRAFT.match(content)
    if match is None:
        raise ApproveError(f"the status line is '{content.decode('utf-8', 'replace')}', not 'status: draft'",
                           hint="lgs approve edits drafts only.")
    new_lines = list(lines)
    new_lines[s] = match.group(1) + match.group(2) + b"approved" + match.group(2) + match.group(3) + eol
    values = [(b"approved_by", yaml_scalar(by)), (b"approved_on", on.isoformat())]
    if justerare is not None:
        values.append((b"justerare", f"[{yaml_scalar(justerare, flow=True)}]"))
    inserts: dict[int, list[bytes]] = {}
    after = s
    for key, value in values:
        line = key + b": " + value.encode("utf-8")
        at = keys.get(key)
        if at is None:
            inserts.setdefault(after, []).append(line + eol)
            continue
        _value_must_be_simple(lines, at, end, key)
        old_content, old_eol = _split_eol(lines[at])
        new_lines[at] = line + _comment_of(old_content) + old_eol  # a comment on the line stays
        after = at if at > after else after
    out = [bom]
    for i, line in enumerate(new_lines):
        out.append(line)
        out.extend(inserts.get(i, []))
    result = b"".join(out)
    _only_the_approval_changed(raw, result, by=by, on=on, justerare=justerare)
    return result


def _front_matter_data(data: bytes) -> Any:
    from .yamlsafe import load  # noqa: PLC0415

    text = data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    end = next(i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))
    return load("\n".join(lines[1:end]))


def _only_the_approval_changed(raw: bytes, result: bytes, *, by: str, on: dt.date, justerare: str | None) -> None:
    """The front matter of the edited file reads as the draft's, with the approval
    set, and nothing else changed: a line that looked like a key inside a value
    over several lines (a quoted text) was not one to edit."""
    try:
        before = _front_matter_data(raw)
    except Exception:  # not YAML lgs reads: nothing to compare with (lgs approve checks the draft first)
        return
    if not isinstance(before, dict):
        return
    try:
        after = _front_matter_data(result)
    except Exception:
        after = None
    expected: dict[str, object] = {"status": "approved", "approved_by": by, "approved_on": on.isoformat()}
    if justerare is not None:
        expected["justerare"] = [justerare]
    names = set(expected)  # the keys the edit sets; every other key reads as before
    ok = isinstance(after, dict) and all(
        str(after.get(k)) == str(v) for k, v in expected.items()) and {
        k: v for k, v in before.items() if k not in names} == {k: v for k, v in after.items() if k not in names}
    if not ok:
        raise ApproveError("the edit of the front matter would change more than the approval (a key inside a "
                           "value over several lines?); nothing was written",
                           hint="Set 'status: approved', 'approved_by:' and 'approved_on:' by hand, "
                                "then run lgs check.")


def _comment_of(content: bytes) -> bytes:
    """The YAML comment at the end of a ``key: value`` line, with the white space
    before it (b"" when there is none): a "#" after white space, outside quotes."""
    colon = content.find(b":")
    quote = None
    skip = False
    for i in range(colon + 1, len(content)):
        ch = content[i:i + 1]
        if skip:
            skip = False
        elif quote is not None:
            # an escape in double quotes, or '' in single quotes: the next character is text
            escaped = quote == b'"' and ch == b"\\"
            doubled = quote == b"'" and ch == quote and content[i + 1:i + 2] == b"'"
            if escaped or doubled:
                skip = True
            elif ch == quote:
                quote = None
        elif ch in (b'"', b"'") and content[i - 1:i] in (b" ", b"\t", b":", b"[", b","):
            quote = ch
        elif ch == b"#" and content[i - 1:i] in (b" ", b"\t"):
            start = i
            while start > colon + 1 and content[start - 1:start] in (b" ", b"\t"):
                start -= 1
            return content[start:]
    return b""


def _value_must_be_simple(lines: list[bytes], at: int, end: int, key: bytes) -> None:
    """Refuse to overwrite a value that continues on the following lines."""
    nxt = at + 1
    if nxt < end:
        following = _split_eol(lines[nxt])[0]
        if following[:1] in (b" ", b"\t", b"-") and following.strip():
            name = key.decode()
            raise ApproveError(f"'{name}:' has a value over several lines; lgs approve will not rewrite it",
                               hint=f"Remove the '{name}:' value by hand and run lgs approve again.")


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically, keeping its permission bits."""
    atomic_write_bytes(path, data, exclusive=False)
