"""Finding and loading an archive: the roster plus every meeting file."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from .codes import default_severity
from .errors import ConfigError, NotFoundError
from .model import Diagnostic, Meeting
from .parse import parse_meeting_file
from .roster import ROSTER_FILE, Roster, load_roster

ENV_ARCHIVE = "LGS_ARCHIVE"
IGNORED_DIRS = {"templates", "node_modules", "__pycache__"}
BACKUP_SUFFIXES = ("~", ".swp", ".swo", ".bak", ".orig", ".tmp")


@dataclass(slots=True)
class Archive:
    root: Path
    roster: Roster
    meetings: list[Meeting] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)  # load problems

    def meeting_on(self, day: dt.date) -> Meeting:
        for m in self.meetings:
            if m.date == day:
                return m
        raise NotFoundError(f"no meeting on {day.isoformat()} in {self.root}",
                            hint="'lgs meetings' lists the meetings.")

    @property
    def dated(self) -> list[Meeting]:
        return [m for m in self.meetings if m.date is not None]

    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity.value == "error"]


def display_path(path: Path) -> str:
    """A path as the user should see it: relative to the working directory when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


def find_archive(explicit: str | os.PathLike[str] | None = None, cwd: Path | None = None) -> Path:
    """``--archive`` / a PATH argument, else ``$LGS_ARCHIVE``, else walk up from the
    working directory to a folder holding ``lgs.yaml`` (or ``minutes/lgs.yaml``)."""
    if explicit:
        path = Path(explicit)
        if not path.exists():
            raise ConfigError(f"archive '{explicit}' does not exist")
        if path.is_file():
            raise ConfigError(f"archive '{explicit}' is a file; give the folder that holds the minutes")
        return path
    env = os.environ.get(ENV_ARCHIVE)
    if env:
        path = Path(env)
        if not path.is_dir():
            raise ConfigError(f"{ENV_ARCHIVE}={env} is not a folder")
        return path
    start = (cwd or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / ROSTER_FILE).is_file():
            return folder
        if (folder / "minutes" / ROSTER_FILE).is_file():
            return folder / "minutes"
    raise ConfigError(
        "no minutes archive found",
        hint=f"Run lgs inside an archive (a folder with {ROSTER_FILE}), or give --archive PATH or set {ENV_ARCHIVE}.",
    )


def list_meeting_files(root: Path, diagnostics: list[Diagnostic]) -> list[Path]:
    """Every ``*.md`` meeting file below ``root``, without following links out of it."""
    root_real = root.resolve()
    found: list[Path] = []

    def note(path: Path, message: str) -> None:
        diagnostics.append(Diagnostic(display_path(path), None, "LGS006", default_severity("LGS006"), message))

    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(
            d for d in dirnames
            if not d.startswith(".") and d not in IGNORED_DIRS and not os.path.islink(os.path.join(dirpath, d))
        )
        for name in sorted(filenames):
            path = Path(dirpath) / name
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
                continue
            if path.is_symlink():
                try:
                    target = path.resolve(strict=True)
                except (OSError, RuntimeError):
                    note(path, "broken link or link loop ignored")
                    continue
                if root_real != target and root_real not in target.parents:
                    note(path, "link to a file outside the archive ignored (not followed)")
                    continue
            found.append(path)
    return found


def load_archive(root: Path) -> Archive:
    """Load the roster and every meeting; problems become diagnostics."""
    roster = load_roster(root, display_path(root / ROSTER_FILE))
    archive = Archive(root=root, roster=roster)
    archive.diagnostics.extend(roster.diagnostics)
    for path in list_meeting_files(root, archive.diagnostics):
        meeting, diags = parse_meeting_file(path, display_path(path))
        archive.diagnostics.extend(diags)
        archive.meetings.append(meeting)
    archive.meetings.sort(key=lambda m: (m.date is None, m.date or dt.date.min, m.relpath))
    _apply_rule_settings(archive)
    return archive


def _apply_rule_settings(archive: Archive) -> None:
    out = []
    for d in archive.diagnostics:
        sev = archive.roster.severity_for(d.code, d.severity)
        if sev is None:
            continue
        out.append(d if sev is d.severity else Diagnostic(d.path, d.line, d.code, sev, d.message, d.hint))
    archive.diagnostics = out
