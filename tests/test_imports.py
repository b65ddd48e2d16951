"""Start-up stays light: what `lgs --help` and `lgs actions --open` import.

Each command runs in a fresh interpreter (as the console script does) and
reports the modules it imported; heavy libraries must not be among them where
they are not needed. Timing is measured by bench/run.py, not here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import MINUTES

RUNNER = """
import json, os, sys
def _exit(code):  # the command's fast exit (cli.main; tests/test_exit.py), made catchable here
    raise SystemExit(code)
os._exit = _exit
sys.argv = ["lgs", *sys.argv[1:]]
from lgs_cli.entry import main  # the console script's entry point
code = 0
try:
    main()
except SystemExit as exc:
    code = exc.code or 0
sys.stdout.flush()
modules = sorted(sys.modules)  # before the check below imports anything
import lgs_cli.yamlsafe as ys
with open(MODULES, "w") as fh:
    json.dump({"modules": modules, "code": code, "fast_yaml": ys.yaml_is_fast()}, fh)
"""

# Never at start-up, for any command: slow imports the CLI does not need.
NEVER = [
    "pydantic",  # typer >= 0.29 imports it on every run; typer is held below 0.29
    "typer.rich_utils",  # Rich-formatted help (rich_markup_mode=None keeps click's plain help)
    "dateparser",  # only for human dates such as "nästa fredag"
    "rich.markdown",
    "rich.syntax",
    "rich.traceback",
    "pygments",
    "markdown_it",
    "jsonschema",
]
# Not for --help either: the whole loading stack and Rich.
NOT_FOR_HELP = [*NEVER, "rich", "yaml", "lgs_cli.archive", "lgs_cli.parse", "lgs_cli.cache", "lgs_cli.roster"]


def run_and_list_modules(tmp_path: Path, *args: str, **extra_env: str) -> dict[str, object]:
    out = tmp_path / "modules.json"
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "80", "LGS_CACHE_DIR": str(tmp_path / "cache"), **extra_env}
    env.pop("LGS_ARCHIVE", None)
    env.pop("LGS_NO_CACHE", None)
    if extra_env.get("LGS_NO_CACHE"):
        env["LGS_NO_CACHE"] = extra_env["LGS_NO_CACHE"]
    proc = subprocess.run(
        [sys.executable, "-c", f"MODULES = {str(out)!r}\n{RUNNER}", *args],
        env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )
    assert out.exists(), proc.stderr
    data: dict[str, object] = json.loads(out.read_text())
    data["stdout"] = proc.stdout
    return data


def imported(modules: object, name: str) -> list[str]:
    assert isinstance(modules, list)
    return [m for m in modules if m == name or m.startswith(name + ".")]


def test_help_imports_neither_rich_nor_the_loader(tmp_path: Path) -> None:
    data = run_and_list_modules(tmp_path, "--help", LGS_NO_CACHE="1")  # always the Typer path
    assert data["code"] == 0
    assert "actions" in str(data["stdout"])  # it did print the help
    assert "typer" in data["modules"]  # type: ignore[operator]
    for name in NOT_FOR_HELP:
        assert imported(data["modules"], name) == [], f"lgs --help imported {name}"


def test_help_is_printed_from_a_saved_copy(tmp_path: Path) -> None:
    first = run_and_list_modules(tmp_path, "--help")
    second = run_and_list_modules(tmp_path, "-h")
    assert first["code"] == second["code"] == 0
    assert "typer" in first["modules"]  # type: ignore[operator]
    # the second run printed the same help without Typer or the command modules
    assert second["stdout"] == first["stdout"]
    assert imported(second["modules"], "typer") == []
    assert imported(second["modules"], "lgs_cli.cli") == []
    # the copy is the help Typer prints, for this width only
    plain = run_and_list_modules(tmp_path, "--help", LGS_NO_CACHE="1")
    assert plain["stdout"] == first["stdout"]
    wide = run_and_list_modules(tmp_path, "--help", COLUMNS="60")
    assert "typer" in wide["modules"]  # type: ignore[operator]
    assert wide["stdout"] != first["stdout"]
    assert max(len(line) for line in str(wide["stdout"]).splitlines()) <= 60


def test_a_saved_help_cut_short_is_built_again(tmp_path: Path) -> None:
    first = run_and_list_modules(tmp_path, "--help")
    (saved,) = (tmp_path / "cache" / "help").glob("*.txt")
    data = saved.read_bytes()
    for damaged in (data[: len(data) // 2], data.replace(b"actions", b"actionz"), b"Usage: lgs\n"):
        saved.write_bytes(damaged)
        again = run_and_list_modules(tmp_path, "--help")
        assert again["stdout"] == first["stdout"] and "typer" in again["modules"]  # type: ignore[operator]


@pytest.mark.parametrize("cache", ["cold", "warm"])
def test_actions_open_imports_only_what_a_table_needs(tmp_path: Path, cache: str) -> None:
    import shutil

    archive = tmp_path / "minutes"
    shutil.copytree(MINUTES, archive)
    if cache == "warm":
        run_and_list_modules(tmp_path, "actions", "--open", "--archive", str(archive))
    data = run_and_list_modules(tmp_path, "actions", "--open", "--archive", str(archive))
    assert data["code"] == 0
    assert "-A" in str(data["stdout"])  # it did list actions (IDs like 2025-04-04-A1)
    for name in NEVER:
        assert imported(data["modules"], name) == [], f"lgs actions --open imported {name}"
    # the decisions and attendance queries are not defined for a list of actions
    assert imported(data["modules"], "lgs_cli.decisions_attendance") == []
    # PyYAML here has libyaml's C parser, for the front matter lgs's own reader leaves to it
    assert data["fast_yaml"] is True
    if cache == "cold":  # every file parsed, the roster too, by lgs's own reader (lgs_cli.yamlfast)
        assert imported(data["modules"], "lgs_cli.parse") == ["lgs_cli.parse"]
        assert imported(data["modules"], "lgs_cli.yamlfast") == ["lgs_cli.yamlfast"]
        assert imported(data["modules"], "yaml") == []
    else:  # every meeting and the roster come from the cache: no YAML is read at all
        assert imported(data["modules"], "yaml") == []
        assert imported(data["modules"], "lgs_cli.parse") == []


def test_the_app_does_not_use_rich_help() -> None:
    from lgs_cli.cli import app

    assert app.rich_markup_mode is None


def test_help_into_a_closed_pipe_is_not_an_error(tmp_path: Path) -> None:
    env = {**os.environ, "LGS_CACHE_DIR": str(tmp_path / "cache"), "COLUMNS": "80"}
    env.pop("LGS_NO_CACHE", None)
    code = "import sys; sys.argv = ['lgs', '--help']; from lgs_cli.entry import main; main()"
    for _ in range(2):  # made by Typer, then printed from the saved copy
        proc = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()  # like `lgs --help | head -0`
        err = proc.stderr.read().decode()
        assert proc.wait(timeout=60) == 0, err
        assert "Traceback" not in err
