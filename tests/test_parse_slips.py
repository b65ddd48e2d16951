"""Slips a secretary makes in the body: nothing written as an entry is lost or
given to another entry without a finding."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import MINUTES, run_cli, with_drafts
from lgs_cli.archive import load_archive
from lgs_cli.model import EntryKind
from lgs_cli.parse import split_names

HEAD = "---\ndate: 2025-01-10\nstatus: draft\nsecretary: [X]\nattendees: []\n---\n"


def _archive(tmp_path: Path, body: str, head: str = HEAD) -> Any:
    (tmp_path / "2025-01-10.md").write_text(head + body, encoding="utf-8")
    return load_archive(tmp_path, use_cache=False)


def _load(tmp_path: Path, body: str) -> tuple[Any, set[tuple[str, int]]]:
    archive = _archive(tmp_path, body)
    return archive.meetings[0], {(d.code, d.line) for d in archive.diagnostics}


def test_an_action_under_its_decision_is_an_entry_of_its_own(tmp_path: Path) -> None:
    m, found = _load(tmp_path, (
        "## 1. Punkt\n\n"                                    # 7
        "- **Beslut B1:** Utan egen ägare.\n"                # 9
        "  - [ ] **Åtgärd A1:** Kommunerna återkommer.\n"    # 10
        "    - Ansvarig: Kommunerna\n"                       # 11
        "    - Senast: 2025-03\n"                            # 12
        "  - [ ] **Åtgärd A2:** Regionen återkommer.\n"      # 13
        "    - Ansvarig: RGK\n"
        "- **Beslut B2:** Med ägare.\n"
        "  - Ansvarig: AU\n"
    ))
    decisions = {e.local: e.owners for e in m.entries_of(EntryKind.DECISION)}
    actions = {e.local: (e.owners, e.due) for e in m.entries_of(EntryKind.ACTION)}
    assert decisions == {"B1": [], "B2": ["AU"]}
    assert actions["A1"][0] == ["Kommunerna"] and actions["A1"][1] is not None
    assert actions["A2"][0] == ["RGK"]
    assert ("LGS101", 9) in found  # the decision's missing owner is reported, not taken from the action


def test_tab_indented_fields_belong_to_their_entry(tmp_path: Path) -> None:
    m, found = _load(tmp_path, (
        "## 1. Punkt\n\n"
        "\t- [ ] **Åtgärd A1:** Med tabb.\n"
        "\t  - Ansvarig: AU\n"
        "\t  - Senast: 2025-02-07\n"
        "- [ ] **Åtgärd A2:** Utan tabb.\n"
        "  - Ansvarig: RGK\n"
    ))
    actions = {e.local: e.owners for e in m.entries_of(EntryKind.ACTION)}
    assert actions == {"A1": ["AU"], "A2": ["RGK"]}
    assert not {code for code, _ in found} & {"LGS102", "LGS020"}


@pytest.mark.parametrize("line", [
    "- Beslut B1: Ledningsgruppen antar budgeten.",
    "- [ ] Åtgärd A1: Kommunerna återkommer.",
    "- [ ] Åtgärd: Kommunerna återkommer.",
    "1. **Beslut B1:** Numrerat.",
    "2) Beslut B1: Numrerat.",
    "__Beslut B1:__ Understruket.",
    "*Beslut B1:* Kursivt.",
    "- **Atgard A1:** Utan å och ä.",
    "- [ ] **Atgärd A1:** Utan Å.",
    "- [x] **Uppfoljning 2024-12-06-A1:** Klart.",
    "- Uppföljning 2024-12-06-A1: Klart.",
    "- Uppskjutet U1: Tas i mars.",
    "Beslut: oformaterat.",
    "**Beslut**: oformaterat.",
])
def test_a_loosely_written_entry_is_a_finding(line: str, tmp_path: Path) -> None:
    m, found = _load(tmp_path, "## 1. Punkt\n\n" + line + "\n  - Ansvarig: AU\n")
    assert ("LGS027", 9) in found
    assert not m.entries


@pytest.mark.parametrize("line", [
    "Beslut tas på mötet i juni: underlag skickas ut.",
    "Uppföljningen av arbetet: fortsätter.",
    "Beslutet: togs i mars.",
    "- Besluten i AU: se bilaga.",
    "1. Bakgrund: arbetet startade 2023.",
    "### 5.1 Delrapport från arbetsgruppen",
    "### 10.30 Fika",
    "### 13:00–14:00 Workshop om samverkan",
    "Uppföljning: Återrapportering sker på nästa möte.",
    "- Uppföljning: Återrapportering sker på nästa möte.",
    "Uppskjutet: inget.",
])
def test_ordinary_lines_are_not_slips(line: str, tmp_path: Path) -> None:
    _, found = _load(tmp_path, "## 1. Punkt\n\n" + line + "\n")
    assert not {code for code, _ in found} & {"LGS027", "LGS032"}


@pytest.mark.parametrize(("line", "warned"), [
    ("### 5. Konferens", True),
    ("##5. Konferens", True),
    ("#5) Konferens", True),
    ("# 5. Konferens", True),
    ("### Dialog", False),
    ("### 2024 års siffror", False),
    ("# Ledningsgrupp för samordning 2025-01-10", False),
])
def test_an_item_heading_at_the_wrong_level_is_a_finding(line: str, warned: bool, tmp_path: Path) -> None:
    m, found = _load(tmp_path, "## 1. Punkt\n\n" + line + "\n\n- **Beslut B1:** Ja.\n  - Ansvarig: AU\n")
    assert (("LGS032", 9) in found) is warned
    assert len(m.items) == 1  # still one item: the finding says so


@pytest.mark.parametrize(("text", "names"), [
    ("Hälso- och sjukvården", ["Hälso- och sjukvården"]),
    ("Barn- och utbildningsförvaltningen, AU", ["Barn- och utbildningsförvaltningen", "AU"]),
    ("Anna och Bo", ["Anna", "Bo"]),
    ("Anna, Bo och Region Kronoberg (RGK)", ["Anna", "Bo", "Region Kronoberg (RGK)"]),
    ("Socialtjänsten samt Hälso- och sjukvården", ["Socialtjänsten", "Hälso- och sjukvården"]),
])
def test_och_after_a_hyphen_joins_one_name(text: str, names: list[str]) -> None:
    assert split_names(text) == names


@pytest.mark.parametrize(("line", "name", "org", "deputy_for", "note"), [
    ("Sofia Kumlin Rylow (ersättare för Peter Magnusson), Tingsryd", "Sofia Kumlin Rylow", "Tingsryd",
     "Peter Magnusson", None),
    ("Sofia Kumlin Rylow, Tingsryd, ersättare för Peter Magnusson", "Sofia Kumlin Rylow", "Tingsryd",
     "Peter Magnusson", None),
    ("Linn Hellqvist, RGK (verksamhetsutvecklare)", "Linn Hellqvist", "RGK", None, "verksamhetsutvecklare"),
])
def test_notes_in_an_attendee_string(line: str, name: str, org: str, deputy_for: str | None, note: str | None,
                                     tmp_path: Path) -> None:
    archive = _archive(tmp_path, "## 1. Punkt\n", HEAD.replace("attendees: []\n", f"attendees: []\ndeputies:\n  - {line}\n"))
    (a,) = archive.meetings[0].deputies
    assert (a.name, a.org_written, a.deputy_for, a.note) == (name, org, deputy_for, note)
    no_for = [d for d in archive.diagnostics if "has no 'for:'" in d.message]
    assert bool(no_for) is (deputy_for is None)


def test_a_label_in_an_entry_s_text_stays_text(tmp_path: Path) -> None:
    m, found = _load(tmp_path, (
        "## 1. Punkt\n\n"
        "- **Beslut B1:** Ledningsgruppen beslutar att anta handlingsplanen.\n"
        "  Uppföljning: sker på mötet i juni.\n"
        "  - Ansvarig: AU\n"
    ))
    (decision,) = m.entries_of(EntryKind.DECISION)
    assert decision.text.endswith("Uppföljning: sker på mötet i juni.") and decision.owners == ["AU"]
    assert "LGS027" not in {code for code, _ in found}


def test_the_outer_entry_continues_after_a_nested_one(tmp_path: Path) -> None:
    m, found = _load(tmp_path, (
        "## 1. Punkt\n\n"                                       # 7
        "- **Beslut B1:** Ledningsgruppen beslutar att anta planen.\n"
        "  - [ ] **Åtgärd A1:** AU tar fram ett förslag.\n"
        "    - Ansvarig: AU\n"
        "  - Ansvarig: Ledningsgruppen\n"
        "- [ ] **Åtgärd A2:** Nästa.\n"
        "  - Ansvarig: RGK\n"
    ))
    owners = {e.local: e.owners for e in m.entries}
    assert owners == {"B1": ["Ledningsgruppen"], "A1": ["AU"], "A2": ["RGK"]}
    assert not {code for code, _ in found} & {"LGS101", "LGS102", "LGS020"}


@pytest.mark.parametrize("body", [
    "##1. Mötets öppnande\n\nFöredragande: X\n\n## 2. Nästa\n",
    "Beslut: ett beslut före första punkten.\n\n## 1. Punkt\n",
])
def test_slips_before_the_first_item_are_found(body: str, tmp_path: Path) -> None:
    _, found = _load(tmp_path, body)
    assert {code for code, _ in found} & {"LGS027", "LGS032"}


def test_a_bare_checkbox_marker_is_found_in_a_clean_file(tmp_path: Path) -> None:
    _, found = _load(tmp_path, "## 1. Punkt\n\n[ ] Åtgärd A1: AU tar fram förslag.\n")
    assert ("LGS027", 9) in found


def test_a_deputy_as_a_string_passes_check(tmp_path: Path) -> None:
    root = tmp_path / "minutes"
    shutil.copytree(MINUTES, root)
    meeting = root / "2025" / "2025-04-04.md"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace(
        "attendees:\n", "deputies:\n  - Rizana Talic, Växjö, ersättare för Annelie Källström\n"
        "  - Roger Johansson (ersättare för Jenny Smedberg), Älmhult\nattendees:\n", 1), encoding="utf-8")
    result = run_cli("check", str(root))
    assert "LGS004" not in result.stdout, result.stdout


def test_commas_inside_parentheses_do_not_split_an_attendee(tmp_path: Path) -> None:
    head = HEAD.replace("attendees: []\n", "attendees:\n  - Magnus Frithiof, Region Kronoberg (utvecklare, HSV)\n")
    (a,) = _archive(tmp_path, "## 1. Punkt\n", head).meetings[0].attendees
    assert (a.name, a.org_written, a.note) == ("Magnus Frithiof", "Region Kronoberg", "utvecklare, HSV")


@pytest.mark.parametrize(("value", "hint"), [
    ("6 februari", "Write '2025-02-06 (6 februari)'?"),
    ("2025-2-6", "Write '2025-02-06'?"),
    ("2025-02-06.", "Write '2025-02-06'?"),
    ("snart", "Write e.g. '2025-05-09 (ledningsgruppen 9 maj)' or '2023-11 (novembermötet)'."),
])
def test_a_due_date_in_words_gets_the_iso_date_as_a_hint(value: str, hint: str, tmp_path: Path) -> None:
    archive = _archive(tmp_path, f"## 1. Punkt\n\n- [ ] **Åtgärd A1:** a\n  - Ansvarig: AU\n  - Senast: {value}\n")
    (found,) = [d for d in archive.diagnostics if d.code == "LGS023"]
    assert found.hint == hint


def test_numbers_ids_and_dates_take_ascii_digits_only(tmp_path: Path) -> None:
    """"A٣" (an Arabic-Indic three) or a due date in fullwidth digits is no number
    or date to a reader of the minutes, so not to lgs either: findings, not a
    silent A3 or 2026-02-01."""
    m, found = _load(tmp_path, (
        "## ٣. Punkt\n\n"                                         # 7
        "- [ ] **Åtgärd A٣:** Arabiska siffror.\n"                # 9
        "  - Ansvarig: AU\n"
        "- [ ] **Åtgärd A4:** Senast i breda siffror.\n"          # 11
        "  - Ansvarig: AU\n"
        "  - Senast: ２０２６-０２-０１\n"                             # 13
        "- [x] **Uppföljning ٢٠٢٥-٠٤-٠٤-A١:** Klar.\n"            # 14
        "  - Status: klar\n"
    ))
    assert [(e.local, e.due) for e in m.entries] == [("A4", None)]
    assert m.items[0].number is None and m.items[0].title == "٣. Punkt"
    assert {("LGS020", 9), ("LGS023", 13), ("LGS020", 14)} <= found


def test_show_hides_an_html_comment_as_the_parser_does(tmp_path: Path) -> None:
    (tmp_path / "lgs.yaml").write_text("people: []\n", encoding="utf-8")
    (tmp_path / "2025-01-10.md").write_text(HEAD + (
        "## 1. Punkt\n\nSynligt.\n\n<!-- Struket på mötet:\n"
        "- [ ] **Åtgärd A1:** Dolt förslag.\n  - Ansvarig: AU\n-->\n\nOckså synligt.\n"), encoding="utf-8")
    for fmt in ("table", "markdown"):
        out = run_cli("show", "2025-01-10", "--archive", str(tmp_path), "-f", fmt)
        assert out.exit_code == 0 and "Synligt." in out.stdout and "Också synligt." in out.stdout
        assert "Dolt" not in out.stdout and "Struket" not in out.stdout


def test_show_places_two_entries_with_one_marker_each_where_it_is(tmp_path: Path) -> None:
    """Two follow-ups of one action in a meeting (LGS205) have the same marker: each
    is shown in its place, not the second raw and again after the item's text."""
    (tmp_path / "lgs.yaml").write_text("people: []\n", encoding="utf-8")
    (tmp_path / "2025-01-10.md").write_text(HEAD + (
        "## 1. Punkt\n\n- [x] **Uppföljning 2024-12-06-A1:** Första.\n  - Status: klar\n"
        "- [x] **Uppföljning 2024-12-06-A1:** Andra.\n  - Status: klar\n\nText efter.\n"), encoding="utf-8")
    out = run_cli("show", "2025-01-10", "--archive", str(tmp_path)).stdout
    lines = [ln.strip() for ln in out.splitlines()]
    first, second, after = (lines.index(t) for t in ("[x] Uppföljning 2024-12-06-A1: Första.",
                                                      "[x] Uppföljning 2024-12-06-A1: Andra.", "Text efter."))
    assert first < second < after and out.count("Andra.") == 1 and "**" not in out


def test_a_status_with_more_words_says_how_to_write_it(tmp_path: Path) -> None:
    archive = _archive(tmp_path, (
        "## 1. Punkt\n\n- [ ] **Uppföljning 2024-12-06-A1:** Pågår.\n  - Status: kvarstår, ny tid i januari\n"
        "- [ ] **Åtgärd:** Utan nummer.\n  - Ansvarig: AU\n"))
    found = {d.code: d for d in archive.diagnostics}
    assert found["LGS024"].hint is not None and "'Status: kvarstår'" in found["LGS024"].hint
    assert found["LGS020"].message == "Åtgärd needs a number like A1 (found none)"


def test_show_reads_markers_as_the_parser_does(tmp_path: Path) -> None:
    """A confidential marker written with a tab is one to `show --public` as to the
    parser; a "<!--" inside a code fence hides nothing."""
    (tmp_path / "lgs.yaml").write_text("people: []\n", encoding="utf-8")
    (tmp_path / "2025-01-10.md").write_text(HEAD + (
        "## 1. Punkt\n\n<!--\tkonfidentiellt -->\nHEMLIGT namn.\n<!-- /konfidentiellt\t-->\n\n"
        "```\n<!-- inte en kommentar\n```\n\nText efter koden.\n"), encoding="utf-8")
    public = run_cli("show", "2025-01-10", "--archive", str(tmp_path), "--public").stdout
    assert "HEMLIGT" not in public and "konfidentiellt avsnitt utelämnat" in public
    shown = run_cli("show", "2025-01-10", "--archive", str(tmp_path)).stdout
    assert "HEMLIGT namn." in shown and "<!-- inte en kommentar" in shown and "Text efter koden." in shown


def test_show_keeps_a_sentence_that_mentions_a_marker(tmp_path: Path) -> None:
    """Only a list item that starts with the marker is the entry: a sentence that
    mentions "**Åtgärd A2**" stays text, and A2 is shown in its own place."""
    (tmp_path / "lgs.yaml").write_text("people: []\n", encoding="utf-8")
    (tmp_path / "2025-01-10.md").write_text(HEAD + (
        "## 1. Punkt\n\nSom sagt under **Åtgärd A2** nedan behövs underlag.\n\n"
        "- [ ] **Åtgärd A2:** Två.\n  - Ansvarig: AU\n"), encoding="utf-8")
    lines = [ln.strip() for ln in run_cli("show", "2025-01-10", "--archive", str(tmp_path)).stdout.splitlines()]
    assert "Som sagt under Åtgärd A2 nedan behövs underlag." in lines
    assert lines.index("Som sagt under Åtgärd A2 nedan behövs underlag.") < lines.index(
        "[ ] Åtgärd 2025-01-10-A2: Två.")
    assert "- [ ] Åtgärd A2: Två." not in lines


# -- text from Word and e-mail ----------------------------------------------------------

def test_word_spaces_and_hyphens_read_as_plain_ones_in_the_body(tmp_path: Path) -> None:
    m, found = _load(tmp_path, (
        "## 1. Punkt\n\n"
        "-\u00a0[ ] **Åtgärd A1:** Hårt mellanslag.\n"
        "  - Ansvarig: Magnus\u00a0och\u00a0Sandor\n"
        "  - Senast: 2025\u201102\u201107 (februarimötet)\n"
        "- [ ] **Åt\u00adgärd A2:** Mjukt bindestreck.\n"
        "  - Ansvarig: AU\n"
        "- [x] **Uppföljning 2024\u201112\u201106\u2011A1:** Klart.\n"
        "  - Status: klar\n"
    ))
    entries = {e.local: e for e in m.items[0].entries}
    assert entries["A1"].owners == ["Magnus", "Sandor"]
    assert entries["A1"].due is not None and entries["A1"].due.iso() == "2025-02-07"
    assert "A2" in entries and entries["2024-12-06-A1"].kind is EntryKind.FOLLOWUP
    assert not {code for code, _ in found} & {"LGS020", "LGS027", "LGS023"}


def test_an_entry_s_text_wrapped_without_indentation_keeps_its_fields(tmp_path: Path) -> None:
    """An e-mail program wraps at 72 characters: Markdown continues the list item's
    paragraph (a "lazy continuation line"), and so does lgs."""
    m, found = _load(tmp_path, (
        "## 1. Punkt\n\n"
        "- [ ] **Åtgärd A1:** Kommunerna återkommer med\n"
        "siffror till nästa möte.\n"
        "  - Ansvarig: Kommunerna\n"
        "  - Senast: 2025-02-07\n"
        "\n"
        "- **Beslut B1:** Planen antas.\n"
        "Beslut: en ny rad som ser ut som ett beslut.\n"       # 15: not text of B1: a slip
        "  - Ansvarig: AU\n"
        "\n"
        "- **Beslut B2:** Efter en tom rad.\n"
        "  - Ansvarig: AU\n"
        "\n"
        "Dialog efter en tom rad är itemets text.\n"
    ))
    a1, b1, b2 = m.items[0].entries
    assert a1.text == "Kommunerna återkommer med siffror till nästa möte."
    assert a1.owners == ["Kommunerna"] and a1.due is not None
    assert b1.text == "Planen antas." and {("LGS027", 15), ("LGS101", 14)} <= found
    assert "Dialog efter" not in b2.text and "Dialog efter en tom rad" in m.items[0].text


def test_markers_from_word_or_a_converter_are_findings_not_silence(tmp_path: Path) -> None:
    m, found = _load(tmp_path, (
        "## 1. Punkt\n\n"                                       # 7
        "• **Åtgärd A1:** Word-punkt.\n"                        # 9
        "  - Ansvarig: Kommunerna\n"                            # 10: not reported again
        "> - [x] **Uppföljning 2024-12-06-A1:** Citat.\n"       # 11
        "| **Beslut B1:** I en tabell | AU |\n"                  # 12
        "- \\[ \\] **Åtgärd A2:** Pandoc.\n"                     # 13
        "- **Bordlagt U1:** Nästa möte.\n"                      # 14
        "  - Till: 2025-02\n"                                   # 15
        "- Något som inte är en åtgärd.\n"                      # 16
        "  - Senast: 2025-02\n"                                 # 17
        "  - Ansvarig: AU\n"                                    # 18: the same block
    ))
    assert m.items[0].entries == []
    assert {line for code, line in found if code == "LGS027"} == {9, 11, 12, 13, 14, 17}


@pytest.mark.parametrize("heading", ["   ## 2. Indragen", "  ## 2. Indragen"])
def test_a_heading_indented_up_to_three_spaces_is_an_item(heading: str, tmp_path: Path) -> None:
    m, found = _load(tmp_path, (
        "## 1. Punkt\n\n- [ ] **Åtgärd A1:** Något.\n  - Ansvarig: AU\n\n"
        f"{heading}\n\n- **Beslut B1:** Under den.\n  - Ansvarig: AU\n"
    ))
    assert [(i.number, [e.local for e in i.entries]) for i in m.items] == [("1", ["A1"]), ("2", ["B1"])]


def test_a_presenter_label_in_bold_is_read(tmp_path: Path) -> None:
    m, _ = _load(tmp_path, "## 1. Punkt\n\n**Föredragande:** Magnus\n**Underlag**: Rapporten\n")
    assert m.items[0].presenters == ["Magnus"] and m.items[0].material == ["Rapporten"]


def test_an_owner_with_a_note_in_parentheses_is_found_by_owner_filters(tmp_path: Path) -> None:
    root = with_drafts(tmp_path, {
        "2026-01-09": "- [ ] **Åtgärd A1:** Sammanställ.\n  - Ansvarig: Sandor Eriksson (RGK)\n"})
    for args in (("--owner", "Sandor"), ("--org", "RGK")):
        result = run_cli("actions", *args, "--since", "2026-01-01", "--archive", str(root))
        assert "2026-01-09-A1" in result.stdout, args
    assert "LGS105" not in run_cli("check", str(root)).stdout


def test_a_group_owner_with_organisations_left_out_does_not_count_for_them(tmp_path: Path) -> None:
    root = with_drafts(tmp_path, {"2026-01-09": (
        "- [ ] **Åtgärd A1:** Alla utom två svarar.\n  - Ansvarig: Kommunerna (utom Växjö kommun och alvesta)\n\n"
        "- **Beslut B1:** Kommunerna utom en.\n  - Ansvarig: Kommunerna (förutom RGK, Lessebo)\n")})
    common = ("--since", "2026-01-01", "--archive", str(root))
    listed = {org: run_cli("actions", "--org", org, *common).stdout for org in ("Växjö", "Alvesta", "Ljungby")}
    assert "2026-01-09-A1" not in listed["Växjö"] and "2026-01-09-A1" not in listed["Alvesta"]
    assert "2026-01-09-A1" in listed["Ljungby"]
    assert "2026-01-09-A1" in run_cli("actions", "--owner", "Kommunerna", *common).stdout  # still the group's
    rows = json.loads(run_cli("actions", "-f", "json", *common).stdout)
    assert [r["owners"] for r in rows if r["id"] == "2026-01-09-A1"] == [["Kommunerna (utom Alvesta, Växjö)"]]
    groups = run_cli("actions", "--group-by", "org", "-f", "json", *common).stdout
    assert {g["group"] for g in json.loads(groups) if any(r["id"] == "2026-01-09-A1" for r in g["actions"])} == {
        "Lessebo", "Ljungby", "Markaryd", "Tingsryd", "Uppvidinge", "Älmhult"}
    assert "2026-01-09-B1" not in run_cli("decisions", "--org", "Lessebo", *common).stdout
    assert "2026-01-09-B1" in run_cli("decisions", "--org", "Markaryd", *common).stdout
    assert "LGS105" not in run_cli("check", str(root)).stdout


def test_an_organisation_left_out_that_the_roster_does_not_know_is_reported(tmp_path: Path) -> None:
    root = with_drafts(tmp_path, {"2026-01-09": (
        "- [ ] **Åtgärd A1:** Svara.\n  - Ansvarig: Kommunerna (utom Växjöö)\n\n"
        "- [ ] **Åtgärd A2:** Svara.\n  - Ansvarig: Kommunerna (efter samråd)\n\n"
        "- [ ] **Åtgärd A3:** Svara.\n  - Ansvarig: Kommunerna (inte klart)\n\n"
        "- [ ] **Åtgärd A4:** Svara.\n  - Ansvarig: Ledningsgruppen (ej ordförandena)\n\n"
        "- [ ] **Åtgärd A5:** Svara.\n  - Ansvarig: Kommunerna (ej Växjö)\n\n"
        "- [ ] **Åtgärd A6:** Svara.\n  - Ansvarig: Kommunerna (utom: Växjö)\n\n"
        "- [ ] **Åtgärd A7:** Svara.\n  - Ansvarig: Kommunerna (ej:Växjö)\n")})
    out = run_cli("check", str(root)).stdout
    assert "leaves out 'Växjöö', which is no organisation of the roster" in out
    assert out.count("LGS105") == 1, out  # an ordinary note is no exclusion, also after "inte" or "ej"
    rows = json.loads(run_cli("actions", "--since", "2026-01-01", "-f", "json", "--archive", str(root)).stdout)
    owners = {r["id"][-2:]: r["owners"] for r in rows}
    assert owners["A5"] == owners["A6"] == owners["A7"] == ["Kommunerna (utom Växjö)"]
    listed = run_cli("actions", "--org", "Växjö", "--since", "2026-01-01", "--archive", str(root)).stdout
    assert "2026-01-09-A1" in listed and "2026-01-09-A2" in listed  # nothing is left out that is not known
    assert "2026-01-09-A3" in listed and "2026-01-09-A5" not in listed


def test_a_follow_up_without_a_checkbox_is_told_so(tmp_path: Path) -> None:
    archive = _archive(tmp_path, (
        "## 1. Punkt\n\n"
        "- **Uppföljning 2024-12-06-A1:** Klart.\n  - Status: klar\n"         # 9
        "- **Uppföljning 2024-12-06-A2:** Pågår.\n  - Status: kvarstår\n"     # 11: a carried one may do without
        "- [ ] **Uppföljning 2024-12-06-A3:** Klart.\n  - Status: struken\n"  # 13
    ))
    found = {d.line: d.message for d in archive.diagnostics if d.code == "LGS026"}
    assert found == {9: "the follow-up has no checkbox; its status is klar",
                     13: "checkbox is [ ] but the status is struken"}


def test_show_shows_an_entry_s_text_continued_without_indentation_once(tmp_path: Path) -> None:
    root = with_drafts(tmp_path, {"2026-01-09": (
        "- [ ] **Åtgärd A1:** AU tar fram ett förslag på\nresurssättning och tidsram.\n"
        "  - Ansvarig: AU\n  - Senast: 2026-03-01\n\nEfter.\n")})
    for fmt in ("text", "markdown"):
        out = run_cli("show", "2026-01-09", "-f", fmt, "--archive", str(root), env={"COLUMNS": "200"}).stdout
        assert out.count("tidsram") == 1 and out.count("Ansvarig: AU") == 1 and "Efter." in out, out


def test_a_nested_entry_s_paragraph_does_not_go_to_the_outer_one(tmp_path: Path) -> None:
    m, _ = _load(tmp_path, (
        "## 1. Punkt\n\n"
        "- **Beslut B3:** Ledningsgruppen antar årshjulet.\n"
        "  - [ ] **Åtgärd A3:** AU skickar ut årshjulet.\n"
        "    - Ansvarig: AU\n"
        "Dialog fördes om tidplanen.\n"
        "  - Ansvarig: Ledningsgruppen\n"
    ))
    b3 = next(e for e in m.items[0].entries if e.local == "B3")
    assert b3.text == "Ledningsgruppen antar årshjulet."


def test_fields_not_written_as_fields_are_findings(tmp_path: Path) -> None:
    m, found = _load(tmp_path, (
        "## 1. Punkt\n\n"                                      # 7
        "- [ ] **Åtgärd A1:** Något.\n"                        # 9
        "  - **Ansvarig:** AU\n"                               # 10: read (bold field name)
        "  • Senast: 2026-03-01\n"                             # 11
        "  - Senast 2026-03-01\n"                              # 12
        "- [ ] **Åtgärd A2:** Annat.\n"                        # 13
        "  - Ansvarig: AU\n"                                   # 14
        "Senast: 2026-03-01\n"                                 # 15: not indented under it
        "\n"
        "Till mötet kom alla.\n"                               # 17: text
    ))
    a1, a2 = m.items[0].entries
    assert a1.owners == ["AU"] and a1.due is None and a2.due is None
    assert {line for code, line in found if code == "LGS028"} == {11, 12, 15}


def test_a_fenced_block_ends_an_entry_with_its_findings_unless_it_is_indented_under_it(tmp_path: Path) -> None:
    m, found = _load(tmp_path, (
        "## 1. Punkt\n\n"                                      # 7
        "- [ ] **Åtgärd A1:** Utan ansvarig.\n\n"              # 9
        "```\nexempel\n```\n\n"                                # 11
        "- [ ] **Åtgärd A2:** Med ett kodblock.\n\n"           # 15
        "  ```\n  exempel\n  ```\n\n"
        "  - Ansvarig: AU\n"
    ))
    a1, a2 = m.items[0].entries
    assert ("LGS102", 9) in found and a2.owners == ["AU"] and ("LGS102", 15) not in found


@pytest.mark.parametrize("line", ["**Föredragande: Magnus**", "__Föredragande: Magnus__", "**Föredragande:** Magnus"])
def test_a_bold_presenter_line_is_read_without_its_stars(line: str, tmp_path: Path) -> None:
    m, _ = _load(tmp_path, f"## 1. Punkt\n\n{line}\n")
    assert m.items[0].presenters == ["Magnus"]


@pytest.mark.parametrize("line", [
    "**Beslut** fattades enligt förslaget.", "**Åtgärd A2** ovan behöver mer tid.", "| **Beslut** | **Datum** |",
    "(**Beslut** fattades i kommunstyrelsen.)", "– **Beslut** har inte fattats ännu, svarade Ulrika.",
    "**Uppföljning av föregående mötes åtgärder**", "#1 prioritet är bemanningen.", "**3 frågor till regionen**",
    "**9 januari**", "- Åtgärd 1: Utbildning för personal", "Till mötet kom alla.",
])
def test_narrative_with_bold_words_is_no_slip(line: str, tmp_path: Path) -> None:
    _, found = _load(tmp_path, f"## 1. Punkt\n\nText.\n\n{line}\n")
    assert not {code for code, _ in found} & {"LGS027", "LGS028", "LGS032"}, found


@pytest.mark.parametrize("line", [
    "o **Åtgärd A1:** Word-punkt.", "a) **Beslut B1:** Bokstav.", "1.1 **Beslut B2:** Decimal.",
    "> 1. **Beslut B1:** Citat.", "- [ ] _**Åtgärd A1:**_ Kursiv.", "- [ ] **_Åtgärd A2:_** Kursiv.",
    "Uppskjuten U2: Nästa möte.", "Bordlagt U2: Nästa möte.", "- ☐ **Åtgärd A2:** Ruta.",
])
def test_more_word_shapes_are_findings(line: str, tmp_path: Path) -> None:
    m, found = _load(tmp_path, f"## 1. Punkt\n\n{line}\n")
    assert m.items[0].entries == [] and ("LGS027", 9) in found, found


def test_a_list_and_a_rule_are_no_heading(tmp_path: Path) -> None:
    _, found = _load(tmp_path, "## 1. Punkt\n\n1. Inledning\n2. Bakgrund\n3. Förslag\n---\n\n- **Beslut B2:** Ja.\n"
                               "5 Övrigt\n--------\n")
    assert not {code for code, _ in found} & {"LGS032"}, found


def test_an_unnumbered_heading_indented_under_an_entry_stays_its_text(tmp_path: Path) -> None:
    m, _ = _load(tmp_path, (
        "## 1. Punkt\n\n- **Beslut B1:** Ja.\n  - Ansvarig: AU\n\n  ## Bakgrund till beslutet\n\n  Text.\n\n"
        "- **Beslut B2:** Också.\n  - Ansvarig: AU\n"
    ))
    assert [(i.number, [e.local for e in i.entries]) for i in m.items] == [("1", ["B1", "B2"])]


@pytest.mark.parametrize("line", ["- Status: projektet pågår", "- Till: alla kommuner", "- Ansvarig för frågan är AU"])
def test_a_narrative_list_under_a_bullet_is_no_orphan_field(line: str, tmp_path: Path) -> None:
    _, found = _load(tmp_path, f"## 1. Punkt\n\n- Projektet i korthet\n  {line}\n")
    assert not {code for code, _ in found} & {"LGS027", "LGS028"}, found


def test_a_presenter_in_bold_after_the_label_keeps_no_stars(tmp_path: Path) -> None:
    m, _ = _load(tmp_path, "## 1. Punkt\n\nFöredragande: **Magnus**\n")
    assert m.items[0].presenters == ["Magnus"]


@pytest.mark.parametrize("line", ["- **Beslut** i kommunerna väntas i mars.", "- **Åtgärder** diskuterades.",
                                  "- **Uppföljning** av handlingsplanen."])
def test_a_bold_word_in_a_list_is_no_entry(line: str, tmp_path: Path) -> None:
    m, found = _load(tmp_path, f"## 1. Punkt\n\n{line}\n")
    assert m.items[0].entries == [] and not found, found


@pytest.mark.parametrize("line", ["- **Beslut:** Ledningsgruppen antar.", "- **Beslut** B1: Utanför fetstilen."])
def test_a_bold_marker_without_its_number_is_still_an_entry_with_a_slip(line: str, tmp_path: Path) -> None:
    _, found = _load(tmp_path, f"## 1. Punkt\n\n{line}\n  - Ansvarig: AU\n")
    assert ("LGS020", 9) in found


def test_a_marker_in_the_middle_of_a_line_is_a_finding(tmp_path: Path) -> None:
    m, found = _load(tmp_path, (
        "## 1. Punkt\n\n"
        "Ledningsgruppen diskuterade. **Beslut B2:** Budgeten antas.\n"            # 9
        "- [ ] **Åtgärd A1:** Först. **Åtgärd A2:** Sedan.\n  - Ansvarig: AU\n"   # 10
        "Se **Åtgärd A1** ovan.\n"                                                 # 12: a mention
    ))
    assert [e.local for e in m.items[0].entries] == ["A1"]
    assert {line for code, line in found if code == "LGS027"} == {9, 10}


def test_an_unindented_field_after_wrapped_text_is_a_finding(tmp_path: Path) -> None:
    _, found = _load(tmp_path, (
        "## 1. Punkt\n\n- [ ] **Åtgärd A1:** Kommunerna återkommer med\nsiffror.\nAnsvarig: Kommunerna\n"
    ))
    assert ("LGS028", 11) in found


@pytest.mark.parametrize("line", ["- [ ] **Åtgärd** Sammanställ enkäten.", "- **Beslut** 1: Budgeten antas.",
                                  "- **Beslut** – Budgeten antas.", "- **Beslut** (B1): Budgeten antas."])
def test_a_bold_marker_that_is_meant_as_an_entry_is_a_finding(line: str, tmp_path: Path) -> None:
    _, found = _load(tmp_path, f"## 1. Punkt\n\n{line}\n  - Ansvarig: AU\n")
    assert ("LGS020", 9) in found and ("LGS028", 10) not in found, found


@pytest.mark.parametrize(("line", "flagged"), [
    ("   Diskussion. **Beslut B2:** Budgeten antas.", True),
    ("Se även **Beslut 2025-04-04-B1**: gäller fortfarande.", False),
])
def test_markers_in_the_middle_of_indented_lines_and_dated_mentions(line: str, flagged: bool,
                                                                   tmp_path: Path) -> None:
    _, found = _load(tmp_path, f"## 1. Punkt\n\nText.\n\n{line}\n")
    assert (("LGS027", 11) in found) == flagged, found


def test_a_marker_in_an_entry_s_continued_text_is_a_finding(tmp_path: Path) -> None:
    m, found = _load(tmp_path, (
        "## 1. Punkt\n\n- **Beslut B1:** Budgeten antas.\n  Dessutom: **Åtgärd A1:** AU återkommer.\n"
        "  - Ansvarig: AU\n"
    ))
    assert [e.local for e in m.items[0].entries] == ["B1"] and ("LGS027", 10) in found


def test_items_numbered_as_swedish_minutes_number_them(tmp_path: Path) -> None:
    m, found = _load(tmp_path, (
        "## § 12 Sommarsituationen\n\n"
        "- [ ] **Åtgärd A1:** Rapport.\n  - Ansvarig: AU\n\n"
        "## Punkt 3 Utskrivningsklara\n\n"
        "## §13. Övrigt\n\n"
        "## § 14\n\n"
        "## Punkten om budget\n"
    ))
    assert [(it.number, it.title) for it in m.items] == [
        ("12", "Sommarsituationen"), ("3", "Utskrivningsklara"), ("13", "Övrigt"), (None, "§ 14"),
        (None, "Punkten om budget")]
    assert [e.item_number for e in m.entries] == ["12"]


def test_a_field_value_in_bold_is_read_without_the_stars(tmp_path: Path) -> None:
    m, found = _load(tmp_path, (
        "## 1. Punkt\n\n"
        "- [ ] **Åtgärd A1:** Med fetstil.\n"
        "  - **Ansvarig:** **AU**\n"
        "  - Senast: __2025-03__\n"
    ))
    (a1,) = m.entries
    assert a1.owners == ["AU"] and a1.due is not None and a1.due.iso() == "2025-03"
    assert not [code for code, _ in found if code.startswith("LGS02")]


def test_a_follow_up_id_written_with_a_slip_gets_a_hint_that_says_which(tmp_path: Path) -> None:
    archive = _archive(tmp_path, (
        "## 1. Uppföljning\n\n"
        "- [ ] **Uppföljning 2024\u201301\u201312\u2013A1:** Word.\n  - Status: kvarstår\n"
        "- [ ] **Uppföljning A1:** Kort.\n  - Status: kvarstår\n"
        "- [ ] **Uppföljning 2024-01-12 a1:** Mellanslag.\n  - Status: kvarstår\n"
        "- [ ] **Uppföljning av A1:** Ord.\n  - Status: kvarstår\n"
    ))
    hints = [d.hint for d in archive.diagnostics if d.code == "LGS020"]
    assert hints == [
        "It has dashes (–, as Word writes them) where the ID has hyphens (-): write '2024-01-12-A1'.",
        "Write the full ID: the date of the meeting that raised the action, then its number ('2025-04-04-A1'); "
        "'lgs actions --open' lists them.",
        "Write it without spaces: '2024-01-12-A1'.",
        "Write '**Uppföljning 2025-04-04-A1:**' with the action's ID; 'lgs actions --open' lists them.",
    ]


def test_fields_written_in_bold_or_italics_as_word_writes_them(tmp_path: Path) -> None:
    m, found = _load(tmp_path, (
        "## 1. Punkt\n\n"
        "- [ ] **Åtgärd A1:** Helt i fetstil.\n  - **Ansvarig: AU**\n"
        "- [ ] **Åtgärd A2:** Varje namn.\n  - **Ansvarig:** **AU**, **RGK**\n  - **Senast:** **2026-03** (marsmötet)\n"
        "- [ ] **Åtgärd A3:** Kursiv.\n  - Ansvarig: *AU*\n"
        "- [ ] **Åtgärd A4:** Fetstil som inte är ett fält.\n  - **Notera: viktigt**\n  - Ansvarig: AU\n"
    ))
    got = {e.local: (e.owners, e.due.iso() if e.due else None) for e in m.entries}
    assert got == {"A1": (["AU"], None), "A2": (["AU", "RGK"], "2026-03"), "A3": (["AU"], None),
                   "A4": (["AU"], None)}
    assert m.entries[3].text == "Fetstil som inte är ett fält. - **Notera: viktigt**"
    assert not found
