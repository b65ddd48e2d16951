"""Without a store (LGS_NO_CACHE=1), a big archive's parsed parts go to an anonymous
temporary file instead of memory; the meetings read back must be the same."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lgs_cli import archive as archive_mod
from lgs_cli.model import EntryKind

MINUTES = Path(__file__).resolve().parent.parent / "minutes"


def _everything(m: object) -> tuple[object, ...]:
    return (m.attendees, m.guests, m.absent, m.deputies, m.expected, m.items,  # type: ignore[attr-defined]
            dict(m.front_matter), m.key_lines, m.preamble, m.corrections,  # type: ignore[attr-defined]
            [m.entries_of(k) for k in EntryKind])  # type: ignore[attr-defined]


def test_spilled_parts_read_back_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "minutes"
    shutil.copytree(MINUTES, root)
    kept = archive_mod.load_archive(root, use_cache=False)
    calls: list[int] = []
    from lgs_cli import cache

    real_spill = cache.Store.spill

    def counting(self: cache.Store, parts: tuple[bytes, ...]) -> object:
        fetch = real_spill(self, parts)
        calls.append(fetch is not None)
        return fetch

    monkeypatch.setattr(cache.Store, "spill", counting)
    monkeypatch.setattr(archive_mod, "SPILL_MIN", 1)
    spilled = archive_mod.load_archive(root, use_cache=False)
    assert calls and all(calls)  # every file's parts went to the temporary file
    assert len(spilled.meetings) == len(kept.meetings) >= 5
    assert spilled.diagnostics == kept.diagnostics
    for a, b in zip(spilled.meetings, kept.meetings, strict=True):
        assert a.relpath == b.relpath
        assert _everything(a) == _everything(b)
