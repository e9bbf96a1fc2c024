"""cskit aging-report through the command line (click's CliRunner)."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from cskit.cli import cli

ROOT = Path(__file__).resolve().parent.parent

# As of 2026-10-31 (hand-worked):
# C1: I1 1000 due 07-01, I2 500 (terms 45 → due 09-15) with 100 paid_amount;
#     payment P1 1200 unallocated → I1 closed, I2 gets 200 → 200 open, 46 days → 31-60
# C2: I3 800 due 04-01 (213 days, 181+), CN1 −100 against I3 → 700 open;
#     shipped 02-20, still open 6 months after → unpaid_6m
# C3: I4 dated 11-05 and its payment dated 11-06 are after the as-of date
INVOICES_EN = """customer_id,customer_name,invoice_no,invoice_date,due_date,terms_days,amount,paid_amount,against_invoice,ship_date,salesperson,branch,remark
C1,甲公司,I1,2026-06-01,2026-07-01,,1000,,,,S1,华东,=1+1
C1,甲公司,I2,2026-08-01,,45,500,100,,,S1,华东,
C2,乙公司,I3,2026-03-01,2026-04-01,,800,,,2026-02-20,S2,华南,
C2,乙公司,CN1,2026-09-15,,,-100,,I3,,S2,华南,
C3,丙公司,I4,2026-11-05,,,300,,,,S2,华南,
"""
INVOICES_ZH = """客户编号,客户名称,发票号,开票日期,到期日,账期,金额,已收金额,原发票号,发货日期,业务员,分部,remark
C1,甲公司,I1,2026年6月1日,2026/07/01,,"1,000.00",,,,S1,华东,=1+1
C1,甲公司,I2,2026.08.01,,45,¥500,100,,,S1,华东,
C2,乙公司,I3,2026-03-01,2026-04-01,,0.08万,,,2026-02-20,S2,华南,
C2,乙公司,CN1,2026-09-15,,,(100.00),,I3,,S2,华南,
C3,丙公司,I4,2026-11-05,,,300,,,,S2,华南,
"""
PAYMENTS = """customer_id,payment_date,amount,invoice_no,payment_id
C1,2026-07-20,1200,,P1
C3,2026-11-06,300,I4,P2
"""
LIMITS = "customer_id,credit_limit\nC1,100\nC2,10000\n"


@pytest.fixture
def files(tmp_path):
    paths = {
        "invoices": tmp_path / "invoices.csv",
        "invoices_zh": tmp_path / "invoices_gbk.csv",
        "payments": tmp_path / "payments.csv",
        "limits": tmp_path / "limits.csv",
    }
    paths["invoices"].write_text(INVOICES_EN, encoding="utf-8")
    paths["invoices_zh"].write_bytes(INVOICES_ZH.encode("gb18030"))
    paths["payments"].write_text(PAYMENTS, encoding="utf-8")
    paths["limits"].write_text(LIMITS, encoding="utf-8")
    return {k: str(v) for k, v in paths.items()}


def invoke(*args, input=None):
    return CliRunner().invoke(cli, ["aging-report", *args], input=input)


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_help_has_summary_and_examples():
    result = invoke("--help")
    assert result.exit_code == 0
    assert "Age the receivable" in result.output
    assert "Examples:" in result.output and "cskit aging-report invoices.csv" in result.output
    for option in ("--payments", "--basis", "--buckets", "--by", "--detail", "--credit-limits",
                   "--dso-window", "--dso-method", "--alert-months", "--as-of", "--lang"):
        assert option in result.output


def test_summary_csv_on_stdout(files):
    result = invoke(files["invoices"], "--payments", files["payments"], "--as-of", "2026-10-31",
                    "--credit-limits", files["limits"])
    assert result.exit_code == 0, result.output
    summary = {r["customer_id"]: r for r in rows(result.stdout)}
    assert set(summary) == {"C1", "C2"}
    assert float(summary["C1"]["outstanding"]) == 200.0
    assert float(summary["C1"]["31-60"]) == 200.0
    assert summary["C1"]["flags"] == "over_limit"
    assert float(summary["C1"]["available_credit"]) == -100.0
    assert float(summary["C2"]["181+"]) == 700.0
    assert summary["C2"]["flags"] == "unpaid_6m"
    assert "net 900.00" in result.stderr


def test_detail_by_collection_order_and_passthrough(files):
    result = invoke(files["invoices"], "--payments", files["payments"], "--as-of", "2026-10-31",
                    "--detail", "--format", "csv")
    assert result.exit_code == 0, result.output
    items = rows(result.stdout)
    assert [r["invoice_no"] for r in items] == ["I2", "I3"]
    assert items[0]["remark"] == ""
    assert items[1]["bucket"] == "181+" and items[1]["days_overdue"] == "213"
    assert float(items[1]["applied"]) == 100.0


def test_xlsx_has_summary_with_totals_open_items_and_parameters(files, tmp_path):
    out = tmp_path / "aging.xlsx"
    result = invoke(files["invoices"], "--payments", files["payments"], "--as-of", "2026-10-31",
                    "-o", str(out))
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Summary", "Open items", "Parameters"]
    summary = list(book["Summary"].values)
    header = summary[0]
    assert header[:4] == ("customer_id", "customer_name", "open_invoices", "outstanding")
    total = dict(zip(header, summary[-1]))
    assert total["customer_id"] == "Total"
    assert total["outstanding"] == 900.0 and total["open_invoices"] == 2
    assert total["181+"] == 700.0 and total["31-60"] == 200.0
    items = list(book["Open items"].values)
    # header + I2 + I3 + a totals row (issue 15 item 10): 800 + 500 invoiced
    assert len(items) == 4 and items[-1][0] == "Total" and items[-1][5] == 1300
    parameters = dict(list(book["Parameters"].values)[1:])
    assert parameters["as_of"] == "2026-10-31"
    assert parameters["basis"] == "due"
    assert "net outstanding 900.00" in parameters["reconciliation"]


def test_lang_zh_headers(files, tmp_path):
    out = tmp_path / "aging.xlsx"
    result = invoke(files["invoices"], "--as-of", "2026-10-31", "--lang", "zh", "-o", str(out),
                    "--buckets", "45,90")
    assert result.exit_code == 0, result.output
    header = next(openpyxl.load_workbook(out)["Summary"].values)
    assert header[:5] == ("客户编号", "客户名称", "未结发票数", "应收余额", "未到期")
    assert "1-45天" in header and "91天以上" in header and "应收账款周转天数" in header
    detail_header = next(openpyxl.load_workbook(out)["Open items"].values)
    assert "账龄段" in detail_header and "逾期天数" in detail_header
    last = list(openpyxl.load_workbook(out)["Summary"].values)[-1]
    assert last[0] == "合计"


def test_gb18030_chinese_headers_and_xlsx_input_give_identical_results(files, tmp_path):
    args = ("--payments", files["payments"], "--as-of", "2026-10-31", "--format", "csv")
    english = invoke(files["invoices"], *args)
    chinese = invoke(files["invoices_zh"], *args)
    assert english.exit_code == 0 and chinese.exit_code == 0, chinese.output
    assert english.stdout == chinese.stdout
    # the same ledger as an Excel workbook
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for record in csv.reader(io.StringIO(INVOICES_EN)):
        sheet.append([float(v) if v.replace(".", "").lstrip("-").isdigit() and i in (5, 6, 7)
                      else v or None for i, v in enumerate(record)])
    xlsx = tmp_path / "invoices.xlsx"
    workbook.save(xlsx)
    from_excel = invoke(str(xlsx), *args)
    assert from_excel.exit_code == 0, from_excel.output
    assert from_excel.stdout == english.stdout


def test_standard_input(files):
    result = invoke("-", "--as-of", "2026-10-31", "--by", "salesperson", input=INVOICES_EN)
    assert result.exit_code == 0, result.output
    by_staff = {r["salesperson"]: r for r in rows(result.stdout)}
    # S1: I1 1000 + I2 400 open (no payments file); S2: I3 700
    assert float(by_staff["S1"]["outstanding"]) == 1400.0
    assert float(by_staff["S2"]["outstanding"]) == 700.0


def test_payment_to_unknown_invoice_is_an_error_naming_the_row(files, tmp_path):
    bad = tmp_path / "payments_bad.csv"
    bad.write_text(PAYMENTS + "C1,2026-08-01,50,NOPE,P3\n", encoding="utf-8")
    result = invoke(files["invoices"], "--payments", str(bad), "--as-of", "2026-10-31")
    assert result.exit_code == 1
    assert "payments_bad.csv, row 4, column invoice_no" in result.stderr
    assert "NOPE" in result.stderr
    rejects = tmp_path / "rejects.csv"
    carry_on = invoke(files["invoices"], "--payments", str(bad), "--as-of", "2026-10-31",
                      "--rejects", str(rejects))
    assert carry_on.exit_code == 0, carry_on.output
    rejected = rows(rejects.read_text(encoding="utf-8-sig"))
    assert len(rejected) == 1 and "invoice_no" in rejected[0]["reject_reason"]
    assert "1 rejected" in carry_on.stderr


def test_bad_options_and_policy(files, tmp_path):
    assert invoke(files["invoices"], "--buckets", "60,30").exit_code == 2
    assert invoke(files["invoices"], "--dso-method", "median").exit_code == 2
    policy = tmp_path / "aging.toml"
    policy.write_text("dso_target_days = 10\nbuckets = [90, 30]\n", encoding="utf-8")
    result = invoke(files["invoices"], "--policy", str(policy))
    assert result.exit_code == 1 and "buckets" in result.stderr
    policy.write_text("dso_target_days = 10\n", encoding="utf-8")
    result = invoke(files["invoices"], "--payments", files["payments"], "--as-of", "2026-10-31",
                    "--policy", str(policy), "--dso-method", "period-end", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "(target 10)" in result.stderr


@pytest.mark.skipif(not (ROOT / "samples" / "invoices.csv").exists(), reason="no samples")
def test_samples_demo(tmp_path):
    out = tmp_path / "aging.csv"
    result = invoke(str(ROOT / "samples" / "invoices.csv"), "--payments",
                    str(ROOT / "samples" / "payments_gbk.csv"), "--as-of", "2026-10-31",
                    "-o", str(out), "-q")
    assert result.exit_code == 0, result.output
    summary = rows(out.read_text(encoding="utf-8-sig"))
    assert summary and all(r["customer_id"] for r in summary)


def test_header_only_invoices_is_an_empty_report(tmp_path):
    # #14 item 10: a month with no invoices yet is not bad data
    path = tmp_path / "invoices.csv"
    path.write_text("customer_id,invoice_no,invoice_date,amount\n", encoding="utf-8")
    result = invoke(str(path), "--as-of", "2026-10-31")
    assert result.exit_code == 0, result.output
    assert rows(result.stdout) == []
    assert result.stdout.lstrip("\ufeff").startswith("customer_id,customer_name,open_invoices,")
    assert "has a header but no invoices: the report is empty" in result.stderr
    detail = invoke(str(path), "--as-of", "2026-10-31", "--detail", "-o",
                    str(tmp_path / "items.xlsx"))
    assert detail.exit_code == 0, detail.output
    # without any header it is still an input error
    blank = tmp_path / "blank.csv"
    blank.write_text("", encoding="utf-8")
    result = invoke(str(blank), "--as-of", "2026-10-31")
    assert result.exit_code == 1 and "is empty" in result.stderr
    # a header without the required columns is still an input error
    path.write_text("customer_id,amount\n", encoding="utf-8")
    assert invoke(str(path), "--as-of", "2026-10-31").exit_code == 1


# --- installments and foreign currency (#17) -------------------------------------
STAGED = """customer_id,customer_name,invoice_no,invoice_date,amount,paid_amount,payment_terms,currency,salesperson
C1,甲,I1,2026-01-10,10000,4000,30-60-10,,S1
C2,乙,U1,2026-09-15,1000,,,USD,S2
C2,乙,R1,2026-10-01,500,,,,S2
C3,丙,I3,2026-09-01,1000,,,,S1
"""
STAGED_PAYMENTS = """customer_id,payment_date,amount,currency,invoice_no,payment_id
C2,2026-10-10,400,USD,U1,P1
C2,2026-10-11,800,CNY,,P2
C3,2026-10-05,500,,I3,P3
"""
SCHEDULE_ZH = "发票号,到期日,比例,阶段\nI3,2026-09-30,50%,预付款\nI3,2026-10-31,50%,验收款\n"
RATES = "currency,date,rate\nUSD,2026-09-01,7.10\nUSD,2026-10-31,7.20\n"
TERMS_POLICY = """[terms."30-60-10"]
installments = [
  { stage = "预付款", percent = 30, days = 0 },
  { stage = "发货款", percent = 60, days = 60 },
  { stage = "质保金", percent = 10, days = 365 },
]
"""


@pytest.fixture
def staged(tmp_path):
    texts = {"invoices": STAGED, "payments": STAGED_PAYMENTS, "schedule": SCHEDULE_ZH,
             "rates": RATES, "policy": TERMS_POLICY}
    paths = {}
    for key, text in texts.items():
        path = tmp_path / f"{key}.{'toml' if key == 'policy' else 'csv'}"
        path.write_text(text, encoding="utf-8")
        paths[key] = str(path)
    return paths


def staged_args(files, *extra):
    return (files["invoices"], "--payments", files["payments"], "--schedule", files["schedule"],
            "--fx-rates", files["rates"], "--policy", files["policy"], "--as-of", "2026-10-31",
            *extra)


def test_installments_retention_and_usd_by_hand(staged):
    result = invoke(*staged_args(staged))
    assert result.exit_code == 0, result.output
    summary = {r["customer_id"]: r for r in rows(result.stdout)}
    # C1: 30-60-10 of 10,000, 4,000 paid: 发货款 5,000 overdue 234 days (181+),
    # 质保金 1,000 not due and shown as retention
    c1 = summary["C1"]
    assert (c1["181+"], c1["not_due"], c1["retention"]) == ("5000.0", "1000.0", "1000.0")
    assert c1["flags"] == "unpaid_6m"
    # C2: USD 600 open × 7.20 = 4,320.00, booked × 7.10 = 4,260.00 → +60.00; the
    # CNY 800 pays the CNY 500 only → −300 unapplied
    c2 = summary["C2"]
    assert (c2["outstanding"], c2["fx_difference"], c2["unapplied_credit"]) == \
        ("4320.0", "60.0", "-300.0")
    # C3: half paid by P3 (first installment), the second half due today
    assert (summary["C3"]["outstanding"], summary["C3"]["not_due"]) == ("500.0", "500.0")
    detail = invoke(*staged_args(staged, "--detail"))
    items = {(r["invoice_no"], r["installment"]): r for r in rows(detail.stdout)}
    assert set(items) == {("I1", "2"), ("I1", "3"), ("U1", "1"), ("I3", "2")}
    assert items[("I1", "3")]["stage"] == "质保金"
    assert (items[("U1", "1")]["currency"], items[("U1", "1")]["open_original"]) == \
        ("USD", "600.0")


def test_schedule_percents_not_adding_to_100_name_the_invoice(staged, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("发票号,到期日,比例\nI3,2026-09-30,50\nI3,2026-10-31,40\n", encoding="utf-8")
    result = invoke(*staged_args(dict(staged, schedule=str(bad))))
    assert result.exit_code == 1
    assert "row 2, column 比例: 'I3 / 50.0'" in result.stderr
    assert "adding up to 100" in result.stderr


def test_missing_rate_names_currency_and_date(staged, tmp_path):
    rates = tmp_path / "late.csv"
    rates.write_text("currency,date,rate\nUSD,2026-10-01,7.15\n", encoding="utf-8")
    result = invoke(*staged_args(dict(staged, rates=str(rates))))
    assert result.exit_code == 1
    assert "row 3, column currency: 'USD 2026-09-15'" in result.stderr
    assert "--fx-rates" in result.stderr


def test_unknown_payment_terms_is_an_input_error(staged):
    result = invoke(staged["invoices"], "--as-of", "2026-10-31")
    assert result.exit_code == 1
    assert "column payment_terms: '30-60-10'" in result.stderr


def test_defaults_show_an_example_term():
    result = CliRunner().invoke(cli, ["defaults", "aging"])
    assert result.exit_code == 0
    assert '[terms."30-60-10"]' in result.output and "质保金" in result.output
