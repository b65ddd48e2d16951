"""The per-file cache: a cached load gives exactly what parsing gives, and a
stale, damaged or foreign cache is never trusted."""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import json
import marshal
import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MINUTES, OLD, age, bench_generator
from lgs_cli import archive as archive_mod
from lgs_cli import cache
from lgs_cli.archive import Archive, display_path, list_meeting_files, load_archive
from lgs_cli.model import EntryKind, Meeting
from lgs_cli.parse import parse_meeting_file
from lgs_cli.resolve import resolve_people
from lgs_cli.roster import load_roster


@pytest.fixture
def generated(tmp_path: Path) -> Path:
    root = tmp_path / "gen"
    bench_generator().generate(40, root, seed=7)
    age(root)
    return root


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files the loader parses (rather than taking from the cache)."""
    calls: list[Path] = []
    real = archive_mod.parse_meeting_file

    def spy(path: Path, relpath: str, digest: list[bytes] | None = None) -> Any:
        calls.append(path)
        return real(path, relpath, digest)

    monkeypatch.setattr(archive_mod, "parse_meeting_file", spy)
    return calls


def truth(root: Path) -> Archive:
    """What the archive is without any cache: every file parsed, people resolved."""
    arch = Archive(root=root, roster=load_roster(root, display_path(root / "lgs.yaml")))
    arch.diagnostics.extend(arch.roster.diagnostics)
    for path in list_meeting_files(root, arch.diagnostics):
        m, diags = parse_meeting_file(path, display_path(path))
        arch.meetings.append(m)
        arch.diagnostics.extend(diags)
    arch.meetings.sort(key=lambda m: (m.date is None, m.date or dt.date.min, m.relpath))
    resolve_people(arch)
    return arch


def yaml_shape(value: Any) -> Any:
    """A YAML value with the line maps of its mappings and sequences (== ignores them)."""
    if isinstance(value, dict):
        return ("map", {k: yaml_shape(v) for k, v in value.items()}, dict(getattr(value, "lines", {})))
    if isinstance(value, list):
        return ("seq", [yaml_shape(v) for v in value], list(getattr(value, "lines", [])))
    return (type(value).__name__, value)


def fields(m: Meeting) -> dict[str, Any]:
    out = {f.name: getattr(m, f.name) for f in dataclasses.fields(Meeting)}
    out["front_matter"] = yaml_shape(out["front_matter"])
    return out


def assert_same(got: Archive, want: Archive) -> None:
    assert [m.relpath for m in got.meetings] == [m.relpath for m in want.meetings]
    for a, b in zip(got.meetings, want.meetings, strict=True):
        fa, fb = fields(a), fields(b)
        for name in fb:
            assert fa[name] == fb[name], f"{b.relpath}: {name} differs"
        for kind in EntryKind:
            assert a.entries_of(kind) == b.entries_of(kind)
    assert got.diagnostics == want.diagnostics


def store_files(folder: Path) -> list[Path]:
    return sorted((folder / "archives").glob("*.cache")) if (folder / "archives").exists() else []


# -- the same result, cached or not -------------------------------------------------

@pytest.mark.parametrize("which", ["bundled", "generated"])
def test_cached_load_is_the_parsed_archive(which: str, tmp_path: Path, generated: Path, cache_dir: Path,
                                           parsed: list[Path]) -> None:
    if which == "bundled":
        root = tmp_path / "minutes"
        shutil.copytree(MINUTES, root)
        age(root)
    else:
        root = generated
    want = truth(root)
    cold = load_archive(root)
    assert len(parsed) == len(want.meetings) > 0
    assert_same(cold, want)
    assert len(store_files(cache_dir)) == 1
    parsed.clear()
    warm = load_archive(root)
    assert parsed == []  # every meeting came from the cache
    assert all(isinstance(m, cache.CachedMeeting) for m in warm.meetings)
    assert_same(warm, want)


_FRONT_MATTERS = [
    # lgs's own reader
    "date: 2025-04-04\nstatus: draft\nsecretary: [Anna Andersson]\nattendees:\n  - Anna Andersson, Växjö\n",
    # PyYAML: a value over two lines, an escape, a block scalar with a blank line, nesting
    "date: 2025-04-04\nstatus: draft\nsecretary: [Anna Andersson]\nlocation: Regionhuset,\n  sal Bolmen\n"
    "source: \"Protokoll \\u00e5r 2025\"\nattendees:\n  - name: Anna Andersson\n    org: Växjö\n"
    "    items: [1, 2]\ncorrections:\n  - date: 2025-05-01\n    by: Anna Andersson\n    note: |\n"
    "      Rad ett\n\n      rad två\n",
    # not YAML, not a mapping, empty
    "date: [2025-04-04\nstatus: draft\n",
    "- date\n- status\n",
    "",
]


@pytest.mark.parametrize("front", _FRONT_MATTERS)
def test_front_matter_from_the_record_is_the_parsed_one(front: str, tmp_path: Path, cache_dir: Path) -> None:
    """The record keeps the front matter as its YAML text and reads it again when
    it is used: the same values, types and lines as the parser's, cold and warm."""
    root = tmp_path / "minutes"
    shutil.copytree(MINUTES, root)
    (root / "2025" / "2025-04-04.md").write_text(f"---\n{front}---\n\n## 1. Punkt\n\nText.\n", encoding="utf-8")
    age(root)
    want = truth(root)
    assert_same(load_archive(root), want)
    warm = load_archive(root)
    assert all(isinstance(m, cache.CachedMeeting) for m in warm.meetings)
    assert_same(warm, want)


def test_a_warm_run_reads_no_front_matter_with_pyyaml(tmp_path: Path, cache_dir: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Front matter that PyYAML had to read is kept as values; the text kept for the
    rest is read again by lgs's reader: a warm run that uses every meeting's front
    matter reads none with PyYAML (nor counts one for the note about libyaml)."""
    from lgs_cli import yamlloader, yamlsafe

    root = tmp_path / "minutes"
    shutil.copytree(MINUTES, root)
    (root / "2025" / "2025-04-04.md").write_text(f"---\n{_FRONT_MATTERS[1]}---\n\n## 1. Punkt\n", encoding="utf-8")
    age(root)
    monkeypatch.setattr(yamlloader, "FAST", False)  # as without libyaml: PyYAML's reads are counted
    monkeypatch.setattr(yamlsafe, "SLOW_LOADS", 0)
    load_archive(root)
    assert yamlsafe.SLOW_LOADS == 1  # the one front matter lgs's reader declines
    warm = load_archive(root)
    assert [m.front_matter for m in warm.meetings]
    assert yamlsafe.SLOW_LOADS == 1
    assert_same(warm, truth(root))


def test_without_the_cache_the_result_is_the_same(generated: Path, monkeypatch: pytest.MonkeyPatch,
                                                   cache_dir: Path, parsed: list[Path]) -> None:
    monkeypatch.setenv("LGS_NO_CACHE", "1")
    assert_same(load_archive(generated), truth(generated))
    assert_same(load_archive(generated), truth(generated))
    assert len(parsed) == 2 * 40
    assert not cache_dir.exists()


def test_parsing_does_not_depend_on_the_roster() -> None:
    # what is cached per file is a function of the file alone
    assert list(inspect.signature(parse_meeting_file).parameters) == ["path", "relpath", "digest"]  # digest: an output


def test_entries_built_before_the_items_are_the_items_entries(generated: Path, cache_dir: Path) -> None:
    load_archive(generated)
    m = next(m for m in load_archive(generated).meetings if m.actions and m.followups)
    actions, followups = m.entries_of(EntryKind.ACTION), m.followups
    in_items = [e for item in m.items for e in item.entries]
    assert all(any(a is e for e in in_items) for a in actions + followups)
    assert [e for e in in_items if e.kind is EntryKind.ACTION] == actions


def test_a_value_assigned_before_first_use_is_kept(generated: Path, cache_dir: Path) -> None:
    load_archive(generated)
    m = load_archive(generated).meetings[3]
    m.attendees = []
    assert m.guests is not None  # builds the people ...
    assert m.attendees == []  # ... without overwriting what was assigned


# -- stale entries ------------------------------------------------------------------

def test_a_changed_file_is_parsed_again(generated: Path, cache_dir: Path, parsed: list[Path]) -> None:
    load_archive(generated)
    target = sorted(generated.glob("*/*.md"))[5]
    text = target.read_text(encoding="utf-8")
    # same size, same modification time: only the content (and the change time) differ
    changed = text.replace("Ledningsgrupp för samordning", "Ledningsgrupp för samordninG", 1)
    assert len(changed) == len(text) and changed != text
    st_before = target.stat()
    target.write_text(changed, encoding="utf-8")
    os.utime(target, ns=(st_before.st_atime_ns, st_before.st_mtime_ns))
    parsed.clear()
    warm = load_archive(generated)
    assert parsed == [target]
    assert_same(warm, truth(generated))


def test_added_and_deleted_files(generated: Path, cache_dir: Path, parsed: list[Path]) -> None:
    load_archive(generated)
    files = sorted(generated.glob("*/*.md"))
    files[0].unlink()
    copy = files[1].with_name("2030-01-04.md")
    copy.write_text(files[1].read_text(encoding="utf-8").replace(files[1].stem, "2030-01-04"), encoding="utf-8")
    os.utime(copy, (OLD, OLD))
    parsed.clear()
    arch = load_archive(generated)
    assert parsed == [copy]
    assert_same(arch, truth(generated))
    parsed.clear()
    load_archive(generated)
    assert parsed == []
    entries = cache.Store(generated, cache_dir).entries
    assert len(entries) == 40 and files[0].relative_to(generated).as_posix() not in entries


def test_a_few_changed_files_are_added_to_the_store(generated: Path, cache_dir: Path, parsed: list[Path],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A few changed files: their records and a new index go to the end of the
    store (same file, nothing copied); every record stays readable; once dead
    space outweighs the live records, a new store is written."""
    load_archive(generated)
    (store,) = store_files(cache_dir)
    inode, size = store.stat().st_ino, store.stat().st_size
    files = sorted(generated.glob("*/*.md"))
    for round_ in range(3):
        target = files[round_]
        target.write_text(target.read_text(encoding="utf-8").replace("Ledningsgrupp", f"Ledningsgrupp{round_}", 1),
                          encoding="utf-8")
        os.utime(target, (OLD + round_ + 1, OLD + round_ + 1))
        parsed.clear()
        arch = load_archive(generated)
        assert parsed == [target]
        assert_same(arch, truth(generated))
        assert store.stat().st_ino == inode and store.stat().st_size > size  # appended, not rewritten
        size = store.stat().st_size
        parsed.clear()
        assert_same(load_archive(generated), truth(generated))  # read back from the appended store
        assert parsed == []
    monkeypatch.setattr(cache, "APPEND_SLACK", -(1 << 40))  # no room for dead space: the next change rewrites
    files[5].write_text(files[5].read_text(encoding="utf-8") + "\n", encoding="utf-8")
    os.utime(files[5], (OLD + 9, OLD + 9))
    assert_same(load_archive(generated), truth(generated))
    assert store.stat().st_ino != inode and store.stat().st_size < size
    parsed.clear()
    assert_same(load_archive(generated), truth(generated))
    assert parsed == []


def test_many_changed_files_make_a_new_store(generated: Path, cache_dir: Path, parsed: list[Path]) -> None:
    load_archive(generated)
    (store,) = store_files(cache_dir)
    inode = store.stat().st_ino
    for path in generated.glob("*/*.md"):  # every file changed
        path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    age(generated, OLD + 5)
    assert_same(load_archive(generated), truth(generated))
    assert store.stat().st_ino != inode


@pytest.mark.parametrize("how", ["touched", "rewritten", "checked out"])
def test_same_content_under_new_times_is_not_parsed_again(how: str, generated: Path, cache_dir: Path,
                                                           parsed: list[Path]) -> None:
    """A fresh checkout (new times and inodes, same bytes) or a restored CI cache:
    records are taken for files whose content digest is the same."""
    load_archive(generated)
    files = sorted(generated.glob("*/*.md"))
    for path in files:
        data = path.read_bytes()
        if how == "rewritten":
            path.write_bytes(data)
        elif how == "checked out":  # a new file (new inode) with the same bytes
            path.unlink()
            path.write_bytes(data)
    age(generated, OLD + 100)
    parsed.clear()
    arch = load_archive(generated)
    assert parsed == []
    assert_same(arch, truth(generated))
    parsed.clear()
    assert_same(load_archive(generated), truth(generated))  # the new times are stored
    assert parsed == []
    # the same size but other bytes: parsed again
    text = files[3].read_text(encoding="utf-8")
    changed = text.replace("Ledningsgrupp för samordning", "Ledningsgrupp för samordninG", 1)
    assert len(changed) == len(text) and changed != text
    files[3].write_text(changed, encoding="utf-8")
    os.utime(files[3], (OLD + 200, OLD + 200))
    parsed.clear()
    assert_same(load_archive(generated), truth(generated))
    assert parsed == [files[3]]


def test_same_content_changed_just_now_is_parsed(generated: Path, cache_dir: Path, parsed: list[Path]) -> None:
    load_archive(generated)
    fresh = sorted(generated.glob("*/*.md"))[4]
    fresh.touch()
    parsed.clear()
    load_archive(generated)
    assert parsed == [fresh]  # within two seconds of a change the content is not trusted to stay


def test_files_changed_just_now_are_not_stored(generated: Path, cache_dir: Path, parsed: list[Path]) -> None:
    fresh = sorted(generated.glob("*/*.md"))[2]
    fresh.touch()  # modified now: a second change within the clock's resolution could go unseen
    load_archive(generated)
    parsed.clear()
    load_archive(generated)
    assert parsed == [fresh]
    os.utime(fresh, (OLD, OLD))
    load_archive(generated)
    parsed.clear()
    load_archive(generated)
    assert parsed == []


def test_a_new_version_of_lgs_does_not_read_an_old_store(generated: Path, cache_dir: Path, parsed: list[Path],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    load_archive(generated)
    monkeypatch.setattr(cache, "code_fingerprint", lambda: "another version")
    parsed.clear()
    load_archive(generated)
    assert len(parsed) == 40


# -- damaged stores -----------------------------------------------------------------

def _damage(path: Path, how: str) -> None:
    data = bytearray(path.read_bytes())
    index_at = int.from_bytes(data[8:16], "little")
    if how == "empty":
        data = bytearray()
    elif how == "truncated":
        data = data[: len(data) // 2]
    elif how == "garbage":
        data = bytearray(os.urandom(len(data)))
    elif how == "magic":
        data[:4] = b"XXXX"
    elif how == "index byte":
        data[index_at + 50] ^= 0xFF
    elif how == "part byte":  # inside the records' parts: found when the part is read
        data[index_at - 100] ^= 0xFF
    elif how == "pickle":  # something else entirely where the store should be
        import pickle

        data = bytearray(pickle.dumps({"evil": 1}))
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["empty", "truncated", "garbage", "magic", "index byte", "part byte", "pickle"])
def test_a_damaged_store_is_never_trusted(how: str, generated: Path, cache_dir: Path, parsed: list[Path]) -> None:
    want = truth(generated)
    load_archive(generated)
    (store,) = store_files(cache_dir)
    _damage(store, how)
    assert_same(load_archive(generated), want)
    # and the next runs have a good store again
    load_archive(generated)
    parsed.clear()
    assert_same(load_archive(generated), want)
    assert parsed == []


def test_a_store_of_another_archive_is_not_used(tmp_path: Path, generated: Path, cache_dir: Path,
                                                parsed: list[Path]) -> None:
    other = tmp_path / "other"
    shutil.copytree(generated, other)
    age(other)
    load_archive(generated)
    (store,) = store_files(cache_dir)
    target = cache.Store(other, cache_dir).path
    assert target is not None and target != store
    shutil.copy(store, target)  # the first archive's store under the second's name
    parsed.clear()
    assert_same(load_archive(other), truth(other))
    assert len(parsed) == 40


# -- diagnostics and the roster -----------------------------------------------------

ROSTER = """\
organisations:
  Växjö:
    kind: kommun
    aliases: [Vxo]
people:
  - name: Anna Andersson
    roles:
      - {org: Växjö}
  - name: Bo Ek
    roles:
      - {org: Växjö}
"""

MEETING = """\
---
date: 2024-03-01
status: draft
secretary: [Anna Andersson]
attendees:
  - Anna Andersson, Vxo
  - Bo Ek
---

## 1. Punkt

Beslut: detta ser ut som ett beslut men är inte markerat.

- [ ] **Åtgärd A1:** Gör något.
  - Ansvarig: Anna Andersson
  - Färg: blå
"""


def _small_archive(root: Path, roster: str = ROSTER) -> Path:
    (root / "2024").mkdir(parents=True)
    (root / "lgs.yaml").write_text(roster, encoding="utf-8")
    (root / "2024" / "2024-03-01.md").write_text(MEETING, encoding="utf-8")
    age(root)
    return root


def test_diagnostics_come_with_the_cached_file_and_rules_apply_afresh(tmp_path: Path, cache_dir: Path,
                                                                     parsed: list[Path]) -> None:
    root = _small_archive(tmp_path / "a")
    cold = load_archive(root)
    codes = sorted(d.code for d in cold.diagnostics)
    assert "LGS027" in codes and "LGS028" in codes
    parsed.clear()
    warm = load_archive(root)
    assert parsed == [] and warm.diagnostics == cold.diagnostics
    (root / "lgs.yaml").write_text(ROSTER + "rules:\n  LGS027: off\n  LGS028: error\n", encoding="utf-8")
    ruled = load_archive(root)
    assert parsed == []
    assert "LGS027" not in [d.code for d in ruled.diagnostics]
    assert [d.severity.value for d in ruled.diagnostics if d.code == "LGS028"] == ["error"]


def test_people_are_resolved_through_this_runs_roster(tmp_path: Path, cache_dir: Path, parsed: list[Path]) -> None:
    root = _small_archive(tmp_path / "a")
    assert [a.org for a in load_archive(root).meetings[0].attendees or []] == ["Växjö", "Växjö"]
    roster = ROSTER.replace("aliases: [Vxo]", "aliases: []")
    roster = roster[: roster.rindex("{org: Växjö}")] + "{org: Ljungby}\n"
    (root / "lgs.yaml").write_text(roster, encoding="utf-8")
    parsed.clear()
    again = load_archive(root)
    assert parsed == []  # the meeting came from the cache ...
    assert [a.org for a in again.meetings[0].attendees or []] == ["Vxo", "Ljungby"]  # ... resolved afresh


# -- where the cache lives ----------------------------------------------------------

def test_the_cache_directory_is_private(generated: Path, cache_dir: Path) -> None:
    load_archive(generated)
    assert stat.S_IMODE((cache_dir / "archives").stat().st_mode) == 0o700
    (store,) = store_files(cache_dir)
    assert stat.S_IMODE(store.stat().st_mode) == 0o600


def test_a_directory_others_can_write_is_not_used(generated: Path, cache_dir: Path, parsed: list[Path]) -> None:
    (cache_dir / "archives").mkdir(parents=True)
    os.chmod(cache_dir / "archives", 0o777)
    load_archive(generated)
    load_archive(generated)
    assert len(parsed) == 80 and store_files(cache_dir) == []


def test_never_inside_the_archive(generated: Path, monkeypatch: pytest.MonkeyPatch, parsed: list[Path]) -> None:
    monkeypatch.setenv("LGS_CACHE_DIR", str(generated / ".cache"))
    load_archive(generated)
    assert not (generated / ".cache").exists()


def test_default_location_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("LGS_CACHE_DIR", raising=False)
    monkeypatch.delenv("LGS_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "lgs"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_dir() == tmp_path / "home" / ".cache" / "lgs"
    monkeypatch.setenv("LGS_NO_CACHE", "1")
    assert cache.cache_dir() is None


# -- paths ---------------------------------------------------------------------------

@pytest.mark.parametrize("where", ["parent", "root", "inside", "elsewhere"])
@pytest.mark.parametrize("given", ["relative", "absolute"])
def test_keys_and_display_paths(where: str, given: str, generated: Path, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    cwd = {"parent": generated.parent, "root": generated, "inside": next(p for p in generated.iterdir() if p.is_dir()),
           "elsewhere": tmp_path / "elsewhere"}[where]
    cwd.mkdir(exist_ok=True)
    monkeypatch.chdir(cwd)
    root = Path(os.path.relpath(generated)) if given == "relative" else generated
    paths = list_meeting_files(root, [])
    got = list(archive_mod._keys_and_display_paths(root, paths))
    assert [(p, k, d) for p, k, d in got] == [
        (p, os.path.relpath(p, root), display_path(p)) for p in paths
    ]


# -- concurrent runs ----------------------------------------------------------------

def test_concurrent_runs_agree(generated: Path, cache_dir: Path) -> None:
    env = {**os.environ, "LGS_CACHE_DIR": str(cache_dir), "LGS_ARCHIVE": str(generated), "NO_COLOR": "1"}
    env.pop("LGS_NO_CACHE", None)
    command = [sys.executable, "-c", "from lgs_cli.cli import main; main()", "meetings", "--format", "json"]
    want = subprocess.run(command, env={**env, "LGS_NO_CACHE": "1"}, capture_output=True, text=True, check=True)
    for _ in range(2):  # first all cold, then all warm
        procs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(4)]
        for p in procs:
            out, err = p.communicate(timeout=120)
            assert p.returncode == 0, err
            assert json.loads(out) == json.loads(want.stdout)
    assert len(store_files(cache_dir)) == 1


# -- any meeting survives the round trip ---------------------------------------------

_names = st.sampled_from(["Anna Andersson", "Bo Ek", "Åsa Öberg", "Ledningsgruppen", "RGK", "Växjö"])
_words = st.text(alphabet=st.sampled_from(list("abcåäö ÅÄÖ:-,.()#*0123456789")), min_size=0, max_size=30)
_yaml_value = st.one_of(
    st.sampled_from(["not-recorded", "2024-02-30", "11:00", "yes", "[]", "{}", "~", "12", "1.5", "true"]),
    _words.map(lambda w: json.dumps(w, ensure_ascii=False)),
)
_attendee = st.one_of(
    st.builds(lambda n, o: f"  - {n}, {o}", _names, _names),
    st.builds(lambda n, p: f"  - name: {n}\n    part: {p}\n    items: [\"1\", 2]", _names, st.integers(1, 3)),
    _yaml_value.map(lambda v: f"  - {v}"),
)
_front = st.builds(
    lambda status, extra, attendees, key: "\n".join(
        ["---", "date: 2024-05-03", f"status: {status}", "secretary: [Anna Andersson]", f"{key}: {extra}",
         "attendees:" if attendees else "attendees: not-recorded", *attendees, "---", ""]),
    st.sampled_from(["draft", "approved", "maybe"]), _yaml_value, st.lists(_attendee, max_size=4),
    st.sampled_from(["location", "atendees", "approved_on", "start", "corrections", "chairs"]),
)
_line = st.one_of(
    _words,
    st.builds(lambda n, w: f"## {n}. {w}", st.integers(1, 12), _words),
    st.builds(lambda k, n, w: f"- [ ] **{k} {n}:** {w}", st.sampled_from(["Åtgärd A", "Beslut B", "Uppskjutet U"]),
              st.integers(1, 3), _words),
    st.builds(lambda w: f"- [x] **Uppföljning 2024-04-05-A1:** {w}", _words),
    st.builds(lambda f, w: f"  - {f}: {w}", st.sampled_from(["Ansvarig", "Senast", "Status", "Till", "Avser", "X"]),
              st.one_of(_names, _words, st.sampled_from(["2024-06", "2024-06-07 (juni)", "klar", "kvarstår"]))),
    st.sampled_from(["Föredragande: Anna Andersson (RGK), Bo Ek", "Underlag: bilder", "<!-- konfidentiellt -->",
                     "<!-- /konfidentiellt -->", "```", "# Rubrik", "Beslut: inte markerat", "\t- tab"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(front=_front, body=st.lists(_line, max_size=25))
def test_any_meeting_survives_the_round_trip(tmp_path: Path, front: str, body: list[str]) -> None:
    path = tmp_path / "m.md"
    path.write_text(front + "\n".join(body) + "\n", encoding="utf-8")
    want, want_diags = parse_meeting_file(path, "m.md")
    record = cache.to_record(want, want_diags)
    # through memory ...
    got = cache.from_record(record, path, "m.md")
    assert cache.diagnostics_of(record, "m.md") == want_diags
    assert fields(got) == fields(want)
    # ... and through a store on disk
    store = cache.Store(tmp_path / "archive", tmp_path / "store")
    fetch = store.put("m.md", (1, 2, 3, 4), record, time.time(), b"digest")
    assert fetch is not None
    store.save()
    again = cache.Store(tmp_path / "archive", tmp_path / "store").get("m.md", (1, 2, 3, 4))
    assert again is not None
    stored = cache.from_record(again, path, "m.md")
    for kind in EntryKind:  # entries first, then everything
        assert stored.entries_of(kind) == want.entries_of(kind)
    assert fields(stored) == fields(want)


# -- parsing in several processes -----------------------------------------------------

needs_two_cpus = pytest.mark.skipif(
    not sys.platform.startswith("linux") or len(os.sched_getaffinity(0)) < 2, reason="needs Linux and 2 CPUs")


@needs_two_cpus
@pytest.mark.parametrize("cache_on", [True, False])
def test_parsing_in_several_processes_gives_the_same_archive(cache_on: bool, generated: Path, cache_dir: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive_mod, "PARALLEL_MIN", 4)
    monkeypatch.delenv("LGS_JOBS", raising=False)
    assert archive_mod._jobs(40) >= 2
    if not cache_on:
        monkeypatch.setenv("LGS_NO_CACHE", "1")
    assert_same(load_archive(generated), truth(generated))


def _before_each_parse(monkeypatch: pytest.MonkeyPatch, hook: Any) -> None:
    """Parse in several processes, calling ``hook(in_worker)`` before each file."""
    monkeypatch.setattr(archive_mod, "PARALLEL_MIN", 4)
    monkeypatch.setenv("LGS_JOBS", "2")
    parent = os.getpid()
    real = archive_mod._parse_one

    def parse_one(path: Path, relpath: str, derive: Any = None) -> Any:
        hook(os.getpid() != parent)
        return real(path, relpath, derive)

    monkeypatch.setattr(archive_mod, "_parse_one", parse_one)


@needs_two_cpus
def test_a_failing_worker_costs_only_time(generated: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []

    def flaky(in_worker: bool) -> None:
        if in_worker:
            seen.append(1)
            if len(seen) == 6:  # the worker dies after sending a batch: the rest is parsed here
                raise RuntimeError("worker failure")

    _before_each_parse(monkeypatch, flaky)
    assert_same(load_archive(generated), truth(generated))


def test_lgs_jobs_1_parses_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LGS_JOBS", "1")
    assert archive_mod._jobs(100_000) == 1
    monkeypatch.delenv("LGS_JOBS")
    assert archive_mod._jobs(archive_mod.PARALLEL_MIN - 1) == 1


def test_without_blake2_the_digest_is_sha256(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    blake = cache.content_digest(b"minutes")
    monkeypatch.setitem(sys.modules, "_blake2", None)  # a Python built without it
    other = cache.content_digest(b"minutes")
    assert len(other) == len(blake) == 16 and other != blake
    assert other == cache.content_digest(b"minutes") != cache.content_digest(b"minuteS")


def test_a_store_named_by_identity_trusts_content_only(tmp_path: Path) -> None:
    """The revisions' store (load_archive(cache_as=...)): files are written anew on
    every run, so a record is never taken on its signature alone."""
    root = tmp_path / "export"
    root.mkdir()
    target = root / "m.md"
    target.write_bytes(b"same size A")
    os.utime(target, (OLD, OLD))
    sig = cache.signature(target.stat())
    head = ("m.md", None, None, None, None, None, None, None, None, None, None, None, None, None, 1, False,
            (True, (), (), (), ()))
    parts = tuple(marshal.dumps(()) for _ in range(7))
    store = cache.Store(root, tmp_path / "c", identity="repo at a revision")
    store.put("m.md", sig, (head, (), None, parts), time.time(), cache.content_digest(b"same size A"))
    store.save()
    target.write_bytes(b"same size B")  # same size; times and inode put back as they were
    os.utime(target, ns=(sig[1], sig[1]))
    again = cache.Store(root, tmp_path / "c", identity="repo at a revision")
    assert again.get("m.md", cache.signature(target.stat())) is None  # not on the signature
    assert again.rebind("m.md", target, cache.signature(target.stat()), time.time()) is None  # other bytes
    target.write_bytes(b"same size A")
    os.utime(target, ns=(sig[1], sig[1]))
    third = cache.Store(root, tmp_path / "c", identity="repo at a revision")
    assert third.rebind("m.md", target, cache.signature(target.stat()), time.time()) is not None


def test_temporary_files_of_dead_runs_are_removed(generated: Path, cache_dir: Path) -> None:
    load_archive(generated)
    folder = cache_dir / "archives"
    dead = [folder / ".tmp-12345-00ff", folder / "abc.check.memo.12345.tmp"]
    fresh = folder / ".tmp-999-11aa"  # a run writing right now
    for path in [*dead, fresh]:
        path.write_bytes(b"partial")
    for path in dead:
        os.utime(path, (OLD, OLD))
    target = sorted(generated.glob("*/*.md"))[0]
    target.write_text(target.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    os.utime(target, (OLD + 50, OLD + 50))
    load_archive(generated)  # saves the store, and tidies up
    assert not any(p.exists() for p in dead)
    assert fresh.exists()


def test_the_fingerprint_covers_the_yaml_parser() -> None:
    assert cache._yaml_version().startswith(b"yaml __version__")


@needs_two_cpus
def test_every_ticket_is_taken_once() -> None:
    """The chunks' tickets, taken by this process and two forked ones at once: each
    number exactly once."""
    tickets = archive_mod._Tickets(archive_mod.MAX_TICKETS)
    pipes = []
    for _ in range(2):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                taken = []
                while (t := tickets.take()) is not None:
                    taken.append(t)
                os.write(write_fd, marshal.dumps(taken))
            finally:
                os._exit(0)
        os.close(write_fd)
        pipes.append((pid, read_fd))
    mine = []
    while (t := tickets.take()) is not None:
        mine.append(t)
    everyone = list(mine)
    for pid, read_fd in pipes:
        data = b""
        while chunk := os.read(read_fd, 1 << 16):
            data += chunk
        os.close(read_fd)
        os.waitpid(pid, 0)
        everyone += marshal.loads(data)
    tickets.close()
    assert sorted(everyone) == list(range(archive_mod.MAX_TICKETS))


@needs_two_cpus
def test_a_slow_worker_gets_fewer_files(generated: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files are handed out as the processes are ready: when the worker is slow, this
    process parses most of them, and the archive is the same."""
    monkeypatch.setattr(archive_mod, "CHUNK", 1)
    here: list[int] = []

    def timed(in_worker: bool) -> None:
        if in_worker:
            time.sleep(0.05)
        else:
            here.append(1)

    _before_each_parse(monkeypatch, timed)
    assert_same(load_archive(generated), truth(generated))
    assert len(here) > 30  # of 40


def test_without_a_pipe_one_process_parses(generated: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No pipe for the tickets (too many open files): the files are parsed here, all of them."""
    monkeypatch.setattr(archive_mod, "PARALLEL_MIN", 4)
    monkeypatch.setattr(archive_mod, "_jobs", lambda count: 2)

    def no_pipe() -> tuple[int, int]:
        raise OSError(24, "Too many open files")

    monkeypatch.setattr(os, "pipe", no_pipe)
    assert_same(load_archive(generated), truth(generated))


def _open_fds() -> set[str]:
    return set(os.listdir("/proc/self/fd"))


@needs_two_cpus
def test_stopping_early_ends_the_workers_and_closes_the_pipes(generated: Path, monkeypatch: pytest.MonkeyPatch,
                                                            ) -> None:
    """A caller that stops taking records (an error while storing them): the workers
    are ended and waited for, and no pipe is left open."""
    monkeypatch.setattr(archive_mod, "PARALLEL_MIN", 4)
    monkeypatch.setenv("LGS_JOBS", "2")
    todo = [(i, p, p.name) for i, p in enumerate(sorted(generated.rglob("*.md")))]
    before = _open_fds()
    records: Any = archive_mod._parse_files(todo)  # (a generator)
    next(records)
    records.close()
    assert _open_fds() == before
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no child left


def test_tickets_that_do_not_fit_raise_at_once() -> None:
    """A pipe too small for the tickets (Linux gives small ones to a user who holds
    many) is an OSError at once, never a wait, and leaves no pipe open; the caller
    then parses in one process (test_without_a_pipe_one_process_parses)."""
    with pytest.raises(ValueError):
        archive_mod._Tickets(archive_mod.MAX_TICKETS + 1)
    real_write = os.write

    def short_write(fd: int, data: Any) -> int:
        return real_write(fd, bytes(data)[:8])  # only two tickets fit

    before = _open_fds()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "write", short_write)
        with pytest.raises(OSError):
            archive_mod._Tickets(10)
    assert _open_fds() == before
    tickets = archive_mod._Tickets(archive_mod.MAX_TICKETS)  # 4 KiB: fits the smallest pipe
    assert tickets.take() == 0
    tickets.close()
    assert tickets.take() is None


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_interrupted_load_leaves_no_half_written_store(jobs: str, generated: Path, cache_dir: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C while files are parsed: the new store being written is removed, the
    workers are ended, and the next run works."""
    monkeypatch.setattr(archive_mod, "PARALLEL_MIN", 4)
    monkeypatch.setenv("LGS_JOBS", jobs)
    parent = os.getpid()
    real = archive_mod._parse_one
    count: list[int] = []

    def interrupted(path: Path, relpath: str, derive: Any = None) -> Any:
        if os.getpid() == parent:
            count.append(1)
            if len(count) == 8:
                raise KeyboardInterrupt
        return real(path, relpath, derive)

    monkeypatch.setattr(archive_mod, "_parse_one", interrupted)
    with pytest.raises(KeyboardInterrupt):
        load_archive(generated)
    assert not [p for p in (cache_dir / "archives").iterdir() if p.name.startswith(".tmp-")]
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)
    monkeypatch.setattr(archive_mod, "_parse_one", real)
    assert_same(load_archive(generated), truth(generated))


@pytest.mark.parametrize(("value", "off"), [("1", True), ("yes", True), ("true", True), ("0", False),
                                            ("no", False), ("False", False), ("off", False), (" ", False)])
def test_lgs_no_cache_says_yes_or_no(value: str, off: bool, monkeypatch: pytest.MonkeyPatch,
                                     cache_dir: Path) -> None:
    """LGS_NO_CACHE=false (or no, off, 0) keeps the cache; anything else turns it off."""
    from lgs_cli import cachedir

    monkeypatch.setenv("LGS_NO_CACHE", value)
    assert (cachedir.cache_dir() is None) is off


def test_a_fifo_in_place_of_a_cache_file_is_passed_over_not_waited_on(tmp_path: Path) -> None:
    """Every file of the cache (store, memos, parsed YAML, saved help) replaced by a
    FIFO: each command runs as with no cache (a read of a FIFO waits for a writer
    that never comes), gives the same output, and puts files back."""
    folder = tmp_path / "cache"
    env = {**os.environ, "LGS_CACHE_DIR": str(folder), "NO_COLOR": "1", "COLUMNS": "80"}
    env.pop("LGS_NO_CACHE", None)
    main = "import sys; sys.argv = ['lgs', *sys.argv[1:]]; from lgs_cli.entry import main; main()"
    runs = (("actions", "--archive", str(MINUTES)), ("check", str(MINUTES)), ("--help",))

    def run(args: tuple[str, ...]) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([sys.executable, "-c", main, *args], capture_output=True, env=env, timeout=60,
                              stdin=subprocess.DEVNULL, check=False)

    before = [run(args) for args in runs]
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert {p.parent.name for p in files} >= {"archives", "help"}
    for p in files:
        p.unlink()
        os.mkfifo(p)
    after = [run(args) for args in runs]  # (a wait would end in subprocess.TimeoutExpired)
    assert [(r.returncode, r.stdout) for r in after] == [(r.returncode, r.stdout) for r in before]


def test_a_killed_writers_temporary_store_is_removed_after_a_minute_not_an_hour(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    dead = int(proc.stdout)  # a process that has ended
    folder = tmp_path / "archives"
    folder.mkdir()
    here = cache._host_tag()
    names = (f".tmp-{dead}-{here}-aa", f".tmp-{os.getpid()}-{here}-bb", f".tmp-{dead}-{here}-cc",
             f".tmp-{dead}-00000000-dd", f".tmp-{dead}-ee")
    made = {name: folder / name for name in names}
    for path in made.values():
        path.write_bytes(b"x" * 10)
    minutes_ago = time.time() - 120
    for name in names:
        if not name.endswith("-cc"):  # (".tmp-DEAD-HERE-cc" is new: its writer may only just have ended)
            os.utime(made[name], (minutes_ago, minutes_ago))
    cache._prune(folder)  # kept: a running writer's, a new one, one of another machine, one of an older lgs
    assert sorted(p.name for p in folder.iterdir()) == sorted(names[1:])
