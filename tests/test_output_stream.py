"""Piped tables are written line by line as they are made (memory at 30,000 rows);
the text must be exactly what ``console.print`` into a buffer, then stripping each
line's trailing white space, gave before. Two ways make it: lgs_cli.plaintable
(render_table, for a pipe) and Rich streamed through _LineStripper (the fallback,
_render_rich_table); tests/test_plaintable.py compares the first with Rich in depth."""

from __future__ import annotations

import io
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lgs_cli import output
from lgs_cli.names import sanitize
from lgs_cli.output import Column, Report


def _old_render(report: Report) -> str:
    """render_table as it was: the whole table printed into a StringIO first."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    out = io.StringIO()
    target = io.StringIO()
    console = output.make_console(out)
    console.file = target
    groups = report.groups or [(report.title or "", report.records)]
    every_row = [r for _, rows in groups for r in rows] + report.footer_rows
    for gi, (name, rows) in enumerate(groups):
        table = Table(title=Text(sanitize(name), style="bold") if name else None, title_justify="left",
                      box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False, header_style="bold",
                      collapse_padding=True, padding=(0, 0) if report.compact else (0, 1))
        all_rows = rows + (report.footer_rows if gi == len(groups) - 1 else [])
        columns = report.columns_for("table")
        for c in columns:
            natural = max([len(c.header)] + [len(line) for r in every_row
                                             for line in output.sanitize_keep_newlines(c.text(r)).split("\n")])
            table.add_column(c.header, no_wrap=not c.wrap, overflow="fold" if c.wrap else "ellipsis",
                             min_width=c.min_width if c.wrap else min(natural, c.max_width or natural),
                             max_width=c.max_width, justify=c.justify,  # type: ignore[arg-type]
                             ratio=1 if c.wrap else None)
        for r in all_rows:
            hot = bool(report.highlight_key and r.get(report.highlight_key))
            footer = r in report.footer_rows
            table.add_row(*(Text(output.sanitize_keep_newlines(c.text(r)),
                                 style="bold red" if hot else ("bold" if footer else "")) for c in columns),
                          end_section=False)
        if gi:
            console.print()
        console.print(table)
    return "".join(line.rstrip() + "\n" for line in target.getvalue().splitlines())


def _new_render(report: Report) -> str:
    out = io.StringIO()
    output.render_table(report, out)
    return out.getvalue()


def _rich_streamed(report: Report) -> str:
    out = io.StringIO()
    output._render_rich_table(report, out, is_tty=False)
    return out.getvalue()


CELL = st.text(alphabet=st.sampled_from(list("abc åäö–-  \n\t\u2028\u00a0x\x1b\u202eAB12.,")), max_size=40)


@st.composite
def reports(draw: st.DrawFn) -> Report:
    ncols = draw(st.integers(1, 4))
    columns = [Column(f"k{i}", draw(st.sampled_from(["ID", "Item", "Decision", "Owner  ", "Ä"])),
                      wrap=draw(st.booleans()), min_width=draw(st.sampled_from([None, 5, 20])),
                      justify=draw(st.sampled_from(["left", "right"])))
               for i in range(ncols)]

    def rows(n: int) -> list[dict[str, Any]]:
        return [{**{f"k{i}": draw(CELL) for i in range(ncols)}, "hot": draw(st.booleans())} for _ in range(n)]

    groups = None
    if draw(st.booleans()):
        groups = [(draw(st.sampled_from(["", "Grupp A", "B\u2028x"])), rows(draw(st.integers(0, 4))))
                  for _ in range(draw(st.integers(1, 3)))]
    return Report(records=rows(draw(st.integers(1, 8))), columns=columns, groups=groups,
                  highlight_key="hot" if draw(st.booleans()) else None, footer_rows=rows(draw(st.integers(0, 1))),
                  compact=draw(st.booleans()), title=draw(st.sampled_from([None, "Titel"])))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_streamed_table_is_what_print_gave(report: Report) -> None:
    old = _old_render(report)
    assert _new_render(report) == old
    assert _rich_streamed(report) == old


def test_long_table_crosses_many_chunks() -> None:
    records = [{"a": f"row {i} " + "ord " * (i % 30), "b": "x\u2028y" if i % 7 == 0 else str(i)} for i in range(3000)]
    report = Report(records=records, columns=[Column("a", "A", wrap=True, min_width=20), Column("b", "B")])
    new = _new_render(report)
    assert new == _old_render(report)
    assert _rich_streamed(report) == new
    assert len(new) > 4 * output._LineStripper.CHUNK  # really more than one chunk
    assert "row 2999" in new
