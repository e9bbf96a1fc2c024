"""Values cskit refuses to guess (README "What cskit refuses to guess"):
numbers and dates out of range, nan/inf, decimal commas, spreadsheet error
cells, paid amounts of the wrong sign, mixed time zones."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from click.testing import CliRunner

from cskit.cli import cli
from cskit.io import values as V
from cskit.schema import Col


def s(*items):
    return pd.Series(list(items), dtype=object)


def reasons(values, kind):
    col = Col("x", kind)
    parsed, bad, _ = V.parse_column(values, col)
    found = {}
    for mask, reason in V.bad_reasons(values, col, bad):
        for i in mask[mask].index:
            found[i] = reason
    return parsed, bad, found


@pytest.mark.parametrize("text", ["111111111111111111111111111111", "1e400", "-1e400", "inf",
                                  "-Infinity", "1000000000000000", "1e15", "¥1e16",
                                  "(2,000,000,000,000,000.00)", 1e300, float("inf"), 10 ** 29])
@pytest.mark.parametrize("kind", ["money", "number", "int"])
def test_numbers_out_of_range_are_bad_and_say_so(text, kind):
    parsed, bad, found = reasons(s(text), kind)
    assert bad.iloc[0] and pd.isna(parsed.iloc[0])
    assert found[0] is (V.MONEY_RANGE if kind == "money" else V.NUMBER_RANGE)


def test_the_largest_amount_below_the_limit_is_read_to_the_cent():
    parsed, bad = V.parse_money(s("9,999,999,999,999.99", "-9999999999999", "1e13"))
    assert list(bad) == [False, False, True]
    assert parsed.iloc[0] == 9999999999999.99 and parsed.iloc[1] == -9999999999999.0
    numbers, bad = V.parse_number(s("999999999999999", "1e15"))
    assert list(bad) == [False, True]


def test_money_too_large_for_cents_is_a_typed_error_not_a_warning():
    import warnings

    import numpy as np

    from cskit import money

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert money.to_cents(np.array([1e13, np.nan])).tolist() == [10 ** 15, 0]
        for value in (1e300, np.inf, 9.1e13):
            with pytest.raises(money.MoneyRangeError):
                money.to_cents(np.array([value]))


@pytest.mark.parametrize("kind", ["money", "number", "int", "date", "datetime"])
def test_nan_written_in_a_cell_is_not_a_number_nor_a_blank(kind):
    parsed, bad, _ = reasons(s("nan", "NaN"), kind)
    assert bad.all() and parsed.isna().all()


@pytest.mark.parametrize("text", ["2999-12-31", "9999-12-31 00:00:00", "1899-12-31", 150000,
                                  "150000", "22010101", dt.datetime(2999, 1, 1),
                                  dt.date(1800, 5, 1)])
def test_dates_outside_1900_to_2200_are_out_of_range(text):
    parsed, bad, found = reasons(s(text), "date")
    assert bad.iloc[0] and pd.isna(parsed.iloc[0])
    assert found[0] is V.DATE_RANGE  # not "a day that exists in the calendar"


def test_dates_at_the_edges_of_the_range_are_read():
    parsed, bad = V.parse_dates(s("1900-01-01", "2200-12-31", 109939))
    assert not bad.any()
    assert list(parsed) == [pd.Timestamp("1900-01-01"), pd.Timestamp("2200-12-31")] * 1 + \
        [pd.Timestamp("2200-12-31")]


def test_out_of_range_dates_in_a_large_column_take_the_fast_path_too():
    values = pd.Series(["2026-10-31"] * 60000 + ["2999-12-31"], dtype=object)
    parsed, bad = V.parse_dates(values)
    assert bad.sum() == 1 and bad.iloc[-1] and parsed.iloc[0] == pd.Timestamp("2026-10-31")


@pytest.mark.parametrize("text", ["1234,50", "1,23", "12 345,67", "1,2345.00", "1 234,567.00",
                                  "12,34,567"])
def test_a_comma_that_is_not_a_thousands_separator_is_a_bad_amount(text):
    parsed, bad, found = reasons(s(text), "money")
    assert bad.iloc[0] and pd.isna(parsed.iloc[0])
    assert found[0] is V.DECIMAL_COMMA


@pytest.mark.parametrize("text,expected", [("1,234,567.89", 1234567.89), ("1 234 567.89", 1234567.89),
                                           ("12,345", 12345.0), ("¥1,234.50", 1234.5)])
def test_thousands_in_groups_of_three_are_read(text, expected):
    parsed, bad = V.parse_money(s(text))
    assert not bad.any() and parsed.iloc[0] == expected


@pytest.mark.parametrize("error", V.EXCEL_ERRORS[:9])
@pytest.mark.parametrize("kind", ["money", "date", "str", "int", "bool"])
def test_spreadsheet_errors_are_bad_values_in_every_column(error, kind):
    parsed, bad, found = reasons(s(error), kind)
    assert bad.iloc[0] and pd.isna(parsed.iloc[0])
    assert found[0] is V.EXCEL_ERROR


def test_mixed_time_zones_make_the_cells_with_an_offset_bad():
    zone = dt.timezone(dt.timedelta(hours=8))
    values = s(dt.datetime(2026, 10, 1, 9, 0), dt.datetime(2026, 10, 2, 9, 0, tzinfo=zone))
    parsed, bad, found = reasons(values, "datetime")
    assert list(bad) == [False, True]
    assert found[1] is V.MIXED_ZONES


def test_a_column_all_with_offsets_keeps_the_wall_clock_time():
    zone = dt.timezone(dt.timedelta(hours=8))
    parsed, bad = V.parse_dates(s(dt.datetime(2026, 10, 2, 9, 0, tzinfo=zone)), with_time=True)
    assert not bad.any() and parsed.iloc[0] == pd.Timestamp("2026-10-02 09:00")


# --- through the command line ---------------------------------------------------
def run(args):
    return CliRunner().invoke(cli, args, catch_exceptions=True)


LEDGER = "customer_id,invoice_no,invoice_date,amount,paid_amount\n"


@pytest.mark.parametrize("paid,ok", [("-400", False), ("400", True), ("1000", True),
                                     ("1000.01", False), ("", True), ("0", True)])
def test_paid_amount_has_the_sign_of_its_invoice_and_is_not_larger(tmp_path, paid, ok):
    # #20 item 4: -400 paid on a 1,000 invoice was read as +400 received
    path = tmp_path / "inv.csv"
    path.write_text(LEDGER + f"C1,F1,2026-06-01,1000,{paid}\nC2,F2,2026-06-01,-5,-5\n")
    result = run(["aging-report", str(path), "--as-of", "2026-10-31", "-o", str(tmp_path / "o.csv")])
    assert result.exit_code == (0 if ok else 1), result.output
    if not ok:
        assert "row 2, column paid_amount" in result.output
        assert "same sign as amount and not larger" in result.output


def test_a_credit_note_with_a_positive_paid_amount_is_bad(tmp_path):
    # #20 item 4: a credit note of -5 with paid 500 became a 495 receivable in 181+
    path = tmp_path / "inv.csv"
    path.write_text(LEDGER + "C1,F1,2026-01-01,1000,\nC1,F2,2026-01-01,-5,500\n")
    result = run(["aging-report", str(path), "--as-of", "2026-10-31", "-o", str(tmp_path / "o.csv")])
    assert result.exit_code == 1 and "row 3, column paid_amount: '500'" in result.output


def test_semicolon_file_with_decimal_commas_everywhere_is_read_and_said(tmp_path):
    path = tmp_path / "inv.csv"
    path.write_text("customer_id;invoice_no;invoice_date;amount\n"
                    "C1;F1;2026-06-01;1234,50\nC2;F2;2026-06-01;1.000,25\nC3;F3;2026-06-01;7\n")
    out = tmp_path / "o.csv"
    result = run(["aging-report", str(path), "--as-of", "2026-10-31", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "decimal comma" in result.output
    summary = pd.read_csv(out, encoding="utf-8-sig")
    assert sorted(summary["outstanding"]) == [7.0, 1000.25, 1234.5]


@pytest.mark.parametrize("delimiter,second", [(";", "1234.50"), (",", '"1234,50"')])
def test_decimal_commas_not_everywhere_or_not_semicolon_are_bad(tmp_path, delimiter, second):
    path = tmp_path / "inv.csv"
    d = delimiter
    path.write_text(f"customer_id{d}invoice_no{d}invoice_date{d}amount\n"
                    f'C1{d}F1{d}2026-06-01{d}"1234,50"\nC2{d}F2{d}2026-06-01{d}{second}\n')
    result = run(["aging-report", str(path), "--as-of", "2026-10-31", "-o",
                  str(tmp_path / "o.csv")])
    assert result.exit_code == 1, result.output
    assert "row 2, column amount: '1234,50'" in result.output
    assert "groups of three" in result.output


def test_excel_error_cells_in_xlsx_are_named_and_kept_in_rejects(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["customer_id", "invoice_no", "invoice_date", "amount", "paid_amount"])
    sheet.append(["C1", "F1", "2026-06-01", 100, None])
    sheet.append(["C2", "F2", "2026-06-01", 100, None])
    for ref, error in (("E2", "#N/A"), ("E3", "#DIV/0!")):
        sheet[ref].value = error
        sheet[ref].data_type = "e"
    path = tmp_path / "inv.xlsx"
    book.save(path)
    out, rejects = tmp_path / "o.csv", tmp_path / "rej.csv"
    result = run(["aging-report", str(path), "--as-of", "2026-10-31", "-o", str(out)])
    assert result.exit_code == 1
    assert "row 2, column paid_amount: '#N/A' — a value, not a spreadsheet error" in result.output
    assert "row 3, column paid_amount: '#DIV/0!'" in result.output
    assert "is empty" not in result.output
    result = run(["aging-report", str(path), "--as-of", "2026-10-31", "-o", str(out),
                  "--rejects", str(rejects)])
    table = pd.read_csv(rejects, dtype=str, keep_default_na=False)
    assert list(table["paid_amount"]) == ["#N/A", "#DIV/0!"]
