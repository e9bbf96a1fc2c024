"""Days sales outstanding (应收账款周转天数)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from cskit.aging.allocation import _group_codes, _ledger, _Ledger, _Rows
from cskit.aging.common import COUNTBACK_MAX_MONTHS, DSO_METHODS, _sum_by
from cskit.money import to_yuan


def dso_table(invoices: pd.DataFrame, payments: pd.DataFrame | None = None, *, as_of,
              window_days: int = 90, method: str = "average", by: str | None = "customer_id",
              default_terms_days: int = 30) -> pd.DataFrame:
    """Days sales outstanding (应收账款周转天数) per ``by`` group.

    ``dso_table(invoices, payments, *, as_of, window_days=90, method="average",
    by="customer_id", default_terms_days=30) -> DataFrame``

    ``invoices`` / ``payments`` are DataFrames as ``Run.read`` returns them
    for ``schema.INVOICES`` / ``schema.PAYMENTS`` (``payments`` may be None);
    ``by`` is any invoice column (``customer_id``, ``salesperson``,
    ``branch`` …) or None for one row for the whole ledger (labelled
    ``all``). Invoices with a blank ``by`` value form the group ``(none)``.

    The result is indexed by the group key, with columns:
    - ``receivable_start`` / ``receivable_end``: net receivable (open items
      minus unapplied credit, yuan) at the window's start (as_of −
      window_days) and at as_of, each after allocating what had been paid
      by then; a customer's unapplied credit counts in the group of its
      latest invoice;
    - ``invoiced``: amount invoiced in the window (credit notes net), yuan;
    - ``not_due_end``: open amount not yet due at as_of, yuan;
    - ``dso``: ``average`` = mean(start, end) / invoiced × window_days;
      ``period-end`` = end / invoiced × window_days; ``countback`` = days
      walked back from as_of through each month's invoicing until the
      receivable at as_of is used up (the current month counts up to as_of);
    - ``best_dso`` = dso × the share of the receivable not yet due (for
      ``average`` at the window's start and at as-of), so never above dso;
    - ``days_delinquent`` = dso − best_dso, at least 0;
    - ``avg_terms_days``: days from invoice to due date of the window's
      invoicing, weighted by amount.
    dso, best_dso and days_delinquent are in days (1 decimal), NaN when
    nothing was invoiced in the window; a negative receivable counts as 0.
    """
    end = _ledger(invoices, payments, as_of=as_of, default_terms_days=default_terms_days)
    return _dso(invoices, payments, end, as_of=as_of, window_days=window_days,
                method=method, by=by, default_terms_days=default_terms_days)


def _net_by(ledger: _Ledger, by: str | None):
    item_codes, home_codes, labels = _group_codes(ledger, by)
    size = len(labels)
    net = (_sum_by(item_codes, ledger.outstanding, size)
           - _sum_by(home_codes, ledger.leftover, size))
    return pd.Series(net, index=labels)


def _start_ledger(invoices, payments, *, as_of, window_days, default_terms_days,
                  home: bool = True, rows: _Rows | None = None) -> _Ledger:
    as_of = pd.Timestamp(as_of).normalize()
    return _ledger(invoices, payments, as_of=as_of - pd.Timedelta(days=int(window_days)),
                   default_terms_days=default_terms_days, report_as_of=as_of, home=home,
                   rows=rows)


def _dso(invoices, payments, end: _Ledger, *, as_of, window_days, method, by,
         default_terms_days, start: _Ledger | None = None) -> pd.DataFrame:
    if method not in DSO_METHODS:
        raise ValueError(f"dso method must be one of {', '.join(DSO_METHODS)}, got {method!r}")
    as_of = pd.Timestamp(as_of).normalize()
    start_date = as_of - pd.Timedelta(days=int(window_days))
    if start is None:
        start = _start_ledger(invoices, payments, as_of=as_of, window_days=window_days,
                              default_terms_days=default_terms_days)

    item_codes, _, labels = _group_codes(end, by)
    size = len(labels)
    receivable_end = _net_by(end, by)
    start_day = np.datetime64(start_date.date(), "D")
    # the start ledger's net receivable and its not-yet-due part, by group
    start_codes, start_home, start_labels = _group_codes(start, by)
    start_size = len(start_labels)
    start_not_due = start.due >= start_day
    at_start = pd.DataFrame({
        "net": (_sum_by(start_codes, start.outstanding, start_size)
                - _sum_by(start_home, start.leftover, start_size)),
        "not_due": _sum_by(start_codes[start_not_due], start.outstanding[start_not_due],
                           start_size)}, index=start_labels)
    if not at_start.index.is_unique:
        at_start = at_start.groupby(level=0).sum()
    at_start = at_start.reindex(labels, fill_value=0)
    receivable_start = at_start["net"]
    not_due_start = at_start["not_due"].to_numpy()
    receivable_end = receivable_end.reindex(labels, fill_value=0)

    as_of_day = np.datetime64(as_of.date(), "D")
    in_window = end.invoice_day > start_day
    invoiced = _sum_by(item_codes[in_window], end.amount[in_window], size)
    not_due = end.due >= as_of_day
    not_due_end = _sum_by(item_codes[not_due], end.outstanding[not_due], size)
    # the customer's terms: days from invoice to due date, weighted by the
    # window's invoicing (what a DSO with nothing overdue comes close to)
    sold = in_window & (end.amount > 0)
    terms = (end.due[sold] - end.invoice_day[sold]).astype("int64")
    weighted = np.bincount(item_codes[sold], weights=terms * end.amount[sold].astype("float64"),
                           minlength=size)
    weights = np.bincount(item_codes[sold], weights=end.amount[sold].astype("float64"),
                          minlength=size)

    with np.errstate(divide="ignore", invalid="ignore"):
        sales = np.where(invoiced > 0, invoiced.astype("float64"), np.nan)
        end_cents = np.maximum(receivable_end.to_numpy(), 0).astype("float64")
        if method == "average":
            mean = (receivable_start.to_numpy() + receivable_end.to_numpy()) / 2
            dso = np.maximum(mean, 0) / sales * window_days
        elif method == "period-end":
            dso = end_cents / sales * window_days
        else:
            dso = _countback(end, item_codes, size, end_cents, as_of)
            dso = np.where(np.isnan(sales), np.nan, dso)
        # best DSO: the same DSO times the share of the same receivable that
        # is not yet due, at the same points in time — never above dso (#14)
        r_start = np.maximum(receivable_start.to_numpy(), 0).astype("float64")
        c_start = np.clip(not_due_start, 0, r_start)
        c_end = np.clip(not_due_end, 0, end_cents)
        if method == "average":
            share = (c_start + c_end) / (r_start + end_cents)
        else:
            share = c_end / end_cents
        share = np.where(np.isnan(share), 0.0, share)
        best = np.minimum(dso * share, dso)
        avg_terms = weighted / weights
    delinquent = np.maximum(np.round(dso, 1) - np.round(best, 1), 0)
    return pd.DataFrame({
        "receivable_start": to_yuan(receivable_start.to_numpy()),
        "receivable_end": to_yuan(receivable_end.to_numpy()),
        "invoiced": to_yuan(invoiced),
        "not_due_end": to_yuan(not_due_end),
        "dso": np.round(dso, 1),
        "best_dso": np.round(best, 1),
        "days_delinquent": np.round(delinquent, 1),
        "avg_terms_days": np.round(avg_terms, 1),
    }, index=pd.Index(labels, name=by or "group"))


def _countback(end: _Ledger, item_codes, size, receivable, as_of) -> np.ndarray:
    """Walk back month by month from as_of, consuming each month's invoicing
    (negative months count as none) until the receivable is used up."""
    as_of = pd.Timestamp(as_of)
    month_key = end.invoice_day.astype("datetime64[M]").astype("int64")
    current = np.datetime64(as_of.date(), "M").astype("int64")
    back = current - month_key  # 0 = the as-of month
    oldest = int(back.max()) if len(back) else 0
    months = min(oldest + 1, COUNTBACK_MAX_MONTHS)
    remaining = receivable.copy()
    days = np.zeros(size)
    order = np.argsort(back, kind="stable")
    bounds = np.searchsorted(back[order], np.arange(months + 1))
    for k in range(months):
        if not (remaining > 0).any():
            break
        rows = order[bounds[k]:bounds[k + 1]]
        sales = np.maximum(_sum_by(item_codes[rows], end.amount[rows], size), 0).astype("float64")
        month = (as_of - pd.DateOffset(months=k))
        length = as_of.day if k == 0 else month.days_in_month
        active = remaining > 0
        whole = active & (remaining > sales)
        part = active & ~whole
        days += np.where(whole, length, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            days += np.where(part, remaining / sales * length, 0.0)
        remaining = np.where(whole, remaining - sales, np.where(part, 0.0, remaining))
    return days
