"""Placing money on open items: each pool's money to its items oldest due
date first (FIFO, only the pools with money sorted), and each customer's
home attributes from its latest invoice. Pure numpy on the ledger's arrays.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from cskit.aging.common import _stable_order


def _grouped_fifo(group: np.ndarray, capacity: np.ndarray, pool: np.ndarray) -> np.ndarray:
    """Rows sorted by group: each group's ``pool`` (per group code) fills its
    rows' ``capacity`` in order. Returns what each row gets."""
    n = len(group)
    if not n:
        return np.zeros(0, dtype="int64")
    running = np.cumsum(capacity)
    starts = np.r_[0, np.flatnonzero(np.diff(group)) + 1]
    base_at_start = running[starts] - capacity[starts]
    before = running - capacity - np.repeat(base_at_start, np.diff(np.r_[starts, n]))
    return np.clip(pool[group] - before, 0, capacity)


def _fifo(item_pool: np.ndarray, item_due: np.ndarray, item_day: np.ndarray,
          item_remaining: np.ndarray, pool: np.ndarray, credit_pool: np.ndarray):
    """Each pool's money to its items oldest due date first (then invoice
    date, then file order), credit notes before cash: (applied per item,
    of which credit notes). Only the items of pools with money are sorted."""
    m = len(item_pool)
    credit_first = np.clip(credit_pool, 0, np.maximum(pool, 0))
    placing = np.flatnonzero(pool[item_pool] > 0)
    if len(placing) == m:
        order = _stable_order(item_pool, item_due, item_day)
    else:
        order = placing[_stable_order(item_pool[placing], item_due[placing], item_day[placing])]
    pool_sorted = item_pool[order]
    rem_sorted = item_remaining[order]
    fifo = np.zeros(m, dtype="int64")
    fifo[order] = _grouped_fifo(pool_sorted, rem_sorted, pool)
    fifo_credit = np.zeros(m, dtype="int64")
    if credit_first.any():
        fifo_credit[order] = _grouped_fifo(pool_sorted, rem_sorted, credit_first)
    return fifo, fifo_credit


def _latest(columns: dict[str, pd.Series], customer: np.ndarray,
            invoice_day: np.ndarray, n_customers: int) -> dict[str, pd.Series]:
    """Each customer's home attributes: the value of its latest invoice (the
    greatest invoice date, then file order) among its non-blank cells; a
    Series per attribute (``columns``: attribute → its cell per invoice)
    indexed by customer code."""
    n = len(invoice_day)
    day = invoice_day.astype("int64")
    latest_key = (day - day.min()) * n + np.arange(n)
    out = {}
    for column, values in columns.items():
        filled = values.notna().to_numpy()
        best = np.full(n_customers, -1, dtype="int64")
        np.maximum.at(best, customer[filled], latest_key[filled])
        found = np.flatnonzero(best >= 0)
        latest = pd.Series(values.take(best[found] % n).array, index=found)
        out[column] = latest.reindex(pd.RangeIndex(n_customers))
    return out
