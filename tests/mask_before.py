"""Personal data masked before a report is rendered (SPEC §6).

Reports travel further than the files they come from (printed, mailed to a
director), so mobile numbers show as ``138****5678`` and resident ID numbers
as ``110101********1234`` unless ``--no-mask`` is given. Two rules, both
always applied:

- **By the column's meaning** (cskit.personal.column_kind): every cell of a
  phone column (手机号码, 联系电话, mobile_no, tel …) keeps its first 3 and
  last 4 digits (a landline its area code and last 4) and every cell of an
  identity column (身份证号, 证件号码, id_card …) its first 6 and last 4
  characters, or only its last 4 when it is not a resident ID number —
  whatever the cell holds: a number, full-width digits, spaces or dots
  between the groups. A column headed only ``ID`` masks the cells shaped
  like an ID number.
- **By pattern**, in every text cell of every other column: an 18- or
  15-digit resident ID number (with a valid date of birth inside, groups
  possibly separated by spaces or hyphens) and a mainland mobile number
  (``13857246816``, ``138-5724-6816``, ``138 5724 6816``, ``138.5724.6816``,
  ``+86 138…``, full-width ``１３８…``).

A masked mobile or ID number is written without its separators:
``138.5724.6816`` shows as ``138****6816``, ``110101 19900307 1234`` as
``110101********1234``; a landline keeps its area code as written.
"""
from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from cskit.personal import ID, ID_SHAPED, PHONE, column_kind

_D = r"[0-9０-９]"
_X = r"[0-9Xx０-９Ｘｘ]"
_SEP = r"[ \-]?"
# resident ID: 18 = 6 region + 8 birth date + 3 + check; 15 = 6 + 6 (yymmdd) + 3
ID_RE = re.compile(rf"(?<![0-9A-Za-z０-９])(?:{_D}(?:{_SEP}{_D}){{16}}{_SEP}{_X}"
                   rf"|{_D}(?:{_SEP}{_D}){{14}})(?![0-9A-Za-z０-９])")
# mainland mobile: 1[3-9]x xxxx xxxx, optionally +86 / 86 / 0 before it
MOBILE_RE = re.compile(rf"(?<![0-9０-９])(?:(?:[+＋]?(?:86|８６)[ \-]?)|[0０])?"
                       rf"([1１][3-9３-９]{_D}[ .\-]?{_D}{{4}}[ .\-]?{_D}{{4}})(?![0-9０-９])")
# a landline in a phone column: (0xx) or 0xxx area code, 7–8 digits
LANDLINE_RE = re.compile(rf"(?<![0-9０-９])[(（]?([0０]{_D}{{2,3}})[)）]?[ \-]?"
                         rf"({_D}{{3,4}}[ \-]?{_D}{{4}})(?![0-9０-９])")


def _is_digit(ch: str) -> bool:
    return ch.isdigit() or ch in "XxＸｘ"


def _mask_positions(text: str, keep_first: int, keep_last: int) -> str:
    """TEXT with its digits (and a final X) masked but for the first and last few."""
    total = sum(1 for ch in text if _is_digit(ch))
    out, n = [], 0
    for ch in text:
        if _is_digit(ch):
            out.append(ch if n < keep_first or n >= total - keep_last else "*")
            n += 1
        else:
            out.append(ch)
    return "".join(out)


def _plain_digits(text: str) -> str:
    return "".join(str(int(ch)) if ch.isdigit() else ch.upper() for ch in text
                   if _is_digit(ch))


def _valid_id(match: str) -> bool:
    digits = _plain_digits(match)
    if len(digits) == 18:
        year, month, day = int(digits[6:10]), int(digits[10:12]), int(digits[12:14])
        return 1850 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31
    if len(digits) == 15 and digits.isdigit():
        month, day = int(digits[8:10]), int(digits[10:12])
        return 1 <= month <= 12 and 1 <= day <= 31
    return False


def _compact(text: str, keep_first: int, keep_last: int) -> str:
    """The digits of TEXT without separators, masked but for the first and last few."""
    digits = [ch for ch in text if _is_digit(ch)]
    hidden = len(digits) - keep_first - keep_last
    return "".join(digits[:keep_first]) + "*" * hidden + "".join(digits[-keep_last:])


def _ids(text: str) -> str:
    return ID_RE.sub(lambda m: _compact(m.group(0), 6, 4) if _valid_id(m.group(0))
                     else m.group(0), text)


def _mobiles(text: str) -> str:
    def one(m):
        whole = m.group(0)
        return whole[:m.start(1) - m.start(0)] + _compact(m.group(1), 3, 4)
    return MOBILE_RE.sub(one, text)


def _landlines(text: str) -> str:
    def one(m):
        start = m.start(2) - m.start(0)
        whole = m.group(0)
        return whole[:start] + _mask_positions(m.group(2), 0, 4)
    return LANDLINE_RE.sub(one, text)


def mask_one(text: str, kind: str | None = None) -> str:
    """One cell's text, masked: by pattern, and, in a column of KIND (PHONE,
    ID, ID_SHAPED from cskit.personal), whatever the pattern missed."""
    masked = _mobiles(_ids(text))
    if kind == PHONE:
        masked = _landlines(masked)
        if masked == text and sum(ch.isdigit() for ch in text) >= 7:
            masked = _mask_positions(text, 3, 4)  # a number of another shape
    elif kind == ID and masked == text:
        alnum = [ch for ch in text if ch.isalnum()]
        if len(alnum) >= 6:
            keep = 4
            total, n, out = len(alnum), 0, []
            for ch in text:
                if ch.isalnum():
                    out.append(ch if n >= total - keep else "*")
                    n += 1
                else:
                    out.append(ch)
            masked = "".join(out)
    return masked


def _cell_text(value) -> str | None:
    """A cell as the text a report shows; a number without '.0' or exponent."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        value = float(value)
        if math.isnan(value):
            return None
        return f"{value:.0f}" if value.is_integer() else repr(value)
    return str(value)


# The common forms, vectorised: pandas runs these in pyarrow's RE2 engine (20×
# faster than Python's re on a million cells), so they avoid look-arounds: a
# neighbouring character is matched and put back instead, and each runs twice
# so that two numbers one character apart are both masked. Cells left with
# an unusual form (full-width digits, separated groups, 15 digits) go through
# mask_one; so do the cells of phone and ID columns the patterns left alone.
FAST = [
    (r"(^|[^0-9A-Za-z])(\d{6})\d{8}(\d{3}[0-9Xx])([^0-9A-Za-z]|$)", r"\1\2********\3\4"),
    (r"(^|\D)((?:\+?86[- ]?|0)?1[3-9]\d)[-. ]?\d{4}[-. ]?(\d{4})(\D|$)",
     r"\1\2****\3\4"),
]
UNUSUAL = r"[０-９]|\d[ .\-]\d|\d{15}"


def _fast(text: pd.Series) -> pd.Series:
    for pattern, replacement in FAST:
        for _ in range(2):
            text = text.str.replace(pattern, replacement, regex=True)
    return text


def mask_text(series: pd.Series, *, phone_column: bool = False, kind: str | None = None
              ) -> pd.Series:
    """Text cells masked by pattern, and as a phone or ID column's when KIND
    (or PHONE_COLUMN) says so."""
    kind = kind or (PHONE if phone_column else None)
    text = series.astype("string")
    masked = _fast(text)
    left = masked.str.contains(UNUSUAL, regex=True).fillna(False).astype(bool)
    if kind in (PHONE, ID):
        left |= (masked == text).fillna(False).astype(bool) \
            & text.str.contains(r"\d", regex=True).fillna(False).astype(bool)
    if left.any():
        masked = masked.copy()
        masked[left] = masked[left].map(lambda v: mask_one(v, kind))
    return masked


def _by_meaning(series: pd.Series, kind: str) -> pd.Series:
    """Every cell of a phone or ID column as masked text."""
    if pd.api.types.is_integer_dtype(series.dtype):
        text = series.astype("string")
    elif pd.api.types.is_float_dtype(series.dtype) or series.dtype == object:
        text = series.map(_cell_text).astype("string")
    else:
        text = series.astype("string")
    return mask_text(text, kind=kind).astype(object).where(text.notna(), None)


def mask_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with phone and ID numbers masked (a copy)."""
    out = frame.copy()
    for position, column in enumerate(out.columns):
        series = out.iloc[:, position]
        kind = column_kind(column)
        if kind in (PHONE, ID, ID_SHAPED):
            out.isetitem(position, _by_meaning(series, kind))
            continue
        if not (pd.api.types.is_string_dtype(series) or series.dtype == object):
            continue
        if series.dtype == object:
            # mixed cells: only the text ones can hold a number written out
            is_text = series.map(lambda v: isinstance(v, str)).astype(bool)
            if not is_text.any():
                continue
            masked = mask_text(series[is_text])
            series = series.copy()
            series[is_text] = masked.astype(object)
            out.isetitem(position, series)
        else:
            out.isetitem(position, mask_text(series))
    return out
