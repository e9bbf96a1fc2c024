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
from cskit.io import excel_errors, values as V

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
    sample = "\n".join(text[:65536].splitlines()[:30])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        first = sample.split("\n", 1)[0]
        counts = {d: first.count(d) for d in (",", ";", "\t", "|")}
        best = max(counts, key=counts.get)
        return best if counts[best] else default


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


def _read_text(path: str, encoding: str | None, sep: str | None) -> pd.DataFrame:
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
    sep = sep or _sniff_delimiter(text)
    if "\n\n" not in text and "\n\r\n" not in text:
        # the fast path; blank lines (which Excel numbers) and rows of the
        # wrong width go to the exact path below, which can name their row
        fast = _read_text_arrow(text, data, sep, utf8_input=len(text) == len(data)
                                or _is_utf8_text(text, data))
        if fast is not None:
            fast.attrs["delimiter"] = sep
            return fast
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, header=None, dtype=str,
                            keep_default_na=False, na_filter=False, skip_blank_lines=False,
                            engine="c", quotechar='"')
    except pd.errors.ParserError as exc:
        match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if match:
            raise DataError(Problem(file=name, row=int(match[2]), expected=Text(
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
        raise DataError(Problem(file=name, expected=EMPTY)) from None
    header = frame.iloc[0].tolist()
    frame = frame.iloc[1:]
    frame.columns = _unique_headers(header)
    frame.index = pd.RangeIndex(2, 2 + len(frame), name="row")
    frame.attrs["delimiter"] = sep
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


def _excel_sheets(path: str):
    from python_calamine import CalamineWorkbook

    name = display_name(path)
    if path != "-" and not os.path.isfile(path):  # calamine's own error says less
        raise DataError(Problem(file=name, expected=A_FOLDER if os.path.isdir(path)
                                else NOT_FOUND))
    try:
        if path == "-":
            return CalamineWorkbook.from_filelike(io.BytesIO(_read_bytes(path)))
        return CalamineWorkbook.from_path(path)
    except FileNotFoundError:
        raise DataError(Problem(file=name, expected=NOT_FOUND)) from None
    except PermissionError as exc:
        raise DataError(Problem(file=name, expected=_cannot_read(exc))) from None
    except Exception as exc:  # calamine raises its own error types
        head = b""
        try:
            with open(path, "rb") as fh:
                head = fh.read(2048)
        except OSError:
            pass
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
    try:
        sheet = workbook.get_sheet_by_name(sheet_name)
        rows = sheet.to_python(skip_empty_area=False)
        excel_errors.restore(path, sheet_name, rows)  # #N/A cells, which come back empty
        return rows
    except Exception as exc:
        raise DataError(Problem(file=name, expected=Text(
            "sheet {sheet!r} cannot be read (detail: {detail})",
            "工作表“{sheet}”无法读取（详情：{detail}）",
            sheet=sheet_name, detail=str(exc).strip()))) from None


def _header_score(row: list, wanted: set[str]) -> int:
    return sum(1 for cell in row if normalize_header(cell) in wanted)


def _rows_to_frame(rows: list[list], name: str, wanted: set[str] | None) -> pd.DataFrame | None:
    """Find the header row (the first non-empty one, or among the first ten
    the one naming most known columns: exports often put a title above)."""
    nonempty = [i for i, r in enumerate(rows) if any(not _is_empty(c) for c in r)]
    if not nonempty:
        return None
    header_at = nonempty[0]
    if wanted:
        best = max(nonempty[:10], key=lambda i: (_header_score(rows[i], wanted), -i))
        if _header_score(rows[best], wanted) > _header_score(rows[header_at], wanted):
            header_at = best
    frame = _frame_from_rows(rows[header_at:], name, first_row=header_at + 1)
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
    except RecursionError:
        raise DataError(Problem(file=name, expected=V.TOO_DEEP)) from None
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
             wanted: set[str] | None = None) -> pd.DataFrame:
    """One table's cells as the file holds them; index = Excel row number.
    Rows that are entirely empty are dropped (their numbers are kept by the
    others). ``wanted``: normalised header names that help find the header
    row of a sheet with a title above it."""
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
        frame = _read_text(path, encoding, "\t")
    elif ext in TEXT_EXT:
        frame = _read_text(path, encoding, None)
    else:
        head = _read_bytes(path)[:8]
        if head.startswith(b"PK"):
            frame = _read_excel(path, sheet, wanted)
        elif head.startswith(b"PAR1"):
            frame = _read_parquet(path)
        else:
            frame = _read_text(path, encoding, None)
    frame = V.nested_cells(frame)  # lists and tables in JSON/Parquet cells
    if len(frame.columns):
        empty = V.is_blank(frame.iloc[:, 0])
        for column in frame.columns[1:]:
            if not empty.any():
                break
            empty &= V.is_blank(frame[column])
        frame = frame[~empty]
    return _drop_totals_row(frame)


TOTAL_WORDS = {"total", "totals", "grandtotal", "合计", "总计", "合计:", "总计:", "小计"}


def _drop_totals_row(frame: pd.DataFrame) -> pd.DataFrame:
    """A last row labelled 合计/总计/Total in one of its first cells is the
    sheet's totals (as exports and our own Summary sheets end), not data."""
    if len(frame) < 2:
        return frame
    last = frame.iloc[-1, :3].tolist()
    if any(isinstance(v, str) and normalize_header(v).rstrip(":：") in TOTAL_WORDS for v in last):
        frame = frame.iloc[:-1]
        frame.attrs["totals_row"] = True
    return frame


# --- headers --------------------------------------------------------------------
_UNIT = re.compile(r"[（(][^（）()]{1,6}[)）]$")


def normalize_header(header) -> str:
    """Case-, space- and underscore-insensitive form of a header; a trailing
    unit in brackets (`金额（元）`) and a required-field star are ignored."""
    text = unicodedata.normalize("NFKC", str(header)).replace("\ufeff", "").strip()
    text = text.rstrip("*").strip()
    text = _UNIT.sub("", text)
    return re.sub(r"[\s_\-]+", "", text).lower()


def alias_table(schema) -> dict[str, str]:
    table: dict[str, str] = {}
    for col in schema.columns:
        for alias in (col.name, *col.aliases):
            table.setdefault(normalize_header(alias), col.name)
    return table


def match_headers(frame: pd.DataFrame, schema, name: str) -> pd.DataFrame:
    """Rename the file's headers to canonical names; unknown ones stay."""
    table = alias_table(schema)
    renamed: dict[str, str] = {}
    found: dict[str, str] = {}
    problems = []
    for header in frame.columns:
        canonical = table.get(normalize_header(header))
        if canonical is None:
            continue
        if canonical in found:
            problems.append(Problem(file=name, column=header, expected=Text(
                "columns {first!r} and {second!r} both mean {canonical}; keep one",
                "“{first}”和“{second}”两列都表示 {canonical}，请只保留一列",
                first=found[canonical], second=header, canonical=canonical)))
            continue
        found[canonical] = header
        renamed[header] = canonical
    blank = [i for i, header in enumerate(frame.columns) if header == f"column_{i + 1}"]
    headers = _list(Text("(blank)", "（空白）") if i in blank else header
                    for i, header in enumerate(frame.columns))
    missing = [c for c in schema.columns if c.required and c.name not in found]
    for col in missing:
        problems.append(Problem(file=name, expected=_missing_column(col, headers)))
    unmet = [group for group in schema.one_of if not any(g in found for g in group)]
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
    frame = frame.rename(columns=renamed)
    frame.attrs["headers"] = {v: k for k, v in renamed.items()}  # canonical → as in file
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
               allow_empty: bool = False):
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
    """
    name = display_name(path)
    wanted = set(alias_table(schema))
    raw = read_raw(path, encoding=encoding, sheet=sheet, wanted=wanted)
    if "sheet" in raw.attrs and raw.attrs["sheet"]:
        name = f"{name} [{raw.attrs['sheet']}]" if sheet else name
    if len(raw) == 0 and not allow_empty:  # allow_empty: a header-only file is no rows
        raise DataError(Problem(file=name, expected=Text("has a header but no data rows",
                                                         "只有表头，没有数据行")))
    raw = match_headers(raw, schema, name)
    headers = raw.attrs.get("headers", {})
    if keep_raw is not None:
        keep_raw.update(raw=raw, headers=headers)
    if len(raw) == 0:
        return _empty_frame(raw, schema), [], None
    frame = raw.copy()
    problems: list[Problem] = []
    more = 0
    reasons = pd.Series("", index=raw.index, dtype=object)
    bad_any = pd.Series(False, index=raw.index)
    separator = "；" if language() == "zh" else "; "
    notes: list[Text] = []  # how a column was read, for stderr (decimal commas)

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
        column, note = V.decimal_comma_column(raw[col.name], col, raw.attrs.get("delimiter"))
        notes += [note] if note else []
        parsed, bad, expected = V.parse_column(column, col)
        for mask, reason in V.bad_reasons(raw[col.name], col, bad):  # #N/A, out of range…
            flag(mask, col.name, reason, raw[col.name])
            bad = bad & ~mask
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
    for column, mask, reason in V.row_rules(frame, schema, bad_any):  # paid within amount
        flag(mask, column, reason, raw[column])
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
    frame.attrs["notes"] = notes
    if problems or more:
        bad_rows = None
        if collect_rows:
            bad_rows = raw[bad_any].copy()
            bad_rows.columns = [headers.get(c, c) for c in bad_rows.columns]
            bad_rows["reject_reason"] = reasons[bad_any]
        frame.attrs["more_problems"] = more
        return frame, problems, bad_rows
    return frame, [], None


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
            frame = _rows_to_frame(_sheet_rows(workbook, sheet, name, path), name, None)
            if frame is not None:
                tables[sheet] = _infer(frame)
        if not tables:
            raise DataError(Problem(file=name, expected=Text("every sheet is empty",
                                                         "所有工作表都是空的")))
        return tables
    stem = Path(path).stem if path != "-" else "stdin"
    return {stem: _infer(read_raw(path, encoding=encoding))}


def read_any(path: str, *, encoding: str | None = None, sheet: str | None = None) -> pd.DataFrame:
    """One table of unknown shape, leniently typed."""
    return _infer(read_raw(path, encoding=encoding, sheet=sheet))


def _infer(frame: pd.DataFrame) -> pd.DataFrame:
    from cskit.personal import column_kind

    out = frame.copy()
    for column in out.columns:
        if column_kind(column):  # phone and ID numbers are text: never a float
            out[column] = V.parse_text(out[column])[0]
            continue
        out[column] = V.infer_column(out[column])
    return out


_EMPTY_DTYPES = {"str": "str", "date": "datetime64[ns]", "datetime": "datetime64[ns]",
                 "money": "float64", "number": "float64", "int": "Int64", "bool": "boolean"}


def _empty_frame(raw: pd.DataFrame, schema) -> pd.DataFrame:
    """A header-only table (``allow_empty``): no rows, each column typed."""
    types = {c.name: c.type for c in schema.columns}
    frame = pd.DataFrame({name: pd.Series(dtype=_EMPTY_DTYPES.get(types.get(name), "str"))
                          for name in raw.columns})
    frame.index = pd.RangeIndex(0, name=raw.index.name or "row")
    return frame

