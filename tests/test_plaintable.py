"""Piped tables are drawn without Rich (lgs_cli.plaintable): the text must be what
Rich prints for the same table on a console without colour, each line's trailing
white space removed (what render_table wrote to a pipe before)."""

from __future__ import annotations

import ast
import io
import os
import random
import subprocess
import sys
import unicodedata
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from lgs_cli import output, plaintable
from lgs_cli.output import Column, Report
from lgs_cli.plaintable import PlainColumn, PlainTable, render_plain


class _EncodedIO(io.StringIO):
    """A text buffer that says it has an encoding (Rich draws box.ASCII for ASCII)."""

    def __init__(self, encoding: str) -> None:
        super().__init__()
        self._encoding = encoding

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._encoding


def rich_render(tables: list[PlainTable], width: int) -> str:
    """What Rich prints for the tables, as render_table gives them to it."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    ascii_box = any(t.ascii_box for t in tables)
    buf = _EncodedIO("ascii") if ascii_box else io.StringIO()
    console = Console(file=buf, width=width, color_system=None, no_color=True, force_terminal=False,
                      markup=False, emoji=False, highlight=False, soft_wrap=False)
    for i, t in enumerate(tables):
        table = Table(title=Text(t.title, style="bold") if t.title else None, title_justify="left",
                      box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False, header_style="bold",
                      collapse_padding=True, padding=(0, t.pad))
        for c in t.columns:
            table.add_column(c.header, no_wrap=c.no_wrap, overflow=c.overflow,  # type: ignore[arg-type]
                             min_width=c.min_width, max_width=c.max_width, justify=c.justify,  # type: ignore[arg-type]
                             ratio=c.ratio)
        styled = list(t.styled) + [False] * len(t.rows)
        for row, style in zip(t.rows, styled, strict=False):
            table.add_row(*(Text(text, style="bold red" if style else "") for text in row))
        if i:
            console.print()
        console.print(table)
    return "".join(line.rstrip() + "\n" for line in buf.getvalue().splitlines())


def plain_render(tables: list[PlainTable], width: int) -> str:
    return "".join(line + "\n" for line in render_plain(tables, width))


def check(tables: list[PlainTable], width: int) -> None:
    assert all(t.supported() for t in tables)
    assert plain_render(tables, width) == rich_render(tables, width)


def check_if_supported(tables: list[PlainTable], width: int) -> None:
    # (Tables render_plain would not draw as Rich does are left to Rich: see supported().)
    assume(all(t.supported() for t in tables))
    check(tables, width)


# --- strategies --------------------------------------------------------------------

SWEDISH = list("abcdefghijklmnopqrstuvwxyzåäöÅÄÖéüABCXYZ0123456789.,:;-–()/§!?")
WIDE = ["漢", "字", "ア", "プ", "リ", "한", "国", "語", "Ｆ", "😀", "🎉", "👍"]
ODD = ["\u0301", "\u0308", "\ufe0f", "❤", "\u00ad", "\u200b", "\x1b", "\x07", "\r", "\u2028", "\u00a0",
       "\t", "\u3000", "…", "→", "·", "ß", "ﬁ", "\u0085", "\x1c", "e\u0301", "👍🏽", "🇸🇪", "❤️", "\u200d"]
SPACES = [" ", " ", " ", "  ", "   "]
SPECIAL_CELLS = ["", " ", "\n", "a\n", "\nb", "  x  ", "–", "a\n\nb", "x" * 40, "\t", "a\tb"]


def random_word(rng: random.Random, exotic: bool) -> str:
    kind = rng.choice(["plain"] * 6 + ["long", "wide", "odd", "number"])
    if kind == "number":
        return str(rng.randrange(10 ** rng.randint(1, 8)))
    if kind == "long":  # longer than most columns: folded or cut with an ellipsis
        return "".join(rng.choices(SWEDISH, k=rng.randint(15, 70)))
    alphabet = SWEDISH + (WIDE * 4 if kind == "wide" and exotic else []) + (ODD if kind == "odd" and exotic else [])
    return "".join(rng.choices(alphabet, k=rng.randint(1, 12)))


def random_cell(rng: random.Random, exotic: bool) -> str:
    """Words (some longer than a column), one to three lines, now and then empty or
    only spaces; with ``exotic``: wide CJK characters, emoji, combining marks, tabs,
    control and separator characters."""
    if rng.random() < 0.1:
        return rng.choice(SPECIAL_CELLS)
    lines = []
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        text = "".join(random_word(rng, exotic) + rng.choice(SPACES) for _ in range(rng.randint(0, 14)))
        if rng.random() < 0.5:
            text = text.rstrip(" ")
        if rng.random() < 0.15:
            text = rng.choice(SPACES) + text
        lines.append(text)
    return "\n".join(lines)


HEADERS = ["ID", "ID / owner", "Item", "Decision", "What", "Due / status", "Age", "C/f", "Organisation",
           "2025-12-05", "Rate", "Ä", "Owner  ", "Location", "Attendees", "Möte ärende", "漢字の列", "a b c d e f"]


@st.composite
def report_tables(draw: st.DrawFn, exotic: bool = True, generic: bool = False) -> list[PlainTable]:
    """Tables as render_table builds them: the column parameters from Column
    (wrap, min_width, max_width, justify), a natural width over every group, padding
    (0, 1) or (0, 0) for a compact report, a title for each group or none.
    ``generic``: any parameters PlainColumn takes (centred columns, crop, ...)."""
    rng = draw(st.randoms(use_true_random=True))  # the cell texts (many characters: drawn cheaply)
    ncols = draw(st.integers(1, 6))
    pad = draw(st.sampled_from([1, 1, 0] + ([2] if generic else [])))
    ngroups = draw(st.sampled_from([1, 1, 2, 3]))
    groups = [[[random_cell(rng, exotic) for _ in range(ncols)] for _ in range(draw(st.integers(0, 6)))]
              for _ in range(ngroups)]
    if all(not g for g in groups):
        groups[-1].append([random_cell(rng, exotic) for _ in range(ncols)])
    columns = []
    for i in range(ncols):
        header = draw(st.sampled_from(HEADERS)) if draw(st.integers(0, 4)) else random_cell(rng, exotic)
        wrap = draw(st.booleans())
        justify = draw(st.sampled_from(["left", "left", "right"] + (["center"] if generic else [])))
        max_width = draw(st.sampled_from([None, None, None, 3, 8, 30]))
        natural = max([len(header)] + [len(line) for g in groups for row in g for line in row[i].split("\n")])
        if generic:
            columns.append(PlainColumn(header, no_wrap=draw(st.booleans()),
                                       overflow=draw(st.sampled_from(["fold", "ellipsis", "crop"])),
                                       min_width=draw(st.sampled_from([None, 0, 1, 4, 12, 40])),
                                       max_width=max_width, justify=justify))
        elif wrap:
            columns.append(PlainColumn(header, no_wrap=False, overflow="fold",
                                       min_width=draw(st.sampled_from([None, 5, 12, 20])), max_width=max_width,
                                       justify=justify, ratio=1))
        else:
            columns.append(PlainColumn(header, no_wrap=True, overflow="ellipsis",
                                       min_width=min(natural, max_width or natural), max_width=max_width,
                                       justify=justify))
    titles = st.sampled_from([None, "Titel", "AU", "Ledningsgruppen för samordning – beslut",
                              "Ärende " * 12, "漢字のタイトル" * 5, "a\tb", "x" * 90, "Å\tä–\tö"])
    if ngroups == 1:
        names = [draw(titles)]
    else:
        names = [draw(titles) or "Grupp" for _ in groups]
    return [PlainTable(columns, rows, title=name, pad=pad, styled=[draw(st.booleans()) for _ in rows])
            for name, rows in zip(names, groups, strict=True)]


# --- properties ----------------------------------------------------------------------

SETTINGS: dict[str, Any] = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}


@settings(max_examples=1000, **SETTINGS)
@given(report_tables(exotic=False), st.integers(20, 200))
def test_tables_of_minutes_text_are_what_rich_prints(tables: list[PlainTable], width: int) -> None:
    """Swedish text and punctuation: the fast path, where a character is one cell."""
    check_if_supported(tables, width)


@settings(max_examples=700, **SETTINGS)
@given(report_tables(), st.integers(20, 200))
def test_tables_with_wide_and_odd_characters_are_what_rich_prints(tables: list[PlainTable], width: int) -> None:
    """CJK, emoji, combining marks, tabs, control and separator characters."""
    check_if_supported(tables, width)


@settings(max_examples=300, **SETTINGS)
@given(report_tables(), st.integers(1, 19))
def test_narrow_consoles(tables: list[PlainTable], width: int) -> None:
    check_if_supported(tables, width)


@settings(max_examples=300, **SETTINGS)
@given(report_tables(generic=True), st.integers(1, 160))
def test_any_column_parameters(tables: list[PlainTable], width: int) -> None:
    """Parameters render_table does not use (centred, crop, wider padding) work too."""
    check_if_supported(tables, width)


@settings(max_examples=200, **SETTINGS)
@given(report_tables(), st.integers(20, 120))
def test_ascii_box(tables: list[PlainTable], width: int) -> None:
    """A console that cannot encode "─" gets Rich's box.ASCII."""
    for t in tables:
        t.ascii_box = True
    check_if_supported(tables, width)


@settings(max_examples=300, **SETTINGS)
@given(st.text(max_size=60), st.integers(1, 30), st.sampled_from(["left", "center", "right"]),
       st.sampled_from(["fold", "ellipsis", "crop"]), st.booleans())
def test_wrapping_any_text(text: str, width: int, justify: str, overflow: str, no_wrap: bool) -> None:
    """One cell of arbitrary Unicode text (compact, one column)."""
    table = PlainTable([PlainColumn("H", no_wrap=no_wrap, overflow=overflow, justify=justify)], [[text]], pad=0)
    check([table], width)


# --- examples ----------------------------------------------------------------------


def _cols(*specs: tuple[str, bool, int | None]) -> list[PlainColumn]:
    return [PlainColumn(h, no_wrap=not wrap, overflow="fold" if wrap else "ellipsis", min_width=m,
                        ratio=1 if wrap else None) for h, wrap, m in specs]


@pytest.mark.parametrize("width", [20, 40, 60, 80, 120])
def test_decisions_like_table(width: int) -> None:
    columns = _cols(("ID / owner", False, 15), ("Item", True, None), ("Decision", True, 20))
    rows = [["2023-10-06-B1\nSocialchefsnätverket", "2. Kommunöverläkare",
             "Frågan tas med till socialchefsnätverket för dialog och samlat svar."],
            ["2024-05-03-B2\nAU", "10. AMKs representation i ledningsgruppen",
             "Ledningsgruppen beslutar enligt förslag till beslut: att Roland Olofsson-Dolk representerar AMK."],
            ["x", "", "Ettväldigtlångtordsomintefårplatspåenradutanattvikasihopflergånger och mer"]]
    check([PlainTable(columns, rows, title="Beslut")], width)


def test_word_longer_than_the_column_is_folded() -> None:
    table = PlainTable(_cols(("A", False, 3), ("Text", True, None)), [["abc", "kort " + "x" * 50 + " slut"]])
    text = plain_render([table], 30)
    assert "x" * 25 + "\n" in text
    check([table], 30)


def test_cell_that_does_not_wrap_ends_with_an_ellipsis() -> None:
    table = PlainTable([PlainColumn("Namn", no_wrap=True, max_width=6), PlainColumn("B")], [["Ledningsgruppen", "b"]])
    assert "Ledni…  b" in plain_render([table], 40)
    check([table], 40)


def test_header_is_aligned_to_the_bottom_and_cells_to_the_top() -> None:
    table = PlainTable(_cols(("Ett långt huvud", True, 5), ("H", False, 1)), [["a b c d e f g h", "x"]])
    check([table], 12)
    lines = plain_render([table], 12).splitlines()
    assert lines == ["Ett långt", "huvud      H", "────────────", "a b c d e  x", "f g h"]


def test_wide_characters_cut_at_the_console_edge() -> None:
    columns = [PlainColumn("漢字", no_wrap=True, min_width=10), PlainColumn("B", no_wrap=True, min_width=30)]
    table = PlainTable(columns, [["漢字漢字漢字", "語" * 20], ["ab", "😀x" * 10]], title="タイトル" * 20)
    for width in range(20, 45):
        check([table], width)


def test_groups_titles_and_a_blank_line_between() -> None:
    columns = _cols(("ID", False, 5), ("What", True, 20))
    tables = [PlainTable(columns, [["A1", "gör något"]], title="Grupp A"),
              PlainTable(columns, [], title="Grupp B"),
              PlainTable(columns, [["A3", "mer\n\nrader"]], title="Grupp C")]
    check(tables, 50)
    assert "\n\nGrupp B\n" in plain_render(tables, 50)


def test_compact_matrix() -> None:
    columns = [PlainColumn("Organisation", no_wrap=True, min_width=16)]
    columns += [PlainColumn(f"2025-0{i}-01", no_wrap=True, min_width=10) for i in range(1, 8)]
    columns.append(PlainColumn("Rate", no_wrap=True, min_width=4, justify="right"))
    rows = [["Region Kronoberg", *["3 H* (2a)"] * 7, "100%"], ["Älmhult", *["–"] * 7, "89%"]]
    for width in (40, 80, 100):
        check([PlainTable(columns, rows, pad=0)], width)


def test_no_columns_and_no_rows() -> None:
    check([PlainTable([], [])], 80)
    check([PlainTable(_cols(("A", False, 1)), [], title="T")], 80)


def test_styled_text_with_a_tab_and_wide_characters_is_left_to_rich() -> None:
    columns = _cols(("ID", True, None), ("B", True, None))
    rows = [["\tv\u200d", "a\tb"], ["\t漢字", "x"]]
    assert PlainTable(columns, rows).supported()
    check([PlainTable(columns, rows)], 6)
    assert not PlainTable(columns, rows, styled=[True, False]).supported()
    assert not PlainTable(columns, rows, styled=[False, True]).supported()
    assert PlainTable(columns, [["a\tb", "–\t…"]], styled=[True]).supported()  # one-cell characters only
    assert not PlainTable(columns, [], title="漢\tx").supported()
    assert PlainTable(columns, [], title="Grupp\tA").supported()


def test_fast_characters_are_one_cell_in_every_unicode_version() -> None:
    from rich._unicode_data._versions import VERSIONS
    from rich.cells import _SINGLE_CELLS, get_character_cell_size

    assert _SINGLE_CELLS <= plaintable.FAST_CHARS  # where Rich itself uses len()
    for ch in plaintable.FAST_CHARS:
        assert ch not in "\u200d\ufe0f\n\r\t\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
        assert ch in _SINGLE_CELLS or unicodedata.category(ch) not in ("Mn", "Me", "Cf", "Cc", "Zl", "Zp")
        for version in VERSIONS:  # (so a mix of them is measured as Rich measures it)
            assert get_character_cell_size(ch, version) == 1, (hex(ord(ch)), version)


@pytest.mark.parametrize("version", ["4.1.0", "9.0.0", "latest"])
def test_unicode_version_from_the_environment(monkeypatch: pytest.MonkeyPatch, version: str) -> None:
    """Rich measures with the table $UNICODE_VERSION names; so do the slow paths here."""
    from rich import cells
    from rich._unicode_data import load

    monkeypatch.setenv("UNICODE_VERSION", version)
    load.cache_clear()
    cells.cached_cell_len.cache_clear()
    cells.get_character_cell_size.cache_clear()
    try:
        columns = _cols(("Emoji", True, 4), ("B", False, 2))
        rows = [["🫠 🫨 🩷 ok 🛜 x " * 4, "🫠🫠"], ["\u231a \u2614 ⛔ ✅", "ok"]]
        for width in (20, 30, 45):
            check([PlainTable(columns, rows, title="🫠 titel")], width)
    finally:
        monkeypatch.delenv("UNICODE_VERSION")
        load.cache_clear()
        cells.cached_cell_len.cache_clear()
        cells.get_character_cell_size.cache_clear()


# --- render_table: the plain path and the Rich path agree ---------------------------


@st.composite
def reports(draw: st.DrawFn) -> Report:
    rng = draw(st.randoms(use_true_random=True))
    ncols = draw(st.integers(1, 5))
    columns = [Column(f"k{i}", draw(st.sampled_from(HEADERS)), wrap=draw(st.booleans()),
                      min_width=draw(st.sampled_from([None, 5, 12, 20])),
                      max_width=draw(st.sampled_from([None, None, 6, 30])),
                      justify=draw(st.sampled_from(["left", "right"])))
               for i in range(ncols)]

    def rows(n: int) -> list[dict[str, Any]]:
        return [{**{f"k{i}": random_cell(rng, True) for i in range(ncols)}, "hot": draw(st.booleans())} for _ in range(n)]

    groups = None
    if draw(st.booleans()):
        groups = [(draw(st.sampled_from(["", "Grupp A", "B\u2028x", "Ärende " * 15])), rows(draw(st.integers(0, 4))))
                  for _ in range(draw(st.integers(1, 3)))]
    return Report(records=rows(draw(st.integers(1, 8))), columns=columns, groups=groups,
                  highlight_key="hot" if draw(st.booleans()) else None, footer_rows=rows(draw(st.integers(0, 1))),
                  compact=draw(st.booleans()), title=draw(st.sampled_from([None, "Titel"])))


def _via_rich(report: Report) -> str:
    out = io.StringIO()
    output._render_rich_table(report, out, is_tty=False)
    return out.getvalue()


@settings(max_examples=400, **SETTINGS)
@given(reports(), st.sampled_from(["20", "33", "60", "80", "123", "200", None]))
def test_render_table_plain_path_is_the_rich_path(report: Report, columns: str | None) -> None:
    env = os.environ.copy()
    try:
        if columns is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = columns
        rich = _via_rich(report)
        plain = io.StringIO()
        if output._render_plain_table(report, plain):
            assert plain.getvalue() == rich
        else:  # left to Rich (a styled cell with a tab and wide characters)
            assert plain.getvalue() == ""
        out = io.StringIO()
        output.render_table(report, out)  # a StringIO is not a terminal: the plain path (if it can)
        assert out.getvalue() == rich
    finally:
        os.environ.clear()
        os.environ.update(env)


@example(justify="full")
@given(st.sampled_from(["full", "default"]))
def test_justification_rich_has_and_plain_does_not_goes_to_rich(justify: str) -> None:
    report = Report(records=[{"a": "x y z " * 20}], columns=[Column("a", "A", wrap=True, justify=justify)])
    assert not output._render_plain_table(report, io.StringIO())
    out = io.StringIO()
    output.render_table(report, out)
    assert out.getvalue() == _via_rich(report)


def test_long_table_is_written_in_batches() -> None:
    records = [{"a": f"row {i} " + "ord " * (i % 30), "b": "x\u2028y" if i % 7 == 0 else str(i)} for i in range(3000)]
    report = Report(records=records, columns=[Column("a", "A", wrap=True, min_width=20), Column("b", "B")])

    class Counting(io.StringIO):
        writes = 0

        def write(self, text: str) -> int:
            self.writes += 1
            return super().write(text)

    out = Counting()
    output.render_table(report, out)
    assert out.getvalue() == _via_rich(report)
    assert 1 < out.writes < 10


def test_piped_table_does_not_import_rich() -> None:
    listing = "print(sorted(m for m in sys.modules if m == 'rich' or m.startswith('rich.')))"
    code = (
        "import io, sys\n"
        "from lgs_cli.output import Column, Report, emit, OutputFormat\n"
        "r = Report(records=[{'a': 'ett två tre 漢字 😀', 'b': 1}], columns=[Column('a', 'A', wrap=True), Column('b', 'B')])\n"
        "emit(r, OutputFormat.table, out=io.StringIO())\n"
        f"{listing}\n"
    )

    def rich_modules(code: str) -> set[str]:
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        return set(ast.literal_eval(proc.stdout))

    used = rich_modules(code)
    assert "rich.cells" in used  # for the CJK text and the emoji
    assert used <= rich_modules(f"import sys, rich.cells\nrich.cells.cell_len('漢')\n{listing}\n")  # and nothing more of Rich
    assert not {"rich.console", "rich.table", "rich.text"} & used
    # text of one-cell characters only: no Rich at all
    assert rich_modules(code.replace(" 漢字 😀", "")) == set()
