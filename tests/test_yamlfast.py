"""The YAML fast path (lgs_cli.yamlfast) reads exactly what the full loader reads,
or declines: on every real, fixture, hostile and generated file, and on
Hypothesis documents built from YAML's awkward pieces."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, MINUTES, ROOT, bench_generator
from lgs_cli import yamlfast, yamlloader, yamlsafe
from lgs_cli.names import has_unsafe_chars

SETTINGS = settings(max_examples=int(os.environ.get("LGS_HYPOTHESIS_EXAMPLES", "150")) * 4, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def same(a: Any, b: Any) -> bool:
    """Equal values of equal types (True is not 1), with equal lines, in the same order."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return (list(a) == list(b) and all(same(a[k], b[k]) for k in a)
                and a.lines == b.lines)  # type: ignore[attr-defined]
    if isinstance(a, list):
        return (len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
                and a.lines == b.lines)  # type: ignore[attr-defined]
    return bool(a == b)


def full(text: str) -> Any:
    """The full loader's answer: a value, or the problem it raises."""
    try:
        return yamlloader.load(text)
    except yamlsafe.YamlProblem as exc:
        return exc


def agrees(text: str) -> Any:
    """Assert the fast path declines or gives what the full loader gives; its answer.
    For a text without control or bidi characters, also when the caller says so
    (``checked``: the parser's shortcut)."""
    fast = yamlfast.load(text)
    if fast is not None:
        expected = full(text)
        assert not isinstance(expected, Exception), (text, expected)
        assert same(fast, expected), (text, fast, expected)
    if not has_unsafe_chars(text):
        told = yamlfast.load(text, checked=True)
        assert (told is None) == (fast is None), text
        assert told is None or same(told, fast), text
    return fast


def front_matter(path: Path) -> str | None:
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except (UnicodeDecodeError, OSError):
        return None
    if not lines or lines[0].strip() != "---":
        return None
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return "\n".join(lines[1:i])
    return None


def yaml_texts(root: Path) -> list[tuple[Path, str]]:
    found = []
    for path in sorted(root.rglob("*")):
        if path.suffix == ".md" and path.is_file():
            text = front_matter(path)
        elif path.suffix in (".yaml", ".yml") and path.is_file():
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                text = None
        else:
            text = None
        if text is not None:
            found.append((path, text))
    return found


@pytest.mark.parametrize("root", [MINUTES, FIXTURES, ROOT / "tests" / "hostile", ROOT / "docs"],
                         ids=["minutes", "fixtures", "hostile", "docs"])
def test_every_file_of_the_repository_reads_the_same(root: Path) -> None:
    texts = yaml_texts(root)
    assert texts
    for _, text in texts:
        agrees(text)


def test_the_real_minutes_the_roster_and_generated_archives_take_the_fast_path(tmp_path: Path) -> None:
    bench_generator().generate(40, tmp_path, seed=11)
    for root in (MINUTES, tmp_path):
        texts = yaml_texts(root)
        assert len(texts) > 5
        for path, text in texts:
            assert agrees(text) is not None, path


@pytest.mark.parametrize("text", [
    "a: 1 # comment", "a: b: c", "a: b:", "a: |\n  x", "a: >\n  x", "a: &x 1\nb: *x", "a: !!str 1",
    "a: 'it''s'", 'a: "x\\ty"', "a: x\n  y", "a:\n  b: 1", "a:\n- x\n  y", "a: {b: 1}", "a: [b, [c]]",
    "a: [b: c]", "a: [b,]", "a: [b, ,c]", "a:\tb", "a: b\u2028c", "a: \ufeffb", "- a", "a", "", "# only",
    "a: 1\na: 2", "true: 1", "null: x", "a :b", "a: - b", "a:\n  - b\n - c", "a:\n  - b\n    c",
    "a:\n  - b: 1\n   c: 2", "a:\n  - b: 1\n      c: 2", "a:\n  - b:\n      - c", "%YAML 1.1\n---\na: 1",
    "a: 'x", 'a: "x', "a: x #", "a: ?x", "a: -1", "a: [-1]", "a: [1:2]", "a: ~x", "a: @x", "a: `x",
    "  a: 1", "a:\n-", "a:\n- ", "a: \"x\" y", "a: 'x' y", "a: [x] y",
    # block scalars
    "a: >-\n  x\n  y\nb: 1", "a: >\n  x\n  y\n\n\nb: 1", "a: |\n  x\n    y\nb: 1", "a: |-\n  x\n  # y\n",
    "a: >-\n  x\n\n  y", "a: >-\n\n  x", "a: >-\n  x \n  y", "a: >-\n  x\n    y", "a: >-\nb: 1", "a: >-",
    "a: >+\n  x", "a: >2\n  x", "a: |\n  x\n \n", "a: |\n  x\n   \n", "a: |\n  x\n y", "- a: |\n    x",
    "a:\n  b: >-\n    x\n    y\n  c: 1", "a:\n- b: |\n    x\n  c: 1", "a: > # c\n  x",
    # nesting
    "a:\n  b:\n    c: 1\n  d: [2]\ne: 3", "a:\n  b:\n  - 1\n  - 2\n  c: 3", "a:\n  - b: 1\n    c:\n    - 2",
    "a:\n  - b: 1\n    c:\n      d: 2\n    e: 4", "a:\n  b: 1\n c: 2", "a:\n  b: 1\n   c: 2",
    "a:\n  - - 1", "a:\n  -\n    b: 1",
    # keys and comments
    "Region Kronoberg: 1", "Växjö:\n  kind: kommun  # c", "a b : 1", "a:b: 1", "1: x", "~: x", "a#b: 1", "[a]: 1",
    "a: x # c\nb: 'y'  # c\nc: [1] # c\nd: # c\ne: \"z\"# c", "a: C# x", "a: x#y", "- a # c", "a:\n  - # c",
    "a:  # c\n  - x # c\n  - 'y' # c", "a: 'x' #", "a: [x] #c #d", "? a\n: b", "a: 'b' 'c'", "-x: 1",
    # flow mappings
    "a: {b: 1, c: 'd', e: ~}", "a: {b: 1, b: 2}", "a: {b:1}", "a: {b : 1}", "a: {b: }", "a: {b}", "a: {}",
    "a: {b: [1]}", "a: {b: c: d}", "a: {'b': 1}", "a: {1: x}", "a: {b: 1} # c", "a:\n  - {org: X, title: gäst}",
    "a: {b: 1,}", "a: {b: x y, c: -}", "a: {b: 1}}", "a: {: b}", "a: {b: : c}",
    # found by review: document markers, libyaml's key length, nesting PyYAML cannot construct
    "... a: b\n", "x: 1\n... a: b\n", "x:\n- a\n... b: c\n", "roles:\n...   - {org: Region Kronoberg}", "...: x",
    "x: 1\n--- \ny: 2", "x: 1\n---", "a: {" + "k" * 1024 + ": v}", "a: {" + "k" * 1025 + ": v}",
    "a: {x: 1,  " + "k" * 1025 + ": v}", "a: {'" + "k" * 1024 + "': v}",
    "".join(" " * i + "k:\n" for i in range(329)) + " " * 329 + "x: 1\n",
    "r:\n" + "".join("  " * i + "- k:\n" for i in range(170)) + "  " * 170 + "- x\n",
])
def test_awkward_documents_are_declined_or_read_the_same(text: str) -> None:
    agrees(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("a: 1\nb: true\nc: ~\nd:\ne: 007\nf: 11:00\ng: 'x'\nh: \"y z\"\ni: TRUE\nj: no\nk: 1.10\nl: -",
     None),  # the last line declines the whole document: "-" starts nothing the fast path knows
    ("a: 1\nb: true\nc: ~\nd:\ne: 007\nf: 11:00\ng: 'x'\nh: \"y z\"\ni: TRUE\nj: no\nk: 1.10",
     {"a": 1, "b": True, "c": None, "d": None, "e": "007", "f": "11:00", "g": "x", "h": "y z", "i": True,
      "j": "no", "k": "1.10"}),
    ("a:\n- x\n- name: N\n  org: O\n\n  # note\n- [1, \"2\", null]\nb: Vård & Kvalitet, sal [A]",
     {"a": ["x", {"name": "N", "org": "O"}, [1, "2", None]], "b": "Vård & Kvalitet, sal [A]"}),
])
def test_what_the_fast_path_reads(text: str, expected: Any) -> None:
    fast = agrees(text)
    if expected is None:
        assert fast is None
    else:
        assert fast == expected


@pytest.mark.parametrize("text", [
    "a:\n- x" + " " * 200_000 + "y\n", "a:\n- x" + " " * 200_000 + "#\n", "a:\n- x" + " " * 200_000 + "\n",
    "a: x" + " " * 200_000 + "y\n", "a" * 200_000 + ": x\n",
])
def test_long_lines_are_read_in_linear_time(text: str) -> None:
    # a pattern that backtracked (quadratic) took minutes here; now milliseconds
    agrees(text)


_PIECES = ["a", "b", "Anna Andersson", "Växjö", "1", "007", "-1", "true", "False", "null", "~", "no", "11:00",
           " ", "  ", ":", ": ", "#", " #", "-", "- ", "?", "'", '"', "\\", "[", "]", ",", "{", "}", "&x", "*x",
           "!x", "|", ">", "%", "@", "`", "\t", "\xa0", "é", "\u2028", "\x85", "\ufeff", "\x07", "=", "<<",
           "\ufffe", "\uffff"]
_HEADS = ["", "k: ", "k:", "key_2: ", "- ", "- k: ", "-", "  ", "# ", "true: ", "- - "]


@st.composite
def documents(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 8))):
        indent = " " * draw(st.sampled_from([0, 0, 0, 1, 2, 2, 3, 4]))
        head = draw(st.sampled_from(_HEADS))
        value = "".join(draw(st.lists(st.sampled_from(_PIECES), max_size=5)))
        if draw(st.booleans()):
            value = "[" + ", ".join(draw(st.lists(st.sampled_from(_PIECES), max_size=3))) + "]"
        lines.append(indent + head + value)
    return "\n".join(lines)


_KEYS = ["date", "status", "name", "org", "Växjö", "Region Kronoberg", "a b", "x_1", "true", "1", "n", "é"]
_PLAIN_PIECES = ["a", "Anna Andersson", "Växjö", "1", "007", "-1", "true", "null", "~", "11:00", " ", "é", ",",
                 "x#y", "(RGK)", "2025-04-04", "1.10", "ja", "=", "<<", "a-b", "\xa0"]
_WORD_PIECES = [p for p in _PIECES if p not in ("\t", "\u2028", "\x85", "\ufeff", "\x07")]


@st.composite
def scalars(draw: st.DrawFn, flow: bool = False) -> str:
    pieces = draw(st.sampled_from([_PLAIN_PIECES, _PLAIN_PIECES, _WORD_PIECES, _PIECES]))
    text = "".join(draw(st.lists(st.sampled_from(pieces), min_size=1, max_size=4)))
    quote = draw(st.sampled_from(["", "", '"', "'"]))
    return f"{quote}{text}{quote}"


@st.composite
def blocks(draw: st.DrawFn, indent: int, depth: int) -> list[str]:
    """A block mapping at ``indent``: its lines."""
    lines: list[str] = []
    pad = " " * indent
    for key in draw(st.lists(st.sampled_from(_KEYS), min_size=1, max_size=4)):
        comment = draw(st.sampled_from(["", "", " # c", "  #c"]))
        shape = draw(st.integers(0, 6 if depth < 2 else 3))
        if shape <= 1:
            lines.append(f"{pad}{key}: {draw(scalars())}{comment}")
        elif shape == 2:
            items = ", ".join(draw(st.lists(scalars(), max_size=3)))
            lines.append(f"{pad}{key}: " + draw(st.sampled_from([f"[{items}]", f"{{{items}}}"])) + comment)
        elif shape == 3:
            lines.append(f"{pad}{key}: " + draw(st.sampled_from([">-", ">", "|", "|-"])) + comment)
            deeper = " " * (indent + draw(st.integers(1, 3)))
            for _ in range(draw(st.integers(0, 3))):
                lines.append(deeper + draw(st.sampled_from(["", " ", "  "])) + draw(scalars()))
            lines.extend(draw(st.sampled_from([[], [""], ["", ""], [" "]])))
        elif shape == 4:
            lines.append(f"{pad}{key}:{comment}")
            lines.extend(draw(blocks(indent + draw(st.integers(1, 3)), depth + 1)))
        else:
            lines.append(f"{pad}{key}:{comment}")
            dash = " " * (indent + draw(st.integers(0, 2)))
            for _ in range(draw(st.integers(1, 3))):
                if draw(st.booleans()):
                    inner = draw(blocks(len(dash) + draw(st.integers(2, 3)), depth + 1))
                    first = inner[0].lstrip(" ")
                    lines.append(dash + "-" + " " * (len(inner[0]) - len(first) - len(dash) - 1) + first)
                    lines.extend(inner[1:])
                else:
                    lines.append(f"{dash}- {draw(scalars())}")
        if draw(st.integers(0, 5)) == 0:
            lines.append(draw(st.sampled_from(["", "# comment", "   # indented comment"])))
    return lines


@st.composite
def structured_documents(draw: st.DrawFn) -> str:
    lines = draw(blocks(0, 0))
    if draw(st.integers(0, 3)) == 0:  # a slip somewhere
        at = draw(st.integers(0, len(lines) - 1))
        cut = draw(st.integers(0, len(lines[at])))
        lines[at] = lines[at][:cut] + draw(st.sampled_from(_PIECES)) + lines[at][cut:]
    return "\n".join(lines) + draw(st.sampled_from(["", "\n", "\n\n"]))


@SETTINGS
@given(text=documents())
def test_hypothesis_documents_are_declined_or_read_the_same(text: str) -> None:
    agrees(text)


@SETTINGS
@given(text=structured_documents())
def test_structured_documents_are_declined_or_read_the_same(text: str) -> None:
    agrees(text)


@SETTINGS
@given(data=st.dictionaries(
    st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True),
    st.none() | st.booleans() | st.integers(-10**18 + 1, 10**18 - 1) | st.text(max_size=20)
    | st.lists(st.text(max_size=12) | st.integers(-99, 99)
               | st.dictionaries(st.sampled_from(["name", "org", "for"]), st.text(max_size=12), min_size=1),
               max_size=4),
    min_size=1, max_size=6), flow=st.none() | st.booleans(), unicode=st.booleans())
def test_dumped_documents_are_declined_or_read_the_same(data: dict[str, Any], flow: bool | None,
                                                       unicode: bool) -> None:
    import yaml

    agrees(yaml.safe_dump(data, default_flow_style=flow, allow_unicode=unicode, sort_keys=False, width=10_000))


# -- without libyaml ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("fast", "files", "noted"), [(False, 25, True), (False, 5, False), (True, 25, False)])
def test_many_files_read_without_libyaml_get_a_note(archive: Path, monkeypatch: pytest.MonkeyPatch,
                                                    fast: bool, files: int, noted: bool) -> None:
    from conftest import run_cli

    monkeypatch.setattr(yamlloader, "FAST", fast)
    monkeypatch.setattr(yamlsafe, "SLOW_LOADS", 0)
    source = (archive / "2025" / "2025-04-04.md").read_text(encoding="utf-8")
    # a value over two lines: left to PyYAML
    slow = source.replace("\nsource: Originalprotokoll (PDF/Word)", "\nsource: Originalprotokoll\n  (PDF/Word)", 1)
    assert yamlfast.load(slow.split("---\n")[1]) is None
    for n in range(files):
        (archive / "2025" / f"2025-01-{n + 1:02d}-kopia.md").write_text(
            slow.replace("date: 2025-04-04", f"date: 2025-01-{n + 1:02d}", 1), encoding="utf-8")
    result = run_cli("meetings", "--archive", str(archive), env={"LGS_NO_CACHE": "1", "LGS_JOBS": "1"})
    assert result.exit_code == 0, result.stderr
    assert ("has no libyaml" in result.stderr) is noted, result.stderr
    if noted:
        assert f"the front matter of {files} files" in result.stderr
