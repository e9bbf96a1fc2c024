"""Masking looks only at cells with 11 digits or more (issue 16 item 4): the
same masked frames as the masking of every cell, kept in
tests/mask_before.py, on the sample files and on random text."""
from __future__ import annotations

import glob

import mask_before
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cskit.io.read import read_workbook
from cskit.reports import mask


def assert_same(frame: pd.DataFrame) -> None:
    new, old = mask.mask_frame(frame), mask_before.mask_frame(frame)
    assert list(new.dtypes) == list(old.dtypes)
    pd.testing.assert_frame_equal(new, old)


@pytest.mark.parametrize("path", sorted(glob.glob("samples/*.csv") + glob.glob("samples/*.xlsx")))
def test_samples_mask_the_same(path):
    for frame in read_workbook(path).values():
        assert_same(frame)


def test_eleven_digits_of_any_script_are_looked_at():
    # 13857246816 written in full-width and Arabic-Indic digits, and beside text
    frame = pd.DataFrame({"note": ["１３８５７２４６８１６", "tel 138-5724-6816 ok",
                                   "١٣٨٥٧٢٤٦٨١٦", "110101 19900307 1234", "INV00000001",
                                   None, "", "13857246816" * 3]})
    assert_same(frame)
    assert mask.mask_frame(frame)["note"].iloc[1] == "tel 138****6816 ok"


PIECES = st.sampled_from(["1", "3", "8", "0", "5", "7", "9", "X", "x", "１", "３", "８", "٣",
                          " ", "-", ".", "+86", "86", "甲", "a", "(", "（", "2", "4", "6"])
CELL = st.none() | st.lists(PIECES, max_size=26).map("".join)


@settings(max_examples=200, deadline=None)
@given(st.lists(CELL, min_size=1, max_size=20), st.sampled_from(
    ["note", "手机号码", "身份证号", "ID", "customer_name"]), st.sampled_from(["str", "object"]))
def test_random_text_masks_the_same(cells, column, dtype):
    frame = pd.DataFrame({column: pd.Series(cells, dtype=dtype)})
    assert_same(frame)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.none() | st.integers(10**9, 10**18) | st.floats(allow_nan=True) | CELL,
                min_size=1, max_size=12))
def test_mixed_cells_mask_the_same(cells):
    assert_same(pd.DataFrame({"note": pd.Series(cells, dtype=object),
                              "phone": pd.Series(cells, dtype=object)}))
