"""Reading a file that should be a small regular file, without being fooled.

Standard library only: the cache (on every run) and the parser share it.
"""

from __future__ import annotations

import os
import stat

MAX_FILE_BYTES = 1024 * 1024  # a meeting file larger than this is not read


def read_bounded(path: str | os.PathLike[str], limit: int = MAX_FILE_BYTES,
                 ) -> tuple[bytes | None, str | None, os.stat_result | None]:
    """The file's bytes (at most ``limit``), or None and why not; and the file's
    status after reading (to tell whether it changed meanwhile).

    Opened without blocking and checked to be a regular file before reading, so
    a FIFO, a device or a folder named ``*.md`` cannot hang or flood the reader;
    the size is checked before reading, and the read is bounded even when the
    file grows meanwhile.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        return None, f"cannot read the file: {exc.strerror or exc}", None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = "a folder" if stat.S_ISDIR(st.st_mode) else (
                "a named pipe (FIFO)" if stat.S_ISFIFO(st.st_mode) else "a device or socket")
            return None, f"not a regular file ({kind}); not read", st
        if st.st_size > limit:
            return None, f"file is too large ({st.st_size:,} bytes; the limit is {limit:,})", st
        chunks: list[bytes] = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        raw = b"".join(chunks)
        after = os.fstat(fd)
    except OSError as exc:
        return None, f"cannot read the file: {exc.strerror or exc}", None
    finally:
        os.close(fd)
    if len(raw) > limit:
        return None, f"file is too large (over {limit:,} bytes)", after
    return raw, None, after
