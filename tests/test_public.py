"""--public: nothing of a confidential item or passage reaches a listing, a
search, a filter or ``show`` (the output may be posted where the group cannot
control who reads it)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import MINUTES, age, run_cli, with_drafts

SECRET = """
## 9. Personalärende Kalle Anka {konfidentiellt}

- [ ] **Åtgärd A9:** Meddela Kalle Anka hemligt.
  - Ansvarig: AU
  - Senast: 2025-12-19 (Kalle Anka senast)

- **Beslut B9:** Kalle Anka beviljas hemligt.
  - Ansvarig: AU

- **Uppskjutet U9:** Kalle Anka hemligt, beslut i februari.
  - Till: 2026-02 (Kalle Anka i februari)

## 10. Öppen punkt

<!-- konfidentiellt -->
- [ ] **Åtgärd A10:** Musse Pigg får sitt besked.
  - Ansvarig: AU
  - Senast: 2025-12-19 (Musse Pigg senast)
<!-- /konfidentiellt -->

- [ ] **Åtgärd A11:** Öppen åtgärd.
  - Ansvarig: AU

## 11. Personalärende Kajsa {konfidentiellt} (forts.)

- [ ] **Åtgärd A12:** Kajsa Anka får sitt besked.
  - Ansvarig: AU
"""
WORDS = ("Kalle", "Musse", "Kajsa", "hemligt")


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    root = tmp_path / "minutes"
    shutil.copytree(MINUTES, root)
    meeting = root / "2025" / "2025-12-05.md"
    meeting.write_text(meeting.read_text(encoding="utf-8") + SECRET, encoding="utf-8")
    age(root)
    return root


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown"])
@pytest.mark.parametrize("command", [("actions", "--all"), ("decisions",), ("decisions", "--pending")])
def test_public_listings_show_no_confidential_text(command: tuple[str, ...], fmt: str, archive: Path,
                                                   cache_dir: Path) -> None:
    args = [*command, "--archive", str(archive), "--today", "2025-12-10", "-f", fmt]
    private = run_cli(*args)
    public = run_cli(*args, "--public")
    assert public.exit_code == 0, public.stderr
    for word in WORDS:
        assert word not in public.stdout, word
    assert "Kalle" in private.stdout  # the words are there without --public
    assert "konfidentiellt" in public.stdout
    assert "Öppen" in public.stdout or command != ("actions", "--all")
    assert "((konfidentiellt))" not in public.stdout  # a due date's label redacted is shown once in parentheses
    if command == ("actions", "--all") and fmt == "markdown":
        assert "2025-12-19 (konfidentiellt)" in public.stdout
    if command == ("actions", "--all") and fmt == "csv":  # the date and its words in cells of their own
        assert "2025-12-19,(konfidentiellt)," in public.stdout
    if command == ("actions", "--all") and fmt == "json":  # the data as every redacted value: "(konfidentiellt)"
        labels = {a["id"]: a["due_label"] for a in json.loads(public.stdout)}
        assert labels["2025-12-05-A10"] == "(konfidentiellt)"


@pytest.mark.parametrize("word", WORDS)
def test_public_search_does_not_find_confidential_text(word: str, archive: Path, cache_dir: Path) -> None:
    found = 0
    for command in (("actions", "--all"), ("decisions",)):
        args = [*command, "--archive", str(archive), "--today", "2025-12-10", "--search", word, "-f", "json"]
        found += len(json.loads(run_cli(*args).stdout))
        assert json.loads(run_cli(*args, "--public").stdout) == []
    assert found  # found without --public


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_public_show_leaves_out_the_confidential_item_and_its_title(fmt: str, archive: Path, cache_dir: Path) -> None:
    result = run_cli("show", "2025-12-05", "--archive", str(archive), "--public", "-f", fmt)
    assert result.exit_code == 0, result.stderr
    for word in WORDS:
        assert word not in result.stdout, word
    assert "Öppen åtgärd" in result.stdout


def test_public_show_keeps_an_entry_of_a_passage_left_out_in_its_place(tmp_path: Path) -> None:
    root = with_drafts(tmp_path, {"2026-01-09": (
        "Inledning.\n\n<!-- konfidentiellt -->\n- **Beslut B1:** Hemligt beslut.\n  - Ansvarig: AU\n"
        "\nMer hemlig text.\n<!-- /konfidentiellt -->\n\n- **Beslut B2:** Öppet beslut.\n  - Ansvarig: AU\n\nSlut.\n"
        # the same marker again in a passage (LGS022): its line is confidential text, never shown
        "\n<!-- konfidentiellt -->\n- **Beslut B2:** Hemlig dubblett.\n  - Ansvarig: AU\n<!-- /konfidentiellt -->\n")})
    for fmt in ("text", "markdown"):
        out = run_cli("show", "2026-01-09", "--public", "-f", fmt, "--archive", str(root),
                      env={"COLUMNS": "200"}).stdout
        assert "Hemlig" not in out and "hemlig" not in out, out
        order = [out.index(s) for s in ("Inledning", "(konfidentiellt avsnitt utelämnat)", "2026-01-09-B1",
                                        "Öppet beslut", "Slut.")]
        assert order == sorted(order), out
        assert "2026-01-09-B1: (konfidentiellt)" in out.replace("*", "")


def test_a_confidential_passage_inside_an_entry_makes_the_entry_confidential(tmp_path: Path) -> None:
    root = with_drafts(tmp_path, {"2026-01-09": (
        "- **Beslut B1:** Öppen början\n  <!-- konfidentiellt -->\n  hemlig SECRET7\n  <!-- /konfidentiellt -->\n"
        "  - Ansvarig: AU\n\n- **Beslut B2:** Öppet.\n  - Ansvarig: AU\n")})
    for command in (("show", "2026-01-09"), ("decisions", "--meeting", "2026-01-09")):
        for fmt in ("text", "markdown", "json"):
            out = run_cli(*command, "--public", "-f", fmt, "--archive", str(root), env={"COLUMNS": "200"}).stdout
            assert "SECRET7" not in out and "Öppet." in out, (command, fmt, out)
    assert "SECRET7" in run_cli("show", "2026-01-09", "--archive", str(root), env={"COLUMNS": "200"}).stdout
    assert "LGS025" not in run_cli("check", str(root)).stdout


def test_show_on_a_pipe_keeps_every_line_within_the_width_in_cells(tmp_path: Path) -> None:
    from rich.cells import cell_len

    root = with_drafts(tmp_path, {"2026-01-09": ("漢" * 60 + "\n\nText " + "é" * 90 + "\n\n- 🙂🙂 " + "x" * 70 + "\n\n"
                                                 + "a\n\n" * 200)})
    out = run_cli("show", "2026-01-09", "--archive", str(root), env={"COLUMNS": "80"}).stdout
    assert max(cell_len(line) for line in out.splitlines()) <= 80
    assert out.count("漢") == 60 and out.count("é") == 90 and out.count("\na\n") == 200


def test_public_hides_a_passage_inside_a_line_and_an_item_a_passage_runs_into(tmp_path: Path) -> None:
    root = with_drafts(tmp_path, {"2026-01-09": (
        "- **Beslut B1:** Öppet <!-- konfidentiellt --> HEMLIG4 <!-- /konfidentiellt -->\n  - Ansvarig: AU\n\n"
        "Text <!-- konfidentiellt --> HEMLIG6 <!-- /konfidentiellt --> slut.\n\n"
        "<!-- konfidentiellt -->\nHemlig inledning.\n\n## 2. HEMLIG5 rubrik\n\nMer HEMLIG7.\n<!-- /konfidentiellt -->\n\n"
        "## 3. Öppen punkt\n\nÖppen text.\n")})
    for command in (("show", "2026-01-09"), ("decisions", "--meeting", "2026-01-09"),
                    ("actions", "--all", "--meeting", "2026-01-09")):
        for fmt in ("text", "markdown", "json"):
            out = run_cli(*command, "--public", "-f", fmt, "--archive", str(root), env={"COLUMNS": "200"}).stdout
            assert "HEMLIG" not in out, (command, fmt, out)
    shown = run_cli("show", "2026-01-09", "--public", "--archive", str(root), env={"COLUMNS": "200"}).stdout
    assert "Text (konfidentiellt) slut." in shown and "Öppen text." in shown
    assert run_cli("check", str(root)).stdout.count("LGS034") == 2  # the markers inside lines hide nothing


LEAKS = (
    "## 2. Budget <!-- konfidentiellt -->HEMLIG1<!-- /konfidentiellt -->\n\n"
    "Föredragande: Magnus Frithiof <!-- konfidentiellt -->HEMLIG2<!-- /konfidentiellt -->\n\n"
    "- **Beslut B1:** Beslut\nom <!-- konfidentiellt -->HEMLIG3<!-- /konfidentiellt -->\n  - Ansvarig: AU\n\n"
    "- [ ] **Åtgärd A1:** Gör.\n  - Ansvarig: AU <!-- konfidentiellt -->HEMLIG4<!-- /konfidentiellt -->\n\n"
    "## 3. Personal\n\nPersonalärende: <!-- konfidentiellt -->\n- **Beslut B2:** HEMLIG5 beslut.\n  - Ansvarig: AU\n"
    "<!-- /konfidentiellt -->\n\n"
    "- **Beslut B3:** Yttre öppet.\n  - Ansvarig: AU\n"
    "  - [ ] **Åtgärd A2:** Inre <!-- konfidentiellt -->HEMLIG6<!-- /konfidentiellt -->\n    - Ansvarig: AU\n\n"
    "Text med `<!-- konfidentiellt -->` i kod.\n"
)


def test_no_inline_marker_lets_confidential_text_through_public_output(tmp_path: Path) -> None:
    root = with_drafts(tmp_path, {"2026-01-09": LEAKS})
    for command in (("show", "2026-01-09"), ("decisions", "--meeting", "2026-01-09"),
                    ("actions", "--all", "--meeting", "2026-01-09")):
        for fmt in ("text", "markdown", "json", "csv"):
            if command[0] == "show" and fmt == "csv":
                continue
            out = run_cli(*command, "--public", "-f", fmt, "--archive", str(root), env={"COLUMNS": "200"}).stdout
            assert "HEMLIG" not in out, (command, fmt, out)
    shown = run_cli("show", "2026-01-09", "--public", "--archive", str(root), env={"COLUMNS": "200"}).stdout
    assert "Yttre öppet." in shown  # the outer entry of a nested one with a marker is not confidential
    assert "Text med `<!-- konfidentiellt -->` i kod." in shown  # a marker in a code span is text
    found = json.loads(run_cli("check", str(root), "-f", "json").stdout)["findings"]
    assert sorted(f["line"] for f in found if f["code"] == "LGS034") == [9, 11, 14, 18, 22, 29]


def test_a_follow_up_of_a_confidential_action_is_confidential_wherever_written(tmp_path: Path) -> None:
    """Its note tells how the confidential matter went: --public hides it also when
    the secretary wrote it in ordinary text (listings, show, search), and `lgs check`
    says to move it into confidential text (LGS210)."""
    root = tmp_path / "minutes"
    shutil.copytree(MINUTES, root)
    april = root / "2025" / "2025-04-04.md"
    april.write_text(april.read_text(encoding="utf-8") + SECRET, encoding="utf-8")
    december = root / "2025" / "2025-12-05.md"
    december.write_text(december.read_text(encoding="utf-8")
                        + "\n## 12. Uppföljning\n\n- [x] **Uppföljning 2025-04-04-A9:** Kalle Anka fick beskedet.\n"
                          "  - Status: klar\n", encoding="utf-8")
    age(root)
    common = ("--archive", str(root), "--today", "2025-12-10")
    closed = run_cli("actions", "--closed", *common, "-f", "json")
    assert "Kalle Anka fick beskedet" in closed.stdout  # without --public: as written
    for args in (("actions", "--closed", *common), ("actions", "--closed", *common, "-f", "json"),
                 ("show", "2025-12-05", "--archive", str(root)),
                 ("show", "2025-12-05", "--archive", str(root), "-f", "json"),
                 ("actions", "--all", "--search", "beskedet", *common)):
        public = run_cli(*args, "--public")
        assert public.exit_code == 0, public.stderr
        assert "Kalle" not in public.stdout and "beskedet" not in public.stdout, (args, public.stdout)
    note = run_cli("show", "2025-12-05", "-f", "markdown", "--archive", str(root)).stderr
    assert "give --public to leave it out" in note  # the markdown holds the follow-up's note in full
    checked = run_cli("check", str(root), "--today", "2025-12-10").stdout
    assert "LGS210" in checked and "2025-12-05.md:" in checked.split("LGS210")[0].rsplit("\n", 1)[-1]


def test_a_decision_settling_a_confidential_matter_is_confidential_wherever_written(tmp_path: Path) -> None:
    root = tmp_path / "minutes"
    shutil.copytree(MINUTES, root)
    april = root / "2025" / "2025-04-04.md"
    april.write_text(april.read_text(encoding="utf-8") + "\n## 12. Lokalfråga {konfidentiellt}\n\n"
                     "- **Uppskjutet U9:** Lokal Y, beslut i december.\n  - Till: 2025-12\n", encoding="utf-8")
    december = root / "2025" / "2025-12-05.md"
    december.write_text(december.read_text(encoding="utf-8") + "\n## 12. Lokaler\n\n- **Beslut B9:** BESLUTHEMLIG "
                        "lokal Y beslutas.\n  - Ansvarig: AU\n  - Avser: 2025-04-04-U9\n", encoding="utf-8")
    age(root)
    assert "BESLUTHEMLIG" in run_cli("decisions", "--archive", str(root)).stdout
    for args in (("decisions", "--public"), ("decisions", "--public", "-f", "json"),
                 ("show", "2025-12-05", "--public"), ("decisions", "--public", "--search", "lokal")):
        assert "BESLUTHEMLIG" not in run_cli(*args, "--archive", str(root)).stdout, args
    assert "give --public" in run_cli("show", "2025-12-05", "-f", "markdown", "--archive", str(root)).stderr
    checked = run_cli("check", str(root), "--today", "2025-12-10").stdout
    assert "2025-12-05-B9 settles 2025-04-04-U9, a confidential matter" in checked
