"""Writing files safely: a temporary file in the same folder, fsync, then an
atomic rename (or a hard link for "create, never overwrite").

An interrupted write (a crash, Ctrl-C, a full disk) leaves the old file exactly
as it was and no temporary file behind; readers never see half a file. The
temporary file's name starts with ``.`` and ends in ``.tmp``, so the archive
loader ignores it even if a power cut leaves it behind.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from pathlib import Path

from .errors import FileExistsLgsError, LgsError


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes, *, exclusive: bool) -> Path:
    """Write ``data`` to ``path`` atomically and return the path written.

    * ``exclusive=True``: create the file; if it exists (also when it appears
      while writing), raise :class:`~lgs_cli.errors.FileExistsLgsError` and leave
      it untouched. The new file gets the default mode (0666 minus the umask).
    * ``exclusive=False``: replace the file (or create it). The file's
      permission bits are kept; when ``path`` is a symbolic link, the file it
      points to is replaced and the link stays.

    Other failures raise :class:`~lgs_cli.errors.LgsError` naming the file.
    """
    target = Path(path)
    if not exclusive and target.is_symlink():
        with contextlib.suppress(OSError, RuntimeError):
            target = target.resolve(strict=True)
    if exclusive and os.path.lexists(target):
        raise _exists(target)
    folder = target.parent
    tmp = folder / f".{target.name}.{secrets.token_hex(6)}.tmp"
    try:
        old_mode = None if exclusive else _mode_of(target)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        try:
            if old_mode is not None:
                os.chmod(tmp, old_mode)
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        if exclusive:
            _link_exclusive(tmp, target)
        else:
            os.replace(tmp, target)
        _fsync_folder(folder)
    except FileExistsLgsError:
        _remove(tmp)
        raise
    except OSError as exc:
        _remove(tmp)
        raise LgsError(f"cannot write {target}: {exc.strerror or exc}") from exc
    except BaseException:
        _remove(tmp)
        raise
    _remove(tmp)  # after a hard link the temporary name is still there
    return target


def read_only(path: str | os.PathLike[str]) -> bool:
    """No write permission for anyone (0444): a file its owner protected. lgs does
    not replace it, though replacing would work (the folder decides that)."""
    return not stat.S_IMODE(os.stat(path).st_mode) & 0o222


def _exists(target: Path) -> FileExistsLgsError:
    return FileExistsLgsError(f"{target} already exists; not overwritten")


def _mode_of(target: Path) -> int | None:
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        return None


def _link_exclusive(tmp: Path, target: Path) -> None:
    """Give the finished temporary file its name, failing if the name is taken."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise _exists(target) from None
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        _claim_then_replace(tmp, target)


# Errors that mean "this file system has no hard links" (FAT, some network shares).
_NO_HARD_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.ENOSYS, errno.EACCES,
                  errno.EMLINK}


def _claim_then_replace(tmp: Path, target: Path) -> None:
    """Without hard links: claim the name with O_CREAT|O_EXCL, then rename the
    complete temporary file over our own empty claim, so the name can never be
    taken twice and readers never see half a file."""
    try:
        claim = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666)
    except FileExistsError:
        raise _exists(target) from None
    os.close(claim)
    try:
        os.replace(tmp, target)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(target)  # our own empty claim
        raise


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def _remove(tmp: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(tmp)
