"""The ledger at a date: payments and credit notes applied to invoices."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cskit.aging.common import (NO_GROUP, WHOLE_REPORT, _day, _find, _kept_positions, _recode,
                                 _stable_order, _sum_by)
from cskit.money import to_cents


def unknown_references(invoices: pd.DataFrame, payments: pd.DataFrame | None):
    """Masks of the rows that name an invoice number the ledger does not
    have: (credit notes' against_invoice, payments' invoice_no). The ledger
    is the whole INVOICES file, before the as-of date is applied."""
    known = None

    def unknown(frame: pd.DataFrame, column: str) -> pd.Series:
        nonlocal known
        bad = pd.Series(False, index=frame.index)
        if column not in frame.columns:
            return bad
        named = frame[column].notna().to_numpy()
        if named.any():
            # a hash lookup of the named rows only: Series.isin on Arrow
            # strings walks the known numbers in Python (10 s at 1M invoices)
            if known is None:
                known = pd.Index(invoices["invoice_no"].dropna().unique())
            bad[named] = known.get_indexer(frame[column][named]) < 0
        return bad

    bad_notes = unknown(invoices, "against_invoice")
    bad_payments = unknown(payments, "invoice_no") if payments is not None else None
    return bad_notes, bad_payments


@dataclass
class _Ledger:
    """Invoices open or closed at one date, after allocation."""

    items: pd.DataFrame  # the invoice rows dated on or before as_of (original index)
    customer: np.ndarray  # customer code per item
    due: np.ndarray  # datetime64[D] per item
    invoice_day: np.ndarray  # datetime64[D] per item
    amount: np.ndarray  # cents per item
    outstanding: np.ndarray  # cents per item, ≥ 0 (0 for credit notes)
    cash: np.ndarray  # cents of money (not credit notes) applied per item
    customers: pd.DataFrame  # one row per customer code: customer_id, home attributes
    leftover: np.ndarray  # cents per customer code: pool not used (≥ 0 is credit)
    paid: int = 0  # Σ paid_amount counted (signed as applied)
    payments: int = 0  # Σ payments counted
    amounts: int = 0  # Σ amounts of every document counted
    extra: dict = field(default_factory=dict)


@dataclass
class _Rows:
    """Per-row figures of the whole files, worked out once and shared by the
    ledgers at the as-of date and at the DSO window's start."""

    invoice_day: np.ndarray  # datetime64[D] per invoice
    due: np.ndarray  # datetime64[D] per invoice
    amount: np.ndarray  # cents per invoice
    paid: np.ndarray | None  # |paid_amount| in cents per invoice; None without the column
    against: np.ndarray  # position of a credit note's original invoice, else -1
    customer: np.ndarray  # customer code per invoice, then per payment
    uniques: object  # customer_id per code
    pay_day: np.ndarray | None  # datetime64[D] per payment; None without payments
    pay_cents: np.ndarray | None
    pay_target: np.ndarray | None  # position of the invoice a payment names, else -1


def _rows(invoices: pd.DataFrame, payments: pd.DataFrame | None,
          default_terms_days: int) -> _Rows:
    n = len(invoices)
    invoice_day = _day(invoices["invoice_date"])
    # due date: due_date, else invoice date + terms_days, else + the policy's terms
    if "terms_days" in invoices.columns:
        terms = invoices["terms_days"].to_numpy(dtype="float64", na_value=np.nan)
        terms = np.where(np.isnan(terms), default_terms_days, terms).astype("int64")
    else:
        terms = np.full(n, int(default_terms_days), dtype="int64")
    due = invoice_day + terms.astype("timedelta64[D]")
    if "due_date" in invoices.columns:
        given = _day(invoices["due_date"])
        due = np.where(np.isnat(given), due, given)
    amount = to_cents(invoices["amount"].to_numpy(dtype="float64", na_value=np.nan))
    paid = (np.abs(to_cents(invoices["paid_amount"].to_numpy(dtype="float64", na_value=np.nan)))
            if "paid_amount" in invoices.columns else None)

    numbers = pd.Index(invoices["invoice_no"])
    against = (_find(numbers, invoices["against_invoice"])
               if "against_invoice" in invoices.columns else np.full(n, -1, dtype="int64"))

    # customer codes over invoices and payments together
    if payments is not None and len(payments):
        pay_customers = payments["customer_id"]
        pay_day = _day(payments["payment_date"])
        pay_cents = to_cents(payments["amount"].to_numpy(dtype="float64", na_value=np.nan))
        pay_target = (_find(numbers, payments["invoice_no"]) if "invoice_no" in payments.columns
                      else np.full(len(payments), -1, dtype="int64"))
    else:
        pay_customers = pd.Series([], dtype="str")
        pay_day = pay_cents = pay_target = None
    customer, uniques = pd.factorize(pd.concat([invoices["customer_id"], pay_customers],
                                               ignore_index=True))
    return _Rows(invoice_day=invoice_day, due=due, amount=amount, paid=paid, against=against,
                 customer=customer, uniques=uniques, pay_day=pay_day, pay_cents=pay_cents,
                 pay_target=pay_target)


def _ledger(invoices: pd.DataFrame, payments: pd.DataFrame | None, *, as_of,
            default_terms_days: int, report_as_of=None, home: bool = True,
            rows: _Rows | None = None) -> _Ledger:
    """Allocate payments and credits as they stood at ``as_of``.

    ``report_as_of`` (later than ``as_of``) is set when the ledger is rebuilt
    for an earlier date (the DSO window's start): ``paid_amount`` carries no
    date, so it counts as received on the invoice's due date, or at the
    report date when that comes first. ``home=False`` leaves the customers'
    name, salesperson and branch blank (for a ledger grouped by customer).
    ``rows`` is ``_rows(invoices, payments, default_terms_days)`` when the
    caller has it already.
    """
    if rows is None:
        rows = _rows(invoices, payments, default_terms_days)
    as_of_day = np.datetime64(pd.Timestamp(as_of).date(), "D")
    keep = rows.invoice_day <= as_of_day  # NaT compares False: never kept
    every = bool(keep.all())
    # a filter copies every column: skip it when every invoice is kept
    items = invoices if every else invoices[keep]
    invoice_day = rows.invoice_day if every else rows.invoice_day[keep]
    due = rows.due if every else rows.due[keep]
    amount = rows.amount if every else rows.amount[keep]
    n = len(items)
    n_all = len(invoices)

    if rows.pay_day is not None:
        pay_keep = rows.pay_day <= as_of_day
        pay_every = bool(pay_keep.all())
    else:
        pay_keep, pay_every = np.zeros(0, dtype=bool), True

    if every and pay_every:
        codes, uniques = rows.customer, rows.uniques
    else:
        codes, uniques = _recode(np.concatenate([rows.customer[:n_all][keep],
                                                 rows.customer[n_all:][pay_keep]]), rows.uniques)
    customer = codes[:n]
    n_customers = len(uniques)

    sign = np.where(amount < 0, -1, 1)
    if rows.paid is not None:
        paid = rows.paid if every else rows.paid[keep]
        if report_as_of is not None:
            paid_day = np.minimum(due, np.datetime64(pd.Timestamp(report_as_of).date(), "D"))
            paid = np.where(paid_day <= as_of_day, paid, 0)
        paid = sign * paid
    else:
        paid = np.zeros(n, dtype="int64")
    open_cents = amount - paid  # > 0 owed on the invoice; < 0 a credit to place

    # pools and directed amounts are kept apart for credit notes and for cash,
    # so that an invoice settled only by credit notes still counts as unpaid
    credit_pool = np.zeros(n_customers, dtype="int64")
    cash_pool = np.zeros(n_customers, dtype="int64")
    credit_directed = np.zeros(n, dtype="int64")
    cash_directed = np.zeros(n, dtype="int64")

    # credit notes and overpaid invoices: directed to their original, or pooled
    credit = np.where(open_cents < 0, -open_cents, 0)
    overpaid = (amount >= 0) & (credit > 0)  # an overpayment is cash, not a credit note
    target = rows.against if every else _kept_positions(rows.against[keep], keep)
    target = np.where(credit > 0, target, -1)
    directed_note = (target >= 0) & ~overpaid
    credit_directed += _sum_by(target[directed_note], credit[directed_note], n)
    pooled_note = (target < 0) & ~overpaid
    credit_pool += _sum_by(customer[pooled_note], credit[pooled_note], n_customers)
    cash_pool += _sum_by(customer[overpaid], credit[overpaid], n_customers)

    # payments: to the invoice they name, else to the customer's pool
    pay_total = 0
    if rows.pay_day is not None:
        pay_cents = rows.pay_cents[pay_keep]
        pay_total = int(pay_cents.sum())
        pay_target = (rows.pay_target[pay_keep] if every
                      else _kept_positions(rows.pay_target[pay_keep], keep))
        named = pay_target >= 0
        cash_directed += _sum_by(pay_target[named], pay_cents[named], n)
        pay_customer = codes[n:]
        cash_pool += _sum_by(pay_customer[~named], pay_cents[~named], n_customers)

    # a directed credit reduces its invoice up to what is open (credit notes
    # first, then cash); the excess joins the invoice's customer's pool
    owed = np.maximum(open_cents, 0)
    credit_applied = np.clip(credit_directed, 0, owed)
    cash_applied = np.minimum(cash_directed, owed - credit_applied)
    credit_pool += _sum_by(customer, credit_directed - credit_applied, n_customers)
    cash_pool += _sum_by(customer, cash_directed - cash_applied, n_customers)
    remaining = owed - credit_applied - cash_applied

    # FIFO: each customer's pool goes to its open invoices, oldest due date
    # first; within the pool credit notes are placed before cash
    pool = credit_pool + cash_pool
    credit_first = np.clip(credit_pool, 0, np.maximum(pool, 0))
    order = _stable_order(customer, due, invoice_day)
    rem_sorted = remaining[order]
    cust_sorted = customer[order]
    running = np.cumsum(rem_sorted)
    group_base = np.zeros(n, dtype="int64")
    if n:
        starts = np.r_[0, np.flatnonzero(np.diff(cust_sorted)) + 1]
        base_at_start = running[starts] - rem_sorted[starts]
        group_base = np.repeat(base_at_start, np.diff(np.r_[starts, n]))
    before = running - rem_sorted - group_base
    fifo_sorted = np.clip(pool[cust_sorted] - before, 0, rem_sorted)
    fifo_credit_sorted = np.clip(credit_first[cust_sorted] - before, 0, rem_sorted)
    fifo = np.empty(n, dtype="int64")
    fifo[order] = fifo_sorted
    fifo_credit = np.empty(n, dtype="int64")
    fifo_credit[order] = fifo_credit_sorted
    outstanding = remaining - fifo
    leftover = pool - _sum_by(customer, fifo, n_customers)
    cash = np.where(amount > 0, np.abs(paid), 0) + cash_applied + (fifo - fifo_credit)

    # each customer's home attributes: its latest invoice's non-blank values
    customers = pd.DataFrame({"customer_id": uniques})
    attrs = [c for c in ("customer_name", "salesperson", "branch") if c in items.columns]
    if attrs and n and home:
        # sorted by customer, then invoice date, then file order: the last
        # non-blank value in each customer's run is its latest invoice's
        by_day = _stable_order(customer, invoice_day)
        for column in attrs:
            values = items[column]
            rows = by_day[values.notna().to_numpy()[by_day]]
            run = customer[rows]
            last = np.r_[run[1:] != run[:-1], True] if len(rows) else np.zeros(0, dtype=bool)
            latest = pd.Series(values.take(rows[last]).array, index=run[last])
            customers[column] = latest.reindex(customers.index)
    for column in ("customer_name", "salesperson", "branch"):
        if column not in customers.columns:
            customers[column] = pd.Series(np.nan, index=customers.index, dtype="str")

    return _Ledger(items=items, customer=customer, due=due, invoice_day=invoice_day,
                   amount=amount, outstanding=outstanding, cash=cash, customers=customers,
                   leftover=leftover, paid=int(paid.sum()), payments=pay_total,
                   amounts=int(amount.sum()))


def _group_codes(ledger: _Ledger, by: str | None):
    """Group code per item and per customer, and the group labels."""
    if by is None:
        return (np.zeros(len(ledger.items), dtype="int64"),
                np.zeros(len(ledger.customers), dtype="int64"), pd.Index([WHOLE_REPORT]))
    if by == "customer_id":
        return ledger.customer, np.arange(len(ledger.customers)), \
            pd.Index(ledger.customers["customer_id"])
    item_keys = _labels(ledger.items[by] if by in ledger.items.columns
                        else pd.Series(np.nan, index=ledger.items.index))
    home_keys = _labels(ledger.customers[by] if by in ledger.customers.columns
                        else pd.Series(np.nan, index=ledger.customers.index))
    codes, uniques = pd.factorize(pd.concat([item_keys, home_keys], ignore_index=True))
    n = len(ledger.items)
    return codes[:n], codes[n:], pd.Index(uniques)


def _labels(keys: pd.Series) -> pd.Series:
    keys = keys.astype("str")
    return keys.where(keys.notna() & (keys.str.strip() != ""), NO_GROUP)
