"""The content of the built-in reports, as plain data.

Each built-in report is a list of sections; a section holds key figures,
charts, tables (already formatted as text, with a totals row added up in
cents), and the lines of "what needs attention". The HTML and Markdown
templates and the Word writer only lay this out, so the three formats
always say the same thing.

Seeds: 004 第九、十条 (巡访日报表, 每月巡访情况报告书: what was visited, by
whom, what remains); 003 (投诉统计报表); 000 (汇总周经营数据, 并注明增减幅的原因:
every change against the previous period comes with its reason).
"""
from __future__ import annotations

import base64
from datetime import date
from functools import cached_property

import numpy as np
import pandas as pd

from cskit.labels import (CODE_COLUMNS, FLAG_SHORT, KPI_LABELS_ZH, code_label, codes_label,
                          header, label_codes, sort_by_name)
from cskit.money import to_cents, to_yuan
from cskit.reports import charts
from cskit.reports.tables import (BUCKET_RE, DATE_COLUMNS, INT_COLUMNS, MONEY_COLUMNS,
                                  Table, pick)
from cskit.reports.text import say

# Rows a built-in report lists before pointing to the source file
TOP_ROWS = 20
PLAN_ROWS = 300
TABLE_ROWS = 5000
LOWER_IS_BETTER = {"dso_days", "median_hours_to_close"}
RATIO_KPIS_NOT = LOWER_IS_BETTER


# --- formatting -----------------------------------------------------------
def money_text(value) -> str:
    return "" if value is None or pd.isna(value) else f"{value:,.2f}"


def count_text(value) -> str:
    return "" if value is None or pd.isna(value) else f"{value:,.0f}"


def pct_text(value, digits: int = 1) -> str:
    return "" if value is None or pd.isna(value) else f"{value * 100:.{digits}f}%"


def number_text(value, digits: int = 1) -> str:
    return "" if value is None or pd.isna(value) else f"{value:,.{digits}f}"


def date_text(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, (pd.Timestamp, date)):
        return value.strftime("%Y-%m-%d")
    return str(value)


def is_money(column: str) -> bool:
    return column in MONEY_COLUMNS or bool(BUCKET_RE.match(str(column)))


def _format_column(series: pd.Series, column: str, lang: str) -> list[str]:
    if is_money(column):
        return [money_text(v) for v in series]
    if column in INT_COLUMNS:
        return [count_text(v) for v in series]
    if pd.api.types.is_bool_dtype(series):
        words = {True: "是", False: "否"} if lang == "zh" else {True: "yes", False: "no"}
        return ["" if pd.isna(v) else words[bool(v)] for v in series]
    if pd.api.types.is_datetime64_any_dtype(series) or column in DATE_COLUMNS:
        return [date_text(v) for v in series]
    if pd.api.types.is_float_dtype(series):
        whole = series.dropna()
        whole = bool(len(whole)) and bool((whole == whole.round()).all())
        return [count_text(v) if whole else number_text(v, 2) for v in series]
    if pd.api.types.is_integer_dtype(series):
        return [count_text(v) for v in series]
    if column in CODE_COLUMNS:
        shown = label_codes(series.astype("object"), column, lang, words=True)
        return ["" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)
                for v in shown]
    return ["" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)
            for v in series]


def flags_text(value, lang: str) -> str:
    """``over_limit;dso_over_target`` → words people read, one per flag."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return codes_label("flags", value, lang, words=True)


def say_value(value: str, lang: str) -> str:
    """An activity or status code as the reader's words."""
    for category in ("activity", "status", "reason"):
        shown = code_label(category, value, lang, words=True)
        if shown != value:
            return shown
    return value


def _numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def table_view(frame: pd.DataFrame, columns: list[str] | None, lang: str, title: str, *,
               total: bool = True, limit: int | None = None, source: str = "",
               headers: dict[str, str] | None = None, unit: str = "") -> dict:
    """A table ready to lay out: headers, formatted cells, totals.

    Money adds up in integer cents, so a total equals the source file's own
    to the cent. A table cut to its first LIMIT rows shows two labelled
    lines: the subtotal of the rows shown and the total of all of them
    (``unit``: "customers", "items" or rows), so that nobody adds up the
    visible rows and finds a different number. Flags are short words with a
    legend under the table."""
    columns = [c for c in (columns or list(frame.columns)) if c in frame.columns]
    shown = frame if limit is None else frame.head(limit)
    cells = {c: _format_column(shown[c], c, lang) for c in columns}
    legend = None
    if "flags" in cells:
        cells["flags"], legend = short_flags(shown["flags"], lang)
    rows = [[cells[c][i] for c in columns] for i in range(len(shown))]
    cut = limit is not None and len(frame) > limit
    # the label of a totals line spans the text columns before the first number
    span = next((i for i, c in enumerate(columns) if is_money(c) or c == "open_invoices"),
                len(columns))

    def totals_of(rows_frame: pd.DataFrame, label: str) -> list[str]:
        line = []
        for i, column in enumerate(columns):
            if is_money(column):
                line.append(money_text(to_yuan(int(to_cents(rows_frame[column]).sum()))))
            elif column in {"open_invoices"}:
                line.append(count_text(rows_frame[column].sum()))
            else:
                line.append(label if i == 0 else "")
        return line

    totals = subtotal = None
    if total and any(is_money(c) for c in columns) and len(frame):
        if cut:
            subtotal = totals_of(shown, say("subtotal_shown", lang, n=len(shown)))
            totals = totals_of(frame, say(f"total_all.{unit}" if unit else "total_all", lang,
                                          n=len(frame)))
        else:
            totals = totals_of(frame, say("total", lang))
    note = None
    if cut:
        note = say("shown_of", lang, shown=limit, total=len(frame), source=source or "the data")
    return {
        "title": title,
        "columns": [{"key": c, "header": (headers or {}).get(c, _header(c, lang)),
                     "align": "right" if _numeric(frame[c]) and not
                     pd.api.types.is_bool_dtype(frame[c]) else "left",
                     # dates, codes and short words stay on one line; names wrap
                     "nowrap": max([_width(v) for v in cells[c]] + [0]) <= 16,
                     "kind": "flags" if c == "flags" else "name" if c.endswith("_name")
                     else ""}
                    for c in columns],
        "rows": rows,
        "totals": totals,
        "subtotal": subtotal,
        "span": max(span, 1),
        "legend": legend,
        "note": note,
        "count": len(frame),
        "wide": len(columns) > WIDE_COLUMNS,
    }


WIDE_COLUMNS = 8  # a section with a wider table prints landscape


def _width(text) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(text))


def short_flags(values: pd.Series, lang: str) -> tuple[list[str], str | None]:
    """Flags as short words (超限 周转超标) and the legend of those used
    (超限 = 超出限额；…)."""
    zh = lang == "zh"
    used: list[str] = []
    shown = []
    for value in values:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            shown.append("")
            continue
        words = []
        for flag in (f.strip() for f in str(value).split(";") if f.strip()):
            if flag not in used:
                used.append(flag)
            words.append(FLAG_SHORT.get(flag, (flag, code_label("flags", flag, lang)))[zh])
        shown.append(" ".join(words))
    if not used:
        return shown, None
    parts = [f"{FLAG_SHORT.get(f, (f, code_label('flags', f, lang)))[zh]} = "
             f"{code_label('flags', f, lang, words=True)}" for f in used]
    return shown, say("legend", lang) + ("：" if zh else ": ") + ("；" if zh else "; ").join(parts)


def _header(column: str, lang: str) -> str:
    """Chinese headers from cskit.labels; English ones readable in a report
    ("credit_limit" → "Credit limit")."""
    if lang == "zh" or (BUCKET_RE.match(str(column)) and column != "not_due"):
        return header(column, lang)
    text = str(column).replace("_", " ")
    return text[:1].upper() + text[1:]


class Chart:
    """A chart drawn only when a format shows it (Markdown never does):
    ``png`` bytes for Word, ``uri`` (a data URI) for HTML."""

    def __init__(self, title: str, draw, name: str):
        self.title = title
        self.name = name
        self.draw = draw

    @cached_property
    def png(self) -> bytes:
        return self.draw()

    @cached_property
    def uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")

    def __getitem__(self, key: str):
        return getattr(self, key)

    def __str__(self) -> str:
        # ``<img src="{{ charts.grades }}">`` in a user's HTML template
        return self.uri


def chart(title: str, draw, name: str) -> Chart:
    return Chart(title, draw, name)


def figure(label: str, value: str, note: str = "", level: str = "") -> dict:
    return {"label": label, "value": value, "note": note, "level": level}


def section(kind: str, lang: str, **parts) -> dict:
    base = {"id": kind, "title": say(f"section.{kind}", lang), "figures": [], "charts": [],
            "tables": [], "attention": [], "changes": [], "paragraphs": [], "sources": []}
    base.update(parts)
    return base


def _who(frame: pd.DataFrame) -> list[str]:
    """The column that names a row for a reader: the customer's name (its
    code only when there is no name), or the salesperson or branch."""
    for column in ("customer_name", "customer_id", "salesperson", "branch"):
        if column in frame.columns:
            return [column]
    return []


def _sum(frame: pd.DataFrame, column: str) -> float:
    if column not in frame.columns:
        return 0.0
    return float(to_yuan(int(to_cents(frame[column]).sum())))


def _flags(frame: pd.DataFrame, flag: str) -> pd.Series:
    if "flags" not in frame.columns:
        return pd.Series(False, index=frame.index)
    return frame["flags"].astype("string").str.contains(flag, regex=False).fillna(False) \
        .astype(bool)


# --- aging ----------------------------------------------------------------
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


# --- credit ---------------------------------------------------------------
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


def _signed(value: float, money: bool = False, pct: bool = False) -> str:
    if value is None or pd.isna(value):
        return ""
    text = pct_text(abs(value)) if pct else money_text(abs(value)) if money \
        else number_text(abs(value))
    return ("+" if value > 0 else "−" if value < 0 else "±") + text


# --- kpi ------------------------------------------------------------------
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


# --- visits ---------------------------------------------------------------
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


# --- any table ------------------------------------------------------------
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


# --- whole reports ----------------------------------------------------------
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
