"""The visit-plan section: visits planned per day and per staff member,
the reasons, and the customers left unscheduled (seed 004 第九、十条)."""
from __future__ import annotations

import pandas as pd

from cskit.labels import sort_by_name
from cskit.reports import charts
from cskit.reports.model.common import (PLAN_ROWS, TOP_ROWS, _who, chart, count_text, figure,
                                        say_value, section, table_view)
from cskit.reports.tables import Table
from cskit.reports.text import say

ACTIVITIES = ("visit", "gift_visit", "call", "sms")


def visits_section(visits: Table | None, lang: str, *, full_plan: bool = False) -> dict:
    out = section("visit-plan", lang)
    if visits is None:
        out["paragraphs"].append(say("no_data", lang))
        return out
    out["sources"] = [visits.source]
    frame = visits.frame
    status = frame["status"].astype("string") if "status" in frame.columns \
        else pd.Series("planned", index=frame.index, dtype="string")
    unscheduled = frame[status == "unscheduled"]
    planned = frame[status != "unscheduled"]
    out["figures"] += [
        figure(say("visits.planned", lang), count_text(len(planned))),
        figure(say("visits.unscheduled", lang), count_text(len(unscheduled)), "",
               "bad" if len(unscheduled) else ""),
    ]
    if "staff_id" in frame.columns:
        out["figures"].append(figure(say("visits.staff", lang),
                                     count_text(frame["staff_id"].nunique())))
    if "customer_id" in frame.columns:
        out["figures"].append(figure(say("visits.customers", lang),
                                     count_text(frame["customer_id"].nunique())))
    activity = planned["activity"].astype("string").fillna("?")
    days = planned["date"] if "date" in planned.columns else pd.Series(dtype="datetime64[ns]")
    if len(planned) and days.notna().any():
        day_text = pd.to_datetime(days).dt.strftime("%m-%d")
        per_day = pd.crosstab(day_text, activity).sort_index()
        kinds = [a for a in ACTIVITIES if a in per_day.columns] + \
            [a for a in per_day.columns if a not in ACTIVITIES]
        series = {say_value(a, lang): per_day[a].astype(int).tolist() for a in kinds}
        out["charts"].append(chart(say("visits.chart", lang), lambda: charts.stacked_days_chart(
            list(per_day.index), series, title=say("visits.chart", lang), lang=lang),
            "visits_per_day"))
    if "staff_id" in frame.columns:
        keys = ["staff_id"] + (["staff_name"] if "staff_name" in frame.columns else [])
        staff = frame[keys].astype("string").fillna("")
        table = pd.crosstab([staff[k] for k in keys], frame["activity"].astype("string")
                            .where(status != "unscheduled", "unscheduled"))
        kinds = [a for a in ACTIVITIES + ("unscheduled",) if a in table.columns] + \
            [a for a in table.columns if a not in ACTIVITIES + ("unscheduled",)]
        table = table[kinds]
        table.insert(len(kinds), "total", table.sum(axis=1))
        table = table.reset_index()
        if "staff_name" in table.columns:  # staff by name, in pinyin order
            table = sort_by_name(table, "staff_name")
        headers = {a: say_value(a, lang) for a in kinds}
        headers["total"] = say("total", lang)
        out["tables"].append(table_view(table, None, lang, say("visits.by_staff", lang),
                                        total=False, headers=headers))
    if "reason" in frame.columns:
        reasons = frame["reason"].astype("string").fillna("").value_counts().reset_index()
        reasons.columns = ["reason", "count"]
        out["tables"].append(table_view(reasons, None, lang, say("visits.by_reason", lang),
                                        total=False, headers={"count": say("count", lang)}))
    if len(unscheduled):
        out["attention"].append(say("attn.unscheduled", lang, n=len(unscheduled)))
        out["tables"].append(table_view(
            unscheduled, _who(unscheduled) + ["staff_name", "activity", "reason"], lang,
            say("visits.unscheduled_table", lang),
            total=False, limit=TOP_ROWS * 2, source=visits.source))
    if full_plan:
        out["tables"].append(table_view(
            planned, ["date", "staff_name"] + _who(planned) + ["activity", "reason", "status"],
            lang, say("visits.plan_table", lang),
            total=False, limit=PLAN_ROWS, source=visits.source))
    return out
