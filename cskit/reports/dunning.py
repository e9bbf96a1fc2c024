"""Collection letters (催款函) by level, from aging-report's open items.

Pure functions: ``letters`` takes the open items (aging-report ``--detail``)
and the aging policy's ``[dunning]`` table and gives one letter per customer
with overdue items, at the level its oldest overdue item reaches (defaults:
1–30 days 提醒函, 31–90 催款函, 91+ 最后通知 that mentions legal steps — seed
004 第十三条: 及时提醒业务人员货款的额度和账龄, and its goal of no receivable
unpaid six months after shipment).
"""
from __future__ import annotations

import string
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cskit.i18n import Text
from cskit.money import to_cents, to_yuan

LEVEL_KEYS = {"level": int, "min_days": int, "name": str, "name_en": str, "text": str,
              "text_en": str}
TEXT_FIELDS = {"pay_by", "overdue", "days"}


@dataclass
class Letters:
    """``table``: one row per letter — customer_id, customer_name, owner,
    level, level_name, overdue_total, oldest_days_overdue, balance,
    sent_date, pay_by_date. ``items``: the overdue items, one row each, in
    the letters' order."""

    table: pd.DataFrame
    items: pd.DataFrame


def check_policy(policy: dict) -> list[Text]:
    """Checks of the ``[statement]``, ``[dunning]`` and ``[company]`` tables."""
    problems: list[Text] = []
    days = policy.get("statement", {}).get("return_days")
    if not isinstance(days, int) or days < 0:
        problems.append(Text("{key}: expected a whole number of days, 0 or more, got {value!r}",
                             "{key}：应为不小于 0 的整数天数，实际是 {value!r}",
                             key="statement.return_days", value=days))
    dunning = policy.get("dunning", {})
    pay_days = dunning.get("pay_days")
    if not isinstance(pay_days, int) or pay_days < 0:
        problems.append(Text("{key}: expected a whole number of days, 0 or more, got {value!r}",
                             "{key}：应为不小于 0 的整数天数，实际是 {value!r}",
                             key="dunning.pay_days", value=pay_days))
    levels = dunning.get("levels")
    if not isinstance(levels, list) or not levels:
        return problems + [Text("{key}: expected at least one [[dunning.levels]] table",
                                "{key}：至少应有一个 [[dunning.levels]] 表", key="dunning.levels")]
    for i, level in enumerate(levels, start=1):
        where = f"dunning.levels[{i}]"
        if not isinstance(level, dict):
            problems.append(Text("{key}: expected a table", "{key}：应为表", key=where))
            continue
        for key in level:
            if key not in LEVEL_KEYS:
                problems.append(Text("{key}: unknown key (expected {keys})",
                                     "{key}：没有这个设置项（可用：{keys}）",
                                     key=f"{where}.{key}", keys=", ".join(LEVEL_KEYS)))
        for key, kind in LEVEL_KEYS.items():
            value = level.get(key)
            if not isinstance(value, kind) or isinstance(value, bool):
                problems.append(Text("{key}: missing or not {kind}", "{key}：缺少，或不是{kind_zh}",
                                     key=f"{where}.{key}",
                                     kind="a whole number" if kind is int else "text",
                                     kind_zh="整数" if kind is int else "文本"))
            elif kind is str and key.startswith("text"):
                try:
                    used = {name for _, name, _, _ in string.Formatter().parse(value) if name}
                except ValueError:
                    used = {"?"}
                if used - TEXT_FIELDS:
                    problems.append(Text("{key}: unknown placeholder(s) {names}; a letter's text "
                                         "may use {{pay_by}}, {{overdue}} and {{days}}",
                                         "{key}：占位符 {names} 不可用；函件正文只能用 "
                                         "{{pay_by}}、{{overdue}} 和 {{days}}",
                                         key=f"{where}.{key}",
                                         names=", ".join(sorted(used - TEXT_FIELDS))))
        if isinstance(level.get("min_days"), int) and level["min_days"] < 1:
            problems.append(Text("{key}: expected 1 or more (a letter is for overdue money)",
                                 "{key}：应不小于 1（催款函只针对已逾期的款项）",
                                 key=f"{where}.min_days"))
    good = [lv for lv in levels if isinstance(lv, dict) and isinstance(lv.get("min_days"), int)
            and isinstance(lv.get("level"), int)]
    ordered = sorted(good, key=lambda lv: lv["level"])
    if [lv["min_days"] for lv in ordered] != sorted({lv["min_days"] for lv in ordered}):
        problems.append(Text("{key}: min_days must rise with the level, each level its own",
                             "{key}：min_days 须随级别升高而增大，且各级不同",
                             key="dunning.levels"))
    return problems


def letters(detail: pd.DataFrame, policy: dict, *, sent, lang: str = "en") -> Letters:
    """One letter per customer with overdue money (days_overdue ≥ 1 and an
    open amount above 0) in ``detail`` (aging-report's open items)."""
    sent = pd.Timestamp(sent).normalize()
    levels = sorted(policy["dunning"]["levels"], key=lambda lv: lv["min_days"])
    pay_by = sent + pd.Timedelta(days=int(policy["dunning"]["pay_days"]))
    open_cents = to_cents(detail["outstanding"].to_numpy(dtype="float64", na_value=np.nan))
    days = detail["days_overdue"].to_numpy(dtype="float64", na_value=np.nan)
    overdue = (np.nan_to_num(days) >= 1) & (open_cents > 0)
    items = detail[overdue].copy()
    items["_cents"] = open_cents[overdue]
    items = items.sort_values(["customer_id", "days_overdue", "invoice_no"],
                              ascending=[True, False, True], kind="stable")
    balance = pd.Series(open_cents, index=detail.index).groupby(
        detail["customer_id"].astype("str")).sum()
    grouped = items.groupby("customer_id", sort=True)
    table = pd.DataFrame({
        "overdue_cents": grouped["_cents"].sum(),
        "oldest_days_overdue": grouped["days_overdue"].max().astype("int64"),
    })
    first = grouped.first()  # the most overdue item's name and salesperson
    ids = table.index
    table["customer_name"] = (first["customer_name"] if "customer_name" in first
                              else pd.Series(pd.NA, index=ids)).astype("object")
    table["owner"] = (first["salesperson"] if "salesperson" in first
                      else pd.Series(pd.NA, index=ids)).astype("object")
    floors = np.asarray([lv["min_days"] for lv in levels])
    position = np.searchsorted(floors, table["oldest_days_overdue"].to_numpy(), side="right") - 1
    position = np.clip(position, 0, len(levels) - 1)  # below the first floor: the first level
    name_key = "name" if lang == "zh" else "name_en"
    out = pd.DataFrame({
        "customer_id": ids.to_numpy(),
        "customer_name": table["customer_name"].to_numpy(dtype=object, na_value=None),
        "owner": table["owner"].to_numpy(dtype=object, na_value=None),
        "level": np.asarray([levels[p]["level"] for p in position], dtype="int64"),
        "level_name": [levels[p][name_key] for p in position],
        "overdue_total": to_yuan(table["overdue_cents"].to_numpy(dtype="int64")),
        "oldest_days_overdue": table["oldest_days_overdue"].to_numpy(),
        "balance": to_yuan(balance.reindex(ids).fillna(0).to_numpy(dtype="int64")),
        "sent_date": pd.Series([sent] * len(ids), dtype="datetime64[ns]"),
        "pay_by_date": pd.Series([pay_by] * len(ids), dtype="datetime64[ns]"),
    })
    out["_text"] = [levels[p]["text" if lang == "zh" else "text_en"] for p in position]
    return Letters(table=out, items=items.drop(columns="_cents"))
