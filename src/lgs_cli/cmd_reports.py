"""``lgs actions``, ``lgs decisions`` and ``lgs attendance``.

Thin commands: options are parsed and resolved here, the queries live in
:mod:`lgs_cli.reports`, and the results become an :class:`~lgs_cli.output.Report`
drawn by :func:`~lgs_cli.output.emit`. Heavy modules are imported inside the
functions, so registering these commands costs nothing at start-up.
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
import textwrap
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .choices import ActionGroup, ActionSort, ActionState
from .cli import (
    CONFIDENTIAL_SHOWN,
    ArchiveOpt,
    BomOpt,
    FormatOpt,
    SepOpt,
    TodayOpt,
    app,
    load,
    parse_date_option,
    today_from,
    today_option,
)
from .model import NO_DATE, in_parentheses
from .output import OutputFormat, stderr

if TYPE_CHECKING:
    from .archive import Archive
    from .model import Due, Meeting
    from .output import Column, Report
    from .reports import (
        ActionRow,
        Attendance,
        DecisionQuery,
        DecisionRow,
        MeetingAttendance,
        PendingRow,
        PersonAttendance,
    )
    from .status import OwnerFilter


class ByChoice(StrEnum):
    org = "org"
    person = "person"


CONFIDENTIAL_TEXT = "(konfidentiellt)"
FULL_ROW = "Full constellation"  # the matrix's summary row: municipalities represented
TABLE_ONLY = frozenset({"table"})
FILE_ONLY = frozenset({"csv", "markdown"})
CSV_ONLY = frozenset({"csv"})
MARKDOWN_ONLY = frozenset({"markdown"})

# -- shared option types ---------------------------------------------------------------

OwnerOpt = Annotated[
    str | None,
    typer.Option("--owner", help="Owned by this person, organisation or group (names and aliases from lgs.yaml; "
                 "an organisation also matches its people and groups containing it).", show_default=False),
]
OrgOpt = Annotated[
    str | None,
    typer.Option("--org", help="Owned by the organisation, one of its people, or a group that contains it "
                 "('Kommunerna' counts for every municipality).", show_default=False),
]
SearchOpt = Annotated[
    str | None,
    typer.Option("--search", "-s", help="Words that must all occur in the text, item title or owners "
                 "(case and accents ignored: 'vald' finds 'våld').", show_default=False),
]
SinceOpt = Annotated[
    str | None,
    typer.Option("--since", help="From this date on (ISO, or words: '1 januari 2025', 'last friday'; a year "
                 "or month, 2025 or 2025-04, from its first day).", show_default=False),
]
UntilOpt = Annotated[
    str | None,
    typer.Option("--until", help="Up to and including this date (a year or month: to its last day).",
                 show_default=False),
]
MeetingOpt = Annotated[
    str | None,
    typer.Option("--meeting", "-m", help="Only the meeting held on this date.", show_default=False),
]
PublicOpt = Annotated[
    bool,
    typer.Option("--public", help="Show the text of confidential entries as '(konfidentiellt)'."),
]


# -- shared helpers -------------------------------------------------------------------

def _owner_filter(arch: Archive, value: str | None) -> OwnerFilter | None:
    from .reports import resolve_owner  # noqa: PLC0415

    return resolve_owner(arch, value) if value is not None else None


def _org_filter(arch: Archive, value: str | None, *, owners: bool = True) -> str | None:
    from .reports import resolve_org  # noqa: PLC0415

    return resolve_org(arch.roster, value, owners=owners) if value is not None else None


def _meeting_filter(arch: Archive, value: str | None, today: dt.date) -> dt.date | None:
    from .archive import find_meeting  # noqa: PLC0415

    if value is None:
        return None
    return find_meeting(arch, value, option="--meeting", usage=True, today=today).date


def _period(since: str | None, until: str | None, today: dt.date) -> tuple[dt.date | None, dt.date | None]:
    from .errors import UsageError  # noqa: PLC0415

    start = parse_date_option(since, "--since", today=today, period_end=False)
    end = parse_date_option(until, "--until", today=today, period_end=True)
    if start and end and end < start:
        raise UsageError(f"{end.isoformat()} is before --since {start.isoformat()}", option="--until")
    return start, end


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _some(texts: list[str], limit: int) -> str:
    """A list for a note, bounded (a big archive has thousands of dates): the
    first ``limit`` texts, or the last ``-limit``, and how many are left out."""
    if len(texts) <= abs(limit):
        return ", ".join(texts)
    if limit > 0:
        return ", ".join(texts[:limit]) + ", …"
    return f"{len(texts)} meetings; the latest {-limit}: " + ", ".join(texts[limit:])


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _shown(text: str, confidential: bool, public: bool) -> str:
    return CONFIDENTIAL_TEXT if public and confidential else _one_line(text)


def _item(number: str | None, title: str) -> str:
    return f"{number}. {title}" if number else title


@functools.lru_cache(maxsize=4096)  # item titles repeat: a long listing wraps each once
def _wrap(text: str, width: int) -> str:
    """Wrap a secondary text to a narrow cell (long words stay whole)."""
    return "\n".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)) if text else ""


def _id_owner_cell(entry_id: str, item: str | None, owners: tuple[str, ...]) -> str:
    """The table's first column: the ID (its date is the raising meeting) with
    the item number, then one owner per line."""
    head = entry_id + (f" §{item}" if item else "")
    return "\n".join([head, *owners])


def _due_text(due: Due | None, written: str | None = None) -> str:
    if due is None and written:
        return f"{_one_line(written)} {NO_DATE}"
    return due.display() if due else ""


def _due_parts(due: Due | None, written: str | None = None) -> tuple[str, str]:
    """A due date in two CSV cells: the date (ISO day or month, which a spreadsheet
    sorts), or the words where there is none; and the minutes' own words for it."""
    if due is None:  # (the date column holds dates only: the words go in the note)
        return "", (f"{_one_line(written)} {NO_DATE}" if written else "")
    return due.iso(), _one_line(due.label or "")


def _due_cell(due: Due | None, width: int, marker: str | None = None, extra: str | None = None,
              written: str | None = None) -> str:
    """Date (or month) on the first line, a marker ("overdue", "passed"), then
    the minutes' own words wrapped: a narrow cell that never widens the table.
    A due date written as no date (``written``): its words, and that it is none."""
    if due is None:
        first = f"{_wrap(_one_line(written), width)}\n{NO_DATE}" if written else "–"
        return "\n".join(x for x in (first, marker, extra) if x)
    lines = [due.iso()]
    if marker:
        lines.append(marker)
    if due.label:
        lines.append(_wrap(in_parentheses(due.label), width))
    if extra:
        lines.append(extra)
    return "\n".join(lines)


def _col(key: str, header: str, **kw: Any) -> Column:
    from .output import Column  # noqa: PLC0415

    return Column(key, header, **kw)


def _redact(arch: Archive) -> None:
    """--public: confidential text is out of this run's listings, searches and filters."""
    from .review import redact_confidential  # noqa: PLC0415

    redact_confidential(arch)


def _emit(report: Report, fmt: OutputFormat, bom: bool, sep: str, *, public: bool | None = None) -> None:
    """The report in its format; ``public``: the listing's ``--public`` (None: a
    listing with no confidential text), for the note that markdown holds some."""
    from .output import emit  # noqa: PLC0415

    if fmt is OutputFormat.markdown and public is False \
            and any(r.get("confidential") for _, rows in (report.groups or [("", report.records)]) for r in rows):
        report.summary = f"{report.summary}\n{CONFIDENTIAL_SHOWN}" if report.summary else CONFIDENTIAL_SHOWN
    emit(report, fmt, bom=bom, sep=sep)


# -- lgs actions ----------------------------------------------------------------------

@app.command()
def actions(
    open_: Annotated[bool, typer.Option("--open", help="Open actions (the default).")] = False,
    closed: Annotated[bool, typer.Option("--closed", help="Closed actions: done or dropped, with when.")] = False,
    all_: Annotated[bool, typer.Option("--all", help="Open and closed actions.")] = False,
    owner: OwnerOpt = None,
    org: OrgOpt = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only open actions past their due date.")] = False,
    due_before: Annotated[
        str | None,
        typer.Option("--due-before", help="Due on or before this date; a month due counts from the month's "
                                          "first day (undated actions are left out).",
                     show_default=False),
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Raised at a meeting on or after this date (or year, month: "
                                 "2025, 2025-04).", show_default=False)
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Raised at a meeting on or before this date (or year, month).",
                                 show_default=False)
    ] = None,
    meeting: Annotated[
        str | None, typer.Option("--meeting", "-m", help="Raised at the meeting on this date.", show_default=False)
    ] = None,
    search: SearchOpt = None,
    sort: Annotated[
        ActionSort, typer.Option("--sort", help="Order: due date (undated last), id, owner, age (oldest first) "
                                 "or meeting.", case_sensitive=False)
    ] = ActionSort.DUE,
    group_by: Annotated[
        ActionGroup | None,
        typer.Option("--group-by", help="One table per owner, organisation or raising meeting.",
                     case_sensitive=False, show_default=False),
    ] = None,
    today: TodayOpt = None,
    public: PublicOpt = False,
    archive: ArchiveOpt = None,
    fmt: FormatOpt = OutputFormat.table,
    bom: BomOpt = True,
    sep: SepOpt = ",",
) -> None:
    """The action items: open by default, with owner, due date, age and how often carried forward.

    An action is open until a later meeting's follow-up closes it (Status: klar
    or struken). Overdue actions are marked "! overdue" (and red on a colour
    terminal). Filters combine; dates accept ISO or words ('9 maj',
    'nästa fredag', '1 januari 2025').

    Example: lgs actions --org Växjö --overdue
    """
    from .errors import UsageError  # noqa: PLC0415
    from .reports import ActionQuery, group_actions, list_actions, sort_actions  # noqa: PLC0415

    if sum((open_, closed, all_)) > 1:
        raise UsageError("give only one of --open, --closed and --all", option="--open/--closed/--all")
    state = ActionState.CLOSED if closed else ActionState.ALL if all_ else ActionState.OPEN
    now = today_from(today)
    arch = load(archive)
    if public:
        _redact(arch)
    owner_wanted, org_wanted = _owner_filter(arch, owner), _org_filter(arch, org)
    start, end = _period(since, until, now)
    query = ActionQuery(
        state=state,
        owner=owner_wanted,
        org=org_wanted,
        overdue=overdue,
        # a deadline ahead: "9 maj" in November is next May's
        due_before=parse_date_option(due_before, "--due-before", today=now, prefer_future=True),
        since=start,
        until=end,
        meeting=_meeting_filter(arch, meeting, now),
        search=search,
    )
    rows = sort_actions(list_actions(arch, now, query), sort)
    groups = group_actions(rows, group_by, arch.roster, owner=owner_wanted, org=org_wanted) if group_by else None
    later = [m.date.isoformat() for m in arch.dated if m.date and m.date > now]
    if later:
        stderr(f"Not counted: {len(later)} meeting(s) dated after {now.isoformat()} ({_some(later, 3)}); "
               + ("give a later --today to include them." if today is not None else
                  "give --today to include them."))
    report = actions_report(rows, groups, now, state, public=public)
    # the meetings that raised, closed, re-assigned or re-dated what is listed
    _with_draft_note(report, arch, {r.meeting for r in rows} | {r.owners_on for r in rows} | {r.due_on for r in rows}
                     | {r.closed_on for r in rows if r.closed_on is not None})
    _emit(report, fmt, bom, sep, public=public)


def _draft_note(arch: Archive, days: set[dt.date]) -> str | None:
    """A line naming the meetings behind a listing whose minutes are drafts (not yet
    approved, justerade: what they record may still change); None when none is."""
    drafts = sorted(m.date for m in arch.dated if m.status == "draft" and m.date in days)
    return f"From draft minutes, not yet approved: {_some([d.isoformat() for d in drafts], 3)}." if drafts else None


def _with_draft_note(report: Report, arch: Archive, days: set[dt.date]) -> None:
    """:func:`_draft_note` on stderr just before the report's summary."""
    note = _draft_note(arch, days)
    if note is not None and report.summary:
        report.summary = f"{note}\n{report.summary}"


def _due_json(key: str, due: Due | None, written: str | None) -> dict[str, Any]:
    """A due date (or a deferred matter's target) as four JSON keys: ISO day or
    month, the minutes' own words, the last day before it is passed, and the
    words written where there is no date (LGS023)."""
    return {
        key: due.iso() if due else None,
        f"{key}_label": due.label if due else None,
        f"{key}_last_day": _iso(due.last_day) if due else None,
        f"{key}_written": written if due is None else None,
    }


def action_json(r: ActionRow, public: bool = False) -> dict[str, Any]:
    return {
        "id": r.id,
        "status": r.status,
        "text": _shown(r.text, r.confidential, public),
        "owners": list(r.owners),
        **_due_json("due", r.due, r.due_written),
        "overdue": r.overdue,
        "age_days": r.age,
        "meeting": r.meeting.isoformat(),
        "item": r.item_number,
        "item_title": r.item_title,
        "carried": r.carried,
        "closed_at": _iso(r.closed_on),
        "closing_note": r.closing_note,
        "confidential": r.confidential,
    }


def actions_report(rows: list[ActionRow], groups: list[tuple[str, list[ActionRow]]] | None, today: dt.date,
                   state: Any, *, public: bool = False) -> Report:
    from .output import Report  # noqa: PLC0415

    show_status = state.value != "open"

    def record(r: ActionRow) -> dict[str, Any]:
        marker = "! overdue" if r.overdue else None
        extra = None
        if show_status:  # the status right under the date, as for an open one: then the minutes' words
            marker = ("open\n! overdue" if r.overdue else "open") if r.is_open else f"{r.status}\n{_iso(r.closed_on)}"
        return {
            **action_json(r, public),
            "id_cell": _id_owner_cell(r.id, r.item_number, r.owners),
            "due_cell": _due_cell(r.due, 13, marker, extra, r.due_written),
            "due_text": _due_text(r.due, r.due_written),
            **dict(zip(("due_date", "due_note"), _due_parts(r.due, r.due_written), strict=True)),
            "raised_text": r.meeting.isoformat() + (f" §{r.item_number}" if r.item_number else ""),
        }

    columns = [
        _col("id_cell", "ID / owner", formats=TABLE_ONLY),
        _col("id", "ID", formats=FILE_ONLY),
        _col("owners", "Owner", formats=FILE_ONLY),
        _col("text", "What", wrap=True, min_width=20),
        _col("due_cell", "Due / status" if show_status else "Due", formats=TABLE_ONLY),
        _col("due_text", "Due", formats=MARKDOWN_ONLY),
        _col("due_date", "Due", formats=CSV_ONLY),
        _col("due_note", "Due note", formats=CSV_ONLY),
        _col("overdue", "Overdue", formats=FILE_ONLY),
        *([_col("status", "Status", formats=FILE_ONLY), _col("closed_at", "Closed", formats=FILE_ONLY)]
          if show_status else []),
        _col("age_days", "Age", justify="right"),
        _col("raised_text", "Raised", formats=FILE_ONLY),
        _col("carried", "C/f", justify="right", formats=TABLE_ONLY),
        _col("carried", "Carried", justify="right", formats=FILE_ONLY),
    ]
    grouped = [(name, [record(r) for r in members]) for name, members in groups] if groups is not None else None
    if grouped is not None:
        columns.insert(0, _col("group", "Group", formats=frozenset({"csv"})))
        for name, recs in grouped:
            for rec in recs:
                rec["group"] = name
        from .reports import NO_GROUP  # noqa: PLC0415

        json_data: Any = lambda: [  # noqa: E731
            {"group": None if name in NO_GROUP else name, "actions": [action_json(r, public) for r in members]}
            for name, members in (groups or [])]
    else:
        json_data = lambda: [action_json(r, public) for r in rows]  # noqa: E731 - built for --format json only
    what = {"open": "open action", "closed": "closed action", "all": "action"}[state.value]
    n_overdue = sum(1 for r in rows if r.overdue)
    summary = f"{len(rows)} {what}(s)"
    if n_overdue:
        summary += f", {n_overdue} overdue"
    summary += f" (as on {today.isoformat()}). Age: days open; C/f: times carried forward."
    return Report(
        records=[record(r) for r in rows] if grouped is None else [rec for _, recs in grouped for rec in recs],
        columns=columns,
        empty_message=f"No {what}s match.",
        summary=summary,
        highlight_key="overdue",
        json_data=json_data,
        groups=grouped,
    )


# -- lgs decisions ----------------------------------------------------------------------

@app.command()
def decisions(
    pending: Annotated[
        bool, typer.Option("--pending", help="Deferred matters ('Beslut tas på … i juni') no later meeting "
                           "has decided yet.")
    ] = False,
    since: SinceOpt = None,
    until: UntilOpt = None,
    owner: OwnerOpt = None,
    org: OrgOpt = None,
    search: SearchOpt = None,
    meeting: MeetingOpt = None,
    today: Annotated[str | None, today_option(
        "for --pending, which matters are settled and which have passed; and for dates in words. Every decision "
        "is listed whatever its date (--until leaves later ones out)")] = None,
    public: PublicOpt = False,
    archive: ArchiveOpt = None,
    fmt: FormatOpt = OutputFormat.table,
    bom: BomOpt = True,
    sep: SepOpt = ",",
) -> None:
    """Every decision with its ID, meeting, item and owner; --pending: deferred matters still to decide.

    A deferred matter (Uppskjutet) is settled by a later decision with
    'Avser: <ID>' or closed by a follow-up; until then --pending lists it,
    marked "passed" once the meeting it was deferred to is over.

    Example: lgs decisions --search våld --since 2025-01-01
    """
    from .decisions_attendance import precompute_decisions  # noqa: PLC0415
    from .reports import DecisionQuery, list_decisions, list_pending  # noqa: PLC0415

    now = today_from(today)
    start, end = _period(since, until, now)
    # each file's decisions made as it is parsed (--public changes the meetings first)
    arch = load(archive, derive=None if public or pending else precompute_decisions)
    if public:
        _redact(arch)
    query = DecisionQuery(since=start, until=end, owner=_owner_filter(arch, owner), org=_org_filter(arch, org),
                          search=search, meeting=_meeting_filter(arch, meeting, now))
    if pending:
        pending_rows = list_pending(arch, now, query)
        report = pending_report(pending_rows, now, public=public,
                                filtered=any(v is not None for v in (start, end, owner, org, search, meeting)))
        _with_draft_note(report, arch, {r.meeting for r in pending_rows})
        _emit(report, fmt, bom, sep, public=public)
    elif not (fmt is OutputFormat.table and _decisions_piped(arch, query, public)):
        rows = list_decisions(arch, query)
        report = decisions_report(rows, public=public)
        _with_draft_note(report, arch, {r.meeting for r in rows})
        if not rows and search is not None:  # "what did we decide on X?": perhaps nothing yet, but deferred
            waiting = len(list_pending(arch, now, query))
            if waiting:
                report.empty_message += (f" {waiting} pending deferred matter(s) match: lgs decisions --pending "
                                         "with the same filters lists them.")
        _emit(report, fmt, bom, sep, public=public)


def _decisions_piped(arch: Archive, query: DecisionQuery, public: bool) -> bool:
    """The decisions table on a pipe, drawn meeting by meeting with each meeting's
    lines kept in the memo "decisions-table" (at 10,000 meetings the table has
    80,000 lines: bench/RESULTS.md); the same text as the report of every decision.
    False (nothing done) where that does not apply: a terminal, no cache, the
    filters that pick single decisions (--owner, --org, --search)."""
    from .output import plain_piped, render_by_meeting, stderr  # noqa: PLC0415
    from .plaintable import cells_token  # noqa: PLC0415
    from .reports import DecisionsByMeeting  # noqa: PLC0415

    if query.owner is not None or query.org is not None or query.search is not None:
        return False
    memo = arch.memo("decisions-table")
    if not memo.enabled or not plain_piped(sys.stdout):
        return False
    source = DecisionsByMeeting(arch, query)
    report = decisions_report([], public=public)

    def records(m: Meeting) -> list[dict[str, Any]]:
        return [decision_record(r, public) for r in source.rows(m)]

    counts = render_by_meeting(report.columns, [(m, functools.partial(records, m)) for m in source.meetings], memo,
                               (public, cells_token()), sys.stdout)
    source.close()
    sys.stdout.flush()
    total = sum(counts)
    days = {m.date for m, n in zip(source.meetings, counts, strict=True) if n}
    note = _draft_note(arch, {d for d in days if d is not None})
    if note is not None:
        stderr(note)
    stderr(decisions_summary(total, len(days)) if total else report.empty_message)
    return True


def decision_json(r: DecisionRow, public: bool = False) -> dict[str, Any]:
    return {
        "id": r.id,
        "date": r.meeting.isoformat(),
        "item": r.item_number,
        "item_title": r.item_title,
        "text": _shown(r.text, r.confidential, public),
        "owners": list(r.owners),
        "settles": list(r.settles),
        "confidential": r.confidential,
    }


def decision_record(r: DecisionRow, public: bool = False) -> dict[str, Any]:
    """A decision as a record of :func:`decisions_report`."""
    data = decision_json(r, public)
    text = data["text"] + (f"\n(settles {', '.join(r.settles)})" if r.settles else "")
    item = _item(r.item_number, r.item_title)
    # the number stays on the line of the title's first word
    cell = _wrap(_item(r.item_number, r.item_title).replace(". ", ".\u00a0", 1) if r.item_number
                 else item, 16).replace("\u00a0", " ")
    return {**data, "text_cell": text, "item_label": item, "item_cell": cell,
            "id_cell": _id_owner_cell(r.id, None, r.owners)}


def decisions_summary(decisions: int, meetings: int) -> str:
    return f"{decisions} decision(s) from {meetings} meeting(s)."


def decisions_report(rows: list[DecisionRow], *, public: bool = False) -> Report:
    from .output import Report  # noqa: PLC0415

    columns = [
        _col("id_cell", "ID / owner", formats=TABLE_ONLY),
        _col("id", "ID", formats=FILE_ONLY),
        _col("date", "Date", formats=FILE_ONLY),
        _col("item_cell", "Item", formats=TABLE_ONLY),
        _col("item_label", "Item", formats=FILE_ONLY),
        _col("text_cell", "Decision", wrap=True, min_width=20, formats=TABLE_ONLY),
        _col("text", "Decision", formats=FILE_ONLY),
        _col("owners", "Owner", formats=FILE_ONLY),
        _col("settles", "Settles", formats=FILE_ONLY),
    ]
    return Report(
        records=[decision_record(r, public) for r in rows],
        columns=columns,
        empty_message="No decisions match.",
        summary=decisions_summary(len(rows), len({r.meeting for r in rows})),
        json_data=lambda: [decision_json(r, public) for r in rows],
    )


def pending_json(r: PendingRow, public: bool = False) -> dict[str, Any]:
    return {
        "id": r.id,
        "deferred_at": r.meeting.isoformat(),
        "item": r.item_number,
        "item_title": r.item_title,
        "text": _shown(r.text, r.confidential, public),
        "owners": list(r.owners),
        **_due_json("to", r.to, r.to_written),
        "passed": r.passed,
        "carried": r.carried,
        "confidential": r.confidential,
    }


def pending_report(rows: list[PendingRow], today: dt.date, *, public: bool = False,
                   filtered: bool = False) -> Report:
    from .output import Report  # noqa: PLC0415

    def record(r: PendingRow) -> dict[str, Any]:
        data = pending_json(r, public)
        # the table has no Item column: "Beslut tas i juni." says what only with the item's title
        title = _one_line(str(data["item_title"] or "")).rstrip(" .:;")
        return {**data, "to_cell": _due_cell(r.to, 13, "! passed" if r.passed else None, written=r.to_written),
                "to_text": _due_text(r.to, r.to_written),
                **dict(zip(("to_date", "to_note"), _due_parts(r.to, r.to_written), strict=True)), "id_cell": _id_owner_cell(r.id, r.item_number, r.owners),
                "item_label": _item(r.item_number, r.item_title),
                "matter_cell": f"{title}: {data['text']}" if title else data["text"]}

    columns = [
        _col("id_cell", "ID / owner", formats=TABLE_ONLY),
        _col("id", "ID", formats=FILE_ONLY),
        _col("deferred_at", "Deferred at", formats=FILE_ONLY),
        _col("item_label", "Item", formats=FILE_ONLY),
        _col("matter_cell", "Matter", wrap=True, min_width=20, formats=TABLE_ONLY),
        _col("text", "Matter", wrap=True, min_width=20, formats=FILE_ONLY),
        _col("to_cell", "To", formats=TABLE_ONLY),
        _col("to_text", "To", formats=MARKDOWN_ONLY),
        _col("to_date", "To", formats=CSV_ONLY),
        _col("to_note", "To note", formats=CSV_ONLY),
        _col("passed", "Passed", formats=FILE_ONLY),
        _col("carried", "Carried", justify="right", formats=FILE_ONLY),
        _col("owners", "Owner", formats=FILE_ONLY),
    ]
    passed = sum(1 for r in rows if r.passed)
    summary = f"{len(rows)} pending matter(s)"
    if passed:
        summary += f", {passed} past the meeting they were deferred to"
    return Report(
        records=[record(r) for r in rows],
        columns=columns,
        empty_message="No pending deferred matters match." if filtered else "No pending deferred matters.",
        summary=summary + f" (as on {today.isoformat()}).",
        highlight_key="passed",
        json_data=[pending_json(r, public) for r in rows],
    )


# -- lgs attendance ----------------------------------------------------------------------

@app.command()
def attendance(
    by: Annotated[
        ByChoice, typer.Option("--by", help="org: organisations × meetings (default); person: meetings "
                               "attended per person.", case_sensitive=False)
    ] = ByChoice.org,
    since: SinceOpt = None,
    until: UntilOpt = None,
    org: Annotated[
        str | None, typer.Option("--org", help="Only this organisation.", show_default=False)
    ] = None,
    archive: ArchiveOpt = None,
    fmt: FormatOpt = OutputFormat.table,
    bom: BomOpt = True,
    sep: SepOpt = ",",
) -> None:
    """Who came: municipalities and Region Kronoberg × meetings, rates, and full constellation.

    Each cell shows how many came and their sectors; meetings without an
    attendance list are 'n/r' (not recorded) and left out of the rates, never
    counted as absence. A legend and the full-constellation summary go to
    stderr. --by person lists meetings attended per person with their
    organisation at the time.

    Example: lgs attendance --since 2025-01-01
    """
    from .decisions_attendance import precompute_attendance  # noqa: PLC0415
    from .reports import attendance as compute  # noqa: PLC0415
    from .reports import attendance_by_person  # noqa: PLC0415

    now = dt.date.today()
    start, end = _period(since, until, now)
    arch = load(archive, derive=precompute_attendance)  # each file's presences made as it is parsed
    org_id = _org_filter(arch, org, owners=False)  # attendance has no --owner
    if by is ByChoice.person:
        people = attendance_by_person(arch, start, end, org_id)
        report = person_report(people)
        counted = {pm.date for pa in people for pm in pa.meetings}
    else:
        matrix = compute(arch, start, end, org_id)
        report = matrix_report(matrix, fmt, start, end)
        counted = {m.date for m in matrix.recorded}
    _with_draft_note(report, arch, counted)  # what a draft records of who came may still change
    _emit(report, fmt, bom, sep)


def _pct(rate: float | None) -> str:
    return "–" if rate is None else f"{round(rate * 100)}%"


def attendance_json(a: Attendance, since: dt.date | None, until: dt.date | None) -> dict[str, Any]:
    def person(p: Any) -> dict[str, Any]:
        out = {"name": p.name, "sector": p.sector, "org_written": p.org_written}
        if p.role == "deputy":
            out["for"] = p.deputy_for
        if p.role != "absent":
            out["partial"] = p.partial
        return out

    regions = a.regions
    return {
        "since": _iso(since),
        "until": _iso(until),
        "meetings": [
            {
                "date": m.date.isoformat(),
                "recorded": m.recorded,
                "municipalities_represented": len(m.municipalities_represented) if m.recorded else None,
                "municipalities_total": len(m.municipalities),
                "full_constellation": m.full,
                "region_represented": m.region_represented(regions),
                "missing": m.missing if m.recorded else None,
                "unresolved": [person(p) for p in m.unresolved] if m.recorded else None,
            }
            for m in a.meetings
        ],
        "organisations": [
            {
                "organisation": rate.org,
                "kind": rate.kind,
                "recorded_meetings": rate.recorded,
                "meetings_represented": rate.represented,
                "rate": None if rate.rate is None else round(rate.rate, 3),
                "meetings": [
                    {
                        "date": m.date.isoformat(),
                        "recorded": m.recorded,
                        "represented": m.cells[rate.org].represented if m.recorded else None,
                        "cell": m.cells[rate.org].text() if m.recorded else "n/r",
                        "present": [person(p) for p in m.cells[rate.org].present] if m.recorded else None,
                        "deputies": [person(p) for p in m.cells[rate.org].deputies] if m.recorded else None,
                        "absent": [person(p) for p in m.cells[rate.org].absent] if m.recorded else None,
                    }
                    for m in a.meetings
                ],
            }
            for rate in a.rates
        ],
    }


def matrix_report(a: Attendance, fmt: OutputFormat, since: dt.date | None, until: dt.date | None) -> Report:
    from .output import Report, table_width  # noqa: PLC0415
    from .reports import NOT_RECORDED_CELL, SECTOR_LEGEND, UNKNOWN_ORG  # noqa: PLC0415

    meetings = a.meetings
    total = len(meetings[0].municipalities) if meetings else 0
    has_footer = len(a.rates) > 1 and bool(meetings)
    has_unresolved = a.has_unresolved

    def column(m: MeetingAttendance) -> list[str]:
        """One meeting's cells, top to bottom: the organisations, then the
        unresolved row, then the footer (where there are those rows)."""
        cells = [m.cells[rate.org].text() if m.recorded else NOT_RECORDED_CELL for rate in a.rates]
        if has_unresolved:
            cells.append(str(m.n_unresolved) if m.n_unresolved else ("–" if m.recorded else NOT_RECORDED_CELL))
        if has_footer:
            cells.append(f"{'yes' if m.full else 'no'} {len(m.municipalities_represented)}/{total}"
                         if m.recorded else NOT_RECORDED_CELL)
        return cells

    labels = [rate.org for rate in a.rates] + ([UNKNOWN_ORG] if has_unresolved else []) + (
        [FULL_ROW] if has_footer else [])
    label_width = max([len("Organisation")] + [len(label) for label in labels])
    # A table shows the most recent meetings that fit; only their cells are made.
    if fmt is OutputFormat.table:
        width, used = table_width(), label_width + 1 + 4
        shown_cols: list[tuple[MeetingAttendance, list[str]]] = []
        for m in reversed(meetings):
            cells = column(m)
            w = max([10] + [len(c) for c in cells])
            if used + w + 1 > width and shown_cols:
                break
            used += w + 1
            shown_cols.append((m, cells))
        shown_cols.reverse()
    else:
        shown_cols = [(m, column(m)) for m in meetings]
    left_out = meetings[: len(meetings) - len(shown_cols)]
    rows: list[dict[str, Any]] = [{"org": rate.org, "rate": _pct(rate.rate)} for rate in a.rates]
    if has_unresolved:
        rows.append({"org": UNKNOWN_ORG, "rate": ""})
    if has_footer:
        rows.append({"org": FULL_ROW, "rate": _pct(len(a.full_meetings) / len(a.recorded) if a.recorded else None)})
    for m, cells in shown_cols:
        key = m.date.isoformat()
        for rec, cell in zip(rows, cells, strict=True):
            rec[key] = cell
    footer = rows[-1:] if has_footer else []
    records = rows[: len(rows) - len(footer)]
    columns = [_col("org", "Organisation")]
    columns += [_col(m.date.isoformat(), m.date.isoformat()) for m, _ in shown_cols]
    columns.append(_col("rate", "Rate", justify="right"))

    notes = [] if fmt is OutputFormat.json else [
        "Cells: people present (+d deputies) and sectors present: " + SECTOR_LEGEND
        + " (? some not known; no letters: not known); * partial attendance; (1a) absent with notice; "
        "– nobody; n/r attendance not recorded.",
        f"{FULL_ROW}: whether every municipality was represented (how many of them); its rate: the share "
        "of recorded meetings with all of them.",
    ]
    if a.has_unresolved and fmt is not OutputFormat.json:
        notes.append(f"{UNKNOWN_ORG}: attendees whose organisation is not in the roster (not in any rate); "
                     "'lgs check' names them.")
    recorded = a.recorded
    not_recorded = [m.date.isoformat() for m in meetings if not m.recorded]
    notes.append(f"Rate: share of the {len(recorded)} meeting(s) with an attendance list at which the "
                 "organisation was represented" + (f"; not recorded, left out: {_some(not_recorded, -10)}."
                                                   if not_recorded else "."))
    if len(a.rates) > 1:
        full = a.full_meetings
        total = len(meetings[0].municipalities) if meetings else 0
        if full:
            parts = []
            for m in full:
                region = m.region_represented(a.regions)
                parts.append(m.date.isoformat() + (" (with Region Kronoberg)" if region else " (without the region)"))
            notes.append(f"Full constellation (all {total} municipalities represented): {_some(parts, -10)}.")
        else:
            notes.append(f"Full constellation (all {total} municipalities represented): "
                         f"none of the {len(recorded)} recorded meeting(s).")
    if left_out:
        notes.append(f"{len(left_out)} earlier meeting(s) left out to fit {table_width()} columns "
                     f"({left_out[0].date.isoformat()} – {left_out[-1].date.isoformat()}); use --since/--until, "
                     "a wider terminal, or --format csv|markdown|json for all.")
    return Report(
        records=records if meetings else [],
        columns=columns,
        empty_message="No meetings in the period.",
        summary="\n".join(notes),
        json_data=lambda: attendance_json(a, since, until),
        footer_rows=footer,
        compact=True,
    )


def person_report(people: list[PersonAttendance]) -> Report:
    from .output import Report  # noqa: PLC0415

    def js(pa: PersonAttendance) -> dict[str, Any]:
        return {
            "name": pa.name,
            "organisations": pa.orgs,
            "attended": pa.attended,
            "eligible_meetings": pa.eligible,
            "rate": None if pa.rate is None else round(pa.rate, 3),
            "absent_with_notice": pa.absent_with_notice,
            "meetings": [
                {"date": pm.date.isoformat(), "organisation": pm.org, "org_written": pm.org_written,
                 "as": pm.role, "partial": pm.partial}
                for pm in pa.meetings
            ],
        }

    def record(pa: PersonAttendance) -> dict[str, Any]:
        attended = [pm.date.isoformat() + (" (ersättare)" if pm.role == "deputy" else "")
                    for pm in pa.meetings if pm.role != "absent"]
        return {
            **js(pa),
            "orgs_text": " → ".join(pa.orgs),
            "rate_text": _pct(pa.rate),
            "attended_text": f"{pa.attended} of {pa.eligible}",
            "dates": ", ".join(attended),
        }

    columns = [
        _col("name", "Name"),
        _col("orgs_text", "Organisation"),
        _col("attended_text", "Attended", justify="right"),
        _col("rate_text", "Rate", justify="right"),
        _col("absent_with_notice", "Absent", justify="right"),
        _col("dates", "Meetings", formats=FILE_ONLY),
    ]
    return Report(
        records=[record(p) for p in people],
        columns=columns,
        empty_message="Nobody attended a meeting with a recorded attendance list in the period.",
        summary=(f"{len(people)} person(s). Attended: meetings as attendee or deputy, of the recorded meetings "
                 "in the period within the person's roster period; Absent: with notice."),
        json_data=[js(p) for p in people],
    )
