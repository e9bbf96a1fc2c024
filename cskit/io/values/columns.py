"""A column by its schema type (``parse_column``), or typed leniently when
its meaning is unknown (``infer_column``).
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from cskit.i18n import Text
from cskit.io.values.categories import (BOOL_EXPECTED, TEXT_EXPECTED, choices_expected,
                                        parse_bool, parse_category, parse_text)
from cskit.io.values.cells import _refused
from cskit.io.values.common import _DATE, _SPACE_FIRST, _SPACE_LAST, first_byte_in, is_blank
from cskit.io.values.dates import DATE_EXPECTED, DATETIME_EXPECTED, parse_dates
from cskit.io.values.numbers import (INT_EXPECTED, MONEY_EXPECTED, NUMBER_EXPECTED, parse_int,
                                     parse_money, parse_number)


def parse_column(values: pd.Series, col) -> tuple[pd.Series, pd.Series, Text]:
    """Parse one column by its schema ``Col``: (parsed, bad, expectation).
    ``bad_reasons`` says more about some of the bad cells."""
    parsed, bad, expected = _parse_column(values, col)
    refused = _refused(values, col.type)
    if refused is not None:
        bad = bad | refused
        parsed = parsed.where(~refused)
    return parsed, bad.astype(bool), expected


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


def _date_like(value) -> bool:
    return isinstance(value, (dt.date, pd.Timestamp)) or (
        isinstance(value, str) and bool(_DATE.match(value.strip())))


# _DATE for Arrow's regex engine, spaces around allowed (its \d and \s are
# ASCII only: a cell it does not match is looked at by _date_like itself)
_DATE_ARROW = r"^\s*" + _DATE.pattern[1:-1] + r"\s*$"


def _all_date_like(present: pd.Series) -> bool:
    """Every cell is a date or written like one; a text column is matched in
    Arrow, and only the cells Arrow does not match are looked at one by one."""
    array = getattr(present.array, "__arrow_array__", None)
    if present.dtype == object or array is None:
        return bool(present.map(_date_like).all())
    import pyarrow.compute as pc

    matched = pc.fill_null(pc.match_substring_regex(array(), _DATE_ARROW), False)
    rest = present[~np.asarray(matched.to_numpy(zero_copy_only=False), dtype=bool)]
    return all(_date_like(value) for value in rest)


def _zero_led_or_percent(values: pd.Series, blank: pd.Series) -> bool:
    """Some filled cell, trimmed, starts with 0 and a digit (an id such as
    007) or ends with %."""
    if isinstance(values.dtype, pd.StringDtype) and hasattr(values.array, "__arrow_array__"):
        import pyarrow.compute as pc

        array = values.array.__arrow_array__()
        # Arrow trims the same spaces as str.strip, needed only when a cell has
        # one at an end; a blank cell matches neither look
        if (first_byte_in(array, _SPACE_FIRST) | first_byte_in(array, _SPACE_LAST,
                                                               last=True)).any():
            array = pc.utf8_trim_whitespace(array)
        if pc.any(pc.ends_with(array, "%")).as_py():
            return True
        zero = pc.starts_with(array, "0")
        if not pc.any(zero).as_py():
            return False
        # (\p{Nd}: any decimal digit, as Python's \d)
        return bool(pc.any(pc.match_substring_regex(array.filter(zero), r"^0\p{Nd}")).as_py())
    text = values[~blank].astype(str).str.strip()
    return bool((text.str.match(r"^0\d") | text.str.endswith("%")).any())


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
        # keep ids with leading zeros and percentages as text
        if not _zero_led_or_percent(values, blank):
            return numbers
    if present.head(200).map(_date_like).all() and _all_date_like(present):
        dates, bad = parse_dates(values, with_time=True)
        if not bad.any():
            return dates
    text, _ = parse_text(values)
    return text
