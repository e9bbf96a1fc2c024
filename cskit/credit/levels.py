"""Level by score and the grade table of each customer (seed 004 第七条(4),
第八条(4))."""
from __future__ import annotations

import numpy as np
import pandas as pd


def level_for_score(score, floors) -> np.ndarray:
    """Level 1 (best) .. len(floors) + 1 by score bands (第七条(4)): a score
    equal to a floor is in that floor's level."""
    ascending = np.asarray(floors[::-1], dtype="float64")
    reached = np.searchsorted(ascending, np.asarray(score, dtype="float64"), side="right")
    return (len(floors) + 1 - reached).astype(np.int64)


def grade_tables(customers: pd.DataFrame, stricter: str) -> tuple[np.ndarray, np.ndarray]:
    """Which grade table (A or B) each customer is graded on (第八条(4)).

    Code: 0 A or B as given, 1 mixed → primary business, 2 mixed without a
    primary business → the stricter table, 3 no business type → stricter.
    """
    n = len(customers)

    def is_value(column: str, value: str) -> np.ndarray:
        if column not in customers.columns:
            return np.zeros(n, dtype=bool)
        return customers[column].eq(value).to_numpy(dtype=bool, na_value=False)

    given_a, given_b = is_value("business_type", "A"), is_value("business_type", "B")
    mixed = is_value("business_type", "mixed")
    primary_a, primary_b = is_value("primary_business", "A"), is_value("primary_business", "B")
    use_a = given_a | (mixed & primary_a) | (~given_b & ~(mixed & primary_b) & ~given_a
                                            & ~(mixed & primary_a) & (stricter == "A"))
    table = np.where(use_a, "A", "B")
    code = np.where(given_a | given_b, 0,
                    np.where(mixed, np.where(primary_a | primary_b, 1, 2), 3))
    return table, code
