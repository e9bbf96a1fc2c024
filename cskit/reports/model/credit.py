"""The credit section: customers and limits per grade, grade changes,
customers on hold, and the change of the total limit with its reason."""
from __future__ import annotations

import pandas as pd

from cskit.money import to_cents, to_yuan
from cskit.reports import charts
from cskit.reports.model.common import (TOP_ROWS, _signed, _sum, _who, chart, count_text,
                                        figure, money_text, section, table_view)
from cskit.reports.tables import Table
from cskit.reports.text import say


def credit_section(credit: Table | None, lang: str) -> dict:
    out = section("credit", lang)
    if credit is None:
        out["paragraphs"].append(say("no_data", lang))
        return out
    out["sources"] = [credit.source]
    frame = credit.frame
    current = frame[frame["change"].astype("string") != "dropped"] \
        if "change" in frame.columns else frame
    status = current["status"].astype("string") if "status" in current.columns else None
    limits = _sum(current, "credit_limit")
    out["figures"] += [figure(say("credit.customers", lang), count_text(len(current))),
                       figure(say("credit.total_limit", lang), money_text(limits))]
    if status is not None:
        out["figures"] += [
            figure(say("credit.cash_only", lang), count_text(int((status == "cash_only").sum()))),
            figure(say("credit.unrated_new", lang),
                   count_text(int((status == "unrated_new").sum())))]
    grade_label = _grade_labels(current, lang)
    by_grade = (pd.DataFrame({"grade_label": grade_label,
                              "credit_limit": to_cents(current["credit_limit"])
                              if "credit_limit" in current.columns else 0})
                .groupby("grade_label", sort=False)
                .agg(customers=("grade_label", "size"), credit_limit=("credit_limit", "sum")))
    order = sorted(by_grade.index, key=_grade_order)
    by_grade = by_grade.loc[order]
    by_grade["credit_limit"] = to_yuan(by_grade["credit_limit"])
    out["charts"].append(chart(say("credit.chart", lang), lambda: charts.bar_chart(
        list(by_grade.index), by_grade["customers"].tolist(), title=say("credit.chart", lang),
        lang=lang), "grades"))
    grade_table = by_grade.reset_index()
    grade_table.columns = ["grade_label", "customers", "credit_limit"]
    out["tables"].append(table_view(grade_table, None, lang, say("credit.by_grade", lang),
                                    headers={"customers": say("count", lang)}))
    if "previous_limit" in frame.columns:
        previous = _sum(frame, "previous_limit")
        counts = frame["change"].astype("string").value_counts() \
            if "change" in frame.columns else pd.Series(dtype="int64")
        why = say("why.limits", lang, up=int(counts.get("upgraded", 0)),
                  down=int(counts.get("downgraded", 0)), new=int(counts.get("new", 0)),
                  dropped=int(counts.get("dropped", 0)))
        out["changes"].append({"label": say("credit.total_limit", lang),
                               "previous": money_text(previous), "current": money_text(limits),
                               "change": _signed(limits - previous, money=True),
                               "reason": why})
    if "change" in frame.columns:
        moved = frame[frame["change"].astype("string").isin(["downgraded", "upgraded"])
                      .fillna(False).astype(bool)]
        down = int((moved["change"] == "downgraded").sum())
        if down:
            out["attention"].append(say("attn.downgraded", lang, n=down))
        if len(moved):
            moved = moved.sort_values("change", kind="stable")
            out["tables"].append(table_view(
                moved, _who(moved) + ["previous_grade", "grade", "grade_label",
                        "previous_limit", "credit_limit", "change"],
                lang, say("credit.changes", lang), limit=TOP_ROWS * 2, source=credit.source))
    if "hold" in frame.columns:
        hold = frame[frame["hold"].fillna(False).astype(bool)]
        if len(hold):
            out["attention"].append(say("attn.hold", lang, n=len(hold)))
            out["tables"].append(table_view(
                hold, _who(hold) + ["credit_limit", "outstanding",
                       "available_credit"], lang, say("credit.hold", lang),
                limit=TOP_ROWS, source=credit.source))
    top = current.sort_values("score", ascending=False, kind="stable") \
        if "score" in current.columns else current
    out["tables"].append(table_view(
        top, _who(top) + ["business_type", "score", "grade_label", "credit_limit",
                          "approver", "status", "phone"],
        lang, say("credit.table", lang), limit=TOP_ROWS * 2, source=credit.source))
    out["totals"] = {"credit_limit": limits}
    return out


def _grade_labels(frame: pd.DataFrame, lang: str) -> pd.Series:
    unrated = say("credit.no_grade", lang)
    if "grade_label" in frame.columns:
        labels = frame["grade_label"].astype("string")
    elif "grade" in frame.columns:
        labels = frame["grade"].map(lambda g: f"{int(g)}" if pd.notna(g) else pd.NA) \
            .astype("string")
    else:
        labels = pd.Series(pd.NA, index=frame.index, dtype="string")
    labels = labels.fillna(unrated).replace("", unrated)
    if lang != "zh":  # score-credit's own words for customers without a grade
        labels = labels.replace({"现款现货": say("credit.cash_only", lang), "未评级": unrated})
    return labels


_GRADE_ORDER = {"一级": 1, "二级": 2, "三级": 3, "四级": 4}


def _grade_order(label: str):
    if label in _GRADE_ORDER:
        return (_GRADE_ORDER[label], label)
    return (int(label), label) if str(label).isdigit() else (9, str(label))
