"""score-credit's second speed-up (issue 16) against the code it replaced,
kept in tests/credit_io_before.py: booleans and categories parsed into
Python objects, the formula guard looking at every text cell, the whole
table copied to write its dates one by one, whole-number columns written as
floats, one Arrow column per reasons clause, the chains' combinations
numbered column by column.

Each function is compared with its old self on hypothesis tables; the
command as a whole (old_paths of test_credit_fast_path, which patches the
old reader and writer functions in too) on the hostile corpus and on random
customer tables with bad cells set aside (--rejects): the same exit code,
messages, output and rejects file, byte for byte.
"""
from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cskit import schema
from tests import credit_io_before as before
from tests import credit_old
from tests import hostile_corpus as H
from tests.test_credit_fast_path import arrow_writer, run

# --- booleans and categories --------------------------------------------------------
CELLS = st.one_of(
    st.none(), st.just(np.nan),
    st.sampled_from(["", " ", "nan", "None", "NULL", "NaT", "y", " Yes ", "TRUE", "false",
                     "是", "否", "有", "无", "✓", "×", "1", "0", "1.0", "0.0", "2", "-1", "-3",
                     "maybe", "#N/A", "A", "b", "A业务", "混合", "mixed", "m", "配合",
                     "非常 配合", "拒绝对账", "5", "5.0", "3", "x"]),
    st.integers(-3, 5), st.floats(-3, 5), st.booleans())
CATEGORIES = [c for c in schema.CREDIT_CUSTOMERS.columns if c.type == "category"]


def _series(cells: list, dtype: str, chunks: int) -> pd.Series:
    index = pd.RangeIndex(2, 2 + len(cells))
    if dtype == "object":
        return pd.Series(cells, dtype=object, index=index)
    text = [c if c is None or isinstance(c, str) else str(c) for c in cells]
    if chunks > 1 and len(text) > 1:  # a column read in blocks: Arrow chunks
        cut = len(text) // 2
        array = pa.chunked_array([pa.array(text[:cut], pa.large_string()),
                                  pa.array(text[cut:], pa.large_string())])
        return pd.Series(pd.array(array, dtype="str"), index=index)
    return pd.Series(text, dtype="str", index=index)


@settings(max_examples=300, deadline=None)
@given(st.lists(CELLS, max_size=12), st.sampled_from(["str", "object"]), st.sampled_from([1, 2]),
       st.sampled_from(range(len(CATEGORIES))))
def test_booleans_and_categories_as_before(cells, dtype, chunks, which):
    from cskit.io.values.categories import parse_bool, parse_category

    values = _series(cells, dtype, chunks)
    col = CATEGORIES[which]
    pairs = [(parse_bool(values), before.parse_bool(values)),
             (parse_category(values, col.choices, col.numbers),
              before.parse_category(values, col.choices, col.numbers)),
             (parse_category(values, col.choices, not col.numbers),
              before.parse_category(values, col.choices, not col.numbers))]
    for new, old in pairs:
        pd.testing.assert_series_equal(new[0], old[0])
        pd.testing.assert_series_equal(new[1], old[1])


def test_booleans_of_a_bool_column_as_before():
    from cskit.io.values.categories import parse_bool

    values = pd.Series([True, False, True], index=[4, 5, 6])
    for new, old in zip(parse_bool(values), before.parse_bool(values)):
        pd.testing.assert_series_equal(new, old)


# --- the formula guard and dates as text ------------------------------------------------
TEXTS = st.one_of(st.none(), st.sampled_from(
    ["", "=1+2", "=HYPERLINK(\"http://evil\",\"x\")", "+86 138", "-12.5", "+3", "-x", "@SUM",
     "\tx", "\rx", "x=1", "甲公司", "=中", "-", "- 5", "1e5", "-1,234.5%", " =x", "'=x"]))
DAYS = st.one_of(st.none(), st.sampled_from(["2026-10-31", "1900-01-01", "2200-12-31",
                                             "2026-10-31 08:30:00", "2026-02-28 23:59:59"]))


@st.composite
def frames(draw):
    n = draw(st.integers(0, 9))
    texts = draw(st.lists(TEXTS, min_size=n, max_size=n))
    days = draw(st.lists(DAYS, min_size=n, max_size=n))
    index = draw(st.sampled_from(["range", "shifted", "repeated"]))
    index = {"range": pd.RangeIndex(n), "shifted": pd.RangeIndex(5, 5 + n),
             "repeated": pd.Index([i // 2 for i in range(n)])}[index]
    frame = pd.DataFrame(index=index)
    frame["text"] = _series(texts, "str", draw(st.sampled_from([1, 2]))).set_axis(index)
    start = draw(st.integers(0, 2))
    sliced = pd.Series(["-pad", "=pad"][:start] + [t or "" for t in texts], dtype="str")
    frame["sliced"] = sliced.iloc[start:].set_axis(index)  # an Arrow array with an offset
    frame["object"] = pd.Series([t if i % 3 else (i if t is None else t)
                                 for i, t in enumerate(texts)], dtype=object, index=index)
    frame["amount"] = np.arange(n, dtype="float64") - 2
    frame["flag"] = np.arange(n) % 2 == 0
    stamps = pd.to_datetime(pd.Series(days, dtype=object), format="mixed").set_axis(index)
    frame["day"] = stamps
    if draw(st.booleans()):
        frame["zoned"] = stamps.dt.tz_localize("Asia/Shanghai")
    if draw(st.booleans()):
        frame["-header"] = frame["text"]
    return frame


@settings(max_examples=300, deadline=None)
@given(frames())
def test_formula_guard_and_date_text_as_before(frame):
    from cskit.io.write.cells import _text_frame, neutralize

    pd.testing.assert_frame_equal(neutralize(frame), before.neutralize(frame))
    pd.testing.assert_frame_equal(_text_frame(frame), before._text_frame(frame))
    pd.testing.assert_frame_equal(_text_frame(neutralize(frame)),
                                  before._text_frame(before.neutralize(frame)))


# --- whole numbers written by Arrow -------------------------------------------------------
def old_csv(frame: pd.DataFrame, sep: str = ",") -> str:
    with pytest.MonkeyPatch.context() as patch:
        import cskit.io.write.cells as cells

        patch.setattr(cells, "neutralize", before.neutralize)
        patch.setattr(cells, "_text_frame", before._text_frame)
        return credit_old.csv_text(frame, sep)


def new_csv(frame: pd.DataFrame, sep: str = ",") -> str:
    from cskit.io.write.formats import _write_csv

    buffer = io.BytesIO()
    _write_csv(frame, sep, buffer)
    return buffer.getvalue().decode("utf-8")


NUMBERS = st.one_of(
    st.sampled_from([0.0, -0.0, 1.0, -1.0, 9.0, 0.5, 1e9 - 1, 1e9, -1e9 + 1, -1e9, 1e9 + 1,
                     99999999.0, 123456789.0, 1e14, 1e15, 2.0 ** 53, np.nan, np.inf, -np.inf,
                     5e-324, 1e-7]),
    st.integers(-10 ** 9, 10 ** 9).map(float),
    st.floats(allow_nan=True, allow_infinity=True))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(NUMBERS, min_size=3, max_size=3), max_size=8),
       st.sampled_from([",", "\t"]))
def test_whole_numbers_written_as_before(rows, sep):
    frame = pd.DataFrame(rows, columns=["a", "b", "c"], dtype="float64")
    frame["text"] = "x"
    with arrow_writer(1):
        assert new_csv(frame, sep) == old_csv(frame, sep)


def test_whole_numbers_near_the_limit_written_as_before():
    # every whole number in a band around the limit, and a spread below it
    from cskit.io.write.formats import WHOLE_LIMIT

    band = np.arange(WHOLE_LIMIT - 3000, WHOLE_LIMIT + 3000, dtype="float64")
    spread = np.random.default_rng(16).integers(-WHOLE_LIMIT + 1, WHOLE_LIMIT, 20000)
    for values in (band, -band, band[band < WHOLE_LIMIT], spread.astype("float64"),
                   np.arange(-5000, 5000, dtype="float64")):
        frame = pd.DataFrame({"n": values})
        with arrow_writer(1):
            assert new_csv(frame) == old_csv(frame)


# --- the reasons' join, sections written together ---------------------------------------
@settings(max_examples=150, deadline=None)
@given(st.integers(0, 40).flatmap(lambda n: st.lists(
    st.tuples(st.lists(st.integers(0, 6), min_size=n, max_size=n), st.booleans(),
              st.sampled_from([0, 10**5])), min_size=1, max_size=6)),
       st.sampled_from(["; ", "；", ""]), st.sampled_from([1, 3, 65536]),
       st.sampled_from([1, 7, 49, 65536]))
def test_merged_sections_joined_as_before(sections, separator, rows, merged):
    import cskit.credit.reasons as reasons

    built = [(np.asarray(codes, dtype=np.int64) * (1 + far), (lambda c, empty=empty:
              "" if empty and c in (0, 3) else f"c{c}·中"))
             for codes, empty, far in sections]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reasons, "CHUNK_ROWS", rows)
        patch.setattr(reasons, "MERGED_TEXTS", merged)
        new = reasons.join_clauses(built, separator)
    assert new.to_pylist() == before.join_clauses(built, separator).to_pylist()
    assert new.type == pa.large_string()


# --- the chains' combinations ----------------------------------------------------------
@st.composite
def scored(draw):
    rows = []
    for _ in range(draw(st.integers(0, 30))):
        status = draw(st.sampled_from(["rated", "cash_only", "unrated_new"]))
        level = draw(st.sampled_from([1, 2, 4, 5])) if status == "rated" else None
        final = None if level is None else min(level + draw(st.integers(0, 2)), 5)
        rows.append((draw(st.sampled_from([0.0, 55.5, 71.0, 82.25, 90.0, 100.0])), level, final,
                     draw(st.sampled_from(["一级", "四级", "cash_only", "unrated_new"])),
                     draw(st.sampled_from([0.0, 100000.0, 800000.0])),
                     draw(st.sampled_from(["sales_vp", "finance_vp", "general_manager"])),
                     status))
    table = pd.DataFrame(rows, columns=list(before.CHAIN_COLUMNS))
    for column in ("level", "final_level"):
        table[column] = table[column].astype("Int64")
    for column in ("grade_label", "approver", "status"):
        table[column] = table[column].astype("str")
    return table.set_axis(pd.RangeIndex(3, 3 + len(rows)))


@settings(max_examples=200, deadline=None)
@given(scored(), st.booleans(), st.sampled_from([2 ** 62, 64, 7, 1]))
def test_chains_numbered_as_before(table, zh, span):
    import cskit.credit.reasons as reasons

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reasons, "CHAIN_SPAN", span)
        code, chains = reasons.chain_texts(table, zh)
    old_code, old_chains = before.chain_texts(table, zh)
    assert code.tolist() == old_code.tolist()
    assert chains == old_chains


# --- the command: hostile files -----------------------------------------------------------
def same_run(args: list[str], folder: Path, outputs=("out.csv",)) -> None:
    """Old and new: the same exit code, messages and files (output, rejects)."""
    results = {}
    for old in (True, False):
        for name in outputs:
            (folder / name).unlink(missing_ok=True)
        code, messages = run(args, folder / outputs[0], old=old)
        files = {name: (folder / name).read_bytes() if (folder / name).exists() else None
                 for name in outputs}
        results[old] = (code, messages.replace(str(folder), "DIR"), files)
    assert results[False] == results[True]


HOSTILE = [(option, case) for option in H.COMMANDS["score-credit"].inputs
           for case in H.CASES]


@pytest.mark.parametrize("option,case", HOSTILE, ids=[f"{o}-{c}" for o, c in HOSTILE])
def test_hostile_files_as_before(tmp_path, option, case):
    spec = H.COMMANDS["score-credit"]
    made = H.build(case, spec.inputs[option], tmp_path)
    if made.path is None or made.stdin is not None or made.io_error or made.remove:
        pytest.skip("not applicable, or not a file both runs can read")
    files = H.good_files("score-credit", tmp_path, option)
    files[option] = made.path
    customers = files.pop("@CUSTOMERS")
    args = [customers] + [a for option_, path in files.items() for a in (option_, path)]
    with arrow_writer(1):
        same_run(args, tmp_path)


# --- the command: random tables with bad cells set aside ----------------------------------
BOOLS = ("business_license", "tax_registration", "special_permit", "iso9000",
         "late_after_promise", "breach_of_settlement", "salesperson_advance")
ANSWERS = ("cooperation", "sales_status", "wage_level", "reconciliation")
TYPES = ("business_type", "primary_business")
GOOD_BOOL = ["true", "false", "是", "否", " Yes ", "✓", "×", "1", "0", "1.0", "", " "]
GOOD_ANSWER = ["0", "1", "2", "2.0", "配合", "非常 配合", "良好", "拒绝对账", "-3", "-1", ""]
GOOD_TYPE = ["A", "b", "mixed", "A业务", "混合", "", "NULL"]
BAD = ["maybe", "#N/A", "7", "nan", "=1+2", "-"]


@st.composite
def hostile_customers(draw):
    columns = (["customer_id", "customer_name", "annual_sales", "first_trade_date"]
               + [c for c in BOOLS + ANSWERS + TYPES if draw(st.booleans())] + ["note"])
    rows = []
    for i in range(draw(st.integers(1, 30))):
        row = [f"C{i:03d}", draw(st.sampled_from(["甲", "=HYPERLINK(\"x\")", "+86 1", "-12.5",
                                                  "@a", "\tb", ""])),
               draw(st.sampled_from(["1000000", "", "-5", "3000000.5"])),
               draw(st.sampled_from(["2020-01-01", "", "2026-09-15"]))]
        for column in columns[4:-1]:
            good = GOOD_BOOL if column in BOOLS else GOOD_ANSWER if column in ANSWERS \
                else GOOD_TYPE
            row.append(draw(st.sampled_from(good + BAD[:draw(st.integers(0, len(BAD)))]
                                            if draw(st.integers(0, 9)) == 0 else good)))
        row.append(draw(st.sampled_from(["", "=cmd|' /C calc'!A0", "-x", "ok", "\rq"])))
        rows.append(row)
    return columns, rows


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                               HealthCheck.data_too_large,
                                                               HealthCheck.function_scoped_fixture])
@given(hostile_customers(), st.sampled_from(["en", "zh"]), st.sampled_from([1, 20000]),
       st.sampled_from(["csv", "xlsx"]))
def test_random_bad_cells_set_aside_as_before(tmp_path_factory, table, lang, arrow_rows, ext):
    folder = tmp_path_factory.mktemp("bad_cells")
    columns, rows = table
    customers = folder / "customers.csv"
    customers.write_text(H.to_csv([columns] + rows), encoding="utf-8")
    if ext == "xlsx":
        H.write_xlsx(folder / "customers.xlsx", [("Sheet1", [columns] + rows)])
        customers = folder / "customers.xlsx"
    args = [str(customers), "--lang", lang, "--rejects", str(folder / "rejects.csv")]
    with arrow_writer(arrow_rows, 4):
        same_run(args, folder, ("out.csv", "rejects.csv"))
