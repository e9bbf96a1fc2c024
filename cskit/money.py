"""Money exact to the cent: sums are done in integer cents (SPEC §1.2).

Amounts arrive from the I/O layer as float yuan rounded to the cent; a
domain that adds, allocates or compares amounts converts them with
``to_cents``, works on int64, and hands yuan back with ``to_yuan``. Integer
sums never drift, so every total equals the sum of its parts.
"""
from __future__ import annotations

import numpy as np
import pandas as pd


def to_cents(amounts) -> pd.Series | np.ndarray:
    """Yuan (float, NaN = 0) → int64 cents, rounding half away from zero."""
    if isinstance(amounts, pd.Series):
        values = amounts.astype("float64").fillna(0.0).to_numpy()
        return pd.Series(_round(values), index=amounts.index, name=amounts.name)
    values = np.nan_to_num(np.asarray(amounts, dtype="float64"))
    return _round(values)


def to_yuan(cents) -> pd.Series | np.ndarray:
    """int64 cents → float yuan, exact to two decimals."""
    if isinstance(cents, pd.Series):
        return (cents.astype("int64") / 100).round(2)
    return np.round(np.asarray(cents, dtype="int64") / 100, 2)


def _round(values: np.ndarray) -> np.ndarray:
    return (np.sign(values) * np.floor(np.abs(values) * 100 + 0.5)).astype("int64")
