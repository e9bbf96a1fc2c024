"""Flags: per-row masks joined into a flags column."""
from __future__ import annotations

import numpy as np


def months_after(days: np.ndarray, months: int) -> np.ndarray:
    """The same day ``months`` calendar months later (datetime64[D]); a day
    the later month does not have becomes its last day (08-31 + 6 → 02-28).
    NaT stays NaT."""
    days = np.asarray(days, dtype="datetime64[D]")
    valid = ~np.isnat(days)
    if days.ndim == 1 and len(days) > 4096 and valid.any():
        # a ledger's dates span a few years: each day of the span worked out
        # once, then looked up (a million rows: 15× faster than the calendar
        # arithmetic on every row)
        number = days.view("int64")
        low, high = number[valid].min(), number[valid].max()
        if high - low < len(days):
            span = _months_after(np.arange(low, high + 1).astype("datetime64[D]"), months)
            out = np.full(len(days), np.datetime64("NaT"), dtype="datetime64[D]")
            out[valid] = span[number[valid] - low]
            return out
    return _months_after(days, months)


def _months_after(days: np.ndarray, months: int) -> np.ndarray:
    month = days.astype("datetime64[M]")
    offset = days - month.astype("datetime64[D]")  # day of month − 1
    later = month + np.timedelta64(int(months), "M")
    first = later.astype("datetime64[D]")
    length = (later + np.timedelta64(1, "M")).astype("datetime64[D]") - first
    return first + np.minimum(offset, length - np.timedelta64(1, "D"))


def unpaid_mask(is_open: np.ndarray, cash: np.ndarray, shipped: np.ndarray, as_of_day,
                months: int, rule: str) -> np.ndarray:
    """seed 004 第四条 (自发货起6个月未回款的客户为零): an item still open
    ``months`` calendar months after shipment. ``any_open``: any open
    amount counts, even after a part payment; ``nothing_received``: only
    items that received no money at all (credit notes are not money)."""
    flagged = is_open & (months_after(shipped, months) <= as_of_day)
    if rule == "nothing_received":
        flagged &= cash <= 0
    return flagged


def _any_by(codes: np.ndarray, mask: np.ndarray, size: int) -> np.ndarray:
    return np.bincount(codes[mask], minlength=size) > 0


def _join_flags(flag_columns, size: int) -> np.ndarray:
    """``"a;b"`` per row from (name, mask) pairs, as objects."""
    pattern, texts = _flag_patterns(flag_columns, size)
    return np.asarray(texts, dtype="object")[pattern]


def _flag_patterns(flag_columns, size: int):
    """Each row's set of flags as a bit pattern, and the text of every
    pattern: the few patterns are joined once, not per row."""
    pattern = np.zeros(size, dtype="int64")
    for bit, (_, mask) in enumerate(flag_columns):
        pattern |= np.asarray(mask, dtype=bool).astype("int64") << bit
    names = [name for name, _ in flag_columns]
    texts = [";".join(name for bit, name in enumerate(names) if k >> bit & 1)
             for k in range(1 << len(names))]
    return pattern, texts
