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
from cskit.io import values as V

TEXT_EXT = {".csv", ".txt", ".tsv", ".tab", ""}
EXCEL_EXT = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
MAX_PROBLEMS = 200  # listed in detail; the rest are counted


def display_name(path: str) -> str:
    return "standard input" if path == "-" else str(path)


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
            raise DataError(Problem(file=name, expected=f"--encoding {encoding!r} is not an "
                                    "encoding Python knows (try utf-8 or gb18030)")) from None
        try:
            return data.decode(encoding).lstrip("\ufeff")
        except UnicodeDecodeError as exc:
            raise DataError(Problem(
                file=name, expected=f"cannot be read as {encoding} (byte {exc.start}); "
                "check --encoding")) from None
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
    raise DataError(Problem(
        file=name, expected="is neither UTF-8 nor GB18030/GBK text; give its encoding "
        "with --encoding (for example --encoding latin-1), or save it from Excel as "
        "'CSV UTF-8'"))


def _read_bytes(path: str) -> bytes:
    name = display_name(path)
    try:
        if path == "-":
            return sys.stdin.buffer.read()
        with open(path, "rb") as fh:
            return fh.read()
    except FileNotFoundError:
        raise DataError(Problem(file=name, expected="file not found")) from None
    except IsADirectoryError:
        raise DataError(Problem(file=name, expected="is a folder, not a file")) from None
    except PermissionError:
        raise DataError(Problem(file=name, expected="cannot be read: permission denied")) from None
    except OSError as exc:
        raise DataError(Problem(file=name, expected=f"cannot be read: {exc.strerror or exc}")) from None


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
        raise DataError(Problem(file=name, expected="is an Excel workbook, not a text file; "
                                "name it .xlsx (or .xls) so it is read as one"))
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise DataError(Problem(file=name, expected="is not a text table (it holds binary data); "
                                "expected CSV, TSV, XLSX, JSON or Parquet"))
    text = decode(data, name, encoding)
    if not text.strip():
        raise DataError(Problem(file=name, expected="is empty; expected a header row and data rows"))
    sep = sep or _sniff_delimiter(text)
    if "\n\n" not in text and "\n\r\n" not in text:
        # the fast path; blank lines (which Excel numbers) and rows of the
        # wrong width go to the exact path below, which can name their row
        fast = _read_text_arrow(text, data, sep, utf8_input=len(text) == len(data)
                                or _is_utf8_text(text, data))
        if fast is not None:
            return fast
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, header=None, dtype=str,
                            keep_default_na=False, na_filter=False, skip_blank_lines=False,
                            engine="c", quotechar='"')
    except pd.errors.ParserError as exc:
        match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if match:
            raise DataError(Problem(
                file=name, row=int(match[2]),
                expected=f"has {match[3]} cells but the header has {match[1]}; "
                "check for an unquoted delimiter or a stray line break")) from None
        raise DataError(Problem(file=name, expected=f"is not a readable CSV table: {exc}")) from None
    except pd.errors.EmptyDataError:
        raise DataError(Problem(file=name, expected="is empty; expected a header row and data rows")) from None
    header = frame.iloc[0].tolist()
    frame = frame.iloc[1:]
    frame.columns = _unique_headers(header)
    frame.index = pd.RangeIndex(2, 2 + len(frame), name="row")
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
    try:
        if path == "-":
            return CalamineWorkbook.from_filelike(io.BytesIO(_read_bytes(path)))
        return CalamineWorkbook.from_path(path)
    except FileNotFoundError:
        raise DataError(Problem(file=name, expected="file not found")) from None
    except PermissionError:
        raise DataError(Problem(file=name, expected="cannot be read: permission denied")) from None
    except Exception as exc:  # calamine raises its own error types
        head = b""
        try:
            with open(path, "rb") as fh:
                head = fh.read(2048)
        except OSError:
            pass
        if head and b"\x00" not in head[:512] and not head.startswith(b"PK"):
            raise DataError(Problem(file=name, expected="is not an Excel workbook (it looks like "
                                    "a text/CSV file); rename it to .csv")) from None
        raise DataError(Problem(file=name, expected=f"is not a readable Excel workbook ({exc})")) from None


def _sheet_rows(workbook, sheet_name: str, name: str) -> list[list]:
    try:
        sheet = workbook.get_sheet_by_name(sheet_name)
        return sheet.to_python(skip_empty_area=False)
    except Exception as exc:
        raise DataError(Problem(file=name, expected=f"sheet {sheet_name!r} cannot be read ({exc})")) from None


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
        raise DataError(Problem(file=name, expected="holds no sheets"))
    if sheet is not None:
        if sheet not in names:
            raise DataError(Problem(file=name, expected=f"has no sheet {sheet!r}; its sheets: "
                                    + ", ".join(names)))
        chosen = sheet
    else:
        chosen = names[0]
    frame = _rows_to_frame(_sheet_rows(workbook, chosen, name), name, wanted)
    if frame is None:
        others = [n for n in names if n != chosen]
        hint = f"; its other sheets: {', '.join(others)} (choose one with --sheet)" if others else ""
        raise DataError(Problem(file=f"{name} [{chosen}]", expected="the sheet is empty" + hint))
    frame.attrs["sheet"] = chosen
    return frame


def _read_json(path: str, encoding: str | None) -> pd.DataFrame:
    import json

    name = display_name(path)
    text = decode(_read_bytes(path), name, encoding)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(Problem(file=name, row=exc.lineno,
                                expected=f"is not valid JSON ({exc.msg})")) from None
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list)]
        data = lists[0] if len(lists) == 1 else [data]
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise DataError(Problem(file=name, expected="expected a JSON list of records "
                                "([{\"column\": value, ...}, ...])"))
    if not data:
        raise DataError(Problem(file=name, expected="holds no records"))
    frame = pd.DataFrame.from_records(data).astype(object)
    frame.columns = _unique_headers(list(frame.columns))
    frame.index = pd.RangeIndex(2, 2 + len(frame), name="row")
    return frame


def _read_parquet(path: str) -> pd.DataFrame:
    name = display_name(path)
    try:
        frame = pd.read_parquet(path)
    except FileNotFoundError:
        raise DataError(Problem(file=name, expected="file not found")) from None
    except Exception as exc:
        raise DataError(Problem(file=name, expected=f"is not a readable Parquet file ({exc})")) from None
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
        raise DataError(Problem(file=name, expected="is a folder, not a file"))
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
            problems.append(Problem(file=name, column=header, expected=(
                f"columns {found[canonical]!r} and {header!r} both mean {canonical}; "
                "keep one")))
            continue
        found[canonical] = header
        renamed[header] = canonical
    missing = [c for c in schema.columns if c.required and c.name not in found]
    for col in missing:
        also = f" (also accepted: {', '.join(col.aliases)})" if col.aliases else ""
        problems.append(Problem(file=name, column=col.name, expected=(
            f"required column {col.name}{also} is missing; columns found: "
            + ", ".join(map(str, frame.columns)))))
    for group in schema.one_of:
        if not any(g in found for g in group):
            problems.append(Problem(file=name, expected=(
                "needs at least one of the columns " + ", ".join(group)
                + "; columns found: " + ", ".join(map(str, frame.columns)))))
    if problems:
        raise DataError(problems)
    frame = frame.rename(columns=renamed)
    frame.attrs["headers"] = {v: k for k, v in renamed.items()}  # canonical → as in file
    return frame


# --- typed tables -----------------------------------------------------------------
def read_table(path: str, schema, *, encoding: str | None = None, sheet: str | None = None,
               collect_rows: bool = False, keep_raw: dict | None = None):
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
    if len(raw) == 0:
        raise DataError(Problem(file=name, expected="has a header but no data rows"))
    raw = match_headers(raw, schema, name)
    headers = raw.attrs.get("headers", {})
    if keep_raw is not None:
        keep_raw.update(raw=raw, headers=headers)
    frame = raw.copy()
    problems: list[Problem] = []
    more = 0
    reasons = pd.Series("", index=raw.index, dtype=object)
    bad_any = pd.Series(False, index=raw.index)

    def flag(mask: pd.Series, column: str, expected: str, shown: pd.Series):
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
        reasons.loc[rows] = reasons.loc[rows] + np.where(reasons.loc[rows] == "", "", "; ") \
            + f"{label}: expected {expected}"
        bad_any.loc[rows] = True

    for col in schema.columns:
        if col.name not in frame.columns:
            continue
        parsed, bad, expected = V.parse_column(raw[col.name], col)
        if col.type in ("date", "datetime") and bad.any():
            # 2026-02-30 is written as a date, so "expected a date" would puzzle
            unreal = bad & raw[col.name].astype(str).str.fullmatch(_DATE_SHAPED).fillna(False)
            flag(unreal.astype(bool), col.name,
                 "a day that exists in the calendar (check the month and the day)",
                 raw[col.name])
            bad = bad & ~unreal.astype(bool)
        flag(bad, col.name, expected, raw[col.name])
        if col.min is not None or col.max is not None:
            numbers = pd.to_numeric(parsed, errors="coerce")
            low = numbers < col.min if col.min is not None else False
            high = numbers > col.max if col.max is not None else False
            out = (pd.Series(low, index=raw.index) | pd.Series(high, index=raw.index)) & ~bad
            if out.any():
                bounds = ("between {} and {}".format(_num(col.min), _num(col.max))
                          if col.min is not None and col.max is not None
                          else f"at least {_num(col.min)}" if col.min is not None
                          else f"at most {_num(col.max)}")
                flag(out.fillna(False).astype(bool), col.name, f"a value {bounds}", raw[col.name])
        frame[col.name] = parsed
    for col in schema.columns:
        if col.name not in frame.columns:
            continue
        if col.required:
            missing = frame[col.name].isna() & ~bad_any
            if missing.any():
                flag(missing, col.name, f"a value ({col.name} is required)", raw[col.name])
        if col.unique:
            keys = frame[col.name]
            dup = keys.duplicated(keep="first") & keys.notna()
            if dup.any():
                first_row = keys[~keys.duplicated(keep="first")].reset_index().set_index(col.name)["row"]
                shown = keys.map(lambda k: f"{k} (also in row {first_row.get(k)})")
                flag(dup, col.name, f"a unique {col.name}; this one appears twice", shown)
    if problems or more:
        bad_rows = None
        if collect_rows:
            bad_rows = raw[bad_any].copy()
            bad_rows.columns = [headers.get(c, c) for c in bad_rows.columns]
            bad_rows["reject_reason"] = reasons[bad_any]
        frame.attrs["more_problems"] = more
        return frame, problems, bad_rows
    return frame, [], None


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
                tables[sheet] = _infer(frame)
        if not tables:
            raise DataError(Problem(file=name, expected="every sheet is empty"))
        return tables
    stem = Path(path).stem if path != "-" else "stdin"
    return {stem: _infer(read_raw(path, encoding=encoding))}


def read_any(path: str, *, encoding: str | None = None, sheet: str | None = None) -> pd.DataFrame:
    """One table of unknown shape, leniently typed."""
    return _infer(read_raw(path, encoding=encoding, sheet=sheet))


def _infer(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        out[column] = V.infer_column(out[column])
    return out
