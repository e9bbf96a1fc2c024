"""Cells no column takes (spreadsheet errors, nan/inf, lists and tables
inside a cell), the precise reasons some bad cells are bad, and the rules
across the columns of a row.
"""
from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd

from cskit.i18n import Text
from cskit.io.values.common import (_COMPACT_DATE, _DATE, EXCEL_ERRORS, FIRST_YEAR, LAST_YEAR,
                                    MONEY_LIMIT, NUMBER_LIMIT, _arrow_strings, first_byte_in,
                                    is_excel_error)
from cskit.io.values.numbers import _groups_ok, _magnitude


# the first bytes of a cell that ``_refused`` can take: the spaces of RE2's
# \s (and \v) and "#" (every spreadsheet error starts with it) and, where a
# number or a date is expected, a sign and the n/i of nan/inf in either case
_ERROR_FIRST = b"\t\n\v\f\r #"
_REFUSED_FIRST = _ERROR_FIRST + b"+-nNiI"
_NOT_NUMBERS = {"nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity",
                "-infinity", "#num!"}


class Nested:
    """A list or a table found in one cell (JSON, Parquet), shown as text;
    no column takes it as a value."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __str__(self) -> str:
        return self.text

    __repr__ = __str__

    def __eq__(self, other) -> bool:
        return isinstance(other, Nested) and other.text == self.text

    def __hash__(self) -> int:
        return hash(("nested", self.text))


TOO_DEEP = Text("nests lists or records too deeply to be a table; expected "
                '[{{"column": value, ...}}, ...]',
                '嵌套层数过深，不是表格；应为 [{{"列名": 值, ...}}, ...] 的形式')
NESTED = Text("a single value, not a list or a table inside one cell",
              "应为单个值，而不是放在一个单元格里的列表或表")


def nested_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Cells holding a list, an array or a dict (JSON, Parquet list/struct
    columns) become ``Nested`` text, which every typed column refuses."""
    copied = False
    for column in frame.columns:
        values = frame[column]
        if values.dtype != object:
            continue
        nested = values.map(type).isin([list, dict, tuple, set, np.ndarray])
        if nested.any():
            if not copied:
                frame, copied = frame.copy(), True
            frame[column] = values.where(~nested, values[nested].map(_nested_text))
    return frame


def _nested_text(value) -> Nested:
    if isinstance(value, np.ndarray):
        value = value.tolist()
    text = repr(value)
    return Nested(text if len(text) <= 200 else text[:197] + "...")


def _refused(values: pd.Series, kind: str) -> pd.Series | None:
    """Cells no column takes: the errors a spreadsheet shows instead of a
    value (#N/A, #DIV/0!…), and, where a number or a date is expected, the
    words nan and inf."""
    if not (values.dtype == object or pd.api.types.is_string_dtype(values.dtype)):
        return None
    words = set(w.lower() for w in EXCEL_ERRORS)
    if kind in ("money", "number", "int", "date", "datetime"):
        words |= _NOT_NUMBERS
    if isinstance(values.dtype, pd.StringDtype) and hasattr(values.array, "__arrow_array__"):
        # only a cell starting with a space, # or the first letter of nan/inf
        # can match the look below: those few are the ones looked at
        typed = kind in ("money", "number", "int", "date", "datetime")
        maybe = first_byte_in(values.array.__arrow_array__(),
                              _REFUSED_FIRST if typed else _ERROR_FIRST)
        if not maybe.any():
            return None
        few = _refused(values[maybe].astype(object), kind)
        if few is None:
            return None
        hit = pd.Series(False, index=values.index)
        hit[maybe] = few.to_numpy()
        return hit
    present = values.dropna() if values.hasnans else values
    if not len(present):
        return None
    hit = pd.Series(False, index=values.index)
    if values.dtype == object:
        kinds = present.map(type)
        hit.loc[present.index] = kinds.eq(Nested)
        present = present[kinds.eq(str)]
    # one vectorised look for a leading # (or nan/inf); the few that have one are checked
    import pyarrow.compute as pc

    text = present.astype("str")
    maybe = pc.match_substring_regex(_arrow_strings(text, chunked=True),
                                     r"^\s*(?:#|[+-]?(?:nan|inf))", ignore_case=True)
    maybe = np.asarray(pc.fill_null(maybe, False).to_numpy(zero_copy_only=False), dtype=bool)
    if maybe.any():
        few = text[maybe]
        hit.loc[few.index] = (few.str.len() < 20) & few.str.strip().str.lower().isin(words)
    return hit if hit.any() else None


# why some bad cells are bad, beyond "expected …" (README "What cskit refuses to guess")
EXCEL_ERROR = Text("a value, not a spreadsheet error: correct the formula (or type the value) "
                   "in the workbook and export again",
                   "应为数值，而不是表格公式错误：请在原工作簿中修正公式（或直接填入数值）后重新导出")
NUMBER_RANGE = Text("a finite number smaller than 10^15 in size (cskit's limit for amounts "
                    "and numbers); this one is out of range",
                    "数值超出范围：应为绝对值小于 10^15 的有限数值（cskit 对金额和数值的限制）")
MONEY_RANGE = Text("a finite amount smaller than 10^13 yuan in size (cskit's limit for "
                   "amounts, below which every total is exact to the cent); this one is out "
                   "of range",
                   "金额超出范围：应为绝对值小于 10^13 元的有限金额（cskit 对金额的限制，"
                   "在此范围内所有合计都能精确到分）")
NOT_A_NUMBER = Text("a number; nan (not a number) is not one", "应为数值；nan（非数值）不是数值")
DATE_RANGE = Text("a date between 1900-01-01 and 2200-12-31 (cskit's limit); this one is "
                  "out of range",
                  "日期超出范围：应在 1900-01-01 至 2200-12-31 之间（cskit 对日期的限制）")
DECIMAL_COMMA = Text("an amount with a decimal point, such as 1234.50; a comma separates "
                     "thousands only in groups of three (1,234.50), so this value would "
                     "have to be guessed",
                     "应为用小数点表示小数的金额，如 1234.50；逗号只能作千位分隔符且每组三位"
                     "（如 1,234.50），此值无法确定其含义")
MIXED_ZONES = Text("a date and time without a time-zone offset: this column mixes cells "
                   "with an offset and cells without one, which cannot be put on one clock",
                   "应为不带时区的日期时间：此列有的单元格带时区、有的不带，无法统一到同一时钟")


def bad_reasons(values: pd.Series, col, bad: pd.Series) -> list[tuple[pd.Series, Text]]:
    """Among the BAD cells of a column, those with a more precise reason than
    the column's expectation: a spreadsheet error (#N/A), a number or date
    out of range, a decimal comma, mixed time zones. (mask, reason) pairs."""
    if not bad.any():
        return []
    out = []
    nested = values.map(type).eq(Nested) & bad if values.dtype == object else bad & False
    if nested.any():
        out.append((nested, NESTED))
        bad = bad & ~nested
    cells = values[bad]
    kind = col.type
    codes, uniques = pd.factorize(cells.astype(object).map(_hashable), use_na_sentinel=True)
    reasons = [_reason(u, kind) for u in uniques]
    for reason in dict.fromkeys(r for r in reasons if r is not None):
        hit = np.isin(codes, [i for i, r in enumerate(reasons) if r is reason])
        mask = pd.Series(False, index=values.index)
        mask.loc[cells.index[hit]] = True
        out.append((mask, reason))
    return out


def _hashable(value):
    return value if isinstance(value, (str, int, float, bool, dt.date, dt.datetime,
                                       pd.Timestamp, Nested)) else repr(value)


def _reason(value, kind: str) -> Text | None:
    if isinstance(value, Nested):
        return NESTED
    if is_excel_error(value):
        return EXCEL_ERROR
    if kind in ("date", "datetime"):
        if isinstance(value, dt.datetime) and value.tzinfo is not None or value == "\x00zoned":
            return MIXED_ZONES
        if isinstance(value, (dt.date, pd.Timestamp)):
            return DATE_RANGE if not FIRST_YEAR <= value.year <= LAST_YEAR else None
        text = str(value).strip()
        match = _DATE.match(text) or _COMPACT_DATE.match(text)
        if match:
            return DATE_RANGE if not FIRST_YEAR <= int(match[1]) <= LAST_YEAR else None
        number = _magnitude(value)
        if number is not None and math.isfinite(number) and number > 109939:
            return DATE_RANGE  # an Excel serial after 2200-12-31
        return None
    if kind in ("money", "number", "int"):
        if isinstance(value, str) and value.strip().lower() in ("nan", "+nan", "-nan"):
            return NOT_A_NUMBER
        number = _magnitude(value)
        if kind == "money" and number is not None and not abs(number) < MONEY_LIMIT:
            return MONEY_RANGE
        if number is not None and not abs(number) < NUMBER_LIMIT:
            return NUMBER_RANGE
        if isinstance(value, str) and ("," in value or "，" in value) and not _groups_ok(value):
            return DECIMAL_COMMA
    return None


def paid_within(other: str) -> Text:
    return Text("the part of the invoice already received: of the same sign as {other} and "
                "not larger; a payment beyond the invoice belongs in the payments file",
                "应为发票已收的部分：与“{other}”同号且不超过它；超出发票的回款请记入回款文件",
                other=other)


def row_rules(frame: pd.DataFrame, schema, skip: pd.Series) -> list[tuple[str, pd.Series, Text]]:
    """Rows breaking one of SCHEMA's cross-column rules, among the rows not
    in SKIP (already bad): (column, mask, reason) per rule and value shown."""
    out = []
    for column, rule, other in getattr(schema, "rules", ()):
        if column not in frame.columns or other not in frame.columns:
            continue
        if rule != "within":  # pragma: no cover - a schema mistake, not a user's
            raise ValueError(f"unknown row rule {rule!r}")
        part = frame[column].to_numpy(dtype="float64", na_value=np.nan)
        whole = frame[other].to_numpy(dtype="float64", na_value=np.nan)
        with np.errstate(invalid="ignore"):
            part_c, whole_c = np.rint(part * 100), np.rint(whole * 100)
            broken = ((part_c != 0) & (np.sign(part_c) != np.sign(whole_c))) \
                | (np.abs(part_c) > np.abs(whole_c))
        broken &= ~np.isnan(part) & ~np.isnan(whole) & ~skip.to_numpy(dtype=bool)
        if not broken.any():
            continue
        out.append((column, pd.Series(broken, index=frame.index),
                    paid_within(other)))
    return out
