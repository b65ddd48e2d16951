"""Commands ``lgs check``, ``lgs diff``, ``lgs approve`` and ``lgs schema``."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .cli import ArchiveOpt, app, complete_from, parse_date_option, today_from, today_option, warn_slow_yaml
from .entry import discard_stdout
from .errors import EXIT_FINDINGS, EXIT_OK, GitError, UsageError
from .names import sanitize, sanitize_path
from .output import choose_format, json_for, stderr, to_json

if TYPE_CHECKING:
    from .archive import Archive
    from .model import Diagnostic

CHECK_FORMATS = ("text", "github", "json")
DIFF_FORMATS = ("text", "markdown", "json")


# -- output of findings -------------------------------------------------------------

def _use_colour(stream: Any) -> bool:
    if os.environ.get("NO_COLOR") or os.environ.get("TERM", "") in ("dumb", "unknown"):  # as Rich decides
        return False
    return bool(getattr(stream, "isatty", None) and stream.isatty())


def format_text(findings: list[Diagnostic], *, colour: bool = False) -> str:
    """Grouped by file, sorted by line: ``path:line: error LGS101 message`` and a hint line."""
    out: list[str] = []
    current: str | None = None
    for d in findings:
        if d.path != current:
            if current is not None:
                out.append("")
            current = d.path
        sev = d.severity.value
        where = sanitize_path(d.location())
        if colour:
            sev = typer.style(sev, fg="red" if sev == "error" else "yellow", bold=True)
            where = typer.style(where, bold=True)
        out.append(f"{where}: {sev} {d.code} {_one_line(d.message)}")
        if d.hint:
            out.append(f"    hint: {_one_line(d.hint)}")
    return "\n".join(out) + ("\n" if out else "")


def _one_line(text: str) -> str:
    return sanitize(" ".join(text.split("\n")))


def github_data(text: str) -> str:
    """Escape the message of a GitHub Actions workflow command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """Escape a property value (file, title) of a workflow command."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(findings: list[Diagnostic]) -> str:
    """``::error file=…,line=…,title=LGS101::message`` — one line per finding;
    nothing from the minutes can end the line or start another command."""
    out = []
    for d in findings:
        command = "error" if d.severity.value == "error" else "warning"
        props = [f"file={github_property(sanitize(d.path))}"]
        if d.line:
            props.append(f"line={d.line}")
        props.append(f"title={github_property(d.code)}")
        message = sanitize(d.message) + (f"\n{sanitize(d.hint)}" if d.hint else "")
        out.append(f"::{command} {','.join(props)}::{github_data(message)}")
    return "\n".join(out) + ("\n" if out else "")


def findings_json(findings: list[Diagnostic], summary: dict[str, Any]) -> str:
    records = [
        {"file": d.path, "line": d.line, "code": d.code, "severity": d.severity.value,
         "message": d.message, "hint": d.hint}
        for d in findings
    ]
    return json_for(to_json({"findings": records, "summary": summary})) + "\n"


# -- git helpers ---------------------------------------------------------------------

@contextmanager
def revision_archive(root: Path, rev: str, option: str, *, since_left: str | None = None,
                     ) -> Iterator[tuple[Archive, str, str | None]]:
    """The archive at ``root`` as it was at git revision ``rev`` (loaded from a
    temporary folder that is removed afterwards), with a label for messages.

    ``since_left`` (a revision, or "HEAD"): the archive where that revision's
    history left ``rev`` (their merge base) instead, so that a branch behind
    its target is compared with what it started from, not with minutes approved
    on the target since. ``rev`` itself when there is no merge base (a shallow
    clone), which stderr notes. The third value is ``rev``'s own commit when the
    merge base is another (``rev`` moved on since), else None."""
    import tempfile  # noqa: PLC0415

    from . import gitops  # noqa: PLC0415
    from .archive import load_archive  # noqa: PLC0415

    gitops.validate_rev(rev, option)  # before git runs at all
    repo = gitops.toplevel(root)
    sha = gitops.resolve_commit(rev, repo, option)
    sub = gitops.archive_subpath(root, repo)
    label = f"{rev} ({gitops.short(sha)})" if not sha.startswith(rev.lower()) else gitops.short(sha)
    moved_on: str | None = None
    if since_left is not None:
        other = gitops.resolve_commit(since_left, repo, "HEAD") if since_left != "HEAD" else gitops.try_commit(
            "HEAD", repo)  # (none yet: nothing to find a merge base with)
        fork = gitops.merge_base(sha, other, repo) if other is not None else None
        if fork is None and other is not None:
            stderr(f"Note: {since_left} and {rev} have no merge base here (a shallow clone?): "
                   f"compared with {rev} itself, including what it gained since this branch left it.")
        elif fork is not None and fork != sha:
            label = f"{gitops.short(fork)} (where {since_left} left {rev})"
            sha, moved_on = fork, sha
    # The archive moved since (its folder renamed, or put behind a link): the
    # revision's archive that is gone from where it was is compared, or its approved
    # minutes would go unseen; of several gone, the one that holds this archive's
    # meeting files (a folder now a link to this archive counts as gone). None gone:
    # this archive is new (an archive still there is another).
    paths = gitops.tree_paths(sha, repo)
    folders = gitops.roster_folders(sha, repo, paths)
    here = root.resolve()
    gone = [f for f in folders if not (repo / f / "lgs.yaml").exists() or (repo / f).resolve() == here]
    if sub not in folders and gone:
        sub = gone[0] if len(gone) == 1 else _same_archive(root, rev, option, gone, paths)
        label = f"{label}, where the archive is {sub or 'the top of the repository'}"
    # a dot name: a TMPDIR inside the archive is a folder lgs does not read as minutes
    with tempfile.TemporaryDirectory(prefix=".lgs-rev-") as tmp:
        try:
            folder = gitops.export_archive(sha, repo, sub, Path(tmp))
        except OSError as exc:  # a full or read-only TMPDIR: the check cannot run
            raise GitError(f"cannot export {rev} to a temporary folder ({tmp}): {exc.strerror or exc}",
                           hint="Free space there, or point TMPDIR at a folder with room.") from None
        # one cache for the revisions of this archive, whatever temporary folder they are in
        yield load_archive(folder, cache_as=f"{repo.resolve()}//{sub} at a revision"), label, moved_on


def _same_archive(root: Path, rev: str, option: str, folders: list[str], paths: list[str]) -> str:
    """Of a revision's several archives (none where this one is now), the one that
    holds the most of this archive's meeting files, by their paths inside it; a
    usage error when none or more than one does (the check cannot run: exit 2)."""
    from .archive import list_meeting_files  # noqa: PLC0415

    here = [p.relative_to(root).as_posix() for p in list_meeting_files(root, [])]
    present = set(paths)
    scores = {f: sum(1 for rel in here if (f"{f}/{rel}" if f else rel) in present) for f in folders}
    best = max(scores.values())
    found = [f for f, n in scores.items() if n == best]
    if best == 0 or len(found) > 1:
        named = ", ".join(f or "(the top)" for f in folders)
        raise UsageError(f"the archive is not where it is now at {rev}, which has archives at {named}: "
                         "lgs cannot tell which one to compare", option=option,
                         hint="Move or rename the archive in a change of its own, without editing minutes.")
    return found[0]


def _find_root(path: Path | None, archive: Path | None) -> Path:
    from .archive import find_archive  # noqa: PLC0415

    if path is not None and archive is not None and path.resolve() != archive.resolve():
        raise UsageError("give the archive either as PATH or with --archive, not both")
    return find_archive(path or archive)


# -- lgs check -----------------------------------------------------------------------

@app.command()
def check(
    path: Annotated[
        Path | None,
        typer.Argument(help="The archive to check (default: --archive, $LGS_ARCHIVE or the nearest lgs.yaml).",
                       show_default=False),
    ] = None,
    archive: ArchiveOpt = None,
    base: Annotated[
        str | None,
        typer.Option("--base", help="Git revision (e.g. origin/main): approved minutes where HEAD left it "
                     "(their merge base) must be unchanged (LGS302) and still present (LGS303).",
                     show_default=False),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text, github (workflow commands) or json.",
                                     autocompletion=complete_from(CHECK_FORMATS),
                                     metavar="[text|github|json]")] = "text",
    strict: Annotated[bool, typer.Option("--strict", help="Fail (exit 1) on warnings too.")] = False,
    today: Annotated[str | None, today_option("meeting dates far in the future, approvals dated after it, and "
                                              "with --base new corrections dated after it")] = None,
) -> None:
    """Check the archive: every finding with file, line, rule ID and a hint.

    Exit status: 0 no errors (warnings allowed unless --strict), 1 errors found,
    2 the check could not run (no archive, bad option or revision, git missing).

    Example: lgs check minutes/ --base origin/main --format github
    """
    from .archive import load_archive  # noqa: PLC0415
    from .rules import check_archive, count, precompute  # noqa: PLC0415

    fmt = choose_format(fmt, CHECK_FORMATS)
    day = today_from(today)
    root = _find_root(path, archive)
    arch = load_archive(root, derive=precompute)  # the per-meeting rules run as files are parsed
    warn_slow_yaml()
    if base is not None:
        from . import gitops  # noqa: PLC0415

        with revision_archive(root, base, "--base", since_left="HEAD") as (old, label, moved_on):
            if moved_on is None:
                findings = check_archive(arch, today=day, base=old, base_label=label)
            else:  # and what was approved on the target since: this branch may not change it either
                with revision_archive(root, moved_on, "--base") as (tip, _, _):
                    findings = check_archive(arch, today=day, base=old, base_label=label, tip=tip,
                                             tip_label=f"{base} ({gitops.short(moved_on)})")
    else:
        findings = check_archive(arch, today=day)
    errors, warnings = count(findings)
    meetings = sum(1 for m in arch.meetings if m.ok)  # as `lgs meetings` counts them
    unreadable = len(arch.meetings) - meetings  # files that could not be read as meetings (findings say why)
    files = len({d.path for d in findings})
    summary = {"errors": errors, "warnings": warnings, "files": files, "meetings": meetings,
               "unreadable": unreadable, "base": base}
    checked = f"{meetings} meeting(s) checked" + (f", {unreadable} file(s) not readable as a meeting"
                                                  if unreadable else "")
    failed = errors > 0 or (strict and warnings > 0)
    if fmt == "json":
        out = findings_json(findings, summary)
    elif fmt == "github":
        out = format_github(findings)
    else:
        out = format_text(findings, colour=_use_colour(sys.stdout))
    try:
        if out:  # nothing to write is no write (that could fail on a full disk)
            sys.stdout.write(out)
            sys.stdout.flush()
    except BrokenPipeError:  # `lgs check | head -1`: the findings are cut short, the verdict is not
        discard_stdout()
    if errors or warnings:
        stderr(f"lgs check: {errors} error(s), {warnings} warning(s) in {files} file(s); {checked}.")
    else:
        stderr(f"lgs check: no problems; {checked}.")
    raise typer.Exit(EXIT_FINDINGS if failed else EXIT_OK)


# -- lgs diff ------------------------------------------------------------------------

@app.command()
def diff(
    base: Annotated[
        str | None,
        typer.Argument(help="Base revision, compared from where HEAD left it (default: the merge base of HEAD "
                            "with the main branch).",
                       show_default=False),
    ] = None,
    head: Annotated[
        str | None, typer.Argument(help="Head revision (default: the working tree).", show_default=False)
    ] = None,
    archive: ArchiveOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text, markdown (for a PR comment) or json.",
                                     autocompletion=complete_from(DIFF_FORMATS),
                                     metavar="[text|markdown|json]")] = "text",
    public: Annotated[
        bool | None,
        typer.Option("--public/--no-public",
                     help="Show confidential entries as '(konfidentiellt)'. Default: on for markdown "
                          "(it is posted as a PR comment), off otherwise.", show_default=False),
    ] = None,
) -> None:
    """What a change does to the record: meetings, decisions, actions, attendance.

    Example: lgs diff origin/main --format markdown
    """
    from . import gitops  # noqa: PLC0415
    from .archive import find_archive, load_archive  # noqa: PLC0415
    from .diffview import render_json, render_markdown, render_text  # noqa: PLC0415
    from .review import diff_archives, redact_confidential, relpath_in  # noqa: PLC0415

    fmt = choose_format(fmt, DIFF_FORMATS)
    redact = public if public is not None else fmt == "markdown"
    root = find_archive(archive)
    repo = gitops.toplevel(root)
    if base is None:
        found = gitops.default_base(repo)
        base_rev, base_name = found.sha, found.label
    else:
        gitops.validate_rev(base, "BASE")
        base_rev, base_name = base, base
    if head is not None:
        gitops.validate_rev(head, "HEAD")

    unreadable: list[str] = []

    def prepared(arch: Archive, label: str) -> Archive:
        broken = sorted(sanitize_path(relpath_in(m, arch)) for m in arch.meetings if not m.ok)
        if broken:  # not in the record's changes: say so, or a file made unreadable would go unnoticed
            named = ", ".join(broken[:10]) + (f" and {len(broken) - 10} more" if len(broken) > 10 else "")
            unreadable.append(f"{len(broken)} file(s) at {label} could not be read as meetings: {named} "
                              "('lgs check' says why)")
        if redact:
            redact_confidential(arch)
        return arch

    with revision_archive(root, base_rev, "BASE", since_left=head or "HEAD") as (old, old_label, moved_on):
        base_label = old_label if base is not None else f"{gitops.short(base_rev)} ({base_name})"
        if head is None:
            result = diff_archives(prepared(old, base_label), prepared(load_archive(root), "the working tree"),
                                   base_label=base_label, head_label="working tree")
        else:
            with revision_archive(root, head, "HEAD") as (new, new_label, _):
                result = diff_archives(prepared(old, base_label), prepared(new, new_label), base_label=base_label,
                                       head_label=new_label)
    render = {"text": render_text, "markdown": render_markdown, "json": render_json}[fmt]
    sys.stdout.write(render(result))
    total = sum(len(rows) for rows in result.changes.values())
    for note in unreadable:
        stderr(f"Note: {note}.")
    if head is not None and moved_on is not None and result.empty \
            and gitops.merge_base(moved_on, gitops.resolve_commit(head, repo, "HEAD"), repo) \
            == gitops.resolve_commit(head, repo, "HEAD"):  # "lgs diff HEAD HEAD~3": the arguments swapped
        stderr(f"Note: {head} is behind {base_name}: it holds nothing {base_name} has not. To see what "
               f"{base_name} added, compare the other way: lgs diff {head} {base_name}")
    stderr(f"{total} change(s) to the record.")


# -- lgs approve ---------------------------------------------------------------------

@app.command()
def approve(
    date: Annotated[str, typer.Argument(help="The meeting: 2025-06-13, '13 juni 2025' or 'latest'.")],
    by: Annotated[str, typer.Option("--by", help="The justerare who approves (a person in the roster).")],
    on: Annotated[
        str | None, typer.Option("--on", help="Date of the approval (default: today).", show_default=False)
    ] = None,
    archive: ArchiveOpt = None,
    today: Annotated[str | None, today_option("the default for --on, and the latest date --on may be")] = None,
) -> None:
    """Mark a draft as approved (justerad): status, approved_by, approved_on (and justerare when none is listed).

    Runs the checks for that meeting first and refuses if any error remains.
    Only the lines that must change are edited.

    Example: lgs approve 2025-06-13 --by "Jenny Smedberg"
    """
    from .approval import approve_meeting  # noqa: PLC0415
    from .archive import find_archive, load_archive  # noqa: PLC0415
    from .views import find_meeting  # noqa: PLC0415

    day = today_from(today)
    arch = load_archive(find_archive(archive))
    meeting = find_meeting(arch, date)
    done = approve_meeting(arch, meeting, by=by, on=parse_date_option(on, "--on", today=day), today=day)
    if done.warnings:
        sys.stderr.write(format_text(done.warnings))
    extra = f", justerare {done.by}" if done.justerare_added else ""
    stderr(f"Approved {done.relpath}: approved_by {done.by}, approved_on {done.on.isoformat()}{extra}.")


# -- lgs schema ----------------------------------------------------------------------

@app.command()
def schema(
    path: Annotated[bool, typer.Option("--path", help="Print where the schema file is installed instead.")] = False,
) -> None:
    """Print the JSON Schema of the meeting front matter (for editors).

    Example: lgs schema > .vscode/meeting.schema.json
    """
    from .rules import schema_path, schema_text  # noqa: PLC0415

    sys.stdout.write((schema_path() + "\n") if path else json_for(schema_text()))
