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

import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

from cskit.errors import DataError, Problem
from cskit.i18n import Join, Text, language, render
from cskit.io import derive as D
from cskit.io import header as H
from cskit.io import values as V
from cskit.io.excel import _excel_sheets, _read_excel, _rows_to_frame, _sheet_rows  # noqa: F401
from cskit.io.sources import (A_FOLDER, EMPTY, EXCEL_EXT, NOT_FOUND, TEXT_EXT,  # noqa: F401
                              _list, _read_bytes, _read_json, _read_parquet, _read_text,
                              decode, display_name)

MAX_PROBLEMS = 200  # listed in detail; the rest are counted


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
    attrs = dict(frame.attrs)
    frame = V.nested_cells(frame)  # lists and tables in JSON/Parquet cells
    frame.attrs.update(attrs)
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
    found = H.match_columns(list(frame.columns), schema, keys,
                            lambda h: bool(len(frame)) and bool(V.is_blank(frame[h]).all()))
    if "amount" in schema.names and "amount" not in found.used and "amount_local" in found.used:
        # only local-currency (本位币) amounts in the file: they are the amount
        found.used["amount"] = found.used.pop("amount_local")
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
        named = found.used.get("customer_name")
        if any(c.name == "customer_id" for c in missing) and named is not None and len(frame) \
                and frame[named].astype(str).str.fullmatch(r"\s*[0-9A-Za-z\-_.]+\s*").all():
            hint = Text("Column {header!r} holds codes, not names (SAP's 客户 is the customer "
                        "account): if it is the customer id, add --map '{header}=customer_id'.",
                        "“{header}”列是编码而不是名称（SAP 的“客户”是客户账号）：如果它就是"
                        "客户编号，请加上 --map '{header}=customer_id'。", header=named)
        elif blank and (missing or unmet):
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
               mapping: dict[str, str] | None = None, allow_empty: bool = False,
               currency_aware: bool = False):
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
    ``allow_empty``: a file with a header and no data rows is an empty table.
    ``currency_aware``: the command allocates in each row's own currency
    (aging-report), so foreign rows keep their original amount.

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
    if len(raw) == 0 and not allow_empty:
        raise DataError(Problem(file=name, expected=Text("has a header but no data rows",
                                                         "只有表头，没有数据行")))
    raw = match_headers(raw, schema, name, mapping)
    if len(raw) == 0:
        if keep_raw is not None:
            keep_raw.update(raw=raw, headers=raw.attrs.get("headers", {}))
        return _empty_frame(raw, schema), [], None
    headers = raw.attrs.get("headers", {})
    scales = raw.attrs.get("units", {})
    notes: list[tuple[str, Text]] = list(raw.attrs.get("reader_notes", []))
    physical = len(raw)
    kinds = S.classify(raw, schema)
    aside_mask = (kinds != "").to_numpy()
    aside = raw[aside_mask]
    aside_kinds = kinds[aside_mask]
    attrs = dict(raw.attrs)
    if aside_mask.any():  # a filter copies every column
        raw = raw[~aside_mask]
    raw.attrs.update(attrs)
    counts = {k: int((aside_kinds == k).sum()) for k in S.KINDS}
    unit = H.title_unit(attrs.get("titles", ""))
    money = [c.name for c in schema.columns if c.type == "money" and c.name in raw.columns]
    if unit and money and not any(scales.get(c, 1) != 1 for c in money):
        # 金额单位：万元 above the header: every money column without a unit of its own
        factor = H.UNITS[unit]
        scales = {**scales, **{c: factor for c in money}}
        raw.attrs["units"] = scales
        notes.append(("warn", Text(
            "the title above the header says amounts are in {unit}: {columns} multiplied by "
            "{factor:,}",
            "表头上方的标题注明金额单位为{unit}：{columns} 列已乘以 {factor:,}",
            unit=unit, factor=factor, columns=_list(headers.get(c, c) for c in money))))
    D.coalesce(raw, schema, notes)
    D.say_choices(raw.attrs, notes)
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
        column, note = V.decimal_comma_column(raw[col.name], col, attrs.get("delimiter"))
        notes += [("warn", note)] if note else []
        if col.type == "money" and scales.get(col.name, 1) != 1:
            parsed, bad = V.parse_money(column, scale=scales[col.name])
            bad, expected = bad.astype(bool), V.MONEY_EXPECTED
        else:
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
    D.red_invoices(frame, notes)
    D.foreign_currency(frame, raw, headers, flag, notes, currency_aware)
    D.paid_from_open(frame, headers, notes)
    for column, mask, reason in V.row_rules(frame, schema, bad_any):  # paid within amount
        flag(mask, column, reason, raw[column])
    frame, merged, documents, distinct = S.sum_lines(frame, schema)
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
        # (no value of ``distinct`` repeats; no_repeats: one Arrow look that says so)
        if col.unique and col.name != distinct and not S.no_repeats(frame[col.name]):
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
             and c not in D.flat(raw.attrs.get("left", {}))], schema, set(headers)):
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
    frame.attrs.update(set_aside={}, rows=0, notes=[], headers=raw.attrs.get("headers", {}))
    return frame
