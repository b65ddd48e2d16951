"""Broken and hostile input: clear errors, nothing lost, nothing executed.

The committed corpus is ``tests/hostile/<case>/<file>``, one small file per
case (``tests/hostile/README.md`` lists them). Each case is loaded next to a
valid meeting and must give exactly the expected findings (code and line), no
traceback, a non-zero ``lgs check`` exit only where the case is an error, and
the valid meeting still listed. Cases that need big or special files (50 MB, a
1 MB line, FIFOs, links, unreadable files) are made in ``tmp_path`` at test
time.

Rules that look across files (LGS011, LGS012, LGS203-LGS205) come from
``lgs_cli.rules``; ``lgs check``/``lgs actions`` tests run once those commands
are registered and are skipped (with the reason) before.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import MINUTES, Result, run_cli
from lgs_cli.archive import list_meeting_files, load_archive
from lgs_cli.cli import app
from lgs_cli.errors import UsageError
from lgs_cli.fileread import MAX_FILE_BYTES
from lgs_cli.model import Diagnostic
from lgs_cli.parse import parse_meeting_file
from lgs_cli.yamlsafe import YamlProblem, load

HOSTILE = Path(__file__).resolve().parent / "hostile"
VALID_DATE = "2022-01-07"
TODAY = "2025-01-01"  # --today for rules that depend on the date (LGS012)


def command_exists(name: str) -> bool:
    return any((c.name or (c.callback.__name__ if c.callback else "")) == name for c in app.registered_commands)


def rules_module() -> object | None:
    try:
        from lgs_cli import rules
    except ImportError:
        return None
    return rules if hasattr(rules, "check_archive") else None


needs_check = pytest.mark.skipif(not command_exists("check"), reason="'lgs check' is not registered yet")
needs_actions = pytest.mark.skipif(not command_exists("actions"), reason="'lgs actions' is not registered yet")
needs_rules = pytest.mark.skipif(rules_module() is None, reason="lgs_cli.rules.check_archive does not exist yet")


@dataclass(frozen=True)
class Case:
    folder: str
    file: str
    loader: tuple[tuple[str, int | None], ...] = ()  # (code, line) from the loader, in order
    message: str = ""  # part of the first loader message
    listed: bool = True  # `lgs meetings` lists the meeting
    rules: tuple[tuple[str, int | None], ...] = ()  # further findings from lgs_cli.rules
    extra_files: tuple[str, ...] = field(default_factory=tuple)

    @property
    def path(self) -> str:
        return f"{self.folder}/{self.file}"

    @property
    def findings(self) -> tuple[tuple[str, int | None], ...]:
        return self.loader + self.rules

    @property
    def is_error(self) -> bool:
        from lgs_cli.codes import default_severity

        return any(default_severity(code).value == "error" for code, _ in self.findings)


CASES = [
    # structure
    Case("empty", "2022-01-14.md", (("LGS002", 1),), "the file is empty", listed=False),
    Case("no-front-matter", "2022-01-21.md", (("LGS002", 1),), "no front matter", listed=False),
    Case("unterminated-front-matter", "2022-01-28.md", (("LGS002", 1),), "not terminated", listed=False),
    Case("front-matter-list", "2022-02-04.md", (("LGS002", 2),), "front matter is a list", listed=False),
    Case("front-matter-scalar", "2022-02-11.md", (("LGS002", 2),), "front matter is a single value", listed=False),
    # invalid YAML
    Case("yaml-bad-indentation", "2022-02-18.md", (("LGS002", 6),), "mapping values are not allowed", listed=False),
    Case("yaml-tabs", "2022-02-25.md", (("LGS002", 7),), "a tab character", listed=False),
    Case("yaml-unclosed-quote", "2022-03-04.md", (("LGS002", 3),), "quoted value is never closed (its quote opens on line 3)",
         listed=False),
    Case("duplicate-keys", "2022-03-11.md", (("LGS002", 12),), "duplicate key 'status' (first on line 6)",
         listed=False),
    # YAML that attacks
    Case("python-object-tag", "2022-03-18.md", (("LGS002", 9),),
         "YAML tag !!python/object/apply:os.system is not allowed", listed=False),
    Case("billion-laughs", "2022-03-25.md", (("LGS002", 12),), "anchors and aliases", listed=False),
    Case("deep-nesting", "2022-04-01.md", (("LGS002", 12),), "nested too deeply", listed=False),
    # YAML 1.1 surprises
    Case("yaml11-accepted", "2022-04-08.md", rules=(("LGS115", 12),)),  # (item 1.10 is not a heading of it)
    Case("number-as-name", "2022-04-22.md", (("LGS004", 9),), "name '1234' is a number, not a name"),
    Case("bool-as-text", "2022-04-29.md", (("LGS004", 5),), "location must be text, not true/false"),
    # encodings
    Case("utf8-bom", "2022-05-06.md"),
    Case("windows-1252", "2022-05-13.md", (("LGS001", 5),),
         "not valid UTF-8: byte 0xe4 on line 5. It looks like Windows-1252", listed=False),
    Case("utf-16", "2022-05-20.md", (("LGS001", 1),), "the file is UTF-16 text, not UTF-8", listed=False),
    Case("nul-bytes", "2022-05-27.md", (("LGS001", 20),), "NUL bytes (first on line 20)", listed=False),
    Case("crlf", "2022-06-03.md"),
    Case("mixed-line-endings", "2022-06-10.md"),
    Case("nfd-names", "2022-06-17.md"),
    # dates
    Case("impossible-date", "2025-02-30.md", (("LGS010", 2),), "date '2025-02-30' is not a valid date"),
    Case("name-date-mismatch", "2022-07-01.md", rules=(("LGS011", 2),)),
    Case("far-future", "2199-01-02.md", rules=(("LGS012", 2),)),
    Case("far-past", "1899-01-06.md", rules=(("LGS012", 2),)),
    # text that attacks the terminal
    Case("rich-markup", "2022-07-15.md"),
    Case("ansi-escape", "2022-07-22.md", (("LGS030", 14),), "control or bidirectional characters"),
    Case("escape-in-front-matter", "2022-07-26.md", (("LGS030", 5),), "front matter 'location' contains control"),
    Case("bidi-control", "2022-07-29.md", (("LGS030", 18),), "control or bidirectional characters"),
    # references
    Case("unknown-action", "2022-08-05.md", rules=(("LGS203", 18),)),
    Case("closed-twice", "2022-08-12.md", rules=(("LGS205", 21),)),
    Case("self-reference", "2022-08-19.md", rules=(("LGS204", 21),)),
]
# Files the loader ignores, and says so (LGS006, a warning), with no line.
IGNORED = {
    "editor-backups/2022-08-26.md~": "editor backup or temporary file ignored",
    "editor-backups/.#2022-08-26.md": "editor backup or temporary file ignored",
    "editor-backups/.2022-08-26.md.swp": "editor backup or temporary file ignored",
    "non-markdown/2022-09-02.docx": "not a Markdown file: ignored (meeting files are named 2022-09-02.md)",
    "non-markdown/2022-09-02.txt": "not a Markdown file: ignored (meeting files are named 2022-09-02.md)",
}
IDS = [c.folder for c in CASES]


# -- helpers ------------------------------------------------------------------------

def make_archive(root: Path, *folders: str) -> Path:
    """An archive at ``root``: the corpus roster, the valid meeting, and ``folders`` of the corpus."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(HOSTILE / "lgs.yaml", root / "lgs.yaml")
    for folder in ("valid", *folders):
        shutil.copytree(HOSTILE / folder, root / folder, symlinks=True)
    return root


def valid_meeting(root: Path) -> Path:
    return root / "valid" / f"{VALID_DATE}.md"


def new_archive(tmp_path: Path) -> Path:
    """An archive holding only the valid meeting; tests add a generated hostile file."""
    return make_archive(tmp_path / "arch")


def found(diags: list[Diagnostic], path: str) -> list[tuple[str, int | None]]:
    return [(d.code, d.line) for d in diags if d.path == path]


def unmarkdown(text: str) -> str:
    """Markdown's backslash escapes undone: the text a reader of the rendered Markdown sees."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)  # a backslash escapes ASCII punctuation only


def assert_clean(result: Result) -> None:
    """No traceback, no escape byte, no uncaught exception."""
    out = result.stdout + result.stderr
    assert result.exception is None, repr(result.exception)
    assert "Traceback" not in out
    assert "\x1b" not in out


def listed_dates(root: Path) -> list[str | None]:
    result = run_cli("meetings", "--archive", str(root), "--format", "json")
    assert_clean(result)
    assert result.exit_code == 0, result.stderr
    return [r["date"] for r in json.loads(result.stdout)]


def check(root: Path, *args: str) -> Result:
    return run_cli("check", str(root), "--today", TODAY, *args)


# -- the corpus is what the tests think it is ---------------------------------------------

def test_corpus_bytes_are_intact() -> None:
    """git must not have normalised the byte-exact files (see tests/hostile/.gitattributes)."""
    def raw(case: str, name: str) -> bytes:
        return (HOSTILE / case / name).read_bytes()

    assert raw("empty", "2022-01-14.md") == b""
    assert raw("utf8-bom", "2022-05-06.md").startswith(b"\xef\xbb\xbf---\n")
    assert raw("utf-16", "2022-05-20.md").startswith(b"\xff\xfe-\x00-\x00-\x00")
    assert b"V\xe4xj\xf6" in raw("windows-1252", "2022-05-13.md")
    assert b"\x00" in raw("nul-bytes", "2022-05-27.md")
    crlf = raw("crlf", "2022-06-03.md")
    assert crlf.count(b"\r\n") == crlf.count(b"\n") > 10
    mixed = raw("mixed-line-endings", "2022-06-10.md")
    assert b"\r\n" in mixed and b"\r" in mixed.replace(b"\r\n", b"") and b"\n" in mixed.replace(b"\r\n", b"")
    nfd = raw("nfd-names", "2022-06-17.md").decode()
    assert unicodedata.normalize("NFD", "Linnér") in nfd and "Linnér" not in nfd
    assert b"\x1b[2J" in raw("ansi-escape", "2022-07-22.md")
    assert "\u202e".encode() in raw("bidi-control", "2022-07-29.md")
    listed = {str(p.relative_to(HOSTILE)) for p in HOSTILE.rglob("*") if p.is_file()}
    expected = {c.path for c in CASES} | set(IGNORED) | {
        f"valid/{VALID_DATE}.md", "lgs.yaml", "README.md", ".gitattributes", "non-markdown/anteckningar.txt"}
    assert listed == expected


def test_every_case_folder_is_in_the_readme() -> None:
    readme = (HOSTILE / "README.md").read_text(encoding="utf-8")
    for folder in {p.parent.name for p in HOSTILE.rglob("*") if p.is_file() and p.parent != HOSTILE}:
        assert f"`{folder}/`" in readme, folder


# -- one test per committed case ------------------------------------------------------------

@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_case_loader_findings(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_archive(tmp_path / "arch", case.folder)
    monkeypatch.chdir(root)
    archive = load_archive(Path("."))
    assert found(archive.diagnostics, case.path) == list(case.loader)
    if case.loader:
        first = next(d for d in archive.diagnostics if d.path == case.path)
        assert case.message in first.message
    # the valid meeting next to it is untouched
    assert found(archive.diagnostics, f"valid/{VALID_DATE}.md") == []
    valid = next(m for m in archive.meetings if m.relpath == f"valid/{VALID_DATE}.md")
    assert valid.ok and [e.id for e in valid.actions] == ["2022-01-07-A1", "2022-01-07-A2"]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_case_meetings_lists_the_rest(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_archive(tmp_path / "arch", case.folder)
    monkeypatch.chdir(tmp_path)  # the python-object-tag case would create ./lgs-hostile-marker
    result = run_cli("meetings", "--archive", str(root), "--format", "json")
    assert_clean(result)
    assert result.exit_code == 0  # listing works; `lgs check` is the gate
    dates = [r["date"] for r in json.loads(result.stdout)]
    assert VALID_DATE in dates
    assert len(dates) == (2 if case.listed else 1)
    if case.loader and not case.listed:
        # a skipped file is named with its line on stderr
        code, line = case.loader[0]
        assert f"Skipped arch/{case.path}:{line}: " in result.stderr
    assert not (tmp_path / "lgs-hostile-marker").exists()
    # and the table (Rich) does not fall over either
    table = run_cli("meetings", "--archive", str(root))
    assert_clean(table)
    assert table.exit_code == 0 and VALID_DATE in table.stdout


@needs_rules
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_case_check_findings(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Through lgs_cli.rules.check_archive: exactly the expected findings for the file."""
    from lgs_cli import rules

    root = make_archive(tmp_path / "arch", case.folder)
    monkeypatch.chdir(root)
    findings = rules.check_archive(load_archive(Path(".")), today=dt.date.fromisoformat(TODAY))
    assert sorted(found(findings, case.path), key=str) == sorted(case.findings, key=str)
    assert found(findings, f"valid/{VALID_DATE}.md") == []


@needs_check
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_case_check_exit_code(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_archive(tmp_path / "arch", case.folder)
    monkeypatch.chdir(tmp_path)
    result = check(root)
    assert_clean(result)
    assert result.exit_code == (1 if case.is_error else 0), result.stdout + result.stderr
    out = result.stdout + result.stderr
    for code, line in case.findings:
        assert code in out
        assert (f"{case.file}:{line}" if line else case.file) in out
    assert not (tmp_path / "lgs-hostile-marker").exists()


# -- details of single cases ------------------------------------------------------------------

def test_object_tag_is_never_executed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = HOSTILE / "python-object-tag" / "2022-03-18.md"
    assert b"os.system" in path.read_bytes() and b"lgs-hostile-marker" in path.read_bytes()
    meeting, diags = parse_meeting_file(path, "x.md")
    assert not meeting.ok and [d.code for d in diags] == ["LGS002"]
    for tag in ("!!python/object/apply:os.system ['touch lgs-hostile-marker']",
                "!!python/object/new:subprocess.Popen [['touch', 'lgs-hostile-marker']]",
                "!!python/name:os.system", "!!python/module:os", "!custom x", "!!timestamp 2022-01-01",
                "!!binary aGVq", "!!set {a: null}"):
        with pytest.raises(YamlProblem, match="is not allowed"):
            load(f"a: 1\nb: {tag}\n")
    with pytest.raises(YamlProblem, match="is not allowed"):
        load("%TAG !e! tag:yaml.org,2002:python/\n---\nb: !e!object/apply:os.system ['touch lgs-hostile-marker']\n")
    assert not (tmp_path / "lgs-hostile-marker").exists()


def test_alias_bomb_is_rejected_at_the_first_anchor_before_construction() -> None:
    text = (HOSTILE / "billion-laughs" / "2022-03-25.md").read_text(encoding="utf-8")
    fm = text.split("---\n")[1]
    assert fm.count("*lol") == 72  # 9**9 strings if it were ever expanded
    with pytest.raises(YamlProblem) as info:
        load(fm, line_offset=1)
    assert info.value.line == 12 and info.value.message.endswith("&lol1")
    # an alias without an anchor line of its own (defined in a flow list) is reported where it is used
    with pytest.raises(YamlProblem) as info:
        load("a: 1\nb: [*x]\n")
    assert info.value.line == 2


def test_yaml11_surprises_are_text_as_written(tmp_path: Path) -> None:
    meeting, diags = parse_meeting_file(HOSTILE / "yaml11-accepted" / "2022-04-08.md", "x.md")
    assert diags == []
    assert (meeting.start, meeting.end) == ("11:00", "15:30")  # never 660 or 930
    assert meeting.location == "no"
    assert meeting.date == dt.date(2022, 4, 8) and meeting.approved_on == dt.date(2022, 4, 15)
    assert meeting.source == "0123" and meeting.date_inferred == "yes"
    assert meeting.attendees is not None
    (therese,) = meeting.attendees
    assert therese.note == "on" and therese.items == ["1", "1.10"]  # 1.10 is not 1.1
    data = load("a: [yes, no, on, off, y, n, 0o17, 0x1f, 1_000, +46, 1.10, 1e3, .inf, .nan, 11:00, 2025-01-01, -7, 12]")
    assert data["a"] == ["yes", "no", "on", "off", "y", "n", "0o17", "0x1f", "1_000", "+46", "1.10", "1e3",
                         ".inf", ".nan", "11:00", "2025-01-01", -7, 12]
    assert load("a: true\nb: False\nc: ~\nd: null\ne:\n") == {"a": True, "b": False, "c": None, "d": None, "e": None}
    # a number too long to be anything but text stays text (no int-conversion limit error)
    assert load("a: " + "9" * 5000)["a"] == "9" * 5000


def test_explicit_tags_that_crashed_the_loader_are_problems() -> None:
    for text, message in (("a: !!bool maybe", "'maybe' is not true or false"),
                          ("a: !!int 0x1F", None), ("a: !!float abc", None),
                          ("a: !!str [1]", "expected a single value"), ("a: !!map x", "expected a mapping"),
                          ("a: !!seq x", "expected a list"), ("? [a]\n: b", "a key must be text, not a list"),
                          ("a: !!null [1]", "expected a single value")):
        if message is None:
            assert isinstance(load(text)["a"], str)  # kept as written
        else:
            with pytest.raises(YamlProblem, match=message.replace("[", r"\[")):
                load(text)


def test_control_characters_in_yaml_are_reported_with_their_line() -> None:
    with pytest.raises(YamlProblem) as info:
        load("å: b\nc: d\ne: \x1b[2J\n", line_offset=1)
    assert info.value.line == 4 and "U+001B" in info.value.message


def test_crlf_and_mixed_endings_give_the_same_model_as_lf(tmp_path: Path) -> None:
    for case in ("crlf/2022-06-03.md", "mixed-line-endings/2022-06-10.md", "utf8-bom/2022-05-06.md"):
        raw = (HOSTILE / case).read_bytes()
        lf = raw.removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        (tmp_path / "lf.md").write_bytes(lf)
        hostile, d1 = parse_meeting_file(HOSTILE / case, "x.md")
        plain, d2 = parse_meeting_file(tmp_path / "lf.md", "x.md")
        assert d1 == d2 == []
        hostile.path = plain.path
        assert hostile == plain
        assert hostile.items[0].text == "Föredragande: Marcus Johansson\n\nDagordningen godkänns."


def test_nfd_names_match_the_nfc_roster(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_archive(tmp_path / "arch", "nfd-names")
    monkeypatch.chdir(root)
    archive = load_archive(Path("."))
    m = next(m for m in archive.meetings if m.date == dt.date(2022, 6, 17))
    assert m.attendees is not None
    names = [a.name for a in m.attendees]
    assert names == ["Therese Linnér", "Annelie Källström"]
    assert all(unicodedata.is_normalized("NFC", n) for n in names)
    # resolved through the roster: the organisation and the sector come from the roster entry
    roster = archive.roster
    for a in m.attendees:
        nfd_name = unicodedata.normalize("NFD", a.name)
        person = roster.person(nfd_name)
        assert person is not None and person.name == a.name
    annelie = m.attendees[1]
    assert annelie.org == "Växjö" and annelie.sector == "socialtjänst"
    (action,) = m.actions
    assert action.owners == ["Annelie Källström"]
    assert roster.owner(unicodedata.normalize("NFD", "Annelie Källström")) is not None
    assert m.items[0].presenters == ["Annelie Källström"]


@needs_actions
def test_nfd_owner_is_found_by_the_nfc_owner_filter(tmp_path: Path) -> None:
    root = make_archive(tmp_path / "arch", "nfd-names")
    result = run_cli("actions", "--archive", str(root), "--owner", "Annelie Källström", "--format", "json",
                     "--today", TODAY)
    assert_clean(result)
    assert result.exit_code == 0, result.stderr
    assert "2022-06-17-A1" in result.stdout


# -- text shown as text, never interpreted -------------------------------------------------------

MARKUP = ("[bold red]Varning[/bold red]", "[link=https://example.invalid/]klicka", "[/link]")


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_show_prints_markup_and_escapes_as_text(fmt: str, tmp_path: Path) -> None:
    root = make_archive(tmp_path / "arch", "rich-markup", "ansi-escape", "bidi-control", "escape-in-front-matter")
    outputs = {}
    for date in ("2022-07-15", "2022-07-22", "2022-07-29", "2022-07-26"):
        result = run_cli("show", date, "--archive", str(root), "--format", fmt, env={"COLUMNS": "200"})
        assert_clean(result)
        assert result.exit_code == 0, result.stderr
        assert "\u202e" not in result.stdout and "\x07" not in result.stdout and "\x9b" not in result.stdout
        outputs[date] = unmarkdown(result.stdout) if fmt == "markdown" else result.stdout
    rich = outputs["2022-07-15"]
    if fmt == "json":
        data = json.loads(rich)
        assert data["items"][0]["title"].startswith(MARKUP[0])
        assert data["location"] == "[bold red]Regionhuset[/bold red]"
        assert json.loads(outputs["2022-07-22"])["items"][0]["title"].startswith("Mötets \x1b[2J")  # data, escaped by JSON
    else:
        for text in MARKUP:
            assert text in rich
        assert "[blink]Ledningsgruppen[/blink]" in rich and "[link=file:///etc/passwd]" in rich.replace("\n", "")
        assert "\\x1b[2J\\x1b[31m" in outputs["2022-07-22"]
        assert "\\x1b]8;;https://example.invalid\\x07" in outputs["2022-07-22"]
        assert "\\u202e2202-21-13\\u202c" in outputs["2022-07-29"]
        assert "Regionhuset\\x1b[2J\\x1b[31m, Växjö" in outputs["2022-07-26"]


def test_show_with_forced_colour_emits_only_lgs_styles(tmp_path: Path) -> None:
    """Even when Rich writes colour, the file's own escapes and links stay text."""
    root = make_archive(tmp_path / "arch", "rich-markup", "ansi-escape")
    for date in ("2022-07-15", "2022-07-22"):
        result = run_cli("show", date, "--archive", str(root),
                         env={"FORCE_COLOR": "1", "NO_COLOR": "", "COLUMNS": "200"})
        assert result.exception is None and result.exit_code == 0
        assert "\x1b]8;" not in result.stdout  # no OSC 8 hyperlink
        assert "\x1b[2J" not in result.stdout and "\x1b[5m" not in result.stdout  # no clear screen, no blink
        if date == "2022-07-15":
            assert "[link=https://example.invalid/]" in result.stdout
        else:
            assert "\\x1b[2J" in result.stdout


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv", "json"])
def test_meetings_prints_markup_and_escapes_as_text(fmt: str, tmp_path: Path) -> None:
    root = make_archive(tmp_path / "arch", "rich-markup", "escape-in-front-matter")
    result = run_cli("meetings", "--archive", str(root), "--format", fmt, env={"COLUMNS": "200"})
    assert_clean(result)
    assert result.exit_code == 0
    if fmt == "markdown":  # inert: every bracket and backslash escaped
        assert "\\[bold red\\]Regionhuset\\[/bold red\\]" in result.stdout
        assert "Regionhuset\\\\x1b\\[2J\\\\x1b\\[31m" in result.stdout
        return
    assert "[bold red]Regionhuset[/bold red]" in result.stdout
    if fmt == "json":
        assert "Regionhuset\\u001b[2J" in result.stdout
    else:
        assert "Regionhuset\\x1b[2J\\x1b[31m" in result.stdout


@needs_actions
def test_actions_prints_markup_as_text(tmp_path: Path) -> None:
    root = make_archive(tmp_path / "arch", "rich-markup")
    (root / "rich-markup" / "2022-07-15.md").write_text(
        (HOSTILE / "rich-markup" / "2022-07-15.md").read_text(encoding="utf-8")
        + "\n- [ ] **Åtgärd A1:** [bold red]Ring[/bold red] \x1b[2J\u202eupp.\n  - Ansvarig: Ledningsgruppen\n",
        encoding="utf-8")
    result = run_cli("actions", "--archive", str(root), "--today", TODAY, env={"COLUMNS": "200"})
    assert_clean(result)
    assert "[bold red]Ring[/bold red]" in result.stdout and "\\x1b[2J\\u202eupp." in result.stdout


# -- references --------------------------------------------------------------------------------------

@needs_rules
def test_reference_findings_name_the_action(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from lgs_cli import rules

    root = make_archive(tmp_path / "arch", "unknown-action", "closed-twice", "self-reference")
    monkeypatch.chdir(root)
    findings = {d.code: d for d in rules.check_archive(load_archive(Path(".")), today=dt.date(2025, 1, 1))}
    assert "2022-01-07-A9" in findings["LGS203"].message
    assert "2022-01-07-A1" in findings["LGS205"].message and "line 18" in findings["LGS205"].message
    assert "2022-08-19-A1" in findings["LGS204"].message


# -- generated cases: big, special and unreadable files ------------------------------------------------

def meeting_text(date: str) -> str:
    return (HOSTILE / "valid" / f"{VALID_DATE}.md").read_text(encoding="utf-8").replace(VALID_DATE, date)


def assert_only(root: Path, rel: str, expected: list[tuple[str, int | None]], message: str) -> None:
    """Exactly ``expected`` for ``rel``, nothing for the valid meeting, and it is still listed."""
    archive = load_archive(root)
    from lgs_cli.archive import display_path

    path = display_path(root / rel)
    assert found(archive.diagnostics, path) == expected
    assert any(message in d.message for d in archive.diagnostics if d.path == path), archive.diagnostics
    assert found(archive.diagnostics, display_path(valid_meeting(root))) == []
    assert VALID_DATE in listed_dates(root)


def test_50_mb_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    root = new_archive(tmp_path)
    big = root / "2022-10-07.md"
    with big.open("wb") as fh:
        fh.write(meeting_text("2022-10-07").encode())
        line = b"Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n" * 1000
        while fh.tell() < 50 * 1024 * 1024:
            fh.write(line)
    assert big.stat().st_size >= 50 * 1024 * 1024
    assert_only(root, "2022-10-07.md", [("LGS001", None)], "file is too large (52,")
    archive = load_archive(root)
    assert [m.date for m in archive.meetings if m.ok] == [dt.date(2022, 1, 7)]


def test_file_of_exactly_the_limit_is_read(tmp_path: Path) -> None:
    root = new_archive(tmp_path)
    text = meeting_text("2022-10-14").encode()
    padding = MAX_FILE_BYTES - len(text)
    text += (b"x" * 99 + b"\n") * (padding // 100) + b"\n" * (padding % 100)
    assert len(text) == MAX_FILE_BYTES
    (root / "2022-10-14.md").write_bytes(text)
    assert dt.date(2022, 10, 14) in [m.date for m in load_archive(root).meetings]
    (root / "2022-10-14.md").write_bytes(text + b"\n")
    assert_only(root, "2022-10-14.md", [("LGS001", None)], "file is too large")


def test_1_mb_single_line_is_refused_with_its_line(tmp_path: Path) -> None:
    root = new_archive(tmp_path)
    text = meeting_text("2022-10-21") + "Lång rad: " + "x" * 1_000_000 + "\n"
    (root / "2022-10-21.md").write_text(text, encoding="utf-8")
    line = text.count("\n")  # the long line is the last one
    assert_only(root, "2022-10-21.md", [("LGS001", line)], f"line {line} is 1,000,010 characters long")
    # also as the only line of a file, without any front matter
    (root / "2022-10-21.md").write_text("x" * 1_000_000, encoding="utf-8")
    assert_only(root, "2022-10-21.md", [("LGS001", 1)], "line 1 is 1,000,000 characters long")


def test_unreadable_file_by_permissions(tmp_path: Path) -> None:
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("running as root: chmod 000 does not stop root from reading; "
                    "test_unreadable_file_by_os_error covers the same path")
    root = new_archive(tmp_path)
    path = root / "2022-10-28.md"
    path.write_text(meeting_text("2022-10-28"), encoding="utf-8")
    path.chmod(0)
    try:
        assert_only(root, "2022-10-28.md", [("LGS001", None)], "cannot read the file: Permission denied")
    finally:
        path.chmod(0o644)


def test_unreadable_file_by_os_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same as chmod 000, also when running as root: open() fails with EACCES."""
    root = new_archive(tmp_path)
    path = root / "2022-10-28.md"
    path.write_text(meeting_text("2022-10-28"), encoding="utf-8")
    real_open = os.open

    def deny(p: object, flags: int, *args: object, **kwargs: object) -> int:
        if str(p).endswith("2022-10-28.md"):
            raise PermissionError(13, "Permission denied", str(p))
        return real_open(p, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", deny)
    assert_only(root, "2022-10-28.md", [("LGS001", None)], "cannot read the file: Permission denied")
    result = run_cli("meetings", "--archive", str(root), "--format", "json")
    assert_clean(result)
    assert "Skipped " in result.stderr and "2022-10-28.md: cannot read the file: Permission denied" in result.stderr


def test_unreadable_folder_is_an_error_not_silence(tmp_path: Path) -> None:
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("running as root: chmod 000 does not stop root from listing a folder")
    root = new_archive(tmp_path)
    folder = root / "2023"
    folder.mkdir()
    (folder / "2023-01-06.md").write_text(meeting_text("2023-01-06"), encoding="utf-8")
    folder.chmod(0)
    try:
        archive = load_archive(root)
        assert [(d.code, d.line) for d in archive.diagnostics if d.path.endswith("2023")] == [("LGS001", None)]
    finally:
        folder.chmod(0o755)


def test_unreadable_folder_by_os_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = new_archive(tmp_path)
    folder = root / "2023"
    folder.mkdir()
    (folder / "2023-01-06.md").write_text(meeting_text("2023-01-06"), encoding="utf-8")
    real_scandir = os.scandir

    def deny(p: object = ".") -> object:
        if str(p).endswith("2023"):
            raise PermissionError(13, "Permission denied", str(p))
        return real_scandir(p)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "scandir", deny)
    archive = load_archive(root)
    diags = [d for d in archive.diagnostics if d.path.endswith("2023")]
    assert [(d.code, d.line) for d in diags] == [("LGS001", None)]
    assert "cannot read the folder: Permission denied" in diags[0].message
    assert [m.date for m in archive.meetings] == [dt.date(2022, 1, 7)]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this platform")
def test_fifo_named_md_does_not_hang(tmp_path: Path) -> None:
    root = new_archive(tmp_path)
    os.mkfifo(root / "2022-11-04.md")
    assert_only(root, "2022-11-04.md", [("LGS006", None)], "not a regular file")
    # and the parser itself never blocks on one either (opened non-blocking, then checked)
    meeting, diags = parse_meeting_file(root / "2022-11-04.md", "x.md")
    assert not meeting.ok and [(d.code, d.message) for d in diags] == [
        ("LGS001", "not a regular file (a named pipe (FIFO)); not read")]


def test_directory_named_md_is_a_folder(tmp_path: Path) -> None:
    root = new_archive(tmp_path)
    (root / "2022-11-11.md").mkdir()
    (root / "2022-11-11.md" / "2022-11-11.md").write_text(meeting_text("2022-11-11"), encoding="utf-8")
    archive = load_archive(root)
    assert [d for d in archive.diagnostics] == []
    assert [m.date for m in archive.meetings] == [dt.date(2022, 1, 7), dt.date(2022, 11, 11)]
    meeting, diags = parse_meeting_file(root / "2022-11-11.md", "x.md")
    assert [(d.code, d.message) for d in diags] == [("LGS001", "not a regular file (a folder); not read")]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_symlink_loop(tmp_path: Path) -> None:
    root = new_archive(tmp_path)
    os.symlink("2022-11-25.md", root / "2022-11-18.md")
    os.symlink("2022-11-18.md", root / "2022-11-25.md")
    archive = load_archive(root)
    from lgs_cli.archive import display_path

    for name in ("2022-11-18.md", "2022-11-25.md"):
        assert found(archive.diagnostics, display_path(root / name)) == [("LGS006", None)]
    assert all(d.message == "broken link or link loop ignored" for d in archive.diagnostics)
    assert VALID_DATE in listed_dates(root)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_symlink_outside_the_archive_is_not_followed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = new_archive(tmp_path)
    outside = tmp_path / "secret"
    outside.mkdir()
    (outside / "2022-12-02.md").write_text(meeting_text("2022-12-02"), encoding="utf-8")
    os.symlink(outside / "2022-12-02.md", root / "2022-12-02.md")
    os.symlink(outside, root / "linked-folder")
    read: list[str] = []
    real = parse_meeting_file

    def spy(path: Path, relpath: str, digest: list[bytes] | None = None) -> object:
        read.append(str(path))
        return real(path, relpath, digest)

    monkeypatch.setattr("lgs_cli.archive.parse_meeting_file", spy)
    archive = load_archive(root)
    from lgs_cli.archive import display_path

    assert found(archive.diagnostics, display_path(root / "2022-12-02.md")) == [("LGS006", None)]
    assert found(archive.diagnostics, display_path(root / "linked-folder")) == [("LGS006", None)]
    messages = sorted(d.message for d in archive.diagnostics)
    assert messages == ["link to a file outside the archive ignored (not followed)",
                        "link to a folder ignored (links to folders are not followed)"]
    assert not any("secret" in p for p in read)
    assert [m.date for m in archive.meetings] == [dt.date(2022, 1, 7)]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_second_link_to_a_meeting_is_read_once(tmp_path: Path) -> None:
    root = new_archive(tmp_path)
    os.symlink(Path("valid") / f"{VALID_DATE}.md", root / "latest.md")
    archive = load_archive(root)
    assert [m.date for m in archive.meetings] == [dt.date(2022, 1, 7)]  # not twice (no LGS201)
    (diag,) = archive.diagnostics
    assert diag.code == "LGS006" and "which is read already" in diag.message


def test_editor_backups_and_other_files_are_ignored_and_said_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_archive(tmp_path / "arch", "editor-backups", "non-markdown")
    for name in ("#2022-08-26.md#", "~$2022-08-26.md", "2022-08-26.md.bak", "2022-08-26.md.orig"):
        (root / "editor-backups" / name).write_text(meeting_text("2022-08-26"), encoding="utf-8")
    (root / "non-markdown" / "2022-09-09.md").write_text(meeting_text("2022-09-09"), encoding="utf-8")
    (root / "non-markdown" / "2022-09-09.pdf").write_bytes(b"%PDF-1.7")  # the original next to its transcript
    (root / "bild.png").write_bytes(b"\x89PNG")
    monkeypatch.chdir(root)
    diags: list[Diagnostic] = []
    files = list_meeting_files(Path("."), diags)
    assert sorted(str(f) for f in files) == ["non-markdown/2022-09-09.md", f"valid/{VALID_DATE}.md"]
    notes = {d.path: d.message for d in diags}
    assert {k: v for k, v in notes.items() if k in IGNORED} == IGNORED
    assert set(notes) - set(IGNORED) == {
        "editor-backups/#2022-08-26.md#", "editor-backups/~$2022-08-26.md",
        "editor-backups/2022-08-26.md.bak", "editor-backups/2022-08-26.md.orig"}
    assert all(d.code == "LGS006" and d.line is None and d.severity.value == "warning" for d in diags)


def test_temporary_files_of_atomic_writes_are_ignored(tmp_path: Path) -> None:
    root = new_archive(tmp_path)
    (root / f".{VALID_DATE}.md.0123456789ab.tmp").write_text("half a fi", encoding="utf-8")
    archive = load_archive(root)
    assert [m.date for m in archive.meetings] == [dt.date(2022, 1, 7)]


# -- git input -------------------------------------------------------------------------------------------

def gitops_module() -> object | None:
    try:
        from lgs_cli import gitops
    except ImportError:
        return None
    return gitops


@pytest.mark.skipif(gitops_module() is None, reason="lgs_cli.gitops does not exist yet")
@pytest.mark.parametrize("rev", ["--upload-pack=touch lgs-hostile-marker", "-c core.pager=touch lgs-hostile-marker",
                                 "-ccore.pager=x", "--output=/tmp/x", "HEAD --exec=x", "main;rm", "$(touch x)",
                                 "a..b", "", "-", "HEAD\n--upload-pack=x", "`x`", "HEAD:path"])
def test_git_revision_arguments_are_rejected_before_git_runs(rev: str, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The revision never reaches git: no git command line holds it. (``lgs check --base``
    and ``lgs diff`` may ask git for the work tree's top folder first.)"""
    from lgs_cli import gitops

    real_run = subprocess.run
    with_rev: list[list[str]] = []

    def spy(args: list[str], *rest: object, **kwargs: object) -> object:
        if any(a == rev or (len(rev) > 1 and rev in a) for a in args[1:]):
            with_rev.append(list(args))
            raise AssertionError(f"git ran with the revision: {args}")
        return real_run(args, *rest, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(subprocess, "run", spy)  # (what gitops runs git with)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UsageError):
        gitops.validate_rev(rev, "--base")
    with pytest.raises(UsageError):
        gitops.resolve_commit(rev, tmp_path, "--base")
    commands = []
    if command_exists("check"):
        commands += [["check", str(MINUTES), "--base", rev], ["check", str(MINUTES), f"--base={rev}"]]
    if command_exists("diff"):
        commands += [["diff", "--archive", str(MINUTES), "--", rev], ["diff", "--archive", str(MINUTES), "HEAD", "--", rev]]
    for args in commands:
        result = run_cli(*args)
        assert result.exception is None and "Traceback" not in result.stdout + result.stderr
        assert result.exit_code == 2, (args, result.stdout, result.stderr)
        assert "internal error" not in result.stderr
    assert with_rev == []
    assert not (tmp_path / "lgs-hostile-marker").exists()


# -- the whole corpus at once -----------------------------------------------------------------------------

EXPECTED_CORPUS = {c.path: list(c.findings) for c in CASES} | {p: [("LGS006", None)] for p in IGNORED}


def test_whole_corpus_loads_with_one_finding_per_case(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(HOSTILE)
    archive = load_archive(Path("."))
    loader = {c.path: list(c.loader) for c in CASES} | {p: [("LGS006", None)] for p in IGNORED}
    by_file: dict[str, list[tuple[str, int | None]]] = {}
    for d in archive.diagnostics:
        by_file.setdefault(d.path, []).append((d.code, d.line))
    assert by_file == {p: f for p, f in loader.items() if f}
    listed = sorted(m.relpath for m in archive.meetings if m.ok)
    assert listed == sorted([f"valid/{VALID_DATE}.md", *(c.path for c in CASES if c.listed)])


@needs_rules
def test_whole_corpus_checks_with_one_finding_per_case(monkeypatch: pytest.MonkeyPatch) -> None:
    from lgs_cli import rules

    monkeypatch.chdir(HOSTILE)
    findings = rules.check_archive(load_archive(Path(".")), today=dt.date.fromisoformat(TODAY))
    by_file: dict[str, list[tuple[str, int | None]]] = {}
    for d in findings:
        by_file.setdefault(d.path, []).append((d.code, d.line))
    assert by_file == {p: f for p, f in EXPECTED_CORPUS.items() if f}


@needs_check
def test_lgs_check_on_the_corpus_lists_every_case_and_exits_1(tmp_path: Path) -> None:
    # a copy, so that the python-object-tag case has nowhere to leave a marker in the repository
    root = tmp_path / "hostile"
    shutil.copytree(HOSTILE, root, symlinks=True)
    result = check(root, "--format", "json")
    assert result.exception is None and "Traceback" not in result.stdout + result.stderr
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    rows = data if isinstance(data, list) else data.get("findings", data)
    got: dict[str, list[tuple[str, int | None]]] = {}
    for row in rows:
        path = str(row.get("path") or row.get("file"))
        rel = os.path.relpath(path, root) if os.path.isabs(path) else path.split("hostile/", 1)[-1]
        got.setdefault(rel, []).append((row["code"], row.get("line")))
    assert got == {p: f for p, f in EXPECTED_CORPUS.items() if f}
    assert not (tmp_path / "lgs-hostile-marker").exists()


def test_corpus_in_a_subprocess_is_bounded() -> None:
    """The real CLI in a fresh process over the whole corpus: finishes, no traceback,
    and no marker file from the object tag (the timeout is a hang guard, not a timing assertion)."""
    env = {**os.environ, "NO_COLOR": "1", "LGS_ARCHIVE": ""}
    proc = subprocess.run([sys.executable, "-c", "from lgs_cli.cli import main; main()", "meetings",
                           "--archive", str(HOSTILE), "--format", "json"],
                          capture_output=True, text=True, timeout=120, env=env, cwd=HOSTILE)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and "\x1b" not in proc.stdout + proc.stderr
    assert VALID_DATE in proc.stdout
    assert not (HOSTILE / "lgs-hostile-marker").exists()


@needs_actions
def test_actions_open_on_real_minutes_mixed_with_the_corpus(tmp_path: Path) -> None:
    real = run_cli("actions", "--open", "--archive", str(MINUTES), "--format", "json", "--today", TODAY)
    assert real.exit_code == 0, real.stderr
    real_ids = {r["id"] for r in json.loads(real.stdout)}
    assert real_ids  # the real minutes have open actions
    mixed = tmp_path / "minutes"
    shutil.copytree(MINUTES, mixed)
    for entry in HOSTILE.iterdir():
        if entry.is_dir():
            shutil.copytree(entry, mixed / "hostile" / entry.name, symlinks=True)
    result = run_cli("actions", "--open", "--archive", str(mixed), "--format", "json", "--today", TODAY)
    assert_clean(result)
    assert result.exit_code == 0, result.stderr
    ids = {r["id"] for r in json.loads(result.stdout)}
    assert real_ids <= ids
    # the corpus' own open actions are there too; the closed one is not
    assert "2022-01-07-A2" in ids and "2022-01-07-A1" not in ids
    assert "Skipped " in result.stderr  # the broken files are named, not hidden


# -- a hostile roster ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("roster, line, message", [
    ('people:\n  - name: !!python/object/apply:os.system ["touch lgs-hostile-marker"]\n', 2,
     "YAML tag !!python/object/apply:os.system is not allowed"),
    ('lol1: &lol1 ["lol", "lol"]\nlol2: [*lol1, *lol1]\n', 1, "anchors and aliases"),
    ("people:\n  - name: A\n  - name: A\n    roles: [{org: RGK}]\npeople: []\n", 5, "duplicate key 'people'"),
])
def test_hostile_roster_is_a_finding_and_meetings_still_load(roster: str, line: int, message: str, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    root = new_archive(tmp_path)
    (root / "lgs.yaml").write_text(roster, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    archive = load_archive(root)
    roster_diags = [d for d in archive.diagnostics if d.path.endswith("lgs.yaml")]
    assert [(d.code, d.line) for d in roster_diags] == [("LGS401", line)]
    assert message in roster_diags[0].message
    assert [m.date for m in archive.meetings] == [dt.date(2022, 1, 7)]
    assert VALID_DATE in listed_dates(root)
    assert not (tmp_path / "lgs-hostile-marker").exists()


# -- nothing lost: reading never writes, writers never overwrite ---------------------------------------------------

def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_no_read_command_changes_a_byte_of_the_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "hostile"
    shutil.copytree(HOSTILE, root, symlinks=True)
    monkeypatch.chdir(tmp_path)
    before = snapshot(root)
    runs = [["meetings"], ["meetings", "-f", "csv"], ["show", VALID_DATE], ["show", "2022-07-22", "-f", "markdown"]]
    runs += [[c] for c in ("actions", "decisions", "attendance") if command_exists(c)]
    runs += [["check", str(root)]] if command_exists("check") else []
    for args in runs:
        args = [*args, "--archive", str(root)] if args[0] != "check" else args
        result = run_cli(*args, "--today", TODAY) if args[0] in ("actions", "check") else run_cli(*args)
        assert result.exception is None and "Traceback" not in result.stdout + result.stderr, args
        assert result.exit_code in (0, 1), (args, result.stderr)
    assert snapshot(root) == before
    assert not (tmp_path / "lgs-hostile-marker").exists()


@pytest.mark.skipif(not command_exists("new-meeting"), reason="'lgs new-meeting' is not registered yet")
def test_new_meeting_never_overwrites(tmp_path: Path) -> None:
    root = new_archive(tmp_path)
    before = snapshot(root)
    result = run_cli("new-meeting", "--archive", str(root), "--date", VALID_DATE, "--today", TODAY)
    assert_clean(result)
    assert result.exit_code == 1 and "already exists" in result.stderr
    assert snapshot(root) == before


@pytest.mark.skipif(not command_exists("approve"), reason="'lgs approve' is not registered yet")
def test_approve_refuses_approved_minutes_and_changes_nothing(tmp_path: Path) -> None:
    root = new_archive(tmp_path)
    before = snapshot(root)
    result = run_cli("approve", VALID_DATE, "--by", "Marcus Johansson", "--archive", str(root), "--today", TODAY)
    assert_clean(result)
    assert result.exit_code == 1
    assert snapshot(root) == before


@pytest.mark.parametrize("command", [("decisions",), ("actions", "--all", "--today", "2024-02-01"), ("meetings",),
                                     ("show", "2024-01-12")])
def test_markdown_listings_are_inert(command: tuple[str, ...], tmp_path: Path) -> None:
    """Links, images, HTML and mentions from the minutes stay text in Markdown output."""
    root = tmp_path / "arch"
    (root / "2024").mkdir(parents=True)
    (root / "lgs.yaml").write_text("", encoding="utf-8")
    evil = "[x](https://evil.example) <img src=x> @everyone ![i](y) *fet* `kod` ~~s~~ a|b"
    (root / "2024" / "2024-01-12.md").write_text(
        f"---\ndate: 2024-01-12\nstatus: draft\nsecretary: [X]\nattendees: []\nlocation: \"{evil}\"\n---\n\n"
        f"## 1. Rubrik {evil}\n\n<b>fet</b> <script>x</script>\n\n"
        f"- **Beslut B1:** {evil}\n  - Ansvarig: AU\n\n- [ ] **Åtgärd A1:** {evil}\n  - Ansvarig: AU\n",
        encoding="utf-8")
    result = run_cli(*command, "--archive", str(root), "-f", "markdown", env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "evil.example" in out
    if command[0] == "show":  # the minutes' own text stays Markdown, without HTML; the rest is inert
        assert not re.search(r"(?<!\\)<", out), out
        out = "\n".join(ln for ln in out.splitlines() if ln.startswith(("Plats:", "## ", "- **", "  - ")))
        assert out.count("evil.example") == 4
    assert not re.search(r"(?<!\\)[\[<@`~*]", out.replace("<br>", "").replace("- **", "- ").replace("**\n", "\n")
                         .removesuffix("**")), out


def test_long_names_are_not_kept_and_not_split_word_by_word() -> None:
    """A hostile file's 20,000-character "name" is answered but not memoised, and
    the check for a forgotten comma does not try every split of its words (that
    was quadratic in time, and its memo grew to gigabytes)."""
    from lgs_cli import names
    from lgs_cli.archive import Archive
    from lgs_cli.roster import builtin_roster
    from lgs_cli.rules import _Checker

    long_name = " ".join(["ab"] * 6000)
    names._NAME_KEYS.clear()
    assert names.name_key(long_name) == long_name
    assert long_name not in names._NAME_KEYS
    checker = _Checker(Archive(root=Path("."), roster=builtin_roster()), dt.date(2025, 1, 1))
    assert checker._missing_comma(long_name + " Växjö") is None
    assert checker._missing_comma("Anna Andersson Växjö") is not None


def test_folders_too_deep_are_a_finding_not_a_crash(tmp_path: Path) -> None:
    root = tmp_path / "minutes"
    deep = root.joinpath(*["d"] * 70)
    deep.mkdir(parents=True)
    (root / "lgs.yaml").write_text("people: []\n", encoding="utf-8")
    (deep / "2025-01-10.md").write_text("---\ndate: 2025-01-10\n---\n", encoding="utf-8")
    result = run_cli("check", str(root), "-f", "json")
    assert result.exception is None and result.exit_code == 1
    assert any("nested more than 64 deep" in f["message"] for f in json.loads(result.stdout)["findings"])


def test_lines_of_brackets_and_stars_are_read_in_linear_time(tmp_path: Path) -> None:
    """The slip patterns (LGS027: "**" and checkboxes after punctuation) are bounded:
    a 400 KB file of "**[][][]…" lines took 35 s when one was not; this one, 800 KB,
    takes well under a second. (The timeout is a hang guard, not a timing assertion.)"""
    root = tmp_path / "minutes"
    (root / "2026").mkdir(parents=True)
    shutil.copy(MINUTES / "lgs.yaml", root / "lgs.yaml")
    lines = ["**" + "[]" * 9990] * 40 + ["> " * 9000 + "**Beslut B1:** x", "  - " + "* " * 9000 + "Senast: 2026-01-01"]
    (root / "2026" / "2026-01-09.md").write_text(
        "---\ndate: 2026-01-09\nstatus: draft\nsecretary: not-recorded\nattendees: not-recorded\n---\n\n## 1. A\n\n"
        + "\n".join(lines) + "\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", "from lgs_cli.cli import main; main()", "check", str(root)],
                          capture_output=True, text=True,
                          timeout=60, env={**os.environ, "LGS_CACHE_DIR": str(tmp_path / "cache")},
                          stdin=subprocess.DEVNULL, check=False)
    assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_a_roster_that_is_no_regular_file_is_named(tmp_path: Path, kind: str) -> None:
    root = tmp_path / "arkiv"
    root.mkdir()
    if kind == "folder":
        (root / "lgs.yaml").mkdir()
    else:
        os.mkfifo(root / "lgs.yaml")  # never opened: reading a FIFO would wait for a writer
    result = run_cli("meetings", "--archive", str(root))
    assert result.exit_code == 2 and "lgs.yaml is not a regular file" in result.stderr


def test_invisible_format_characters_are_shown_escaped_and_json_keeps_them_exactly() -> None:
    from lgs_cli.names import json_safe, sanitize

    text = "a\u2060b\U000e0041c\ufff9d\u180ee\u206af"
    assert sanitize(text) == "a\\u2060b\\U000e0041c\\ufff9d\\u180ee\\u206af"
    escaped = json_safe(json.dumps(text, ensure_ascii=False))
    assert escaped == '"a\\u2060b\\udb40\\udc41c\\ufff9d\\u180ee\\u206af"'
    assert json.loads(escaped) == text


def test_follow_ups_with_long_runs_of_spaces_are_read_in_linear_time(tmp_path: Path) -> None:
    """The hint for a follow-up's unreadable ID (LGS020) is bounded: 50 markers with
    19,000 spaces each took a minute when its pattern backtracked over them. (The
    timeout is a hang guard, not a timing assertion.)"""
    root = tmp_path / "minutes"
    (root / "2025").mkdir(parents=True)
    shutil.copy(MINUTES / "lgs.yaml", root / "lgs.yaml")
    body = "".join(f"- [ ] **Uppföljning 2025-04-04{' ' * 19000}x{i}:** t\n\n" for i in range(50))
    (root / "2025" / "2025-05-02.md").write_text(
        "---\ndate: 2025-05-02\nstatus: draft\nsecretary: not-recorded\nattendees: not-recorded\n---\n\n## 1. X\n\n"
        + body, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", "from lgs_cli.cli import main; main()", "check", str(root)],
                          capture_output=True, text=True, timeout=20,
                          env={**os.environ, "LGS_CACHE_DIR": str(tmp_path / "cache")},
                          stdin=subprocess.DEVNULL, check=False)
    assert proc.returncode == 1 and proc.stdout.count("LGS020") == 50


@pytest.mark.parametrize("line", [
    "Text <!-- konfidentiellt --> " + "`" * 2000,                               # code spans after a marker
    "- [ ] **Åtgärd A1:** x\n  - **Ansvarig:" + " " * 19000 + "x",             # a bold field never closed
    "- " + "\t" * 19000 + ":",                                                 # tabs after a bullet
    "- [ ] **Åtgärd A1:** x\n  - Senast: 2025-01-01" + " " * 19000 + "(",      # a date, then spaces
    "Text <!--" + " " * 19000 + "x",                                           # a comment opened, then spaces
    "- [ ] **Åtgärd A1:** x\n  - Senast: (" + "a" * 19000,                     # a due date's words never closed
    "- [ ] **Åtgärd A1:** x\n  - Senast: v" + " " * 19000 + "1",               # a week, then spaces
    "- [ ] **Åtgärd A1:** x\n  - Ansvarig: AU" + " /" * 9000 + "RGK",          # owners joined by slashes
    "1)" + " " * 19000 + "**Beslut B1:** x",                                   # a numbered list item
    "**3." + " " * 19000 + "Titel**",                                          # a bold item line
])
def test_more_line_shapes_are_read_in_linear_time(tmp_path: Path, line: str) -> None:
    """Shapes a fuzzer built against the body's patterns, each 20 times (they took
    minutes to hours when a pattern backtracked). The timeout is a hang guard."""
    root = tmp_path / "minutes"
    (root / "2026").mkdir(parents=True)
    shutil.copy(MINUTES / "lgs.yaml", root / "lgs.yaml")
    (root / "2026" / "2026-01-09.md").write_text(
        "---\ndate: 2026-01-09\nstatus: draft\nsecretary: not-recorded\nattendees: not-recorded\n---\n\n## 1. A\n\n"
        + "\n\n".join([line] * 20) + "\n", encoding="utf-8")
    for args in (("check", str(root)), ("show", "2026-01-09", "--public", "--archive", str(root))):
        proc = subprocess.run([sys.executable, "-c", "from lgs_cli.cli import main; main()", *args],
                              capture_output=True, text=True, timeout=30,
                              env={**os.environ, "LGS_NO_CACHE": "1"}, stdin=subprocess.DEVNULL, check=False)
        assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr, proc.stderr[-500:]


def test_show_wraps_a_line_indented_wider_than_the_console(tmp_path: Path) -> None:
    root = tmp_path / "minutes"
    (root / "2026").mkdir(parents=True)
    shutil.copy(MINUTES / "lgs.yaml", root / "lgs.yaml")
    (root / "2026" / "2026-01-09.md").write_text(
        "---\ndate: 2026-01-09\nstatus: draft\nsecretary: not-recorded\nattendees: not-recorded\n---\n\n## 1. A\n\n"
        + " " * 81 + "漢\n\n- " + " " * 90 + "漢字 " * 60 + "\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", "from lgs_cli.cli import main; main()", "show", "2026-01-09",
                           "--archive", str(root)], capture_output=True, text=True, timeout=30,
                          env={**os.environ, "COLUMNS": "80"}, stdin=subprocess.DEVNULL, check=False)
    assert proc.returncode == 0 and proc.stdout.count("漢") == 61
