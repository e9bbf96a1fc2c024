"""The aging section: receivables by bucket, customers over their limit,
old items, and the change against last period's aging with its reason."""
from __future__ import annotations

import pandas as pd

from cskit.money import to_cents, to_yuan
from cskit.reports import charts
from cskit.reports.model.common import (TOP_ROWS, _flags, _header, _signed, _sum, _who, chart,
                                        figure, money_text, number_text, pct_text, section,
                                        table_view)
from cskit.reports.tables import BUCKET_RE, Table
from cskit.reports.text import say


def aging_section(summary: Table | None, detail: Table | None, lang: str,
                  params: dict | None = None, previous: Table | None = None) -> dict:
    out = section("aging", lang)
    out["sources"] = [t.source for t in (summary, detail) if t is not None]
    if summary is None and detail is None:
        out["paragraphs"].append(say("no_data", lang))
        return out
    frame = summary.frame if summary is not None else None
    if frame is None:
        # an Open items list alone: its buckets are the summary
        frame = _summary_from_detail(detail.frame)
    buckets = [c for c in frame.columns if BUCKET_RE.match(str(c))]
    outstanding = _sum(frame, "outstanding")
    not_due = _sum(frame, "not_due")
    old = _sum(frame, "181+")
    over_90 = old + _sum(frame, "91-180")
    out["figures"] += [
        figure(say("aging.outstanding", lang), money_text(outstanding)),
        figure(say("aging.overdue", lang), money_text(outstanding - not_due),
               pct_text((outstanding - not_due) / outstanding) if outstanding else ""),
        figure(say("aging.over_90", lang), money_text(over_90),
               pct_text(over_90 / outstanding) if outstanding else "",
               "warn" if over_90 else ""),
        figure(say("aging.over_180", lang), money_text(old), "", "bad" if old else ""),
    ]
    if "unapplied_credit" in frame.columns:
        out["figures"].append(figure(say("aging.unapplied", lang),
                                     money_text(_sum(frame, "unapplied_credit"))))
    dso = _report_dso(params or {})
    if dso is not None:
        out["figures"].append(figure(say("aging.dso", lang), number_text(dso),
                                     say("aging.dso_note", lang), "bad" if dso > 75 else ""))
        if dso > 75:  # seed 000: 应收账款周转天数 ≤ 75 天
            out["attention"].append(say("attn.dso", lang, dso=number_text(dso)))
    if buckets:
        totals = [_sum(frame, b) for b in buckets]
        labels = [_header(b, lang) for b in buckets]
        out["charts"].append(chart(say("aging.chart", lang), lambda: charts.bar_chart(
            labels, totals, title=say("aging.chart", lang), lang=lang, money=True,
            colours=list(charts.BUCKET_COLOURS[:len(buckets)])), "aging_buckets"))
    keys = _who(frame)
    ordered = frame.sort_values("outstanding", ascending=False, kind="stable") \
        if "outstanding" in frame.columns else frame
    columns = keys + ["outstanding"] + buckets + ["credit_limit", "flags"]
    source = summary.source if summary is not None else detail.source
    out["tables"].append(table_view(ordered, columns, lang, say("aging.summary_table", lang),
                                    limit=TOP_ROWS, source=source,
                                    unit="customers" if "customer_id" in frame.columns else ""))
    over_limit = _over_limit(frame)
    if over_limit.any():
        rows = frame[over_limit]
        excess = _sum(rows, "outstanding") - _sum(rows, "credit_limit")
        out["attention"].append(say("attn.over_limit", lang, n=int(over_limit.sum()),
                                    amount=money_text(excess)))
        out["tables"].append(table_view(rows.sort_values("outstanding", ascending=False),
                                        keys + ["outstanding", "credit_limit",
                                                "available_credit", "flags"],
                                        lang, say("aging.over_limit", lang),
                                        limit=TOP_ROWS, source=source, unit="customers"))
    if "181+" in frame.columns and (frame["181+"].fillna(0) > 0).any():
        rows = frame[frame["181+"].fillna(0) > 0]
        out["attention"].append(say("attn.old", lang, n=len(rows), amount=money_text(old)))
    if detail is not None:
        items = detail.frame
        no_payment = int(_flags(items, "unpaid_6m").sum())
        if no_payment:
            out["attention"].append(say("attn.no_payment", lang, n=no_payment))
        if "days_overdue" in items.columns:
            items = items.sort_values("days_overdue", ascending=False, kind="stable")
        out["tables"].append(table_view(
            items, _who(items) + ["invoice_no", "due_date", "outstanding", "days_overdue",
                                  "bucket", "salesperson", "flags"],
            lang, say("aging.detail_table", lang), limit=TOP_ROWS, source=detail.source,
            unit="items"))
    if previous is not None:
        out["changes"] += aging_changes(frame, previous.frame, lang)
        out["sources"].append(previous.source)
    out["totals"] = {"outstanding": outstanding, "over_180": old}
    return out


def aging_changes(current: pd.DataFrame, before: pd.DataFrame, lang: str) -> list[dict]:
    """Receivables against last period's aging, each change with its reason
    (seed 000: 注明增减幅的原因): the buckets and the customers that moved most."""
    buckets = [c for c in current.columns if BUCKET_RE.match(str(c)) and c in before.columns]
    rows = []

    def movers(now: pd.DataFrame, then: pd.DataFrame, column: str) -> str:
        parts = []
        if buckets and column == "outstanding":
            moved = {b: _sum(now, b) - _sum(then, b) for b in buckets}
            top = sorted(moved.items(), key=lambda kv: -abs(kv[1]))[:2]
            parts += [f"{_header(b, lang)} {_signed(v, money=True)}" for b, v in top if v]
        if "customer_id" in now.columns and "customer_id" in then.columns:
            a = to_cents(now[column]).groupby(now["customer_id"].astype("string")).sum()
            b = to_cents(then[column]).groupby(then["customer_id"].astype("string")).sum()
            delta = a.sub(b, fill_value=0)
            delta = delta[delta != 0]
            names = {}
            for frame in (then, now):  # this period's name wins
                if "customer_name" in frame.columns:
                    names.update(zip(frame["customer_id"].astype("string"),
                                     frame["customer_name"].astype("string")))
            for key in delta.abs().sort_values(ascending=False, kind="stable").index[:2]:
                name = names.get(key)
                shown = key if name is None or pd.isna(name) else name
                parts.append(f"{shown} {_signed(delta[key] / 100, money=True)}")
        return "; ".join(parts)

    for column, label in (("outstanding", "aging.outstanding"), ("181+", "aging.over_180")):
        if column in current.columns and column in before.columns:
            new, old = _sum(current, column), _sum(before, column)
            rows.append({"label": say(label, lang), "previous": money_text(old),
                         "current": money_text(new),
                         "change": _signed(new - old, money=True),
                         "reason": movers(current, before, column)})
    return rows


def _summary_from_detail(items: pd.DataFrame) -> pd.DataFrame:
    if "bucket" not in items.columns or "outstanding" not in items.columns:
        return items
    cents = to_cents(items["outstanding"])
    wide = cents.groupby([items["customer_id"], items["bucket"]]).sum().unstack(fill_value=0)
    frame = to_yuan(wide.stack()).unstack(fill_value=0.0)
    frame["outstanding"] = to_yuan(wide.sum(axis=1))
    return frame.reset_index()


def _over_limit(frame: pd.DataFrame) -> pd.Series:
    flagged = _flags(frame, "over_limit")
    if "credit_limit" in frame.columns and "outstanding" in frame.columns:
        flagged |= (to_cents(frame["outstanding"]) > to_cents(frame["credit_limit"])) \
            & frame["credit_limit"].notna()
    return flagged


def _report_dso(params: dict) -> float | None:
    for key in ("dso (whole report)", "dso", "report dso", "dso_days"):
        if key in params:
            try:
                return float(str(params[key]).split()[0])
            except ValueError:
                return None
    return None
