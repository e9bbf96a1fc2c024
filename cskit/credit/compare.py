"""Last quarter's grades and limits against this run's (score-credit --previous)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from cskit.credit.items import CHANGES
from cskit.credit.reasons import join_clauses, text_series
from cskit.money import to_cents


def compare_previous(scored: pd.DataFrame, previous: pd.DataFrame, policy: dict,
                     lang: str = "en") -> pd.DataFrame:
    """Add previous_grade, previous_limit and change; customers of ``previous``
    that are no longer scored come back as rows with change = dropped.

    A change compares the grade (unrated counts below the lowest grade) and,
    for the same grade, the credit limit.
    """
    zh = lang == "zh"
    prev = previous.drop_duplicates("customer_id", keep="last").reset_index(drop=True)
    out = scored.reset_index(drop=True)
    position = positions(out["customer_id"], prev["customer_id"])
    found = position >= 0
    take = np.where(found, position, 0)
    was_grade = prev["grade"].astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
    was_limit = prev["credit_limit"].astype("float64").to_numpy()
    out["previous_grade"] = pd.array(np.where(found, was_grade[take] if len(prev) else np.nan,
                                              np.nan), dtype="Int64")
    out["previous_limit"] = np.where(found, was_limit[take] if len(prev) else np.nan, np.nan)
    worst = len(policy["grades"]["labels"]) + 1
    now_rank = out["grade"].astype("Float64").fillna(worst).to_numpy(dtype="float64")
    was_rank = out["previous_grade"].astype("Float64").fillna(worst).to_numpy(dtype="float64")
    now_cents = to_cents(out["credit_limit"].to_numpy(dtype="float64"))
    was_cents = to_cents(out["previous_limit"].to_numpy(dtype="float64"))
    better = (now_rank < was_rank) | ((now_rank == was_rank) & (now_cents > was_cents))
    worse = (now_rank > was_rank) | ((now_rank == was_rank) & (now_cents < was_cents))
    change = np.where(~found, 3, np.where(better, 0, np.where(worse, 1, 2)))
    out["change"] = text_series(join_clauses([(change, lambda c: CHANGES[c])], ""), out.index)

    gone = prev[positions(prev["customer_id"], out["customer_id"]) < 0]
    if len(gone):
        dropped = pd.DataFrame({
            "customer_id": gone["customer_id"].astype("str"),
            "customer_name": (gone["customer_name"].astype("str")
                              if "customer_name" in gone.columns else np.nan),
            "credit_limit": 0.0,
            "reasons": ("本期客户名单中已无此客户,不再授信" if zh
                        else "no longer in the customer file: no credit"),
            "policy_id": policy.get("policy_id", ""),
            "previous_grade": gone["grade"].astype("Int64"),
            "previous_limit": gone["credit_limit"].astype("float64"),
            "change": "dropped",
        })
        dropped["customer_name"] = dropped["customer_name"].astype("str")
        out = pd.concat([out, dropped.reset_index(drop=True)], ignore_index=True)
    return out


def positions(keys: pd.Series, values: pd.Series) -> np.ndarray:
    """Position of each key in ``values`` (-1 when absent), hashed in Arrow."""
    import pyarrow as pa
    import pyarrow.compute as pc

    def arrow(series: pd.Series):
        return pa.array(series.astype("str").to_numpy(dtype=object, na_value=None),
                        type=pa.string()) if series.dtype == object else \
            pa.array(series.astype("str").array, type=pa.string())

    found = pc.index_in(arrow(keys), value_set=arrow(values))
    return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
