"""A per-file cache of parsed meetings, under the user's cache directory.

Parsing a meeting file costs about half a millisecond; an archive of thousands
of meetings would spend seconds on every run re-reading files that have not
changed. The cache keeps, per meeting file, a compact record of what the
parser made of it (the meeting and its diagnostics), and :func:`load_archive
<lgs_cli.archive.load_archive>` uses the record instead of parsing when the
file is unchanged.

Where: ``$LGS_CACHE_DIR``, else ``$XDG_CACHE_HOME/lgs``, else ``~/.cache/lgs``
(one file per archive under ``archives/``), created private (0700). Never
inside the archive: a cache directory inside it is not used. ``LGS_NO_CACHE=1``
turns the cache off; deleting the directory clears it.

Safety: a record is used only when the file's path (relative to the archive
root, in the store of that root), size, modification time, change time and
inode are the same as when it was stored, and the store was written by the
same lgs version from the same source files (a fingerprint of the package's
modules) with the same Python. A store's index is checked with a CRC before
it is unmarshalled and every failure while reading it (truncated, corrupt,
foreign, from another version) means "no cache": the files are parsed again
and the store is rewritten; nothing from a bad store is trusted. Each part of
a record has its own CRC, checked when the part is read: a damaged part is
replaced by parsing the file again, and the store is removed so that the next
run writes a new one. Files modified within
the last two seconds are not cached, since a second change within the
timestamp resolution could go unnoticed. Stores are written to a temporary
file and renamed into place, so concurrent runs see either the old or the new
store, never half of one.

Records are tuples of plain values (``marshal``), not pickled objects. The
meetings built from them are :class:`CachedMeeting` objects: a
:class:`~lgs_cli.model.Meeting` whose scalar fields are set at once and whose
attendees, agenda items and raw front matter are built on first use, so that a
command over ten thousand meetings pays only for what it reads.
``entries_of(kind)`` builds just the entries of that kind. Parse results do
not depend on the roster: the roster is loaded fresh on every run and applied
(``resolve``) when a meeting's people are first built.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import marshal
import os
import sys
import time
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from . import __version__, cachedir
from .model import (
    Attendee,
    Correction,
    Counts,
    Diagnostic,
    Due,
    Entry,
    EntryKind,
    FollowUpStatus,
    Item,
    Meeting,
    Severity,
)

ENV_DIR = cachedir.ENV_DIR
ENV_OFF = cachedir.ENV_OFF
FORMAT = 4  # bump when the record layout changes
MAGIC = b"LGSC"
RACY_SECONDS = 2.0  # files modified more recently than this are not stored
MAX_STORES = 64  # stores (archives) kept; the least recently written go first
APPEND_MAX_FILES = 200  # changed files added to the end of a store (at most a tenth of its records)
APPEND_SLACK = 1 << 20  # dead bytes a store may hold beyond its live ones before it is rewritten
APPEND_MAX_BYTES = 16 << 20  # parts of changed files kept in memory until they are appended

Signature = tuple[int, int, int, int]
Record = tuple[Any, ...]

_KIND = {k.value: k for k in EntryKind}
_STATUS = {s.value: s for s in FollowUpStatus}
_SEVERITY = {s.value: s for s in Severity}
_fromordinal = dt.date.fromordinal


# -- where --------------------------------------------------------------------------

def cache_dir() -> Path | None:
    """The cache directory, or None when the cache is turned off."""
    found = cachedir.cache_dir()
    return Path(found) if found is not None else None


_FINGERPRINT: list[str] = []


def code_fingerprint() -> str:
    """Changes whenever a module of the package changes (editable installs too)."""
    if not _FINGERPRINT:
        _FINGERPRINT.append(_fingerprint_now())
    return _FINGERPRINT[0]


def _fingerprint_now() -> str:
    """Of the modules' contents (not their times: a fresh install of the same lgs
    in a CI job must find the cache it restored)."""
    here = Path(__file__).resolve().parent
    parts = [f"{__version__} {FORMAT} {sys.version} {marshal.version}".encode()]
    try:
        # the modules, and the data the rules read (the JSON schema; templates)
        for folder, suffixes in ((here, (".py",)), (here / "schema", (".json",)), (here / "templates", (".md",))):
            with os.scandir(folder) as it:
                for e in sorted(it, key=lambda e: e.name):
                    if e.name.endswith(suffixes):
                        with open(e.path, "rb") as fh:
                            data = fh.read()
                        parts.append(f"{folder.name}/{e.name} {len(data)} {zlib.crc32(data)} "
                                     f"{zlib.adler32(data)}".encode())
    except OSError:
        parts.append(b"unknown")
    parts.append(_yaml_version())
    return digest(b"\n".join(parts))


def _yaml_version() -> bytes:
    """PyYAML's version (the parser's results depend on it), read from its package
    file on ``sys.path`` without importing it (a warm run never imports YAML)."""
    for folder in sys.path:
        try:
            with open(os.path.join(folder or ".", "yaml", "__init__.py"), "rb") as fh:
                text = fh.read()
        except OSError:
            continue
        start = text.find(b"__version__")
        return b"yaml " + (text[start:text.find(b"\n", start)] if start >= 0 else str(len(text)).encode())
    return b"yaml missing"


def digest(data: bytes) -> str:
    """A short fingerprint (not cryptographic: hashlib would load OpenSSL at start-up,
    and a collision only costs a store that is then found foreign and rebuilt)."""
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}{len(data) & 0xFFFFFFFF:08x}"


def signature(st: os.stat_result) -> Signature:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _racy(sig: Signature, now: float) -> bool:
    """Modified within RACY_SECONDS of ``now``, or in the future: a second change
    within the clock's resolution could go unseen."""
    mtime = sig[1] / 1e9
    return now - mtime < RACY_SECONDS or mtime > now


def content_digest(data: bytes) -> bytes:
    """A cryptographic digest (BLAKE2b, 128 bits) of a file's bytes: a record is
    used for a file whose times or inode changed (a fresh checkout, a restored CI
    cache) only when its content has this digest. Not CRC: a file made to collide
    could otherwise pass ``lgs check`` on the record of another."""
    try:
        from _blake2 import blake2b  # noqa: PLC0415 - hashlib would load OpenSSL (≈ 6 ms)
    except ImportError:  # a Python built without it (hashlib's blake2b comes from it too)
        from hashlib import sha256  # noqa: PLC0415

        return b"s" + sha256(data).digest()[:15]
    return blake2b(data, digest_size=16).digest()


def file_digest(path: str | os.PathLike[str]) -> tuple[Signature, bytes] | None:
    """The signature (after reading) and content digest of a meeting file; None
    when it cannot be read as one (the parser says why)."""
    from .fileread import read_bounded  # noqa: PLC0415 - only when a file's times changed

    raw, _, after = read_bounded(path)
    if raw is None or after is None or len(raw) != after.st_size:  # changed while read
        return None
    return signature(after), content_digest(raw)


# -- the store of one archive --------------------------------------------------------
#
# One file per archive: a header (MAGIC, CRC-32, offset and length of the index),
# the records' parts, then the index. The index, read at start, maps each file's
# key to its signature, the meeting's scalar fields ("head"), its diagnostics,
# and the offsets, lengths and CRC-32s of its parts (people, agenda items, the
# entries of each kind, and the rest: raw front matter, preamble, item texts).
# Parts are read one by one when first used, with ``os.pread`` on a handle
# opened at start, so a store replaced meanwhile by a concurrent run cannot mix
# two versions. A new store is written as files are parsed (parts first, the
# index last) to a temporary file that replaces the old one at the end.

_HEADER = 24
PEOPLE, ITEMS, EXTRA = 0, 1, 6  # part numbers; 2..5 are the entries of each kind
_KINDS = (EntryKind.DECISION, EntryKind.ACTION, EntryKind.FOLLOWUP, EntryKind.DEFERRAL)
_ACTION, _FOLLOWUP = EntryKind.ACTION, EntryKind.FOLLOWUP  # globals: faster than the enum's attributes
_KIND_PART = {kind: 2 + i for i, kind in enumerate(_KINDS)}
_PARTS = 7

Fetch = Callable[[int], "bytes | None"]


class _Handle:
    """An open store file, closed when the last meeting reading from it is gone."""

    def __init__(self, fd: int, path: Path | None = None) -> None:
        self.fd = fd
        self.path = path

    def damaged(self) -> None:
        """A part failed its check: remove the store (if it is still this file) so the
        next run writes a new one."""
        if self.path is None:
            return
        with contextlib.suppress(OSError):
            if os.stat(self.path).st_ino == os.fstat(self.fd).st_ino:
                os.unlink(self.path)
        self.path = None

    def __del__(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self.fd)


def _fetcher(handle: _Handle, offset: int, lengths: tuple[int, ...], crcs: tuple[int, ...]) -> Fetch:
    def fetch(part: int) -> bytes | None:
        """One part of a record, or None when it cannot be read intact."""
        try:
            start = offset + sum(lengths[:part])
            blob = os.pread(handle.fd, lengths[part], start)
            if len(blob) == lengths[part] and zlib.crc32(blob) == crcs[part]:
                return blob
        except Exception:
            pass
        handle.damaged()
        return None

    return fetch


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _write_parts(fd: int, offset: int, parts: tuple[bytes, ...]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Write a record's parts at ``offset``; their lengths and CRC-32s."""
    os.lseek(fd, offset, os.SEEK_SET)
    _write_all(fd, b"".join(parts))
    return tuple(len(p) for p in parts), tuple(zlib.crc32(p) for p in parts)


class Store:
    """The cached records of one archive root.

    :meth:`get` gives the record of an unchanged file, :meth:`put` stores the
    record of a file just parsed, :meth:`save` makes the new store the current
    one (with the records of every file seen in this run, no others).
    """

    def __init__(self, root: Path, directory: Path | None, identity: str | None = None) -> None:
        # The store is named by the archive's root, or by ``identity`` for an archive
        # that is somewhere else on every run (a git revision exported to a temporary
        # folder): its files are then found again by their content digests.
        self.root = identity or os.path.abspath(root)
        # Such a store trusts content only: its files are written anew on every run
        # (times and inodes mean nothing), so every record is checked by its digest,
        # and a record stored now is safe whatever the file's times.
        self.by_content = identity is not None
        self.path: Path | None = None
        self.fingerprint = ""
        self.entries: dict[str, tuple[Any, ...]] = {}  # the index of the current store
        self.kept: dict[str, tuple[Any, ...]] = {}  # entries of unchanged files seen in this run
        self.changed = False
        self._old: _Handle | None = None
        self._new: _Handle | None = None
        self._new_path = ""
        self._new_entries: dict[str, tuple[Any, ...]] = {}
        self._offset = _HEADER
        self._spill: _Handle | None = None
        self._spill_offset = 0
        self._spill_failed = False
        # A few changed files are added to the end of the current store (their parts
        # kept in memory until save) instead of copying every record to a new one.
        self._appending = False
        self._pending: dict[str, tuple[Any, ...]] = {}  # key -> (sig, head, diags, parts, digest)
        self._pending_bytes = 0
        if directory is None or not hasattr(os, "pread"):  # no positional reads (Windows): no cache
            return
        if not _outside(directory, root):
            return  # never inside the archive
        directory = Path(os.path.realpath(directory))
        if not cachedir.private_dir(str(directory / "archives")):
            return
        name = digest(self.root.encode("utf-8", "surrogateescape"))
        self.path = directory / "archives" / f"{name}.cache"
        self.fingerprint = code_fingerprint()
        self.entries = self._read()

    @property
    def enabled(self) -> bool:
        return self.path is not None

    def _read(self) -> dict[str, tuple[Any, ...]]:
        assert self.path is not None
        try:
            handle = _Handle(cachedir.open_regular(str(self.path)), self.path)
        except OSError:
            return {}
        try:
            header = os.pread(handle.fd, _HEADER, 0)
            if len(header) != _HEADER or header[:4] != MAGIC:
                raise ValueError("not a store")
            offset = int.from_bytes(header[8:16], "little")
            size = int.from_bytes(header[16:24], "little")
            payload = os.pread(handle.fd, size, offset)
            if len(payload) != size or zlib.crc32(payload) != int.from_bytes(header[4:8], "little"):
                raise ValueError("damaged store")
            data = marshal.loads(payload)
            if (not isinstance(data, tuple) or len(data) != 4 or data[0] != FORMAT
                    or data[1] != self.fingerprint or data[2] != self.root or not isinstance(data[3], dict)):
                raise ValueError("store of another version or archive")
        except Exception:  # a bad store is never trusted: parse again
            return {}
        self._old = handle
        entries: dict[str, tuple[Any, ...]] = data[3]
        return entries

    def get(self, key: str, sig: Signature) -> Record | None:
        """The record of an unchanged file, or None."""
        found = self.entries.get(key)
        if found is None or found[0] != sig or self._old is None or self.by_content:
            return None
        self.kept[key] = found
        return (found[1], found[2], _fetcher(self._old, found[3], found[4], found[5]))

    def rebind(self, key: str, path: str | os.PathLike[str], sig: Signature, now: float) -> Record | None:
        """The record of a file whose signature changed but whose content did not
        (same size, same content digest), now held under the new signature; None
        when the content differs (or cannot be told: changed just now, unreadable)."""
        found = self.entries.get(key)
        if found is None or found[0][0] != sig[0] or self._old is None:
            return None
        if not self.by_content and _racy(sig, now):
            return None
        current = file_digest(path)
        if current is None or current[0] != sig or current[1] != found[6]:
            return None
        self.kept[key] = (sig, *found[1:])
        self.changed = True
        return (found[1], found[2], _fetcher(self._old, found[3], found[4], found[5]))

    def holds(self, key: str) -> bytes | None:
        """The content digest of ``key``'s record in the store as it will be saved."""
        found = self._new_entries.get(key) or self._pending.get(key) or self.kept.get(key)
        return found[-1] if found is not None else None

    def plan(self, changed: int) -> None:
        """``changed`` files are about to be parsed and put. When they are few
        next to the records of the current store, and it has little dead space,
        :meth:`save` appends them to it (and a new index) instead of writing a new
        store with a copy of every record (≈ 140 MB at 10,000 meetings)."""
        if self._old is None or self.path is None:
            return
        try:
            size = os.fstat(self._old.fd).st_size
        except OSError:
            return
        live = sum(sum(entry[4]) for entry in self.entries.values())
        self._appending = (changed <= min(APPEND_MAX_FILES, max(1, len(self.entries) // 10))
                           and size <= 2 * live + APPEND_SLACK)

    def memo_path(self, name: str) -> str | None:
        """Where the memo ``name`` (:mod:`lgs_cli.memo`) of this archive is kept."""
        return f"{str(self.path)[: -len('.cache')]}.{name}.memo" if self.path is not None else None

    def _writer(self) -> _Handle | None:
        if self._new is None and self.path is not None:
            # tempfile.mkstemp's way, without importing tempfile (and random) at run time
            self._new_path = str(self.path.parent / f".tmp-{os.getpid()}-{_host_tag()}-{os.urandom(8).hex()}")
            flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
            try:
                fd = os.open(self._new_path, flags, 0o600)
            except OSError:
                self._new_path = ""
                self.path = None  # cannot write: run without the cache
                return None
            self._new = _Handle(fd)
            os.ftruncate(fd, _HEADER)
        return self._new

    def _append(self, key: str, sig: Signature, head: Any, diags: Any, parts: tuple[bytes, ...],
                digest: bytes) -> Fetch | None:
        handle = self._writer()
        if handle is None:
            return None
        try:
            lengths, crcs = _write_parts(handle.fd, self._offset, parts)
        except OSError:
            self._abandon()
            return None
        self._new_entries[key] = (sig, head, diags, self._offset, lengths, crcs, digest)
        fetch = _fetcher(handle, self._offset, lengths, crcs)
        self._offset += sum(lengths)
        return fetch

    def spill(self, parts: tuple[bytes, ...]) -> Fetch | None:
        """Keep a record's parts in an anonymous temporary file (deleted already: it
        goes with the process) and return how to read them back; None: keep them in
        memory. For big archives parsed without a store (``LGS_NO_CACHE=1``), whose
        parts would otherwise all stay in memory (≈ 14 KB per meeting)."""
        if self._spill is None:
            if self._spill_failed or not hasattr(os, "pread"):
                return None
            import tempfile  # noqa: PLC0415 - only in big runs without a store

            try:
                with tempfile.TemporaryFile() as file:
                    self._spill = _Handle(os.dup(file.fileno()))
            except OSError:
                self._spill_failed = True
                return None
        try:
            lengths, crcs = _write_parts(self._spill.fd, self._spill_offset, parts)
        except OSError:
            self._spill_failed = True
            return None
        fetch = _fetcher(self._spill, self._spill_offset, lengths, crcs)
        self._spill_offset += sum(lengths)
        return fetch

    def put(self, key: str, sig: Signature, record: Record, now: float, digest: bytes | None) -> Fetch | None:
        """Store the record of a file just parsed (``digest``: of the bytes parsed);
        return how to read its parts back from the new store (None: not stored,
        keep them in memory)."""
        if self.path is None or digest is None:
            return None
        if not self.by_content and _racy(sig, now):  # changed too recently to tell a later change
            return None
        self.changed = True
        if self._appending:
            self._pending[key] = (sig, record[0], record[1], record[3], digest)
            self._pending_bytes += sum(len(p) for p in record[3])
            if self._pending_bytes <= APPEND_MAX_BYTES:
                return None  # the parts stay in memory until save
            # too much to keep in memory: a new store after all, written as files are parsed
            self._appending = False
            pending, self._pending = self._pending, {}
            for k, (sig_k, head, diags, parts, digest_k) in pending.items():
                fetch = self._append(k, sig_k, head, diags, parts, digest_k)
            return fetch
        return self._append(key, sig, record[0], record[1], record[3], digest)

    def discard(self) -> None:
        """The run stops before :meth:`save` (interrupted): remove the new store being
        written; the current one stays as it was."""
        if self._new_path:  # written, and not made the store by save()
            self._abandon()

    def _abandon(self) -> None:
        if self._new_path:
            with contextlib.suppress(OSError):
                os.unlink(self._new_path)
        self.path = None

    def save(self) -> None:
        """Make the new store current: unchanged records are copied from the old one
        (or, after :meth:`plan` chose so, the new records and a new index are added
        to the end of the current store)."""
        if self.path is None:
            return
        if not self.changed and len(self.kept) == len(self.entries):
            return  # nothing new and nothing deleted
        if self._appending and self._save_appended():
            _prune(self.path.parent)
            return
        for key, (sig, head, diags, parts, digest) in self._pending.items():  # appending failed: a new store
            self._append(key, sig, head, diags, parts, digest)
        if self._new is None and not self.kept and not self.path.exists():
            return
        for key, (sig, head, diags, offset, lengths, crcs, digest) in self.kept.items():
            assert self._old is not None
            fetch = _fetcher(self._old, offset, lengths, crcs)
            parts = tuple(fetch(i) for i in range(_PARTS))
            if all(p is not None for p in parts):
                self._append(key, sig, head, diags, parts, digest)
        handle = self._writer()
        if handle is None:
            return
        try:
            self._write_index(handle.fd, self._offset, self._new_entries)
            os.replace(self._new_path, self.path)
            handle.path = self.path
            self._new_path = ""  # it is the store now
        except (OSError, ValueError):
            self._abandon()
            return
        _prune(self.path.parent)

    def _write_index(self, fd: int, offset: int, entries: dict[str, tuple[Any, ...]]) -> None:
        """Write the index at ``offset`` (after the parts), then the header that points at it."""
        payload = marshal.dumps((FORMAT, self.fingerprint, self.root, entries))
        os.lseek(fd, offset, os.SEEK_SET)
        _write_all(fd, payload)
        os.pwrite(fd, MAGIC + zlib.crc32(payload).to_bytes(4, "little") + offset.to_bytes(8, "little")
                  + len(payload).to_bytes(8, "little"), 0)

    def _save_appended(self) -> bool:
        """Add the pending records and a new index to the end of the current store,
        then point its header at that index. Readers holding the store keep reading
        what they read (nothing before the end is changed but the 24-byte header; a
        header read while it is rewritten fails its CRC check, which means "no
        cache" for that reader). Writers take turns (``flock``). False: not done."""
        try:
            import fcntl  # noqa: PLC0415 - only when appending
        except ImportError:  # a platform with pread but no flock: write a new store
            return False
        assert self.path is not None and self._old is not None
        try:
            fd = os.open(self.path, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return False
        try:
            if os.fstat(fd).st_ino != os.fstat(self._old.fd).st_ino:
                return False  # replaced meanwhile by another run: write a new store
            fcntl.flock(fd, fcntl.LOCK_EX)
            offset = os.lseek(fd, 0, os.SEEK_END)
            entries = dict(self.kept)
            for key, (sig, head, diags, parts, digest) in self._pending.items():
                lengths, crcs = _write_parts(fd, offset, parts)
                entries[key] = (sig, head, diags, offset, lengths, crcs, digest)
                offset += sum(lengths)
            self._write_index(fd, offset, entries)
        except (OSError, ValueError):
            return False
        finally:
            os.close(fd)  # releases the lock
        # what the store now holds (a second save in this run has nothing to add)
        self.entries = self.kept = entries
        self._pending, self._pending_bytes, self.changed = {}, 0, False
        return True


STALE_TMP_SECONDS = 3600  # a writer's temporary file this old was left by a run that died
# ... and one this old whose writer (".tmp-PID-HOST-…") ran on this machine and is no
# longer running: a killed run's store can be hundreds of MB. (One written on another
# machine sharing the cache folder is left for the hour.)
DEAD_TMP_SECONDS = 60


def _host_tag() -> str:
    """This machine, in a temporary file's name (a checksum of its host name)."""
    node = os.uname().nodename if hasattr(os, "uname") else os.environ.get("COMPUTERNAME", "")
    return f"{zlib.crc32(node.encode('utf-8', 'replace')):08x}"


def _writer_gone(name: str) -> bool:
    """Whether the process that named a temporary file ``.tmp-PID-HOST-…`` ran on
    this machine and has ended."""
    parts = name.split("-")
    if len(parts) < 4 or not parts[1].isdigit() or parts[2] != _host_tag():
        return False
    try:
        os.kill(int(parts[1]), 0)
    except ProcessLookupError:
        return True
    except (OSError, ValueError, OverflowError):  # another user's process (alive), or no such number
        return False
    return False


def _prune(directory: Path) -> None:
    """Keep the newest MAX_STORES stores, and the memos of those only; remove
    temporary files that runs killed while writing left behind."""
    try:
        now_ = time.time()
        for e in os.scandir(directory):
            if not (e.name.startswith(".tmp-") or e.name.endswith(".tmp")):
                continue
            age = now_ - e.stat().st_mtime
            if age > STALE_TMP_SECONDS or (age > DEAD_TMP_SECONDS and _writer_gone(e.name)):
                os.unlink(e.path)
    except OSError:
        pass
    try:
        stores = [(e.stat().st_mtime, e.path) for e in os.scandir(directory) if e.name.endswith(".cache")]
        if len(stores) <= MAX_STORES:
            return
        stores.sort()
        for _, path in stores[: len(stores) - MAX_STORES]:
            os.unlink(path)
        live = {os.path.basename(path)[: -len(".cache")] for _, path in stores[len(stores) - MAX_STORES:]}
        for e in os.scandir(directory):
            if e.name.endswith(".memo") and e.name.split(".", 1)[0] not in live:
                os.unlink(e.path)
    except OSError:
        pass


def now() -> float:
    return time.time()


# -- records ------------------------------------------------------------------------
#
# A record is (head, diagnostics, parts): head holds the meeting's scalar fields,
# parts is a tuple of seven marshalled blobs (or, for a stored record, a function
# that reads one of them from the store).

def _ord(day: dt.date | None) -> int | None:
    return day.toordinal() if day is not None else None


def _people_list(value: list[str] | str | None) -> tuple[str, ...] | str | None:
    return tuple(value) if isinstance(value, list) else value


def _from_people_list(value: tuple[str, ...] | str | None) -> list[str] | str | None:
    return list(value) if isinstance(value, tuple) else value


_intern = sys.intern  # marshal keeps interned strings interned: one copy for the whole archive


def _i(text: str | None) -> str | None:
    return _intern(text) if text is not None else None


def _attendee(a: Attendee) -> Record:
    # "x and _intern(x)" is _i(x) without a call: None stays None, "" stays ""
    org, sector, part, deputy_for, written = a.org, a.sector, a.part, a.deputy_for, a.org_written
    return (_intern(a.name), org and _intern(org), sector and _intern(sector),
            tuple(a.items) if a.items is not None else None, part and _intern(part), a.note,
            deputy_for and _intern(deputy_for), a.line, written and _intern(written))


_KIND_VALUE = {kind: _intern(kind.value) for kind in EntryKind}
_STATUS_VALUE = {status: _intern(status.value) for status in FollowUpStatus}


def _entry(e: Entry) -> Record:
    due = e.due
    # e.fields is marshalled at once (its keys are the parser's interned field names)
    number = e.item_number
    return (_KIND_VALUE[e.kind], _intern(e.local), e.text, e.line, number and _intern(number), _intern(e.item_title),
            tuple(map(_intern, e.owners)),
            (due.year, due.month, due.day, due.label and _intern(due.label)) if due is not None else e.due_written,
            tuple(e.refers), _STATUS_VALUE[e.status] if e.status is not None else None, e.checked, e.confidential,
            e.fields, _ord(e.meeting_date))


def _yaml_plain(value: Any) -> Any:
    """YAML values (with their line maps) as marshal-able data: a mapping becomes
    ``(0, {key: value}, {key: line})``, a sequence ``(1, [values], [lines])``."""
    if isinstance(value, dict):
        return (0, {k: _yaml_plain(v) for k, v in value.items()}, dict(getattr(value, "lines", {})))
    if isinstance(value, list):
        return (1, [_yaml_plain(v) for v in value], list(getattr(value, "lines", [])))
    return value


def _yaml_value(value: Any) -> Any:
    from .yamlsafe import LineDict, LineList  # noqa: PLC0415 - only when raw front matter is read

    if isinstance(value, tuple):
        if value[0] == 0:
            d = LineDict()
            for k, v in value[1].items():
                d[k] = _yaml_value(v)
            d.lines.update(value[2])
            return d
        lst = LineList()
        lst.extend(_yaml_value(v) for v in value[1])
        lst.lines.extend(value[2])
        return lst
    return value


def _front_matter(stored: Any) -> Any:
    """The front matter from a record: its YAML text, read again by lgs's own reader
    (which read it when the file was parsed: the same values, without PyYAML), or
    its values."""
    if not isinstance(stored, str):
        return _yaml_value(stored)
    from .yamlfast import load  # noqa: PLC0415
    from .yamlsafe import LineDict  # noqa: PLC0415

    data = load(stored)
    return data if data is not None else LineDict()


def to_record(m: Meeting, diagnostics: Iterable[Diagnostic]) -> Record:
    """A parsed meeting and its diagnostics as plain values."""
    by_kind: dict[EntryKind, list[Record]] = {kind: [] for kind in _KINDS}
    items = []
    summary = _Summarising(m.date)  # action_summary(m), in the same pass over the entries
    for it in m.items:
        places = []
        for e in it.entries:
            kind = e.kind
            bucket = by_kind[kind]
            places.append((_KIND_PART[kind], len(bucket)))
            bucket.append(_entry(e))
            summary.add(e)
        items.append((it.number, it.title, it.line, tuple(it.presenters), tuple(it.material), it.confidential,
                      tuple(places)))
    counts = (len(m.items), *(len(by_kind[kind]) for kind in _KINDS),
              len(m.attendees) + len(m.deputies) if m.attendees is not None else None)
    approved_on = m.approved_on.toordinal() if isinstance(m.approved_on, dt.date) else m.approved_on
    head = (m.relpath, _ord(m.date), m.status, m.date_inferred, m.start, m.end, m.location, m.approved_by,
            approved_on, _people_list(m.chairs), _people_list(m.secretary), _people_list(m.justerare),
            m.attendees_declared, m.source, m.body_start_line, m.ok, summary.made(), counts)
    diags = tuple((d.line, d.code, d.severity.value, d.message, d.hint) for d in diagnostics)
    people = (
        tuple(map(_attendee, m.attendees)) if m.attendees is not None else None,
        tuple(map(_attendee, m.guests)),
        tuple(map(_attendee, m.absent)),
        tuple(map(_attendee, m.deputies)),
        tuple(map(_attendee, m.expected)),
    )
    # The front matter as its YAML text (read again by lgs's reader only when used:
    # cheaper to store than its values); as values when lgs's reader did not read it
    # (PyYAML did) or the meeting was not made by the parser.
    extra = (
        m.front_matter_text if m.front_matter_text is not None else _yaml_plain(m.front_matter),
        m.key_lines,
        tuple((_ord(c.date), c.by, c.note) for c in m.corrections),
        m.preamble,
        tuple(it.text for it in m.items),
    )
    parts = (marshal.dumps(people), marshal.dumps(tuple(items)),
             *(marshal.dumps(tuple(by_kind[kind])) for kind in _KINDS), marshal.dumps(extra))
    return (head, diags, parts.__getitem__, parts)


Summary = tuple[bool, tuple[str, ...], tuple[str, ...], tuple[str | None, ...], tuple[str, ...]]
_CLOSING = (FollowUpStatus.DONE.value, FollowUpStatus.DROPPED.value)


def action_summary(m: Meeting) -> Summary:
    """What :func:`lgs_cli.status.track` needs to tell open actions from closed ones
    without building entries: ``(dated, ids, refs, statuses, closing)``: the IDs
    of the meeting's actions (``dated``: each one is the meeting's date + its
    local number), the referenced IDs and statuses of its follow-ups, in the
    order of the minutes, and the references that close (done or dropped) an
    action of an earlier date. Strings are interned: marshal stores an ID
    referenced by many follow-ups once."""
    summary = _Summarising(m.date)
    for it in m.items:
        for e in it.entries:
            summary.add(e)
    return summary.made()


class _Summarising:
    """:func:`action_summary`, made entry by entry (:func:`to_record` makes it in its
    own pass over the entries)."""

    __slots__ = ("day", "iso", "dated", "ids", "refs", "statuses")

    def __init__(self, day: dt.date | None) -> None:
        self.day = day
        self.iso = day.isoformat() if day is not None else ""
        self.dated = day is not None
        self.ids: list[str] = []
        self.refs: list[str] = []
        self.statuses: list[str | None] = []

    def add(self, e: Entry) -> None:
        kind = e.kind
        if kind is _ACTION:
            same_day = self.day is not None and e.meeting_date == self.day
            self.ids.append(_intern(f"{self.iso}-{e.local}" if same_day else e.id))  # e.id, made faster
            self.dated = self.dated and same_day
        elif kind is _FOLLOWUP:
            self.refs.append(_intern(e.local))
            self.statuses.append(_STATUS_VALUE[e.status] if e.status is not None else None)

    def made(self) -> Summary:
        iso, refs, statuses = self.iso, self.refs, self.statuses
        closing = tuple(ref for ref, status in zip(refs, statuses, strict=True) if status in _CLOSING and ref[:10] < iso)
        return self.dated, tuple(self.ids), tuple(refs), tuple(statuses), closing


def diagnostics_of(record: Record, relpath: str) -> list[Diagnostic]:
    return [Diagnostic(relpath, line, code, _SEVERITY[sev], message, hint)
            for line, code, sev, message, hint in record[1]]


_PEOPLE = frozenset({"attendees", "guests", "absent", "deputies", "expected"})
_EXTRA = frozenset({"front_matter", "front_matter_text", "key_lines", "corrections", "preamble"})


_DUES: dict[tuple[Any, ...], Due] = {}  # Due is frozen: equal ones are shared


def _due(t: tuple[Any, ...]) -> Due:
    found = _DUES.get(t)
    if found is None:
        found = _DUES[t] = Due(t[0], t[1], t[2], t[3])
    return found


def _make_entry(t: Record, day: dt.date | None) -> Entry:
    due = t[7]
    if t[13] is None:
        day = None
    elif day is None or day.toordinal() != t[13]:  # pragma: no cover - entries carry their meeting's date
        day = _fromordinal(t[13])
    return Entry(
        _KIND[t[0]], t[1], t[2], t[3], day, t[4], t[5], list(t[6]), _due(due) if isinstance(due, tuple) else None,
        list(t[8]), _STATUS[t[9]] if t[9] is not None else None, t[10], t[11], t[12],
        due if isinstance(due, str) else None,
    )


def _make_attendee(t: Record) -> Attendee:
    return Attendee(t[0], t[1], t[2], list(t[3]) if t[3] is not None else None, t[4], t[5], t[6], t[7], t[8])


_BUILT_PEOPLE, _BUILT_ITEMS, _BUILT_EXTRA = 1, 2, 4  # CachedMeeting._parts: what is built


class CachedMeeting(Meeting):
    """A meeting built from a cache record; its heavier parts are built on first use.

    Attendees (resolved through the roster then), agenda items, the entries of
    one kind (``entries_of``), and the raw front matter, preamble and item
    texts are each read from the record when first used.
    """

    __slots__ = ("_fetch", "_resolve", "_resolver", "_kinds", "_summary", "_counts", "_parts", "stamp")

    _fetch: Fetch
    _resolve: Callable[[Meeting], None] | None
    _resolver: Callable[[Meeting], None] | None
    _kinds: dict[int, list[Entry]]
    _summary: Summary
    _counts: tuple[Any, ...]  # Counts as plain values
    _parts: int  # _BUILT_* bits
    stamp: tuple[str, bytes] | None  # (store key, content digest) when the store holds the record

    def pristine(self) -> bool:
        """Nothing of the meeting is built or assigned yet: it is exactly what its record says."""
        return self.stamp is not None and not self._kinds and not self._parts

    def __setattr__(self, name: str, value: Any) -> None:
        # A field assigned in this run: results memoised for the file no longer apply.
        object.__setattr__(self, name, value)
        if name[0] != "_" and name != "stamp":
            object.__setattr__(self, "stamp", None)

    def action_summary(self) -> Summary:
        """:func:`action_summary` of this meeting: from the record while its items
        and entries are not built (then they could have been changed), else from the items."""
        if not self._kinds and self._unset("items"):
            return self._summary
        return action_summary(self)

    def counts(self) -> Counts:
        """:meth:`Meeting.counts`: from the record while its items, entries and
        people are not built (then they could have been changed)."""
        if not self._kinds and self._unset("items") and self._unset("attendees"):
            return Counts._make(self._counts)
        return Meeting.counts(self)

    def __getattr__(self, name: str) -> Any:
        if name in _PEOPLE:
            self._build_people()
        elif name == "items":
            self._build_items()
        elif name in _EXTRA:
            self._build_extra()
        else:
            raise AttributeError(name)
        return object.__getattribute__(self, name)

    def built(self) -> tuple[bool, bool, bool, bool]:
        """Which parts are built now: (people, items, front matter and texts, entries of a kind)."""
        return (not self._unset("attendees"), not self._unset("items"), not self._unset("front_matter"),
                bool(self._kinds))

    def release(self, before: tuple[bool, bool, bool, bool]) -> None:
        """Drop the parts built since ``before`` (:meth:`built`); they are built again
        from the record when next used.

        For a reader that only looks (``lgs check`` visits every meeting once): what
        it built is exactly what the record gives, so nothing changes but memory.
        Parts that were built before are kept (someone else may hold or have changed them).
        """
        people, items, extra, kinds = before
        if not people and not self._unset("attendees"):
            for name in _PEOPLE:
                object.__delattr__(self, name)
            self._resolve = self._resolver
            self._parts &= ~_BUILT_PEOPLE
        if not items and not kinds and not self._unset("items"):
            object.__delattr__(self, "items")
            self._parts &= ~_BUILT_ITEMS
        if not extra and not self._unset("front_matter"):
            for name in _EXTRA:
                object.__delattr__(self, name)
            self._parts &= ~_BUILT_EXTRA
        if not kinds:
            self._kinds = {}

    def _unset(self, name: str) -> bool:
        try:
            object.__getattribute__(self, name)
        except AttributeError:
            return True
        return False

    def _part(self, part: int) -> Any:
        blob = self._fetch(part)
        if blob is None:  # the store's copy is damaged: read the file again
            from .parse import parse_meeting_file  # noqa: PLC0415

            object.__setattr__(self, "stamp", None)  # what is read now may not be what was stored
            self._fetch = to_record(*parse_meeting_file(self.path, self.relpath))[2]
            blob = self._fetch(part)
        return marshal.loads(blob)  # type: ignore[arg-type]

    def _set_unset(self, values: dict[str, Any]) -> None:
        for name, value in values.items():
            if self._unset(name):  # a value assigned meanwhile wins
                object.__setattr__(self, name, value)

    def _build_people(self) -> None:
        attendees, guests, absent, deputies, expected = self._part(PEOPLE)
        self._set_unset({
            "attendees": [_make_attendee(t) for t in attendees] if attendees is not None else None,
            "guests": [_make_attendee(t) for t in guests],
            "absent": [_make_attendee(t) for t in absent],
            "deputies": [_make_attendee(t) for t in deputies],
            "expected": [_make_attendee(t) for t in expected],
        })
        self._parts |= _BUILT_PEOPLE
        if self._resolve is not None:
            resolve, self._resolve = self._resolve, None
            resolve(self)

    def _kind(self, part: int) -> list[Entry]:
        found = self._kinds.get(part)
        if found is None:
            day = self.date
            found = self._kinds[part] = [_make_entry(t, day) for t in self._part(part)]
        return found

    def entries_of(self, kind: EntryKind) -> list[Entry]:
        if not self._unset("items"):
            return super().entries_of(kind)
        return list(self._kind(_KIND_PART[kind]))

    def _build_items(self) -> None:
        texts = self._part(EXTRA)[4]
        items = []
        for i, (number, title, line, presenters, material, confidential, refs) in enumerate(self._part(ITEMS)):
            item = Item(number, title, line, list(presenters), list(material), confidential,
                        texts[i] if i < len(texts) else "")
            item.entries = [self._kind(part)[pos] for part, pos in refs]
            items.append(item)
        self._set_unset({"items": items})
        self._parts |= _BUILT_ITEMS
        self._kinds = {}

    def _build_extra(self) -> None:
        front, key_lines, corrections, preamble, _ = self._part(EXTRA)
        self._set_unset({
            "preamble": preamble,
            "front_matter": _front_matter(front),
            "front_matter_text": front if isinstance(front, str) else None,
            "key_lines": key_lines,
            "corrections": [Correction(_fromordinal(d) if d is not None else None, by, note)
                            for d, by, note in corrections],
        })
        self._parts |= _BUILT_EXTRA


class _Filling(CachedMeeting):
    """A CachedMeeting being filled from its record: assignments are plain stores."""

    __slots__ = ()
    __setattr__ = object.__setattr__  # type: ignore[assignment]  # the C one: plain stores


def from_record(record: Record, path: Path, relpath: str,
                resolve: Callable[[Meeting], None] | None = None) -> CachedMeeting:
    """The meeting of a record; raises on a malformed record (the caller parses instead)."""
    (_, date, status, date_inferred, start, end, location, approved_by, approved_on, chairs, secretary,
     justerare, attendees_declared, source, body_start_line, ok, summary, counts) = record[0]
    # Filled in as a _Filling (plain attribute stores: this is the record, not a
    # change), then made a CachedMeeting, whose assignments end memoisation.
    m = _Filling.__new__(_Filling)
    m.path = path
    m.relpath = relpath
    m.date = _fromordinal(date) if date is not None else None
    m.status = status
    m.date_inferred = date_inferred
    m.start = start
    m.end = end
    m.location = location
    m.approved_by = approved_by
    m.approved_on = _fromordinal(approved_on) if isinstance(approved_on, int) else approved_on
    m.chairs = _from_people_list(chairs)
    m.secretary = _from_people_list(secretary)
    m.justerare = _from_people_list(justerare)
    m.attendees_declared = attendees_declared
    m.source = source
    m.body_start_line = body_start_line
    m.ok = ok
    m._fetch = record[2]
    m._resolve = m._resolver = resolve
    m._kinds = {}
    m._summary = summary
    m._counts = counts
    m._parts = 0
    m.stamp = None
    m.__class__ = CachedMeeting  # type: ignore[assignment]
    if (not callable(m._fetch) or not isinstance(summary, tuple) or len(summary) != 5
            or not isinstance(counts, tuple) or len(counts) != len(Counts._fields)):
        raise ValueError("malformed cache record")
    return m


# -- YAML documents read on every run (the roster) ---------------------------------

MAX_YAML_FILES = 16


def _outside(directory: str | os.PathLike[str], root: str | os.PathLike[str]) -> bool:
    """Is the cache directory outside the archive (a cache inside it is never used)?"""
    directory = os.path.realpath(directory)
    real_root = os.path.realpath(root)
    return not (directory == real_root or directory.startswith(real_root.rstrip(os.sep) + os.sep))


def load_yaml_cached(text: str, load: Callable[[str], Any], root: str | os.PathLike[str]) -> Any:
    """``load(text)`` (:func:`lgs_cli.yamlsafe.load`), through a copy in the cache
    directory's ``yaml/`` folder: a file named by a digest of the text, holding
    the text itself, the package's fingerprint and the result (or the problem
    raised), behind a CRC; never inside the archive ``root``. Used only when the stored text is the same, character
    for character, and lgs is the same; anything else loads and rewrites it."""
    from .yamlsafe import YamlProblem  # noqa: PLC0415

    base = cachedir.cache_dir()
    if base is None or not _outside(base, root):
        return load(text)
    folder = os.path.join(base, "yaml")
    data = text.encode("utf-8", "surrogatepass")
    path = os.path.join(folder, f"{digest(data)}.bin")
    fingerprint = code_fingerprint()
    try:
        blob = cachedir.read_regular(path)
        payload = blob[4:]
        if len(blob) > 4 and zlib.crc32(payload) == int.from_bytes(blob[:4], "little"):
            stored = marshal.loads(payload)
            if (isinstance(stored, tuple) and len(stored) == 5 and stored[0] == FORMAT
                    and stored[1] == fingerprint and stored[2] == text):
                if stored[3] == "ok":
                    return _yaml_value(stored[4])
                if stored[3] == "problem":
                    message, line, hint = stored[4]
                    raise YamlProblem(message, line, hint)
    except YamlProblem:
        raise
    except Exception:  # missing, damaged or foreign: load it again
        pass
    try:
        value = load(text)
        outcome: tuple[str, Any] = ("ok", _yaml_plain(value))
    except YamlProblem as exc:
        value = exc
        outcome = ("problem", (exc.message, exc.line, exc.hint))
    if cachedir.private_dir(folder):
        payload = marshal.dumps((FORMAT, fingerprint, text, *outcome))
        cachedir.write_small(path, zlib.crc32(payload).to_bytes(4, "little") + payload,
                             suffix=".bin", keep=MAX_YAML_FILES)
    if isinstance(value, YamlProblem):
        raise value
    return value
