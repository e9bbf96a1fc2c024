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
    from cskit.credit.reasons import (CHAIN_COLUMNS, CHUNK_ROWS, chain_texts, join_clauses,
                                      text_series)
    from cskit.labels import HOLD_REASONS_ZH

    zh = lang == "zh"
    grace = (policy or {}).get("terms", {}).get("grace_days", 0)
    cents = pd.Series(to_cents(exposure["outstanding"].to_numpy(dtype="float64")),
                      index=exposure.index)
    by_customer = cents.groupby(exposure["customer_id"].to_numpy(), sort=False)
    owed = by_customer.sum()
    days_column = next((c for c in ("max_days_overdue", "days_overdue")
                        if c in exposure.columns), None)
    out = scored.copy(deep=False)  # new columns only: the scored table is not changed
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
    out["hold_reason"] = text_series(join_clauses([(code, lambda c: HOLD_REASONS[c])], ""),
                                     out.index)

    # the reasons: the hold, then the chain with the approver it leads to
    held = code > 0
    if not held.any():
        return out
    scored_row = out["status"].notna().to_numpy() if "status" in out.columns else held
    approve = over_term & scored_row
    if "approver" in out.columns:
        out["approver"] = out["approver"].mask(approve, "general_manager")
    else:  # a table without approvers gets the column
        out["approver"] = pd.Series(np.where(approve, "general_manager", None), index=out.index,
                                    dtype="str")
    separator = "；" if zh else "; "
    # one code per hold clause: over limit, over term, and the days overdue
    most_days = out["max_days_overdue"].to_numpy(dtype=np.int64, na_value=0) \
        if over_term.any() else np.zeros(len(out), dtype=np.int64)
    hold_code = np.where(held, code + 4 * np.where(over_term, most_days, 0), 0)
    hold = join_clauses([(hold_code, lambda c: _hold_clause(c, grace, zh, HOLD_REASONS_ZH))],
                        "")
    chained = held & scored_row
    chain_code = np.zeros(len(out), dtype=np.int64)
    chains: list[str] = []
    if chained.any():
        codes, chains = chain_texts(out[list(CHAIN_COLUMNS)].iloc[np.flatnonzero(chained)],
                                    zh)
        chain_code[chained] = codes + 1
    chain = join_clauses([(chain_code, lambda c: chains[c - 1] if c else "")], "")
    out["reasons"] = text_series(_with_hold(out["reasons"], held, scored_row, hold, chain,
                                            separator, CHUNK_ROWS), out.index)
    return out


HOLD_REASONS = ("", "over_limit", "over_term", "over_limit;over_term")


def _hold_clause(code: int, grace, zh: bool, names: dict) -> str:
    """The hold clause of a code: 1 over the limit, 2 over the term, and the
    days overdue × 4."""
    over_limit, over_term, days = code & 1, code >> 1 & 1, code >> 2
    text = ((f"{names['over_limit']}:应收余额高于赊欠限额" if zh
             else "over limit: outstanding above the limit") if over_limit else "")
    if over_term:
        term = (f"{names['over_term']}:最长逾期{days}天(宽限{grace}天),授信须总经理审批" if zh
                else f"over term: {days} days overdue (grace {grace} days), "
                "limit approved by the general manager")
        text = (text + ("，" if zh else "; ") if over_limit else "") + term
    return text + (",暂停发货" if zh else ": orders on hold")


def _with_hold(reasons: pd.Series, held, scored_row, hold, chain, separator: str, rows: int):
    """The reasons of the held rows with their chain (the last clause of a
    scored row) cut off, then the hold clause and the new chain; the other
    rows as they were. Arrow, ``rows`` rows at a time."""
    import pyarrow as pa
    import pyarrow.compute as pc

    def piece(values, start: int, stop: int):
        part = values.slice(start, stop - start)
        return part.combine_chunks() if isinstance(part, pa.ChunkedArray) else part

    nothing = pa.scalar(None, pa.large_string())
    chunks = []
    for start in range(0, len(reasons), rows):
        stop = min(start + rows, len(reasons))
        text = pa.array(reasons.array[start:stop], type=pa.large_string())
        if not held[start:stop].any():
            chunks.append(text)
            continue
        parts = pc.split_pattern(text, pattern=separator, max_splits=1, reverse=True)
        before_chain = pc.if_else(pc.equal(pc.list_value_length(parts), 2),
                                  pc.list_element(parts, 0), nothing)
        before = pc.if_else(pa.array(scored_row[start:stop]), before_chain, text)
        before = pc.if_else(pc.equal(before, ""), nothing, before)
        joined = pc.binary_join_element_wise(before, piece(hold, start, stop),
                                             piece(chain, start, stop),
                                             pa.scalar(separator, pa.large_string()),
                                             null_handling="skip")
        chunks.append(pc.if_else(pa.array(held[start:stop]), joined, text))
    return pa.chunked_array(chunks, type=pa.large_string())


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
