"""What the customer owes against its limit (score-credit --exposure), the
output's column order and the run summary."""
from __future__ import annotations

import numpy as np
import pandas as pd

from cskit.credit.compare import positions
from cskit.credit.items import EXPOSURE, OUTPUT, PREVIOUS, UNRATED_LABELS
from cskit.i18n import Join, Text
from cskit.money import to_cents, to_yuan


def add_exposure(scored: pd.DataFrame, exposure: pd.DataFrame) -> pd.DataFrame:
    """Add outstanding, available_credit (limit − outstanding, negative when
    over) and hold (outstanding above the limit: orders to be held, 第十二条)."""
    owed = exposure.groupby("customer_id", sort=False)["outstanding"].sum()
    owed_cents = to_cents(owed.to_numpy(dtype="float64"))
    out = scored.copy()
    position = positions(out["customer_id"], owed.index.to_series())
    outstanding = np.where(position >= 0, owed_cents[np.maximum(position, 0)]
                           if len(owed) else 0, 0)
    limit = to_cents(out["credit_limit"].to_numpy(dtype="float64"))
    out["outstanding"] = to_yuan(outstanding)
    out["available_credit"] = to_yuan(limit - outstanding)
    out["hold"] = pd.array(outstanding > limit, dtype="boolean")
    return out


def order_columns(result: pd.DataFrame) -> pd.DataFrame:
    """Score columns, then --previous and --exposure columns, then the rest."""
    first = [c for c in OUTPUT + PREVIOUS + EXPOSURE if c in result.columns]
    return result[first + [c for c in result.columns if c not in first]]


def book_summary(result: pd.DataFrame, policy: dict) -> list[Text]:
    """stderr lines: customers per grade and status, changes, total limits."""
    labels = policy["grades"]["labels"]
    current = result[result.get("change", pd.Series("", index=result.index)) != "dropped"]
    counts = current["grade"].value_counts()
    parts = [Text("{label} {count}", "{label} {count} 个", label=label,
                  count=int(counts.get(i + 1, 0)))
             for i, label in enumerate(labels)]
    status_counts = current["status"].value_counts()
    for status in ("unrated_new", "cash_only"):
        if status_counts.get(status, 0):
            parts.append(Text("{status} {count}", "{label} {count} 个", status=status,
                              label=UNRATED_LABELS[status], count=int(status_counts[status])))
    lines = [Text("customers per grade: {parts} ({count} customers)",
                  "各信用等级客户数：{parts}（共 {count} 个客户）",
                  parts=Join((", ", "，"), parts), count=len(current))]
    total = int(to_cents(result["credit_limit"]).sum())
    if "change" in result.columns:
        changes = result["change"].value_counts()
        lines.append(Text("changes: {upgraded} upgraded, {downgraded} downgraded, "
                          "{unchanged} unchanged, {new} new, {dropped} dropped",
                          "与上期相比：升级 {upgraded} 个，降级 {downgraded} 个，不变 {unchanged} 个，"
                          "新增 {new} 个，移出 {dropped} 个",
                          upgraded=int(changes.get("upgraded", 0)),
                          downgraded=int(changes.get("downgraded", 0)),
                          unchanged=int(changes.get("unchanged", 0)),
                          new=int(changes.get("new", 0)), dropped=int(changes.get("dropped", 0))))
        was = int(to_cents(result["previous_limit"]).sum())
        lines.append(Text("total credit limit: {total} (previous {previous}, change {change})",
                          "信用额度合计：{total}（上期 {previous}，变动 {change}）",
                          total=f"{total / 100:,.2f}", previous=f"{was / 100:,.2f}",
                          change=f"{(total - was) / 100:+,.2f}"))
    else:
        lines.append(Text("total credit limit: {total}", "信用额度合计：{total}",
                          total=f"{total / 100:,.2f}"))
    return lines
