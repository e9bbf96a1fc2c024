"""The ledger at a date: payments and credit notes applied to invoices."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from cskit.aging.common import (NO_GROUP, WHOLE_REPORT, _day, _find, _kept_positions, _recode,
                                 _sum_by)
from cskit.aging.fifo import _fifo, _grouped_fifo, _latest
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
    """Items (installments of invoices, and refunds) open or closed at one
    date, after allocation. Money per item is in base-currency cents; an
    invoice without a schedule is one item."""

    invoices: pd.DataFrame  # the whole invoice table
    kept: np.ndarray | None  # mask of the invoices dated on or before as_of; None: every one
    customer: np.ndarray  # customer code per item
    due: np.ndarray  # datetime64[D] per item
    invoice_day: np.ndarray  # datetime64[D] per item (a refund: its date)
    amount: np.ndarray  # cents per item, booked
    outstanding: np.ndarray  # cents per item at the as-of rate, ≥ 0 (0 for credit notes)
    cash: np.ndarray  # cents of money (not credit notes) received on the item's invoice
    customers: pd.DataFrame  # one row per customer code: customer_id, home attributes
    leftover: np.ndarray  # cents per customer code: pool not used (≥ 0 is credit)
    paid: int = 0  # Σ paid_amount counted (signed as applied)
    payments: int = 0  # Σ payments counted
    amounts: int = 0  # Σ amounts of every document counted
    parent: np.ndarray | None = None  # per item: its invoice's position in items; -1 refund
    number: np.ndarray | None = None  # installment number within its invoice
    stage: np.ndarray | None = None  # stage text per item (None: no invoice is split)
    retention: np.ndarray | None = None  # bool per item
    split: bool = False  # some invoice has installments
    refund_ids: np.ndarray | None = None  # per refund item: payment_id (object)
    currency: np.ndarray | None = None  # per item (None: everything in the base currency)
    open_original: np.ndarray | None = None  # cents of the item's own currency
    booked_open: np.ndarray | None = None  # open at the booked rate, base cents
    extra: dict = field(default_factory=dict)

    @cached_property
    def items(self) -> pd.DataFrame:
        """The invoice rows dated on or before as_of (original index), filtered
        on first use: a filter copies every column, and a ledger that only
        sums by customer (the DSO window's start) never needs them."""
        return self.invoices if self.kept is None else self.invoices[self.kept]

    @property
    def sale(self) -> np.ndarray:
        return self.parent >= 0

    def item_values(self, column: str) -> pd.Series:
        """An invoice column per item; refunds take the customer's home value."""
        values = (self.items[column] if column in self.items.columns
                  else pd.Series(np.nan, index=self.items.index, dtype="str"))
        if not self.split and len(self.parent) == len(self.items):
            return values
        if len(values):
            own = values.take(np.maximum(self.parent, 0)).reset_index(drop=True)
        else:  # only refunds are left (every invoice is after the as-of date)
            own = pd.Series([None] * len(self.parent), dtype="object")
        refund = self.parent < 0
        if refund.any():
            home = (self.customers[column] if column in self.customers.columns
                    else pd.Series(np.nan, index=self.customers.index, dtype="str"))
            own = own.astype("object")
            own[refund] = home.take(self.customer[refund]).to_numpy(dtype="object",
                                                                    na_value=None)
            own = own.astype(values.dtype if column != "invoice_no" else "str")
        return own


@dataclass
class _Rows:
    """Per-row figures of the whole files, worked out once and shared by the
    ledgers at the as-of date and at the DSO window's start."""

    invoice_day: np.ndarray  # datetime64[D] per invoice
    due: np.ndarray  # datetime64[D] per invoice
    amount: np.ndarray  # cents per invoice (its own currency)
    paid: np.ndarray | None  # |paid_amount| in cents per invoice; None without the column
    against: np.ndarray  # position of a credit note's original invoice, else -1
    customer: np.ndarray  # customer code per invoice, then per payment
    uniques: object  # customer_id per code
    pay_day: np.ndarray | None  # datetime64[D] per payment; None without payments
    pay_cents: np.ndarray | None  # in the currency it is applied in
    pay_target: np.ndarray | None  # position of the invoice a payment names, else -1
    inst: object = None  # schedule.Installments over every invoice
    pay_ids: np.ndarray | None = None  # payment_id per payment (object) or None
    foreign: bool = False  # some row is not in the base currency
    currencies: object = None  # currency per code (code 0 = base)
    inv_cur: np.ndarray | None = None  # currency code per invoice
    pay_cur: np.ndarray | None = None  # currency code per payment (its invoice's when named)
    inv_rate: np.ndarray | None = None  # booked rate per invoice
    pay_rate: np.ndarray | None = None  # booked rate per payment
    rates: object = None  # fx.Rates


def _rows(invoices: pd.DataFrame, payments: pd.DataFrame | None,
          default_terms_days: int, *, schedule: pd.DataFrame | None = None,
          terms: dict | None = None, fx_rates: pd.DataFrame | None = None,
          base: str = "CNY") -> _Rows:
    from cskit.aging import fx
    from cskit.aging.schedule import expand

    n = len(invoices)
    invoice_day = _day(invoices["invoice_date"])
    # due date: due_date, else invoice date + terms_days, else + the policy's terms
    if "terms_days" in invoices.columns:
        days = invoices["terms_days"].to_numpy(dtype="float64", na_value=np.nan)
        days = np.where(np.isnan(days), default_terms_days, days).astype("int64")
    else:
        days = np.full(n, int(default_terms_days), dtype="int64")
    due = invoice_day + days.astype("timedelta64[D]")
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
    pay_ids = None
    if payments is not None and len(payments):
        pay_customers = payments["customer_id"]
        pay_day = _day(payments["payment_date"])
        pay_cents = to_cents(payments["amount"].to_numpy(dtype="float64", na_value=np.nan))
        pay_target = (_find(numbers, payments["invoice_no"]) if "invoice_no" in payments.columns
                      else np.full(len(payments), -1, dtype="int64"))
        if "payment_id" in payments.columns:
            pay_ids = payments["payment_id"].to_numpy(dtype="object", na_value=None)
    else:
        pay_customers = pd.Series([], dtype="str")
        pay_day = pay_cents = pay_target = None
    customer, uniques = pd.factorize(pd.concat([invoices["customer_id"], pay_customers],
                                               ignore_index=True))
    inst = expand(invoice_day, due, amount, numbers, schedule=schedule, terms=terms,
                  named_terms=(invoices["payment_terms"] if "payment_terms" in invoices.columns
                               else None))
    rows = _Rows(invoice_day=invoice_day, due=due, amount=amount, paid=paid, against=against,
                 customer=customer, uniques=uniques, pay_day=pay_day, pay_cents=pay_cents,
                 pay_target=pay_target, inst=inst, pay_ids=pay_ids)

    # currencies: allocation stays in each invoice's own currency
    has_pay = pay_day is not None
    if "currency" not in invoices.columns and (not has_pay or "currency" not in payments.columns):
        return rows
    inv_text = fx.currency_codes(invoices["currency"] if "currency" in invoices.columns
                                 else np.full(n, None, dtype="object"), base)
    pay_text = (fx.currency_codes(payments["currency"] if "currency" in payments.columns
                                  else np.full(len(payments), None, dtype="object"), base)
                if has_pay else np.zeros(0, dtype="object"))
    every = np.concatenate([inv_text, pay_text])
    rows.foreign = bool((every != base.upper()).any())
    if not rows.foreign:
        return rows
    rates = fx.Rates(fx_rates, base)
    codes, currencies = pd.factorize(pd.Series(np.r_[[base.upper()], every], dtype="object"))
    rows.currencies = currencies
    rows.inv_cur = codes[1:n + 1].astype("int64")
    rows.pay_cur = codes[n + 1:].astype("int64")
    rows.rates = rates
    rows.inv_rate = fx.booked_rates(amount, invoices["amount_local"].to_numpy(
        dtype="float64", na_value=np.nan) if "amount_local" in invoices.columns else None,
        inv_text, invoice_day, rates)
    if has_pay:
        rows.pay_rate = fx.booked_rates(pay_cents, payments["amount_local"].to_numpy(
            dtype="float64", na_value=np.nan) if "amount_local" in payments.columns else None,
            pay_text, pay_day, rates)
        # a payment named to an invoice of another currency (allowed when both
        # carry their local amounts): its local amount in the invoice's currency
        named = pay_target >= 0
        other = named.copy()
        other[named] = rows.pay_cur[named] != rows.inv_cur[pay_target[named]]
        if other.any():
            local = fx.to_local(pay_cents[other], rows.pay_rate[other])
            target_rate = rows.inv_rate[pay_target[other]]
            rows.pay_cents = pay_cents.copy()
            rows.pay_cents[other] = fx.to_local(local, 1.0 / target_rate)
            rows.pay_rate = rows.pay_rate.copy()
            rows.pay_rate[other] = target_rate
            rows.pay_cur = rows.pay_cur.copy()
            rows.pay_cur[other] = rows.inv_cur[pay_target[other]]
    return rows


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
    from cskit.aging import fx

    if rows is None:
        rows = _rows(invoices, payments, default_terms_days)
    as_of_day = np.datetime64(pd.Timestamp(as_of).date(), "D")
    keep = rows.invoice_day <= as_of_day  # NaT compares False: never kept
    every = bool(keep.all())
    invoice_day = rows.invoice_day if every else rows.invoice_day[keep]
    due = rows.due if every else rows.due[keep]
    amount = rows.amount if every else rows.amount[keep]
    n = len(invoice_day)
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
    pay_customer = codes[n:]

    # pools are per customer and currency: a USD payment settles USD invoices
    foreign = rows.foreign
    n_cur = len(rows.currencies) if foreign else 1
    inv_cur = (rows.inv_cur if every else rows.inv_cur[keep]) if foreign else np.zeros(n, "int64")
    n_pools = n_customers * n_cur
    pool_of = customer * n_cur + inv_cur

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
    credit_pool = np.zeros(n_pools, dtype="int64")
    cash_pool = np.zeros(n_pools, dtype="int64")
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
    credit_pool += _sum_by(pool_of[pooled_note], credit[pooled_note], n_pools)
    cash_pool += _sum_by(pool_of[overpaid], credit[overpaid], n_pools)

    # payments: to the invoice they name, else to the customer's pool; a
    # negative payment (a refund) is an item of its own, placed below
    pay_total = 0
    refund = np.zeros(0, dtype=bool)
    pay_cents = np.zeros(0, dtype="int64")
    pay_pool = np.zeros(0, dtype="int64")
    if rows.pay_day is not None:
        pay_cents = rows.pay_cents[pay_keep]
        pay_cur = (rows.pay_cur[pay_keep] if foreign else np.zeros(len(pay_cents), "int64"))
        pay_pool = pay_customer * n_cur + pay_cur
        if foreign:
            pay_total = int(fx.to_local(pay_cents, rows.pay_rate[pay_keep]).sum())
        else:
            pay_total = int(pay_cents.sum())
        pay_target = (rows.pay_target[pay_keep] if every
                      else _kept_positions(rows.pay_target[pay_keep], keep))
        refund = pay_cents < 0
        named = (pay_target >= 0) & ~refund
        cash_directed += _sum_by(pay_target[named], pay_cents[named], n)
        pooled = ~named & ~refund
        cash_pool += _sum_by(pay_pool[pooled], pay_cents[pooled], n_pools)

    # a directed credit reduces its invoice up to what is open (credit notes
    # first, then cash); the excess joins the invoice's customer's pool
    owed = np.maximum(open_cents, 0)
    credit_applied = np.clip(credit_directed, 0, owed)
    cash_applied = np.minimum(cash_directed, owed - credit_applied)
    credit_pool += _sum_by(pool_of, credit_directed - credit_applied, n_pools)
    cash_pool += _sum_by(pool_of, cash_directed - cash_applied, n_pools)
    remaining = owed - credit_applied - cash_applied
    # the directed amounts are placed: let their arrays go before the items
    # are built (a million invoices: some 70 MB off the peak)
    del sign, open_cents, credit, overpaid, target, directed_note, pooled_note
    del credit_directed, cash_directed, owed, credit_applied

    # the items: each invoice's installments (one when it has no schedule),
    # what was applied to the invoice going to its installments oldest first
    inst = rows.inst
    if inst.split:
        ikeep = keep[inst.parent]
        i_parent = (inst.parent if every else np.cumsum(keep)[inst.parent[ikeep]] - 1)
        pick = (lambda a: a) if every else (lambda a: a[ikeep])
        i_due, i_amount, i_number = pick(inst.due), pick(inst.amount), pick(inst.number)
        i_stage, i_retention = pick(inst.stage), pick(inst.retention)
        capacity = np.maximum(i_amount, 0)
        applied = np.maximum(amount, 0) - remaining  # per invoice, ≥ 0
        got = _grouped_fifo(i_parent, capacity, applied)
        i_remaining = capacity - got
    else:
        i_parent = np.arange(n)
        i_due, i_amount, i_number = due, amount, np.ones(n, dtype="int64")
        i_stage, i_retention = None, np.zeros(n, dtype=bool)
        i_remaining = remaining
    # refunds: money paid back to the customer is owed again from its date; it
    # first uses up the customer's unapplied credit through the FIFO below
    r_rows = np.flatnonzero(refund)
    n_refunds = len(r_rows)
    if n_refunds:
        r_day = rows.pay_day[pay_keep][r_rows]
        item_parent = np.r_[i_parent, np.full(n_refunds, -1)]
        item_customer = np.r_[customer[i_parent], pay_customer[r_rows]]
        item_pool = np.r_[pool_of[i_parent], pay_pool[r_rows]]
        item_due = np.r_[i_due, r_day]
        item_day = np.r_[invoice_day[i_parent], r_day]
        item_amount = np.r_[i_amount, -pay_cents[r_rows]]
        item_remaining = np.r_[i_remaining, -pay_cents[r_rows]]
        refund_ids = (rows.pay_ids[pay_keep][r_rows] if rows.pay_ids is not None
                      else np.full(n_refunds, None, dtype="object"))
    elif inst.split:
        item_parent, item_customer, item_pool = i_parent, customer[i_parent], pool_of[i_parent]
        item_due, item_day = i_due, invoice_day[i_parent]
        item_amount, item_remaining, refund_ids = i_amount, i_remaining, None
    else:  # an item per invoice, in the invoices' order: their arrays as they are
        item_parent, item_customer, item_pool = i_parent, customer, pool_of
        item_due, item_day = i_due, invoice_day
        item_amount, item_remaining, refund_ids = i_amount, i_remaining, None
    m = len(item_parent)

    # FIFO: each pool goes to its open items, oldest due date first; within
    # the pool credit notes are placed before cash
    pool = credit_pool + cash_pool
    fifo, fifo_credit = _fifo(item_pool, item_due, item_day, item_remaining, pool, credit_pool)
    open_original = item_remaining - fifo
    leftover_pool = pool - _sum_by(item_pool, fifo, n_pools)
    # money received per invoice: paid_amount, payments naming it, FIFO cash
    fifo_cash = fifo - fifo_credit
    sale = item_parent >= 0
    invoice_cash = (np.where(amount > 0, np.abs(paid), 0) + cash_applied
                    + _sum_by(item_parent[sale], fifo_cash[sale], n))
    cash = np.where(sale, np.append(invoice_cash, 0)[np.where(sale, item_parent, n)], fifo_cash)

    # base currency: booked rate per item, revalued at the as-of rate
    if foreign:
        rate_inv = rows.inv_rate if every else rows.inv_rate[keep]
        at = np.where(sale, item_parent, n)  # refunds: a padding row, replaced below
        item_cur = np.append(inv_cur, 0)[at]
        booked = np.append(rate_inv, 1.0)[at]
        if n_refunds:
            item_cur[~sale] = pay_cur[r_rows]
            booked[~sale] = rows.pay_rate[pay_keep][r_rows]
        currency = np.asarray(rows.currencies, dtype="object")[item_cur]
        at_as_of = rows.rates.at(currency, np.full(m, as_of_day))
        at_as_of = np.where(np.isnan(at_as_of), booked, at_as_of)
        outstanding = fx.to_local(open_original, at_as_of)
        booked_open = fx.to_local(open_original, booked)
        local_amount = fx.to_local(item_amount, booked)
        # unapplied credit at the as-of rate of its currency, else at the
        # booked rate of the money in the pool (its payments, else its invoices)
        pool_cur = np.arange(n_pools) % n_cur
        pool_rate = rows.rates.at(np.asarray(rows.currencies, dtype="object")[pool_cur],
                                  np.full(n_pools, as_of_day))
        if len(pay_cents):
            p_rate = rows.pay_rate[pay_keep]
            weight = np.bincount(pay_pool, weights=np.abs(pay_cents).astype("float64"),
                                 minlength=n_pools)
            local_sum = np.bincount(pay_pool, weights=np.abs(pay_cents) * p_rate,
                                    minlength=n_pools)
            with np.errstate(divide="ignore", invalid="ignore"):
                pool_rate = np.where(np.isnan(pool_rate) & (weight > 0), local_sum / weight,
                                     pool_rate)
        weight = np.bincount(pool_of, weights=np.abs(amount).astype("float64"), minlength=n_pools)
        local_sum = np.bincount(pool_of, weights=np.abs(amount) * rate_inv, minlength=n_pools)
        with np.errstate(divide="ignore", invalid="ignore"):
            pool_rate = np.where(np.isnan(pool_rate) & (weight > 0), local_sum / weight, pool_rate)
        leftover_local = fx.to_local(leftover_pool, pool_rate)
        leftover = _sum_by(np.arange(n_pools) // n_cur, leftover_local, n_customers)
        # per pool (customer × currency), for the reconciliation in each currency
        extra = {"pool_currency": np.asarray(rows.currencies, dtype="object")[pool_cur],
                 "pool_leftover": leftover_pool, "pool_leftover_local": leftover_local}
        paid_local = int(fx.to_local(paid, rate_inv).sum())
        amounts_local = int(fx.to_local(amount, rate_inv).sum())
    else:
        currency, extra = None, {}
        outstanding = booked_open = open_original
        local_amount = item_amount
        leftover = leftover_pool
        paid_local = int(paid.sum())
        amounts_local = int(amount.sum())

    # each customer's home attributes: its latest invoice's non-blank values
    customers = pd.DataFrame({"customer_id": uniques})
    attrs = [c for c in ("customer_name", "salesperson", "branch") if c in invoices.columns]
    if attrs and n and home:
        columns = {c: invoices[c] if every else invoices[c][keep] for c in attrs}
        for column, latest in _latest(columns, customer, invoice_day, n_customers).items():
            customers[column] = latest
    for column in ("customer_name", "salesperson", "branch"):
        if column not in customers.columns:
            customers[column] = pd.Series(np.nan, index=customers.index, dtype="str")

    return _Ledger(invoices=invoices, kept=None if every else keep, customer=item_customer,
                   due=item_due, invoice_day=item_day, amount=local_amount,
                   outstanding=outstanding, cash=cash, customers=customers, leftover=leftover,
                   paid=paid_local, payments=pay_total, amounts=amounts_local,
                   parent=item_parent,
                   number=(i_number if not n_refunds
                           else np.r_[i_number, np.zeros(n_refunds, dtype="int64")]),
                   stage=(i_stage if not n_refunds or i_stage is None
                          else np.r_[i_stage, np.full(n_refunds, None, dtype="object")]),
                   retention=np.r_[i_retention, np.zeros(n_refunds, dtype=bool)],
                   split=bool(inst.split or n_refunds), refund_ids=refund_ids,
                   currency=currency, open_original=open_original, booked_open=booked_open,
                   extra=extra)


def _group_codes(ledger: _Ledger, by: str | None):
    """Group code per item and per customer, and the group labels."""
    if by is None:
        return (np.zeros(len(ledger.customer), dtype="int64"),
                np.zeros(len(ledger.customers), dtype="int64"), pd.Index([WHOLE_REPORT]))
    if by == "customer_id":
        return ledger.customer, np.arange(len(ledger.customers)), \
            pd.Index(ledger.customers["customer_id"])
    item_keys = _labels(ledger.item_values(by))
    home_keys = _labels(ledger.customers[by] if by in ledger.customers.columns
                        else pd.Series(np.nan, index=ledger.customers.index))
    codes, uniques = pd.factorize(pd.concat([item_keys, home_keys], ignore_index=True))
    n = len(ledger.customer)
    return codes[:n], codes[n:], pd.Index(uniques)


def _labels(keys: pd.Series) -> pd.Series:
    keys = keys.astype("str")
    return keys.where(keys.notna() & (keys.str.strip() != ""), NO_GROUP)
