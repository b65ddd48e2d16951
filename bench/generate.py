#!/usr/bin/env python3
"""Generate a synthetic lgs archive of N meetings in the real format.

    python bench/generate.py N DIR [--seed S] [--end YYYY-MM-DD]

The archive is shaped like the real minutes (docs/format.md, minutes/*.md):
a roster of 40 people across the nine organisations, and per meeting about
20 attendees (some in mapping form with sector, partial attendance or a
note), guests, notices of absence, the odd deputy, about 10 agenda items with
presenters, material and Swedish narrative, a few decisions, about 6 actions,
follow-ups that close, drop or carry the actions of earlier meetings, and
deferred matters that a later decision settles (``Avser:``). Files are about
8 KB, the front matter about 2 KB.

Meeting dates. IDs are date-based, so an archive holds one meeting per date.
The meetings are weekly Fridays when N of them fit in 25 years (N <= 1,300),
ending on ``--end`` (default 2025-12-19); otherwise consecutive days (a region
keeping many groups' minutes in one repository meets more than once a week),
ending on ``--end`` but starting no earlier than 2000-01-03, since ``lgs check``
warns about dates before 2000 (N = 10,000 runs to 2027-05-20). The last
meeting is a draft, every other one is approved.

Open items stay bounded whatever N is, as in a healthy archive: every action
is followed up within a few meetings, except for a small set (at most 12) of
lingering ones, and at most 4 deferred matters are left pending.

The output is deterministic for a given N, seed and end date, and valid under
``lgs check`` (no errors).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import sys
from pathlib import Path

MUNICIPALITIES = ["Alvesta", "Lessebo", "Ljungby", "Markaryd", "Tingsryd", "Uppvidinge", "Växjö", "Älmhult"]
REGION = "Region Kronoberg"
ORGS = [*MUNICIPALITIES, REGION]
ORG_SPELLINGS = {REGION: [REGION, "region Kronoberg", "RGK"]}
SECTORS = ["socialtjänst", "skola", "hälso- och sjukvård"]

FIRST = [
    "Anna", "Lars", "Karin", "Mikael", "Eva", "Johan", "Maria", "Anders", "Kristina", "Per",
    "Elin", "Henrik", "Sara", "Fredrik", "Emma", "Jonas", "Lena", "Mattias", "Helena", "Niklas",
    "Ingrid", "Björn", "Camilla", "Oskar", "Sofia", "Gustav", "Malin", "Erik", "Åsa", "Tobias",
    "Linnea", "Patrik", "Johanna", "Magnus", "Ylva", "Daniel", "Hanna", "Stefan", "Therese", "Viktor",
]
LAST = [
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson",
    "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson", "Bengtsson", "Jönsson",
    "Lindberg", "Jakobsson", "Magnusson", "Olofsson", "Lindström", "Lindqvist", "Lindgren", "Berg",
    "Axelsson", "Bergström", "Lundberg", "Lundgren", "Mattsson", "Berglund", "Fredriksson", "Sandberg",
    "Henriksson", "Forsberg", "Sjöberg", "Wallin", "Engström", "Danielsson", "Håkansson", "Ekström",
]

TOPICS = [
    "Nära vård – uppföljning av omställningen",
    "Kraftsamling barn och unga",
    "Statsbidrag psykisk hälsa och suicidprevention",
    "Hemsjukvårdsavtalet",
    "Centrum mot våld",
    "Barnahus – verksamhetsrapport",
    "Årshjul och planering",
    "Handlingsplan för länsgemensamt arbete",
    "Samordnad individuell plan (SIP)",
    "Utskrivningsklara patienter",
    "Hjälpmedel – gemensam nämnd",
    "Strategi Närmare Kronobergaren",
    "Elevhälsa och första linjen",
    "Missbruk och beroende – överenskommelse",
    "Sommarplanering",
    "Kompetensförsörjning",
    "Digitala vårdmöten",
    "Psykiatri för barn och unga",
    "Våld i nära relationer",
    "Läkemedelsgenomgångar i hemsjukvården",
    "Ekonomisk uppföljning",
    "Rapport från processgrupperna",
    "Kommunalt forum – återkoppling",
    "Rehabilitering i samverkan",
]
MATERIAL = [
    "Bildspel bifogas handlingarna",
    "Förslag till överenskommelse",
    "Föregående mötesanteckningar",
    "Sammanställning från arbetsgruppen",
    "Rapport från processgruppen",
    "Remissversion",
]
SENTENCES = [
    "Dialog kring nuläget och hur arbetet ska drivas vidare i länet.",
    "Arbetsgruppen redogör för bakgrund och de ändringar som gjorts sedan förra mötet.",
    "Ledningsgruppen tackar för informationen och ser fram emot fortsatt återrapportering.",
    "Behovet behöver undersökas då flera av kommunerna redan bedriver egna insatser på området.",
    "Det finns ett behov av att mötas och dela bilder kring omställningsarbetet.",
    "Socialtjänsten ser ett behov av tydligare kontaktvägar mellan verksamheterna.",
    "Skolcheferna önskar konkretisering kring vissa punkter för att tydliggöra kopplingen till processgrupperna.",
    "Hälso- och sjukvården instämmer och betonar vikten av gemensam uppföljning.",
    "Förslaget bygger på den workshop som ledningsgruppen genomförde i början av året.",
    "Ambitionen är att arbetet ska hålla över tid och följas upp på ett strukturerat sätt.",
    "Det återstår flera vägval kring slutlig utformning; kostnaderna är ännu inte klara.",
    "Framgångsfaktorer är nära samverkan mellan sjukhusvård, primärvård och kommunal hemsjukvård.",
    "Uppföljningen visar att antalet utskrivningsklara patienter har minskat under perioden.",
    "Medel från statsbidraget föreslås användas för en gemensam samordnare på länsnivå.",
    "Frågan lyfts igen när arbetsgruppen har hunnit förankra förslaget i respektive organisation.",
    "Representanterna tar med sig frågan till sina respektive ledningsgrupper.",
    "Flera kommuner vittnar om svårigheter att rekrytera sjuksköterskor till hemsjukvården.",
    "En gemensam lägesbild efterfrågas inför nästa kommunala forum.",
    "Arbetet utgår från samma koncept som Barnahus: skydd, stöd och behandling.",
    "Processgruppen har träffats tre gånger sedan förra mötet och tagit fram ett utkast.",
]
BULLETS = [
    "Rådgivning och stöd",
    "Utbildningsinsatser för personal",
    "Gemensam föräldrautbildning",
    "Förebyggande arbete i skolan",
    "Uppföljning av nyckeltal",
    "Kommunikation till verksamheterna",
]
ACTIONS = [
    "Kommunerna tar hem frågan och inventerar nuläget samt identifierar vem som äger frågan lokalt.",
    "Arbetsgruppen återkommer med ett reviderat förslag till nästa möte.",
    "Ledningsgruppens representanter lyfter hem frågan och återkommer med svar.",
    "AU planerar tiden för de olika konstellationerna och säkerställer att ärenden tas i rätt forum.",
    "Inkom gärna med förslag på koncept till lokala workshops.",
    "Sammanställningen skickas ut till ledningsgruppen tillsammans med mötesanteckningarna.",
    "Kontaktpersoner utses för det fortsatta arbetet, lämpligen en per kommun.",
    "Uppföljningen presenteras för kommunalt forum.",
]
DECISIONS = [
    "Ledningsgruppen ställer sig bakom förslaget.",
    "Ledningsgruppen beslutar att anta föreslagen budget och kostnadsfördelning.",
    "Ledningsgruppen fastställer årshjulet för kommande år.",
    "Ledningsgruppen godkänner den reviderade överenskommelsen.",
    "Ledningsgruppen ger arbetsgruppen i uppdrag att gå vidare med förslaget.",
]
DEFERRALS = [
    "Beslut om överenskommelsen tas på nästa möte.",
    "Beslut kring vidare hantering tas på kommande ledningsgrupp.",
    "Frågan tas för beslut när remissvaren har sammanställts.",
]
FOLLOWUP_DONE = ["Klart.", "Genomfört och återrapporterat.", "Frågan är besvarad.", "Uppdraget är slutfört."]
FOLLOWUP_DROPPED = ["Frågan hanteras i annat forum.", "Inaktuellt efter beslut i kommunalt forum."]
FOLLOWUP_CARRIED = ["Arbetet pågår.", "Återkommer till nästa möte.", "Försenat; underlaget är inte klart."]
LOCATIONS = [
    "Regionhuset, Nygatan 20 Växjö, sal Bolmen",
    "Regionhuset, Nygatan 20 Växjö, sal Åsnen",
    "Digitalt via Teams",
    "Kommunhuset, Ljungby",
]

MAX_LINGERING = 12  # actions nobody follows up (stay open for ever)
MAX_PENDING = 4  # deferred matters no later decision settles


# -- roster -------------------------------------------------------------------------

class Person:
    def __init__(self, name: str, org: str, sector: str | None, moved: tuple[str, dt.date] | None = None) -> None:
        self.name = name
        self.org = org
        self.sector = sector
        self.moved = moved  # (new org, from date): a role change over time

    def org_on(self, day: dt.date) -> str:
        if self.moved and day >= self.moved[1]:
            return self.moved[0]
        return self.org


def make_people(first_day: dt.date, last_day: dt.date) -> list[Person]:
    """40 people: four per municipality, eight in the region; two change organisation."""
    people: list[Person] = []
    i = 0
    for org in MUNICIPALITIES:
        for k in range(4):
            sector = ["socialtjänst", "skola", "socialtjänst", None][k]
            people.append(Person(f"{FIRST[i]} {LAST[i]}", org, sector))
            i += 1
    for _ in range(8):
        people.append(Person(f"{FIRST[i]} {LAST[i]}", REGION, None))
        i += 1
    middle = first_day + (last_day - first_day) / 2
    people[3].moved = ("Ljungby", middle)  # like Therese Linnér: Lessebo -> Ljungby
    people[13].moved = ("Växjö", middle)
    return people


def roster_yaml(people: list[Person], first_day: dt.date) -> str:
    out = [
        "# Synthetic roster written by bench/generate.py (not real people).",
        "organisations:",
    ]
    for org in MUNICIPALITIES:
        out += [f"  {org}:", "    kind: kommun", f"    aliases: [{org} kommun]"]
    out += [
        f"  {REGION}:",
        "    kind: region",
        "    aliases: [RGK, region Kronoberg, Regionen]",
        "    sector: hälso- och sjukvård",
        "",
        "groups:",
        "  AU:",
        "    name: Arbetsutskottet",
        f"    members: [{', '.join(p.name for p in (people[0], people[16], people[32]))}]",
        "  Kommunerna:",
        "    name: Länets kommuner",
        f"    organisations: [{', '.join(MUNICIPALITIES)}]",
        "  Socialchefsnätverket:",
        f"    organisations: [{', '.join(MUNICIPALITIES)}]",
        "    sector: socialtjänst",
        "  Skolchefsnätverket:",
        f"    organisations: [{', '.join(MUNICIPALITIES)}]",
        "    sector: skola",
        "  Ledningsgruppen:",
        "    name: Ledningsgrupp för samordning",
        f"    organisations: [{', '.join(ORGS)}]",
        "",
        "people:",
    ]
    for p in people:
        out.append(f"  - name: {p.name}")
        out.append("    roles:")
        sector = f", sector: {p.sector}" if p.sector else ""
        if p.moved:
            until = p.moved[1] - dt.timedelta(days=1)
            out.append(f"      - {{org: {p.org}{sector}, to: {until.isoformat()}}}")
            out.append(f"      - {{org: {p.moved[0]}{sector}, from: {p.moved[1].isoformat()}}}")
        else:
            out.append(f"      - {{org: {p.org}{sector}}}")
    out += [
        "",
        "meetings:",
        '  start: "11:00"',
        '  end: "15:00"',
        "  location: Regionhuset, Nygatan 20, Växjö",
        f"  chairs: [{people[0].name}, {people[32].name}]",
        f"  secretary: [{people[33].name}]",
        "  skip_months: [7]",
        "",
    ]
    return "\n".join(out)


# -- meetings -----------------------------------------------------------------------

EARLIEST = dt.date(2000, 1, 3)  # lgs check warns about meetings before 2000 (LGS012)


def meeting_dates(n: int, end: dt.date) -> list[dt.date]:
    if n <= 1300:  # weekly, on Fridays, ending on (the Friday before) `end`
        end = end - dt.timedelta(days=(end.weekday() - 4) % 7)
        return [end - dt.timedelta(days=7 * (n - 1 - i)) for i in range(n)]
    start = max(end - dt.timedelta(days=n - 1), EARLIEST)  # consecutive days, from 2000 at the earliest
    return [start + dt.timedelta(days=i) for i in range(n)]


class State:
    """What earlier meetings left open."""

    def __init__(self) -> None:
        self.open_actions: list[list[object]] = []  # [id, meeting index, times carried]
        self.lingering: set[str] = set()
        self.deferred: list[tuple[str, int]] = []  # (id, meeting index)
        self.pending: set[str] = set()
        self.secret: set[str] = set()  # actions of confidential items: followed up in confidential passages


def attendee_line(rng: random.Random, p: Person, day: dt.date, items: int) -> list[str]:
    org = p.org_on(day)
    spelled = rng.choice(ORG_SPELLINGS.get(org, [org, org, f"{org} kommun"]))
    roll = rng.random()
    if roll < 0.12:
        lines = [f"  - name: {p.name}", f"    org: {spelled}"]
        if p.sector:
            lines.append(f"    sector: {p.sector}")
        if rng.random() < 0.5:
            lines.append(f'    items: ["{rng.randint(1, items)}", "{rng.randint(1, items)}"]')
        else:
            lines.append(f"    part: {rng.randint(1, 2)}")
            lines.append("    note: lämnade efter lunch")
        return lines
    return [f"  - {p.name}, {spelled}"]


def text_paragraph(rng: random.Random, k: int) -> str:
    return " ".join(rng.sample(SENTENCES, k))


def render_meeting(rng: random.Random, index: int, n: int, day: dt.date, dates: list[dt.date],
                   people: list[Person], state: State, end: dt.date) -> str:
    iso = day.isoformat()
    draft = index == n - 1
    n_items = rng.randint(8, 11)
    chairs = [people[0].name, people[32].name]
    secretary = people[33].name
    chosen = rng.randrange(32)  # the justerare: a member who came (the same draw as rng.choice(people[:32]))
    present = sorted(rng.sample(range(40), 22), key=lambda k: people[k].name)
    attendees, absent = present[:20], present[20:]
    members_there = [k for k in attendees if k < 32] or attendees
    justerare = people[members_there[chosen % len(members_there)]].name
    guests = [p for p in rng.sample(range(40), 3) if p not in present][:2]
    fm = ["---", f"date: {iso}", 'start: "11:00"', 'end: "15:00"', f"location: {rng.choice(LOCATIONS)}"]
    if draft:
        fm.append("status: draft")
    else:
        # (an archive of consecutive days runs past `end`, into what may be the future: an approval
        # dated after today is an error, LGS015, so those are approved on a day not recorded)
        approved_on = day + dt.timedelta(days=7)
        fm += ["status: approved", f"approved_by: {justerare}",
               f"approved_on: {approved_on.isoformat() if approved_on <= end else 'not-recorded'}"]
    fm += [f"chairs: [{', '.join(chairs)}]", f"secretary: [{secretary}]"]
    if not draft:
        fm.append(f"justerare: [{justerare}]")
    fm.append("attendees:")
    for k in attendees:
        fm += attendee_line(rng, people[k], day, n_items)
    if guests:
        fm.append("guests:")
        fm += [f"  - {people[k].name}, {people[k].org_on(day)}" for k in guests]
    fm.append("absent:")
    fm += [f"  - {people[k].name}, {people[k].org_on(day)}" for k in absent]
    if rng.random() < 0.3:
        stand_in = next(k for k in rng.sample(range(40), 40) if k not in present and k not in guests)
        fm += ["deputies:", f"  - name: {people[stand_in].name}", f"    org: {people[stand_in].org_on(day)}",
               f"    for: {people[absent[0]].name}"]
    fm += ["source: Syntetiskt testprotokoll (bench/generate.py)", "---", ""]

    body = [f"# Ledningsgrupp för samordning {iso}", "", "## 1. Mötets öppnande", "",
            f"Föredragande: {chairs[0]}, {chairs[1]}", "",
            "Dagordningen godkänns. Föregående mötesanteckningar läggs till handlingarna.", ""]
    body += follow_ups(rng, index, day, dates, people, state)

    # entries to place in items 2..n: ~3 decisions (some settle deferred matters), ~6 actions
    settles = [d for d, i in state.deferred if i < index and d not in state.pending]
    state.deferred = [(d, i) for d, i in state.deferred if d not in settles]
    n_dec = max(rng.randint(2, 4), len(settles))
    n_act = rng.randint(5, 7)
    kinds = ["B"] * n_dec + ["A"] * n_act + (["U"] if rng.random() < 0.4 else [])
    rng.shuffle(kinds)
    per_item: list[list[str]] = [[] for _ in range(n_items - 1)]
    for j, kind in enumerate(kinds):
        per_item[(j * 7 + rng.randint(0, 2)) % len(per_item)].append(kind)
    counters = {"B": 0, "A": 0, "U": 0}  # numbered in order of appearance
    for pos, chunk in enumerate(per_item, start=2):
        title = rng.choice(TOPICS)
        confidential = rng.random() < 0.03
        body += [f"## {pos}. {title}{' {konfidentiellt}' if confidential else ''}", ""]
        presenters = rng.sample(attendees, rng.randint(1, 2))
        pres = [people[k].name + (" (RGK)" if people[k].org_on(day) == REGION and rng.random() < 0.3 else "")
                for k in presenters]
        body.append(f"Föredragande: {', '.join(pres)}")
        if rng.random() < 0.6:
            body.append(f"Underlag: {rng.choice(MATERIAL)}")
        body += ["", text_paragraph(rng, rng.randint(2, 4)), ""]
        if rng.random() < 0.35:
            body += [f"- {b}" for b in rng.sample(BULLETS, 3)] + [""]
        body += [f"Dialog: {text_paragraph(rng, rng.randint(1, 3))}", ""]
        if rng.random() < 0.05:
            body += ["<!-- konfidentiellt -->", "Personalfrågor diskuterades.", "<!-- /konfidentiellt -->", ""]
        for kind in chunk:
            counters[kind] += 1
            body += entry(rng, kind, counters[kind], iso, index, day, dates, people, state, settles)
            if confidential and kind in ("A", "U"):
                state.secret.add(f"{iso}-{kind}{counters[kind]}")
        if rng.random() < 0.3:
            body += [text_paragraph(rng, 1), ""]
    return "\n".join(fm + body).rstrip("\n") + "\n"


def due_after(rng: random.Random, index: int, day: dt.date, dates: list[dt.date]) -> str:
    later = dates[index + 1] if index + 1 < len(dates) else day + dt.timedelta(days=28)
    if rng.random() < 0.2:
        month = later + dt.timedelta(days=31)
        return f"{month.year:04d}-{month.month:02d} (mötet i {month.strftime('%m/%Y')})"
    return f"{later.isoformat()} (nästa möte)"


def owner(rng: random.Random, day: dt.date, people: list[Person]) -> str:
    roll = rng.random()
    if roll < 0.35:
        return rng.choice(["Ledningsgruppen", "Kommunerna", "AU", "Socialchefsnätverket", "Skolchefsnätverket"])
    if roll < 0.55:
        return rng.choice(ORGS)
    if roll < 0.62:
        a, b = rng.sample(people, 2)
        return f"{a.name}, {b.name}"
    return rng.choice(people).name


def entry(rng: random.Random, kind: str, k: int, iso: str, index: int, day: dt.date, dates: list[dt.date],
          people: list[Person], state: State, settles: list[str]) -> list[str]:
    if kind == "B":
        lines = [f"- **Beslut B{k}:** {rng.choice(DECISIONS)}", f"  - Ansvarig: {rng.choice(['Ledningsgruppen', 'Ledningsgruppen', 'AU'])}"]
        if k <= len(settles):
            lines.append(f"  - Avser: {settles[k - 1]}")
            if settles[k - 1] in state.secret:  # settling a confidential matter: as confidential (LGS210)
                lines = ["<!-- konfidentiellt -->", *lines, "<!-- /konfidentiellt -->"]
        return [*lines, ""]
    if kind == "A":
        action_id = f"{iso}-A{k}"
        state.open_actions.append([action_id, index, 0])
        if len(state.lingering) < MAX_LINGERING and rng.random() < 0.01:
            state.lingering.add(action_id)
        lines = [f"- [ ] **Åtgärd A{k}:** {rng.choice(ACTIONS)}", f"  - Ansvarig: {owner(rng, day, people)}"]
        if rng.random() < 0.7:
            lines.append(f"  - Senast: {due_after(rng, index, day, dates)}")
        return [*lines, ""]
    deferral_id = f"{iso}-U{k}"
    state.deferred.append((deferral_id, index))
    if len(state.pending) < MAX_PENDING and rng.random() < 0.05:
        state.pending.add(deferral_id)
    # a matter no decision settles is deferred beyond the archive's end (one deferred to a meeting that
    # then neither settles nor carries it is reported, LGS209)
    till = (f"{dates[-1].year + 1}-06 (när utredningen är klar)" if deferral_id in state.pending
            else due_after(rng, index, day, dates))
    lines = [f"- **Uppskjutet U{k}:** {rng.choice(DEFERRALS)}", f"  - Till: {till}"]
    if rng.random() < 0.5:
        lines.append("  - Ansvarig: AU")
    return [*lines, ""]


def follow_ups(rng: random.Random, index: int, day: dt.date, dates: list[dt.date], people: list[Person],
               state: State) -> list[str]:
    """Follow up the actions of earlier meetings: most close within three meetings."""
    lines: list[str] = []
    still: list[list[object]] = []
    for rec in state.open_actions:
        action_id, raised, carried = str(rec[0]), int(str(rec[1])), int(str(rec[2]))
        age = index - raised
        if action_id in state.lingering or age < 1 or (age < 3 and rng.random() < 0.5):
            still.append(rec)
            continue
        roll = rng.random()
        start = len(lines)
        if carried < 2 and roll < 0.2:
            lines += [f"- [ ] **Uppföljning {action_id}:** {rng.choice(FOLLOWUP_CARRIED)}", "  - Status: kvarstår"]
            if rng.random() < 0.6:
                lines.append(f"  - Senast: {due_after(rng, index, day, dates)}")
            if rng.random() < 0.2:
                lines.append(f"  - Ansvarig: {rng.choice(people).name}")
            rec[2] = carried + 1
            still.append(rec)
        elif roll < 0.3:
            lines += [f"- [x] **Uppföljning {action_id}:** {rng.choice(FOLLOWUP_DROPPED)}", "  - Status: struken"]
        else:
            lines += [f"- [x] **Uppföljning {action_id}:** {rng.choice(FOLLOWUP_DONE)}", "  - Status: klar"]
        if action_id in state.secret:  # its note is as confidential as the action (LGS210)
            lines[start:] = ["<!-- konfidentiellt -->", *lines[start:], "<!-- /konfidentiellt -->"]
        lines.append("")
    state.open_actions = still
    return lines


def generate(n: int, root: Path, seed: int = 1, end: dt.date = dt.date(2025, 12, 19)) -> list[Path]:
    """Write the archive; return the meeting files in date order."""
    rng = random.Random(seed)
    dates = meeting_dates(n, end)
    people = make_people(dates[0], dates[-1])
    root.mkdir(parents=True, exist_ok=True)
    (root / "lgs.yaml").write_text(roster_yaml(people, dates[0]), encoding="utf-8")
    state = State()
    written: list[Path] = []
    made: set[str] = set()
    for index, day in enumerate(dates):
        folder = root / f"{day.year:04d}"
        if folder.name not in made:
            folder.mkdir(exist_ok=True)
            made.add(folder.name)
        path = folder / f"{day.isoformat()}.md"
        path.write_text(render_meeting(rng, index, n, day, dates, people, state, end), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int, help="number of meetings")
    parser.add_argument("dir", type=Path, help="the archive folder to write (must be empty or absent)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--end", type=dt.date.fromisoformat, default=dt.date(2025, 12, 19),
                        help="date of the last meeting (default 2025-12-19)")
    parser.add_argument("--force", action="store_true", help="replace DIR if it exists")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N must be at least 1")
    if args.dir.exists() and any(args.dir.iterdir()):
        if not args.force:
            parser.error(f"{args.dir} is not empty (give --force to replace it)")
        shutil.rmtree(args.dir)
    files = generate(args.n, args.dir, args.seed, args.end)
    size = sum(os.path.getsize(f) for f in files)
    print(f"wrote {len(files):,} meetings ({files[0].stem} … {files[-1].stem}), {size / 1e6:.1f} MB, to {args.dir}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
