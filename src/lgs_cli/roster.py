"""The roster (``lgs.yaml``): organisations, groups, people, meeting defaults
and rule settings; and name resolution through it."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import yamlsafe
from .codes import CODES, default_severity
from .dates import parse_iso_date, parse_time
from .errors import AmbiguousNameError
from .model import SECTORS, Diagnostic, Severity
from .names import MEMO_ENTRIES, fold, name_key, nfc, strip_note, unique_folded

ROSTER_FILE = "lgs.yaml"
# A note that leaves organisations out of a group owner, and what separates them.
_LEAVES_OUT = re.compile(r"(?:utom|förutom|ej|inte|exkl(?:usive|\.)?|except|excluding|not)"
                         r"(?:[ \t]*[:–—-][ \t]*|[ \t]+)(\S.*)$", re.IGNORECASE)  # also "utom: Växjö", "utom – Växjö"
_ALWAYS_LEAVES_OUT = {"utom", "förutom", "except", "excluding", "exkl", "exkl.", "exklusive"}
_LIST_SEPARATOR = re.compile(r",|/|&|[ \t]+(?:och|samt|and)[ \t]+", re.IGNORECASE)
MAX_ROSTER_BYTES = 4 * 1024 * 1024

MUNICIPALITIES = (
    "Alvesta",
    "Lessebo",
    "Ljungby",
    "Markaryd",
    "Tingsryd",
    "Uppvidinge",
    "Växjö",
    "Älmhult",
)
REGION = "Region Kronoberg"

SECTOR_ALIASES = {
    "socialtjänst": "socialtjänst",
    "social": "socialtjänst",
    "socialtjänsten": "socialtjänst",
    "skola": "skola",
    "skolan": "skola",
    "utbildning": "skola",
    "hälso- och sjukvård": "hälso- och sjukvård",
    "hälso-och sjukvård": "hälso- och sjukvård",
    "hälso och sjukvård": "hälso- och sjukvård",
    "hälso- och sjukvården": "hälso- och sjukvård",
    "hsv": "hälso- och sjukvård",
}

ROSTER_KEYS = {"organisations", "groups", "people", "meetings", "rules", "version"}
MEETING_KEYS = {"start", "end", "location", "chairs", "secretary", "plan", "skip_months"}
ORG_KEYS = {"kind", "aliases", "sector"}
# The rules that keep approved minutes a record (lgs check --base): always errors.
FIXED_RULES = frozenset({"LGS302", "LGS303"})
GROUP_KEYS = {"name", "members", "organisations", "sector", "aliases"}
PERSON_KEYS = {"name", "aliases", "roles", "org", "sector"}
ROLE_KEYS = {"org", "sector", "title", "from", "to"}
# "extern": an organisation outside the group (Länsstyrelsen, the police, a
# university) whose people come as guests; not in the attendance or the members.
ORG_KINDS = ("kommun", "region", "extern")
MEMBER_KINDS = ("kommun", "region")


def normalize_sector(value: str) -> str | None:
    return SECTOR_ALIASES.get(" ".join(nfc(value).split()).casefold())


@dataclass(slots=True)
class Organisation:
    id: str
    kind: str  # ORG_KINDS: "kommun" | "region" | "extern"
    aliases: list[str] = field(default_factory=list)
    sector: str | None = None


@dataclass(slots=True)
class Role:
    org: str | None
    sector: str | None = None
    title: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None

    def covers(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(slots=True)
class Person:
    name: str
    aliases: list[str] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    line: int | None = None

    def role_on(self, day: dt.date | None) -> Role | None:
        if not self.roles:
            return None
        if day is None:
            return self.roles[-1]
        for role in self.roles:
            if role.covers(day):
                return role
        return None

    def in_period(self, day: dt.date | None) -> bool:
        if not self.roles or day is None:
            return True
        # Role.covers, inlined, in a loop (a generator costs ≈ 0.4 µs more a call):
        # `lgs check` asks this for every name of every meeting
        for r in self.roles:  # noqa: SIM110
            if (r.start is None or r.start <= day) and (r.end is None or day <= r.end):
                return True
        return False

    def orgs(self) -> set[str]:
        return {r.org for r in self.roles if r.org}


@dataclass(slots=True)
class Group:
    id: str
    name: str | None = None
    members: list[str] = field(default_factory=list)  # person names (canonical)
    organisations: list[str] = field(default_factory=list)  # org ids
    sector: str | None = None
    aliases: list[str] = field(default_factory=list)


@dataclass(slots=True)
class MeetingDefaults:
    start: str | None = None
    end: str | None = None
    location: str | None = None
    chairs: list[str] = field(default_factory=list)
    secretary: list[str] = field(default_factory=list)
    plan: list[dt.date] = field(default_factory=list)
    skip_months: list[int] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Owner:
    """A resolved owner."""

    kind: str  # "person" | "organisation" | "group"
    id: str
    # The organisations a note leaves out of a group ("Kommunerna (utom Växjö)"):
    # not part of who the owner is (``--owner Kommunerna`` still matches), only of
    # what it stands for (:meth:`Roster.orgs_of_owner`).
    excluded: frozenset[str] = field(default=frozenset(), compare=False)

    def __str__(self) -> str:
        return self.id


WHOLE_GROUP = "Ledningsgruppen"  # the built-in group of every member organisation
# Role titles of people the roster knows who are not members of the group: an invited
# guest (a presenter, an intern taking notes), a deputy who comes when a member cannot.
NOT_MEMBER_TITLES = frozenset({"gäst", "ersättare"})


@dataclass(slots=True)
class Roster:
    path: Path | None
    organisations: dict[str, Organisation] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
    people: list[Person] = field(default_factory=list)
    meetings: MeetingDefaults = field(default_factory=MeetingDefaults)
    rules: dict[str, str] = field(default_factory=dict)  # code -> error|warning|off
    diagnostics: list[Diagnostic] = field(default_factory=list)
    _org_index: dict[str, str] = field(default_factory=dict)
    _group_index: dict[str, str] = field(default_factory=dict)
    _person_index: dict[str, list[Person]] = field(default_factory=dict)
    _explicit_index: dict[str, list[Person]] = field(default_factory=dict)
    # owner()'s answers by text (an Owner, None, or the candidates of an ambiguous
    # name): check asks again for the same owners and presenters in every meeting.
    # Kept as the indexes are: cleared by add_*.
    _owners: dict[str, Owner | tuple[str, ...] | None] = field(default_factory=dict)
    # org_folded()'s answers by text: an organisation misspelt in every meeting is folded once
    _folded: dict[str, str | None] = field(default_factory=dict)
    # A digest of what the roster was read from (lgs.yaml's text), set by load_roster
    # once it is read; None for a roster built or changed otherwise (add_*). Results
    # derived from meetings and the roster are memoised under it (lgs_cli.memo): a
    # caller that changes people, roles or aliases in place must set it to None.
    fingerprint: str | None = None
    # lgs.yaml is there but could not be read at all (not YAML, not UTF-8, …): the
    # names in the minutes are not checked against it (a finding for every name
    # would bury the one that matters: LGS401).
    unread: bool = False

    # -- building ---------------------------------------------------------
    def add_org(self, org: Organisation) -> None:
        self.fingerprint = None
        self._owners.clear()
        self._folded.clear()
        self.organisations[org.id] = org
        for text in [org.id, *org.aliases]:
            self._org_index[name_key(text)] = org.id
        # "Växjö kommun" always means Växjö
        if org.kind == "kommun":
            self._org_index.setdefault(name_key(f"{org.id} kommun"), org.id)

    def add_group(self, group: Group) -> None:
        self.fingerprint = None
        self._owners.clear()
        self.groups[group.id] = group
        for text in [group.id, *group.aliases] + ([group.name] if group.name else []):
            self._group_index[name_key(text)] = group.id

    def add_person(self, person: Person) -> None:
        self.fingerprint = None
        self._owners.clear()
        self.people.append(person)
        for text in [person.name, *person.aliases]:
            key = name_key(text)
            bucket = self._explicit_index.setdefault(key, [])
            if not bucket or bucket[-1] is not person:  # (its name and an alias may be one key)
                bucket.append(person)
        first = person.name.split()[0] if person.name.split() else person.name
        bucket = self._person_index.setdefault(name_key(first), [])
        if not bucket or bucket[-1] is not person:
            bucket.append(person)

    # -- resolution -------------------------------------------------------
    def org(self, text: str | None) -> Organisation | None:
        if not text:
            return None
        org_id = self._org_index.get(name_key(text))
        return self.organisations.get(org_id) if org_id else None

    def org_folded(self, text: str) -> str | None:
        """The organisation (id) ``text`` names when accents and case are ignored
        ("vaxjo"), if it names exactly one."""
        if text not in self._folded:
            if len(self._folded) >= MEMO_ENTRIES:  # bounded: hostile minutes may name any number
                self._folded.clear()
            self._folded[text] = unique_folded(
                text, {n: o.id for o in self.organisations.values() for n in (o.id, *o.aliases)})
        return self._folded[text]

    def attendee_key(self, name: str, org: str | None) -> tuple[str, str]:
        """Who an attendee is, to tell when one is listed twice: the roster's person,
        else the name and the organisation (namesakes of two organisations are two)."""
        return self.attendee_key_for(self.person_or_none(name), name, org)

    def attendee_key_for(self, person: Person | None, name: str, org: str | None) -> tuple[str, str]:
        """:meth:`attendee_key`, with ``person`` (:meth:`person_or_none` of ``name``)
        found already."""
        if person is not None:
            return name_key(person.name), ""
        known = self.org(org)
        return name_key(name), known.id if known is not None else fold(org or "")

    def group(self, text: str) -> Group | None:
        gid = self._group_index.get(name_key(text))
        return self.groups.get(gid) if gid else None

    def person(self, text: str, *, option: str | None = None) -> Person | None:
        """Resolve a full name, alias or unique first name. Raises
        :class:`AmbiguousNameError` when a short name fits several people."""
        key = name_key(text)
        explicit = self._explicit_index.get(key)
        if explicit:
            if len(explicit) == 1:
                return explicit[0]
            raise AmbiguousNameError(text, sorted(p.name for p in explicit), option=option)
        if " " not in key:
            implicit = self._person_index.get(key, [])
            if len(implicit) == 1:
                return implicit[0]
            if len(implicit) > 1:
                raise AmbiguousNameError(text, sorted(p.name for p in implicit), option=option)
        return None

    def owner(self, text: str, *, option: str | None = None) -> Owner | None:
        """Resolve an owner: group, organisation or person (in that order)."""
        found: Owner | tuple[str, ...] | None
        if text in self._owners:
            found = self._owners[text]
        else:
            try:
                found = self._owner(text)
            except AmbiguousNameError as exc:
                found = tuple(exc.candidates)
            if len(self._owners) >= MEMO_ENTRIES:
                self._owners.clear()
            self._owners[text] = found
        if isinstance(found, tuple):
            raise AmbiguousNameError(text, list(found), option=option)
        return found

    def _owner(self, text: str) -> Owner | None:
        group = self.group(text)
        if group:
            return Owner("group", group.id)
        org = self.org(text)
        if org:
            return Owner("organisation", org.id)
        person = self.person(text)
        if person:
            return Owner("person", person.name)
        if text[-1:] == ")":  # "Sandor Eriksson (RGK)": the name and a note, as lgs check reads it
            name, note = strip_note(text)
            if name != text.strip():
                owner = self._owner(name)
                if owner is not None and owner.kind == "group" and note:
                    left_out = self.left_out(note)
                    if left_out is not None and not left_out[1]:
                        return Owner("group", owner.id, frozenset(left_out[0]))
                return owner
        return None

    def left_out(self, note: str) -> tuple[list[str], list[str]] | None:
        """The organisations a note on a group owner leaves out ("utom Växjö och
        Alvesta", "förutom RGK", "except Ljungby"): the ones the roster knows and
        the names it does not; None for a note that leaves nothing out."""
        found = _LEAVES_OUT.match(note)
        if found is None:
            return None
        rest = found.group(1).strip(" \t.;:")
        whole = self.org_id(rest)  # a name with "och" or "/" in it
        parts = [rest] if whole is not None else [p.strip(" \t.;:") for p in _LIST_SEPARATOR.split(rest)]
        known: list[str] = []
        unknown: list[str] = []
        for part in filter(None, parts):
            org = self.org_id(part)
            if org is not None:
                known.append(org)
            else:
                unknown.append(part)
        # "(inte klart)", "(ej ordförandena)": after a word that may start any note, only a note
        # that names an organisation leaves some out; "utom", "förutom", "except" always mean it
        strong = found.group(0).split(None, 1)[0].rstrip(":–—-").lower() in _ALWAYS_LEAVES_OUT
        return (known, unknown) if known or strong else None

    def org_id(self, text: str) -> str | None:
        """The id of the organisation ``text`` names: by a name or alias, else by one
        written with a slip in accents or case ("Vaxjo", reported as LGS103)."""
        org = self.org(text)
        return org.id if org is not None else self.org_folded(text)

    def owner_or_none(self, text: str) -> Owner | None:
        """:meth:`owner`, with None for an ambiguous name too."""
        try:
            return self.owner(text)
        except AmbiguousNameError:
            return None

    def canonical(self, text: str) -> str:
        """An owner or person as the roster names it ("Magnus" -> "Magnus Frithiof",
        "RGK" -> "Region Kronoberg"); text the roster does not know stays as written."""
        owner = self.owner_or_none(text)
        if owner is None:
            return text
        if owner.excluded:  # "Kommunerna (utom Växjö)": what it leaves out is part of what it stands for
            return f"{owner.id} (utom {', '.join(o for o in self.organisations if o in owner.excluded)})"
        return owner.id

    def canonical_list(self, names: list[str] | tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.canonical(n) for n in names))

    def person_or_none(self, text: str) -> Person | None:
        """:meth:`person`, with None for an ambiguous name too."""
        try:
            return self.person(text)
        except AmbiguousNameError:
            return None

    def person_org(self, name: str, day: dt.date | None) -> str | None:
        return self.person_org_for(self.person_or_none(name), day)

    def person_org_for(self, person: Person | None, day: dt.date | None) -> str | None:
        """:meth:`person_org`, with the person found already."""
        role = person.role_on(day) if person is not None else None
        return role.org if role else None

    def orgs_of_owner(self, owner: Owner, day: dt.date | None) -> set[str]:
        """The organisations an owner stands for (a group: all of its orgs and
        its members' orgs)."""
        if owner.kind == "organisation":
            return {owner.id}
        if owner.kind == "person":
            org = self.person_org(owner.id, day)
            return {org} if org else set()
        group = self.groups.get(owner.id)
        if group is None:
            return set()
        orgs = set(group.organisations)
        for member in group.members:
            org = self.person_org(member, day)
            if org:
                orgs.add(org)
        return orgs - owner.excluded

    def sector_of(self, name: str, org: str | None, day: dt.date | None) -> str | None:
        return self.sector_for(self.person_or_none(name), org, day)

    def sector_for(self, person: Person | None, org: str | None, day: dt.date | None) -> str | None:
        """:meth:`sector_of`, with the person found already."""
        if person is not None:
            role = person.role_on(day)
            if role and role.sector and (org is None or role.org in (None, org)):
                return role.sector
        organisation = self.organisations.get(org) if org else None
        return organisation.sector if organisation else None

    def current_members(self, day: dt.date) -> list[tuple[Person, Role]]:
        """People with a role in a member organisation on ``day``."""
        out: list[tuple[Person, Role]] = []
        for person in self.people:
            role = self.member_role(person, day)
            if role is not None:
                out.append((person, role))
        return out

    def member_role(self, person: Person, day: dt.date) -> Role | None:
        """The person's role on ``day`` when it makes them a member of the group: in a
        municipality or the region (not an ``extern`` organisation), not as a guest
        or a deputy (``title: gäst``, ``title: ersättare``)."""
        role = person.role_on(day)
        org = self.organisations.get(role.org) if role and role.org else None
        if role is None or org is None or org.kind not in MEMBER_KINDS:
            return None
        return None if (role.title or "").strip().casefold() in NOT_MEMBER_TITLES else role

    def severity_for(self, code: str, default: Severity) -> Severity | None:
        setting = self.rules.get(code)
        if setting == "off":
            return None
        if setting == "warning":
            return Severity.WARNING
        if setting == "error":
            return Severity.ERROR
        return default


def builtin_roster(path: Path | None = None) -> Roster:
    roster = Roster(path=path)
    for name in MUNICIPALITIES:
        roster.add_org(Organisation(name, "kommun", [f"{name} kommun"]))
    roster.add_org(
        Organisation(
            REGION, "region", ["RGK", "Regionen", "Region", "region Kronoberg"], "hälso- och sjukvård"
        )
    )
    roster.add_group(Group("Kommunerna", "Länets kommuner", organisations=list(MUNICIPALITIES)))
    roster.add_group(
        Group(
            WHOLE_GROUP,
            "Ledningsgrupp för samordning",
            organisations=[*MUNICIPALITIES, REGION],
            aliases=["Ledningsgrupp för samordning", "Länets ledningsgrupp"],
        )
    )
    roster.add_group(Group("AU", "Arbetsutskottet", aliases=["Arbetsutskottet"]))
    roster.add_group(
        Group(
            "Socialchefsnätverket",
            organisations=list(MUNICIPALITIES),
            sector="socialtjänst",
            aliases=["Socialcheferna", "socialchefsnätverk"],
        )
    )
    roster.add_group(
        Group(
            "Skolchefsnätverket",
            organisations=list(MUNICIPALITIES),
            sector="skola",
            aliases=["Skolcheferna", "skolchefsnätverk"],
        )
    )
    return roster


class _RosterReader:
    def __init__(self, roster: Roster, relpath: str) -> None:
        self.roster = roster
        self.relpath = relpath

    def diag(self, line: int | None, code: str, message: str, hint: str | None = None,
             severity: Severity = Severity.ERROR) -> None:
        self.roster.diagnostics.append(Diagnostic(self.relpath, line, code, severity, message, hint))

    def text_list(self, value: Any, line: int | None, what: str) -> list[str]:
        if value is None:
            return []
        if isinstance(value, str):
            return [value]
        if isinstance(value, list):
            out = []
            for i, v in enumerate(value):
                if isinstance(v, (str, int, float)) and not isinstance(v, bool):
                    out.append(nfc(str(v)))
                else:
                    self.diag(_line(value, i, line), "LGS401", f"{what}: expected text")
            return out
        self.diag(line, "LGS401", f"{what}: expected a list of text")
        return []

    def date(self, value: Any, line: int | None, what: str) -> dt.date | None:
        if value is None:
            return None
        parsed = parse_iso_date(str(value))
        if parsed is None:
            self.diag(line, "LGS401", f"{what}: '{value}' is not a valid ISO date (YYYY-MM-DD)")
        return parsed

    def read(self, data: Any) -> None:
        roster = self.roster
        if data is None:
            return
        if not isinstance(data, dict):
            self.diag(1, "LGS401", "the roster must be a YAML mapping", UNREAD_HINT)
            return
        lines = getattr(data, "lines", {})
        for key in data:
            if key not in ROSTER_KEYS:
                self.diag(lines.get(key), "LGS401", f"unknown roster key '{key}'",
                          f"Known keys: {', '.join(sorted(ROSTER_KEYS))}")
        self.read_orgs(data.get("organisations"), lines.get("organisations"))
        self.read_groups(data.get("groups"), lines.get("groups"))
        self.read_people(data.get("people"), lines.get("people"))
        self.read_meetings(data.get("meetings"), lines.get("meetings"))
        self.check_members(data.get("groups"), lines.get("groups"))
        self.check_aliases()
        rules = data.get("rules")
        if isinstance(rules, dict):
            for code, setting in rules.items():
                value = str(setting).strip().lower() if setting is not False else "off"
                if str(code).upper() not in CODES:
                    self.diag(_key_line(rules, code, None), "LGS401", f"rules: there is no rule {code}",
                              "The rule IDs are in the README (lgs check, Rules) and in 'lgs check' findings.")
                    continue
                if value not in ("error", "warning", "off"):
                    self.diag(_key_line(rules, code, None), "LGS401",
                              f"rule {code}: '{setting}' must be error, warning or off")
                    continue
                if str(code).upper() in FIXED_RULES and value != "error":
                    self.diag(_key_line(rules, code, None), "LGS401",
                              f"rule {str(code).upper()} cannot be {'turned off' if value == 'off' else 'made a warning'}: "
                              "approved minutes are a record",
                              "The change under review could otherwise switch off the check of itself. "
                              "Remove the setting.")
                    continue
                roster.rules[str(code).upper()] = value
        elif rules is not None:
            self.diag(lines.get("rules"), "LGS401", "rules: expected a mapping of rule ID to error|warning|off")

    def unknown_keys(self, spec: dict[Any, Any], known: set[str], line: int | None, what: str) -> None:
        """A key the roster does not know, inside an entry (``roles`` spelt ``rolls``
        would silently leave a person without roles)."""
        for key in spec:
            if key not in known:
                import difflib  # noqa: PLC0415 - only on a finding

                close = difflib.get_close_matches(str(key), sorted(known), n=1, cutoff=0.6)
                self.diag(_key_line(spec, key, line), "LGS401", f"{what}: unknown key '{key}'",
                          (f"Did you mean '{close[0]}'? " if close else "") + f"Known keys: {', '.join(sorted(known))}")

    def read_orgs(self, value: Any, line: int | None) -> None:
        if value is None:
            return
        if not isinstance(value, dict):
            self.diag(line, "LGS401", "organisations: expected a mapping")
            return
        try:
            self._read_orgs(value, line)
        finally:  # the roster's order (reports list organisations in it), then the built-in ones it leaves out
            orgs = self.roster.organisations
            listed = [key for org_id in value if (key := nfc(str(org_id))) in orgs]
            self.roster.organisations = {**{key: orgs[key] for key in listed}, **orgs}

    def _read_orgs(self, value: dict[Any, Any], line: int | None) -> None:
        for org_id, spec in value.items():
            oline = _key_line(value, org_id, line)
            spec = spec or {}
            if not isinstance(spec, dict):
                self.diag(oline, "LGS401", f"organisation {org_id}: expected a mapping")
                continue
            self.unknown_keys(spec, ORG_KEYS, oline, f"organisation {org_id}")
            sector = None
            if spec.get("sector") is not None:
                sector = normalize_sector(str(spec["sector"]))
                if sector is None:
                    self.diag(oline, "LGS401", f"organisation {org_id}: unknown sector '{spec['sector']}'",
                              f"Use one of: {', '.join(SECTORS)}")
            existing = self.roster.organisations.get(nfc(str(org_id)))
            kind = str(spec["kind"]).strip().lower() if spec.get("kind") is not None else None
            if kind is not None and kind not in ORG_KINDS:
                self.diag(_key_line(spec, "kind", oline), "LGS401",
                          f"organisation {org_id}: unknown kind '{spec['kind']}'",
                          "Use kommun, region or extern (an organisation outside the group, such as "
                          "Länsstyrelsen: its people come as guests).")
                kind = None
            aliases = self.text_list(spec.get("aliases"), oline, f"organisation {org_id} aliases")
            org = Organisation(
                nfc(str(org_id)),
                kind or (existing.kind if existing else "kommun"),
                sorted(set(aliases + (existing.aliases if existing else []))),
                sector or (existing.sector if existing else None),
            )
            self.roster.add_org(org)

    def read_groups(self, value: Any, line: int | None) -> None:
        if value is None:
            return
        if not isinstance(value, dict):
            self.diag(line, "LGS401", "groups: expected a mapping")
            return
        for gid, spec in value.items():
            gline = _key_line(value, gid, line)
            spec = spec or {}
            if not isinstance(spec, dict):
                self.diag(gline, "LGS401", f"group {gid}: expected a mapping")
                continue
            self.unknown_keys(spec, GROUP_KEYS, gline, f"group {gid}")
            existing = self.roster.groups.get(nfc(str(gid)))
            orgs = []
            for text in self.text_list(spec.get("organisations"), gline, f"group {gid} organisations"):
                org = self.roster.org(text)
                if org is None:
                    self.diag(gline, "LGS401", f"group {gid}: unknown organisation '{text}'")
                else:
                    orgs.append(org.id)
            group = Group(
                nfc(str(gid)),
                str(spec["name"]) if spec.get("name") else (existing.name if existing else None),
                self.text_list(spec.get("members"), gline, f"group {gid} members"),
                orgs or (existing.organisations if existing and "organisations" not in spec else []),
                normalize_sector(str(spec["sector"])) if spec.get("sector") else (existing.sector if existing else None),
                self.text_list(spec.get("aliases"), gline, f"group {gid} aliases")
                + (existing.aliases if existing else []),
            )
            self.roster.add_group(group)

    def read_people(self, value: Any, line: int | None) -> None:
        if value is None:
            return
        if not isinstance(value, list):
            self.diag(line, "LGS401", "people: expected a list")
            return
        seen: dict[str, int | None] = {}
        for i, spec in enumerate(value):
            pline = _line(value, i, line)
            if isinstance(spec, str):
                spec = {"name": spec}
            if not isinstance(spec, dict) or not spec.get("name"):
                self.diag(pline, "LGS401", "people: each person needs a name")
                continue
            name = " ".join(nfc(str(spec["name"])).split())
            key = name_key(name)
            if key in seen:
                self.diag(pline, "LGS401", f"person '{name}' is listed twice (first on line {seen[key]})")
                continue
            seen[key] = pline
            self.unknown_keys(spec, PERSON_KEYS, pline, f"person '{name}'")
            roles: list[Role] = []
            raw_roles = spec.get("roles")
            if raw_roles is None and spec.get("org"):
                raw_roles = [{"org": spec.get("org"), "sector": spec.get("sector")}]
            if raw_roles is not None and not isinstance(raw_roles, list):
                self.diag(pline, "LGS401", f"person '{name}': roles must be a list")
                raw_roles = []
            for j, r in enumerate(raw_roles or []):
                rline = _line(raw_roles, j, pline)
                if not isinstance(r, dict):
                    self.diag(rline, "LGS401", f"person '{name}': each role must be a mapping")
                    continue
                self.unknown_keys(r, ROLE_KEYS, rline, f"person '{name}', a role")
                org_id = None
                if r.get("org"):
                    org = self.roster.org(str(r["org"]))
                    if org is None:
                        self.diag(rline, "LGS401", f"person '{name}': unknown organisation '{r['org']}'")
                    else:
                        org_id = org.id
                sector = None
                if r.get("sector"):
                    sector = normalize_sector(str(r["sector"]))
                    if sector is None:
                        self.diag(rline, "LGS401", f"person '{name}': unknown sector '{r['sector']}'",
                                  f"Use one of: {', '.join(SECTORS)}")
                roles.append(Role(org_id, sector, str(r["title"]) if r.get("title") else None,
                                  self.date(r.get("from"), rline, f"person '{name}' from"),
                                  self.date(r.get("to"), rline, f"person '{name}' to")))
            aliases = self.text_list(spec.get("aliases"), pline, f"person '{name}' aliases")
            self.roster.add_person(Person(name, aliases, roles, pline))

    def check_members(self, value: Any, line: int | None) -> None:
        """A group's members are people of the roster (read after the people)."""
        if not isinstance(value, dict):
            return
        roster = self.roster
        for gid, spec in value.items():
            group = roster.groups.get(nfc(str(gid)))
            if group is None or not isinstance(spec, dict):
                continue
            for member in group.members:
                try:
                    person = roster.person(member)
                except AmbiguousNameError as exc:
                    self.diag(_key_line(spec, "members", _key_line(value, gid, line)), "LGS401",
                              f"group {gid}: member '{member}' is ambiguous: it could be "
                              f"{', '.join(exc.candidates)}", "Write the full name.")
                    continue
                if person is None:
                    self.diag(_key_line(spec, "members", _key_line(value, gid, line)), "LGS401",
                              f"group {gid}: member '{member}' is not in 'people:'",
                              "Add the person under 'people:', or correct the spelling.")

    def check_aliases(self) -> None:
        """An alias that another name already means, said once per alias: another
        person's name or alias (the name becomes ambiguous in the minutes), another
        person's first name (the alias wins: the other can no longer be found by
        it), or an organisation's or group's name (which an owner means first)."""
        roster = self.roster
        said: set[str] = set()
        for person in roster.people:
            for alias in person.aliases:
                key = name_key(alias)
                if key in said:
                    continue
                said.add(key)
                named = [p.name for p in roster._explicit_index.get(key, []) if p is not person]
                others = [p.name for p in roster._person_index.get(key, []) if p is not person]
                if named:
                    message = (f"the alias '{alias}' is also the name or an alias of "
                               f"{_some(named)}: in the minutes it is ambiguous")
                    hint = "Remove the alias, or give it to one person only."
                elif others and " " not in key:
                    message = (f"the alias '{alias}' is also the first name of {_some(others)}, "
                               "who can no longer be found by it")
                    hint = "Keep the alias only if that is meant; write full names in the minutes."
                elif key in roster._org_index or key in roster._group_index:
                    what = "an organisation" if key in roster._org_index else "a group"
                    message = f"the alias '{alias}' is also {what}, which an owner or a filter means first"
                    hint = "Remove the alias, or make it one of the person's own."
                else:
                    continue
                self.diag(person.line, "LGS401", f"person '{person.name}': {message}", hint,
                          severity=Severity.WARNING)

    def read_meetings(self, value: Any, line: int | None) -> None:
        if value is None:
            return
        if not isinstance(value, dict):
            self.diag(line, "LGS401", "meetings: expected a mapping")
            return
        for key in value:
            if key not in MEETING_KEYS:
                self.diag(_key_line(value, key, line), "LGS401", f"meetings: unknown key '{key}'",
                          f"Known keys: {', '.join(sorted(MEETING_KEYS))}")
        m = self.roster.meetings
        for key in ("start", "end"):
            raw = value.get(key)
            if raw is None:
                continue
            text = f"{raw}:00" if isinstance(raw, int) and not isinstance(raw, bool) and 0 <= raw <= 23 else str(raw)
            time = None if isinstance(raw, bool) else parse_time(text)
            if time is None:
                self.diag(_key_line(value, key, line), "LGS401", f"meetings.{key}: '{raw}' is not a time (HH:MM)")
            setattr(m, key, time)
        m.location = str(value["location"]) if value.get("location") else None
        m.chairs = self.text_list(value.get("chairs"), line, "meetings.chairs")
        m.secretary = self.text_list(value.get("secretary"), line, "meetings.secretary")
        plan = value.get("plan") or []
        if isinstance(plan, list):
            for i, d in enumerate(plan):
                parsed = self.date(d, _line(plan, i, line), "meetings.plan")
                if parsed:
                    m.plan.append(parsed)
            m.plan.sort()
        else:
            self.diag(_key_line(value, "plan", line), "LGS401", "meetings.plan: expected a list of dates")
        skip = value.get("skip_months") or []
        if isinstance(skip, list) and all(isinstance(x, int) and 1 <= x <= 12 for x in skip):
            m.skip_months = list(skip)
        else:
            self.diag(_key_line(value, "skip_months", line), "LGS401",
                      "meetings.skip_months: expected a list of month numbers 1-12")


def _some(names: list[str], shown: int = 3) -> str:
    """"A, B, C and 12 more": a list of names that cannot grow a message without end."""
    more = len(names) - shown
    return ", ".join(names[:shown]) + (f" and {more} more" if more > 0 else "")


def _key_line(mapping: Any, key: Any, default: int | None) -> int | None:
    lines = getattr(mapping, "lines", None)
    if isinstance(lines, dict) and key in lines:
        return int(lines[key])
    return default


def _line(container: Any, index: int, default: int | None) -> int | None:
    lines = getattr(container, "lines", None)
    if isinstance(lines, list) and index < len(lines):
        return int(lines[index])
    return default


UNREAD_HINT = "The names in the minutes are not checked against the roster until lgs.yaml can be read."


def _inside(root: Path, path: Path) -> bool:
    try:
        return root.resolve() in path.resolve(strict=True).parents
    except (OSError, RuntimeError):  # broken, a loop
        return False


def load_roster(root: Path, relpath: str = ROSTER_FILE) -> Roster:
    """Load ``root/lgs.yaml`` over the built-in organisations and groups.
    Problems become diagnostics; a missing file gives the built-in roster."""
    path = root / ROSTER_FILE
    if os.path.islink(path) and not _inside(root, path):  # as for meeting files: a link out is not followed
        roster = builtin_roster(None)
        roster.diagnostics.append(Diagnostic(relpath, None, "LGS401", default_severity("LGS401"),
                                             "lgs.yaml is a link to a file outside the archive (or a broken link): "
                                             "not read; the built-in roster is used"))
        roster.unread = True
        return roster
    roster = builtin_roster(path if path.is_file() else None)
    if not path.is_file():
        if os.path.lexists(path):
            roster.diagnostics.append(Diagnostic(relpath, None, "LGS401", default_severity("LGS401"),
                                                 "lgs.yaml is not a regular file; the built-in roster is used"))
            roster.unread = True
        else:
            roster.fingerprint = "built-in"
        return roster
    reader = _RosterReader(roster, relpath)
    roster.unread = True  # until it is read
    try:
        if path.stat().st_size > MAX_ROSTER_BYTES:
            reader.diag(None, "LGS401", "the roster is larger than 4 MiB", UNREAD_HINT)
            return roster
        with path.open("rb") as fh:
            raw = fh.read(MAX_ROSTER_BYTES + 1)
        if len(raw) > MAX_ROSTER_BYTES:
            reader.diag(None, "LGS401", "the roster is larger than 4 MiB", UNREAD_HINT)
            return roster
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        reader.diag(line, "LGS401", f"the roster is not UTF-8 (byte 0x{raw[exc.start]:02x} on line {line})",
                    "Save the file as UTF-8. " + UNREAD_HINT)
        return roster
    except OSError as exc:
        reader.diag(None, "LGS401", f"cannot read the roster: {exc.strerror or exc}", UNREAD_HINT)
        return roster
    try:
        data = yamlsafe.load_cached(text, root)
    except yamlsafe.YamlProblem as exc:
        reader.diag(exc.line, "LGS401", exc.message, f"{exc.hint} {UNREAD_HINT}" if exc.hint else UNREAD_HINT)
        return roster
    roster.unread = data is not None and not isinstance(data, dict)
    reader.read(data)
    from .cache import content_digest  # noqa: PLC0415

    # a cryptographic digest: memos are keyed by it (an edit made to keep a CRC would pass); of the
    # text as read, so line endings and a byte-order mark (a checkout with core.autocrlf) are no change
    roster.fingerprint = content_digest(raw.removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n")).hex()
    return roster
