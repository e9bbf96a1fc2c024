"""Personal data masked before a report is rendered (SPEC §6).

Reports travel further than the files they come from (printed, mailed to a
director), so mobile numbers show as ``138****5678`` and resident ID numbers
as ``110101********1234`` unless ``--no-mask`` is given. Masking works on
every text cell, and on every cell of a column whose name says phone or ID.
"""
from __future__ import annotations

import pandas as pd

# The patterns avoid look-arounds so that pandas runs them in pyarrow's RE2
# engine (20× faster than Python's re on a million cells): a neighbouring
# non-digit is matched and put back instead, and each pattern runs twice so
# that two numbers separated by one character are both masked.
# 18-digit resident ID (last character may be X): keep region code and last 4
ID_RE = r"(^|[^0-9A-Za-z])(\d{6})\d{8}(\d{3}[0-9Xx])([^0-9A-Za-z]|$)"
ID_MASK = r"\1\2********\3\4"
# mainland mobile, optionally written 138-1234-5678, +86 138…, 0138…
MOBILE_RE = r"(^|\D)((?:\+?86[- ]?|0)?1[3-9]\d)[- ]?\d{4}[- ]?(\d{4})(\D|$)"
MOBILE_MASK = r"\1\2****\3\4"
# landline in a phone column: area code and last 4 digits stay
LANDLINE_RE = r"(^|\D)(0\d{2,3}[- ]?)\d{3,4}(\d{4})(\D|$)"
LANDLINE_MASK = r"\1\2****\3\4"

PHONE_COLUMNS = {"phone", "mobile", "tel", "telephone", "电话", "手机", "联系电话", "联系方式"}
ID_COLUMNS = {"id_number", "id_card", "id_no", "身份证", "身份证号", "身份证号码", "证件号码"}


def mask_text(series: pd.Series, *, phone_column: bool = False) -> pd.Series:
    text = series.astype("string")
    patterns = [(ID_RE, ID_MASK), (MOBILE_RE, MOBILE_MASK)]
    if phone_column:
        patterns.append((LANDLINE_RE, LANDLINE_MASK))
    for pattern, replacement in patterns:
        for _ in range(2):
            text = text.str.replace(pattern, replacement, regex=True)
    return text


def mask_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with phone and ID numbers masked (a copy)."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        named = str(column).strip().lower()
        personal = named in PHONE_COLUMNS or named in ID_COLUMNS
        if personal and pd.api.types.is_numeric_dtype(series) \
                and not pd.api.types.is_bool_dtype(series):
            # a phone read as a number: 13812345678.0 → "13812345678"
            series = series.map(lambda v: "" if pd.isna(v) else f"{v:.0f}")
        elif not (pd.api.types.is_string_dtype(series) or series.dtype == object):
            continue
        if series.dtype == object:
            # mixed cells: only the text ones can hold a number written out
            is_text = series.map(lambda v: isinstance(v, str)).astype(bool)
            if not is_text.any():
                continue
            masked = mask_text(series[is_text], phone_column=named in PHONE_COLUMNS)
            series = series.copy()
            series[is_text] = masked.astype(object)
            out[column] = series
        else:
            out[column] = mask_text(series, phone_column=named in PHONE_COLUMNS)
    return out
