"""`lgs actions`, `lgs decisions` and `lgs attendance`.

Exact outputs come from the small fixture archive tests/fixtures/reports
(three meetings in 2024, `--today 2024-04-01`), so the golden files do not
depend on the real archive, which is still being transcribed. A few tests
check facts of the real archive that will not change.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import FIXTURES, MINUTES, ROOT, check_golden, run_cli, with_drafts
from lgs_cli.archive import load_archive
from lgs_cli.choices import ActionGroup, ActionSort, ActionState
from lgs_cli.cmd_reports import action_json, actions_report, decision_json, pending_json
from lgs_cli.errors import AmbiguousNameError, UsageError
from lgs_cli.names import natural_key
from lgs_cli.output import render_csv
from lgs_cli.reports import (
    ActionQuery,
    DecisionQuery,
    OrgCell,
    Presence,
    attendance,
    attendance_by_person,
    group_actions,
    list_actions,
    list_decisions,
    list_pending,
    resolve_org,
    resolve_owner,
    search_matches,
    sort_actions,
)

FIXTURE = FIXTURES / "reports"
TODAY = "2024-04-01"
DAY = dt.date(2024, 4, 1)


def lgs(*args: str, env: dict[str, str] | None = None) -> Any:
    return run_cli(*args, "--archive", str(FIXTURE), env=env)


def ids(result: Any) -> list[str]:
    """IDs from a JSON listing (flat, or grouped)."""
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    return [a["id"] for a in data]


def actions(*args: str) -> list[str]:
    return ids(lgs("actions", "--today", TODAY, "-f", "json", *args))


def decisions(*args: str) -> list[str]:
    return ids(lgs("decisions", "--today", TODAY, "-f", "json", *args))


@pytest.fixture(scope="module")
def fixture_archive() -> Any:
    return load_archive(FIXTURE)


@pytest.fixture(scope="module")
def real_archive() -> Any:
    return load_archive(MINUTES)


def test_fixture_archive_loads_cleanly(fixture_archive: Any) -> None:
    assert [d for d in fixture_archive.diagnostics if d.severity.value == "error"] == []
    assert [m.date.isoformat() for m in fixture_archive.meetings] == ["2024-01-12", "2024-02-09", "2024-03-08"]


# -- lgs actions: status, columns, formats ---------------------------------------------

def test_open_is_the_default_and_sorted_by_due_undated_last() -> None:
    assert actions() == ["2024-01-12-A4", "2024-03-08-A1", "2024-01-12-A1", "2024-02-09-A1", "2024-03-08-A2"]
    assert actions("--open") == actions()


def test_closed_and_all_show_when_and_how_closed() -> None:
    data = json.loads(lgs("actions", "--today", TODAY, "--closed", "-f", "json").stdout)
    closed = {a["id"]: (a["status"], a["closed_at"], a["closing_note"]) for a in data}
    assert closed == {
        "2024-01-12-A2": ("done", "2024-02-09", "Handlingsplanen är utskickad."),
        "2024-01-12-A3": ("dropped", "2024-03-08", "Ingen konferens i höst."),
    }
    assert len(actions("--all")) == 7
    table = lgs("actions", "--today", TODAY, "--all").stdout
    assert "Due / status" in table
    assert "dropped" in table and "done" in table


def test_action_json_is_the_documented_api() -> None:
    data = json.loads(lgs("actions", "--today", TODAY, "-f", "json").stdout)
    a1 = next(a for a in data if a["id"] == "2024-01-12-A1")
    assert a1 == {
        "id": "2024-01-12-A1",
        "status": "open",
        "text": "Kommunerna inventerar nuläget och återkommer till februarimötet.",
        "owners": ["Kommunerna", "Ulrika Boström"],  # re-assigned by the 2024-03-08 follow-up
        "due": "2024-04",  # re-dated twice; the latest follow-up wins
        "due_label": "aprilmötet",
        "due_last_day": "2024-04-30",
        "due_written": None,
        "overdue": False,
        "age_days": 80,
        "meeting": "2024-01-12",
        "item": "2",
        "item_title": "Våld i nära relationer",
        "carried": 2,
        "closed_at": None,
        "closing_note": None,
        "confidential": False,
    }


def test_today_decides_overdue_age_and_what_was_closed_then() -> None:
    assert actions("--overdue") == ["2024-01-12-A4", "2024-03-08-A1"]
    # As on 2024-02-01 the February and March meetings had not happened yet.
    early = json.loads(lgs("actions", "--today", "2024-02-01", "-f", "json").stdout)
    assert [a["id"] for a in early] == ["2024-01-12-A2", "2024-01-12-A1", "2024-01-12-A4", "2024-01-12-A3"]
    assert {a["id"]: a["age_days"] for a in early}["2024-01-12-A1"] == 20
    assert not any(a["overdue"] for a in early)
    assert actions("--today", "2024-05-01", "--overdue") == [
        "2024-01-12-A4", "2024-03-08-A1", "2024-01-12-A1"]


def test_overdue_rows_are_marked_in_text_not_only_colour() -> None:
    out = lgs("actions", "--today", TODAY).stdout
    lines = out.splitlines()
    a4 = next(i for i, ln in enumerate(lines) if ln.startswith("2024-01-12-A4"))
    assert "! overdue" in lines[a4 + 1]
    a1 = next(i for i, ln in enumerate(lines) if ln.startswith("2024-01-12-A1"))
    assert "overdue" not in "".join(lines[a1:a1 + 3])
    assert "\x1b[" not in out  # NO_COLOR and a pipe: plain text


@pytest.mark.parametrize(("option", "value", "expected"), [
    ("--owner", "Ulrika Boström", ["2024-01-12-A1"]),
    ("--owner", "Magnus", ["2024-01-12-A4"]),
    ("--owner", "magnus frithiof", ["2024-01-12-A4"]),
    ("--owner", "Kommunerna", ["2024-01-12-A1"]),
    ("--owner", "Therese", ["2024-03-08-A2"]),
    # an organisation as owner also matches its people and the groups containing it
    ("--owner", "RGK", ["2024-01-12-A4"]),
    ("--org", "Alvesta", ["2024-03-08-A1", "2024-01-12-A1", "2024-02-09-A1"]),
    ("--org", "region Kronoberg", ["2024-01-12-A4"]),
    ("--org", "Ljungby", ["2024-03-08-A1", "2024-01-12-A1", "2024-02-09-A1", "2024-03-08-A2"]),
    ("--org", "Lessebo", ["2024-03-08-A1", "2024-01-12-A1", "2024-02-09-A1"]),
    ("--org", "vaxjo", ["2024-03-08-A1", "2024-01-12-A1", "2024-02-09-A1"]),
    ("--due-before", "2024-03-20", ["2024-01-12-A4", "2024-03-08-A1"]),
    ("--due-before", "2024-03-19", ["2024-01-12-A4"]),
    ("--due-before", "30 april 2024", ["2024-01-12-A4", "2024-03-08-A1", "2024-01-12-A1"]),
    # a month due is the meeting that month: due before the April meeting's date
    ("--due-before", "2024-04-05", ["2024-01-12-A4", "2024-03-08-A1", "2024-01-12-A1"]),
    ("--due-before", "2024-03-31", ["2024-01-12-A4", "2024-03-08-A1"]),
    ("--since", "2024-02-01", ["2024-03-08-A1", "2024-02-09-A1", "2024-03-08-A2"]),
    ("--since", "8 mars 2024", ["2024-03-08-A1", "2024-03-08-A2"]),
    ("--meeting", "2024-02-09", ["2024-02-09-A1"]),
    ("--search", "orosanmälningar", ["2024-03-08-A1"]),
    ("--search", "OROSANMALNINGAR", ["2024-03-08-A1"]),
    ("--search", "nara relationer", ["2024-01-12-A1"]),  # item title, accents ignored
    ("--search", "bostrom", ["2024-01-12-A1"]),  # owners
    ("--search", "skolorna therese", ["2024-03-08-A2"]),  # every word, any order
])
def test_each_action_filter(option: str, value: str, expected: list[str]) -> None:
    assert actions(option, value) == expected


def test_filters_combine() -> None:
    assert actions("--org", "Alvesta", "--overdue") == ["2024-03-08-A1"]
    assert actions("--all", "--org", "Region Kronoberg") == ["2024-01-12-A4", "2024-01-12-A3"]
    assert actions("--closed", "--owner", "Ulrika Boström") == ["2024-01-12-A2"]


@pytest.mark.parametrize(("sort", "expected"), [
    ("due", ["2024-01-12-A4", "2024-03-08-A1", "2024-01-12-A1", "2024-02-09-A1", "2024-03-08-A2"]),
    ("id", ["2024-01-12-A1", "2024-01-12-A4", "2024-02-09-A1", "2024-03-08-A1", "2024-03-08-A2"]),
    ("owner", ["2024-01-12-A1", "2024-01-12-A4", "2024-02-09-A1", "2024-03-08-A1", "2024-03-08-A2"]),
    ("age", ["2024-01-12-A1", "2024-01-12-A4", "2024-02-09-A1", "2024-03-08-A1", "2024-03-08-A2"]),
    ("meeting", ["2024-01-12-A1", "2024-01-12-A4", "2024-02-09-A1", "2024-03-08-A1", "2024-03-08-A2"]),
])
def test_sort(sort: str, expected: list[str]) -> None:
    assert actions("--sort", sort) == expected


def test_sort_keys_on_the_core(fixture_archive: Any) -> None:
    rows = list_actions(fixture_archive, DAY, ActionQuery(state=ActionState.ALL))
    by_owner = [r.owners[0] for r in sort_actions(rows, ActionSort.OWNER)]
    assert by_owner == sorted(by_owner, key=str.casefold)
    ages = [r.age for r in sort_actions(rows, ActionSort.AGE)]
    assert ages == sorted(ages, reverse=True)
    assert natural_key("A10") > natural_key("A2")


def test_group_by_owner_org_and_meeting() -> None:
    data = json.loads(lgs("actions", "--today", TODAY, "--group-by", "owner", "-f", "json").stdout)
    groups = {g["group"]: [a["id"] for a in g["actions"]] for g in data}
    assert groups["Kommunerna"] == ["2024-01-12-A1"]
    assert groups["Ulrika Boström"] == ["2024-01-12-A1"]  # listed under each owner
    assert groups["Magnus Frithiof"] == ["2024-01-12-A4"]
    by_org = json.loads(lgs("actions", "--today", TODAY, "--group-by", "org", "-f", "json").stdout)
    names = [g["group"] for g in by_org]
    assert names == ["Alvesta", "Lessebo", "Ljungby", "Markaryd", "Tingsryd", "Uppvidinge", "Växjö",
                     "Älmhult", "Region Kronoberg"]  # roster order
    ljungby = next(g for g in by_org if g["group"] == "Ljungby")
    assert "2024-03-08-A2" in [a["id"] for a in ljungby["actions"]]  # Therese was in Ljungby then
    by_meeting = json.loads(lgs("actions", "--today", TODAY, "--group-by", "meeting", "-f", "json").stdout)
    assert [g["group"] for g in by_meeting] == ["2024-01-12", "2024-02-09", "2024-03-08"]
    table = lgs("actions", "--today", TODAY, "--group-by", "meeting").stdout
    assert [ln.strip() for ln in table.splitlines() if ln.strip().startswith("2024-") and len(ln.strip()) == 10] \
        == ["2024-01-12", "2024-02-09", "2024-03-08"]
    csv_out = lgs("actions", "--today", TODAY, "--group-by", "meeting", "-f", "csv").stdout
    rows = list(csv.reader(io.StringIO(csv_out.lstrip("\ufeff"))))
    assert rows[0][0] == "Group" and rows[1][0] == "2024-01-12"


def test_group_by_keeps_to_the_filter() -> None:
    """--org X --group-by org lists X's actions under X only, not again under every
    other organisation of their owners; --owner/--org with --group-by owner likewise."""
    by_org = json.loads(lgs("actions", "--today", TODAY, "--org", "Ljungby", "--group-by", "org", "-f", "json").stdout)
    assert [g["group"] for g in by_org] == ["Ljungby"]
    plain = json.loads(lgs("actions", "--today", TODAY, "--org", "Ljungby", "-f", "json").stdout)
    assert sorted(a["id"] for a in by_org[0]["actions"]) == sorted(a["id"] for a in plain)
    by_owner = json.loads(lgs("actions", "--today", TODAY, "--owner", "Ulrika Boström", "--group-by", "owner",
                              "-f", "json").stdout)
    assert [g["group"] for g in by_owner] == ["Ulrika Boström"]  # not also "Kommunerna" (her co-owner)
    by_owner_org = json.loads(lgs("actions", "--today", TODAY, "--owner", "Ljungby", "--group-by", "org",
                                  "-f", "json").stdout)
    assert [g["group"] for g in by_owner_org] == ["Ljungby"]  # an organisation as --owner: its group only
    everyone = json.loads(lgs("actions", "--today", TODAY, "--group-by", "owner", "-f", "json").stdout)
    assert "Kommunerna" in [g["group"] for g in everyone]


def test_group_actions_without_an_org_goes_last(fixture_archive: Any) -> None:
    rows = list_actions(fixture_archive, DAY)
    stranger = rows[0].__class__(**{**{f: getattr(rows[0], f) for f in rows[0].__slots__},
                                    "owners": ("Någon okänd",), "id": "2024-01-12-A9"})
    groups = group_actions([*rows, stranger], ActionGroup.ORG, fixture_archive.roster)
    assert groups[-1] == ("(no organisation)", [stranger])


# -- formats: golden files at 80 columns, no colour -----------------------------------

def test_actions_golden_table() -> None:
    result = lgs("actions", "--today", TODAY)
    assert result.exit_code == 0
    check_golden("reports_actions_table.txt", result.stdout)
    assert result.stderr == ("From draft minutes, not yet approved: 2024-03-08.\n"
                             "5 open action(s), 2 overdue (as on 2024-04-01). "
                             "Age: days open; C/f: times carried forward.\n")


def test_listings_name_the_draft_minutes_behind_them() -> None:
    """What a draft (minutes not yet approved) records may still change: the
    listings that show its entries say so on stderr, before the summary."""
    decisions = lgs("decisions")
    assert decisions.exit_code == 0 and "draft" not in decisions.stderr  # the draft has no decision
    closed = lgs("actions", "--closed", "--today", TODAY)
    assert "From draft minutes" in closed.stderr  # closed by the draft's follow-ups
    earlier = lgs("actions", "--all", "--today", "2024-03-01")
    assert earlier.exit_code == 0 and "draft" not in earlier.stderr


def test_actions_golden_all_table() -> None:
    check_golden("reports_actions_all_table.txt", lgs("actions", "--today", TODAY, "--all").stdout)


def test_actions_golden_grouped_table() -> None:
    check_golden("reports_actions_group_org_table.txt",
                 lgs("actions", "--today", TODAY, "--group-by", "org", "--overdue").stdout)


def test_actions_golden_markdown() -> None:
    check_golden("reports_actions_markdown.txt", lgs("actions", "--today", TODAY, "--all", "-f", "markdown").stdout)


def test_actions_golden_csv_with_bom_and_crlf() -> None:
    out = lgs("actions", "--today", TODAY, "-f", "csv").stdout  # (the test runner turns CRLF into LF)
    assert out.startswith("\ufeffID,Owner,What,Due,Due note,Overdue,Age,Raised,Carried\n")
    check_golden("reports_actions_csv.txt", out)
    rows = list_actions(load_archive(FIXTURE), DAY)
    assert render_csv(actions_report(rows, None, DAY, ActionState.OPEN)).replace("\r\n", "\n") == out
    assert render_csv(actions_report(rows, None, DAY, ActionState.OPEN)).count("\r\n") == len(rows) + 1
    read = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    assert read[2]["Owner"] == "Kommunerna, Ulrika Boström"
    no_bom = lgs("actions", "--today", TODAY, "-f", "csv", "--no-bom").stdout
    assert no_bom.startswith("ID,") and no_bom == out.lstrip("\ufeff")


@pytest.mark.parametrize(("sep", "char"), [(";", ";"), ("tab", "\t"), ("TAB", "\t"), ("|", "|"), (",", ",")])
@pytest.mark.parametrize("command", ["actions", "decisions", "attendance", "meetings"])
def test_csv_separator_for_a_spreadsheet_in_swedish(command: str, sep: str, char: str) -> None:
    """--sep ';': what Excel in Swedish (decimal comma) splits into columns; the same
    cells as with commas, quoted where they hold the separator."""
    when = ("--today", TODAY) if command in ("actions", "decisions") else ()
    plain = lgs(command, *when, "-f", "csv").stdout.lstrip("\ufeff")
    other = lgs(command, *when, "-f", "csv", "--sep", sep)
    assert other.exit_code == 0, other.stderr
    text = other.stdout.lstrip("\ufeff")
    assert list(csv.reader(io.StringIO(text), delimiter=char)) == list(csv.reader(io.StringIO(plain)))
    assert text.split("\n", 1)[0].count(char) == plain.split("\n", 1)[0].count(",")


def test_csv_separator_is_checked() -> None:
    bad = lgs("actions", "-f", "csv", "--sep", "x")
    assert bad.exit_code == 2 and "'x' is not one of" in bad.stderr


def test_actions_golden_json() -> None:
    check_golden("reports_actions_json.txt", lgs("actions", "--today", TODAY, "--all", "-f", "json").stdout)


def test_decisions_golden_table_and_json() -> None:
    check_golden("reports_decisions_table.txt", lgs("decisions").stdout)
    check_golden("reports_decisions_json.txt", lgs("decisions", "-f", "json").stdout)


def test_pending_golden_table() -> None:
    check_golden("reports_pending_table.txt", lgs("decisions", "--pending", "--today", "2024-05-02").stdout)


def test_attendance_golden_table_and_json() -> None:
    result = lgs("attendance")
    check_golden("reports_attendance_table.txt", result.stdout)
    assert "S socialtjänst, K skola, H hälso- och sjukvård" in result.stderr
    assert "not recorded, left out: 2024-02-09" in result.stderr
    check_golden("reports_attendance_json.txt", lgs("attendance", "-f", "json").stdout)
    check_golden("reports_attendance_csv.txt", lgs("attendance", "-f", "csv").stdout)
    check_golden("reports_attendance_person_table.txt", lgs("attendance", "--by", "person").stdout)


# -- lgs decisions -----------------------------------------------------------------

def test_decisions_list_every_decision_with_owner() -> None:
    data = json.loads(lgs("decisions", "-f", "json").stdout)
    assert [(d["id"], d["date"], d["item"], d["owners"]) for d in data] == [
        ("2024-01-12-B1", "2024-01-12", "1", ["Ledningsgruppen"]),
        ("2024-01-12-B2", "2024-01-12", "2", ["Ledningsgruppen"]),
        ("2024-02-09-B1", "2024-02-09", "2", ["AU"]),
    ]
    assert data[2]["settles"] == ["2024-01-12-U1"]
    assert set(data[0]) == {"id", "date", "item", "item_title", "text", "owners", "settles", "confidential"}


@pytest.mark.parametrize(("args", "expected"), [
    (("--since", "2024-02-01"), ["2024-02-09-B1"]),
    (("--until", "2024-01-31"), ["2024-01-12-B1", "2024-01-12-B2"]),
    (("--since", "12 januari 2024", "--until", "12 januari 2024"), ["2024-01-12-B1", "2024-01-12-B2"]),
    (("--owner", "AU"), ["2024-02-09-B1"]),
    (("--owner", "Arbetsutskottet"), ["2024-02-09-B1"]),
    (("--org", "Alvesta"), ["2024-01-12-B1", "2024-01-12-B2", "2024-02-09-B1"]),  # AU: Ulrika is in Alvesta
    (("--org", "Växjö"), ["2024-01-12-B1", "2024-01-12-B2"]),
    (("--search", "vald"), ["2024-01-12-B2"]),  # "vald" finds "våld"
    (("--search", "VÅLD"), ["2024-01-12-B2"]),
    (("--search", "15 oktober"), ["2024-02-09-B1"]),
    (("--meeting", "2024-02-09"), ["2024-02-09-B1"]),
])
def test_each_decision_filter(args: tuple[str, ...], expected: list[str]) -> None:
    assert decisions(*args) == expected


def test_pending_lists_deferred_matters_not_settled() -> None:
    # 2024-01-12-U1 is settled by 2024-02-09-B1 (Avser); 2024-02-09-U1 is not.
    data = json.loads(lgs("decisions", "--pending", "--today", TODAY, "-f", "json").stdout)
    assert data == [{
        "id": "2024-02-09-U1", "deferred_at": "2024-02-09", "item": "2", "item_title": "Konferens",
        "text": "Beslut om budget för konferensen tas i april.", "owners": [], "to": "2024-04",
        "to_label": "aprilmötet", "to_last_day": "2024-04-30", "to_written": None, "passed": False, "carried": 0,
        "confidential": False,
    }]
    later = json.loads(lgs("decisions", "--pending", "--today", "2024-05-02", "-f", "json").stdout)
    assert [(p["id"], p["passed"]) for p in later] == [("2024-02-09-U1", True)]
    assert "! passed" in lgs("decisions", "--pending", "--today", "2024-05-02").stdout
    # before the February meeting settled it, U1 of January was pending
    early = json.loads(lgs("decisions", "--pending", "--today", "2024-01-31", "-f", "json").stdout)
    assert [(p["id"], p["to"], p["owners"]) for p in early] == [("2024-01-12-U1", "2024-02", ["AU"])]
    assert decisions("--pending", "--owner", "AU") == []
    assert decisions("--pending", "--search", "budget") == ["2024-02-09-U1"]


def test_pending_closed_by_a_follow_up(tmp_path: Path) -> None:
    root = tmp_path / "arch"
    shutil.copytree(FIXTURE, root)
    (root / "2024" / "2024-04-05.md").write_text(
        "---\ndate: 2024-04-05\nstatus: draft\nsecretary: [Magnus Frithiof]\nattendees: not-recorded\n---\n\n"
        "## 1. Uppföljning\n\n- [x] **Uppföljning 2024-02-09-U1:** Budgeten hanteras av AU.\n"
        "  - Status: struken\n", encoding="utf-8")
    result = run_cli("decisions", "--pending", "--today", "2024-04-10", "-a", str(root))
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr == "No pending deferred matters.\n"


def test_decisions_core(fixture_archive: Any) -> None:
    rows = list_decisions(fixture_archive, DecisionQuery(search="dagordningen"))
    assert [r.id for r in rows] == ["2024-01-12-B1"]
    pending = list_pending(fixture_archive, DAY)
    assert [(p.id, p.passed) for p in pending] == [("2024-02-09-U1", False)]


# -- lgs attendance -------------------------------------------------------------------

def test_attendance_matrix_cells(fixture_archive: Any) -> None:
    a = attendance(fixture_archive)
    assert [o for o, _ in a.orgs] == ["Alvesta", "Lessebo", "Ljungby", "Markaryd", "Tingsryd", "Uppvidinge",
                                      "Växjö", "Älmhult", "Region Kronoberg"]
    jan, feb, mar = a.meetings
    assert not feb.recorded and feb.full is None
    assert jan.cells["Ljungby"].text() == "–"
    assert jan.cells["Tingsryd"].text() == "2 K?"  # Bo Berg has no sector, Cecilia Dahl skola
    assert jan.cells["Region Kronoberg"].text() == "2 H"  # sector from the organisation
    assert jan.cells["Växjö"].text() == "1 K"  # "Växjö kommun" resolves
    assert mar.cells["Tingsryd"].text() == "1+1d K?"  # a deputy
    assert mar.cells["Markaryd"].text() == "– (1a)"  # absent with notice
    assert mar.cells["Älmhult"].text() == "1 S*"  # partial attendance
    assert mar.cells["Ljungby"].text() == "2 SK"  # Therese came for Ljungby in March
    assert jan.cells["Lessebo"].text() == "1 K"  # ... and for Lessebo in January
    assert jan.missing == ["Ljungby"] and jan.full is False
    assert jan.region_represented(a.regions) is True
    rates = {r.org: (r.represented, r.recorded) for r in a.rates}
    assert rates["Ljungby"] == (1, 2)  # the not-recorded meeting is not an absence
    assert rates["Tingsryd"] == (2, 2)
    assert rates["Markaryd"] == (1, 2)


def test_attendance_table_shows_not_recorded_and_rates() -> None:
    out = lgs("attendance").stdout
    rows = {ln.split()[0]: ln for ln in out.splitlines()[2:]}
    assert rows["Ljungby"].split() == ["Ljungby", "–", "n/r", "2", "SK", "50%"]
    full = next(ln for ln in out.splitlines() if ln.startswith("Full constellation"))
    assert full.split() == ["Full", "constellation", "no", "7/8", "n/r", "no", "4/8", "0%"]


def test_attendance_filters() -> None:
    data = json.loads(lgs("attendance", "--since", "2024-02-01", "-f", "json").stdout)
    assert [m["date"] for m in data["meetings"]] == ["2024-02-09", "2024-03-08"]
    assert data["organisations"][0]["recorded_meetings"] == 1
    until = json.loads(lgs("attendance", "--until", "2024-01-31", "-f", "json").stdout)
    assert [m["date"] for m in until["meetings"]] == ["2024-01-12"]
    one = lgs("attendance", "--org", "RGK")
    assert [ln.split()[0] for ln in one.stdout.splitlines()[2:]] == ["Region"]
    assert "Full constellation" not in one.stdout
    person = json.loads(lgs("attendance", "--by", "person", "--org", "Tingsryd", "-f", "json").stdout)
    assert [(p["name"], p["attended"]) for p in person] == [("Bo Berg", 2), ("Cecilia Dahl", 2)]
    assert [m["as"] for m in person[1]["meetings"]] == ["attendee", "deputy"]


def test_attendance_by_person(fixture_archive: Any) -> None:
    people = {p.name: p for p in attendance_by_person(fixture_archive)}
    therese = people["Therese Linnér"]
    assert therese.orgs == ["Lessebo", "Ljungby"]  # organisation at the time
    assert (therese.attended, therese.eligible) == (2, 2)
    anna = people["Anna Ek"]
    assert (anna.attended, anna.absent_with_notice, anna.rate) == (1, 1, 0.5)
    table = lgs("attendance", "--by", "person").stdout
    assert "Lessebo → Ljungby" in table
    anna_line = next(ln for ln in table.splitlines() if ln.startswith("Anna Ek"))
    assert anna_line.split()[2:] == ["Markaryd", "1", "of", "2", "50%", "1"]


def test_attendance_full_constellation(tmp_path: Path) -> None:
    root = tmp_path / "arch"
    shutil.copytree(FIXTURE, root)
    jan = root / "2024" / "2024-01-12.md"
    jan.write_text(jan.read_text(encoding="utf-8").replace(
        "  - Ulrika Thaysen, RGK\n", "  - Ulrika Thaysen, RGK\n  - Gun Lind, Ljungby kommun\n"), encoding="utf-8")
    data = json.loads(run_cli("attendance", "-a", str(root), "-f", "json").stdout)
    jan_data = data["meetings"][0]
    assert (jan_data["full_constellation"], jan_data["region_represented"], jan_data["missing"]) == (True, True, [])
    result = run_cli("attendance", "-a", str(root))
    assert "Full constellation (all 8 municipalities represented): 2024-01-12 (with Region Kronoberg)." \
        in result.stderr


def test_attendance_fits_the_width_and_says_what_it_left_out() -> None:
    narrow = lgs("attendance", env={"COLUMNS": "45"})
    header = narrow.stdout.splitlines()[0].split()
    assert header == ["Organisation", "2024-02-09", "2024-03-08", "Rate"]
    assert "1 earlier meeting(s) left out to fit 45 columns (2024-01-12 – 2024-01-12)" in narrow.stderr
    assert max(len(ln) for ln in narrow.stdout.splitlines()) <= 45
    # other formats always have every meeting
    csv_header = lgs("attendance", "-f", "csv", env={"COLUMNS": "45"}).stdout.splitlines()[0]
    assert csv_header == "\ufeffOrganisation,2024-01-12,2024-02-09,2024-03-08,Rate"


def test_org_cell_text() -> None:
    def p(sector: str | None, role: str = "attendee", partial: bool = False) -> Presence:
        return Presence("X", "Växjö", "Växjö", sector, role, partial)

    assert OrgCell().text() == "–"
    assert OrgCell(present=[p(None), p(None)]).text() == "2"
    assert OrgCell(present=[p("skola"), p("socialtjänst"), p("hälso- och sjukvård")]).text() == "3 SKH"
    assert OrgCell(deputies=[p("skola", "deputy")], absent=[p(None, "absent")] * 2).text() == "0+1d K (2a)"


# -- errors and edge cases ----------------------------------------------------------------

def test_empty_result_says_so_on_stderr_and_exits_0() -> None:
    result = lgs("actions", "--today", TODAY, "--search", "finns inte")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "No open actions match.\n")
    as_json = lgs("actions", "--today", TODAY, "--search", "finns inte", "-f", "json")
    assert (as_json.exit_code, as_json.stdout) == (0, "[]\n")
    result = lgs("decisions", "--since", "2030-01-01")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "No decisions match.\n")
    result = lgs("attendance", "--since", "2030-01-01")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "No meetings in the period.\n")


@pytest.mark.parametrize(("args", "option"), [
    (("actions", "--since", "inte ett datum"), "--since"),
    (("actions", "--due-before", "2024-02-30"), "--due-before"),
    (("actions", "--today", "xyz"), "--today"),
    (("actions", "--meeting", "2024-02-10"), "--meeting"),
    (("actions", "--owner", "Okänd Person"), "--owner"),
    (("actions", "--org", "Stockholm"), "--org"),
    (("actions", "--open", "--closed"), "--open"),
    (("actions", "--sort", "size"), "--sort"),
    (("actions", "--group-by", "color"), "--group-by"),
    (("decisions", "--since", "2024-13-01"), "--since"),
    (("decisions", "--until", "2024-01-01", "--since", "2024-02-01"), "--until"),
    (("decisions", "--owner", "Nobody"), "--owner"),
    (("attendance", "--org", "Lund"), "--org"),
    (("attendance", "--by", "team"), "--by"),
    (("attendance", "--until", "igår i förrgår"), "--until"),
])
def test_bad_filter_values_are_usage_errors_naming_the_option(args: tuple[str, ...], option: str) -> None:
    result = lgs(*args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert option in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_ambiguous_owner_lists_both_candidates() -> None:
    result = lgs("actions", "--owner", "Ulrika")
    assert result.exit_code == 2
    assert "--owner" in result.stderr
    assert "Ulrika Boström" in result.stderr and "Ulrika Thaysen" in result.stderr
    with pytest.raises(AmbiguousNameError):
        resolve_owner(load_archive(FIXTURE), "ulrika")


def test_unknown_owner_hints_close_matches(fixture_archive: Any) -> None:
    result = lgs("actions", "--owner", "Magnis Frithiof")
    assert result.exit_code == 2 and "Did you mean: Magnus Frithiof" in result.stderr
    with pytest.raises(UsageError) as err:
        resolve_org(fixture_archive.roster, "Alvest")
    assert err.value.hint is not None and "Alvesta" in err.value.hint
    assert resolve_org(fixture_archive.roster, "ÄLMHULT KOMMUN") == "Älmhult"


def test_owner_written_in_the_minutes_but_not_in_the_roster(tmp_path: Path) -> None:
    root = tmp_path / "arch"
    shutil.copytree(FIXTURE, root)
    mar = root / "2024" / "2024-03-08.md"
    mar.write_text(mar.read_text(encoding="utf-8").replace(
        "  - Ansvarig: Therese Linnér", "  - Ansvarig: Centrum mot våld"), encoding="utf-8")
    result = run_cli("actions", "--today", TODAY, "-a", str(root), "--owner", "centrum mot våld", "-f", "json")
    assert [a["id"] for a in json.loads(result.stdout)] == ["2024-03-08-A2"]


def test_rich_markup_in_the_minutes_is_printed_literally() -> None:
    for fmt in ("table", "markdown", "csv"):
        out = lgs("actions", "--today", TODAY, "--search", "märkt", "-f", fmt, env={"COLUMNS": "200"}).stdout
        # Markdown: inert, every bracket escaped (a link or HTML from the minutes must not come alive)
        assert ("\\[bold red\\]x\\[/\\]" if fmt == "markdown" else "[bold red]x[/]") in out, fmt


def hostile_archive(tmp_path: Path) -> Path:
    root = tmp_path / "arch"
    (root / "2024").mkdir(parents=True)
    (root / "lgs.yaml").write_text("people:\n  - name: Ulrika Boström\n    roles: [{org: Alvesta}]\n",
                                   encoding="utf-8")
    (root / "2024" / "2024-01-12.md").write_text(
        "---\ndate: 2024-01-12\nstatus: draft\nsecretary: [Ulrika Boström]\n"
        "attendees:\n  - Ulrika Boström, Alvesta\n---\n\n"
        "## 1. Rubrik \x1b[31mröd\x1b[0m [bold]fet[/bold]\n\n"
        "- **Beslut B1:** Text med \x1b]0;titel\x07 och [link=http://x]länk[/link].\n"
        "  - Ansvarig: Ulrika Boström\n\n"
        "- [ ] **Åtgärd A1:** Gör \x1b[2J något.\n  - Ansvarig: Ulrika Boström\n",
        encoding="utf-8")
    return root


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv", "json"])
def test_escape_sequences_in_minutes_are_shown_escaped(tmp_path: Path, fmt: str) -> None:
    root = hostile_archive(tmp_path)
    for command in (("decisions",), ("actions", "--today", "2024-02-01"), ("attendance",)):
        result = run_cli(*command, "-f", fmt, "-a", str(root))
        assert result.exit_code == 0, result.stderr
        assert result.stdout
        assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    table = run_cli("decisions", "-a", str(root), env={"COLUMNS": "120"}).stdout
    assert "\\x1b[31mröd\\x1b[0m" in table  # the item title, escaped
    assert "[bold]fet[/bold]" in table
    data = json.loads(run_cli("decisions", "-f", "json", "-a", str(root)).stdout)
    assert data[0]["item_title"] == "Rubrik \x1b[31mröd\x1b[0m [bold]fet[/bold]"  # JSON keeps the data


@pytest.mark.parametrize("args", [
    ("actions", "--today", TODAY, "--all"),
    ("actions", "--today", TODAY, "--group-by", "owner"),
    ("decisions",),
    ("decisions", "--pending", "--today", "2024-05-02"),
    ("attendance",),
    ("attendance", "--by", "person"),
])
def test_tables_fit_80_columns(args: tuple[str, ...]) -> None:
    for archive in (FIXTURE, MINUTES):
        out = run_cli(*args, "-a", str(archive)).stdout
        assert out, args
        assert max(len(line) for line in out.splitlines()) <= 80, (args, archive)


def test_public_hides_confidential_text(tmp_path: Path) -> None:
    root = tmp_path / "arch"
    shutil.copytree(FIXTURE, root)
    jan = root / "2024" / "2024-01-12.md"
    jan.write_text(jan.read_text(encoding="utf-8").replace("## 3. Konferens", "## 3. Konferens {konfidentiellt}"),
                   encoding="utf-8")
    data = json.loads(run_cli("actions", "--today", TODAY, "-a", str(root), "--public", "-f", "json").stdout)
    a4 = next(a for a in data if a["id"] == "2024-01-12-A4")
    assert (a4["text"], a4["confidential"]) == ("(konfidentiellt)", True)
    shown = json.loads(run_cli("actions", "--today", TODAY, "-a", str(root), "-f", "json").stdout)
    assert next(a for a in shown if a["id"] == "2024-01-12-A4")["text"].startswith("Magnus tar fram")


# -- search: case and accents --------------------------------------------------------------

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäöéüABCÅÄÖ", min_size=1, max_size=8)


@given(st.lists(WORD, min_size=1, max_size=6), st.data())
def test_any_word_of_a_text_finds_it_in_any_case_without_accents(words: list[str], data: st.DataObject) -> None:
    text = " ".join(words)
    word = data.draw(st.sampled_from(words))
    assert search_matches(word, text)
    assert search_matches(word.upper(), text)
    plain = word.translate(str.maketrans("åäöéüÅÄÖ", "aaoeuAAO"))
    assert search_matches(plain, text)


@given(WORD, st.lists(WORD, max_size=4))
def test_a_word_that_is_not_there_is_not_found(word: str, others: list[str]) -> None:
    from lgs_cli.names import fold

    text = " ".join(others)
    assert search_matches(word, text) == (fold(word) in fold(text))


# -- the real archive: facts that will not change ---------------------------------------------

def test_real_attendance_facts(real_archive: Any) -> None:
    a = attendance(real_archive)
    by_date = {m.date.isoformat(): m for m in a.meetings}
    assert not by_date["2023-10-06"].cells["Ljungby"].represented  # Ljungby had nobody
    assert by_date["2023-10-06"].cells["Ljungby"].text() == "–"
    assert by_date["2025-04-04"].full is True  # all eight municipalities
    assert len(by_date["2025-04-04"].municipalities_represented) == 8
    for day in ("2024-04-05", "2024-05-03", "2025-12-05"):
        assert not by_date[day].recorded
    table = run_cli("attendance", "-a", str(MINUTES))
    assert table.exit_code == 0
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["Organisation", "2023-10-06", "2024-04-05", "2024-05-03", "2025-04-04",
                                "2025-12-05", "Rate"]
    ljungby = next(ln for ln in lines if ln.startswith("Ljungby"))
    assert ljungby.split()[1:4] == ["–", "n/r", "n/r"]
    full = next(ln for ln in lines if ln.startswith("Full constellation"))
    assert full.split()[2:] == ["no", "7/8", "n/r", "n/r", "yes", "8/8", "n/r", "50%"]
    assert "Full constellation (all 8 municipalities represented): 2025-04-04" in table.stderr
    assert "not recorded, left out: 2024-04-05, 2024-05-03, 2025-12-05" in table.stderr


def test_real_open_actions_and_decisions(real_archive: Any) -> None:
    rows = list_actions(real_archive, dt.date(2025, 4, 10))
    a2 = next(r for r in rows if r.id == "2025-04-04-A2")
    assert a2.owners == ("Kommunerna",) and a2.due is not None and a2.due.iso() == "2025-05-09"
    assert all(r.owners for r in rows)
    data = json.loads(run_cli("decisions", "-a", str(MINUTES), "-f", "json").stdout)
    assert data and all(d["owners"] for d in data)
    assert sum(len(m.decisions) for m in real_archive.meetings) == len(data)
    assert "2024-05-03-B2" in [d["id"] for d in data]
    # the April 2024 deferral is settled by the May 2024 decision
    pending = run_cli("decisions", "--pending", "-a", str(MINUTES), "-f", "json")
    assert "2024-04-05-U1" not in [p["id"] for p in json.loads(pending.stdout)]


def test_readme_documents_every_json_key() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    archive = load_archive(FIXTURE)
    keys = set(action_json(list_actions(archive, DAY)[0]))
    keys |= set(decision_json(list_decisions(archive)[0]))
    keys |= set(pending_json(list_pending(archive, DAY)[0]))
    for command in (("attendance",), ("attendance", "--by", "person")):
        data = json.loads(lgs(*command, "-f", "json").stdout)
        first = data if isinstance(data, dict) else data[0]
        keys |= set(first)
        for value in first.values():
            if isinstance(value, list) and value and isinstance(value[0], dict):
                keys |= set(value[0])
    missing = sorted(k for k in keys if f"`{k}`" not in readme and f"{k}," not in readme and f"{{{k}" not in readme)
    assert missing == []
    for heading in ("lgs actions", "lgs decisions", "lgs attendance"):
        assert f"### `{heading}" in readme


def test_attendees_of_unknown_organisations_get_their_own_row(tmp_path: Path) -> None:
    root = tmp_path / "arch"
    shutil.copytree(FIXTURE, root)
    jan = root / "2024" / "2024-01-12.md"
    jan.write_text(jan.read_text(encoding="utf-8").replace(
        "  - Ulrika Thaysen, RGK\n", "  - Ulrika Thaysen, RGK\n  - Kalle Okänd, Lund\n"), encoding="utf-8")
    result = run_cli("attendance", "-a", str(root))
    other = next(ln for ln in result.stdout.splitlines() if ln.startswith("(other)"))
    assert other.split() == ["(other)", "1", "n/r", "–"]
    assert "(other): attendees whose organisation is not in the roster" in result.stderr
    data = json.loads(run_cli("attendance", "-a", str(root), "-f", "json").stdout)
    assert data["meetings"][0]["unresolved"] == [
        {"name": "Kalle Okänd", "sector": None, "org_written": "Lund", "partial": False}]
    assert data["meetings"][0]["municipalities_represented"] == 7  # Lund is not a municipality of the group


def test_owners_are_shown_as_the_roster_names_them(tmp_path: Path) -> None:
    """A follow-up that re-assigns with a short name ("Magnus") shows the full name."""
    import shutil

    root = tmp_path / "minutes"
    shutil.copytree(MINUTES, root)
    (root / "2026").mkdir()
    (root / "2026" / "2026-01-09.md").write_text(
        "---\ndate: 2026-01-09\nstatus: draft\nsecretary: [Marcus Johansson]\nattendees: not-recorded\n---\n"
        "## 1. Uppföljning\n\n- [ ] **Uppföljning 2025-04-04-A5:** Pågår.\n  - Status: kvarstår\n"
        "  - Ansvarig: Magnus\n  - Senast: 2026-02\n", encoding="utf-8")
    rows = json.loads(run_cli("actions", "-a", str(root), "--today", "2026-01-10", "-f", "json").stdout)
    a5 = next(r for r in rows if r["id"] == "2025-04-04-A5")
    assert a5["owners"] == ["Magnus Frithiof"] and a5["carried"] == 1
    later = run_cli("actions", "-a", str(root), "--today", "2026-01-01")
    assert "Not counted: 1 meeting(s) dated after 2026-01-01 (2026-01-09)" in later.stderr
    latest = json.loads(run_cli("actions", "-a", str(root), "--meeting", "latest", "--today", "2026-01-10",
                                "-f", "json").stdout)
    assert latest == []  # the latest meeting raised no action
    april = json.loads(run_cli("actions", "-a", str(root), "--meeting", "4 april", "--today", "2026-01-10",
                               "-f", "json").stdout)
    assert {r["meeting"] for r in april} == {"2025-04-04"}


def test_notes_about_many_meetings_stay_short(tmp_path: Path) -> None:
    """A big archive's notes on stderr name a bounded number of dates, the latest ones."""
    from conftest import bench_generator

    bench_generator().generate(60, tmp_path / "arch", seed=5)
    arch = str(tmp_path / "arch")
    result = run_cli("attendance", "--archive", arch)
    full = next(ln for ln in result.stderr.splitlines() if ln.startswith("Full constellation (all"))
    meetings = json.loads(run_cli("attendance", "--archive", arch, "-f", "json").stdout)["meetings"]
    full_dates = [m["date"] for m in meetings if m["full_constellation"]]
    assert len(full_dates) > 10
    assert f": {len(full_dates)} meetings; the latest 10: {full_dates[-10]} (with" in full
    assert full.count("(with") + full.count("(without") == 10 and full.endswith(")."), full
    later = run_cli("actions", "--archive", arch, "--today", "2000-01-01").stderr
    note = next(ln for ln in later.splitlines() if ln.startswith("Not counted: 60 meeting(s)"))
    assert note.count(", ") == 3 and "…" in note


def test_a_person_listed_twice_counts_once(tmp_path: Path) -> None:
    """Present twice, or present and absent (lgs check: LGS111): one presence, as first listed."""
    root = tmp_path / "arch"
    shutil.copytree(FIXTURES / "check" / "common", root)
    meeting = root / "2024" / "2024-01-12.md"
    text = meeting.read_text(encoding="utf-8")
    meeting.write_text(text.replace("  - Cecilia Carlsson, RGK\n", "  - Cecilia Carlsson, RGK\n"
                                    "  - anna andersson, Alvesta\nabsent:\n  - Bertil Berg, Växjö\n", 1),
                       encoding="utf-8")
    people = json.loads(run_cli("attendance", "--by", "person", "--archive", str(root), "-f", "json").stdout)
    counts = {p["name"]: (p["attended"], p["eligible_meetings"]) for p in people}
    assert counts["Anna Andersson"] == (1, 1) and counts["Bertil Berg"] == (1, 1)
    row = run_cli("attendance", "--archive", str(root)).stdout
    alvesta = next(ln for ln in row.splitlines() if ln.startswith("Alvesta"))
    vaxjo = next(ln for ln in row.splitlines() if ln.startswith("Växjö"))
    assert alvesta.split()[1] == "1" and "(1a)" not in vaxjo, (alvesta, vaxjo)
    check = run_cli("check", str(root))
    assert check.stdout.count("LGS111") == 2


@pytest.mark.parametrize("group", ["Kommunerna", "AU", "kommunerna"])
def test_org_with_a_group_points_to_owner(group: str) -> None:
    result = lgs("actions", "--org", group)
    assert result.exit_code == 2
    assert "is a group, not an organisation" in result.stderr and "--owner" in result.stderr
    assert "members" not in result.stderr  # --owner AU lists what the group itself owns
    attendance = lgs("attendance", "--org", group)  # which has no --owner to point to
    assert attendance.exit_code == 2
    assert "is a group, not an organisation" in attendance.stderr and "--owner" not in attendance.stderr


@pytest.mark.parametrize(("columns", "says"), [
    ("80", None),
    ("60", "the column(s) Location are left out; Attendees is cut at the edge"),
    ("40", "the column(s) Location, Actions, Attendees are left out"),
])
def test_a_narrow_console_says_which_columns_are_left_out(columns: str, says: str | None) -> None:
    result = run_cli("meetings", "--archive", str(MINUTES), env={"COLUMNS": columns})
    notes = [ln for ln in result.stderr.splitlines() if ln.startswith("Note:")]
    if says is None:
        assert notes == []
    else:
        assert notes == [f"Note: {columns} columns are too few: {says}; widen the "
                         "terminal (or COLUMNS), or use --format csv|markdown|json."]


def test_attendance_by_person_lists_members_who_never_came() -> None:
    """A member of the roster who came to none of the recorded meetings in the
    period is a row of 0 (with the roster's organisation), not left out; a guest
    of the roster (title: gäst) is not a member."""
    out = run_cli("attendance", "--by", "person", "--org", "Växjö", "--since", "2025-01-01",
                  "--archive", str(MINUTES), "-f", "json")
    people = {p["name"]: p for p in json.loads(out.stdout)}
    assert people["Anders Elingfors"] == {"name": "Anders Elingfors", "organisations": ["Växjö"], "attended": 0,
                                          "eligible_meetings": 1, "rate": 0.0, "absent_with_notice": 0,
                                          "meetings": []}
    assert people["Rizana Talic"]["attended"] == 1
    assert "Katarina Carlzon" not in people
    table = run_cli("attendance", "--by", "person", "--org", "Växjö", "--since", "2025-01-01",
                    "--archive", str(MINUTES)).stdout
    assert "Carola Dahlqvist   Växjö           0 of 1    0%       0" in table


def test_pending_matters_name_the_draft_minutes_behind_them(tmp_path: Path) -> None:
    root = with_drafts(tmp_path, {"2026-01-09": "- **Uppskjutet U1:** Beslut tas i mars.\n  - Till: 2026-03\n"})
    result = run_cli("decisions", "--pending", "--since", "2026-01-01", "--today", "2026-01-10", "--archive", str(root))
    assert result.exit_code == 0, result.stderr
    assert "2026-01-09-U1" in result.stdout
    assert "From draft minutes, not yet approved: 2026-01-09.\n1 pending matter(s)" in result.stderr


@pytest.mark.parametrize("command", ["actions", "decisions", "attendance", "meetings"])
def test_format_text_is_table_for_every_listing(command: str) -> None:
    table = lgs(command, "-f", "table")
    text = lgs(command, "--format", "TEXT")
    assert text.exit_code == table.exit_code == 0
    assert text.stdout == table.stdout and "─" in text.stdout


def test_an_unknown_format_is_a_usage_error() -> None:
    result = lgs("actions", "--format", "yaml")
    assert result.exit_code == 2
    assert "'yaml' is not one of 'table', 'json', 'csv', 'markdown'" in result.stderr


@pytest.mark.parametrize(("by", "unknown"), [("owner", None), ("org", None)])
def test_group_by_json_gives_null_for_no_owner_or_organisation(tmp_path: Path, by: str, unknown: None) -> None:
    root = with_drafts(tmp_path, {"2026-01-09": "- [ ] **Åtgärd A1:** Utan ägare.\n"})
    result = run_cli("actions", "--group-by", by, "-f", "json", "--since", "2026-01-01", "--today", "2026-01-10",
                     "--archive", str(root))
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [(g["group"], [a["id"] for a in g["actions"]]) for g in data] == [(unknown, ["2026-01-09-A1"])]


def test_attendance_json_unresolved_is_null_where_attendance_is_not_recorded(tmp_path: Path) -> None:
    data = json.loads(run_cli("attendance", "-f", "json", "--archive", str(MINUTES)).stdout)
    for m in data["meetings"]:
        assert (m["unresolved"] is None) == (not m["recorded"]) == (m["missing"] is None)


@pytest.mark.parametrize("decided", ["2026-01-09", "2026-02-06"])
def test_only_a_later_meeting_settles_a_deferred_matter(tmp_path: Path, decided: str) -> None:
    """A decision at an earlier meeting, or at the same one, naming the matter in
    'Avser:' is LGS206; the matter stays pending."""
    decision = "- **Beslut B1:** Budgeten antas.\n  - Ansvarig: AU\n  - Avser: 2026-02-06-U1\n\n"
    deferral = "- **Uppskjutet U1:** Beslut om budgeten tas i mars.\n  - Till: 2026-03\n\n"
    files = {"2026-01-09": "", "2026-02-06": deferral}
    files[decided] += decision
    root = with_drafts(tmp_path, files)
    pending = run_cli("decisions", "--pending", "-f", "json", "--since", "2026-01-01", "--today", "2026-02-10",
                      "--archive", str(root))
    assert [r["id"] for r in json.loads(pending.stdout)] == ["2026-02-06-U1"]
    check = run_cli("check", str(root), "--today", "2026-02-10")
    assert "LGS206" in check.stdout


def test_organisations_are_listed_in_the_roster_s_order(tmp_path: Path) -> None:
    """The roster's order, then the built-in organisations it leaves out; an
    organisation outside the group (extern) is never listed as without anyone."""
    root = tmp_path / "minutes"
    shutil.copytree(MINUTES, root)
    roster = root / "lgs.yaml"
    text = roster.read_text(encoding="utf-8")
    start = text.index("organisations:\n")
    end = re.compile(r"^\S", re.M).search(text, start + len("organisations:\n"))
    assert end is not None
    text = text[:start] + ("organisations:\n  Region Kronoberg:\n    kind: region\n    aliases: [RGK]\n"
                           "  Ronneby:\n    kind: kommun\n  Länsstyrelsen:\n    kind: extern\n"
                           "  Växjö:\n    kind: kommun\n") + text[end.start():]
    roster.write_text(text, encoding="utf-8")
    assert "LGS401" not in run_cli("check", str(root)).stdout
    data = json.loads(run_cli("attendance", "-f", "json", "--archive", str(root)).stdout)
    names = [o["organisation"] for o in data["organisations"]]
    assert names[:3] == ["Region Kronoberg", "Ronneby", "Växjö"]
    assert names[3:] == ["Alvesta", "Lessebo", "Ljungby", "Markaryd", "Tingsryd", "Uppvidinge", "Älmhult"]
    shown = run_cli("show", "2025-04-04", "--archive", str(root)).stdout
    assert "Länsstyrelsen" not in shown
    assert shown.index("  Region Kronoberg:") < shown.index("  Ronneby: (ingen)") < shown.index("  Alvesta:")


@pytest.mark.parametrize("unreadable", [False, True])
def test_show_latest_in_an_archive_without_meetings_is_not_found(tmp_path: Path, unreadable: bool) -> None:
    shutil.copy(MINUTES / "lgs.yaml", tmp_path / "lgs.yaml")
    if unreadable:
        (tmp_path / "2026-01-09.md").write_text("no front matter\n", encoding="utf-8")
    result = run_cli("show", "latest", "--archive", str(tmp_path))
    assert result.exit_code == 1
    assert "Error: no meeting" in result.stderr and "not a date" not in result.stderr
    assert ("'lgs check' says why" in result.stderr) == unreadable


def test_show_markdown_keeps_each_line_about_the_meeting_a_line() -> None:
    """In CommonMark, lines one after the other are one paragraph: each line about
    the meeting ends with a hard line break ("\\") when another follows."""
    out = run_cli("show", "2025-04-04", "-f", "markdown", "--archive", str(MINUTES)).stdout.splitlines()
    start = out.index(next(ln for ln in out if ln.startswith("Status:")))
    meta = out[start:out.index(next(ln for ln in out if ln.startswith("Närvarande")))]
    assert len(meta) >= 4 and all(ln.endswith("\\") for ln in meta)
    assert out[start - 1] == "" and not out[start + len(meta)].endswith("\\")


def test_show_markdown_puts_a_blank_line_after_the_attendance_list() -> None:
    """After "  - Alvesta: …" a line about the meeting would continue the last list
    item (CommonMark's lazy continuation): a blank line ends the list first."""
    out = run_cli("show", "2024-03-08", "-f", "markdown", "--archive", str(FIXTURE)).stdout.splitlines()
    first_item = next(i for i, ln in enumerate(out) if ln.startswith("## "))
    details = [i for i, ln in enumerate(out[:first_item]) if ln.startswith("  - ")]
    assert details, out
    after = details[-1] + 1
    assert out[after] == "" and out[after + 1].startswith("Anmält förhinder:")


def test_show_lists_a_deputy_in_the_organisation_line() -> None:
    """A deputy who came stands in for a member: the organisation is not "(ingen)"
    and the count of those present includes them."""
    out = run_cli("show", "2024-03-08", "--archive", str(FIXTURE)).stdout
    assert "Närvarande (7):" in out
    assert "  Tingsryd: Bo Berg, Cecilia Dahl (ersättare för Bo Berg)\n" in out
    assert "Ersättare:" not in out  # listed once, where they sat


def test_attendance_of_an_organisation_outside_the_group_is_a_usage_error(tmp_path: Path) -> None:
    root = tmp_path / "minutes"
    shutil.copytree(MINUTES, root)
    with (root / "lgs.yaml").open("a", encoding="utf-8") as fh:
        fh.write("\n")
    text = (root / "lgs.yaml").read_text(encoding="utf-8")
    (root / "lgs.yaml").write_text(text.replace("organisations:\n", "organisations:\n  Länsstyrelsen:\n"
                                                "    kind: extern\n", 1), encoding="utf-8")
    result = run_cli("attendance", "--org", "Länsstyrelsen", "--archive", str(root))
    assert result.exit_code == 2 and "outside the group" in result.stderr and "Länsstyrelsen" not in \
        result.stderr.split("Hint:", 1)[1]
    assert run_cli("actions", "--org", "Länsstyrelsen", "--archive", str(root)).exit_code == 0


def test_show_markdown_keeps_the_presenter_and_material_lines_apart() -> None:
    out = run_cli("show", "2025-04-04", "-f", "markdown", "--archive", str(MINUTES)).stdout.splitlines()
    presenter = next(i for i, ln in enumerate(out) if ln.startswith("Föredragande: Marcus Johansson"))
    assert out[presenter].endswith("\\") and out[presenter + 1].startswith("Underlag:")


def test_attendance_for_one_organisation_keeps_the_meetings_region(tmp_path: Path) -> None:
    """--org lists one organisation; whether the region came is still the meeting's."""
    every = json.loads(run_cli("attendance", "-f", "json", "--archive", str(MINUTES)).stdout)["meetings"]
    one = json.loads(run_cli("attendance", "--org", "Växjö", "-f", "json", "--archive", str(MINUTES)).stdout)["meetings"]
    assert [m["region_represented"] for m in one] == [m["region_represented"] for m in every]
    assert True in [m["region_represented"] for m in one]


def test_show_markdown_keeps_bold_item_labels_on_lines_of_their_own(tmp_path: Path) -> None:
    root = with_drafts(tmp_path, {"2026-01-09": "**Föredragande:** Magnus\n**Underlag:** PM\n\nText.\n"})
    out = run_cli("show", "2026-01-09", "-f", "markdown", "--archive", str(root)).stdout.splitlines()
    presenter = next(i for i, ln in enumerate(out) if "Föredragande" in ln)
    assert out[presenter].endswith("\\") and "Underlag" in out[presenter + 1]


def test_an_action_handed_over_counts_for_the_new_owner_s_organisation_then(tmp_path: Path) -> None:
    """A follow-up that re-assigns an action: the new owner counts for the
    organisation they belong to at that meeting, not when the action was raised."""
    root = with_drafts(tmp_path, {
        "2026-05-15": ("- [ ] **Åtgärd A1:** Redovisning.\n  - Ansvarig: Kim Berg\n\n"
                       "- [ ] **Åtgärd A2:** Rutin.\n  - Ansvarig: Anneli Loberg\n\n"
                       "- **Uppskjutet U1:** Beslut om rutinen.\n  - Till: 2026-11\n  - Ansvarig: Anneli Loberg\n"),
        "2026-10-02": ("- [ ] **Uppföljning 2026-05-15-A1:** Lena tar över.\n  - Status: kvarstår\n"
                       "  - Ansvarig: Lena Ek\n\n"
                       "- [ ] **Uppföljning 2026-05-15-A2:** Kim tar över.\n  - Status: kvarstår\n"
                       "  - Ansvarig: Kim Berg\n\n"
                       "- [ ] **Uppföljning 2026-05-15-U1:** Kim tar över.\n  - Status: kvarstår\n"
                       "  - Ansvarig: Kim Berg\n")})
    roster = root / "lgs.yaml"
    text = roster.read_text(encoding="utf-8")
    people = ("  - name: Lena Ek\n    roles:\n      - {org: Lessebo, from: 2026-09-01}\n"
              "  - name: Kim Berg\n    roles:\n      - {org: Lessebo, to: 2026-06-30}\n"
              "      - {org: Växjö, from: 2026-07-01}\n")
    roster.write_text(text.replace("\nmeetings:\n", "\n" + people + "\nmeetings:\n", 1), encoding="utf-8")
    common = ("--today", "2026-10-05", "--since", "2026-01-01", "--archive", str(root))

    def ids(*args: str) -> set[str]:
        result = run_cli("actions", *args, *common, "-f", "json")
        return {r["id"] for r in json.loads(result.stdout)}

    assert ids("--org", "Lessebo") == {"2026-05-15-A1"}  # Lena, at Lessebo when she took it over
    assert ids("--org", "Växjö") == {"2026-05-15-A2"}  # Kim, at Växjö by then
    assert ids("--org", "Alvesta") == set()  # Anneli Loberg's no longer
    groups = json.loads(run_cli("actions", "--group-by", "org", *common, "-f", "json").stdout)
    assert {g["group"]: [r["id"] for r in g["actions"]] for g in groups} == {
        "Lessebo": ["2026-05-15-A1"], "Växjö": ["2026-05-15-A2"]}
    pending = run_cli("decisions", "--pending", "--org", "Växjö", "--today", "2026-10-05", "--archive", str(root))
    assert "2026-05-15-U1" in pending.stdout
    assert "2026-05-15-U1" not in run_cli("decisions", "--pending", "--org", "Alvesta", "--today", "2026-10-05",
                                          "--archive", str(root)).stdout
    checked = run_cli("check", str(root), "--today", "2026-10-05").stdout
    assert not re.search(r"LGS1[0-9][0-9]", checked), checked  # the people and owners are right


def test_empty_results_say_whether_a_filter_matched_nothing() -> None:
    pending = run_cli("decisions", "--pending", "--search", "xyzzy", "--archive", str(MINUTES))
    assert pending.exit_code == 0 and pending.stderr.endswith("No pending deferred matters match.\n")
    early = run_cli("actions", "--today", "2000-01-01", "--archive", str(MINUTES))
    assert "give a later --today to include them." in early.stderr


@pytest.mark.parametrize(("command", "query", "found"), [
    (("actions", "--all"), "2025-04-04-a5", ["2025-04-04-A5"]),
    (("actions", "--all"), "2025-04-04-A5 workshops", ["2025-04-04-A5"]),
    (("actions", "--all"), "2025-04-04-A5 budget", []),  # every word: the ID and a word not in its text
    (("decisions",), "2024-05-03-b1", ["2024-05-03-B1"]),
    (("decisions", "--pending"), "2024-05-03-U2", ["2024-05-03-U2"]),
])
def test_search_finds_an_entry_by_its_id_in_any_case(command: tuple[str, ...], query: str, found: list[str]) -> None:
    result = run_cli(*command, "--search", query, "-f", "json", "--archive", str(MINUTES))
    assert [r["id"] for r in json.loads(result.stdout)] == found


def test_a_carried_follow_up_beside_the_closing_one_is_not_carried_forward(tmp_path: Path) -> None:
    root = with_drafts(tmp_path, {
        "2026-01-09": "- [ ] **Åtgärd A1:** Sammanställ.\n  - Ansvarig: AU\n",
        "2026-02-06": ("- [ ] **Uppföljning 2026-01-09-A1:** Pågår.\n  - Status: kvarstår\n\n"
                       "## 2. Senare punkt\n\n- [x] **Uppföljning 2026-01-09-A1:** Klart.\n  - Status: klar\n")})
    rows = json.loads(run_cli("actions", "--all", "--since", "2026-01-01", "-f", "json", "--today", "2026-02-10",
                              "--archive", str(root)).stdout)
    assert [(r["id"], r["status"], r["carried"]) for r in rows] == [("2026-01-09-A1", "done", 0)]
    assert "LGS208" in run_cli("check", str(root), "--today", "2026-02-10").stdout


def test_the_draft_note_names_a_draft_that_re_assigned_or_re_dated_what_is_listed(tmp_path: Path) -> None:
    root = with_drafts(tmp_path, {"2026-01-09": ("- [ ] **Uppföljning 2025-04-04-A5:** Tas över.\n"
                                                 "  - Status: kvarstår\n  - Ansvarig: Magnus Frithiof\n\n"
                                                 "- [ ] **Uppföljning 2025-04-04-A6:** Senare.\n"
                                                 "  - Status: kvarstår\n  - Senast: 2026-06\n")})
    for args in (("--owner", "Magnus Frithiof"), ("--search", "2025-04-04-A6")):
        result = run_cli("actions", *args, "--today", "2026-01-10", "--archive", str(root))
        assert "From draft minutes, not yet approved: 2026-01-09." in result.stderr, (args, result.stderr)


@pytest.mark.parametrize(("later", "codes"), [
    # closed at 2026-02-06, then at 2026-03-06 carried and closed again
    (("kvarstår", "klar"), ["LGS207", "LGS205"]),
    # at 2026-03-06 only: carried, closed, and closed again
    (("kvarstår", "klar", "struken"), ["LGS208", "LGS205"]),
])
def test_closing_an_action_twice_stays_an_error_beside_other_follow_ups(tmp_path: Path, later: tuple[str, ...],
                                                                         codes: list[str]) -> None:
    def fu(status: str) -> str:
        box = " " if status == "kvarstår" else "x"
        return f"- [{box}] **Uppföljning 2026-01-09-A1:** {status}.\n  - Status: {status}\n\n"

    drafts = {"2026-01-09": "- [ ] **Åtgärd A1:** Sammanställ.\n  - Ansvarig: AU\n",
              "2026-03-06": "".join(fu(s) for s in later)}
    if len(later) == 2:
        drafts["2026-02-06"] = fu("klar")
    root = with_drafts(tmp_path, drafts)
    out = run_cli("check", str(root), "--today", "2026-03-10", "-f", "json")
    found = [f["code"] for f in json.loads(out.stdout)["findings"] if f["code"].startswith("LGS20")]
    assert found == codes and out.exit_code == 1


def test_a_roster_that_cannot_be_read_is_named_by_the_read_commands(tmp_path: Path) -> None:
    root = with_drafts(tmp_path, {})
    roster = root / "lgs.yaml"
    lines = roster.read_text(encoding="utf-8").count("\n")
    with roster.open("a", encoding="utf-8") as fh:
        fh.write("people:\n\t- x\n")
    listed = run_cli("meetings", "--archive", str(root))
    assert listed.exit_code == 0
    assert f"Roster not read: {root}/lgs.yaml:{lines + 2}: invalid YAML" in listed.stderr.replace(os.sep, "/")
    assert "problem(s) found" not in listed.stderr  # (the roster's problem is the one: said above)
    owner = run_cli("actions", "--owner", "Sandor", "--archive", str(root))
    assert owner.exit_code == 2 and "lgs.yaml cannot be read" in owner.stderr


@pytest.mark.parametrize("second", ["decision", "follow-up"])
def test_a_deferred_matter_settled_twice_is_an_error(tmp_path: Path, second: str) -> None:
    settle = "- **Beslut B1:** Beslutat.\n  - Ansvarig: AU\n  - Avser: 2026-01-09-U1\n"
    closing = "- [x] **Uppföljning 2026-01-09-U1:** Avgjort.\n  - Status: klar\n"
    root = with_drafts(tmp_path, {
        "2026-01-09": "- **Uppskjutet U1:** Beslut i februari.\n  - Till: 2026-02\n  - Ansvarig: AU\n",
        "2026-02-06": closing if second == "decision" else settle,
        "2026-03-06": settle if second == "decision" else closing})
    found = json.loads(run_cli("check", str(root), "--today", "2026-03-10", "-f", "json").stdout)["findings"]
    assert [(f["code"], f["file"][-13:]) for f in found if f["code"] == "LGS205"] == [("LGS205", "2026-03-06.md")]


def test_two_decisions_of_one_meeting_may_settle_a_deferred_matter_together(tmp_path: Path) -> None:
    settle = "- **Beslut B{n}:** Beslutat.\n  - Ansvarig: AU\n  - Avser: 2026-01-09-U1{again}\n\n"
    root = with_drafts(tmp_path, {
        "2026-01-09": "- **Uppskjutet U1:** Beslut i februari.\n  - Till: 2026-02\n  - Ansvarig: AU\n",
        "2026-02-06": settle.format(n=1, again=", 2026-01-09-U1") + settle.format(n=2, again="")})
    found = json.loads(run_cli("check", str(root), "--today", "2026-03-10", "-f", "json").stdout)["findings"]
    assert not [f for f in found if f["code"] == "LGS205"]


def test_a_secretary_s_own_emphasised_remark_under_a_follow_up_is_no_edited_note(tmp_path: Path) -> None:
    root = with_drafts(tmp_path, {"2026-01-09": (
        "- [x] **Uppföljning 2025-12-05-A1:** Levererat.\n  - Status: klar\n"
        "  - *Senast: levererat till forum 2026-01-05*\n\n"
        "- [ ] **Uppföljning 2025-12-05-A2:** Pågår.\n  - Status: kvarstår\n  - _Ansvarig: AU diskuterar med Lisa_\n\n"
        "- [ ] **Uppföljning 2025-12-05-A3:** Pågår.\n  - Status: kvarstår\n  - *Ansvarig: Växjö · Senast: 2026-06*\n")})
    found = json.loads(run_cli("check", str(root), "-f", "json").stdout)["findings"]
    assert [(f["line"], f["code"]) for f in found if f["code"] == "LGS028"] == [(19, "LGS028")]  # only A3's


def test_a_due_date_written_as_no_date_is_shown_as_written_everywhere(tmp_path: Path) -> None:
    """"Senast: innan sommaren" is an error (LGS023), but what the minutes say is
    never dropped: show, the listings in every format and new-meeting's note keep
    the words, marked as no date; --public hides them with a confidential entry;
    a later follow-up that gives a date replaces them."""
    root = tmp_path / "arch"
    shutil.copytree(FIXTURE, root)
    feb = root / "2024" / "2024-02-09.md"
    text = feb.read_text(encoding="utf-8")
    text = text.replace("  - Senast: 2024-05 (majmötet)", "  - Senast: innan sommaren")
    text = text.replace("  - Till: 2024-04 (aprilmötet)", "  - Till: när budgeten är klar")
    text += ("\n## 3. Personal {konfidentiellt}\n\n- [ ] **Åtgärd A2:** Hemligt.\n"
             "  - Ansvarig: AU\n  - Senast: när NN är tillbaka\n")
    feb.write_text(text, encoding="utf-8")

    def run(*args: str) -> Any:
        today = () if args[0] == "show" else ("--today", TODAY)
        return run_cli(*args, "--archive", str(root), *today)

    listed = json.loads(run("actions", "-f", "json").stdout)
    a1 = next(a for a in listed if a["id"] == "2024-02-09-A1")
    assert (a1["due"], a1["due_label"], a1["due_written"]) == (None, None, "innan sommaren")
    assert "innan sommaren (no date)" in run("actions", "-f", "csv").stdout
    table = run("actions", "--search", "2024-02-09-A1").stdout
    assert "innan" in table and "(no date)" in table
    pending = json.loads(run("decisions", "--pending", "-f", "json").stdout)
    assert [(p["to"], p["to_written"]) for p in pending] == [(None, "när budgeten är klar")]
    assert "när budgeten är klar (no date)" in run("decisions", "--pending", "-f", "markdown").stdout
    shown = run("show", "2024-02-09").stdout
    assert "Senast: innan sommaren" in shown and "Till: när budgeten är klar" in shown
    assert json.loads(run("show", "2024-02-09", "-f", "json").stdout) is not None
    public = run("actions", "--public", "-f", "json").stdout
    assert "NN" not in public and "(konfidentiellt)" in public
    assert "NN" not in run("show", "2024-02-09", "--public").stdout
    note = run("new-meeting", "--date", "2024-04-05", "--dry-run").stdout
    assert "Senast: innan sommaren (inget datum)" in note
    checked = run("check")
    assert checked.exit_code == 1 and checked.stdout.count("LGS023") == 3
    # a follow-up that gives a date: the words are replaced
    mar = root / "2024" / "2024-03-08.md"
    mar.write_text(mar.read_text(encoding="utf-8") + "\n## 9. Mer\n\n- [ ] **Uppföljning 2024-02-09-A1:** Nu med datum.\n"
                   "  - Status: kvarstår\n  - Senast: 2024-06 (junimötet)\n", encoding="utf-8")
    again = next(a for a in json.loads(run("actions", "-f", "json").stdout) if a["id"] == "2024-02-09-A1")
    assert (again["due"], again["due_written"]) == ("2024-06", None)
    # from the cache (a warm run) the same
    assert json.loads(run("actions", "-f", "json").stdout) == json.loads(
        run_cli("actions", "-f", "json", "--archive", str(root), "--today", TODAY,
                env={"LGS_NO_CACHE": "1"}).stdout)


def test_an_organisation_misspelt_but_for_accents_counts_for_that_organisation(tmp_path: Path) -> None:
    """"Vaxjo" is reported (LGS103, "Did you mean 'Växjö'?") and counted for Växjö:
    not as another organisation, and not as a change of the person's organisation."""
    root = tmp_path / "arch"
    shutil.copytree(FIXTURE, root)
    jan = root / "2024" / "2024-01-12.md"
    jan.write_text(jan.read_text(encoding="utf-8").replace("Eva Öst, Växjö kommun", "Eva Öst, VAXJO")
                   .replace("Fredrik Ström, Älmhult", "Fredrik Ström, Almhult kommun"), encoding="utf-8")

    def run(*args: str) -> Any:
        return run_cli(*args, "--archive", str(root), "--today", TODAY)

    text = run("attendance").stdout
    assert "(other)" not in text, text
    people = run("attendance", "--by", "person").stdout
    assert "→" not in people and "VAXJO" not in people and "Almhult" not in people, people
    shown = run_cli("show", "2024-01-12", "--archive", str(root)).stdout
    assert "VAXJO" not in shown and "Växjö: Eva Öst" in shown
    found = run("check").stdout
    assert "Did you mean 'Växjö'?" in found and "Did you mean 'Älmhult'?" in found


def test_two_files_of_one_date_count_once_in_every_report(tmp_path: Path) -> None:
    """An extra file with the date of another (LGS201) shares its IDs: the reports
    count the one named after the date, say which they skipped, and agree."""
    root = tmp_path / "arch"
    shutil.copytree(FIXTURE, root)
    jan = root / "2024" / "2024-01-12.md"
    extra = root / "2024" / "2024-01-12-extra.md"

    def run(*args: str) -> Any:
        result = run_cli(*args, "--archive", str(root), *(("--today", TODAY) if args[0] in ("actions", "decisions") else ()))
        assert result.exit_code == 0, result.stderr
        return result

    runs = (("actions", "--all", "-f", "json"), ("decisions", "-f", "json"), ("attendance", "--by", "person", "-f", "json"),
            ("attendance", "-f", "csv"), ("meetings", "-f", "json"))
    alone = {args: run(*args).stdout for args in runs}
    extra.write_text(jan.read_text(encoding="utf-8").replace("**Åtgärd A1:**", "**Åtgärd A8:**"), encoding="utf-8")
    assert {args: run(*args).stdout for args in runs} == alone  # as if the extra file were not there
    listed = run("meetings")
    assert "Skipped 2024/2024-01-12-extra.md: it has the date of 2024/2024-01-12.md, which is counted" in \
        listed.stderr.replace(str(root) + "/", "").replace(str(root) + "\\", "")
    checked = run_cli("check", str(root), "--today", TODAY)
    assert checked.exit_code == 1 and "LGS201" in checked.stdout


def test_a_follow_up_that_re_dates_in_words_leaves_no_older_date_in_force(tmp_path: Path) -> None:
    root = tmp_path / "arch"
    shutil.copytree(FIXTURE, root)
    mar = root / "2024" / "2024-03-08.md"
    base = mar.read_text(encoding="utf-8")

    def follow_up(senast: str) -> dict[str, Any]:
        mar.write_text(base + "\n## 9. Mer\n\n- [ ] **Uppföljning 2024-02-09-A1:** Omdaterad.\n"
                       f"  - Status: kvarstår\n  - Senast: {senast}\n", encoding="utf-8")
        listed = json.loads(run_cli("actions", "-f", "json", "--archive", str(root), "--today", "2024-07-01").stdout)
        return next(a for a in listed if a["id"] == "2024-02-09-A1")

    words = follow_up("efter sommaren")  # the action's own due, 2024-05, is no longer in force
    assert (words["due"], words["due_written"], words["overdue"]) == (None, "efter sommaren", False)
    dated = follow_up("2024-09-06 efter sommaren")  # a date with words after it: read as the date, reported
    assert (dated["due"], dated["due_label"], dated["due_written"]) == ("2024-09-06", "efter sommaren", None)
    found = run_cli("check", str(root), "--today", "2024-07-01").stdout
    assert "has words after its date that are not in parentheses" in found
    assert "Write '2024-09-06 (efter sommaren)'." in found


def test_a_due_date_given_in_confidential_text_stays_out_of_the_new_meetings_public_part(tmp_path: Path) -> None:
    root = tmp_path / "arch"
    shutil.copytree(FIXTURE, root)
    mar = root / "2024" / "2024-03-08.md"
    mar.write_text(mar.read_text(encoding="utf-8") + (
        "\n## 9. Personal {konfidentiellt}\n\n- [ ] **Uppföljning 2024-02-09-A1:** Väntar.\n  - Status: kvarstår\n"
        "  - Senast: när NN är tillbaka från sjukskrivning\n"), encoding="utf-8")
    draft = run_cli("new-meeting", "--date", "2024-04-05", "--dry-run", "--archive", str(root)).stdout
    block = draft.split("**Uppföljning 2024-02-09-A1:**", 1)
    assert len(block) == 2 and "NN" in block[1]
    assert "<!-- konfidentiellt -->\n- [ ] **Uppföljning 2024-02-09-A1:**" in draft  # the whole follow-up
    (root / "2024" / "2024-04-05.md").write_text(draft, encoding="utf-8")
    public = run_cli("show", "2024-04-05", "--public", "--archive", str(root)).stdout
    assert "NN" not in public


def test_a_follow_up_after_an_action_was_closed_changes_nothing_of_it(tmp_path: Path) -> None:
    """A follow-up of an action closed at an earlier meeting (LGS207) does not
    re-assign, re-date or carry the closed action in any report."""
    root = tmp_path / "arch"
    shutil.copytree(FIXTURE, root)

    def a2() -> dict[str, Any]:
        listed = json.loads(run_cli("actions", "--all", "-f", "json", "--archive", str(root), "--today", TODAY).stdout)
        return next(a for a in listed if a["id"] == "2024-01-12-A2")

    before = a2()
    assert before["status"] == "done"
    mar = root / "2024" / "2024-03-08.md"
    mar.write_text(mar.read_text(encoding="utf-8") + (
        "\n## 9. Mer\n\n- [ ] **Uppföljning 2024-01-12-A2:** Kommer tillbaka.\n  - Status: kvarstår\n"
        "  - Ansvarig: AU\n  - Senast: 2026-09\n"), encoding="utf-8")
    assert a2() == before
    found = run_cli("check", str(root), "--today", TODAY).stdout
    assert "LGS207" in found and "this one changes nothing" in found


def test_markdown_with_confidential_text_says_so(tmp_path: Path) -> None:
    """Markdown is what gets pasted into an e-mail: when it holds confidential text in
    full, stderr says so and names --public; tables, --public and meetings without any
    say nothing."""
    root = tmp_path / "arch"
    shutil.copytree(FIXTURE, root)
    jan = root / "2024" / "2024-01-12.md"
    jan.write_text(jan.read_text(encoding="utf-8").replace("## 3. Konferens", "## 3. Konferens {konfidentiellt}"),
                   encoding="utf-8")
    note = "give --public to leave it out before sharing it"

    def stderr_of(*args: str) -> str:
        result = run_cli(*args, "--archive", str(root))
        assert result.exit_code == 0, result.stderr
        return str(result.stderr)

    assert note in stderr_of("actions", "--all", "--today", TODAY, "-f", "markdown")
    assert note in stderr_of("actions", "--all", "--today", TODAY, "-f", "markdown", "--group-by", "owner")
    assert note not in stderr_of("actions", "--all", "--today", TODAY, "-f", "markdown", "--public")
    assert note not in stderr_of("actions", "--all", "--today", TODAY)
    assert note not in stderr_of("actions", "--all", "--today", TODAY, "-f", "markdown", "--meeting", "2024-03-08")
    assert note in stderr_of("show", "2024-01-12", "-f", "markdown")
    assert note not in stderr_of("show", "2024-01-12", "-f", "markdown", "--public")
    assert note in stderr_of("show", "2024-02-09", "-f", "markdown")  # it settles U1 of the confidential item
    jan.write_text(jan.read_text(encoding="utf-8").replace("## 3. Konferens {konfidentiellt}", "## 3. Konferens"),
                   encoding="utf-8")
    assert note not in stderr_of("show", "2024-02-09", "-f", "markdown")
    passage = root / "2024" / "2024-02-09.md"
    text = passage.read_text(encoding="utf-8")
    passage.write_text(text.rstrip("\n") + "\n\n<!-- konfidentiellt -->\nEtt ärende.\n<!-- /konfidentiellt -->\n",
                       encoding="utf-8")
    assert note in stderr_of("show", "2024-02-09", "-f", "markdown")


def test_attendance_says_when_a_draft_is_counted(tmp_path: Path) -> None:
    """Who came, as draft minutes record it, may still change: attendance says so
    on stderr, as actions and decisions do; a meeting it does not count is not named."""
    root = tmp_path / "minutes"
    shutil.copytree(MINUTES, root)
    for day in ("2025-04-04", "2025-12-05"):  # recorded / not recorded
        path = root / day[:4] / f"{day}.md"
        path.write_text(path.read_text(encoding="utf-8").replace("status: approved", "status: draft", 1),
                        encoding="utf-8")
    for extra in ((), ("--by", "person")):
        result = run_cli("attendance", *extra, "--archive", str(root))
        assert result.exit_code == 0, result.stderr
        assert "From draft minutes, not yet approved: 2025-04-04.\n" in result.stderr
    assert "From draft" not in run_cli("attendance", "--archive", str(MINUTES)).stderr


def test_a_matter_with_no_owner_is_the_group_s_for_the_filters() -> None:
    """A deferred matter without 'Ansvarig:' was deferred by the group: --org and
    --owner find it as Ledningsgruppen's (it is every member's), not a person's."""
    def pending(*args: str) -> list[str]:
        result = run_cli("decisions", "--pending", *args, "--archive", str(MINUTES), "-f", "json")
        assert result.exit_code == 0, result.stderr
        return [r["id"] for r in json.loads(result.stdout)]

    every = pending()
    assert "2025-04-04-U1" in every
    assert pending("--org", "Ljungby") == every
    assert pending("--org", "Region Kronoberg") == every
    assert pending("--owner", "Ledningsgruppen") == every
    assert pending("--owner", "Magnus Frithiof") == []


def test_a_search_that_finds_no_decision_names_the_matters_still_pending() -> None:
    """"What did we decide on demens?": nothing yet, but a matter is deferred; the
    empty result says so (and how to list it), and only when one matches."""
    found = run_cli("decisions", "--search", "demens", "--archive", str(MINUTES))
    assert found.exit_code == 0 and found.stdout == ""
    assert "No decisions match. 1 pending deferred matter(s) match: lgs decisions --pending" in found.stderr
    none = run_cli("decisions", "--search", "xyzzy", "--archive", str(MINUTES))
    assert none.stderr.endswith("No decisions match.\n")


def test_a_deputy_written_among_the_attendees_is_a_deputy(tmp_path: Path) -> None:
    """'- Name, Org, ersättare för NAME' under attendees: counts as a deputy (as under
    deputies:), is checked as one (LGS113: for someone listed as present), and every
    command counts those who came alike."""
    root = tmp_path / "minutes"
    shutil.copytree(MINUTES, root)
    path = root / "2025" / "2025-04-04.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  - Sofia Kumlin Rylow, Tingsryd\n",
                                 "  - Sofia Kumlin Rylow, Tingsryd, ersättare för Martin Hansson\n"), encoding="utf-8")
    data = json.loads(run_cli("attendance", "--archive", str(root), "-f", "json").stdout)
    tingsryd = next(o for o in data["organisations"] if o["organisation"] == "Tingsryd")
    day = next(m for m in tingsryd["meetings"] if m["date"] == "2025-04-04")
    assert [p["name"] for p in day["deputies"]] == ["Sofia Kumlin Rylow"]
    assert "Sofia Kumlin Rylow" not in [p["name"] for p in day["present"]]
    checked = run_cli("check", str(root)).stdout
    assert "LGS113" in checked and "stands in for Martin Hansson, who is listed as present" in checked
    meetings = json.loads(run_cli("meetings", "--archive", str(root), "-f", "json").stdout)
    counted = next(m for m in meetings if m["date"] == "2025-04-04")["attendees"]
    original = next(m for m in json.loads(run_cli("meetings", "--archive", str(MINUTES), "-f", "json").stdout)
                    if m["date"] == "2025-04-04")["attendees"]
    shown = run_cli("show", "2025-04-04", "--archive", str(root)).stdout
    assert counted == original and f"Närvarande ({counted}):" in shown


def _fixture_with(tmp_path: Path, day: str, added: str) -> Path:
    """A copy of the reports fixture with ``added`` at the end of the minutes of ``day``."""
    root = tmp_path / "arch"
    shutil.copytree(FIXTURE, root)
    path = root / day[:4] / f"{day}.md"
    path.write_text(path.read_text(encoding="utf-8") + added, encoding="utf-8")
    return root


def test_show_keeps_an_action_nested_under_a_decision_in_its_place(tmp_path: Path) -> None:
    root = _fixture_with(tmp_path, "2024-02-09", (
        "\n## 9. Budget\n\n- **Beslut B9:** Budgeten antas.\n  - Ansvarig: Ledningsgruppen\n"
        "  - [ ] **Åtgärd A8:** Regionen skickar ut budgeten.\n    - Ansvarig: Region Kronoberg\n\n"
        "- [ ] **Åtgärd A9:** Kommunerna återkommer.\n  - Ansvarig: Kommunerna\n"))
    for fmt in ("text", "markdown"):
        out = run_cli("show", "2024-02-09", "-f", fmt, "--archive", str(root)).stdout
        assert out.index("2024-02-09-B9") < out.index("2024-02-09-A8") < out.index("2024-02-09-A9"), out
        assert out.count("2024-02-09-A8") == 1


def test_csv_due_column_holds_dates_only(tmp_path: Path) -> None:
    """Due is what a spreadsheet sorts: a day or a month; a deadline in words goes in
    Due note, marked (no date), with the minutes' words for a date beside it."""
    root = tmp_path / "arch"
    shutil.copytree(FIXTURE, root)
    jan = root / "2024" / "2024-01-12.md"
    jan.write_text(jan.read_text(encoding="utf-8").replace("  - Senast: 2024-02-09 (nästa möte)",
                                                           "  - Senast: innan sommaren"), encoding="utf-8")
    out = run_cli("actions", "--all", "--today", TODAY, "-f", "csv", "--archive", str(root)).stdout
    rows = {r["ID"]: r for r in csv.DictReader(io.StringIO(out.lstrip("\ufeff")))}
    assert (rows["2024-01-12-A2"]["Due"], rows["2024-01-12-A2"]["Due note"]) == ("", "innan sommaren (no date)")
    assert (rows["2024-01-12-A1"]["Due"], rows["2024-01-12-A1"]["Due note"]) == ("2024-04", "aprilmötet")  # re-dated
    assert all(re.fullmatch(r"(\d{4}-\d{2}(-\d{2})?)?", r["Due"]) for r in rows.values())
