"""Point helpers of the scorecard: months of trading, amount tiers and
category answers (seed 004 第七条(3), 注 a–c)."""
from __future__ import annotations

import numpy as np
import pandas as pd


def whole_months(dates: pd.Series, as_of: pd.Timestamp) -> np.ndarray:
    """Calendar months of trading from each date to as_of, counting both the
    month of the first trade and the as-of month (NaN for blank dates).

    第七条 注 a–c count months of trading: a first trade on 2026-02-01 or on
    2026-02-28 with as-of 2026-10-31 is 9 months (Feb … Oct), on 2026-08-01
    is 3. A first trade in the as-of month is 1; one after as-of is 0 or
    less (not trading yet; the caller takes it as 0).
    """
    dates = pd.to_datetime(dates)
    return ((as_of.year - dates.dt.year) * 12 + (as_of.month - dates.dt.month) + 1).to_numpy(
        dtype="float64", na_value=np.nan)


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


def years_floors(table: dict) -> list[float]:
    """The floors of the years-established tiers as ``tier_points`` reads
    them ("≥ floor"): with ``top_more_than`` the top tier is 超过 (more than)
    its floor, so exactly 5 years is 3~5年 and 5.01 is 超过5年."""
    floors = [float(f) for f in table["floors"]]
    if floors and table.get("top_more_than", False):
        floors[0] = float(np.nextafter(floors[0], np.inf))
    return floors
