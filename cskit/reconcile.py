"""Money identities checked on every run that sums money, before anything
is written (README "What cskit refuses to guess").

Each check recomputes a total from the input rows the command used, in
integer cents and independently of the domain code, and compares it with
the report. A difference means the report would be wrong: the run stops
with ``ReconciliationError`` (exit 1), and neither the report nor the
rejects file is written. Pure functions: DataFrames in, nothing out.

- aging-report: Σ invoice amounts − Σ paid_amount − Σ payments (rows used,
  dated on or before the as-of date) = Σ net_outstanding
  = Σ outstanding + Σ unapplied_credit; on every row the buckets add up to
  outstanding, and outstanding + unapplied_credit = net_outstanding.
- score-credit --exposure: Σ outstanding of the report = Σ outstanding of
  the exposure rows of the customers reported; available_credit =
  credit_limit − outstanding on every row.
- rollup-kpi --sales: at the head of the org chart, target_completion and
  gross_margin are the sums of the period's sales rows (``kpi_sales``).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from cskit.errors import CskitError
from cskit.i18n import Join, Text
from cskit.money import to_cents


class ReconciliationError(CskitError):
    """A report whose totals do not add up to its inputs; nothing is written."""

    exit_code = 1


def _cents(values) -> int:
    array = np.asarray(values, dtype="float64")
    return int(to_cents(np.where(np.isnan(array), 0.0, array)).sum()) if array.size else 0


def _yuan(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100:,}.{abs(cents) % 100:02d}"


def _fail(command: str, broken: list[Text]) -> None:
    raise ReconciliationError(Text(
        "{command}: the report does not reconcile with its inputs, so nothing was written "
        "(this is a fault in cskit, not in your files; please report it with the files):\n"
        "  {broken}",
        "{command}：报表与输入数据对不上账，因此没有写出任何文件（这是 cskit 的问题，"
        "不是您文件的问题；请连同文件一并反馈）：\n  {broken}",
        command=command, broken=Join("\n  ", broken)))


def _day(values) -> np.ndarray:
    return np.asarray(values, dtype="datetime64[ns]").astype("datetime64[D]")


def _foreign(frame: pd.DataFrame | None, base: str) -> bool:
    if frame is None or not len(frame) or "currency" not in frame.columns:
        return False
    from cskit.aging.fx import currency_codes

    return bool((currency_codes(frame["currency"], base) != base.upper()).any())


def aging(invoices: pd.DataFrame, payments: pd.DataFrame | None, as_of, summary: pd.DataFrame,
          buckets: list[str], totals: dict | None = None, base_currency: str = "CNY") -> None:
    """aging-report's identities (module doc); raise ReconciliationError.

    With rows in a foreign currency the ledger's amounts are not yuan, so the
    input-to-output identity is left to the currency module's own one (local
    open at the as-of rate = booked local open + fx_difference); the per-row
    identities are still checked."""
    day = np.datetime64(pd.Timestamp(as_of).date(), "D")
    foreign = _foreign(invoices, base_currency) or _foreign(payments, base_currency)
    used = _day(invoices["invoice_date"]) <= day
    invoiced = _cents(invoices["amount"].to_numpy(dtype="float64", na_value=np.nan)[used])
    paid = 0
    if "paid_amount" in invoices.columns:
        paid = _cents(invoices["paid_amount"].to_numpy(dtype="float64", na_value=np.nan)[used])
    received = 0
    if payments is not None and len(payments):
        kept = _day(payments["payment_date"]) <= day
        received = _cents(payments["amount"].to_numpy(dtype="float64", na_value=np.nan)[kept])
    expected = invoiced - paid - received
    broken: list[Text] = []
    net = _cents(summary["net_outstanding"]) if len(summary) else 0
    if net != expected and not foreign:
        broken.append(Text("invoices {invoiced} − paid_amount {paid} − payments {received} = "
                           "{expected}, but the net outstanding adds up to {net}",
                           "发票 {invoiced} − 已收金额 {paid} − 回款 {received} = {expected}，"
                           "但净应收合计为 {net}",
                           invoiced=_yuan(invoiced), paid=_yuan(paid), received=_yuan(received),
                           expected=_yuan(expected), net=_yuan(net)))
    if len(summary):
        outstanding = to_cents(summary["outstanding"].to_numpy(dtype="float64"))
        unapplied = to_cents(summary["unapplied_credit"].to_numpy(dtype="float64"))
        row_net = to_cents(summary["net_outstanding"].to_numpy(dtype="float64"))
        spread = sum(to_cents(summary[b].to_numpy(dtype="float64")) for b in buckets
                     if b in summary.columns)
        rows = np.flatnonzero((spread != outstanding) | (outstanding + unapplied != row_net))
        if len(rows):
            broken.append(Text("{count} summary row(s) whose buckets or unapplied credit do not "
                               "add up to their outstanding (first: row {row})",
                               "有 {count} 行汇总的各账龄段或未核销回款与应收余额对不上（第一处：第 {row} 行）",
                               count=len(rows), row=int(rows[0]) + 1))
    if totals is not None and _cents([totals.get("net_outstanding", 0.0)]) != net:
        broken.append(Text("the totals line says {total} net outstanding, the rows add up to "
                           "{net}", "合计行的净应收为 {total}，各行相加为 {net}",
                           total=_yuan(_cents([totals["net_outstanding"]])), net=_yuan(net)))
    if broken:
        _fail("aging-report", broken)


def exposure(result: pd.DataFrame, owed: pd.DataFrame) -> None:
    """score-credit --exposure's identities (module doc)."""
    if "outstanding" not in result.columns:
        return
    reported = set(result["customer_id"].dropna().astype(str))
    mine = owed[owed["customer_id"].astype(str).isin(reported)]
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


def kpi_sales(org: pd.DataFrame, sales: pd.DataFrame | None, long: pd.DataFrame,
              periods: list) -> None:
    """rollup-kpi's identity for money: at the head of the org chart (whom
    every staff member and the unassigned records roll up to), a sales KPI's
    numerator and denominator are the sums of the sales rows of the period —
    revenue and target for target_completion, gross profit and revenue for
    gross_margin."""
    if sales is None or not len(long):
        return
    from cskit.kpi.measures import sales_periods
    from cskit.kpi.periods import _PeriodMap

    heads = org.loc[org["manager_id"].isna(), "staff_id"] if "manager_id" in org \
        else org["staff_id"]
    if len(heads) != 1:
        return
    head = str(heads.iloc[0])
    label = sales_periods(sales, _PeriodMap(list(periods)))
    pairs = {"target_completion": ("revenue", "target"),
             "gross_margin": ("gross_profit", "revenue")}
    broken: list[Text] = []
    rows = long[(long["entity_id"].astype(str) == head) & long["kpi"].isin(list(pairs))]
    for _, row in rows.iterrows():  # a few rows: one per KPI and period
        top, bottom = pairs[row["kpi"]]
        if top not in sales.columns or bottom not in sales.columns:
            continue
        has = sales[pairs[row["kpi"]][0 if row["kpi"] == "gross_margin" else 1]].notna()
        mine = sales[(label == row["period"]).fillna(False).to_numpy(dtype=bool) & has.to_numpy()]
        for side, column in (("numerator", top), ("denominator", bottom)):
            expected = _cents(mine[column].to_numpy(dtype="float64", na_value=np.nan))
            got = _cents([row[side]]) if row[side] == row[side] else 0
            if got != expected:
                broken.append(Text("{kpi} {period} at {head}: the {side} is {got}, the sales "
                                   "rows of the period add up to {expected}",
                                   "{kpi} {period}（{head}）：{side} 为 {got}，该期销售记录合计为 {expected}",
                                   kpi=row["kpi"], period=row["period"], head=head, side=side,
                                   got=_yuan(got), expected=_yuan(expected)))
    if broken:
        _fail("rollup-kpi", broken)
