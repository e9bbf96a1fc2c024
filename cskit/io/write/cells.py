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


_FORMULA_BYTES = np.array(sorted(ord(c) for c in FORMULA_START), dtype=np.uint8)


def _formula_starts(series: pd.Series) -> np.ndarray | None:
    """Where a text column held by Arrow has a cell whose first character
    is one of FORMULA_START (all ASCII, so the first byte tells), read from
    Arrow's offsets without touching the rest of the text; None for any
    other column."""
    import pyarrow as pa

    array = series.array
    if not (pd.api.types.is_string_dtype(series.dtype) and hasattr(array, "__arrow_array__")):
        return None
    array = array.__arrow_array__()
    chunks = array.chunks if isinstance(array, pa.ChunkedArray) else [array]
    parts = []
    for chunk in chunks:
        if chunk.type == pa.string():
            width = np.int32
        elif chunk.type == pa.large_string():
            width = np.int64
        else:
            return None
        _, offsets, data = chunk.buffers()
        offsets = np.frombuffer(offsets, dtype=width)[chunk.offset:chunk.offset + len(chunk) + 1] \
            if len(chunk) else np.zeros(1, dtype=width)
        starts, lengths = offsets[:-1], np.diff(offsets)
        data = np.frombuffer(data, dtype=np.uint8) if data is not None \
            else np.zeros(0, dtype=np.uint8)
        first = np.zeros(len(chunk), dtype=np.uint8)
        filled = lengths > 0
        first[filled] = data[starts[filled]]
        parts.append(np.isin(first, _FORMULA_BYTES))
    return np.concatenate(parts) if parts else np.zeros(0, dtype=bool)


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
