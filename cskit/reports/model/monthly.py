"""The reports as a whole: which sections a built-in template holds, the
window of a visit plan, one section per table of any other file, and the
summary page of the monthly report."""
from __future__ import annotations

import pandas as pd

from cskit.reports.model.aging import aging_section
from cskit.reports.model.common import TABLE_ROWS, section, table_view
from cskit.reports.model.credit import credit_section
from cskit.reports.model.kpi import kpi_section
from cskit.reports.model.visits import visits_section
from cskit.reports.tables import Table, pick
from cskit.reports.text import say


def table_sections(tables: list[Table], lang: str) -> list[dict]:
    out = []
    for table in tables:
        if table.kind == "parameters":
            continue
        part = section("table", lang, title=table.name, sources=[table.source])
        part["tables"].append(table_view(table.frame, None, lang, table.source,
                                         limit=TABLE_ROWS, source=table.source))
        out.append(part)
    return out


def build(template: str, tables: list[Table], lang: str, params: dict) -> dict:
    """The report model of a built-in template: sections and, for monthly,
    the summary page."""
    if template == "aging":
        sections = [aging_section(pick(tables, "aging"), pick(tables, "aging_detail"), lang,
                                  params, pick(tables, "aging", previous=True))]
    elif template == "credit":
        sections = [credit_section(pick(tables, "credit"), lang)]
    elif template == "kpi":
        sections = [kpi_section(pick(tables, "kpi"), pick(tables, "scorecard"), lang)]
    elif template == "visit-plan":
        sections = [visits_section(pick(tables, "visits"), lang, full_plan=True)]
    elif template == "table":
        sections = table_sections(tables, lang)
    else:  # monthly: seed 004 第十条 每月巡访情况报告书, with the other three
        sections = [credit_section(pick(tables, "credit"), lang),
                    aging_section(pick(tables, "aging"), pick(tables, "aging_detail"), lang,
                                  params, pick(tables, "aging", previous=True)),
                    kpi_section(pick(tables, "kpi"), pick(tables, "scorecard"), lang),
                    visits_section(pick(tables, "visits"), lang)]
    report = {"kind": template, "sections": sections, "summary": None,
              "window": plan_window(pick(tables, "visits"), params)
              if template == "visit-plan" else ""}
    if template == "monthly":
        report["summary"] = summary_page(sections, lang)
    return report


def plan_window(visits: Table | None, params: dict) -> str:
    """The days a visit plan covers (its header shows them, not an as-of
    date): from the plan's Parameters, else its first and last dates."""
    given = str(params.get("window") or "")
    if ".." in given:
        start, end = (part.strip() for part in given.split("..", 1))
        return f"{start} – {end}"
    if visits is not None and "date" in visits.frame.columns:
        days = pd.to_datetime(visits.frame["date"], errors="coerce").dropna()
        if len(days):
            return f"{days.min():%Y-%m-%d} – {days.max():%Y-%m-%d}"
    return ""


def summary_page(sections: list[dict], lang: str) -> dict:
    """Totals of every section, the changes against the previous period with
    their reasons, and everything that needs attention, on one page."""
    figures, changes, attention = [], [], []
    for part in sections:
        for item in part["figures"][:4]:
            figures.append(dict(item, section=part["title"]))
        changes += part["changes"]
        attention += [{"section": part["title"], "text": line} for line in part["attention"]]
    return {"title": say("section.summary", lang), "figures": figures, "changes": changes,
            "attention": attention, "attention_title": say("section.attention", lang),
            "changes_title": say("section.changes", lang),
            "none": say("attn.none", lang)}
