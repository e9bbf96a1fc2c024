"""Aging buckets: bounds, labels and the bucket of each age."""
from __future__ import annotations

import numpy as np

from cskit.i18n import Text

BASES = ("due", "invoice")


def bucket_problems(bounds) -> list[Text]:
    if not isinstance(bounds, (list, tuple)) or not bounds:
        return [Text("expected at least one number of days, like [30, 60, 90, 180]",
                     "应至少填一个天数，如 [30, 60, 90, 180]")]
    if not all(isinstance(b, int) and not isinstance(b, bool) and b > 0 for b in bounds):
        return [Text("expected whole numbers of days above 0, got {bounds}",
                     "天数应为大于 0 的整数，实际是 {bounds}", bounds=_shown(bounds))]
    if any(b >= c for b, c in zip(bounds, bounds[1:])):
        return [Text("the days must go from smallest to largest, like 30, 60, 90, 180; "
                     "got {bounds}",
                     "天数须从小到大排列，如 30, 60, 90, 180；实际是 {bounds}",
                     bounds=_shown(bounds))]
    return []


def _shown(bounds) -> str:
    return ", ".join(str(b) for b in bounds)


def parse_buckets(text: str) -> list[int]:
    """``"30,60,90,180"`` → [30, 60, 90, 180]; ValueError saying what is
    wrong (its argument a ``Text``)."""
    try:
        bounds = [int(part) for part in str(text).replace("，", ",").split(",") if part.strip()]
    except ValueError:
        bounds = None
    if not bounds:
        raise ValueError(Text("expected whole numbers of days separated by commas, like "
                              "30,60,90,180; got {text!r}",
                              "应为用逗号分隔的整数天数，如 30,60,90,180；实际是“{text}”",
                              text=text)) from None
    problems = bucket_problems(bounds)
    if problems:
        raise ValueError(problems[0])
    return bounds


def bucket_labels(bounds, basis: str = "due") -> list[str]:
    """Column labels: due basis ``not_due, 1-30, …, 181+``; invoice basis
    ``0-30, 31-60, …, 181+``. Upper bounds are inclusive."""
    lows = [1] + [b + 1 for b in bounds[:-1]]
    if basis == "invoice":
        lows[0] = 0
    labels = [f"{low}-{high}" for low, high in zip(lows, bounds)] + [f"{bounds[-1] + 1}+"]
    return (["not_due"] if basis == "due" else []) + labels


def bucket_index(days: np.ndarray, bounds, basis: str = "due") -> np.ndarray:
    """Position of each age in ``bucket_labels(bounds, basis)``."""
    position = np.searchsorted(np.asarray(bounds, dtype="int64"), days, side="left")
    if basis == "due":
        return np.where(days <= 0, 0, position + 1)
    return position
