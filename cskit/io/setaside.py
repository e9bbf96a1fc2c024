"""Rows that are not data: subtotals, totals, notes and blank rows; the
check that the rows used add up to the file's own 合计; line items summed
into their document.

A row is a totals row only when it looks like one: a totals word
(小计, 合计, 总计, 累计, 本月合计, Total …) in one of its text cells and no
key of its own (the schema's ``key_columns``: an invoice number, a payment
date …). A row with its own key is data whatever its text says. Every
physical row under the header is counted: used, set aside (by kind) or
rejected.
"""
from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from cskit.i18n import Join, Text
from cskit.io import values as V

_TOTAL = re.compile(r"^(?P<pre>.{0,10}?)(?P<word>小计|合计|总计|累计|subtotal|grandtotal|totals?)"
                    r"(?P<post>.{0,6})$")
_NOTES = re.compile(r"^(制表人|制表|制单人|制单|审核人|审核|复核|打印时间|打印日期|打印人|单位[:：]"
                    r"|金额单位|币种[:：]|备注[:：]|说明[:：]|注[:：]|会计主管|财务主管|经办人|记账人"
                    r"|出纳|第\d+页|共\d+页|page\d|printed|preparedby|reviewedby)", re.IGNORECASE)
_PERIOD = ("本月", "本期", "本日", "本页", "本季", "当月", "当期", "月", "客户", "单位", "部门")

KINDS = ("subtotal", "total", "cumulative", "notes", "blank")


def kind_text(kind: str, n: int) -> Text:
    """'3 subtotal rows' for a kind of row set aside."""
    if kind == "subtotal":
        return Text("{n} subtotal row(s)", "小计行 {n} 行", n=n)
    if kind == "total":
        return Text("{n} grand-total row(s)", "合计行 {n} 行", n=n)
    if kind == "cumulative":
        return Text("{n} running-total row(s) (累计)", "累计行 {n} 行", n=n)
    if kind == "notes":
        return Text("{n} notes row(s)", "备注行（制表人、审核等）{n} 行", n=n)
    if kind == "blank":
        return Text("{n} blank row(s)", "空行 {n} 行", n=n)
    return Text("{n} line-item row(s) summed into their invoice",
                "{n} 行明细行已并入所属发票", n=n)


def _norm(value) -> str:
    text = unicodedata.normalize("NFKC", str(value))
    return re.sub(r"[\s_\-:：*]+", "", text).lower()


# characters every totals or notes label has: a cheap filter before the exact test
_LABEL_HINT = r"计|total|制|审|打|单位|页|page|prepared|reviewed|注|备|说明|主管|经办|记账|出纳|币种"


def _label(value: str) -> bool:
    """A cell that is a totals or notes label, not a value."""
    text = _norm(value)
    return bool(_total_kind(text) or _NOTES.match(text))


def _total_kind(text: str) -> str:
    match = _TOTAL.match(text)
    if not match:
        return ""
    word, pre = match["word"], match["pre"]
    if word == "累计":
        return "cumulative"
    if word in ("小计", "subtotal"):
        return "subtotal"
    if pre and any(pre.endswith(p) or pre.startswith(p) for p in _PERIOD):
        return "subtotal"
    if match["post"] and word != "合计":
        return ""
    return "total"


def classify(raw: pd.DataFrame, schema) -> pd.Series:
    """Per row: "" for data, else the kind of row set aside (see KINDS)."""
    kinds = pd.Series("", index=raw.index, dtype=object)
    if len(raw) == 0:
        return kinds
    blank = pd.Series(True, index=raw.index)
    for column in raw.columns:
        if not blank.any():
            break
        blank &= V.is_blank(raw[column]).to_numpy()
    kinds[blank] = "blank"
    keys = [k for k in schema.key_columns if k in raw.columns]
    has_key = pd.Series(False, index=raw.index)
    for key in keys:
        filled = ~V.is_blank(raw[key])
        # 合计 or 制表人：… written in the key's own column is no key
        if isinstance(raw[key].dtype, pd.StringDtype):
            # one Arrow look over the column, no filtered copy of it
            import pyarrow.compute as pc

            hint = pc.match_substring_regex(raw[key].array.__arrow_array__(), _LABEL_HINT,
                                            ignore_case=True)
            maybe = pc.fill_null(hint, False).to_numpy(zero_copy_only=False) & filled.to_numpy()
            words = raw.loc[maybe, key].map(_label)
        else:
            texts = raw.loc[filled, key]
            texts = texts[texts.map(lambda v: isinstance(v, str))] if texts.dtype == object \
                else texts
            maybe = texts.astype(str).str.contains(_LABEL_HINT, case=False, regex=True)
            words = texts[maybe.to_numpy(dtype=bool)].map(_label)
        filled.loc[words[words.astype(bool)].index] = False
        has_key |= filled.to_numpy()
    money = {c.name for c in schema.columns if c.type == "money"}
    candidates = ~blank & ~has_key
    if not candidates.any():
        return kinds
    first_text = pd.Series("", index=raw.index, dtype=object)
    found = pd.Series("", index=raw.index, dtype=object)
    for column in raw.columns:
        if column in money:
            continue
        cells = raw.loc[candidates, column]
        texts = cells[cells.map(lambda v: isinstance(v, str) and 0 < len(v.strip()) <= 24)]
        if texts.empty:
            continue
        codes, uniques = pd.factorize(texts)
        normed = [_norm(u) for u in uniques]
        kind_u = np.array([_total_kind(n) for n in normed], dtype=object)
        note_u = np.array([bool(_NOTES.match(n)) for n in normed], dtype=bool)
        kind = pd.Series(kind_u[codes], index=texts.index)
        empty_first = first_text.loc[texts.index] == ""
        note_first = pd.Series(note_u[codes], index=texts.index) & empty_first
        first_text.loc[texts.index[empty_first.to_numpy()]] = "text"
        take = (found.loc[texts.index] == "") & (kind != "")
        found.loc[take[take].index] = kind[take]
        notes = note_first & (found.loc[texts.index] == "")
        found.loc[notes[notes].index] = "notes"
    # long notes ("制表人：张三  审核：李四  打印时间：…") are longer than a label
    for column in raw.columns[:3]:
        cells = raw.loc[candidates & (found == ""), column]
        longer = cells[cells.map(lambda v: isinstance(v, str) and len(v.strip()) > 24)]
        for row, value in longer.items():
            if _NOTES.match(_norm(value)):
                found.loc[row] = "notes"
    kinds[candidates & (found != "")] = found[candidates & (found != "")]
    return kinds


def check_totals(used: pd.DataFrame, aside: pd.DataFrame, kinds: pd.Series, schema,
                 headers: dict, scales: dict) -> list[tuple[str, Text]]:
    """The rows used against the file's own totals: the last grand-total row
    against all rows used, each subtotal against the rows since the previous
    subtotal. Returns notes: ("info", …) when equal, ("warn", …) otherwise."""
    notes: list[tuple[str, Text]] = []
    money = [c.name for c in schema.columns if c.type == "money" and c.name in aside.columns]
    if not money:
        return notes
    parsed = {}
    for column in money:
        values, bad = V.parse_money(aside[column], scale=scales.get(column, 1))
        parsed[column] = values.where(~bad)
    totals = kinds[kinds == "total"].index
    if len(totals):
        row = totals[-1]
        for column in money:
            stated = parsed[column].loc[row]
            if pd.isna(stated):
                continue
            got = V.round_cents(pd.Series([used[column].sum(min_count=1)]
                                          if column in used else [np.nan])).iloc[0]
            got = 0.0 if pd.isna(got) else got
            label = headers.get(column, column)
            if round(got - stated, 2) == 0:
                notes.append(("info", Text(
                    "{column}: {total}, equal to the file's own total (row {row})",
                    "{column}：{total}，与文件自带的合计（第 {row} 行）相等",
                    column=label, total=_money(got), row=int(row))))
            else:
                notes.append(("warn", Text(
                    "{column}: the rows used add up to {got}, but the file's total (row {row}) "
                    "says {stated}; the difference is {diff}",
                    "{column}：使用的行合计为 {got}，但文件自带的合计（第 {row} 行）为 {stated}，"
                    "相差 {diff}",
                    column=label, got=_money(got), stated=_money(stated),
                    diff=_money(got - stated), row=int(row))))
    subtotals = kinds[kinds == "subtotal"].index
    if len(subtotals):
        off = []
        start = None
        for row in subtotals:
            block = used.loc[(used.index < row) & ((used.index > start) if start is not None
                                                   else True)]
            for column in money:
                stated = parsed[column].loc[row]
                if pd.isna(stated) or column not in used:
                    continue
                got = round(float(block[column].sum()), 2)
                if round(got - stated, 2) != 0:
                    off.append(int(row))
                    break
            start = row
        if off:
            notes.append(("warn", Text(
                "{n} subtotal row(s) do not equal the rows above them (rows {rows}); "
                "they were set aside, check the file",
                "{n} 个小计行与其上方各行之和不符（第 {rows} 行）；这些小计行已略过，请核对文件",
                n=len(off), rows=Join((", ", "、"), [str(r) for r in off[:10]]))))
    return notes


def _money(x: float) -> str:
    return f"{x:,.2f}"


def set_aside_text(counts: dict[str, int]) -> Join:
    parts = [kind_text(k, n) for k, n in counts.items() if n and k != "lines"]
    return Join((", ", "，"), parts)


def sum_lines(frame: pd.DataFrame, schema) -> tuple[pd.DataFrame, int, int, str | None]:
    """Rows repeating the unique key that agree on ``schema.lines`` are line
    items of one document: their money columns are summed into the first
    row. Returns (frame, rows merged away, documents that had lines, the
    unique column found to repeat no value at all, else None)."""
    unique = [c.name for c in schema.columns if c.unique]
    if not schema.lines or not unique or unique[0] not in frame.columns:
        return frame, 0, 0, None
    key = frame[unique[0]]
    if no_repeats(key):
        return frame, 0, 0, unique[0]
    repeated = key.duplicated(keep=False) & key.notna()
    if not repeated.any():
        return frame, 0, 0, unique[0]
    agree_cols = [c for c in schema.lines if c in frame.columns]
    group = frame[repeated]
    consistent = pd.Series(True, index=group.index)
    for column in agree_cols:
        distinct = group.groupby(unique[0], sort=False)[column].transform(
            lambda s: s.nunique(dropna=False))
        consistent &= distinct.to_numpy() == 1
    # rows equal in every cell are a row pasted twice, not lines of one invoice
    copies = group.astype(str).duplicated(keep=False)
    consistent &= ~copies.groupby(group[unique[0]]).transform("any").to_numpy()
    whole = consistent.groupby(group[unique[0]]).transform("all")
    lines = group[whole.to_numpy()]
    if lines.empty:
        return frame, 0, 0, None
    money = [c.name for c in schema.columns if c.type == "money" and c.name in frame.columns]
    firsts = ~lines[unique[0]].duplicated(keep="first")
    sums = lines.groupby(unique[0], sort=False)[money].sum(min_count=1)
    out = frame.copy()
    first_rows = lines.index[firsts.to_numpy()]
    for column in money:
        summed = lines.loc[first_rows, unique[0]].map(sums[column])
        out.loc[first_rows, column] = V.round_cents(summed.astype("float64")).to_numpy()
    drop = lines.index[~firsts.to_numpy()]
    out = out.drop(index=drop)
    out.attrs.update(frame.attrs)
    return out, len(drop), int(firsts.sum()), None


def no_repeats(key: pd.Series) -> bool:
    """True when no filled value of a text column repeats; False also when
    it cannot tell cheaply (not Arrow text). A column in strictly increasing
    order (documents exported by number) repeats nothing; else one Arrow
    hash of the column counts its distinct values."""
    if not (isinstance(key.dtype, pd.StringDtype) and hasattr(key.array, "__arrow_array__")):
        return False
    import pyarrow as pa
    import pyarrow.compute as pc

    values = key.array.__arrow_array__()
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if len(values) < 2:
        return True
    if not values.null_count and pc.all(pc.greater(values[1:], values[:-1])).as_py():
        return True
    distinct = len(pc.dictionary_encode(values).dictionary)  # nulls are not in it
    return distinct == len(values) - values.null_count
