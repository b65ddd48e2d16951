"""Diagnostic codes: one table, used by the loader, ``lgs check``, the README
and the tests. Every code can be switched off or downgraded in ``lgs.yaml``
under ``rules:``."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Severity


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    severity: Severity
    title: str


_E, _W = Severity.ERROR, Severity.WARNING

CODES: dict[str, Code] = {
    c.code: c
    for c in [
        # files and front matter
        Code("LGS001", _E, "file cannot be read (size, encoding, NUL bytes, permissions)"),
        Code("LGS002", _E, "front matter or roster is not valid YAML / not a mapping"),
        Code("LGS003", _E, "unknown front-matter key"),
        Code("LGS004", _E, "front-matter value has the wrong type or form"),
        Code("LGS005", _E, "required front-matter key missing"),
        Code("LGS006", _W, "file or entry ignored (backup file, link outside the archive, …)"),
        # dates and times
        Code("LGS010", _E, "invalid date"),
        Code("LGS011", _E, "file name does not match the meeting date"),
        Code("LGS012", _W, "meeting date far in the past or future"),
        Code("LGS013", _E, "invalid time or time range"),
        Code("LGS014", _E, "due date before the meeting"),
        Code("LGS015", _E, "approval date before the meeting or in the future"),
        Code("LGS016", _W, "correction without 'by' or a note, or dated before the approval or an earlier one"),
        # body and entries
        Code("LGS020", _E, "malformed entry (marker, number or field)"),
        Code("LGS021", _E, "entry outside an agenda item"),
        Code("LGS022", _E, "entry number used twice in one meeting"),
        Code("LGS023", _E, "invalid due date (Senast/Till)"),
        Code("LGS024", _E, "follow-up without a valid status"),
        Code("LGS025", _E, "unclosed confidential passage"),
        Code("LGS026", _W, "checkbox does not match the status"),
        Code("LGS027", _W, "text looks like a decision, action, follow-up or deferred matter but is not marked"),
        Code("LGS028", _W, "unknown field in an entry, or a field not written as one (not read)"),
        Code("LGS029", _E, "deferred matter without a target meeting (Till)"),
        Code("LGS030", _W, "text contains control or bidirectional characters"),
        Code("LGS031", _W, "meeting has no agenda items"),
        Code("LGS032", _W, "heading looks like an agenda item but is not one (level or spacing)"),
        Code("LGS033", _W, "HTML comment never closed: the rest of the file is hidden"),
        Code("LGS034", _E, "a confidential marker with no effect ({konfidentiellt} on a heading that is not an "
                           "agenda item, <!-- konfidentiellt --> inside a line)"),
        # owners and people
        Code("LGS101", _E, "decision without an owner"),
        Code("LGS102", _E, "action without an owner"),
        Code("LGS103", _E, "unknown organisation"),
        Code("LGS104", _E, "unknown sector"),
        Code("LGS105", _E, "owner does not resolve through the roster"),
        Code("LGS106", _E, "ambiguous short name"),
        Code("LGS107", _W, "person acting outside their roster period"),
        Code("LGS108", _E, "person not in the roster (chair, secretary, justerare, attendee, correction by)"),
        Code("LGS109", _W, "presenter or guest not in the roster"),
        Code("LGS110", _W, "attendee's organisation differs from the roster"),
        Code("LGS111", _W, "person listed twice in the attendance (attendees, deputies, absent, guests)"),
        Code("LGS112", _W, "justerare not among the attendees (or listed as absent)"),
        Code("LGS113", _W, "deputy stands in for someone who is listed as present"),
        Code("LGS114", _W, "empty attendance list (attendees: []): a meeting every organisation missed"),
        Code("LGS115", _W, "partial attendance names an item the meeting does not have"),
        # across the archive
        Code("LGS201", _E, "two meetings on the same date (duplicate IDs)"),
        Code("LGS203", _E, "follow-up references an action that does not exist"),
        Code("LGS204", _E, "follow-up references an action of the same or a later meeting"),
        Code("LGS205", _E, "action closed twice, or deferred matter settled twice"),
        Code("LGS206", _E, "decision settles (Avser) an unknown, non-deferred or not earlier matter"),
        Code("LGS207", _W, "follow-up of an action that is already closed"),
        Code("LGS208", _W, "action followed up twice at one meeting"),
        Code("LGS209", _W, "deferred matter neither settled nor carried forward at the meeting it was deferred to"),
        Code("LGS210", _W, "follow-up or settling decision of a confidential entry outside confidential text"),
        # approval and the record
        Code("LGS301", _E, "approved minutes are incomplete (secretary, justerare, approval)"),
        Code("LGS302", _E, "approved minutes changed since the base revision"),
        Code("LGS303", _E, "approved minutes removed since the base revision"),
        Code("LGS304", _W, "draft minutes older than the latest approved meeting"),
        Code("LGS305", _E, "approved_by is not one of the justerare"),
        Code("LGS306", _W, "approved minutes still list expected attendees (attendance not confirmed)"),
        # roster
        Code("LGS401", _E, "roster problem"),
    ]
}


def default_severity(code: str) -> Severity:
    found = CODES.get(code)
    return found.severity if found else Severity.ERROR
