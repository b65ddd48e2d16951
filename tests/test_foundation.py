"""The format, the loader, the roster, discovery, `lgs meetings` and `lgs show`."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import MINUTES, ROOT, run_cli
from lgs_cli.archive import find_archive, load_archive
from lgs_cli.errors import AmbiguousNameError, ConfigError
from lgs_cli.model import EntryKind, FollowUpStatus
from lgs_cli.roster import load_roster
from lgs_cli.status import track

FORMAT_DOC = ROOT / "docs" / "format.md"


def example_from_docs() -> str:
    text = FORMAT_DOC.read_text(encoding="utf-8")
    section = text.split("## A complete example", 1)[1]
    return section.split("```markdown\n", 1)[1].rsplit("\n```", 1)[0] + "\n"


@pytest.fixture
def example_archive(tmp_path: Path) -> Path:
    root = tmp_path / "arch"
    (root / "2025").mkdir(parents=True)
    (root / "lgs.yaml").write_text(
        "people:\n"
        "  - name: Ulrika Boström\n    roles: [{org: Alvesta}]\n"
        "  - name: Ulrika Thaysen\n    roles: [{org: RGK}]\n"
        "  - name: Annelie Källström\n    aliases: [Annelie Kjellström]\n    roles: [{org: Växjö, sector: socialtjänst}]\n"
        "  - name: Therese Linnér\n    roles:\n      - {org: Lessebo, to: 2024-12-31}\n"
        "      - {org: Ljungby, from: 2025-01-01}\n"
        "  - name: Magnus Frithiof\n    roles: [{org: Region Kronoberg}]\n",
        encoding="utf-8",
    )
    (root / "2025" / "2025-05-09.md").write_text(example_from_docs(), encoding="utf-8")
    return root


def test_docs_example_parses_without_problems(example_archive: Path) -> None:
    archive = load_archive(example_archive)
    assert [d for d in archive.diagnostics if d.severity.value == "error"] == []
    (m,) = archive.meetings
    assert m.date == dt.date(2025, 5, 9)
    assert (m.start, m.end) == ("11:00", "15:00")
    assert m.status == "approved" and m.approved_by == "Susanne Appelberg"
    assert m.approved_on == dt.date(2025, 5, 16)
    assert m.chairs == ["Ulrika Boström", "Magnus Frithiof"]
    assert m.attendees is not None and len(m.attendees) == 11
    roger = next(a for a in m.attendees if a.name == "Roger Johansson")
    assert roger.part == "2" and roger.partial
    assert m.absent[0].name == "Jenny Smedberg"
    assert m.deputies[0].deputy_for == "Martin Hansson"
    assert [i.label for i in m.items] == [
        "1. Mötets öppnande",
        "2. Reviderad överenskommelse utredning NPF 6–18 år",
        "3. Länsgemensam konferens",
        "4. Övrigt",
    ]
    assert m.items[2].confidential
    assert m.items[1].presenters == ["Sandor Eriksson"]
    assert m.items[1].material == ["Reviderad överenskommelse"]
    (decision,) = m.decisions
    assert decision.id == "2025-05-09-B1"
    assert decision.owners == ["Ledningsgruppen"]
    assert decision.refers == ["2025-04-04-U1"]
    (action,) = m.actions
    assert action.id == "2025-05-09-A1"
    assert action.due is not None and action.due.iso() == "2025-06" and action.due.label == "junimötet"
    fu1, fu2 = m.followups
    assert (fu1.local, fu1.status, fu1.checked) == ("2025-04-04-A1", FollowUpStatus.DONE, True)
    assert fu1.text.startswith("Kommunerna har återkommit; ett länsgemensamt nätverk")
    assert (fu2.local, fu2.status) == ("2025-04-04-A2", FollowUpStatus.CARRIED)
    assert fu2.due is not None and fu2.due.iso() == "2025-06-13"
    (deferral,) = m.deferrals
    assert deferral.id == "2025-05-09-U1" and deferral.confidential


def test_every_marker_in_the_docs_is_known_to_the_parser() -> None:
    text = FORMAT_DOC.read_text(encoding="utf-8")
    for marker in ("Beslut", "Åtgärd", "Uppföljning", "Uppskjutet"):
        assert f"**{marker}" in text
    for field in ("Ansvarig:", "Senast:", "Status:", "Till:", "Avser:", "Föredragande:", "Underlag:"):
        assert field in text
    from lgs_cli.parse import FRONT_MATTER_KEYS

    table_keys = set(re.findall(r"`([a-z_]+)`", "\n".join(ln.split("|")[1] for ln in text.splitlines() if ln.startswith("| `"))))
    assert table_keys == FRONT_MATTER_KEYS


def test_roster_resolves_aliases_and_short_names(example_archive: Path) -> None:
    roster = load_roster(example_archive)
    assert roster.diagnostics == []
    p = roster.person("Annelie Kjellström")
    assert p is not None and p.name == "Annelie Källström"
    assert roster.person("annelie källström") is p
    assert roster.person("Magnus") is not None
    with pytest.raises(AmbiguousNameError) as exc:
        roster.person("Ulrika")
    assert exc.value.candidates == ["Ulrika Boström", "Ulrika Thaysen"]
    assert roster.org("RGK") is not None and roster.org("RGK").id == "Region Kronoberg"  # type: ignore[union-attr]
    assert roster.org("region Kronoberg").id == "Region Kronoberg"  # type: ignore[union-attr]
    assert roster.org("Växjö kommun").id == "Växjö"  # type: ignore[union-attr]
    owner = roster.owner("Kommunerna")
    assert owner is not None and owner.kind == "group"
    assert "Älmhult" in roster.orgs_of_owner(owner, None)
    # roles over time
    assert roster.person_org("Therese Linnér", dt.date(2023, 10, 6)) == "Lessebo"
    assert roster.person_org("Therese Linnér", dt.date(2025, 4, 4)) == "Ljungby"
    # NFD (as macOS writes it) matches the NFC roster entry
    import unicodedata

    assert roster.person(unicodedata.normalize("NFD", "Annelie Källström")) is p


def test_owner_answers_are_kept_until_the_roster_changes(example_archive: Path) -> None:
    """Roster.owner keeps its answers by text (check asks for the same owners in every
    meeting): asked again, the same answer, an ambiguity raised again with the
    option of the new question; a person added makes it answer anew."""
    from lgs_cli.roster import Person

    roster = load_roster(example_archive)
    assert roster.owner("Nobody Here") is None
    for option in (None, "--owner", None):
        with pytest.raises(AmbiguousNameError) as exc:
            roster.owner("Ulrika", option=option)
        assert exc.value.candidates == ["Ulrika Boström", "Ulrika Thaysen"]
        assert exc.value.option == option
    assert roster.owner_or_none("Ulrika") is None and roster.person_or_none("Ulrika") is None
    first = roster.owner("Kommunerna")
    assert roster.owner("Kommunerna") == first
    roster.add_person(Person("Nobody Here"))
    found = roster.owner("Nobody Here")
    assert found is not None and found.kind == "person"


def test_broken_file_gives_a_diagnostic_with_its_line_and_the_rest_loads(example_archive: Path) -> None:
    bad = example_archive / "2025" / "2025-06-13.md"
    bad.write_text("---\ndate: 2025-06-13\nstatus: draft\nattendees: [\n---\n", encoding="utf-8")
    archive = load_archive(example_archive)
    assert [m.date for m in archive.meetings if m.ok] == [dt.date(2025, 5, 9)]
    (diag,) = [d for d in archive.diagnostics if d.path.endswith("2025-06-13.md")]
    assert diag.code == "LGS002" and diag.line in (4, 5) and "invalid YAML" in diag.message
    result = run_cli("meetings", "--archive", str(example_archive))
    assert result.exit_code == 0
    assert "2025-05-09" in result.stdout
    assert f"2025-06-13.md:{diag.line}" in result.stderr


def test_not_recorded_attendance_is_not_an_empty_list(tmp_path: Path) -> None:
    (tmp_path / "lgs.yaml").write_text("", encoding="utf-8")
    for day, att in (("2025-01-10", "not-recorded"), ("2025-02-07", "[]")):
        (tmp_path / f"{day}.md").write_text(
            f"---\ndate: {day}\nstatus: draft\nsecretary: not-recorded\nattendees: {att}\n---\n## 1. Öppnande\n",
            encoding="utf-8",
        )
    archive = load_archive(tmp_path)
    first, second = archive.meetings
    assert first.attendees is None and not first.attendance_recorded
    assert second.attendees == [] and second.attendance_recorded
    result = run_cli("meetings", "-a", str(tmp_path), "-f", "json")
    rows = json.loads(result.stdout)
    assert [r["attendees"] for r in rows] == [None, 0]
    table = run_cli("meetings", "-a", str(tmp_path)).stdout
    assert "not recorded" in table


def test_entries_need_owners_and_numbers(tmp_path: Path) -> None:
    (tmp_path / "2025-01-10.md").write_text(
        "---\ndate: 2025-01-10\nstatus: draft\nsecretary: [X]\nattendees: []\n---\n"
        "## 1. Punkt\n\n"
        "- **Beslut B1:** Utan ägare.\n"
        "- [ ] **Åtgärd:** Utan nummer.\n"
        "  - Ansvarig: AU\n"
        "- [ ] **Åtgärd A1:** Med ägare.\n"
        "  - Ansvarig: AU\n"
        "  - Senast: 2025-13-01\n"
        "Beslut: oformaterat beslut\n",
        encoding="utf-8",
    )
    archive = load_archive(tmp_path)
    found = {(d.code, d.line) for d in archive.diagnostics}
    assert ("LGS101", 9) in found  # decision without owner
    assert ("LGS020", 10) in found  # action without number
    assert ("LGS023", 14) in found  # invalid due date
    assert ("LGS027", 15) in found  # unmarked decision


def test_status_is_computed_from_later_follow_ups(tmp_path: Path) -> None:
    def write(day: str, body: str) -> None:
        (tmp_path / f"{day}.md").write_text(
            f"---\ndate: {day}\nstatus: approved\nsecretary: [X]\nattendees: []\n---\n## 1. P\n\n{body}",
            encoding="utf-8",
        )

    write("2025-01-10", "- [ ] **Åtgärd A1:** Gör något.\n  - Ansvarig: AU\n  - Senast: 2025-02\n"
                        "- [ ] **Åtgärd A2:** Gör annat.\n  - Ansvarig: Kommunerna\n")
    write("2025-02-07", "- [ ] **Uppföljning 2025-01-10-A1:** Pågår.\n  - Status: kvarstår\n"
                        "  - Senast: 2025-03-07\n  - Ansvarig: Skolchefsnätverket\n")
    write("2025-03-07", "- [x] **Uppföljning 2025-01-10-A1:** Klart.\n  - Status: klar\n")
    archive = load_archive(tmp_path)
    by_id = {t.id: t for t in track(archive, EntryKind.ACTION)}
    a1, a2 = by_id["2025-01-10-A1"], by_id["2025-01-10-A2"]
    assert a1.status == "done" and a1.closing is not None
    assert a1.closing[1].date == dt.date(2025, 3, 7)
    assert a1.carried == 1 and a1.owners == ["Skolchefsnätverket"]
    assert a2.is_open and a2.due is None
    # as of February the action was still open and re-dated
    feb = {t.id: t for t in track(archive, EntryKind.ACTION, as_of=dt.date(2025, 2, 28))}
    assert feb["2025-01-10-A1"].is_open
    assert feb["2025-01-10-A1"].due is not None and feb["2025-01-10-A1"].due.iso() == "2025-03-07"
    assert feb["2025-01-10-A1"].overdue(dt.date(2025, 3, 8))


def test_discovery_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "repo" / "minutes").mkdir(parents=True)
    (tmp_path / "repo" / "minutes" / "lgs.yaml").write_text("", encoding="utf-8")
    deep = tmp_path / "repo" / "src" / "deep"
    deep.mkdir(parents=True)
    monkeypatch.delenv("LGS_ARCHIVE", raising=False)
    assert find_archive(None, cwd=deep) == (tmp_path / "repo" / "minutes").resolve()
    other = tmp_path / "other"
    other.mkdir()
    (other / "lgs.yaml").write_text("", encoding="utf-8")
    monkeypatch.setenv("LGS_ARCHIVE", str(other))
    assert find_archive(None, cwd=deep) == other
    assert find_archive(str(tmp_path / "repo" / "minutes"), cwd=deep) == tmp_path / "repo" / "minutes"
    # a repository's root given by name: its minutes/
    assert find_archive(str(tmp_path / "repo"), cwd=deep) == tmp_path / "repo" / "minutes"
    monkeypatch.delenv("LGS_ARCHIVE")
    with pytest.raises(ConfigError):
        find_archive(None, cwd=tmp_path)
    with pytest.raises(ConfigError):
        find_archive(str(tmp_path / "missing"))
    # a folder that is not an archive (a mistyped path, a year folder): not accepted
    (tmp_path / "repo" / "minutes" / "2025").mkdir()
    for folder in (tmp_path / "repo" / "minutes" / "2025", tmp_path / "repo" / "src", tmp_path / "other" / ".."):
        with pytest.raises(ConfigError) as raised:
            find_archive(str(folder))
        assert "holds no lgs.yaml" in raised.value.message
    with pytest.raises(ConfigError) as raised:
        find_archive(str(tmp_path / "repo" / "minutes" / "2025"))
    assert "minutes" in (raised.value.hint or "")  # the archive around it is named
    monkeypatch.setenv("LGS_ARCHIVE", str(tmp_path / "repo" / "src"))
    with pytest.raises(ConfigError):
        find_archive(None, cwd=deep)
    monkeypatch.delenv("LGS_ARCHIVE")
    odd = tmp_path / "odd"
    (odd / "lgs.yaml").mkdir(parents=True)  # found on the way up, and said what it is
    with pytest.raises(ConfigError) as raised:
        find_archive(None, cwd=odd)
    assert "lgs.yaml is not a regular file" in raised.value.message
    (odd / "lgs.yaml").rmdir()
    (odd / "minutes" / "lgs.yaml").mkdir(parents=True)  # a repository's minutes/ too
    with pytest.raises(ConfigError) as raised:
        find_archive(None, cwd=odd)
    assert "lgs.yaml is not a regular file" in raised.value.message


def test_a_folder_that_is_not_an_archive_is_a_usage_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    for args in (("check", str(empty)), ("actions", "--archive", str(empty)), ("meetings", "-a", str(empty))):
        result = run_cli(*args)
        assert result.exit_code == 2, result.stderr
        assert "is not a minutes archive: it holds no lgs.yaml" in result.stderr


def test_show_renders_entries_with_ids_and_hides_confidential_on_request(example_archive: Path) -> None:
    result = run_cli("show", "2025-05-09", "-a", str(example_archive))
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Beslut 2025-05-09-B1: Ledningsgruppen antar den reviderade överenskommelsen." in out
    assert "[ ] Åtgärd 2025-05-09-A1" in out
    assert "[x] Uppföljning 2025-04-04-A1" in out
    assert "Uppskjutet 2025-05-09-U1" in out
    assert "Personalfrågor diskuterades." in out
    public = run_cli("show", "2025-05-09", "-a", str(example_archive), "--public").stdout
    assert "Personalfrågor" not in public
    assert "Beslut om konferensen" not in public
    assert "konfidentiellt" in public
    missing = run_cli("show", "2031-01-01", "-a", str(example_archive))
    assert missing.exit_code == 1 and "no meeting on 2031-01-01" in missing.stderr
    bad = run_cli("show", "2025-05-09", "-a", str(example_archive), "-f", "yaml")
    assert bad.exit_code == 2 and "--format" in bad.stderr


def test_show_json(example_archive: Path) -> None:
    data = json.loads(run_cli("show", "latest", "-a", str(example_archive), "-f", "json").stdout)
    assert data["date"] == "2025-05-09"
    assert data["items"][1]["entries"][0]["id"] == "2025-05-09-B1"
    assert data["attendance_recorded"] is True


def _one_meeting(root: Path, front: str, body: str) -> None:
    """An archive (empty roster) of one meeting on 2025-01-10: ``front`` after the
    required keys, then ``body``."""
    (root / "lgs.yaml").write_text("", encoding="utf-8")
    (root / "2025-01-10.md").write_text(
        f"---\ndate: 2025-01-10\nsecretary: [X]\nattendees: []\n{front}---\n{body}", encoding="utf-8")


def test_minutes_text_is_never_markup(tmp_path: Path) -> None:
    _one_meeting(tmp_path, "status: draft\nlocation: \"[bold red]Sal[/bold red] \\e[31mröd\"\n",
                 "## 1. [link=https://evil.example]Klicka[/link] \x1b[2J\n\nText [red]x[/red].\n")
    for args in (("show", "2025-01-10"), ("meetings",)):
        result = run_cli(*args, "-a", str(tmp_path))
        assert result.exit_code == 0, result.stderr
        assert "\x1b" not in result.stdout
        assert "red]Sal[/bold" in result.stdout.replace("\n", " ")
    show = run_cli("show", "2025-01-10", "-a", str(tmp_path)).stdout
    assert "[link=https://evil.example]Klicka[/link]" in show
    assert "\\x1b[2J" in show


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_show_prints_the_corrections(fmt: str, tmp_path: Path) -> None:
    """Corrections after approval are part of the record: show prints them."""
    _one_meeting(tmp_path, "status: approved\ncorrections:\n  - date: 2025-02-07\n    by: Anna Andersson\n"
                 "    note: \"Punkt 2 rättad: fel kommun angavs\"\n", "## 1. Punkt\n\nText.\n")
    result = run_cli("show", "2025-01-10", "-a", str(tmp_path), "-f", fmt)
    assert result.exit_code == 0, result.stderr
    if fmt == "json":
        assert json.loads(result.stdout)["corrections"] == [
            {"date": "2025-02-07", "by": "Anna Andersson", "note": "Punkt 2 rättad: fel kommun angavs"}]
    else:
        assert "Rättelser (1):" in result.stdout
        assert "2025-02-07, Anna Andersson: Punkt 2 rättad: fel kommun angavs" in result.stdout


def test_a_command_option_before_the_command_says_where_it_goes() -> None:
    before = run_cli("-a", str(MINUTES), "meetings")
    assert before.exit_code == 2
    assert "No such option: -a (options come after the command: lgs COMMAND -a …)" in before.stderr
    other = run_cli("--bogus", "meetings")
    assert other.exit_code == 2 and "No such option: --bogus\n" in other.stderr + "\n"
    assert "come after" not in other.stderr


def test_an_error_is_one_line_even_when_what_was_typed_has_a_line_break() -> None:
    result = run_cli("show", "x\ny", "--archive", str(MINUTES))
    assert result.exit_code == 2
    assert "Error: Invalid value for DATE: 'x\\ny' is not a date lgs understands\n" in result.stderr


@pytest.mark.parametrize("columns", ["40", "80"])
def test_show_wraps_wide_characters_by_cells_and_keeps_the_indent(tmp_path: Path, columns: str) -> None:
    from rich.cells import cell_len

    root = tmp_path / "arch"
    shutil.copytree(ROOT / "tests" / "fixtures" / "reports", root)
    text = ("aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnnn 会议记录会议记录会议记录 "
            "oooo pppp qqqq rrrr ssss tttt uuuu vvvv wwww 会议记录 xxxx " + "会" * 50 + " yyyy zzzz")
    with (root / "2024" / "2024-03-08.md").open("a", encoding="utf-8") as fh:
        fh.write(f"\n## 9. Brett\n\n- [ ] **Åtgärd A9:** {text}\n  - Ansvarig: AU\n")
    shown = run_cli("show", "2024-03-08", "--archive", str(root), env={"COLUMNS": columns}).stdout
    block = shown.split("Åtgärd 2024-03-08-A9: ", 1)[1].split("      Ansvarig: AU", 1)[0].rstrip("\n").split("\n")
    assert all(cell_len(line) <= int(columns) for line in shown.split("\n"))
    assert all(line.startswith("      ") for line in block[1:]), block
    assert "".join(block).count("会") == 3 + 1 + 50  # nothing lost
    items = ["日本語のテキスト 含む スペース です。これは とても 長い 日本語の リスト項目で、端末の 幅で 折り返される。",
             "列表项目：" + "这是一个很长的中文列表项目，" * 4]
    with (root / "2024" / "2024-03-08.md").open("a", encoding="utf-8") as fh:
        fh.write("\n## 10. Lista\n\n" + "".join(f"- {item}\n" for item in items))
    shown = run_cli("show", "2024-03-08", "--archive", str(root), env={"COLUMNS": columns}).stdout
    listed = shown.split("10. Lista\n", 1)[1].rstrip("\n").split("\n")
    assert all(cell_len(line) <= int(columns) for line in listed)
    assert [line[:2] for line in listed if not line.startswith("  ")] == ["- ", "- "], listed  # indented, no "-" alone
    assert "".join(line[2:] for line in listed).replace(" ", "") == "".join(items).replace(" ", "")


def test_an_archive_inside_an_archive_is_its_own_and_a_nested_templates_folder_is_read(tmp_path: Path) -> None:
    outer = tmp_path / "repo" / "groupA"
    shutil.copytree(MINUTES, outer)
    inner = outer / "sub"
    (inner / "2026").mkdir(parents=True)
    shutil.copy(outer / "lgs.yaml", inner / "lgs.yaml")
    text = (outer / "2025" / "2025-12-05.md").read_text(encoding="utf-8")
    (inner / "2026" / "2026-01-09.md").write_text(text.replace("date: 2025-12-05", "date: 2026-01-09"),
                                                  encoding="utf-8")
    (outer / "other" / "lgs.yaml").mkdir(parents=True)  # a folder by the roster's name: no part of this one either
    (outer / "other" / "2025-01-01.md").write_text(text.replace("date: 2025-12-05", "date: 2025-01-01"),
                                                   encoding="utf-8")
    (outer / "2025" / "templates").mkdir()
    (outer / "2025" / "templates" / "2026-01-02.md").write_text(
        text.replace("date: 2025-12-05", "date: 2026-01-02"), encoding="utf-8")
    listed = json.loads(run_cli("meetings", "--archive", str(outer), "-f", "json").stdout)
    assert sorted(m["date"] for m in listed)[-1] == "2026-01-02"  # the nested templates/ is a folder like any other
    assert "2026-01-09" not in {m["date"] for m in listed} and "2025-01-01" not in {m["date"] for m in listed}
    checked = run_cli("check", str(outer), "--format", "json")
    nested = [f for f in json.loads(checked.stdout)["findings"] if f["code"] == "LGS006"]
    assert [(f["file"].replace("\\", "/").rsplit("/", 1)[-1], f["message"][:26]) for f in nested] == [
        ("other", "an archive of its own (it "), ("sub", "an archive of its own (it ")]
    assert json.loads(run_cli("meetings", "--archive", str(inner), "-f", "json").stdout)[0]["date"] == "2026-01-09"
    (tmp_path / "repo" / "groupB").mkdir()
    shutil.copy(outer / "lgs.yaml", tmp_path / "repo" / "groupB" / "lgs.yaml")
    none = run_cli("meetings", "--archive", str(tmp_path / "repo"))
    assert none.exit_code == 2 and "Archives below: " in none.stderr and "groupA" in none.stderr \
        and "groupB" in none.stderr
