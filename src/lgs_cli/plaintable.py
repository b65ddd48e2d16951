"""Plain-text tables without Rich: the text Rich draws for a piped table, much faster.

When the output is not a terminal, :func:`lgs_cli.output.render_table` prints a
Rich ``Table`` (box SIMPLE_HEAD, ``show_edge=False``, ``pad_edge=False``,
``expand=False``, ``collapse_padding=True``) with no colour and no styles, and
strips each line's trailing white space. Rich takes about 0.25 ms a row for
that (and 15-25 ms to import); this module makes the same text, byte for byte,
in pure Python: the same column measurement and width collapsing, the same word
wrapping (``Text.wrap``: ``divide_line``, folding of over-long words, ellipsis
for columns that do not wrap, justification), the same vertical alignment, title
and cropping to the console width. Each step below names the Rich code it
follows (rich 15: table.py, text.py, _wrap.py, measure.py, padding.py,
containers.py, segment.py, cells.py); tests/test_plaintable.py compares the two
on random tables.

Cell widths: a string whose characters are all in :data:`FAST_CHARS` (one
terminal cell each in every Unicode version Rich knows, none combining or
zero-width) is as wide as it is long. Anything else (wide CJK characters, emoji,
combining marks, tabs) is measured with ``rich.cells``, imported only then.

Nothing here imports Rich at module level, nor typer.
"""

from __future__ import annotations

import os
import re
import sys
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

# Characters one cell wide in every Unicode version of rich.cells, none of them
# combining, zero-width, a line separator or a control character: Rich's own
# single-cell ranges (rich.cells._SINGLE_CELL_UNICODE_RANGES, for which Rich itself
# uses len()) and some more that tests/test_plaintable.py checks against every
# table of rich._unicode_data (dashes, quotes, bullets, "…", currency signs, arrows).
_FAST_RANGES = (
    (0x20, 0x7E),  # ASCII
    (0xA0, 0xAC),  # Latin-1 (no soft hyphen)
    (0xAE, 0x2FF),  # Latin-1, Latin Extended, IPA, spacing modifiers (åäöé)
    (0x370, 0x482),  # Greek, Cyrillic
    (0x48A, 0x52F),  # Cyrillic
    (0x2010, 0x2027),  # dashes, quotes, bullets, "…"
    (0x2030, 0x205E),  # per mille, primes, ...
    (0x20A0, 0x20C0),  # currency signs
    (0x2100, 0x218B),  # letterlike symbols, number forms
    (0x2190, 0x22FF),  # arrows, mathematical operators
    (0x2500, 0x25FC),  # box drawing (the header rule), blocks, shapes
    (0x2800, 0x28FF),  # Braille
)
FAST_CHARS = frozenset("".join(["".join(map(chr, range(lo, hi + 1))) for lo, hi in _FAST_RANGES]))
_is_fast = FAST_CHARS.issuperset
_is_fast_nl = (FAST_CHARS | {"\n"}).issuperset
_is_fast_tab_nl = (FAST_CHARS | {"\n", "\t"}).issuperset

# rich.control.strip_control_codes: what rich.text.Text removes from its text.
_STRIP_CONTROL = {7: None, 8: None, 11: None, 12: None, 13: None}
# Where str.splitlines breaks a line besides "\n" and "\r" (which the output cannot hold here).
_LINE_BREAKS = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_RE_WORD = re.compile(r"\s*\S+\s*")  # rich._wrap.re_word
_RE_WORD_SPLIT = re.compile(r"(\s*\S+)\s*")  # the same, the word without the white space after it
_RE_TRAILING_WS = re.compile(r"\s+$")  # rich.text._re_whitespace
_TAB_SIZE = 8  # Console.tab_size
JUSTIFY = frozenset({"left", "center", "right"})
OVERFLOW = frozenset({"fold", "ellipsis", "crop"})


@dataclass(slots=True)
class PlainColumn:
    """The arguments ``Table.add_column`` gets."""

    header: str
    no_wrap: bool = False
    overflow: str = "ellipsis"  # "fold", "ellipsis" or "crop"
    min_width: int | None = None
    max_width: int | None = None
    justify: str = "left"  # "left", "center" or "right"
    # Rich uses a column's ratio only for tables that expand (expand=True or a fixed
    # width); these tables never do, so it changes nothing. Kept to say what Rich gets.
    ratio: int | None = None


@dataclass(slots=True)
class PlainTable:
    """A table as render_table gives it to Rich: ``Table(title=..., box=SIMPLE_HEAD,
    show_edge=False, pad_edge=False, expand=False, collapse_padding=True,
    padding=(0, pad))`` with ``add_column`` for each column and ``add_row`` (of
    plain text cells) for each row."""

    columns: list[PlainColumn]
    rows: Sequence[Sequence[str]] = field(default_factory=list)
    title: str | None = None
    pad: int = 1  # padding=(0, pad): 1 normally, 0 for a compact table
    ascii_box: bool = False  # the console cannot encode "─": Rich draws box.ASCII instead
    # Which rows have a style (render_table: highlighted rows, the footer); none if empty.
    # Colours do not show, but a styled Text with a tab is printed in several segments.
    styled: Sequence[bool] = ()

    def supported(self) -> bool:
        """Whether :func:`render_plain` draws this table as Rich would (else use Rich).

        Not for a styled text (a title, a styled row's cell) with a tab and characters
        not in FAST_CHARS: Rich prints it in one segment for each tab (Text.expand_tabs
        gives each part a span), and where it is cut, padded or measured depends on
        that (a zero-width joiner, a combining mark at the start of a segment)."""
        if self.pad < 0 or not all(c.justify in JUSTIFY and c.overflow in OVERFLOW for c in self.columns):
            return False
        if self.title and "\t" in self.title and not _is_fast_tab_nl(self.title):
            return False
        for row, styled in zip(self.rows, self.styled, strict=False):
            if styled and any("\t" in text and not _is_fast_tab_nl(text) for text in row):
                return False
        return True


def render_plain(tables: Iterable[PlainTable], width: int) -> Iterator[str]:
    """The lines (without "\\n", trailing white space removed) of ``console.print(table)``
    for each table, with ``console.print()`` (a blank line) between them, on a console
    ``width`` cells wide with no colour: what render_table writes to a pipe."""
    for i, table in enumerate(tables):
        if i:
            yield ""
        yield from _render_table(table, width)


# --- cells (rich.cells) ------------------------------------------------------------

_rich_cells: Any = None


def _cells() -> Any:
    global _rich_cells
    if _rich_cells is None:
        from rich import cells  # noqa: PLC0415 - only for text that is not all one-cell characters

        _rich_cells = cells
    return _rich_cells


def cells_token() -> str:
    """What :mod:`rich.cells` measures with (its module and its Unicode tables), read
    from the files without importing Rich: text drawn and kept between runs (the
    decisions table's memo) is drawn again when Rich's idea of a character's width
    may have changed."""
    for folder in sys.path:
        base = os.path.join(folder or ".", "rich")
        try:
            with open(os.path.join(base, "cells.py"), "rb") as fh:
                parts = [f"cells {zlib.crc32(fh.read())} {os.environ.get('UNICODE_VERSION', 'latest')}"]
        except OSError:
            continue
        try:
            with os.scandir(os.path.join(base, "_unicode_data")) as it:
                parts += sorted(f"{e.name} {e.stat().st_size}" for e in it if e.name.endswith(".py"))
        except OSError:
            pass
        return "; ".join(parts)
    return "no rich"


def cell_len(text: str) -> int:
    """rich.cells.cell_len"""
    if _is_fast(text):
        return len(text)
    return int(_cells().cell_len(text))


def set_cell_size(text: str, total: int) -> str:
    """rich.cells.set_cell_size: crop or pad with spaces to ``total`` cells."""
    if total >= 0 and _is_fast(text):
        size = len(text)
        return text + " " * (total - size) if size < total else text[:total]
    return str(_cells().set_cell_size(text, total))


def chop_cells(text: str, width: int) -> list[str]:
    """rich.cells.chop_cells: pieces of at most ``width`` cells."""
    if width > 0 and _is_fast(text):
        return [text[i : i + width] for i in range(0, len(text), width)]
    return list(_cells().chop_cells(text, width))


# --- measuring (Table._measure_column, Measurement.get, Padding/Text.__rich_measure__)


def _text_width(text: str) -> int:
    """The widest line of a cell: the maximum of Text.__rich_measure__."""
    if _is_fast_nl(text):
        if "\n" in text:
            return max(map(len, text.split("\n")))
        return len(text)
    text = text.translate(_STRIP_CONTROL)
    return max((_line_width(line) for line in text.splitlines()), default=0)


def _line_width(line: str) -> int:
    """cell_len; a tab is no cell wide (a control character), so rich.cells is not
    needed for a line of FAST_CHARS and tabs."""
    if "\t" in line:
        plain = line.replace("\t", "")
        if _is_fast(plain):
            return len(plain)
    return cell_len(line)


def _measure(widest: int, pad: int, column: PlainColumn, max_width: int) -> int:
    """The maximum of Table._measure_column for a column whose widest cell (header
    included) is ``widest`` and whose right padding is ``pad``, with ``max_width``
    cells available. (Only the maximum decides column widths in a table that does
    not expand; the minimum is never used.)"""
    if max_width < 1:
        return 0
    # Each cell: Measurement.get(Padding(text)) = min(text + padding, max_width)
    # (also when max_width - pad < 1, where Padding says max_width); the column: the
    # largest, with_maximum(max_width), then clamp(min_width + pad, max_width + pad).
    maximum = min(widest + pad, max_width)
    if column.min_width is not None:
        maximum = max(maximum, max(0, column.min_width + pad))
    if column.max_width is not None:
        maximum = min(maximum, column.max_width + pad)
    return maximum


def ratio_reduce(total: int, ratios: list[int], maximums: list[int], values: list[int]) -> list[int]:
    """rich._ratio.ratio_reduce"""
    ratios = [ratio if _max else 0 for ratio, _max in zip(ratios, maximums, strict=True)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    total_remaining = total
    result: list[int] = []
    for ratio, maximum, value in zip(ratios, maximums, values, strict=True):
        if ratio and total_ratio > 0:
            distributed = min(maximum, round(ratio * total_remaining / total_ratio))
            result.append(value - distributed)
            total_remaining -= distributed
            total_ratio -= ratio
        else:
            result.append(value)
    return result


def collapse_widths(widths: list[int], wrapable: list[bool], max_width: int) -> list[int]:
    """rich.table.Table._collapse_widths"""
    total_width = sum(widths)
    excess_width = total_width - max_width
    if any(wrapable):
        while total_width and excess_width > 0:
            max_column = max(width for width, allow_wrap in zip(widths, wrapable, strict=True) if allow_wrap)
            second_max_column = max(
                width if allow_wrap and width != max_column else 0
                for width, allow_wrap in zip(widths, wrapable, strict=True)
            )
            column_difference = max_column - second_max_column
            ratios = [
                (1 if (width == max_column and allow_wrap) else 0)
                for width, allow_wrap in zip(widths, wrapable, strict=True)
            ]
            if not any(ratios) or not column_difference:
                break
            max_reduce = [min(excess_width, column_difference)] * len(widths)
            widths = ratio_reduce(excess_width, ratios, max_reduce, widths)
            total_width = sum(widths)
            excess_width = total_width - max_width
    return widths


def column_widths(widest: list[int], pads: list[int], columns: list[PlainColumn], max_width: int) -> list[int]:
    """Table._calculate_column_widths for a table that does not expand and has no
    minimum width (``max_width``: the console width less the column dividers)."""
    widths = [_measure(w, p, c, max_width) or 1 for w, p, c in zip(widest, pads, columns, strict=True)]
    if sum(widths) > max_width:
        widths = collapse_widths(widths, [not c.no_wrap for c in columns], max_width)
        table_width = sum(widths)
        if table_width > max_width:  # last resort, reduce columns evenly
            widths = ratio_reduce(table_width - max_width, [1] * len(widths), widths, widths)
        widths = [_measure(w, p, c, width) or 0 for w, p, c, width in zip(widest, pads, columns, widths, strict=True)]
    return widths


# --- wrapping (Text.wrap and what it calls) ---------------------------------------


def _expand_tabs(line: str) -> str:
    """Text.expand_tabs for a line without "\\n"."""
    parts = line.split("\t")
    pieces = [part + "\t" for part in parts[:-1]]
    if parts[-1]:
        pieces.append(parts[-1])
    out: list[str] = []
    position = 0
    for piece in pieces:
        if piece.endswith("\t"):
            piece = piece[:-1] + " "
            position += cell_len(piece)
            remainder = position % _TAB_SIZE
            if remainder:
                spaces = _TAB_SIZE - remainder
                piece += " " * spaces
                position += spaces
        else:
            position += cell_len(piece)
        out.append(piece)
    return "".join(out)


def divide_line(text: str, width: int, fold: bool = True) -> list[int]:
    """rich._wrap.divide_line: the offsets where ``text`` is broken into lines."""
    break_positions: list[int] = []
    append = break_positions.append
    cell_offset = 0
    match = _RE_WORD.match(text, 0)
    while match is not None:
        start, end = match.span()
        word = match.group(0)
        word_length = cell_len(word.rstrip())
        if width - cell_offset >= word_length:
            cell_offset += cell_len(word)
        elif word_length > width:
            if fold:
                folded_word = chop_cells(word, width)
                last_index = len(folded_word) - 1
                for index, line in enumerate(folded_word):
                    if start:
                        append(start)
                    if index == last_index:
                        cell_offset = cell_len(line)
                    else:
                        start += len(line)
            else:
                if start:
                    append(start)
                cell_offset = cell_len(word)
        elif cell_offset and start:
            append(start)
            cell_offset = cell_len(word)
        match = _RE_WORD.match(text, end)
    return break_positions


def _rstrip_end(text: str, size: int) -> str:
    """Text.rstrip_end"""
    length = len(text)
    if length > size:
        match = _RE_TRAILING_WS.search(text)
        if match is not None:
            text = text[: -min(len(match.group(0)), length - size)]
    return text


def _truncate(text: str, max_width: int, overflow: str, pad: bool = False) -> str:
    """Text.truncate"""
    length = cell_len(text)
    if length > max_width:
        if overflow == "ellipsis":
            text = set_cell_size(text, max_width - 1) + "…"
        else:
            text = set_cell_size(text, max_width)
    if pad and length < max_width:
        text += " " * (max_width - length)
    return text


def wrap_line(line: str, width: int, justify: str, overflow: str, no_wrap: bool) -> list[str]:
    """Text.wrap for one line (no "\\n") of a Text without styles, with
    Lines.justify; ``width`` >= 1."""
    if "\t" in line:
        line = _expand_tabs(line)
    if no_wrap:
        new_lines = [line]
    else:
        offsets = divide_line(line, width, fold=overflow == "fold")
        if offsets:
            bounds = [0, *offsets, len(line)]
            new_lines = [line[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
        else:
            new_lines = [line]
        new_lines = [_rstrip_end(x, width) for x in new_lines]
    if justify == "left":
        new_lines = [_truncate(x, width, overflow, pad=True) for x in new_lines]
    elif justify == "center":
        centred = []
        for x in new_lines:
            x = _truncate(x.rstrip(), width, overflow)
            x = " " * ((width - cell_len(x)) // 2) + x
            centred.append(x + " " * (width - cell_len(x)))
        new_lines = centred
    elif justify == "right":
        new_lines = [" " * (width - cell_len(x)) + x for x in (_truncate(y.rstrip(), width, overflow) for y in new_lines)]
    return [_truncate(x, width, overflow) for x in new_lines]


def _wrap_fast(line: str, width: int, justify: str, overflow: str, no_wrap: bool) -> list[str]:
    """wrap_line for a line of FAST_CHARS only (a character is a cell: lengths are
    widths, cutting is slicing); the same steps."""
    if no_wrap:
        new_lines = [line]
    else:
        # divide_line
        breaks: list[int] = []
        append = breaks.append
        offset = 0
        for match in _RE_WORD_SPLIT.finditer(line):
            start, end = match.span()
            word_length = match.end(1) - start  # the word without the white space after it
            if width - offset >= word_length:
                offset += end - start
            elif word_length > width:
                size = end - start
                if overflow == "fold":  # chop_cells: pieces of width characters
                    last = start + (size - 1) // width * width
                    for position in range(start, last + 1, width):
                        if position:
                            append(position)
                    offset = end - last
                else:
                    if start:
                        append(start)
                    offset = size
            elif offset and start:
                append(start)
                offset = end - start
        if breaks:
            bounds = [0, *breaks, len(line)]
            new_lines = [_rstrip_end(line[a:b], width) for a, b in zip(bounds, bounds[1:], strict=False)]
        else:
            new_lines = [_rstrip_end(line, width)]
    ellipsis = overflow == "ellipsis"
    out: list[str] = []
    for x in new_lines:
        if justify != "left":
            x = x.rstrip()
        if len(x) > width:  # truncate
            x = x[: width - 1] + "…" if ellipsis else x[:width]
        excess = width - len(x)
        if justify == "left":
            x += " " * excess
        elif justify == "right":
            x = " " * excess + x
        else:
            x = " " * (excess // 2) + x + " " * (excess - excess // 2)
        out.append(x)
    return out


def _fit_fast(line: str, width: int, justify: str) -> str:
    """_wrap_fast of a line no longer than ``width``: no break, nothing cut, justified."""
    if justify == "left":
        return line + " " * (width - len(line))
    stripped = line.rstrip()
    excess = width - len(stripped)
    if justify == "right":
        return " " * excess + stripped
    return " " * (excess // 2) + stripped + " " * (excess - excess // 2)


def _fast_cell_lines(text: str, width: int, column: PlainColumn) -> list[str]:
    """cell_lines of a text of FAST_CHARS (and "\n"): each line ``width`` long."""
    if "\n" not in text:
        if len(text) <= width:
            return [_fit_fast(text, width, column.justify)]
        return _wrap_fast(text, width, column.justify, column.overflow, column.no_wrap)
    out: list[str] = []
    for line in text.split("\n"):
        if len(line) <= width:
            out.append(_fit_fast(line, width, column.justify))
        else:
            out.extend(_wrap_fast(line, width, column.justify, column.overflow, column.no_wrap))
    return out


def cell_lines(text: str, width: int, column: PlainColumn) -> list[str]:
    """``Text(text).wrap(width)`` with the column's justify, overflow and no_wrap:
    the lines of a cell (``width`` >= 1). Lines of FAST_CHARS are ``width`` long."""
    if _is_fast_nl(text):
        return _fast_cell_lines(text, width, column)
    out: list[str] = []
    for line in text.translate(_STRIP_CONTROL).split("\n"):
        out.extend(wrap_line(line, width, column.justify, column.overflow, column.no_wrap))
    return out


# --- the table (Table.__rich_console__, Table._render, Console.print) ---------------


def adjust_line_length(segments: list[str], length: int, pad: bool = True) -> list[str]:
    """Segment.adjust_line_length: pad (with ``pad``) or crop a line of segments to
    ``length`` cells. Each segment is measured alone, as Rich does (a zero width
    joiner at the end of one does not join the next)."""
    line_length = sum(map(cell_len, segments))
    if line_length < length:
        return [*segments, " " * (length - line_length)] if pad else segments
    if line_length > length:
        out: list[str] = []
        used = 0
        for segment in segments:
            size = cell_len(segment)
            if used + size < length:
                out.append(segment)
                used += size
            else:
                out.append(set_cell_size(segment, length - used))
                break
        return out
    return segments


def _finish(line: str, plain: bool) -> Iterator[str]:
    """One printed line as the pipe gets it: cut where str.splitlines cuts the whole
    output (only a line with characters other than FAST_CHARS can hold such a
    separator), trailing white space removed."""
    if plain or _LINE_BREAKS.search(line) is None:
        yield line.rstrip()
    else:
        for part in (line + "\n").splitlines():
            yield part.rstrip()


def rows_widest(rows: Iterable[Sequence[str]], ncols: int) -> list[int]:
    """The widest line (in cells) of each column's cells, headers not included."""
    widest = [0] * ncols
    for row in rows:
        for index, text in enumerate(row):
            if _is_fast_nl(text):
                size = max(map(len, text.split("\n"))) if "\n" in text else len(text)
            else:
                size = _text_width(text)
            if size > widest[index]:
                widest[index] = size
    return widest


class Layout:
    """A table's columns fitted to the console: draws its title, header and rows.

    ``widest``: the widest line of each column's cells (:func:`rows_widest`, over
    every row the table will have); the headers are measured here."""

    def __init__(self, table: PlainTable, width: int, widest: Sequence[int]) -> None:
        columns = self.columns = table.columns
        ncols = len(columns)
        self.table, self.width = table, width
        padded = self.padded = table.pad > 0  # Table._get_cells wraps each cell in Padding (else the Text)
        pads = [table.pad if i < ncols - 1 else 0 for i in range(ncols)] if padded else [0] * ncols
        self.divider = "|" if table.ascii_box else " "
        self.rule_chars = ("-", "+") if table.ascii_box else ("─", "─")
        # Measure: the widest line of each column, header included.
        widest = [max(_text_width(column.header), w) for column, w in zip(columns, widest, strict=True)]
        widths = self.widths = column_widths(widest, pads, columns, max(0, width - (ncols - 1)))
        self.table_width = sum(widths) + ncols - 1
        self.crop = self.table_width > width
        # A cell line: its text (content cells), then its padding (Padding's right side);
        # a blank line: spaces as wide as the column.
        self.content = [w - p for w, p in zip(widths, pads, strict=True)]
        self.blanks = [" " * max(0, c) for c in self.content]
        self.right = [" " * min(p, w) for w, p in zip(widths, pads, strict=True)]
        self.full_blanks = [" " * w for w in widths]

    def title(self) -> Iterator[str]:
        """The title: Text.wrap at the table's width, "fold", justified left; cut to the console."""
        title = (self.table.title or "").translate(_STRIP_CONTROL)
        if title and self.table_width >= 1:
            plain_title = _is_fast_nl(title)
            for line in title.split("\n"):
                for part in wrap_line(line, self.table_width, "left", "fold", False):
                    yield from _finish("".join(adjust_line_length([part], self.width, pad=False)), plain_title)

    def head(self) -> Iterator[str]:
        """The header row and the rule under it."""
        yield from self.row([column.header for column in self.columns], header=True)
        rule, cross = self.rule_chars
        yield (cross.join(rule * w for w in self.widths)[: self.width]).rstrip()

    def row(self, cells: Sequence[str], header: bool = False) -> Iterator[str]:
        """The lines of one row."""
        if all(map(_is_fast_nl, cells)):
            return self._fast_row(cells, header)
        return self._any_row(cells, header)

    def _fast_row(self, cells: Sequence[str], header: bool) -> Iterator[str]:
        """A row of FAST_CHARS only: every cell line is exactly as wide as its column."""
        width, crop, divider = self.width, self.crop, self.divider
        blocks = [_fast_cell_lines(text, size, column) if size >= 1 else []
                  for column, text, size in zip(self.columns, cells, self.content, strict=True)]
        height = max(1, max(map(len, blocks)))
        if height == 1:
            line = divider.join([(block[0] if block else blank) + spaces
                                 for block, blank, spaces in zip(blocks, self.blanks, self.right, strict=True)])
            yield (line[:width] if crop else line).rstrip()
            return
        shaped = []
        for block, blank in zip(blocks, self.blanks, strict=True):
            missing = height - len(block)
            # Segment.align_bottom for the header, align_top for the others
            shaped.append([blank] * missing + block if header else block + [blank] * missing)
        for line_no in range(height):
            line = divider.join([lines[line_no] + spaces for lines, spaces in zip(shaped, self.right, strict=True)])
            yield (line[:width] if crop else line).rstrip()

    def _any_row(self, cells: Sequence[str], header: bool) -> Iterator[str]:
        """Any row, segment by segment as Table._render makes it."""
        blocks: list[list[list[str]]] = []
        for column, text, size, w, spaces in zip(self.columns, cells, self.content, self.widths, self.right,
                                                 strict=True):
            block: list[list[str]] = []
            if w >= 1 and size >= 1:  # else console.render draws nothing
                for line in cell_lines(text, size, column):
                    # console.render_lines(Text): each line to the width
                    segments = adjust_line_length([line], size)
                    if self.padded:  # Padding: its right side; the table's render_lines of it
                        segments = adjust_line_length([*segments, spaces] if spaces else segments, w)
                    block.append(adjust_line_length(segments, w))  # Segment.set_shape
            blocks.append(block)
        height = max(1, max(map(len, blocks)))
        shaped = []
        for block, blank in zip(blocks, self.full_blanks, strict=True):
            missing = height - len(block)
            shaped.append([[blank]] * missing + block if header else block + [[blank]] * missing)
        for line_no in range(height):
            segments = []
            for index, lines in enumerate(shaped):
                if index:
                    segments.append(self.divider)
                segments.extend(lines[line_no])
            yield from _finish("".join(adjust_line_length(segments, self.width, pad=False)), False)


def _render_table(table: PlainTable, width: int) -> Iterator[str]:
    if not table.columns:  # Table.__rich_console__ prints a blank line for a table without columns
        yield ""
        return
    layout = Layout(table, width, rows_widest(table.rows, len(table.columns)))
    yield from layout.title()
    yield from layout.head()
    for row in table.rows:
        yield from layout.row(row)
