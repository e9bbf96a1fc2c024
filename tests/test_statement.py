"""Statements of account (render-report statement): hand-worked balances, 大写,
safe file names, and the command end to end (seed 004 第四条(3): 每季度对账完成率
为100%,对账及时率为100%)."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from cskit import aging, policy, schema
from cskit.cli import cli
from cskit.io.read import read_table
from cskit.reports import statement
from cskit.reports.capital import capital

INVOICES = """customer_id,customer_name,invoice_no,invoice_date,terms_days,amount,paid_amount,against_invoice,salesperson
A,甲公司,I0,2026-05-01,30,200.00,200.00,,S1
A,甲公司,I1,2026-06-10,30,1000.00,,,S1
A,甲公司,I2,2026-07-05,30,500.50,,,S1
A,甲公司,CN1,2026-07-20,,-100.00,,I2,S1
A,甲公司,I3,2026-10-02,30,999.00,,,S1
B,乙公司,J1,2026-03-01,30,80.00,80.00,,S2
"""
PAYMENTS = """customer_id,payment_date,amount,invoice_no,payment_id
A,2026-06-20,300.00,,P1
A,2026-08-15,400.25,I1,P2
A,2026-10-05,50.00,,P3
C,2026-07-15,50.00,,P4
"""


@pytest.fixture
def ledger(write_text):
    inv_path = write_text("invoices.csv", INVOICES)
    pay_path = write_text("payments.csv", PAYMENTS)
    invoices, _, _ = read_table(inv_path, schema.INVOICES)
    payments, _, _ = read_table(pay_path, schema.PAYMENTS)
    return invoices, payments, inv_path, pay_path


def test_opening_plus_movements_is_closing_is_the_agings_outstanding(ledger):
    invoices, payments, _, _ = ledger
    result = statement.statements(invoices, payments, policy.load("aging"),
                                  start="2026-07-01", end="2026-09-30")
    rows = result.customers.set_index("customer_id")
    # A: before July 1: I0 200 − its paid_amount 200 (due 05-31) + I1 1000 − P1 300 = 700.00
    assert rows.loc["A", "opening"] == 700.00
    # in the quarter: +I2 500.50, −CN1 100.00, −P2 400.25; I3 and P3 come after --to
    lines = result.lines[result.lines["customer_id"] == "A"]
    assert lines["document"].tolist() == ["I2", "CN1", "P2"]
    assert lines["debit"].sum() == 500.50 and lines["credit"].sum() == 500.25
    assert lines["balance"].tolist() == [1200.50, 1100.50, 700.25]
    assert rows.loc["A", "closing"] == 700.25 == 700.00 + 500.50 - 100.00 - 400.25
    # aging at 09-30: I1 1000 − P2 400.25 − P1 300 (FIFO) = 299.75, 82 days → 61-90;
    # I2 500.50 − CN1 100 = 400.50, 57 days → 31-60
    assert rows.loc["A", "61-90"] == 299.75 and rows.loc["A", "31-60"] == 400.50
    report = aging.aging_report(invoices, payments, policy.load("aging"), as_of="2026-09-30")
    outstanding = report.summary.set_index("customer_id")["outstanding"]
    assert rows.loc["A", "closing"] == outstanding["A"]
    # B: no movement and a zero balance → no statement; C: a credit balance → one
    assert "B" not in rows.index
    assert rows.loc["C", "closing"] == -50.00 and rows.loc["C", "unapplied_credit"] == -50.00
    assert rows.loc["A", "owner"] == "S1"


def test_customers_file_restricts_the_run_and_names_the_owner(ledger):
    invoices, payments, _, _ = ledger
    wanted = pd.DataFrame({"customer_id": ["A", "B"], "owner": ["S9", None]})
    result = statement.statements(invoices, payments, policy.load("aging"),
                                  start="2026-07-01", end="2026-09-30", customers=wanted)
    assert result.customers["customer_id"].tolist() == ["A"]
    assert result.customers["owner"].tolist() == ["S9"]
    assert result.not_found == ["B"]


@pytest.mark.parametrize("amount, words", [
    # the four of the issue, against the PBOC rules for financial documents
    ("0.05", "伍分"),
    ("10.00", "壹拾元整"),
    ("100010.30", "壹拾万零壹拾元叁角整"),
    ("1000000.00", "壹佰万元整"),
    # the rules' own examples: 中间有0写零; 角为0分不为0 元后写零
    ("1409.50", "壹仟肆佰零玖元伍角整"),
    ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
    ("6007.14", "陆仟零柒元壹角肆分"),
    ("12345.67", "壹万贰仟叁佰肆拾伍元陆角柒分"),
    # 元位为0而角位不为0: the rules allow one 零 or none (1680.32 → 壹仟陆佰捌拾元叁角贰分)
    ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
    ("700.25", "柒佰元贰角伍分"),
    ("-50", "负伍拾元整"),
    ("0", "零元整"),
])
def test_capital_numerals(amount, words):
    assert capital(amount) == words


def test_capital_is_exact_to_the_cent_for_floats():
    assert capital(0.1 + 0.2) == "叁角整"
    assert capital(100010.3) == "壹拾万零壹拾元叁角整"


@pytest.mark.parametrize("name", ["A/B 公司", "C:D 公司", "甲" * 200, "x" * 200, "CON",
                                  "..hidden", "a\\b*c?d\"e<f>g|h"])
def test_safe_file_names(name):
    safe = statement.safe_file_name(name)
    assert not set('/\\:*?"<>|') & set(safe)
    assert len(safe) <= statement.MAX_NAME and len(safe.encode("utf-8")) <= 180
    assert not safe.startswith(".") and safe.upper() != "CON"
    assert safe == statement.safe_file_name(name)  # stable on a re-run


def test_file_names_differ_when_sanitising_makes_them_alike():
    names = statement.file_names(["C1", "C2", "C3", "C4"],
                                 ["A/B", "A:B", "甲" * 200, "甲" * 199 + "乙"], "docx")
    assert len(set(names)) == 4
    assert names[0].startswith("C1_A_B-") and names[0].endswith(".docx")
    plain = statement.file_names(["C9"], ["普通公司"], "pdf")
    assert plain == ["C9_普通公司.pdf"]


def _run(*args):
    return CliRunner().invoke(cli, ["render-report", "statement", *map(str, args)])


@pytest.mark.parametrize("fmt", ["docx", "pdf", "html"])
def test_statement_command_writes_one_file_per_customer_and_a_register(ledger, tmp_path, fmt):
    _, _, inv_path, pay_path = ledger
    out = tmp_path / "st"
    result = _run(inv_path, "--payments", pay_path, "--from", "2026-07-01", "--to",
                  "2026-09-30", "--as-of", "2026-10-08", "--lang", "zh", "--format", fmt,
                  "-o", out)
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in out.iterdir())
    assert files == [f"A_甲公司.{fmt}", f"C.{fmt}", "register.csv"]
    register = pd.read_csv(out / "register.csv", encoding="utf-8-sig", dtype=str)
    assert list(register.columns) == ["客户编号", "客户名称", "负责人", "对账截止日", "期末余额", "文件",
                                      "发出日期", "应回日期", "回函日期", "对账结果", "差异金额"]
    assert register["应回日期"].tolist() == ["2026-10-23"] * 2  # sent 10-08 + 15 days
    back, problems, _ = read_table(str(out / "register.csv"), schema.REGISTER)
    assert not problems and back["closing_balance"].tolist() == [700.25, -50.00]
    body = (out / f"A_甲公司.{fmt}").read_bytes()
    if fmt == "docx":
        xml = zipfile.ZipFile(out / "A_甲公司.docx").read("word/document.xml").decode()
        for text in ("对账单", "期初余额", "700.25", "人民币柒佰元贰角伍分", "以上数据证明无误",
                     "以上数据不符，不符金额及原因", "客户（盖章）", "2026-10-23", "61-90天"):
            assert text in xml, text
        # the slip (回执) is cut off and returned: its paragraphs are kept on one page
        slip = xml[xml.index("回执（请沿此线剪下寄回）") - 600:]
        assert slip.count("<w:keepNext/>") >= 5 and "<w:keepNext/>" not in xml[:xml.index(
            "回执（请沿此线剪下寄回）") - 600]
    elif fmt == "html":
        html = body.decode()
        assert "人民币柒佰元贰角伍分" in html and "以上数据证明无误" in html
    else:
        assert body.startswith(b"%PDF") and b"NotoSansCJK" in body


def test_statement_in_english_with_a_template_of_ones_own(ledger, tmp_path, write_text):
    _, _, inv_path, pay_path = ledger
    template = write_text("mine.html.j2", "{{ customer.name }}|{{ statement.closing }}|"
                                          "{{ statement.closing_words }}|{{ lines|length }}")
    out = tmp_path / "mine"
    result = _run(inv_path, "--payments", pay_path, "--from", "2026-07-01", "--to", "2026-09-30",
                  "--template", template, "-o", out)
    assert result.exit_code == 0, result.output
    assert (out / "A_甲公司.html").read_text() == "甲公司|700.25|人民币柒佰元贰角伍分|3"
    register = pd.read_csv(out / "register.csv", encoding="utf-8-sig", dtype=str)
    assert register.columns[0] == "customer_id" and register["file"][0] == "A_甲公司.html"


def test_a_filled_in_register_is_never_overwritten(ledger, tmp_path):
    _, _, inv_path, pay_path = ledger
    out = tmp_path / "q3"
    args = (inv_path, "--payments", pay_path, "--from", "2026-07-01", "--to", "2026-09-30",
            "-o", out)
    assert _run(*args).exit_code == 0
    register = out / "register.csv"
    text = register.read_text(encoding="utf-8-sig").splitlines()
    text[1] = text[1].rstrip(",") + ",2026-10-10,agreed,"
    register.write_text("\n".join(text) + "\n", encoding="utf-8-sig")
    again = _run(*args)
    assert again.exit_code == 3 and "already has returned slips" in again.output


def test_statement_usage_errors(ledger, tmp_path):
    _, _, inv_path, _ = ledger
    assert _run(inv_path, "--from", "2026-09-30", "--to", "2026-07-01", "-o",
                tmp_path / "x").exit_code == 2
    assert _run(inv_path, "--from", "2026-07-01", "--to", "2026-09-30", "--as-of",
                "2026-09-01", "-o", tmp_path / "x").exit_code == 2
    missing = _run(inv_path, "--from", "2026-07-01", "--to", "2026-09-30", "-o",
                   tmp_path / "no" / "such")
    assert missing.exit_code == 3


def test_render_report_help_names_the_per_customer_documents():
    result = CliRunner().invoke(cli, ["render-report", "--help"])
    assert "render-report statement" in result.output
    for name in ("statement", "dunning"):
        sub = CliRunner().invoke(cli, ["render-report", name, "--help"])
        assert sub.exit_code == 0 and "Examples:" in sub.output


# --- invariant: opening + movements = closing = the aging's net outstanding ---------------
from hypothesis import given, settings, strategies as st  # noqa: E402

_DAYS = st.integers(min_value=0, max_value=300)  # days after 2026-01-01
_CENTS = st.integers(min_value=1, max_value=500_000)


@st.composite
def _ledgers(draw):
    base = pd.Timestamp("2026-01-01")
    n = draw(st.integers(min_value=1, max_value=12))
    rows = []
    for i in range(n):
        amount = draw(_CENTS) / 100
        paid = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=int(amount * 100))))
        rows.append({"customer_id": draw(st.sampled_from(["A", "B", "C"])),
                     "invoice_no": f"I{i}", "invoice_date": base + pd.Timedelta(days=draw(_DAYS)),
                     "terms_days": draw(st.sampled_from([0, 30, 60])), "amount": amount,
                     "paid_amount": None if paid is None else paid / 100})
    invoices = pd.DataFrame(rows)
    invoices["against_invoice"] = pd.Series([None] * n, dtype="object")
    if draw(st.booleans()):  # a credit note against the first invoice
        first = invoices.iloc[0]
        note = {"customer_id": first["customer_id"], "invoice_no": "CN",
                "invoice_date": first["invoice_date"] + pd.Timedelta(days=draw(_DAYS) % 40),
                "terms_days": 0, "amount": -draw(_CENTS) / 100, "paid_amount": None,
                "against_invoice": "I0"}
        invoices = pd.concat([invoices, pd.DataFrame([note])], ignore_index=True)
    m = draw(st.integers(min_value=0, max_value=8))
    payments = pd.DataFrame([{
        "customer_id": draw(st.sampled_from(["A", "B", "C"])),
        "payment_date": base + pd.Timedelta(days=draw(_DAYS)),
        "amount": draw(_CENTS) / 100, "invoice_no": None} for _ in range(m)],
        columns=["customer_id", "payment_date", "amount", "invoice_no"])
    for frame in (invoices, payments):
        frame["customer_id"] = frame["customer_id"].astype("string")
    invoices["invoice_no"] = invoices["invoice_no"].astype("string")
    invoices["against_invoice"] = invoices["against_invoice"].astype("string")
    invoices["terms_days"] = invoices["terms_days"].astype("Int64")
    invoices["paid_amount"] = invoices["paid_amount"].astype("float64")
    payments["invoice_no"] = payments["invoice_no"].astype("string")
    return invoices, payments


@settings(max_examples=40, deadline=None)
@given(_ledgers(), _DAYS, st.integers(min_value=0, max_value=120))
def test_statement_balances_always_reconcile(ledger, start_day, length):
    invoices, payments = ledger
    start = pd.Timestamp("2026-01-01") + pd.Timedelta(days=start_day)
    end = start + pd.Timedelta(days=length)
    result = statement.statements(invoices, payments, policy.load("aging"), start=start,
                                  end=end)  # raises if closing ≠ the aging's net
    table = result.customers.set_index("customer_id")
    moved = result.lines.groupby("customer_id")[["debit", "credit"]].sum()
    for customer, row in table.iterrows():
        debit = moved["debit"].get(customer, 0.0)
        credit = moved["credit"].get(customer, 0.0)
        assert round(row["opening"] + debit - credit, 2) == row["closing"]
        assert row["closing"] == row["net_outstanding"]
        buckets = sum(row[b] for b in result.buckets) + row["unapplied_credit"]
        assert round(buckets, 2) == row["closing"]


@pytest.mark.parametrize("rejects", [False, True])
@pytest.mark.parametrize("column,message", [
    ("opening", "opening + debits − credits is not the closing balance: 1 customer, first A "
                "(700.26 instead of 700.25)"),
    ("closing", "the closing balance is not the customer's invoices − paid_amount − payments "
                "up to the period's end: 1 customer, first A (700.26 instead of 700.25)"),
    ("net_outstanding", "the aging's net outstanding is not the closing balance: 1 "
                        "customer, first A (700.26 instead of 700.25)"),
])
def test_a_statement_that_does_not_add_up_is_never_written(ledger, tmp_path, monkeypatch,
                                                          write_text, column, message, rejects):
    # #19 item 2: opening + movements = closing = the customer's invoices −
    # paid − payments = the aging's net outstanding, checked before writing
    _, _, inv_path, pay_path = ledger
    if rejects:
        inv_path = write_text("bad.csv", INVOICES + "D,丁公司,K1,2026-08-01,30,oops,,,S1\n")
    real = statement.statements

    def broken(*args, **kwargs):
        result = real(*args, **kwargs)
        at = result.customers.index[result.customers["customer_id"] == "A"]
        result.customers.loc[at, column] += 0.01
        return result

    monkeypatch.setattr(statement, "statements", broken)
    out, rej = tmp_path / "st", tmp_path / "rej.csv"
    out.mkdir()
    result = _run(inv_path, "--payments", pay_path, "--from", "2026-07-01", "--to",
                  "2026-09-30", "-o", out, *(("--rejects", rej) if rejects else ()))
    assert result.exit_code == 1, result.output
    assert "render-report statement: the report does not reconcile" in result.output
    assert message in result.output and "internal error" not in result.output
    assert not list(out.iterdir()) and not rej.exists()
