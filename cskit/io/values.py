"""Cell values → typed columns, with the cells that do not parse marked.

Every parser takes a Series of raw cells (strings from CSV; str, float, int,
bool, datetime from Excel/JSON/Parquet) and returns ``(parsed, bad)``:
the typed Series and a boolean mask of the non-blank cells that could not
be understood. Blank cells are missing values, never errors; whether a
blank is allowed is the schema's business.

Parsing is done once per distinct value (``pd.factorize``), so a ledger of a
million rows with a few hundred distinct dates parses a few hundred strings.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal, InvalidOperation

import numpy as np
import pandas as pd

from cskit.errors import UsageError
from cskit.i18n import Join, Text

EXCEL_EPOCH = pd.Timestamp("1899-12-30")
MAX_SERIAL = 2958465  # 9999-12-31

# what cskit takes as a number or a date at all (README "What cskit refuses to
# guess"): no company's invoice reaches 10^15 yuan, and a date before 1900 or
# after 2200 in a ledger is a typing mistake, not a date
NUMBER_LIMIT = 10 ** 15  # |value| must be below this (counts, scores, measures)
# amounts: below 10^13 yuan every amount and the sum of a few hundred of them
# stays exact to the cent in float64 yuan and int64 cents (cskit.money)
MONEY_LIMIT = 10 ** 13
FIRST_YEAR, LAST_YEAR = 1900, 2200
FIRST_DAY = pd.Timestamp(FIRST_YEAR, 1, 1)
LAST_DAY = pd.Timestamp(LAST_YEAR, 12, 31, 23, 59, 59)
# the errors a spreadsheet shows in a cell instead of a value
EXCEL_ERRORS = ("#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!",
                "#SPILL!", "#CALC!", "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!",
                "#BUSY!", "#UNKNOWN!", "#EXTERNAL!", "#PYTHON!")

_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]+(\d{1,2})[:：](\d{1,2})(?:[:：](\d{1,2})(?:\.\d+)?)?)?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_MONEY_NOISE = re.compile(r"[\s,，¥￥$]|RMB|CNY|人民币|元$", re.IGNORECASE)

TRUE_WORDS = {"y", "yes", "true", "t", "1", "1.0", "是", "有", "✓", "✔", "√", "对"}
FALSE_WORDS = {"n", "no", "false", "f", "0", "0.0", "否", "无", "✗", "✘", "×", "x", "不是", "没有"}

DATE_EXPECTED = Text("a date such as 2026-10-31, 2026/10/31, 2026.10.31, "
                     "2026年10月31日 or an Excel date",
                     "应为日期，如 2026-10-31、2026/10/31、2026.10.31、2026年10月31日或 Excel 日期")
DATETIME_EXPECTED = Text("a date and time such as 2026-10-31 14:05 (or a date alone: "
                         "2026-10-31, 2026/10/31, 2026年10月31日 or an Excel date)",
                         "应为日期时间，如 2026-10-31 14:05（也可只写日期：2026-10-31、"
                         "2026/10/31、2026年10月31日或 Excel 日期）")
MONEY_EXPECTED = Text("an amount such as 1234.50, 1,234.50, ¥1,234.50, (1,234.50) or 12.5万",
                      "应为金额，如 1234.50、1,234.50、¥1,234.50、(1,234.50)（表示负数）或 12.5万")
NUMBER_EXPECTED = Text("a number such as 12, 12.5, 95% or 1.2万",
                       "应为数字，如 12、12.5、95% 或 1.2万")
INT_EXPECTED = Text("a whole number", "应为整数")
BOOL_EXPECTED = Text("yes or no (y/n, yes/no, true/false, 1/0, 是/否, 有/无, ✓/✗, √/×)",
                     "应为是或否（可写 y/n、yes/no、true/false、1/0、是/否、有/无、✓/✗、√/×）")
TEXT_EXPECTED = Text("text", "应为文本")


def is_blank(values: pd.Series) -> pd.Series:
    """True where a cell is empty: NaN/None, or text of only spaces."""
    blank = values.isna()
    if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
        text = values[~blank]
        if len(text):
            stripped = text.astype(str).str.strip()
            blank.loc[text.index] = stripped.eq("") | stripped.str.lower().isin(["nan", "none", "null", "nat"])
    return blank.astype(bool)


def _by_unique(values: pd.Series, parse_one, dtype) -> tuple[pd.Series, pd.Series]:
    """Apply ``parse_one(value) -> parsed | _BAD | None`` once per distinct cell."""
    blank = is_blank(values)
    if blank.all():
        empty = pd.Series(pd.NaT if dtype == "datetime" else None, index=values.index,
                          dtype="datetime64[ns]" if dtype == "datetime" else object)
        return empty, pd.Series(False, index=values.index)
    codes, uniques = pd.factorize(values.where(~blank), use_na_sentinel=True)
    parsed_uniques = [parse_one(u) for u in uniques]
    bad_uniques = np.array([p is _BAD for p in parsed_uniques], dtype=bool)
    clean = [None if (p is _BAD or p is None) else p for p in parsed_uniques]
    if dtype == "datetime":
        table = pd.to_datetime(pd.Series(clean, dtype=object), errors="coerce")
        table = table.astype("datetime64[ns]")
        out = table.take(np.where(codes >= 0, codes, 0)).to_numpy()
        out = np.where(codes >= 0, out, np.datetime64("NaT"))
        parsed = pd.Series(out, index=values.index, dtype="datetime64[ns]")
    else:
        table = pd.Series(clean, dtype=object)
        out = table.take(np.where(codes >= 0, codes, 0)).to_numpy(dtype=object, copy=True)
        out[codes < 0] = None
        parsed = pd.Series(out, index=values.index, dtype=object)
    bad = pd.Series(np.where(codes >= 0, bad_uniques[np.maximum(codes, 0)] if len(uniques) else False,
                             False), index=values.index)
    return parsed, bad


class _Bad:
    def __repr__(self):
        return "<bad>"


_BAD = _Bad()


# --- dates -----------------------------------------------------------------
def _in_range(stamp):
    """A day cskit takes as a date: 1900-01-01 to 2200-12-31."""
    return stamp if FIRST_DAY <= stamp <= LAST_DAY else _BAD


def _date_one(value, with_time: bool):
    if isinstance(value, (pd.Timestamp, dt.datetime, np.datetime64)):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            value = value.replace(tzinfo=None)  # the wall-clock time the cell shows
        if isinstance(value, np.datetime64) and np.isnat(value):
            return None
        if not FIRST_YEAR <= _year(value) <= LAST_YEAR:
            return _BAD
        stamp = pd.Timestamp(value)
        return stamp if with_time else stamp.normalize()
    if isinstance(value, dt.date):
        return _BAD if not FIRST_YEAR <= value.year <= LAST_YEAR else pd.Timestamp(value)
    if isinstance(value, bool):
        return _BAD
    if isinstance(value, (int, float, np.integer, np.floating)):
        return _serial(float(value), with_time)
    text = str(value).strip()
    match = _DATE.match(text)
    if match:
        y, m, d, hh, mm, ss = match.groups()
        if not FIRST_YEAR <= int(y) <= LAST_YEAR:
            return _BAD
        try:
            stamp = pd.Timestamp(int(y), int(m), int(d), int(hh or 0), int(mm or 0), int(ss or 0))
        except ValueError:
            return _BAD
        return stamp if with_time else stamp.normalize()
    match = _COMPACT_DATE.match(text)
    if match:
        if not FIRST_YEAR <= int(match[1]) <= LAST_YEAR:
            return _BAD
        try:
            return pd.Timestamp(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return _BAD
    if _NUMBER.match(text) and len(text) <= 40:
        return _serial(float(text), with_time)
    return _BAD


def _year(value) -> int:
    if isinstance(value, np.datetime64):
        return int(str(value.astype("datetime64[Y]"))[:5].lstrip("+") or 0) \
            if not np.isnat(value) else FIRST_YEAR
    return value.year


def _serial(number: float, with_time: bool):
    if not math.isfinite(number):
        return _BAD
    if 19000101 <= number <= 22001231 and number.is_integer():
        return _date_one(str(int(number)), with_time)
    if not 1 <= number <= MAX_SERIAL:
        return _BAD
    stamp = EXCEL_EPOCH + pd.to_timedelta(number, unit="D") if number <= 109939.99999 else None
    if stamp is None:  # after 2200-12-31 (and beyond what pandas can hold)
        return _BAD
    stamp = _in_range(stamp.round("s"))
    if stamp is _BAD:
        return _BAD
    return stamp if with_time else stamp.normalize()


def _mixed_zones(values: pd.Series) -> pd.Series:
    """A column whose date cells mix time-zone offsets with none: the cells
    with an offset cannot be put on one clock, so they are bad (replaced by
    text no parser takes); a column where every cell has one keeps its
    wall-clock times."""
    kinds = values.map(lambda v: 1 if isinstance(v, dt.datetime) and v.tzinfo is not None
                       else (0 if isinstance(v, (dt.date, np.datetime64)) else -1))
    aware = kinds.eq(1)
    if aware.any() and kinds.eq(0).any():
        return values.where(~aware, "\x00zoned")
    return values


def parse_dates(values: pd.Series, with_time: bool = False) -> tuple[pd.Series, pd.Series]:
    """Dates in the SPEC's forms (and Excel serials) → datetime64[ns]."""
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        if values.dt.tz is not None:
            values = values.dt.tz_localize(None)
        out = (values < FIRST_DAY) | (values > LAST_DAY)
        parsed = values.where(~out).astype("datetime64[ns]")
        return (parsed if with_time else parsed.dt.normalize()), out.astype(bool)
    if values.dtype == object:
        values = _mixed_zones(values)
    if hasattr(values.array, "__arrow_array__"):
        return _dates_distinct(values, with_time)
    if len(values) > 50000:
        return _dates_vectorised(values, with_time)
    return _by_unique(values, lambda v: _date_one(v, with_time), "datetime")


_DATE_GROUPS = (r"^(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
                r"(?:[ T]+(?P<H>\d{1,2})[:：](?P<M>\d{1,2})(?:[:：](?P<S>\d{1,2})(?:\.\d+)?)?)?$")


def _dates_distinct(values: pd.Series, with_time: bool) -> tuple[pd.Series, pd.Series]:
    """Parse each distinct string once (a ledger has a few hundred dates)."""
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(_arrow_strings(values))
    distinct = pd.Series(encoded.dictionary.to_pandas(), dtype="str")
    codes = np.asarray(pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False), dtype=np.int64)
    parsed, bad = _dates_vectorised(distinct, with_time)
    present = codes >= 0
    safe = np.where(present, codes, 0)
    out = np.where(present, parsed.to_numpy(dtype="datetime64[ns]")[safe] if len(distinct) else
                   np.datetime64("NaT"), np.datetime64("NaT"))
    flags = np.where(present, bad.to_numpy(dtype=bool)[safe] if len(distinct) else False, False)
    return (pd.Series(out, index=values.index, dtype="datetime64[ns]"),
            pd.Series(flags, index=values.index, dtype=bool))


def _dates_vectorised(values: pd.Series, with_time: bool) -> tuple[pd.Series, pd.Series]:
    """The common written forms in one pass of Arrow's regex kernel and
    pandas' component constructor (which refuses 2026-02-30); Excel serials,
    date cells and odd forms go through the per-value parser."""
    import pyarrow as pa
    import pyarrow.compute as pc

    blank = is_blank(values)
    if values.dtype == object:
        is_text = values.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
        text = values.where(is_text, None)
    else:
        is_text = np.ones(len(values), dtype=bool)
        text = values
    array = _arrow_strings(text.astype("str") if values.dtype == object else text)
    parts = pc.extract_regex(pc.utf8_trim_whitespace(array), _DATE_GROUPS)
    matched = np.asarray(pc.is_valid(parts).to_numpy(zero_copy_only=False), dtype=bool) & is_text & ~blank.to_numpy()

    def number(field: str) -> np.ndarray:
        column = pc.struct_field(parts, field)
        column = pc.if_else(pc.equal(pc.fill_null(column, ""), ""), "0", pc.fill_null(column, "0"))
        return np.asarray(pc.cast(column, pa.int64()).to_numpy(zero_copy_only=False))

    parsed = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    if matched.any():
        rows = np.flatnonzero(matched)
        year, month, day = (number(f)[rows] for f in ("y", "m", "d"))
        months = (year - 1970) * 12 + (month - 1)
        first = months.astype("datetime64[M]").astype("datetime64[D]")
        length = ((months + 1).astype("datetime64[M]").astype("datetime64[D]") - first).astype(int)
        valid = (month >= 1) & (month <= 12) & (day >= 1) & (day <= length) \
            & (year >= FIRST_YEAR) & (year <= LAST_YEAR)
        stamps = (first + (day - 1).astype("timedelta64[D]")).astype("datetime64[ns]")
        hour, minute, second = (number(f)[rows] for f in ("H", "M", "S"))
        valid &= (hour < 24) & (minute < 60) & (second < 60)
        if with_time:
            stamps = stamps + (hour * 3600 + minute * 60 + second).astype("timedelta64[s]")
        stamps[~valid] = np.datetime64("NaT")
        parsed.iloc[rows] = stamps
    bad = pd.Series(matched, index=values.index) & parsed.isna()
    rest = ~matched & ~blank.to_numpy()
    if rest.any():
        slow, slow_bad = _by_unique(values[rest], lambda v: _date_one(v, with_time), "datetime")
        parsed.loc[slow.index] = slow
        bad.loc[slow.index] = slow_bad
    return parsed, bad.astype(bool)


def parse_date_text(text: str) -> pd.Timestamp | None:
    """One date from an option or a single cell; None if it does not parse."""
    parsed = _date_one(text, False)
    return None if parsed is _BAD else parsed


def parse_as_of(text: str | None) -> pd.Timestamp:
    if text is None or str(text).strip() == "":
        return pd.Timestamp.today().normalize()
    parsed = parse_date_text(text)
    if parsed is None and re.fullmatch(r"\s*\d{4}([-/.年])\d{1,2}([-/.月])\d{1,2}日?\s*", str(text)):
        # 2026-02-30 is written as a date: say what is wrong with it, as for a cell
        raise UsageError(Text("--as-of: {value!r} is not a day that exists in the calendar "
                              "(check the month and the day)",
                              "--as-of：“{value}”不是日历上真实存在的日期（请核对月份和日）",
                              value=str(text)))
    if parsed is None:
        raise UsageError(Text("--as-of: {value!r} is not a date; expected {expected}",
                              "--as-of：无法把“{value}”识别为日期；{expected}",
                              value=str(text), expected=DATE_EXPECTED))
    return parsed


# --- numbers and money -------------------------------------------------------
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


def is_excel_error(value) -> bool:
    return isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS


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
    as_text = values.where(~blank)
    numbers = _to_numeric_strings(as_text)
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


def _arrow_strings(values: pd.Series):
    """A string Series as an Arrow array, without copying when it is one."""
    import pyarrow as pa

    if not hasattr(values.array, "__arrow_array__"):
        values = values.astype("str")
    array = values.array.__arrow_array__()
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks() if array.num_chunks != 1 else array.chunk(0)
    if array.type != pa.string():
        array = array.cast(pa.string())
    return array


def _to_numeric_strings(values: pd.Series) -> pd.Series:
    """Plain decimal numbers → float64 with Arrow's kernels; NaN elsewhere."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if values.dtype == object:
        text = values.map(lambda v: v if isinstance(v, str) else (None if v is None else str(v)))
        array = pa.chunked_array([pa.array(text.to_numpy(dtype=object), type=pa.string(),
                                           from_pandas=True)])
    else:
        array = _arrow_strings(values)
    trimmed = pc.utf8_trim_whitespace(array)
    plain = pc.fill_null(pc.match_substring_regex(trimmed, _PLAIN), False)
    numbers = pc.cast(pc.if_else(plain, trimmed, pa.scalar("0")), pa.float64())
    out = np.where(plain.to_numpy(zero_copy_only=False), numbers.to_numpy(zero_copy_only=False), np.nan)
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


# --- booleans, categories, text ------------------------------------------------
def _norm_word(value) -> str:
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        value = int(value)
    return re.sub(r"\s+", "", str(value)).lower()


def parse_bool(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """y/n, yes/no, true/false, 1/0, 是/否, 有/无, ✓/✗, √/× → boolean."""
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.astype("boolean"), pd.Series(False, index=values.index)

    def one(value):
        if isinstance(value, (bool, np.bool_)):
            return bool(value)
        word = _norm_word(value)
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        return _BAD

    parsed, bad = _by_unique(values, one, "object")
    return parsed.astype("boolean"), bad


def parse_category(values: pd.Series, choices: dict, numbers: bool = False
                   ) -> tuple[pd.Series, pd.Series]:
    """A label among ``choices`` (any case, spaces ignored) → canonical value.
    The canonical values themselves are accepted too; with ``numbers``, a
    number equal to one of the values is taken as it is."""
    table = {_norm_word(k): v for k, v in choices.items()}
    for v in choices.values():
        table.setdefault(_norm_word(v), v)
    allowed_numbers = {float(v) for v in choices.values()
                       if isinstance(v, (int, float)) and not isinstance(v, bool)}

    def one(value):
        word = _norm_word(value)
        if word in table:
            return table[word]
        if numbers:
            try:
                number = float(word)
            except ValueError:
                return _BAD
            if number in allowed_numbers:
                return int(number) if number.is_integer() else number
        return _BAD

    parsed, bad = _by_unique(values, one, "object")
    if numbers or all(isinstance(v, (int, float)) and not isinstance(v, bool)
                      for v in choices.values()):
        parsed = pd.to_numeric(parsed, errors="coerce").astype("float64")
    else:
        parsed = parsed.astype("str").where(parsed.notna())
    return parsed, bad


def choices_expected(choices: dict, numbers: bool) -> Text:
    labels = Join((", ", "、"), list(dict.fromkeys(str(k) for k in choices))[:12])
    if numbers:
        values = sorted({v for v in choices.values()}, key=lambda v: (str(type(v)), v))
        return Text("one of {labels} (or the number {numbers})",
                    "应为以下之一：{labels}（或对应的数字 {numbers}）",
                    labels=labels, numbers="/".join(str(v) for v in values))
    return Text("one of {labels}", "应为以下之一：{labels}", labels=labels)


def parse_text(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Text cells, trimmed; Excel's 1001.0 becomes "1001", dates ISO."""
    if pd.api.types.is_string_dtype(values.dtype) and values.dtype != object:
        text = values.str.strip()
        return text.where(text != ""), pd.Series(False, index=values.index)

    def one(value):
        if isinstance(value, bool):
            return "TRUE" if value else "FALSE"
        if isinstance(value, (float, np.floating)):
            if not math.isfinite(value):
                return None
            if float(value).is_integer():
                return str(int(value))
            return repr(float(value))
        if isinstance(value, (pd.Timestamp, dt.datetime)):
            stamp = pd.Timestamp(value)
            return stamp.strftime("%Y-%m-%d") if stamp == stamp.normalize() \
                else stamp.strftime("%Y-%m-%d %H:%M:%S")
        if isinstance(value, dt.date):
            return value.isoformat()
        text = str(value).strip()
        return text or None

    if values.dtype == object and values.map(lambda v: isinstance(v, str)).all():
        text = values.astype("str").str.strip()
        return text.where(text != ""), pd.Series(False, index=values.index)
    parsed, bad = _by_unique(values, one, "object")
    return parsed.astype("str").where(parsed.notna()), bad


def parse_column(values: pd.Series, col) -> tuple[pd.Series, pd.Series, Text]:
    """Parse one column by its schema ``Col``: (parsed, bad, expectation).
    ``bad_reasons`` says more about some of the bad cells."""
    parsed, bad, expected = _parse_column(values, col)
    refused = _refused(values, col.type)
    if refused is not None:
        bad = bad | refused
        parsed = parsed.where(~refused)
    return parsed, bad.astype(bool), expected


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
    present = values.dropna()
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
    maybe = pc.match_substring_regex(_arrow_strings(text), r"^\s*(?:#|[+-]?(?:nan|inf))",
                                     ignore_case=True)
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


def _parse_column(values: pd.Series, col) -> tuple[pd.Series, pd.Series, Text]:
    kind = col.type
    if kind == "date":
        parsed, bad = parse_dates(values)
        expected = DATE_EXPECTED
    elif kind == "datetime":
        parsed, bad = parse_dates(values, with_time=True)
        expected = DATETIME_EXPECTED
    elif kind == "money":
        parsed, bad = parse_money(values)
        expected = MONEY_EXPECTED
    elif kind == "number":
        parsed, bad = parse_number(values)
        expected = NUMBER_EXPECTED
    elif kind == "int":
        parsed, bad = parse_int(values)
        expected = INT_EXPECTED
    elif kind == "bool":
        parsed, bad = parse_bool(values)
        expected = BOOL_EXPECTED
    elif kind == "category":
        parsed, bad = parse_category(values, col.choices or {}, col.numbers)
        expected = choices_expected(col.choices or {}, col.numbers)
    elif kind == "str":
        parsed, bad = parse_text(values)
        expected = TEXT_EXPECTED
    else:  # pragma: no cover - a schema mistake, not a user's
        raise ValueError(f"unknown column type {kind!r} for {col.name}")
    return parsed, bad.astype(bool), expected


def _looks_numeric(sample: pd.Series) -> bool:
    _, bad = parse_number(sample)
    return not bad.any()


def infer_column(values: pd.Series) -> pd.Series:
    """A column of unknown meaning, typed leniently: numbers if every non-blank
    cell is a number, dates if every one is a date, else text."""
    blank = is_blank(values)
    if blank.all():
        return pd.Series(np.nan, index=values.index, dtype="float64")
    if pd.api.types.is_numeric_dtype(values.dtype) or pd.api.types.is_datetime64_any_dtype(values.dtype):
        return values
    present = values[~blank]
    sample = present.head(200)
    # a cheap look at the first cells decides most columns (names, ids, notes)
    if _looks_numeric(sample):
        numbers, bad = parse_number(values)
    else:
        numbers, bad = None, pd.Series(True, index=values.index)
    if numbers is not None and not bad.any() and \
            not any(isinstance(v, (dt.date, pd.Timestamp)) for v in values.head(50)):
        text = values[~blank].astype(str).str.strip()
        # keep ids with leading zeros and percentages as text
        if not (text.str.match(r"^0\d") | text.str.endswith("%")).any():
            return numbers
    if present.head(200).map(lambda v: isinstance(v, (dt.date, pd.Timestamp))
                             or (isinstance(v, str) and bool(_DATE.match(v.strip())))).all() and \
            present.map(lambda v: isinstance(v, (dt.date, pd.Timestamp))
                   or (isinstance(v, str) and bool(_DATE.match(v.strip())))).all():
        dates, bad = parse_dates(values, with_time=True)
        if not bad.any():
            return dates
    text, _ = parse_text(values)
    return text


# --- rules across the columns of a row (schema.Schema.rules) ----------------------
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
