"""The fast paths give exactly what the plain ones give: open actions from the
cache's summaries, the roster's YAML from its cached copy, the folder walk."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MINUTES, ROOT, age, bench_generator
from lgs_cli import yamlsafe
from lgs_cli.archive import list_meeting_files, load_archive
from lgs_cli.model import EntryKind, FollowUpStatus
from lgs_cli.status import _track, track


def _generate(n: int, target: Path) -> Path:
    bench_generator().generate(n, target, seed=3)
    age(target)
    return target


def _shape(tracked: list[Any]) -> list[Any]:
    return [(t.id, t.meeting.relpath, t.entry.local, t.entry.line,
             [(fu.local, fu.line, m.relpath) for fu, m in t.followups], t.status, t.owners, t.due)
            for t in tracked]


def _expected(archive: Any, as_of: dt.date | None) -> list[Any]:
    meetings = [m for m in archive.dated if as_of is None or m.date is None or m.date <= as_of]
    return [t for t in _track(meetings, EntryKind.ACTION) if t.is_open]


AS_OF = [None, dt.date(2020, 1, 1), dt.date(2024, 6, 1), dt.date(2025, 6, 1), dt.date(2030, 1, 1)]


@pytest.mark.parametrize("warm", [False, True])
def test_open_actions_are_the_open_ones_of_the_full_tracking(tmp_path: Path, cache_dir: Path, warm: bool) -> None:
    root = _generate(60, tmp_path / "arch")
    if warm:
        load_archive(root)
    archive = load_archive(root)
    total = 0
    for as_of in AS_OF:
        got = track(archive, EntryKind.ACTION, as_of=as_of, open_only=True)
        want = _expected(archive, as_of)
        assert _shape(got) == _shape(want)
        total += len(got)
    assert total > 0
    # also once the items are built (then the summaries come from the items)
    for m in archive.meetings:
        assert m.items is not None
    assert _shape(track(archive, EntryKind.ACTION, open_only=True)) == _shape(_expected(archive, None))


def test_open_actions_on_the_real_archive(cache_dir: Path) -> None:
    archive = load_archive(MINUTES)
    for as_of in [None, dt.date(2024, 5, 3), dt.date(2025, 4, 4)]:
        got = track(archive, EntryKind.ACTION, as_of=as_of, open_only=True)
        assert _shape(got) == _shape(_expected(archive, as_of))


def _counted(m: Any) -> tuple[Any, ...]:
    """What Meeting.counts computes from the built items and people."""
    return (len(m.items), len(m.decisions), len(m.actions), len(m.followups), len(m.deferrals),
            len(m.attendees) + len(m.deputies) if m.attendees is not None else None)


@pytest.mark.parametrize("source", ["generated", "real", "hostile"])
def test_counts_from_the_record_are_the_counted_ones(source: str, tmp_path: Path, cache_dir: Path) -> None:
    """``lgs meetings`` counts from the record's head; the same numbers as counting."""
    if source == "generated":
        root = _generate(40, tmp_path / "arch")
    else:
        root = tmp_path / "arch"
        shutil.copytree(MINUTES if source == "real" else ROOT / "tests" / "hostile", root, symlinks=True)
        age(root)
    load_archive(root)
    warm = load_archive(root)
    cached: list[Any] = [m for m in warm.meetings if hasattr(m, "pristine")]
    assert cached, "the second load comes from the cache"
    from_record = {m.relpath: tuple(m.counts()) for m in warm.meetings}
    assert all(m.built() == (False, False, False, False) for m in cached), "counts() built nothing"
    fresh = {m.relpath: _counted(m) for m in load_archive(root, use_cache=False).meetings}
    assert from_record == fresh
    assert {m.relpath: _counted(m) for m in warm.meetings} == fresh  # and once built
    assert any(n[1] for n in fresh.values())
    if source != "hostile":
        assert any(n[5] for n in fresh.values())


def test_counts_follow_changes_in_memory(cache_dir: Path) -> None:
    load_archive(MINUTES)
    archive = load_archive(MINUTES)
    m = next(m for m in archive.dated if m.decisions)
    before = m.counts()
    m.items[0].entries.append(m.decisions[0])
    assert m.counts().decisions == before.decisions + 1
    m.attendees = None
    assert m.counts().attendees is None


def test_open_actions_when_an_id_is_not_its_meetings_date(tmp_path: Path, cache_dir: Path) -> None:
    """A meeting whose items were changed in memory: the general path is taken."""
    root = _generate(30, tmp_path / "arch")
    archive = load_archive(root)
    first = archive.dated[0]
    actions = first.entries_of(EntryKind.ACTION)
    assert actions
    for e in actions:
        e.meeting_date = dt.date(1999, 1, 1)  # ids no longer carry the meeting's date
    got = track(archive, EntryKind.ACTION, open_only=True)
    assert _shape(got) == _shape(_expected(archive, None))
    assert any(t.id.startswith("1999-01-01-") for t in got)


def test_a_closing_followup_closes_and_a_carried_one_does_not(tmp_path: Path, cache_dir: Path) -> None:
    root = _generate(40, tmp_path / "arch")
    archive = load_archive(root)
    full = _track(archive.dated, EntryKind.ACTION)
    closed = [t for t in full if not t.is_open]
    carried = [t for t in full if t.is_open and t.carried]
    assert closed and carried
    open_ids = {t.id for t in track(archive, EntryKind.ACTION, open_only=True)}
    assert not open_ids & {t.id for t in closed}
    assert {t.id for t in carried} <= open_ids
    assert all(fu.status is not FollowUpStatus.DONE for t in carried for fu, _ in t.followups)


def test_the_walk_lists_what_os_walk_lists(tmp_path: Path) -> None:
    root = tmp_path / "arch"
    shutil.copytree(MINUTES, root)
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / "sub" / "deeper" / "2031-01-03.md").write_text("x", encoding="utf-8")
    (root / ".hidden").mkdir()
    (root / ".hidden" / "2031-01-04.md").write_text("x", encoding="utf-8")
    (root / "linked").symlink_to(root / "sub")
    (root / "2031-02-07.md").symlink_to(root / "sub" / "deeper" / "2031-01-03.md")
    (root / "2031-03-07.md").symlink_to(tmp_path / "nowhere.md")
    os.mkfifo(root / "2031-04-04.md")
    (root / "2031-05-02.md~").write_text("x", encoding="utf-8")
    diags: list[Any] = []
    files = list_meeting_files(root, diags)
    names = sorted(str(p.relative_to(root)) for p in files)
    assert "sub/deeper/2031-01-03.md" in names
    assert not any(n.startswith((".hidden", "linked")) for n in names)
    assert "2031-04-04.md" not in names and "2031-03-07.md" not in names
    messages = sorted(d.message for d in diags)
    assert any("link to a folder" in m for m in messages)
    assert any("broken link" in m for m in messages)
    assert any("not a regular file" in m for m in messages)
    assert any("read already" in m for m in messages)
    assert any("editor backup" in m for m in messages)


ROSTER_TEXTS = [
    "people:\n  - name: Anna Berg\n    org: Växjö\n",
    "people: [a, b\n",  # a problem
    "x: 1\nx: 2\n",  # duplicate key
    "a:\n  - 1\n  - {b: yes, c: ~}\n",
]


@pytest.mark.parametrize("text", ROSTER_TEXTS)
def test_cached_yaml_is_the_loaded_yaml(text: str, cache_dir: Path) -> None:
    def outcome() -> Any:
        try:
            value = yamlsafe.load_cached(text, ROOT / "minutes")
        except yamlsafe.YamlProblem as exc:
            return ("problem", exc.message, exc.line, exc.hint)
        return ("ok", _plain(value))

    try:
        want: Any = ("ok", _plain(yamlsafe.load(text)))
    except yamlsafe.YamlProblem as exc:
        want = ("problem", exc.message, exc.line, exc.hint)
    assert outcome() == want  # first: loaded and stored
    assert list((cache_dir / "yaml").glob("*.bin"))
    assert outcome() == want  # then: from the stored copy


def test_no_yaml_copy_inside_the_archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LGS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("LGS_NO_CACHE", raising=False)
    yamlsafe.load_cached(ROSTER_TEXTS[0], tmp_path)
    assert not (tmp_path / "cache").exists()


def test_a_damaged_yaml_copy_is_not_trusted(cache_dir: Path) -> None:
    text = ROSTER_TEXTS[0]
    yamlsafe.load_cached(text, ROOT / "minutes")
    (stored,) = (cache_dir / "yaml").glob("*.bin")
    blob = bytearray(stored.read_bytes())
    blob[-3] ^= 0xFF
    stored.write_bytes(bytes(blob))
    assert _plain(yamlsafe.load_cached(text, ROOT / "minutes")) == _plain(yamlsafe.load(text))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return ("map", {k: _plain(v) for k, v in value.items()}, dict(value.lines))  # type: ignore[attr-defined]
    if isinstance(value, list):
        return ("seq", [_plain(v) for v in value], list(value.lines))  # type: ignore[attr-defined]
    return value


# -- the anchor pre-check: skipping the event pass never changes an outcome --------

_ANCHORISH = st.text(alphabet=st.sampled_from(list("ab &*:-[]{},\"'!\n x1_\t#")), max_size=40)


def _outcome(text: str) -> Any:
    try:
        return ("ok", _plain(yamlsafe.load(text)))
    except yamlsafe.YamlProblem as exc:
        return ("problem", exc.message, exc.line, exc.hint)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_ANCHORISH)
def test_the_anchor_precheck_changes_nothing(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    from lgs_cli import yamlloader

    fast = _outcome(text)
    monkeypatch.setattr(yamlloader, "_SIGIL", re.compile(""))  # always take the event pass
    assert _outcome(text) == fast


@pytest.mark.parametrize("text", ["a: *\n", "a: & x\n", "a: Vård & Kvalitet\n", "a: [&x 1]\n",
                                  'a: {"k":&x 1}\n', "a: !!str &x v\n", "- *x\n"])
def test_the_anchor_precheck_cases(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    from lgs_cli import yamlloader

    fast = _outcome(text)
    monkeypatch.setattr(yamlloader, "_SIGIL", re.compile(""))
    assert _outcome(text) == fast


def _memoised() -> list[Any]:
    from lgs_cli import parse, yamlfast

    return [parse._attendee_fields, parse._split_names, parse.parse_due_text, parse.normalize_id,
            parse._marker, parse._item_heading, yamlfast._key_line]


def _parsed_records(paths: list[Path]) -> list[Any]:
    import marshal

    from lgs_cli.cache import to_record
    from lgs_cli.parse import parse_meeting_file

    out = []
    for p in paths:
        head, diags, _, parts = to_record(*parse_meeting_file(p, p.name))
        out.append((head, diags, [marshal.loads(x) for x in parts]))
    return out


def test_the_parsers_memos_change_nothing(tmp_path: Path) -> None:
    """Each file parsed with the memos of the strings it shares with others full
    equals it parsed with them empty (the real, fixture and hostile minutes and a
    generated archive, whose members recur in every meeting)."""
    here = Path(__file__).resolve().parent
    paths = [p for root in (MINUTES, here / "fixtures", here / "hostile", _generate(40, tmp_path / "gen"))
             for p in sorted(root.rglob("*.md")) if p.is_file()]
    _parsed_records(paths)
    misses = [f.misses for f in _memoised()]
    warm = _parsed_records(paths)  # the second time, the texts are known (but those too long to keep)
    assert all(f.misses - before < before for f, before in zip(_memoised(), misses, strict=True))
    cold = []
    for p in paths:
        for f in _memoised():
            f.clear()
        cold.extend(_parsed_records([p]))
    assert warm == cold


def test_what_the_memos_give_is_not_shared(tmp_path: Path) -> None:
    """Two meetings listing the same people get their own attendees and owners:
    resolving one meeting's people (which changes them) leaves the other's alone."""
    from lgs_cli.parse import parse_meeting_file

    text = ("---\ndate: 2025-04-04\nstatus: draft\nsecretary: [Anna]\nattendees:\n  - Anna Andersson, Växjö\n---\n"
            "## 1. Punkt\n\nFöredragande: Anna Andersson\n\n- [ ] **Åtgärd A1:** Gör.\n  - Ansvarig: Anna, Bo\n")
    (tmp_path / "a.md").write_text(text, encoding="utf-8")
    first, _ = parse_meeting_file(tmp_path / "a.md", "a.md")
    assert first.attendees is not None
    first.attendees[0].org = "changed"
    first.items[0].presenters.append("changed")
    first.items[0].entries[0].owners.append("changed")
    second, _ = parse_meeting_file(tmp_path / "a.md", "a.md")
    assert second.attendees is not None
    assert second.attendees[0].org == "Växjö"
    assert second.items[0].presenters == ["Anna Andersson"]
    assert second.items[0].entries[0].owners == ["Anna", "Bo"]


def test_the_records_summary_and_counts_are_the_meetings(tmp_path: Path) -> None:
    """``to_record`` makes the action summary and the counts in its one pass over the
    entries: they equal ``action_summary`` and ``Meeting.counts`` of the parsed meeting."""
    from lgs_cli.cache import action_summary, to_record
    from lgs_cli.parse import parse_meeting_file

    here = Path(__file__).resolve().parent
    paths = [p for root in (MINUTES, here / "fixtures", here / "hostile", _generate(40, tmp_path / "gen"))
             for p in sorted(root.rglob("*.md")) if p.is_file()]
    closing = 0
    for p in paths:
        meeting, diagnostics = parse_meeting_file(p, p.name)
        head = to_record(meeting, diagnostics)[0]
        assert head[-2] == action_summary(meeting), p
        assert head[-1] == tuple(meeting.counts()), p
        closing += len(head[-2][4])
    assert closing > 0


_UNSAFE_PROBES = ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9f", "\u061c", "\u200b", "\u200e", "\u2028",
                  "\u202e", "\u2066", "\u2069", "\ufeff", "\r", "\t", "ä", "–", "e\u0301", "\U0001f600"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_UNSAFE_PROBES), st.text(max_size=8)), max_size=12))
def test_the_byte_precheck_never_misses_an_unsafe_character(parts: list[str]) -> None:
    """``may_have_unsafe_chars`` (on the bytes) says False only when the text the
    parser makes of them (decoded, line endings LF, NFC) has no unsafe character."""
    from lgs_cli.names import has_unsafe_chars, may_have_unsafe_chars, nfc

    text = "".join(parts)
    data = text.encode("utf-8", "surrogatepass")
    made = nfc(data.decode("utf-8", "surrogatepass").replace("\r\n", "\n").replace("\r", "\n"))
    if has_unsafe_chars(made):
        assert may_have_unsafe_chars(data)
    if not any(ch in text for ch in _UNSAFE_PROBES[:14]) and not has_unsafe_chars(text):
        assert not may_have_unsafe_chars(data)  # and it does let the usual text through


def test_the_byte_precheck_on_files() -> None:
    from lgs_cli.names import has_unsafe_chars, may_have_unsafe_chars
    from lgs_cli.parse import read_text

    here = Path(__file__).resolve().parent
    flagged = 0
    for p in [*MINUTES.rglob("*.md"), *(here / "hostile").rglob("*.md"), *(here / "fixtures").rglob("*.md")]:
        if not p.is_file():
            continue
        text, _ = read_text(p, p.name)
        if text is not None and has_unsafe_chars(text):
            flagged += 1
            assert may_have_unsafe_chars(p.read_bytes()), p
    assert flagged > 0


_HEADING_SPEC = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")  # what a heading's text is


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="#  \t\u00a0ab1.{}", max_size=14))
def test_a_headings_text_is_the_specs(line: str) -> None:
    """The parser takes a heading's text with string operations after a plain pattern;
    it is what the one lazy pattern gives (closing "#"s and the spaces around them cut)."""
    from lgs_cli.parse import _heading

    spec = _HEADING_SPEC.match(line)
    assert _heading(line) == (spec.group(1, 2) if spec is not None else None)


_COMPOSING = ("aAeoOuUsSkKnN \u00e5\u00e4\u00f6\u00c5\u0300\u0301\u0308\u030a\u0323\u0327\u0345\u1100\u1161\u11a8\uac00"
              "\u0b47\u0b3e\u0b57\u09c7\u09be\u0f71\u0f72\u3099\u304b\u212b\u2126\u1e9b\u05b7\u05bc\u05d0")


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=_COMPOSING, max_size=12), st.integers(0, 12), st.integers(0, 12))
def test_a_part_of_an_nfc_text_is_nfc(text: str, start: int, stop: int) -> None:
    """The body parser uses the parts of the NFC-normalised text as they are (no
    normalisation of each value): this is what makes that right."""
    import unicodedata

    whole = unicodedata.normalize("NFC", text)
    part = whole[min(start, stop):max(start, stop)]
    assert unicodedata.is_normalized("NFC", part)
    assert unicodedata.is_normalized("NFC", " ".join(part.split()))


def test_the_memos_keep_short_texts_only() -> None:
    """A long text (a hostile file's 20,000-character line) is answered but not kept:
    the memos cannot fill memory; a short one is kept, up to the memo's size."""
    from lgs_cli import names, parse, yamlfast

    long_text = "Anna Andersson, " + "Växjö " * 100
    assert len(long_text) > names.MEMO_MAX_CHARS
    for f, args in ((parse._attendee_fields, (long_text,)), (parse._split_names, (long_text,)),
                    (yamlfast._key_line, (0, "location: " + long_text))):
        f.clear()
        first = f(*args)
        assert f(*args) == first and len(f) == 0 and f.misses >= 2
        f(*args[:-1], "Anna Andersson, Växjö")
        assert len(f) == 1


def test_a_full_memo_starts_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """A memo holds at most MEMO_ENTRIES answers; looked up by subscription (one or
    more arguments) or called, it gives the function's answer."""
    from lgs_cli import names

    monkeypatch.setattr(names, "MEMO_ENTRIES", 3)
    memo = names.text_memo(lambda prefix, text: prefix + text.upper())
    for i in range(3):
        assert memo["x", f"t{i}"] == f"xT{i}"
    assert len(memo) == 3 and memo("x", "t0") == "xT0" and memo.misses == 3
    assert memo["x", "t9"] == "xT9" and len(memo) == 1
    one = names.text_memo(str.upper)
    assert one["ab"] == one("ab") == "AB" and one.misses == 1


def test_a_byte_order_mark_keeps_the_byte_precheck(tmp_path: Path) -> None:
    """The byte-order mark that decoding drops does not count as an unsafe character:
    such a file keeps the shortcut; one with a second U+FEFF inside does not."""
    from lgs_cli.parse import _Reader, read_text

    for body, maybe in (("Växjö\n", False), ("Väx\ufeffjö\n", True)):
        path = tmp_path / "2025-04-04.md"
        path.write_bytes(b"\xef\xbb\xbf" + body.encode("utf-8"))
        reader = _Reader(path, path.name)
        text, _ = read_text(path, path.name, reader)
        assert text == body
        assert reader.maybe_unsafe is maybe
