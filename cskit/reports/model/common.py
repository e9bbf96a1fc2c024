"""What every section of a built-in report shares: the formatting of
numbers and dates, tables ready to lay out (totals added up in cents),
key figures, charts drawn on demand and the empty section."""
from __future__ import annotations

import base64
from datetime import date
from functools import cached_property

import pandas as pd

from cskit.labels import CODE_COLUMNS, FLAG_SHORT, code_label, codes_label, header, label_codes
from cskit.money import to_cents, to_yuan
from cskit.reports.tables import BUCKET_RE, DATE_COLUMNS, INT_COLUMNS, MONEY_COLUMNS
from cskit.reports.text import say

# Rows a built-in report lists before pointing to the source file
TOP_ROWS = 20
PLAN_ROWS = 300
TABLE_ROWS = 5000


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


def _signed(value: float, money: bool = False, pct: bool = False) -> str:
    if value is None or pd.isna(value):
        return ""
    text = pct_text(abs(value)) if pct else money_text(abs(value)) if money \
        else number_text(abs(value))
    return ("+" if value > 0 else "−" if value < 0 else "±") + text
