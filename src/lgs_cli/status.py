"""Status over the whole archive: which actions are open, which deferred
matters are pending, and owner matching for the report filters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .archive import Archive
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
        """Times carried forward: not at the meeting that closed it (a "kvarstår" left
        beside the "klar" there, LGS208)."""
        closing = self.closing
        closed_at = closing[1] if closing is not None else None
        return sum(1 for fu, m in self._in_force() if fu.status is FollowUpStatus.CARRIED and m is not closed_at)

    def _in_force(self) -> list[tuple[Entry, Meeting]]:
        """The follow-ups up to the meeting that closed the action: one written later
        (LGS207, a follow-up of a closed action) re-assigns or re-dates nothing."""
        closing = self.closing
        closed_on = closing[1].date if closing is not None else None
        if closed_on is None:
            return self.followups
        return [(fu, m) for fu, m in self.followups if m.date is None or m.date <= closed_on]

    def _owners_set(self) -> tuple[list[str], Meeting]:
        """The owners as the latest follow-up that re-assigned the action left them
        (else the entry's own), and the meeting that set them."""
        owners, where = self.entry.owners, self.meeting
        for fu, m in self._in_force():
            if fu.owners:
                owners, where = fu.owners, m
        return owners, where

    @property
    def owners(self) -> list[str]:
        return self._owners_set()[0]

    @property
    def owners_on(self) -> dt.date | None:
        """The date of the meeting that gave the action its owners (the latest
        follow-up that re-assigned it, else the raising meeting): a person
        counts for the organisation they belong to then."""
        return self._owners_set()[1].date

    def _due_set(self) -> tuple[Due | None, str | None, Meeting, Entry]:
        """The due date as the latest entry that gave one left it: a date, or the
        words of one that is none ("Senast: innan sommaren", LGS023: shown as
        written, never dropped, and never leaving an older date in force), the
        meeting that gave it, and that entry."""
        e = self.entry
        due, written, where, by = e.due, e.due_written, self.meeting, e
        for fu, m in self._in_force():
            if fu.due is not None or fu.due_written:
                due, written, where, by = fu.due, fu.due_written, m, fu
        return due, written if due is None else None, where, by

    @property
    def due_confidential(self) -> bool:
        """Whether the due date (its words) was given in confidential text."""
        return self._due_set()[3].confidential

    @property
    def due_on(self) -> dt.date | None:
        """The date of the meeting that set the due date (as :attr:`owners_on`)."""
        return self._due_set()[2].date

    @property
    def due(self) -> Due | None:
        return self._due_set()[0]

    @property
    def due_written(self) -> str | None:
        """The words of a due date that is none, as the latest entry that gave one
        wrote them (see :meth:`_due_set`); None when the due date is a date."""
        return self._due_set()[1]

    def overdue(self, today: dt.date) -> bool:
        due = self.due
        return self.is_open and due is not None and due.last_day < today

    def age(self, today: dt.date) -> int | None:
        return (today - self.meeting.date).days if self.meeting.date else None


def track(archive: Archive, kind: EntryKind, *, as_of: dt.date | None = None,
          open_only: bool = False) -> list[Tracked]:
    """Every action (or deferred matter) with its follow-ups from later meetings.

    ``as_of``: only meetings up to and including that date count, both for the
    entries and for the follow-ups that close them. ``open_only``: only those
    still open (the same as keeping ``is_open`` ones, but for actions the closed
    ones are never built).
    """
    meetings = [m for m in archive.dated if as_of is None or m.date is None or m.date <= as_of]
    if open_only and kind is EntryKind.ACTION:
        return _open_actions(meetings)
    tracked = _track(meetings, kind)
    return [t for t in tracked if t.is_open] if open_only else tracked


_CLOSING = (FollowUpStatus.DONE.value, FollowUpStatus.DROPPED.value)


def _open_actions(meetings: list[Meeting]) -> list[Tracked]:
    """``[t for t in _track(meetings, ACTION) if t.is_open]``, building entries only
    for the meetings that hold an open action or a follow-up of one.

    Which actions are closed is found from each meeting's summary
    (:func:`lgs_cli.cache.action_summary`, kept in the cache record): the IDs
    of its actions and the references and statuses of its follow-ups.
    """
    from .cache import action_summary  # noqa: PLC0415 - loaded with the archive

    summaries = []
    for m in meetings:
        from_record = getattr(m, "action_summary", None)
        summaries.append(from_record() if from_record is not None else action_summary(m))
    if all(s[0] for s in summaries):
        candidates, closed = _closed_by_prefix(meetings, summaries)
    else:
        candidates, closed = _closed_by_id(meetings, summaries)
    tracked: dict[str, Tracked] = {}
    for m in candidates:
        for e in m.entries_of(EntryKind.ACTION):
            if e.id not in closed:
                tracked.setdefault(e.id, Tracked(e, m))
    if not tracked:
        return []
    keys = tracked.keys()
    for m, s in zip(meetings, summaries, strict=True):
        if not keys.isdisjoint(s[2]):
            for fu in m.followups:
                t = tracked.get(fu.local)
                if t is not None and m.date is not None and t.meeting.date is not None and m.date > t.meeting.date:
                    t.followups.append((fu, m))
    return list(tracked.values())


def _closed_by_prefix(meetings: list[Meeting], summaries: list[Any]) -> tuple[list[Meeting], set[str]]:
    """Every action ID is its meeting's date + local number, so an action is closed
    by a closing follow-up from a later date (the summary's ``closing``), and a
    meeting whose actions are all closed need not be looked at."""
    closed: set[str] = set()
    for s in summaries:
        closed.update(s[4])
    return [m for m, s in zip(meetings, summaries, strict=True) if s[1] and not closed.issuperset(s[1])], closed


def _closed_by_id(meetings: list[Meeting], summaries: list[Any]) -> tuple[list[Meeting], set[str]]:
    """The general case (IDs as written, whatever the meeting's date)."""
    first: dict[str, Meeting] = {}  # ID -> the meeting whose entry _track keeps
    for m, s in zip(meetings, summaries, strict=True):
        for i in s[1]:
            if i not in first:
                first[i] = m
    closed: set[str] = set()
    for m, (_, _, refs, statuses, _) in zip(meetings, summaries, strict=True):
        for ref, status in zip(refs, statuses, strict=True):
            if status in _CLOSING:
                raised = first.get(ref)
                if (raised is not None and m.date is not None and raised.date is not None
                        and m.date > raised.date):
                    closed.add(ref)
    wanted = first.keys() - closed
    return [m for m, s in zip(meetings, summaries, strict=True) if not wanted.isdisjoint(s[1])], closed


def _track(meetings: list[Meeting], kind: EntryKind) -> list[Tracked]:
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
                    t = tracked.get(ref)  # settled by a decision of a later meeting only (LGS206 otherwise)
                    if t is not None and m.date is not None and t.meeting.date is not None \
                            and m.date > t.meeting.date:
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


def owner_matches(roster: Roster, owners: list[str], wanted: OwnerFilter, day: dt.date | None) -> bool:
    """Does an entry owned by ``owners`` belong to ``wanted``?

    A person matches their own entries and the groups they belong to are *not*
    counted (``--owner`` is about named responsibility); an organisation
    matches itself, its people and groups that contain it (same as ``--org``).
    """
    for text in owners:
        resolved = roster.owner_or_none(text)
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
        resolved = roster.owner_or_none(text)
        if resolved is not None and org_id in roster.orgs_of_owner(resolved, day):
            return True
    return False
