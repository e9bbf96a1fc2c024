"""What the customer owes against its limit (score-credit --exposure), the
output's column order and the run summary."""
from __future__ import annotations

import numpy as np
import pandas as pd

from cskit.credit.compare import positions
from cskit.credit.items import EXPOSURE, OUTPUT, PREVIOUS, UNRATED_LABELS
from cskit.i18n import Join, Text
from cskit.money import to_cents, to_yuan


def add_exposure(scored: pd.DataFrame, exposure: pd.DataFrame, policy: dict | None = None,
                 lang: str = "en") -> pd.DataFrame:
    """Add what each customer owes against its limit and term, and whether
    its orders are held (第十一条, 第十二条: 超过授信额度或授信时间的业务不予审批放行).

    ``exposure`` has customer_id and outstanding, one row per customer
    (aging-report's summary) or one per open invoice (its --detail table);
    amounts are summed per customer. Its days overdue (``max_days_overdue``
    or ``days_overdue``, the largest per customer) check the credit term:
    more than the policy's ``terms.grace_days`` is ``over_term``.

    Adds outstanding, available_credit (limit − outstanding, negative when
    over), max_days_overdue (when the file has days overdue), hold and
    hold_reason (over_limit, over_term or over_limit;over_term). A customer
    over its term has its limit approved by the general manager whatever
    the amount (第十条(5) 超过公司责任制规定授信期限的客户由总经理审批); the
    reasons say so and end with the chain again.
    """
    from cskit.credit.reasons import append_clause, chain_texts
    from cskit.labels import HOLD_REASONS_ZH

    zh = lang == "zh"
    grace = (policy or {}).get("terms", {}).get("grace_days", 0)
    cents = pd.Series(to_cents(exposure["outstanding"].to_numpy(dtype="float64")),
                      index=exposure.index)
    by_customer = cents.groupby(exposure["customer_id"].to_numpy(), sort=False)
    owed = by_customer.sum()
    days_column = next((c for c in ("max_days_overdue", "days_overdue")
                        if c in exposure.columns), None)
    out = scored.copy()
    position = positions(out["customer_id"], owed.index.to_series())
    found = position >= 0
    take = np.maximum(position, 0)
    outstanding = np.where(found, owed.to_numpy()[take] if len(owed) else 0, 0)
    limit = to_cents(out["credit_limit"].to_numpy(dtype="float64"))
    over_limit = outstanding > limit
    out["outstanding"] = to_yuan(outstanding)
    out["available_credit"] = to_yuan(limit - outstanding)
    over_term = np.zeros(len(out), dtype=bool)
    if days_column is not None:
        days = pd.to_numeric(exposure[days_column], errors="coerce")
        most = days.groupby(exposure["customer_id"].to_numpy(), sort=False).max()
        most = most.reindex(owed.index).to_numpy(dtype="float64")
        overdue = np.where(found, most[take] if len(most) else np.nan, np.nan)
        overdue = np.where(np.isnan(overdue), 0, np.maximum(overdue, 0))
        over_term = overdue > grace
        out["max_days_overdue"] = pd.array(overdue.astype(np.int64), dtype="Int64")
    out["hold"] = pd.array(over_limit | over_term, dtype="boolean")
    code = over_limit * 1 + over_term * 2
    out["hold_reason"] = pd.Series(np.array([None, "over_limit", "over_term",
                                             "over_limit;over_term"], dtype=object)[code],
                                   index=out.index, dtype="str")

    # the reasons: the hold, then the chain with the approver it leads to
    held = code > 0
    if not held.any():
        return out
    scored_row = out["status"].notna().to_numpy() if "status" in out.columns else held
    out.loc[over_term & scored_row, "approver"] = "general_manager"
    separator = "；" if zh else "; "
    rows = out.index[held]
    clauses = _hold_clauses(out.loc[rows], over_limit[held], over_term[held], grace, zh,
                            HOLD_REASONS_ZH)
    reasons = out.loc[rows, "reasons"].astype("str")
    with_chain = scored_row[held]
    # the chain is the last clause of a scored row: cut it, add the hold, then the new chain
    before_chain = reasons.str.rpartition(separator)[0].where(with_chain, reasons)
    before_chain = before_chain.where(before_chain != "", np.nan).astype("str")
    text = append_clause(before_chain, clauses, separator)
    if with_chain.any():
        chained = rows[with_chain]
        text.loc[chained] = append_clause(text.loc[chained],
                                          chain_texts(out.loc[chained], policy, zh), separator)
    out.loc[rows, "reasons"] = text
    return out


def _hold_clauses(rows: pd.DataFrame, over_limit, over_term, grace, zh: bool,
                  names: dict) -> pd.Series:
    """The hold clause of each held row, by string operations on the columns
    (the amounts are in outstanding and available_credit)."""
    index = rows.index
    limit_text = (f"{names['over_limit']}:应收余额高于赊欠限额" if zh
                  else "over limit: outstanding above the limit")
    parts = pd.Series(np.where(over_limit, limit_text, ""), index=index, dtype="str")
    if over_term.any():
        days = rows["max_days_overdue"].astype("str")
        term = ((f"{names['over_term']}:最长逾期" + days + f"天(宽限{grace}天),授信须总经理审批")
                if zh else ("over term: " + days + f" days overdue (grace {grace} days), "
                            "limit approved by the general manager"))
        joiner = "，" if zh else "; "
        both = pd.Series(over_limit & over_term, index=index)
        parts = parts.where(~pd.Series(over_term, index=index),
                            parts.where(~both, parts + joiner) + term)
    return parts + (",暂停发货" if zh else ": orders on hold")


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
