import datetime as dt

import pandas as pd
import pytest

from cskit.io import values as V


def s(*items):
    return pd.Series(list(items), dtype=object)


@pytest.mark.parametrize("text", ["2026-10-31", "2026/10/31", "2026.10.31", "2026年10月31日",
                                  "2026-10-31 00:00:00", "20261031", " 2026-10-31 ", 46326, "46326",
                                  46326.0, dt.datetime(2026, 10, 31), dt.date(2026, 10, 31)])
def test_every_date_form_is_the_same_day(text):
    parsed, bad = V.parse_dates(s(text))
    assert not bad.any()
    assert parsed.iloc[0] == pd.Timestamp("2026-10-31")


@pytest.mark.parametrize("text", ["2026-02-30", "31/10/2026", "yesterday", "2026-13-01", "0", True])
def test_bad_and_impossible_dates_are_marked(text):
    parsed, bad = V.parse_dates(s(text))
    assert bad.iloc[0] and pd.isna(parsed.iloc[0])


def test_blank_dates_are_missing_not_bad():
    parsed, bad = V.parse_dates(s("", None, "  "))
    assert parsed.isna().all() and not bad.any()


def test_datetime_keeps_time_of_day():
    parsed, bad = V.parse_dates(s("2026-10-31 14:05", "2026/10/31 9:03:07"), with_time=True)
    assert list(parsed) == [pd.Timestamp("2026-10-31 14:05"), pd.Timestamp("2026-10-31 09:03:07")]


@pytest.mark.parametrize("text,expected", [
    ("1234.5", 1234.5), ("1,234.50", 1234.5), ("¥1,234.50", 1234.5), ("￥1,234.50", 1234.5),
    ("(1,234.50)", -1234.5), ("（1,234.50）", -1234.5), ("12.5万", 125000.0), ("12.5万元", 125000.0),
    ("-88.10", -88.1), ("3,000 元", 3000.0), (1234.5, 1234.5), (7, 7.0), ("0.1", 0.1),
    ("1.23456万", 12345.6), ("0.005", 0.01)])
def test_amount_forms(text, expected):
    parsed, bad = V.parse_money(s(text))
    assert not bad.any()
    assert parsed.iloc[0] == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("text", ["12abc", "¥", "1.2.3", "万", "(-5)", "nan%"])
def test_bad_amounts_are_marked(text):
    _, bad = V.parse_money(s(text))
    assert bad.iloc[0]


def test_money_sums_to_the_cent():
    parsed, _ = V.parse_money(pd.Series(["0.10"] * 10 + ["0.20"] * 10))
    assert round(parsed.sum(), 2) == 3.00


@pytest.mark.parametrize("text,expected", [
    ("y", True), ("N", False), ("yes", True), ("No", False), ("true", True), ("FALSE", False),
    ("1", True), ("0", False), ("是", True), ("否", False), ("有", True), ("无", False),
    ("✓", True), ("✗", False), ("√", True), ("×", False), (True, True), (0.0, False)])
def test_boolean_spellings(text, expected):
    parsed, bad = V.parse_bool(s(text))
    assert not bad.any() and parsed.iloc[0] == expected


def test_unknown_boolean_is_marked():
    _, bad = V.parse_bool(s("maybe"))
    assert bad.iloc[0]


def test_int_rejects_fractions():
    parsed, bad = V.parse_int(s("30", "30.0", "30.5", ""))
    assert list(bad) == [False, False, True, False]
    assert parsed.iloc[0] == 30 and parsed.iloc[1] == 30


def test_number_percent_and_wan():
    parsed, bad = V.parse_number(s("95%", "0.9", "1.2万"))
    assert list(parsed) == pytest.approx([0.95, 0.9, 12000.0])


def test_category_labels_numbers_and_unknowns():
    choices = {"不配合": 0, "配合": 1, "非常配合": 2}
    parsed, bad = V.parse_category(s("非常配合", "2", "配合", "3", "随便"), choices, numbers=True)
    assert list(bad) == [False, False, False, True, True]
    assert list(parsed[:3]) == [2, 2, 1]


def test_text_from_excel_numbers():
    parsed, _ = V.parse_text(s(1001.0, " C002 ", None))
    assert parsed.iloc[0] == "1001" and parsed.iloc[1] == "C002" and pd.isna(parsed.iloc[2])


def test_as_of_parses_and_rejects():
    assert V.parse_as_of("2026年9月30日") == pd.Timestamp("2026-09-30")
    from cskit.errors import UsageError
    with pytest.raises(UsageError):
        V.parse_as_of("soon")


def test_vectorised_dates_agree_with_the_per_value_parser():
    from hypothesis import given, settings, strategies as st

    forms = st.one_of(
        st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2099, 12, 31)).flatmap(
            lambda d: st.sampled_from([d.isoformat(), d.strftime("%Y/%m/%d"), d.strftime("%Y.%-m.%-d"),
                                       f"{d.year}年{d.month}月{d.day}日", d.strftime("%Y%m%d"),
                                       d.isoformat() + " 13:45", d.isoformat() + " 07:08:09"])),
        st.sampled_from(["2026-02-30", "2025-02-29", "2026-13-01", "2026-10-31 24:00", "abc", "",
                         "46326", "1.5", "2026-1-5"]))

    @settings(max_examples=60, deadline=None)
    @given(st.lists(forms, min_size=1, max_size=30), st.booleans())
    def check(cells, with_time):
        series = pd.Series(cells, dtype="str")
        slow = V._by_unique(series, lambda v: V._date_one(v, with_time), "datetime")
        for fast in (V._dates_vectorised(series, with_time), V._dates_distinct(series, with_time)):
            assert fast[0].tolist() == slow[0].tolist()
            assert fast[1].tolist() == slow[1].tolist()

    check()


def test_problem_does_not_show_missing_values_as_nan():
    from cskit.errors import Problem
    assert "nan" not in str(Problem(file="f.csv", row=3, column="amount", value=float("nan"),
                                    expected="a value"))
