"""Dates and date-times: the SPEC's written forms, Excel serials and date
cells → datetime64[ns]; ``--as-of``.
"""
from __future__ import annotations

import datetime as dt
import math
import re

import numpy as np
import pandas as pd

from cskit.errors import UsageError
from cskit.i18n import Text
from cskit.io.values.common import (_BAD, _COMPACT_DATE, _DATE, _NUMBER, FIRST_DAY, FIRST_YEAR,
                                    LAST_DAY, LAST_YEAR, _arrow_strings, _by_unique, is_blank)


EXCEL_EPOCH = pd.Timestamp("1899-12-30")
MAX_SERIAL = 2958465  # 9999-12-31

DATE_EXPECTED = Text("a date such as 2026-10-31, 2026/10/31, 2026.10.31, "
                     "2026年10月31日 or an Excel date",
                     "应为日期，如 2026-10-31、2026/10/31、2026.10.31、2026年10月31日或 Excel 日期")
DATETIME_EXPECTED = Text("a date and time such as 2026-10-31 14:05 (or a date alone: "
                         "2026-10-31, 2026/10/31, 2026年10月31日 or an Excel date)",
                         "应为日期时间，如 2026-10-31 14:05（也可只写日期：2026-10-31、"
                         "2026/10/31、2026年10月31日或 Excel 日期）")


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


# the two forms exports write (2026-10-31, 2026-10-31 08:30:00): ASCII digits
# at fixed places, read straight off the cells' bytes instead of captured by
# _DATE_GROUPS (10× faster); the cell's length says which form it is
_ISO_FORM = r"^\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}:\d{2})?$"
_PLACES = {"y": (0, 4), "m": (5, 7), "d": (8, 10), "H": (11, 13), "M": (14, 16), "S": (17, 19)}


def _date_fields(trimmed) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The parts of each trimmed text cell in one of the forms of
    _DATE_GROUPS: (found per cell, {y, m, d, H, M, S: int64 per cell, 0 where
    absent})."""
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(trimmed)
    fields = {f: np.zeros(n, dtype=np.int64) for f in "ymdHMS"}
    found = np.asarray(pc.fill_null(pc.match_substring_regex(trimmed, _ISO_FORM), False)
                       .to_numpy(zero_copy_only=False), dtype=bool)
    if found.any():
        cells = trimmed.filter(found)
        if isinstance(cells, pa.ChunkedArray):
            cells = cells.combine_chunks()
        rows = np.flatnonzero(found)
        _, offsets_buf, data_buf = cells.buffers()
        large = pa.types.is_large_string(cells.type)
        offsets = np.frombuffer(offsets_buf, dtype=np.int64 if large else np.int32,
                                count=cells.offset + len(cells) + 1)[cells.offset:]
        starts = offsets[:-1].astype(np.int64)
        timed = (offsets[1:] - offsets[:-1]) > 10
        data = np.frombuffer(data_buf, dtype=np.uint8)
        for f, (first, end) in _PLACES.items():
            at = starts if f in "ymd" else starts[timed]
            value = np.zeros(len(at), dtype=np.int64)
            for place in range(first, end):
                value = value * 10 + (data[at + place].astype(np.int64) - 48)
            fields[f][rows if f in "ymd" else rows[timed]] = value

    def ints(column) -> np.ndarray:
        return np.asarray(pc.cast(column, pa.int64()).to_numpy(zero_copy_only=False))

    rest = np.flatnonzero(~found)
    if len(rest):
        parts = pc.extract_regex(trimmed.take(rest), _DATE_GROUPS)
        found[rest] = np.asarray(pc.is_valid(parts).to_numpy(zero_copy_only=False), dtype=bool)
        for f in "ymdHMS":
            column = pc.struct_field(parts, f)
            column = pc.if_else(pc.equal(pc.fill_null(column, ""), ""), "0",
                                pc.fill_null(column, "0"))
            fields[f][rest] = ints(column)
    return found, fields


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
    found, fields = _date_fields(pc.utf8_trim_whitespace(array))
    matched = found & is_text & ~blank.to_numpy()

    def number(field: str) -> np.ndarray:
        return fields[field]

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
