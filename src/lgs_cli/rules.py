"""The rules of ``lgs check`` beyond what the loader reports.

The loader (:func:`lgs_cli.archive.load_archive`) already reports what one file
shows by itself: YAML and front-matter problems, malformed entries, missing
owners (codes LGS001–LGS031, LGS101, LGS102). This module adds what needs the
roster, the whole archive, the JSON Schema or a base revision: names that do
not resolve, dates that do not fit, follow-ups that point nowhere, incomplete
approvals and changed approved minutes. Each problem gives exactly one finding;
no rule here repeats one of the loader's.

Every finding is a :class:`~lgs_cli.model.Diagnostic`; its severity follows
``rules:`` in ``lgs.yaml`` (``error``, ``warning`` or ``off``).
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any

from .archive import Archive, display_path
from .codes import default_severity
from .dates import parse_iso_date, parse_month
from .errors import AmbiguousNameError
from .memo import Memo
from .model import NOT_RECORDED, Attendee, Correction, Diagnostic, Entry, EntryKind, FollowUpStatus, Meeting, Severity
from .names import MEMO_ENTRIES, MEMO_MAX_CHARS, name_key, natural_key, nfc, strip_note
from .parse import read_text, split_names
from .roster import Person, Roster, normalize_sector
from .status import Tracked

EARLIEST = dt.date(2000, 1, 1)  # before this a meeting date is suspicious (LGS012)
FUTURE_YEARS = 2  # further ahead than this is suspicious (LGS012)
SCHEMA_RESOURCE = "schema/meeting.schema.json"
# A name written with an initial: "Ulrika B.", "Magnus F"; "M. Frithiof".
_FIRST_INITIAL = re.compile(r"^([^\W\d_][\w-]+)[ \t]+([^\W\d_])\.?$")
_INITIAL_LAST = re.compile(r"^([^\W\d_])\.?[ \t]+([^\W\d_][\w-]+)$")
# Names joined on one line of the attendance ("A och B", "A & B", "A/B"), and the roles of those lines.
_JOINED = re.compile(r"[ \t]+(?:och|samt|and|&)[ \t]+|[ \t]*/[ \t]*", re.IGNORECASE)
_NAMED_ROLES = {"chair": "chairs", "secretary": "secretary", "justerare": "justerare"}
_LISTED_ROLES = frozenset({"attendee", "absent", "expected", "deputy", "guest", *_NAMED_ROLES})
_PRESENTER_LINE = re.compile(r"^(?:Föredragande|Fördragande)\s*:\s*(.*)$", re.IGNORECASE)
# Loader codes about the front matter: a schema finding on the same line would repeat them.
_FRONT_MATTER_CODES = {"LGS002", "LGS003", "LGS004", "LGS005", "LGS010", "LGS013"}


# -- entry points -----------------------------------------------------------------

def check_archive(archive: Archive, *, today: dt.date, base: Archive | None = None,
                  base_label: str = "the base revision", tip: Archive | None = None,
                  tip_label: str = "the target") -> list[Diagnostic]:
    """Every finding about the archive: the loader's and the rules', with the
    severities of ``rules:`` in ``lgs.yaml`` applied, sorted by file and line.

    ``base``: the archive approved minutes are protected against (where this
    branch left the target); ``tip``: the target as it is now, when it moved on
    since: minutes approved there since may not be changed by this branch either."""
    return sort_findings([*archive.diagnostics, *rule_findings(archive, today=today, base=base,
                                                               base_label=base_label, tip=tip, tip_label=tip_label)])


def rule_findings(archive: Archive, *, today: dt.date, base: Archive | None = None,
                  base_label: str = "the base revision", tip: Archive | None = None,
                  tip_label: str = "the target") -> list[Diagnostic]:
    checker = _Checker(archive, today)
    # What the rules find in one meeting depends on the meeting and the roster only
    # (and the date today, which dates_today() checks apart): kept between runs.
    memo = archive.memo("check")
    facts_memo = archive.memo("facts", roster=False)
    checker.facts_memo = facts_memo
    for m in archive.meetings:
        if not m.ok:
            continue
        pre = archive.derived.pop(m.relpath, None)  # made as the file was parsed (precompute)
        if pre is not None:
            found, facts = pre
            memo.put(m, found)
            facts_memo.put(m, facts)
            checker.facts[id(m)] = facts
        else:
            found = memo.get(m, partial(checker.one_meeting, m))
        checker.out.extend(Diagnostic(m.relpath, line, code, default_severity(code), message, hint)
                           for line, code, message, hint in found)
        checker.dates_today(m)
        if m.status == "draft":
            checker.scaffold_notes(m)
    memo.save()
    # The rules across the archive depend on every meeting (and their display
    # paths, which the messages name), not on the roster.
    across = archive.memo("across", roster=False)
    stamps = across.stamps(archive.meetings)
    if stamps is None:
        checker.across()
    else:
        checker.out.extend(Diagnostic(path, line, code, default_severity(code), message, hint)
                           for path, line, code, message, hint in across.get_key("", stamps, checker.across_found))
        across.save()
    facts_memo.save()
    if base is not None:
        checker.protected(base, base_label)
        if tip is not None:
            checker.approved_since(base, tip, tip_label)
    out: list[Diagnostic] = []
    for d in checker.out:
        sev = archive.roster.severity_for(d.code, d.severity)
        if sev is None:
            continue
        out.append(d if sev is d.severity else Diagnostic(d.path, d.line, d.code, sev, d.message, d.hint))
    return out


def precompute(archive: Archive, meeting: Meeting, diagnostics: list[Diagnostic]) -> Any:
    """For ``load_archive(derive=precompute)`` (``lgs check``): the findings of the
    per-meeting rules and the facts of a meeting just parsed, made in the process
    that parsed it (several at once for a big archive) instead of from its cache
    record afterwards; :func:`rule_findings` takes them from ``archive.derived``.
    ``diagnostics`` are the file's loader findings (the schema rule does not
    repeat them), the roster's rule settings applied as load_archive applies them."""
    from .resolve import resolve_people  # noqa: PLC0415

    roster = archive.roster
    resolve_people(Archive(root=archive.root, roster=roster, meetings=[meeting]))
    loader = [d for d in diagnostics if roster.severity_for(d.code, d.severity) is not None]
    view = Archive(root=archive.root, roster=roster, meetings=[meeting], diagnostics=loader)
    checker = _Checker(view, dt.date.today())  # the per-meeting rules do not look at today
    found = checker.one_meeting(meeting)
    return found, checker.facts[id(meeting)]


def _looked_at(m: Meeting, kind: EntryKind) -> list[Entry]:
    """A meeting's entries of one kind, without keeping them built (a cached meeting
    stays as its record says, and its memos still apply)."""
    before = _built(m)
    try:
        return list(m.entries_of(kind))
    finally:
        _release(m, before)


def _built(m: Meeting) -> Any:
    """What of a meeting loaded from the cache is built now (None for other meetings)."""
    built = getattr(m, "built", None)
    return built() if built is not None else None


def _release(m: Meeting, before: Any) -> None:
    """Drop what the checker built of a meeting from the cache since ``before``: the
    checker only looks, and holding every meeting's parts at once is what cost the
    memory (bench/RESULTS.md); they are built again from the cache if used later."""
    if before is not None:
        m.release(before)  # type: ignore[attr-defined]


# A finding's line, or how to find it (called only when the finding is reported).
Line = int | None | Callable[[], int | None]

# What the rules across the archive need of an entry, as plain values:
# (kind, id, local, follow-up status, line, line of Avser:, Avser: references,
#  due date (Till:, a follow-up's Senast:) as ISO day or month, confidential)
_Fact = tuple[str, str, str, str | None, int, int, tuple[str, ...], str | None, bool]
# A finding of the per-meeting rules: (line, code, message, hint)
_Found = tuple[int | None, str, str, str | None]


def _facts(m: Meeting) -> tuple[_Fact, ...]:
    """The facts of ``m.entries`` in the file's order (kept while the meeting's parts are released)."""
    return tuple((e.kind.value, e.id, e.local, e.status.value if e.status is not None else None, e.line,
                  e.fields.get("avser", e.line), tuple(e.refers),
                  e.due.iso() if e.due is not None and e.kind is not EntryKind.ACTION else None,  # (LGS209's)
                  e.confidential)
                 for e in m.entries)


def sort_findings(findings: Iterable[Diagnostic]) -> list[Diagnostic]:
    return sorted(findings, key=lambda d: (d.path, d.line or 0, d.code, d.message))


def findings_for_file(findings: Iterable[Diagnostic], meeting: Meeting) -> list[Diagnostic]:
    return [d for d in findings if d.path == meeting.relpath]


def count(findings: Iterable[Diagnostic]) -> tuple[int, int]:
    """(errors, warnings)."""
    errors = warnings = 0
    for d in findings:
        if d.severity is Severity.ERROR:
            errors += 1
        else:
            warnings += 1
    return errors, warnings


# -- the checker ------------------------------------------------------------------

SUGGESTIONS = 200  # names a run looks for a close match of ("Did you mean …?")


class _Suggesting:
    """The roster's names by length, and the names looked for so far (_Checker._suggest)."""

    def __init__(self, roster: Roster | None = None) -> None:
        self.roster = roster
        self.suggested: dict[str, str | None] = {}
        self.by_length: dict[int, list[str]] = {}
        if roster is not None:
            known = [p.name for p in roster.people] + [a for p in roster.people for a in p.aliases]
            for text in (*known, *roster.organisations, *roster.groups):
                self.by_length.setdefault(len(text), []).append(text)


_SUGGESTING = _Suggesting()

@dataclass(slots=True)
class _Checker:
    archive: Archive
    today: dt.date
    out: list[Diagnostic] = field(default_factory=list)
    _period_seen: set[tuple[str, str]] = field(default_factory=set)
    facts: dict[int, tuple[_Fact, ...]] = field(default_factory=dict)
    facts_memo: Memo | None = None  # id(meeting) -> its entries' facts
    _loader_lines: dict[str, set[int | None]] | None = None  # file -> lines of front-matter findings

    @property
    def roster(self) -> Roster:
        return self.archive.roster

    def add(self, path: str, line: Line, code: str, message: str, hint: str | None = None) -> None:
        where = line() if callable(line) else line  # a line found only when something is reported
        self.out.append(Diagnostic(path, where, code, default_severity(code), message, hint))

    # -- names ------------------------------------------------------------------
    def _suggest(self, name: str) -> str | None:
        """"Did you mean …?" for a name the roster does not know: the closest known
        name of a length that could match (difflib's ratio ≥ 0.8 needs lengths
        within 2:3). Each name once, and at most SUGGESTIONS names a run: 4,000
        unknown names against 4,000 people would take minutes."""
        global _SUGGESTING  # one per process and roster: the per-meeting rules make a
        if _SUGGESTING.roster is not self.roster:  # checker for each file, and the bound is for the whole run
            _SUGGESTING = _Suggesting(self.roster)
        state = _SUGGESTING
        if name in state.suggested:
            return state.suggested[name]
        if len(name) > 80 or len(state.suggested) >= SUGGESTIONS:  # not a name; difflib is quadratic in it
            return None
        said = self._initials(name)
        if said is None:
            size = len(name)
            candidates = [text for length in range((size * 2 + 2) // 3, size * 3 // 2 + 1)
                          for text in state.by_length.get(length, ())]
            close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.8)
            said = f"Did you mean '{close[0]}'?" if close else None
        state.suggested[name] = said
        return said

    def _initials(self, name: str) -> str | None:
        """"Ulrika B." or "M. Frithiof": the one person of the roster with that first
        name and initial (or initial and last name)."""
        found = _INITIAL_LAST.match(name) or _FIRST_INITIAL.match(name)
        if found is None:
            return None
        first, last = found.group(1).casefold(), found.group(2).casefold()

        def same(word: str, given: str) -> bool:  # a whole name, or its initial
            return word.casefold() == given if len(given) > 1 else word[:1].casefold() == given

        fits = [p for p in self.roster.people if len(words := p.name.split()) > 1
                and same(words[0], first) and same(words[-1], last)]
        if len(fits) != 1:
            return None
        return (f"Did you mean '{fits[0].name}'? Write the full name, or add '{name}' to the person's aliases "
                "in lgs.yaml.")

    def _two_people(self, name: str, role: str) -> str | None:
        """"Peter Magnusson och Sofia Kumlin Rylow": two people on one line of the
        attendance, which counts them as one."""
        if role not in _LISTED_ROLES or len(name) > 160:
            return None
        parts = [p.strip() for p in _JOINED.split(name)]
        if len(parts) < 2 or not all(parts):
            return None
        if not (any(self.roster.person_or_none(p) is not None for p in parts)
                or all(len(p.split()) >= 2 for p in parts)):
            return None
        if role in _NAMED_ROLES:  # chairs, secretary, justerare: lists of names
            return (f"Is it {len(parts)} people? Name each in the list: {_NAMED_ROLES[role]}: "
                    f"[{', '.join(parts)}].")
        return (f"Is it {len(parts)} people? Write one person per line ('- {parts[0]}, …', '- {parts[1]}, …'): "
                "a line counts as one person.")

    def _missing_comma(self, name: str) -> str | None:
        """"Susanne Magnusson Region Kronoberg": a name that ends with an organisation
        (the comma before it forgotten)."""
        if len(name) > 80:  # not a name (and each split would be looked up: quadratic in the words)
            return None
        words = name.split()
        for cut in range(1, len(words)):
            head, tail = " ".join(words[:cut]), " ".join(words[cut:])
            org = self.roster.org(tail)
            if org is not None:
                return f"Is a comma missing? Write '{head}, {tail}' (name, organisation)."
        return None

    def _period(self, m: Meeting, person: Person, line: Line, role: str) -> None:
        if m.date is None or person.in_period(m.date):
            return
        key = (m.relpath, person.name)
        if key in self._period_seen:
            return
        self._period_seen.add(key)
        roles = "; ".join(
            f"{r.org or '?'} {_span(r.start, r.end)}".strip() for r in person.roles)
        self.add(m.relpath, line, "LGS107",
                 f"{person.name} ({role}) has no role in the roster on {m.date.isoformat()}",
                 f"Roles in lgs.yaml: {roles}. Extend the role's from/to if the minutes are right.")

    def person(self, m: Meeting, name: str, line: int | None, role: str, unknown: str = "LGS108", *,
               period: bool = True) -> Person | None:
        try:
            person = self.roster.person(name)
        except AmbiguousNameError as exc:
            self.add(m.relpath, line, "LGS106",
                     f"{role} '{name}' is ambiguous: it could be {', '.join(exc.candidates)}",
                     "Write the full name.")
            return None
        if person is None:
            hint = (self._suggest(name) or self._two_people(name, role) or self._missing_comma(name)
                    or "Add the person to 'people:' in lgs.yaml, or correct the spelling.")
            self.add(m.relpath, line, unknown, f"{role} '{name}' is not in the roster", hint)
            return None
        if period:
            self._period(m, person, line, role)
        return person

    def _several_owners(self, name: str) -> str | None:
        """"Skolchefsnätverket/Socialchefsnätverket", "AU & RGK": owners the roster
        knows, joined by a sign lgs does not split at."""
        parts = [p.strip() for p in re.split(r"\s*[/&+]\s*", name) if p.strip()]
        if len(parts) < 2:
            return None
        try:
            known = all(self.roster.owner(p) is not None for p in parts)
        except AmbiguousNameError:
            return None
        return f"Separate the owners with ',' or 'och': '{', '.join(parts)}'." if known else None

    def owner(self, m: Meeting, text: str, line: Line, what: str, unknown: str = "LGS105") -> None:
        name, note = strip_note(text)
        if not name:
            return
        try:
            owner = self.roster.owner(name)
        except AmbiguousNameError as exc:
            self.add(m.relpath, line, "LGS106",
                     f"{what} '{name}' is ambiguous: it could be {', '.join(exc.candidates)}",
                     "Write the full name.")
            return
        if owner is None:
            hint = self._several_owners(name) or self._suggest(name) or (
                "Use a person, organisation (Växjö, RGK …) or group (Kommunerna, Ledningsgruppen, AU …) "
                "that lgs.yaml lists, or add it there." if unknown == "LGS105" else
                "Add the person to 'people:' in lgs.yaml (a guest needs no roles), or correct the spelling.")
            message = (f"{what} '{name}' does not resolve through the roster" if unknown == "LGS105"
                       else f"{what} '{name}' is not in the roster")
            self.add(m.relpath, line, unknown, message, hint)
            return
        if owner.kind == "person":
            person = self.roster.person(name)
            if person is not None:
                self._period(m, person, line, what)
        elif owner.kind == "group" and note:
            left_out = self.roster.left_out(note)
            group = self.roster.groups.get(owner.id)
            if (left_out is not None and not left_out[1] and group is not None and group.organisations
                    and set(group.organisations) <= set(left_out[0]) and not group.members):
                self.add(m.relpath, line, unknown,
                         f"{what} '{name}' leaves out every organisation of {owner.id}: the owner stands for nobody",
                         "Name the organisations that own it, or the group without the note.")
            elif left_out is not None and left_out[1]:
                self.add(m.relpath, line, unknown,
                         f"{what} '{name}' leaves out '{left_out[1][0]}', which is no organisation of the roster: "
                         "the owner counts for all of the group's organisations",
                         "Name the organisations as lgs.yaml does ('Kommunerna (utom Växjö)'), "
                         "separated by commas or 'och'.")

    # -- rules: one meeting -------------------------------------------------------
    def one_meeting(self, m: Meeting) -> tuple[_Found, ...]:
        """The findings of the rules that look at ``m`` alone (but not those that
        depend on today's date), and the facts of its entries for the rules across
        the archive. What this builds of a meeting from the cache is released again."""
        before = _built(m)
        start = len(self.out)
        self.file_name(m)
        self.dates(m)
        self.items(m)
        self.people(m)
        self.approval(m)
        self.schema(m)
        found = tuple((d.line, d.code, d.message, d.hint) for d in self.out[start:])
        del self.out[start:]
        self.facts[id(m)] = facts = _facts(m)
        _release(m, before)
        if self.facts_memo is not None:
            self.facts_memo.put(m, facts)
        return found

    def file_name(self, m: Meeting) -> None:
        if m.date is None:
            return
        iso = m.date.isoformat()
        problems = []
        if m.path.stem != iso:
            problems.append(f"the file name '{m.path.name}' does not match the date {iso}")
        parent = m.path.parent.name
        if re.fullmatch(r"[0-9]{4}", parent) and parent != f"{m.date.year:04d}" and m.path.parent != self.archive.root:
            problems.append(f"the file is in the folder {parent}, not {m.date.year}")
        if problems:
            self.add(m.relpath, m.line_of("date"), "LGS011", "; ".join(problems),
                     f"Name the file {m.date.year}/{iso}.md after the meeting date (git mv), or correct the date.")

    def items(self, m: Meeting) -> None:
        if not m.items:
            self.add(m.relpath, m.body_start_line, "LGS031", "the meeting has no agenda items",
                     "Each agenda item starts with a '## ' heading, e.g. '## 1. Mötets öppnande'.")
        numbers = {item.number for item in m.items if item.number}
        if not numbers:
            return
        for a in [*(m.attendees or []), *m.deputies, *m.guests]:
            for ref in dict.fromkeys(a.items or ()):  # ("Punkt 5" and "5" are one item)
                if ref not in numbers:
                    self.add(m.relpath, a.line, "LGS115",
                             f"{a.name} came for item {ref}, which the meeting does not have",
                             f"Write the items as their headings number them (the meeting has "
                             f"{', '.join(sorted(numbers, key=natural_key))}).")

    def dates_today(self, m: Meeting) -> None:
        if m.date is None:
            return
        if m.date < EARLIEST or m.date > years_after(self.today, FUTURE_YEARS):
            before = _built(m)  # the line of the date is in the front matter: released again
            self.add(m.relpath, m.line_of("date"), "LGS012",
                     f"the meeting date {m.date.isoformat()} is far in the "
                     f"{'past' if m.date < EARLIEST else 'future'}",
                     "Is the year right?")
            _release(m, before)
        if isinstance(m.approved_on, dt.date) and m.approved_on > self.today:
            before = _built(m)
            self.add(m.relpath, m.line_of("approved_on"), "LGS015",
                     f"approved_on {m.approved_on.isoformat()} is in the future (today is {self.today.isoformat()})",
                     "Is the year right? Minutes are approved on the day the justerare signs them.")
            _release(m, before)

    def scaffold_notes(self, m: Meeting) -> None:
        """LGS028: the note new-meeting wrote under a follow-up ("*Ansvarig: AU ·
        Senast: 2026-03 · Från …*") edited to another owner or due date. It is a
        note, not read: the action keeps its owner and due date unless the
        follow-up has the fields. (Drafts only: what the secretary is filling in.)"""
        if m.date is None:
            return
        before = _built(m)  # what this builds of a cached meeting is released again: its memos still apply
        try:
            self._scaffold_notes(m, m.date)
        finally:
            _release(m, before)

    def _scaffold_notes(self, m: Meeting, day: dt.date) -> None:
        # a follow-up that closes the action: what the note says of owner and date no longer matters
        followups = [e for e in m.followups if (not e.owners or e.due is None)
                     and e.status not in (FollowUpStatus.DONE, FollowUpStatus.DROPPED)]
        if not followups:
            return
        text, _ = read_text(m.path, m.relpath)
        lines = (text or "").split("\n")
        history: dict[str, list[Meeting]] | None = None
        for fu in followups:
            note = _scaffold_note(lines, fu.line)
            if note is None:
                continue
            at, owners_text, due_text = note
            if history is None:
                history = self._followed_up_before(day)
            state = self._state_before(fu.local, day, history)
            if state is None:
                continue
            owners, due = state
            said: list[str] = []
            # only a note that names owners the roster knows, and a date: "*Ansvarig: AU diskuterar med
            # Lisa*" or "*Senast: levererat till forum*" is a remark of the secretary's
            names = split_names(owners_text) if owners_text is not None else []
            if not fu.owners and names and all(n == "ingen angiven" or self.roster.owner_or_none(
                    strip_note(n)[0]) is not None for n in names) \
                    and self._owner_keys(names) != self._owner_keys(owners):
                said.append(f"Ansvarig: {owners_text}")
            was = due.iso() if due is not None else None
            noted = _note_due(due_text) if due_text is not None else None
            if fu.due is None and due_text is not None and (noted is None or _is_due(noted)) and noted != was:
                said.append(f"Senast: {due_text}")
            if said:
                still = f"{', '.join(self.roster.canonical_list(owners)) or 'no owner'}, " \
                        f"{'due ' + was if was else 'no due date'}"
                self.add(m.relpath, at, "LGS028",
                         f"the note under the follow-up of {fu.local} says {' and '.join(repr(x) for x in said)}, "
                         f"but it is the note lgs new-meeting wrote, not read: the action is still {still}",
                         "To re-assign or re-date it, add the fields under the follow-up: '  - Ansvarig: …', "
                         "'  - Senast: …'.")

    def _owner_keys(self, names: Iterable[str]) -> set[str]:
        return {name_key(self.roster.canonical(n)) for n in names if n and n != "ingen angiven"}

    def _followed_up_before(self, day: dt.date) -> dict[str, list[Meeting]]:
        """The meetings before ``day`` that follow up each action (from the cached
        summaries: no entries are built)."""
        from .cache import action_summary  # noqa: PLC0415

        found: dict[str, list[Meeting]] = {}
        for mm in self.archive.meetings:
            if not mm.ok or mm.date is None or mm.date >= day:
                continue
            summary = getattr(mm, "action_summary", None)
            refs = (summary() if summary is not None else action_summary(mm))[2]
            for ref in set(refs):
                found.setdefault(ref, []).append(mm)
        return found

    def _state_before(self, ref: str, day: dt.date, history: dict[str, list[Meeting]],
                      ) -> tuple[list[str], Any] | None:
        """An action's owners and due date as the meetings before ``day`` left them."""
        raised_on = parse_iso_date(ref[:10])
        raised = next((mm for mm in self.archive.meetings if mm.ok and mm.date == raised_on), None)
        if raised is None or raised_on is None:
            return None
        entry = next((e for e in _looked_at(raised, EntryKind.ACTION) if e.id == ref), None)
        if entry is None:
            return None
        tracked = Tracked(entry, raised)  # what the latest follow-up set wins, as in every report
        for mm in sorted(history.get(ref, []), key=lambda x: x.date or dt.date.min):
            if mm.date is not None and mm.date > raised_on:
                tracked.followups.extend((fu, mm) for fu in _looked_at(mm, EntryKind.FOLLOWUP) if fu.local == ref)
        return tracked.owners, tracked.due

    def dates(self, m: Meeting) -> None:
        if m.date is None:
            return
        for e in m.entries:
            if e.due is None:
                continue
            field_name = "till" if e.kind is EntryKind.DEFERRAL else "senast"
            if e.due.last_day < m.date:
                label = "Till" if e.kind is EntryKind.DEFERRAL else "Senast"
                self.add(m.relpath, e.fields.get(field_name, e.line), "LGS014",
                         f"{label}: {e.due.iso()} of {e.id} is before the meeting ({m.date.isoformat()})",
                         "A due date is on or after the meeting that sets it; is the year right?")
        if isinstance(m.approved_on, dt.date) and m.approved_on < m.date:
            self.add(m.relpath, m.line_of("approved_on"), "LGS015",
                     f"approved_on {m.approved_on.isoformat()} is before the meeting ({m.date.isoformat()})")
        if m.corrections:
            self.corrections(m)

    def corrections(self, m: Meeting) -> None:
        """Each correction has 'by' (a person, not not-recorded) and a worded 'note',
        and is dated on or after the approval and the corrections before it (one dated
        in the future is LGS302 under --base, which knows today's date)."""
        raw = m.front_matter.get("corrections")
        if not isinstance(raw, list):
            return
        lines = getattr(raw, "lines", [])
        where = [(n, lines[i] + 1 if i < len(lines) else m.line_of("corrections"))
                 for i, c in enumerate(raw) if isinstance(c, dict) for n in (i + 1,)]
        # the approval, else the meeting (as for new corrections under --base)
        floor = m.approved_on if isinstance(m.approved_on, dt.date) else m.date
        for c, (n, line) in zip(m.corrections, where, strict=False):
            if c.date is None:  # LGS010 says so
                continue
            problem = _correction_problem(c, floor, dt.date.max)
            if problem is not None:
                self.add(m.relpath, line, "LGS016", f"correction {n} {problem}",
                         "A correction is {date, by, note}: dated on or after the approval and the corrections "
                         "before it, made by a person of the roster, with a note saying what was corrected.")
            floor = c.date if floor is None else max(floor, c.date)

    def people(self, m: Meeting) -> None:
        if self.roster.unread:  # LGS401 says why; a finding for every name would bury it
            return
        justerare: list[tuple[str, int | None, Person | None]] = []
        for key, role in (("chairs", "chair"), ("secretary", "secretary"), ("justerare", "justerare")):
            for name, line in _front_matter_names(m, key):
                person = self.person(m, name, line, role)
                if key == "justerare":
                    justerare.append((name, line, person))
        if m.approved_by and m.approved_by != NOT_RECORDED:
            self.person(m, m.approved_by, m.line_of("approved_by"), "approved_by")
        for name, line in _correction_authors(m):  # made later than the meeting: no role period to match
            self.person(m, name, line, "correction by", period=False)
        if m.attendees == [] and not m.deputies and m.front_matter.get("attendees") == []:  # (not one unread)
            self.add(m.relpath, m.line_of("attendees"), "LGS114",
                     "the attendance list is empty: 'lgs attendance' counts a meeting that every organisation missed",
                     "List who came, or write 'attendees: not-recorded' when the minutes do not say. A meeting that "
                     "was cancelled (inställt) has no minutes: remove the file and say so in the next meeting's.")
        found_people: dict[int, Person | None] = {}  # id(attendee) -> the roster's person
        for a in m.attendees or []:
            found_people[id(a)] = self.attendee(m, a, "attendee")
        for a in m.absent:
            found_people[id(a)] = self.attendee(m, a, "absent")
        for a in m.expected:
            self.attendee(m, a, "expected")
        for a in m.deputies:
            found_people[id(a)] = self.attendee(m, a, "deputy")
            if a.deputy_for:
                self.person(m, a.deputy_for, a.line, f"deputy {a.name} stands in for")
        for a in m.guests:
            found_people[id(a)] = self.attendee(m, a, "guest", unknown="LGS109")
        self.listed_twice(m, found_people)
        # recorded, and someone came (deputies too: "ersättare för" lines under attendees: are deputies)
        if m.attendees is not None and (m.attendees or m.deputies) \
                and (justerare or any(a.deputy_for for a in m.deputies)):
            self.present(m, found_people, justerare)
        found: list[dict[tuple[int, str], int]] = []

        def presenter_line(item_line: int, text: str) -> int | None:
            if not found:  # the file is read again only when a presenter is reported
                found.append(_presenter_lines(m))
            return found[0].get((item_line, text), item_line)

        for item in m.items:
            for text in item.presenters:
                self.owner(m, text, partial(presenter_line, item.line, text), "presenter", unknown="LGS109")
        for e in m.entries:
            line = e.fields.get("ansvarig", e.line)
            for text in e.owners:
                self.owner(m, text, line, f"owner of {e.id}" if e.kind is not EntryKind.FOLLOWUP
                           else f"new owner of {e.id}")

    def listed_twice(self, m: Meeting, found_people: dict[int, Person | None]) -> None:
        """A person in the attendance once: present, a deputy, absent or a guest.
        ``found_people``: each listed attendee's person, as :meth:`attendee` found it."""
        seen: dict[tuple[str, str], tuple[str, int | None, str]] = {}
        # (a deputy may be written under attendees: too, "…, ersättare för NAME": named as a deputy)
        lists = (("'attendees'", m.attendees or []), ("deputies (ersättare)", m.deputies), ("'absent'", m.absent),
                 ("'guests'", m.guests))
        roster = self.roster
        for key, people in lists:
            for a in people:
                ident = roster.attendee_key_for(found_people[id(a)], a.name, a.org_written)
                first = seen.get(ident)
                if first is None:
                    seen[ident] = (key, a.line, a.name)
                    continue
                where = first[0] + (f" (line {first[1]})" if first[1] else "")
                here = key + (f" (line {a.line})" if a.line else "")
                same = "" if name_key(first[2]) == name_key(a.name) else f" (as {first[2]} first)"
                self.add(m.relpath, a.line, "LGS111",
                         f"{a.name}{same} is listed twice: in {where} and in {here}",
                         "Keep one: a person came (attendees), stood in (a deputy, 'ersättare för'), sent apologies "
                         "(absent) or was a guest. Meanwhile the attendance report counts the person once.")

    def present(self, m: Meeting, found_people: dict[int, Person | None],
                justerare: list[tuple[str, int | None, Person | None]]) -> None:
        """A justerare verifies the minutes of a meeting they attended (LGS112); a
        deputy stands in for someone who is not there (LGS113). Who is who: the
        roster's person, else the name (``found_people``: each listed attendee's
        person, as :meth:`attendee` found it)."""
        def listed(people: list[Attendee]) -> tuple[set[int], set[str]]:
            found = (found_people.get(id(a)) for a in people)
            return {id(p) for p in found if p is not None}, {name_key(a.name) for a in people}

        def among(name: str, person: Person | None, where: tuple[set[int], set[str]]) -> bool:
            return (person is not None and id(person) in where[0]) or name_key(name) in where[1]

        came = listed(m.attendees or [])
        stood_in = listed(m.deputies)
        away = listed(m.absent)
        for name, line, person in justerare:
            if among(name, person, came) or among(name, person, stood_in):
                continue
            said = "is listed as absent" if among(name, person, away) else "is not among the attendees"
            self.add(m.relpath, line, "LGS112", f"justerare '{name}' {said}",
                     "The justerare verifies the minutes of a meeting they attended: correct the attendance "
                     "or name a justerare who was there.")
        for a in m.deputies:
            if a.deputy_for and among(a.deputy_for, self.roster.person_or_none(a.deputy_for), came):
                self.add(m.relpath, a.line, "LGS113",
                         f"deputy {a.name} stands in for {a.deputy_for}, who is listed as present",
                         "A deputy (ersättare) stands in for a member who is not there: correct 'för' or the "
                         "attendees.")

    def attendee(self, m: Meeting, a: Attendee, role: str, unknown: str = "LGS108") -> Person | None:
        """Check an attendee's name, organisation and sector; the roster's person
        (None for an unknown or ambiguous name)."""
        person = self.person(m, a.name, a.line, role, unknown)
        if a.org_written:
            org = self.roster.org(a.org_written)
            if org is None:
                known = ", ".join(self.roster.organisations)
                folded = self.roster.org_folded(a.org_written)  # "vaxjo"
                suggestion = f"Did you mean '{folded}'?" if folded else None
                hint = ((f"{suggestion} " if suggestion else "")
                        + f"Known: {known}; or add an alias under 'organisations:' in lgs.yaml (an organisation "
                        "outside the group, such as Länsstyrelsen, is added there with 'kind: extern').")
                if suggestion is None and self.roster.person_or_none(a.org_written) is not None:  # "A, B, Tingsryd"
                    hint = (f"'{a.org_written}' is a person: is it two people on one line? Write one person per "
                            "line, each with the organisation.")
                self.add(m.relpath, a.line, "LGS103", f"unknown organisation '{a.org_written}' ({a.name})", hint)
            elif person is not None and m.date is not None and person.roles:
                here = [r for r in person.roles if r.covers(m.date) and r.org]  # a role with no known org says nothing
                if here and all(r.org != org.id for r in here):
                    listed = ", ".join(sorted({r.org or "?" for r in here}))
                    self.add(m.relpath, a.line, "LGS110",
                             f"{a.name} is listed for {org.id}; the roster has {listed} on {m.date.isoformat()}",
                             "Correct the organisation, or add a role for it in lgs.yaml.")
        if a.sector and normalize_sector(a.sector) is None:
            self.add(m.relpath, a.line, "LGS104", f"unknown sector '{a.sector}' ({a.name})",
                     "Use socialtjänst, skola or hälso- och sjukvård (hsv).")
        return person

    def approval(self, m: Meeting) -> None:
        if m.status != "approved":
            return
        missing = []
        if isinstance(m.secretary, list) and not m.secretary and "secretary" in m.front_matter:
            missing.append("secretary")
        if m.justerare is None or (isinstance(m.justerare, list) and not m.justerare):
            missing.append("justerare")
        if "approved_by" not in m.front_matter:
            missing.append("approved_by")
        if "approved_on" not in m.front_matter:
            missing.append("approved_on")
        if missing:
            self.add(m.relpath, m.line_of("status"), "LGS301",
                     f"approved minutes without {', '.join(missing)}",
                     "Record who and when, or write 'not-recorded' where a historical source does not say.")
        if "expected" in m.front_matter:
            self.add(m.relpath, m.line_of("expected"), "LGS306",
                     "approved minutes still have 'expected:' (attendance was never confirmed)",
                     "Move those who came to 'attendees:' and remove 'expected:'.")
        if (m.approved_by and m.approved_by != NOT_RECORDED and isinstance(m.justerare, list)
                and m.justerare and not same_person(self.roster, m.approved_by, m.justerare)):
            self.add(m.relpath, m.line_of("approved_by"), "LGS305",
                     f"approved_by '{m.approved_by}' is not one of the justerare ({', '.join(m.justerare)})",
                     "The minutes are approved (justerade) by a justerare.")

    def schema(self, m: Meeting) -> None:
        if self._loader_lines is None:  # once per archive, not once per meeting
            self._loader_lines = {}
            for d in self.archive.diagnostics:
                if d.code in _FRONT_MATTER_CODES:
                    self._loader_lines.setdefault(d.path, set()).add(d.line)
        loader_lines = self._loader_lines.get(m.relpath, set())
        for problem in validate_front_matter(m.front_matter):
            lines = _path_lines(m.front_matter, problem.path, m.key_lines)
            if problem.keyword == "required" and not problem.path:
                lines = [2]
            if loader_lines.intersection(lines):
                continue
            code = "LGS004"
            if problem.keyword == "additionalProperties":
                code = "LGS003"
            elif problem.keyword == "required" and not problem.path:
                code = "LGS005"
            self.add(m.relpath, lines[-1] if lines else 2, code, problem.message,
                     "See docs/format.md (front matter) or 'lgs schema'.")

    # -- rules: across the archive ------------------------------------------------
    def across_found(self) -> tuple[tuple[str, int | None, str, str, str | None], ...]:
        """:meth:`across`'s findings as plain values."""
        start = len(self.out)
        self.across()
        found = tuple((d.path, d.line, d.code, d.message, d.hint) for d in self.out[start:])
        del self.out[start:]
        return found

    def _facts_of(self, m: Meeting) -> tuple[_Fact, ...]:
        found = self.facts.get(id(m))
        if found is None:
            def compute() -> tuple[_Fact, ...]:
                before = _built(m)
                facts = _facts(m)
                _release(m, before)
                return facts
            found = self.facts_memo.get(m, compute) if self.facts_memo is not None else compute()
        return found

    def across(self) -> None:
        meetings = [m for m in self.archive.meetings if m.ok and m.date is not None]
        first: dict[dt.date, Meeting] = {}
        for m in meetings:
            assert m.date is not None
            if m.date in first:
                self.add(m.relpath, m.line_of("date"), "LGS201",
                         f"a second meeting on {m.date.isoformat()} (also {first[m.date].relpath}); "
                         "IDs would not be unique",
                         "One file per meeting date: merge the two files or correct the date.")
                continue
            first[m.date] = m
        index: dict[str, tuple[str, Meeting]] = {}
        secret: set[str] = set()  # the confidential actions and deferred matters
        facts = self.facts
        for m in first.values():
            if id(m) not in facts:
                facts[id(m)] = self._facts_of(m)
            for kind, ident, *_, confidential in facts[id(m)]:
                if kind != EntryKind.FOLLOWUP:
                    index.setdefault(ident, (kind, m))
                    if confidential:
                        secret.add(ident)
        closed: dict[str, tuple[str, int]] = {}  # id -> (meeting path, line)
        seen: dict[tuple[str, str], int] = {}  # (meeting path, id) -> the line of its first follow-up there
        settled_here: dict[str, str] = {}  # deferred matter -> the meeting whose decision settled it (Avser:)
        deferred: dict[str, tuple[int, str]] = {}  # for LGS209: id -> (deferred on, Till:)
        touched: dict[str, list[tuple[int, str | None, bool]]] = {}  # id -> (day, new Senast:, closes)
        for m in first.values():
            assert m.date is not None
            day = m.date.toordinal()
            for kind, ident, local, status, entry_line, avser_line, refers, due, confidential in sorted(
                    facts[id(m)], key=lambda x: x[4]):
                if kind == EntryKind.FOLLOWUP:
                    self._followup(m, local, status, entry_line, index, closed, seen)
                    if index.get(local, _NO_ENTRY)[0] == EntryKind.DEFERRAL:  # (actions' follow-ups: not kept)
                        touched.setdefault(local, []).append((day, due, status in _CLOSING))
                    if local in secret and not confidential:
                        self.add(m.relpath, entry_line, "LGS210",
                                 f"follow-up of {local}, a confidential entry, in text that is not confidential",
                                 _HINT_TELLS_CONFIDENTIAL)
                elif kind == EntryKind.DEFERRAL:
                    if due is not None:
                        deferred.setdefault(ident, (day, due))
                elif kind == EntryKind.DECISION:
                    for ref in refers:
                        if index.get(ref, _NO_ENTRY)[0] == EntryKind.DEFERRAL:
                            touched.setdefault(ref, []).append((day, None, True))
                    told = next((ref for ref in refers if ref in secret), None)
                    if told is not None and not confidential:
                        self.add(m.relpath, entry_line, "LGS210",
                                 f"{ident} settles {told}, a confidential matter, in text that is not confidential",
                                 _HINT_TELLS_CONFIDENTIAL)
                    for ref in refers:
                        if self._avser(m, ident, ref, avser_line, index):
                            prior = closed.get(ref)
                            if prior is None:
                                closed[ref] = (m.relpath, avser_line)
                                settled_here[ref] = m.relpath
                                continue
                            if settled_here.get(ref) == m.relpath:  # decisions of one meeting settle it together
                                continue
                            place = f"line {prior[1]}" if prior[0] == m.relpath else f"{prior[0]}:{prior[1]}"
                            self.add(m.relpath, avser_line, "LGS205",
                                     f"{ref} is settled twice (already settled or closed at {place})",
                                     "A deferred matter is settled once: remove this 'Avser:', or the earlier one.")
        self.not_taken_up(list(first.values()), deferred, touched)
        latest_approved = max((m.date for m in first.values() if m.status == "approved" and m.date),
                              default=None)
        for m in first.values():
            if m.status == "draft" and latest_approved and m.date and m.date < latest_approved:
                self.add(m.relpath, m.line_of("status"), "LGS304",
                         f"draft minutes of {m.date.isoformat()} are older than the approved minutes of "
                         f"{latest_approved.isoformat()}",
                         f"Approve them (lgs approve {m.date.isoformat()} --by NAME) or record why not.")

    def not_taken_up(self, meetings: list[Meeting], deferred: dict[str, tuple[int, str]],
                     touched: dict[str, list[tuple[int, str | None, bool]]]) -> None:
        """LGS209: a deferred matter still pending that the meeting it was deferred
        to — the first meeting held in the month of its ``Till:`` (or of the
        ``Senast:`` of the follow-up that carried it) — neither settled
        (``Avser:``) nor followed up, and no meeting has since. Held: approved
        minutes, or a draft whose attendance is recorded (a scaffold, with
        ``expected:`` only, is a meeting still to come). Reported once per matter,
        at that meeting; a later meeting that settles or carries the matter ends
        it (approved minutes cannot be mended, and need not be)."""
        if not deferred:
            return
        held = sorted((m for m in meetings if m.status == "approved" or m.counts().attendees is not None),
                      key=lambda m: m.date or dt.date.min)
        held_days = [m.date.toordinal() for m in held if m.date is not None]
        for ident, (raised, till) in deferred.items():
            later = sorted((t for t in touched.get(ident, ()) if t[0] > raised), key=lambda t: t[0])
            if any(closes for _, _, closes in later):
                continue  # settled or closed
            last, target = (later[-1][0], next((due for _, due, _ in reversed(later) if due), till)) if later \
                else (raised, till)
            month = _first_day(target[:7])  # the meeting of that month, whichever day it is held
            at = bisect_left(held_days, max(month, last + 1))
            # (a meeting months later is not known to be the one: the archive may lack the meeting
            # of that month, or it was cancelled; only a meeting of the month itself is)
            if at < len(held_days) and _same_month(held_days[at], month):
                self._not_taken_up(held[at], ident, target)

    def _not_taken_up(self, m: Meeting, ident: str, target: str) -> None:
        def line() -> int | None:  # where the matter is named (new-meeting's item for it), else the first item
            text, _ = read_text(m.path, m.relpath)
            named = re.compile(re.escape(ident) + r"(?![0-9])")  # not "…-U1" in "…-U10"
            found = next((n for n, ln in enumerate((text or "").split("\n"), 1) if named.search(ln)), None)
            return found or (m.items[0].line if m.items else m.body_start_line)

        self.add(m.relpath, line, "LGS209",
                 f"{ident}, deferred to {target}, was neither settled nor carried forward at this meeting, "
                 "and is still pending",
                 f"At this meeting if its minutes are a draft, else at the next one: settle it with a decision "
                 f"('- Avser: {ident}'), or carry it: '- [ ] **Uppföljning {ident}:** …' with "
                 "'- Status: kvarstår' and '- Senast:' the meeting it goes to.")

    def _no_such_action(self, ref: str) -> tuple[str, str]:
        """Why the action ``ref`` is not found: no such number at its meeting, its
        meeting's file cannot be read, or there is no meeting on its date."""
        day = parse_iso_date(ref[:10])
        held = [m for m in self.archive.meetings if m.ok and m.date == day]
        if held:
            return (f"the meeting of {ref[:10]} has no action {ref[11:]}",
                    f"Check the number: lgs show {ref[:10]} lists the meeting's actions.")
        named = [m for m in self.archive.meetings if m.path.stem[:10] == ref[:10]]
        unread = [m for m in named if not m.ok]
        if unread:
            return (f"the minutes of {ref[:10]} ({unread[0].relpath}) cannot be read",
                    "Its own finding says why; once it can be read, its actions are found.")
        if named:
            other = named[0]
            return (f"there is no meeting on {ref[:10]}; {other.relpath} is dated "
                    f"{other.date.isoformat() if other.date else '?'}",
                    "Correct the file's date (or the ID).")
        dates = [m.date for m in self.archive.meetings if m.ok and m.date is not None]
        if day is not None and dates and day < min(dates):
            return (f"there is no meeting on {ref[:10]}: the archive starts on {min(dates).isoformat()}",
                    "An action from before the archive: add that meeting's minutes, or follow it up as text.")
        return (f"there is no meeting on {ref[:10]} in the archive",
                "Check the ID: the raising meeting's date and its number (lgs meetings lists the dates).")

    def _followup(self, m: Meeting, ref: str, status: str | None, line: int,
                  index: dict[str, tuple[str, Meeting]], closed: dict[str, tuple[str, int]],
                  seen: dict[tuple[str, str], int]) -> None:
        assert m.date is not None
        target = index.get(ref)
        if target is None:
            message, hint = self._no_such_action(ref)
            self.add(m.relpath, line, "LGS203", f"follow-up of {ref}: {message}", hint)
            return
        kind, tm = target
        if kind == EntryKind.DECISION:
            self.add(m.relpath, line, "LGS203", f"follow-up of {ref}: that is a decision, not an action",
                     "Follow-ups close actions (A) and deferred matters (U).")
            return
        assert tm.date is not None
        if tm.date >= m.date:
            self.add(m.relpath, line, "LGS204",
                     f"follow-up of {ref}: an action of {'this' if tm.date == m.date else 'a later'} meeting",
                     "A follow-up closes or carries an action raised at an earlier meeting.")
            return
        closing = status in (FollowUpStatus.DONE, FollowUpStatus.DROPPED)
        prior = closed.get(ref)
        first = seen.setdefault((m.relpath, ref), line)
        if prior is not None and (prior[0] != m.relpath or closing):
            # closed at an earlier meeting (a follow-up now is LGS207, closing it again LGS205), or
            # closed twice at this one
            where, at = prior
            place = f"line {at}" if where == m.relpath else f"{where}:{at}"
            if closing:
                self.add(m.relpath, line, "LGS205", f"{ref} is closed twice (already closed at {place})",
                         "An action is closed once; remove one of the closing follow-ups.")
            else:
                self.add(m.relpath, line, "LGS207", f"follow-up of {ref}, which was already closed at {place}",
                         "A closed action needs no more follow-ups, and this one changes nothing (not its owner or "
                         "date): remove it, or raise a new action if the work goes on.")
            return
        if first != line:  # "kvarstår" left in item 2 (as new-meeting wrote it), "klar" under a later item
            self.add(m.relpath, line, "LGS208", f"{ref} is followed up twice at this meeting (also on line {first})",
                     "One follow-up per action and meeting: keep the one that says what holds (klar, struken "
                     "or kvarstår) and remove the other.")
        if closing:
            closed[ref] = (m.relpath, line)

    def _avser(self, m: Meeting, decision: str, ref: str, line: int,
               index: dict[str, tuple[str, Meeting]]) -> bool:
        assert m.date is not None
        target = index.get(ref)
        if target is None:
            self.add(m.relpath, line, "LGS206", f"{decision} settles {ref}: there is no such deferred matter",
                     "Avser: names a deferred matter (Uppskjutet U…) of an earlier meeting.")
            return False
        kind, tm = target
        if kind != EntryKind.DEFERRAL:
            self.add(m.relpath, line, "LGS206", f"{decision} settles {ref}, which is not a deferred matter",
                     "Avser: names a deferred matter (Uppskjutet U…); an action is closed by a follow-up.")
            return False
        assert tm.date is not None
        if tm.date >= m.date:
            when = "a later meeting" if tm.date > m.date else "this same meeting"
            self.add(m.relpath, line, "LGS206", f"{decision} settles {ref}, a matter deferred at {when}",
                     "Only a later meeting settles a deferred matter; until then it stays pending.")
            return False
        return True

    # -- rules: the record (--base) -----------------------------------------------
    def _head_index(self) -> tuple[dict[str, Meeting], dict[dt.date, Meeting]]:
        """This archive's meetings by their path inside it, and by date (the first)."""
        by_rel = {_rel(m, self.archive.root): m for m in self.archive.meetings}
        by_date: dict[dt.date, Meeting] = {}
        for m in self.archive.meetings:
            if m.ok and m.date is not None:
                by_date.setdefault(m.date, m)
        return by_rel, by_date

    def protected(self, base: Archive, base_label: str) -> None:
        head_by_rel, head_by_date = self._head_index()
        for old, rel, day in _approved(base):
            new = head_by_rel.get(rel)
            if new is None or (new.ok and new.date != day):
                new = head_by_date.get(day) or new
            if new is None:
                self.add(display_path(self.archive.root / rel), None, "LGS303",
                         f"the approved minutes of {day.isoformat()} ({rel}) were removed since {base_label}",
                         "Approved minutes are a record: restore the file (git restore --source=BASE -- PATH).")
                continue
            verdict = record_change(old, new, today=self.today)
            if verdict is None:
                continue
            line, reason, hint = verdict
            if reason.startswith(("the new correction", "the completed correction")):
                self._said_by_302(new, old)
            self.add(new.relpath, line, "LGS302",
                     f"the approved minutes of {day.isoformat()} changed since {base_label}: {reason}", hint)

    def approved_since(self, fork: Archive, tip: Archive, tip_label: str) -> None:
        """LGS302/LGS303 for minutes approved on the target after this branch left it
        (at ``tip``, not yet at ``fork``) that this branch changes or removes: merged,
        the change would land in approved minutes unchecked."""
        fork_by_rel = {_rel(m, fork.root): m for m in fork.meetings}
        head_by_rel, head_by_date = self._head_index()
        for t, rel, day in _approved(tip):
            was = fork_by_rel.get(rel)
            if was is not None and was.ok and was.status == "approved":
                continue  # approved when the branch left: protected() compares it
            now = head_by_rel.get(rel) or head_by_date.get(day)  # (or moved by this branch)
            was_text, now_text = _text_or_none(was), _text_or_none(now)
            if was_text == now_text or now_text == _text_or_none(t):
                continue  # this branch leaves it as it was (maybe moved), or has it as approved
            hint = (f"Merge {tip_label} into this branch (or rebase onto it) first; a change to approved minutes "
                    "is then recorded as a correction.")
            what = f"the minutes of {day.isoformat()} were approved on {tip_label} after this branch left it"
            if now is None:
                self.add(display_path(self.archive.root / rel), None, "LGS303", f"{what}, and this branch removes "
                         f"them ({rel})", hint)
                continue
            was_lines, now_lines = (was_text or "").split("\n"), (now_text or "").split("\n")
            line = _first_change(was_lines, now_lines)
            self.add(now.relpath, line, "LGS302", f"{what}, and this branch changes them (first change on line "
                     f"{line}{_other_changes(was_lines, now_lines, line)})", hint)

    def _said_by_302(self, new: Meeting, old: Meeting) -> None:
        """Drop the LGS016 warnings about the corrections this change adds or
        completes: the LGS302 error about them says it (once is enough)."""
        kept = old.corrections
        changed = {f"correction {n} " for n, c in enumerate(new.corrections, 1)
                   if n > len(kept) or c != kept[n - 1]}
        self.out = [d for d in self.out if not (d.code == "LGS016" and d.path == new.relpath
                                                 and d.message.startswith(tuple(changed)))]


# The note lgs new-meeting writes under a follow-up (lgs_cli.scaffold.followup_block): an
# emphasised list item, its parts joined by " · " ("*Ansvarig: AU · Senast: 2026-03 · Från …*").
_SCAFFOLD_NOTE = re.compile(r"^[ \t]+[-*+][ \t]+(?P<em>\*\*|__|\*|_)(?P<inner>\S.*?)(?P=em)[ \t]*$")


def _scaffold_note(lines: list[str], entry_line: int) -> tuple[int, str | None, str | None] | None:
    """The new-meeting note among the lines indented under the entry on
    ``entry_line`` (1-based): its line, and the owners and due date it names (None
    for a part it does not have; a line with neither is no such note)."""
    for i in range(entry_line, min(len(lines), entry_line + 12)):
        line = lines[i]
        if not line.strip() or not line[:1].isspace():
            return None
        found = _SCAFFOLD_NOTE.match(line)
        if found is None:
            continue
        owners = due = None
        for part in found.group("inner").split(" · "):
            name, colon, value = part.partition(":")
            if colon and name.strip().lower() == "ansvarig":
                owners = value.strip()
            elif colon and name.strip().lower() == "senast":
                due = value.strip()
        if owners is not None or due is not None:
            return i + 1, owners, due
    return None


def _is_due(text: str) -> bool:
    return parse_iso_date(text) is not None or parse_month(text) is not None


def _note_due(text: str) -> str | None:
    """The due date a note names ("2026-03 (marsmötet), försenad" -> "2026-03")."""
    first = text.split(" ", 1)[0].rstrip(",")
    return None if first in ("inget", "") else first


def _approved(archive: Archive) -> Iterator[tuple[Meeting, str, dt.date]]:
    """The archive's approved minutes that can be read: each with its path inside the archive and its date."""
    for m in archive.meetings:
        if m.ok and m.status == "approved" and m.date is not None:
            yield m, _rel(m, archive.root), m.date


def _text_or_none(m: Meeting | None) -> str | None:
    """The text of a meeting's file as compared for the record (read_text: line endings
    and a byte-order mark are no change)."""
    return read_text(m.path, m.relpath)[0] if m is not None else None


def _rel(m: Meeting, root: Path) -> str:
    try:
        return m.path.relative_to(root).as_posix()
    except ValueError:
        return m.path.name


# What to do about a change record_change does not allow, by what it is.
_HINT_CORRECTION = ("Approved minutes are a record. Revert the change, or record it as a correction: add an "
                    "entry {date, by, note} at the end of 'corrections:' in the same change.")
_HINT_MEND = ("Mend the new entry at the end of 'corrections:': dated on or after the approval and the corrections "
              "before it and not after today, with who made it ('by') and a note saying what was corrected.")
_HINT_FIXED = ("Approved minutes are a record: the status, date and approval stay as they are, with or without "
               "a correction. Revert the change.")
_HINT_EARLIER = ("Earlier corrections are part of the record: restore them as they were; a new change gets a new "
                 "entry at the end of 'corrections:'.")
_HINT_UNREADABLE = "Make the file readable again ('lgs check' without --base says why), or revert the change."


def record_change(old: Meeting, new: Meeting, *, today: dt.date) -> tuple[int | None, str, str] | None:
    """Is the change from ``old`` (approved) to ``new`` allowed? None when it is;
    else (line of the first change in ``new``, reason, what to do about it).

    Allowed: no change to the text (line endings and a byte-order mark do not
    count), or a change that appends at least one correction to
    ``corrections:`` — each with a valid date (not before the approval, not after
    today), ``by`` and ``note`` — while keeping the earlier corrections as they
    were, the status ``approved``, and ``date``, ``approved_by`` and
    ``approved_on`` unchanged.
    """
    old_text, _ = read_text(old.path, old.relpath)
    new_text, _ = read_text(new.path, new.relpath)
    if old_text is not None and old_text == new_text:
        return None
    old_lines = (old_text or "").split("\n")
    new_lines = (new_text or "").split("\n")
    line = min(_first_change(old_lines, new_lines), _line_count(new_lines))
    places = _changed_places(old_lines, new_lines)  # (once: every reason below names them)
    where = f"first change on line {line}" + _other_changes(old_lines, new_lines, line, places)
    if not new.ok:
        return line, f"{where}; the file can no longer be read", _HINT_UNREADABLE
    def at(key: str) -> int:
        return new.line_of(key) or line

    def also(at_line: int) -> str:  # the other places it changed: a reviewer sees every edit
        return _other_changes(old_lines, new_lines, at_line, places)

    if new.status != "approved":
        return at("status"), f"the status changed to '{new.status}'{also(at('status'))}", _HINT_FIXED
    for key in ("date", "approved_by", "approved_on"):
        if getattr(old, key) != getattr(new, key):
            return at(key), f"{key} changed{also(at(key))}", _HINT_FIXED
    kept = new.corrections[:len(old.corrections)]
    if len(kept) < len(old.corrections) or not all(map(_completed, old.corrections, kept)):
        return (at("corrections"), f"an earlier correction was changed or removed{also(at('corrections'))}",
                _HINT_EARLIER)
    floor0 = old.approved_on if isinstance(old.approved_on, dt.date) else old.date
    for before, after in zip(old.corrections, kept, strict=True):
        if after != before:  # completed: what it has now must be a correction's
            problem = _correction_problem(after, floor0, today)
            if problem is not None:
                return at("corrections"), f"the completed correction {problem}{also(at('corrections'))}", \
                    _HINT_EARLIER
    added = new.corrections[len(old.corrections):]
    if not added:
        return line, f"{where}, without a new entry under 'corrections:'", _HINT_CORRECTION
    # each new correction is dated on or after the approval and the corrections before it
    floor = max((d for d in (old.approved_on if isinstance(old.approved_on, dt.date) else old.date,
                             *(c.date for c in old.corrections)) if d is not None), default=None)
    for c in added:
        problem = _correction_problem(c, floor, today)
        if problem:
            return at("corrections"), f"the new correction {problem}{also(at('corrections'))}", _HINT_MEND
        if c.date is not None and (floor is None or c.date > floor):
            floor = c.date
    return None


_WORDS = re.compile(r"[^\W\d_]{2,}")  # a note says what was corrected: some word in it


def _completed(old: Correction, new: Correction) -> bool:
    """An earlier correction kept as it was, or completed: a missing date, 'by' or
    'note' added (a correction merged without them, LGS004/LGS016, can be mended;
    what is added is checked as a new correction is)."""
    return new == old or ((new.date == old.date or old.date is None) and (new.by == old.by or not old.by)
                          and (new.note == old.note or not old.note))


def _correction_problem(c: Correction, since: dt.date | None, today: dt.date) -> str | None:
    """What is wrong with a correction added to approved minutes; ``since``: the
    approval or the latest earlier correction, whichever is later."""
    if c.date is None:
        return "has no valid date"
    if not c.by or not c.note:
        return "needs 'by' and 'note'" if not c.by and not c.note else f"needs '{'by' if not c.by else 'note'}'"
    if c.by.strip() == NOT_RECORDED:
        return f"needs who made it ('by'), not '{NOT_RECORDED}'"
    if not _WORDS.search(c.note):
        return "needs a note that says what was corrected"
    if since is not None and c.date < since:
        return f"is dated {c.date.isoformat()}, before the approval or an earlier correction ({since.isoformat()})"
    if c.date > today:
        return f"is dated in the future ({c.date.isoformat()})"
    return None


_HINT_TELLS_CONFIDENTIAL = ("It tells how the confidential matter went: put it in a confidential passage "
                            "(<!-- konfidentiellt --> … <!-- /konfidentiellt -->) or item, as lgs new-meeting writes "
                            "a follow-up of one. (--public hides it meanwhile.)")
_NO_ENTRY: tuple[str, None] = ("", None)
_CLOSING = frozenset({FollowUpStatus.DONE.value, FollowUpStatus.DROPPED.value})


def _first_day(due: str) -> int:
    """The first day a due date (ISO day or month, ``Due.iso()``) may fall on, as an ordinal."""
    return dt.date(int(due[:4]), int(due[5:7]), int(due[8:10]) if len(due) > 7 else 1).toordinal()


def _same_month(a: int, b: int) -> bool:
    one, other = dt.date.fromordinal(a), dt.date.fromordinal(b)
    return (one.year, one.month) == (other.year, other.month)


def years_after(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later (29 February: the 28th in a year without it)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


# Lines between the first and the last change beyond which only the first change is named:
# a line diff of many lines that repeat (blank lines) is slow (≈ 0.1 s at 1,000).
_DIFF_MAX_LINES = 1000


def _changed_places(old: list[str], new: list[str]) -> list[int]:
    """The lines of ``new`` where a change to ``old`` starts (a removal: where it was);
    where the changed stretch is too long to compare quickly, its first and last line."""
    head = _same_head(old, new)
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    a, b = old[head:len(old) - tail], new[head:len(new) - tail]
    last_line = _line_count(new)
    if max(len(a), len(b)) > _DIFF_MAX_LINES:
        return sorted({min(head + 1, last_line), min(max(len(new) - tail, head + 1), last_line)})
    places: list[int] = []
    for tag, _, _, j1, _ in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            start = min(head + j1 + 1, last_line)  # (a removal at the end: the last line)
            if not places or start > places[-1]:
                places.append(start)
    return places


def _line_count(lines: list[str]) -> int:
    """The lines of a text split at "\\n" (the empty part after a last line break is none), at least 1."""
    return max(len(lines) - (1 if lines and lines[-1] == "" else 0), 1)


def _other_changes(old: list[str], new: list[str], first: int, places: list[int] | None = None) -> str:
    """The other places a file changed, by line in the new text (", also lines 203,
    240"): a reviewer sees every edit of approved minutes, not only the first.
    ``places``: :func:`_changed_places`, when already known."""
    others = [n for n in (places if places is not None else _changed_places(old, new)) if n != first]
    if not others:
        return ""
    shown = ", ".join(map(str, others[:5])) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
    return f", also line{'s' if len(others) > 1 else ''} {shown}"


def _same_head(old: list[str], new: list[str]) -> int:
    """How many lines the two texts start with alike."""
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    return head


def _first_change(old: list[str], new: list[str]) -> int:
    head = _same_head(old, new)
    return head + 1 if head < len(new) else max(len(new), 1)


def _span(start: dt.date | None, end: dt.date | None) -> str:
    if start and end:
        return f"{start.isoformat()}–{end.isoformat()}"
    if start:
        return f"from {start.isoformat()}"
    if end:
        return f"until {end.isoformat()}"
    return ""


def same_person(roster: Roster, name: str, names: list[str]) -> bool:
    def ident(text: str) -> str:
        person = roster.person_or_none(text)
        return name_key(person.name if person else text)

    wanted = ident(name)
    return any(ident(n) == wanted for n in names)


def _front_matter_names(m: Meeting, key: str) -> list[tuple[str, int | None]]:
    """Names under a people key with the line of each (chairs, secretary, justerare)."""
    raw = m.front_matter.get(key)
    line = m.line_of(key)
    if isinstance(raw, str):
        if raw.strip() == NOT_RECORDED:
            return []
        return [(nfc(n), line) for n in split_names(raw)]
    if not isinstance(raw, list):
        return []
    lines = getattr(raw, "lines", [])
    out = []
    for i, v in enumerate(raw):
        if isinstance(v, str) and v.strip() and v.strip() != NOT_RECORDED:
            out.append((" ".join(nfc(v).split()), lines[i] + 1 if i < len(lines) else line))
    return out


def _correction_authors(m: Meeting) -> list[tuple[str, int | None]]:
    """The ``by:`` of each correction with its line (LGS004 reports a malformed one)."""
    raw = m.front_matter.get("corrections")
    if not isinstance(raw, list):
        return []
    lines = getattr(raw, "lines", [])
    out = []
    for i, c in enumerate(raw):
        by = c.get("by") if isinstance(c, dict) else None
        if isinstance(by, str) and by.strip() and by.strip() != NOT_RECORDED:
            out.append((" ".join(nfc(by).split()), lines[i] + 1 if i < len(lines) else m.line_of("corrections")))
    return out


def _presenter_lines(m: Meeting) -> dict[tuple[int, str], int]:
    """(item heading line, presenter as parsed) -> the line of its 'Föredragande:'."""
    text, _ = read_text(m.path, m.relpath)
    if text is None or not m.items:
        return {}
    lines = text.split("\n")
    starts = [item.line for item in m.items] + [len(lines) + 1]
    out: dict[tuple[int, str], int] = {}
    for item, start, end in zip(m.items, starts, starts[1:], strict=False):
        for number in range(start + 1, min(end, len(lines) + 1)):
            found = _PRESENTER_LINE.match(lines[number - 1].rstrip())
            if found:
                for name in split_names(nfc(found.group(1).strip())):
                    out.setdefault((item.line, name), number)
    return out


# -- the JSON Schema ----------------------------------------------------------------

def schema_text() -> str:
    return resources.files("lgs_cli").joinpath(SCHEMA_RESOURCE).read_text(encoding="utf-8")


def schema_path() -> str:
    return str(resources.files("lgs_cli").joinpath(SCHEMA_RESOURCE))


_SCHEMA: dict[str, Any] | None = None

# The keywords this validator implements; the others in the schema are annotations
# for editors. ``if``/``then`` (the approval fields) is rule LGS301 instead.
SUPPORTED_KEYWORDS = {"$ref", "type", "const", "enum", "minLength", "pattern", "minimum", "maximum",
                      "required", "properties", "additionalProperties", "items", "anyOf"}
ANNOTATION_KEYWORDS = {"$schema", "$id", "$defs", "title", "description", "format", "if", "then"}


def load_schema() -> dict[str, Any]:
    global _SCHEMA
    if _SCHEMA is None:
        _SCHEMA = json.loads(schema_text())
    return _SCHEMA


@dataclass(frozen=True, slots=True)
class SchemaProblem:
    path: tuple[str | int, ...]
    keyword: str
    message: str


def validate_front_matter(data: Any, schema: dict[str, Any] | None = None) -> list[SchemaProblem]:
    """Validate front matter (as the restricted YAML loader read it) against the
    shipped JSON Schema. A small validator for the keywords the schema uses."""
    root = schema or load_schema()
    if _valid(data, root, root):  # the usual case, without building any message
        return []
    return _validate(data, root, root, ())


_TYPE_WORDS = {"string": "text", "integer": "a whole number", "number": "a number", "array": "a list",
               "object": "a mapping", "null": "empty", "boolean": "true/false"}


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _type_ok(value: Any, wanted: str | list[str]) -> bool:
    actual = _json_type(value)
    names = [wanted] if isinstance(wanted, str) else wanted
    return actual in names or (actual == "integer" and "number" in names)


def _resolve(root: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        ref = schema["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#/"):
            raise ValueError(f"unsupported $ref {ref!r}")
        target: Any = root
        for part in ref[2:].split("/"):
            target = target[part]
        rest = {k: v for k, v in schema.items() if k != "$ref"}
        schema = {**target, **rest}
    return schema


# (id(root), id(schema)) -> (root, schema, resolved): the objects are kept, so their ids stay theirs
_RESOLVED: dict[tuple[int, int], tuple[dict[str, Any], dict[str, Any], dict[str, Any]]] = {}
_PATTERNS: dict[str, re.Pattern[str]] = {}


def _resolved(root: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """:func:`_resolve`, once per schema node (a schema does not change while lgs runs)."""
    key = (id(root), id(schema))
    found = _RESOLVED.get(key)
    if found is None:
        if len(_RESOLVED) > 4096:  # schemas other than lgs's own (a library caller's): bounded
            _RESOLVED.clear()
        found = _RESOLVED[key] = (root, schema, _resolve(root, schema))
    return found[2]


def _compiled(pattern: str) -> re.Pattern[str]:
    found = _PATTERNS.get(pattern)
    if found is None:
        found = _PATTERNS[pattern] = re.compile(pattern)
    return found


def _describe(root: dict[str, Any], schema: dict[str, Any]) -> str:
    schema = _resolve(root, schema)
    if "const" in schema:
        return f"'{schema['const']}'"
    if "enum" in schema:
        return " or ".join(f"'{v}'" for v in schema["enum"])
    if "anyOf" in schema:
        return " or ".join(_describe(root, s) for s in schema["anyOf"])
    kind = schema.get("type")
    if kind is None:
        return "a value"
    names = [kind] if isinstance(kind, str) else kind
    return " or ".join(_TYPE_WORDS.get(n, n) for n in names)


def _where(path: tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "front matter"


class _Invalid(Exception):
    """The quick check (``_validate(..., quick=True)``) met a problem."""


def _problem(quick: bool, path: tuple[str | int, ...], keyword: str, message: Callable[[], str],
             at: tuple[str | int, ...] | None = None) -> SchemaProblem:
    """A problem at ``path`` (reported ``at`` another path where given); the quick
    check stops at the first one, before any message is made."""
    if quick:
        raise _Invalid
    return SchemaProblem(path if at is None else at, keyword, f"{_where(path)}: {message()}")


def _validate(value: Any, schema: dict[str, Any], root: dict[str, Any],
              path: tuple[str | int, ...], quick: bool = False) -> list[SchemaProblem]:
    """The problems of ``value`` against ``schema``. ``quick``: only whether there is
    one (raises :class:`_Invalid` at the first; no paths or messages are made)."""
    schema = _resolved(root, schema)
    if "type" in schema and not _type_ok(value, schema["type"]):
        return [_problem(quick, path, "type", lambda: f"expected {_describe(root, {'type': schema['type']})}, "
                                                      f"not {_type_word(value)}")]
    if "const" in schema and (value != schema["const"] or _json_type(value) != _json_type(schema["const"])):
        return [_problem(quick, path, "const", lambda: f"expected '{schema['const']}'")]
    if "enum" in schema and value not in schema["enum"]:
        return [_problem(quick, path, "enum", lambda: f"'{value}' is not one of "
                                                      + ", ".join(str(v) for v in schema["enum"]))]
    problems: list[SchemaProblem] = []
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            problems.append(_problem(quick, path, "minLength", lambda: "must not be empty"))
        pattern = schema.get("pattern")
        if pattern is not None and not _compiled(pattern).search(value):
            problems.append(_problem(quick, path, "pattern", lambda: f"'{value}' does not have the right form"))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            problems.append(_problem(quick, path, "minimum", lambda: f"{value} is below {schema['minimum']}"))
        if "maximum" in schema and value > schema["maximum"]:
            problems.append(_problem(quick, path, "maximum", lambda: f"{value} is above {schema['maximum']}"))
    if isinstance(value, dict):
        for key in schema.get("required", ()):
            if key not in value:
                problems.append(_problem(quick, path, "required", partial("required key '{}' is missing".format, key)))
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for key, sub in value.items():
            sub_path = path if quick else (*path, str(key))
            if key in props:
                if quick:
                    if not _valid(sub, props[key], root):
                        raise _Invalid
                    continue
                problems += _validate(sub, props[key], root, sub_path)
            elif extra is False:
                problems.append(_problem(quick, path, "additionalProperties", partial("unknown key '{}'".format, key),
                                         at=sub_path))
            elif isinstance(extra, dict):
                problems += _validate(sub, extra, root, sub_path, quick)
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        for i, sub in enumerate(value):
            if quick:
                if not _valid(sub, schema["items"], root):
                    raise _Invalid
                continue
            problems += _validate(sub, schema["items"], root, (*path, i))
    if "anyOf" in schema:
        if any(_valid(value, branch, root) for branch in schema["anyOf"]):
            return problems
        if quick:
            raise _Invalid
        results = [_validate(value, branch, root, path) for branch in schema["anyOf"]]
        # Report the branch of the value's own kind; else say what was expected.
        fitting = [r for r in results if not (len(r) == 1 and r[0].path == path and r[0].keyword in ("type", "const"))]
        if len(fitting) == 1:
            return problems + fitting[0]
        problems.append(_problem(quick, path, "anyOf", lambda: f"expected {_describe(root, {'anyOf': schema['anyOf']})}, "
                                                               f"not {_type_word(value)}"))
    return problems


# (id(root), id(schema), type, value) -> (root, schema, valid): the quick check's answer
# for a scalar, which front matter repeats from meeting to meeting ("Name, Org"
# attendees); the schema objects are kept, so their ids stay theirs (a schema is
# not changed while lgs runs, as for _RESOLVED).
_SCALARS: dict[tuple[int, int, type, Any], tuple[dict[str, Any], dict[str, Any], bool]] = {}  # bounded: names.MEMO_*
_SCALAR_TYPES = (str, int, bool, float, type(None))


def _valid(value: Any, schema: dict[str, Any], root: dict[str, Any]) -> bool:
    """Whether :func:`_validate` finds no problem (its quick check)."""
    key = ((id(root), id(schema), type(value), value)
           if type(value) in _SCALAR_TYPES and (type(value) is not str or len(value) <= MEMO_MAX_CHARS) else None)
    if key is not None:
        found = _SCALARS.get(key)
        if found is not None:
            return found[2]
    try:
        _validate(value, schema, root, (), quick=True)
        ok = True
    except _Invalid:
        ok = False
    if key is not None:
        if len(_SCALARS) > MEMO_ENTRIES:
            _SCALARS.clear()
        _SCALARS[key] = (root, schema, ok)
    return ok


def _type_word(value: Any) -> str:
    return _TYPE_WORDS.get(_json_type(value), _json_type(value))


def _path_lines(data: dict[str, Any], path: tuple[str | int, ...], key_lines: dict[str, int]) -> list[int]:
    """The file lines along ``path`` in the front matter (outermost first)."""
    if not path:
        return []
    out: list[int] = []
    if str(path[0]) in key_lines:
        out.append(key_lines[str(path[0])])
    node = data.get(str(path[0]))
    for part in path[1:]:
        lines = getattr(node, "lines", None)
        if isinstance(node, dict) and isinstance(lines, dict):
            key: Any = part
            if key not in lines:
                key = next((k for k in lines if str(k) == str(part)), part)
            if key in lines:
                out.append(int(lines[key]) + 1)
            node = node.get(key)
        elif isinstance(node, list) and isinstance(part, int):
            if isinstance(lines, list) and part < len(lines):
                out.append(int(lines[part]) + 1)
            node = node[part] if part < len(node) else None
        else:
            break
    return out
