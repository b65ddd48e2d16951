"""The bundled archive: the group's five real meetings, loaded with concrete facts."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import MINUTES, run_cli
from lgs_cli.archive import Archive, load_archive
from lgs_cli.model import NOT_RECORDED, Meeting


@pytest.fixture(scope="module")
def real() -> Archive:
    return load_archive(MINUTES)


def meeting(archive: Archive, day: str) -> Meeting:
    return archive.meeting_on(dt.date.fromisoformat(day))


def test_the_archive_loads_without_any_diagnostic(real: Archive) -> None:
    assert real.diagnostics == []
    assert [m.date.isoformat() for m in real.meetings if m.date] == [
        "2023-10-06", "2024-04-05", "2024-05-03", "2025-04-04", "2025-12-05",
    ]
    assert all(m.status == "approved" for m in real.meetings)


@pytest.mark.parametrize(
    ("day", "items", "decisions", "actions", "deferred", "attendees"),
    [
        ("2023-10-06", 10, 3, 3, 0, 18),
        ("2024-04-05", 6, 0, 1, 1, None),
        ("2024-05-03", 10, 2, 11, 3, None),
        ("2025-04-04", 9, 4, 7, 2, 21),
        ("2025-12-05", 11, 4, 5, 0, None),
    ],
)
def test_counts_per_meeting(real: Archive, day: str, items: int, decisions: int, actions: int,
                            deferred: int, attendees: int | None) -> None:
    m = meeting(real, day)
    assert len(m.items) == items
    assert len(m.decisions) == decisions
    assert len(m.actions) == actions
    assert len(m.deferrals) == deferred
    assert (len(m.attendees) if m.attendees is not None else None) == attendees


def test_october_2023(real: Archive) -> None:
    m = meeting(real, "2023-10-06")
    assert (m.start, m.end) == ("11:00", "15:00")
    assert m.secretary == ["Marcus Johansson"] and m.justerare == ["Jenny Smedberg"]
    assert m.approved_by == "Jenny Smedberg" and m.approved_on == NOT_RECORDED
    assert m.attendees is not None
    orgs = {a.org for a in m.attendees}
    assert "Ljungby" not in orgs  # nobody from Ljungby came
    assert "Region Kronoberg" in orgs  # "region Kronoberg" resolved through the roster
    therese = next(a for a in m.attendees if a.name == "Therese Linnér")
    assert therese.org == "Lessebo"
    assert [g.name for g in m.guests] == ["Roland Olofsson-Dolk", "Lisa Öberg", "Daniel Bäck",
                                          "Maria Everthsson", "Johanna"]
    a1 = next(e for e in m.actions if e.local == "A1")
    assert a1.owners == ["Socialchefsnätverket"]
    assert a1.due is not None and a1.due.iso() == "2023-11" and a1.due.label == "novembermötet"
    assert m.items[1].presenters == ["Roland Olofsson-Dolk"]


def test_april_2024_keeps_the_duplicate_item_number(real: Archive) -> None:
    m = meeting(real, "2024-04-05")
    assert [i.number for i in m.items] == ["1", "2", "3", "4", "4", "5"]
    assert m.attendees is None and m.attendees_declared
    assert m.secretary == ["Klara Lybeck", "Mesut Aslan"]
    assert m.justerare == NOT_RECORDED
    (u1,) = m.deferrals
    assert u1.due is not None and u1.due.iso() == "2024-05"


def test_may_2024_has_an_inferred_date_and_settles_the_april_deferral(real: Archive) -> None:
    m = meeting(real, "2024-05-03")
    assert m.date_inferred and "Första fredagen" in m.date_inferred
    settling = [d for d in m.decisions if d.refers]
    assert [d.refers for d in settling] == [["2024-04-05-U1"]]
    assert settling[0].owners == ["Kommunerna", "Region Kronoberg"]
    assert {u.due.iso() for u in m.deferrals if u.due} == {"2024-06"}


def test_april_2025(real: Archive) -> None:
    m = meeting(real, "2025-04-04")
    assert m.attendees is not None
    municipalities = {a.org for a in m.attendees} - {"Region Kronoberg"}
    assert municipalities == {"Alvesta", "Lessebo", "Ljungby", "Markaryd", "Tingsryd",
                              "Uppvidinge", "Växjö", "Älmhult"}
    therese = next(a for a in m.attendees if a.name == "Therese Linnér")
    assert therese.org == "Ljungby"
    assert [g.name for g in m.guests] == ["Katarina Carlzon"]
    a2 = next(e for e in m.actions if e.local == "A2")
    assert a2.due is not None and a2.due.date == dt.date(2025, 5, 9)
    a5 = next(e for e in m.actions if e.local == "A5")
    assert a5.owners == ["Sandor Eriksson"]
    assert {u.due.iso() for u in m.deferrals if u.due} == {"2025-05-09"}


def test_december_2025(real: Archive) -> None:
    m = meeting(real, "2025-12-05")
    assert m.chairs == ["Ulrika Boström", "Magnus Frithiof"]
    assert m.items[0].number is None and m.items[0].title == "Mötets öppnande"
    assert m.items[-1].title == "Övrigt"
    a5 = next(e for e in m.actions if e.local == "A5")
    assert a5.owners == ["AU"] and a5.due is not None and a5.due.iso() == "2026-01"


def test_roster_cases_from_the_seeds(real: Archive) -> None:
    roster = real.roster
    assert roster.person("Annelie Kjellström") is roster.person("Annelie Källström")
    from lgs_cli.errors import AmbiguousNameError

    with pytest.raises(AmbiguousNameError):
        roster.person("Ulrika")
    assert roster.person("Magnus") is not None
    assert roster.person_org("Therese Linnér", dt.date(2023, 10, 6)) == "Lessebo"
    assert roster.person_org("Therese Linnér", dt.date(2025, 4, 4)) == "Ljungby"


def test_every_entry_has_an_owner_except_deferrals(real: Archive) -> None:
    for m in real.meetings:
        for e in m.decisions + m.actions:
            assert e.owners, e.id


def test_meetings_command_lists_the_five_meetings() -> None:
    result = run_cli("meetings", "--archive", str(MINUTES), "--format", "json")
    assert result.exit_code == 0
    import json

    rows = json.loads(result.stdout)
    assert [r["date"] for r in rows] == ["2023-10-06", "2024-04-05", "2024-05-03", "2025-04-04", "2025-12-05"]
    assert [r["attendees"] for r in rows] == [18, None, None, 21, None]


@pytest.mark.parametrize("day", ["2023-10-06", "2024-04-05", "2024-05-03", "2025-04-04", "2025-12-05"])
def test_show_renders_each_real_meeting(day: str) -> None:
    result = run_cli("show", day, "--archive", str(MINUTES))
    assert result.exit_code == 0, result.stderr
    assert day in result.stdout
    assert result.exception is None
    assert all(len(line) <= 80 for line in result.stdout.splitlines())


def test_show_lists_every_organisation_and_who_had_nobody_there() -> None:
    out = run_cli("show", "2023-10-06", "--archive", str(MINUTES)).stdout
    assert "  Ljungby: (ingen)" in out
    assert "  Region Kronoberg: Cristina Haraldsson" in out
    lines = [ln.split(":")[0].strip() for ln in out.splitlines() if ln.startswith("  ") and ":" in ln][:9]
    assert lines == ["Alvesta", "Lessebo", "Ljungby", "Markaryd", "Tingsryd", "Uppvidinge", "Växjö",
                     "Älmhult", "Region Kronoberg"]
