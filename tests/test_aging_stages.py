"""aging: refunds, installments (payment schedules, retention) and foreign
currency (#14 item 8, #17), on hand-built ledgers worked out by hand."""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cskit import aging
from cskit.policy import defaults

from test_aging import inv, item, pay, payments, row, table

TERMS = {"30-60-10": {"installments": [
    {"stage": "预付款", "percent": 30, "days": 0},
    {"stage": "发货款", "percent": 60, "days": 60},
    {"stage": "质保金", "percent": 10, "days": 365}]}}


def policy(**changes):
    return dict(defaults("aging"), **changes)


def report(invoices, pays=None, as_of="2026-10-31", pol=None, **options):
    return aging.aging_report(invoices, pays, pol or policy(), as_of=pd.Timestamp(as_of),
                              **options)


def schedule(rows):
    frame = pd.DataFrame(rows)
    frame.index = range(2, len(frame) + 2)
    frame["invoice_no"] = frame["invoice_no"].astype("str")
    frame["due_date"] = pd.to_datetime(frame["due_date"])
    for column in ("amount", "percent"):
        if column in frame.columns:
            frame[column] = frame[column].astype("float64")
    if "stage" in frame.columns:
        frame["stage"] = frame["stage"].astype("str")
    return frame


# --- refunds (#14 item 8) ----------------------------------------------------
def test_refunds_use_up_unapplied_credit_then_age_from_their_date():
    # The scenario: one old invoice of 100 (due 2026-02-04), +160
    # unallocated on 03-01, refunds −120 on 05-01 and −50 on 06-01, a −3 credit
    # note. Ledger: 100 − 160 + 120 + 50 − 3 = 107 owed. FIFO of the money
    # (160 + 3 = 163): the invoice 100 first, then 63 of the 05-01 refund →
    # 57 open from 05-01 (183 days: 181+), the 06-01 refund 50 open (152: 91-180)
    ledger = table([inv("I1", "C1", "2026-01-05", 100.0),
                    inv("CN1", "C1", "2026-07-01", -3.0)])
    pays = payments([pay("C1", "2026-03-01", 160.0), pay("C1", "2026-05-01", -120.0),
                     pay("C1", "2026-06-01", -50.0)])
    result = report(ledger, pays)
    c1 = row(result, "C1")
    assert c1["net_outstanding"] == 107.0 and c1["outstanding"] == 107.0
    assert c1["unapplied_credit"] == 0.0
    assert (c1["181+"], c1["91-180"], c1["not_due"]) == (57.0, 50.0, 0.0)
    detail = result.detail
    assert list(detail["stage"]) == ["refund", "refund"]
    assert list(detail["outstanding"]) == [57.0, 50.0]
    assert result.totals["net_outstanding"] == 107.0
    # before the refunds the customer had 63 of credit, never more after them
    before = report(ledger, pays, as_of="2026-04-30")
    assert row(before, "C1")["unapplied_credit"] == -60.0  # −3 note dated later
    for day in ("2026-05-01", "2026-05-31", "2026-06-01", "2026-10-31"):
        assert row(report(ledger, pays, as_of=day), "C1")["unapplied_credit"] <= 0


def test_a_refund_never_stops_a_payment_reaching_an_old_invoice():
    # invoice 100 due 2026-02-04, +100 on 03-01, refund −30 on 09-01: the old
    # invoice is paid; the refund is owed from 09-01 (60 days: 31-60)
    ledger = table([inv("I1", "C1", "2026-01-05", 100.0)])
    pays = payments([pay("C1", "2026-03-01", 100.0), pay("C1", "2026-09-01", -30.0)])
    c1 = row(report(ledger, pays), "C1")
    assert (c1["outstanding"], c1["31-60"], c1["181+"]) == (30.0, 30.0, 0.0)


# --- installments (#17) ------------------------------------------------------
def staged():
    # 10,000 on 2026-01-10 on terms 30-60-10: 3,000 due 01-10, 6,000 due 03-11,
    # 1,000 (质保金) due 2027-01-10; 4,000 paid → 3,000 + 1,000 oldest first
    ledger = table([inv("I1", "C1", "2026-01-10", 10000.0, paid_amount=4000.0)])
    ledger["payment_terms"] = pd.Series(["30-60-10"], index=ledger.index, dtype="str")
    return ledger


@pytest.mark.parametrize("as_of, buckets, retention, flagged", [
    # 02-28: 5,000 of the 发货款 not due (03-11) and the retention
    ("2026-02-28", {"not_due": 6000.0}, 1000.0, ""),
    # 10-31: the 发货款 is 234 days overdue; retention still not due, not flagged
    ("2026-10-31", {"181+": 5000.0, "not_due": 1000.0}, 1000.0, "unpaid_6m"),
    # 2027-02-28: the retention is 49 days overdue and leaves `retention`
    ("2027-02-28", {"181+": 5000.0, "31-60": 1000.0}, 0.0, "unpaid_6m"),
])
def test_thirty_sixty_ten_with_retention_at_three_dates(as_of, buckets, retention, flagged):
    result = report(staged(), as_of=as_of, pol=policy(terms=TERMS))
    c1 = row(result, "C1")
    assert c1["outstanding"] == 6000.0 and c1["open_invoices"] == 1
    for label in result.buckets:
        assert c1[label] == buckets.get(label, 0.0), label
    assert c1["retention"] == retention
    assert c1["flags"] == flagged
    detail = result.detail.sort_values("installment")
    assert list(detail["installment"]) == [2, 3]
    assert list(detail["stage"]) == ["发货款", "质保金"]
    assert list(detail["outstanding"]) == [5000.0, 1000.0]
    assert list(detail["due_date"].dt.strftime("%Y-%m-%d")) == ["2026-03-11", "2027-01-10"]


def test_two_installments_one_payment():
    # ERPNext-style: 1,000 in two halves due 09-30 and 10-31; one payment of
    # 500 naming the invoice settles the first installment only
    ledger = table([inv("I1", "C1", "2026-09-01", 1000.0)])
    plan = schedule([{"invoice_no": "I1", "due_date": "2026-09-30", "percent": 50},
                     {"invoice_no": "I1", "due_date": "2026-10-31", "percent": 50}])
    pays = payments([pay("C1", "2026-10-05", 500.0, "I1")])
    result = report(ledger, pays, schedule=plan)
    c1 = row(result, "C1")
    assert (c1["outstanding"], c1["not_due"], c1["1-30"]) == (500.0, 500.0, 0.0)
    assert list(result.detail["installment"]) == [2]
    # without the payment: 31 days overdue on the first half, the second due today
    c1 = row(report(ledger, schedule=plan), "C1")
    assert (c1["31-60"], c1["not_due"]) == (500.0, 500.0)


def test_percent_rounding_goes_to_the_last_installment():
    # 100.00 in thirds: 33.33, 33.33, 33.34
    ledger = table([inv("I1", "C1", "2026-10-01", 100.0)])
    plan = schedule([{"invoice_no": "I1", "due_date": d, "percent": 100 / 3}
                     for d in ("2026-11-01", "2026-12-01", "2027-01-01")])
    plan.loc[4, "percent"] = 100 - 2 * (100 / 3)
    assert list(report(ledger, schedule=plan).detail.sort_values("installment")["outstanding"]) \
        == [33.33, 33.33, 33.34]


def test_schedule_problems_name_the_invoice():
    ledger = table([inv("I1", "C1", "2026-10-01", 100.0), inv("I2", "C1", "2026-10-01", 50.0)])
    plan = schedule([{"invoice_no": "I1", "due_date": "2026-11-01", "percent": 30},
                     {"invoice_no": "I1", "due_date": "2026-12-01", "percent": 60},
                     {"invoice_no": "I2", "due_date": "2026-11-01", "amount": 50},
                     {"invoice_no": "I9", "due_date": "2026-11-01", "amount": 5}])
    bad = aging.schedule.schedule_problems(ledger, plan)
    assert list(bad["percent"]) == [True, True, False, False]  # 30 + 60 = 90
    assert list(bad["unknown"]) == [False, False, False, True]
    assert not bad["amount"].any()


def test_terms_policy_is_checked():
    problems = aging.check_policy(policy(terms={"x": {"installments": [
        {"percent": 30, "days": 0}, {"percent": 60, "days": 30}]}}))
    assert any("add up to 90" in str(p) for p in problems)
    assert not aging.check_policy(policy(terms=TERMS))


# --- foreign currency (#17) --------------------------------------------------
RATES = pd.DataFrame({"currency": pd.array(["USD", "USD"], dtype="str"),
                      "date": pd.to_datetime(["2026-09-01", "2026-10-31"]),
                      "rate": [7.10, 7.20]})


def test_usd_invoice_and_payment_revalued_at_the_as_of_rate():
    # USD 1,000 on 09-15 booked at 7.10; USD 400 paid 10-10 → USD 600 open:
    # 600 × 7.20 = 4,320.00 at as-of, 600 × 7.10 = 4,260.00 booked → +60.00
    ledger = table([inv("I1", "C1", "2026-09-15", 1000.0)])
    ledger["currency"] = pd.Series(["USD"], index=ledger.index, dtype="str")
    pays = payments([pay("C1", "2026-10-10", 400.0)])
    pays["currency"] = pd.Series(["USD"], index=pays.index, dtype="str")
    result = report(ledger, pays, fx_rates=RATES)
    c1 = row(result, "C1")
    assert (c1["outstanding"], c1["fx_difference"]) == (4320.0, 60.0)
    detail = item(result, "I1")
    assert (detail["currency"], detail["open_original"], detail["outstanding"]) == \
        ("USD", 600.0, 4320.0)
    totals = result.totals
    assert round(totals["booked_outstanding"] + totals["fx_difference"], 2) == \
        totals["outstanding"]
    # without an as-of rate the aging stays at the booked rate
    early = RATES.iloc[:1]
    assert row(report(ledger, pays, fx_rates=early), "C1")["fx_difference"] == 0.0


def test_a_cny_payment_does_not_settle_a_usd_invoice():
    # C1: USD 100 on 09-01 (local 710.00 given), CNY 500 on 10-01; CNY 800
    # unallocated → the CNY invoice is paid, 300 left as credit; the older USD
    # invoice stays open (710.00)
    ledger = table([inv("U1", "C1", "2026-09-01", 100.0, amount_local=710.0),
                    inv("R1", "C1", "2026-10-01", 500.0)])
    ledger["currency"] = pd.Series(["USD", None], index=ledger.index, dtype="str")
    pays = payments([pay("C1", "2026-10-10", 800.0)])
    result = report(ledger, pays)
    c1 = row(result, "C1")
    assert (c1["outstanding"], c1["unapplied_credit"], c1["net_outstanding"]) == \
        (710.0, -300.0, 410.0)
    assert list(result.detail["invoice_no"]) == ["U1"]
    assert item(result, "U1")["open_original"] == 100.0


def test_a_payment_naming_an_invoice_of_another_currency_is_an_error():
    ledger = table([inv("U1", "C1", "2026-09-01", 100.0)])
    ledger["currency"] = pd.Series(["USD"], index=ledger.index, dtype="str")
    pays = payments([pay("C1", "2026-10-10", 700.0, "U1")])
    _, bad = aging.currency_mismatches(ledger, pays)
    assert list(bad) == [True]


# --- invariants ----------------------------------------------------------------
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(amount=st.integers(1, 10_000_000), paid=st.integers(0, 10_000_000),
       parts=st.lists(st.integers(1, 100), min_size=1, max_size=5),
       offsets=st.lists(st.integers(-200, 400), min_size=5, max_size=5))
def test_installments_buckets_sum_to_the_invoice(amount, paid, parts, offsets):
    cents = [amount * p // sum(parts) for p in parts]
    cents[-1] += amount - sum(cents)
    ledger = table([inv("I1", "C1", "2026-01-01", amount / 100,
                        paid_amount=min(paid, amount) / 100),
                    inv("I2", "C1", "2026-01-01", amount / 100,
                        paid_amount=min(paid, amount) / 100)])
    plan = schedule([{"invoice_no": "I1",
                      "due_date": pd.Timestamp("2026-10-31") + pd.Timedelta(days=o),
                      "amount": c / 100} for c, o in zip(cents, offsets)])
    split, whole = report(ledger, schedule=plan), report(ledger)
    if not len(whole.summary):  # fully paid: nothing open either way
        assert not len(split.summary) and not len(split.detail)
        return
    c1, w1 = row(split, "C1"), row(whole, "C1")
    open_cents = round(c1["outstanding"] * 100)
    assert open_cents == round(w1["outstanding"] * 100)
    assert round(sum(c1[b] for b in split.buckets) * 100) == open_cents
    detail = split.detail
    assert round(detail["outstanding"].sum() * 100) == open_cents


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(usd=st.lists(st.integers(1, 1_000_000), min_size=1, max_size=4),
       cny=st.lists(st.integers(1, 1_000_000), min_size=0, max_size=4),
       paid_usd=st.integers(0, 3_000_000), paid_cny=st.integers(0, 3_000_000))
def test_money_is_not_created_or_lost_across_currencies(usd, cny, paid_usd, paid_cny):
    # at a fixed rate of 7: USD open × 7 (to the cent, per item) + CNY open
    # − credit = what was invoiced minus what was paid, currency by currency
    rows = ([inv(f"U{i}", "C1", "2026-09-01", c / 100) for i, c in enumerate(usd)]
            + [inv(f"R{i}", "C1", "2026-09-02", c / 100) for i, c in enumerate(cny)])
    ledger = table(rows)
    ledger["currency"] = pd.Series(["USD"] * len(usd) + ["CNY"] * len(cny), index=ledger.index,
                                   dtype="str")
    pays = payments([pay("C1", "2026-10-01", paid_usd / 100), pay("C1", "2026-10-02",
                                                                   paid_cny / 100)])
    pays["currency"] = pd.Series(["USD", "CNY"], index=pays.index, dtype="str")
    rates = pd.DataFrame({"currency": pd.array(["USD"], dtype="str"),
                          "date": pd.to_datetime(["2026-01-01"]), "rate": [7.0]})
    result = report(ledger, pays, fx_rates=rates)
    detail = result.detail
    usd_open = round(detail.loc[detail["currency"] == "USD", "open_original"].sum() * 100)
    cny_open = round(detail.loc[detail["currency"] == "CNY", "outstanding"].sum() * 100)
    assert usd_open == max(sum(usd) - paid_usd, 0)
    assert cny_open == max(sum(cny) - paid_cny, 0)
    credit = max(paid_usd - sum(usd), 0) * 7 + max(paid_cny - sum(cny), 0)
    assert round(-result.totals["unapplied_credit"] * 100) == credit
    assert result.totals["fx_difference"] == 0.0
    assert round(result.totals["outstanding"] * 100) == usd_open * 7 + cny_open


def test_a_refund_before_any_invoice():
    # found by the reconciliation property: a refund of 0.01 before the first
    # invoice is owed from its date, in both currencies' code paths
    ledger = table([inv("I1", "C1", "2026-10-01", 5.0)])
    pays = payments([pay("C1", "2026-08-02", -0.01)])
    early = report(ledger, pays, as_of="2026-09-01")
    assert row(early, "C1")["outstanding"] == 0.01
    assert list(early.detail["invoice_no"].astype(object).fillna("-")) == ["-"]
    ledger["currency"] = pd.Series(["USD"], index=ledger.index, dtype="str")
    pays["currency"] = pd.Series(["USD"], index=pays.index, dtype="str")
    result = report(ledger, pays, as_of="2026-09-01", fx_rates=RATES)
    assert row(result, "C1")["outstanding"] == 0.07  # USD 0.01 × 7.10, to the cent
