"""Where lgs keeps its cache: ``$LGS_CACHE_DIR``, else ``$XDG_CACHE_HOME/lgs``,
else ``~/.cache/lgs``; ``LGS_NO_CACHE=1`` turns it off.

Standard library only and no pathlib: the start-up path of ``lgs --help``
(:mod:`lgs_cli.entry`) uses it too.
"""

from __future__ import annotations

import contextlib
import os
import stat

ENV_DIR = "LGS_CACHE_DIR"
ENV_OFF = "LGS_NO_CACHE"
_NOT_OFF = ("", "0", "no", "false", "off")  # LGS_NO_CACHE=false keeps the cache


def open_regular(path: str, flags: int = os.O_RDONLY) -> int:
    """A file descriptor of ``path`` when it is a regular file; OSError otherwise.
    Opened without waiting (a FIFO put in the cache's place would stop every run
    until someone wrote to it), then made blocking again."""
    fd = os.open(path, flags | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path} is not a regular file")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_regular(path: str) -> bytes:
    """The bytes of a cache file (:func:`open_regular`); OSError when it is none."""
    with os.fdopen(open_regular(path), "rb") as fh:
        return fh.read()


def cache_dir() -> str | None:
    """The cache directory, or None when the cache is turned off."""
    if os.environ.get(ENV_OFF, "").strip().lower() not in _NOT_OFF:
        return None
    explicit = os.environ.get(ENV_DIR)
    if explicit:
        return os.path.abspath(os.path.expanduser(explicit))
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = xdg if xdg and os.path.isabs(xdg) else os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "lgs")


def private_dir(path: str) -> bool:
    """Create ``path`` and its parent (0700) if needed; True when ``path`` is ours
    and not writable by anybody else (a cache others can write is not used)."""
    try:
        parent = os.path.dirname(path)
        if not os.path.isdir(parent):
            os.makedirs(parent, mode=0o700, exist_ok=True)
        os.makedirs(path, mode=0o700, exist_ok=True)
        st = os.stat(path)
    except OSError:
        return False
    if not stat.S_ISDIR(st.st_mode):
        return False
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return False
    return not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def write_small(path: str, data: bytes, *, suffix: str, keep: int | None) -> None:
    """Write a private cache file atomically (temporary file, then rename) and keep
    only the newest ``keep`` files ending in ``suffix`` in its folder (None: keep all).
    Failures are ignored: a cache that cannot be written is simply not used."""
    folder = os.path.dirname(path)
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        os.replace(tmp, path)
        if keep is None:
            return
        saved = sorted((e.stat().st_mtime, e.path) for e in os.scandir(folder) if e.name.endswith(suffix))
        for _, old in saved[: max(0, len(saved) - keep)]:
            os.unlink(old)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
