"""Money exact to the cent: sums are done in integer cents (SPEC §1.2).

Amounts arrive from the I/O layer as float yuan rounded to the cent; a
domain that adds, allocates or compares amounts converts them with
``to_cents``, works on int64, and hands yuan back with ``to_yuan``. Integer
sums never drift, so every total equals the sum of its parts.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from cskit.errors import CskitError
from cskit.i18n import Text

EXACT_CENTS = 2 ** 53  # float64 holds every whole number of cents below this


class MoneyRangeError(CskitError):
    """An amount or a total too large to be worked exactly to the cent."""

    exit_code = 1


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
    with np.errstate(all="ignore"):  # checked below: never a warning, never a wrong cast
        cents = np.sign(values) * np.floor(np.abs(values) * 100 + 0.5)
        if cents.size and not (np.abs(cents) < EXACT_CENTS).all():
            raise MoneyRangeError(Text(
                "an amount or a total of {value} yuan is too large to be worked exactly to "
                "the cent (the limit is {limit:,} yuan); check the amounts of the input",
                "金额或合计 {value} 元过大，无法精确到分计算（上限为 {limit:,} 元）；请检查输入中的金额",
                value=_largest(values), limit=EXACT_CENTS // 100))
        return cents.astype("int64")


def _largest(values: np.ndarray) -> str:
    finite = values[np.isfinite(values)]
    if len(finite) < len(values):
        return "inf"
    return f"{float(np.abs(finite).max()):,.0f}"
