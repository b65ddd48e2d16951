"""Results derived from one meeting and the roster, kept between runs.

The per-file cache (:mod:`lgs_cli.cache`) keeps what the parser made of each
file; it does not depend on the roster. What the reports and ``lgs check``
derive from a meeting *and* the roster (the attendance of each organisation,
the decisions with their owners as the roster names them, the findings of the
per-meeting rules) costs about as much again on every run. A memo keeps such a
result per meeting file, next to the archive's store: one file per kind of
result, ``archives/<store>.<name>.memo``.

A memo entry is used only when

* the meeting's record is in the store with the content digest of the file
  it came from (:meth:`lgs_cli.cache.Store.holds`) and nothing of it has been built
  or changed in this run (:meth:`lgs_cli.cache.CachedMeeting.pristine`);
* the memo file was written by the same lgs (the package fingerprint), for the
  same archive root, with the same ``context``: a digest of the roster's text
  and anything else the result depends on. Another roster means a new memo.

The file is checked with a CRC before it is read; anything wrong with it means
"no memo" and the results are computed again. It is replaced atomically
(temporary file, rename); a concurrent run sees the old file or the new one.
Values are plain data (``marshal``), never pickles.
"""

from __future__ import annotations

import marshal
import zlib
from collections.abc import Callable, Iterable
from typing import Any

from . import cachedir

MAGIC = b"LGSM"
FORMAT = 1

Stamp = tuple[str, bytes]  # (store key, content digest of the file)


class Memo:
    """One kind of derived result for the meetings of one archive.

    ``stamp(meeting)`` gives the meeting's :data:`Stamp` when it may be memoised,
    else None. ``valid(key)`` gives the content digest of the file ``key`` in this run
    (entries of files that are gone or changed are dropped when the memo is
    saved). A result about the whole archive is kept under the key ``""``
    (:meth:`get_key`), with every meeting's display path and stamp as its signature.
    """

    def __init__(self, path: str | None, fingerprint: str, context: str | None,
                 stamp: Callable[[Any], Stamp | None], valid: Callable[[str], bytes | None]) -> None:
        self.path = path if context is not None else None
        self._head = (FORMAT, fingerprint, context)
        self._stamp = stamp
        self._valid = valid
        self._loaded: dict[str, tuple[Any, Any]] | None = None  # read on first use
        self._new: dict[str, tuple[Any, Any]] = {}

    @property
    def _old(self) -> dict[str, tuple[Any, Any]]:
        if self._loaded is None:
            self._loaded = self._read() if self.path else {}
        return self._loaded

    @property
    def enabled(self) -> bool:
        return self.path is not None

    def _read(self) -> dict[str, tuple[Any, Any]]:
        assert self.path is not None
        try:
            blob = cachedir.read_regular(self.path)
            payload = blob[8:]
            if blob[:4] != MAGIC or zlib.crc32(payload) != int.from_bytes(blob[4:8], "little"):
                return {}
            data = marshal.loads(payload)
            if not isinstance(data, tuple) or len(data) != 2 or data[0] != self._head or not isinstance(data[1], dict):
                return {}
        except Exception:  # missing, damaged, foreign: compute again
            return {}
        entries: dict[str, tuple[Any, Any]] = data[1]
        return entries

    def get(self, meeting: Any, compute: Callable[[], Any]) -> Any:
        """The memoised value for ``meeting``, or ``compute()`` (then kept)."""
        stamp = self._stamp(meeting) if self.path is not None else None
        if stamp is None:
            return compute()
        return self.get_key(stamp[0], stamp[1], compute)

    def stamps(self, meetings: Iterable[Any]) -> tuple[tuple[str, Stamp], ...] | None:
        """Every meeting's display path and stamp: the signature of a result about
        all of them; None when one of them has no stamp."""
        if self.path is None:
            return None
        out = []
        for m in meetings:
            stamp = self._stamp(m)
            if stamp is None:
                return None
            out.append((m.relpath, stamp))
        return tuple(out)

    def put(self, meeting: Any, value: Any) -> None:
        """Keep ``value`` for ``meeting`` (computed along with something else)."""
        stamp = self._stamp(meeting) if self.path is not None else None
        if stamp is not None:
            self._new[stamp[0]] = (stamp[1], value)

    def get_key(self, key: str, sig: Any, compute: Callable[[], Any]) -> Any:
        """The value kept under ``key`` for ``sig`` (plain data), or ``compute()`` (then kept)."""
        found = self._old.get(key)
        if found is not None and found[0] == sig:
            return found[1]
        value = compute()
        if self.path is not None:
            self._new[key] = (sig, value)
        return value

    def save(self) -> None:
        """Write the memo if anything was added or has gone stale."""
        if self.path is None or (self._loaded is None and not self._new):
            return
        kept = {key: entry for key, entry in self._old.items()
                if key not in self._new and (not key or self._valid(key) == entry[0])}
        if not self._new and len(kept) == len(self._old):
            return
        kept.update(self._new)
        try:
            payload = marshal.dumps((self._head, kept))
        except ValueError:  # pragma: no cover - values are plain data
            return
        cachedir.write_small(self.path, MAGIC + zlib.crc32(payload).to_bytes(4, "little") + payload,
                             suffix=".memo", keep=None)
        self._loaded, self._new = kept, {}


def disabled() -> Memo:
    """A memo that never keeps anything (no cache, or a roster changed in this run)."""
    return Memo(None, "", None, lambda m: None, lambda key: None)
