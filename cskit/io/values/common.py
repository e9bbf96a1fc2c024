"""What every parser shares: blank cells, the once-per-distinct-value
loop, the limits of what cskit takes as a number or a date, and the
forms of dates and numbers the other modules match.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd


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


# what Python's str.strip() removes (every character for which str.isspace()
# is true), as an RE2 class: a cell is blank when nothing else is left, or
# only nan/none/null/nat in any case
_SPACE = (r"\t-\r\x1c-\x20\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}"
          r"\x{205f}\x{3000}")
_BLANK_CELL = (rf"^[{_SPACE}]*(?:[nN][aA][nN]|[nN][oO][nN][eE]|[nN][uU][lL][lL]|[nN][aA][tT])?"
               rf"[{_SPACE}]*$")

# a blank cell is empty or starts with one of these bytes: a space of _SPACE
# (U+0085 and U+00A0 start with C2 in UTF-8, U+1680 with E1, U+2000–U+205F
# with E2, U+3000 with E3) or the n of nan/none/null/nat
_SPACE_FIRST = bytes([*range(0x09, 0x0E), *range(0x1C, 0x21), 0xC2, 0xE1, 0xE2, 0xE3])
_BLANK_FIRST = _SPACE_FIRST + b"nN"
# the last byte of a space: an ASCII one, or any continuation byte
_SPACE_LAST = bytes([*range(0x09, 0x0E), *range(0x1C, 0x21), *range(0x80, 0xC0)])


def is_blank(values: pd.Series) -> pd.Series:
    """True where a cell is empty: NaN/None, or text of only spaces."""
    if isinstance(values.dtype, pd.StringDtype) and hasattr(values.array, "__arrow_array__"):
        # the same rule as below, looked for only in the cells whose first
        # byte can start a blank one (read off Arrow's buffers)
        import pyarrow.compute as pc

        array = values.array.__arrow_array__()
        blank = first_byte_in(array, _BLANK_FIRST, empty=True)
        if blank.any():  # the few that may be: the whole rule on them
            maybe = np.flatnonzero(blank)
            blank[maybe] = pc.match_substring_regex(array.take(maybe), _BLANK_CELL).to_numpy(
                zero_copy_only=False)
        if array.null_count:
            blank |= array.is_null().to_numpy(zero_copy_only=False)
        return pd.Series(blank, index=values.index, dtype=bool)
    blank = values.isna()
    if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
        text = values[~blank]
        if len(text):
            stripped = text.astype(str).str.strip()
            blank.loc[text.index] = stripped.eq("") | stripped.str.lower().isin(["nan", "none", "null", "nat"])
    return blank.astype(bool)


def _by_unique(values: pd.Series, parse_one, dtype) -> tuple[pd.Series, pd.Series]:
    """Apply ``parse_one(value) -> parsed | _BAD | None`` once per distinct cell."""
    at, parsed, bad = _distinct_cells(values, parse_one)
    if not parsed:  # nothing but blank cells
        empty = pd.Series(pd.NaT if dtype == "datetime" else None, index=values.index,
                          dtype="datetime64[ns]" if dtype == "datetime" else object)
        return empty, pd.Series(False, index=values.index)
    table = pd.Series(parsed + [None], dtype=object)  # blank cells: the last, missing
    if dtype == "datetime":
        stamps = pd.to_datetime(table, errors="coerce")
        out = pd.Series(stamps.astype("datetime64[ns]").to_numpy()[at], index=values.index,
                        dtype="datetime64[ns]")
    else:
        out = pd.Series(table.to_numpy()[at], index=values.index, dtype=object)
    return out, _spread_bad(at, bad, values.index)


def _distinct_cells(values: pd.Series, parse_one):
    """``parse_one`` applied once per distinct non-blank cell, the parsed
    values not spread over the rows:
    (the position of each row's cell among the distinct ones, len(parsed)
    where blank; parsed value of each, None where bad or empty; bad of each)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    blank = is_blank(pd.Series(uniques, dtype=values.dtype if values.dtype != object
                               else object)).to_numpy(dtype=bool)
    kept = int((~blank).sum())
    # blank cells (code -1, or a blank distinct value) point past the last distinct one
    slot = np.full(len(uniques) + 1, kept, dtype=np.int64)
    slot[np.flatnonzero(~blank)] = np.arange(kept)
    parsed = [parse_one(u) for u in uniques[~blank]]
    bad = np.array([p is _BAD for p in parsed], dtype=bool)
    return slot[codes], [None if p is _BAD else p for p in parsed], bad


def _spread_bad(at: np.ndarray, bad: np.ndarray, index) -> pd.Series:
    """The bad mask of every row from the bad mask of each distinct cell."""
    return pd.Series(np.append(bad, False)[at], index=index)


class _Bad:
    def __repr__(self):
        return "<bad>"


_BAD = _Bad()


def is_excel_error(value) -> bool:
    return isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS


def _arrow_strings(values: pd.Series, chunked: bool = False):
    """A string Series as an Arrow array, without copying when it is one;
    ``chunked``: the caller takes a ChunkedArray as it is (element-wise
    kernels), so the chunks are not copied into one."""
    import pyarrow as pa

    if not hasattr(values.array, "__arrow_array__"):
        values = values.astype("str")
    array = values.array.__arrow_array__()
    if isinstance(array, pa.ChunkedArray):
        if chunked and array.type == pa.string():
            return array
        array = array.combine_chunks() if array.num_chunks != 1 else array.chunk(0)
    if array.type != pa.string():
        array = array.cast(pa.string())
    return array


def first_byte_in(array, chars: bytes, *, empty: bool = False, last: bool = False) -> np.ndarray:
    """Per cell of an Arrow text array (chunked or not): whether its first
    (``last``: its last) byte is one of ``chars`` (missing cells: False; empty
    ones: ``empty``). Read off the array's offsets and data buffers, without
    a kernel or a copy of the text: a cheap way to find the few cells a
    pattern anchored at the start (or the end) can match."""
    table = np.zeros(256, dtype=bool)
    table[list(chars)] = True
    (byte,), filled, valid = _cell_bytes(array, (-1 if last else 0,))
    hit = table[byte] & filled
    if empty:
        hit |= ~filled
    return hit & valid


# the last two bytes of the spaces of _SPACE that are not ASCII: U+0085 and
# U+00A0 (C2 85, C2 A0), U+1680 (E1 9A 80), U+2000–U+200A (E2 80 80–8A),
# U+2028, U+2029, U+202F (E2 80 A8, A9, AF), U+205F (E2 81 9F), U+3000 (E3 80 80)
_SPACE_TAILS = {0xC2: (0x85, 0xA0), 0x9A: (0x80,), 0x80: (*range(0x80, 0x8B), 0xA8, 0xA9, 0xAF),
                0x81: (0x9F,)}


def edge_space(array) -> np.ndarray:
    """Per cell of an Arrow text array: whether it is empty or may start or
    end with a space (one of _SPACE: what str.strip and Arrow's trim remove),
    from its first and last two bytes. False for the rest, which trimming
    leaves as they are; missing cells: False."""
    (first, last, before), filled, valid = _cell_bytes(array, (0, -1, -2))
    starts = np.zeros(256, dtype=bool)
    starts[list(_SPACE_FIRST)] = True
    ascii_end = np.zeros(256, dtype=bool)
    ascii_end[[*range(0x09, 0x0E), *range(0x1C, 0x21)]] = True
    pairs = np.zeros((256, 256), dtype=bool)
    for lead, tails in _SPACE_TAILS.items():
        pairs[lead, list(tails)] = True
    return valid & (~filled | starts[first] | ascii_end[last] | pairs[before, last])


def _cell_bytes(array, places: tuple[int, ...]):
    """The byte at each of ``places`` (0 the first, -1 the last, -2 the one
    before it …) of every cell, 0 where a cell is too short; whether each cell
    is filled (not empty) and valid (not missing). One pass over the chunks."""
    import pyarrow as pa

    chunks = array.chunks if isinstance(array, pa.ChunkedArray) else [array]
    found = [[] for _ in places]
    filled_parts, valid_parts = [], []
    for chunk in chunks:
        n = len(chunk)
        if not n:
            continue
        large = pa.types.is_large_string(chunk.type) or pa.types.is_large_binary(chunk.type)
        _, offsets_buf, data_buf = chunk.buffers()
        offsets = np.frombuffer(offsets_buf, dtype=np.int64 if large else np.int32,
                                count=chunk.offset + n + 1)[chunk.offset:].astype(np.int64)
        starts, ends = offsets[:-1], offsets[1:]
        lengths = ends - starts
        data = (np.frombuffer(data_buf, dtype=np.uint8) if data_buf is not None
                else np.zeros(0, dtype=np.uint8))
        for place, out in zip(places, found):
            byte = np.zeros(n, dtype=np.uint8)
            reach = lengths > (place if place >= 0 else -place - 1)
            if reach.any():
                at = starts[reach] + place if place >= 0 else ends[reach] + place
                byte[reach] = data[at]
            out.append(byte)
        filled_parts.append(lengths > 0)
        valid_parts.append(chunk.is_valid().to_numpy(zero_copy_only=False) if chunk.null_count
                           else np.ones(n, dtype=bool))
    if not filled_parts:
        empty = np.zeros(0, dtype=bool)
        return [np.zeros(0, dtype=np.uint8) for _ in places], empty, empty
    return ([np.concatenate(out) for out in found], np.concatenate(filled_parts),
            np.concatenate(valid_parts))
