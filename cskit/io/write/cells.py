"""Cells made safe and readable: formula-like text neutralised (``neutralize``,
``neutral_text``), dates as text for the text formats, labels and totals."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from cskit.labels import present

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d[\d,]*\.?\d*|\.\d+)([eE][+-]?\d+)?%?$")


# --- cell preparation ---------------------------------------------------------------
def neutralize(frame: pd.DataFrame) -> pd.DataFrame:
    """Text a spreadsheet would run as a formula, prefixed with an apostrophe:
    headers and cells alike, whatever the cell's type (a time span shows as
    ``-3 days, 0:00:00``, an object as whatever its text is). Numbers, dates
    and booleans stay what they are; so does text that is a plain number
    (``-12.5``)."""
    out = frame
    for position in range(frame.shape[1]):
        series = frame.iloc[:, position]
        kind = series.dtype
        if (pd.api.types.is_numeric_dtype(kind) and not pd.api.types.is_timedelta64_dtype(kind)) \
                or pd.api.types.is_datetime64_any_dtype(kind) or pd.api.types.is_bool_dtype(kind):
            continue
        column = series
        maybe = _formula_starts(series)
        if maybe is not None:  # only the cells that start like a formula are looked at
            if not maybe.any():
                continue
            series = series.iloc[np.flatnonzero(maybe)]
        present = series.notna()
        text = series.astype("str")
        risky = text.str.startswith(FORMULA_START).fillna(False) & present
        if not risky.any():
            continue
        risky &= ~text.str.match(_PLAIN_NUMBER).fillna(False)
        if risky.any():
            if out is frame:  # the column is replaced, not changed: no deep copy
                out = frame.copy(deep=False)
            shown = np.asarray("'" + text, dtype=object)
            if maybe is not None:  # back to every row of the column, by position
                rows = np.flatnonzero(maybe)
                every = np.zeros(len(column), dtype=bool)
                every[rows] = risky.to_numpy(dtype=bool)
                risky = every
                shown, part = np.full(len(column), None, dtype=object), shown
                shown[rows] = part
            else:
                risky = risky.to_numpy(dtype=bool)
            out.isetitem(position, column.astype(object).where(~risky, shown))
    names = [neutral_text(c) if isinstance(c, str) else c for c in out.columns]
    if names != list(out.columns):
        if out is frame:
            out = frame.copy(deep=False)
        out.columns = names
    return out


_FORMULA_FIRST = "".join(FORMULA_START).encode("ascii")  # a cell's first byte tells


def _formula_starts(series: pd.Series) -> np.ndarray | None:
    """Where a text column held by Arrow has a cell that starts with one of
    FORMULA_START, read off Arrow's buffers; None for any other column."""
    if not (isinstance(series.dtype, pd.StringDtype) and hasattr(series.array, "__arrow_array__")):
        return None
    from cskit.io.values.common import first_byte_in

    return first_byte_in(series.array.__arrow_array__(), _FORMULA_FIRST)


def neutral_headers(frame: pd.DataFrame) -> pd.DataFrame:
    """FRAME with its formula-like headers neutralised (cells unchanged)."""
    names = [neutral_text(c) if isinstance(c, str) else c for c in frame.columns]
    if names == list(frame.columns):
        return frame
    out = frame.copy(deep=False)
    out.columns = names
    return out


def neutral_text(text: str) -> str:
    """TEXT as a spreadsheet will show it rather than run it."""
    text = str(text)
    if text.startswith(FORMULA_START) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def _has_time(series: pd.Series) -> bool:
    values = series.dropna()
    return bool(len(values)) and bool((values != values.dt.normalize()).any())


def _text_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates as ISO text, for the text formats."""
    out = frame.copy(deep=False)  # only the date columns are replaced
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_datetime64_any_dtype(series.dtype):
            fmt = "%Y-%m-%d %H:%M:%S" if _has_time(series) else "%Y-%m-%d"
            # each distinct date written once (a ledger has a few thousand)
            codes, days = pd.factorize(series, use_na_sentinel=True)
            shown = pd.Series(days).dt.strftime(fmt).array
            text = pd.Series(shown.take(codes, allow_fill=True), index=series.index)
            out[column] = text.where(series.notna(), None)
    return out


def _labelled(frame: pd.DataFrame, lang: str, originals: dict | None = None) -> pd.DataFrame:
    # headers and coded cells as the reader sees them (cskit.labels.present)
    return present(frame, lang, originals)


def _with_totals(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    from cskit.io.xlsx import _totals

    row = _totals(frame, lang)
    if row is None:
        return frame
    text = _text_frame(frame)  # dates as text, so that a label fits any column
    total = pd.DataFrame([row]).reindex(columns=frame.columns)
    return pd.concat([text.astype(object), total.astype(object)], ignore_index=True)
