"""Files → cells: bytes, encodings, CSV/TSV text, JSON and Parquet.

``cskit.io.read.read_raw`` dispatches here (and to ``cskit.io.excel`` for
workbooks); each reader returns a DataFrame of the cells as the file holds
them, indexed by the row number as Excel shows it (header = row 1, or the
row where the header was found under titles).
"""
from __future__ import annotations

import codecs
import csv
import io
import os
import re
import sys

import numpy as np
import pandas as pd

from cskit.errors import DataError, Problem
from cskit.i18n import Join, Text, os_reason, render
from cskit.io import header as H
from cskit.io import values as V

TEXT_EXT = {".csv", ".txt", ".tsv", ".tab", ""}
EXCEL_EXT = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}

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
    if encoding is None and path != "-":
        fast = _read_utf8_file(path, sep, wanted)
        if fast is not None:
            return fast
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
    if encoding is None:
        fast = _read_utf8(data, sep, wanted)
        if fast is not None:
            return fast
    text = decode(data, name, encoding)
    if not text.strip():
        raise DataError(Problem(file=name, expected=EMPTY))
    unified = _unify_newlines(text)
    if unified is not text:
        text, data = unified, b""
    sep = sep or _sniff_delimiter(text)
    skip, names, first_header, titles = 1, None, 1, ""
    if wanted:
        head = text.split("\n", H.SCAN_ROWS + 21)[:H.SCAN_ROWS + 20]
        rows = list(csv.reader(head, delimiter=sep))
        located = H.locate_header(rows, wanted)
        if located is not None and (located[0], located[1]) != (0, 1):
            skip, names, first_header = located[0] + located[1], located[2], located[0] + 1
            titles = H.title_text(rows[:located[0]])
    if skip > 1 or names is not None:
        frame = _read_text_body(text, sep, name, skip, names)
        frame.attrs["header_rows"] = (first_header, skip)
        frame.attrs["titles"] = titles
        return _delimited(_multiline(frame, text, skip), sep)
    if "\n\n" not in text and "\n\r\n" not in text and data:
        # the fast path; blank lines (which Excel numbers) and rows of the
        # wrong width go to the exact path below, which can name their row
        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8):]
        utf8 = data if len(text) == len(data) or _is_utf8_text(text, data) \
            else text.encode("utf-8")
        fast = _read_text_arrow(text[:1 << 20], utf8, sep, '"' in text)
        if fast is not None:
            return _delimited(_multiline(fast, text, 1), sep)
    return _delimited(_multiline(_read_text_body(text, sep, name, 0, None), text, 1), sep)


_HEAD_BYTES = 1 << 20
_BLOCK = 1 << 24  # the rest of a large file is looked at in blocks this size


def _read_utf8(data: bytes, sep: str | None, wanted: set[str] | None) -> pd.DataFrame | None:
    """The common case read straight from the bytes: UTF-8 text with its
    header on the first line, LF or CRLF line ends. Only the first megabyte
    is decoded in Python (separator, header); Arrow checks that the rest is
    UTF-8 as it reads. None when the file is anything else, for the exact
    path of ``_read_text`` to read it as before."""
    plan = _utf8_head(data[:_HEAD_BYTES], len(data) <= _HEAD_BYTES, sep, wanted)
    if plan is None:
        return None
    head, sep = plan
    body = data[len(codecs.BOM_UTF8):] if data.startswith(codecs.BOM_UTF8) else data
    if _bare_cr(body):
        return None
    quoted = b'"' in body
    frame = _read_text_arrow(head, body, sep, quoted)
    if frame is None:
        return None
    lines = body.count(b"\n") + (0 if body.endswith(b"\n") else 1) if quoted else 0
    return _delimited(_multiline_lines(frame, quoted, lines, 1), sep)


def _read_utf8_file(path: str, sep: str | None, wanted: set[str] | None) -> pd.DataFrame | None:
    """``_read_utf8`` for a large file, which Arrow reads from the disk:
    the whole file is never held in memory as bytes (10M invoices: 1.1 GB
    less). None when the exact path must read it."""
    try:
        size = os.path.getsize(path)
        if size <= 8 * _BLOCK or not os.path.isfile(path):
            return None  # small files: one read, as bytes
        with open(path, "rb") as fh:
            first = fh.read(_HEAD_BYTES)
            if (first[:4] == b"PK\x03\x04" or b"\x00" in first[:4096]
                    or first[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
                return None  # the exact path names what the file is
            plan = _utf8_head(first, size <= _HEAD_BYTES, sep, wanted)
            if plan is None:
                return None
            head, sep = plan
            # bare CR line ends, quotes and line count, a block at a time
            fh.seek(0)
            quoted, lines, cr_before, last = False, 0, False, b""
            while block := fh.read(_BLOCK):
                if cr_before and not block.startswith(b"\n"):
                    return None
                cr_before = block.endswith(b"\r")
                if _bare_cr(block[:-1] if cr_before else block):
                    return None
                quoted = quoted or b'"' in block
                lines += block.count(b"\n")
                last = block[-1:]
            if cr_before:
                return None
    except OSError:
        return None  # the exact path says why the file cannot be read
    frame = _read_text_arrow(head, path, sep, quoted)
    if frame is None:
        return None
    lines = lines + (0 if last == b"\n" else 1)
    return _delimited(_multiline_lines(frame, quoted, lines, 1), sep)


def _bare_cr(data: bytes) -> bool:
    """Whether a CR ends a line on its own (old Mac Excel), not as CRLF."""
    return b"\r" in data and data.count(b"\r") != data.count(b"\r\n")


def _utf8_head(first: bytes, complete: bool, sep: str | None,
               wanted: set[str] | None) -> tuple[str, str] | None:
    """The first megabyte of a file read by Arrow: (its text, the separator),
    or None when the exact path must read the file (UTF-16, empty, not
    UTF-8, titles above the header, a one-column table)."""
    if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    if first.startswith(codecs.BOM_UTF8):
        first = first[len(codecs.BOM_UTF8):]
    if _bare_cr(first if complete else first[:-1]):
        return None  # bare CR line ends: the exact path makes them LF
    start = re.search(rb"[^ \t\n\r\x0b\x0c]", first)
    if start is None or first[start.start()] >= 0x80:
        return None  # empty, or only (maybe Unicode) spaces: the exact path says so
    try:
        head = codecs.getincrementaldecoder("utf-8")().decode(first, final=complete)
    except UnicodeDecodeError:
        return None  # GB18030, or not text
    sep = sep or _sniff_delimiter(head)
    if wanted:
        lines = head.split("\n", H.SCAN_ROWS + 21)
        if len(lines) <= H.SCAN_ROWS + 21 and not complete:
            return None  # lines too long to see the header's surroundings here
        rows = list(csv.reader(lines[:H.SCAN_ROWS + 20], delimiter=sep))
        located = H.locate_header(rows, wanted)
        if located is not None and (located[0], located[1]) != (0, 1):
            return None  # titles above the header, or a merged header
    # Arrow reads a blank line as a row of empty cells, numbered as Excel
    # numbers it; in a one-column table the exact path reads it instead
    if len(head.split("\n", 1)[0].split(sep)) < 2:
        return None
    return head, sep


def _delimited(frame: pd.DataFrame, sep: str) -> pd.DataFrame:
    """Remember the file's delimiter: a ';' file may use decimal commas."""
    frame.attrs["delimiter"] = sep
    return frame


def _multiline(frame: pd.DataFrame, text: str, header_lines: int) -> pd.DataFrame:
    """A quoted cell may run over several lines (an address, or a stray
    quote that swallowed the lines after it): number the rows after it by
    the lines they are on, and say which rows did so."""
    if '"' not in text or len(frame) == 0:
        return frame
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    return _multiline_lines(frame, True, lines, header_lines)


def _multiline_lines(frame: pd.DataFrame, quoted: bool, lines: int,
                     header_lines: int) -> pd.DataFrame:
    """``_multiline`` given whether the file has a quote and its line count."""
    if not quoted or len(frame) == 0:
        return frame
    if lines <= header_lines + len(frame) + 0:
        return frame
    extra = np.zeros(len(frame), dtype=np.int64)
    for column in frame.columns:
        cells = frame[column]
        if cells.dtype == object or pd.api.types.is_string_dtype(cells.dtype):
            extra += cells.astype(str).str.count("\n").fillna(0).to_numpy(dtype=np.int64)
    if not extra.any():
        return frame
    attrs = dict(frame.attrs)
    first = int(frame.index[0])
    frame.index = pd.Index(first + np.arange(len(frame)) + np.concatenate(
        [[0], np.cumsum(extra)[:-1]]), name="row")
    frame.attrs.update(attrs)
    spans = [(int(row), int(n)) for row, n in zip(frame.index, extra) if n]
    frame.attrs["reader_notes"] = [("warn", Text(
        "{n} row(s) have a quoted cell that runs over several lines (row {row}: {lines} lines); "
        "if a quote there is stray, the lines after it were read into that cell — check them",
        "有 {n} 行含跨多行的带引号单元格（第 {row} 行跨 {lines} 行）；如果那里的引号是多余的，"
        "其后各行已被读进该单元格，请核对",
        n=len(spans), row=spans[0][0], lines=spans[0][1] + 1))]
    return frame


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


def _read_text_arrow(head: str, utf8: bytes | str, sep: str,
                     quoted: bool) -> pd.DataFrame | None:
    """Read every cell as text with Arrow's CSV reader (fast, multi-threaded):
    ``utf8`` the file's bytes as UTF-8, or its path, ``head`` its start as
    text (the header line must be in it), ``quoted`` whether it has a quote.
    The header line is skipped (a BOM with it); columns come as large
    strings, which pandas keeps without a copy."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    header = next(csv.reader(io.StringIO(head), delimiter=sep), None)
    if not header:
        return None
    names = [f"c{i}" for i in range(len(header))]
    try:
        table = pacsv.read_csv(
            utf8 if isinstance(utf8, str) else pa.BufferReader(utf8),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=sep, newlines_in_values=quoted,
                                             ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.large_string() for n in names}, strings_can_be_null=False,
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

def _read_json(path: str, encoding: str | None) -> pd.DataFrame:
    import json

    name = display_name(path)
    text = decode(_read_bytes(path), name, encoding)
    try:
        data = json.loads(text)
    except RecursionError:
        raise DataError(Problem(file=name, expected=V.TOO_DEEP)) from None
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
