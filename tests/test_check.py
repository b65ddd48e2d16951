"""lgs check (rules, formats, exit codes), lgs schema and lgs approve.

Rule fixtures live in tests/fixtures/check/: ``common/`` is a small clean
archive; ``cases/<RULE>/fail`` and ``cases/<RULE>/pass`` are laid over it. The
expected findings of a failing case are marked in its files (``# expect: LGS108``
in YAML, ``<!-- expect: LGS101 -->`` in Markdown) or listed in ``expect.txt``
(``path[:line] CODE``); a passing case must give no finding at all.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, MINUTES, run_cli, with_drafts
from lgs_cli import rules
from lgs_cli.approval import ApproveError, approve_bytes
from lgs_cli.archive import load_archive
from lgs_cli.cmd_check import format_github, format_text, github_data, github_property
from lgs_cli.codes import CODES
from lgs_cli.model import Diagnostic, Severity
from lgs_cli.parse import FRONT_MATTER_KEYS, REQUIRED_KEYS
from lgs_cli.rules import (
    ANNOTATION_KEYWORDS,
    SUPPORTED_KEYWORDS,
    check_archive,
    load_schema,
    validate_front_matter,
)
from lgs_cli.yamlsafe import dump_scalar as yaml_scalar

CHECK = FIXTURES / "check"
CASES = CHECK / "cases"
TODAY = dt.date(2024, 6, 1)
GIT_ONLY = {"LGS302", "LGS303"}  # need a base revision: tests/test_git.py
_MARK = re.compile(r"(?:#|<!--)\s*expect:\s*([A-Z0-9, ]+?)\s*(?:-->|$)")

Finding = tuple[str, int | None, str]


def build(tmp_path: Path, case: Path | None = None) -> Path:
    root = tmp_path / "archive"
    shutil.copytree(CHECK / "common", root)
    if case is not None:
        shutil.copytree(case, root, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expect.txt"))
    return root


def expected(case: Path) -> list[Finding]:
    out: list[Finding] = []
    for path in sorted(case.rglob("*")):
        if not path.is_file() or path.name == "expect.txt":
            continue
        text = path.read_bytes().decode("utf-8", "replace").replace("\r\n", "\n")
        for number, line in enumerate(text.split("\n"), start=1):
            for mark in _MARK.finditer(line):
                for code in mark.group(1).split(","):
                    out.append((path.relative_to(case).as_posix(), number, code.strip()))
    listed = case / "expect.txt"
    if listed.exists():
        for row in listed.read_text(encoding="utf-8").splitlines():
            where, code = row.split()
            name, _, line = where.partition(":")
            out.append((name, int(line) if line else None, code))
    return sorted(out, key=str)


def findings(root: Path, **kwargs: object) -> list[Diagnostic]:
    return check_archive(load_archive(root), today=TODAY, **kwargs)  # type: ignore[arg-type]


def found(root: Path) -> list[Finding]:
    out = []
    for d in findings(root):
        rel = Path(d.path).resolve().relative_to(root.resolve()).as_posix()
        out.append((rel, d.line, d.code))
    return sorted(out, key=str)


# -- one failing and one passing fixture per rule -------------------------------------

CASE_DIRS = sorted(p.name for p in CASES.iterdir())


def test_common_archive_is_clean(tmp_path: Path) -> None:
    assert found(build(tmp_path)) == []


def test_every_rule_has_a_failing_and_a_passing_fixture() -> None:
    for code in CODES:
        if code in GIT_ONLY:
            continue
        assert (CASES / code / "fail").is_dir(), f"no failing fixture for {code}"
        assert (CASES / code / "pass").is_dir(), f"no passing fixture for {code}"


@pytest.mark.parametrize("case", CASE_DIRS)
def test_failing_fixture_gives_exactly_the_expected_findings(case: str, tmp_path: Path) -> None:
    want = expected(CASES / case / "fail")
    rule = case.split("-")[0]
    assert any(code == rule for _, _, code in want), "the fixture must expect its own rule"
    # a list, not a set: the same problem must not be reported twice (loader and rules)
    assert found(build(tmp_path, CASES / case / "fail")) == want


@pytest.mark.parametrize("case", CASE_DIRS)
def test_passing_fixture_is_clean(case: str, tmp_path: Path) -> None:
    assert found(build(tmp_path, CASES / case / "pass")) == []


def test_decision_without_owner_fails_with_file_and_line(tmp_path: Path) -> None:
    root = build(tmp_path, CASES / "LGS101" / "fail")
    result = run_cli("check", str(root), "--today", "2024-06-01")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].endswith("2024/2024-02-02.md:27: error LGS101 decision 2024-02-02-B2 has no owner")
    assert lines[1] == "    hint: Add an indented line '  - Ansvarig: <person, organisation or group>'."
    assert "1 error(s), 0 warning(s) in 1 file(s); 2 meeting(s) checked" in result.stderr


def test_ambiguous_short_name_lists_the_candidates(tmp_path: Path) -> None:
    (d,) = findings(build(tmp_path, CASES / "LGS106" / "fail"))
    assert d.code == "LGS106" and d.severity is Severity.ERROR
    assert "could be Ulrika Ek, Ulrika Fors" in d.message


def test_person_outside_roster_period_is_a_warning_once_per_meeting(tmp_path: Path) -> None:
    root = build(tmp_path, CASES / "LGS107" / "fail")
    path = root / "2024" / "2024-02-02.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\n- [ ] **Åtgärd A1:** Något.\n  - Ansvarig: David Dahl\n", encoding="utf-8")
    result = [d for d in findings(root) if d.code == "LGS107"]
    assert len(result) == 1 and result[0].severity is Severity.WARNING


# -- exit codes and rule settings ------------------------------------------------------

def test_exit_codes(tmp_path: Path) -> None:
    clean = build(tmp_path / "a")
    assert run_cli("check", str(clean)).exit_code == 0
    warn = build(tmp_path / "b", CASES / "LGS107" / "fail")
    assert run_cli("check", str(warn), "--today", "2024-06-01").exit_code == 0
    assert run_cli("check", str(warn), "--today", "2024-06-01", "--strict").exit_code == 1
    err = build(tmp_path / "c", CASES / "LGS105" / "fail")
    assert run_cli("check", str(err), "--today", "2024-06-01").exit_code == 1
    assert run_cli("check", str(tmp_path / "missing")).exit_code == 2
    assert run_cli("check", str(clean), "--format", "xml").exit_code == 2
    assert run_cli("check", str(clean), "--archive", str(err)).exit_code == 2
    assert run_cli("check", str(clean), "--today", "not a date").exit_code == 2
    assert run_cli("check", "--archive", str(err), "--today", "2024-06-01").exit_code == 1


def test_rules_setting_switches_off_and_downgrades(tmp_path: Path) -> None:
    root = build(tmp_path, CASES / "LGS105" / "fail")
    path = root / "2024" / "2024-02-02.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n- **Beslut B3:** Utan ansvarig.\n"
                    "\n- [ ] **Åtgärd A1:** x\n  - Ansvarig: David Dahl\n", encoding="utf-8")
    before = {d.code: d.severity for d in findings(root)}
    assert before == {"LGS105": Severity.ERROR, "LGS101": Severity.ERROR, "LGS107": Severity.WARNING}
    roster = root / "lgs.yaml"
    roster.write_text(roster.read_text(encoding="utf-8")
                      + "rules:\n  LGS105: warning\n  lgs101: off\n  LGS107: error\n", encoding="utf-8")
    after = {d.code: d.severity for d in findings(root)}
    assert after == {"LGS105": Severity.WARNING, "LGS107": Severity.ERROR}
    assert run_cli("check", str(root), "--today", "2024-06-01").exit_code == 1  # LGS107 is an error now


def test_readme_lists_every_rule_id() -> None:
    readme = (MINUTES.parent / "README.md").read_text(encoding="utf-8")
    table = readme.split("#### Rules", 1)[1]
    for code, info in CODES.items():
        assert re.search(rf"^\| `{code}` \| {info.severity.value} \|", table, re.MULTILINE), code


# -- output formats ------------------------------------------------------------------------

HOSTILE = "Evil%0A\r\n::set-output name=x::y\n::error file=a::b,c:d %25 \x1b[31m"


def test_github_escaping_of_data_and_properties() -> None:
    assert github_data("a%b\rc\nd") == "a%25b%0Dc%0Ad"
    assert github_property("a:b,c%d\n") == "a%3Ab%2Cc%25d%0A"


@given(st.text())
def test_github_escaped_text_is_one_line_and_round_trips(text: str) -> None:
    escaped = github_data(text)
    assert "\n" not in escaped and "\r" not in escaped
    assert escaped.replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%") == text
    prop = github_property(text)
    assert not set(prop) & {"\n", "\r", ":", ","}


def test_github_format_cannot_be_injected_by_minutes_text(tmp_path: Path) -> None:
    root = build(tmp_path)
    path = root / "2024" / "2024-01-12.md"
    text = path.read_text(encoding="utf-8")
    hostile_yaml = json.dumps(HOSTILE)  # a YAML double-quoted string with newlines in it
    text = text.replace("chairs: [Anna Andersson]", f"chairs: [{hostile_yaml}]\n{hostile_yaml}: 1")
    path.write_text(text, encoding="utf-8")
    result = run_cli("check", str(root), "--format", "github", "--today", "2024-06-01")
    assert result.exit_code == 1
    as_json = json.loads(run_cli("check", str(root), "--format", "json", "--today", "2024-06-01").stdout)
    lines = result.stdout.splitlines()
    assert len(lines) == len(as_json["findings"]) >= 2  # one line per finding, whatever the text
    assert all(re.match(r"::(error|warning) file=[^:,]+,line=\d+,title=LGS\d{3}::", line) for line in lines)
    assert "\r" not in result.stdout and "\x1b" not in result.stdout
    (unknown_key,) = [line for line in lines if "title=LGS003::" in line]
    message = unknown_key.split("::", 2)[2]
    assert "%0A::set-output name=x::y%0A::error file=a::b,c:d %2525" in message
    decoded = message.replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")
    assert "'Evil%0A" in decoded and "\n::set-output name=x::y\n::error file=a::b,c:d %25 " in decoded


def test_github_format_of_diagnostics() -> None:
    d = Diagnostic("min,utes/a:b.md", 3, "LGS101", Severity.ERROR, "x\n::warning::y", "do %this")
    w = Diagnostic("a.md", None, "LGS107", Severity.WARNING, "w")
    assert format_github([d, w]) == (
        "::error file=min%2Cutes/a%3Ab.md,line=3,title=LGS101::x%0A::warning::y%0Ado %25this\n"
        "::warning file=a.md,title=LGS107::w\n"
    )


def test_text_format_groups_by_file_and_escapes() -> None:
    ds = [
        Diagnostic("a.md", 2, "LGS101", Severity.ERROR, "one", "fix it"),
        Diagnostic("a.md", 9, "LGS107", Severity.WARNING, "two\x1b[2J"),
        Diagnostic("b.md", None, "LGS303", Severity.ERROR, "gone\nfake: error"),
    ]
    assert format_text(ds) == (
        "a.md:2: error LGS101 one\n    hint: fix it\na.md:9: warning LGS107 two\\x1b[2J\n\n"
        "b.md: error LGS303 gone fake: error\n"
    )
    coloured = format_text(ds, colour=True)
    assert "\x1b[31m" in coloured and "\x1b[2J" not in coloured


def test_json_format(tmp_path: Path) -> None:
    root = build(tmp_path, CASES / "LGS107" / "fail")
    result = run_cli("check", str(root), "--format", "json", "--today", "2024-06-01")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["summary"] == {"errors": 0, "warnings": 1, "files": 1, "meetings": 2, "unreadable": 0, "base": None}
    (f,) = data["findings"]
    assert f["code"] == "LGS107" and f["severity"] == "warning" and f["line"] == 16
    assert f["file"].endswith("2024/2024-02-02.md") and f["message"] and f["hint"]


def test_text_is_not_coloured_when_piped_or_no_color(tmp_path: Path) -> None:
    root = build(tmp_path, CASES / "LGS105" / "fail")
    for env in ({"NO_COLOR": "1"}, {"NO_COLOR": ""}):
        result = run_cli("check", str(root), env=env)
        assert "\x1b[" not in result.stdout and "error LGS105" in result.stdout


# -- the bundled archive ----------------------------------------------------------------------

def test_bundled_archive_passes_check() -> None:
    result = run_cli("check", str(MINUTES))
    assert result.exit_code == 0, result.stdout
    assert "error" not in result.stdout


# -- the JSON Schema ---------------------------------------------------------------------------

def test_schema_command_prints_the_schema_and_its_path() -> None:
    result = run_cli("schema")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    path = run_cli("schema", "--path").stdout.strip()
    assert Path(path).is_file() and json.loads(Path(path).read_text(encoding="utf-8")) == data


def _keywords(node: object, out: set[str]) -> set[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            out.add(key)
            if key in ("properties", "$defs"):
                for sub in value.values():
                    _keywords(sub, out)
            else:
                _keywords(value, out)
    elif isinstance(node, list):
        for sub in node:
            _keywords(sub, out)
    return out


def test_schema_agrees_with_the_loader() -> None:
    schema = load_schema()
    assert set(schema["properties"]) == FRONT_MATTER_KEYS
    assert set(schema["required"]) == set(REQUIRED_KEYS)
    words = _keywords(schema, set()) - set(FRONT_MATTER_KEYS) - set(schema["$defs"]) - {
        "name", "org", "sector", "items", "part", "note", "for", "by", "date", "status"}
    assert words <= SUPPORTED_KEYWORDS | ANNOTATION_KEYWORDS


def test_bundled_archive_validates_against_the_schema() -> None:
    archive = load_archive(MINUTES)
    assert archive.meetings
    for m in archive.meetings:
        assert validate_front_matter(m.front_matter) == [], m.relpath


def test_schema_validation_messages() -> None:
    problems = validate_front_matter({"date": "2024-01-01", "status": "klar", "secretary": [1],
                                      "attendees": "nobody", "colour": "blå"})
    messages = sorted(p.message for p in problems)
    assert messages == [
        "attendees: expected 'not-recorded' or a list, not text",
        "front matter: unknown key 'colour'",
        "secretary[0]: expected text, not a whole number",
        "status: 'klar' is not one of draft, approved",
    ]


def _schema_words(schema: Any, out: set[str]) -> set[str]:
    if isinstance(schema, dict):
        for key, value in schema.items():
            out.add(key)
            _schema_words(value, out)
    elif isinstance(schema, list):
        for value in schema:
            _schema_words(value, out)
    return out


_WORDS = sorted(w for w in _schema_words(load_schema(), set()) if not w.startswith("$")) + ["x", "colour"]
_SCALARS = (st.none() | st.booleans() | st.integers(-3, 3000) | st.floats(allow_nan=False)
            | st.sampled_from(["", "draft", "approved", "not-recorded", "2024-01-12", "13:00", "Anna, Växjö",
                               "skola", "x"]) | st.text(max_size=8))
_VALUES = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=4)
                       | st.dictionaries(st.sampled_from(_WORDS), inner, max_size=5), max_leaves=25)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


_REAL = [_plain(m.front_matter) for m in load_archive(MINUTES).meetings] + [
    _plain(m.front_matter) for m in load_archive(CHECK / "common").meetings]


@st.composite
def _fronts(draw: st.DrawFn) -> dict[str, Any]:
    """Real front matter, with up to three random changes: a value replaced, a key
    dropped or added (so both valid and invalid ones are drawn)."""
    data: dict[str, Any] = _plain(draw(st.sampled_from(_REAL)))
    for _ in range(draw(st.integers(0, 3))):
        node: Any = data
        while isinstance(node, (dict, list)) and node and draw(st.booleans()):
            child = node[draw(st.sampled_from(sorted(node, key=str)))] if isinstance(node, dict) else \
                node[draw(st.integers(0, len(node) - 1))]
            if not isinstance(child, (dict, list)) or not child:
                break
            node = child
        if isinstance(node, dict) and node:
            key = draw(st.sampled_from(sorted(node, key=str)))
            action = draw(st.sampled_from(["replace", "drop", "add"]))
            if action == "replace":
                node[key] = draw(_VALUES)
            elif action == "drop":
                del node[key]
            else:
                node[draw(st.sampled_from(_WORDS))] = draw(_VALUES)
        elif isinstance(node, list) and node:
            node[draw(st.integers(0, len(node) - 1))] = draw(_VALUES)
    return data


_FRONTS = _fronts()


@settings(max_examples=600, deadline=None)
@given(_FRONTS)
def test_the_quick_schema_check_agrees_with_the_full_one(data: dict[str, Any]) -> None:
    """``validate_front_matter`` answers valid front matter with a check that builds no
    messages (``_valid``); it must say "valid" exactly when the full validation finds nothing."""
    schema = load_schema()
    assert rules._valid(data, schema, schema) == (rules._validate(data, schema, schema, ()) == [])


def test_the_quick_check_remembers_a_value_under_its_own_schema_only() -> None:
    """A scalar's answer is kept per schema node and type: the same text is a valid
    place and an invalid date, ``true`` is not ``1``, and asking again changes nothing."""
    schema = load_schema()
    base = {"date": "2025-04-04", "status": "draft", "secretary": ["A"], "attendees": []}
    cases = [({**base, "location": "Regionhuset"}, True), ({**base, "date": "Regionhuset"}, False),
             ({**base, "location": "2025-04-04"}, True), ({**base, "date": "2025-02-30x"}, False),
             ({**base, "start": 1}, True), ({**base, "start": True}, False), ({**base, "secretary": [True]}, False)]
    for _ in range(2):
        for data, valid in cases + cases[::-1]:
            assert rules._valid(data, schema, schema) is valid, data
            assert (rules.validate_front_matter(data) == []) is valid, data

# -- lgs approve ----------------------------------------------------------------------------------


DRAFT = CASES / "LGS304" / "pass" / "2024" / "2024-02-02.md"


def draft_archive(tmp_path: Path, content: bytes | None = None) -> tuple[Path, Path]:
    root = build(tmp_path)
    path = root / "2024" / "2024-02-02.md"
    path.write_bytes(content if content is not None else DRAFT.read_bytes())
    return root, path


def test_approve_edits_only_the_lines_it_must(tmp_path: Path) -> None:
    original = DRAFT.read_bytes().replace(b"\n", b"\r\n")
    root, path = draft_archive(tmp_path, b"\xef\xbb\xbf" + original)
    path.chmod(0o640)
    result = run_cli("approve", "2024-02-02", "--by", "Anna Andersson", "--on", "2024-02-09",
                     "--archive", str(root), "--today", "2024-02-10")
    assert result.exit_code == 0, result.stderr
    after = path.read_bytes()
    expected_bytes = b"\xef\xbb\xbf" + original.replace(
        b"status: draft\r\n",
        b"status: approved\r\napproved_by: Anna Andersson\r\napproved_on: 2024-02-09\r\n"
        b"justerare: [Anna Andersson]\r\n")
    assert after == expected_bytes
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert "Approved" in result.stderr
    assert sorted(p.name for p in path.parent.iterdir()) == ["2024-01-12.md", "2024-02-02.md"]  # no temp file
    again = run_cli("approve", "2024-02-02", "--by", "Anna Andersson", "--archive", str(root),
                    "--today", "2024-02-10")
    assert again.exit_code == 1 and "already approved" in again.stderr
    assert path.read_bytes() == after
    assert run_cli("check", str(root), "--today", "2024-02-10").exit_code == 0


def test_approve_keeps_listed_justerare_and_refuses_others(tmp_path: Path) -> None:
    text = DRAFT.read_text(encoding="utf-8").replace("secretary:", "justerare: [Bertil Berg]\nsecretary:")
    root, path = draft_archive(tmp_path, text.encode())
    refused = run_cli("approve", "2024-02-02", "--by", "Anna Andersson", "--archive", str(root),
                      "--today", "2024-02-10")
    assert refused.exit_code == 1 and "not a justerare" in refused.stderr
    assert path.read_bytes() == text.encode()
    ok = run_cli("approve", "2024-02-02", "--by", "Bertil", "--archive", str(root), "--today", "2024-02-10")
    assert ok.exit_code == 0, ok.stderr
    assert path.read_text(encoding="utf-8") == text.replace(
        "status: draft\n", "status: approved\napproved_by: Bertil Berg\napproved_on: 2024-02-10\n")


@pytest.mark.parametrize("blank", ["", ' ""', " ''"])
def test_approve_fills_in_approved_by_and_on_left_empty_in_the_draft(tmp_path: Path, blank: str) -> None:
    text = DRAFT.read_text(encoding="utf-8").replace(
        "status: draft\n", f"status: draft   # utkast\napproved_by:{blank}    # vid justering\napproved_on:{blank}\n")
    root, path = draft_archive(tmp_path, text.encode())
    ok = run_cli("approve", "2024-02-02", "--by", "Anna Andersson", "--on", "2024-02-09", "--archive", str(root),
                 "--today", "2024-02-10")
    assert ok.exit_code == 0, ok.stderr
    assert path.read_text(encoding="utf-8") == text.replace(
        f"status: draft   # utkast\napproved_by:{blank}    # vid justering\napproved_on:{blank}\n",
        "status: approved   # utkast\napproved_by: Anna Andersson    # vid justering\napproved_on: 2024-02-09\n"
        "justerare: [Anna Andersson]\n")
    assert run_cli("check", str(root), "--today", "2024-02-10").exit_code == 0
    # other errors still stop it
    root2, path2 = draft_archive(tmp_path / "2", (text + "\n- **Beslut B2:** Utan ansvarig.\n").encode())
    refused = run_cli("approve", "2024-02-02", "--by", "Anna Andersson", "--archive", str(root2),
                      "--today", "2024-02-10")
    assert refused.exit_code == 1 and "LGS101" in refused.stderr and "LGS004" not in refused.stderr


def test_approve_refuses_an_edit_inside_a_value_over_several_lines(tmp_path: Path) -> None:
    text = DRAFT.read_text(encoding="utf-8").replace(
        "location: Regionhuset\n", 'location: "Regionhuset,\njusterare: sal 3 # se kallelsen"\n')
    root, path = draft_archive(tmp_path, text.encode())
    refused = run_cli("approve", "2024-02-02", "--by", "Anna Andersson", "--archive", str(root),
                      "--today", "2024-02-10")
    assert refused.exit_code == 1 and "would change more than the approval" in refused.stderr, refused.stderr
    assert path.read_text(encoding="utf-8") == text


_LGS = "import sys; sys.argv = ['lgs', *sys.argv[1:]]; from lgs_cli.entry import main; main()"


def test_two_approves_at_once_leave_one_approval(tmp_path: Path) -> None:
    """Two justerare approving the same draft at the same moment: one wins, the
    other refuses, and the file is the winner's (never restored over it)."""
    text = DRAFT.read_text(encoding="utf-8").replace("secretary:", "justerare: [Anna Andersson, Bertil Berg]\n"
                                                                   "secretary:")
    root, path = draft_archive(tmp_path, text.encode())
    env = {**os.environ, "NO_COLOR": "1", "LGS_CACHE_DIR": str(tmp_path / "cache")}
    for _ in range(4):
        path.write_text(text, encoding="utf-8")
        procs = [subprocess.Popen([sys.executable, "-c", _LGS, "approve", "2024-02-02", "--by", who,
                                   "--archive", str(root), "--today", "2024-02-10"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
                 for who in ("Anna Andersson", "Bertil Berg")]
        results = [(p.wait(timeout=120), p.stderr.read().decode() if p.stderr else "") for p in procs]
        winners = [who for (code, err), who in zip(results, ("Anna Andersson", "Bertil Berg"), strict=True)
                   if code == 0 and "Approved" in err]
        assert len(winners) == 1, results
        assert sorted(code for code, _ in results) == [0, 1], results
        after = path.read_text(encoding="utf-8")
        assert "status: approved" in after and f"approved_by: {winners[0]}" in after


def test_approve_holds_the_lock_while_it_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The draft is locked (flock) when approve writes it: another approve that
    opened it waits, then finds it changed. Tried from a second open file, which
    flock tells apart from approve's own."""
    import fcntl

    from lgs_cli import approval

    root, path = draft_archive(tmp_path)
    seen: list[str] = []
    real_write = approval.write_atomic

    def write(target: Path, data: bytes) -> None:
        fd = os.open(target, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            seen.append("free")
        except BlockingIOError:
            seen.append("locked")
        finally:
            os.close(fd)
        real_write(target, data)

    monkeypatch.setattr(approval, "write_atomic", write)
    result = run_cli("approve", "2024-02-02", "--by", "Anna Andersson", "--archive", str(root),
                     "--today", "2024-02-10")
    assert result.exit_code == 0, result.stderr
    assert seen == ["locked"]
    assert "status: approved" in path.read_text(encoding="utf-8")


def test_approve_says_when_the_roster_cannot_be_read(tmp_path: Path) -> None:
    root, path = draft_archive(tmp_path)
    with (root / "lgs.yaml").open("a", encoding="utf-8") as fh:
        fh.write("people:\n\t- x\n")
    refused = run_cli("approve", "2024-02-02", "--by", "Anna Andersson", "--archive", str(root),
                      "--today", "2024-02-10")
    assert refused.exit_code == 2 and "lgs.yaml cannot be read" in refused.stderr
    assert path.read_bytes() == DRAFT.read_bytes()


def test_approve_refuses_a_read_only_file(tmp_path: Path) -> None:
    root, path = draft_archive(tmp_path)
    path.chmod(0o444)
    try:
        refused = run_cli("approve", "2024-02-02", "--by", "Anna Andersson", "--archive", str(root),
                          "--today", "2024-02-10")
        assert refused.exit_code == 1 and "is read-only" in refused.stderr
        assert path.read_bytes() == DRAFT.read_bytes()
    finally:
        path.chmod(0o644)


def test_approve_refuses_with_errors_and_bad_options(tmp_path: Path) -> None:
    bad = DRAFT.read_text(encoding="utf-8") + "\n- **Beslut B2:** Utan ansvarig.\n"
    root, path = draft_archive(tmp_path, bad.encode())
    result = run_cli("approve", "2024-02-02", "--by", "Anna Andersson", "--archive", str(root),
                     "--today", "2024-02-10")
    assert result.exit_code == 1
    assert "error LGS101" in result.stderr and "not approved: 1 error(s)" in result.stderr
    assert result.stderr.index("error LGS101") < result.stderr.index("Error: not approved")  # the findings first
    assert path.read_text(encoding="utf-8") == bad
    # the core refuses with the findings (no CLI in between): the error carries them
    from lgs_cli.approval import approve_meeting
    from lgs_cli.errors import FindingsError
    from lgs_cli.views import find_meeting

    arch = load_archive(root)
    with pytest.raises(FindingsError) as refused:
        approve_meeting(arch, find_meeting(arch, "2024-02-02"), by="Anna Andersson", on=None,
                        today=dt.date(2024, 2, 10))
    assert [d.code for d in refused.value.findings if d.severity is Severity.ERROR] == ["LGS101"]
    assert path.read_text(encoding="utf-8") == bad
    path.write_bytes(DRAFT.read_bytes())
    cases = [
        (["--by", "Ulrika"], 2, "ambiguous"),
        (["--by", "Nils Nilsson"], 2, "not in the roster"),
        (["--by", "Anna Andersson", "--on", "2024-01-01"], 2, "before the meeting"),
        (["--by", "Anna Andersson", "--on", "2024-03-01"], 2, "in the future"),
    ]
    for extra, code, text in cases:
        r = run_cli("approve", "2024-02-02", *extra, "--archive", str(root), "--today", "2024-02-10")
        assert r.exit_code == code and text in r.stderr, (extra, r.stderr)
    assert path.read_bytes() == DRAFT.read_bytes()
    r = run_cli("approve", "2024-01-12", "--by", "Bertil Berg", "--archive", str(root), "--today", "2024-02-10")
    assert r.exit_code == 1 and "already approved" in r.stderr


def test_approve_refuses_a_justerare_who_did_not_attend(tmp_path: Path) -> None:
    text = DRAFT.read_text(encoding="utf-8").replace("  - Cecilia Carlsson, RGK\n",
                                                     "  - Cecilia Carlsson, RGK\nabsent:\n  - Ulrika Ek, Ljungby\n")
    root, path = draft_archive(tmp_path, text.encode())
    for who, said in (("Ulrika Ek", "is listed as absent from the meeting of 2024-02-02"),
                      ("Ulrika Fors", "is not among the attendees of the meeting of 2024-02-02")):
        r = run_cli("approve", "2024-02-02", "--by", who, "--archive", str(root), "--today", "2024-02-10")
        assert r.exit_code == 1 and said in r.stderr, r.stderr
    assert path.read_text(encoding="utf-8") == text
    later = run_cli("approve", "2024-02-02", "--by", "Anna Andersson", "--archive", str(root),
                    "--today", "2024-02-01")
    assert later.exit_code == 2 and "today, 2024-02-01, is before the meeting" in later.stderr
    assert "still to come" in later.stderr and "--on" not in later.stderr.split("Hint:", 1)[1]  # --on can't help


def test_approve_refuses_unconfirmed_attendance_and_prints_warnings(tmp_path: Path) -> None:
    text = DRAFT.read_text(encoding="utf-8").replace("attendees:", "expected:\n  - Anna Andersson, Alvesta\nattendees:")
    assert "expected:" in text
    root, path = draft_archive(tmp_path, text.encode())
    r = run_cli("approve", "2024-02-02", "--by", "Anna Andersson", "--archive", str(root), "--today", "2024-02-10")
    assert r.exit_code == 1 and "not confirmed" in r.stderr and "expected:" in r.stderr
    assert path.read_text(encoding="utf-8") == text
    warned = DRAFT.read_text(encoding="utf-8").replace("Föredragande: Anna Andersson",
                                                       "Föredragande: Okänd Gäst")
    assert warned != DRAFT.read_text(encoding="utf-8")
    path.write_text(warned, encoding="utf-8")
    ok = run_cli("approve", "2024-02-02", "--by", "Anna Andersson", "--archive", str(root), "--today", "2024-02-10")
    assert ok.exit_code == 0, ok.stderr
    assert "warning LGS109" in ok.stderr


def test_approve_bytes_replaces_existing_keys_in_place() -> None:
    raw = (b"---\ndate: 2024-02-02\nstatus: 'draft'  # utkast\napproved_by:\nsecretary: [X]\n"
           b"approved_on: \njusterare: not-recorded\nattendees: []\n---\nbody\n")
    out = approve_bytes(raw, by="Åsa Öberg", on=dt.date(2024, 2, 9), justerare="Åsa Öberg")
    assert out == (b"---\ndate: 2024-02-02\nstatus: 'approved'  # utkast\n"
                   + "approved_by: Åsa Öberg\n".encode() + b"secretary: [X]\napproved_on: 2024-02-09\n"
                   + "justerare: [Åsa Öberg]\n".encode() + b"attendees: []\n---\nbody\n")


def test_approve_bytes_keeps_comments_on_the_lines_it_sets() -> None:
    raw = (b"---\nstatus: draft\napproved_by: not-recorded  # fylls i vid justering\n"
           b"approved_on: '' # datum\njusterare: not-recorded   # utses p\xc3\xa5 m\xc3\xb6tet\n---\nbody\n")
    out = approve_bytes(raw, by="Åsa Öberg", on=dt.date(2024, 2, 9), justerare="Åsa Öberg")
    assert out == ("---\nstatus: approved\napproved_by: Åsa Öberg  # fylls i vid justering\n"
                   "approved_on: 2024-02-09 # datum\njusterare: [Åsa Öberg]   # utses på mötet\n---\nbody\n").encode()
    # a "#" inside a quoted value is not a comment
    quoted = approve_bytes(b"---\nstatus: draft\napproved_by: \"A # B\"\n---\n", by="C", on=dt.date(2024, 2, 9))
    assert b"approved_by: C\n" in quoted


def test_approve_bytes_refuses_what_it_cannot_edit_safely() -> None:
    on = dt.date(2024, 2, 9)
    with pytest.raises(ApproveError):
        approve_bytes(b"no front matter\n", by="A", on=on)
    with pytest.raises(ApproveError):
        approve_bytes(b"---\nstatus: approved\n---\n", by="A", on=on)
    with pytest.raises(ApproveError):
        approve_bytes(b"---\nstatus: draft\n", by="A", on=on)
    with pytest.raises(ApproveError):
        approve_bytes(b"---\nstatus: draft\napproved_by:\n  - A\n---\n", by="A", on=on)


def test_yaml_scalar_quotes_what_yaml_would_misread() -> None:
    assert yaml_scalar("Anna-Karin Pålsson") == "Anna-Karin Pålsson"
    assert yaml_scalar("no") == '"no"'
    assert yaml_scalar("A: B") == '"A: B"'
    assert yaml_scalar("[x]") == '"[x]"'
    assert yaml_scalar("Anna #1") == '"Anna #1"'


_BODY = st.text(st.characters(blacklist_categories=["Cs"]), max_size=300)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(body=_BODY, crlf=st.booleans(), bom=st.booleans(),
       before=st.lists(st.sampled_from(["date: 2024-02-02", "location: Sal A # kommentar", "chairs: [A]",
                                        "  - nested: x", "# kommentar", ""]), max_size=4))
def test_approve_changes_no_other_byte(body: str, crlf: bool, bom: bool, before: list[str]) -> None:
    eol = "\r\n" if crlf else "\n"
    head = eol.join(["---", *before, "status: draft", "secretary: [X]", "---"]) + eol
    raw = (b"\xef\xbb\xbf" if bom else b"") + (head + body).encode("utf-8")
    out = approve_bytes(raw, by="Anna Andersson", on=dt.date(2024, 2, 9))
    status = f"status: draft{eol}".encode()
    new = f"status: approved{eol}approved_by: Anna Andersson{eol}approved_on: 2024-02-09{eol}".encode()
    assert out == raw.replace(status, new, 1)
    assert out.endswith(body.encode("utf-8"))


# -- integrations ------------------------------------------------------------------------------------

def test_pre_commit_hook_and_ci_examples() -> None:
    import yaml

    root = MINUTES.parent
    (hook,) = yaml.safe_load((root / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "lgs-check" and hook["entry"] == "lgs check" and hook["pass_filenames"] is False
    assert re.search(hook["files"], "minutes/2025/2025-04-04.md") and re.search(hook["files"], "minutes/lgs.yaml")
    github = (root / "docs" / "ci" / "github-workflow.yml").read_text(encoding="utf-8")
    gitlab = (root / "docs" / "ci" / "gitlab-ci.yml").read_text(encoding="utf-8")
    for text in (github, gitlab):
        assert isinstance(yaml.safe_load(text), dict)
        assert "lgs check minutes/ --base" in text and "--format markdown" in text
    assert "--format github" in github and "fetch-depth: 0" in github
    assert "${{ github.base_ref }}\" " not in github  # never pasted into a script
    assert (root / ".ci" / "run").read_text(encoding="utf-8").rstrip().endswith("lgs check minutes/")


def test_an_unreadable_roster_is_one_finding_not_one_per_name(tmp_path: Path) -> None:
    root = tmp_path / "minutes"
    shutil.copytree(MINUTES, root)
    (root / "lgs.yaml").write_text("people:\n\t- name: X\n", encoding="utf-8")
    result = run_cli("check", str(root), "-f", "json")
    assert result.exit_code == 1
    codes = [f["code"] for f in json.loads(result.stdout)["findings"]]
    assert codes == ["LGS401"]
    assert "not checked against the roster" in json.loads(result.stdout)["findings"][0]["hint"]


def test_an_unknown_rule_in_the_roster_is_a_finding(tmp_path: Path) -> None:
    root = tmp_path / "minutes"
    shutil.copytree(MINUTES, root)
    with (root / "lgs.yaml").open("a", encoding="utf-8") as fh:
        fh.write("rules:\n  LGS999: off\n  lgs107: off\n")
    result = run_cli("check", str(root), "-f", "json")
    findings = json.loads(result.stdout)["findings"]
    assert [(f["code"], f["message"]) for f in findings] == [("LGS401", "rules: there is no rule LGS999")]


def _followup_of(root: Path, ref: str) -> str:
    meeting = root / "2025" / "2025-12-05.md"
    meeting.write_text(meeting.read_text(encoding="utf-8") + f"\n## 99. Extra\n\n- [x] **Uppföljning {ref}:** Klart.\n"
                       "  - Status: klar\n", encoding="utf-8")
    findings = json.loads(run_cli("check", str(root), "-f", "json").stdout)["findings"]
    (found,) = [f for f in findings if f["code"] == "LGS203"]
    return f"{found['message']} | {found['hint']}"


@pytest.mark.parametrize(("ref", "setup", "says"), [
    ("2025-04-04-A99", None, "the meeting of 2025-04-04 has no action A99"),
    ("2020-01-10-A1", None, "the archive starts on 2023-10-06"),
    ("2024-06-14-A1", None, "there is no meeting on 2024-06-14 in the archive"),
    ("2024-05-03-A1", "unreadable", "cannot be read"),
    ("2024-05-03-A1", "redated", "2024/2024-05-03.md is dated 2024-05-10"),
])
def test_a_follow_up_of_a_missing_action_says_why(ref: str, setup: str | None, says: str, tmp_path: Path) -> None:
    root = tmp_path / "minutes"
    shutil.copytree(MINUTES, root)
    target = root / "2024" / "2024-05-03.md"
    if setup == "unreadable":
        target.write_bytes(target.read_bytes().replace("å".encode(), b"\xe5", 1))
    elif setup == "redated":
        target.write_text(target.read_text(encoding="utf-8").replace("date: 2024-05-03", "date: 2024-05-10", 1),
                          encoding="utf-8")
    assert says in _followup_of(root, ref)


def test_a_saved_copy_is_the_second_meeting_and_a_md_folder_is_noted(tmp_path: Path) -> None:
    root = tmp_path / "minutes"
    shutil.copytree(MINUTES, root)
    real = root / "2025" / "2025-04-04.md"
    (root / "2025" / "2025-04-04 (2).md").write_text(real.read_text(encoding="utf-8").replace(
        "Föredragande:", "Föredragande: Ändrad,", 1), encoding="utf-8")
    (root / "2026" / "2026-03-06.md").mkdir(parents=True)
    findings = json.loads(run_cli("check", str(root), "-f", "json").stdout)["findings"]
    by_code = {(f["code"], Path(f["file"]).name) for f in findings}
    assert ("LGS201", "2025-04-04 (2).md") in by_code and ("LGS201", "2025-04-04.md") not in by_code
    assert ("LGS006", "2026-03-06.md") in by_code
    shown = run_cli("show", "2025-04-04", "--archive", str(root), "-f", "json")
    assert json.loads(shown.stdout)["path"].endswith("2025-04-04.md")


def test_hints_for_a_folded_organisation_and_a_missing_comma(tmp_path: Path) -> None:
    root = tmp_path / "minutes"
    shutil.copytree(MINUTES, root)
    meeting = root / "2025" / "2025-04-04.md"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace(
        "attendees:\n", "attendees:\n  - Carola Dahlqvist, vaxjo\n  - Susanne Magnusson Region Kronoberg\n", 1),
        encoding="utf-8")
    findings = json.loads(run_cli("check", str(root), "-f", "json").stdout)["findings"]
    hints = {f["code"]: f["hint"] for f in findings}
    assert hints["LGS103"].startswith("Did you mean 'Växjö'?")
    assert hints["LGS108"] == "Is a comma missing? Write 'Susanne Magnusson, Region Kronoberg' (name, organisation)."


def test_namesakes_from_two_organisations_are_two_people(tmp_path: Path) -> None:
    """Not in the roster, same name, other organisations: not 'listed twice', both counted."""
    root = tmp_path / "minutes"
    shutil.copytree(MINUTES, root)
    meeting = root / "2025" / "2025-04-04.md"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace(
        "attendees:\n", "attendees:\n  - Okänd Person, Växjö\n  - Okänd Person, Ljungby\n", 1), encoding="utf-8")
    findings = json.loads(run_cli("check", str(root), "-f", "json").stdout)["findings"]
    assert "LGS111" not in {f["code"] for f in findings}
    matrix = run_cli("attendance", "--archive", str(root), "--since", "2025-04-04", "--until", "2025-04-04").stdout
    rows = {ln.split()[0]: ln.split() for ln in matrix.splitlines()[2:] if ln.strip()}
    assert rows["Ljungby"][1] != "–"  # the Ljungby namesake is counted for Ljungby
    people = json.loads(run_cli("attendance", "--by", "person", "--archive", str(root), "-f", "json").stdout)
    (okand,) = [p for p in people if p["name"] == "Okänd Person"]  # by name: one person, once a meeting
    assert okand["attended"] == 1


def test_the_summary_counts_meetings_as_meetings_does(tmp_path: Path) -> None:
    root = tmp_path / "minutes"
    shutil.copytree(MINUTES, root)
    (root / "2026").mkdir()
    (root / "2026" / "2026-01-09.md").write_bytes(b"---\ndate: 2026-01-09\nstatus: draft\n\xe4\n---\n")
    result = run_cli("check", str(root), "-f", "json")
    summary = json.loads(result.stdout)["summary"]
    assert (summary["meetings"], summary["unreadable"]) == (5, 1)
    assert "5 meeting(s) checked, 1 file(s) not readable as a meeting." in run_cli("check", str(root)).stderr
    assert "5 meeting(s)" in run_cli("meetings", "--archive", str(root)).stderr


def _roster_findings(root: Path) -> list[tuple[str, int | None, str]]:
    findings = json.loads(run_cli("check", str(root), "-f", "json").stdout)["findings"]
    return [(f["code"], f["line"], f["message"]) for f in findings if f["file"].endswith("lgs.yaml")]


def test_a_wrong_kind_of_organisation_is_a_finding_and_keeps_the_municipality(tmp_path: Path) -> None:
    """A misspelt kind no longer drops a municipality from the attendance silently:
    it is an error, and the organisation stays what it was (a kommun); the kind's
    case does not matter."""
    root = tmp_path / "minutes"
    shutil.copytree(MINUTES, root)
    roster = root / "lgs.yaml"
    text = roster.read_text(encoding="utf-8")
    text = text.replace("  Ljungby:\n    kind: kommun", "  Ljungby:\n    kind: kommmun", 1)
    roster.write_text(text.replace("  Växjö:\n    kind: kommun", "  Växjö:\n    kind: Kommun", 1), encoding="utf-8")
    line = text.splitlines().index("    kind: kommmun") + 1
    assert _roster_findings(root) == [("LGS401", line, "organisation Ljungby: unknown kind 'kommmun'")]
    result = run_cli("attendance", "-a", str(root), "-f", "json")
    orgs = {row["organisation"] for row in json.loads(result.stdout)["organisations"]}
    assert {"Ljungby", "Växjö"} <= orgs


def test_misspelt_keys_inside_the_rosters_entries_are_findings(tmp_path: Path) -> None:
    root = tmp_path / "minutes"
    shutil.copytree(MINUTES, root)
    roster = root / "lgs.yaml"
    roster.write_text(roster.read_text(encoding="utf-8").replace("people:\n", "people:\n" + (
        "  - name: Test Person\n"
        "    rolls:\n"
        "      - {org: Växjö, form: 2025-01-01}\n"
        "  - name: Other Person\n"
        "    roles:\n"
        "      - {org: Växjö, form: 2025-01-01}\n"
        "    alias: [Otto]\n"
    ), 1), encoding="utf-8")
    found = [(code, message) for code, _, message in _roster_findings(root)]
    assert found == [
        ("LGS401", "person 'Test Person': unknown key 'rolls'"),
        ("LGS401", "person 'Other Person', a role: unknown key 'form'"),
        ("LGS401", "person 'Other Person': unknown key 'alias'"),
    ]
    hints = [f["hint"] for f in json.loads(run_cli("check", str(root), "-f", "json").stdout)["findings"]
             if f["file"].endswith("lgs.yaml")]
    assert hints[0].startswith("Did you mean 'roles'? Known keys: aliases, name, org, roles, sector")


def test_an_organisation_outside_the_group_takes_guests_but_no_members(tmp_path: Path) -> None:
    """kind: extern: its people may be guests (no LGS103); it is in no attendance
    table, and new-meeting does not expect its people."""
    root = tmp_path / "minutes"
    shutil.copytree(MINUTES, root)
    roster = root / "lgs.yaml"
    text = roster.read_text(encoding="utf-8").replace(
        "organisations:\n", "organisations:\n  Länsstyrelsen Kronoberg:\n    kind: extern\n", 1)
    roster.write_text(text.replace("people:\n", "people:\n  - name: Per Ekström\n    roles:\n"
                                   "      - {org: Länsstyrelsen Kronoberg}\n", 1), encoding="utf-8")
    meeting = root / "2025" / "2025-04-04.md"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace(
        "guests:\n", "guests:\n  - Per Ekström, Länsstyrelsen Kronoberg\n", 1), encoding="utf-8")
    assert json.loads(run_cli("check", str(root), "-f", "json").stdout)["findings"] == []
    result = run_cli("attendance", "-a", str(root), "-f", "json")
    assert "Länsstyrelsen Kronoberg" not in {row["organisation"] for row in json.loads(result.stdout)["organisations"]}
    draft = run_cli("new-meeting", "-a", str(root), "--dry-run", "--today", "2026-01-09")
    assert draft.exit_code == 0 and "Per Ekström" not in draft.stdout


def test_group_members_meeting_times_and_shadowing_aliases_are_checked(tmp_path: Path) -> None:
    """A group member who is no person of the roster, a meeting time that is no
    time, and an alias that takes another person's first name (or an
    organisation's name) away were accepted silently."""
    root = tmp_path / "minutes"
    shutil.copytree(MINUTES, root)
    roster = root / "lgs.yaml"
    text = roster.read_text(encoding="utf-8")
    text = text.replace("    members: [Ulrika Boström, Magnus Frithiof,",
                        "    members: [Ulrika Boström, Nobody Atall, Magnus Frithiof,", 1)
    text = text.replace("people:\n", "people:\n  - name: Magnus Testsson\n    aliases: [Magnus, RGK, Rizana Talic]\n", 1)
    text = text.replace('meetings:\n  start: "11:00"\n', 'meetings:\n  start: "25:99"\n', 1)
    roster.write_text(text, encoding="utf-8")
    result = run_cli("check", str(root), "-f", "json")
    found = sorted((f["severity"], f["message"]) for f in json.loads(result.stdout)["findings"]
                   if f["file"].endswith("lgs.yaml"))
    assert found == [
        ("error", "group AU: member 'Nobody Atall' is not in 'people:'"),
        ("error", "meetings.start: '25:99' is not a time (HH:MM)"),
        ("warning", "person 'Magnus Testsson': the alias 'Magnus' is also the first name of Magnus Frithiof, "
                    "who can no longer be found by it"),
        ("warning", "person 'Magnus Testsson': the alias 'RGK' is also an organisation, which an owner or a "
                    "filter means first"),
        ("warning", "person 'Magnus Testsson': the alias 'Rizana Talic' is also the name or an alias of "
                    "Rizana Talic: in the minutes it is ambiguous"),
    ]
    draft = run_cli("new-meeting", "-a", str(root), "--dry-run", "--today", "2026-11-26")
    assert draft.exit_code == 0 and 'start: "25:99"' not in draft.stdout


@pytest.mark.parametrize(("env", "colour"), [({"TERM": "xterm"}, True), ({"TERM": "dumb"}, False),
                                             ({"TERM": "xterm", "NO_COLOR": "1"}, False)])
def test_check_colours_a_terminal_as_the_listings_do(env: dict[str, str], colour: bool,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from lgs_cli import cmd_check

    class Terminal:
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert cmd_check._use_colour(Terminal()) is colour


def test_approving_minutes_that_cannot_be_read_names_the_file_and_the_problem(tmp_path: Path) -> None:
    text = DRAFT.read_text(encoding="utf-8").replace("status: draft", "status:draft")
    root, path = draft_archive(tmp_path, text.encode())
    r = run_cli("approve", "2024-02-02", "--by", "Anna Andersson", "--archive", str(root), "--today", "2024-02-10")
    assert r.exit_code == 1 and "no meeting on 2024-02-02" in r.stderr
    assert "2024/2024-02-02.md could not be read as a meeting (line 6:" in r.stderr
    assert "a colon and a space after the key" in r.stderr


def test_an_alias_shared_by_many_is_one_finding_of_bounded_length(tmp_path: Path) -> None:
    """Fifty people with one alias: one warning (not fifty, each naming the other
    forty-nine: that grew as the square of the roster)."""
    root = tmp_path / "minutes"
    shutil.copytree(MINUTES, root)
    people = "".join(f"  - name: Person Nummer{i}\n    aliases: [Socialchef]\n" for i in range(50))
    roster = root / "lgs.yaml"
    roster.write_text(roster.read_text(encoding="utf-8").replace("people:\n", "people:\n" + people, 1),
                      encoding="utf-8")
    findings = [f for f in json.loads(run_cli("check", str(root), "-f", "json").stdout)["findings"]
                if f["file"].endswith("lgs.yaml")]
    assert [f["message"] for f in findings] == [
        "person 'Person Nummer0': the alias 'Socialchef' is also the name or an alias of Person Nummer1, "
        "Person Nummer2, Person Nummer3 and 46 more: in the minutes it is ambiguous"]


def test_a_line_break_in_a_file_name_keeps_each_finding_on_one_line() -> None:
    d = Diagnostic("2026/2026-05-01\x1b[31mx\ny.md", 2, "LGS005", Severity.ERROR, "a message")
    text = format_text([d])
    assert text == "2026/2026-05-01\\x1b[31mx\\ny.md:2: error LGS005 a message\n"


def test_close_names_are_looked_for_a_bounded_number_of_times(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """"Did you mean …?" costs a comparison with every name of the roster: thousands of
    unknown names against thousands of people took minutes, so a run looks for at
    most SUGGESTIONS of them (each name once)."""
    monkeypatch.setattr(rules, "SUGGESTIONS", 3)
    typos = ["Magnus Frithiov", "Sandor Erikson", "Ulrika Boströmm", "Marcus Johanson", "Anneli Lobergg"]
    root = with_drafts(tmp_path, {"2026-01-09": "".join(
        f"- [ ] **Åtgärd A{i}:** Text.\n  - Ansvarig: {name}\n\n" for i, name in enumerate(typos + typos[:1], 1))})
    out = run_cli("check", str(root), "-f", "json").stdout
    hints = [f["hint"] for f in json.loads(out)["findings"] if f["code"] == "LGS105"]
    assert len(hints) == 6
    assert sum("Did you mean" in (h or "") for h in hints) == 4  # three names looked for, one of them twice
    # for the whole run, not for each file (the rules of one meeting run with a checker of their own)
    spread = with_drafts(tmp_path / "spread", {f"2026-0{i}-09": f"- [ ] **Åtgärd A1:** Text.\n  - Ansvarig: {name}\n"
                                               for i, name in enumerate(typos, 1)})
    out = run_cli("check", str(spread), "-f", "json").stdout
    hints = [f["hint"] for f in json.loads(out)["findings"] if f["code"] == "LGS105"]
    assert len(hints) == 5 and sum("Did you mean" in (h or "") for h in hints) == 3


def _checked_with(tmp_path: Path, *edits: tuple[str, str]) -> str:
    """``lgs check`` on the reports fixture with these edits of its 2024-01-12 minutes."""
    root = tmp_path / "arch"
    shutil.copytree(FIXTURES / "reports", root)
    jan = root / "2024" / "2024-01-12.md"
    text = jan.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    jan.write_text(text, encoding="utf-8")
    return run_cli("check", str(root), "--today", "2024-04-01").stdout


def test_two_people_on_one_attendance_line_are_told_apart_from_an_unknown_one(tmp_path: Path) -> None:
    found = _checked_with(tmp_path, ("  - Bo Berg, Tingsryd",
                                     "  - Bo Berg och Sofia Kumlin Rylow, Tingsryd\n  - Okänd Person, Tingsryd"))
    assert "Is it 2 people? Write one person per line ('- Bo Berg, …', '- Sofia Kumlin Rylow, …')" in found
    unknown = found.split("'Okänd Person' is not in the roster", 1)[1].split("\n")[1]
    assert "Add the person to 'people:'" in unknown


def test_listed_twice_names_both_lines_and_the_other_spelling(tmp_path: Path) -> None:
    root = build(tmp_path, CHECK / "cases" / "LGS111" / "fail")
    path = root / "2024" / "2024-02-02.md"
    path.write_text(path.read_text(encoding="utf-8").replace("  - anna andersson, Alvesta", "  - Anna, Alvesta"),
                    encoding="utf-8")
    found = run_cli("check", str(root), "--today", "2024-06-01").stdout
    assert "Anna (as Anna Andersson first) is listed twice: in 'attendees' (line 13) and in 'attendees' (line 16)" \
        in found, found
    assert "Bertil Berg is listed twice: in 'attendees' (line 14) and in 'absent' (line 18)" in found, found


def test_a_name_with_an_initial_is_pointed_to_the_one_person_it_fits(tmp_path: Path) -> None:
    found = _checked_with(tmp_path, ("  - Bo Berg, Tingsryd",
                                     "  - Ulrika B., Alvesta\n  - M. Frithiof, RGK\n  - Ulrika X, Alvesta"))
    assert "Did you mean 'Ulrika Boström'? Write the full name, or add 'Ulrika B.' to the person's aliases" in found
    assert "Did you mean 'Magnus Frithiof'? Write the full name, or add 'M. Frithiof'" in found
    assert "'Ulrika X' is not in the roster\n    hint: Add the person to 'people:'" in found


def test_two_people_in_a_list_of_names_or_with_a_comma_between_them(tmp_path: Path) -> None:
    found = _checked_with(tmp_path, ("  - Bo Berg, Tingsryd", "  - Bo Berg, Cecilia Dahl, Tingsryd"),
                          ("secretary: [Magnus Frithiof]", "secretary: [Magnus Frithiof och Ulrika Boström]"))
    assert "Is it 2 people? Name each in the list: secretary: [Magnus Frithiof, Ulrika Boström]." in found
    assert "'Cecilia Dahl' is a person: is it two people on one line?" in found


def test_a_group_owner_that_leaves_out_every_organisation_is_reported(tmp_path: Path) -> None:
    root = tmp_path / "arch"
    shutil.copytree(FIXTURES / "reports", root)
    with (root / "2024" / "2024-03-08.md").open("a", encoding="utf-8") as fh:
        fh.write("\n## 9. X\n\n- [ ] **Åtgärd A9:** x\n  - Ansvarig: Kommunerna (utom Alvesta, Lessebo, Ljungby, "
                 "Markaryd, Tingsryd, Uppvidinge, Växjö, Älmhult)\n"
                 "- [ ] **Åtgärd A10:** y\n  - Ansvarig: Kommunerna (utom Växjö)\n")
    found = run_cli("check", str(root), "--today", "2024-04-01").stdout
    assert found.count("leaves out every organisation") == 1
    assert "owner of 2024-03-08-A9 'Kommunerna' leaves out every organisation of Kommunerna" in found


def test_an_approval_dated_in_the_future_is_an_error(tmp_path: Path) -> None:
    """approved_on after today (a year typed wrong when approving by hand): LGS015,
    as an approval before the meeting is; on or before today it is fine."""
    future = _checked_with(tmp_path / "a", ("approved_on: not-recorded\n", "approved_on: 2025-01-15\n"))
    assert "LGS015" in future and "approved_on 2025-01-15 is in the future (today is 2024-04-01)" in future
    today = _checked_with(tmp_path / "b", ("approved_on: not-recorded\n", "approved_on: 2024-04-01\n"))
    assert "LGS015" not in today


def test_far_future_is_two_calendar_years_ahead(tmp_path: Path) -> None:
    """LGS012: "more than two years ahead" counts calendar years (two years from
    2026-11-27 span 29 February 2028: 731 days, not 730)."""
    from lgs_cli.rules import years_after

    assert years_after(dt.date(2026, 11, 27), 2) == dt.date(2028, 11, 27)
    assert years_after(dt.date(2024, 2, 29), 2) == dt.date(2026, 2, 28)
    root = tmp_path / "arch"
    shutil.copytree(FIXTURES / "reports", root)
    jan = root / "2024" / "2024-01-12.md"
    for day, flagged in (("2028-11-27", False), ("2028-11-28", True)):
        target = root / day[:4] / f"{day}.md"
        target.parent.mkdir(exist_ok=True)
        target.write_text(jan.read_text(encoding="utf-8").replace("date: 2024-01-12", f"date: {day}"),
                          encoding="utf-8")
        out = run_cli("check", str(root), "--today", "2026-11-27").stdout
        assert (f"the meeting date {day} is far in the future" in out) is flagged, out
        target.unlink()


def test_a_matter_carried_forward_is_looked_for_at_its_new_meeting(tmp_path: Path) -> None:
    """LGS209 follows a matter to where a follow-up carried it (U2: to 2024-04), and
    a meeting still to come (a scaffold: attendance not recorded) is not held yet."""
    root = build(tmp_path, CHECK / "cases" / "LGS209" / "pass")
    march = (root / "2024" / "2024-03-01.md").read_text(encoding="utf-8")
    head, _, _ = march.partition("# Ledningsgrupp")
    april = root / "2024" / "2024-04-05.md"
    april.write_text(head.replace("2024-03-01", "2024-04-05").replace("2024-03-08", "2024-04-12")
                     + "# Ledningsgrupp för samordning 2024-04-05\n\n## 1. Mötets öppnande\n\n"
                       "- **Beslut B1:** Dagordningen godkänns.\n  - Ansvarig: Ledningsgruppen\n", encoding="utf-8")
    found = run_cli("check", str(root), "--today", "2024-06-01").stdout
    assert "2024-04-05.md:" in found and "2024-02-02-U2, deferred to 2024-04, was neither settled" in found
    assert found.count("LGS209") == 1  # U1 and U3 were settled in March
    scaffold = april.read_text(encoding="utf-8").replace("status: approved", "status: draft")
    scaffold = scaffold.replace("attendees:", "attendees: not-recorded\nexpected:")
    for key in ("approved_by", "approved_on"):
        scaffold = re.sub(rf"(?m)^{key}: .*\n", "", scaffold)
    april.write_text(scaffold, encoding="utf-8")
    assert "LGS209" not in run_cli("check", str(root), "--today", "2024-04-01").stdout


def _deferral_archive(tmp_path: Path, till: str, later: dict[str, str]) -> Path:
    """The LGS209 fixture's February meeting (U1–U3 deferred) with U1 to ``till``,
    and approved meetings on the days of ``later`` with those bodies."""
    root = build(tmp_path, CHECK / "cases" / "LGS209" / "pass")
    (root / "2024" / "2024-03-01.md").unlink()
    feb = root / "2024" / "2024-02-02.md"
    text = feb.read_text(encoding="utf-8")
    feb.write_text(text.replace("  - Till: 2024-03\n", "  - Till: 2024-09\n")  # U2, U3: out of the way
                   .replace("  - Till: 2024-03 (marsmötet)", f"  - Till: {till}"), encoding="utf-8")
    head = text.partition("# Ledningsgrupp")[0]
    for day, body in later.items():
        (root / "2024" / f"{day}.md").write_text(
            head.replace("2024-02-02", day).replace("approved_on: 2024-02-09", f"approved_on: {day}")
            + f"# Ledningsgrupp för samordning {day}\n\n## 1. Mötets öppnande\n\n{body}", encoding="utf-8")
    return root


SILENT = "- **Beslut B1:** Dagordningen godkänns.\n  - Ansvarig: Ledningsgruppen\n"
SETTLES = SILENT + "\n- **Beslut B2:** Rutinen fastställs.\n  - Ansvarig: Ledningsgruppen\n  - Avser: 2024-02-02-U1\n"


@pytest.mark.parametrize(("till", "later", "reported_at"), [
    # settled at a later meeting: the approved minutes that missed it need no mending
    ("2024-03", {"2024-03-01": SILENT, "2024-04-05": SETTLES}, None),
    # two meetings in the month, settled at the second
    ("2024-03", {"2024-03-01": SILENT, "2024-03-15": SETTLES}, None),
    # still pending: reported at the first meeting of the month
    ("2024-03", {"2024-03-01": SILENT, "2024-03-15": SILENT, "2024-04-05": SILENT}, "2024-03-01"),
    # deferred to a day, and the month's meeting was held a week earlier
    ("2024-03-13", {"2024-03-06": SILENT}, "2024-03-06"),
    # no meeting in the month in the archive: not known to be missed
    ("2024-03", {"2024-04-05": SILENT}, None),
])
def test_lgs209_reports_a_matter_still_pending_at_the_meeting_of_its_month(
        tmp_path: Path, till: str, later: dict[str, str], reported_at: str | None) -> None:
    root = _deferral_archive(tmp_path, till, later)
    found = [ln for ln in run_cli("check", str(root), "--today", "2024-12-01").stdout.splitlines() if "LGS209" in ln]
    if reported_at is None:
        assert found == []
    else:
        (line,) = found
        assert f"{reported_at}.md:" in line and "2024-02-02-U1," in line


def test_lgs209_names_the_line_of_the_matter_not_a_longer_id(tmp_path: Path) -> None:
    """U1 is not found in "U10"; where the matter is not named, the first item's heading."""
    carried = ("- [ ] **Uppföljning 2024-02-02-U10:** Ingen sådan.\n  - Status: kvarstår\n\n" + SILENT)
    root = _deferral_archive(tmp_path, "2024-03", {"2024-03-01": carried})
    out = run_cli("check", str(root), "--today", "2024-12-01").stdout
    (line,) = [ln for ln in out.splitlines() if "LGS209" in ln]
    march = (root / "2024" / "2024-03-01.md").read_text(encoding="utf-8").split("\n")
    number = int(line.split(".md:", 1)[1].split(":", 1)[0])
    assert march[number - 1] == "## 1. Mötets öppnande", (number, line)


def test_hints_for_word_pastes_say_what_to_write(tmp_path: Path) -> None:
    """A status in other words names the one meant; an entry in a numbered list says
    so; a bold line that looks like an item shows the heading to write."""
    found = _checked_with(tmp_path, ("## 3. Konferens", "**3. Konferens – gemensam finansiering**\n\n"
                                     "1) **Beslut B7:** Ett beslut i en numrerad lista.\n\n"
                                     "- [ ] **Uppföljning 2023-12-01-A1:** Pågår.\n  - Status: pågår\n\n"
                                     "- [ ] **Uppföljning 2023-12-01-A2:** Klart.\n  - Status: Avslutad.\n\n"
                                     "## 3. Konferens"))
    assert "hint: Write it as an agenda item, a level-2 heading: '## 3. Konferens – gemensam finansiering'." in found
    assert "an item of a numbered list ('1)', '1.') is not read as one" in found
    assert "'pågår' is read as no status; if it means kvarstår, write 'Status: kvarstår'." in found
    assert "'Avslutad.' is read as no status; if it means klar, write 'Status: klar'." in found
    negated = _checked_with(tmp_path / "n", ("## 3. Konferens", "- [ ] **Uppföljning 2023-12-01-A1:** x\n"
                                             "  - Status: pågår ej\n\n## 3. Konferens"))
    assert "status 'pågår ej' must be" in negated and "if it means" not in negated  # not "kvarstår"


def test_owners_joined_by_a_slash_are_told_to_be_separated(tmp_path: Path) -> None:
    found = _checked_with(tmp_path, ("  - Ansvarig: Kommunerna\n", "  - Ansvarig: Kommunerna/AU\n"))
    assert "'Kommunerna/AU' does not resolve through the roster" in found
    assert "hint: Separate the owners with ',' or 'och': 'Kommunerna, AU'." in found


@pytest.mark.parametrize(("written", "hint"), [
    ("v. 14", "Write '2024-04-05 (v. 14)'?"),  # the week's Friday (meeting 2024-01-12)
    ("vecka 50", "Write '2024-12-13 (vecka 50)'?"),
    ("september", "Write '2024-09 (september)'?"),
    ("i december 2025", "Write '2025-12 (i december 2025)'?"),
    ("2025 december", "Write '2025-12 (2025 december)'?"),
    ("vecka 53", "Write '2027-01-01 (vecka 53)'?"),  # 2024, 2025 have no week 53: 2026's (Friday 1 Jan 2027)

    ("innan sommaren", "Write '2024-06 (innan sommaren)'?"),
    ("efter sommaren", "Write '2024-09 (efter sommaren)'?"),
    ("4/9 (septembermötet)", "Write '2024-09-04 (septembermötet)'?"),
    ("2024-12-32", "'2024-12-32' is no day or month of the calendar: correct it."),
    ("2024-13", "'2024-13' is no day or month of the calendar: correct it."),
    ("när det passar", "Write e.g. '2025-05-09 (ledningsgruppen 9 maj)'"),
    ("innan sommaren 2025", "Write '2025-06 (innan sommaren 2025)'?"),
    # no guess rather than a wrong one
    ("9/13", "Write e.g."), ("majoriteten", "Write e.g."), ("i höstas", "Write e.g."),
    ("inte i september", "Write e.g."), ("mars/april", "Write e.g."), ("efter mars", "Write e.g."),
    ("till hösten (2025)", "Write e.g."),
])
def test_a_deadline_in_words_gets_the_date_it_likely_means(tmp_path: Path, written: str, hint: str) -> None:
    found = _checked_with(tmp_path, ("  - Senast: 2024-02-09 (nästa möte)", f"  - Senast: {written}"))
    assert f"'Senast: {written}' is not a date" in found and f"hint: {hint}" in found, found


def test_an_attendance_of_deputies_only_still_checks_the_justerare(tmp_path: Path) -> None:
    """Every line under attendees: a deputy ("ersättare för"): someone came, so the
    justerare must be among them (LGS112) and approve checks it too."""
    root, path = draft_archive(tmp_path)
    text = path.read_text(encoding="utf-8")
    listed = "attendees:\n  - Anna Andersson, Alvesta\n  - Bertil Berg, Växjö\n  - Cecilia Carlsson, RGK\n"
    assert listed in text
    path.write_text(text.replace(listed, "justerare: [Anna Andersson]\nattendees:\n"
                                         "  - Cecilia Carlsson, RGK, ersättare för Bertil Berg\n"), encoding="utf-8")
    found = run_cli("check", str(root), "--today", "2024-02-10").stdout
    assert "LGS112" in found, found
    refused = run_cli("approve", "2024-02-02", "--by", "Anna Andersson", "--archive", str(root),
                      "--today", "2024-02-10")
    assert refused.exit_code == 1 and "not among the attendees" in refused.stderr


def test_every_changed_place_is_found_quickly_or_first_and_last_named() -> None:
    from lgs_cli.rules import _changed_places

    old = ["" if i % 2 else f"rad {i}" for i in range(900)]
    new = [ln + " x" if i % 50 == 0 else ln for i, ln in enumerate(old)]
    assert _changed_places(old, new) == list(range(1, 900, 50))
    big_old = ["" if i % 2 else f"rad {i}" for i in range(5000)]
    big_new = [ln + " x" if i % 50 == 0 else ln for i, ln in enumerate(big_old)]
    assert _changed_places(big_old, big_new) == [1, 4951]  # too long a stretch to compare: its ends
    assert _changed_places(["a", "b", "c"], ["a", "c"]) == [2]  # a removal: where it was
    # cut short: named once, at the new text's last line (the "" after a last line break is no line)
    cut_old = [f"rad {i}" if i % 2 else "" for i in range(6000)] + [""]
    cut_new = cut_old[:3017] + [""]
    assert _changed_places(cut_old, cut_new) == [3017]


def test_an_item_named_twice_in_partial_attendance_is_reported_once(tmp_path: Path) -> None:
    found = _checked_with(tmp_path, ("  - Bo Berg, Tingsryd",
                                     '  - name: Bo Berg\n    org: Tingsryd\n    items: ["Punkt 9", "9", "§ 1"]'))
    assert found.count("LGS115") == 1 and "Bo Berg came for item 9" in found
