"""Installing shell completion (``lgs --install-completion``) without putting the
user's shell start-up file at risk.

The completion script goes to a file of its own; the start-up file (``~/.bashrc``,
``~/.zshrc``) gets one line that loads it, added once. That file is read as bytes
(whatever its encoding) and replaced atomically with its old bytes and the line
after them (:func:`lgs_cli.fsutil.atomic_write_bytes`): a full disk, Ctrl-C or a
crash leaves it as it was, never cut short. A start-up file that is a link is
edited where it points; one that is no regular file, or cannot be read or
written, is an error naming it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import LgsError, UsageError
from .fsutil import atomic_write_bytes, read_only

# Where each shell looks for a completion script (as Typer's own installer puts them).
SCRIPTS = {
    "bash": ".bash_completions/{prog}.sh",
    "zsh": ".zfunc/_{prog}",
    "fish": ".config/fish/completions/{prog}.fish",
}
STARTUP_FILES = {"bash": ".bashrc", "zsh": ".zshrc"}  # fish reads its completions folder by itself
ZSH_LINE = "fpath+=~/.zfunc; autoload -Uz compinit; compinit"


@dataclass(frozen=True, slots=True)
class Installed:
    shell: str
    script: Path
    startup: Path | None  # the start-up file that loads it (None: the shell finds it itself)
    added: bool  # whether the line was added to it now (False: it was there already)


def home_folder() -> Path:
    """The user's home folder: $HOME, else the account's; an error when there is none
    (an empty HOME would put the files in the root folder)."""
    home = os.environ.get("HOME")
    if home is None:
        try:
            return Path.home()
        except (RuntimeError, KeyError, OSError):  # no HOME and no account entry (a container)
            pass
    elif home.strip() and os.path.isabs(home):
        return Path(home)
    raise UsageError("there is no home folder to install completion in (HOME is not set to one)",
                     option="--install-completion",
                     hint="Set HOME, or add what 'lgs --show-completion' prints to your shell's set-up yourself.")


def install_completion(shell: str, script: str, home: Path, prog: str = "lgs") -> Installed:
    """Write ``script`` where ``shell`` finds it and make the shell load it."""
    if shell not in SCRIPTS:
        raise UsageError(f"completion for '{shell}' is not installed by lgs (bash, zsh and fish are)",
                         option="--install-completion",
                         hint="'lgs --show-completion' prints the script, to add to your shell's set-up yourself.")
    path = home / SCRIPTS[shell].format(prog=prog)
    _folder(path.parent)
    atomic_write_bytes(path, script.encode("utf-8"), exclusive=False)
    folder = home
    if shell == "zsh" and os.environ.get("ZDOTDIR", "").strip():  # zsh reads its .zshrc there instead
        folder = Path(os.path.expanduser(os.environ["ZDOTDIR"]))
    startup = folder / STARTUP_FILES[shell] if shell in STARTUP_FILES else None
    added = False
    if startup is not None:
        line = ZSH_LINE if shell == "zsh" else "source '" + str(path).replace("'", "'\"'\"'") + "'"
        added = add_line(startup, line)
    return Installed(shell, path, startup, added)


def add_line(startup: Path, line: str) -> bool:
    """Add ``line`` at the end of ``startup`` unless a line of it is that already
    (True when added). Every byte that was there stays."""
    target = startup
    if startup.is_symlink():
        try:
            target = startup.resolve(strict=False)
        except (OSError, RuntimeError) as exc:  # a loop of links
            raise LgsError(f"cannot add completion to {startup}: the link cannot be followed ({exc})") from None
    if os.path.lexists(target) and not target.is_file():
        raise LgsError(f"cannot add completion to {startup}: it is not a regular file",
                       hint=f"Add this line to your shell's start-up yourself: {line}")
    try:
        data = target.read_bytes() if target.exists() else b""
    except OSError as exc:
        raise LgsError(f"cannot read {startup}: {exc.strerror or exc}",
                       hint=f"Add this line to it yourself: {line}") from None
    encoded = line.encode("utf-8")
    if any(existing.strip() == encoded for existing in data.splitlines()):
        return False  # there already (a read-only file too: nothing to write)
    if target.is_file() and read_only(target):
        raise LgsError(f"cannot add completion to {startup}: it is read-only",
                       hint=f"Add this line to it yourself (or make it writable and run this again): {line}")
    separator = b"\n" if data and not data.endswith((b"\n", b"\r")) else b""
    try:
        atomic_write_bytes(target, data + separator + encoded + b"\n", exclusive=False)
    except LgsError as exc:
        raise LgsError(f"{exc.message}; {startup} is unchanged", hint=f"Add this line to it yourself: {line}") from None
    return True


def _folder(path: Path) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LgsError(f"cannot make the folder {path}: {exc.strerror or exc}") from None
