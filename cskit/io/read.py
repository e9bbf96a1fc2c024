"""Files → DataFrames (SPEC §1.2).

Two levels:
- ``read_raw(path)``: the cells of one table as the file holds them (text
  from CSV, typed cells from Excel/JSON/Parquet), header as written, index =
  the row number as Excel shows it (header = 1).
- ``read_table(path, schema)``: headers matched to canonical names, values
  parsed by the schema's types, problems collected per cell.

And for tables of unknown shape (render-report's DATA): ``read_workbook``
returns every sheet of a workbook (one table for a CSV), ``read_any`` the
first, both with leniently typed columns.
"""
from __future__ import annotations

import codecs
import csv
import io
import os
import re
import sys
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from cskit.errors import DataError, Problem
from cskit.i18n import Join, Text, language, os_reason, render
from cskit.io import header as H
from cskit.io import values as V

TEXT_EXT = {".csv", ".txt", ".tsv", ".tab", ""}
EXCEL_EXT = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
MAX_PROBLEMS = 200  # listed in detail; the rest are counted

# what is wrong with a file as a whole (Problem.expected, after "file: ")
NOT_FOUND = Text("file not found", "文件不存在")
A_FOLDER = Text("is a folder, not a file", "是文件夹，不是文件")
EMPTY = Text("is empty; expected a header row and data rows",
             "是空文件；应有一行表头和若干数据行")


def display_name(path: str) -> str:
    if path == "-":
        return render(Text("standard input", "标准输入"))
    return str(path)


def _cannot_read(exc: OSError) -> Text:
    return Text("cannot be read: {reason}", "无法读取：{reason}", reason=os_reason(exc))


def _list(items) -> Join:
    """Names shown as a list: "a, b" in English, "a、b" in Chinese."""
    return Join((", ", "、"), [item if isinstance(item, (Text, Join)) else str(item)
                               for item in items])


# --- encodings ----------------------------------------------------------------
def _cjk_share(text: str) -> float:
    """Share of non-ASCII characters that are usual in Chinese text."""
    others = [ch for ch in text if ord(ch) > 127]
    if not others:
        return 1.0
    usual = sum(1 for ch in others
                if "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f"
                or "\uff00" <= ch <= "\uffef" or "\u2000" <= ch <= "\u206f"
                or ch in "¥×÷°±√✓✗·—…“”‘’" or "\u3400" <= ch <= "\u4dbf")
    return usual / len(others)


def decode(data: bytes, name: str, encoding: str | None = None) -> str:
    """Bytes of a text table → str: UTF-8 (BOM or not) or GB18030, detected."""
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise DataError(Problem(file=name, expected=Text(
                "--encoding {encoding!r} is not a known encoding (try utf-8 or gb18030)",
                "--encoding {encoding} 不是可识别的编码（可试 utf-8 或 gb18030）",
                encoding=encoding))) from None
        try:
            return data.decode(encoding).lstrip("\ufeff")
        except UnicodeDecodeError as exc:
            raise DataError(Problem(file=name, expected=Text(
                "cannot be read as {encoding} (byte {position} does not fit); check --encoding",
                "无法按 {encoding} 编码读取（第 {position} 个字节不符）；请检查 --encoding",
                encoding=encoding, position=exc.start + 1))) from None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16").lstrip("\ufeff")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and _cjk_share(text[:200000]) >= 0.9:
        return text
    raise DataError(Problem(file=name, expected=Text(
        "is neither UTF-8 nor GB18030/GBK text; give its encoding with --encoding "
        "(for example --encoding latin-1), or save it from Excel as 'CSV UTF-8'",
        "既不是 UTF-8 也不是 GB18030/GBK 编码的文本；请用 --encoding 指定编码"
        "（例如 --encoding latin-1），或在 Excel 中另存为“CSV UTF-8（逗号分隔）”")))


def _read_bytes(path: str) -> bytes:
    name = display_name(path)
    try:
        if path == "-":
            return sys.stdin.buffer.read()
        with open(path, "rb") as fh:
            return fh.read()
    except FileNotFoundError:
        raise DataError(Problem(file=name, expected=NOT_FOUND)) from None
    except IsADirectoryError:
        raise DataError(Problem(file=name, expected=A_FOLDER)) from None
    except OSError as exc:
        raise DataError(Problem(file=name, expected=_cannot_read(exc))) from None


# --- raw tables -------------------------------------------------------------------
def _sniff_delimiter(text: str, default: str = ",") -> str:
    lines = text[:65536].splitlines()[:60]
    sample = "\n".join(lines[:30])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        pass
    # title lines above the header: the separator that most lines share
    best, best_key = default, (0, 0)
    for d in (",", ";", "\t", "|"):
        counts = [line.count(d) for line in lines if line.count(d)]
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        key = (counts.count(mode), mode)
        if key > best_key:
            best, best_key = d, key
    return best


def _frame_from_rows(rows: list[list], name: str, first_row: int = 1) -> pd.DataFrame:
    """Header row + data rows → DataFrame indexed by Excel row number."""
    width = max((len(r) for r in rows), default=0)
    header = [("" if h is None else str(h)) for h in rows[0]] + [""] * (width - len(rows[0]))
    body = [list(r) + [""] * (width - len(r)) for r in rows[1:]]
    frame = pd.DataFrame(body, columns=range(width), dtype=object)
    frame.index = pd.RangeIndex(first_row + 1, first_row + 1 + len(body), name="row")
    frame.columns = _unique_headers(header)
    return frame


def _unique_headers(header: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, h in enumerate(header):
        h = str(h).replace("\ufeff", "").strip()
        if h == "" or h.lower() == "nan":
            h = f"column_{i + 1}"
        if h in seen:
            seen[h] += 1
            h = f"{h}.{seen[h]}"
        else:
            seen[h] = 0
        out.append(h)
    return out


def _unify_newlines(text: str) -> str:
    """Bare CR line ends (old Mac Excel) read like LF and CRLF."""
    if "\r" in text and re.search("\r(?!\n)", text):
        return re.sub("\r\n?", "\n", text)
    return text


def _read_text(path: str, encoding: str | None, sep: str | None,
               wanted: set[str] | None = None) -> pd.DataFrame:
    name = display_name(path)
    data = _read_bytes(path)
    if data[:4] == b"PK\x03\x04" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise DataError(Problem(file=name, expected=Text(
            "is an Excel workbook, not a text file; rename it to .xlsx (or .xls)",
            "是 Excel 工作簿，不是文本文件；请把扩展名改为 .xlsx（或 .xls）")))
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise DataError(Problem(file=name, expected=Text(
            "is not a table that can be read (its content is not text); "
            "use CSV, TSV, XLSX, JSON or Parquet",
            "不是可读取的表格文件（内容不是文本）；请使用 CSV、TSV、XLSX、JSON 或 Parquet 格式")))
    text = decode(data, name, encoding)
    if not text.strip():
        raise DataError(Problem(file=name, expected=EMPTY))
    unified = _unify_newlines(text)
    if unified is not text:
        text, data = unified, b""
    sep = sep or _sniff_delimiter(text)
    skip, names, first_header = 1, None, 1
    if wanted:
        head = text.split("\n", H.SCAN_ROWS + 21)[:H.SCAN_ROWS + 20]
        rows = list(csv.reader(head, delimiter=sep))
        located = H.locate_header(rows, wanted)
        if located is not None and (located[0], located[1]) != (0, 1):
            skip, names, first_header = located[0] + located[1], located[2], located[0] + 1
    if skip > 1 or names is not None:
        frame = _read_text_body(text, sep, name, skip, names)
        frame.attrs["header_rows"] = (first_header, skip)
        return frame
    if "\n\n" not in text and "\n\r\n" not in text and data:
        # the fast path; blank lines (which Excel numbers) and rows of the
        # wrong width go to the exact path below, which can name their row
        fast = _read_text_arrow(text, data, sep, utf8_input=len(text) == len(data)
                                or _is_utf8_text(text, data))
        if fast is not None:
            return fast
    return _read_text_body(text, sep, name, 0, None)


def _read_text_body(text: str, sep: str, name: str, skip: int,
                    names: list[str] | None) -> pd.DataFrame:
    """The rows of a text table after its ``skip`` header lines (``names``:
    the header found); with ``names`` None the first line is the header."""
    body = text.split("\n", skip)[-1] if skip else text
    try:
        frame = pd.read_csv(io.StringIO(body), sep=sep, header=None, dtype=str,
                            keep_default_na=False, na_filter=False, skip_blank_lines=False,
                            engine="c", quotechar='"',
                            names=range(max(len(names), 1)) if names else None)
    except pd.errors.ParserError as exc:
        match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if match:
            raise DataError(Problem(file=name, row=int(match[2]) + skip, expected=Text(
                "has {cells} cells but the header has {header}; look for a comma (or other "
                "separator) inside a value that is not in quotes, or a stray line break",
                "有 {cells} 个单元格，但表头只有 {header} 列；请检查是否有值含逗号"
                "（或其他分隔符）却没加引号，或多了换行",
                cells=match[3], header=match[1]))) from None
        raise DataError(Problem(file=name, expected=Text(
            "is not a readable CSV table (detail: {detail})",
            "不是可读取的 CSV 表格（详情：{detail}）",
            detail=str(exc).strip()))) from None
    except pd.errors.EmptyDataError:
        if names:
            frame = pd.DataFrame(columns=range(len(names)), dtype=object)
        else:
            raise DataError(Problem(file=name, expected=EMPTY)) from None
    if names is None:
        header = frame.iloc[0].tolist()
        frame = frame.iloc[1:]
        first = 2
    else:
        header = list(names) + [""] * (frame.shape[1] - len(names))
        first = skip + 1
    frame.columns = _unique_headers(header)
    frame.index = pd.RangeIndex(first, first + len(frame), name="row")
    return frame


def _read_text_arrow(text: str, data: bytes, sep: str, utf8_input: bool) -> pd.DataFrame | None:
    """Read every cell as text with Arrow's CSV reader (fast, multi-threaded)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    header = next(csv.reader(io.StringIO(text[:1 << 20]), delimiter=sep), None)
    if not header:
        return None
    names = [f"c{i}" for i in range(len(header))]
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        utf8 = data if utf8_input else text.encode("utf-8")
        table = pacsv.read_csv(
            pa.BufferReader(utf8),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=sep, newlines_in_values='"' in text),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names}, strings_can_be_null=False,
                quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return None
    frame = table.to_pandas()
    frame.columns = _unique_headers(header)
    frame.index = pd.RangeIndex(2, 2 + len(frame), name="row")
    return frame


def _is_utf8_text(text: str, data: bytes) -> bool:
    """Whether DATA (maybe with a BOM) is the UTF-8 encoding of TEXT, cheaply:
    the text's UTF-8 length must match, and UTF-8 was tried first."""
    body = len(data) - (3 if data.startswith(codecs.BOM_UTF8) else 0)
    return len(text.encode("utf-8")) == body and data[-64:].endswith(text[-8:].encode("utf-8"))


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


def _sheet_rows(workbook, sheet_name: str, name: str) -> list[list]:
    if isinstance(workbook, _HtmlWorkbook):
        return workbook.rows(sheet_name)
    try:
        with _quiet_native_stderr():
            sheet = workbook.get_sheet_by_name(sheet_name)
            return sheet.to_python(skip_empty_area=False)
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
    frame = _rows_to_frame(_sheet_rows(workbook, chosen, name), name, wanted)
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


def _read_json(path: str, encoding: str | None) -> pd.DataFrame:
    import json

    name = display_name(path)
    text = decode(_read_bytes(path), name, encoding)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(Problem(file=name, row=exc.lineno, expected=Text(
            "is not valid JSON (detail: {detail})", "不是有效的 JSON 文件（详情：{detail}）",
            detail=exc.msg))) from None
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list)]
        data = lists[0] if len(lists) == 1 else [data]
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise DataError(Problem(file=name, expected=Text(
            'is not a list of records; expected [{{"column": value, ...}}, ...]',
            '不是记录列表；应为 [{{"列名": 值, ...}}, ...] 的形式')))
    if not data:
        raise DataError(Problem(file=name, expected=Text("holds no records", "没有任何记录")))
    frame = pd.DataFrame.from_records(data).astype(object)
    frame.columns = _unique_headers(list(frame.columns))
    frame.index = pd.RangeIndex(2, 2 + len(frame), name="row")
    return frame


def _read_parquet(path: str) -> pd.DataFrame:
    name = display_name(path)
    try:
        frame = pd.read_parquet(path)
    except FileNotFoundError:
        raise DataError(Problem(file=name, expected=NOT_FOUND)) from None
    except Exception as exc:
        raise DataError(Problem(file=name, expected=Text(
            "is not a readable Parquet file; it may be damaged (detail: {detail})",
            "不是可读取的 Parquet 文件，可能已损坏（详情：{detail}）",
            detail=str(exc).strip()))) from None
    frame = frame.reset_index(drop=True)
    frame.columns = _unique_headers(list(frame.columns))
    frame.index = pd.RangeIndex(2, 2 + len(frame), name="row")
    return frame


def read_raw(path: str, *, encoding: str | None = None, sheet: str | None = None,
             wanted: set[str] | None = None, keep_blank: bool = False) -> pd.DataFrame:
    """One table's cells as the file holds them; index = Excel row number.
    Rows that are entirely empty are dropped (their numbers are kept by the
    others) unless ``keep_blank``. ``wanted``: normalised header names that
    find the header row under titles and combine a merged header's levels."""
    name = display_name(path)
    if path != "-" and os.path.isdir(path):
        raise DataError(Problem(file=name, expected=A_FOLDER))
    ext = Path(path).suffix.lower() if path != "-" else ".csv"
    if ext in EXCEL_EXT:
        frame = _read_excel(path, sheet, wanted)
    elif ext == ".json":
        frame = _read_json(path, encoding)
    elif ext == ".parquet":
        frame = _read_parquet(path)
    elif ext in (".tsv", ".tab"):
        frame = _read_text(path, encoding, "\t", wanted)
    elif ext in TEXT_EXT:
        frame = _read_text(path, encoding, None, wanted)
    else:
        head = _read_bytes(path)[:8]
        if head.startswith(b"PK"):
            frame = _read_excel(path, sheet, wanted)
        elif head.startswith(b"PAR1"):
            frame = _read_parquet(path)
        else:
            frame = _read_text(path, encoding, None, wanted)
    if keep_blank:
        return frame
    attrs = dict(frame.attrs)
    frame = frame[~blank_rows(frame)]
    frame.attrs.update(attrs)
    return frame


def blank_rows(frame: pd.DataFrame) -> pd.Series:
    """True for rows whose every cell is empty."""
    empty = pd.Series(True, index=frame.index)
    for column in frame.columns:
        if not empty.any():
            break
        empty &= V.is_blank(frame[column]).to_numpy()
    return empty


TOTAL_WORDS = {"total", "totals", "grandtotal", "合计", "总计", "合计:", "总计:", "小计"}


def _drop_totals_row(frame: pd.DataFrame) -> pd.DataFrame:
    """Tables of unknown shape (render-report's DATA): a last row labelled
    合计/总计/Total in one of its first cells is the sheet's totals (as
    exports and our own Summary sheets end), not data."""
    if len(frame) < 2:
        return frame
    last = frame.iloc[-1, :3].tolist()
    if any(isinstance(v, str) and normalize_header(v).rstrip(":：") in TOTAL_WORDS for v in last):
        frame = frame.iloc[:-1]
        frame.attrs["totals_row"] = True
    return frame


# --- headers --------------------------------------------------------------------
normalize_header = H.normalize_header
alias_table = H.alias_table


def match_headers(frame: pd.DataFrame, schema, name: str,
                  mapping: dict[str, str] | None = None) -> pd.DataFrame:
    """Rename the file's headers to canonical names; unknown ones stay.
    ``mapping``: header → canonical name given by the user (--map,
    [columns]). The frame's attrs receive ``headers`` (canonical → header
    in the file), ``units`` (canonical → factor), ``currency`` (canonical →
    local/original), ``left`` (canonical → headers not used) and
    ``fallbacks`` (canonical → headers that fill its blank cells)."""
    if mapping:
        from cskit.errors import UsageError

        for header, canonical in mapping.items():
            if canonical not in schema.names:
                present = any(H.describe(header).names[:1] == H.describe(h).names[:1]
                              for h in frame.columns)
                if present:
                    raise UsageError(Text(
                        "--map {header}={canonical}: {canonical} is not a column of {kind}; "
                        "valid names: {names}",
                        "--map {header}={canonical}：{kind}表没有 {canonical} 这一列；"
                        "可用的列名：{names}",
                        header=header, canonical=canonical, kind=schema.kind,
                        names=_list(schema.names)))
    keys = H.mapping_keys(mapping or {})
    blank_columns = {h for h in frame.columns if len(frame) and V.is_blank(frame[h]).all()}
    found = H.match_columns(list(frame.columns), schema, keys, blank_columns)
    problems = []
    for canonical, first, second in found.clashes:
        problems.append(Problem(file=name, column=second, expected=Text(
            "columns {first!r} and {second!r} both mean {canonical}; keep one, "
            "or say which with --map",
            "“{first}”和“{second}”两列都表示 {canonical}，请只保留一列，或用 --map 指明用哪一列",
            first=first, second=second, canonical=canonical)))
    for header, unit in found.unknown_units:
        problems.append(Problem(file=name, column=header, expected=Text(
            "the header's unit {unit!r} is not one cskit knows (元, 万元, 千元, 百万元, 亿元, "
            "¥, RMB; 本位币 or 原币): rename the header, or convert the column to yuan",
            "表头中的单位“{unit}”无法识别（可用：元、万元、千元、百万元、亿元、¥、RMB；"
            "本位币或原币）：请改写表头，或把该列换算成元",
            unit=unit)))
    renamed = {header: canonical for canonical, header in found.used.items()}
    blank = [i for i, header in enumerate(frame.columns) if header == f"column_{i + 1}"]
    headers = _list(Text("(blank)", "（空白）") if i in blank else header
                    for i, header in enumerate(frame.columns))
    missing = [c for c in schema.columns if c.required and c.name not in found.used]
    for col in missing:
        problems.append(Problem(file=name, expected=_missing_column(col, headers)))
    unmet = [group for group in schema.one_of if not any(g in found.used for g in group)]
    for group in unmet:
        problems.append(Problem(file=name, expected=Text(
            "needs at least one of the columns {columns}; columns found: {found}",
            "至少需要以下列之一：{columns_zh}；文件中现有的列：{found}",
            columns=_list(group), found=headers,
            columns_zh=_list(_zh_label(schema.col(g)) for g in group))))
    if problems:
        hint = None
        if blank and (missing or unmet):
            hint = Text("The header is blank in column {letters}; if it has merged cells, "
                        "unmerge them so that every column has its own name.",
                        "表头在 {letters} 列是空白的；如有合并单元格，请取消合并，"
                        "让每一列都有自己的列名。",
                        letters=_list(_letter(i) for i in blank))
        raise DataError(problems, hint=hint)
    attrs = dict(frame.attrs)
    frame = frame.rename(columns=renamed)
    frame.attrs.update(attrs)
    frame.attrs["headers"] = dict(found.used)  # canonical → as in file
    frame.attrs["units"] = {c: i.factor for c, i in found.info.items() if i.factor != 1}
    frame.attrs["unit_names"] = {c: i.unit for c, i in found.info.items() if i.unit}
    frame.attrs["currency"] = {c: i.currency for c, i in found.info.items() if i.currency}
    frame.attrs["left"] = dict(found.left)
    frame.attrs["mapped"] = sorted(found.mapped)
    return frame


def _chinese_alias(col) -> str | None:
    return next((a for a in col.aliases if re.search(r"[\u4e00-\u9fff]", a)), None)


def _zh_label(col) -> str:
    """A column as a Chinese reader knows it: 开票日期（invoice_date）."""
    alias = _chinese_alias(col)
    return f"{alias}（{col.name}）" if alias else col.name


def _missing_column(col, headers: Join) -> Text:
    """A required column not in the file, with the headers it may go by."""
    if not col.aliases:
        return Text("required column {column} is missing; columns found: {found}",
                    "缺少必填列“{column}”；文件中现有的列：{found}",
                    column=col.name, found=headers)
    title = _chinese_alias(col) or col.name
    others = [n for n in (col.name, *col.aliases) if n != title]
    return Text("required column {column} (also accepted: {aliases}) is missing; "
                "columns found: {found}",
                "缺少必填列“{title}”（也可写作：{others}）；文件中现有的列：{found}",
                column=col.name, aliases=_list(col.aliases), title=title,
                others=_list(others), found=headers)


def _letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: a column as Excel names it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# --- typed tables -----------------------------------------------------------------
def read_table(path: str, schema, *, encoding: str | None = None, sheet: str | None = None,
               collect_rows: bool = False, keep_raw: dict | None = None,
               mapping: dict[str, str] | None = None):
    """Read, match headers and parse values of one input table.

    Returns ``(frame, problems, bad_rows)``: ``frame`` holds every data row
    (bad cells missing), ``problems`` the cell problems (empty when all is
    well), ``bad_rows`` the original cells of the rows with problems plus a
    ``reject_reason`` column (only when ``collect_rows``; else None). Problems
    with the file as a whole (missing file, missing column, unreadable bytes)
    raise DataError at once: no row of such a file can be used. ``keep_raw``:
    a dict that receives the original cells (``raw``, canonical column names)
    and the headers as written (``headers``, canonical → file), so that rows
    rejected later by a command's own rules are set aside as they were.
    ``mapping``: header → canonical column, from --map or a policy's [columns].

    ``frame.attrs``: ``set_aside`` (kind → rows: subtotals, totals, notes,
    blank rows, line items summed), ``rows`` (physical rows under the
    header), ``notes`` (("info"|"warn", Text) for stderr: which column was
    used where several matched, the total check, columns that look like
    money or dates but are not used), ``header_rows`` (first, last).
    """
    from cskit.io import setaside as S

    name = display_name(path)
    wanted = set(alias_table(schema)) | set(H.mapping_keys(mapping or {}))
    raw = read_raw(path, encoding=encoding, sheet=sheet, wanted=wanted, keep_blank=True)
    if "sheet" in raw.attrs and raw.attrs["sheet"]:
        name = f"{name} [{raw.attrs['sheet']}]" if sheet else name
    # trailing blank rows are the sheet's end, not rows of the table
    blank = blank_rows(raw)
    if len(raw) and blank.all():
        raw = raw.iloc[:0]
    elif len(raw):
        last = np.flatnonzero(~blank.to_numpy())[-1]
        raw = raw.iloc[:last + 1]
    if len(raw) == 0:
        raise DataError(Problem(file=name, expected=Text("has a header but no data rows",
                                                         "只有表头，没有数据行")))
    raw = match_headers(raw, schema, name, mapping)
    headers = raw.attrs.get("headers", {})
    scales = raw.attrs.get("units", {})
    notes: list[tuple[str, Text]] = []
    physical = len(raw)
    kinds = S.classify(raw, schema)
    aside_mask = (kinds != "").to_numpy()
    aside = raw[aside_mask]
    aside_kinds = kinds[aside_mask]
    attrs = dict(raw.attrs)
    raw = raw[~aside_mask]
    raw.attrs.update(attrs)
    counts = {k: int((aside_kinds == k).sum()) for k in S.KINDS}
    _coalesce(raw, schema, notes)
    _say_choices(raw.attrs, notes)
    if len(raw) == 0:
        raise DataError(Problem(file=name, expected=Text(
            "has no data rows (only totals, notes or blank rows under the header)",
            "没有数据行（表头下只有合计、备注或空行）")))
    if keep_raw is not None:
        keep_raw.update(raw=raw, headers=headers)
    frame = raw.copy()
    problems: list[Problem] = []
    more = 0
    reasons = pd.Series("", index=raw.index, dtype=object)
    bad_any = pd.Series(False, index=raw.index)
    separator = "；" if language() == "zh" else "; "

    def flag(mask: pd.Series, column: str, expected: Text, shown: pd.Series):
        nonlocal more
        rows = mask[mask].index
        if len(rows) == 0:
            return
        label = headers.get(column, column)
        room = max(MAX_PROBLEMS - len(problems), 0)
        for row in rows[:room]:
            problems.append(Problem(file=name, row=int(row), column=label,
                                    value=shown.loc[row], expected=expected))
        more += max(len(rows) - room, 0)
        # the rejects file speaks the language of the run
        reason = render(Text("{column}: expected {expected}", "“{column}”列：{expected}",
                             column=label, expected=expected))
        reasons.loc[rows] = reasons.loc[rows] + np.where(reasons.loc[rows] == "", "", separator) \
            + reason
        bad_any.loc[rows] = True

    for col in schema.columns:
        if col.name not in frame.columns:
            continue
        if col.type == "money" and scales.get(col.name, 1) != 1:
            parsed, bad = V.parse_money(raw[col.name], scale=scales[col.name])
            bad, expected = bad.astype(bool), V.MONEY_EXPECTED
        else:
            parsed, bad, expected = V.parse_column(raw[col.name], col)
        if col.type in ("date", "datetime") and bad.any():
            # 2026-02-30 is written as a date, so "expected a date" would puzzle
            unreal = bad & raw[col.name].astype(str).str.fullmatch(_DATE_SHAPED).fillna(False)
            flag(unreal.astype(bool), col.name,
                 Text("a day that exists in the calendar (check the month and the day)",
                      "应为日历上真实存在的日期（请核对月份和日）"),
                 raw[col.name])
            bad = bad & ~unreal.astype(bool)
        flag(bad, col.name, expected, raw[col.name])
        if col.min is not None or col.max is not None:
            numbers = pd.to_numeric(parsed, errors="coerce")
            low = numbers < col.min if col.min is not None else False
            high = numbers > col.max if col.max is not None else False
            out = (pd.Series(low, index=raw.index) | pd.Series(high, index=raw.index)) & ~bad
            if out.any():
                if col.min is not None and col.max is not None:
                    bounds = Text("a value between {low} and {high}",
                                  "应为 {low} 到 {high} 之间的值",
                                  low=_num(col.min), high=_num(col.max))
                elif col.min is not None:
                    bounds = Text("a value of at least {low}", "应不小于 {low}",
                                  low=_num(col.min))
                else:
                    bounds = Text("a value of at most {high}", "应不大于 {high}",
                                  high=_num(col.max))
                flag(out.fillna(False).astype(bool), col.name, bounds, raw[col.name])
        frame[col.name] = parsed
    _red_invoices(frame, notes)
    _foreign_currency(frame, raw, headers, flag)
    _paid_from_open(frame, headers, notes)
    frame, merged, documents = S.sum_lines(frame, schema)
    if merged:
        counts["lines"] = merged
        notes.append(("info", Text(
            "{merged} line-item rows summed into {documents} invoice(s) (they repeat the "
            "invoice number with the same customer and dates)",
            "{merged} 行明细行已按发票号汇总为 {documents} 张发票（发票号重复，客户和日期相同）",
            merged=merged + documents, documents=documents)))
        keep = frame.index
        reasons, bad_any = reasons.loc[keep], bad_any.loc[keep]
        if keep_raw is not None:
            keep_raw["raw"] = raw.loc[keep]
    for col in schema.columns:
        if col.name not in frame.columns:
            continue
        if col.required:
            missing = frame[col.name].isna() & ~bad_any
            if missing.any():
                flag(missing, col.name, Text("is empty; this column must be filled in",
                                             "不能为空（必填列）"), raw[col.name])
        if col.unique:
            keys = frame[col.name]
            dup = keys.duplicated(keep="first") & keys.notna()
            if dup.any():
                first_row = keys[~keys.duplicated(keep="first")].reset_index().set_index(col.name)["row"]
                shown = keys[dup].map(lambda k: _also_in_row(k, first_row.get(k)))
                flag(dup, col.name, Text("a unique {column}; this one appears twice",
                                         "不能重复，此值已在前面出现过",
                                         column=col.name), shown)
    if (aside_kinds.isin(["total", "subtotal"])).any():
        used = frame[~bad_any.reindex(frame.index, fill_value=False)]
        notes.extend(S.check_totals(used, aside, aside_kinds, schema, headers, scales))
    for header, kind, columns in H.lookalikes(
            [c for c in frame.columns if c not in schema.names
             and c not in _flat(raw.attrs.get("left", {}))], schema, set(headers)):
        notes.append(("warn", H.lookalike_text(header, kind, columns)))
    frame.attrs.update(set_aside={k: n for k, n in counts.items() if n}, rows=physical,
                       notes=notes, header_rows=attrs.get("header_rows", (1, 1)),
                       headers=headers, units=scales, aside=aside, aside_kinds=aside_kinds)
    if problems or more:
        bad_rows = None
        if collect_rows:
            bad_rows = raw.loc[bad_any[bad_any].index].copy()
            bad_rows.columns = [headers.get(c, c) for c in bad_rows.columns]
            bad_rows["reject_reason"] = reasons[bad_any]
        frame.attrs["more_problems"] = more
        return frame, problems, bad_rows
    return frame, [], None


def _flat(groups: dict) -> set:
    return {h for headers in groups.values() for h in headers}


def _coalesce(raw: pd.DataFrame, schema, notes: list) -> None:
    """A key column blank in some rows takes those rows' value from the
    next column of the same meaning (数电票: 发票号码 blank, 数电发票号码 set)."""
    from cskit.schema import COALESCE

    left = raw.attrs.get("left", {})
    for canonical in COALESCE:
        if canonical not in raw.columns:
            continue
        for other in left.get(canonical, []):
            if other not in raw.columns:
                continue
            empty = V.is_blank(raw[canonical]) & ~V.is_blank(raw[other])
            if empty.any():
                raw.loc[empty, canonical] = raw.loc[empty, other]
                notes.append(("info", Text(
                    "{column}: {n} blank cells taken from {other!r}",
                    "“{column}”列有 {n} 个空白单元格，取自“{other}”列",
                    column=raw.attrs["headers"].get(canonical, canonical), n=int(empty.sum()),
                    other=other)))


def _say_choices(attrs: dict, notes: list) -> None:
    headers = attrs.get("headers", {})
    for canonical, others in attrs.get("left", {}).items():
        notes.append(("info", Text(
            "{canonical}: using column {used!r}, not {left}",
            "{canonical}：使用“{used}”列，未使用 {left}",
            canonical=canonical, used=headers.get(canonical, canonical),
            left=_list(Text("'{h}'", "“{h}”", h=o) for o in others))))
    for canonical, unit in attrs.get("unit_names", {}).items():
        factor = attrs.get("units", {}).get(canonical, 1)
        if factor != 1:
            notes.append(("info", Text(
                "{column}: amounts in {unit}, multiplied by {factor:,}",
                "“{column}”列：单位为{unit}，金额已乘以 {factor:,}",
                column=headers.get(canonical, canonical), unit=unit, factor=factor)))


def _red_invoices(frame: pd.DataFrame, notes: list) -> None:
    """数电票: 是否正数发票 = 否 marks a red invoice; its amount is negative
    even when the file holds it positive."""
    if "positive_invoice" not in frame.columns or "amount" not in frame.columns:
        return
    red = frame["positive_invoice"].eq(False).fillna(False).astype(bool) & (frame["amount"] > 0)
    if red.any():
        for column in ("amount", "paid_amount", "open_amount"):
            if column in frame.columns:
                frame.loc[red, column] = -frame.loc[red, column]
        notes.append(("info", Text(
            "{n} red invoices (是否正数发票 = 否) read as negative amounts",
            "{n} 张红字发票（是否正数发票为“否”）按负数金额读取", n=int(red.sum()))))


LOCAL_CURRENCY = {"", "cny", "rmb", "人民币", "¥", "元", "本位币", "人民币元"}
_LOCAL_AMOUNT = {"以本币计的金额", "本位币金额", "本币金额", "收款金额本位币", "实收金额本位币"}


def _foreign_currency(frame: pd.DataFrame, raw: pd.DataFrame, headers: dict, flag) -> None:
    """A currency column with another currency than yuan, and no local-currency
    amount: the amount cannot be added to yuan, so the row is bad. (The
    original-currency amount stays in the row for a later currency pass.)"""
    if "currency" not in frame.columns or "amount" not in frame.columns:
        return
    header = headers.get("amount", "amount")
    local = raw.attrs.get("currency", {}).get("amount") == "local" or \
        (H.describe(header).names[:1] and H.describe(header).names[0] in _LOCAL_AMOUNT)
    if local:
        return
    codes = frame["currency"].fillna("").astype(str).str.strip().str.lower()
    foreign = ~codes.isin(LOCAL_CURRENCY)
    if foreign.any():
        flag(foreign, "currency", Text(
            "CNY: this row is in {code}, and the file has no local-currency (本位币) amount, "
            "so its amount cannot be added to yuan; export the local-currency amount "
            "(本位币/以本币计的金额) too",
            "应为人民币（CNY）：此行币种为外币，而文件没有本位币金额列，不能把外币金额加到人民币里；"
            "请同时导出本位币金额（本位币/以本币计的金额）",
            code=Text("another currency", "外币")), frame["currency"])


def _paid_from_open(frame: pd.DataFrame, headers: dict, notes: list) -> None:
    """An open-amount column (未核销金额, 未收金额, 余额) in place of
    paid_amount: paid = amount − open."""
    if "open_amount" not in frame.columns or "amount" not in frame.columns:
        return
    if "paid_amount" in frame.columns:
        notes.append(("info", Text(
            "paid_amount: using column {paid!r}; the open amount {open!r} is not used",
            "paid_amount：使用“{paid}”列；未使用未收金额列“{open}”",
            paid=headers.get("paid_amount"), open=headers.get("open_amount"))))
        return
    # a blank open amount is not known to be paid: nothing is taken as received
    frame["paid_amount"] = V.round_cents(frame["amount"] - frame["open_amount"]).where(
        frame["open_amount"].notna())
    notes.append(("info", Text(
        "paid_amount = {amount!r} − {open!r} (the file gives the open amount)",
        "paid_amount（已收金额）=“{amount}”−“{open}”（文件给出的是未收金额）",
        amount=headers.get("amount", "amount"), open=headers.get("open_amount"))))


def _also_in_row(key, row) -> str:
    return render(Text("{key} (also in row {row})", "{key}（第 {row} 行也有）", key=key, row=row))


_DATE_SHAPED = r"\s*\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?\s*"


def _num(x) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


# --- tables of unknown shape --------------------------------------------------------
def read_workbook(path: str, *, encoding: str | None = None) -> dict[str, pd.DataFrame]:
    """Every non-empty sheet of a workbook (one table named after the file's
    stem for other formats), columns typed leniently (numbers, dates, text)."""
    ext = Path(path).suffix.lower() if path != "-" else ".csv"
    name = display_name(path)
    if ext in EXCEL_EXT:
        workbook = _excel_sheets(path)
        tables = {}
        for sheet in workbook.sheet_names:
            frame = _rows_to_frame(_sheet_rows(workbook, sheet, name), name, None)
            if frame is not None:
                tables[sheet] = _infer(_drop_totals_row(frame[~blank_rows(frame)]))
        if not tables:
            raise DataError(Problem(file=name, expected=Text("every sheet is empty",
                                                         "所有工作表都是空的")))
        return tables
    stem = Path(path).stem if path != "-" else "stdin"
    return {stem: _infer(_drop_totals_row(read_raw(path, encoding=encoding)))}


def read_any(path: str, *, encoding: str | None = None, sheet: str | None = None) -> pd.DataFrame:
    """One table of unknown shape, leniently typed."""
    return _infer(_drop_totals_row(read_raw(path, encoding=encoding, sheet=sheet)))


def _infer(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        out[column] = V.infer_column(out[column])
    return out
