"""The confirmation register read back: reconciliation KPIs and credit points.

The register is what ``render-report statement`` writes (register.csv),
filled in by the team as the signed slips (回执) come back: returned_date,
result (相符 / 不符 / 拒绝 / 被迫, read as agreed / disputed / refused /
forced) and difference. Pure functions on DataFrames (no I/O):

- ``reconciliation_kpis``: seed 004 第四条(3) 每季度对账完成率为100%,对账及时率为100%
  — per owner and period, rolled up the org tree by sums:
  对账完成率 = statements returned (any result) / statements sent,
  对账及时率 = statements returned by their due_back_date / statements sent;
  a refusal is an answer (it counts as returned) but not a confirmation,
  so it is never on time. A statement counts in the period that contains
  its ``period_end`` (the quarter it confirms).
- ``unreturned``: the statements of those periods nobody has answered.
- ``reconciliation_marks``: seed 004 第七条(3)⑦ 对账不良记录 — 拒绝对账 −3,
  被迫对账 −1 — the worst result per customer among the statements whose
  period ended in the twelve months up to the as-of date (the year the
  scorecard's amounts cover). An unreturned slip costs no points here (it
  shows in the KPI), and a customer whose slips are all still out keeps the
  customer file's value.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

TARGET = 1.0  # seed 004 第四条(3): 100%
KPIS = {
    "reconciliation_completion": ("对账完成率", "Reconciliation completion"),
    "reconciliation_timeliness": ("对账及时率", "Reconciliation on time"),
}
RECONCILIATION_POINTS = {"refused": -3, "forced": -1}  # the credit policy's own values
RESULT_ZH = {"agreed": "相符", "disputed": "不符", "refused": "拒绝", "forced": "被迫"}
WINDOW_MONTHS = 12


# --- KPIs -------------------------------------------------------------------------
def returned(register: pd.DataFrame) -> pd.Series:
    """A slip is back when it has a returned_date or a result."""
    back = register["returned_date"].notna()
    if "result" in register.columns:
        back |= register["result"].notna()
    return back


def on_time(register: pd.DataFrame) -> pd.Series:
    refused = (register["result"].eq("refused").fillna(False) if "result" in register.columns
               else pd.Series(False, index=register.index))
    return (register["returned_date"].notna()
            & (register["returned_date"] <= register["due_back_date"]) & ~refused)


def resolve_owners(owners: pd.Series, org: pd.DataFrame) -> pd.Series:
    """Owner cells → staff_ids of the org chart: an id as it is, else a name
    that is unique in the chart; anything else is NA."""
    ids = org["staff_id"].astype("str")
    text = owners.astype("str").str.strip()
    found = text.where(text.isin(set(ids)))
    if "name" in org.columns:
        names = org.dropna(subset=["name"])
        unique = names.drop_duplicates("name", keep=False)
        by_name = pd.Series(unique["staff_id"].astype("str").to_numpy(),
                            index=unique["name"].astype("str").to_numpy())
        found = found.fillna(text.map(by_name))
    return found.where(owners.notna())


def membership(org: pd.DataFrame) -> pd.DataFrame:
    """(entity_id, staff_id) for every person and everyone above them; one
    pass per level of the tree, not per person."""
    ids = org["staff_id"].astype("str").to_numpy()
    parent = pd.Series(org["manager_id"].astype("str").to_numpy() if "manager_id" in org
                       else [pd.NA] * len(ids), index=ids).where(
        lambda s: s.notna() & s.isin(set(ids)))
    pairs = [pd.DataFrame({"entity_id": ids, "staff_id": ids})]
    current = parent.copy()
    for _ in range(len(ids)):
        present = current.dropna()
        if present.empty:
            break
        pairs.append(pd.DataFrame({"entity_id": present.to_numpy(), "staff_id": present.index}))
        current = pd.Series(parent.reindex(present.to_numpy()).to_numpy(), index=present.index)
    return pd.concat(pairs, ignore_index=True)


def reconciliation_kpis(register: pd.DataFrame, org: pd.DataFrame, periods, entities:
                        pd.DataFrame, *, lang: str = "en") -> pd.DataFrame:
    """Rows in rollup-kpi's long shape, one per entity, period and KPI.

    ``periods``: objects with ``label``, ``start``, ``end`` (rollup-kpi's);
    ``entities``: entity_id, entity_name, level, role (one row each). Owners
    not in the org chart count at the top of the tree only."""
    owners = resolve_owners(register["owner"] if "owner" in register.columns
                            else pd.Series(pd.NA, index=register.index, dtype="object"), org)
    top = org.loc[org["manager_id"].isna() if "manager_id" in org else org.index[:1],
                  "staff_id"].astype("str")
    root = top.iloc[0] if len(top) else None
    pairs = membership(org)
    facts = pd.DataFrame({"staff_id": owners.fillna("\0unknown").to_numpy(),
                          "sent": 1, "returned": returned(register).astype(int).to_numpy(),
                          "on_time": on_time(register).astype(int).to_numpy(),
                          "period_end": register["period_end"].to_numpy()})
    rows = []
    for period in periods:
        inside = facts[(facts["period_end"] >= period.start) & (facts["period_end"] <= period.end)]
        known = inside.merge(pairs, on="staff_id", how="inner")
        sums = known.groupby("entity_id")[["sent", "returned", "on_time"]].sum()
        stray = inside[~inside["staff_id"].isin(set(pairs["staff_id"]))]
        if root is not None and len(stray):
            extra = stray[["sent", "returned", "on_time"]].sum()
            sums.loc[root] = (sums.loc[root] if root in sums.index else 0) + extra
        for entity in entities.itertuples(index=False):
            if entity.entity_id not in sums.index and entity.entity_id != root:
                continue
            counts = sums.loc[entity.entity_id] if entity.entity_id in sums.index \
                else pd.Series({"sent": 0, "returned": 0, "on_time": 0})
            for kpi, numerator in (("reconciliation_completion", counts["returned"]),
                                   ("reconciliation_timeliness", counts["on_time"])):
                denominator = counts["sent"]
                value = numerator / denominator if denominator else np.nan
                rows.append({
                    "entity_id": entity.entity_id, "entity_name": entity.entity_name,
                    "level": entity.level, "role": entity.role, "period": period.label,
                    "kpi": kpi, "kpi_label": KPIS[kpi][0 if lang == "zh" else 1],
                    "numerator": float(numerator) if denominator else np.nan,
                    "denominator": float(denominator) if denominator else np.nan,
                    "value": value, "target": TARGET, "direction": ">=",
                    "met": (value >= TARGET) if denominator else pd.NA,
                    "kpi_score": np.nan, "weight": 0.0, "unit": "ratio",
                    "flags": "" if denominator else "no_data"})
    return pd.DataFrame(rows)


def unreturned(register: pd.DataFrame, periods, *, as_of) -> pd.DataFrame:
    """The statements of ``periods`` not yet answered, most overdue first."""
    inside = np.zeros(len(register), dtype=bool)
    for period in periods:
        inside |= ((register["period_end"] >= period.start)
                   & (register["period_end"] <= period.end)).to_numpy()
    missing = register[inside & ~returned(register).to_numpy()]
    columns = [c for c in ("customer_id", "customer_name", "owner", "period_end",
                           "closing_balance", "file", "sent_date", "due_back_date")
               if c in missing.columns]
    out = missing[columns].copy()
    late = (pd.Timestamp(as_of).normalize() - out["due_back_date"]).dt.days
    out["days_late"] = late.clip(lower=0).astype("Int64")
    return out.sort_values(["days_late", "customer_id"], ascending=[False, True],
                           kind="stable").reset_index(drop=True)


# --- credit -------------------------------------------------------------------------
def reconciliation_marks(register: pd.DataFrame, *, as_of) -> pd.DataFrame:
    """Per customer with an answered statement in the twelve months up to ``as_of``:
    ``reconciliation`` (0, −1 被迫, −3 拒绝 — the worst), and the statement
    that decided it (file, period_end, result)."""
    as_of = pd.Timestamp(as_of).normalize()
    start = as_of - pd.DateOffset(months=WINDOW_MONTHS)
    window = register[(register["period_end"] > start) & (register["period_end"] <= as_of)]
    # a slip not back says nothing of the customer's conduct yet: only answers count
    window = window[returned(window)]
    result = window["result"] if "result" in window.columns \
        else pd.Series(pd.NA, index=window.index, dtype="object")
    points = result.map(RECONCILIATION_POINTS).fillna(0).astype("int64")
    marks = pd.DataFrame({
        "customer_id": window["customer_id"].astype("str").to_numpy(),
        "reconciliation": points.to_numpy(),
        "period_end": window["period_end"].to_numpy(),
        "file": (window["file"].to_numpy(dtype=object, na_value=None) if "file" in window
                 else np.full(len(window), None, dtype=object)),
        "result": result.to_numpy(dtype=object, na_value=None),
    })
    # the worst result, and among equals the latest statement
    marks = marks.sort_values(["customer_id", "reconciliation", "period_end"],
                              ascending=[True, True, False], kind="stable")
    return marks.drop_duplicates("customer_id").reset_index(drop=True)


def apply_marks(customers: pd.DataFrame, marks: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The customers table with ``reconciliation`` from the register for the
    customers it has (the register wins over the hand-kept column); returns
    it and how many hand-kept values the register changed."""
    from cskit.credit.compare import positions

    out = customers.copy(deep=False)  # a new column only: the table is not changed
    position = positions(out["customer_id"], marks["customer_id"])  # one mark per customer
    points = marks["reconciliation"].to_numpy(dtype="float64")
    mapped = pd.Series(np.where(position >= 0, points[np.maximum(position, 0)]
                                if len(points) else np.nan, np.nan), index=out.index)
    had = "reconciliation" in out.columns
    before = (pd.to_numeric(out["reconciliation"], errors="coerce") if had
              else pd.Series(np.nan, index=out.index))
    changed = int((mapped.notna() & before.fillna(0).ne(mapped)).sum()) if had else 0
    out["reconciliation"] = mapped.where(mapped.notna(), before)
    return out, changed


def name_statements(scored: pd.DataFrame, marks: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    """``reasons`` begins with the statement behind a 对账不良记录 deduction."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from cskit.credit.compare import positions
    from cskit.credit.reasons import CHUNK_ROWS

    bad = marks[marks["reconciliation"] < 0].reset_index(drop=True)
    if bad.empty or "reasons" not in scored.columns:
        return scored
    zh = lang == "zh"
    # the clause of each customer's statement, then spread over the rows in Arrow
    when = bad["period_end"].dt.strftime("%Y-%m-%d").astype("str")
    # a blank file: none when the register has no file column, "nan" when its cell is
    # blank (as the clause has always read)
    file = bad["file"].fillna("" if bad["file"].dtype == object else "nan").astype("str")
    result = bad["result"].astype("str")
    points = bad["reconciliation"].astype("int64").astype("str")
    clauses = ("对账不良记录取自对账登记表：" + when + " 对账单 " + file + "，结果“"
               + result.map(RESULT_ZH).fillna(result).astype("str") + "” " + points + "分"
               if zh else "reconciliation from the register: statement " + file + " of "
               + when + ", " + result + " " + points)
    position = positions(scored["customer_id"], bad["customer_id"])
    hit = position >= 0
    clauses = pa.array(clauses.array, type=pa.large_string())
    separator = pa.scalar("；" if zh else "; ", pa.large_string())
    nothing = pa.scalar(None, pa.large_string())
    reasons = scored["reasons"].astype("str").array
    chunks = []
    for start in range(0, len(scored), CHUNK_ROWS):  # the new text, a chunk at a time
        stop = min(start + CHUNK_ROWS, len(scored))
        text = pa.array(reasons[start:stop], type=pa.large_string())
        if not hit[start:stop].any():
            chunks.append(text)
            continue
        clause = clauses.take(pa.array(np.maximum(position[start:stop], 0)))
        rest = pc.if_else(pc.equal(text, ""), nothing, text)
        joined = pc.binary_join_element_wise(clause, rest, separator, null_handling="skip")
        chunks.append(pc.if_else(pa.array(hit[start:stop]), joined, text))
    out = scored.copy(deep=False)  # a new reasons column only
    out["reasons"] = pd.Series(pd.array(pa.chunked_array(chunks, type=pa.large_string()),
                                        dtype="str"), index=out.index)
    return out
