"""The data model: meetings, agenda items, entries, attendees, diagnostics.

Plain dataclasses, no behaviour beyond small derived properties. Nothing here
imports Typer or Rich. The parser makes attendees, entries and items with
positional arguments (it is faster): keep their fields in this order.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import NamedTuple

NOT_RECORDED = "not-recorded"

SECTORS = ("socialtjänst", "skola", "hälso- och sjukvård")


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.value


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding about one place in one file."""

    path: str  # as given to the user (relative to the archive root where possible)
    line: int | None
    code: str
    severity: Severity
    message: str
    hint: str | None = None

    def location(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


def in_parentheses(text: str) -> str:
    """``(text)``; a text in parentheses already (the redacted "(konfidentiellt)") as it is."""
    return text if text[:1] == "(" and text[-1:] == ")" else f"({text})"


NO_DATE = "(no date)"  # after the words of a due date that is none (LGS023), wherever they are shown


def due_or_words(due: Due | None, written: str | None) -> str | None:
    """A due date as text: ISO, or the words of one that is no date marked so."""
    if due is not None:
        return due.iso()
    return f"{written} {NO_DATE}" if written else None


@dataclass(frozen=True, slots=True)
class Due:
    """A due date: a day, or a month ("the meeting in November 2023")."""

    year: int
    month: int
    day: int | None = None
    label: str | None = None

    @property
    def date(self) -> dt.date | None:
        return dt.date(self.year, self.month, self.day) if self.day else None

    @property
    def last_day(self) -> dt.date:
        """The last day on which this is not overdue."""
        if self.day:
            return dt.date(self.year, self.month, self.day)
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def first_day(self) -> dt.date:
        """The first day it may fall on: the day, or the month's first (a month
        points at that month's meeting, whichever day it is)."""
        return dt.date(self.year, self.month, self.day or 1)

    def iso(self) -> str:
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{self.month:02d}"

    def display(self) -> str:
        return f"{self.iso()} {in_parentheses(self.label)}" if self.label else self.iso()

    def matches_meeting(self, day: dt.date) -> bool:
        """True when a meeting on ``day`` is the one this points at."""
        if self.day:
            return self.date == day
        return (self.year, self.month) == (day.year, day.month)


@dataclass(slots=True)
class Attendee:
    name: str
    org: str | None = None  # canonical organisation id where it resolved, else as written
    sector: str | None = None
    items: list[str] | None = None
    part: str | None = None
    note: str | None = None
    deputy_for: str | None = None
    line: int | None = None
    org_written: str | None = None

    @property
    def partial(self) -> bool:
        return bool(self.items) or self.part is not None


class EntryKind(StrEnum):
    DECISION = "decision"
    ACTION = "action"
    FOLLOWUP = "followup"
    DEFERRAL = "deferral"


ENTRY_PREFIX = {EntryKind.DECISION: "B", EntryKind.ACTION: "A", EntryKind.DEFERRAL: "U"}


class FollowUpStatus(StrEnum):
    DONE = "klar"
    DROPPED = "struken"
    CARRIED = "kvarstår"

    @property
    def english(self) -> str:
        return {"klar": "done", "struken": "dropped", "kvarstår": "carried"}[self.value]


@dataclass(slots=True)
class Entry:
    """A decision, action, follow-up or deferred matter, as written."""

    kind: EntryKind
    local: str  # "B1", "A2", "U1"; for follow-ups the referenced ID
    text: str
    line: int
    meeting_date: dt.date | None
    item_number: str | None
    item_title: str
    owners: list[str] = field(default_factory=list)
    due: Due | None = None
    refers: list[str] = field(default_factory=list)  # Avser: (decisions)
    status: FollowUpStatus | None = None  # follow-ups only
    checked: bool = False
    confidential: bool = False
    fields: dict[str, int] = field(default_factory=dict)  # field name -> line
    due_written: str | None = None  # Senast:/Till: as written, when it is no date (LGS023)

    @property
    def id(self) -> str:
        if self.kind is EntryKind.FOLLOWUP:
            return self.local
        date = self.meeting_date.isoformat() if self.meeting_date else "????-??-??"
        return f"{date}-{self.local}"


@dataclass(slots=True)
class Item:
    number: str | None
    title: str
    line: int
    presenters: list[str] = field(default_factory=list)
    material: list[str] = field(default_factory=list)
    confidential: bool = False
    text: str = ""  # the item's body as written (Markdown)
    entries: list[Entry] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.number}. {self.title}" if self.number else self.title


@dataclass(slots=True)
class Correction:
    date: dt.date | None
    by: str | None
    note: str | None


class Counts(NamedTuple):
    items: int
    decisions: int
    actions: int
    followups: int
    deferrals: int
    attendees: int | None  # those who came, deputies too; None: attendance not recorded


@dataclass(slots=True)
class Meeting:
    path: Path
    relpath: str
    date: dt.date | None
    status: str | None = None
    date_inferred: str | None = None
    start: str | None = None
    end: str | None = None
    location: str | None = None
    approved_by: str | None = None  # name or NOT_RECORDED
    approved_on: dt.date | str | None = None  # date or NOT_RECORDED
    chairs: list[str] | str | None = None  # list, NOT_RECORDED, or absent
    secretary: list[str] | str | None = None
    justerare: list[str] | str | None = None
    attendees: list[Attendee] | None = None  # None: not recorded
    attendees_declared: bool = False  # the key was present
    guests: list[Attendee] = field(default_factory=list)
    absent: list[Attendee] = field(default_factory=list)
    deputies: list[Attendee] = field(default_factory=list)
    expected: list[Attendee] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)
    source: str | None = None
    items: list[Item] = field(default_factory=list)
    preamble: str = ""  # body text before the first item
    front_matter: dict[str, object] = field(default_factory=dict)
    # The YAML it was read from, when lgs's own reader read it (the parser sets it; the
    # cache record keeps it instead of the values, which are not to be changed then).
    front_matter_text: str | None = None
    key_lines: dict[str, int] = field(default_factory=dict)
    body_start_line: int = 1
    ok: bool = True  # False when the file could not be read as a meeting at all

    @property
    def entries(self) -> list[Entry]:
        return [e for item in self.items for e in item.entries]

    def entries_of(self, kind: EntryKind) -> list[Entry]:
        return [e for e in self.entries if e.kind is kind]

    @property
    def decisions(self) -> list[Entry]:
        return self.entries_of(EntryKind.DECISION)

    @property
    def actions(self) -> list[Entry]:
        return self.entries_of(EntryKind.ACTION)

    @property
    def followups(self) -> list[Entry]:
        return self.entries_of(EntryKind.FOLLOWUP)

    @property
    def deferrals(self) -> list[Entry]:
        return self.entries_of(EntryKind.DEFERRAL)

    @property
    def attendance_recorded(self) -> bool:
        return self.attendees is not None

    def counts(self) -> Counts:
        """How many agenda items, entries of each kind and attendees the meeting has
        (``lgs meetings``; a meeting from the cache answers from its record)."""
        n = dict.fromkeys(EntryKind, 0)
        for item in self.items:
            for e in item.entries:
                n[e.kind] += 1
        return Counts(len(self.items), n[EntryKind.DECISION], n[EntryKind.ACTION], n[EntryKind.FOLLOWUP],
                      n[EntryKind.DEFERRAL],
                      len(self.attendees) + len(self.deputies) if self.attendees is not None else None)

    def line_of(self, key: str) -> int | None:
        return self.key_lines.get(key)
