"""Memoised results (lgs_cli.memo): what check, decisions and attendance keep per
meeting file between runs gives exactly what computing them again gives, is
really used when nothing changed, and is not used when the roster, the file,
the date today or the working directory would change the answer."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES, MINUTES, OLD, age
from lgs_cli import decisions_attendance, rules
from lgs_cli.archive import load_archive
from lgs_cli.reports import DecisionQuery, attendance, attendance_by_person, list_decisions
from lgs_cli.rules import check_archive

CASES = FIXTURES / "check" / "cases"
TODAY = dt.date(2024, 6, 1)


def _build(tmp_path: Path, case: Path | None) -> Path:
    root = tmp_path / "archive"
    shutil.copytree(FIXTURES / "check" / "common", root)
    if case is not None:
        shutil.copytree(case, root, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expect.txt"))
    age(root)
    return root


@pytest.fixture
def minutes(tmp_path: Path) -> Path:
    """A copy of the bundled archive, old enough to be cached."""
    root = tmp_path / "minutes"
    shutil.copytree(MINUTES, root)
    age(root)
    return root


def _findings(root: Path, today: dt.date = TODAY, *, cache: bool = True) -> list[Any]:
    return [dataclasses.astuple(d) for d in check_archive(load_archive(root, use_cache=cache), today=today)]


def _attendance(root: Path, *, cache: bool = True) -> Any:
    arch = load_archive(root, use_cache=cache)
    a = attendance(arch)
    matrix = [(m.date, m.recorded, sorted(m.represented_orgs), m.n_unresolved,
               {o: (c.text(), c.present, c.deputies, c.absent) for o, c in m.cells.items()}, m.unresolved)
              for m in a.meetings]
    return matrix, a.rates, attendance_by_person(arch)


def _decisions(root: Path, query: DecisionQuery | None = None, *, cache: bool = True) -> Any:
    return list_decisions(load_archive(root, use_cache=cache), query)


def _memos(cache: Path) -> dict[str, Path]:
    return {p.name.split(".")[1]: p for p in (cache / "archives").glob("*.memo")}


def _forbid(monkeypatch: pytest.MonkeyPatch) -> None:
    """Computing a result again fails: whatever is asked must come from the memos."""
    def boom(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("computed again instead of taken from the memo")

    monkeypatch.setattr(rules._Checker, "one_meeting", boom)
    monkeypatch.setattr(rules._Checker, "across_found", boom)
    monkeypatch.setattr(rules._Checker, "across", boom)
    monkeypatch.setattr(decisions_attendance, "_presences", boom)
    monkeypatch.setattr(decisions_attendance, "_decisions_of", boom)


def _fail_cases() -> list[Path]:
    return sorted(p for p in CASES.glob("*/fail") if p.is_dir())


@pytest.mark.parametrize("case", _fail_cases(), ids=lambda p: p.parent.name)
def test_check_with_memo_is_check_without(case: Path, tmp_path: Path, cache_dir: Path) -> None:
    root = _build(tmp_path, case)
    expected = _findings(root, cache=False)
    assert expected, "a failing case has findings"
    assert _findings(root) == expected  # cold: computed, memoised
    assert _findings(root) == expected  # warm: from the memos
    assert _findings(root) == expected


@pytest.mark.parametrize("parallel", [False, True], ids=["one process", "parsing processes"])
@pytest.mark.parametrize("case", _fail_cases(), ids=lambda p: p.parent.name)
def test_rules_run_as_files_are_parsed_give_the_same_findings(case: Path, parallel: bool, tmp_path: Path,
                                                              cache_dir: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """`lgs check` runs the per-meeting rules in the process that parses each file
    (load_archive(derive=rules.precompute)): the findings are those of running
    them afterwards, cold, warm, and without a cache."""
    from lgs_cli import archive as archive_mod

    root = _build(tmp_path, case)
    expected = _findings(root, cache=False)
    monkeypatch.delenv("LGS_JOBS", raising=False)
    monkeypatch.setattr(archive_mod, "PARALLEL_MIN", 2 if parallel else 10**9)
    real = rules._Checker.one_meeting
    for cache in (False, True, True):  # no cache; cold (parsed); warm (memos)
        arch = load_archive(root, use_cache=cache, derive=rules.precompute)
        # nothing is computed afterwards: precomputed (cold) or memoised (warm)
        monkeypatch.setattr(rules._Checker, "one_meeting", _boom)
        assert [dataclasses.astuple(d) for d in check_archive(arch, today=TODAY)] == expected
        assert not arch.derived  # every precomputed result was taken
        monkeypatch.setattr(rules._Checker, "one_meeting", real)


def _boom(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("computed afterwards")


def test_memos_are_used_when_nothing_changed(minutes: Path, cache_dir: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    root = minutes
    expected = (_findings(root, cache=False), _attendance(root, cache=False), _decisions(root, cache=False))
    query = DecisionQuery(search="ledningsgruppen beslutar")
    filtered = _decisions(root, query, cache=False)
    assert 0 < len(filtered) < len(expected[2])
    assert (_findings(root), _attendance(root), _decisions(root)) == expected
    assert set(_memos(cache_dir)) == {"check", "facts", "across", "attendance", "decisions"}
    _forbid(monkeypatch)
    assert (_findings(root), _attendance(root), _decisions(root)) == expected
    assert _decisions(root, query) == filtered  # filters work on the memoised values too


def test_a_changed_roster_is_not_answered_from_the_memo(tmp_path: Path, cache_dir: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    root = _build(tmp_path, CASES / "LGS108" / "fail")  # an attendee the roster does not know
    before = _findings(root)
    assert any(f[2] == "LGS108" for f in before)
    _attendance(root)
    _decisions(root)
    roster = root / "lgs.yaml"
    text = roster.read_text(encoding="utf-8")
    assert "\npeople:\n" in text
    # the unknown person becomes known: the finding must go
    unknown = "".join(f"  - name: {f[4].split(chr(39))[1]}\n" for f in before if f[2] == "LGS108")
    roster.write_text(text.replace("\npeople:\n", f"\npeople:\n{unknown}", 1), encoding="utf-8")
    age(root)
    after = _findings(root)
    assert after == _findings(root, cache=False)
    assert not any(f[2] == "LGS108" for f in after)
    assert _attendance(root) == _attendance(root, cache=False)
    assert _decisions(root) == _decisions(root, cache=False)


def test_a_changed_file_is_computed_again_alone(minutes: Path, cache_dir: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    root = minutes
    _findings(root)
    _attendance(root)
    _decisions(root)
    changed = root / "2025" / "2025-04-04.md"
    text = changed.read_text(encoding="utf-8")
    assert "**Beslut B1:** " in text
    changed.write_text(text.replace("**Beslut B1:** ", "**Beslut B1:** (ändrat) ", 1), encoding="utf-8")
    os.utime(changed, (OLD + 60, OLD + 60))
    calls: list[str] = []
    real = rules._Checker.one_meeting

    def counting(self: Any, m: Any) -> Any:
        calls.append(m.relpath)
        return real(self, m)

    monkeypatch.setattr(rules._Checker, "one_meeting", counting)
    got = _findings(root)
    assert [Path(c).name for c in calls] == ["2025-04-04.md"]  # the other meetings: from the memo
    assert got == _findings(root, cache=False)
    decisions = _decisions(root)
    assert decisions == _decisions(root, cache=False)
    assert any("(ändrat)" in d.text for d in decisions)
    assert _attendance(root) == _attendance(root, cache=False)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "flipped", "empty", "directory"])
def test_a_damaged_memo_is_never_trusted(damage: str, minutes: Path, cache_dir: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    root = minutes
    expected = (_findings(root), _attendance(root), _decisions(root))
    for path in _memos(cache_dir).values():
        data = path.read_bytes()
        if damage == "garbage":
            path.write_bytes(os.urandom(len(data)))
        elif damage == "truncated":
            path.write_bytes(data[: len(data) // 2])
        elif damage == "flipped":
            path.write_bytes(data[:-5] + bytes([data[-5] ^ 0x10]) + data[-4:])
        elif damage == "empty":
            path.write_bytes(b"")
        else:
            path.unlink()
            path.mkdir()
    assert (_findings(root), _attendance(root), _decisions(root)) == expected
    if damage != "directory":  # written anew, and used from then on
        _forbid(monkeypatch)
        assert (_findings(root), _attendance(root), _decisions(root)) == expected


def test_a_memo_of_another_kind_in_its_place_is_never_trusted(minutes: Path, cache_dir: Path) -> None:
    """A whole, valid memo file of one kind copied over another's (a restored backup
    gone wrong): its header names its kind, so it is computed again, not misread."""
    root = minutes
    expected = (_findings(root), _attendance(root), _decisions(root))
    memos = _memos(cache_dir)
    kinds = sorted(memos)
    assert len(kinds) >= 3, kinds
    contents = {kind: memos[kind].read_bytes() for kind in kinds}
    for kind, other in zip(kinds, kinds[1:] + kinds[:1], strict=True):
        memos[kind].write_bytes(contents[other])
    assert (_findings(root), _attendance(root), _decisions(root)) == expected


def test_memos_survive_a_fresh_checkout(minutes: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """New times and inodes, the same bytes (git checkout, a restored CI cache):
    the memos still answer."""
    root = minutes
    expected = (_findings(root), _attendance(root), _decisions(root))
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            path.unlink()
            path.write_bytes(data)
    age(root, OLD + 500)
    _forbid(monkeypatch)
    assert (_findings(root), _attendance(root), _decisions(root)) == expected


def test_rules_about_today_are_not_memoised(tmp_path: Path, cache_dir: Path) -> None:
    root = _build(tmp_path, None)
    meeting = next(root.rglob("2024-*.md"))
    text = meeting.read_text(encoding="utf-8")
    future = meeting.parent.parent / "2031" / "2031-03-07.md"
    future.parent.mkdir()
    future.write_text(text.replace(meeting.stem, "2031-03-07"), encoding="utf-8")
    age(root)
    for today in (TODAY, dt.date(2031, 1, 1), TODAY):
        assert _findings(root, today) == _findings(root, today, cache=False)
    assert any(f[2] == "LGS012" for f in _findings(root, TODAY))
    assert not any(f[2] == "LGS012" for f in _findings(root, dt.date(2031, 1, 1)))


def test_paths_in_messages_follow_the_working_directory(tmp_path: Path, cache_dir: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    root = _build(tmp_path, CASES / "LGS201" / "fail")  # the message names the other file
    for cwd in (tmp_path, root, root / "2024", tmp_path, root):
        monkeypatch.chdir(cwd)
        got = _findings(Path(os.path.relpath(root)))
        assert got == _findings(Path(os.path.relpath(root)), cache=False)
        assert any(f[2] == "LGS201" for f in got)


def test_meetings_changed_in_this_run_are_not_memoised(minutes: Path, cache_dir: Path) -> None:
    root = minutes
    _attendance(root)
    _decisions(root)
    arch = load_archive(root)
    m = next(m for m in arch.dated if m.attendees)
    m.attendees = []
    m.decisions[0].text = "changed in memory"  # decisions is built now too
    row = next(ma for ma in attendance(arch).meetings if ma.date == m.date)
    assert not row.represented_orgs
    assert any(d.text == "changed in memory" for d in list_decisions(arch))


def test_no_cache_no_memo(minutes: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = minutes
    monkeypatch.setenv("LGS_NO_CACHE", "1")
    _findings(root)
    _attendance(root)
    assert not cache_dir.exists() or not _memos(cache_dir)


def _roster_changed(arch: Any) -> Callable[[], None]:
    from lgs_cli.roster import Person

    def change() -> None:
        arch.roster.add_person(Person("Ny Person"))
    return change


def test_a_roster_changed_in_this_run_is_not_memoised(minutes: Path, cache_dir: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    root = minutes
    _findings(root)
    arch = load_archive(root)
    assert arch.roster.fingerprint is not None
    _roster_changed(arch)()
    assert arch.roster.fingerprint is None
    assert not arch.memo("check").enabled
    assert arch.memo("facts", roster=False).enabled


# -- regressions found in review --------------------------------------------------------

def _check_codes(arch: Any, today: dt.date = TODAY) -> list[Any]:
    return sorted((d.path, d.code, d.message) for d in check_archive(arch, today=today))


def test_a_field_assigned_in_this_run_is_not_answered_from_the_memo(minutes: Path, cache_dir: Path) -> None:
    _check_codes(load_archive(minutes))

    def mutate(arch: Any) -> None:
        m = next(m for m in arch.meetings if m.status == "approved")
        m.status = "draft"  # a scalar field: nothing is built by it
        m.approved_by = None

    warm, fresh = load_archive(minutes), load_archive(minutes, use_cache=False)
    mutate(warm)
    mutate(fresh)
    assert _check_codes(warm) == _check_codes(fresh)


def test_people_assigned_before_they_are_read_are_not_memoised(tmp_path: Path, cache_dir: Path) -> None:
    root = tmp_path / "reports"
    shutil.copytree(FIXTURES / "reports", root)
    age(root)
    attendance(load_archive(root))

    def cells(arch: Any) -> list[Any]:
        m = arch.meeting_on(dt.date(2024, 3, 8))  # absences and a deputy
        m.absent = []
        m.deputies = []
        return [(ma.date, {o: c.text() for o, c in ma.cells.items()}) for ma in attendance(arch).meetings]

    assert cells(load_archive(root)) == cells(load_archive(root, use_cache=False))


def _change(path: Path, when: float) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    os.utime(path, (when, when))


def test_an_appended_file_keeps_its_memo_when_saved_twice(minutes: Path, cache_dir: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    arch = load_archive(minutes)
    attendance(arch)
    attendance_by_person(arch)
    (store,) = (cache_dir / "archives").glob("*.cache")
    inode = store.stat().st_ino
    _change(minutes / "2025" / "2025-04-04.md", OLD + 60)
    arch = load_archive(minutes)
    assert store.stat().st_ino == inode  # appended, not rewritten
    attendance(arch)  # the memo is saved with the changed file ...
    attendance_by_person(arch)  # ... and saved again: the entry must stay
    _forbid(monkeypatch)
    attendance(load_archive(minutes))


def test_appending_without_fcntl_writes_a_new_store(minutes: Path, cache_dir: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    load_archive(minutes)
    _change(minutes / "2025" / "2025-04-04.md", OLD + 60)
    monkeypatch.setitem(sys.modules, "fcntl", None)  # a platform with pread but no flock
    assert _findings(minutes) == _findings(minutes, cache=False)
    monkeypatch.delitem(sys.modules, "fcntl")
    _forbid(monkeypatch)
    _findings(minutes)


def test_a_date_finding_keeps_the_across_memo(minutes: Path, cache_dir: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    today = dt.date(2020, 1, 1)  # every meeting is far in the future: LGS012
    first = _check_codes(load_archive(minutes), today)
    assert any(code == "LGS012" for _, code, _ in first)
    _forbid(monkeypatch)
    assert _check_codes(load_archive(minutes), today) == first


def test_the_schema_is_part_of_the_fingerprint(monkeypatch: pytest.MonkeyPatch) -> None:
    """The rules read the shipped JSON schema: a changed schema is another lgs."""
    import builtins

    from lgs_cli import cache

    opened: list[str] = []
    real = builtins.open

    def spy(file: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(str(file))
        return real(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy)
    cache._fingerprint_now()
    assert any(p.endswith(os.path.join("schema", "meeting.schema.json")) for p in opened)
    assert any(p.endswith("rules.py") for p in opened)


def test_many_changed_bytes_are_not_kept_in_memory(minutes: Path, cache_dir: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from lgs_cli import cache

    root = minutes
    load_archive(root)
    (store,) = (cache_dir / "archives").glob("*.cache")
    inode = store.stat().st_ino
    monkeypatch.setattr(cache, "APPEND_MAX_BYTES", 1)  # the first changed file is already too much
    _change(root / "2025" / "2025-04-04.md", OLD + 60)
    assert _findings(root) == _findings(root, cache=False)
    assert store.stat().st_ino != inode  # a new store after all


@pytest.mark.parametrize("parallel", [False, True], ids=["one process", "parsing processes"])
@pytest.mark.parametrize("source", ["bundled", "generated"])
def test_decisions_and_attendance_made_as_files_are_parsed_are_the_same(
        source: str, parallel: bool, tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`lgs decisions` and `lgs attendance` make each file's values in the process
    that parses it (load_archive(derive=precompute_…)): the same as computing them
    afterwards, without a cache, cold and warm, and nothing is computed again."""
    from conftest import bench_generator
    from lgs_cli import archive as archive_mod

    root = tmp_path / "archive"
    if source == "bundled":
        shutil.copytree(MINUTES, root)
    else:
        bench_generator().generate(30, root, seed=7)
    age(root)
    fresh = load_archive(root, use_cache=False)
    reports: list[tuple[Any, Callable[[Any], Any]]] = [
        (decisions_attendance.precompute_attendance, lambda arch: _matrix(attendance(arch))),
        (decisions_attendance.precompute_attendance, attendance_by_person),
        (decisions_attendance.precompute_decisions, list_decisions),
    ]
    monkeypatch.delenv("LGS_JOBS", raising=False)
    monkeypatch.setattr(archive_mod, "PARALLEL_MIN", 2 if parallel else 10**9)
    real = decisions_attendance._decisions_of, decisions_attendance._presences
    for n, (derive, report) in enumerate(reports):
        expected = report(fresh)
        assert expected
        monkeypatch.setenv("LGS_CACHE_DIR", str(tmp_path / f"cache-{n}"))
        for run, cache in enumerate((False, True, True)):  # no cache; cold (parsed); warm (memos)
            arch = load_archive(root, use_cache=cache, derive=derive)
            assert len(arch.derived) == (0 if run == 2 else len(arch.meetings))
            monkeypatch.setattr(decisions_attendance, "_decisions_of", _boom)
            monkeypatch.setattr(decisions_attendance, "_presences", _boom)
            try:
                assert report(arch) == expected
            finally:
                monkeypatch.setattr(decisions_attendance, "_decisions_of", real[0])
                monkeypatch.setattr(decisions_attendance, "_presences", real[1])
            assert not arch.derived  # every value made as the files were parsed was taken


def _matrix(a: Any) -> Any:
    return ([(m.date, m.recorded, sorted(m.represented_orgs), m.n_unresolved,
              {o: (c.text(), c.present, c.deputies, c.absent) for o, c in m.cells.items()}, m.unresolved)
             for m in a.meetings], a.rates)


def test_values_made_for_meetings_a_query_did_not_show_are_kept(minutes: Path, cache_dir: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A cold `lgs decisions --since …` (or `lgs attendance --since …`) makes every
    parsed file's values; those of the meetings it did not show are kept in the memo
    too, so that a later run of the whole archive computes nothing again."""
    fresh = load_archive(minutes, use_cache=False)
    expected = list_decisions(fresh), _matrix(attendance(fresh)), attendance_by_person(fresh)
    since = dt.date(2025, 1, 1)
    arch = load_archive(minutes, derive=decisions_attendance.precompute_decisions)
    assert 0 < len(list_decisions(arch, DecisionQuery(since=since))) < len(expected[0])
    assert not arch.derived
    for report in (lambda a: attendance(a, since), lambda a: attendance_by_person(a, since)):
        monkeypatch.setenv("LGS_CACHE_DIR", str(cache_dir.parent / f"cache-{id(report)}"))
        arch = load_archive(minutes, derive=decisions_attendance.precompute_attendance)
        report(arch)
        assert not arch.derived
        _forbid(monkeypatch)
        warm = load_archive(minutes)
        assert (_matrix(attendance(warm)), attendance_by_person(warm)) == expected[1:]
        monkeypatch.undo()
        monkeypatch.setenv("LGS_CACHE_DIR", str(cache_dir))
    _forbid(monkeypatch)
    assert list_decisions(load_archive(minutes)) == expected[0]
