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
modules) with the same Python. A store is checked with a CRC before it is
unmarshalled and every failure while reading it (truncated, corrupt, foreign,
from another version) means "no cache": the files are parsed again and the
store is rewritten; nothing from a bad store is trusted. Files modified within
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
import hashlib
import marshal
import os
import stat
import sys
import time
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from . import __version__
from .model import (
    Attendee,
    Correction,
    Diagnostic,
    Due,
    Entry,
    EntryKind,
    FollowUpStatus,
    Item,
    Meeting,
    Severity,
)

ENV_DIR = "LGS_CACHE_DIR"
ENV_OFF = "LGS_NO_CACHE"
FORMAT = 1  # bump when the record layout changes
MAGIC = b"LGSC"
RACY_SECONDS = 2.0  # files modified more recently than this are not stored
MAX_STORES = 64  # stores (archives) kept; the least recently written go first

Signature = tuple[int, int, int, int]
Record = tuple[Any, ...]

_KIND = {k.value: k for k in EntryKind}
_STATUS = {s.value: s for s in FollowUpStatus}
_SEVERITY = {s.value: s for s in Severity}
_fromordinal = dt.date.fromordinal


# -- where --------------------------------------------------------------------------

def cache_dir() -> Path | None:
    """The cache directory, or None when the cache is turned off."""
    if os.environ.get(ENV_OFF, "").strip() not in ("", "0"):
        return None
    explicit = os.environ.get(ENV_DIR)
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "lgs"


def _private_dir(path: Path) -> bool:
    """Create ``path`` (0700) if needed; True when it is ours and not writable by others."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = path.stat()
    except OSError:
        return False
    if not stat.S_ISDIR(st.st_mode):
        return False
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return False
    return not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _code_fingerprint() -> str:
    """Changes whenever a module of the package changes (editable installs too)."""
    here = Path(__file__).resolve().parent
    h = hashlib.sha1(f"{__version__} {FORMAT} {sys.version} {marshal.version}".encode())
    try:
        with os.scandir(here) as it:
            for e in sorted(it, key=lambda e: e.name):
                if e.name.endswith(".py"):
                    st = e.stat()
                    h.update(f"{e.name} {st.st_size} {st.st_mtime_ns};".encode())
    except OSError:
        h.update(b"unknown")
    return h.hexdigest()


def signature(st: os.stat_result) -> Signature:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


# -- the store of one archive --------------------------------------------------------
#
# One file per archive: MAGIC, CRC-32 and length of section A, section A, section B.
# A (read at once) maps each file's key to (signature, head, diagnostics, people,
# items, (offset, length, CRC-32) of its extra part in B). B holds the extra parts
# (raw front matter, preamble and item texts), read one by one when first needed,
# through the file handle opened at start, so a store replaced meanwhile by a
# concurrent run cannot mix two versions.

_HEADER = 16


class Store:
    """The cached records of one archive root; :meth:`save` writes it back when changed."""

    def __init__(self, root: Path, directory: Path | None) -> None:
        self.root = os.path.abspath(root)
        self.path: Path | None = None
        self.fingerprint = ""
        self.entries: dict[str, tuple[Any, ...]] = {}
        self.fresh: dict[str, tuple[Any, ...]] = {}  # what this run saw, to be written back
        self.changed = False
        self._fh: Any = None
        self._base = 0
        if directory is None:
            return
        directory = Path(os.path.realpath(directory))
        real_root = os.path.realpath(root)
        if str(directory) == real_root or str(directory).startswith(real_root.rstrip(os.sep) + os.sep):
            return  # never inside the archive
        if not _private_dir(directory / "archives"):
            return
        name = hashlib.sha1(self.root.encode("utf-8", "surrogateescape")).hexdigest()[:24]
        self.path = directory / "archives" / f"{name}.cache"
        self.fingerprint = _code_fingerprint()
        self.entries = self._read()

    @property
    def enabled(self) -> bool:
        return self.path is not None

    def _read(self) -> dict[str, tuple[Any, ...]]:
        assert self.path is not None
        try:
            fh = open(self.path, "rb")  # noqa: SIM115 - kept open for the extra parts
        except OSError:
            return {}
        try:
            header = fh.read(_HEADER)
            if len(header) != _HEADER or header[:4] != MAGIC:
                raise ValueError("not a store")
            size = int.from_bytes(header[8:16], "little")
            payload = fh.read(size)
            if len(payload) != size or zlib.crc32(payload) != int.from_bytes(header[4:8], "little"):
                raise ValueError("damaged store")
            data = marshal.loads(payload)
            if (not isinstance(data, tuple) or len(data) != 4 or data[0] != FORMAT
                    or data[1] != self.fingerprint or data[2] != self.root or not isinstance(data[3], dict)):
                raise ValueError("store of another version or archive")
        except Exception:  # a bad store is never trusted: parse again
            fh.close()
            return {}
        self._fh = fh
        self._base = _HEADER + size
        entries: dict[str, tuple[Any, ...]] = data[3]
        return entries

    def extra(self, ref: Any) -> bytes | None:
        """The extra part of a record in section B, or None when it cannot be read intact."""
        try:
            offset, length, crc = ref
            blob = os.pread(self._fh.fileno(), length, self._base + offset)
            if len(blob) != length or zlib.crc32(blob) != crc:
                return None
            return blob
        except Exception:
            return None

    def get(self, key: str, sig: Signature) -> Record | None:
        """The record of an unchanged file, or None."""
        found = self.entries.get(key)
        if found is None or found[0] != sig:
            return None
        self.fresh[key] = found
        ref = found[5]
        return (found[1], found[2], found[3], found[4], lambda: self.extra(ref))

    def put(self, key: str, sig: Signature, record: Record, now: float) -> None:
        """Store the record of a file just parsed (unless it changed too recently to tell)."""
        self.changed = True
        if self.path is None:
            return
        mtime = sig[1] / 1e9
        if now - mtime < RACY_SECONDS or mtime > now:
            return
        self.fresh[key] = (sig, *record[:4], record[4])

    def save(self) -> None:
        """Write the records of the files seen in this run (dropping those of deleted files)."""
        if self.path is None:
            return
        if not self.changed and len(self.fresh) == len(self.entries):
            return
        if not self.fresh and not self.path.exists():
            return
        entries = {}
        chunks: list[bytes] = []
        offset = 0
        for key, (sig, head, diags, people, items, extra) in self.fresh.items():
            blob = extra if isinstance(extra, bytes) else self.extra(extra)
            if blob is None:
                continue
            entries[key] = (sig, head, diags, people, items, (offset, len(blob), zlib.crc32(blob)))
            chunks.append(blob)
            offset += len(blob)
        try:
            payload = marshal.dumps((FORMAT, self.fingerprint, self.root, entries))
        except ValueError:  # pragma: no cover - a record that is not plain data: a bug, not cached
            return
        header = MAGIC + zlib.crc32(payload).to_bytes(4, "little") + len(payload).to_bytes(8, "little")
        directory = self.path.parent
        import tempfile  # noqa: PLC0415 - only when writing

        try:
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=directory)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(header)
                    fh.write(payload)
                    fh.writelines(chunks)
                os.replace(tmp, self.path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
        except OSError:
            return
        _prune(directory)


def _prune(directory: Path) -> None:
    try:
        stores = [(e.stat().st_mtime, e.path) for e in os.scandir(directory) if e.name.endswith(".cache")]
        if len(stores) <= MAX_STORES:
            return
        stores.sort()
        for _, path in stores[: len(stores) - MAX_STORES]:
            os.unlink(path)
    except OSError:
        pass


def now() -> float:
    return time.time()


# -- records ------------------------------------------------------------------------

def _ord(day: dt.date | None) -> int | None:
    return day.toordinal() if day is not None else None


def _people_list(value: list[str] | str | None) -> tuple[str, ...] | str | None:
    return tuple(value) if isinstance(value, list) else value


def _from_people_list(value: tuple[str, ...] | str | None) -> list[str] | str | None:
    return list(value) if isinstance(value, tuple) else value


def _attendee(a: Attendee) -> Record:
    return (a.name, a.org, a.sector, tuple(a.items) if a.items is not None else None, a.part, a.note,
            a.deputy_for, a.line, a.org_written)


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


def to_record(m: Meeting, diagnostics: Iterable[Diagnostic]) -> Record:
    """A parsed meeting and its diagnostics as a tuple of plain values."""
    approved_on = m.approved_on.toordinal() if isinstance(m.approved_on, dt.date) else m.approved_on
    head = (m.relpath, _ord(m.date), m.status, m.date_inferred, m.start, m.end, m.location, m.approved_by,
            approved_on, _people_list(m.chairs), _people_list(m.secretary), _people_list(m.justerare),
            m.attendees_declared, m.source, m.body_start_line, m.ok)
    diags = tuple((d.line, d.code, d.severity.value, d.message, d.hint) for d in diagnostics)
    people = (
        tuple(_attendee(a) for a in m.attendees) if m.attendees is not None else None,
        tuple(_attendee(a) for a in m.guests),
        tuple(_attendee(a) for a in m.absent),
        tuple(_attendee(a) for a in m.deputies),
        tuple(_attendee(a) for a in m.expected),
    )
    items = tuple(
        (it.number, it.title, it.line, tuple(it.presenters), tuple(it.material), it.confidential,
         tuple((e.kind.value, e.local, e.text, e.line, e.item_number, e.item_title, tuple(e.owners),
                (e.due.year, e.due.month, e.due.day, e.due.label) if e.due is not None else None,
                tuple(e.refers), e.status.value if e.status is not None else None, e.checked, e.confidential,
                e.fields, _ord(e.meeting_date))
               for e in it.entries))
        for it in m.items
    )
    extra = (
        {k: _yaml_plain(v) for k, v in m.front_matter.items()},
        m.key_lines,
        tuple((_ord(c.date), c.by, c.note) for c in m.corrections),
        m.preamble,
        tuple(it.text for it in m.items),
    )
    return (head, diags, marshal.dumps(people), marshal.dumps(items), marshal.dumps(extra))


def diagnostics_of(record: Record, relpath: str) -> list[Diagnostic]:
    return [Diagnostic(relpath, line, code, _SEVERITY[sev], message, hint)
            for line, code, sev, message, hint in record[1]]


_PEOPLE = frozenset({"attendees", "guests", "absent", "deputies", "expected"})
_ITEMS = frozenset({"items"})
_EXTRA = frozenset({"front_matter", "key_lines", "corrections", "preamble"})


def _make_entry(t: Record) -> Entry:
    due = t[7]
    return Entry(
        _KIND[t[0]], t[1], t[2], t[3], _fromordinal(t[13]) if t[13] is not None else None, t[4], t[5],
        list(t[6]), Due(due[0], due[1], due[2], due[3]) if due is not None else None, list(t[8]),
        _STATUS[t[9]] if t[9] is not None else None, t[10], t[11], t[12],
    )


def _make_attendee(t: Record) -> Attendee:
    return Attendee(t[0], t[1], t[2], list(t[3]) if t[3] is not None else None, t[4], t[5], t[6], t[7], t[8])


class CachedMeeting(Meeting):
    """A meeting built from a cache record; its heavier parts are built on first use."""

    __slots__ = ("_record", "_resolve", "_built", "_items_data")

    _record: Record
    _resolve: Callable[[Meeting], None] | None
    _built: dict[tuple[int, int], Entry]
    _items_data: Any

    def __getattr__(self, name: str) -> Any:
        if name in _PEOPLE:
            self._build_people()
        elif name in _ITEMS:
            self._build_items()
        elif name in _EXTRA:
            self._build_extra()
        else:
            raise AttributeError(name)
        return object.__getattribute__(self, name)

    def _unset(self, name: str) -> bool:
        try:
            object.__getattribute__(self, name)
        except AttributeError:
            return True
        return False

    def _build_people(self) -> None:
        attendees, guests, absent, deputies, expected = marshal.loads(self._record[2])
        values = {
            "attendees": [_make_attendee(t) for t in attendees] if attendees is not None else None,
            "guests": [_make_attendee(t) for t in guests],
            "absent": [_make_attendee(t) for t in absent],
            "deputies": [_make_attendee(t) for t in deputies],
            "expected": [_make_attendee(t) for t in expected],
        }
        for name, value in values.items():
            if self._unset(name):
                object.__setattr__(self, name, value)
        if self._resolve is not None:
            resolve, self._resolve = self._resolve, None
            resolve(self)

    def _items_tuple(self) -> Any:
        data = self._items_data
        if data is None:
            data = self._items_data = marshal.loads(self._record[3])
        return data

    def _extra(self) -> Any:
        """(front matter, key lines, corrections, preamble, item texts)."""
        extra = self._record[4]
        blob = extra if isinstance(extra, bytes) else extra()
        if blob is None:  # the store's part is damaged: read the file again
            from .parse import parse_meeting_file  # noqa: PLC0415

            blob = to_record(*parse_meeting_file(self.path, self.relpath))[4]
        return marshal.loads(blob)

    def _build_items(self) -> None:
        built = self._built
        texts = self._extra()[4]
        if len(texts) != len(self._items_tuple()):  # pragma: no cover - the file changed under us
            texts = ("",) * len(self._items_tuple())
        items = []
        for i, (number, title, line, presenters, material, confidential, entries) in enumerate(
                self._items_tuple()):
            item = Item(number, title, line, list(presenters), list(material), confidential, texts[i])
            item.entries = [built.get((i, j)) or _make_entry(t) for j, t in enumerate(entries)]
            items.append(item)
        self._items_data = None
        self._built = {}
        if self._unset("items"):
            object.__setattr__(self, "items", items)

    def entries_of(self, kind: EntryKind) -> list[Entry]:
        if not self._unset("items"):
            return super().entries_of(kind)
        value = kind.value
        built = self._built
        out = []
        for i, item in enumerate(self._items_tuple()):
            for j, t in enumerate(item[6]):
                if t[0] == value:
                    entry = built.get((i, j))
                    if entry is None:
                        entry = built[(i, j)] = _make_entry(t)
                    out.append(entry)
        return out

    def _build_extra(self) -> None:
        front, key_lines, corrections, preamble, _ = self._extra()
        values = {
            "preamble": preamble,
            "front_matter": {k: _yaml_value(v) for k, v in front.items()},
            "key_lines": key_lines,
            "corrections": [Correction(_fromordinal(d) if d is not None else None, by, note)
                            for d, by, note in corrections],
        }
        for name, value in values.items():
            if self._unset(name):
                object.__setattr__(self, name, value)


def from_record(record: Record, path: Path, relpath: str,
                resolve: Callable[[Meeting], None] | None = None) -> CachedMeeting:
    """The meeting of a record; raises on a malformed record (the caller parses instead)."""
    (_, date, status, date_inferred, start, end, location, approved_by, approved_on, chairs, secretary,
     justerare, attendees_declared, source, body_start_line, ok) = record[0]
    m = CachedMeeting.__new__(CachedMeeting)
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
    m._record = record
    m._resolve = resolve
    m._built = {}
    m._items_data = None
    if len(record) != 5 or not isinstance(record[2], bytes) or not isinstance(record[3], bytes):
        raise ValueError("malformed cache record")
    return m
