"""Domain errors. Each carries a message and an exit code; the CLI turns them
into output in exactly one place (``lgs_cli.cli.main``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Diagnostic

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


class LgsError(Exception):
    """Base class: a problem the user can act on, never a bug."""

    exit_code = EXIT_FINDINGS

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class FindingsError(LgsError):
    """A refusal because of findings (``lgs approve`` on minutes with errors): the
    findings are shown with the message, where every error is shown."""

    def __init__(self, message: str, findings: list[Diagnostic], *, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.findings = findings


class UsageError(LgsError):
    """Bad option value or argument (exit 2)."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, *, option: str | None = None, hint: str | None = None) -> None:
        if option:
            message = f"Invalid value for {option}: {message}"
        super().__init__(message, hint=hint)
        self.option = option


class ConfigError(LgsError):
    """The archive or its roster cannot be used (exit 2)."""

    exit_code = EXIT_USAGE


class NotFoundError(LgsError):
    """A meeting, ID or person that does not exist (exit 1)."""


class AmbiguousNameError(UsageError):
    """A short name that matches more than one person."""

    def __init__(self, name: str, candidates: list[str], *, option: str | None = None) -> None:
        cands = ", ".join(candidates)
        super().__init__(f"'{name}' is ambiguous: it could be {cands}", option=option,
                         hint="Give the full name.")
        self.name = name
        self.candidates = candidates


class FileExistsLgsError(LgsError):
    """A command would overwrite an existing file (exit 1)."""


class GitError(LgsError):
    """git failed or is not available (exit 2)."""

    exit_code = EXIT_USAGE
