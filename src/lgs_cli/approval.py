"""Approving minutes (``lgs approve``): the checks a draft must pass, and the edit
that marks it approved, touching only the lines it must, written atomically under
a lock and read back.

No Typer or Rich here: refusals are :class:`lgs_cli.errors.LgsError`; the
findings that refuse an approval travel with the error
(:class:`NotApprovedError`), for the CLI to show.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .archive import Archive
from .errors import FindingsError, LgsError, UsageError
from .fsutil import atomic_write_bytes
from .model import NOT_RECORDED, Diagnostic, Meeting, Severity
from .yamlsafe import dump_scalar as yaml_scalar

# -- approve: the minimal edit -------------------------------------------------------

class ApproveError(LgsError):
    """The file cannot be edited safely by lgs approve (exit 1)."""


_KEY_LINE = re.compile(rb"^([A-Za-z_][A-Za-z0-9_]*)[ \t]*:(.*)$")
_STATUS_DRAFT = re.compile(rb"^(status[ \t]*:[ \t]*)([\"']?)draft\2([ \t]*(?:#.*)?)$")


def _split_eol(line: bytes) -> tuple[bytes, bytes]:
    if line.endswith(b"\r\n"):
        return line[:-2], b"\r\n"
    if line.endswith((b"\n", b"\r")):
        return line[:-1], line[-1:]
    return line, b""


def approve_bytes(raw: bytes, *, by: str, on: dt.date, justerare: str | None = None) -> bytes:
    """Mark a draft as approved by editing only the lines that must change:
    ``status: draft`` becomes ``status: approved``; ``approved_by:`` and
    ``approved_on:`` are set where they exist or inserted after the status line
    (after the one of them that exists below it); with ``justerare`` (the meeting lists none), ``justerare: [NAME]`` is set
    or inserted after them. Every other byte — line endings, a byte-order mark,
    comments, the body — stays as it was."""
    bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    lines = raw[len(bom):].splitlines(keepends=True)
    if not lines or _split_eol(lines[0])[0].rstrip() != b"---":
        raise ApproveError("the file does not start with front matter ('---')")
    end = next((i for i in range(1, len(lines)) if _split_eol(lines[i])[0].rstrip() in (b"---", b"...")), None)
    if end is None:
        raise ApproveError("the front matter is not closed with '---'")
    keys: dict[bytes, int] = {}
    for i in range(1, end):
        found = _KEY_LINE.match(_split_eol(lines[i])[0])
        if found:
            keys.setdefault(found.group(1), i)
    if b"status" not in keys:
        raise ApproveError("no 'status:' line in the front matter")
    s = keys[b"status"]
    content, eol = _split_eol(lines[s])
    match = _STATUS_DRAFT.match(content)
    if match is None:
        raise ApproveError(f"the status line is '{content.decode('utf-8', 'replace')}', not 'status: draft'",
                           hint="lgs approve edits drafts only.")
    new_lines = list(lines)
    new_lines[s] = match.group(1) + match.group(2) + b"approved" + match.group(2) + match.group(3) + eol
    values = [(b"approved_by", yaml_scalar(by)), (b"approved_on", on.isoformat())]
    if justerare is not None:
        values.append((b"justerare", f"[{yaml_scalar(justerare, flow=True)}]"))
    inserts: dict[int, list[bytes]] = {}
    after = s
    for key, value in values:
        line = key + b": " + value.encode("utf-8")
        at = keys.get(key)
        if at is None:
            inserts.setdefault(after, []).append(line + eol)
            continue
        _value_must_be_simple(lines, at, end, key)
        old_content, old_eol = _split_eol(lines[at])
        new_lines[at] = line + _comment_of(old_content) + old_eol  # a comment on the line stays
        after = at if at > after else after
    out = [bom]
    for i, line in enumerate(new_lines):
        out.append(line)
        out.extend(inserts.get(i, []))
    result = b"".join(out)
    _only_the_approval_changed(raw, result, by=by, on=on, justerare=justerare)
    return result


def _front_matter_data(data: bytes) -> Any:
    from .yamlsafe import load  # noqa: PLC0415

    text = data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    end = next(i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))
    return load("\n".join(lines[1:end]))


def _only_the_approval_changed(raw: bytes, result: bytes, *, by: str, on: dt.date, justerare: str | None) -> None:
    """The front matter of the edited file reads as the draft's, with the approval
    set, and nothing else changed: a line that looked like a key inside a value
    over several lines (a quoted text) was not one to edit."""
    try:
        before = _front_matter_data(raw)
    except Exception:  # not YAML lgs reads: nothing to compare with (lgs approve checks the draft first)
        return
    if not isinstance(before, dict):
        return
    try:
        after = _front_matter_data(result)
    except Exception:
        after = None
    expected: dict[str, object] = {"status": "approved", "approved_by": by, "approved_on": on.isoformat()}
    if justerare is not None:
        expected["justerare"] = [justerare]
    names = set(expected)  # the keys the edit sets; every other key reads as before
    ok = isinstance(after, dict) and all(
        str(after.get(k)) == str(v) for k, v in expected.items()) and {
        k: v for k, v in before.items() if k not in names} == {k: v for k, v in after.items() if k not in names}
    if not ok:
        raise ApproveError("the edit of the front matter would change more than the approval (a key inside a "
                           "value over several lines?); nothing was written",
                           hint="Set 'status: approved', 'approved_by:' and 'approved_on:' by hand, "
                                "then run lgs check.")


def _comment_of(content: bytes) -> bytes:
    """The YAML comment at the end of a ``key: value`` line, with the white space
    before it (b"" when there is none): a "#" after white space, outside quotes."""
    colon = content.find(b":")
    quote = None
    skip = False
    for i in range(colon + 1, len(content)):
        ch = content[i:i + 1]
        if skip:
            skip = False
        elif quote is not None:
            # an escape in double quotes, or '' in single quotes: the next character is text
            escaped = quote == b'"' and ch == b"\\"
            doubled = quote == b"'" and ch == quote and content[i + 1:i + 2] == b"'"
            if escaped or doubled:
                skip = True
            elif ch == quote:
                quote = None
        elif ch in (b'"', b"'") and content[i - 1:i] in (b" ", b"\t", b":", b"[", b","):
            quote = ch
        elif ch == b"#" and content[i - 1:i] in (b" ", b"\t"):
            start = i
            while start > colon + 1 and content[start - 1:start] in (b" ", b"\t"):
                start -= 1
            return content[start:]
    return b""


def _value_must_be_simple(lines: list[bytes], at: int, end: int, key: bytes) -> None:
    """Refuse to overwrite a value that continues on the following lines."""
    nxt = at + 1
    if nxt < end:
        following = _split_eol(lines[nxt])[0]
        if following[:1] in (b" ", b"\t", b"-") and following.strip():
            name = key.decode()
            raise ApproveError(f"'{name}:' has a value over several lines; lgs approve will not rewrite it",
                               hint=f"Remove the '{name}:' value by hand and run lgs approve again.")


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically, keeping its permission bits."""
    atomic_write_bytes(path, data, exclusive=False)


# -- approve: the checks, and the write ------------------------------------------------

@dataclass(frozen=True, slots=True)
class Approval:
    """What :func:`approve_meeting` did."""

    relpath: str
    by: str  # the justerare, as the roster names them
    on: dt.date
    justerare_added: bool  # the minutes listed none: the approver was recorded as the justerare
    warnings: list[Diagnostic]  # the meeting's warnings (they do not stop an approval)


def approve_meeting(arch: Archive, meeting: Meeting, *, by: str, on: dt.date | None, today: dt.date) -> Approval:
    """Approve the draft ``meeting`` of ``arch``, by the justerare ``by``, on ``on``
    (None: ``today``). Refused (:class:`LgsError`, nothing written) when it is not
    a draft, the approver is not its justerare or did not attend, its attendance
    is not confirmed, it names no secretary, the date is before the meeting or
    after today, :func:`lgs_cli.rules.check_archive` finds an error in it
    (:class:`FindingsError`, with the meeting's findings), the file is read-only,
    or it changed while it was checked."""
    from .parse import parse_meeting_file  # noqa: PLC0415
    from .rules import check_archive, findings_for_file, same_person  # noqa: PLC0415

    assert meeting.date is not None
    where = meeting.relpath
    raw = meeting.path.read_bytes()  # what the checks below are about
    if meeting.status == "approved":
        by_text = meeting.approved_by or "?"
        on_text = meeting.approved_on.isoformat() if isinstance(meeting.approved_on, dt.date) else (
            meeting.approved_on or "?")
        raise LgsError(f"the minutes of {meeting.date.isoformat()} are already approved "
                       f"(by {by_text}, on {on_text}) in {where}",
                       hint="Approved minutes are a record; a change is recorded under 'corrections:'.")
    if meeting.status != "draft":
        raise LgsError(f"{where} has no valid 'status: draft'", hint="Run lgs check for details.")
    person = arch.roster.person(by, option="--by")
    if person is None:
        raise UsageError(f"'{by}' is not in the roster", option="--by",
                         hint="lgs.yaml cannot be read, so no names resolve through it: 'lgs check' says why."
                         if arch.roster.unread else "The justerare must be listed under 'people:' in lgs.yaml.")
    add_justerare: str | None = None
    if isinstance(meeting.justerare, list) and meeting.justerare:
        if not same_person(arch.roster, person.name, meeting.justerare):
            raise LgsError(f"{person.name} is not a justerare of {meeting.date.isoformat()} "
                           f"(justerare: {', '.join(meeting.justerare)})",
                           hint="The minutes are approved by one of their justerare; if 'justerare:' is "
                                "wrong, correct it first.")
    else:
        add_justerare = person.name  # none listed: the approver is recorded as the justerare
    # recorded (deputies count): the justerare verifies the minutes of a meeting they attended (LGS112)
    if meeting.attendees is not None and (meeting.attendees or meeting.deputies):
        came = [a.name for a in (*meeting.attendees, *meeting.deputies)]
        if not same_person(arch.roster, person.name, came):
            away = same_person(arch.roster, person.name, [a.name for a in meeting.absent])
            raise LgsError(f"{person.name} is {'listed as absent from' if away else 'not among the attendees of'} "
                           f"the meeting of {meeting.date.isoformat()} ({where})",
                           hint="A justerare approves the minutes of a meeting they attended: approve with one "
                                "who came, or correct the attendance first.")
    if "expected" in meeting.front_matter:
        raise LgsError(f"attendance of {meeting.date.isoformat()} is not confirmed: 'expected:' is still in {where}",
                       hint="Move those who came to 'attendees:' (absent with notice to 'absent:'), remove "
                            "'expected:', then approve.")
    if isinstance(meeting.secretary, list) and not meeting.secretary:
        raise LgsError(f"{where} names no secretary",
                       hint=f"Fill in 'secretary:' (or '{NOT_RECORDED}') before approving.")
    when = on or today
    if when < meeting.date:
        said = when.isoformat() if on else f"today, {when.isoformat()},"
        raise UsageError(f"{said} is before the meeting ({meeting.date.isoformat()})", option="--on",
                         hint=None if on else "Minutes are approved on or after their meeting's day, and this "
                                              "one is still to come.")
    if when > today:
        raise UsageError(f"{when.isoformat()} is in the future", option="--on")
    # "approved_by:" and "approved_on:" left empty in the draft are the places this fills in
    blanks = {meeting.line_of(key) for key in ("approved_by", "approved_on")
              if key in meeting.front_matter and meeting.front_matter[key] in (None, "")}
    findings = [d for d in findings_for_file(check_archive(arch, today=today), meeting)
                if not (d.code in ("LGS004", "LGS010") and d.line in blanks)]
    errors = [d for d in findings if d.severity is Severity.ERROR]
    warnings = [d for d in findings if d.severity is Severity.WARNING]
    if errors:
        raise FindingsError(f"not approved: {len(errors)} error(s) in {where}", [*warnings, *errors],
                            hint="Fix them (lgs check lists every finding) and run lgs approve again.")
    from .fsutil import read_only  # noqa: PLC0415

    if read_only(meeting.path):
        raise LgsError(f"{where} is read-only; nothing was written",
                       hint="Approved minutes are often made read-only on purpose: check that this is the draft "
                            "to approve, make it writable (chmod u+w) and run lgs approve again.")
    new = approve_bytes(raw, by=person.name, on=when, justerare=add_justerare)
    with _locked(meeting.path):  # another lgs approve of this file waits here, then finds it changed
        if meeting.path.read_bytes() != raw:
            raise LgsError(f"{where} changed while it was being checked; nothing was written",
                           hint="Save the file and run lgs approve again.")
        write_atomic(meeting.path, new)
        again, _ = parse_meeting_file(meeting.path, where)
        if again.status != "approved" or again.approved_by != person.name or again.approved_on != when:
            if meeting.path.read_bytes() != new:  # someone else's save since: theirs stays
                raise LgsError(f"could not approve {where}: the edited file did not read back as approved, "
                               "and it has changed since; it was left as it is now")
            write_atomic(meeting.path, raw)
            raise LgsError(f"could not approve {where}: the edited file did not read back as approved; "
                           "it was restored unchanged")
    return Approval(where, person.name, when, add_justerare is not None, warnings)


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive advisory lock on ``path`` (flock) while lgs approve reads,
    writes and reads back the file: two at once take turns. Where there is no
    flock (not POSIX), no lock."""
    try:
        import fcntl  # noqa: PLC0415
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # (closing releases the lock)
