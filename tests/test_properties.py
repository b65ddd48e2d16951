"""Properties of the loader and of atomic writes, with Hypothesis.

* For arbitrary bytes, arbitrary text and arbitrary YAML-shaped front matter,
  ``parse_meeting_file`` returns a model and diagnostics and never raises;
  every diagnostic has a known code and a line inside the file.
* The restricted YAML loader gives back exactly what ``yaml.safe_dump`` wrote
  (no YAML 1.1 surprises, no lost text), and CRLF, a BOM or NFD give the same
  model as LF, no BOM and NFC.
* ``fsutil.atomic_write_bytes`` writes exactly the data, keeps the mode, never
  overwrites in exclusive mode, and a write that fails half-way (fault
  injection, or a killed process) leaves the old file intact.
"""

from __future__ import annotations

import errno
import os
import re
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lgs_cli import fsutil, yamlsafe
from lgs_cli.codes import CODES
from lgs_cli.errors import FileExistsLgsError, LgsError
from lgs_cli.model import Diagnostic, Meeting
from lgs_cli.names import strip_note
from lgs_cli.parse import ATTENDEE_KEYS, FRONT_MATTER_KEYS, parse_meeting_file, split_names

# LGS_HYPOTHESIS_EXAMPLES=5000 for a longer run (the default keeps the suite quick)
SETTINGS = settings(max_examples=int(os.environ.get("LGS_HYPOTHESIS_EXAMPLES", "150")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@contextmanager
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


def parse_bytes(folder: Path, data: bytes, name: str = "2025-04-04.md") -> tuple[Meeting, list[Diagnostic]]:
    path = folder / name
    path.write_bytes(data)
    meeting, diags = parse_meeting_file(path, name)
    assert isinstance(meeting, Meeting)
    lines = max(1, data.count(b"\n") + data.count(b"\r") + 1)
    for d in diags:
        assert d.code in CODES, d
        assert d.line is None or 1 <= d.line <= lines, (d, lines)
        assert d.message
    return meeting, diags


# -- strategies ------------------------------------------------------------------------------

# Pieces of minutes, so that random text reaches the parser's deeper paths.
FRAGMENTS = [
    "---\n", "---", "\n", "\r\n", "\r", " ", "  ", "\t", "date: 2025-04-04\n", "date: 2025-02-30\n",
    "status: approved\n", "status: draft\n", "attendees: not-recorded\n", "attendees:\n  - A B, Växjö\n",
    "  - name: X\n    org: RGK\n    items: [1, 1.10]\n", "secretary: [Marcus Johansson]\n", "start: 11:00\n",
    "start: 25:99\n", "end: 9.30\n", "location: no\n", "deputies:\n  - name: D\n", "corrections:\n  - {date: x}\n",
    "# Titel\n", "## 1. Punkt\n", "## Punkt {konfidentiellt}\n", "## 2 \n", "Föredragande: A, B och C (RGK)\n",
    "Underlag: x\n", "- **Beslut B1:** text\n", "- [ ] **Åtgärd A1:** text\n", "- [x] **Uppföljning 2025-01-01-A1:** x\n",
    "- **Uppskjutet U1:** x\n", "  - Ansvarig: Kommunerna\n", "  - Senast: 2025-05-09 (maj)\n", "  - Senast: 2025-13\n",
    "  - Status: klar\n", "  - Status: kvarstår\n", "  - Till: 2024-06\n", "  - Avser: 2024-05-03-U1\n",
    "  - Okänt: x\n", "<!-- konfidentiellt -->\n", "<!-- /konfidentiellt -->\n", "```\n", "Beslut: x\n",
    "[bold red]x[/]", "\x1b[2J", "\u202e", "\x00", "\ufeff", "&a ", "*a ", "!!python/object/apply:os.system [x]",
    "{", "}", "[", "]", ": ", "- ", "'", '"', "#", "|", ">", "?", "%", "@", "`", "A\u030a", "å",
]
minutes_text = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=8), max_size=60).map("".join)

KEYS = sorted(FRONT_MATTER_KEYS | ATTENDEE_KEYS)
scalars = (st.none() | st.booleans() | st.integers(min_value=-(10**20), max_value=10**20)
           | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=20)
           | st.sampled_from(["not-recorded", "2025-04-04", "2025-02-30", "11:00", "yes", "no", "on", "1.10",
                              "Marcus Johansson", "RGK", "Växjö", "skola", "draft", "approved", "x, y"]))
keys = st.sampled_from(KEYS) | st.text(min_size=1, max_size=10)
yaml_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(keys, children, max_size=5),
    max_leaves=25,
)
front_matter = st.dictionaries(keys, yaml_values, max_size=12) | yaml_values


# -- the loader never raises ----------------------------------------------------------------------

@SETTINGS
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes_give_a_model_and_diagnostics(data: bytes) -> None:
    with scratch() as folder:
        parse_bytes(folder, data)


@SETTINGS
@given(text=st.text(max_size=2000))
def test_arbitrary_text_gives_a_model_and_diagnostics(text: str) -> None:
    with scratch() as folder:
        parse_bytes(folder, text.encode("utf-8", "surrogatepass"))


@SETTINGS
@given(text=minutes_text)
def test_minutes_like_text_gives_a_model_and_diagnostics(text: str) -> None:
    with scratch() as folder:
        parse_bytes(folder, text.encode("utf-8", "surrogatepass"))


@SETTINGS
@given(fm=front_matter, body=minutes_text, unicode=st.booleans(), flow=st.none() | st.booleans())
def test_yaml_shaped_front_matter_gives_a_model_and_diagnostics(fm: Any, body: str, unicode: bool,
                                                                flow: bool | None) -> None:
    dumped = yaml.safe_dump(fm, allow_unicode=unicode, default_flow_style=flow, sort_keys=False)
    text = f"---\n{dumped}---\n\n## 1. Punkt\n\n{body}"
    with scratch() as folder:
        meeting, diags = parse_bytes(folder, text.encode("utf-8", "surrogatepass"))
    if fm is not None and not isinstance(fm, dict) and "\x00" not in text:  # (null: an empty front matter)
        assert not meeting.ok
        assert [(d.code, d.line) for d in diags] == [("LGS002", 2)]


@SETTINGS
@given(fm=st.dictionaries(st.sampled_from(KEYS), yaml_values, max_size=12))
def test_yaml_mappings_are_read_with_their_lines(fm: dict[str, Any]) -> None:
    dumped = yaml.safe_dump(fm, allow_unicode=True, sort_keys=False, width=10_000)
    with scratch() as folder:
        meeting, diags = parse_bytes(folder, f"---\n{dumped}---\n".encode("utf-8", "surrogatepass"))
    assert meeting.ok, diags
    lines = f"---\n{dumped}".split("\n")
    assert set(meeting.key_lines) == set(fm)
    for key, line in meeting.key_lines.items():
        assert lines[line - 1].startswith(f"{key}:"), (key, line, lines)


# -- no surprises, no lost text -------------------------------------------------------------------------

json_like = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(10**18) + 1, max_value=10**18 - 1) | st.text(),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(), children, max_size=5),
    max_leaves=30,
)


@SETTINGS
@given(data=json_like, unicode=st.booleans(), flow=st.none() | st.booleans())
def test_restricted_loader_reads_back_exactly_what_safe_dump_wrote(data: Any, unicode: bool,
                                                                   flow: bool | None) -> None:
    dumped = yaml.safe_dump(data, allow_unicode=unicode, default_flow_style=flow)
    # the same as PyYAML's own safe loader reads (which is ``data``, except where
    # PyYAML's dumper itself loses a character, e.g. a raw NEL folded to a space)
    expected = yaml.load(dumped, Loader=yaml.SafeLoader)
    assert yamlsafe.load(dumped) == expected
    if unicode is False:
        assert expected == data


@SETTINGS
@given(value=st.text(max_size=40))
def test_text_values_survive_unchanged(value: str) -> None:
    """A location is the text as written: NFC, trimmed, never a number or a date."""
    # (PyYAML's dumper writes NEL/LS/PS raw with allow_unicode, and YAML then folds them)
    raw_ok = not any(ch in value for ch in "\x85\u2028\u2029")
    dumped = yaml.safe_dump({"location": value}, allow_unicode=raw_ok, width=10_000)
    with scratch() as folder:
        meeting, diags = parse_bytes(folder, f"---\n{dumped}---\n".encode("utf-8", "surrogatepass"))
    codes = {d.code for d in diags}
    assert "LGS004" not in codes and "LGS002" not in codes
    expected = unicodedata.normalize("NFC", value).strip()
    assert meeting.location == expected
    from lgs_cli.names import has_unsafe_chars

    assert ("LGS030" in codes) == has_unsafe_chars(unicodedata.normalize("NFC", value))


@SETTINGS
@given(text=minutes_text, crlf=st.booleans(), bom=st.booleans(), nfd=st.booleans())
def test_crlf_bom_and_nfd_give_the_same_model(text: str, crlf: bool, bom: bool, nfd: bool) -> None:
    text = text.replace("\r", "").replace("\ufeff", "")
    variant = text
    if nfd:
        variant = unicodedata.normalize("NFD", variant)
    if crlf:
        variant = variant.replace("\n", "\r\n")
    raw = variant.encode("utf-8", "surrogatepass")
    if bom:
        raw = b"\xef\xbb\xbf" + raw
    with scratch() as folder:
        m1, d1 = parse_bytes(folder, unicodedata.normalize("NFC", text).encode("utf-8", "surrogatepass"), "a.md")
        m2, d2 = parse_bytes(folder, raw, "a.md")
    m2.path = m1.path
    assert d1 == d2
    assert m1 == m2


def _split_names_by_definition(text: str) -> list[str]:
    """The straightforward character loop split_names replaced."""
    parts: list[str] = []
    depth = 0
    current = ""
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if depth == 0 and (ch in ",;" or text.startswith(" och ", i) or text.startswith(" samt ", i)):
            parts.append(current)
            current = ""
            i += 5 if text.startswith(" och ", i) else (6 if text.startswith(" samt ", i) else 1)
            continue
        current += ch
        i += 1
    parts.append(current)
    return [" ".join(p.split()) for p in parts if p.strip()]


def _strip_note_by_definition(name: str) -> tuple[str, str | None]:
    m = re.match(r"^(.*?)\s*\((.*)\)\s*$", name)
    if m and m.group(1).strip():
        return m.group(1).strip(), m.group(2).strip() or None
    return name.strip(), None


name_text = st.lists(st.sampled_from(["(", ")", ",", ";", " och ", " samt ", " ", "\t", "a", "RGK", "och", "samt",
                                      "Anna", "x)"]), max_size=15).map("".join)


@SETTINGS
@given(text=name_text)
def test_linear_name_splitting_matches_the_definition(text: str) -> None:
    assert split_names(text) == _split_names_by_definition(text)
    assert strip_note(text) == _strip_note_by_definition(text)


# -- atomic writes ---------------------------------------------------------------------------------------------

def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@SETTINGS
@given(old=st.binary(max_size=5000), new=st.binary(max_size=5000), mode=st.sampled_from([0o600, 0o640, 0o644, 0o664]))
def test_atomic_write_replaces_exactly_and_keeps_the_mode(old: bytes, new: bytes, mode: int) -> None:
    with scratch() as folder:
        path = folder / "2025-04-04.md"
        path.write_bytes(old)
        path.chmod(mode)
        assert fsutil.atomic_write_bytes(path, new, exclusive=False) == path
        assert path.read_bytes() == new
        assert path.stat().st_mode & 0o7777 == mode
        assert leftovers(folder) == []


@SETTINGS
@given(old=st.binary(max_size=2000), new=st.binary(max_size=2000))
def test_exclusive_write_never_overwrites(old: bytes, new: bytes) -> None:
    with scratch() as folder:
        path = folder / "2025-04-04.md"
        assert fsutil.atomic_write_bytes(path, old, exclusive=True) == path
        assert path.read_bytes() == old
        with pytest.raises(FileExistsLgsError):
            fsutil.atomic_write_bytes(path, new, exclusive=True)
        assert path.read_bytes() == old
        assert leftovers(folder) == []


def test_exclusive_write_does_not_replace_a_dangling_link(tmp_path: Path) -> None:
    os.symlink(tmp_path / "elsewhere.md", tmp_path / "2025-04-04.md")
    with pytest.raises(FileExistsLgsError):
        fsutil.atomic_write_bytes(tmp_path / "2025-04-04.md", b"x", exclusive=True)
    assert not (tmp_path / "elsewhere.md").exists() and leftovers(tmp_path) == []


def test_exclusive_write_loses_a_race_cleanly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The file appears between the check and the link: os.link refuses, nothing is overwritten."""
    path = tmp_path / "2025-04-04.md"
    real_link = os.link

    def racing_link(src: str, dst: str) -> None:
        Path(dst).write_bytes(b"the other writer")
        real_link(src, dst)

    monkeypatch.setattr(os, "link", racing_link)
    with pytest.raises(FileExistsLgsError):
        fsutil.atomic_write_bytes(path, b"mine", exclusive=True)
    assert path.read_bytes() == b"the other writer" and leftovers(tmp_path) == []


def test_replace_writes_through_a_link(tmp_path: Path) -> None:
    (tmp_path / "real.md").write_bytes(b"old")
    os.symlink("real.md", tmp_path / "link.md")
    fsutil.atomic_write_bytes(tmp_path / "link.md", b"new", exclusive=False)
    assert (tmp_path / "link.md").is_symlink() and (tmp_path / "real.md").read_bytes() == b"new"


def _fail(*args: object, **kwargs: object) -> None:
    raise OSError(28, "No space left on device")


def _break(monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    """Make the write fail at ``where``; "write"/"interrupt" write half the data first."""
    real_write = os.write
    calls = {"n": 0}

    def half_then_fail(fd: int, data: Any) -> int:
        calls["n"] += 1
        if calls["n"] > 1:
            if where == "interrupt":
                raise KeyboardInterrupt
            raise OSError(28, "No space left on device")
        return real_write(fd, bytes(data)[: max(1, len(data) // 2)])

    if where in ("write", "interrupt"):
        monkeypatch.setattr(os, "write", half_then_fail)
    else:
        monkeypatch.setattr(os, where, _fail)


@pytest.mark.parametrize("where", ["write", "interrupt", "fsync", "chmod", "replace"])
def test_failed_replace_leaves_the_old_file_and_no_temporary_file(where: str, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "2025-04-04.md"
    path.write_bytes(b"the approved minutes\n")
    _break(monkeypatch, where)
    if where == "interrupt":
        with pytest.raises(KeyboardInterrupt):
            fsutil.atomic_write_bytes(path, b"x" * 1000, exclusive=False)
    else:
        with pytest.raises(LgsError) as info:
            fsutil.atomic_write_bytes(path, b"x" * 1000, exclusive=False)
        assert info.value.message == f"cannot write {path}: No space left on device"
    assert path.read_bytes() == b"the approved minutes\n"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("where", ["write", "interrupt", "fsync"])
def test_failed_create_leaves_no_file(where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "2025-04-04.md"
    _break(monkeypatch, where)
    with pytest.raises(KeyboardInterrupt if where == "interrupt" else LgsError):
        fsutil.atomic_write_bytes(path, b"x" * 1000, exclusive=True)
    assert not path.exists() and leftovers(tmp_path) == []


def test_create_without_hard_links_falls_back_to_a_claimed_rename(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def no_links(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    path = fsutil.atomic_write_bytes(tmp_path / "2025-04-04.md", b"new", exclusive=True)
    assert path.read_bytes() == b"new" and leftovers(tmp_path) == []
    with pytest.raises(FileExistsLgsError):
        fsutil.atomic_write_bytes(path, b"other", exclusive=True)
    assert path.read_bytes() == b"new"


def test_a_failing_link_is_an_error_not_a_fallback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "link", lambda *a, **k: _fail())
    with pytest.raises(LgsError, match="No space left"):
        fsutil.atomic_write_bytes(tmp_path / "2025-04-04.md", b"new", exclusive=True)
    assert leftovers(tmp_path) == [] and not (tmp_path / "2025-04-04.md").exists()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_killed_writer_leaves_the_old_file_intact(tmp_path: Path) -> None:
    """A writer killed in the middle of a write: the old file is whole, and the
    temporary file it leaves behind is ignored by the loader."""
    path = tmp_path / "2025-04-04.md"
    old = b"---\ndate: 2025-04-04\n---\n" + b"old line\n" * 1000
    path.write_bytes(old)
    ready = tmp_path / "ready"
    script = textwrap.dedent(f"""
        import os, time
        from pathlib import Path
        from lgs_cli import fsutil
        real_write = os.write
        def slow_write(fd, data):
            n = real_write(fd, bytes(data)[:10])
            Path({str(ready)!r}).write_text("x")
            time.sleep(60)
            return n
        os.write = slow_write
        fsutil.atomic_write_bytes({str(path)!r}, b"new" * 100000, exclusive=False)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script])
    try:
        for _ in range(600):
            if ready.exists() or proc.poll() is not None:
                break
            time.sleep(0.05)
        assert ready.exists(), "the writer never started writing"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert path.read_bytes() == old
    temporary = leftovers(tmp_path)
    assert len(temporary) == 1 and temporary[0].startswith(".2025-04-04.md.")
    from lgs_cli.archive import list_meeting_files

    diags: list[Diagnostic] = []
    assert list_meeting_files(tmp_path, diags) == [path]
