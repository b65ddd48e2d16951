"""Scaffold the next meeting: choose its date, build the template variables
from the archive, render the template and write the file without ever
overwriting anything.

Core module: no Typer, no Rich. The command is ``lgs_cli.cmd_new_meeting``.

* **Date rule** (:func:`choose_date`): the first date strictly after today in
  the roster's meeting plan (``meetings.plan``, the årshjul); without a later
  planned date, the first Friday of the month ("Första fredagen i månaden är
  avsatt för länsarbete"), skipping ``meetings.skip_months``. Dates that
  already have minutes are passed over in both cases.
* **Content** (:func:`build_variables`): front matter from the roster's meeting
  defaults, else the latest earlier meeting; the roster's current members as
  ``expected`` attendees (attendance stays ``not-recorded`` until the secretary
  confirms it); a follow-up (``Status: kvarstår``) for every action open on the
  meeting date, overdue first; an agenda item per deferred matter due at this
  meeting (or overdue).
* **Template** (:func:`load_template`, :func:`render`): ``--template PATH``, else
  ``<archive>/templates/meeting.md``, else the packaged default. ``$name`` and
  ``${name}`` are variables, ``$$`` is a dollar sign; an unknown variable is a
  usage error naming it and its line.
* **Writing** (:func:`write_exclusive`): the content goes to a temporary file in
  the target folder, which is then hard-linked to the final name; the link
  fails when the name exists, so two concurrent runs cannot both succeed and an
  existing file is never touched.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .archive import Archive, display_path
from .dates import MONTHS_SV, WEEKDAYS_SV, first_weekday, parse_time, swedish_holiday
from .errors import ConfigError, FileExistsLgsError, LgsError, UsageError
from .fileread import MAX_FILE_BYTES, read_bounded
from .fsutil import atomic_write_bytes
from .model import NOT_RECORDED, Diagnostic, EntryKind, Meeting, Severity
from .parse import _Reader, parse_meeting_text
from .roster import Roster
from .status import Tracked, item_label, track
from .yamlsafe import dump_scalar as yaml_scalar

TEMPLATE_RELPATH = Path("templates") / "meeting.md"
FIRST_DEFERRED_NUMBER = 3  # the default template's items 1 and 2 come first

MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July",
             "August", "September", "October", "November", "December")

#: Every template variable, with what it holds (the README and docs/format.md list the same).
VARIABLES: dict[str, str] = {
    "date": "the meeting date, ISO (2026-01-02)",
    "date_long": "the date in Swedish words (2 januari 2026)",
    "weekday": "the weekday in Swedish (fredag)",
    "year": "the year (2026)",
    "front_matter": "the complete YAML front matter, without the --- lines",
    "start": "the start time (11:00), or empty",
    "end": "the end time (15:00), or empty",
    "location": "the location, or empty",
    "chairs": "the chairs, comma-separated, or empty",
    "secretary": "the secretary, comma-separated, or empty",
    "previous_date": "the date of the previous meeting, or 'inget tidigare möte'",
    "followups": "a follow-up entry for every open action, overdue first",
    "action_count": "how many open actions the follow-ups list",
    "deferred_items": f"one agenda item per deferred matter, numbered from {FIRST_DEFERRED_NUMBER}; may be empty",
    "deferred_count": "how many deferred matters are on the agenda",
    "other_number": "the number of the item after the deferred matters (Övrigt)",
}

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
# A placeholder alone on its line (it may take the blank line after it along
# when it expands to nothing), else an escaped dollar or an inline placeholder.
_PLACEHOLDER = re.compile(
    rf"(?P<whole>^[ \t]*\$(?:\{{(?P<lb>{_NAME})\}}|(?P<ln>{_NAME}))[ \t]*(?P<tail>\n\n?|\Z))"
    rf"|\$(?:(?P<esc>\$)|\{{(?P<b>{_NAME})\}}|(?P<n>{_NAME}))",
    re.MULTILINE,
)


# -- the date ------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class DateChoice:
    date: dt.date
    reason: str  # "2026-01-02: first Friday of January (no meeting plan in lgs.yaml)"


def meeting_path(root: Path, day: dt.date) -> Path:
    """``<root>/YYYY/YYYY-MM-DD.md``."""
    return root / f"{day.year:04d}" / f"{day.isoformat()}.md"


def existing_meeting(archive: Archive, day: dt.date) -> Meeting | None:
    """The meeting on ``day`` the archive has already: one dated so, or a file named
    with the date that cannot be read (any folder, ``2026-01-09.MD``); a second file
    beside it would be two meetings on one date once it is mended."""
    iso = day.isoformat()
    return next((m for m in archive.meetings if m.date == day or (
        not m.ok and m.path.name[:10] == iso and not m.path.name[10:11].isdigit())), None)


def _taken(archive: Archive, day: dt.date) -> bool:
    return existing_meeting(archive, day) is not None or os.path.lexists(meeting_path(archive.root, day))


def choose_date(archive: Archive, today: dt.date) -> DateChoice:
    """The next meeting strictly after ``today`` (see the module docstring)."""
    defaults = archive.roster.meetings
    passed: list[str] = []  # dates passed over because they have minutes
    future_plan = [d for d in defaults.plan if d > today]
    for day in future_plan:
        if _taken(archive, day):
            passed.append(day.isoformat())
            continue
        notes = ["the next date in the meeting plan, lgs.yaml meetings.plan"]
        if passed:
            notes.append(_have_minutes(passed))
        return DateChoice(day, f"{day.isoformat()}: {'; '.join(notes)}")
    context = ("no meeting plan in lgs.yaml" if not defaults.plan
               else "no date after today in the meeting plan in lgs.yaml")
    skip = set(defaults.skip_months)
    if skip >= set(range(1, 13)):
        raise ConfigError("meetings.skip_months in lgs.yaml skips every month",
                          hint="List the meeting dates under meetings.plan, or give --date.")
    skipped_months: list[str] = []
    # After the latest meeting that has minutes already (scaffolded ahead, or a
    # planned date taken): not a first Friday before it.
    ahead = [m.date for m in archive.meetings if m.date is not None and m.date > today] + future_plan
    after = max(ahead, default=today)
    floor = today  # a candidate must come after it: after the latest meeting with minutes once one is passed
    year, month = today.year, today.month
    for _ in range(12 * 5):
        candidate = first_weekday(year, month)
        holiday = swedish_holiday(candidate)
        if holiday:  # the first Friday is a public holiday: the Friday after
            candidate += dt.timedelta(days=7)
        if floor < candidate <= after and not _taken(archive, candidate) and month not in skip:
            context += f"; after {after.isoformat()}, the latest meeting with minutes"  # a free one before it
            floor = after
        if candidate > floor:
            if month in skip:
                skipped_months.append(MONTHS_EN[month - 1])
            elif _taken(archive, candidate):
                passed.append(candidate.isoformat())
            else:
                notes = [context]
                if skipped_months:
                    notes.append(f"{', '.join(skipped_months)} skipped by meetings.skip_months")
                if passed:
                    notes.append(_have_minutes(passed))
                if holiday:
                    notes.insert(0, f"the first Friday, {(candidate - dt.timedelta(days=7)).isoformat()}, "
                                    f"is {holiday}")
                    what = "second Friday of"
                else:
                    what = "first Friday of"
                return DateChoice(candidate, f"{candidate.isoformat()}: {what} "
                                             f"{MONTHS_EN[month - 1]} ({'; '.join(notes)})")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    raise LgsError("no free first Friday in the next five years", hint="Give the date with --date.")


def _have_minutes(days: list[str]) -> str:
    return f"{', '.join(days)} already {'has' if len(days) == 1 else 'have'} minutes"


# -- the variables -------------------------------------------------------------

@dataclass(slots=True)
class Scaffold:
    date: dt.date
    path: Path
    content: str
    actions: list[Tracked] = field(default_factory=list)
    deferred: list[Tracked] = field(default_factory=list)
    expected: int = 0
    template: str = ""  # where the template came from
    warnings: list[str] = field(default_factory=list)


def previous_meeting(archive: Archive, day: dt.date) -> Meeting | None:
    earlier = [m for m in archive.dated if m.date is not None and m.date < day]
    return earlier[-1] if earlier else None


def open_actions(archive: Archive, day: dt.date) -> list[Tracked]:
    """Actions raised before ``day`` and still open on it: overdue first, then by
    due date (no due date last), then by ID."""
    tracked = [t for t in track(archive, EntryKind.ACTION, as_of=day - dt.timedelta(days=1)) if t.is_open]
    return sorted(tracked, key=lambda t: _order(t, day))


def deferred_matters(archive: Archive, day: dt.date) -> list[Tracked]:
    """Deferred matters still open before ``day`` and due at the meeting on
    ``day`` (that day, or that month for a month) or overdue by then."""
    out = []
    for t in track(archive, EntryKind.DEFERRAL, as_of=day - dt.timedelta(days=1)):
        due = t.due
        if t.is_open and due is not None and (due.matches_meeting(day) or due.last_day < day):
            out.append(t)
    return sorted(out, key=lambda t: _order(t, day))


def _order(t: Tracked, day: dt.date) -> tuple[bool, dt.date, dt.date, str, int]:
    due = t.due
    number = int(re.sub(r"\D", "", t.entry.local) or 0)
    return (not t.overdue(day), due.last_day if due else dt.date.max,
            t.meeting.date or dt.date.min, t.entry.local[:1], number)


def build_variables(archive: Archive, day: dt.date) -> tuple[dict[str, str], list[Tracked], list[Tracked], int]:
    """The template variables for a meeting on ``day``, plus the open actions,
    the deferred matters and the number of expected attendees."""
    defaults = archive.roster.meetings
    latest = previous_meeting(archive, day)
    start = _time(defaults.start) or (latest.start if latest else None)
    end = _time(defaults.end) or (latest.end if latest else None)
    if start and end and end <= start:
        end = None
    location = defaults.location or (latest.location if latest else None)
    chairs = defaults.chairs or _names(latest.chairs if latest else None)
    secretary = defaults.secretary or _names(latest.secretary if latest else None)
    members = archive.roster.current_members(day)
    expected = [(p.name, role.org or "") for p, role in members]

    fm: list[str] = [f"date: {day.isoformat()}"]
    if start:
        fm.append(f'start: "{start}"')
    if end:
        fm.append(f'end: "{end}"')
    if location:
        fm.append(f"location: {yaml_scalar(location)}")
    fm.append("status: draft")
    fm.append(f"chairs: {yaml_flow_list(chairs) if chairs else NOT_RECORDED}")
    fm.append(f"secretary: {yaml_flow_list(secretary) if secretary else NOT_RECORDED}")
    if expected:
        fm += [
            "# Närvaro: expected är de förväntade deltagarna enligt lgs.yaml. Stryk den som",
            "# inte kom (flytta till absent: vid anmält förhinder), lägg till ersättare och",
            "# gäster, byt sedan \"expected:\" mot \"attendees:\" och ta bort raden",
            "# \"attendees: not-recorded\". Till dess räknas mötet inte i närvarorapporterna.",
            f"attendees: {NOT_RECORDED}",
            "expected:",
            *(f"  - {_attendee(name, org)}" for name, org in expected),
        ]
    else:
        fm += ["# Närvaro: skriv deltagarna under attendees: (lgs.yaml listar inga medlemmar).",
               f"attendees: {NOT_RECORDED}"]

    actions = open_actions(archive, day)
    deferred = deferred_matters(archive, day)
    roster = archive.roster
    followups = ("\n".join(followup_block(t, day, roster) for t in actions) if actions
                 else "Inga öppna åtgärder.")
    items = [deferred_item(t, day, FIRST_DEFERRED_NUMBER + i, roster) for i, t in enumerate(deferred)]
    variables = {
        "date": day.isoformat(),
        "date_long": f"{day.day} {MONTHS_SV[day.month - 1]} {day.year}",
        "weekday": WEEKDAYS_SV[day.weekday()],
        "year": f"{day.year:04d}",
        "front_matter": "\n".join(fm),
        "start": start or "",
        "end": end or "",
        "location": location or "",
        "chairs": ", ".join(chairs),
        "secretary": ", ".join(secretary),
        "previous_date": latest.date.isoformat() if latest and latest.date else "inget tidigare möte",
        "followups": followups,
        "action_count": str(len(actions)),
        "deferred_items": "\n\n".join(items),
        "deferred_count": str(len(deferred)),
        "other_number": str(FIRST_DEFERRED_NUMBER + len(deferred)),
    }
    assert set(variables) == set(VARIABLES)
    return variables, actions, deferred, len(expected)


def _time(value: str | None) -> str | None:
    return parse_time(value) if value else None


def _names(value: list[str] | str | None) -> list[str]:
    return list(value) if isinstance(value, list) else []


def _attendee(name: str, org: str) -> str:
    if "," in name or "," in org or not org:
        parts = [f"name: {yaml_scalar(name, flow=True)}"] + ([f"org: {yaml_scalar(org, flow=True)}"] if org else [])
        return "{" + ", ".join(parts) + "}"
    return yaml_scalar(f"{name}, {org}")


def followup_block(t: Tracked, day: dt.date, roster: Roster | None = None) -> str:
    """A follow-up that carries the action (``Status: kvarstår``), with the
    action's text as the note and an information line: owner, due, source."""
    e = t.entry
    text = _one_line(e.text)
    owners = roster.canonical_list(t.owners) if roster else t.owners
    info = [f"Ansvarig: {', '.join(owners) or 'ingen angiven'}"]
    due = t.due
    if due is None:  # the words of a due date that is no date (LGS023) are kept
        info.append(f"Senast: {t.due_written} (inget datum)" if t.due_written else "Senast: inget datum")
    else:
        info.append(f"Senast: {due.display()}" + (", försenad" if t.overdue(day) else ""))
    source = f"Från {t.meeting.date.isoformat() if t.meeting.date else '?'}, {_item_ref(t)}"
    if t.carried:
        source += f", kvarstått {t.carried} {'gång' if t.carried == 1 else 'gånger'}"
    info.append(source)
    lines = [
        f"- [ ] **Uppföljning {e.id}:**" + (f" {text}" if text else ""),
        "  - Status: kvarstår",
        f"  - *{_one_line(' · '.join(info))}*",
    ]
    # (a due date given in confidential text keeps its words out of the public part too)
    return _confidential(lines) if e.confidential or t.due_confidential else "\n".join(lines)


def deferred_item(t: Tracked, day: dt.date, number: int, roster: Roster | None = None) -> str:
    """An agenda item for a deferred matter, naming where it was deferred."""
    e = t.entry
    title = _one_line(e.item_title) or "Uppskjutet ärende"
    heading = f"## {number}. {title}" + (" {konfidentiellt}" if e.confidential or t.due_confidential else "")
    due = t.due
    facts = [f"avser {e.id}"]
    if due is not None:
        facts.append(f"till {due.display()}" + (", försenat" if due.last_day < day else ""))
    owners = roster.canonical_list(t.owners) if roster else t.owners
    if owners:
        facts.append(f"ansvarig {', '.join(owners)}")
    origin = f"Uppskjutet från {t.meeting.date.isoformat() if t.meeting.date else '?'}, {_item_ref(t)}"
    text = _one_line(e.text)
    lines = [heading, "", f"*{_one_line(origin + ' (' + '; '.join(facts) + ')')}:*", ""]
    if text:
        lines += [f"> {text}", ""]
    lines.append(f"<!-- Ett beslut som avgör ärendet får fältet \"- Avser: {e.id}\". -->")
    return "\n".join(lines)


def _item_ref(t: Tracked) -> str:
    e = t.entry
    return f"punkt {item_label(e)}" if e.item_number else f"punkten {e.item_title}"


def _one_line(text: str) -> str:
    """Text on one line; other characters are kept as written."""
    return text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ").strip()


def _confidential(lines: list[str]) -> str:
    return "\n".join(["<!-- konfidentiellt -->", *lines, "<!-- /konfidentiellt -->"])


# -- YAML output -----------------------------------------------------------------

def yaml_flow_list(items: list[str]) -> str:
    return "[" + ", ".join(yaml_scalar(i, flow=True) for i in items) + "]"


# -- the template ------------------------------------------------------------------

def load_template(root: Path, explicit: Path | None) -> tuple[str, str]:
    """The template text and where it came from."""
    if explicit is not None:
        return _read_template(explicit, "--template"), display_path(explicit)
    local = root / TEMPLATE_RELPATH
    if os.path.lexists(local):
        root_real = root.resolve()
        real = local.resolve()
        if root_real not in real.parents:
            raise LgsError(f"refusing to read {display_path(local)}: it links to a file outside the archive")
        return _read_template(local, None), display_path(local)
    from importlib import resources  # noqa: PLC0415

    packaged = resources.files("lgs_cli").joinpath("templates/meeting.md")
    return packaged.read_text(encoding="utf-8"), "the default template"


def _read_template(path: Path, option: str | None) -> str:
    where = display_path(path)
    # bounded, and only a regular file: not /dev/zero, not a FIFO that nobody writes to
    raw, problem, _ = read_bounded(path, MAX_FILE_BYTES)
    if raw is None:
        problem = (problem or "cannot read it").removeprefix("cannot read the file: ")
        raise UsageError(f"cannot read the template {where}: {problem}", option=option)
    try:
        return raw.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise UsageError(f"the template {where} is not UTF-8 (line {line})", option=option) from None


def template_variables(template: str) -> list[tuple[str, int]]:
    """Every variable the template uses, with its line."""
    found = []
    for m in _PLACEHOLDER.finditer(template):
        name = m.group("lb") or m.group("ln") or m.group("b") or m.group("n")
        if name:
            found.append((name, template.count("\n", 0, m.start()) + 1))
    return found


def render(template: str, variables: dict[str, str], source: str = "the template") -> str:
    """Substitute ``$name``/``${name}`` in one pass (values are never re-read as
    template text). A variable alone on its line that expands to nothing takes
    its line, and the blank line after it, with it."""
    unknown = [(n, line) for n, line in template_variables(template) if n not in variables]
    if unknown:
        name, line = unknown[0]
        more = f" (and {len(unknown) - 1} more)" if len(unknown) > 1 else ""
        raise UsageError(
            f"unknown template variable ${name} on line {line} of {source}{more}",
            hint="Known variables: " + ", ".join(f"${v}" for v in VARIABLES) + ". Write $$ for a dollar sign.",
        )

    def substitute(m: re.Match[str]) -> str:
        if m.group("whole") is not None:
            value = variables[m.group("lb") or m.group("ln")]
            if value == "":
                # drop the line; drop the blank line after it only where one comes before it
                start = m.start()
                blank_before = start == 0 or m.string.endswith("\n\n", 0, start) or start == 1
                return "" if blank_before else m.group("tail")[1:]
            indent = m.group("whole")[: len(m.group("whole")) - len(m.group("whole").lstrip(" \t"))]
            return indent + value + m.group("tail")
        if m.group("esc"):
            return "$"
        return variables[m.group("b") or m.group("n")]

    text = _PLACEHOLDER.sub(substitute, template)
    return text if text.endswith("\n") else text + "\n"


def build_scaffold(archive: Archive, day: dt.date, template_path: Path | None = None) -> Scaffold:
    """Render the new meeting and check that it reads back as a valid draft."""
    path = meeting_path(archive.root, day)
    template, source = load_template(archive.root, template_path)
    variables, actions, deferred, expected = build_variables(archive, day)
    content = render(template, variables, source)
    scaffold = Scaffold(day, path, content, actions, deferred, expected, source)
    used = {n for n, _ in template_variables(template)}
    if actions and "followups" not in used:
        scaffold.warnings.append(f"{source} has no $followups: {len(actions)} open action(s) are not listed")
    if deferred and "deferred_items" not in used:
        scaffold.warnings.append(f"{source} has no $deferred_items: {len(deferred)} deferred matter(s) are not listed")
    size = len(content.encode("utf-8", "surrogatepass"))
    if size > MAX_FILE_BYTES:  # lgs would not read it (LGS001)
        raise LgsError(f"the new minutes would be {size:,} bytes, over the {MAX_FILE_BYTES:,} bytes a meeting file "
                       f"may have ({len(actions)} open action(s), {len(deferred)} deferred matter(s) to list); "
                       "nothing was written",
                       hint="Close or drop old actions in a meeting's follow-ups, or use a template without "
                            "$followups or $deferred_items.")
    problems = validate(content, path, day)
    if problems:
        first = problems[0]
        raise UsageError(
            f"{source} does not give a valid draft: line {first.line}: {first.message}"
            + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""),
            hint="Try 'lgs new-meeting --dry-run' and compare with the default template; variables: "
                 + ", ".join(f"${v}" for v in VARIABLES),
        )
    return scaffold


def validate(content: str, path: Path, day: dt.date) -> list[Diagnostic]:
    """Errors the loader would report for ``content`` as the file ``path``, plus
    a date or status that does not fit a new draft for ``day``."""
    relpath = display_path(path)
    reader = _Reader(path, relpath)
    meeting = Meeting(path=path, relpath=relpath, date=None)
    parse_meeting_text(content, meeting, reader)
    problems = [d for d in reader.diagnostics if d.severity is Severity.ERROR]
    if not problems and meeting.date != day:
        problems.append(Diagnostic(relpath, meeting.line_of("date"), "LGS011", Severity.ERROR,
                                   f"date is {meeting.date} but the new meeting is on {day.isoformat()}"))
    if not problems and meeting.status != "draft":
        problems.append(Diagnostic(relpath, meeting.line_of("status"), "LGS004", Severity.ERROR,
                                   "a new meeting must have status: draft"))
    return problems


# -- writing -----------------------------------------------------------------------

def check_inside(root: Path, path: Path) -> None:
    """Refuse a target whose folder resolves outside the archive root (a linked
    year folder, for instance)."""
    root_real = root.resolve()
    folder = path.parent.resolve()
    if folder != root_real and root_real not in folder.parents:
        raise LgsError(f"refusing to write {display_path(path)}: its folder resolves to {folder}, "
                       f"outside the archive {root_real}")


def write_exclusive(root: Path, path: Path, content: str) -> None:
    """Write ``content`` to ``path`` atomically, failing if ``path`` exists
    (see :func:`lgs_cli.fsutil.atomic_write_bytes`)."""
    check_inside(root, path)
    if os.path.lexists(path):
        raise _exists(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        blocking = next((p for p in (path.parent, *path.parent.parents)
                         if os.path.lexists(p) and not p.is_dir()), None)
        if blocking is not None:  # "minutes/2026" is a file
            raise LgsError(f"cannot write {display_path(path)}: {display_path(blocking)} is a file, not a folder",
                           hint="Move that file away (or rename it) and run lgs new-meeting again.") from None
        raise LgsError(f"cannot write {display_path(path)}: {exc.strerror or exc}") from None
    check_inside(root, path)
    try:
        _write_via_temporary(path, content.encode("utf-8"))
    except FileExistsLgsError:
        raise _exists(path) from None
    except OSError as exc:
        raise LgsError(f"cannot write {display_path(path)}: {exc.strerror or exc}") from None


def _write_via_temporary(path: Path, data: bytes) -> None:
    atomic_write_bytes(path, data, exclusive=True)


def _exists(path: Path) -> FileExistsLgsError:
    return FileExistsLgsError(f"{display_path(path)} already exists; lgs new-meeting never overwrites a file",
                              hint="Edit that file, or give another date with --date.")
