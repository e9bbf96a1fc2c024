"""Real exports (tests/export_corpus.py) through every command that takes
their kind of table: each opens without flags (or one --map where a column
is truly ambiguous) with the totals and buckets worked out by hand."""
from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cskit import schema
from cskit.cli import cli
from cskit.io.read import read_table

sys.path.insert(0, str(Path(__file__).parent))
import export_corpus as E  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BUCKETS = ["not_due", "1-30", "31-60", "61-90", "91-180", "181+"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return E.write_all(tmp_path_factory.mktemp("exports"))


def invoke(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def aging(path, tmp_path, *extra):
    out = tmp_path / "aging.csv"
    code, _, err = invoke("aging-report", path, "--as-of", E.AS_OF, "-o", out, *extra)
    assert code == 0, err
    summary = pd.read_csv(out, dtype={"customer_id": str})
    return summary, err


def buckets(summary) -> dict:
    return {b: round(float(summary[b].sum()), 2) for b in BUCKETS}


def read(path, table=schema.INVOICES, **kw):
    frame, problems, _ = read_table(str(path), table, **kw)
    assert not problems, problems
    return frame


# --- Kingdee 金蝶 应收单 and 收款单, GBK CSV and XLSX ----------------------------------------
@pytest.mark.parametrize("key", ["kingdee_ar_csv", "kingdee_ar_xlsx"])
def test_kingdee_receivables(corpus, tmp_path, key):
    frame = read(corpus[key])
    # invoiced is 价税合计 (what the customer owes), not the pre-tax 金额
    assert round(frame["amount"].sum(), 2) == 40680.00
    assert round(frame["paid_amount"].sum(), 2) == 4130.00
    assert frame.attrs["header_rows"] == (5, 5)
    assert frame.attrs["set_aside"] == {"total": 1, "notes": 1, "blank": 1}
    summary, err = aging(corpus[key], tmp_path)
    # 11,300 not due; 5,650 − 3,000 = 2,650 15 days late; 22,600 61 days late; 1,130 paid
    assert buckets(summary) == {"not_due": 11300.0, "1-30": 2650.0, "31-60": 0.0,
                                "61-90": 22600.0, "91-180": 0.0, "181+": 0.0}
    assert "amount: using column '价税合计', not '金额'" in err
    assert "价税合计: 40,680.00, equal to the file's own total (row 10)" in err
    assert "7 rows read, 4 used; set aside as not data: 1 grand-total row, " \
           "1 notes row, 1 blank row" in err
    assert "column '税额' is not used, but it looks like an amount" in err


@pytest.mark.parametrize("ar, receipts", [("kingdee_ar_csv", "kingdee_receipts_csv"),
                                          ("kingdee_ar_xlsx", "kingdee_receipts_xlsx")])
def test_kingdee_receipts_apply_to_their_invoices(corpus, tmp_path, ar, receipts):
    payments = read(corpus[receipts], schema.PAYMENTS)
    assert round(payments["amount"].sum(), 2) == 14600.00
    assert list(payments["invoice_no"]) == ["AR000101", "AR000103"]
    summary, err = aging(corpus[ar], tmp_path, "--payments", corpus[receipts])
    # AR000101 11,300 − 2,000 = 9,300 not due; AR000103 22,600 − 12,600 = 10,000 61-90
    assert buckets(summary) == {"not_due": 9300.0, "1-30": 2650.0, "31-60": 0.0,
                                "61-90": 10000.0, "91-180": 0.0, "181+": 0.0}
    assert "实收金额: 14,600.00, equal to the file's own total (row 6)" in err


# rollup-kpi measures DSO per staff member: layouts with a salesperson (业务员)
# run, the others say the column is needed
@pytest.mark.parametrize("key, extra, counts", [
    ("kingdee_ar_csv", (), "7 rows read, 4 used; set aside as not data"),
    ("kingdee_ar_xlsx", (), "7 rows read, 4 used; set aside as not data"),
    ("row14_xlsx", (), "2 rows read, 2 used"),
    ("row14_csv", (), "2 rows read, 2 used"),
    ("yonyou_xlsx", (), None),
    ("sap_csv", ("--map", "客户=customer_id"), None),
    ("tax_xlsx", (), None)])
def test_every_invoice_layout_through_rollup_kpi(corpus, tmp_path, key, extra, counts):
    code, _, err = invoke("rollup-kpi", "--org", ROOT / "samples" / "org.csv",
                          "--invoices", corpus[key], "--payments", corpus["kingdee_receipts_csv"],
                          "--period", "2026-10", "-o", tmp_path / "kpi.csv", *extra)
    if counts is None:
        assert code == 1 and "a salesperson column (业务员)" in err, err
        return
    assert code == 0, err
    assert counts in err
    assert "金蝶收款单.csv: 3 rows read, 2 used; set aside as not data: 1 grand-total row" \
        in err


# --- Yonyou 用友 往来对账: three-level header, 小计 in 摘要, 原币 and 本位币 -------------------
def test_yonyou_three_level_header(corpus, tmp_path):
    frame = read(corpus["yonyou_xlsx"])
    assert frame.attrs["header_rows"] == (4, 6)
    assert frame.attrs["headers"]["amount"] == "本期发生/借方/本位币"
    # local currency: the dollar invoice counts 7,100 yuan, not 1,000
    assert round(frame["amount"].sum(), 2) == 20600.50
    assert round(frame["paid_amount"].sum(), 2) == 4000.00
    assert frame.attrs["set_aside"] == {"subtotal": 2, "total": 1}
    summary, err = aging(corpus["yonyou_xlsx"], tmp_path)
    assert buckets(summary) == {"not_due": 3500.5, "1-30": 6000.0, "31-60": 0.0,
                                "61-90": 0.0, "91-180": 7100.0, "181+": 0.0}
    assert "amount: using column '本期发生/借方/本位币', not '本期发生/借方/原币'" in err
    assert "本期发生/借方/本位币: 20,600.50, equal to the file's own total (row 12)" in err
    assert "subtotal" not in err.split("do not equal")[0] or "do not equal" not in err


# --- SAP FBL5N, Chinese labels, trailing minus ---------------------------------------
def test_sap_needs_one_map_for_the_account_column(corpus, tmp_path):
    # 客户 is a name elsewhere but the account number in FBL5N: without --map
    # the customer id is missing and the run says so
    code, _, err = invoke("aging-report", corpus["sap_csv"], "--as-of", E.AS_OF,
                          "-o", tmp_path / "x.csv")
    assert code == 1 and "required column customer_id" in err
    summary, err = aging(corpus["sap_csv"], tmp_path, "--map", "客户=customer_id")
    # 8,800 (10 days) + 15,000 (120 days) − 1,200 credit (oldest first) + 71,000 not due
    assert round(float(summary["outstanding"].sum()), 2) == 93600.00
    assert buckets(summary) == {"not_due": 71000.0, "1-30": 8800.0, "31-60": 0.0,
                                "61-90": 0.0, "91-180": 13800.0, "181+": 0.0}
    assert "'凭证货币金额' is not used, but it looks like an amount" in err


def test_sap_without_map_says_which_map_is_needed(corpus, tmp_path):
    code, _, err = invoke("aging-report", corpus["sap_csv"], "-o", tmp_path / "x.csv")
    assert code == 1
    assert "Column '客户' holds codes, not names" in err
    assert "add --map '客户=customer_id'" in err


def test_sap_map_in_a_policy_columns_table(corpus, tmp_path):
    policy = tmp_path / "aging.toml"
    policy.write_text('[columns]\n"客户" = "customer_id"\n', encoding="utf-8")
    summary, _ = aging(corpus["sap_csv"], tmp_path, "--policy", policy)
    assert round(float(summary["outstanding"].sum()), 2) == 93600.00


# --- 数电票 全量发票查询 ------------------------------------------------------------------
def test_tax_platform_summary_sheet(corpus, tmp_path):
    frame = read(corpus["tax_xlsx"])
    # 发票号码 is blank in every row: 数电发票号码 is the invoice number
    assert frame["invoice_no"].iloc[0] == "26312000000012345678"
    # 价税合计 over 金额; the red invoice (是否正数发票 = 否) is negative
    assert list(frame["amount"]) == [11300.0, 5650.0, -1130.0]
    summary, err = aging(corpus["tax_xlsx"], tmp_path)
    assert round(float(summary["outstanding"].sum()), 2) == 15820.00
    assert buckets(summary) == {"not_due": 10170.0, "1-30": 5650.0, "31-60": 0.0,
                                "61-90": 0.0, "91-180": 0.0, "181+": 0.0}
    assert "1 red invoice" in err


def test_tax_platform_detail_lines_are_summed(corpus, tmp_path):
    frame = read(corpus["tax_xlsx"], sheet="信息汇总表")
    assert list(frame["amount"]) == [11300.0, 5650.0]  # 6,780 + 4,520 in one invoice
    summary, err = aging(corpus["tax_xlsx"], tmp_path, "--sheet", "信息汇总表")
    assert round(float(summary["outstanding"].sum()), 2) == 16950.00
    assert "2 line-item rows summed into 1 invoice" in err
    assert "3 rows read, 3 used" in err


# --- customer master in 万元 -------------------------------------------------------
def test_customer_master_in_wan_yuan(corpus, tmp_path):
    frame = read(corpus["master_csv"], schema.CREDIT_CUSTOMERS)
    assert list(frame["annual_sales"]) == [18655000.0, 386000.0]
    assert list(frame["annual_payments"]) == [17980000.0, 212000.0]
    code, out, err = invoke("score-credit", corpus["master_csv"], "-o", tmp_path / "g.csv")
    assert code == 0, err
    assert "年交易额（万元）: amounts in 万元, multiplied by 10,000" in err
    code, _, err = invoke("visit-plan", corpus["master_csv"], "--from", "2026-11-01",
                          "--to", "2026-11-30", "-o", tmp_path / "v.csv")
    assert code == 0, err


# --- 明细账 with 本月合计 / 本年累计 ---------------------------------------------------------
def test_ledger_month_totals_are_set_aside(corpus, tmp_path):
    frame = read(corpus["ledger_xlsx"], schema.TRANSACTIONS)
    assert round(frame["amount"].sum(), 2) == 23450.60
    assert frame.attrs["set_aside"] == {"subtotal": 2, "cumulative": 2}
    code, _, err = invoke("visit-plan", corpus["master_csv"], "--transactions",
                          corpus["ledger_xlsx"], "--from", "2026-11-01", "--to", "2026-11-30",
                          "-o", tmp_path / "v.csv")
    assert code == 0, err
    assert "7 rows read, 3 used; set aside as not data: 2 subtotal rows, " \
           "2 running-total rows (累计)" in err
    assert "do not equal" not in err


# --- a header on row 14 --------------------------------------------------------------
@pytest.mark.parametrize("key", ["row14_xlsx", "row14_csv"])
def test_header_on_row_14(corpus, tmp_path, key):
    frame = read(corpus[key])
    assert frame.attrs["header_rows"] == (14, 14)
    assert list(frame.index) == [15, 16]
    summary, err = aging(corpus[key], tmp_path)
    assert buckets(summary) == {"not_due": 8000.0, "1-30": 0.0, "31-60": 2000.5,
                                "61-90": 0.0, "91-180": 0.0, "181+": 0.0}
    assert "header on row 14" in err


# --- rows that are data whatever their text says (#19) ---------------------------------
HEADER = "customer_id,customer_name,invoice_no,invoice_date,amount\n"


def test_a_row_with_its_own_key_is_data_whatever_its_text(write_text):
    text = HEADER + "C1,A,I1,2026-10-01,100\nC2,合计,I2,2026-10-02,27601.87\n"
    frame = read(write_text("x.csv", text))
    assert list(frame["invoice_no"]) == ["I1", "I2"]
    assert frame.attrs.get("set_aside") == {}


def test_a_total_that_does_not_add_up_is_said(write_text, tmp_path):
    path = write_text("x.csv", HEADER + "C1,A,I1,2026-10-01,100\nC2,B,I2,2026-10-02,50\n"
                      ",合计,,,160\n")
    code, _, err = invoke("aging-report", path, "--as-of", E.AS_OF, "-o", tmp_path / "o.csv")
    assert code == 0
    assert "amount: the rows used add up to 150.00, but the file's total (row 4) says " \
           "160.00; the difference is -10.00" in err
    assert "3 rows read, 2 used; set aside as not data: 1 grand-total row" in err


def test_bare_cr_line_endings_read_in_every_reader(write_text, tmp_path):
    invoices = write_text("i.csv", (HEADER + "C1,A,I1,2026-10-01,100\n").replace("\n", "\r"))
    limits = write_text("l.csv", "customer_id,credit_limit\rC1,50\r")
    payments = write_text("p.csv", "customer_id,payment_date,amount\rC1,2026-10-05,40\r")
    code, _, err = invoke("aging-report", invoices, "--payments", payments, "--credit-limits",
                          limits, "--as-of", E.AS_OF, "-o", tmp_path / "o.csv")
    assert code == 0, err
    assert "l.csv: 1 row read, 1 used" in err and "p.csv: 1 row read, 1 used" in err


def test_an_html_table_saved_as_xls_is_read(tmp_path):
    path = tmp_path / "导出.xls"
    path.write_text("<html><head><meta charset='utf-8'></head><body><table>"
                    "<tr><th>客户编号</th><th>发票号</th><th>开票日期</th><th>金额</th></tr>"
                    "<tr><td>C1</td><td>I1</td><td>2026-10-01</td><td>1,000.50</td></tr>"
                    "</table></body></html>", encoding="utf-8")
    assert read(path)["amount"].tolist() == [1000.5]


def test_an_excel_reader_panic_is_a_clear_error(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["customer_id", "invoice_no", "invoice_date", "amount"])
    sheet.append(["C1", "I1", -1e308, 5])
    sheet["C2"].number_format = "yyyy-mm-dd"
    book.save(tmp_path / "bad.xlsx")
    code, _, err = invoke("aging-report", tmp_path / "bad.xlsx", "-o", tmp_path / "o.csv")
    assert code == 1
    assert "cannot be read: a cell holds a value the Excel reader cannot convert" in err
    assert "internal error" not in err and "Traceback" not in err


def test_a_stray_quote_is_said_and_later_rows_keep_their_line(write_text, tmp_path):
    path = write_text("x.csv", HEADER + 'C1,"A,I1,2026-10-01,100\nC2,B,I2,2026-10-02,50\n'
                               'C3,C",I3,2026-10-03,7\nC4,D,I4,2026-10-04,x\n')
    code, _, err = invoke("aging-report", path, "-o", tmp_path / "o.csv")
    assert code == 1
    assert "a quoted cell that runs over several lines (row 2: 3 lines)" in err
    assert "row 5, column amount: 'x'" in err  # the physical line, not the 3rd row read


def test_every_row_is_used_set_aside_or_rejected(write_text, tmp_path):
    path = write_text("x.csv", "报表\n" + HEADER + "C1,A,I1,2026-10-01,100\n\n"
                      "C2,B,I2,2026-10-02,abc\n,小计,,,100\n合计,,,,100\n制表人：张三\n")
    code, _, err = invoke("aging-report", path, "--as-of", E.AS_OF, "-o", tmp_path / "o.csv",
                          "--rejects", tmp_path / "bad.csv")
    assert code == 0, err
    # 6 rows under the header: 1 used + 1 rejected + 4 set aside
    assert "6 rows read, 1 used, 1 rejected" in err
    assert "set aside as not data: 1 subtotal row, 1 grand-total row, 1 notes row, " \
           "1 blank row" in err


def test_a_unit_in_the_title_above_the_header_is_applied_and_said(write_text):
    frame = read(write_text("x.csv", "应收明细\n金额单位：万元\n客户编号,发票号,开票日期,金额\n"
                                     "C1,I1,2026-10-01,12.5\n"))
    assert frame["amount"].tolist() == [125000.0]
    assert any("amounts are in 万元" in str(n) for _, n in frame.attrs["notes"])


def test_a_dated_month_total_in_a_ledger_stays_set_aside(write_text):
    frame = read(write_text("x.csv", "日期,客户编码,摘要,金额\n2026-10-09,C1,销售,8000\n"
                                     "2026-10-31,,本月合计,8000\n"), schema.TRANSACTIONS)
    assert frame["amount"].tolist() == [8000.0]
    assert frame.attrs["set_aside"] == {"subtotal": 1}


# --- values of these systems -----------------------------------------------------------
def test_sap_and_full_width_minus_and_dotted_dates(write_text):
    text = HEADER + "C1,A,I1,2026.10.31,\"1,234.00-\"\nC1,A,I2,2026-10-31 00:00:00,－5\n"
    frame = read(write_text("x.csv", text))
    assert list(frame["amount"]) == [-1234.0, -5.0]
    assert list(frame["invoice_date"]) == [pd.Timestamp("2026-10-31")] * 2


def test_foreign_currency_without_a_local_amount_is_an_error_naming_the_row(write_text):
    text = "客户编号,发票号,开票日期,金额,币种\nC1,I1,2026-10-01,100,CNY\nC2,I2,2026-10-01,100,USD\n"
    _, problems, _ = read_table(write_text("x.csv", text), schema.INVOICES)
    assert [(p.row, p.column) for p in problems] == [(3, "币种")]
    assert "local-currency (本位币) amount" in str(problems[0])


def test_units_are_applied_exactly_and_an_unknown_unit_is_an_error(write_text):
    frame = read(write_text("x.csv", "客户编号,发票号,开票日期,金额（万元）\n"
                                     "C1,I1,2026-10-01,12.3456\nC1,I2,2026-10-01,0.01\n"))
    assert list(frame["amount"]) == [123456.0, 100.0]
    from cskit.errors import DataError

    with pytest.raises(DataError, match="unit '美元' is not one cskit knows"):
        read(write_text("y.csv", "客户编号,发票号,开票日期,金额（美元）\nC1,I1,2026-10-01,1\n"))


def test_open_amount_in_place_of_paid(write_text):
    frame = read(write_text("x.csv", "客户编码,单据编号,业务日期,价税合计,未收金额\n"
                                     "C1,I1,2026-10-01,1000,400\nC1,I2,2026-10-01,500,\n"))
    # paid = amount − open; a blank open amount is not taken as paid
    assert frame["paid_amount"].iloc[0] == 600.0 and pd.isna(frame["paid_amount"].iloc[1])


def test_map_to_an_unknown_column_is_a_usage_error(corpus, tmp_path):
    code, _, err = invoke("aging-report", corpus["sap_csv"], "--map", "客户=client",
                          "-o", tmp_path / "x.csv")
    assert code == 2 and "client is not a column cskit reads; valid names:" in err
    code, _, err = invoke("aging-report", corpus["sap_csv"], "--map", "客户",
                          "-o", tmp_path / "x.csv")
    assert code == 2 and "is not HEADER=column" in err


# --- cskit inspect ---------------------------------------------------------------------
def test_inspect_in_english_and_chinese(corpus):
    code, out, err = invoke("inspect", corpus["kingdee_ar_csv"])
    assert code == 0, err
    assert "read as: invoices" in out and "header: row 5 (4 title rows above it skipped)" in out
    assert "价税合计 → amount [money; yuan] blank 0, unreadable 0" in out
    assert "金额: not used; amount comes from '价税合计' (precedence)" in out
    assert "1 grand-total row: rows 10" in out
    assert "价税合计: 40,680.00, equal to the file's own total (row 10)" in out
    code, out, err = invoke("inspect", corpus["yonyou_xlsx"], "--lang", "zh")
    assert code == 0, err
    assert "表头：第 4-6 行，多级表头以 / 连接" in out
    assert "本期发生/借方/本位币 → amount［金额; 元，本位币］" in out
    assert "小计行 2 行：第 9、11 行" in out


def test_inspect_as_kind_names_a_missing_column(corpus):
    code, out, _ = invoke("inspect", corpus["sap_csv"], "--as", "invoices")
    assert code == 0 and "missing required columns: customer_id" in out
    code, out, _ = invoke("inspect", corpus["sap_csv"], "--map", "客户=customer_id")
    assert "客户 → customer_id" in out


def test_inspect_kinds_match_the_io_layer():
    from cskit.commands.inspect import AS_KINDS
    from cskit.io.inspect import KINDS

    assert set(AS_KINDS) == set(KINDS)


# --- hypothesis: titles, subtotals and units never change the totals --------------------
ROW = st.tuples(st.integers(1, 5), st.integers(0, 10**9))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(ROW, min_size=1, max_size=12), titles=st.integers(0, 12),
       subtotal_every=st.integers(0, 4), unit=st.sampled_from(["", "（元）", "（万元）", "(千元)"]),
       grand=st.booleans(), xlsx=st.booleans())
def test_titles_subtotals_and_units_keep_totals_to_the_cent(tmp_path, rows, titles,
                                                             subtotal_every, unit, grand, xlsx):
    factor = {"": 1, "（元）": 1, "（万元）": 10000, "(千元)": 1000}[unit]
    header = ["客户编号", "客户名称", "发票号", "开票日期", "金额" + unit]
    body, subtotal, expected = [], 0, 0
    for n, (customer, cents) in enumerate(rows):
        value = cents / 100  # yuan
        written = f"{value / factor:.{2 + len(str(factor)) - 1}f}"
        body.append([f"C{customer}", f"客户{customer}", f"I{n}", "2026-10-01", written])
        subtotal += value
        expected += value
        if subtotal_every and (n + 1) % subtotal_every == 0:
            body.append(["", "小计", "", "", f"{subtotal / factor:.{2 + len(str(factor)) - 1}f}"])
            subtotal = 0
    if grand:
        body.append(["合计", "", "", "", f"{expected / factor:.{2 + len(str(factor)) - 1}f}"])
    table = [[f"标题 {i}"] for i in range(titles)] + [header] + body
    if xlsx:
        path = E._xlsx(tmp_path / "t.xlsx", {"t": table})
    else:
        buffer = io.StringIO()
        csv.writer(buffer).writerows(table)
        path = tmp_path / "t.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8")
    frame = read(path)
    assert len(frame) == len(rows)
    assert round(frame["amount"].sum(), 2) == round(expected, 2)
    warnings = [n for level, n in frame.attrs["notes"] if level == "warn"]
    assert not warnings, warnings


def test_columns_table_must_map_headers_to_text(corpus, tmp_path):
    policy = tmp_path / "aging.toml"
    policy.write_text('[columns]\n"客户" = 3\n', encoding="utf-8")
    code, _, err = invoke("aging-report", corpus["sap_csv"], "--policy", policy,
                          "-o", tmp_path / "x.csv")
    assert code == 1 and "[columns] must map headers to column names as text" in err


def test_inspect_guesses_the_kind_of_table(corpus):
    code, out, _ = invoke("inspect", corpus["kingdee_receipts_csv"])
    assert code == 0 and "read as: payments" in out
    assert "实收金额 → amount" in out and "源单编号 → invoice_no" in out
    code, out, _ = invoke("inspect", corpus["master_csv"])
    assert "年交易额（万元） → annual_sales [money; 万元 (× 10,000)]" in out


def test_a_column_another_command_reads_is_not_called_a_lookalike(write_text):
    frame = read(write_text("x.csv", HEADER.strip() + ",first_trade_date,税额\n"
                                     "C1,A,I1,2026-10-01,100,2020-01-01,13\n"))
    warned = " ".join(str(n) for level, n in frame.attrs["notes"] if level == "warn")
    assert "first_trade_date" not in warned and "税额" in warned
