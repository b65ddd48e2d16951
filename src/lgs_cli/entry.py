"""The ``lgs`` console script.

``lgs --help`` reads nothing and changes only when lgs or Typer changes, yet
building it costs Typer's import and the whole command tree (about 50 ms, six
times the interpreter's start-up). So it is printed from a copy saved in the
cache directory (``help/``) when the package's modules, Typer's modules, the
Python version and the terminal width are the same as when the copy was made;
otherwise, and for every other command, the Typer application runs as usual
(and saves the help it printed). ``LGS_NO_CACHE=1`` turns the copy off.

Only the standard library is imported before the copy is printed.
"""

from __future__ import annotations

import os
import sys

HELP_ARGS = (["--help"], ["-h"])
MAX_HELP_FILES = 16


EXIT_OUTPUT = 74  # the output could not be written (sysexits EX_IOERR)


EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports it


def main() -> None:
    try:
        _main()
    except KeyboardInterrupt:  # Ctrl-C while Python, Typer or lgs are still being imported
        try:  # (not contextlib.suppress: contextlib is not imported yet, ≈ 2 ms)
            sys.stderr.write("Interrupted.\n")
            sys.stderr.flush()
        except (OSError, AttributeError):  # no stderr to say it on
            pass
        raise SystemExit(EXIT_INTERRUPTED) from None


def _main() -> None:
    if sys.stdout is None:  # started with the standard output closed (`lgs actions >&-`)
        # Writing to it is the error (74, as for a full disk); a usage error, which
        # writes to stderr only, is still a usage error (2).
        sys.stdout = _ClosedOutput()
    if sys.stderr is None:  # started with the standard error closed (`lgs check 2>&-`): messages go nowhere,
        # and the exit status stays the command's (a clean check is 0, not an error about the missing stream)
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the life of the process
    _prepare_streams()
    sys.stderr = _QuietStderr(sys.stderr)
    if sys.argv[1:] in HELP_ARGS and "_LGS_COMPLETE" not in os.environ:
        _help()
    from .cli import main as cli_main  # noqa: PLC0415 - after the fast path

    cli_main()


_ESCAPES = "lgs-escapes"
# What the tables and messages draw with, in ASCII where the output cannot hold it.
_PLAIN = {"\u2500": "-", "\u2502": "|", "\u2013": "-", "\u2014": "--", "\u2026": "...", "\u2192": "->",
          "\u00a0": " ", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00d7": "x"}


def _escape(exc: UnicodeError) -> tuple[str, int]:
    """The encoding error handler for an output that cannot hold every character:
    the table's lines and dashes in ASCII, anything else as a Python escape."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    part = exc.object[exc.start:exc.end]
    return "".join(_PLAIN.get(c) or (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"
                                     if ord(c) < 0x10000 else f"\\U{ord(c):08x}") for c in part), exc.end


def holds_unicode(stream: object) -> bool:
    """Whether ``stream`` writes every character (UTF-8): not under
    ``PYTHONIOENCODING=ascii`` or a C locale without UTF-8 mode, where lgs writes
    escapes (:func:`_escape`), JSON its own, and CSV no byte-order mark."""
    import codecs  # noqa: PLC0415 - (already imported by the interpreter)

    try:
        return codecs.lookup(getattr(stream, "encoding", None) or "utf-8").name.startswith("utf")
    except LookupError:
        return False


_MADE_BLOCKING: list[int] = []  # the descriptors _prepare_streams made blocking


def restore_blocking() -> None:
    """Leave the standard output and error non-blocking again where the caller had
    them so (the flag is on the file description the caller shares): called once
    everything is written."""
    for fd in _MADE_BLOCKING:
        try:  # noqa: SIM105 - contextlib is not imported on the way to --help
            os.set_blocking(fd, False)
        except (OSError, ValueError):
            pass
    _MADE_BLOCKING.clear()


def _prepare_streams() -> None:
    """What the environment may have set up against lgs:

    * a standard output (or error) left non-blocking by the caller (a file
      description shared with a parent that set O_NONBLOCK): a slow reader would
      make writes fail half-way, and output be lost; lgs waits for the reader, as
      every command-line tool does;
    * an output encoding that cannot hold Swedish text (``PYTHONIOENCODING=ascii``,
      ``LC_ALL=C`` without UTF-8 mode): what it cannot hold is written as escapes
      (``\\u2013``) instead of failing;
    * arguments decoded with such a locale's encoding (``--search våld`` as
      ``v\\udcc3\\udca5ld``): read again as the UTF-8 they are (not those that
      name a file or folder: the file system names them so).
    """
    for fd in (1, 2):
        try:
            if not os.get_blocking(fd):
                os.set_blocking(fd, True)
                _MADE_BLOCKING.append(fd)
        except (OSError, ValueError, AttributeError):  # closed, or not a platform with the flag
            pass
    import codecs  # noqa: PLC0415 - (already imported by the interpreter)

    for stream in (sys.stdout, sys.stderr):
        if not holds_unicode(stream) and hasattr(stream, "reconfigure"):
            try:
                codecs.register_error(_ESCAPES, _escape)
                stream.reconfigure(errors=_ESCAPES)
            except (OSError, ValueError):
                pass
    args = sys.argv[1:]
    for i, arg in enumerate(args):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:  # surrogates: bytes the locale's codec could not decode
            if os.path.lexists(arg) or ("=" in arg and os.path.lexists(arg.split("=", 1)[1])):
                continue  # a path: as the file system names it (re-decoded, the locale could not encode it)
            try:  # noqa: SIM105 - contextlib is not imported on the way to --help (≈ 2 ms)
                sys.argv[i + 1] = os.fsencode(arg).decode("utf-8", "surrogateescape")
            except (UnicodeError, ValueError):
                pass


class _ClosedOutput:
    """Stands in for a standard output that was closed when lgs started: every
    write fails as writing to a closed file descriptor does."""

    encoding = "utf-8"
    errors = "strict"

    def write(self, text: str) -> int:
        if not text:
            return 0
        import errno  # noqa: PLC0415

        raise OSError(errno.EBADF, "the standard output is closed")

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        import errno  # noqa: PLC0415

        raise OSError(errno.EBADF, "the standard output is closed")


class _QuietStderr:
    """The standard error, where a reader that went away (``lgs check 2>&1 | head -1``)
    or a full disk is not an error: what is left of the messages goes nowhere, and the exit status
    stays the command's (findings 1, a usage error 2) instead of an error about
    the pipe. Everything else is the stream's own."""

    def __init__(self, stream: object) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return int(self._stream.write(text))  # type: ignore[attr-defined]
        except (OSError, ValueError):  # a reader gone, a full disk (`2>/dev/full`): the messages are lost,
            self._gone()                # the exit status stays the command's (74 is for the data, stdout)
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()  # type: ignore[attr-defined]
        except (OSError, ValueError):
            self._gone()

    def _gone(self) -> None:
        """Point the stream at the null device: what is still buffered, and what
        comes, is written there (also by the interpreter's flush at exit)."""
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(devnull, self._stream.fileno())  # type: ignore[attr-defined]
            finally:
                os.close(devnull)
        except (OSError, ValueError, AttributeError):
            pass

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


def _help() -> None:
    """Print the help and exit."""
    path = _help_file()
    if path is not None:
        from .cachedir import read_regular  # noqa: PLC0415

        try:
            text = _checked(read_regular(path))
        except OSError:
            text = ""
        if text:
            _write(text)
            restore_blocking()
            raise SystemExit(0)
    import contextlib  # noqa: PLC0415
    import io  # noqa: PLC0415

    from .cli import main as cli_main  # noqa: PLC0415

    captured = io.StringIO()
    code: object = 0
    with contextlib.redirect_stdout(captured):
        try:
            cli_main()
        except SystemExit as exc:
            code = exc.code
    text = captured.getvalue()
    _write(text)
    if code in (0, None) and text and path is not None:
        _save(path, text)
    raise SystemExit(code)


def _write(text: str) -> None:
    """Print; a reader that went away (``lgs --help | head -1``) is not an error,
    output that cannot be written (a full disk) is (74)."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        discard_stdout()
        raise SystemExit(0) from None
    except (OSError, ValueError) as exc:
        raise SystemExit(cannot_write(exc)) from None


def cannot_write(exc: BaseException) -> int:
    """Say (once) that the output cannot be written (a full disk, a closed stdout):
    what is left of it goes nowhere. The exit code: 74."""
    try:
        sys.stderr.write(f"lgs: cannot write: {getattr(exc, 'strerror', None) or exc}\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass
    discard_stdout()
    return EXIT_OUTPUT


def discard_stdout() -> None:
    """What is left in stdout's buffer goes nowhere: the interpreter's own flush at
    exit must not fail again (a traceback, exit 120) after lgs has said so."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def terminal_columns() -> int:
    """The width click formats help for: ``shutil.get_terminal_size().columns``
    (the same rules, without importing shutil)."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    try:
        lines = int(os.environ["LINES"])
    except (KeyError, ValueError):
        lines = 0
    if columns <= 0 or lines <= 0:
        try:
            size = os.get_terminal_size(sys.__stdout__.fileno())  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            size = os.terminal_size((80, 24))
        if columns <= 0:
            columns = size.columns or 80
    return columns


def help_key() -> str:
    """Changes whenever the help could: lgs's or Typer's modules, Python, the width."""
    import zlib  # noqa: PLC0415

    from . import __version__  # noqa: PLC0415

    parts = [__version__, sys.version, sys.executable, str(terminal_columns())]
    folders = [os.path.dirname(os.path.abspath(__file__))]
    for entry in sys.path:
        typer_dir = os.path.join(entry or ".", "typer")
        if os.path.isfile(os.path.join(typer_dir, "__init__.py")):
            folders += [typer_dir, os.path.join(typer_dir, "_click")]
            break
    for folder in folders:
        try:
            with os.scandir(folder) as it:
                for e in it:
                    if e.name.endswith(".py"):
                        st = e.stat()
                        parts.append(f"{folder}/{e.name}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append(f"{folder}:missing")
    data = "\n".join(sorted(parts)).encode("utf-8", "surrogateescape")
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}{len(data):x}"


def _help_file() -> str | None:
    from .cachedir import cache_dir, private_dir  # noqa: PLC0415

    base = cache_dir()
    if base is None:
        return None
    folder = os.path.join(base, "help")
    if not private_dir(folder):
        return None
    return os.path.join(folder, f"{help_key()}.txt")


_HELP_HEAD = b"lgs-help "


def _save(path: str, text: str) -> None:
    """The help, after a line with its length and CRC: a copy cut short or damaged
    is never printed (:func:`_checked`), the help is built again instead."""
    import zlib  # noqa: PLC0415

    from .cachedir import write_small  # noqa: PLC0415

    data = text.encode("utf-8")
    head = _HELP_HEAD + f"{len(data)} {zlib.crc32(data):08x}\n".encode("ascii")
    write_small(path, head + data, suffix=".txt", keep=MAX_HELP_FILES)


def _checked(saved: bytes) -> str:
    """The help a saved copy holds, or "" when it is not whole."""
    import zlib  # noqa: PLC0415

    head, _, data = saved.partition(b"\n")
    parts = head[len(_HELP_HEAD):].split(b" ")
    if not head.startswith(_HELP_HEAD) or len(parts) != 2 or not parts[0].isdigit():
        return ""
    if int(parts[0]) != len(data) or f"{zlib.crc32(data):08x}".encode("ascii") != parts[1]:
        return ""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return ""
