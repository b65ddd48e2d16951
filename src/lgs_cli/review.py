"""Review: what a change does to the record (``lgs diff``), as data, and the
``--public`` redaction of confidential text. Rendering the diff is
:mod:`lgs_cli.diffview`; approving minutes is :mod:`lgs_cli.approval`.

No Typer or Rich here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from .archive import Archive
from .model import Entry, EntryKind, Meeting, due_or_words
from .names import name_key, natural_key
from .parse import read_text
from .reports import id_key
from .status import Tracked, track

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
    item's title, so that no listing, search or filter of this run sees them. A
    follow-up of a confidential action or matter, and a decision that settles a
    confidential matter, are confidential too, wherever they were written (they
    say how the confidential matter went)."""
    secret = confidential_ids(archive)
    for m in archive.meetings:
        redact_meeting(m, secret)


def confidential_ids(archive: Archive) -> set[str]:
    """The IDs of the confidential actions and deferred matters (their follow-ups
    are confidential too)."""
    return {e.id for m in archive.meetings if m.ok
            for kind in (EntryKind.ACTION, EntryKind.DEFERRAL) for e in m.entries_of(kind) if e.confidential}


def tells_of_confidential(e: Entry, secret: set[str] | frozenset[str]) -> bool:
    """A follow-up of a confidential action or matter, or a decision that settles a
    confidential matter (``secret``: :func:`confidential_ids`): it says how the
    confidential matter went, wherever it was written."""
    return (e.kind is EntryKind.FOLLOWUP and e.local in secret) or (
        e.kind is EntryKind.DECISION and any(ref in secret for ref in e.refers))


def redact_meeting(m: Meeting, secret: set[str] | frozenset[str] = frozenset()) -> None:
    """:func:`redact_confidential` for one meeting; ``secret``: the IDs whose
    follow-ups are confidential (:func:`confidential_ids`)."""
    for item in m.items:
        if item.confidential:
            item.title = CONFIDENTIAL
        for e in item.entries:
            if not e.confidential and tells_of_confidential(e, secret):
                e.confidential = True  # how a confidential matter went is as confidential as the matter
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
