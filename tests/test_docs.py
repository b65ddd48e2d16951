"""The README and docs stay true: every command is documented, and the examples
that show real output are the real output."""

from __future__ import annotations

import re

from conftest import MINUTES, ROOT, run_cli
from lgs_cli.cli import app

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    import typer.main

    group = typer.main.get_command(app)
    return sorted(group.commands)  # type: ignore[attr-defined]


def test_every_command_has_a_readme_section_with_an_example() -> None:
    for name in _commands():
        assert f"### `lgs {name}" in README, f"README has no section for lgs {name}"
        assert f"lgs {name}" in README.split(f"### `lgs {name}", 1)[1].split("\n### ", 1)[0]


def test_setup_commands_are_the_two_documented_ones() -> None:
    setup = README.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    commands = [ln for ln in setup.splitlines() if ln.startswith("python3 -m venv")]
    assert len(commands) == 2
    assert commands[0].endswith("lgs actions --open")
    assert "pytest" in commands[1] and ".[test]" in commands[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for command in commands:
        assert command in ci.splitlines(), f".ci/run does not run the README command: {command}"


def test_new_meeting_example_is_the_real_output() -> None:
    result = run_cli("new-meeting", "--archive", str(MINUTES), "--today", "2025-12-20", "--dry-run")
    assert result.exit_code == 0, result.stderr
    section = README.split("### `lgs new-meeting", 1)[1]
    whole = section.split("<summary>The whole file", 1)[1].split("```markdown\n", 1)[1].split("\n```", 1)[0]
    assert whole + "\n" == result.stdout


def test_format_doc_describes_every_key_the_archive_uses() -> None:
    doc = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    used: set[str] = set()
    for path in MINUTES.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        front = text.split("---\n", 2)[1]
        used |= set(re.findall(r"^([a-z_]+):", front, flags=re.M))
    for key in sorted(used):
        assert f"`{key}`" in doc, key
