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


# --- Excel -------------------------------------------------------------------------
def _display_width(value) -> int:
    text = str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _column_format(series: pd.Series, name: str, override: str | None) -> str | None:
    if override:
        return override
    if pd.api.types.is_bool_dtype(series.dtype):
        return None
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        from cskit.io.write import _has_time

        return DATETIME_FORMAT if _has_time(series) else DATE_FORMAT
    if pd.api.types.is_integer_dtype(series.dtype):
        return INT_FORMAT
    if pd.api.types.is_float_dtype(series.dtype):
        values = series.dropna()
        if len(values) and (values == values.round(0)).all() and not len(values) == 0 \
                and values.abs().max() < 1e15 and "rate" not in name:
            return INT_FORMAT if not _looks_money(name) else MONEY_FORMAT
        return MONEY_FORMAT
    return None


def _looks_money(name: str) -> bool:
    return any(word in name for word in ("amount", "outstanding", "limit", "credit", "sales",
                                         "profit", "payment", "revenue", "applied", "due",
                                         "金额", "额", "款"))


def _sheet_formats(formats: dict, sheet: str) -> dict[str, str]:
    flat = {k: v for k, v in formats.items() if isinstance(v, str)}
    flat.update(formats.get(sheet, {}) if isinstance(formats.get(sheet), dict) else {})
    return flat


def write_xlsx(target, sheets: dict[str, pd.DataFrame], *, lang: str,
               parameters: list[tuple[str, str]] | None, formats: dict | None = None,
               highlight: dict[str, pd.DataFrame] | None = None,
               originals: dict[str, str] | None = None) -> None:
    """Write every sheet, styled for people, plus ``Parameters``."""
    import xlsxwriter

    from cskit.io.write import neutralize

    formats = formats or {}
    highlight = highlight or {}
    book = xlsxwriter.Workbook(target, {"nan_inf_to_errors": True, "strings_to_numbers": False,
                                        "strings_to_formulas": False, "strings_to_urls": False,
                                        "default_date_format": DATE_FORMAT})
    book.set_properties({"title": next(iter(sheets), "cskit"), "creator": "cskit"})
    header_fmt = book.add_format({"bold": True, "bg_color": "#1F4E79", "font_color": "#FFFFFF",
                                  "border": 1, "text_wrap": True, "valign": "vcenter"})
    cache: dict[tuple, object] = {}

    def fmt(number_format: str | None, fill: str | None = None):
        key = (number_format, fill)
        if key not in cache:
            spec = {}
            if number_format:
                spec["num_format"] = number_format
            if fill:
                spec["bg_color"] = fill
                spec["font_color"] = "#006100" if fill == "#C6EFCE" else "#9C0006"
            cache[key] = book.add_format(spec) if spec else None
        return cache[key]

    used_names: set[str] = set()
    for sheet_name, frame in sheets.items():
        title = _sheet_name(sheet_name, used_names)
        sheet = book.add_worksheet(title)
        labelled = present(frame, lang, originals)  # headers and coded cells as read
        shown_headers = [str(h) for h in labelled.columns]
        labelled.columns = frame.columns
        frame = neutralize(labelled)
        per_sheet = _sheet_formats(formats, sheet_name)
        for j, (column, header) in enumerate(zip(frame.columns, shown_headers)):
            series = frame[column]
            number_format = _column_format(series, str(column), per_sheet.get(str(column)))
            cell_format = fmt(number_format)
            sheet.write_string(0, j, header, header_fmt)
            _write_column(sheet, series, j, cell_format)
            sample = series.head(2000)
            widest = max([_display_width(header)] +
                         [_display_width(_cell_text(v, number_format)) for v in sample.tolist()])
            sheet.set_column(j, j, min(max(widest + 2, 8), 60))
        sheet.freeze_panes(1, 0)
        if len(frame.columns):
            sheet.autofilter(0, 0, max(len(frame), 1), len(frame.columns) - 1)
        marks = highlight.get(sheet_name)
        if marks is not None:
            positions = {c: j for j, c in enumerate(frame.columns)}
            row_of = {idx: i for i, idx in enumerate(frame.index)}
            for column in marks.columns:
                if column not in positions:
                    continue
                j = positions[column]
                number_format = _column_format(frame[column], str(column), per_sheet.get(str(column)))
                for idx, flag in marks[column].items():
                    if idx not in row_of or pd.isna(flag):
                        continue
                    fill = "#C6EFCE" if bool(flag) else "#FFC7CE"
                    value = frame[column].loc[idx]
                    _write_cell(sheet, row_of[idx] + 1, j, value, fmt(number_format, fill))
    if parameters is not None:
        sheet = book.add_worksheet(_sheet_name("Parameters", used_names))
        sheet.write_row(0, 0, ["parameter" if lang != "zh" else "参数",
                               "value" if lang != "zh" else "值"], header_fmt)
        for i, (key, value) in enumerate(parameters, start=1):
            sheet.write_string(i, 0, str(key))
            sheet.write_string(i, 1, _neutral_text(str(value)))
        sheet.set_column(0, 0, 22)
        sheet.set_column(1, 1, min(max([_display_width(v) for _, v in parameters] + [10]) + 2, 100))
        sheet.freeze_panes(1, 0)
    book.close()


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


def _write_cell(sheet, row: int, col: int, value, cell_format) -> None:
    if value is None or value is pd.NA or value is pd.NaT or (
            isinstance(value, (float, np.floating)) and np.isnan(value)):
        sheet.write_blank(row, col, None, cell_format)
    elif isinstance(value, (bool, np.bool_)):
        sheet.write_boolean(row, col, bool(value), cell_format)
    elif isinstance(value, (int, float, np.integer, np.floating)):
        sheet.write_number(row, col, float(value) if isinstance(value, (float, np.floating)) else int(value),
                           cell_format)
    elif isinstance(value, (pd.Timestamp,)):
        sheet.write_datetime(row, col, value.to_pydatetime(), cell_format)
    else:
        sheet.write_string(row, col, str(value), cell_format)


def _write_column(sheet, series: pd.Series, col: int, cell_format) -> None:
    """One column, typed: numbers as numbers, dates as dates, text as text."""
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        for i, value in enumerate(series.tolist(), start=1):
            if value is pd.NaT or value is None:
                continue
            sheet.write_datetime(i, col, value.to_pydatetime(), cell_format)
        return
    if pd.api.types.is_bool_dtype(series.dtype):
        for i, value in enumerate(series.tolist(), start=1):
            if value is None or value is pd.NA:
                continue
            sheet.write_boolean(i, col, bool(value), cell_format)
        return
    if pd.api.types.is_numeric_dtype(series.dtype):
        numbers = series.astype("float64").to_numpy()
        integers = pd.api.types.is_integer_dtype(series.dtype)
        for i, value in enumerate(numbers, start=1):
            if np.isnan(value):
                continue
            sheet.write_number(i, col, int(value) if integers else value, cell_format)
        return
    for i, value in enumerate(series.tolist(), start=1):
        if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
            continue
        _write_cell(sheet, i, col, value, cell_format)
