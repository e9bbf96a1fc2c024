"""Workbooks → cells: Excel (.xlsx/.xlsm/.xls/.xlsb/.ods) through the
native calamine reader, and web pages of tables saved as .xls (what many
Chinese systems export) through the standard library's HTML parser."""
from __future__ import annotations

import io
import os
import sys

import numpy as np
import pandas as pd

from cskit.errors import DataError, Problem
from cskit.i18n import Text
from cskit.io import excel_errors
from cskit.io import header as H
from cskit.io.sources import (A_FOLDER, NOT_FOUND, _cannot_read, _frame_from_rows, _list,
                              _read_bytes, decode, display_name)


class _HtmlWorkbook:
    """An HTML page of tables saved as .xls (what many Chinese systems
    export): each <table> is a sheet."""

    def __init__(self, tables: list[list[list]]):
        self.tables = tables
        self.sheet_names = [f"Table{i + 1}" for i in range(len(tables))]

    def rows(self, sheet_name: str) -> list[list]:
        return self.tables[self.sheet_names.index(sheet_name)]


def _html_tables(text: str) -> list[list[list]]:
    """The cells of every <table> in an HTML page (the standard library's
    parser; colspan cells are repeated as blanks, like merged Excel cells)."""
    from html.parser import HTMLParser

    class Parser(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.tables: list[list[list]] = []
            self.depth = 0
            self.row: list | None = None
            self.cell: list[str] | None = None
            self.span = 1

        def handle_starttag(self, tag, attrs):
            if tag == "table":
                self.depth += 1
                if self.depth == 1:
                    self.tables.append([])
            elif self.depth != 1:
                return
            elif tag == "tr":
                self.row = []
            elif tag in ("td", "th") and self.row is not None:
                self.cell = []
                span = dict(attrs).get("colspan") or "1"
                self.span = int(span) if span.isdigit() and 0 < int(span) < 1000 else 1
            elif tag == "br" and self.cell is not None:
                self.cell.append(" ")

        def handle_endtag(self, tag):
            if tag == "table":
                self.depth -= 1
            elif self.depth != 1:
                return
            elif tag in ("td", "th") and self.row is not None and self.cell is not None:
                self.row.append(" ".join("".join(self.cell).split()))
                self.row.extend([""] * (self.span - 1))
                self.cell = None
            elif tag == "tr" and self.row is not None:
                self.tables[-1].append(self.row)
                self.row = None

        def handle_data(self, data):
            if self.cell is not None:
                self.cell.append(data)

    parser = Parser()
    parser.feed(text)
    parser.close()
    return [t for t in parser.tables if t]


def _looks_html(head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return start.startswith(b"<") and b"<table" in head.lower()


class _quiet_native_stderr:
    """The Excel reader is native code: when it fails on a cell it cannot
    convert (a date cell holding -1e308) it prints its own trace on the
    process's stderr before the error reaches Python. Hold that back."""

    def __enter__(self):
        self.saved = None
        try:
            import tempfile

            sys.stderr.flush()
            self.saved = os.dup(2)
            self.sink = tempfile.TemporaryFile()
            os.dup2(self.sink.fileno(), 2)
        except (OSError, ValueError, AttributeError):
            self.saved = None
        return self

    def __exit__(self, *exc):
        if self.saved is not None:
            os.dup2(self.saved, 2)
            os.close(self.saved)
            self.sink.close()
        return False


def _reader_failure(exc: BaseException) -> bool:
    """The Excel reader's own errors, including a native panic (which is
    not an Exception), but never Ctrl-C or an exit."""
    return not isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError))


def _excel_sheets(path: str):
    from python_calamine import CalamineWorkbook

    name = display_name(path)
    if path != "-" and not os.path.isfile(path):  # calamine's own error says less
        raise DataError(Problem(file=name, expected=A_FOLDER if os.path.isdir(path)
                                else NOT_FOUND))
    head = b""
    try:
        if path != "-":
            with open(path, "rb") as fh:
                head = fh.read(4096)
    except OSError:
        pass
    if head and b"\x00" not in head[:512] and not head.startswith(b"PK") and _looks_html(head):
        text = decode(_read_bytes(path), name, None)
        tables = _html_tables(text)
        if not tables:
            raise DataError(Problem(file=name, expected=Text(
                "is a web page (HTML) saved as an Excel file, and holds no table",
                "是另存为 Excel 扩展名的网页（HTML），其中没有表格")))
        return _HtmlWorkbook(tables)
    try:
        with _quiet_native_stderr():
            if path == "-":
                return CalamineWorkbook.from_filelike(io.BytesIO(_read_bytes(path)))
            return CalamineWorkbook.from_path(path)
    except FileNotFoundError:
        raise DataError(Problem(file=name, expected=NOT_FOUND)) from None
    except PermissionError as exc:
        raise DataError(Problem(file=name, expected=_cannot_read(exc))) from None
    except BaseException as exc:  # calamine raises its own error types, even a panic
        if not _reader_failure(exc):
            raise
        if head and b"\x00" not in head[:512] and not head.startswith(b"PK"):
            raise DataError(Problem(file=name, expected=Text(
                "is not an Excel workbook (it looks like a text/CSV file); rename it to .csv",
                "不是 Excel 工作簿（看起来是文本/CSV 文件）；请把扩展名改为 .csv"))) from None
        raise DataError(Problem(file=name, expected=Text(
            "is not a readable Excel workbook: it may be damaged or in another format; "
            "open it in Excel and save it again as .xlsx (detail: {detail})",
            "无法作为 Excel 工作簿读取：文件可能已损坏或不是 Excel 格式；"
            "请用 Excel 打开后重新另存为 .xlsx（详情：{detail}）",
            detail=str(exc).strip()))) from None


def _sheet_rows(workbook, sheet_name: str, name: str, path: str | None = None) -> list[list]:
    if isinstance(workbook, _HtmlWorkbook):
        return workbook.rows(sheet_name)
    try:
        with _quiet_native_stderr():
            sheet = workbook.get_sheet_by_name(sheet_name)
            rows = sheet.to_python(skip_empty_area=False)
        excel_errors.restore(path, sheet_name, rows)  # #N/A cells, which come back empty
        return rows
    except BaseException as exc:  # the reader's own errors, a native panic included
        if not _reader_failure(exc):
            raise
        raise DataError(Problem(file=name, expected=Text(
            "sheet {sheet!r} cannot be read: a cell holds a value the Excel reader cannot "
            "convert (for example a date-formatted cell with an impossible number); "
            "open it in Excel, correct the cell and save again (detail: {detail})",
            "工作表“{sheet}”无法读取：有单元格的值无法转换（例如设成日期格式的单元格里是"
            "不可能的数字）；请在 Excel 中改正该单元格后重新保存（详情：{detail}）",
            sheet=sheet_name, detail=str(exc).strip()[:200]))) from None


def _rows_to_frame(rows: list[list], name: str, wanted: set[str] | None) -> pd.DataFrame | None:
    """Find the header row (see cskit.io.header.locate_header: titles above,
    merged header levels combined) and build the frame under it."""
    located = H.locate_header(rows, wanted)
    if located is None:
        return None
    start, depth, names = located
    frame = _frame_from_rows([names] + rows[start + depth:], name, first_row=start + depth)
    frame.attrs["header_rows"] = (start + 1, start + depth)
    frame.attrs["titles"] = H.title_text(rows[:start])
    return frame


def _is_empty(cell) -> bool:
    return cell is None or (isinstance(cell, str) and cell.strip() == "") or (
        isinstance(cell, float) and np.isnan(cell))


def _read_excel(path: str, sheet: str | None, wanted: set[str] | None) -> pd.DataFrame:
    name = display_name(path)
    workbook = _excel_sheets(path)
    names = list(workbook.sheet_names)
    if not names:
        raise DataError(Problem(file=name, expected=Text("holds no sheets", "没有任何工作表")))
    if sheet is not None:
        if sheet not in names:
            raise DataError(Problem(file=name, expected=Text(
                "has no sheet {sheet!r}; its sheets: {sheets}",
                "没有名为“{sheet}”的工作表；现有工作表：{sheets}",
                sheet=sheet, sheets=_list(names))))
        chosen = sheet
    else:
        chosen = names[0]
    frame = _rows_to_frame(_sheet_rows(workbook, chosen, name, path), name, wanted)
    if frame is None:
        others = [n for n in names if n != chosen]
        if others:
            expected = Text("the sheet is empty; its other sheets: {others} "
                            "(choose one with --sheet)",
                            "该工作表是空的；其他工作表：{others}（请用 --sheet 指定要读取的工作表）",
                            others=_list(others))
        else:
            expected = Text("the sheet is empty", "该工作表是空的")
        raise DataError(Problem(file=f"{name} [{chosen}]", expected=expected))
    frame.attrs["sheet"] = chosen
    return frame
