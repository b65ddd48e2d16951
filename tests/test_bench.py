"""bench/generate.py makes valid, deterministic archives in the real format."""

from __future__ import annotations

from pathlib import Path

from conftest import bench_generator, run_cli
from lgs_cli.archive import load_archive
from lgs_cli.model import EntryKind
from lgs_cli.status import track


def _contents(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_generated_archive_passes_lgs_check(tmp_path: Path) -> None:
    root = tmp_path / "gen"
    bench_generator().generate(60, root, seed=3)
    result = run_cli("check", str(root))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "no problems" in result.stdout + result.stderr


def test_generated_archives_look_like_the_real_minutes(tmp_path: Path) -> None:
    root = tmp_path / "gen"
    files = bench_generator().generate(60, root, seed=3)
    archive = load_archive(root)
    assert len(archive.meetings) == len(files) == 60
    assert all(f.stat().st_size > 5000 for f in files)
    per_meeting = [(len(m.attendees or []), len(m.items), len(m.decisions), len(m.actions)) for m in archive.meetings]
    assert all(a == 20 and 8 <= i <= 11 and d >= 2 and 5 <= n <= 7 for a, i, d, n in per_meeting)
    actions = track(archive, EntryKind.ACTION)
    closed = [t for t in actions if not t.is_open]
    assert len(closed) > len(actions) * 0.8  # follow-ups close most actions ...
    assert any(t.carried for t in actions)  # ... some are carried forward
    assert any(t.status == "dropped" for t in actions)
    assert track(archive, EntryKind.DEFERRAL)  # deferred matters
    assert archive.meetings[-1].status == "draft"


def test_the_same_seed_gives_the_same_archive(tmp_path: Path) -> None:
    gen = bench_generator()
    gen.generate(25, tmp_path / "a", seed=5)
    gen.generate(25, tmp_path / "b", seed=5)
    gen.generate(25, tmp_path / "c", seed=6)
    assert _contents(tmp_path / "a") == _contents(tmp_path / "b")
    assert _contents(tmp_path / "a") != _contents(tmp_path / "c")


def test_large_archives_use_consecutive_days_from_2000() -> None:
    import datetime as dt

    dates = bench_generator().meeting_dates(10_000, dt.date(2025, 12, 19))
    assert len(set(dates)) == 10_000 and dates == sorted(dates)
    assert dates[0] == dt.date(2000, 1, 3) and (dates[1] - dates[0]).days == 1
    weekly = bench_generator().meeting_dates(100, dt.date(2025, 12, 19))
    assert all(d.weekday() == 4 for d in weekly) and weekly[-1] == dt.date(2025, 12, 19)
