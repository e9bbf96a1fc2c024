"""What templates see: the DATA tables, the report and the labels."""
from __future__ import annotations

import re
from datetime import datetime
from functools import cached_property

import pandas as pd

from cskit.labels import header
from cskit.reports import model
from cskit.reports.text import say


class TableData:
    """One DATA table as a template sees it: ``rows`` (list of dicts),
    ``columns`` (name → list of values), ``headers`` (name → header in the
    report's language), ``totals`` (money and count columns added up),
    ``charts`` (name → picture), ``count``, ``source``, ``kind``."""

    def __init__(self, table, lang: str, charts: dict | None = None):
        self._frame = table.frame
        self._plain_cache = None
        self.name = table.name
        self.kind = table.kind
        self.source = table.source
        self.count = len(table.frame)
        self.headers = {str(c): header(str(c), lang) for c in table.frame.columns}
        self.charts = charts or {}

    def _plain(self) -> pd.DataFrame:
        # built only when a template asks for rows or columns: a built-in
        # report over a million-row table never pays for it
        if self._plain_cache is None:
            frame = self._frame
            plain = frame.astype(object).where(frame.notna(), None)
            for column in frame.columns:
                if pd.api.types.is_datetime64_any_dtype(frame[column]):
                    plain[column] = [model.date_text(v) if v is not None else None
                                     for v in plain[column]]
            self._plain_cache = plain
        return self._plain_cache

    @cached_property
    def rows(self) -> list[dict]:
        return self._plain().to_dict("records")

    @cached_property
    def columns(self) -> dict[str, list]:
        plain = self._plain()
        return {str(c): plain[c].tolist() for c in plain.columns}

    @cached_property
    def totals(self) -> dict[str, float | int]:
        frame, totals = self._frame, {}
        for column in frame.columns:
            if model.is_money(column):
                totals[str(column)] = model._sum(frame, column)
            elif pd.api.types.is_integer_dtype(frame[column]) \
                    or column in {"open_invoices", "count"}:
                totals[str(column)] = int(frame[column].fillna(0).sum())
        return totals

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return self.count


def context(report: dict, tables: list, *, title: str, lang: str, as_of: str,
            variables: dict[str, str], chart_value) -> dict:
    """Template variables. ``chart_value(chart)`` turns a chart of the model
    into what the format shows: a data URI for HTML, a picture for Word."""
    section_charts: dict[str, object] = {}
    for part in report["sections"]:
        for item in part["charts"]:
            section_charts[item["name"]] = chart_value(item)
    datasets = {}
    for table in tables:
        wanted = {k: v for k, v in section_charts.items()
                  if _chart_kind(k) == table.kind or report["kind"] == "table"}
        datasets[table.name] = TableData(table, lang, wanted)
    ctx = {
        "title": title,
        "lang": lang,
        "as_of": as_of,
        "generated": datetime.now().strftime("%Y-%m-%d %H:%M"),
        "sources": source_files(tables),
        "window": report.get("window") or "",
        "vars": dict(variables),
        "report": report,
        "sections": report["sections"],
        "summary": report["summary"],
        "tables": datasets,
        "charts": section_charts,
        "table": next(iter(datasets.values())) if datasets else None,
        "labels": {key: say(key, lang) for key in _LABEL_KEYS},
    }
    for name, data in datasets.items():
        ctx.setdefault(name, data)
    for key, value in variables.items():
        ctx.setdefault(key, value)
    return ctx


def source_files(tables) -> list[str]:
    """The files a report was made from, each once (not every sheet)."""
    return list(dict.fromkeys(re.sub(r" \[[^\]]*\]$", "", t.source) for t in tables))


_LABEL_KEYS = ("as_of", "plan_window", "generated", "sources", "contents", "page", "total", "previous",
               "current", "change", "reason", "figure", "nothing", "no_data",
               "section.summary", "section.attention", "section.changes")


def _chart_kind(name: str) -> str:
    return {"aging_buckets": "aging", "grades": "credit", "kpi_target": "kpi",
            "visits_per_day": "visits"}.get(name, "table")
