"""``lgs new-meeting``: scaffold the next meeting's minutes (see :mod:`lgs_cli.scaffold`)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from .cli import ArchiveOpt, app, load, parse_date_option, today_from


@app.command("new-meeting")
def new_meeting(
    date: Annotated[
        str | None,
        typer.Option("--date", "-d", help="The meeting date: ISO or words ('5 december', 'första fredagen i "
                     "januari', 'next friday'). Default: the next planned meeting after today.",
                     show_default=False),
    ] = None,
    today: Annotated[
        str | None,
        typer.Option("--today", help="Choose the date and what is open as seen on this date (default: today).",
                     show_default=False),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the minutes to stdout and the path to stderr; write nothing.")
    ] = False,
    edit: Annotated[
        bool, typer.Option("--edit", help="Open the new file in $VISUAL or $EDITOR.")
    ] = False,
    template: Annotated[
        Path | None,
        typer.Option("--template", help="Template file. Default: <archive>/templates/meeting.md if present, "
                     "else the packaged template.", dir_okay=False, show_default=False),
    ] = None,
    archive: ArchiveOpt = None,
) -> None:
    """Scaffold the next meeting: minutes/YYYY/YYYY-MM-DD.md as a draft, with every open action to follow up.

    Pre-fills time, place, chairs, secretary and the expected attendees, the
    opening item, a follow-up for every action still open (overdue first), an
    item for each deferred matter due, and Övrigt. Never overwrites a file.

    Example: lgs new-meeting --dry-run
    """
    from .archive import display_path  # noqa: PLC0415
    from .dates import YEARS, swedish_holiday  # noqa: PLC0415
    from .errors import FileExistsLgsError, UsageError  # noqa: PLC0415
    from .output import stderr  # noqa: PLC0415
    from .scaffold import DateChoice, build_scaffold, choose_date, existing_meeting, write_exclusive  # noqa: PLC0415

    if edit and dry_run:
        raise UsageError("--edit cannot be combined with --dry-run (nothing is written)", option="--edit")
    editor = _editor() if edit else None
    if edit and editor is None:
        raise UsageError("neither VISUAL nor EDITOR is set", option="--edit",
                         hint="Set EDITOR, e.g. EDITOR=nano, or leave out --edit.")
    now = today_from(today)
    arch = load(archive)
    if date is not None:
        day = parse_date_option(date, "--date", today=now, prefer_future=True)
        assert day is not None
        given = "" if date.strip() == day.isoformat() else f" '{date.strip()}'"
        choice = DateChoice(day, f"{day.isoformat()}: given with --date{given}")
    else:
        choice = choose_date(arch, now)
    stderr(choice.reason)
    if choice.date <= now:
        stderr(f"Note: {choice.date.isoformat()} is not after today ({now.isoformat()}).")
    holiday = swedish_holiday(choice.date)
    if holiday is not None and date is not None:  # a chosen date never is one
        stderr(f"Note: {choice.date.isoformat()} is {holiday} (a public holiday in Sweden).")
    elif date is not None and choice.date.weekday() >= 5:
        stderr(f"Note: {choice.date.isoformat()} is a {('Saturday', 'Sunday')[choice.date.weekday() - 5]}.")
    if choice.date.year > YEARS[1]:
        raise UsageError(f"the next meeting would be on {choice.date.isoformat()}, outside the years lgs handles "
                         f"({YEARS[0]}–{YEARS[1]})", option="--today")
    other = existing_meeting(arch, choice.date)
    if other is not None:
        raise FileExistsLgsError(f"a meeting on {choice.date.isoformat()} already exists: {other.relpath}",
                                 hint="lgs new-meeting never overwrites; edit that file or give another --date.")
    scaffold = build_scaffold(arch, choice.date, template)
    for warning in scaffold.warnings:
        stderr(f"Warning: {warning}")
    where = display_path(scaffold.path)
    summary = (f"{len(scaffold.actions)} open action(s) to follow up, {len(scaffold.deferred)} deferred "
               f"matter(s), {scaffold.expected} expected attendee(s); template: {scaffold.template}")
    if dry_run:
        sys.stdout.write(scaffold.content)
        sys.stdout.flush()
        stderr(f"Would write {where} ({summary}).")
        return
    write_exclusive(arch.root, scaffold.path, scaffold.content)
    sys.stdout.write(where + "\n")
    sys.stdout.flush()
    stderr(f"Wrote {where} ({summary}).")
    if editor is not None:
        _open_editor(editor, scaffold.path)


def _editor() -> list[str] | None:
    import shlex  # noqa: PLC0415

    for var in ("VISUAL", "EDITOR"):
        value = os.environ.get(var, "").strip()
        if value:
            try:
                words = shlex.split(value, posix=os.name != "nt")
            except ValueError as exc:
                from .errors import UsageError  # noqa: PLC0415

                raise UsageError(f"{var}={value!r} cannot be split into a command: {exc}", option="--edit") from None
            if words:
                return words
    return None


def _open_editor(editor: list[str], path: Path) -> None:
    import subprocess  # noqa: PLC0415

    from .archive import display_path  # noqa: PLC0415
    from .errors import LgsError  # noqa: PLC0415

    try:
        code = subprocess.run([*editor, str(path)], check=False).returncode
    except OSError as exc:
        raise LgsError(f"cannot start the editor '{editor[0]}': {exc.strerror or exc}; "
                       f"the file is written: {display_path(path)}") from None
    if code != 0:
        raise LgsError(f"the editor '{editor[0]}' exited with status {code}; the file is written: {display_path(path)}")
