"""The report queries behind ``lgs actions``, ``lgs decisions`` and ``lgs attendance``.

Filtering, sorting, grouping and the attendance computation over a loaded
:class:`~lgs_cli.archive.Archive`. Plain records in, plain records out:
nothing here imports Typer or Rich, and nothing here prints. The CLI layer
(``cmd_reports``) turns the records into an :class:`~lgs_cli.output.Report`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .archive import Archive
from .choices import ActionGroup, ActionSort, ActionState
from .errors import UsageError
from .model import Due, EntryKind
from .names import fold, name_key, natural_key, unique_folded
from .roster import MEMBER_KINDS, Roster
from .status import OwnerFilter, Tracked, org_matches, owner_matches, track

# -- option values (lgs_cli.choices) -------------------------------------------------

NO_ORG_GROUP = "(no organisation)"
NO_OWNER_GROUP = "(no owner)"
NO_GROUP = frozenset({NO_ORG_GROUP, NO_OWNER_GROUP})  # in JSON: null

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
        folded = unique_folded(text, {n: n for n in owner_names(roster)})
        owner = roster.owner(folded, option=option) if folded else None
    if owner is not None:
        return OwnerFilter(text, owner)
    written = {name_key(o) for m in archive.meetings for e in m.entries for o in e.owners}
    if name_key(text) in written:
        return OwnerFilter(text, None)
    close = list(dict.fromkeys(roster.canonical(n) for n in _close_matches(text, owner_names(roster))))
    raise UsageError(
        f"'{text}' is not a person, organisation or group in the roster",
        option=option,
        hint="lgs.yaml cannot be read, so no names resolve through it: 'lgs check' says why." if roster.unread else
        ("Did you mean: " + ", ".join(close) + "?") if close else
        "Owners are people, organisations (Växjö, RGK …) or groups (AU, Kommunerna …) from lgs.yaml.",
    )


def resolve_org(roster: Roster, text: str, option: str = "--org", *, owners: bool = True) -> str:
    """``--org ORG``: an organisation id through the roster (aliases allowed).
    ``owners``: the command also has ``--owner`` (a group's name goes there)."""
    found = roster.org_id(text)
    if found is not None:
        if not owners and roster.organisations[found].kind not in MEMBER_KINDS:
            members = [o.id for o in roster.organisations.values() if o.kind in MEMBER_KINDS]
            raise UsageError(f"'{text}' is outside the group (kind {roster.organisations[found].kind}): its "
                             "people come as guests, and attendance counts the group's organisations",
                             option=option, hint=f"--org takes one of: {', '.join(members)}.")
        return found
    names = [n for o in roster.organisations.values() for n in (o.id, *o.aliases)]
    group = roster.group(text)
    if group is not None:  # Kommunerna, AU: a group owns actions, but is not one organisation
        raise UsageError(f"'{text}' is a group, not an organisation", option=option,
                         hint=(f"--owner {group.id} lists what the group itself owns; " if owners else "")
                         + f"--org takes one of: {', '.join(_orgs_for(roster, owners))}.")
    close = _close_matches(text, names)
    hint = ("Did you mean: " + ", ".join(close) + "?") if close else (
        "Organisations: " + ", ".join(_orgs_for(roster, owners)))
    raise UsageError(f"'{text}' is not an organisation in the roster", option=option, hint=hint)


def _orgs_for(roster: Roster, owners: bool) -> list[str]:
    """The organisations an ``--org`` takes: any (owners), or the group's (attendance)."""
    return [o.id for o in roster.organisations.values() if owners or o.kind in MEMBER_KINDS]


# -- search --------------------------------------------------------------------


def search_matches(query: str | None, *texts: str | None, ident: str | None = None) -> bool:
    """Every word of ``query`` occurs in the texts, ignoring case and accents
    ("vald" finds "våld", "vaxjo" finds "Växjö"); a word that is a whole entry
    ID (``2025-04-04-a5``, in any case) is the entry ``ident``."""
    if not query:
        return True
    haystack = fold(" ".join(t for t in texts if t))
    for word in query.split():
        if ident is not None and (wanted := _entry_id(word)) is not None:
            if wanted != ident:
                return False
        elif fold(word) not in haystack:
            return False
    return True


def _entry_id(word: str) -> str | None:
    if len(word) < 13 or word[4:5] != "-":  # not "2025-04-04-A1": no need to import the parser
        return None
    from .parse import normalize_id  # noqa: PLC0415

    return normalize_id(word)


# -- ordering helpers ----------------------------------------------------------


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
    owners_on: dt.date  # the meeting that gave it these owners: a person's organisation on that date
    due: Due | None  # effective due (the latest follow-up that re-dated wins)
    due_on: dt.date  # the meeting that set it
    status: str  # open | done | dropped
    closed_on: dt.date | None
    closing_note: str | None
    carried: int
    age: int  # days: open -> until today; closed -> until the closing meeting
    overdue: bool
    confidential: bool
    due_written: str | None = None  # the due date as written when it is no date (LGS023)

    @property
    def is_open(self) -> bool:
        return self.status == "open"


@dataclass(slots=True)
class ActionQuery:
    state: ActionState = ActionState.OPEN
    owner: OwnerFilter | None = None
    org: str | None = None
    overdue: bool = False
    due_before: dt.date | None = None  # due on or before (a month due: in or before that month)
    since: dt.date | None = None  # raised on or after
    until: dt.date | None = None  # raised on or before
    meeting: dt.date | None = None  # raised at
    search: str | None = None


def _action_row(t: Tracked, today: dt.date, roster: Roster) -> ActionRow | None:
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
        owners=roster.canonical_list(t.owners),
        owners_on=t.owners_on or day,
        due=t.due,
        due_on=t.due_on or day,
        status=t.status,
        closed_on=closed_on,
        closing_note=closing[0].text if closing else None,
        carried=t.carried,
        age=max(0, (end - day).days),
        overdue=t.overdue(today),
        confidential=t.entry.confidential,
        due_written=t.due_written,
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
        row = _action_row(t, today, roster)
        if row is None:
            continue
        if q.state is ActionState.OPEN and not row.is_open:
            continue
        if q.overdue and not row.overdue:
            continue
        if q.due_before is not None and (row.due is None or row.due.first_day > q.due_before):
            continue
        if (q.since is not None and row.meeting < q.since) or (q.until is not None and row.meeting > q.until):
            continue
        if q.meeting is not None and row.meeting != q.meeting:
            continue
        if q.owner is not None and not owner_matches(roster, list(row.owners), q.owner, row.owners_on):
            continue
        if q.org is not None and not org_matches(roster, list(row.owners), q.org, row.owners_on):
            continue
        if not search_matches(q.search, row.text, row.item_title, *row.owners, ident=row.id):
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
    return roster.canonical(text)


def group_actions(rows: Sequence[ActionRow], by: ActionGroup, roster: Roster, *,
                  owner: OwnerFilter | None = None, org: str | None = None) -> list[tuple[str, list[ActionRow]]]:
    """``--group-by``: one group per owner, organisation or raising meeting.

    An action with several owners is listed under each of them; by
    organisation, an action counts for every organisation its owners stand for
    on the date they were given it (the raising meeting, or the follow-up that
    re-assigned it; "Kommunerna": all eight municipalities), the same rule as
    ``--org``. With the listing's own ``owner`` (``--owner``) or ``org``
    (``--org``) filter, only the groups of what was asked for are made: an
    action of Ljungby and Alvesta listed for ``--org Ljungby`` is not listed
    again under Alvesta.
    """
    groups: dict[str, list[ActionRow]] = {}
    for row in rows:
        if by is ActionGroup.MEETING:
            keys = [row.meeting.isoformat()]
        elif by is ActionGroup.OWNER:
            named = [o for o in row.owners
                     if (owner is None or owner_matches(roster, [o], owner, row.owners_on))
                     and (org is None or org_matches(roster, [o], org, row.owners_on))]
            keys = list(dict.fromkeys(canonical_owner(roster, o) for o in named or row.owners)) or [NO_OWNER_GROUP]
        else:
            orgs: set[str] = set()
            for o in row.owners:
                resolved = roster.owner_or_none(o)
                if resolved is not None and (owner is None or owner_matches(roster, [o], owner, row.owners_on)):
                    orgs |= roster.orgs_of_owner(resolved, row.owners_on)
            for wanted in (org, owner.owner.id if owner is not None and owner.owner is not None
                           and owner.owner.kind == "organisation" else None):
                if wanted is not None and wanted in orgs:
                    orgs = {wanted}
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


# -- decisions, deferred matters and attendance: in :mod:`lgs_cli.decisions_attendance`,
# imported when one of its names is first used here.

_MOVED = frozenset({
    "DecisionRow",
    "PendingRow",
    "DecisionQuery",
    "DecisionsByMeeting",
    "list_decisions",
    "list_pending",
    "SECTOR_LETTERS",
    "SECTOR_LEGEND",
    "NOT_RECORDED_CELL",
    "NOBODY_CELL",
    "UNKNOWN_ORG",
    "Presence",
    "OrgCell",
    "MeetingAttendance",
    "OrgRate",
    "Attendance",
    "member_orgs",
    "attendance",
    "PersonMeeting",
    "PersonAttendance",
    "attendance_by_person",
})


def __getattr__(name: str) -> Any:
    if name in _MOVED:
        from . import decisions_attendance  # noqa: PLC0415

        return getattr(decisions_attendance, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if TYPE_CHECKING:
    from .decisions_attendance import (
        NOBODY_CELL as NOBODY_CELL,
    )
    from .decisions_attendance import (
        NOT_RECORDED_CELL as NOT_RECORDED_CELL,
    )
    from .decisions_attendance import (
        SECTOR_LEGEND as SECTOR_LEGEND,
    )
    from .decisions_attendance import (
        SECTOR_LETTERS as SECTOR_LETTERS,
    )
    from .decisions_attendance import (
        UNKNOWN_ORG as UNKNOWN_ORG,
    )
    from .decisions_attendance import (
        Attendance as Attendance,
    )
    from .decisions_attendance import (
        DecisionQuery as DecisionQuery,
    )
    from .decisions_attendance import (
        DecisionRow as DecisionRow,
    )
    from .decisions_attendance import (
        DecisionsByMeeting as DecisionsByMeeting,
    )
    from .decisions_attendance import (
        MeetingAttendance as MeetingAttendance,
    )
    from .decisions_attendance import (
        OrgCell as OrgCell,
    )
    from .decisions_attendance import (
        OrgRate as OrgRate,
    )
    from .decisions_attendance import (
        PendingRow as PendingRow,
    )
    from .decisions_attendance import (
        PersonAttendance as PersonAttendance,
    )
    from .decisions_attendance import (
        PersonMeeting as PersonMeeting,
    )
    from .decisions_attendance import (
        Presence as Presence,
    )
    from .decisions_attendance import (
        attendance as attendance,
    )
    from .decisions_attendance import (
        attendance_by_person as attendance_by_person,
    )
    from .decisions_attendance import (
        list_decisions as list_decisions,
    )
    from .decisions_attendance import (
        list_pending as list_pending,
    )
    from .decisions_attendance import (
        member_orgs as member_orgs,
    )
