"""The aging report: summary, totals and open items."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from cskit.aging.alerts import _any_by, _join_flags, unpaid_mask
from cskit.aging.allocation import _day, _group_codes, _ledger, _rows
from cskit.aging.buckets import bucket_index, bucket_labels
from cskit.aging.common import (FLAG_DSO, FLAG_NO_LIMIT, FLAG_UNPAID, FLAG_OVER_LIMIT,
                                 GROUPINGS, _sum_by)
from cskit.aging.detail import _detail
from cskit.aging.dso import _dso, _start_ledger
from cskit.money import to_cents, to_yuan


@dataclass
class AgingResult:
    """``summary``: one row per group; ``detail``: one row per open item,
    sorted for collection work (built on first use, so that a summary-only
    run over a large ledger does not pay for it); ``buckets``: the bucket
    column labels in order; ``totals``: whole-report figures (yuan, days,
    counts)."""

    summary: pd.DataFrame
    buckets: list[str]
    totals: dict
    make_detail: Callable[[], pd.DataFrame] = field(repr=False)

    @cached_property
    def detail(self) -> pd.DataFrame:
        return self.make_detail()


def aging_report(invoices: pd.DataFrame, payments: pd.DataFrame | None = None,
                 policy: dict | None = None, *, as_of, basis: str | None = None,
                 buckets=None, by: str = "customer", credit_limits: pd.DataFrame | None = None,
                 dso_window: int | None = None, dso_method: str | None = None,
                 alert_months: int | None = None, schedule: pd.DataFrame | None = None,
                 fx_rates: pd.DataFrame | None = None) -> AgingResult:
    """Age the receivable at ``as_of`` and group it ``by`` customer,
    salesperson or branch. Options left None take the policy's value.

    ``credit_limits`` (customer_id, credit_limit) adds credit_limit,
    available_credit (= credit_limit − net_outstanding) and the flags
    ``over_limit`` / ``no_credit_limit``. ``schedule`` (invoice_no,
    due_date, amount or percent, stage) splits invoices into installments,
    as do the policy's ``terms`` named in a ``payment_terms`` column;
    ``fx_rates`` (currency, date, rate) values foreign-currency rows.
    """
    if policy is None:
        from cskit.policy import defaults

        policy = defaults("aging")
    basis = basis or policy["basis"]
    bounds = list(buckets or policy["buckets"])
    window = int(dso_window or policy["dso_window_days"])
    method = dso_method or policy["dso_method"]
    months = int(alert_months or policy["alert_months"])
    terms = int(policy["default_terms_days"])
    target = float(policy["dso_target_days"])
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {', '.join(GROUPINGS)}, got {by!r}")
    key = GROUPINGS[by]
    labels = bucket_labels(bounds, basis)
    as_of = pd.Timestamp(as_of).normalize()
    as_of_day = np.datetime64(as_of.date(), "D")

    rows = _rows(invoices, payments, terms, schedule=schedule, terms=policy.get("terms") or None,
                 fx_rates=fx_rates, base=policy.get("base_currency", "CNY"))
    ledger = _ledger(invoices, payments, as_of=as_of, default_terms_days=terms, rows=rows)
    items = ledger.items
    n = len(items)
    days_overdue = (as_of_day - ledger.due).astype("int64")
    age = days_overdue if basis == "due" else (as_of_day - ledger.invoice_day).astype("int64")
    bucket = bucket_index(age, bounds, basis)
    is_open = ledger.outstanding > 0

    # seed 004 第四条: 自发货起6个月未回款的客户为零 — six calendar months
    shipped = ledger.invoice_day
    if "ship_date" in items.columns:
        ship = _day(ledger.item_values("ship_date"))
        shipped = np.where(np.isnat(ship), shipped, ship)
    no_payment = unpaid_mask(is_open, ledger.cash, shipped, as_of_day, months,
                             policy["alert_rule"])
    # retention not yet due is not collectable yet (#17)
    retention_not_due = ledger.retention & (days_overdue <= 0) & is_open
    no_payment &= ~retention_not_due

    # customer-level credit position
    customer_net = (_sum_by(ledger.customer, ledger.outstanding, len(ledger.customers))
                    - ledger.leftover)
    limit_cents = over_limit = no_limit = None
    if credit_limits is not None:
        limits = credit_limits.dropna(subset=["customer_id"]).drop_duplicates("customer_id")
        limit_yuan = (limits.set_index("customer_id")["credit_limit"]
                      .reindex(ledger.customers["customer_id"]).to_numpy(dtype="float64",
                                                                         na_value=np.nan))
        has_limit = ~np.isnan(limit_yuan)
        limit_cents = to_cents(limit_yuan)
        over_limit = has_limit & (customer_net > limit_cents)
        # seed 004 第十五条: 未进行授信管理的客户,一律执行现款管理 — any balance is a breach
        no_limit = ~has_limit & (customer_net > 0)

    # summary rows
    item_codes, home_codes, group_labels = _group_codes(ledger, key)
    size = len(group_labels)
    open_codes = item_codes[is_open]
    outstanding = _sum_by(open_codes, ledger.outstanding[is_open], size)
    per_bucket = _sum_by(open_codes * len(labels) + bucket[is_open],
                         ledger.outstanding[is_open], size * len(labels)).reshape(size, len(labels))
    unapplied = -_sum_by(home_codes, ledger.leftover, size)
    open_count = np.bincount(item_codes[_first_open(ledger, is_open)], minlength=size)
    max_overdue = (pd.Series(np.maximum(days_overdue[is_open], 0))
                   .groupby(open_codes).max().reindex(range(size), fill_value=0)
                   .to_numpy(dtype="int64"))

    summary = pd.DataFrame(index=range(size))
    if key == "customer_id":
        summary["customer_id"] = ledger.customers["customer_id"].to_numpy()
        summary["customer_name"] = ledger.customers["customer_name"].to_numpy()
    else:
        summary[key] = group_labels.to_numpy()
    summary["open_invoices"] = open_count.astype("int64")
    summary["outstanding"] = to_yuan(outstanding)
    for i, label in enumerate(labels):
        summary[label] = to_yuan(per_bucket[:, i])
    if ledger.retention.any():
        summary["retention"] = to_yuan(_sum_by(item_codes[retention_not_due],
                                               ledger.outstanding[retention_not_due], size))
    if ledger.currency is not None:
        fx_diff = _sum_by(open_codes, (ledger.outstanding - ledger.booked_open)[is_open], size)
        summary["fx_difference"] = to_yuan(fx_diff)
    summary["unapplied_credit"] = to_yuan(unapplied)
    summary["net_outstanding"] = to_yuan(outstanding + unapplied)
    summary["max_days_overdue"] = max_overdue

    # the start ledger's home attributes only matter when grouping by them
    start = _start_ledger(invoices, payments, as_of=as_of, window_days=window,
                          default_terms_days=terms, home=key != "customer_id", rows=rows)
    dso = _dso(invoices, payments, ledger, as_of=as_of, window_days=window,
               method=method, by=key, default_terms_days=terms, start=start)
    summary["dso"] = dso["dso"].to_numpy()
    summary["best_dso"] = dso["best_dso"].to_numpy()
    summary["days_delinquent"] = dso["days_delinquent"].to_numpy()
    summary["avg_terms_days"] = dso["avg_terms_days"].to_numpy()

    flag_columns: list[tuple[str, np.ndarray]] = []
    item_over = item_none = None
    if credit_limits is not None:
        item_over = over_limit[ledger.customer]
        item_none = no_limit[ledger.customer]
        if key == "customer_id":
            summary["credit_limit"] = np.where(np.isnan(limit_yuan), np.nan, to_yuan(limit_cents))
            available = to_yuan(limit_cents - customer_net)
            summary["available_credit"] = np.where(np.isnan(limit_yuan), np.nan, available)
            flag_columns += [(FLAG_OVER_LIMIT, over_limit), (FLAG_NO_LIMIT, no_limit)]
        else:
            flag_columns += [(FLAG_OVER_LIMIT, _any_by(open_codes, item_over[is_open], size)),
                             (FLAG_NO_LIMIT, _any_by(open_codes, item_none[is_open], size))]
    flag_columns.append((FLAG_UNPAID, _any_by(item_codes, no_payment, size)))
    flag_columns.append((FLAG_DSO, summary["dso"].to_numpy() > target))
    summary["flags"] = _join_flags(flag_columns, size)

    shown = (outstanding != 0) | (unapplied != 0)
    summary = summary[shown]
    summary = summary.sort_values(summary.columns[0], kind="stable").reset_index(drop=True)

    # open items, sorted for collection work: salesperson, most overdue first
    def detail():
        return _detail(ledger, is_open, days_overdue, bucket, labels, no_payment,
                       item_over, item_none)

    whole = _dso(invoices, payments, ledger, as_of=as_of, window_days=window,
                 method=method, by=None, default_terms_days=terms, start=start).iloc[0]
    totals = {
        "invoices": n,
        "open_invoices": int(_first_open(ledger, is_open).sum()),
        "open_items": int(is_open.sum()),
        "retention": float(to_yuan(ledger.outstanding[retention_not_due].sum())),
        "fx_difference": float(to_yuan((ledger.outstanding - ledger.booked_open)[is_open].sum())),
        "booked_outstanding": float(to_yuan(ledger.booked_open[is_open].sum())),
        "foreign": ledger.currency is not None,
        "outstanding": float(to_yuan(outstanding.sum())),
        "unapplied_credit": float(to_yuan(unapplied.sum())),
        "net_outstanding": float(to_yuan(outstanding.sum() + unapplied.sum())),
        "invoiced_total": float(to_yuan(ledger.amounts)),
        "paid_amount_total": float(to_yuan(ledger.paid)),
        "payments_total": float(to_yuan(ledger.payments)),
        "dso": float(whole["dso"]),
        "best_dso": float(whole["best_dso"]),
        "days_delinquent": float(whole["days_delinquent"]),
        "avg_terms_days": float(whole["avg_terms_days"]),
        "dso_over_target": bool(whole["dso"] > target),
        "unpaid_invoices": int(no_payment.sum()),
        # the seed's measure: customers with at least one such invoice (goal 0)
        "unpaid_customers": int(_any_by(ledger.customer, no_payment,
                                        len(ledger.customers)).sum()),
        "over_limit_customers": int(over_limit.sum()) if over_limit is not None else 0,
        "buckets": {label: float(to_yuan(per_bucket[:, i].sum()))
                    for i, label in enumerate(labels)},
    }
    if ledger.currency is not None:
        totals["by_currency"] = _by_currency(ledger)
    return AgingResult(summary=summary, buckets=labels, totals=totals, make_detail=detail)


def _by_currency(ledger) -> dict:
    """Per currency, in cents: open items in the currency itself (``open``)
    and the unapplied credit per customer pool, in the currency (``pools``)
    and in the base currency (``pools_local``): what the reconciliation in
    each currency needs (cskit.reconcile)."""
    out = {}
    pool_currency = ledger.extra["pool_currency"]
    for code in pd.unique(np.r_[ledger.currency, pool_currency]):
        items = ledger.currency == code
        pools = (pool_currency == code) & (ledger.extra["pool_leftover"] != 0)
        out[str(code)] = {"open": int(ledger.open_original[items].sum()),
                          "pools": ledger.extra["pool_leftover"][pools],
                          "pools_local": ledger.extra["pool_leftover_local"][pools]}
    return out


def with_totals(summary: pd.DataFrame, totals: dict, label: str = "Total") -> pd.DataFrame:
    """The summary with a last row adding up every money column (to the
    cent), the open invoice count, the longest overdue and the whole
    report's DSO; the first column holds ``label``."""
    row: dict = {summary.columns[0]: label}
    money = [c for c in summary.columns
             if c in ("outstanding", "unapplied_credit", "net_outstanding", "credit_limit",
                      "retention", "fx_difference",
                      "available_credit") or c in totals.get("buckets", {})]
    for column in money:
        values = summary[column]
        row[column] = np.nan if values.isna().all() else float(to_yuan(to_cents(values).sum()))
    if "open_invoices" in summary.columns:
        row["open_invoices"] = int(summary["open_invoices"].sum())
    if "max_days_overdue" in summary.columns:
        row["max_days_overdue"] = int(summary["max_days_overdue"].max()) if len(summary) else 0
    for column in ("dso", "best_dso", "days_delinquent", "avg_terms_days"):
        if column in summary.columns:
            row[column] = totals.get(column, np.nan)
    if "flags" in summary.columns:
        row["flags"] = FLAG_DSO if totals.get("dso_over_target") else ""
    total = pd.DataFrame([row]).reindex(columns=summary.columns)
    return pd.concat([summary, total], ignore_index=True)


def _first_open(ledger, is_open: np.ndarray) -> np.ndarray:
    """One mark per open invoice (its first open installment) and per open
    refund: what ``open_invoices`` counts."""
    if not ledger.split:
        return is_open
    parent = np.where(ledger.parent >= 0, ledger.parent, -1 - np.arange(len(ledger.parent)))
    rows = np.flatnonzero(is_open)
    _, first = np.unique(parent[rows], return_index=True)
    mark = np.zeros(len(is_open), dtype=bool)
    mark[rows[first]] = True
    return mark

