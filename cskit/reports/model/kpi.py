"""The KPI section: the department's KPIs against their targets, who
missed one, the scorecard, and each KPI's change with the numbers that moved."""
from __future__ import annotations

import numpy as np
import pandas as pd

from cskit.labels import KPI_LABELS_ZH, code_label, header
from cskit.reports import charts
from cskit.reports.model.common import (TOP_ROWS, _signed, chart, count_text, figure,
                                        number_text, pct_text, section, table_view)
from cskit.reports.tables import Table
from cskit.reports.text import say

LOWER_IS_BETTER = {"dso_days", "median_hours_to_close"}
RATIO_KPIS_NOT = LOWER_IS_BETTER



def _achievement(frame: pd.DataFrame) -> pd.Series:
    value = frame["value"].astype("float64")
    target = frame["target"].astype("float64")
    lower = _lower_is_better(frame)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(lower, target / value, value / target)
    ratio = pd.Series(ratio, index=frame.index).replace([np.inf, -np.inf], np.nan)
    # a KPI without a target (0 or blank) is reported, not scored
    return ratio.where(target.fillna(0) != 0)


def _lower_is_better(frame: pd.DataFrame) -> pd.Series:
    lower = frame["kpi"].astype("string").isin(LOWER_IS_BETTER).fillna(False).astype(bool)
    if "direction" in frame.columns:
        text = frame["direction"].astype("string").str.lower()
        said = text.str.contains(r"<|≤|lower|max|le\b|down", regex=True)
        lower = said.fillna(lower).astype(bool)
    return lower


def kpi_value_text(kpi: str, value) -> str:
    if kpi in RATIO_KPIS_NOT:
        return number_text(value)
    return pct_text(value)


def kpi_label(kpi: str, given, lang: str) -> str:
    if lang == "zh":
        return KPI_LABELS_ZH.get(kpi, given if isinstance(given, str) else kpi)
    return kpi.replace("_", " ")


def kpi_section(kpi: Table | None, scorecard: Table | None, lang: str) -> dict:
    out = section("kpi", lang)
    if kpi is None:
        out["paragraphs"].append(say("no_data", lang))
        return out
    out["sources"] = [t.source for t in (kpi, scorecard) if t is not None]
    frame = kpi.frame.copy()
    frame["period"] = frame["period"].astype("string") if "period" in frame.columns else ""
    periods = sorted(p for p in frame["period"].dropna().unique())
    latest = periods[-1] if periods else ""
    current = frame[frame["period"] == latest] if periods else frame
    dept = _top_entity(current)
    met = current["met"] if "met" in current.columns else pd.Series(pd.NA, index=current.index)
    missed = current[met.fillna(True).eq(False)]
    out["figures"] += [figure(say("kpi.period", lang), latest or "—")]
    dept_met = dept["met"] if "met" in dept.columns else pd.Series(dtype="boolean")
    out["figures"].append(figure(say("kpi.met", lang),
                                 f"{int(dept_met.fillna(False).sum())} / {len(dept)}"))
    out["figures"].append(figure(say("kpi.missed", lang), count_text(len(missed)), "",
                                 "bad" if len(missed) else ""))
    dept = dept.assign(achievement=_achievement(dept)).drop_duplicates("kpi")
    plotted = dept[dept["achievement"].notna()]
    if len(plotted):
        labels = [kpi_label(k, g, lang) for k, g in
                  zip(plotted["kpi"], plotted.get("kpi_label", plotted["kpi"]))]
        met_list = [None if pd.isna(m) else bool(m) for m in
                    plotted.get("met", pd.Series(pd.NA, index=plotted.index))]
        out["charts"].append(chart(say("kpi.chart", lang), lambda: charts.achievement_chart(
            labels, plotted["achievement"].tolist(), met_list, title=say("kpi.chart", lang),
            lang=lang), "kpi_target"))
    out["tables"].append(_kpi_table(dept, lang, say("kpi.department", lang), entity=False))
    if len(missed):
        names = missed["entity_name"] if "entity_name" in missed.columns else missed.get(
            "entity_id", pd.Series(dtype="string"))
        who = ("、" if lang == "zh" else ", ").join(pd.unique(names.astype("string").dropna())[:5])
        out["attention"].append(say("attn.kpi_missed", lang, n=len(missed), who=who))
        out["tables"].append(_kpi_table(missed, lang, say("kpi.missed_table", lang),
                                        entity=True, limit=TOP_ROWS * 2, source=kpi.source))
    if len(periods) > 1:
        previous = frame[frame["period"] == periods[-2]]
        previous = _top_entity(previous)
        before = previous.drop_duplicates("kpi").set_index("kpi")["value"]
        for _, row in dept.iterrows():  # one row per KPI: a dozen at most
            if row["kpi"] not in before.index:
                continue
            old, new = before[row["kpi"]], row["value"]
            ratio = row["kpi"] not in RATIO_KPIS_NOT
            out["changes"].append({
                "label": kpi_label(row["kpi"], row.get("kpi_label"), lang),
                "previous": kpi_value_text(row["kpi"], old),
                "current": kpi_value_text(row["kpi"], new),
                "change": _signed(new - old, pct=ratio) if pd.notna(old) and pd.notna(new)
                else "",
                "reason": _kpi_reason(previous, frame, row, periods, lang)})
    if scorecard is not None:
        board = scorecard.frame
        if "period" in board.columns and latest:
            board = board[board["period"].astype("string") == latest] if \
                (board["period"].astype("string") == latest).any() else board
        if "entity_name" in board.columns:  # rollup-kpi's own bucket of unknown staff
            board = board.assign(entity_name=board["entity_name"].replace(
                "unassigned", code_label("role", "unassigned", lang, words=True)))
        if "rank" in board.columns:
            board = board.sort_values(["role", "rank"] if "role" in board.columns
                                      else ["rank"], kind="stable")
        out["tables"].append(table_view(
            board, ["entity_name" if "entity_name" in board.columns else "entity_id", "role",
                    "score", "appraisal", "rank", "reward", "improvement_plan_due", "flags"],
            lang,
            say("kpi.scorecard", lang), total=False, limit=TOP_ROWS * 3,
            source=scorecard.source))
    return out


def _top_entity(frame: pd.DataFrame) -> pd.DataFrame:
    """The department's own rows: the first department-level entity (the
    director, top of the org tree), else the first entity listed."""
    rows = frame
    if "level" in frame.columns and (frame["level"] == "department").any():
        rows = frame[frame["level"] == "department"]
    if "entity_id" in rows.columns and len(rows):
        rows = rows[rows["entity_id"] == rows["entity_id"].iloc[0]]
    return rows


def _kpi_reason(previous, frame, row, periods, lang) -> str:
    """Seed 000 asks for the reason of each increase or decrease: the
    numerator and denominator that moved."""
    old = previous[previous["kpi"] == row["kpi"]].head(1)
    if not len(old) or "numerator" not in frame.columns:
        return say("why.kpi", lang, prev=periods[-2], cur=periods[-1])
    parts = []
    for column in ("numerator", "denominator"):
        a, b = old[column].iloc[0], row.get(column)
        if pd.notna(a) and pd.notna(b):
            parts.append(f"{header(column, lang)} {number_text(a, 0)} → {number_text(b, 0)}")
    return "; ".join(parts) or say("why.kpi", lang, prev=periods[-2], cur=periods[-1])


def _kpi_table(frame: pd.DataFrame, lang: str, title: str, *, entity: bool,
               limit: int | None = None, source: str = "") -> dict:
    shown = frame if limit is None else frame.head(limit)
    view = pd.DataFrame(index=shown.index)
    if entity:
        for column in ("entity_name", "role"):
            if column in shown.columns:
                view[column] = shown[column].astype("string")
    view["kpi_label"] = [kpi_label(k, g, lang) for k, g in
                         zip(shown["kpi"], shown.get("kpi_label", shown["kpi"]))]
    for column in ("numerator", "denominator"):
        if column in shown.columns:
            view[column] = [number_text(v, 0) if pd.notna(v) and float(v).is_integer()
                            else number_text(v, 2) for v in shown[column]]
    view["value"] = [kpi_value_text(k, v) for k, v in zip(shown["kpi"], shown["value"])]
    # a KPI reported without a target (0 or blank) shows none
    view["target"] = [kpi_value_text(k, v) if pd.notna(v) and v != 0 else ""
                      for k, v in zip(shown["kpi"], shown["target"])]
    view["achievement"] = [pct_text(a, 0) for a in _achievement(shown)]
    if "met" in shown.columns:
        view["met"] = shown["met"]
    result = table_view(view, None, lang, title, total=False,
                        headers={"achievement": say("kpi.achievement", lang),
                                 "kpi_label": "KPI" if lang != "zh" else "指标名称"})
    for column in result["columns"]:
        if column["key"] in {"numerator", "denominator", "value", "target", "achievement"}:
            column["align"] = "right"
    if limit is not None and len(frame) > limit:
        result["note"] = say("shown_of", lang, shown=limit, total=len(frame), source=source)
    result["count"] = len(frame)
    return result
