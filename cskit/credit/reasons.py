"""The ``reasons`` text: one clause per rule applied or point lost, built
once per distinct code and spread over the rows in Arrow."""
from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd

from cskit.credit.items import ANSWERS, NAMES, SUBJECTIVE


CHUNK_ROWS = 32768  # rows joined at a time: the temporary columns stay small


def join_clauses(sections: list[tuple[np.ndarray, Callable[[int], str]]], separator: str):
    """Join each row's clauses, one per section, skipping empty ones.

    Each section is (code per row, code → clause): the clause of each
    distinct code is written once, then spread over the rows and joined
    column-wise in Arrow, CHUNK_ROWS rows at a time (only the joined text
    is kept, not a column per clause). Returns a pyarrow string array,
    chunked (null when a row has no clause at all).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(sections[0][0]) if sections else 0
    single = len(sections) == 1
    spread = []  # (codes, lowest code, position of each code's clause, clauses)
    for codes, build in sections:
        codes = np.asarray(codes, dtype=np.int64)
        if n == 0:
            continue
        low = int(codes.min())  # codes are small integers: count instead of sorting
        if int(codes.max()) - low > 4 * n + 1024:  # not small (days overdue…): sort
            distinct, codes = np.unique(codes, return_inverse=True)
            clauses = [build(int(c)) for c in distinct]
            if any(clauses):
                spread.append((codes.reshape(-1), 0, np.arange(len(distinct)), clauses))
            continue
        distinct = np.flatnonzero(np.bincount(codes - low)) + low
        clauses = [build(int(c)) for c in distinct]
        if not any(clauses):
            continue
        where = np.zeros(int(distinct[-1]) - low + 1, dtype=np.int64)
        where[distinct - low] = np.arange(len(distinct))
        spread.append((codes, low, where, clauses))
    if not spread:
        return pa.nulls(n, type=pa.large_string())
    # each clause carries its separator and the last one is cut off after
    # joining (Arrow's null-skipping join loses rows without any); when the
    # last section has a clause on every row, it goes without and nothing is cut
    last_always = not single and all(spread[-1][3])
    parts = []  # (position of each row's text, texts)
    for i, (codes, low, where, clauses) in enumerate(spread):
        if single:
            shown = [c or None for c in clauses]
        elif last_always and i == len(spread) - 1:
            shown = clauses
        else:
            shown = [c + separator if c else "" for c in clauses]
        parts.append((where[codes - low], shown))
    if not single:
        parts = _merged(parts)
    texts = [pa.array(shown, type=pa.large_string()) for _, shown in parts]  # pandas' str
    cut = len(separator) if not single and not last_always else 0
    chunks = []
    for start in range(0, n, CHUNK_ROWS):
        stop = min(start + CHUNK_ROWS, n)
        columns = [text.take(pa.array(at[start:stop])) for text, (at, _) in zip(texts, parts)]
        if single:
            chunks.append(columns[0])
            continue
        joined = columns[0] if len(columns) == 1 else pc.binary_join_element_wise(
            *columns, pa.scalar("", pa.large_string()))
        if cut:
            joined = pc.utf8_slice_codeunits(joined, 0, -cut)
        if not last_always and pc.min(pc.binary_length(joined)).as_py() == 0:
            joined = pc.if_else(pc.equal(joined, ""), pa.scalar(None, pa.large_string()),
                                joined)
        chunks.append(joined)
    return pa.chunked_array(chunks, type=pa.large_string())


MERGED_TEXTS = 4096  # most texts of sections written together (see _merged)


def _merged(parts: list[tuple[np.ndarray, list[str]]]) -> list[tuple[np.ndarray, list[str]]]:
    """Neighbouring sections written as one while the combinations that occur
    stay few: a row's text is the same, and Arrow takes and joins a few long
    columns instead of many short ones (the cost is per column and row)."""
    merged = [parts[0]]
    for at, shown in parts[1:]:
        first, texts = merged[-1]
        if len(texts) * len(shown) > MERGED_TEXTS:
            merged.append((at, shown))
            continue
        pair = first * len(shown) + at
        occurring = np.flatnonzero(np.bincount(pair, minlength=len(texts) * len(shown)))
        number = np.zeros(len(texts) * len(shown), dtype=np.int64)
        number[occurring] = np.arange(len(occurring))
        merged[-1] = (number[pair], [texts[p // len(shown)] + shown[p % len(shown)]
                                     for p in occurring.tolist()])
    return merged


def text_series(values, index) -> pd.Series:
    """A pyarrow string array as a pandas ``str`` column (null → NaN)."""
    return pd.Series(pd.array(values, dtype="str"), index=index)


def _number(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _amount(yuan: float, zh: bool) -> str:
    if zh:
        return f"{yuan / 10000:g}万元"
    return f"{yuan:,.0f}" if float(yuan).is_integer() else f"{yuan:,.2f}"


def _months_clause(code: int, policy: dict, zh: bool) -> str:
    new = policy["new_customers"]
    exception = _amount(policy["approval"]["exception_max"], zh)
    if code == 1:
        return ("无任何法律资质:不予评级,现款现货,例外赊欠由销售副总审批,总额不超过" + exception
                if zh else "no legal qualification: not rated, cash on delivery "
                f"(exceptions up to {exception} by the sales VP)")
    if code == 2:
        return "合作月数不详:按全年计算" if zh else "months active unknown: taken as a full year"
    if 100 <= code < 200:
        m = code - 100
        return (f"合作{m}个月,不足{new['unrated_below_months']}个月:不参与评级" if zh
                else f"trading {m} months, under {new['unrated_below_months']}: not rated")
    if code >= 200:
        m = code - 200
        return (f"新客户合作{m}个月:金额按12/{m}折算为全年" if zh
                else f"new customer, {m} months: amounts annualised × 12/{m}")
    return ""


def _missing_clause(mask: int, columns: tuple, points: dict, group: str, zh: bool) -> str:
    if mask == 0:
        return ""
    missing = [c for bit, c in enumerate(columns) if mask >> bit & 1]
    held = sum(points.values()) - sum(points[c] for c in missing)
    total = sum(points.values())
    if zh:
        title = "法律资质" if group == "legal" else "其他资质"
        items = "、".join(f"{NAMES[c][1]}(-{_number(points[c])})" for c in missing)
        return f"{title}{_number(held)}/{_number(total)}分,缺{items}"
    items = ", ".join(f"{NAMES[c][0]} (-{_number(points[c])})" for c in missing)
    return f"{group} qualifications {_number(held)}/{_number(total)}: no {items}"


def _amount_clause(code: int, column: str, table: dict, zh: bool) -> str:
    floors, points = table["floors"], table["points"]
    top = max(list(points) + [table["below"]])
    name = NAMES[column][1 if zh else 0]
    if code == 0:
        return f"{name}空白:0/{_number(top)}分" if zh else f"{name} blank: 0/{_number(top)}"
    if code <= len(floors):
        earned = points[code - 1]
        if earned >= top:
            return ""
        floor = _amount(floors[code - 1], zh)
        return (f"{name}≥{floor}:{_number(earned)}/{_number(top)}分" if zh
                else f"{name} ≥ {floor}: {_number(earned)}/{_number(top)}")
    if code == len(floors) + 1:
        lowest = _amount(floors[-1], zh) if floors else "0"
        if column == "annual_profit":
            return (f"{name}低于{lowest}:{_number(table['below'])}/{_number(top)}分" if zh
                    else f"{name} above 0 but below {lowest}: "
                    f"{_number(table['below'])}/{_number(top)}")
        return (f"{name}低于{lowest}:{_number(table['below'])}/{_number(top)}分" if zh
                else f"{name} below {lowest}: {_number(table['below'])}/{_number(top)}")
    earned = table.get("not_positive", 0)
    return (f"{name}≤0:{_number(earned)}/{_number(top)}分" if zh
            else f"{name} zero or a loss: {_number(earned)}/{_number(top)}")


def _subjective_items(policy: dict, zh: bool = False) -> list[tuple[str, list, int]]:
    """(column, list of code → (label, points), radix) in the order of the code."""
    items = []
    for column in SUBJECTIVE:
        if column == "years_established":
            table = policy["subjective"]["years_established"]
            floors = table["floors"]
            more_than = table.get("top_more_than", False)
            values = [(None, 0.0)]
            for i, (floor, points) in enumerate(zip(floors, table["points"])):
                if i == 0:
                    shown = f"{'>' if more_than else '≥'}{_number(floor)}"
                elif i == 1 and more_than:  # 3~5年: up to the top floor, included
                    shown = f"{_number(floor)}–{_number(floors[0])}"
                else:  # 1~2年: up to, not including, the next floor
                    shown = (f"{_number(floor)}至不满{_number(floors[i - 1])}" if zh
                             else f"{_number(floor)} to under {_number(floors[i - 1])}")
                values.append((shown, points))
            values += [(f"<{_number(floors[-1])}" if floors else "", table["below"])]
        else:
            answers = policy["subjective"][column]
            values = [(None, 0.0)] + [(label, answers[label])
                                      for label in ANSWERS[column].values()]
        items.append((column, values, len(values)))
    return items


def _subjective_clause(code: int, policy: dict, zh: bool, absent=(), items=None) -> str:
    """The subjective points lost, item by item; items not in the file
    (``absent``) are named by the clause of absent columns instead.
    ``items``: ``_subjective_items(policy, zh)``, when the caller has them."""
    items = _subjective_items(policy, zh) if items is None else items
    parts, total = [], 0.0
    for column, values, radix in reversed(items):
        code, own = divmod(code, radix)
        label, earned = values[own]
        top = max(p for _, p in values[1:]) if len(values) > 1 else 0
        total += earned
        if earned < top and column not in absent:
            name = NAMES[column][1 if zh else 0]
            if label is None:
                shown = "空白" if zh else "blank"
            elif column == "years_established":
                shown = f"{label}年" if zh else f"{label} years"
            else:
                shown = label
            parts.append(f"{name}{shown} {_number(earned)}/{_number(top)}" if zh
                         else f"{name} {shown} {_number(earned)}/{_number(top)}")
    if not parts:
        return ""
    top_total = sum(max(p for _, p in values[1:]) for _, values, _ in items)
    parts.reverse()
    if zh:
        return f"主观评价{_number(total)}/{_number(top_total)}分({','.join(parts)})"
    return f"subjective {_number(total)}/{_number(top_total)} ({', '.join(parts)})"


def _bad_record_clause(code: int, policy: dict, zh: bool) -> str:
    bad = policy["bad_records"]
    late, breach, recon = code & 1, code >> 1 & 1, code >> 2
    parts = []
    if late or breach:
        raw = late * bad["late_after_promise"] + breach * bad["breach_of_settlement"]
        pair = max(raw, bad["late_payment_cap"])
        names = [NAMES[c][1 if zh else 0] for c, on in
                 (("late_after_promise", late), ("breach_of_settlement", breach)) if on]
        capped = raw < pair
        if zh:
            text = "、".join(names) + f" {_number(pair)}"
            parts.append(text + (f"(拖延回款合计最多扣{_number(-pair)}分)" if capped else ""))
        else:
            text = " and ".join(names) + f" {_number(pair)}"
            parts.append(text + (f" (late-payment pair capped at {_number(pair)})"
                                 if capped else ""))
    if recon:
        label = list(ANSWERS["reconciliation"].values())[recon - 1]
        points = bad["reconciliation"][label]
        if points:
            parts.append(f"对账情况{label} {_number(points)}" if zh
                         else f"reconciliation {label} {_number(points)}")
    if not parts:
        return ""
    return ("不良记录:" + ",".join(parts)) if zh else "bad records: " + ", ".join(parts)


def _downgrade_clause(code: int, policy: dict, zh: bool) -> str:
    down = policy["downgrades"]
    parts = []
    if code & 1 and down["subjective_levels"]:
        n = down["subjective_levels"]
        parts.append(f"主观评价低于{_number(down['subjective_below'])}分:下调{n}个级别" if zh
                     else f"subjective below {_number(down['subjective_below'])}: "
                     f"down {n} level{'s' if n != 1 else ''}")
    if code & 4 and down["subjective_levels"]:
        parts.append("部分主观评价项不在文件中(缺列不等于低分):不因主观评价下调级别" if zh
                     else "subjective items not in the file (absent is not a low score): "
                     "no subjective downgrade")
    if code & 2 and down["salesperson_advance_levels"]:
        n = down["salesperson_advance_levels"]
        parts.append(f"业务员代客户垫支:下调{n}个级别" if zh
                     else f"salesperson advanced money: down {n} level{'s' if n != 1 else ''}")
    return ("；" if zh else "; ").join(parts)


def _table_clause(code: int, policy: dict, zh: bool) -> str:
    stricter = policy["grades"]["stricter"]
    if code == 1:
        return "混合业务:按主营业务的等级表评定" if zh else \
            "mixed business: graded on its primary business's table"
    if code == 2:
        return (f"混合业务未注明主营业务:按较严的{stricter}业务等级表评定" if zh
                else f"mixed business without a primary business: graded on the stricter "
                f"{stricter} table")
    if code == 3:
        return (f"业务类型空白:按较严的{stricter}业务等级表评定" if zh
                else f"no business type: graded on the stricter {stricter} table")
    return ""


def _approval_clause(code: int, policy: dict, zh: bool) -> str:
    exception = _amount(policy["approval"]["exception_max"], zh)
    if code == 1:
        return (f"最低级别:现款现货,例外赊欠由销售副总控制,总额不超过{exception}" if zh
                else f"lowest level: cash on delivery, exceptions up to {exception} "
                "by the sales VP")
    if code == 2:
        return (f"未评级:现款现货,例外赊欠由销售副总控制,总额不超过{exception}" if zh
                else f"not rated: cash on delivery, exceptions up to {exception} "
                "by the sales VP")
    return ""


def subjective_top(policy: dict, columns) -> float:
    """The most points the subjective items ``columns`` can give."""
    total = 0.0
    for column in columns:
        table = policy["subjective"][column]
        if column == "years_established":
            total += max(list(table["points"]) + [table["below"]])
        else:
            total += max(table.values())
    return total


def _limit_text(yuan: float, zh: bool) -> str:
    return "0" if yuan == 0 else _amount(yuan, zh)


def chain_clause(score: float, level: int | None, final: int | None, label: str,
                 limit: float, approver: str, status: str, zh: bool) -> str:
    """The chain score → level → grade → limit → approver of one combination
    (the last clause of every row's reasons)."""
    from cskit.labels import APPROVERS_ZH

    approver_shown = (APPROVERS_ZH.get(approver, approver) + "审批" if zh
                      else f"approver {approver}")
    limit_shown = _limit_text(float(limit), zh)
    if status == "rated":
        lowered = "" if final == level else (f"下调为{final}" if zh else f", lowered to {final}")
        steps = ([f"总分{_number(float(score))}", f"级别{level}{lowered}", label,
                  f"赊欠限额{limit_shown}", approver_shown] if zh
                 else [f"score {_number(float(score))}", f"level {level}{lowered}",
                       f"grade {label}", f"limit {limit_shown}", approver_shown])
    else:
        not_rated = (("不予评级" if status == "cash_only" else "暂不评级") if zh
                     else ("not rated" if status == "cash_only" else "not rated yet"))
        steps = ([f"总分{_number(float(score))}", not_rated, label,
                  f"赊欠限额{limit_shown}", approver_shown] if zh
                 else [f"score {_number(float(score))}", not_rated, f"grade {label}",
                       f"limit {limit_shown}", approver_shown])
    return " → ".join(steps)


CHAIN_COLUMNS = ("score", "level", "final_level", "grade_label", "credit_limit", "approver",
                 "status")
CHAIN_SPAN = 2 ** 62  # combined codes stay below this (int64)


def chain_texts(out: pd.DataFrame, zh: bool) -> tuple[np.ndarray, list[str]]:
    """Per row of OUT the code of its chain score → level → grade → limit →
    approver (from the output columns), and the chain of each code: built
    once per distinct combination."""
    code = np.zeros(len(out), dtype=np.int64)
    span = 1  # every code is below it: the columns' keys in mixed radix, numbered once
    for column in CHAIN_COLUMNS:
        key, uniques = pd.factorize(out[column])  # a blank is -1
        if span * (len(uniques) + 1) >= CHAIN_SPAN:  # would not fit: number them first
            code = pd.factorize(code)[0]
            span = int(code.max()) + 1 if len(out) else 1
        code = code * (len(uniques) + 1) + key + 1
        span *= len(uniques) + 1
    code = pd.factorize(code)[0]
    example = np.zeros(int(code.max()) + 1 if len(out) else 0, dtype=np.int64)
    example[code] = np.arange(len(out))  # a row of each combination
    rows = out[list(CHAIN_COLUMNS)].iloc[example]
    return code, [chain_clause(*row, zh=zh) for row in rows.itertuples(index=False, name=None)]
