"""DATA arguments → named tables with canonical columns, and what they are.

The tables render-report reads are mostly other cskit commands' outputs,
written with English or Chinese (``--lang zh``) headers; both are mapped
back to the canonical names of ``cskit.labels`` so that one template serves
both. Which command produced a table is recognised by its columns (SPEC §6:
"monthly recognises its tables by their columns when names do not say").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from cskit.io import values as V
from cskit.errors import DataError, Problem
from cskit.i18n import Join, Text
from cskit.labels import CODE_COLUMNS, HEADERS_ZH, KPI_LABELS_ZH, code_of, parameter_key

# Kinds of table a built-in template knows
KINDS = ("aging", "aging_detail", "credit", "kpi", "scorecard", "kpi_wide", "visits",
         "parameters", "table")

TOTAL_WORDS = {"total", "totals", "合计", "总计", "小计"}

MONEY_COLUMNS = {
    "outstanding", "not_due", "unapplied_credit", "net_outstanding", "credit_limit",
    "available_credit", "previous_limit", "amount", "applied", "reward", "annual_sales",
    "annual_profit", "annual_payments", "revenue", "gross_profit",
}
INT_COLUMNS = {
    "open_invoices", "max_days_overdue", "days_overdue", "final_level", "grade",
    "previous_grade", "rank", "months_active",
}
NUMBER_COLUMNS = {
    "dso", "best_dso", "days_delinquent", "score", "numerator", "denominator", "value",
    "target", "appraisal", "annualisation", "legal_points", "other_points", "sales_points",
    "profit_points", "payment_points", "subjective_points", "bad_record_points",
    "next_level_points", "self_score", "manager_score", "outstanding_limit_gap",
}
DATE_COLUMNS = {"date", "invoice_date", "due_date", "ship_date", "payment_date",
                "last_visit_date", "first_trade_date"}
BOOL_COLUMNS = {"met", "hold"}
# codes and numbers that are text even when a file holds them as numbers
TEXT_COLUMNS = {"customer_id", "staff_id", "entity_id", "invoice_no", "owner", "salesperson",
                "manager_id", "payment_id", "shipment_id", "phone", "mobile", "tel", "电话",
                "手机", "联系电话", "id_number", "身份证号", "period"}
BUCKET_RE = re.compile(r"^(not_due|\d+-\d+|\d+\+)$")

AN_AMOUNT = Text("an amount", "应为金额")
A_NUMBER = Text("a number", "应为数字")
A_DATE = Text("a date", "应为日期")

_TRUE = {"true", "1", "yes", "y", "是", "有", "✓", "√", "达标"}
_FALSE = {"false", "0", "no", "n", "否", "无", "✗", "×", "未达标"}


@dataclass
class Table:
    """One table of DATA: its name in templates, where it came from, its kind."""

    name: str
    frame: pd.DataFrame
    source: str
    kind: str = "table"
    sheet: str | None = None
    meta: dict = field(default_factory=dict)


def parse_spec(spec: str) -> tuple[str | None, str]:
    """``NAME=PATH`` or ``PATH``. A path may itself contain ``=``; the part
    before the first ``=`` is a name only when it looks like one."""
    if "=" in spec:
        name, path = spec.split("=", 1)
        if name and re.fullmatch(r"[\w\-\u4e00-\u9fff]+", name) and path:
            return name, path
    return None, spec


def slug(text: str) -> str:
    """A name usable as a template variable: ``Open items`` → ``open_items``."""
    text = re.sub(r"[^\w\u4e00-\u9fff]+", "_", str(text).strip().lower()).strip("_")
    if not text or text[0].isdigit():
        text = "t_" + text
    return text


def load(specs: list[str], read_workbook, encoding: str | None = None,
         sheet: str | None = None) -> list[Table]:
    """Read every DATA argument; an XLSX gives one table per sheet (only the
    sheet named ``sheet`` where a workbook has it).

    ``read_workbook(path, encoding=...)`` is the I/O layer's reader (passed
    in so that this module stays free of file I/O)."""
    tables: list[Table] = []
    for spec in specs:
        name, path = parse_spec(spec)
        stem = name or (Path(path).name.split(".")[0] if path != "-" else "stdin")
        sheets = read_workbook(path, encoding=encoding)
        if sheet and sheet in sheets:
            sheets = {sheet: sheets[sheet]}
        several = len(sheets) > 1
        for sheet_name, frame in sheets.items():
            table_name = slug(f"{stem}_{sheet_name}") if several else slug(stem)
            source = f"{path} [{sheet_name}]" if several else path
            table = Table(name=table_name, frame=canonical(frame), source=source,
                          sheet=sheet_name if several else None)
            # messages name a column as the file's header reads (应收余额, not outstanding)
            headers = {canonical_name(c): str(c).strip() for c in reversed(list(frame.columns))}
            table.kind = recognise(table)
            table.meta["previous"] = is_previous(name)
            if table.kind != "parameters":
                table.frame = typed(table.frame, source, headers)
            tables.append(table)
    _unique_names(tables)
    return tables


def _unique_names(tables: list[Table]) -> None:
    seen: dict[str, int] = {}
    for table in tables:
        if table.name in seen:
            seen[table.name] += 1
            table.name = f"{table.name}_{seen[table.name]}"
        else:
            seen[table.name] = 1


_REVERSE = {v: k for k, v in HEADERS_ZH.items()}
_REVERSE.update({v: k for k, v in KPI_LABELS_ZH.items()})
_CANONICAL = set(HEADERS_ZH) | set(KPI_LABELS_ZH) | MONEY_COLUMNS | INT_COLUMNS \
    | NUMBER_COLUMNS | DATE_COLUMNS | {"entity", "score", "policy_id", "owner", "tier",
                                       "phone", "reason", "detail", "activity", "status"}


def canonical_name(header) -> str:
    text = str(header).strip()
    if text in _REVERSE:
        return _REVERSE[text]
    key = re.sub(r"[\s_]+", "_", text.lower())
    if key in _CANONICAL:
        return key
    return text


def canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """Canonical headers, totals rows dropped."""
    frame = frame.rename(columns={c: canonical_name(c) for c in frame.columns})
    frame = frame.loc[:, ~frame.columns.duplicated()]
    return _drop_totals(frame)


def typed(frame: pd.DataFrame, source: str = "DATA",
          headers: dict[str, str] | None = None) -> pd.DataFrame:
    """Known columns as numbers, dates and booleans, whatever the file held.

    A report must not show a wrong total, so a cell of an amount or date
    column that is not one stops the run, naming file, row and column
    (``headers``: canonical name → the header in the file, for messages)."""
    frame = frame.copy()
    problems: list[Problem] = []
    for column in frame.columns:
        series = frame[column]
        if column in MONEY_COLUMNS or column in INT_COLUMNS or column in NUMBER_COLUMNS \
                or BUCKET_RE.match(str(column)):
            parsed = _numbers(series)
            expected = AN_AMOUNT if column in MONEY_COLUMNS or BUCKET_RE.match(str(column)) \
                else A_NUMBER
        elif column in DATE_COLUMNS and not pd.api.types.is_datetime64_any_dtype(series):
            try:
                parsed = pd.to_datetime(series.astype("string"), errors="coerce", format="mixed")
            except (ValueError, OverflowError):  # time zones mixed, years beyond pandas'
                parsed = V.parse_dates(series, with_time=True)[0]
            if getattr(parsed.dt, "tz", None) is not None:
                parsed = parsed.dt.tz_localize(None)
            parsed = parsed.where((parsed >= V.FIRST_DAY) & (parsed <= V.LAST_DAY))  # 1900–2200
            expected = A_DATE
        elif column in BOOL_COLUMNS:
            frame[column] = _booleans(series)
            continue
        elif column in CODE_COLUMNS and not pd.api.types.is_numeric_dtype(series):
            # a --lang zh output shows codes in Chinese: back to the codes
            distinct = {v: code_of(column, v) for v in series.dropna().unique()
                        if isinstance(v, str)}
            if any(k != v for k, v in distinct.items()):
                frame[column] = series.map(lambda v: distinct.get(v, v))
            continue
        elif column in TEXT_COLUMNS and pd.api.types.is_numeric_dtype(series) \
                and not pd.api.types.is_bool_dtype(series):
            frame[column] = series.map(lambda v: pd.NA if pd.isna(v) else f"{v:.0f}") \
                .astype("string")
            continue
        else:
            continue
        # a cell is wrong when it holds something that did not parse; only
        # those that did not parse are looked at as text
        suspect = (parsed.isna() & ~series.isna()).to_numpy(dtype=bool)
        bad = pd.Series(False, index=series.index)
        if suspect.any():
            blank = series[suspect].astype("string").str.strip().eq("").fillna(True)
            bad[suspect] = ~blank.astype(bool).to_numpy()
        for row in bad[bad].index[:50]:
            problems.append(Problem(file=source, row=int(row) if isinstance(row, (int, np.integer))
                                    else None, column=(headers or {}).get(column, str(column)),
                                    value=series.loc[row],
                                    expected=expected))
        frame[column] = parsed
    if problems:
        raise DataError(problems)
    return frame


def _drop_totals(frame: pd.DataFrame) -> pd.DataFrame:
    if frame.empty or len(frame.columns) == 0:
        return frame
    first = frame.iloc[:, 0].astype("string").str.strip().str.lower()
    return frame[~first.isin(TOTAL_WORDS).fillna(False).astype(bool)]


def _numbers(series: pd.Series) -> pd.Series:
    # the input layer's reading of figures: 1,234.50 but not 1234,50; nothing
    # of 10^15 or more, nan or inf (README "What cskit refuses to guess")
    return V.parse_figures(series)[0]


def _booleans(series: pd.Series) -> pd.Series:
    if pd.api.types.is_bool_dtype(series):
        return series.astype("boolean")
    text = series.astype("string").str.strip().str.lower()
    out = pd.Series(pd.NA, index=series.index, dtype="boolean")
    out[text.isin(_TRUE).fillna(False).astype(bool)] = True
    out[text.isin(_FALSE).fillna(False).astype(bool)] = False
    return out


def recognise(table: Table) -> str:
    """The command output a table is, from its columns (then its name)."""
    cols = set(table.frame.columns)
    sheet = (table.sheet or "").strip().lower()
    if sheet in {"parameters", "参数"} or cols <= {"parameter", "value", "参数", "值"} and len(cols) == 2:
        return "parameters"
    if "invoice_no" in cols and ({"days_overdue", "bucket"} & cols):
        return "aging_detail"
    if "outstanding" in cols and any(BUCKET_RE.match(str(c)) for c in cols):
        return "aging"
    if {"kpi", "value", "target"} <= cols:
        return "kpi"
    if "activity" in cols and "date" in cols:
        return "visits"
    if "customer_id" in cols and ({"final_level", "grade_label"} & cols
                                  or {"grade", "credit_limit"} <= cols):
        return "credit"
    if len(cols & set(KPI_LABELS_ZH)) >= 2:
        return "kpi_wide"  # rollup-kpi's one-column-per-KPI sheet
    if {"score", "rank"} <= cols and "customer_id" not in cols:
        return "scorecard"
    return "table"


def parameters(tables: list[Table]) -> dict[str, str]:
    """key → value of the Parameters sheets (as_of, command…), first wins."""
    found: dict[str, str] = {}
    for table in tables:
        if table.kind != "parameters" or table.frame.shape[1] < 2 or table.meta.get("previous"):
            continue
        for key, value in zip(table.frame.iloc[:, 0], table.frame.iloc[:, 1]):
            if pd.notna(key):
                if hasattr(value, "strftime"):
                    value = value.strftime("%Y-%m-%d")
                # a --lang zh workbook names its parameters in Chinese
                found.setdefault(parameter_key(str(key).strip()),
                                 "" if pd.isna(value) else str(value))
    return found


PREVIOUS_NAMES = ("previous", "prev", "last", "上期")


def is_previous(name: str | None) -> bool:
    """DATA named ``previous=…`` (or prev_aging=…, 上期=…) is last period's
    version of a table: the report compares against it, it is not reported."""
    return bool(name) and str(name).lower().startswith(PREVIOUS_NAMES)


def pick(tables: list[Table], kind: str, *, previous: bool = False) -> Table | None:
    for table in tables:
        if table.kind == kind and bool(table.meta.get("previous")) == previous:
            return table
    return None


# the command whose output each kind of table is
MADE_BY = {"credit": "score-credit", "aging": "aging-report", "aging_detail": "aging-report",
           "kpi": "rollup-kpi", "visits": "visit-plan"}


def require_some(tables: list[Table], kinds: tuple[str, ...], template: str) -> None:
    """A built-in template given none of the tables it is about says so."""
    if not any(t.kind in kinds and not t.meta.get("previous") for t in tables):
        commands = list(dict.fromkeys(MADE_BY.get(kind, kind) for kind in kinds))
        found = Join((", ", "，"), [
            Text("{source} (from {command})", "{source}（{command} 的输出）",
                 source=t.source, command=MADE_BY[t.kind]) if t.kind in MADE_BY
            else Text("{source} (not a table of these commands)", "{source}（不是这些命令的输出）",
                      source=t.source)
            for t in tables]) if tables else Text("no DATA", "没有给出 DATA")
        raise DataError(Problem(file=template, expected=Text(
            "needs a table written by {commands} (recognised by its columns); got {found}",
            "需要 {commands} 生成的表（按列名识别）；实际给出的是：{found}",
            commands=Join((" or ", " 或 "), commands), found=found)))
