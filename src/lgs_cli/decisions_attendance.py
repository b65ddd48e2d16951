"""The decisions, deferred matters and attendance queries of :mod:`lgs_cli.reports`.

Kept apart so that ``lgs actions`` does not pay for defining these records at
start-up; :mod:`lgs_cli.reports` gives every public name of this module too.
"""

from __future__ import annotations

import datetime as dt
import marshal
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from .archive import Archive
from .model import Due, Entry, EntryKind, Meeting
from .names import fold, name_key, natural_key
from .reports import id_key, search_matches
from .roster import MEMBER_KINDS, WHOLE_GROUP, Roster, normalize_sector
from .status import OwnerFilter, org_matches, owner_matches, track

# -- decisions and deferred matters ---------------------------------------------


@dataclass(frozen=True, slots=True)
class DecisionRow:
    id: str
    meeting: dt.date
    item_number: str | None
    item_title: str
    text: str
    owners: tuple[str, ...]
    settles: tuple[str, ...]  # Avser: the deferred matters this decision settles
    confidential: bool


@dataclass(frozen=True, slots=True)
class PendingRow:
    """A deferred matter that no later meeting has settled."""

    id: str
    meeting: dt.date  # deferred at
    item_number: str | None
    item_title: str
    text: str
    owners: tuple[str, ...]
    to: Due | None  # the meeting it is deferred to (latest follow-up wins)
    passed: bool  # the target meeting's date (or month) is over
    carried: int
    confidential: bool
    to_written: str | None = None  # "Till:" as written when it is no date (LGS023)


@dataclass(slots=True)
class DecisionQuery:
    since: dt.date | None = None
    until: dt.date | None = None
    owner: OwnerFilter | None = None
    org: str | None = None
    search: str | None = None
    meeting: dt.date | None = None


def _in_period(day: dt.date, q: DecisionQuery) -> bool:
    return ((q.since is None or day >= q.since) and (q.until is None or day <= q.until)
            and (q.meeting is None or day == q.meeting))


def _owner_ok(roster: Roster, owners: list[str], day: dt.date, q: DecisionQuery) -> bool:
    if q.owner is not None and not owner_matches(roster, owners, q.owner, day):
        return False
    return q.org is None or org_matches(roster, owners, q.org, day)


def _built(m: Meeting) -> Any:
    """What of a meeting loaded from the cache is built now (None for other meetings)."""
    built = getattr(m, "built", None)
    return built() if built is not None else None


def _release(m: Meeting, before: Any) -> None:
    """Drop what a report built of a cached meeting since ``before``: the rows keep
    what they need, and every meeting's parts at once cost the memory at 10,000
    meetings (bench/RESULTS.md). They are built again from the cache if used later."""
    if before is not None:
        m.release(before)  # type: ignore[attr-defined]


# A meeting's decision as plain values (kept in the memo "decisions"): (id, item
# number, item title, text, owners as written, owners as the roster names them,
# Avser: references, confidential)
_DecisionTuple = tuple[str, "str | None", str, str, tuple[str, ...], tuple[str, ...], tuple[str, ...], bool]


def list_decisions(archive: Archive, query: DecisionQuery | None = None) -> list[DecisionRow]:
    """Every decision, in meeting order then number order, filtered."""
    source = DecisionsByMeeting(archive, query)
    rows = [row for m in source.meetings for row in source.rows(m)]
    source.close()
    return rows


class DecisionsByMeeting:
    """:func:`list_decisions` a meeting at a time: ``meetings`` (those of the query's
    period, in order) and ``rows(meeting)``, its decisions that pass the filters, made
    only when asked for (a caller that keeps what it made of each meeting's decisions
    need not ask again). ``close()`` keeps the memoised decisions for the next run."""

    def __init__(self, archive: Archive, query: DecisionQuery | None = None) -> None:
        q = self.query = query or DecisionQuery()
        self.archive = archive
        self.meetings = [m for m in archive.dated if _in_period(m.date, q)]  # type: ignore[arg-type]
        self._memo = archive.memo("decisions")
        self._filtered = q.owner is not None or q.org is not None or q.search is not None

    def rows(self, m: Meeting) -> list[DecisionRow]:
        day = m.date
        assert day is not None
        q, roster = self.query, self.archive.roster
        rows = []
        for ident, number, title, text, written, owners, refers, confidential in _derived_or_memo(
                self.archive, self._memo, m, partial(_decisions_of, roster, m)):
            if self._filtered and not (_owner_ok(roster, list(written), day, q)
                                       and search_matches(q.search, text, title, *written, ident=ident)):
                continue
            rows.append(DecisionRow(ident, day, number, title, text, owners, refers, confidential))
        return rows

    def close(self) -> None:
        _keep_the_rest(self.archive, self._memo)
        self._memo.save()


def precompute_decisions(archive: Archive, meeting: Meeting, diagnostics: list[Any]) -> tuple[_DecisionTuple, ...]:
    """For ``load_archive(derive=precompute_decisions)`` (``lgs decisions``): a
    meeting's decisions as the memo "decisions" keeps them, made in the process
    that parsed the file (several at once for a big archive) instead of from its
    cache record afterwards; :class:`DecisionsByMeeting` takes them from
    ``archive.derived``. Not for an archive whose meetings are changed after
    loading (``--public``'s redaction)."""
    return _decisions_of(archive.roster, meeting)


def _derived_or_memo(archive: Archive, memo: Any, m: Meeting, compute: Callable[[], Any]) -> Any:
    """The value made for ``m`` as its file was parsed (``precompute_…``), now kept
    in ``memo``; else the memo's, or ``compute()``."""
    found = archive.derived.pop(m.relpath, None)
    if found is None:
        return memo.get(m, compute)
    memo.put(m, found)
    return found


def _keep_the_rest(archive: Archive, memo: Any) -> None:
    """What was made as the files were parsed for meetings this query did not
    show (another period, another meeting): kept in the memo for the next run."""
    if archive.derived:
        for m in archive.meetings:
            found = archive.derived.pop(m.relpath, None)
            if found is not None:
                memo.put(m, found)


def _decisions_of(roster: Roster, m: Meeting) -> tuple[_DecisionTuple, ...]:
    """The meeting's decisions in number order; what this builds of a meeting from
    the cache is released again."""
    before = _built(m)
    found = tuple((e.id, e.item_number, e.item_title, e.text, tuple(e.owners), roster.canonical_list(e.owners),
                   tuple(e.refers), e.confidential)
                  for e in sorted(m.decisions, key=lambda e: natural_key(e.local)))
    _release(m, before)
    return found


def list_pending(archive: Archive, today: dt.date, query: DecisionQuery | None = None) -> list[PendingRow]:
    """Deferred matters (``Uppskjutet``) not settled as on ``today``: no later
    decision with ``Avser:`` and no closing follow-up. Sorted by target date."""
    q = query or DecisionQuery()
    rows: list[PendingRow] = []
    for t in track(archive, EntryKind.DEFERRAL, as_of=today):
        day = t.meeting.date
        if day is None or not t.is_open or not _in_period(day, q):
            continue
        owners = t.owners
        # a matter with no owner is the group's own: --org and --owner find it as Ledningsgruppen's
        if not _owner_ok(archive.roster, owners or [WHOLE_GROUP], t.owners_on or day, q):
            continue
        e: Entry = t.entry
        if not search_matches(q.search, e.text, e.item_title, *owners, ident=e.id):
            continue
        due = t.due
        rows.append(PendingRow(e.id, day, e.item_number, e.item_title, e.text,
                               archive.roster.canonical_list(owners), due,
                               due is not None and due.last_day < today, t.carried, e.confidential, t.due_written))
    return sorted(rows, key=lambda r: (r.to is None, r.to.last_day if r.to else dt.date.max, id_key(r.id)))


# -- attendance ---------------------------------------------------------------------

SECTOR_LETTERS = {"socialtjänst": "S", "skola": "K", "hälso- och sjukvård": "H"}
SECTOR_LEGEND = "S socialtjänst, K skola, H hälso- och sjukvård"
NOT_RECORDED_CELL = "n/r"
NOBODY_CELL = "–"
UNKNOWN_ORG = "(other)"  # attendees whose organisation is not in the roster


@dataclass(frozen=True, slots=True)
class Presence:
    """One person in one meeting's attendance list, resolved through the roster."""

    name: str  # canonical where the roster knows the person, else as written
    org: str | None  # organisation id, or None where it does not resolve
    org_written: str | None  # as written in the minutes
    sector: str | None
    role: str  # attendee | deputy | absent
    partial: bool = False
    deputy_for: str | None = None


@dataclass(slots=True)
class OrgCell:
    """Who came for one organisation to one meeting."""

    present: list[Presence] = field(default_factory=list)
    deputies: list[Presence] = field(default_factory=list)
    absent: list[Presence] = field(default_factory=list)

    @property
    def represented(self) -> bool:
        return bool(self.present or self.deputies)

    def sectors(self) -> list[str | None]:
        return [p.sector for p in self.present + self.deputies]

    def text(self) -> str:
        """Compact cell: ``2+1d SK* (1a)``; ``–`` for nobody.

        Count of people present (+ deputies), the letters of the sectors
        present (``?`` when some sectors are not known; no letters at all when
        none is known), ``*`` for partial attendance, and absences with notice.
        """
        n, d, a = len(self.present), len(self.deputies), len(self.absent)
        if not n and not d:
            out = NOBODY_CELL
        else:
            out = str(n) + (f"+{d}d" if d else "")
            sectors = self.sectors()
            letters = "".join(letter for sector, letter in SECTOR_LETTERS.items() if sector in sectors)
            if letters and None in sectors:
                letters += "?"
            if letters:
                out += " " + letters
            if any(p.partial for p in self.present + self.deputies):
                out += "*"
        if a:
            out += f" ({a}a)"
        return out


# A Presence as plain values (marshal-able, kept in the memo "attendance"):
# (name, org, org_written, sector, role, partial, deputy_for)
_PresenceTuple = tuple[str, "str | None", "str | None", "str | None", str, bool, "str | None"]


@dataclass(slots=True)
class MeetingAttendance:
    """One meeting's attendance. The organisations represented are known at once;
    the cells (who came for each organisation) are built from the presences when
    first read, so that a table showing the last few meetings of thousands does
    not build them all."""

    date: dt.date
    recorded: bool
    municipalities: tuple[str, ...] = ()  # the municipalities of the roster
    orgs: tuple[str, ...] = ()  # the organisations that get a cell (the roster's municipalities and regions)
    packed: bytes = b""  # the presences, marshalled (_pack); read when the cells are built
    represented_orgs: frozenset[str] = frozenset()
    n_unresolved: int = 0  # people (not absent) whose organisation is unknown
    _cells: dict[str, OrgCell] | None = None
    _unresolved: list[Presence] | None = None

    @property
    def cells(self) -> dict[str, OrgCell]:
        """Org id -> cell, for every listed organisation (none when not recorded)."""
        if self._cells is None:
            self._build()
            assert self._cells is not None
        return self._cells

    @property
    def unresolved(self) -> list[Presence]:
        """People whose organisation is unknown."""
        if self._unresolved is None:
            self._build()
            assert self._unresolved is not None
        return self._unresolved

    def _build(self) -> None:
        cells: dict[str, OrgCell] = {o: OrgCell() for o in self.orgs} if self.recorded else {}
        unresolved: list[Presence] = []
        for t in _unpack(self.packed):
            p = Presence(*t)
            cell = cells.get(p.org) if p.org else None
            if cell is None:
                if p.role != "absent":
                    unresolved.append(p)
                continue
            {"attendee": cell.present, "deputy": cell.deputies, "absent": cell.absent}[p.role].append(p)
        self._cells, self._unresolved = cells, unresolved

    @property
    def municipalities_represented(self) -> list[str]:
        return [o for o in self.municipalities if o in self.represented_orgs]

    @property
    def missing(self) -> list[str]:
        return [o for o in self.municipalities if o not in self.represented_orgs]

    @property
    def full(self) -> bool | None:
        """All municipalities represented ("hela konstellationen"); None: not recorded."""
        if not self.recorded:
            return None
        return bool(self.municipalities) and not self.missing

    def region_represented(self, regions: Sequence[str]) -> bool | None:
        if not self.recorded:
            return None
        return any(r in self.represented_orgs for r in regions)


@dataclass(frozen=True, slots=True)
class OrgRate:
    org: str
    kind: str
    recorded: int  # meetings with an attendance list in the period
    represented: int

    @property
    def rate(self) -> float | None:
        return self.represented / self.recorded if self.recorded else None


@dataclass(slots=True)
class Attendance:
    orgs: list[tuple[str, str]]  # (org id, kind) in roster order: those listed (--org: one)
    meetings: list[MeetingAttendance]
    rates: list[OrgRate]
    all_orgs: list[tuple[str, str]] | None = None  # every member organisation (None: as orgs)

    @property
    def recorded(self) -> list[MeetingAttendance]:
        return [m for m in self.meetings if m.recorded]

    @property
    def regions(self) -> list[str]:
        """The regions of the group, also when --org lists one organisation only."""
        return [o for o, kind in (self.all_orgs or self.orgs) if kind == "region"]

    @property
    def full_meetings(self) -> list[MeetingAttendance]:
        return [m for m in self.meetings if m.full]

    @property
    def has_unresolved(self) -> bool:
        return any(m.n_unresolved for m in self.meetings)


def member_orgs(roster: Roster) -> list[tuple[str, str]]:
    """The municipalities and regions of the roster, in roster order."""
    return [(o.id, o.kind) for o in roster.organisations.values() if o.kind in MEMBER_KINDS]


def _presences(m: Meeting, roster: Roster) -> list[_PresenceTuple]:
    assert m.date is not None
    out: list[_PresenceTuple] = []
    seen: set[tuple[str, str]] = set()  # a person listed twice (lgs check: LGS111) counts once, as first listed
    groups = (("attendee", m.attendees or []), ("deputy", m.deputies), ("absent", m.absent))
    for role, people in groups:
        for a in people:
            person = roster.person_or_none(a.name)  # looked up once for all of the below
            written = a.org_written or a.org
            if written:
                org_id = roster.org_id(written)  # ("Vaxjo", LGS103, counts for Växjö)
            else:
                org_id = roster.person_org_for(person, m.date)
            sector = normalize_sector(a.sector) if a.sector else None
            if sector is None:
                sector = roster.sector_for(person, org_id, m.date)
            ident = roster.attendee_key_for(person, a.name, written)
            if ident in seen:
                continue
            seen.add(ident)
            out.append((person.name if person else a.name, org_id, written, sector, role, a.partial, a.deputy_for))
    return out


def _pack(presences: list[_PresenceTuple]) -> bytes:
    return marshal.dumps(tuple(presences))


def _unpack(packed: bytes) -> tuple[_PresenceTuple, ...]:
    found: tuple[_PresenceTuple, ...] = marshal.loads(packed) if packed else ()
    return found


def _meeting_presences(archive: Archive, m: Meeting, known: frozenset[str],
                       ) -> tuple[bool, tuple[str, ...], int, bytes]:
    """Whether the meeting's attendance was recorded, the organisations of
    ``known`` (the roster's municipalities and regions) represented by someone
    who came (attendee or deputy), how many who came have no such organisation,
    and every presence (:func:`_pack`), resolved through the roster: memoised per
    meeting file (memo "attendance", which is kept per roster). What this builds
    of a meeting from the cache is released again."""

    return _derived_or_memo(archive, archive.memo("attendance"), m,  # type: ignore[no-any-return]
                            partial(_presence_summary, m, archive.roster, known))


def _presence_summary(m: Meeting, roster: Roster, known: frozenset[str]) -> tuple[bool, tuple[str, ...], int, bytes]:
    before = _built(m)
    recorded = m.attendance_recorded
    found = _presences(m, roster) if recorded else []
    _release(m, before)
    came = [t[1] for t in found if t[4] != "absent"]
    represented = tuple(sorted({o for o in came if o is not None and o in known}))
    unresolved = sum(1 for o in came if o is None or o not in known)
    return recorded, represented, unresolved, _pack(found) if found else b""


def precompute_attendance(archive: Archive, meeting: Meeting, diagnostics: list[Any],
                          ) -> tuple[bool, tuple[str, ...], int, bytes]:
    """For ``load_archive(derive=precompute_attendance)`` (``lgs attendance``): a
    meeting's presences as the memo "attendance" keeps them, made in the process
    that parsed the file, its people resolved through the roster as a meeting from
    the cache is on first use; :func:`_meeting_presences` takes them from
    ``archive.derived``."""
    from .resolve import resolve_people  # noqa: PLC0415

    roster = archive.roster
    resolve_people(Archive(root=archive.root, roster=roster, meetings=[meeting]))
    return _presence_summary(meeting, roster, frozenset(o for o, _ in member_orgs(roster)))


def _meetings_in(archive: Archive, since: dt.date | None, until: dt.date | None) -> list[Meeting]:
    return [m for m in archive.dated if m.date is not None
            and (since is None or m.date >= since) and (until is None or m.date <= until)]


def attendance(archive: Archive, since: dt.date | None = None, until: dt.date | None = None,
               org: str | None = None) -> Attendance:
    """Who came for which organisation to which meeting, with rates per
    organisation over the meetings whose attendance was recorded only.

    ``org`` limits the organisations listed (the per-meeting constellation is
    still computed over every municipality).
    """
    roster = archive.roster
    orgs = member_orgs(roster)
    org_ids = tuple(o for o, _ in orgs)
    known = frozenset(org_ids)
    municipalities = tuple(o for o, kind in orgs if kind == "kommun")
    meetings: list[MeetingAttendance] = []
    memo = archive.memo("attendance")
    for m in _meetings_in(archive, since, until):
        assert m.date is not None
        recorded, represented, unresolved, packed = _meeting_presences(archive, m, known)
        meetings.append(MeetingAttendance(m.date, recorded, municipalities, org_ids, packed,
                                          represented_orgs=frozenset(represented), n_unresolved=unresolved))
    _keep_the_rest(archive, memo)
    memo.save()
    listed = [(o, kind) for o, kind in orgs if org is None or o == org]
    n_recorded = sum(1 for ma in meetings if ma.recorded)
    rates = [
        OrgRate(o, kind, n_recorded, sum(1 for ma in meetings if ma.recorded and o in ma.represented_orgs))
        for o, kind in listed
    ]
    return Attendance(listed, meetings, rates, orgs)


@dataclass(frozen=True, slots=True)
class PersonMeeting:
    date: dt.date
    org: str | None  # resolved organisation on that date (as written in that meeting, else the roster)
    org_written: str | None
    role: str  # attendee | deputy | absent
    partial: bool = False


@dataclass(slots=True)
class PersonAttendance:
    name: str
    meetings: list[PersonMeeting] = field(default_factory=list)
    eligible: int = 0  # recorded meetings in the period within the person's roster period
    roster_org: str | None = None  # a member who came to none of them: the organisation the roster gives

    @property
    def attended(self) -> int:
        return sum(1 for pm in self.meetings if pm.role != "absent")

    @property
    def absent_with_notice(self) -> int:
        return sum(1 for pm in self.meetings if pm.role == "absent")

    @property
    def orgs(self) -> list[str]:
        """Organisations at the time, in order of first appearance (the roster's for a
        member who never came)."""
        if not self.meetings and self.roster_org:
            return [self.roster_org]
        seen: dict[str, None] = {}
        for pm in self.meetings:
            label = pm.org or pm.org_written
            if label:
                seen.setdefault(label, None)
        return list(seen)

    @property
    def rate(self) -> float | None:
        return min(1.0, self.attended / self.eligible) if self.eligible else None


def attendance_by_person(archive: Archive, since: dt.date | None = None, until: dt.date | None = None,
                         org: str | None = None) -> list[PersonAttendance]:
    """Meetings attended per person (attendee or deputy), with the organisation
    at the time; rate = attended / recorded meetings in the period that fall
    within the person's roster period (all of them for people without roles).
    With ``org``, only meetings where the person came for that organisation.
    The roster's members who came to none of them are listed too, with 0."""
    roster = archive.roster
    known = frozenset(o for o, _ in member_orgs(roster))
    meetings = []
    people: dict[str, PersonAttendance] = {}
    for m in _meetings_in(archive, since, until):
        assert m.date is not None
        recorded, _, _, packed = _meeting_presences(archive, m, known)
        if recorded:
            meetings.append(m)
            here: set[str] = set()  # namesakes the roster does not tell apart: one person here
            for name, p_org, written, _, p_role, partial, _ in _unpack(packed):
                if org is not None and p_org != org:
                    continue
                ident = name_key(name)
                if ident in here:
                    continue
                here.add(ident)
                pa = people.setdefault(ident, PersonAttendance(name))
                pa.meetings.append(PersonMeeting(m.date, p_org, written, p_role, partial))
    memo = archive.memo("attendance")
    _keep_the_rest(archive, memo)
    memo.save()
    # Members who came to none of the meetings (a row of 0 says more than no row):
    # a member on the day of one of them (Roster.member_role), of ``org`` if given.
    for member in roster.people:
        ident = name_key(member.name)
        if ident in people:
            continue
        for m in meetings:
            role = roster.member_role(member, m.date) if m.date is not None else None
            if role is not None and (org is None or role.org == org):
                people[ident] = PersonAttendance(member.name, roster_org=role.org)
                break
    for pa in people.values():
        person = roster.person_or_none(pa.name)
        days = [m.date for m in meetings if m.date is not None]
        if person is not None:
            days = [d for d in days if person.in_period(d)
                    and (org is None or (role := person.role_on(d)) is None or role.org in (None, org))]
        attended_days = {pm.date for pm in pa.meetings if pm.role != "absent"}
        pa.eligible = len(set(days) | attended_days)
    order = {o: i for i, o in enumerate(roster.organisations)}

    def key(pa: PersonAttendance) -> tuple[int, str]:
        orgs = pa.orgs
        last = orgs[-1] if orgs else None
        return (order.get(last, len(order)) if last else len(order) + 1, fold(pa.name))

    return sorted(people.values(), key=key)
