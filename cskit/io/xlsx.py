"""XLSX for people (SPEC §1.3): bold frozen header with filters, thousands
separators, dates as dates, fitted column widths, and a ``Parameters``
sheet recording how the workbook was made.

``cskit.io.write.write_report`` calls ``write_xlsx`` for ``.xlsx`` outputs;
formula-like text is neutralised by the same rule as in CSV.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from cskit.labels import present

MONEY_FORMAT = "#,##0.00"
INT_FORMAT = "#,##0"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


# Excel's own limits (per sheet): rows including the header, and columns
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
PERCENT_FORMAT = "0.0%"
WIDE_SHEET = 8  # columns from which a sheet prints landscape
TOTAL_WORDS = {"total", "totals", "合计", "总计"}
_WIDE_CHARS = r"[\x{2E81}-\x{10FFFF}]"  # characters two columns wide (CJK and beyond)


# --- Excel -------------------------------------------------------------------------
def _display_width(value) -> int:
    text = str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _column_format(series: pd.Series, name: str, override: str | None) -> str | None:
    """Money with two decimals and separators always (6,600.00 beside
    11,345.60), days and counts as integers, the rest by its values."""
    from cskit.labels import DAYS_COLUMNS, canonical_of, is_count, is_money

    money = is_money(name)
    if override and not (money and override in (INT_FORMAT, "#,##0", "0")):
        return override
    if pd.api.types.is_bool_dtype(series.dtype):
        return None
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        from cskit.io.write import _has_time

        return DATETIME_FORMAT if _has_time(series) else DATE_FORMAT
    if not pd.api.types.is_numeric_dtype(series.dtype):
        return None
    if money:
        return MONEY_FORMAT
    if canonical_of(name) in DAYS_COLUMNS or is_count(name) \
            or pd.api.types.is_integer_dtype(series.dtype):
        return INT_FORMAT
    values = series.dropna()
    if len(values) and (values == values.round(0)).all() and values.abs().max() < 1e15:
        return INT_FORMAT
    return MONEY_FORMAT


def _sheet_formats(formats: dict, sheet: str) -> dict[str, str]:
    flat = {k: v for k, v in formats.items() if isinstance(v, str)}
    flat.update(formats.get(sheet, {}) if isinstance(formats.get(sheet), dict) else {})
    return flat


def check_limits(sheets: dict[str, pd.DataFrame]) -> None:
    """A sheet wider than Excel allows cannot be written without losing
    columns: stop before anything is written, naming the limit."""
    from cskit.errors import OutputError
    from cskit.i18n import Text

    for name, frame in sheets.items():
        if len(frame.columns) > MAX_COLUMNS:
            raise OutputError(Text(
                "the {sheet} table has {n:,} columns; an Excel sheet holds at most {limit:,} columns: "
                "write it as CSV instead (-o FILE.csv)",
                "“{sheet}”表有 {n:,} 列，超出 Excel 工作表最多 {limit:,} 列的限制："
                "请改为输出 CSV（-o 文件名.csv）",
                sheet=name, n=len(frame.columns), limit=MAX_COLUMNS))


def split_rows(name: str, frame: pd.DataFrame, room: int) -> list[tuple[str, pd.DataFrame]]:
    """A table longer than a sheet holds, cut into sheets ``Open items``,
    ``Open items (2)`` … of ``room`` rows each (nothing is dropped)."""
    if len(frame) <= room:
        return [(name, frame)]
    parts = []
    for number, start in enumerate(range(0, len(frame), room), start=1):
        parts.append((name if number == 1 else f"{name} ({number})",
                      frame.iloc[start:start + room]))
    return parts


def _totals(frame: pd.DataFrame, lang: str) -> dict | None:
    """Column → total for a totals row: money to the cent, counts summed;
    None when the sheet has nothing to add up or already ends with one."""
    from cskit.labels import is_count, is_money
    from cskit.money import to_cents, to_yuan

    if not len(frame) or not len(frame.columns):
        return None
    first = frame.iloc[-1, 0]
    if isinstance(first, str) and first.strip().lower() in TOTAL_WORDS:
        return None
    row = {}
    for column in frame.columns:
        series = frame[column]
        if not pd.api.types.is_numeric_dtype(series.dtype) \
                or pd.api.types.is_bool_dtype(series.dtype):
            continue
        if is_money(str(column)):
            row[column] = float(to_yuan(int(to_cents(series.fillna(0)).sum())))
        elif is_count(str(column)):
            row[column] = int(series.fillna(0).sum())
    if not row:
        return None
    label_column = next((c for c in frame.columns if c not in row), None)
    if label_column is not None:
        row[label_column] = "合计" if lang == "zh" else "Total"
    return row


def write_xlsx(target, sheets: dict[str, pd.DataFrame], *, lang: str,
               parameters: list[tuple[str, str]] | None, formats: dict | None = None,
               highlight: dict[str, pd.DataFrame] | None = None,
               originals: dict[str, str] | None = None) -> None:
    """Write every sheet, styled for people and ready to print, plus
    ``Parameters``. A table longer than a sheet continues on ``Name (2)``;
    one wider than a sheet stops with a message (nothing is cut)."""
    import xlsxwriter

    from cskit.io.write import neutralize
    from cskit.io.write.sheetdata import (Cells, CellsSheet, dates_in, text_cells, value_cells,
                                          xf_index)

    check_limits(sheets)
    formats = formats or {}
    highlight = highlight or {}
    as_of = dict(parameters or []).get("as_of", "")
    book = xlsxwriter.Workbook(target, {"nan_inf_to_errors": True, "strings_to_numbers": False,
                                        "strings_to_formulas": False, "strings_to_urls": False,
                                        "default_date_format": DATE_FORMAT,
                                        "constant_memory": False})
    book.set_properties({"title": next(iter(sheets), "cskit"), "creator": "cskit"})
    header_fmt = book.add_format({"bold": True, "bg_color": "#1F4E79", "font_color": "#FFFFFF",
                                  "border": 1, "text_wrap": True, "valign": "vcenter"})
    cache: dict[tuple, object] = {}

    def fmt(number_format: str | None, fill: str | None = None, total: bool = False):
        key = (number_format, fill, total)
        if key not in cache:
            spec = {}
            if number_format:
                spec["num_format"] = number_format
            if fill:
                spec["bg_color"] = fill
                spec["font_color"] = "#006100" if fill == "#C6EFCE" else "#9C0006"
            if total:
                spec.update({"bold": True, "top": 2, "bg_color": "#F2F2F2"})
            cache[key] = book.add_format(spec) if spec else None
        return cache[key]

    def print_setup(sheet, title: str, columns: int) -> None:
        # A4, landscape when wide, one page wide, the header row on every page,
        # the page number and the as-of date in the footer
        sheet.set_paper(9)
        if columns >= WIDE_SHEET:
            sheet.set_landscape()
        sheet.fit_to_pages(1, 0)
        sheet.repeat_rows(0)
        sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        safe = title.replace("&", "&&")
        if lang == "zh":
            footer = f"&L{safe}&C第 &P 页，共 &N 页&R截至 {as_of}"
        else:
            footer = f"&L{safe}&CPage &P of &N&RAs of {as_of}"
        sheet.set_footer(footer)

    used_names: set[str] = set()
    for sheet_name, whole in sheets.items():
        labelled = present(whole, lang, originals)  # headers and coded cells as read
        shown_headers = [str(h) for h in labelled.columns]
        labelled.columns = whole.columns
        whole_frame = neutralize(labelled)
        per_sheet = _sheet_formats(formats, sheet_name)
        totals = _totals(whole, lang)
        column_formats = {column: _column_format(whole_frame[column], str(column),
                                                 per_sheet.get(str(column)))
                          for column in whole_frame.columns}
        room = MAX_ROWS - 1 - (1 if totals else 0)
        parts = split_rows(sheet_name, whole_frame, room)
        for part_name, frame in parts:
            title = _sheet_name(part_name, used_names)
            sheet = book.add_worksheet(title, worksheet_class=CellsSheet)
            header = _row_cells(*text_cells(shown_headers),
                                [xf_index(header_fmt)] * len(shown_headers))
            data = []
            for j, column in enumerate(frame.columns):
                number_format = column_formats[column]
                body, kind = value_cells(frame[column])
                cells = Cells(body, kind, np.full(len(frame), xf_index(fmt(number_format))))
                dated = dates_in(frame[column]) if number_format is None else None
                if dated is not None:  # a date among other things: as a date all the same
                    cells.style[dated] = xf_index(fmt(DATE_FORMAT))
                data.append(cells)
                sheet.set_column(j, j, _column_width(shown_headers[j], frame[column], number_format))
            _unit_percentages(data, frame, fmt)
            _highlights(data, frame, highlight.get(sheet_name), column_formats, fmt)
            last = totals and part_name == parts[-1][0]
            sheet.set_cells(header, data, _totals_cells(totals, frame, column_formats, fmt)
                            if last else None)
            sheet.freeze_panes(1, 0)
            if len(frame.columns):
                sheet.autofilter(0, 0, max(len(frame), 1), len(frame.columns) - 1)
            print_setup(sheet, title, len(frame.columns))
    if parameters is not None:
        title = _sheet_name("Parameters", used_names)
        sheet = book.add_worksheet(title)
        sheet.write_row(0, 0, ["parameter" if lang != "zh" else "参数",
                               "value" if lang != "zh" else "值"], header_fmt)
        from cskit.labels import parameter_name

        for i, (key, value) in enumerate(parameters, start=1):
            sheet.write_string(i, 0, parameter_name(str(key), lang))
            sheet.write_string(i, 1, _neutral_text(str(value)))
        sheet.set_column(0, 0, 22)
        sheet.set_column(1, 1, min(max([_display_width(v) for _, v in parameters] + [10]) + 2, 100))
        sheet.freeze_panes(1, 0)
        print_setup(sheet, title, 2)
    _close(book, sum(frame.size for frame in sheets.values()))


# a workbook of many cells is deflated at zlib's fastest level: 100,000 open
# items zip in 0.3 s instead of 1.2 s, into a file a quarter larger (7.5 →
# 9.4 MB); a small one keeps the default level, where speed does not matter
FAST_ZIP_CELLS = 200_000


def _close(book, cells: int) -> None:
    """Write the file. xlsxwriter has no setting for the level: its ZipFile
    is handed one while it closes (tests/test_xlsx.py checks the name it uses
    is still there)."""
    if cells < FAST_ZIP_CELLS:
        book.close()
        return
    import functools
    import zipfile

    import xlsxwriter.workbook as workbook

    original = workbook.ZipFile
    workbook.ZipFile = functools.partial(zipfile.ZipFile, compresslevel=1)
    try:
        book.close()
    finally:
        workbook.ZipFile = original


def _row_cells(body, kind, styles: list[int], blank: bool = False) -> list:
    """One row's cells (BODY and KIND over its columns) as one-cell columns."""
    from cskit.io.write.sheetdata import Cells

    cells = []
    for j, style in enumerate(styles):
        one_kind = kind if isinstance(kind, str) else kind.slice(j, 1)
        cells.append(Cells(body.slice(j, 1), one_kind, np.full(1, style),
                           np.full(1, blank) if blank else None))
    return cells


def _totals_cells(totals: dict, frame: pd.DataFrame, column_formats: dict, fmt) -> list:
    """The bold totals row: a value or a styled blank under every column."""
    from cskit.io.write.sheetdata import value_cells, xf_index

    values = [totals.get(column) for column in frame.columns]
    styles = [xf_index(fmt(column_formats[column] if not isinstance(value, str) else None,
                           total=True)) for column, value in zip(frame.columns, values)]
    body, kind = value_cells(pd.Series(values, dtype=object))
    return _row_cells(body, kind, styles, blank=True)


def _column_width(header: str, series: pd.Series, number_format: str | None) -> int:
    """Characters for a column: its header and its first 2,000 cells as
    shown (Chinese characters count two), within 8 to 60."""
    import pyarrow as pa
    import pyarrow.compute as pc

    sample = series.head(2000)
    kind = sample.dtype
    if pd.api.types.is_datetime64_any_dtype(kind):
        texts = [_cell_text(pd.Timestamp(0), number_format)] if sample.notna().any() else []
    elif pd.api.types.is_float_dtype(kind) and not isinstance(kind, pd.api.extensions.ExtensionDtype) \
            and number_format in (MONEY_FORMAT, INT_FORMAT):
        texts = [f"{v:,.2f}" for v in sample.dropna().tolist()]
    elif pd.api.types.is_string_dtype(kind) and not pd.api.types.is_object_dtype(kind):
        from cskit.io.write.sheetdata import arrow_text

        texts = arrow_text(sample).fill_null("")
    else:
        texts = [_cell_text(v, number_format) for v in sample.tolist()]
    array = pa.concat_arrays([pa.array([header], pa.string()),
                              pa.array(texts, pa.string()) if isinstance(texts, list) else texts])
    widths = pc.add(pc.utf8_length(array), pc.count_substring_regex(array, _WIDE_CHARS))
    return min(max(pc.max(widths).as_py() + 2, 8), 60)


def _unit_percentages(data: list, frame: pd.DataFrame, fmt) -> None:
    """A long KPI table mixes units in one column: its ratio rows show
    value and target as percentages (95.0%), days and hours with one
    decimal (76.8), the others as the command asks."""
    if "unit" not in frame.columns:
        return
    unit = frame["unit"].astype("string")
    ratio = unit.eq("ratio").fillna(False).to_numpy(dtype=bool)
    days = unit.isin(["days", "hours"]).fillna(False).to_numpy(dtype=bool)
    if not ratio.any() and not days.any():
        return
    from cskit.io.write.sheetdata import xf_index

    for j, column in enumerate(frame.columns):
        if column not in ("value", "target"):
            continue
        present = data[j].body.is_valid().to_numpy(zero_copy_only=False)
        for rows, number_format in ((ratio, PERCENT_FORMAT), (days, "#,##0.0")):
            if (rows & present).any():
                data[j].style[rows & present] = xf_index(fmt(number_format))


def _highlights(data: list, frame: pd.DataFrame, marks: pd.DataFrame | None,
                column_formats: dict, fmt) -> None:
    """Cells MARKS flags green (True) or red (False), matched by index;
    a flagged cell without a value is coloured all the same."""
    if marks is None:
        return
    from cskit.io.write.sheetdata import xf_index

    positions = {c: j for j, c in enumerate(frame.columns)}
    last = ~frame.index.duplicated(keep="last")
    for column in marks.columns:
        if column not in positions:
            continue
        j = positions[column]
        flags = marks[column]
        flags = flags[~flags.index.duplicated(keep="last")].reindex(frame.index)
        valid = flags.notna().to_numpy(dtype=bool) & last
        if not valid.any():
            continue
        truthy = np.array([bool(flag) for flag in flags[valid].tolist()], dtype=bool)
        green, red = np.zeros(len(frame), bool), np.zeros(len(frame), bool)
        green[np.flatnonzero(valid)[truthy]] = True
        red[np.flatnonzero(valid)[~truthy]] = True
        number_format = column_formats[column]
        cells = data[j]
        if green.any():
            cells.style[green] = xf_index(fmt(number_format, "#C6EFCE"))
        if red.any():
            cells.style[red] = xf_index(fmt(number_format, "#FFC7CE"))
        cells.blank = valid if cells.blank is None else cells.blank | valid


def _neutral_text(text: str) -> str:
    from cskit.io.write import neutral_text

    return neutral_text(text)


def _sheet_name(name: str, used: set[str]) -> str:
    clean = re.sub(r"[\[\]:*?/\\]", "_", str(name))[:31] or "Sheet"
    candidate, n = clean, 1
    while candidate.lower() in used:
        n += 1
        candidate = f"{clean[:28]}_{n}"
    used.add(candidate.lower())
    return candidate


def _cell_text(value, number_format) -> str:
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        return "2026-10-31 00:00" if number_format == DATETIME_FORMAT else "2026-10-31"
    if isinstance(value, (float, np.floating)) and number_format in (MONEY_FORMAT, INT_FORMAT):
        return f"{value:,.2f}"
    return str(value)
