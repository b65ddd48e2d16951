"""`lgs check` releases what it built of each cached meeting (memory at N = 10,000);
the findings and the meetings must be exactly what they were without releasing."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from lgs_cli import rules
from lgs_cli.archive import load_archive
from lgs_cli.cache import CachedMeeting
from lgs_cli.model import EntryKind

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "check"
TODAY = dt.date(2026, 1, 1)


def _archives(tmp_path: Path) -> list[Path]:
    """The common fixture archive with each rule case in it (tests/fixtures/check)."""
    roots = []
    for case in sorted((FIXTURES / "cases").iterdir()):
        root = tmp_path / case.name
        shutil.copytree(FIXTURES / "common", root)
        shutil.copytree(case, root, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expect.txt"))
        roots.append(root)
    return roots


def _everything(m: object) -> tuple[object, ...]:
    return (m.attendees, m.guests, m.absent, m.deputies, m.expected, m.items,  # type: ignore[attr-defined]
            dict(m.front_matter), m.key_lines, m.preamble, m.corrections)  # type: ignore[attr-defined]


def test_findings_are_the_same_with_parts_released_or_kept(tmp_path: Path) -> None:
    codes: set[str] = set()
    for root in _archives(tmp_path):
        released = load_archive(root)
        kept = load_archive(root)
        for m in kept.meetings:  # built before the check: the checker keeps them
            if m.ok:
                _everything(m)
        a = rules.check_archive(released, today=TODAY)
        b = rules.check_archive(kept, today=TODAY)
        assert a == b, root.name
        codes |= {d.code for d in a}
        # what was released is built again, equal to what was kept
        for m1, m2 in zip(released.meetings, kept.meetings, strict=True):
            if m1.ok:
                assert isinstance(m1, CachedMeeting)
                assert _everything(m1) == _everything(m2), root.name
    assert {"LGS108", "LGS203", "LGS204", "LGS205", "LGS206", "LGS207", "LGS201"} <= codes


def test_release_drops_only_what_was_built_since(tmp_path: Path) -> None:
    root = _archives(tmp_path)[0]
    arch = load_archive(root)
    first = next(m for m in arch.meetings if isinstance(m, CachedMeeting) and m.items)
    arch = load_archive(root)
    m = next(x for x in arch.meetings if x.relpath == first.relpath)
    assert isinstance(m, CachedMeeting)
    people = m.attendees  # built before
    before = m.built()
    assert before[0] and not before[1]
    items = m.items
    actions = m.entries_of(EntryKind.ACTION)
    m.release(before)
    assert m.built()[:3] == (True, False, False)
    assert m.attendees is people  # kept
    assert m.items == items and m.items is not items  # built again, equal
    assert m.entries_of(EntryKind.ACTION) == actions
