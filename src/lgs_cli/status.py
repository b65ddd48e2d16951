"""Status over the whole archive: which actions are open, which deferred
matters are pending, and owner matching for the report filters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .archive import Archive
from .errors import AmbiguousNameError
from .model import Due, Entry, EntryKind, FollowUpStatus, Meeting
from .names import name_key
from .roster import Owner, Roster


@dataclass(slots=True)
class Tracked:
    """An action or deferred matter with what later meetings did to it."""

    entry: Entry
    meeting: Meeting
    followups: list[tuple[Entry, Meeting]] = field(default_factory=list)
    settled_by: list[tuple[Entry, Meeting]] = field(default_factory=list)  # decisions with Avser

    @property
    def id(self) -> str:
        return self.entry.id

    @property
    def closing(self) -> tuple[Entry, Meeting] | None:
        for fu, m in self.followups:
            if fu.status in (FollowUpStatus.DONE, FollowUpStatus.DROPPED):
                return fu, m
        if self.settled_by:
            return self.settled_by[0]
        return None

    @property
    def status(self) -> str:
        closing = self.closing
        if closing is None:
            return "open"
        entry = closing[0]
        if entry.kind is EntryKind.DECISION:
            return "decided"
        return "dropped" if entry.status is FollowUpStatus.DROPPED else "done"

    @property
    def is_open(self) -> bool:
        return self.closing is None

    @property
    def carried(self) -> int:
        return sum(1 for fu, _ in self.followups if fu.status is FollowUpStatus.CARRIED)

    @property
    def owners(self) -> list[str]:
        owners = self.entry.owners
        for fu, _ in self.followups:
            if fu.owners:
                owners = fu.owners
        return owners

    @property
    def due(self) -> Due | None:
        due = self.entry.due
        for fu, _ in self.followups:
            if fu.due is not None:
                due = fu.due
        return due

    def overdue(self, today: dt.date) -> bool:
        due = self.due
        return self.is_open and due is not None and due.last_day < today

    def age(self, today: dt.date) -> int | None:
        return (today - self.meeting.date).days if self.meeting.date else None


def track(archive: Archive, kind: EntryKind, *, as_of: dt.date | None = None) -> list[Tracked]:
    """Every action (or deferred matter) with its follow-ups from later meetings.

    ``as_of``: only meetings up to and including that date count, both for the
    entries and for the follow-ups that close them.
    """
    meetings = [m for m in archive.dated if as_of is None or m.date is None or m.date <= as_of]
    tracked: dict[str, Tracked] = {}
    for m in meetings:
        for e in m.entries_of(kind):
            tracked.setdefault(e.id, Tracked(e, m))
    for m in meetings:
        for fu in m.followups:
            t = tracked.get(fu.local)
            if t is not None and m.date is not None and t.meeting.date is not None and m.date > t.meeting.date:
                t.followups.append((fu, m))
        if kind is EntryKind.DEFERRAL:
            for d in m.decisions:
                for ref in d.refers:
                    t = tracked.get(ref)
                    if t is not None:
                        t.settled_by.append((d, m))
    return list(tracked.values())


def item_label(entry: Entry) -> str:
    return f"{entry.item_number}. {entry.item_title}" if entry.item_number else entry.item_title


# -- owner matching -----------------------------------------------------------

@dataclass(frozen=True, slots=True)
class OwnerFilter:
    """What ``--owner NAME`` resolved to."""

    text: str
    owner: Owner | None  # None: unknown to the roster, match by text


def resolve_owner_filter(roster: Roster, text: str, option: str = "--owner") -> OwnerFilter:
    owner = roster.owner(text, option=option)  # raises AmbiguousNameError
    return OwnerFilter(text, owner)


def owner_matches(roster: Roster, owners: list[str], wanted: OwnerFilter, day: dt.date | None) -> bool:
    """Does an entry owned by ``owners`` belong to ``wanted``?

    A person matches their own entries and the groups they belong to are *not*
    counted (``--owner`` is about named responsibility); an organisation
    matches itself, its people and groups that contain it (same as ``--org``).
    """
    for text in owners:
        resolved = _safe_owner(roster, text)
        if wanted.owner is None:
            if name_key(text) == name_key(wanted.text):
                return True
            continue
        if resolved == wanted.owner:
            return True
        if (wanted.owner.kind == "organisation" and resolved is not None
                and wanted.owner.id in roster.orgs_of_owner(resolved, day)):
            return True
    return False


def org_matches(roster: Roster, owners: list[str], org_id: str, day: dt.date | None) -> bool:
    """Owned by the organisation, by one of its people, or by a group containing it."""
    for text in owners:
        resolved = _safe_owner(roster, text)
        if resolved is not None and org_id in roster.orgs_of_owner(resolved, day):
            return True
    return False


def _safe_owner(roster: Roster, text: str) -> Owner | None:
    try:
        return roster.owner(text)
    except AmbiguousNameError:
        return None
