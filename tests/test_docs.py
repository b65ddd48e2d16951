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


# README examples that show a situation the bundled archive is not in (a branch
# with changes, a draft to approve, a broken file): their output is illustrative.
SCENARIOS = ("lgs check minutes/ --base main", "lgs diff", "lgs approve ")


def _console_examples() -> list[tuple[str, list[str]]]:
    found = []
    for block in re.findall(r"```console\n(.*?)\n```", README, re.S):
        lines = block.split("\n")
        for i, line in enumerate(lines):
            if not line.startswith("$ lgs"):
                continue
            out = []
            for following in lines[i + 1:]:
                if following.startswith("$ "):
                    break
                out.append(following)
            if out:
                found.append((line[2:].split("  #")[0].strip(), out))
    return found


def test_console_examples_show_the_real_output() -> None:
    """Every line a README example prints is a line the command prints on the bundled archive."""
    import shlex

    checked = 0
    for command, shown in _console_examples():
        if command.startswith(SCENARIOS) or any("Skipped" in line for line in shown):
            continue
        args = shlex.split(command)[1:]
        if args[0] != "check" and "--archive" not in args:
            args += ["--archive", str(MINUTES)]
        result = run_cli(*args, env={"COLUMNS": "80"})
        actual = {line.rstrip() for line in (result.stdout + result.stderr).split("\n")}
        missing = [line for line in shown if line.strip() and "…" not in line and line.rstrip() not in actual]
        assert not missing, f"README example '{command}' shows lines the command does not print: {missing[:3]}"
        checked += 1
    assert checked >= 12
