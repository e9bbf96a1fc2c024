"""The reader's booleans and categories, the writer's formula guard and date
text, the reasons' join and chains as they were before score-credit's
second speed-up (issue 16), kept verbatim as the reference of
tests/test_credit_io_fast_path.py: booleans and categories spread over the
rows as Python objects, every cell of a text column looked at for a formula,
the whole table copied to write its dates, one Arrow column per clause, the
chains' combinations numbered column by column.
Not used by cskit."""
from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd

from cskit.credit.reasons import CHAIN_COLUMNS, chain_clause
from cskit.io.values.categories import FALSE_WORDS, TRUE_WORDS, _norm_word
from cskit.io.values.common import _BAD, _by_unique
from cskit.io.write.cells import _PLAIN_NUMBER, FORMULA_START, _has_time, neutral_text

CHUNK_ROWS = 65536


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
        present = series.notna()
        text = series.astype("str")
        risky = text.str.startswith(FORMULA_START).fillna(False) & present
        if not risky.any():
            continue
        risky &= ~text.str.match(_PLAIN_NUMBER).fillna(False)
        if risky.any():
            if out is frame:
                out = frame.copy()
            out.isetitem(position, series.astype(object).where(~risky, "'" + text))
    names = [neutral_text(c) if isinstance(c, str) else c for c in out.columns]
    if names != list(out.columns):
        if out is frame:
            out = frame.copy(deep=False)
        out.columns = names
    return out


def _text_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates as ISO text, for the text formats."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_datetime64_any_dtype(series.dtype):
            fmt = "%Y-%m-%d %H:%M:%S" if _has_time(series) else "%Y-%m-%d"
            out[column] = series.dt.strftime(fmt).where(series.notna(), None)
    return out


def join_clauses(sections: list[tuple[np.ndarray, Callable[[int], str]]], separator: str):
    """Join each row's clauses, one per section, skipping empty ones.

    Each section is (code per row, code → clause): the clause of each
    distinct code is written once, then spread over the rows and joined
    column-wise in Arrow, CHUNK_ROWS rows at a time (only the joined text
    is kept, not a column per clause). Returns a pyarrow string array,
    chunked (null when a row has no clause at all).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(sections[0][0]) if sections else 0
    single = len(sections) == 1
    spread = []  # (codes, lowest code, position of each code's clause, clauses)
    for codes, build in sections:
        codes = np.asarray(codes, dtype=np.int64)
        if n == 0:
            continue
        low = int(codes.min())  # codes are small integers: count instead of sorting
        if int(codes.max()) - low > 4 * n + 1024:  # not small (days overdue…): sort
            distinct, codes = np.unique(codes, return_inverse=True)
            clauses = [build(int(c)) for c in distinct]
            if any(clauses):
                spread.append((codes.reshape(-1), 0, np.arange(len(distinct)), clauses))
            continue
        distinct = np.flatnonzero(np.bincount(codes - low)) + low
        clauses = [build(int(c)) for c in distinct]
        if not any(clauses):
            continue
        where = np.zeros(int(distinct[-1]) - low + 1, dtype=np.int64)
        where[distinct - low] = np.arange(len(distinct))
        spread.append((codes, low, where, clauses))
    if not spread:
        return pa.nulls(n, type=pa.large_string())
    # each clause carries its separator and the last one is cut off after
    # joining (Arrow's null-skipping join loses rows without any); when the
    # last section has a clause on every row, it goes without and nothing is cut
    last_always = not single and all(spread[-1][3])
    texts = []
    for i, (_, _, _, clauses) in enumerate(spread):
        if single:
            shown = [c or None for c in clauses]
        elif last_always and i == len(spread) - 1:
            shown = clauses
        else:
            shown = [c + separator if c else "" for c in clauses]
        texts.append(pa.array(shown, type=pa.large_string()))  # pandas' str: no cast
    cut = len(separator) if not single and not last_always else 0
    chunks = []
    for start in range(0, n, CHUNK_ROWS):
        stop = min(start + CHUNK_ROWS, n)
        columns = [text.take(pa.array(where[codes[start:stop] - low]))
                   for text, (codes, low, where, _) in zip(texts, spread)]
        if single:
            chunks.append(columns[0])
            continue
        joined = columns[0] if len(columns) == 1 else pc.binary_join_element_wise(
            *columns, pa.scalar("", pa.large_string()))
        if cut:
            joined = pc.utf8_slice_codeunits(joined, 0, -cut)
        if not last_always and pc.min(pc.binary_length(joined)).as_py() == 0:
            joined = pc.if_else(pc.equal(joined, ""), pa.scalar(None, pa.large_string()),
                                joined)
        chunks.append(joined)
    return pa.chunked_array(chunks, type=pa.large_string())


def chain_texts(out: pd.DataFrame, zh: bool) -> tuple[np.ndarray, list[str]]:
    """Per row of OUT the code of its chain score → level → grade → limit →
    approver (from the output columns), and the chain of each code: built
    once per distinct combination."""
    code = np.zeros(len(out), dtype=np.int64)
    for column in CHAIN_COLUMNS:
        key, uniques = pd.factorize(out[column])  # a blank is -1
        code = pd.factorize(code * (len(uniques) + 1) + key + 1)[0]
    example = np.zeros(int(code.max()) + 1 if len(out) else 0, dtype=np.int64)
    example[code] = np.arange(len(out))  # a row of each combination
    rows = out[list(CHAIN_COLUMNS)].iloc[example]
    return code, [chain_clause(*row, zh=zh) for row in rows.itertuples(index=False, name=None)]
