"""Shared fixtures: run the CLI in-process at a fixed width without colour."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from lgs_cli.cli import app

ROOT = Path(__file__).resolve().parent.parent
MINUTES = ROOT / "minutes"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOLDEN = Path(__file__).resolve().parent / "golden"


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str
    exception: BaseException | None


def run_cli(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> Result:
    """Invoke ``lgs`` in-process with NO_COLOR, 80 columns and a separate stderr."""
    base_env = {"NO_COLOR": "1", "COLUMNS": "80", "LGS_ARCHIVE": "", "TERM": "dumb"}
    base_env.update(env or {})
    runner = CliRunner()
    result = runner.invoke(app, list(args), env=base_env, input=input, catch_exceptions=True)
    exc = result.exception if not isinstance(result.exception, SystemExit) else None
    return Result(result.exit_code, result.stdout, result.stderr, exc)


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The tests' loads (and the lgs processes they start) use a cache of their own,
    never the user's ~/.cache/lgs."""
    import os

    os.environ["LGS_CACHE_DIR"] = str(tmp_path_factory.mktemp("lgs-cache"))
    os.environ.pop("LGS_NO_CACHE", None)


@pytest.fixture
def lgs() -> object:
    return run_cli


DRAFT_HEAD = "---\ndate: {day}\nstatus: draft\nattendees: not-recorded\n---\n\n## 1. Ärende\n\n"


def with_drafts(tmp_path: Path, drafts: dict[str, str]) -> Path:
    """A writable copy of the bundled archive with draft minutes added: meeting
    date (ISO) -> the body after a first agenda item '## 1. Ärende'."""
    root = tmp_path / "minutes"
    shutil.copytree(MINUTES, root)
    for day, body in drafts.items():
        folder = root / day[:4]
        folder.mkdir(exist_ok=True)
        (folder / f"{day}.md").write_text(DRAFT_HEAD.format(day=day) + body, encoding="utf-8")
    return root


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Path]:
    """A writable copy of the bundled archive."""
    dest = tmp_path / "minutes"
    shutil.copytree(MINUTES, dest)
    yield dest


def check_golden(name: str, text: str, update: bool = False) -> None:
    """Compare ``text`` with tests/golden/NAME; set LGS_UPDATE_GOLDEN=1 to rewrite."""
    import os

    path = GOLDEN / name
    if update or os.environ.get("LGS_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"missing golden file {path}; run with LGS_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


# -- the cache's tests (test_cache, test_memo, test_speedpaths, test_bench) ----------------

OLD = 1_600_000_000.0  # a modification time older than the cache's two-second "too recent" window


def age(root: Path, when: float = OLD) -> None:
    """Give every file below ``root`` an old modification time, as files in a checkout have."""
    import os

    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            os.utime(os.path.join(dirpath, name), (when, when))


def bench_generator() -> Any:
    """``bench/generate.py`` as a module (it is a script, not part of the package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache directory of the test's own, turned on."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("LGS_CACHE_DIR", str(folder))
    monkeypatch.delenv("LGS_NO_CACHE", raising=False)
    return folder
