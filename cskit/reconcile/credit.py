"""score-credit --exposure's identities."""
from __future__ import annotations

import numpy as np
import pandas as pd

from cskit.i18n import Text
from cskit.money import to_cents
from cskit.reconcile.common import _cents, _fail, _yuan


def exposure(result: pd.DataFrame, owed: pd.DataFrame) -> None:
    """score-credit --exposure's identities (module doc)."""
    if "outstanding" not in result.columns:
        return
    from cskit.credit.compare import positions

    # the customers scored, matched by hashing in Arrow (a set and isin: 4 s at 1M)
    mine = owed[positions(owed["customer_id"], result["customer_id"].dropna()) >= 0]
    expected = _cents(mine["outstanding"].to_numpy(dtype="float64", na_value=np.nan))
    # a customer listed twice in the result (e.g. dropped and re-added) is counted once
    once = result.drop_duplicates("customer_id")
    got = _cents(once["outstanding"].to_numpy(dtype="float64", na_value=np.nan))
    broken: list[Text] = []
    if got != expected:
        broken.append(Text("the exposure file's outstanding for the customers scored adds up "
                           "to {expected}, the report's to {got}",
                           "风险敞口文件中已评分客户的应收余额合计为 {expected}，报表合计为 {got}",
                           expected=_yuan(expected), got=_yuan(got)))
    if "available_credit" in result.columns and "credit_limit" in result.columns:
        limit = to_cents(result["credit_limit"].to_numpy(dtype="float64", na_value=np.nan))
        owes = to_cents(result["outstanding"].to_numpy(dtype="float64", na_value=np.nan))
        available = to_cents(result["available_credit"].to_numpy(dtype="float64", na_value=np.nan))
        known = ~np.isnan(result["available_credit"].to_numpy(dtype="float64", na_value=np.nan))
        rows = np.flatnonzero(known & (available != limit - owes))
        if len(rows):
            broken.append(Text("{count} row(s) where available credit is not the limit minus "
                               "the outstanding (first: row {row})",
                               "有 {count} 行的可用额度不等于额度减应收余额（第一处：第 {row} 行）",
                               count=len(rows), row=int(rows[0]) + 1))
    if broken:
        _fail("score-credit", broken)
