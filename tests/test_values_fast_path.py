"""The reader's faster looks at text columns against the ones they replaced
(kept here): blank cells found by one Arrow look at the first byte of every
cell, spreadsheet errors and nan/inf looked for only in cells that can start
one, a column of unique keys recognised by its order or one Arrow hash, and
no filter when no row is set aside. The same cells, reasons, row numbers and
set-aside counts on random columns, the hostile corpus and the samples."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cskit.i18n import render
from cskit.io import read as R
from cskit.io import setaside as S
from cskit.io import values as V
from cskit.io.values import cells as C
from cskit.io.values import columns as COL
from cskit.io.values import common as CM
from cskit.io.values import numbers as N

ROOT = Path(__file__).resolve().parent.parent


# --- the code these replaced ------------------------------------------------------
def old_is_blank(values: pd.Series) -> pd.Series:
    blank = values.isna()
    if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
        text = values[~blank]
        if len(text):
            stripped = text.astype(str).str.strip()
            blank.loc[text.index] = stripped.eq("") | stripped.str.lower().isin(
                ["nan", "none", "null", "nat"])
    return blank.astype(bool)


def old_refused(values: pd.Series, kind: str):
    if not (values.dtype == object or pd.api.types.is_string_dtype(values.dtype)):
        return None
    words = set(w.lower() for w in CM.EXCEL_ERRORS)
    if kind in ("money", "number", "int", "date", "datetime"):
        words |= C._NOT_NUMBERS
    present = values.dropna() if values.hasnans else values
    if not len(present):
        return None
    hit = pd.Series(False, index=values.index)
    if values.dtype == object:
        kinds = present.map(type)
        hit.loc[present.index] = kinds.eq(C.Nested)
        present = present[kinds.eq(str)]
    import pyarrow.compute as pc

    text = present.astype("str")
    maybe = pc.match_substring_regex(CM._arrow_strings(text, chunked=True),
                                     r"^\s*(?:#|[+-]?(?:nan|inf))", ignore_case=True)
    maybe = np.asarray(pc.fill_null(maybe, False).to_numpy(zero_copy_only=False), dtype=bool)
    if maybe.any():
        few = text[maybe]
        hit.loc[few.index] = (few.str.len() < 20) & few.str.strip().str.lower().isin(words)
    return hit if hit.any() else None


def old_to_numeric_strings(values: pd.Series) -> pd.Series:
    import pyarrow as pa
    import pyarrow.compute as pc

    if values.dtype == object:
        text = values.map(lambda v: v if isinstance(v, str) else (None if v is None else str(v)))
        array = pa.chunked_array([pa.array(text.to_numpy(dtype=object), type=pa.string(),
                                           from_pandas=True)])
    else:
        array = CM._arrow_strings(values, chunked=True)
    trimmed = pc.utf8_trim_whitespace(array)
    plain = pc.fill_null(pc.match_substring_regex(trimmed, N._PLAIN), False)
    numbers = pc.cast(pc.if_else(plain, trimmed, pa.scalar("0")), pa.float64())
    out = np.where(plain.to_numpy(zero_copy_only=False), numbers.to_numpy(zero_copy_only=False),
                   np.nan)
    return pd.Series(out, index=values.index, dtype="float64")


def old_parse_decimal(values, *, percent, money):
    fast = N._numeric_fast(values)
    if fast is not None:
        return fast
    blank = old_is_blank(values)
    numbers = old_to_numeric_strings(values.where(~blank))
    numbers = numbers.where(numbers.abs() < CM.NUMBER_LIMIT)
    need_slow = numbers.isna() & ~blank
    result = numbers.astype("float64")
    bad = pd.Series(False, index=values.index)
    if need_slow.any():
        slow, slow_bad = CM._by_unique(values[need_slow],
                                       lambda v: N._decimal_one(v, percent=percent, money=money),
                                       "object")
        result.loc[need_slow] = slow.map(lambda d: float(d) if d is not None else np.nan
                                         ).astype("float64")
        bad.loc[need_slow] = slow_bad
    return result, bad


def _old_ways(m):
    """Every replaced step back in place (the modules that imported them too)."""
    for module in (CM, V, C, S, R, N):
        if hasattr(module, "is_blank"):
            m.setattr(module, "is_blank", old_is_blank)
    for module in (C, COL):
        m.setattr(module, "_refused", old_refused)
    m.setattr(N, "_parse_decimal", old_parse_decimal)
    m.setattr(S, "no_repeats", lambda key: False)


# --- random columns ---------------------------------------------------------------
# every character Python's str.strip() removes, some it does not, the words
# a blank or refused cell is made of, and the first bytes of real cells
SPACES = ["\t", "\n", "\v", "\f", "\r", "\x1c", "\x1f", " ", "\x85", "\xa0", "\u1680",
          "\u2000", "\u200a", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000"]
NOT_SPACES = ["\u200b", "\ufeff", "\u180e", "\x00"]
WORDS = ["nan", "NaN", "none", "NULL", "nat", "NaT", "inf", "-inf", "+Infinity", "#N/A",
         "#div/0!", "#NUM!", "#", "+nan", "-NaN", "infinity", "n", "i", "İ", "K", "ſ",
         "12.50", "-3", "+4", "客户", "INV001", "N1", "1,234.50", "2026-02-30", "(", "1", "7",
         ".", "e5", "E-2"]
cells = st.lists(st.sampled_from(SPACES + NOT_SPACES + WORDS + [""]), max_size=4).map("".join)
columns = st.lists(st.one_of(st.none(), cells), max_size=40)


def _series(values, dtype, start):
    series = pd.Series(values, dtype=dtype)
    series.index = pd.RangeIndex(start, start + len(series))
    return series


@settings(max_examples=300, deadline=None)
@given(columns, st.sampled_from(["str", pd.StringDtype("pyarrow"), "object"]),
       st.integers(0, 3))
def test_blank_cells_as_before(values, dtype, start):
    series = _series(values, dtype, 2)[start:]
    pd.testing.assert_series_equal(V.is_blank(series), old_is_blank(series))


@settings(max_examples=300, deadline=None)
@given(columns, st.sampled_from(["str", "object"]),
       st.sampled_from(["money", "int", "date", "str", "category", "bool"]))
def test_refused_cells_as_before(values, dtype, kind):
    series = _series(values, dtype, 2)
    new, old = C._refused(series, kind), old_refused(series, kind)
    assert (new is None) == (old is None)
    if new is not None:
        pd.testing.assert_series_equal(new, old)


@settings(max_examples=200, deadline=None)
@given(columns, st.sampled_from(["money", "number", "int"]))
def test_numbers_as_before(values, kind):
    series = _series(values, "str", 2)
    money, percent = kind == "money", kind == "number"
    new = N._parse_decimal(series, percent=percent, money=money)
    old = old_parse_decimal(series, percent=percent, money=money)
    pd.testing.assert_series_equal(new[0], old[0])
    pd.testing.assert_series_equal(new[1].astype(bool), old[1].astype(bool))


@settings(max_examples=300, deadline=None)
@given(columns, st.sampled_from(["str", "object"]), st.integers(0, 3))
def test_plain_numbers_as_before(values, dtype, start):
    series = _series(values, dtype, 2)[start:]
    pd.testing.assert_series_equal(N._to_numeric_strings(series), old_to_numeric_strings(series))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), st.sampled_from(["A1", "A2", "B", "b", "", " "])),
                max_size=12),
       st.booleans())
def test_unique_keys_as_before(keys, ordered):
    if ordered:
        keys = sorted(keys, key=lambda k: (k is None, k or ""))
    series = pd.Series(keys, dtype="str")
    repeats = (series.duplicated(keep=False) & series.notna()).any()
    if S.no_repeats(series):
        assert not repeats
    else:
        assert repeats


def test_no_repeats_in_a_chunked_column_in_order():
    import pyarrow as pa

    chunked = pa.chunked_array([["INV1", "INV2"], ["INV3"], [], ["INV4"]], type=pa.large_string())
    series = pd.Series(pd.arrays.ArrowStringArray(chunked)).astype("str")
    assert S.no_repeats(series)
    again = pa.chunked_array([["INV1", "INV2"], ["INV2"]], type=pa.large_string())
    assert not S.no_repeats(pd.Series(pd.arrays.ArrowStringArray(again)).astype("str"))


# --- whole tables -----------------------------------------------------------------
def _read(path, schema, monkeypatch, old: bool):
    from cskit.errors import DataError

    with monkeypatch.context() as m:
        if old:
            _old_ways(m)
        try:
            frame, problems, bad = R.read_table(path, schema, collect_rows=True)
        except DataError as exc:
            return ("error", [(p.row, p.column, render(p.expected)) for p in exc.problems])
    attrs = {}
    for name, value in frame.attrs.items():
        if name == "notes":
            value = [(kind, render(text)) for kind, text in value]
        elif isinstance(value, pd.DataFrame):
            value = (list(value.columns), value.index.tolist(), value.astype(str).values.tolist())
        attrs[name] = repr(value)
    frame.attrs = {}
    if bad is not None:
        bad.attrs = {}
    return (list(frame.columns), frame.index.tolist(), frame.astype(str).values.tolist(),
            attrs, [(p.row, p.column, str(p.value), render(p.expected)) for p in problems],
            None if bad is None else bad.astype(str).values.tolist())


def _tables():
    import hostile_corpus as H

    return sorted(k for k, (schema, _) in H.GOOD.items() if schema is not None)


@pytest.mark.parametrize("key", _tables())
def test_hostile_tables_read_as_before(key, tmp_path, monkeypatch):
    import hostile_corpus as H

    schema = H.GOOD[key][0]
    seen = 0
    for case in H.CASES:
        folder = tmp_path / case
        folder.mkdir()
        made = H.build(case, key, folder)
        if made.path is None or made.path == "-" or made.remove or made.io_error:
            continue
        new = _read(made.path, schema, monkeypatch, old=False)
        assert new == _read(made.path, schema, monkeypatch, old=True), case
        seen += 1
    rows, _ = H.mixed(key)
    path = tmp_path / "mixed.csv"
    path.write_text(H.to_csv(rows), encoding="utf-8")
    assert _read(str(path), schema, monkeypatch, False) == _read(str(path), schema,
                                                                monkeypatch, True)
    assert seen > 10


@pytest.mark.parametrize("name, schema", [
    ("invoices.csv", "INVOICES"), ("payments_gbk.csv", "PAYMENTS"),
    ("customers.xlsx", "CREDIT_CUSTOMERS"), ("projects_invoices.csv", "INVOICES")])
def test_samples_read_as_before(name, schema, monkeypatch):
    from cskit import schema as SC

    path = str(ROOT / "samples" / name)
    table = getattr(SC, schema)
    assert _read(path, table, monkeypatch, False) == _read(path, table, monkeypatch, True)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.sampled_from(
    ["合计", "Total", "TOTAL:", "C1", "制表人：张三", "page 1", "PAGE", "x", " ", "", "İ",
     "币种"])),
    max_size=20))
def test_label_hint_in_a_key_column_as_before(keys):
    import pyarrow.compute as pc

    series = pd.Series(keys, dtype="str")
    filled = ~V.is_blank(series)
    hint = pc.match_substring_regex(series.array.__arrow_array__(), S._LABEL_HINT,
                                    ignore_case=True)
    new = pc.fill_null(hint, False).to_numpy(zero_copy_only=False) & filled.to_numpy()
    texts = series[filled]
    old = np.zeros(len(series), dtype=bool)
    old[np.flatnonzero(filled.to_numpy())] = texts.astype(str).str.contains(
        S._LABEL_HINT, case=False, regex=True).to_numpy(dtype=bool)
    assert new.tolist() == old.tolist()


def old_date_fields(trimmed):
    import pyarrow as pa
    import pyarrow.compute as pc
    from cskit.io.values import dates as Dt

    parts = pc.extract_regex(trimmed, Dt._DATE_GROUPS)
    found = np.asarray(pc.is_valid(parts).to_numpy(zero_copy_only=False), dtype=bool)
    out = {}
    for f in "ymdHMS":
        column = pc.struct_field(parts, f)
        column = pc.if_else(pc.equal(pc.fill_null(column, ""), ""), "0", pc.fill_null(column, "0"))
        out[f] = np.asarray(pc.cast(column, pa.int64()).to_numpy(zero_copy_only=False))
    return found, out


DATE_ATOMS = ["2026", "-", "10", "31", " ", "08", ":", "30", "00", "T", "/", "年", "月", "日",
              "1", "99", "x", ".5", "１", "2026-02-30", "2026-10-31", "2026-10-31 08:30:00",
              "2026-10-31T08:30:00", "2026-1-5", "2026-10-31 8:30"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), st.lists(st.sampled_from(DATE_ATOMS), max_size=6)
                          .map("".join)), max_size=30))
def test_date_parts_cut_at_fixed_places_as_captured_before(cells):
    import pyarrow as pa
    import pyarrow.compute as pc
    from cskit.io.values import dates as Dt

    trimmed = pc.utf8_trim_whitespace(pa.array(cells, type=pa.large_string()))
    found, fields = Dt._date_fields(trimmed)
    old_found, old = old_date_fields(trimmed)
    assert found.tolist() == old_found.tolist()
    for f in "ymdHMS":
        assert fields[f].tolist() == old[f].tolist()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), st.lists(st.sampled_from(
    [" ", "\u3000", "\xa0", "0", "1", "7", "%", "x", "nan", "", ".", "０", "٠", "߀", "१"]),
    max_size=4).map("".join)), min_size=1, max_size=10))
def test_ids_with_leading_zeros_and_percentages_found_as_before(cells):
    values = pd.Series(cells, dtype="str")
    blank = V.is_blank(values)
    text = values[~blank].astype(str).str.strip()
    old = bool((text.str.match(r"^0\d") | text.str.endswith("%")).any())
    assert COL._zero_led_or_percent(values, blank) == old


def old_already_trimmed(values: pd.Series) -> bool:
    import pyarrow.compute as pc

    array = values.array
    if not hasattr(array, "__arrow_array__"):
        return False
    array = array.__arrow_array__()
    trimmed = pc.utf8_trim_whitespace(array)
    same = pc.all(pc.equal(pc.binary_length(trimmed), pc.binary_length(array))).as_py()
    return bool(same) and not pc.any(pc.equal(pc.binary_length(array), 0)).as_py()


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.none(), st.lists(st.sampled_from(
    SPACES + NOT_SPACES + ["x", "中", "耀", "é", "\u2030", "\u3001", "\u1681", "\xa1", "a"]),
    max_size=4).map("".join)), max_size=12), st.integers(0, 2))
def test_a_trimmed_column_is_recognised_as_before(cells, start):
    from cskit.io.values.categories import _already_trimmed

    values = pd.Series(cells, dtype="str")[start:]
    assert _already_trimmed(values) == old_already_trimmed(values)
