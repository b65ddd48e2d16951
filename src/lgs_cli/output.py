"""Rendering listings: one implementation of ``--format table|json|csv|markdown``.

A command builds a :class:`Report` (records for JSON, columns for the other
formats) and calls :func:`emit`. Data goes to stdout; counts and hints go to
stderr. Text from the minutes is always data: it is never parsed as Rich
markup, and control/escape/bidi characters are shown escaped.

Rich is imported only when a table is drawn on a terminal: piped tables are the
same text, made by :mod:`lgs_cli.plaintable` without Rich.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TextIO

from .entry import holds_unicode
from .names import has_unsafe_chars, json_safe, md_escape, sanitize


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


@dataclass(slots=True)
class Column:
    key: str
    header: str
    # How to turn the record value into display text (default: str / "").
    fmt: Callable[[Any], str] | None = None
    # Table layout hints: a wide text column wraps, others do not.
    wrap: bool = False
    min_width: int | None = None
    max_width: int | None = None
    justify: str = "left"
    style_key: str | None = None  # record key whose truthy value highlights the row cell
    # Only in these formats (e.g. {"table"} for a compact multi-line cell, {"csv", "markdown"}
    # for the plain columns it stands for); None: every format.
    formats: frozenset[str] | None = None

    def shown_in(self, fmt: str) -> bool:
        return self.formats is None or fmt in self.formats

    def text(self, record: dict[str, Any]) -> str:
        value = record.get(self.key)
        if self.fmt is not None:
            return self.fmt(value)
        if value is None:
            return ""
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, (list, tuple)):
            return ", ".join(str(v) for v in value)
        return str(value)


@dataclass(slots=True)
class Report:
    records: list[dict[str, Any]]
    columns: list[Column]
    title: str | None = None
    empty_message: str = "Nothing found."
    summary: str | None = None  # printed to stderr after the data
    highlight_key: str | None = None  # record key: truthy -> row stands out (e.g. overdue)
    # Overrides records for --format json when set; a function (no arguments) that
    # returns the data is called only then (a big report need not build it otherwise).
    json_data: Any = None
    groups: list[tuple[str, list[dict[str, Any]]]] | None = None  # grouped tables
    footer_rows: list[dict[str, Any]] = field(default_factory=list)
    compact: bool = False  # table: no padding between columns (a matrix of short cells)

    def columns_for(self, fmt: str) -> list[Column]:
        return [c for c in self.columns if c.shown_in(fmt)]


def choose_format(value: str, allowed: Sequence[str], option: str = "--format") -> str:
    """Validate a ``--format`` value of a command with its own set of formats.
    ``table`` and ``text`` name the same thing (the human format) everywhere."""
    from .errors import UsageError  # noqa: PLC0415

    chosen = value.strip().lower()
    if chosen in ("table", "text"):
        chosen = "text" if "text" in allowed else "table"
    if chosen not in allowed:
        raise UsageError(f"'{value}' is not one of {', '.join(allowed)}", option=option)
    return chosen


def stderr(message: str) -> None:
    sys.stderr.write(sanitize_keep_newlines(message) + "\n")
    sys.stderr.flush()


def sanitize_keep_newlines(text: str) -> str:
    if not has_unsafe_chars(text):  # the usual case: one search, no copy
        return text
    if "\n" not in text:
        return sanitize(text)
    return "\n".join(sanitize(part) for part in text.split("\n"))


def to_json(data: Any) -> str:
    # json_safe: control and bidi characters from the minutes become \uXXXX escapes.
    return json_safe(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def json_for(text: str, out: TextIO | None = None) -> str:
    """Serialised JSON as ``out`` (stdout) can hold it: escaped to ASCII where it
    cannot hold every character (JSON's own escapes: still valid, the same data)."""
    if holds_unicode(out or sys.stdout):
        return text
    from .names import json_ascii  # noqa: PLC0415

    return json_ascii(text)


def emit(report: Report, fmt: OutputFormat, *, out: TextIO | None = None, bom: bool = True, sep: str = ",") -> None:
    out = out or sys.stdout
    if fmt is OutputFormat.json:
        data = report.json_data if report.json_data is not None else report.records
        if callable(data):
            data = data()
        out.write(json_for(to_json(data), out) + "\n")
    elif fmt is OutputFormat.csv:  # the header also when nothing matched: a script reads the columns
        out.write(render_csv(report, bom=bom and holds_unicode(out), sep=sep))  # (a BOM only where it is UTF-8)
    elif not report.records and not report.groups:
        pass
    elif fmt is OutputFormat.markdown:
        out.write(render_markdown(report))
    else:
        render_table(report, out)
    out.flush()
    if not report.records and not report.groups:
        stderr(report.empty_message)
    elif report.summary:
        stderr(report.summary)


def render_csv(report: Report, *, bom: bool = True, sep: str = ",") -> str:
    buf = io.StringIO()
    if bom:
        buf.write("\ufeff")
    writer = csv.writer(buf, delimiter=sep, lineterminator="\r\n")
    columns = report.columns_for("csv")
    writer.writerow([c.header for c in columns])
    for record in _all_records(report) + report.footer_rows:
        writer.writerow([_csv_safe(sanitize_keep_newlines(c.text(record))) for c in columns])
    return buf.getvalue()


def _csv_safe(text: str) -> str:
    # Spreadsheet formula injection: a cell starting with = + - @ is data, not a formula.
    if text and text[0] in "=+-@" and not _looks_numeric(text):
        return "'" + text
    return text


def _looks_numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _all_records(report: Report) -> list[dict[str, Any]]:
    if report.groups:
        return [r for _, rows in report.groups for r in rows]
    return report.records


def md_cell(text: str) -> str:
    """A table cell of Markdown: the text inert (:func:`lgs_cli.names.md_escape`),
    its lines kept apart with ``<br>``."""
    return "<br>".join(md_escape(line) for line in text.split("\n"))


def render_markdown(report: Report) -> str:
    lines: list[str] = []
    if report.title:
        lines += [f"## {md_cell(report.title)}", ""]
    groups = report.groups or [("", report.records)]
    columns = report.columns_for("markdown")
    for gi, (name, rows) in enumerate(groups):
        if name:
            lines += [f"### {md_cell(name)}", ""]
        lines.append("| " + " | ".join(md_cell(c.header) for c in columns) + " |")
        lines.append("|" + "|".join("---:" if c.justify == "right" else "---" for c in columns) + "|")
        for r in rows + (report.footer_rows if gi == len(groups) - 1 else []):
            lines.append("| " + " | ".join(md_cell(c.text(r)) for c in columns) + " |")
        lines.append("")
    return "\n".join(lines)


def console_width() -> int:
    env = os.environ.get("COLUMNS")
    if env and env.isdigit() and int(env) > 20:
        return int(env)
    try:
        columns = os.get_terminal_size(sys.stdout.fileno()).columns
    except (OSError, ValueError, AttributeError):
        return 80
    if columns == 0:  # a pseudo-terminal that does not know its size
        return 80
    return max(40, columns)


def table_width(out: TextIO | None = None) -> int:
    """The width tables are drawn at: the terminal's, else $COLUMNS, else 80."""
    out = out or sys.stdout
    is_tty = hasattr(out, "isatty") and out.isatty()
    if os.environ.get("COLUMNS", "").isdigit() and not is_tty:
        return int(os.environ["COLUMNS"]) or 80
    return console_width() if is_tty else 80


def make_console(out: TextIO) -> Any:
    from rich.console import Console  # noqa: PLC0415 - lazy: Rich is slow to import

    is_tty = hasattr(out, "isatty") and out.isatty()
    return Console(
        file=out,
        width=table_width(out),
        markup=False,
        emoji=False,
        highlight=False,
        # NO_COLOR (set and not empty) and pipes give plain text: no colour, no bold.
        color_system=None if (os.environ.get("NO_COLOR") or not is_tty) else "auto",
        no_color=bool(os.environ.get("NO_COLOR")) or not is_tty,
        force_terminal=None if is_tty else False,
        soft_wrap=False,
    )


def render_table(report: Report, out: TextIO) -> None:
    is_tty = hasattr(out, "isatty") and out.isatty()
    columns = report.columns_for("table")
    cells, natural = _table_cells(report, columns)
    if is_tty or not _draw_plain(report, out, columns, cells, natural):
        _render_rich_table(report, out, is_tty, (cells, natural))
    out.flush()
    _note_hidden(report, columns, cells, natural, table_width(out))


def _note_hidden(report: Report, columns: list[Column], cells: list[list[list[str]]], natural: list[int],
                 width: int) -> None:
    """Say so (stderr) when the console is too narrow for some columns: the table
    leaves them out (as Rich does), which a reader would not notice."""
    pad = 0 if report.compact else 1
    # natural counts characters; a character is at most two cells wide
    if not columns or 2 * sum(natural) + (len(columns) - 1) * (1 + pad) <= width:
        return  # everything fits as it is
    from .plaintable import Layout, PlainTable, rows_widest  # noqa: PLC0415

    widest = rows_widest((row for table in cells for row in table), len(columns))
    _say_hidden(columns, Layout(PlainTable(_plain_columns(columns, natural), pad=pad), width, widest), width)


def _say_hidden(columns: list[Column], layout: Any, width: int) -> None:
    """:func:`_note_hidden` for a table laid out (:class:`lgs_cli.plaintable.Layout`)."""
    hidden, cut = [], []
    start = 0
    for column, size, full in zip(columns, layout.content, layout.widths, strict=True):
        if size < 1 or start + min(size, 1) > width:  # no room, or beyond the console's edge
            hidden.append(column.header)
        elif start + size > width:
            cut.append(column.header)
        start += full + 1
    what = [f"the column(s) {', '.join(hidden)} are left out" if hidden else "",
            f"{', '.join(cut)} is cut at the edge" if cut else ""]
    if hidden or cut:
        stderr(f"Note: {width} columns are too few: {'; '.join(w for w in what if w)}; "
               "widen the terminal (or COLUMNS), or use --format csv|markdown|json.")


def _cells(columns: list[Column], records: list[dict[str, Any]]) -> list[list[str]]:
    """The text of each cell of the rows of ``records``, safe for a terminal."""
    return [[sanitize_keep_newlines(c.text(r)) for c in columns] for r in records]


def _longest_lines(rows: Iterable[list[str]], natural: list[int]) -> list[int]:
    """``natural`` raised to each column's longest line in ``rows`` (in characters)."""
    for row in rows:
        for i, text in enumerate(row):
            size = max(len(line) for line in text.split("\n")) if "\n" in text else len(text)
            if size > natural[i]:
                natural[i] = size
    return natural


def _table_cells(report: Report, columns: list[Column]) -> tuple[list[list[list[str]]], list[int]]:
    """The text of every cell of every group's table (the footer rows after the last
    group's), and each column's natural width: its longest line over all groups."""
    groups = report.groups or [(report.title or "", report.records)]
    cells = [_cells(columns, rows) for _, rows in groups]
    cells[-1].extend(_cells(columns, report.footer_rows))
    return cells, _longest_lines((row for table in cells for row in table), [len(c.header) for c in columns])


def _plain_columns(columns: list[Column], natural: list[int]) -> list[Any]:
    """The PlainColumns of a table: the same column parameters as the Rich table
    (_render_rich_table). ``natural``: each column's longest line, header included."""
    from .plaintable import PlainColumn  # noqa: PLC0415

    return [
        PlainColumn(
            c.header,
            no_wrap=not c.wrap,
            overflow="fold" if c.wrap else "ellipsis",
            min_width=c.min_width if c.wrap else min(n, c.max_width or n),
            max_width=c.max_width,
            justify=c.justify,
            ratio=1 if c.wrap else None,
        )
        for c, n in zip(columns, natural, strict=True)
    ]


def plain_piped(out: TextIO) -> bool:
    """Whether a table on ``out`` is drawn by :mod:`lgs_cli.plaintable` (a pipe or a
    file, where Rich's text is made without Rich)."""
    if hasattr(out, "isatty") and out.isatty():
        return False
    # Rich on legacy Windows draws one cell narrower when $LINES is set (Console.size).
    return not (sys.platform == "win32" and os.environ.get("LINES", "").isdigit())


def render_by_meeting(columns: list[Column], chunks: Sequence[tuple[Any, Callable[[], list[dict[str, Any]]]]],
                      memo: Any, params: Any, out: TextIO) -> list[int]:
    """A piped table of rows that come meeting by meeting (``chunks``: a meeting and a
    function that gives its records), drawn as :func:`render_table` draws the report
    of all the records, with each meeting's lines kept in ``memo``
    (:class:`lgs_cli.memo.Memo`) between runs.

    A meeting's memo entry holds the measurements of its cells and its lines for
    one layout (``params``: whatever else the cells depend on, the column widths and
    the console width). Records are made only for meetings whose entry is missing
    or stale, and lines drawn only for those whose layout changed. Writes nothing
    when there are no rows. Gives the number of rows of each meeting.
    For a table without a title, groups, footer or highlighted rows, on a pipe
    (:func:`plain_piped`), not compact."""
    from .plaintable import Layout, PlainTable, rows_widest  # noqa: PLC0415

    columns = [c for c in columns if c.shown_in("table")]
    ncols = len(columns)
    made: dict[int, list[list[str]]] = {}

    def measure(index: int, records: Callable[[], list[dict[str, Any]]]) -> tuple[Any, ...]:
        cells = made[index] = _cells(columns, records())
        # the measurement depends on params too (Rich's cell widths; what the cells show)
        return (tuple(_longest_lines(cells, [0] * ncols)), tuple(rows_widest(cells, ncols)), len(cells), None, "",
                params)

    entries = []
    for index, (meeting, records) in enumerate(chunks):
        entry = memo.get(meeting, lambda index=index, records=records: measure(index, records))
        if entry[5] != params:  # measured for other params: measure again
            entry = measure(index, records)
        entries.append(entry)
    counts = [entry[2] for entry in entries]
    if not any(counts):
        memo.save()
        return counts
    natural = [max([len(c.header)] + [entry[0][i] for entry in entries]) for i, c in enumerate(columns)]
    widest = [max(entry[1][i] for entry in entries) for i in range(ncols)]
    width = table_width(out)
    layout = Layout(PlainTable(_plain_columns(columns, natural)), width, widest)
    key = (params, tuple(layout.widths), width)
    out.write("".join(line + "\n" for line in layout.head()))
    for index, ((meeting, records), entry) in enumerate(zip(chunks, entries, strict=True)):
        if not entry[2]:
            continue
        text = entry[4]
        if entry[3] != key:
            cells = made.get(index)
            if cells is None:
                measure(index, records)
                cells = made[index]
            text = "".join(line + "\n" for row in cells for line in layout.row(row))
            memo.put(meeting, (*entry[:3], key, text, params))
        out.write(text)
    memo.save()
    out.flush()
    _say_hidden(columns, layout, width)
    return counts


def _render_plain_table(report: Report, out: TextIO) -> bool:
    """Piped output: the text Rich would print (no colour, no styles, each line's
    trailing white space removed), drawn by :mod:`lgs_cli.plaintable` without Rich,
    written as it is made. False (nothing written) for a table it cannot draw
    exactly as Rich would: then Rich draws it."""
    columns = report.columns_for("table")
    return _draw_plain(report, out, columns, *_table_cells(report, columns))


def _draw_plain(report: Report, out: TextIO, columns: list[Column], cells: list[list[list[str]]],
                natural: list[int]) -> bool:
    """:func:`_render_plain_table` of the cells :func:`_table_cells` made."""
    from .plaintable import PlainTable, render_plain  # noqa: PLC0415

    if not plain_piped(out):
        return False
    groups = report.groups or [(report.title or "", report.records)]
    plain_columns = _plain_columns(columns, natural)
    # Rows with a style (as _render_rich_table styles them): it shows in how Rich
    # prints a cell with a tab (PlainTable.supported).
    key, footer = report.highlight_key, report.footer_rows
    styled = [[bool(key and r.get(key)) or r in footer for r in rows] for _, rows in groups]
    styled[-1].extend(True for _ in footer)
    # (Rich writes through _LineStripper, which has no encoding: UTF-8, box SIMPLE_HEAD.)
    tables = [
        PlainTable(plain_columns, rows, title=sanitize(name) if name else None, pad=0 if report.compact else 1,
                   styled=flags)
        for (name, _), rows, flags in zip(groups, cells, styled, strict=True)
    ]
    if not all(t.supported() for t in tables):
        return False
    batch: list[str] = []
    for line in render_plain(tables, table_width(out)):
        batch.append(line)
        if len(batch) >= 2048:
            batch.append("")
            out.write("\n".join(batch))
            batch = []
    if batch:
        batch.append("")
        out.write("\n".join(batch))
    return True


def _render_rich_table(report: Report, out: TextIO, is_tty: bool,
                       cells: tuple[list[list[list[str]]], list[int]] | None = None) -> None:
    """The table drawn by Rich, of the cells and widths :func:`_table_cells` makes
    (``cells``, when they are made already)."""
    from rich import box  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415
    from rich.text import Text  # noqa: PLC0415

    # Piped: drop the padding Rich puts at the end of each line, as the text streams out.
    stripper = None if is_tty else _LineStripper(out)
    console = make_console(out)
    if stripper is not None:
        console.file = stripper
    groups = report.groups or [(report.title or "", report.records)]
    columns = report.columns_for("table")
    texts, natural = cells or _table_cells(report, columns)
    for gi, (name, rows) in enumerate(groups):
        table = Table(
            title=Text(sanitize(name), style="bold") if name else None,
            title_justify="left",
            box=box.SIMPLE_HEAD,
            show_edge=False,
            pad_edge=False,
            expand=False,
            header_style="bold",
            collapse_padding=True,
            padding=(0, 0) if report.compact else (0, 1),
        )
        all_rows = rows + (report.footer_rows if gi == len(groups) - 1 else [])
        # Columns that do not wrap keep their full width; only text columns give way.
        # Measured over every group (natural), so grouped tables line up.
        for p in _plain_columns(columns, natural):
            table.add_column(p.header, no_wrap=p.no_wrap, overflow=p.overflow,
                             min_width=p.min_width, max_width=p.max_width, justify=p.justify,
                             ratio=p.ratio)
        for r, row in zip(all_rows, texts[gi], strict=True):
            hot = bool(report.highlight_key and r.get(report.highlight_key))
            footer = r in report.footer_rows
            style = "bold red" if hot else ("bold" if footer else "")
            table.add_row(*(Text(text, style=style) for text in row), end_section=False)
        if gi:
            console.print()
        if stripper is None:
            console.print(table)
        else:
            _print_streaming(console, table, stripper)
    if stripper is not None:
        stripper.close()


class _LineStripper:
    """A file for Rich that writes each line to ``out`` without its trailing white
    space: what ``"".join(line.rstrip() + "\n" for line in text.splitlines())`` makes
    of all that was written, without keeping all of it. Text is handled in chunks
    that end just after a "\n" (where ``splitlines`` of the whole text also breaks)."""

    CHUNK = 1 << 16

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.parts: list[str] = []
        self.size = 0

    def write(self, text: str) -> int:
        self.parts.append(text)
        self.size += len(text)
        if self.size >= self.CHUNK:
            data = "".join(self.parts)
            cut = data.rfind("\n") + 1
            self.parts = [data[cut:]] if cut < len(data) else []
            self.size = len(data) - cut
            self._emit(data[:cut])
        return len(text)

    def _emit(self, data: str) -> None:
        if data:
            self.out.write("".join(line.rstrip() + "\n" for line in data.splitlines()))

    def flush(self) -> None:
        pass

    def close(self) -> None:
        data = "".join(self.parts)
        self.parts, self.size = [], 0
        self._emit(data)


def _print_streaming(console: Any, renderable: Any, file: _LineStripper) -> None:
    """``console.print(renderable)`` for a console that is not a terminal, written
    line by line as it is rendered: ``print`` keeps every segment of the whole table
    in memory first (hundreds of MB for 30,000 rows; bench/RESULTS.md). Same steps
    as ``print`` (options, cropping to the width, ``_render_buffer``), one line at a time."""
    from rich.segment import Segment  # noqa: PLC0415

    options = console.options.update(justify=None, overflow=None, height=None, no_wrap=None,
                                     markup=None, highlight=None)
    lines = Segment.split_and_crop_lines(console.render(renderable, options), console.width, pad=False)
    render = console._render_buffer
    batch: list[Any] = []
    for line in lines:
        batch.extend(line)
        if len(batch) >= 4096:
            file.write(render(batch))
            batch = []
    if batch:
        file.write(render(batch))

