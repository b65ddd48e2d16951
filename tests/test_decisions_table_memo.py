"""``lgs decisions`` on a pipe draws its table meeting by meeting and keeps each
meeting's lines in the memo "decisions-table" (cmd_reports._decisions_piped,
output.render_by_meeting): the text is exactly the report of every decision
(drawn without the memo), cold and warm, after changes, for other widths and
options, and the memo is really used when nothing changed."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import MINUTES, age, bench_generator, run_cli
from lgs_cli import cmd_reports, output

NO_CACHE = {"LGS_NO_CACHE": "1"}

# Decisions whose text the table must draw as Rich would: wide and combining
# characters, a tab, a long word, control and bidi characters, markup, a blank item title.
TRICKY = """---
date: 2024-03-08
start: "11:00"
end: "15:00"
location: Regionhuset
status: draft
chairs: [Anna Andersson]
secretary: [Cecilia Carlsson]
justerare: [Bertil Berg]
attendees:
  - Anna Andersson, Alvesta
---

# Ledningsgrupp för samordning 2024-03-08

## 1. 漢字のテーマ och ett mycket långt ord: Samverkansöverenskommelsesuppföljningsgruppen

- **Beslut B1:** Ledningsgruppen 決定 att e\u0301n tabb\there och [bold]markup[/bold] \u202eomvänt\u202c gäller.
  - Ansvarig: Anna Andersson

- **Beslut B2:** 🙂 Emoji och Samverkansöverenskommelsesuppföljningsgruppensordförandeskapet.
  🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂
  - Ansvarig: Ledningsgruppen, Kommunerna

## 2. Kort

- **Beslut B3:** Ja.
  - Ansvarig: AU
"""


def _archive(tmp_path: Path, kind: str) -> Path:
    root = tmp_path / "arch"
    if kind == "generated":
        bench_generator().generate(40, root, seed=7)
    else:
        shutil.copytree(MINUTES, root)
        if kind == "tricky":
            (root / "2024").mkdir(exist_ok=True)
            (root / "2024" / "2024-03-08.md").write_text(TRICKY, encoding="utf-8")
    age(root)
    return root


def _run(root: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = run_cli("decisions", "--archive", str(root), *args, env=env)
    assert result.exception is None, result.exception
    return result.exit_code, result.stdout, result.stderr


def _same_as_without_memo(root: Path, *args: str, columns: str = "80") -> tuple[int, str, str]:
    env = {"COLUMNS": columns}
    want = _run(root, *args, env={**env, **NO_CACHE})
    assert _run(root, *args, env=env) == want  # cold: memo written
    assert _run(root, *args, env=env) == want  # warm: memo read
    return want


@pytest.mark.parametrize("kind", ["real", "generated", "tricky"])
@pytest.mark.parametrize("args", [(), ("--public",), ("--since", "2024-03-01"), ("--until", "2024-02-01"),
                                  ("--meeting", "2024-03-08")])
def test_the_memoised_table_is_the_report(kind: str, args: tuple[str, ...], tmp_path: Path, cache_dir: Path) -> None:
    root = _archive(tmp_path, kind)
    for columns in ("80", "40", "200", "12"):
        _same_as_without_memo(root, *args, columns=columns)


def test_the_tricky_text_is_drawn_and_escaped(tmp_path: Path, cache_dir: Path) -> None:
    root = _archive(tmp_path, "tricky")
    code, out, err = _same_as_without_memo(root, "--meeting", "2024-03-08", columns="100")
    assert code == 0 and "3 decision(s) from 1 meeting(s)." in err
    assert "[bold]markup[/bold]" in out and "\u202e" not in out and "\\u202e" in out
    assert "漢字" in out and "🙂" in out


def test_nothing_found_writes_nothing(tmp_path: Path, cache_dir: Path) -> None:
    root = _archive(tmp_path, "real")
    code, out, err = _same_as_without_memo(root, "--since", "2090-01-01")
    assert (code, out) == (0, "") and "No decisions match." in err


def test_a_changed_file_and_roster_are_drawn_anew(tmp_path: Path, cache_dir: Path) -> None:
    root = _archive(tmp_path, "generated")
    _same_as_without_memo(root)
    meeting = sorted(root.rglob("*.md"))[5]
    text = meeting.read_text(encoding="utf-8")
    assert "**Beslut B1:**" in text
    meeting.write_text(text.replace("**Beslut B1:**", "**Beslut B1:** Ändrat i efterhand och längre än förut.", 1),
                       encoding="utf-8")
    age(root)
    _, out, _ = _same_as_without_memo(root)
    assert "Ändrat i efterhand" in out
    roster = root / "lgs.yaml"
    roster.write_text(roster.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    _same_as_without_memo(root)


def test_other_widths_and_options_in_turn(tmp_path: Path, cache_dir: Path) -> None:
    """The memo holds one layout per meeting; runs that alternate draw it again and stay right."""
    root = _archive(tmp_path, "generated")
    for columns, args in [("80", ()), ("60", ()), ("80", ("--public",)), ("80", ()), ("60", ("--since", "2025-06-01")),
                          ("60", ())]:
        _same_as_without_memo(root, *args, columns=columns)


def test_the_memo_is_used(tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _archive(tmp_path, "generated")
    want = _same_as_without_memo(root)
    assert list((cache_dir / "archives").glob("*.decisions-table.memo"))

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("made again instead of taken from the memo")

    monkeypatch.setattr(cmd_reports, "decision_record", boom)
    assert _run(root, env={"COLUMNS": "80"}) == want
    # Another width: the records are not needed (the measurements are in the memo), only the lines.
    monkeypatch.undo()
    calls: list[int] = []
    real = output.render_by_meeting

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(output, "render_by_meeting", counting)
    assert _run(root, env={"COLUMNS": "70"}) == _run(root, env={"COLUMNS": "70", **NO_CACHE})
    assert calls == [1]  # the memoised path drew it (not the report of every decision)


def test_filters_of_single_decisions_take_the_report(tmp_path: Path, cache_dir: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    root = _archive(tmp_path, "real")

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the memoised path is not for filtered rows")

    monkeypatch.setattr(output, "render_by_meeting", boom)
    for args in [("--owner", "AU"), ("--org", "Växjö"), ("--search", "våld"), ("-f", "csv"), ("--pending",)]:
        code, _, _ = _run(root, *args)
        assert code == 0


def test_rich_s_unicode_version_is_part_of_the_layout(tmp_path: Path, cache_dir: Path) -> None:
    """Rich measures wide characters by its Unicode tables (UNICODE_VERSION): lines
    kept for one are drawn again for another."""
    import os
    import subprocess
    import sys

    root = _archive(tmp_path, "tricky")
    main = "import sys; sys.argv = ['lgs', *sys.argv[1:]]; from lgs_cli.entry import main; main()"
    env_columns = {"COLUMNS": "80"}

    def run(version: str, cache: bool) -> bytes:
        env = {**os.environ, **env_columns, "UNICODE_VERSION": version, "NO_COLOR": "1", "LGS_ARCHIVE": ""}
        if not cache:
            env["LGS_NO_CACHE"] = "1"
        return subprocess.run([sys.executable, "-c", main, "decisions", "--archive", str(root), "--meeting",
                               "2024-03-08"], capture_output=True, env=env, check=True).stdout

    outputs = set()
    for columns in ("80", "200"):  # 200: the emoji fit on one line (the widths come from the measurements)
        env_columns["COLUMNS"] = columns
        for version in ("latest", "4.1.0", "4.1.0", "latest", "latest", "4.1.0"):
            out = run(version, cache=True)
            assert out == run(version, cache=False), (columns, version)
            outputs.add(out)
    assert len(outputs) == 4  # the versions draw the emoji at other widths


def test_the_narrow_console_note_counts_wide_characters(tmp_path: Path, cache_dir: Path) -> None:
    """A column left out for want of room is noted the same on both paths, also when
    its cells are wide characters (two cells each)."""
    root = _archive(tmp_path, "real")
    wide = "漢字" * 10
    (root / "2024" / "2024-03-08.md").write_text(
        TRICKY.split("# Ledningsgrupp", 1)[0] + f"## 1. Kort\n\n- **Beslut B1:** Ja.\n  - Ansvarig: {wide}\n",
        encoding="utf-8")
    age(root)
    noted = 0
    for columns in range(40, 72, 4):
        code, out, err = _same_as_without_memo(root, "--meeting", "2024-03-08", columns=str(columns))
        noted += "columns are too few" in err
    assert noted
