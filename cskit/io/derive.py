"""What the reader derives from the columns of real exports, after the
values are parsed: blank keys filled from a second column (数电发票号码),
notes on which column was used, red invoices, the foreign-currency check and
paid = amount − open."""
from __future__ import annotations

import pandas as pd

from cskit.i18n import Join, Text
from cskit.io import header as H
from cskit.io import values as V


def _list(items) -> Join:
    return Join((", ", "、"), [item if isinstance(item, (Text, Join)) else str(item)
                               for item in items])


def flat(groups: dict) -> set:
    return {h for headers in groups.values() for h in headers}


def coalesce(raw: pd.DataFrame, schema, notes: list) -> None:
    """A key column blank in some rows takes those rows' value from the
    next column of the same meaning (数电票: 发票号码 blank, 数电发票号码 set)."""
    from cskit.schema import COALESCE

    left = raw.attrs.get("left", {})
    for canonical in COALESCE:
        if canonical not in raw.columns:
            continue
        for other in left.get(canonical, []):
            if other not in raw.columns:
                continue
            empty = V.is_blank(raw[canonical]) & ~V.is_blank(raw[other])
            if empty.any():
                raw.loc[empty, canonical] = raw.loc[empty, other]
                notes.append(("info", Text(
                    "{column}: {n} blank cells taken from {other!r}",
                    "“{column}”列有 {n} 个空白单元格，取自“{other}”列",
                    column=raw.attrs["headers"].get(canonical, canonical), n=int(empty.sum()),
                    other=other)))


def say_choices(attrs: dict, notes: list) -> None:
    headers = attrs.get("headers", {})
    for canonical, others in attrs.get("left", {}).items():
        notes.append(("info", Text(
            "{canonical}: using column {used!r}, not {left}",
            "{canonical}：使用“{used}”列，未使用 {left}",
            canonical=canonical, used=headers.get(canonical, canonical),
            left=_list(Text("'{h}'", "“{h}”", h=o) for o in others))))
    for canonical, unit in attrs.get("unit_names", {}).items():
        factor = attrs.get("units", {}).get(canonical, 1)
        if factor != 1:
            notes.append(("info", Text(
                "{column}: amounts in {unit}, multiplied by {factor:,}",
                "“{column}”列：单位为{unit}，金额已乘以 {factor:,}",
                column=headers.get(canonical, canonical), unit=unit, factor=factor)))


def red_invoices(frame: pd.DataFrame, notes: list) -> None:
    """数电票: 是否正数发票 = 否 marks a red invoice; its amount is negative
    even when the file holds it positive."""
    if "positive_invoice" not in frame.columns or "amount" not in frame.columns:
        return
    red = frame["positive_invoice"].eq(False).fillna(False).astype(bool) & (frame["amount"] > 0)
    if red.any():
        for column in ("amount", "paid_amount", "open_amount"):
            if column in frame.columns:
                frame.loc[red, column] = -frame.loc[red, column]
        notes.append(("info", Text(
            "{n} red invoices (是否正数发票 = 否) read as negative amounts",
            "{n} 张红字发票（是否正数发票为“否”）按负数金额读取", n=int(red.sum()))))


LOCAL_CURRENCY = {"", "cny", "rmb", "人民币", "¥", "元", "本位币", "人民币元"}
_LOCAL_AMOUNT = {"以本币计的金额", "本位币金额", "本币金额", "收款金额本位币", "实收金额本位币"}


def foreign_currency(frame: pd.DataFrame, raw: pd.DataFrame, headers: dict, flag) -> None:
    """A currency column with another currency than yuan, and no local-currency
    amount: the amount cannot be added to yuan, so the row is bad. (The
    original-currency amount stays in the row for a later currency pass.)"""
    if "currency" not in frame.columns or "amount" not in frame.columns:
        return
    header = headers.get("amount", "amount")
    local = raw.attrs.get("currency", {}).get("amount") == "local" or \
        (H.describe(header).names[:1] and H.describe(header).names[0] in _LOCAL_AMOUNT)
    if local:
        return
    codes = frame["currency"].fillna("").astype(str).str.strip().str.lower()
    foreign = ~codes.isin(LOCAL_CURRENCY)
    if foreign.any():
        flag(foreign, "currency", Text(
            "CNY: this row is in {code}, and the file has no local-currency (本位币) amount, "
            "so its amount cannot be added to yuan; export the local-currency amount "
            "(本位币/以本币计的金额) too",
            "应为人民币（CNY）：此行币种为外币，而文件没有本位币金额列，不能把外币金额加到人民币里；"
            "请同时导出本位币金额（本位币/以本币计的金额）",
            code=Text("another currency", "外币")), frame["currency"])


def paid_from_open(frame: pd.DataFrame, headers: dict, notes: list) -> None:
    """An open-amount column (未核销金额, 未收金额, 余额) in place of
    paid_amount: paid = amount − open."""
    if "open_amount" not in frame.columns or "amount" not in frame.columns:
        return
    if "paid_amount" in frame.columns:
        notes.append(("info", Text(
            "paid_amount: using column {paid!r}; the open amount {open!r} is not used",
            "paid_amount：使用“{paid}”列；未使用未收金额列“{open}”",
            paid=headers.get("paid_amount"), open=headers.get("open_amount"))))
        return
    # a blank open amount is not known to be paid: nothing is taken as received
    frame["paid_amount"] = V.round_cents(frame["amount"] - frame["open_amount"]).where(
        frame["open_amount"].notna())
    notes.append(("info", Text(
        "paid_amount = {amount!r} − {open!r} (the file gives the open amount)",
        "paid_amount（已收金额）=“{amount}”−“{open}”（文件给出的是未收金额）",
        amount=headers.get("amount", "amount"), open=headers.get("open_amount"))))
