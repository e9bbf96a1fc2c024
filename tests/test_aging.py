"""aging domain: allocation, buckets, DSO and alerts on hand-built ledgers.

Every expected figure below was worked out by hand; the arithmetic is in
the comment next to it. As-of date throughout: 2026-10-31.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cskit import aging
from cskit.policy import defaults

AS_OF = pd.Timestamp("2026-10-31")
TEXT = ("customer_id", "customer_name", "invoice_no", "against_invoice", "salesperson",
        "branch")


def table(rows: list[dict], dates=("invoice_date", "due_date", "ship_date")) -> pd.DataFrame:
    """A frame as Run.read returns it: typed columns, index = Excel row."""
    frame = pd.DataFrame(rows)
    frame.index = range(2, len(frame) + 2)
    frame.index.name = "row"
    for column in frame.columns:
        if column in dates or column == "payment_date":
            frame[column] = pd.to_datetime(frame[column])
        elif column in TEXT:
            frame[column] = frame[column].astype("str")
        elif column == "terms_days":
            frame[column] = frame[column].astype("Int64")
        else:
            frame[column] = frame[column].astype("float64")
    return frame


def inv(no, customer, day, amount, **extra):
    return {"customer_id": customer, "invoice_no": no, "invoice_date": day, "amount": amount,
            **extra}


def pay(customer, day, amount, invoice_no=None):
    return {"customer_id": customer, "payment_date": day, "amount": amount,
            "invoice_no": invoice_no}


def payments(rows):
    frame = table(rows)
    frame["invoice_no"] = frame["invoice_no"].astype("str")
    return frame


def report(invoices, pays=None, **options):
    options.setdefault("as_of", AS_OF)
    return aging.aging_report(invoices, pays, defaults("aging"), **options)


def row(result, customer):
    return result.summary.set_index("customer_id").loc[customer]


def item(result, invoice_no):
    return result.detail.set_index("invoice_no").loc[invoice_no]


# --- buckets ---------------------------------------------------------------
@pytest.mark.parametrize("days, bucket", [
    (-5, "not_due"), (0, "not_due"), (1, "1-30"), (30, "1-30"), (31, "31-60"),
    (60, "31-60"), (61, "61-90"), (90, "61-90"), (91, "91-180"), (180, "91-180"),
    (181, "181+"), (400, "181+")])
def test_every_bucket_boundary(days, bucket):
    due = AS_OF - pd.Timedelta(days=days)
    invoice_day = min(due, AS_OF) - pd.Timedelta(days=10)
    result = report(table([inv("I1", "C1", invoice_day, 100.0, due_date=due)]))
    assert item(result, "I1")["bucket"] == bucket
    assert item(result, "I1")["days_overdue"] == days
    assert row(result, "C1")[bucket] == 100.0
    assert row(result, "C1")["max_days_overdue"] == max(days, 0)


def test_labels_and_custom_buckets():
    assert aging.bucket_labels([30, 60, 90, 180]) == [
        "not_due", "1-30", "31-60", "61-90", "91-180", "181+"]
    assert aging.bucket_labels([15, 45], "invoice") == ["0-15", "16-45", "46+"]
    assert aging.parse_buckets("15, 45，90") == [15, 45, 90]
    for bad in ("30,30", "60,30", "a,b", "0,30", ""):
        with pytest.raises(ValueError):
            aging.parse_buckets(bad)
    # due 2026-10-11 → 20 days overdue → 16-45; due 2026-09-01 → 60 days → 46+
    ledger = table([inv("I1", "C1", "2026-09-11", 10.0, due_date="2026-10-11"),
                    inv("I2", "C1", "2026-08-01", 20.0, due_date="2026-09-01")])
    result = report(ledger, buckets=[15, 45])
    assert result.buckets == ["not_due", "1-15", "16-45", "46+"]
    assert list(row(result, "C1")[result.buckets]) == [0.0, 0.0, 10.0, 20.0]


def test_invoice_basis_ages_from_the_invoice_date():
    # invoice 2026-10-01, due 2026-12-31: 30 days old → 0-30 although not due;
    # invoice 2026-07-01 due 2026-10-30: 122 days old → 91-180 (1 day overdue)
    ledger = table([inv("I1", "C1", "2026-10-01", 100.0, due_date="2026-12-31"),
                    inv("I2", "C1", "2026-07-01", 50.0, due_date="2026-10-30")])
    result = report(ledger, basis="invoice")
    assert result.buckets == ["0-30", "31-60", "61-90", "91-180", "181+"]
    assert row(result, "C1")["0-30"] == 100.0
    assert row(result, "C1")["91-180"] == 50.0
    assert item(result, "I2")["days_overdue"] == 1  # still days past the due date
    assert item(result, "I2")["bucket"] == "91-180"


def test_due_date_from_due_date_then_terms_then_policy():
    ledger = table([
        inv("I1", "C1", "2026-09-01", 1.0, due_date="2026-09-10", terms_days=60),  # given
        inv("I2", "C1", "2026-09-01", 2.0, due_date=None, terms_days=60),  # 09-01 + 60 = 10-31
        inv("I3", "C1", "2026-09-01", 3.0, due_date=None, terms_days=None),  # + 30 = 10-01
    ])
    result = report(ledger)
    assert item(result, "I1")["due_date"] == pd.Timestamp("2026-09-10")
    assert item(result, "I2")["due_date"] == pd.Timestamp("2026-10-31")
    assert item(result, "I3")["due_date"] == pd.Timestamp("2026-10-01")
    assert item(result, "I2")["bucket"] == "not_due"  # due on the as-of date: 0 days
    assert item(result, "I3")["days_overdue"] == 30


# --- as-of -----------------------------------------------------------------
def test_documents_and_payments_after_as_of_are_ignored():
    ledger = table([inv("I1", "C1", "2026-10-01", 100.0),
                    inv("I2", "C1", "2026-11-02", 900.0)])  # after as-of
    pays = payments([pay("C1", "2026-10-15", 30.0), pay("C1", "2026-11-01", 70.0)])
    result = report(ledger, pays)
    # 100 − 30 (the payment of 11-01 is not yet received at 10-31) = 70
    assert row(result, "C1")["outstanding"] == 70.0
    assert result.totals["invoices"] == 1
    # the same ledger as of 2026-11-30: 100 + 900 − 100 = 900
    later = report(ledger, pays, as_of="2026-11-30")
    assert row(later, "C1")["outstanding"] == 900.0


# --- allocation ------------------------------------------------------------
def test_fifo_across_several_invoices_oldest_due_first():
    # due dates: I3 08-10, I1 09-01, I2 09-20 (I3 is dated later but due first)
    ledger = table([inv("I1", "C1", "2026-08-02", 100.0, due_date="2026-09-01"),
                    inv("I2", "C1", "2026-08-21", 200.0, due_date="2026-09-20"),
                    inv("I3", "C1", "2026-08-09", 50.0, due_date="2026-08-10")])
    pays = payments([pay("C1", "2026-09-05", 100.0), pay("C1", "2026-10-05", 80.0)])
    result = report(ledger, pays)
    # pool 180: I3 50 paid, I1 100 paid, I2 gets 30 → 170 open
    assert list(result.detail["invoice_no"]) == ["I2"]
    assert item(result, "I2")["applied"] == 30.0
    assert item(result, "I2")["outstanding"] == 170.0
    assert row(result, "C1")["open_invoices"] == 1
    assert row(result, "C1")["unapplied_credit"] == 0.0


def test_overpayment_is_kept_as_unapplied_credit():
    ledger = table([inv("I1", "C1", "2026-09-01", 100.0)])
    pays = payments([pay("C1", "2026-09-20", 130.55), pay("C2", "2026-10-01", 10.0)])
    result = report(ledger, pays)
    c1 = row(result, "C1")
    assert (c1["outstanding"], c1["unapplied_credit"], c1["net_outstanding"]) == (0.0, -30.55, -30.55)
    # C2 paid without any invoice: still shown, never dropped
    assert row(result, "C2")["unapplied_credit"] == -10.0
    assert result.totals["net_outstanding"] == -40.55


def test_payment_naming_an_invoice_reduces_that_invoice_first():
    ledger = table([inv("I1", "C1", "2026-07-01", 100.0),
                    inv("I2", "C1", "2026-09-01", 100.0)])
    # 150 named to I2: 100 closes I2, the excess 50 goes to the pool → I1 (oldest)
    pays = payments([pay("C1", "2026-09-10", 150.0, "I2")])
    result = report(ledger, pays)
    assert item(result, "I1")["outstanding"] == 50.0
    assert list(result.detail["invoice_no"]) == ["I1"]


def test_credit_note_with_and_without_original_invoice():
    ledger = table([
        inv("I1", "C1", "2026-07-01", 300.0),
        inv("I2", "C1", "2026-09-01", 200.0),
        inv("CN1", "C1", "2026-09-15", -50.0, against_invoice="I2"),  # reduces I2
        inv("CN2", "C1", "2026-09-20", -120.0, against_invoice=None),  # FIFO: to I1
    ])
    result = report(ledger)
    assert item(result, "I2")["outstanding"] == 150.0  # 200 − 50
    assert item(result, "I1")["outstanding"] == 180.0  # 300 − 120
    assert row(result, "C1")["outstanding"] == 330.0  # 500 − 170
    # credit notes are not open items
    assert set(result.detail["invoice_no"]) == {"I1", "I2"}


def test_paid_amount_and_an_overpaid_invoice():
    ledger = table([inv("I1", "C1", "2026-07-01", 300.0, paid_amount=100.0),
                    inv("I2", "C1", "2026-08-01", 80.0, paid_amount=100.0),  # 20 too much
                    inv("I3", "C2", "2026-08-01", 80.0, paid_amount=80.0)])
    result = report(ledger)
    # I1: 300 − 100 − the 20 overpaid on I2 (pooled, FIFO) = 180
    assert item(result, "I1")["outstanding"] == 180.0
    assert item(result, "I1")["applied"] == 120.0
    assert "C2" not in set(result.summary["customer_id"])  # nothing open, no credit
    assert result.totals["paid_amount_total"] == 280.0


def test_unknown_references_are_reported_by_row():
    ledger = table([inv("I1", "C1", "2026-07-01", 300.0, against_invoice=None),
                    inv("CN1", "C1", "2026-07-02", -3.0, against_invoice="NOPE")])
    pays = payments([pay("C1", "2026-09-01", 1.0, "I1"), pay("C1", "2026-09-01", 1.0, "I9"),
                     pay("C1", "2026-09-01", 1.0)])
    notes, named = aging.unknown_references(ledger, pays)
    assert list(notes[notes].index) == [3]
    assert list(named[named].index) == [3]


# --- grouping, detail and alerts ------------------------------------------
def test_by_salesperson_puts_unapplied_credit_with_the_latest_invoice():
    ledger = table([inv("I1", "C1", "2026-07-01", 100.0, salesperson="S1", branch="North"),
                    inv("I2", "C2", "2026-08-01", 100.0, salesperson="S1", branch="North"),
                    inv("I3", "C2", "2026-10-01", 40.0, salesperson="S2", branch="South")])
    pays = payments([pay("C2", "2026-10-10", 200.0)])
    result = report(ledger, pays, by="salesperson")
    summary = result.summary.set_index("salesperson")
    # C2: 140 invoiced, 200 paid → 60 credit, attributed to S2 (its latest invoice)
    assert summary.loc["S1", "outstanding"] == 100.0
    assert summary.loc["S2", "unapplied_credit"] == -60.0
    assert summary.loc["S2", "net_outstanding"] == -60.0
    branches = report(ledger, pays, by="branch").summary.set_index("branch")
    assert branches.loc["North", "outstanding"] == 100.0


def test_detail_is_sorted_for_collection_work():
    ledger = table([inv("I1", "C1", "2026-09-01", 10.0, salesperson="S2"),
                    inv("I2", "C2", "2026-05-01", 10.0, salesperson="S1"),
                    inv("I3", "C3", "2026-08-01", 10.0, salesperson="S1"),
                    inv("I4", "C4", "2026-04-01", 10.0, salesperson="S2")])
    assert list(report(ledger).detail["invoice_no"]) == ["I2", "I3", "I4", "I1"]


def test_unpaid_6m_counts_six_calendar_months_from_shipment():
    # seed 004 第四条: 自发货起6个月未回款的客户为零 — six calendar months, not 180 days:
    # shipped 2026-04-03 is flagged from 2026-10-03 on, not on 2026-09-30 (180 days)
    ledger = table([inv("I1", "C1", "2026-04-20", 100.0, ship_date="2026-04-03")])
    for as_of, flagged in (("2026-09-30", False), ("2026-10-02", False), ("2026-10-03", True)):
        result = report(ledger, as_of=pd.Timestamp(as_of))
        assert (item(result, "I1")["flags"] == "unpaid_6m") is flagged, as_of
        assert result.totals["unpaid_customers"] == int(flagged)


def test_months_after_clips_to_the_month_end():
    days = np.array(["2026-08-31", "2026-04-03", "2027-08-29", "NaT"], dtype="datetime64[D]")
    assert list(aging.months_after(days, 6).astype(str)) == [
        "2027-02-28", "2026-10-03", "2028-02-29", "NaT"]


def test_unpaid_6m_any_open_or_nothing_received():
    ledger = table([
        # shipped 2026-04-01: open, the credit note is not money → flagged either way
        inv("I1", "C1", "2026-04-20", 100.0, ship_date="2026-04-01"),
        inv("CN1", "C1", "2026-05-01", -10.0, against_invoice="I1"),
        # no ship date: six months from the invoice date 2026-04-30 → 2026-10-30 → flagged
        inv("I2", "C1", "2026-04-30", 100.0),
        # 2026-05-01 + 6 months = 2026-11-01, after the as-of → not yet
        inv("I3", "C3", "2026-05-01", 100.0),
        # part paid: still open after six months — 未回款 by default (any_open)
        inv("I4", "C4", "2026-01-05", 100.0),
        # fully paid → never flagged
        inv("I5", "C5", "2026-01-05", 100.0, paid_amount=100.0),
    ])
    pays = payments([pay("C4", "2026-03-01", 1.0)])
    result = report(ledger, pays)
    flagged = result.detail.set_index("invoice_no")["flags"]
    assert flagged["I1"] == "unpaid_6m" and flagged["I2"] == "unpaid_6m"
    assert flagged["I3"] == "" and flagged["I4"] == "unpaid_6m"
    assert "I5" not in flagged.index
    assert row(result, "C1")["flags"] == "unpaid_6m"
    # the whole report counts customers (C1 twice, C4 once), not invoices
    assert result.totals["unpaid_invoices"] == 3
    assert result.totals["unpaid_customers"] == 2
    strict = dict(defaults("aging"), alert_rule="nothing_received")
    result = aging.aging_report(ledger, pays, strict, as_of=AS_OF)
    flagged = result.detail.set_index("invoice_no")["flags"]
    assert flagged["I1"] == "unpaid_6m" and flagged["I4"] == ""
    assert result.totals["unpaid_customers"] == 1
    # --alert-months 12: nothing is twelve months old
    assert report(ledger, pays, alert_months=12).totals["unpaid_customers"] == 0


def test_credit_limits_available_credit_and_flags():
    ledger = table([inv("I1", "C1", "2026-10-01", 500.0), inv("I2", "C2", "2026-10-01", 500.0),
                    inv("I3", "C3", "2026-10-01", 500.0)])
    limits = table([{"customer_id": "C1", "credit_limit": 400.0},
                    {"customer_id": "C2", "credit_limit": 1000.0}])
    result = report(ledger, credit_limits=limits)
    c1, c2, c3 = (row(result, c) for c in ("C1", "C2", "C3"))
    assert (c1["credit_limit"], c1["available_credit"], c1["flags"]) == (400.0, -100.0, "over_limit")
    assert (c2["available_credit"], c2["flags"]) == (500.0, "")
    assert np.isnan(c3["credit_limit"]) and c3["flags"] == "no_credit_limit"
    assert result.totals["over_limit_customers"] == 1


# --- DSO -------------------------------------------------------------------
def dso_ledger():
    """C1: 900 invoiced 2026-06-15 (paid 600 on 2026-08-15), 300 on 2026-09-10
    and 600 on 2026-10-20 (due +30 → 2026-11-19, not yet due)."""
    ledger = table([inv("I1", "C1", "2026-06-15", 900.0),
                    inv("I2", "C1", "2026-09-10", 300.0),
                    inv("I3", "C1", "2026-10-20", 600.0)])
    pays = payments([pay("C1", "2026-08-15", 600.0)])
    return ledger, pays


def test_dso_average_and_period_end_by_hand():
    ledger, pays = dso_ledger()
    table_ = aging.dso_table(ledger, pays, as_of=AS_OF, window_days=90)
    c1 = table_.loc["C1"]
    # window start 2026-08-02: receivable 900 (payment of 08-15 comes later)
    # end: 900 + 300 + 600 − 600 = 1200; invoiced in window 300 + 600 = 900
    assert (c1["receivable_start"], c1["receivable_end"], c1["invoiced"]) == (900.0, 1200.0, 900.0)
    # average: (900 + 1200) / 2 / 900 × 90 = 105.0; best: the same DSO times the
    # not-yet-due share of the same receivables: at the start I1 (due 07-15) is
    # overdue → 0 of 900, at the end I3 600 of 1200 → 105 × 600 / 2100 = 30.0
    assert c1["dso"] == 105.0 and c1["best_dso"] == 30.0 and c1["days_delinquent"] == 75.0
    end = aging.dso_table(ledger, pays, as_of=AS_OF, method="period-end").loc["C1"]
    assert end["dso"] == 120.0  # 1200 / 900 × 90
    assert end["best_dso"] == 60.0  # 600 / 900 × 90 (= 120 × 600 / 1200)
    assert end["days_delinquent"] == 60.0
    # terms of the window's invoicing: 300 and 600 at 30 days → 30.0
    assert c1["avg_terms_days"] == 30.0


def test_best_dso_never_exceeds_dso():
    # #14 item 9: one invoice of 1000 on 2026-10-20, nothing before: average DSO
    # (0 + 1000) / 2 / 1000 × 90 = 45.0; the old best (1000 / 1000 × 90 = 90.0)
    # was twice the DSO. All of it is current, so best = dso = 45.0
    ledger = table([inv("I1", "C1", "2026-10-20", 1000.0)])
    for method in ("average", "period-end", "countback"):
        c1 = aging.dso_table(ledger, None, as_of=AS_OF, method=method).loc["C1"]
        assert c1["best_dso"] == c1["dso"] and c1["days_delinquent"] == 0.0, method
    assert row(report(ledger), "C1")["best_dso"] == 45.0


def test_dso_above_target_with_nothing_overdue_shows_the_terms():
    # 90-day terms, 1000 invoiced each month Aug–Oct, nothing paid yet, nothing
    # due before 2026-11-03: period-end DSO 3000 / 3000 × 90 = 90.0 > 75 (seed 000:
    # 应收账款周转天数≤75天) with nothing overdue; avg_terms_days 90.0 says why
    ledger = table([inv(f"I{m}", "C1", f"2026-{m:02d}-05", 1000.0, terms_days=90)
                    for m in (8, 9, 10)])
    result = report(ledger, dso_method="period-end")
    c1 = row(result, "C1")
    assert c1["not_due"] == 3000.0 and c1["max_days_overdue"] == 0
    assert (c1["dso"], c1["best_dso"], c1["days_delinquent"]) == (90.0, 90.0, 0.0)
    assert c1["avg_terms_days"] == 90.0 and c1["flags"] == "dso_over_target"


def test_dso_countback_by_hand():
    ledger, pays = dso_ledger()
    c1 = aging.dso_table(ledger, pays, as_of=AS_OF, method="countback").loc["C1"]
    # receivable 1200: October (31 days) sales 600 → 600 left; September (30
    # days) sales 300 → 300 left; August no sales (31 days); July none (31);
    # June 900: 300/900 × 30 = 10 → 31 + 30 + 31 + 31 + 10 = 133.0
    assert c1["dso"] == 133.0


def test_dso_is_empty_when_nothing_was_invoiced_and_whole_report_row():
    ledger = table([inv("I1", "C1", "2026-01-05", 100.0), inv("I2", "C2", "2026-10-01", 100.0)])
    by_customer = aging.dso_table(ledger, None, as_of=AS_OF)
    assert np.isnan(by_customer.loc["C1", "dso"])
    # C2: start 0, end 100, invoiced 100 → 50 / 100 × 90 = 45.0
    assert by_customer.loc["C2", "dso"] == 45.0
    whole = aging.dso_table(ledger, None, as_of=AS_OF, by=None)
    # start 100, end 200, invoiced 100: 150 / 100 × 90 = 135.0
    assert list(whole.index) == ["all"] and whole.loc["all", "dso"] == 135.0
    result = report(ledger)
    assert result.totals["dso"] == 135.0 and result.totals["dso_over_target"]
    assert row(result, "C2")["flags"] == ""  # 45 ≤ 75


def test_dso_over_target_flag_and_paid_amount_dated_at_due():
    # paid_amount has no date: counted as received on the due date (07-15 + 30
    # = 08-14), i.e. after the window start 08-02 → start receivable 1000
    ledger = table([inv("I1", "C1", "2026-07-15", 1000.0, paid_amount=1000.0),
                    inv("I2", "C1", "2026-10-15", 100.0)])
    c1 = aging.dso_table(ledger, None, as_of=AS_OF).loc["C1"]
    assert c1["receivable_start"] == 1000.0 and c1["receivable_end"] == 100.0
    assert c1["dso"] == 495.0  # (1000 + 100) / 2 / 100 × 90
    assert "dso_over_target" in row(report(ledger), "C1")["flags"]


def test_dso_by_salesperson_for_kpi():
    ledger = table([inv("I1", "C1", "2026-10-01", 100.0, salesperson="S1"),
                    inv("I2", "C2", "2026-10-01", 300.0, salesperson=None)])
    by_staff = aging.dso_table(ledger, None, as_of=AS_OF, by="salesperson")
    assert by_staff.loc["S1", "dso"] == 45.0  # (0 + 100) / 2 / 100 × 90
    assert by_staff.loc["(none)", "invoiced"] == 300.0


# --- policy ----------------------------------------------------------------
def test_policy_defaults_and_checks():
    policy = defaults("aging")
    assert aging.check_policy(policy) == []
    assert policy["dso_target_days"] == 75 and policy["alert_months"] == 6 and policy["alert_rule"] == "any_open"
    bad = dict(policy, buckets=[60, 30], basis="ship", dso_method="median", dso_window_days=0)
    problems = aging.check_policy(bad)
    assert any(p.render("en").startswith("buckets:") for p in problems)
    assert any(p.render("en").startswith("basis:") for p in problems)
    assert any(p.render("en").startswith("dso_method:") for p in problems)
    assert any(p.render("en").startswith("dso_window_days:") for p in problems)


def test_totals_row_adds_up_to_the_cent():
    ledger = table([inv("I1", "C1", "2026-10-01", 0.1), inv("I2", "C2", "2026-09-01", 0.2),
                    inv("I3", "C3", "2026-05-01", 100.07)])
    result = report(ledger)
    total = aging.with_totals(result.summary, result.totals).iloc[-1]
    assert total["customer_id"] == "Total"
    assert total["outstanding"] == 100.37
    assert total["open_invoices"] == 3 and total["max_days_overdue"] == 153


# --- reconciliation on random ledgers ---------------------------------------
cents = st.integers(min_value=-50_000, max_value=500_000)
days = st.integers(min_value=0, max_value=400)


@st.composite
def ledgers(draw):
    n = draw(st.integers(min_value=1, max_value=25))
    customers = ["C1", "C2", "C3"]
    rows = []
    for i in range(n):
        amount = draw(cents)
        day = AS_OF - pd.Timedelta(days=draw(st.integers(min_value=-30, max_value=400)))
        row = inv(f"I{i}", draw(st.sampled_from(customers)), day, amount / 100,
                  terms_days=draw(st.sampled_from([None, 0, 30, 60])),
                  paid_amount=draw(st.sampled_from([None, 0.0, abs(amount) // 2 / 100,
                                                    abs(amount) * 2 / 100])),
                  salesperson=draw(st.sampled_from(["S1", "S2", None])),
                  against_invoice=None)
        if amount < 0 and i and draw(st.booleans()):
            row["against_invoice"] = f"I{draw(st.integers(min_value=0, max_value=i - 1))}"
        rows.append(row)
    m = draw(st.integers(min_value=0, max_value=15))
    pays = []
    for _ in range(m):
        named = draw(st.sampled_from([None] + [r["invoice_no"] for r in rows]))
        pays.append(pay(draw(st.sampled_from(customers + ["C4"])),
                        AS_OF - pd.Timedelta(days=draw(st.integers(min_value=-20, max_value=400))),
                        draw(st.integers(min_value=-1000, max_value=400_000)) / 100, named))
    return table(rows), (payments(pays) if pays else None)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers(), st.sampled_from(["customer", "salesperson", "branch"]),
       st.sampled_from(["due", "invoice"]))
def test_reconciles_to_the_cent(data, by, basis):
    ledger, pays = data
    result = report(ledger, pays, by=by, basis=basis)
    summary = result.summary

    def c(values):
        return np.rint(np.asarray(values, dtype="float64") * 100).astype("int64")

    # buckets add up to outstanding on every row
    assert (c(summary[result.buckets]).sum(axis=1) == c(summary["outstanding"])).all()
    assert (c(summary["outstanding"]) + c(summary["unapplied_credit"])
            == c(summary["net_outstanding"])).all()
    # the report's net total = Σ amounts − Σ paid_amount − Σ payments (as of)
    in_scope = ledger[ledger["invoice_date"] <= AS_OF]
    amounts = c(in_scope["amount"]).sum()
    sign = np.where(in_scope["amount"] < 0, -1, 1)
    paid = (sign * np.abs(c(in_scope["paid_amount"].fillna(0)))).sum()
    received = 0 if pays is None else c(pays.loc[pays["payment_date"] <= AS_OF, "amount"]).sum()
    assert c(summary["net_outstanding"]).sum() == amounts - paid - received
    # open items add up to the summary's outstanding, and none is over-applied
    assert c(result.detail["outstanding"]).sum() == c(summary["outstanding"]).sum()
    assert (result.detail["outstanding"] > 0).all()
    assert (c(result.detail["applied"]) + c(result.detail["outstanding"])
            == c(result.detail["amount"])).all()
    assert result.summary["open_invoices"].sum() == len(result.detail)


def test_allocation_is_vectorised_for_a_large_book():
    # 200k invoices, 100k unallocated payments over 20k customers: no row loop,
    # so this is well under a second; the point is a correct total at scale
    rng = np.random.default_rng(7)
    n, m = 200_000, 100_000
    customers = rng.integers(0, 20_000, n).astype(str)
    ledger = pd.DataFrame({
        "customer_id": pd.array(np.char.add("C", customers), dtype="str"),
        "invoice_no": pd.array(np.char.add("I", np.arange(n).astype(str)), dtype="str"),
        "invoice_date": AS_OF - pd.to_timedelta(rng.integers(0, 500, n), unit="D"),
        "amount": rng.integers(1, 1_000_000, n) / 100,
    }, index=pd.RangeIndex(2, n + 2, name="row"))
    pays = pd.DataFrame({
        "customer_id": pd.array(np.char.add("C", rng.integers(0, 20_000, m).astype(str)),
                                dtype="str"),
        "payment_date": AS_OF - pd.to_timedelta(rng.integers(0, 500, m), unit="D"),
        "amount": rng.integers(1, 1_000_000, m) / 100,
    }, index=pd.RangeIndex(2, m + 2, name="row"))
    result = report(ledger, pays)
    net = np.rint(result.summary["net_outstanding"].to_numpy() * 100).astype("int64").sum()
    expected = (np.rint(ledger["amount"].to_numpy() * 100).astype("int64").sum()
                - np.rint(pays["amount"].to_numpy() * 100).astype("int64").sum())
    assert net == expected


def test_alert_policy_keys_are_checked():
    policy = defaults("aging")
    assert aging.check_policy(dict(policy, alert_months=6.0)) == []
    problems = [str(p) for p in aging.check_policy(dict(policy, alert_months=0,
                                                        alert_rule="never"))]
    assert any("alert_months" in p for p in problems)
    assert any("alert_rule" in p and "any_open, nothing_received" in p for p in problems)


@pytest.mark.parametrize("by", ["salesperson", "branch"])
def test_a_refund_when_every_invoice_is_after_the_as_of_date(by):
    # seed 004 第四条 应收账款 by staff: money paid back (a negative payment)
    # before any invoice of the period is owed from its date, whatever the grouping
    ledger = table([inv("F1", "C1", "2026-11-15", 100.00, salesperson="S1", branch="华东")])
    pays = payments([pay("C1", "2026-10-31", -0.01)])
    result = report(ledger, pays, by=by)
    assert round(float(result.summary["net_outstanding"].sum()), 2) == 0.01
