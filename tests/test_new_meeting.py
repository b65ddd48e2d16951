"""`lgs new-meeting`: the date rule, the scaffold's content, templates, and
writing without ever overwriting."""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from conftest import ROOT, run_cli
from lgs_cli import scaffold, yamlsafe
from lgs_cli.archive import load_archive
from lgs_cli.errors import FileExistsLgsError, LgsError, UsageError
from lgs_cli.model import EntryKind, FollowUpStatus
from lgs_cli.status import track

ROSTER = """\
people:
  - name: Anna Andersson
    roles: [{org: Alvesta}]
  - name: Bertil Berg
    roles: [{org: Växjö, to: 2025-12-31}]
  - name: Cecilia Ceder
    roles: [{org: Region Kronoberg}]
  - name: Gustav Gäst
    roles: [{org: Växjö, title: gäst}]
  - name: Erik Ersätt
    roles: [{org: Alvesta, title: Ersättare}]
  - name: Maja Minut
    roles: [{org: Region Kronoberg}]
"""

MEETINGS_DEFAULTS = """\
meetings:
  start: "11:00"
  end: "15:00"
  location: "Regionhuset, sal: Örken"
  chairs: [Anna Andersson]
  secretary: [Maja Minut]
"""

M1 = """\
---
date: 2025-09-05
start: "09:00"
end: "12:00"
location: Dockanhuset
status: approved
approved_by: not-recorded
approved_on: not-recorded
chairs: [Cecilia Ceder]
secretary: [Maja Minut]
justerare: not-recorded
attendees:
  - Anna Andersson, Alvesta
---

## 1. Mötets öppnande

- [ ] **Åtgärd A1:** Utan datum, öppen.
  - Ansvarig: Anna Andersson

## 2. Budget

- [ ] **Åtgärd A2:** Klar vid nästa möte.
  - Ansvarig: Kommunerna
  - Senast: 2025-10

- [ ] **Åtgärd A3:** Försenad sedan oktober.
  - Ansvarig: Region Kronoberg
  - Senast: 2025-10-03 (oktobermötet)

- **Uppskjutet U1:** Beslut om budgeten tas i januari.
  - Till: 2026-01 (januarimötet)
  - Ansvarig: AU

- **Uppskjutet U2:** Beslut om lokaler tas i mars.
  - Till: 2026-03

- **Uppskjutet U3:** Avgjordes i oktober.
  - Till: 2025-10

## 3. Personal {konfidentiellt}

- [ ] **Åtgärd A4:** Hemlig text om en anställd.
  - Ansvarig: Cecilia Ceder
  - Senast: 2026-06
"""

M2 = """\
---
date: 2025-10-03
status: approved
approved_by: not-recorded
approved_on: not-recorded
chairs: [Cecilia Ceder]
secretary: [Maja Minut]
justerare: not-recorded
attendees: not-recorded
---

## 1. Mötets öppnande

- [x] **Uppföljning 2025-09-05-A2:** Klart.
  - Status: klar
- [ ] **Uppföljning 2025-09-05-A3:** Pågår.
  - Status: kvarstår
  - Senast: 2025-11
  - Ansvarig: Växjö

## 2. Lokaler

- **Beslut B1:** Avgjort.
  - Ansvarig: Ledningsgruppen
  - Avser: 2025-09-05-U3

- [ ] **Åtgärd A1:** Ny uppgift med $dollar och ${date} i texten.
  - Ansvarig: AU
  - Senast: 2025-12-05

- **Uppskjutet U1:** Överenskommelsen avgörs i november.
  - Till: 2025-11-07
"""

TODAY = "2025-12-20"  # the next first Friday is 2026-01-02


def make_archive(root: Path, roster_extra: str = MEETINGS_DEFAULTS) -> Path:
    (root / "2025").mkdir(parents=True)
    (root / "lgs.yaml").write_text(ROSTER + roster_extra, encoding="utf-8")
    (root / "2025" / "2025-09-05.md").write_text(M1, encoding="utf-8")
    (root / "2025" / "2025-10-03.md").write_text(M2, encoding="utf-8")
    return root


@pytest.fixture
def arch(tmp_path: Path) -> Path:
    return make_archive(tmp_path / "arch")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def followup_ids(text: str) -> list[str]:
    return re.findall(r"\*\*Uppföljning (\S+):\*\*", text)


def deferred_refs(text: str) -> list[str]:
    return re.findall(r"avser (\d{4}-\d{2}-\d{2}-U\d+)", text)


def all_files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


# -- the date rule ---------------------------------------------------------------

def test_first_friday_of_next_month_with_reason(arch: Path) -> None:
    r = run_cli("new-meeting", "--archive", str(arch), "--today", TODAY, "--dry-run")
    assert r.exit_code == 0, r.stderr
    assert "2026-01-02: first Friday of January (no meeting plan in lgs.yaml)" in r.stderr
    assert "date: 2026-01-02\n" in r.stdout


@pytest.mark.parametrize(("today", "expected"), [
    ("2025-12-20", dt.date(2026, 1, 2)),
    ("2026-01-01", dt.date(2026, 1, 2)),
    ("2026-01-02", dt.date(2026, 2, 6)),  # strictly after today
    ("2026-05-31", dt.date(2026, 6, 5)),
])
def test_first_friday_strictly_after_today(arch: Path, today: str, expected: dt.date) -> None:
    choice = scaffold.choose_date(load_archive(arch), dt.date.fromisoformat(today))
    assert choice.date == expected
    assert choice.date.weekday() == 4 and choice.date.day <= 7


def test_skip_months(tmp_path: Path) -> None:
    root = make_archive(tmp_path / "a", MEETINGS_DEFAULTS + "  skip_months: [7, 8]\n")
    choice = scaffold.choose_date(load_archive(root), dt.date(2026, 6, 10))
    assert choice.date == dt.date(2026, 9, 4)
    assert choice.reason == ("2026-09-04: first Friday of September (no meeting plan in lgs.yaml; "
                             "July, August skipped by meetings.skip_months)")


def test_every_month_skipped_is_a_config_error(tmp_path: Path) -> None:
    root = make_archive(tmp_path / "a", "meetings:\n  skip_months: [1,2,3,4,5,6,7,8,9,10,11,12]\n")
    r = run_cli("new-meeting", "-a", str(root), "--today", TODAY, "--dry-run")
    assert r.exit_code == 2
    assert "skips every month" in r.stderr


def test_plan_wins_over_first_friday(tmp_path: Path) -> None:
    root = make_archive(tmp_path / "a", MEETINGS_DEFAULTS + "  plan: [2025-11-14, 2026-01-16, 2026-02-13]\n")
    r = run_cli("new-meeting", "-a", str(root), "--today", TODAY, "--dry-run")
    assert r.exit_code == 0, r.stderr
    assert "2026-01-16: the next date in the meeting plan, lgs.yaml meetings.plan" in r.stderr
    assert "date: 2026-01-16\n" in r.stdout


def test_plan_dates_with_minutes_are_passed_over(tmp_path: Path) -> None:
    root = make_archive(tmp_path / "a", MEETINGS_DEFAULTS + "  plan: [2026-01-16, 2026-02-13]\n")
    assert run_cli("new-meeting", "-a", str(root), "--today", TODAY).exit_code == 0
    assert (root / "2026" / "2026-01-16.md").is_file()
    choice = scaffold.choose_date(load_archive(root), dt.date(2025, 12, 20))
    assert choice.date == dt.date(2026, 2, 13)
    assert "2026-01-16 already has minutes" in choice.reason


def test_the_next_first_friday_comes_after_the_latest_meeting_with_minutes(tmp_path: Path) -> None:
    """Every planned date has minutes (scaffolded ahead): the first Friday after the
    latest of them, not the first one after today (a week before a planned meeting)."""
    root = make_archive(tmp_path / "a", MEETINGS_DEFAULTS + "  plan: [2026-01-16, 2026-02-13]\n")
    for _ in range(2):
        assert run_cli("new-meeting", "-a", str(root), "--today", TODAY).exit_code == 0
    choice = scaffold.choose_date(load_archive(root), dt.date(2025, 12, 20))
    assert choice.date == dt.date(2026, 3, 6)
    assert "after 2026-02-13, the latest meeting with minutes" in choice.reason


def test_plan_in_the_past_falls_back_to_first_friday(tmp_path: Path) -> None:
    root = make_archive(tmp_path / "a", MEETINGS_DEFAULTS + "  plan: [2025-11-14]\n  skip_months: [1]\n")
    choice = scaffold.choose_date(load_archive(root), dt.date(2025, 12, 20))
    assert choice.date == dt.date(2026, 2, 6)
    assert choice.reason == ("2026-02-06: first Friday of February (no date after today in the meeting plan "
                             "in lgs.yaml; January skipped by meetings.skip_months)")


def test_first_friday_with_minutes_is_passed_over(arch: Path) -> None:
    assert run_cli("new-meeting", "-a", str(arch), "--today", TODAY).exit_code == 0
    r = run_cli("new-meeting", "-a", str(arch), "--today", TODAY, "--dry-run")
    assert r.exit_code == 0
    assert ("2026-02-06: first Friday of February (no meeting plan in lgs.yaml; 2026-01-02 already has minutes)"
            in r.stderr)


@pytest.mark.parametrize(("words", "expected"), [
    ("första fredagen i januari", "2026-01-02"),
    ("next friday", "2025-12-26"),
    ("nästa fredag", "2025-12-26"),
    ("5 december", "2026-12-05"),  # the coming 5 December, not the past one
    ("2026-03-06", "2026-03-06"),
])
def test_date_option_takes_words(arch: Path, words: str, expected: str) -> None:
    r = run_cli("new-meeting", "-a", str(arch), "--today", TODAY, "--dry-run", "--date", words)
    assert r.exit_code == 0, r.stderr
    assert f"date: {expected}\n" in r.stdout
    assert f"{expected}: given with --date" in r.stderr
    assert f"{expected[:4]}/{expected}.md" in r.stderr


def test_bad_date_is_a_usage_error(arch: Path) -> None:
    r = run_cli("new-meeting", "-a", str(arch), "--today", TODAY, "--date", "2026-02-30")
    assert r.exit_code == 2
    assert "--date" in r.stderr
    assert not (arch / "2026").exists()


# -- the content -----------------------------------------------------------------

def test_scaffold_content_on_fixture(arch: Path) -> None:
    r = run_cli("new-meeting", "-a", str(arch), "--today", TODAY, "--dry-run")
    assert r.exit_code == 0, r.stderr
    text = r.stdout
    # overdue first (by due date), then the rest by due date, no due date last
    assert followup_ids(text) == ["2025-09-05-A3", "2025-10-03-A1", "2025-09-05-A4", "2025-09-05-A1"]
    # deferred: overdue 2025-10-03-U1 (Nov) and 2025-09-05-U1 (January = this month);
    # not U2 (March) and not U3 (settled with Avser)
    assert deferred_refs(text) == ["2025-10-03-U1", "2025-09-05-U1"]
    assert "## 3. Lokaler\n" in text and "## 4. Budget\n" in text and text.endswith("## 5. Övrigt\n")
    # front matter from the roster defaults; location quoted because of ": "
    assert 'start: "11:00"\nend: "15:00"\nlocation: "Regionhuset, sal: Örken"\nstatus: draft\n' in text
    assert "chairs: [Anna Andersson]\nsecretary: [Maja Minut]\n" in text
    # expected: current members (Bertil's role ended, Gustav is a guest, Erik a deputy)
    assert "attendees: not-recorded\nexpected:\n  - Anna Andersson, Alvesta\n  - Cecilia Ceder, Region Kronoberg\n" \
           "  - Maja Minut, Region Kronoberg\n---\n" in text
    assert "- Föregående mötesanteckningar (2025-10-03)" in text
    # the carried action shows the re-assigned owner and re-dated due date, and where it came from
    assert ("- [ ] **Uppföljning 2025-09-05-A3:** Försenad sedan oktober.\n  - Status: kvarstår\n"
            "  - *Ansvarig: Växjö · Senast: 2025-11, försenad · Från 2025-09-05, punkt 2. Budget, "
            "kvarstått 1 gång*\n") in text
    assert "Senast: inget datum" in text
    # text with $ is copied as written, never substituted
    assert "Ny uppgift med $dollar och ${date} i texten." in text
    assert "Uppskjutet från 2025-09-05, punkt 2. Budget (avser 2025-09-05-U1; till 2026-01 (januarimötet); " \
           "ansvarig AU):*\n\n> Beslut om budgeten tas i januari." in text
    assert "Would write" in r.stderr and "4 open action(s)" in r.stderr and "2 deferred matter(s)" in r.stderr


def test_confidential_action_is_carried_inside_a_confidential_passage(arch: Path) -> None:
    r = run_cli("new-meeting", "-a", str(arch), "--today", TODAY)
    assert r.exit_code == 0, r.stderr
    text = (arch / "2026" / "2026-01-02.md").read_text(encoding="utf-8")
    assert ("<!-- konfidentiellt -->\n- [ ] **Uppföljning 2025-09-05-A4:** Hemlig text om en anställd.\n"
            "  - Status: kvarstår\n") in text
    public = run_cli("show", "2026-01-02", "-a", str(arch), "--public")
    assert public.exit_code == 0, public.stderr
    assert "Hemlig" not in public.stdout
    assert "Hemlig" in run_cli("show", "2026-01-02", "-a", str(arch)).stdout


def test_written_scaffold_round_trips_through_the_loader(arch: Path) -> None:
    before = load_archive(arch)
    open_before = {t.id for t in track(before, EntryKind.ACTION) if t.is_open}
    r = run_cli("new-meeting", "-a", str(arch), "--today", TODAY)
    assert r.exit_code == 0, r.stderr
    path = arch / "2026" / "2026-01-02.md"
    assert r.stdout.strip().endswith("2026/2026-01-02.md")
    after = load_archive(arch)
    assert after.diagnostics == []
    new = after.meetings[-1]
    assert new.date == dt.date(2026, 1, 2) and new.status == "draft" and new.relpath.endswith("2026-01-02.md")
    assert new.attendees is None  # not counted in attendance until confirmed
    assert [a.name for a in new.expected] == ["Anna Andersson", "Cecilia Ceder", "Maja Minut"]
    assert new.secretary == ["Maja Minut"] and new.chairs == ["Anna Andersson"]
    assert {f.local for f in new.followups} == open_before
    assert all(f.status is FollowUpStatus.CARRIED and not f.checked for f in new.followups)
    # follow-up notes are the actions' own texts, not the information line
    texts = {f.local: f.text for f in new.followups}
    assert texts["2025-09-05-A1"] == "Utan datum, öppen."
    # carrying keeps every action open, with one more carry each
    tracked = {t.id: t for t in track(after, EntryKind.ACTION)}
    assert {i for i, t in tracked.items() if t.is_open} == open_before
    assert tracked["2025-09-05-A1"].carried == 1 and tracked["2025-09-05-A3"].carried == 2
    assert tracked["2025-09-05-A3"].owners == ["Växjö"]  # the information line re-assigns nothing
    assert path.read_bytes().startswith(b"---\ndate: 2026-01-02\n")
    assert b"\r" not in path.read_bytes()


def test_no_defaults_take_the_latest_meeting(tmp_path: Path) -> None:
    root = make_archive(tmp_path / "a", "")
    r = run_cli("new-meeting", "-a", str(root), "--today", TODAY, "--dry-run")
    assert r.exit_code == 0, r.stderr
    # no meetings: defaults in lgs.yaml, so the latest meeting (2025-10-03) gives chairs and
    # secretary; it has no time or place, so those are left out
    assert "chairs: [Cecilia Ceder]\nsecretary: [Maja Minut]\n" in r.stdout
    assert "start:" not in r.stdout and "location:" not in r.stdout


def test_unknown_secretary_is_not_recorded(tmp_path: Path) -> None:
    root = tmp_path / "a"
    root.mkdir()
    (root / "lgs.yaml").write_text("people: []\n", encoding="utf-8")
    r = run_cli("new-meeting", "-a", str(root), "--today", TODAY)
    assert r.exit_code == 0, r.stderr
    text = (root / "2026" / "2026-01-02.md").read_text(encoding="utf-8")
    assert "secretary: not-recorded\n" in text and "attendees: not-recorded\n" in text
    assert "Inga öppna åtgärder." in text and "## 3. Övrigt" in text
    assert "Föregående mötesanteckningar (inget tidigare möte)" in text
    assert load_archive(root).diagnostics == []


def test_existing_meeting_on_that_date_under_another_name(arch: Path) -> None:
    other = arch / "2026" / "2026-01-02-extra.md"
    other.parent.mkdir()
    other.write_text(M2.replace("2025-10-03", "2026-01-02"), encoding="utf-8")
    r = run_cli("new-meeting", "-a", str(arch), "--date", "2026-01-02", "--today", TODAY)
    assert r.exit_code == 1
    assert "2026-01-02-extra.md" in r.stderr
    assert not (arch / "2026" / "2026-01-02.md").exists()


# -- the bundled archive --------------------------------------------------------------

def _open_ids_from_reports(archive_dir: Path, today: str) -> set[str]:
    """`lgs actions --open --format json`: the open actions as the report lists them
    (the scaffold must carry exactly those), checked against status.track too."""
    r = run_cli("actions", "--open", "--format", "json", "-a", str(archive_dir), "--today", today)
    assert r.exit_code == 0, r.stderr
    listed = {row["id"] for row in json.loads(r.stdout)}
    assert listed, "the bundled archive has open actions"
    assert listed == {t.id for t in track(load_archive(archive_dir), EntryKind.ACTION,
                                          as_of=dt.date.fromisoformat(today)) if t.is_open}
    return listed


def test_bundled_archive_lists_exactly_the_open_actions_and_deferred_matters(archive: Path) -> None:
    r = run_cli("new-meeting", "-a", str(archive), "--today", TODAY, "--dry-run")
    assert r.exit_code == 0, r.stderr
    assert "2026-01-02: first Friday of January" in r.stderr
    ids = followup_ids(r.stdout)
    assert len(ids) == len(set(ids))
    assert set(ids) == _open_ids_from_reports(archive, TODAY)
    assert "2025-12-05-A1" in ids  # raised at the latest meeting, due 2026-02
    loaded = load_archive(archive)
    day = dt.date(2026, 1, 2)
    pending = {t.id for t in track(loaded, EntryKind.DEFERRAL) if t.is_open and t.due and t.due.last_day <= day}
    assert set(deferred_refs(r.stdout)) == pending
    assert "2024-05-03-U1" in pending  # "Beslut tas på ledningsgruppens möte i juni" (2024), never settled
    assert "- Föregående mötesanteckningar (2025-12-05)" in r.stdout


def test_bundled_archive_round_trip_and_check(archive: Path) -> None:
    before = load_archive(archive)
    r = run_cli("new-meeting", "-a", str(archive), "--today", TODAY)
    assert r.exit_code == 0, r.stderr
    after = load_archive(archive)
    new_diags = [d for d in after.diagnostics if "2026-01-02" in d.path]
    assert new_diags == []
    assert len(after.diagnostics) == len(before.diagnostics)
    # the bundled archive passes, and with the new draft it still does
    checked = run_cli("check", str(archive), "--format", "json")
    assert checked.exit_code == 0, checked.stdout
    assert "2026-01-02.md" not in checked.stdout


# -- never overwrite ----------------------------------------------------------------

def test_existing_file_is_never_touched(arch: Path) -> None:
    path = arch / "2026" / "2026-01-02.md"
    path.parent.mkdir()
    path.write_text("---\ndate: 2026-01-02\nmine: do not touch\n---\n", encoding="utf-8")
    digest, mtime = sha256(path), path.stat().st_mtime_ns
    files_before = all_files(arch)
    for args in (("--date", "2026-01-02"), ("--date", "2026-01-02", "--dry-run")):
        r = run_cli("new-meeting", "-a", str(arch), "--today", TODAY, *args)
        assert r.exit_code == 1
        assert "2026/2026-01-02.md" in r.stderr and "already exists" in r.stderr
    assert sha256(path) == digest and path.stat().st_mtime_ns == mtime
    assert all_files(arch) == files_before  # and no temporary file left behind


def test_write_exclusive_refuses_existing_file_and_dangling_link(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "2026").mkdir(parents=True)
    target = root / "2026" / "2026-01-02.md"
    target.write_text("original\n", encoding="utf-8")
    with pytest.raises(FileExistsLgsError, match="2026-01-02.md already exists"):
        scaffold.write_exclusive(root, target, "new\n")
    assert target.read_text(encoding="utf-8") == "original\n"
    dangling = root / "2026" / "2026-02-06.md"
    outside = tmp_path / "outside.md"
    dangling.symlink_to(outside)
    with pytest.raises(FileExistsLgsError):
        scaffold.write_exclusive(root, dangling, "new\n")
    assert not outside.exists()
    assert sorted(p.name for p in (root / "2026").iterdir()) == ["2026-01-02.md", "2026-02-06.md"]


def test_concurrent_writers_one_wins(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    path = root / "2026" / "2026-01-02.md"
    barrier = threading.Barrier(8)
    outcomes: dict[int, str] = {}

    def writer(n: int) -> None:
        barrier.wait()
        try:
            scaffold.write_exclusive(root, path, f"writer {n}\n" * 1000)
            outcomes[n] = "ok"
        except FileExistsLgsError:
            outcomes[n] = "exists"

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [n for n, o in outcomes.items() if o == "ok"]
    assert len(winners) == 1 and sorted(outcomes.values()).count("exists") == 7
    assert path.read_text(encoding="utf-8") == f"writer {winners[0]}\n" * 1000
    assert [p.name for p in path.parent.iterdir()] == ["2026-01-02.md"]


def test_two_processes_for_the_same_date(arch: Path) -> None:
    lgs = Path(sys.executable).parent / "lgs"
    # with --date: without it, a run that starts after the other has written picks the next Friday
    cmd = [str(lgs), "new-meeting", "-a", str(arch), "--today", TODAY, "--date", "2026-01-02"]
    env = {**os.environ, "NO_COLOR": "1"}
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for _ in range(2)]
    results = [(p.wait(timeout=60), p.stderr.read() if p.stderr else "") for p in procs]
    for p in procs:
        if p.stdout:
            p.stdout.close()
        if p.stderr:
            p.stderr.close()
    codes = sorted(code for code, _ in results)
    assert codes == [0, 1], results
    loser = next(err for code, err in results if code == 1)
    assert "2026-01-02.md" in loser and "already exists" in loser
    assert load_archive(arch).diagnostics == []


def test_fallback_without_hard_links(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_link(src: object, dst: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_link)
    root = tmp_path / "root"
    root.mkdir()
    path = root / "2026" / "2026-01-02.md"
    scaffold.write_exclusive(root, path, "first\n")
    assert path.read_text(encoding="utf-8") == "first\n"
    with pytest.raises(FileExistsLgsError):
        scaffold.write_exclusive(root, path, "second\n")
    assert path.read_text(encoding="utf-8") == "first\n"
    assert [p.name for p in path.parent.iterdir()] == ["2026-01-02.md"]


def test_year_folder_linking_outside_is_refused(arch: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (arch / "2026").symlink_to(outside, target_is_directory=True)
    r = run_cli("new-meeting", "-a", str(arch), "--today", TODAY)
    assert r.exit_code == 1
    assert "outside the archive" in r.stderr
    assert list(outside.iterdir()) == []


def test_dry_run_writes_nothing(arch: Path) -> None:
    files = all_files(arch)
    r = run_cli("new-meeting", "-a", str(arch), "--today", TODAY, "--dry-run")
    assert r.exit_code == 0
    assert r.stdout.startswith("---\ndate: 2026-01-02\n")
    assert "Would write" in r.stderr and "2026/2026-01-02.md" in r.stderr
    assert all_files(arch) == files and not (arch / "2026").exists()


# -- templates -------------------------------------------------------------------------

def test_archive_template_overrides_the_default(arch: Path) -> None:
    (arch / "templates").mkdir()
    (arch / "templates" / "meeting.md").write_text(
        "---\n$front_matter\n---\n\n# LGS $date ($weekday) kostar $$5\n\n## 1. Uppföljning\n\n$followups\n\n"
        "$deferred_items\n\n## $other_number. Övrigt\n", encoding="utf-8")
    r = run_cli("new-meeting", "-a", str(arch), "--today", TODAY, "--dry-run")
    assert r.exit_code == 0, r.stderr
    assert "# LGS 2026-01-02 (fredag) kostar $5\n" in r.stdout
    assert "template: templates/meeting.md" in r.stderr or "templates/meeting.md" in r.stderr
    assert "Godkännande av dagordning" not in r.stdout


def test_explicit_template_and_empty_block_removal(arch: Path, tmp_path: Path) -> None:
    tpl = tmp_path / "t.md"
    tpl.write_text("---\n$front_matter\n---\n\n## 1. A\n\n${deferred_items}\n\n## 9. Övrigt ${deferred_count}\n",
                   encoding="utf-8")
    r = run_cli("new-meeting", "-a", str(arch), "--today", "2025-09-10", "--date", "2025-09-19",
                "--template", str(tpl), "--dry-run")
    assert r.exit_code == 0, r.stderr
    # nothing is deferred to September 2025: the line disappears, with one blank line
    assert r.stdout.endswith("---\n\n## 1. A\n\n## 9. Övrigt 0\n")
    assert "has no $followups: 4 open action(s) are not listed" in r.stderr


def test_unknown_template_variable_is_a_usage_error(arch: Path, tmp_path: Path) -> None:
    tpl = tmp_path / "t.md"
    tpl.write_text("---\n$front_matter\n---\n\n## 1. Möte $datum\n", encoding="utf-8")
    r = run_cli("new-meeting", "-a", str(arch), "--today", TODAY, "--template", str(tpl))
    assert r.exit_code == 2
    assert "unknown template variable $datum on line 5" in r.stderr
    assert "$date_long" in r.stderr  # the hint lists the known ones
    assert not (arch / "2026").exists()


def test_template_that_gives_an_invalid_draft_is_refused(arch: Path, tmp_path: Path) -> None:
    tpl = tmp_path / "t.md"
    tpl.write_text("---\ndate: $date\nstatus: approved\nsecretary: [X]\nattendees: []\n---\n\n## 1. A\n",
                   encoding="utf-8")
    r = run_cli("new-meeting", "-a", str(arch), "--today", TODAY, "--template", str(tpl))
    assert r.exit_code == 2
    assert "status: draft" in r.stderr
    tpl.write_text("no front matter $date\n", encoding="utf-8")
    r = run_cli("new-meeting", "-a", str(arch), "--today", TODAY, "--template", str(tpl))
    assert r.exit_code == 2 and "does not give a valid draft" in r.stderr
    assert not (arch / "2026").exists()


def test_missing_template_file(arch: Path, tmp_path: Path) -> None:
    r = run_cli("new-meeting", "-a", str(arch), "--today", TODAY, "--template", str(tmp_path / "nope.md"))
    assert r.exit_code == 2
    assert "nope.md" in r.stderr


def test_template_linking_outside_the_archive_is_refused(arch: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("---\n$front_matter\n---\n\n## 1. A\n", encoding="utf-8")
    (arch / "templates").mkdir()
    (arch / "templates" / "meeting.md").symlink_to(secret)
    r = run_cli("new-meeting", "-a", str(arch), "--today", TODAY, "--dry-run")
    assert r.exit_code == 1
    assert "outside the archive" in r.stderr


def test_render_substitutes_once() -> None:
    out = scaffold.render("a $x ${y}b $$x $ 5\n", {"x": "$y", "y": "${x}"})
    assert out == "a $y ${x}b $x $ 5\n"


def test_every_variable_is_documented() -> None:
    doc = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    section = doc.split("\n## Templates\n", 1)[1].split("\n## Front matter\n", 1)[0]
    for name in scaffold.VARIABLES:
        assert f"`${name}`" in section, name
    packaged = (ROOT / "src" / "lgs_cli" / "templates" / "meeting.md").read_text(encoding="utf-8")
    assert {n for n, _ in scaffold.template_variables(packaged)} <= set(scaffold.VARIABLES)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_yaml_scalar_round_trips(text: str) -> None:
    for flow in (False, True):
        rendered = yamlsafe.dump_scalar(text, flow=flow)
        doc = f"k: [{rendered}]\n" if flow else f"k: {rendered}\n"
        loaded = yamlsafe.load(doc)["k"]
        assert (loaded[0] if flow else loaded) == text


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=60)
       .filter(lambda s: s.strip() != "" and "\n" not in s and "\r" not in s))
def test_any_action_text_is_carried_verbatim(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    root = tmp_path_factory.mktemp("h")
    (root / "lgs.yaml").write_text("people: []\n", encoding="utf-8")
    (root / "2025").mkdir()
    (root / "2025" / "2025-10-03.md").write_text(
        "---\ndate: 2025-10-03\nstatus: draft\nsecretary: not-recorded\nattendees: not-recorded\n---\n\n"
        f"## 1. A\n\n- [ ] **Åtgärd A1:** {text}\n  - Ansvarig: AU\n", encoding="utf-8")
    loaded = load_archive(root)
    assume(loaded.meetings[0].ok and len(loaded.meetings[0].actions) == 1)  # e.g. NUL bytes: not a file
    (action,) = loaded.meetings[0].actions
    content = scaffold.build_scaffold(loaded, dt.date(2026, 1, 2)).content
    (root / "2026").mkdir()
    (root / "2026" / "2026-01-02.md").write_text(content, encoding="utf-8")
    again = load_archive(root)
    (fu,) = again.meetings[-1].followups
    assert fu.local == "2025-10-03-A1" and fu.text == action.text
    assert fu.status is FollowUpStatus.CARRIED


# -- --edit ------------------------------------------------------------------------------

@pytest.fixture
def recorder(tmp_path: Path) -> tuple[Path, Path]:
    log = tmp_path / "editor.log"
    script = tmp_path / "fake editor.py"
    script.write_text(
        "import sys, pathlib\n"
        f"pathlib.Path({str(log)!r}).write_text('\\n'.join(sys.argv[1:]), encoding='utf-8')\n",
        encoding="utf-8")
    return script, log


def test_edit_opens_the_new_file_in_editor(arch: Path, recorder: tuple[Path, Path]) -> None:
    script, log = recorder
    editor = f"{sys.executable} '{script}' --wait"
    r = run_cli("new-meeting", "-a", str(arch), "--today", TODAY, "--edit", env={"EDITOR": editor, "VISUAL": ""})
    assert r.exit_code == 0, r.stderr
    args = log.read_text(encoding="utf-8").split("\n")
    assert args[0] == "--wait"
    assert Path(args[1]).resolve() == (arch / "2026" / "2026-01-02.md").resolve()


def test_edit_prefers_visual(arch: Path, recorder: tuple[Path, Path]) -> None:
    script, log = recorder
    r = run_cli("new-meeting", "-a", str(arch), "--today", TODAY, "--edit",
                env={"VISUAL": f"{sys.executable} '{script}' visual", "EDITOR": "false"})
    assert r.exit_code == 0, r.stderr
    assert log.read_text(encoding="utf-8").startswith("visual\n")


def test_edit_without_editor_fails_before_writing(arch: Path) -> None:
    r = run_cli("new-meeting", "-a", str(arch), "--today", TODAY, "--edit", env={"EDITOR": "", "VISUAL": ""})
    assert r.exit_code == 2 and "EDITOR" in r.stderr
    assert not (arch / "2026").exists()
    r = run_cli("new-meeting", "-a", str(arch), "--today", TODAY, "--edit", "--dry-run", env={"EDITOR": "vi"})
    assert r.exit_code == 2


def test_edit_with_missing_editor_program(arch: Path) -> None:
    r = run_cli("new-meeting", "-a", str(arch), "--today", TODAY, "--edit",
                env={"EDITOR": "/nonexistent/editor-xyz", "VISUAL": ""})
    assert r.exit_code == 1
    assert "cannot start the editor" in r.stderr and "the file is written" in r.stderr
    assert (arch / "2026" / "2026-01-02.md").is_file()


def test_core_raises_domain_errors(arch: Path) -> None:
    loaded = load_archive(arch)
    with pytest.raises(UsageError):
        scaffold.render("$nope\n", {})
    assert issubclass(FileExistsLgsError, LgsError)
    assert scaffold.meeting_path(loaded.root, dt.date(2026, 1, 2)) == arch / "2026" / "2026-01-02.md"


def test_no_typer_or_rich_in_core() -> None:
    source = (ROOT / "src" / "lgs_cli" / "scaffold.py").read_text(encoding="utf-8")
    assert "typer" not in source and "import rich" not in source and "from rich" not in source


def test_unwritable_folder_is_a_clear_error(arch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(scaffold, "_write_via_temporary", refuse)
    r = run_cli("new-meeting", "-a", str(arch), "--today", TODAY)
    assert r.exit_code == 1 and r.exception is None
    assert "cannot write" in r.stderr and "Permission denied" in r.stderr


def test_scaffold_passes_the_check_rules(arch: Path, archive: Path) -> None:
    rules = pytest.importorskip("lgs_cli.rules")
    for root in (arch, archive):
        today = dt.date.fromisoformat(TODAY)
        before = rules.check_archive(load_archive(root), today=today)
        assert run_cli("new-meeting", "-a", str(root), "--today", TODAY).exit_code == 0
        after = rules.check_archive(load_archive(root), today=today)
        assert [d for d in after if "2026-01-02" in d.path] == []
        assert len(after) == len(before)
        if not before:
            r = run_cli("check", str(root))
            assert r.exit_code == 0, r.stdout + r.stderr


def test_easter_and_swedish_holidays() -> None:
    from lgs_cli.dates import easter_sunday, swedish_holiday

    assert [easter_sunday(y).isoformat() for y in (2024, 2025, 2026, 2027)] == [
        "2024-03-31", "2025-04-20", "2026-04-05", "2027-03-28"]
    assert swedish_holiday(dt.date(2026, 4, 3)) == "långfredagen"
    assert swedish_holiday(dt.date(2026, 6, 19)) == "midsommarafton"
    assert swedish_holiday(dt.date(2027, 1, 1)) == "nyårsdagen"
    assert swedish_holiday(dt.date(2026, 1, 2)) is None


@pytest.mark.parametrize(("today", "chosen", "holiday"), [
    ("2026-12-10", "2027-01-08", "nyårsdagen"),
    ("2026-03-10", "2026-04-10", "långfredagen"),
    ("2026-04-10", "2026-05-08", "första maj"),
])
def test_a_first_friday_that_is_a_holiday_moves_to_the_second(tmp_path: Path, today: str, chosen: str,
                                                                holiday: str) -> None:
    (tmp_path / "lgs.yaml").write_text("", encoding="utf-8")
    r = run_cli("new-meeting", "-a", str(tmp_path), "--today", today, "--dry-run")
    assert r.exit_code == 0, r.stderr
    assert r.stderr.startswith(f"{chosen}: second Friday of")
    assert holiday in r.stderr
    assert f"date: {chosen}" in r.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo") or not Path("/dev/zero").exists(), reason="FIFOs and /dev/zero")
def test_a_template_that_is_no_regular_file_is_refused_at_once(tmp_path: Path) -> None:
    """Read bounded and only as a regular file: /dev/zero (endless) and a FIFO nobody
    writes to (which would wait for ever) are usage errors, as a missing file is."""
    import shutil

    root = tmp_path / "minutes"
    shutil.copytree(ROOT / "minutes", root)
    endless = run_cli("new-meeting", "--archive", str(root), "--dry-run", "--template", "/dev/zero")
    assert endless.exit_code == 2 and "not a regular file" in endless.stderr
    (root / "templates").mkdir()
    os.mkfifo(root / "templates" / "meeting.md")
    waiting = run_cli("new-meeting", "--archive", str(root), "--dry-run")
    assert waiting.exit_code == 2 and "named pipe" in waiting.stderr


def test_minutes_too_large_to_read_back_are_not_written(arch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A draft over the size a meeting file may have (thousands of open actions)
    would not load: nothing is written, and the message says why."""
    monkeypatch.setattr(scaffold, "MAX_FILE_BYTES", 2000)
    before = all_files(arch)
    r = run_cli("new-meeting", "--archive", str(arch), "--today", TODAY)
    assert r.exit_code == 1 and "over the 2,000 bytes a meeting file may have" in r.stderr
    assert all_files(arch) == before


def test_an_unreadable_file_for_the_date_is_a_meeting_that_exists(arch: Path) -> None:
    broken = arch / "2025" / "2026-01-09.MD"  # in another folder, another case, and not readable
    broken.write_text("---\ndate: [broken\n---\n", encoding="utf-8")
    before = all_files(arch)
    r = run_cli("new-meeting", "--archive", str(arch), "--date", "2026-01-09", "--today", TODAY)
    assert r.exit_code == 1 and "already exists" in r.stderr and "2026-01-09.MD" in r.stderr
    assert all_files(arch) == before


def test_a_next_meeting_past_the_years_lgs_handles_is_a_usage_error(arch: Path) -> None:
    before = all_files(arch)
    r = run_cli("new-meeting", "--archive", str(arch), "--today", "2999-12-20")
    assert r.exit_code == 2 and "outside the years lgs handles" in r.stderr
    assert all_files(arch) == before


def test_a_year_folder_that_is_a_file_is_named(arch: Path) -> None:
    (arch / "2026").write_text("not a folder\n", encoding="utf-8")
    r = run_cli("new-meeting", "--archive", str(arch), "--today", TODAY)
    assert r.exit_code == 1 and "2026 is a file, not a folder" in r.stderr, r.stderr
    assert (arch / "2026").read_text(encoding="utf-8") == "not a folder\n"


def test_the_next_date_passes_over_an_unreadable_file_for_it_in_another_folder(arch: Path) -> None:
    (arch / "x").mkdir()
    (arch / "x" / "2026-01-02.md").write_text("---\ndate: [broken\n---\n", encoding="utf-8")  # the first Friday
    r = run_cli("new-meeting", "--archive", str(arch), "--today", TODAY, "--dry-run")
    assert r.exit_code == 0, r.stderr
    assert "2026-01-02" not in r.stderr.split("Would write")[1] and "Would write" in r.stderr
