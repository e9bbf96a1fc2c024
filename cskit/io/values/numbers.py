"""Money, numbers and whole numbers: thousands groups, decimal commas,
signs of other systems, 万/亿/%, and the limits cskit keeps them within.
"""
from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

import numpy as np
import pandas as pd

from cskit.i18n import Text
from cskit.io.values.common import (_BAD, _MONEY_NOISE, _NUMBER, MONEY_LIMIT, NUMBER_LIMIT,
                                    _SPACE_FIRST, _SPACE_LAST, _arrow_strings, _by_unique,
                                    first_byte_in, is_blank)


MONEY_EXPECTED = Text("an amount such as 1234.50, 1,234.50, ¥1,234.50, (1,234.50) or 12.5万",
                      "应为金额，如 1234.50、1,234.50、¥1,234.50、(1,234.50)（表示负数）或 12.5万")
NUMBER_EXPECTED = Text("a number such as 12, 12.5, 95% or 1.2万",
                       "应为数字，如 12、12.5、95% 或 1.2万")
INT_EXPECTED = Text("a whole number", "应为整数")


# the digits of a number written with separators: 1,234,567.89 / 1 234 567.89
_GROUPED = re.compile(r"\d[\d,，\s\u00a0\u202f]*\d(?:\.\d*)?")
_DECIMAL_COMMA = re.compile(r"^[+-]?\(?\s*(?:\d{1,3}(?:[ .\u00a0\u202f]\d{3})+|\d+),\d+\s*\)?$")


def _groups_ok(text: str) -> bool:
    """A comma (or space) inside a number is a thousands separator only in
    groups of three (1,234,567.89); 1234,50 or 1,23 is not a number cskit
    can read without guessing."""
    for match in _GROUPED.finditer(text):
        whole = match.group(0).split(".")[0]
        parts = re.split(r"[,，\s\u00a0\u202f]+", whole)
        if len(parts) == 1:
            continue
        separators = set(re.findall(r"[,，]|[\s\u00a0\u202f]+", whole))
        kinds = {"comma" if sep in ",，" else "space" for sep in separators}
        if len(kinds) > 1 or not 1 <= len(parts[0]) <= 3 or any(len(p) != 3 for p in parts[1:]):
            return False
    return True


def _decimal_one(value, *, percent: bool, money: bool):
    if isinstance(value, bool):
        return _BAD
    if isinstance(value, (int, np.integer)):
        return Decimal(int(value)) if abs(int(value)) < NUMBER_LIMIT else _BAD
    if isinstance(value, (float, np.floating)):
        if not math.isfinite(value) or abs(value) >= NUMBER_LIMIT:
            return _BAD
        return Decimal(repr(float(value)))
    text = sign_forms(str(value).strip())  # SAP's trailing minus, the full-width minus
    if len(text) > 60 or not _groups_ok(text):
        return _BAD
    negative = False
    if (text.startswith("(") and text.endswith(")")) or (text.startswith("（") and text.endswith("）")):
        negative, text = True, text[1:-1].strip()
    text = _MONEY_NOISE.sub("", text) if money else text.replace(",", "").replace("，", "").strip()
    scale = Decimal(1)
    if text.endswith("万元"):
        text = text[:-2]
        scale = Decimal(10000)
    elif text.endswith("万"):
        text, scale = text[:-1], Decimal(10000)
    elif text.endswith("亿"):
        text, scale = text[:-1], Decimal(100000000)
    elif percent and text.endswith("%"):
        text, scale = text[:-1], Decimal("0.01")
    text = text.strip()
    if text.startswith(("-", "+")) and money:
        sign, rest = text[0], _MONEY_NOISE.sub("", text[1:])
        text = sign + rest
    if not _NUMBER.match(text):
        return _BAD
    try:
        number = Decimal(text) * scale
    except InvalidOperation:
        return _BAD
    if not number.is_finite() or abs(number) >= NUMBER_LIMIT:
        return _BAD
    if negative:
        if number < 0:
            return _BAD
        number = -number
    return number


def sign_forms(text: str) -> str:
    """Minus signs of other systems → a leading "-": SAP's trailing minus
    (`1,234.00-`), the full-width `－` and the typographic `−`."""
    text = text.replace("－", "-").replace("−", "-").replace("＋", "+")
    if len(text) > 1 and text.endswith("-") and not text.startswith(("-", "+", "(", "（")):
        text = "-" + text[:-1].strip()
    return text


def _numeric_fast(values: pd.Series) -> tuple[pd.Series, pd.Series] | None:
    """Plain numbers parse with pandas; the rest go through the slow path."""
    if pd.api.types.is_bool_dtype(values.dtype):
        return None
    if pd.api.types.is_numeric_dtype(values.dtype):
        numbers = values.astype("float64")
        with np.errstate(invalid="ignore"):
            out = ~(numbers.abs() < NUMBER_LIMIT) & numbers.notna()
        return numbers.where(~out), out.astype(bool)
    return None


def _parse_decimal(values: pd.Series, *, percent: bool, money: bool) -> tuple[pd.Series, pd.Series]:
    fast = _numeric_fast(values)
    if fast is not None:
        return fast
    blank = is_blank(values)
    numbers = _to_numeric_strings(values)  # a blank cell is never a plain number: NaN
    numbers = numbers.where(numbers.abs() < NUMBER_LIMIT)  # inf, 1e400, 30 digits: slow path
    need_slow = numbers.isna() & ~blank
    result = numbers.astype("float64")
    bad = pd.Series(False, index=values.index)
    if need_slow.any():
        slow, slow_bad = _by_unique(values[need_slow],
                                    lambda v: _decimal_one(v, percent=percent, money=money),
                                    "object")
        result.loc[need_slow] = slow.map(lambda d: float(d) if d is not None else np.nan).astype("float64")
        bad.loc[need_slow] = slow_bad
    return result, bad


_PLAIN = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"


def _to_numeric_strings(values: pd.Series) -> pd.Series:
    """Plain decimal numbers → float64 with Arrow's kernels; NaN elsewhere."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if values.dtype == object:
        text = values.map(lambda v: v if isinstance(v, str) else (None if v is None else str(v)))
        array = pa.chunked_array([pa.array(text.to_numpy(dtype=object), type=pa.string(),
                                           from_pandas=True)])
    else:
        array = _arrow_strings(values, chunked=True)
    # the cells plain as they are (nearly all), then the rest once trimmed
    plain = np.asarray(pc.fill_null(pc.match_substring_regex(array, _PLAIN), False)
                       .to_numpy(zero_copy_only=False), dtype=bool)
    if plain.all():
        out = np.asarray(pc.cast(array, pa.float64()).to_numpy(zero_copy_only=False),
                         dtype="float64")
        return pd.Series(out, index=values.index, dtype="float64")
    out = np.full(len(plain), np.nan)
    if plain.any():
        out[plain] = pc.cast(array.filter(plain), pa.float64()).to_numpy(zero_copy_only=False)
    # trimming changes only a cell that starts or ends with a space (the
    # spaces Arrow trims are Python's: those of common._SPACE)
    rest = np.flatnonzero(~plain & (first_byte_in(array, _SPACE_FIRST)
                                    | first_byte_in(array, _SPACE_LAST, last=True)))
    if not len(rest):
        return pd.Series(out, index=values.index, dtype="float64")
    trimmed = pc.utf8_trim_whitespace(array.take(rest))
    also = np.asarray(pc.fill_null(pc.match_substring_regex(trimmed, _PLAIN), False)
                      .to_numpy(zero_copy_only=False), dtype=bool)
    if also.any():
        out[rest[also]] = pc.cast(trimmed.filter(also), pa.float64()).to_numpy(
            zero_copy_only=False)
    return pd.Series(out, index=values.index, dtype="float64")


def parse_figures(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Amounts or numbers of a report's table: ¥, %, 万 and (…) all understood."""
    return _parse_decimal(values, percent=True, money=True)


def parse_money(values: pd.Series, scale: float = 1) -> tuple[pd.Series, pd.Series]:
    """Amounts (`1,234.50`, `¥1,234.50`, `(1,234.50)`, `12.5万`) → float yuan
    rounded to the cent; ``scale``: the header's unit (万元 → 10000)."""
    result, bad = _parse_decimal(values, percent=False, money=True)
    if scale != 1:
        result = result * scale
    with np.errstate(invalid="ignore"):
        over = (result.abs() >= MONEY_LIMIT).to_numpy(dtype=bool)
    if over.any():
        result, bad = result.where(~over), bad | over
    return round_cents(result), bad


def round_cents(amounts: pd.Series) -> pd.Series:
    """Round to the cent, halves away from zero (as people and Excel do),
    after removing binary noise (1.005 is 1.00499999… as a float)."""
    cents = np.round(amounts.to_numpy(dtype="float64") * 100, 6)
    cents = np.sign(cents) * np.floor(np.abs(cents) + 0.5)
    return pd.Series(cents / 100, index=amounts.index, name=amounts.name)


def parse_number(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Numbers, with `%` (95% → 0.95) and `万`, → float64."""
    return _parse_decimal(values, percent=True, money=False)


def parse_int(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Whole numbers → Int64; 12.0 is 12, 12.5 is an error."""
    numbers, bad = _parse_decimal(values, percent=False, money=False)
    fractional = numbers.notna() & (numbers != numbers.round(0))
    bad = bad | fractional
    whole = numbers.where(~fractional)
    return whole.round(0).astype("Int64"), bad


def _magnitude(value) -> float | None:
    """The size of a cell that is a number, however large; None if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, np.integer)):
        return float(min(abs(int(value)), 10 ** 300))
    if isinstance(value, (float, np.floating)):
        return float(value)
    text = _MONEY_NOISE.sub("", str(value).strip().strip("()（）"))
    text = re.sub(r"(万元|万|亿|%)$", "", text)
    if text.lower().lstrip("+-") in ("inf", "infinity"):
        return math.inf
    if not _NUMBER.match(text) or len(text) > 5000:
        return None
    try:
        return float(Decimal(text).copy_abs().min(Decimal("1e300")))
    except InvalidOperation:
        return None


def decimal_comma_column(values: pd.Series, col, delimiter: str | None
                         ) -> tuple[pd.Series, Text | None]:
    """In a ``;``-separated file (as a European-locale Excel saves CSV), a
    money or number column where every amount is written with a decimal comma
    (1234,50 or 1.234,50) is read that way, and said so; anything less than
    every amount leaves the column alone (the comma cells are then bad)."""
    if delimiter != ";" or col.type not in ("money", "number") or values.dtype != object \
            and not pd.api.types.is_string_dtype(values.dtype):
        return values, None
    text = values.dropna().astype(str).str.strip()
    text = text[text != ""]
    if not len(text):
        return values, None
    comma = text.str.match(_DECIMAL_COMMA.pattern)
    whole = text.str.match(r"^[+-]?\d+$")
    if not comma.any() or not (comma | whole).all():
        return values, None
    changed = values.copy()
    fixed = text[comma].str.replace(r"[ .\u00a0\u202f]", "", regex=True).str.replace(",", ".")
    changed.loc[fixed.index] = fixed
    return changed, Text("column {column}: every amount is written with a decimal comma "
                         "(e.g. {example}) in a file separated by ';': read as decimal commas",
                         "“{column}”列：文件以分号分隔，且每个金额都用逗号表示小数（如 {example}），"
                         "已按小数逗号读取",
                         column=col.name, example=text[comma].iloc[0])
