"""Point helpers of the scorecard: months of trading, amount tiers and
category answers (seed 004 第七条(3), 注 a–c)."""
from __future__ import annotations

import numpy as np
import pandas as pd


def whole_months(dates: pd.Series, as_of: pd.Timestamp) -> np.ndarray:
    """Completed months from each date to as_of (NaN for blank dates).

    2026-08-15 → 2026-10-31 is 2; 2026-07-31 → 2026-09-30 is 2 as well
    (as_of is the last day of its month, so the month is complete).
    """
    dates = pd.to_datetime(dates)
    months = ((as_of.year - dates.dt.year) * 12 + (as_of.month - dates.dt.month)).to_numpy(
        dtype="float64", na_value=np.nan)
    month_end = as_of.is_month_end
    short = (dates.dt.day > as_of.day).to_numpy(dtype=bool, na_value=False) & (not month_end)
    return months - short


def tier_points(values: np.ndarray, floors, points, below) -> tuple[np.ndarray, np.ndarray]:
    """Points of the first tier (top first) whose floor a value reaches.

    Returns (points, code): code 0 = blank (NaN, 0 points), i + 1 = tier i
    (0 = top), len(floors) + 1 = below the lowest floor.
    """
    values = np.asarray(values, dtype="float64")
    ascending = np.asarray(floors[::-1], dtype="float64")
    points_ascending = np.asarray(points[::-1], dtype="float64")
    reached = np.searchsorted(ascending, np.nan_to_num(values, nan=-np.inf), side="right")
    blank = np.isnan(values)
    out = np.where(reached > 0, points_ascending[np.maximum(reached - 1, 0)], float(below))
    code = np.where(reached > 0, len(floors) - reached + 1, len(floors) + 1)
    return np.where(blank, 0.0, out), np.where(blank, 0, code)


def answer_points(values: np.ndarray, answers: dict, points: dict,
                  blank_points: float = 0) -> tuple[np.ndarray, np.ndarray, int]:
    """Points of a category answer given as the seed's number.

    Returns (points, code, radix): code 0 = blank or unknown, i + 1 = the
    i-th answer of ``answers``.
    """
    out = np.full(len(values), float(blank_points))
    code = np.zeros(len(values), dtype=np.int64)
    for i, (number, label) in enumerate(answers.items()):
        hit = values == number
        out = np.where(hit, points[label], out)
        code = np.where(hit, i + 1, code)
    return out, code, len(answers) + 1
