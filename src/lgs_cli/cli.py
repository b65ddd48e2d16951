"""The command-line layer: options in, core calls, output out.

Domain errors (:class:`~lgs_cli.errors.LgsError`) and unexpected failures are
turned into messages and exit codes in exactly one place: :class:`LgsGroup`.
Rich and dateparser are never imported at module level.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from . import __version__
from .entry import cannot_write, discard_stdout
from .errors import LgsError
from .names import sanitize_path
from .output import OutputFormat, stderr

if TYPE_CHECKING:
    from collections.abc import Callable

    from .archive import Derive

# The order of commands in `lgs --help`: the daily questions first.
COMMAND_ORDER = ("actions", "decisions", "attendance", "meetings", "show", "new-meeting",
                 "check", "diff", "approve", "schema")


class LgsGroup(TyperGroup):
    """Runs a command and turns domain errors into a message and exit code."""

    def get_params(self, ctx: Any) -> list[Any]:
        params = super().get_params(ctx)
        for param in params:  # Typer's installer rewrites the start-up file in place: lgs's own, safely
            if param.name == "install_completion":
                param.callback = _install_completion
            elif param.name == "show_completion":
                param.callback = _show_completion
        return params

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except Exception as exc:
            # "lgs -a PATH actions": an option of the commands given before the command
            name = getattr(exc, "option_name", None)
            if type(exc).__name__ == "NoSuchOption" and name and any(
                    name in getattr(p, "opts", ()) for c in self.commands.values() for p in c.params):
                said = f"No such option: {name} (options come after the command: lgs COMMAND {name} …)"
                exc.message = said  # type: ignore[attr-defined]  # (Click's NoSuchOption)
            raise

    def list_commands(self, ctx: Any) -> list[str]:
        names = super().list_commands(ctx)
        rank = {name: i for i, name in enumerate(COMMAND_ORDER)}
        return sorted(names, key=lambda n: (rank.get(n, len(rank)), n))

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except LgsError as exc:  # from an eager option's callback (--install-completion, --show-completion)
            report_error(exc)
            sys.exit(exc.exit_code)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except LgsError as exc:
            report_error(exc)
            sys.exit(exc.exit_code)
        except BrokenPipeError:  # `lgs actions | head`
            with contextlib.suppress(OSError):
                sys.stdout = open(os.devnull, "w")  # noqa: SIM115
            sys.exit(0)
        except KeyboardInterrupt:
            stderr("Interrupted.")
            sys.exit(130)
        except OSError as exc:
            if exc.errno not in _IO_ERRNOS:
                raise_internal(exc)
            # the output (or a file being written) could not be written: not a bug in lgs
            with contextlib.suppress(OSError, ValueError, AttributeError):
                sys.stdout.flush()  # what was printed before a file failed to be written still goes out
            sys.exit(cannot_write(exc))
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except Exception as exc:
            if _is_click_exception(exc):
                raise
            raise_internal(exc)


def raise_internal(exc: Exception) -> NoReturn:
    """An unexpected exception: a bug in lgs (exit 70), or its traceback with LGS_DEBUG."""
    if os.environ.get("LGS_DEBUG"):
        raise exc
    stderr(f"lgs: internal error: {type(exc).__name__}: {exc}")
    stderr("This is a bug in lgs. Run again with LGS_DEBUG=1 for the traceback and report it.")
    sys.exit(70)


# Errors of the system, not of lgs: a full disk, a quota, a failing device, a file too big.
# EBADF: the standard output was closed while lgs ran.
_IO_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG, errno.EBADF})


def _is_click_exception(exc: Exception) -> bool:
    # Typer's own exceptions derive from Click's (vendored as typer._click by recent Typer)
    return any(cls.__name__ == "ClickException" for cls in type(exc).__mro__)


def report_error(exc: LgsError) -> None:
    """The one place an :class:`LgsError` becomes output: the findings behind it
    (``lgs approve`` refused), then ``Error:`` and ``Hint:``."""
    findings = getattr(exc, "findings", None)
    if findings:
        from .cmd_check import format_text  # noqa: PLC0415

        sys.stderr.write(format_text(findings))
    # one line each: a line break in what was typed (lgs show $'x\ny') is shown as \n
    stderr(f"Error: {exc.message}".replace("\n", "\\n"))
    if exc.hint:
        stderr(f"Hint: {exc.hint}".replace("\n", "\\n"))


app = typer.Typer(
    cls=LgsGroup,
    name="lgs",
    help=(
        "lgs: the minutes of Ledningsgrupp för samordning (Region Kronoberg and the eight "
        "municipalities), as something to act on: open actions, decisions, attendance, "
        "the next meeting, and the CI gate."
    ),
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)


def _install_completion(ctx: Any, param: Any, value: Any) -> Any:
    """``--install-completion``: the script in a file of its own, and one line that
    loads it added to the shell's start-up file (:mod:`lgs_cli.shellrc`)."""
    if not value or ctx.resilient_parsing:
        return value
    from typer._completion_shared import get_completion_script  # noqa: PLC0415

    from .shellrc import (  # noqa: PLC0415
        SCRIPTS,
        home_folder,
        install_completion,
    )

    shell = _completion_shell(value, tuple(SCRIPTS), "--install-completion", "a shell lgs installs no completion for",
                              "Run it in bash, zsh or fish, or add what 'lgs --show-completion' prints to your "
                              "shell's set-up yourself.")
    done = install_completion(shell, get_completion_script(prog_name="lgs", complete_var="_LGS_COMPLETE",
                                                           shell=shell), home_folder())
    loads = (f"; {done.startup} loads it" + (" (a line added at its end)" if done.added else "")
             if done.startup is not None else "")
    stderr(f"{done.shell} completion installed in {done.script}{loads}. It takes effect in a new shell.")
    sys.exit(0)


def _show_completion(ctx: Any, param: Any, value: Any) -> Any:
    """``--show-completion``: the script for this shell; a shell Typer has no script
    for is a usage error (2), said as every other one is."""
    if not value or ctx.resilient_parsing:
        return value
    from typer._completion_shared import get_completion_script  # noqa: PLC0415

    shell = _completion_shell(value, COMPLETION_SHELLS, "--show-completion", "a shell lgs has no completion for",
                              f"Completion is for {', '.join(COMPLETION_SHELLS)}; run it in one of them.")
    sys.stdout.write(get_completion_script(prog_name="lgs", complete_var="_LGS_COMPLETE", shell=shell) + "\n")
    sys.exit(0)


COMPLETION_SHELLS = ("bash", "zsh", "fish", "pwsh", "powershell")  # the scripts Typer has


def _completion_shell(value: Any, known: tuple[str, ...], option: str, unknown: str, hint: str) -> str:
    """The shell a completion option is for: the one named (Typer's test mode) or the
    one lgs runs in; one not in ``known`` is a usage error (2)."""
    from .errors import UsageError  # noqa: PLC0415

    shell = value.strip().lower() if isinstance(value, str) else _shell_name()
    if shell in known:
        return shell
    raise UsageError(f"'{shell}' is {unknown}" if shell else "cannot tell which shell this is",
                     option=option, hint=hint)


def _shell_name() -> str | None:
    """The shell lgs runs in, as Typer's --show-completion finds it; else $SHELL's name."""
    if not os.environ.get("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION"):
        try:
            from typer._completion_shared import _get_shell_name  # noqa: PLC0415

            found = _get_shell_name()
            if found:
                return str(found).lower()
        except Exception:  # (a private helper of Typer's: its absence is no error)
            pass
    shell = os.path.basename(os.environ.get("SHELL", "")).lower()
    return shell or None


def _version(value: bool) -> None:
    if value:
        # not echo, which flushes here, outside the error handling: main flushes (exit 74 on a full disk)
        try:
            sys.stdout.write(f"lgs {__version__}\n")
        except BrokenPipeError:  # `lgs --version | head -0`: not an error (click would exit 1)
            discard_stdout()
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Shared root: no behaviour of its own."""


# -- shared options ----------------------------------------------------------------

ArchiveOpt = Annotated[
    Path | None,
    typer.Option(
        "--archive",
        "-a",
        help="The minutes archive (a folder with lgs.yaml). Default: $LGS_ARCHIVE, else the nearest "
        "folder upwards holding lgs.yaml or minutes/lgs.yaml.",
        show_default=False,
        file_okay=False,
    ),
]
def _output_format(value: str | OutputFormat) -> OutputFormat:
    """A listing's ``--format``; ``text`` is ``table``, as for every command."""
    if isinstance(value, OutputFormat):
        return value
    chosen = value.strip().lower()
    if chosen == "text":
        return OutputFormat.table
    try:
        return OutputFormat(chosen)
    except ValueError:
        choices = ", ".join(repr(f.value) for f in OutputFormat)
        raise typer.BadParameter(f"{value!r} is not one of {choices}.") from None


def _complete_format(incomplete: str) -> list[str]:
    return [f.value for f in OutputFormat if f.value.startswith(incomplete.lower())]


def complete_from(choices: tuple[str, ...]) -> Callable[[str], list[str]]:
    """Shell completion for an option that takes one of ``choices`` (a command's own ``--format``)."""
    def complete(incomplete: str) -> list[str]:
        return [c for c in choices if c.startswith(incomplete.lower())]

    return complete


SHOW_FORMATS = ("text", "markdown", "json")


FormatOpt = Annotated[
    OutputFormat,
    typer.Option("--format", "-f", help="Output format.", parser=_output_format,
                 metavar="<table|json|csv|markdown>", autocompletion=_complete_format),
]
BomOpt = Annotated[
    bool,
    typer.Option("--bom/--no-bom", help="With --format csv: start with a UTF-8 byte-order mark so Excel reads å, ä, ö."),
]
CSV_SEPARATORS = {",": ",", ";": ";", "tab": "\t", "\t": "\t", "|": "|"}


def _csv_separator(value: str) -> str:
    """``--sep``: the CSV field separator (``;`` for a spreadsheet in Swedish, where
    the comma is the decimal mark)."""
    try:
        return CSV_SEPARATORS[value.strip().lower() or value]
    except KeyError:
        raise typer.BadParameter(f"{value!r} is not one of ',', ';', 'tab', '|'.") from None


SepOpt = Annotated[
    str,
    typer.Option("--sep", help="With --format csv: the field separator, ',' (default), ';' (Excel in Swedish), "
                 "'tab' or '|'.", parser=_csv_separator, metavar="<,|;|tab|'|'>"),
]


def today_option(what: str) -> Any:
    """A command's ``--today``: "Take this date as today" and what it sets there."""
    return typer.Option("--today", help=f"Take this date as today (ISO or words): {what} (default: the real date).",
                        show_default=False)


TodayOpt = Annotated[str | None, today_option("ages, overdue and due dates, what is in the future")]


def load(archive_opt: Path | None, *, quiet: bool = False, derive: Derive | None = None) -> Any:
    """Find and load the archive; print a short note about files that could not be read.
    ``derive``: see :func:`lgs_cli.archive.load_archive`."""
    from .archive import find_archive, load_archive  # noqa: PLC0415

    root = find_archive(archive_opt)
    archive = load_archive(root, derive=derive)
    if _KEEP is not None:  # the console command (main): freed by the process's exit
        _KEEP.append(archive)
    same_day = archive.drop_same_day()  # one meeting a date: the reports neither merge nor double them
    if not quiet:
        for dropped, kept in same_day:
            stderr(f"Skipped {sanitize_path(dropped.relpath)}: it has the date of {sanitize_path(kept.relpath)}, "
                   "which is counted (two meetings on one date share their IDs; 'lgs check': LGS201).")
        broken = [m for m in archive.meetings if not m.ok]
        errors = archive.errors()
        for m in broken:
            first = next((d for d in errors if d.path == m.relpath), None)
            if first:
                stderr(f"Skipped {sanitize_path(first.location())}: {first.message}")
        others = len(errors) - sum(1 for d in errors if any(d.path == m.relpath for m in broken))
        broken_paths = {m.relpath for m in broken}
        # a folder that cannot be read: its meetings are missing from every report (say which)
        unread = [d for d in errors if d.code == "LGS001" and d.path not in broken_paths]
        for d in unread[:5]:
            stderr(f"Skipped {sanitize_path(d.location())}: {d.message}")
        if len(unread) > 5:
            stderr(f"Skipped {len(unread) - 5} more folder(s) or file(s) that cannot be read.")
        others -= len(unread)
        if archive.roster.unread:  # every name in every report depends on it: say so, with where
            first = next((d for d in archive.roster.diagnostics if d.code == "LGS401"), None)
            if first is not None:
                stderr(f"Roster not read: {sanitize_path(first.location())}: {first.message}. Names are not "
                       "resolved through it (owners, organisations, people) until it is fixed.")
                others -= 1
        if others > 0:
            stderr(f"{others} problem(s) found while reading the archive; 'lgs check' lists them and checks more.")
    warn_slow_yaml()
    return archive


SLOW_YAML_WARN = 20  # documents read by PyYAML without libyaml before it is worth a word


def warn_slow_yaml() -> None:
    """A note on stderr when many files were read by PyYAML's pure-Python parser."""
    from . import yamlsafe  # noqa: PLC0415

    if yamlsafe.SLOW_LOADS >= SLOW_YAML_WARN:
        stderr(f"Note: PyYAML here has no libyaml (its C parser): the front matter of {yamlsafe.SLOW_LOADS} "
               "files was read by its pure-Python parser, about 10 times slower. A PyYAML built with libyaml "
               "speeds up the runs that parse files (later runs read them from the cache).")


def parse_date_option(value: str | None, option: str, *, today: dt.date | None = None,
                      prefer_future: bool = False, period_end: bool | None = None) -> dt.date | None:
    """A date option's value; ``period_end`` (an end of a period: False for
    ``--since``, True for ``--until``) also takes a year or a month, as its first
    or last day."""
    if value is None:
        return None
    from .dates import parse_human_date, parse_iso_date, period_bound  # noqa: PLC0415

    if period_end is not None:
        bound = period_bound(value, option=option, end=period_end)
        if bound is not None:
            return bound
    try:
        day = parse_human_date(value, option=option, today=today, prefer_future=prefer_future)
    except LgsError as exc:
        if period_end is not None and exc.hint:  # the forms a period also takes
            if exc.hint.startswith("Use YYYY-MM-DD"):
                exc.hint = exc.hint.replace("Use YYYY-MM-DD,", "Use YYYY-MM-DD (or a year or month: 2025, 2025-04),")
            elif exc.hint.startswith("Give the day of the month too"):  # "maj 2025"
                exc.hint += " A whole month or year is written 2025-05 or 2025."
        raise
    if parse_iso_date(value.strip()) is None:  # words ("nästa fredag"): say which day they were taken as
        stderr(f"{option} {value.strip()!r}: {day:%A} {day.isoformat()}.")
    return day


def today_from(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    parsed = parse_date_option(value, "--today")
    assert parsed is not None
    return parsed


# -- commands ---------------------------------------------------------------------

@app.command()
def meetings(
    archive: ArchiveOpt = None,
    fmt: FormatOpt = OutputFormat.table,
    bom: BomOpt = True,
    sep: SepOpt = ",",
) -> None:
    """List the meetings: date, location, status, items, decisions, actions, attendees.

    Example: lgs meetings --format json
    """
    from .output import emit  # noqa: PLC0415
    from .views import meetings_report  # noqa: PLC0415

    emit(meetings_report(load(archive)), fmt, bom=bom, sep=sep)


@app.command()
def show(
    date: Annotated[str, typer.Argument(help="The meeting: a date (2025-04-04, '4 april 2025') or 'latest'.")],
    archive: ArchiveOpt = None,
    public: Annotated[
        bool, typer.Option("--public", help="Leave out confidential items and passages.")
    ] = False,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="text (terminal), markdown or json.", metavar="[text|markdown|json]",
                          autocompletion=complete_from(SHOW_FORMATS))
    ] = "text",
) -> None:
    """Show one meeting, with its decisions and actions and their IDs.

    Example: lgs show 2025-04-04
    """
    from .output import choose_format, json_for, to_json  # noqa: PLC0415
    from .views import find_meeting, meeting_json, meeting_lines, render_lines  # noqa: PLC0415

    fmt = choose_format(fmt, SHOW_FORMATS)
    arch = load(archive)
    meeting = find_meeting(arch, date)
    if public:
        from .review import confidential_ids, redact_meeting  # noqa: PLC0415

        redact_meeting(meeting, confidential_ids(arch))
    if fmt == "json":
        sys.stdout.write(json_for(to_json(meeting_json(meeting, arch, public=public))) + "\n")
        return
    render_lines(meeting_lines(meeting, arch, public=public), markdown=fmt == "markdown")
    if fmt == "markdown" and not public:
        from .review import confidential_ids  # noqa: PLC0415
        from .views import has_confidential  # noqa: PLC0415

        if has_confidential(meeting, confidential_ids(arch)):
            stderr(CONFIDENTIAL_SHOWN)


# Markdown is what gets pasted into an e-mail or a wiki: say when it holds what is confidential.
CONFIDENTIAL_SHOWN = ("This holds confidential text (marked konfidentiellt), shown in full: "
                      "give --public to leave it out before sharing it.")


# The archives loaded by the console command (main), kept to the end of the process;
# None when lgs runs inside another program (tests, a library caller).
_KEEP: list[Any] | None = None


def main() -> None:
    """Console-script entry point."""
    # A command is a short process that builds many objects and keeps them to the
    # end: the cyclic garbage collector would walk them again and again (over a
    # second at 10,000 meetings) to find next to nothing (see bench/RESULTS.md).
    import gc  # noqa: PLC0415

    global _KEEP
    gc.disable()
    _KEEP = []
    _unwind_on_termination()
    try:
        try:
            app(prog_name="lgs")
        except OSError as exc:  # while the options are read: `lgs --version > /dev/full`
            if exc.errno not in _IO_ERRNOS:
                raise_internal(exc)
            sys.exit(cannot_write(exc))
        except Exception as exc:  # outside a command (LgsGroup.invoke): never a traceback
            if "_LGS_COMPLETE" in os.environ:  # completion asked with a broken environment (no COMP_WORDS):
                sys.exit(1)                    # nothing to complete, and nothing printed into the shell
            raise_internal(exc)
    except KeyboardInterrupt:  # pragma: no cover - interrupted during start-up
        if sys.stderr is not None:
            stderr("Interrupted.")
        sys.exit(130)
    except SystemExit as exc:
        code = exc.code
        if code is not None and not isinstance(code, int):
            if sys.stderr is not None:
                stderr(str(code))
            code = 1
        if _SIGNALLED:  # the handler's SystemExit was lost (raised where Python ignores it): still that exit
            code = 128 + _SIGNALLED[0]
        code = _flush_streams(code or 0)
        from .entry import restore_blocking  # noqa: PLC0415

        restore_blocking()  # (as the caller had them)
        if not _KEEP:
            sys.exit(code)
        # An archive was loaded: leave without freeing it object by object (tens of
        # milliseconds at 10,000 meetings). Everything lgs writes is complete by now.
        os._exit(code)


# The signals that ended the command: a SystemExit raised in a handler can be lost when
# the signal arrives inside a callback whose exceptions Python ignores (a weak
# reference's, during an import); the command then goes on, and main exits with this.
_SIGNALLED: list[int] = []


def _unwind_on_termination() -> None:
    """SIGTERM and SIGHUP (``timeout``, a closed terminal) end the command as Ctrl-C
    does: by unwinding, so that what it was writing (a new cache store) is removed,
    and its parsing processes are ended; exit 128 + the signal's number."""
    import signal  # noqa: PLC0415

    def terminated(signum: int, frame: object) -> None:
        _SIGNALLED.append(signum)
        raise SystemExit(128 + signum)

    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None:
            with contextlib.suppress(ValueError, OSError):  # not the main thread
                signal.signal(number, terminated)


def _flush_streams(code: int) -> int:
    """Flush stdout and stderr before ``os._exit``; the exit code then. Output
    that cannot be written (a full disk) is an error (EX_IOERR, 74), as is it
    when Python flushes at exit; a reader that went away (``| head``) is not."""
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # started with the stream closed
            continue
        try:
            stream.flush()
        except BrokenPipeError:
            if stream is sys.stdout:
                discard_stdout()
        except (OSError, ValueError) as exc:
            if stream is sys.stdout:  # said once (the command may have said it already: code)
                code = code or cannot_write(exc)
                discard_stdout()
    return code


# Commands defined in their own modules register themselves on ``app``.
from . import cmd_registry  # noqa: E402,F401
