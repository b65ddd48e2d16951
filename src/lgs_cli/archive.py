"""Finding and loading an archive: the roster plus every meeting file."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import stat
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .codes import default_severity
from .errors import ConfigError, NotFoundError
from .model import Diagnostic, Meeting
from .roster import ROSTER_FILE, Roster, load_roster

if TYPE_CHECKING:
    from .memo import Memo

ENV_ARCHIVE = "LGS_ARCHIVE"
IGNORED_DIRS = {"node_modules", "__pycache__"}
TEMPLATES_DIR = "templates"  # the archive's own (lgs new-meeting's templates): not meetings
BACKUP_SUFFIXES = ("~", ".swp", ".swo", ".bak", ".orig", ".tmp")
_DATED_NAME = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:\.|$)")


@dataclass(slots=True)
class Archive:
    root: Path
    roster: Roster
    meetings: list[Meeting] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)  # load problems
    # Makes the memo of a kind of derived result (lgs_cli.memo); set by load_archive
    # when the archive has a store.
    memos: Callable[[str, bool], Memo] | None = None
    # What load_archive's ``derive`` made of files as they were parsed: display path ->
    # value (taken, and removed, by the one who asked for it: lgs_cli.rules).
    derived: dict[str, Any] = field(default_factory=dict)

    def memo(self, name: str, *, roster: bool = True) -> Memo:
        """The memo ``name`` of this archive's results per meeting (:mod:`lgs_cli.memo`),
        for results that depend on the roster too (``roster``) or on the meetings
        alone; one that keeps nothing when there is no cache or the roster was changed."""
        if self.memos is None or (roster and self.roster.fingerprint is None):
            from .memo import disabled  # noqa: PLC0415

            return disabled()
        return self.memos(name, roster)

    def meeting_on(self, day: dt.date) -> Meeting:
        for m in self.meetings:
            if m.date == day:
                return m
        raise NotFoundError(f"no meeting on {day.isoformat()} in {self.root}",
                            hint="'lgs meetings' lists the meetings.")

    @property
    def dated(self) -> list[Meeting]:
        return [m for m in self.meetings if m.date is not None]

    def drop_same_day(self) -> list[tuple[Meeting, Meeting]]:
        """Two files with one date (LGS201) are two meetings with the same IDs: the
        reports would merge or double them. Keep one of each date, the first as
        load_archive orders them (:func:`_named_first`: the file named after it,
        ``2025-04-04.md``, else the first by path), and drop the others from
        :attr:`meetings`; the pairs (dropped, kept). ``lgs check`` reads them all,
        and reports them."""
        kept_on: dict[dt.date, Meeting] = {}
        pairs: list[tuple[Meeting, Meeting]] = []
        for m in self.meetings:
            if m.ok and m.date is not None:
                kept = kept_on.setdefault(m.date, m)
                if kept is not m:
                    pairs.append((m, kept))
        if pairs:
            dropped = {id(m) for m, _ in pairs}
            self.meetings = [m for m in self.meetings if id(m) not in dropped]
        return pairs

    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity.value == "error"]


def display_path(path: Path) -> str:
    """A path as the user should see it: relative to the working directory when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


def _archive_at(path: Path, named: str) -> Path:
    """The archive a folder given by name is: the folder itself when it holds the
    roster, its ``minutes/`` when that does (a repository's root); anything else is
    not an archive (a mistyped path must not pass ``lgs check`` with 0 meetings)."""
    if (path / ROSTER_FILE).is_file():
        return path
    if (path / "minutes" / ROSTER_FILE).is_file():
        return path / "minutes"
    odd = next((p for p in (path / ROSTER_FILE, path / "minutes" / ROSTER_FILE) if os.path.lexists(p)), None)
    if odd is not None:  # a folder, a FIFO, a device or a broken link by that name
        raise ConfigError(f"{named} is not a minutes archive: {display_path(odd)} is not a regular file",
                          hint=f"{ROSTER_FILE} is the roster, a YAML file (docs/format.md, 'The roster lgs.yaml').")
    nearby = next((archive for folder in path.resolve().parents for archive in (folder, folder / "minutes")
                   if (archive / ROSTER_FILE).is_file()), None)
    below = _archives_below(path)
    hint = (f"The archive nearby is '{display_path(nearby)}' (it holds {ROSTER_FILE}); give that folder."
            if nearby is not None else _pick_one(below) if below else
            f"An archive is a folder holding {ROSTER_FILE} and the meeting files (README: 'Which archive').")
    raise ConfigError(f"{named} is not a minutes archive: it holds no {ROSTER_FILE}", hint=hint)


def _archives_below(path: Path, depth: int = 2, limit: int = 6) -> list[Path]:
    """Archives (folders holding lgs.yaml) one or two folders below ``path``, at most
    ``limit``: a repository that keeps several groups' minutes side by side."""
    found: list[Path] = []
    folders = [path]
    for _ in range(depth):
        deeper: list[Path] = []
        for folder in folders:
            try:
                with os.scandir(folder) as it:
                    names = sorted(e.name for e in it if e.is_dir(follow_symlinks=False) and not e.name.startswith(".")
                                   and e.name not in IGNORED_DIRS)
            except OSError:
                continue
            for name in names[:200]:  # (a folder of thousands of folders is no repository of archives)
                sub = folder / name
                if (sub / ROSTER_FILE).is_file():
                    found.append(sub)
                    if len(found) >= limit:
                        return found
                else:
                    deeper.append(sub)
        folders = deeper
    return found


def _pick_one(archives: list[Path]) -> str:
    named = ", ".join(f"'{display_path(a)}'" for a in archives)
    return f"Archives below: {named}; give one with --archive PATH (or run lgs inside it)."


def find_archive(explicit: str | os.PathLike[str] | None = None, cwd: Path | None = None) -> Path:
    """``--archive`` / a PATH argument, else ``$LGS_ARCHIVE``, else walk up from the
    working directory to a folder holding ``lgs.yaml`` (or ``minutes/lgs.yaml``)."""
    if explicit:
        path = Path(explicit)
        if not path.exists():
            raise ConfigError(f"archive '{explicit}' does not exist")
        if path.is_file():
            raise ConfigError(f"archive '{explicit}' is a file; give the folder that holds the minutes")
        return _archive_at(path, f"'{explicit}'")
    env = os.environ.get(ENV_ARCHIVE)
    if env:
        path = Path(env)
        if not path.is_dir():
            raise ConfigError(f"{ENV_ARCHIVE}={env} is not a folder")
        return _archive_at(path, f"{ENV_ARCHIVE}={env}")
    start = (cwd or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / ROSTER_FILE).is_file():
            return folder
        if (folder / "minutes" / ROSTER_FILE).is_file():
            return folder / "minutes"
        if os.path.lexists(folder / ROSTER_FILE) or os.path.lexists(folder / "minutes" / ROSTER_FILE):
            return _archive_at(folder, f"'{display_path(folder)}'")  # a folder (or a broken link) named lgs.yaml
    below = _archives_below(start)
    raise ConfigError(
        "no minutes archive found",
        hint=_pick_one(below) if below else
        f"Run lgs inside an archive (a folder with {ROSTER_FILE}), or give --archive PATH or set {ENV_ARCHIVE}.",
    )


def _named_first(meetings: list[Meeting]) -> None:
    """Of meetings on the same date (a finding, LGS201), the file named after the date
    first: "2026-01-09.md" before its copy "2026-01-09 (2).md". In place; sorted by date."""
    i = 0
    while i < len(meetings) - 1:
        day = meetings[i].date
        j = i + 1
        while j < len(meetings) and day is not None and meetings[j].date == day:
            j += 1
        if j - i > 1:
            iso = day.isoformat() if day is not None else ""
            meetings[i:j] = sorted(meetings[i:j], key=lambda m: (m.path.stem != iso, m.relpath))
        i = j


def _holds_markdown(folder: str) -> bool:
    try:
        with os.scandir(folder) as it:
            return any(e.name.lower().endswith(".md") for e in it)
    except OSError:
        return True  # the walk reports a folder it cannot read


def list_meeting_files(root: Path, diagnostics: list[Diagnostic]) -> list[Path]:
    """Every ``*.md`` meeting file below ``root``, without following links out of it.

    Said so (LGS006, a warning) where it matters: editor backups of meeting
    files, links that are broken, loop or point outside the archive, linked
    folders, files that are not regular files (FIFOs, devices), a second link to
    a file already read, and date-named files that are not Markdown
    (``2025-04-04.docx`` with no ``2025-04-04.md``). A folder that cannot be read
    is an error (LGS001): its meetings are missing. Other files are ignored
    silently.
    """
    root_real = root.resolve()
    found: list[Path] = []
    links: list[tuple[Path, Path]] = []  # (link, resolved target) of links kept

    def note(path: Path, message: str, code: str = "LGS006") -> None:
        diagnostics.append(Diagnostic(display_path(path), None, code, default_severity(code), message))

    def walk_error(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else root
        note(where, f"cannot read the folder: {exc.strerror or exc}; the meetings in it are not loaded", "LGS001")

    top = os.fspath(root)
    for dirpath, dirnames, filenames, entries in _walk(top, walk_error):
        if dirpath != top and (ROSTER_FILE in filenames or ROSTER_FILE in dirnames):  # another group's archive
            note(Path(dirpath), f"an archive of its own (it holds {ROSTER_FILE}): its meetings are not read as "
                 "this archive's (give it with --archive to read them)")
            dirnames[:] = []
            continue
        kept = []
        for d in sorted(dirnames):
            if d.startswith(".") or d in IGNORED_DIRS or (d == TEMPLATES_DIR and dirpath == top):
                continue
            if d.lower().endswith(".md") and _DATED_NAME.match(d) and not _holds_markdown(os.path.join(dirpath, d)):
                note(Path(dirpath) / d, "a folder named like a meeting file, with no meeting file in it: "
                     "it is not a meeting")
            if _is_link(entries[d]):
                note(Path(dirpath) / d, "link to a folder ignored (links to folders are not followed)")
                continue
            kept.append(d)
        dirnames[:] = kept
        md_stems = {n[:-3].lower() for n in filenames if n.lower().endswith(".md")}
        folder = Path(dirpath)
        for name in sorted(filenames):
            path = folder / name
            lower = name.lower()
            if lower in ("readme.md", "changelog.md", "index.md"):
                continue
            is_backup = name.startswith((".#", "#", "~$")) or lower.endswith(BACKUP_SUFFIXES) or (
                name.startswith(".") and ".md" in lower)
            if is_backup:
                if ".md" in lower:
                    note(path, "editor backup or temporary file ignored")
                continue
            if not lower.endswith(".md") or name.startswith("."):
                stem = lower.split(".", 1)[0]
                if _DATED_NAME.match(name) and stem not in md_stems:
                    note(path, f"not a Markdown file: ignored (meeting files are named {stem}.md)")
                continue
            entry = entries[name]
            if _is_link(entry):
                try:
                    target = path.resolve(strict=True)
                except (OSError, RuntimeError):
                    note(path, "broken link or link loop ignored")
                    continue
                if root_real != target and root_real not in target.parents:
                    note(path, "link to a file outside the archive ignored (not followed)")
                    continue
                links.append((path, target))
                try:
                    mode = path.stat().st_mode
                except OSError:
                    mode = stat.S_IFREG  # let the parser report why it cannot be read
            else:
                mode = _mode(entry)
            if not stat.S_ISREG(mode):
                note(path, "not a regular file (a named pipe, device or socket) ignored")
                continue
            found.append(path)
    if links:
        link_paths = {link for link, _ in links}
        real_of_files = set()
        for path in found:
            if path not in link_paths:
                with contextlib.suppress(OSError, RuntimeError):
                    real_of_files.add(path.resolve())
        seen: set[Path] = set()
        dropped: set[Path] = set()
        for link, target in links:
            if target in real_of_files or target in seen:
                note(link, f"link to {display_path(target)}, which is read already: ignored")
                dropped.add(link)
            seen.add(target)
        if dropped:  # one pass (removing each from the list would be quadratic)
            found = [p for p in found if p not in dropped]
    return found


MAX_DEPTH = 64  # folders below the archive's root that are read


def _walk(top: str, onerror: Callable[[OSError], None], depth: int = 0,
          ) -> Iterator[tuple[str, list[str], list[str], dict[str, os.DirEntry[str]]]]:
    """``os.walk(top, followlinks=False, onerror=onerror)`` (top-down; the caller
    may prune the folder names), also giving each name's ``os.DirEntry``, which
    tells links and regular files apart without a system call per file."""
    try:
        scandir_it = os.scandir(top)
    except OSError as error:
        onerror(error)
        return
    dirs: list[str] = []
    nondirs: list[str] = []
    entries: dict[str, os.DirEntry[str]] = {}
    with scandir_it:
        while True:
            try:
                entry = next(scandir_it)
            except StopIteration:
                break
            except OSError as error:
                onerror(error)
                return
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            (dirs if is_dir else nondirs).append(entry.name)
            entries[entry.name] = entry
    yield top, dirs, nondirs, entries
    if depth >= MAX_DEPTH:  # (recursion has a limit, and no archive is this deep)
        if dirs:
            onerror(OSError(0, f"folders nested more than {MAX_DEPTH} deep are not read", top))
        return
    for name in dirs:
        path = os.path.join(top, name)
        if not os.path.islink(path):
            yield from _walk(path, onerror, depth + 1)


def _is_link(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink()
    except OSError:  # pragma: no cover - only when the entry's own lstat fails
        return os.path.islink(entry.path)


def _mode(entry: os.DirEntry[str]) -> int:
    """The file type bits of a non-link entry (from the directory listing where the
    file system gives them), as ``path.stat().st_mode`` would."""
    try:
        if entry.is_file(follow_symlinks=False):
            return stat.S_IFREG
        return entry.stat(follow_symlinks=False).st_mode
    except OSError:
        return stat.S_IFREG  # let the parser report why it cannot be read


def parse_meeting_file(path: Path, relpath: str, digest: list[bytes] | None = None,
                       ) -> tuple[Meeting, list[Diagnostic]]:
    """:func:`lgs_cli.parse.parse_meeting_file`, imported on first use: a run that
    takes every meeting from the cache does not import the parser."""
    from .parse import parse_meeting_file as parse  # noqa: PLC0415

    return parse(path, relpath, digest)


Derive = Callable[["Archive", Meeting, list[Diagnostic]], Any]


def load_archive(root: Path, *, use_cache: bool = True, cache_as: str | None = None,
                 derive: Derive | None = None) -> Archive:
    """Load the roster and every meeting; problems become diagnostics.

    ``cache_as`` names the cache of an archive that is in a new place on every
    run (a git revision exported to a temporary folder), instead of its root.
    ``derive(archive, meeting, diagnostics)`` is called for each file that is
    parsed (in the parsing process, with the meeting just parsed and the file's
    diagnostics after the roster's rule settings); its plain-data result is kept
    in ``archive.derived`` under the file's display path.

    Unchanged files come from the per-file cache (:mod:`lgs_cli.cache`) unless
    ``use_cache`` is false or ``LGS_NO_CACHE`` is set; the others are parsed and
    stored. Either way the meetings are :class:`~lgs_cli.cache.CachedMeeting`
    objects whose people are resolved through this run's roster on first use.
    """
    import gc  # noqa: PLC0415

    from . import cache  # noqa: PLC0415

    roster = load_roster(root, display_path(root / ROSTER_FILE))
    archive = Archive(root=root, roster=roster)
    archive.diagnostics.extend(roster.diagnostics)
    paths = list_meeting_files(root, archive.diagnostics)
    store = cache.Store(root, cache.cache_dir() if use_cache else None, cache_as)
    resolve = _resolver(archive)
    now = cache.now()
    # Loading builds many small objects that all live on: the cyclic garbage
    # collector would walk them again and again (quadratic in the archive size).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        files = list(_keys_and_display_paths(root, paths))
        records: list[Any] = [None] * len(files)
        sigs: list[cache.Signature | None] = []
        misses: list[int] = []
        for i, (path, key, _) in enumerate(files):
            try:
                sig: cache.Signature | None = cache.signature(os.stat(path))
            except OSError:
                sig = None
            sigs.append(sig)
            records[i] = store.get(key, sig) if sig is not None else None
            if records[i] is None and sig is not None:
                # same content under new times or inode (a fresh checkout, a restored cache)
                records[i] = store.rebind(key, path, sig, now)
            if records[i] is None:
                misses.append(i)
        spill = len(misses) >= SPILL_MIN
        store.plan(len(misses))
        derive_one = (lambda m, d: derive(archive, m, d)) if derive is not None else None
        for i, head, diags, parts, digest, derived in _parse_files([(i, files[i][0], files[i][2]) for i in misses],
                                                                    derive_one):
            if derived is not None:
                archive.derived[files[i][2]] = derived
            sig = sigs[i]
            fetch = None
            if sig is not None and not any(d[1] == "LGS001" for d in diags):
                # stored: its parts are read back from the store, not kept in memory
                fetch = store.put(files[i][1], sig, (head, diags, None, parts), now, digest)
            if fetch is None and spill:
                fetch = store.spill(parts)
            records[i] = (head, diags, fetch or parts.__getitem__)
        for (path, key, relpath), record in zip(files, records, strict=True):
            try:
                meeting = cache.from_record(record, path, relpath, resolve)
                diagnostics = cache.diagnostics_of(record, relpath)
                digest = store.holds(key)
                if digest is not None:  # memos may answer for it (lgs_cli.memo)
                    meeting.stamp = (key, digest)
            except Exception:  # a malformed record is never trusted: parse the file
                archive.derived.pop(relpath, None)
                parsed, diagnostics = parse_meeting_file(path, relpath)
                meeting = cache.from_record(cache.to_record(parsed, diagnostics), path, relpath, resolve)
            archive.diagnostics.extend(diagnostics)
            archive.meetings.append(meeting)
        store.save()
        if store.enabled:
            archive.memos = _memo_factory(store, roster)
        # The archive lives until the command ends: move what was built so far out
        # of the collector's sight, or its first collections walk all of it.
        gc.freeze()
    except BaseException:  # Ctrl-C, a full disk: no half-written store is left behind
        store.discard()
        raise
    finally:
        if gc_was_enabled:
            gc.enable()
    archive.meetings.sort(key=lambda m: (m.date is None, m.date or dt.date.min, m.relpath))
    _named_first(archive.meetings)
    _apply_rule_settings(archive)
    return archive


def _memo_factory(store: Any, roster: Roster) -> Callable[[str, bool], Memo]:
    from . import cache  # noqa: PLC0415
    from .memo import Memo  # noqa: PLC0415

    valid = store.holds
    made: dict[str, Memo] = {}

    def stamp(m: Meeting) -> Any:
        found = getattr(m, "stamp", None)
        return found if found is not None and m.pristine() else None  # type: ignore[attr-defined]

    def memo(name: str, with_roster: bool) -> Memo:
        if name not in made:
            # the memo's name too: one of another kind put in its place (a copied file) is not read as this one
            context = f"{name}: roster {roster.fingerprint}" if with_roster else f"{name}: meetings"
            made[name] = Memo(store.memo_path(name), cache.code_fingerprint(), context, stamp, valid)
        return made[name]

    return memo


# Files to parse before it pays to start more processes (a fork costs ≈ 0.4 ms, a
# file ≈ 0.5 ms: at 50 files a second process saves ≈ 7 %; bench/RESULTS.md), and
# each process gets at least half as many.
PARALLEL_MIN = 50
# Files parsed without a store before their parts go to a temporary file instead of
# memory (LGS_NO_CACHE=1 at 10,000 meetings: ≈ 140 MB of parts; bench/RESULTS.md).
SPILL_MIN = 2000
ENV_JOBS = "LGS_JOBS"


def _jobs(count: int) -> int:
    """How many processes parse ``count`` files: one per CPU this process may use
    (at most 8), on Linux, for enough files; ``LGS_JOBS=1`` keeps it to one."""
    if count < PARALLEL_MIN or not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        cpus = os.cpu_count() or 1
    wanted = os.environ.get(ENV_JOBS, "").strip()
    if wanted.isdigit() and int(wanted) >= 1:
        cpus = min(cpus, int(wanted))
    return max(1, min(cpus, 8, count // (PARALLEL_MIN // 2)))


_Derive1 = Callable[[Meeting, list[Diagnostic]], Any]


def _parse_one(path: Path, relpath: str, derive: _Derive1 | None = None,
               ) -> tuple[Any, Any, Any, bytes | None, Any]:
    from . import cache  # noqa: PLC0415

    digest: list[bytes] = []
    meeting, diagnostics = parse_meeting_file(path, relpath, digest)
    head, diags, _, parts = cache.to_record(meeting, diagnostics)
    derived = None
    if derive is not None and meeting.ok:
        try:
            derived = derive(meeting, diagnostics)
        except Exception:  # derived later, where an error is reported (lgs_cli.rules)
            derived = None
    return head, diags, parts, digest[0] if digest else None, derived


def _parse_files(todo: list[tuple[int, Path, str]], derive: _Derive1 | None = None,
                 ) -> Iterator[tuple[int, Any, Any, Any, bytes | None, Any]]:
    """Parse files into cache records, in several processes when there are many.

    The files are cut into chunks, and every process takes the next chunk as it
    is ready for one: forked workers send their records back through pipes in
    small marshalled batches; this process parses chunks too, and takes what the
    workers sent between its own files (it does more per file: it stores every
    record, so it takes fewer chunks). A worker that fails (or sends something
    unreadable) costs only time: the files it took are parsed here. Workers still
    running when the caller stops early are ended, and every pipe is closed.
    """
    jobs = _jobs(len(todo))
    size = max(CHUNK, -(-len(todo) // MAX_TICKETS))
    chunks = [todo[k:k + size] for k in range(0, len(todo), size)]
    try:
        tickets = _Tickets(len(chunks)) if jobs > 1 else None
    except OSError:  # no pipe to be had (too many open files): one process does it all
        tickets = None
    if tickets is None:
        for i, path, relpath in todo:
            yield (i, *_parse_one(path, relpath, derive))
        return
    from . import parse, yamlfast  # noqa: F401, PLC0415 - imported once, before the workers are forked

    workers: list[tuple[int, _Reader]] = []
    try:
        for _ in range(1, jobs):
            started = _start_worker(tickets, chunks, derive)
            if started is None:
                break
            workers.append(started)
        mine: set[int] = set()
        while (ticket := tickets.take()) is not None:
            for i, path, relpath in chunks[ticket]:
                mine.add(i)
                yield (i, *_parse_one(path, relpath, derive))
                for _, reader in workers:  # take what the workers sent meanwhile: a full pipe would stop them
                    yield from reader.records(block=False)
        tickets.close()
        while workers:
            pid, reader = workers[0]
            yield from reader.records(block=True)
            mine |= reader.done
            reader.close()
            os.waitpid(pid, 0)
            workers.pop(0)
        for i, path, relpath in todo:
            if i not in mine:  # only when a worker failed
                yield (i, *_parse_one(path, relpath, derive))
    finally:  # stopped early (or failed): end the workers, close what is open
        tickets.close()
        if workers:
            import signal  # noqa: PLC0415

            for pid, reader in workers:
                reader.close()
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGTERM)
                    os.waitpid(pid, 0)


def _start_worker(tickets: _Tickets, chunks: list[list[tuple[int, Path, str]]], derive: _Derive1 | None,
                  ) -> tuple[int, _Reader] | None:
    """Fork a worker that takes chunks until there are none left and sends their
    records (the process id and its pipe's reader); None when it cannot."""
    try:
        read_fd, write_fd = os.pipe()
    except OSError:
        return None
    try:
        _widen(write_fd)
        pid = os.fork()
    except OSError:
        os.close(read_fd)
        os.close(write_fd)
        return None
    if pid == 0:  # the worker: parse, send, and leave without any clean-up
        code = 1
        try:
            import marshal  # noqa: PLC0415

            os.close(read_fd)
            with os.fdopen(write_fd, "wb") as out:
                batch: list[Any] = []
                while (ticket := tickets.take()) is not None:
                    for i, path, relpath in chunks[ticket]:
                        batch.append((i, *_parse_one(path, relpath, derive)))
                        if len(batch) == BATCH:
                            _send(out, marshal.dumps(batch))
                            batch = []
                _send(out, marshal.dumps(batch))
            code = 0
        finally:
            os._exit(code)
    os.close(write_fd)
    os.set_blocking(read_fd, False)
    return pid, _Reader(read_fd)


# Files are handed out in chunks of this many (more for a big archive, so that
# there are at most MAX_TICKETS: 4 KiB of tickets, which fit in the smallest pipe
# Linux makes); a worker sends its records BATCH at a time (≈ 56 KB: a batch fits
# in a pipe, and the worker goes on parsing instead of waiting for this process to
# read it; this process reads between the files it parses itself).
CHUNK = 4
MAX_TICKETS = 1024
BATCH = 4


class _Tickets:
    """The numbers 0 … n-1, each taken by exactly one of the processes that share
    this (across fork): a pipe holding them as 4-byte numbers, written before the
    workers start; a read of 4 bytes from a pipe is atomic. OSError when there is
    no pipe, or one too small to hold them."""

    def __init__(self, count: int) -> None:
        if count > MAX_TICKETS:
            raise ValueError(f"{count} tickets; at most {MAX_TICKETS}")
        self.fd, write_fd = os.pipe()
        data = b"".join(n.to_bytes(4, "little") for n in range(count))
        try:
            os.set_blocking(write_fd, False)  # a pipe too small raises BlockingIOError: never waits
            if os.write(write_fd, data) != len(data):
                raise BlockingIOError("the pipe holds fewer tickets")
            os.set_blocking(self.fd, False)
        except OSError:
            os.close(self.fd)
            raise
        finally:
            os.close(write_fd)

    def take(self) -> int | None:
        if self.fd < 0:
            return None
        try:
            got = os.read(self.fd, 4)
        except BlockingIOError:  # pragma: no cover - the pipe's writer is closed: an empty pipe reads b""
            return None
        return int.from_bytes(got, "little") if len(got) == 4 else None

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


PIPE_BYTES = 1 << 20


def _widen(fd: int) -> None:
    """Make the pipe hold up to a MiB (Linux; 64 KiB is the default, ≈ 4 records):
    a worker waits only when this process has not read for a long while."""
    try:
        import fcntl  # noqa: PLC0415

        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), PIPE_BYTES)
    except (ImportError, OSError, ValueError):
        pass  # the default size works, more slowly


def _send(out: Any, blob: bytes) -> None:
    out.write(len(blob).to_bytes(8, "little"))
    out.write(blob)


class _Reader:
    """The records a worker sends: 8-byte length, then a marshalled batch of
    (index, head, diagnostics, parts, content digest, derived value)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer = bytearray()
        self.done: set[int] = set()
        self.failed = False

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def records(self, *, block: bool) -> Iterator[tuple[int, Any, Any, Any, bytes | None, Any]]:
        import marshal  # noqa: PLC0415

        if self.failed:
            return
        if block:
            os.set_blocking(self.fd, True)
        while True:
            try:
                chunk = os.read(self.fd, 1 << 20)
            except BlockingIOError:
                chunk = None
            except OSError:
                self.failed = True
                return
            if chunk:
                self.buffer += chunk
            while len(self.buffer) >= 8:
                size = int.from_bytes(self.buffer[:8], "little")
                if len(self.buffer) < 8 + size:
                    break
                blob = bytes(self.buffer[8:8 + size])
                del self.buffer[:8 + size]
                try:
                    batch = marshal.loads(blob)
                except (ValueError, EOFError, TypeError):
                    self.failed = True
                    return
                for i, head, diags, parts, digest, derived in batch:
                    self.done.add(i)
                    yield i, head, diags, parts, digest, derived
            if not chunk:  # nothing more now (or ever, at the end of the pipe)
                return


def _resolver(archive: Archive) -> Callable[[Meeting], None]:
    """Resolves one meeting's people through the archive's roster (on first use)."""
    from .resolve import resolve_people  # noqa: PLC0415 - avoids an import cycle

    root, roster = archive.root, archive.roster

    def resolve(meeting: Meeting) -> None:
        resolve_people(Archive(root=root, roster=roster, meetings=[meeting]))

    return resolve


def _keys_and_display_paths(root: Path, paths: list[Path]) -> Iterator[tuple[Path, str, str]]:
    """Each file with its cache key (its path inside the root) and its display path.

    Same as ``os.path.relpath(path, root)`` and :func:`display_path`, without
    their per-file cost where the root's own display path tells the answer.
    """
    top = str(root)
    prefix = "" if top == "." else (top if top.endswith(os.sep) else top + os.sep)
    try:
        rel = os.path.relpath(root)
    except ValueError:  # pragma: no cover - other drive on Windows
        rel = str(root)
    parts = rel.split(os.sep)
    if not rel.startswith(".."):
        mode, shown_prefix = "under", ("" if rel == "." else rel + os.sep)  # the root is inside the cwd
    elif all(p == ".." for p in parts):
        mode, shown_prefix = "slow", ""  # the cwd is inside the root: it depends on the file
    else:
        mode, shown_prefix = "as-is", ""  # the root is elsewhere: paths are shown as given
    for path in paths:
        text = str(path)
        if text.startswith(prefix) and not os.path.isabs(text[len(prefix):]):
            key = text[len(prefix):]
        else:  # pragma: no cover - not produced by list_meeting_files
            key = os.path.relpath(path, root)
        if mode == "under":
            shown = shown_prefix + key
        elif mode == "as-is":
            shown = text
        else:
            shown = display_path(path)
        yield path, key, shown


def _apply_rule_settings(archive: Archive) -> None:
    out = []
    for d in archive.diagnostics:
        sev = archive.roster.severity_for(d.code, d.severity)
        if sev is None:
            continue
        out.append(d if sev is d.severity else Diagnostic(d.path, d.line, d.code, sev, d.message, d.hint))
    archive.diagnostics = out


def find_meeting(archive: Archive, text: str, *, option: str = "DATE", usage: bool = False,
                 today: dt.date | None = None) -> Meeting:
    """The meeting a user means: ``latest``/``senaste``, an ISO date, or words
    ("4 april 2025", "9 maj"). A day and month without a year that matches no
    meeting this year means the latest meeting on that day of any year.

    Not found: :class:`NotFoundError` (exit 1), or with ``usage=True`` (a filter
    option) :class:`UsageError` naming ``option`` (exit 2); either way the hint
    lists the nearest meetings.
    """
    from .dates import parse_human_date, parse_iso_date  # noqa: PLC0415
    from .errors import UsageError  # noqa: PLC0415

    dated = archive.dated
    key = text.strip().lower()
    if key in ("latest", "senaste", "last"):
        if dated:
            return dated[-1]
        what = "no meeting"  # said as for a date that has none
        hint = "The archive has no meetings that lgs could read; 'lgs check' says why." if archive.meetings \
            else "The archive has no meetings."
        if usage:
            raise UsageError(what, option=option, hint=hint)
        raise NotFoundError(what, hint=hint)
    day = parse_iso_date(key)
    if day is None:
        day = parse_human_date(text, option=option, today=today)
        has_year = any(len(w) == 4 and w.isdigit() for w in text.split())
        if not has_year and not any(m.date == day for m in dated):
            same = [m for m in dated if m.date and (m.date.month, m.date.day) == (day.month, day.day)]
            if same:
                return same[-1]
    for m in dated:
        if m.date == day:
            return m
    near = sorted(dated, key=lambda m: abs(((m.date or day) - day).days))[:3]
    hint = ("Nearest: " + ", ".join(m.date.isoformat() for m in near if m.date)) if near \
        else "The archive has no meetings."
    unread = [m for m in archive.meetings if m.date is None and m.path.stem == day.isoformat()]
    if unread:  # its file is there, but could not be read as a meeting
        problems = [d for d in archive.diagnostics if d.path == unread[0].relpath and d.line is not None]
        first = f" (line {problems[0].line}: {problems[0].message})" if problems else ""
        hint = f"{unread[0].relpath} could not be read as a meeting{first}; 'lgs check' says why."
    if usage:
        raise UsageError(f"no meeting on {day.isoformat()}", option=option, hint=hint)
    raise NotFoundError(f"no meeting on {day.isoformat()}", hint=hint)
