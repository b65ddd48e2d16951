"""The report queries behind ``lgs actions``, ``lgs decisions`` and ``lgs attendance``.

Filtering, sorting, grouping and the attendance computation over a loaded
:class:`~lgs_cli.archive.Archive`. Plain records in, plain records out:
nothing here imports Typer or Rich, and nothing here prints. The CLI layer
(``cmd_reports``) turns the records into an :class:`~lgs_cli.output.Report`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from .archive import Archive
from .errors import AmbiguousNameError, UsageError
from .model import Due, Entry, EntryKind, Meeting
from .names import fold, name_key
from .roster import Roster, normalize_sector
from .status import OwnerFilter, Tracked, org_matches, owner_matches, track

# -- option values -----------------------------------------------------------------


class ActionState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    ALL = "all"


class ActionSort(StrEnum):
    DUE = "due"
    ID = "id"
    OWNER = "owner"
    AGE = "age"
    MEETING = "meeting"


class ActionGroup(StrEnum):
    OWNER = "owner"
    ORG = "org"
    MEETING = "meeting"


NO_ORG_GROUP = "(no organisation)"

# -- resolving filter values ---------------------------------------------------------


def _close_matches(text: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """Names like ``text``: close as a whole, or with a word close to it
    ("Sandr" -> "Sandor Eriksson"); accents and case ignored."""
    import difflib  # noqa: PLC0415 - only on errors

    names = list(dict.fromkeys(candidates))
    wanted = fold(text).strip()
    scored: list[tuple[float, int, str]] = []
    for i, name in enumerate(names):
        folded = fold(name)
        ratio = max([difflib.SequenceMatcher(None, wanted, folded).ratio()]
                    + [difflib.SequenceMatcher(None, wanted, w).ratio() for w in folded.split()])
        if ratio >= 0.6:
            scored.append((-ratio, i, name))
    return [name for _, _, name in sorted(scored)[:n]]


def _unique_folded(text: str, candidates: dict[str, str]) -> str | None:
    """The one candidate equal to ``text`` ignoring accents and case ("vaxjo")."""
    wanted = fold(" ".join(text.split()))
    hits = {target for name, target in candidates.items() if fold(name) == wanted}
    return hits.pop() if len(hits) == 1 else None


def owner_names(roster: Roster) -> list[str]:
    """Every name ``--owner`` understands: people (and aliases), organisations, groups."""
    names: list[str] = []
    for p in roster.people:
        names += [p.name, *p.aliases]
    for o in roster.organisations.values():
        names += [o.id, *o.aliases]
    for g in roster.groups.values():
        names += [g.id, *g.aliases]
    return names


def resolve_owner(archive: Archive, text: str, option: str = "--owner") -> OwnerFilter:
    """``--owner NAME``: a person, organisation or group through the roster.

    An ambiguous short name raises :class:`AmbiguousNameError` (listing the
    candidates); an owner written in the minutes but unknown to the roster is
    matched by its text; anything else is a usage error with close matches.
    """
    if not text.strip():
        raise UsageError("empty name", option=option)
    roster = archive.roster
    owner = roster.owner(text, option=option)
    if owner is None:
        folded = _unique_folded(text, {n: n for n in owner_names(roster)})
        owner = roster.owner(folded, option=option) if folded else None
    if owner is not None:
        return OwnerFilter(text, owner)
    written = {name_key(o) for m in archive.meetings for e in m.entries for o in e.owners}
    if name_key(text) in written:
        return OwnerFilter(text, None)
    close = _close_matches(text, owner_names(roster))
    raise UsageError(
        f"'{text}' is not a person, organisation or group in the roster",
        option=option,
        hint=("Did you mean: " + ", ".join(close) + "?") if close else
        "Owners are people, organisations (Växjö, RGK …) or groups (AU, Kommunerna …) from lgs.yaml.",
    )


def resolve_org(roster: Roster, text: str, option: str = "--org") -> str:
    """``--org ORG``: an organisation id through the roster (aliases allowed)."""
    org = roster.org(text)
    if org is not None:
        return org.id
    names = [n for o in roster.organisations.values() for n in (o.id, *o.aliases)]
    folded = _unique_folded(text, {n: o.id for o in roster.organisations.values() for n in (o.id, *o.aliases)})
    if folded is not None:
        return folded
    close = _close_matches(text, names)
    hint = ("Did you mean: " + ", ".join(close) + "?") if close else (
        "Organisations: " + ", ".join(roster.organisations))
    raise UsageError(f"'{text}' is not an organisation in the roster", option=option, hint=hint)


def resolve_meeting(archive: Archive, day: dt.date, option: str = "--meeting") -> Meeting:
    """``--meeting DATE``: the meeting held on that day, else a usage error."""
    dated = archive.dated
    for m in dated:
        if m.date == day:
            return m
    near = sorted(dated, key=lambda m: abs(((m.date or day) - day).days))[:3]
    raise UsageError(
        f"no meeting on {day.isoformat()}",
        option=option,
        hint=("Nearest: " + ", ".join(sorted(m.date.isoformat() for m in near if m.date))) if near
        else "The archive has no meetings.",
    )


# -- search --------------------------------------------------------------------


def search_matches(query: str | None, *texts: str | None) -> bool:
    """Every word of ``query`` occurs in the texts, ignoring case and accents
    ("vald" finds "våld", "vaxjo" finds "Växjö")."""
    if not query:
        return True
    haystack = fold(" ".join(t for t in texts if t))
    return all(word in haystack for word in fold(query).split())


# -- ordering helpers ----------------------------------------------------------

_NUM = re.compile(r"(\d+)")


def natural_key(text: str | None) -> tuple[tuple[int, int | str], ...]:
    """"A10" after "A2"; item "4a" after "4"."""
    parts = _NUM.split(text or "")
    return tuple((0, int(p)) if p.isdigit() else (1, p.casefold()) for p in parts if p)


def id_key(entry_id: str) -> tuple[str, tuple[tuple[int, int | str], ...]]:
    return entry_id[:10], natural_key(entry_id[11:])


# -- actions ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ActionRow:
    """One action with its status over the whole archive, as on ``today``."""

    id: str
    meeting: dt.date
    item_number: str | None
    item_title: str
    text: str
    owners: tuple[str, ...]  # effective owners (the latest follow-up that re-assigned wins)
    due: Due | None  # effective due (the latest follow-up that re-dated wins)
    status: str  # open | done | dropped
    closed_on: dt.date | None
    closing_note: str | None
    carried: int
    age: int  # days: open -> until today; closed -> until the closing meeting
    overdue: bool
    confidential: bool

    @property
    def is_open(self) -> bool:
        return self.status == "open"


@dataclass(slots=True)
class ActionQuery:
    state: ActionState = ActionState.OPEN
    owner: OwnerFilter | None = None
    org: str | None = None
    overdue: bool = False
    due_before: dt.date | None = None  # due on or before
    since: dt.date | None = None  # raised on or after
    meeting: dt.date | None = None  # raised at
    search: str | None = None


def _action_row(t: Tracked, today: dt.date) -> ActionRow | None:
    day = t.meeting.date
    if day is None:
        return None
    closing = t.closing
    closed_on = closing[1].date if closing else None
    end = closed_on if closed_on is not None else today
    return ActionRow(
        id=t.id,
        meeting=day,
        item_number=t.entry.item_number,
        item_title=t.entry.item_title,
        text=t.entry.text,
        owners=tuple(t.owners),
        due=t.due,
        status=t.status,
        closed_on=closed_on,
        closing_note=closing[0].text if closing else None,
        carried=t.carried,
        age=max(0, (end - day).days),
        overdue=t.overdue(today),
        confidential=t.entry.confidential,
    )


def list_actions(archive: Archive, today: dt.date, query: ActionQuery | None = None) -> list[ActionRow]:
    """Actions raised up to ``today``, with their status as on ``today``, filtered.

    Follow-ups from meetings after ``today`` do not count, so ``--today`` in the
    past shows the list as it stood then.
    """
    q = query or ActionQuery()
    roster = archive.roster
    rows: list[ActionRow] = []
    for t in track(archive, EntryKind.ACTION, as_of=today, open_only=q.state is ActionState.OPEN):
        if q.state is ActionState.CLOSED and t.is_open:
            continue
        row = _action_row(t, today)
        if row is None:
            continue
        if q.state is ActionState.OPEN and not row.is_open:
            continue
        if q.overdue and not row.overdue:
            continue
        if q.due_before is not None and (row.due is None or row.due.last_day > q.due_before):
            continue
        if q.since is not None and row.meeting < q.since:
            continue
        if q.meeting is not None and row.meeting != q.meeting:
            continue
        if q.owner is not None and not owner_matches(roster, list(row.owners), q.owner, row.meeting):
            continue
        if q.org is not None and not org_matches(roster, list(row.owners), q.org, row.meeting):
            continue
        if not search_matches(q.search, row.text, row.item_title, *row.owners):
            continue
        rows.append(row)
    return sort_actions(rows, ActionSort.DUE)


def _due_key(row: ActionRow) -> tuple[bool, dt.date]:
    return (row.due is None, row.due.last_day if row.due else dt.date.max)


def sort_actions(rows: Sequence[ActionRow], by: ActionSort) -> list[ActionRow]:
    """``--sort``: due (undated last, then ID), id, owner, age (oldest first), meeting."""
    if by is ActionSort.ID:
        return sorted(rows, key=lambda r: id_key(r.id))
    if by is ActionSort.OWNER:
        return sorted(rows, key=lambda r: (fold(r.owners[0]) if r.owners else "\uffff", _due_key(r), id_key(r.id)))
    if by is ActionSort.AGE:
        return sorted(rows, key=lambda r: (-r.age, id_key(r.id)))
    if by is ActionSort.MEETING:
        return sorted(rows, key=lambda r: (r.meeting, natural_key(r.item_number), id_key(r.id)))
    return sorted(rows, key=lambda r: (_due_key(r), id_key(r.id)))


def canonical_owner(roster: Roster, text: str) -> str:
    """An owner as the roster names it ("Magnus" -> "Magnus Frithiof"); else as written."""
    try:
        owner = roster.owner(text)
    except AmbiguousNameError:
        return text
    return owner.id if owner is not None else text


def group_actions(rows: Sequence[ActionRow], by: ActionGroup, roster: Roster) -> list[tuple[str, list[ActionRow]]]:
    """``--group-by``: one group per owner, organisation or raising meeting.

    An action with several owners is listed under each of them; by
    organisation, an action counts for every organisation its owners stand for
    on the raising date ("Kommunerna": all eight municipalities), the same rule
    as ``--org``.
    """
    groups: dict[str, list[ActionRow]] = {}
    for row in rows:
        if by is ActionGroup.MEETING:
            keys = [row.meeting.isoformat()]
        elif by is ActionGroup.OWNER:
            keys = list(dict.fromkeys(canonical_owner(roster, o) for o in row.owners)) or ["(no owner)"]
        else:
            orgs: set[str] = set()
            for o in row.owners:
                try:
                    owner = roster.owner(o)
                except AmbiguousNameError:
                    owner = None
                if owner is not None:
                    orgs |= roster.orgs_of_owner(owner, row.meeting)
            keys = sorted(orgs) or [NO_ORG_GROUP]
        for key in keys:
            groups.setdefault(key, []).append(row)
    if by is ActionGroup.ORG:
        order = {org: i for i, org in enumerate(roster.organisations)}
        names = sorted(groups, key=lambda g: (g == NO_ORG_GROUP, order.get(g, len(order)), fold(g)))
    elif by is ActionGroup.MEETING:
        names = sorted(groups)
    else:
        names = sorted(groups, key=lambda g: (g.startswith("("), fold(g)))
    return [(name, groups[name]) for name in names]


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


def list_decisions(archive: Archive, query: DecisionQuery | None = None) -> list[DecisionRow]:
    """Every decision, in meeting order then number order, filtered."""
    q = query or DecisionQuery()
    rows: list[DecisionRow] = []
    for m in archive.dated:
        assert m.date is not None
        if not _in_period(m.date, q):
            continue
        for e in sorted(m.decisions, key=lambda e: natural_key(e.local)):
            if not _owner_ok(archive.roster, e.owners, m.date, q):
                continue
            if not search_matches(q.search, e.text, e.item_title, *e.owners):
                continue
            rows.append(DecisionRow(e.id, m.date, e.item_number, e.item_title, e.text, tuple(e.owners),
                                    tuple(e.refers), e.confidential))
    return rows


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
        if not _owner_ok(archive.roster, owners, day, q):
            continue
        e: Entry = t.entry
        if not search_matches(q.search, e.text, e.item_title, *owners):
            continue
        due = t.due
        rows.append(PendingRow(e.id, day, e.item_number, e.item_title, e.text, tuple(owners), due,
                               due is not None and due.last_day < today, t.carried, e.confidential))
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


@dataclass(slots=True)
class MeetingAttendance:
    date: dt.date
    recorded: bool
    cells: dict[str, OrgCell] = field(default_factory=dict)  # org id -> cell (every listed org)
    unresolved: list[Presence] = field(default_factory=list)  # people whose organisation is unknown
    municipalities: tuple[str, ...] = ()  # the municipalities of the roster

    @property
    def municipalities_represented(self) -> list[str]:
        return [o for o in self.municipalities if self.cells.get(o, OrgCell()).represented]

    @property
    def missing(self) -> list[str]:
        return [o for o in self.municipalities if not self.cells.get(o, OrgCell()).represented]

    @property
    def full(self) -> bool | None:
        """All municipalities represented ("hela konstellationen"); None: not recorded."""
        if not self.recorded:
            return None
        return bool(self.municipalities) and not self.missing

    def region_represented(self, regions: Sequence[str]) -> bool | None:
        if not self.recorded:
            return None
        return any(self.cells.get(r, OrgCell()).represented for r in regions)


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
    orgs: list[tuple[str, str]]  # (org id, kind) in roster order
    meetings: list[MeetingAttendance]
    rates: list[OrgRate]

    @property
    def recorded(self) -> list[MeetingAttendance]:
        return [m for m in self.meetings if m.recorded]

    @property
    def regions(self) -> list[str]:
        return [o for o, kind in self.orgs if kind == "region"]

    @property
    def full_meetings(self) -> list[MeetingAttendance]:
        return [m for m in self.meetings if m.full]

    @property
    def has_unresolved(self) -> bool:
        return any(m.unresolved for m in self.meetings)


def member_orgs(roster: Roster) -> list[tuple[str, str]]:
    """The municipalities and regions of the roster, in roster order."""
    return [(o.id, o.kind) for o in roster.organisations.values() if o.kind in ("kommun", "region")]


def _presences(m: Meeting, roster: Roster) -> list[Presence]:
    assert m.date is not None
    out: list[Presence] = []
    groups = (("attendee", m.attendees or []), ("deputy", m.deputies), ("absent", m.absent))
    for role, people in groups:
        for a in people:
            written = a.org_written or a.org
            if written:
                org = roster.org(written)
                org_id = org.id if org else None
            else:
                org_id = roster.person_org(a.name, m.date)
            sector = normalize_sector(a.sector) if a.sector else None
            if sector is None:
                sector = roster.sector_of(a.name, org_id, m.date)
            try:
                person = roster.person(a.name)
            except AmbiguousNameError:
                person = None
            out.append(Presence(person.name if person else a.name, org_id, written, sector, role,
                                a.partial, a.deputy_for))
    return out


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
    municipalities = tuple(o for o, kind in orgs if kind == "kommun")
    meetings: list[MeetingAttendance] = []
    for m in _meetings_in(archive, since, until):
        assert m.date is not None
        ma = MeetingAttendance(m.date, m.attendance_recorded, municipalities=municipalities)
        if m.attendance_recorded:
            ma.cells = {o: OrgCell() for o, _ in orgs}
            for p in _presences(m, roster):
                cell = ma.cells.get(p.org) if p.org else None
                if cell is None:
                    if p.role != "absent":
                        ma.unresolved.append(p)
                    continue
                {"attendee": cell.present, "deputy": cell.deputies, "absent": cell.absent}[p.role].append(p)
        meetings.append(ma)
    listed = [(o, kind) for o, kind in orgs if org is None or o == org]
    rates = [
        OrgRate(o, kind, sum(1 for ma in meetings if ma.recorded),
                sum(1 for ma in meetings if ma.recorded and ma.cells[o].represented))
        for o, kind in listed
    ]
    return Attendance(listed, meetings, rates)


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

    @property
    def attended(self) -> int:
        return sum(1 for pm in self.meetings if pm.role != "absent")

    @property
    def absent_with_notice(self) -> int:
        return sum(1 for pm in self.meetings if pm.role == "absent")

    @property
    def orgs(self) -> list[str]:
        """Organisations at the time, in order of first appearance."""
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
    With ``org``, only meetings where the person came for that organisation."""
    roster = archive.roster
    meetings = [m for m in _meetings_in(archive, since, until) if m.attendance_recorded]
    people: dict[str, PersonAttendance] = {}
    for m in meetings:
        assert m.date is not None
        for p in _presences(m, roster):
            if org is not None and p.org != org:
                continue
            pa = people.setdefault(name_key(p.name), PersonAttendance(p.name))
            pa.meetings.append(PersonMeeting(m.date, p.org, p.org_written, p.role, p.partial))
    for pa in people.values():
        try:
            person = roster.person(pa.name)
        except AmbiguousNameError:
            person = None
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
