"""render-report's identities: statements of account and collection letters."""
from __future__ import annotations

import numpy as np
import pandas as pd

from cskit.i18n import Text
from cskit.money import to_cents
from cskit.reconcile.common import _day, _fail, _yuan


def statement(invoices: pd.DataFrame, payments: pd.DataFrame | None, end,
              customers: pd.DataFrame, lines: pd.DataFrame) -> None:
    """render-report statement's identities, per customer, to the cent:
    opening + debits − credits = closing; the last line's running balance
    is the closing balance; the closing balance is the customer's invoices −
    paid_amount − payments dated on or before the period's end (from the
    input rows); and it equals aging-report's net outstanding at that date."""
    if not len(customers):
        return
    day = np.datetime64(pd.Timestamp(end).date(), "D")
    ids = customers["customer_id"].astype("str")
    owed = pd.Series(0, index=pd.Index(ids.unique()), dtype="int64")
    used = _day(invoices["invoice_date"]) <= day
    amount = to_cents(invoices["amount"].to_numpy(dtype="float64", na_value=np.nan))[used]
    who = invoices["customer_id"].astype("str").to_numpy(dtype="object")[used]
    parts = [pd.Series(amount, index=who)]
    if "paid_amount" in invoices.columns:
        paid = np.abs(to_cents(invoices["paid_amount"].to_numpy(dtype="float64",
                                                                na_value=np.nan)))[used]
        parts.append(pd.Series(-np.where(amount < 0, -1, 1) * paid, index=who))
    if payments is not None and len(payments):
        kept = _day(payments["payment_date"]) <= day
        parts.append(pd.Series(-to_cents(payments["amount"].to_numpy(
            dtype="float64", na_value=np.nan))[kept], index=payments["customer_id"].astype(
            "str").to_numpy(dtype="object")[kept]))
    sums = pd.concat(parts).groupby(level=0).sum()
    owed = owed.add(sums, fill_value=0).reindex(ids).fillna(0).astype("int64").to_numpy()

    def cents(column):
        return to_cents(customers[column].to_numpy(dtype="float64", na_value=np.nan))

    closing = cents("closing")
    last = (lines.groupby("customer_id", sort=False)["balance"].last()
            if len(lines) else pd.Series(dtype="float64"))
    last = to_cents(last.reindex(ids).to_numpy(dtype="float64"))
    has_lines = ids.isin(set(lines["customer_id"].astype("str"))).to_numpy() if len(lines) \
        else np.zeros(len(ids), dtype=bool)
    moved = cents("opening") + cents("debits") - cents("credits")
    net = cents("net_outstanding")
    checks = [  # (wrong, what, figure, what it should be)
        (moved != closing, Text("opening + debits − credits is not the closing balance",
                                "期初余额 + 借方 − 贷方 不等于期末余额"), moved, closing),
        (has_lines & (last != closing), Text("the last line's balance is not the closing "
                                             "balance", "明细最后一行的余额不等于期末余额"),
         last, closing),
        (owed != closing, Text("the closing balance is not the customer's invoices − "
                               "paid_amount − payments up to the period's end",
                               "期末余额不等于该客户截至期末的发票 − 已收金额 − 回款"),
         closing, owed),
        (net != closing, Text("the aging's net outstanding is not the closing balance",
                              "账龄分析的净应收不等于期末余额"), net, closing),
    ]
    broken: list[Text] = []
    for wrong, what, got, expected in checks:
        rows = np.flatnonzero(wrong)
        if len(rows):
            first = int(rows[0])
            broken.append(Text("{what}: {count} customer(s), first {customer} ({got} instead "
                               "of {expected})",
                               "{what}：共 {count} 个客户，第一个为 {customer}（为 {got}，"
                               "应为 {expected}）",
                               what=what, count=len(rows), customer=ids.iloc[first],
                               got=_yuan(int(got[first])), expected=_yuan(int(expected[first]))))
    if broken:
        _fail("render-report statement", broken)


def dunning(detail: pd.DataFrame, letters: pd.DataFrame, items: pd.DataFrame) -> None:
    """render-report dunning's identities, to the cent: every customer with
    overdue money in the open items (days_overdue ≥ 1, outstanding above 0)
    has one letter; its overdue_total is the sum of those items and of the
    items the letter lists; its balance is the sum of all the customer's
    open items."""
    open_cents = to_cents(detail["outstanding"].to_numpy(dtype="float64", na_value=np.nan))
    days = np.nan_to_num(detail["days_overdue"].to_numpy(dtype="float64", na_value=np.nan))
    who = detail["customer_id"].astype("str").to_numpy(dtype="object")
    overdue = (days >= 1) & (open_cents > 0)
    owed = pd.Series(open_cents[overdue], index=who[overdue]).groupby(level=0).sum()
    balance = pd.Series(open_cents, index=who).groupby(level=0).sum()
    ids = letters["customer_id"].astype("str")
    listed = (pd.Series(to_cents(items["outstanding"].to_numpy(dtype="float64", na_value=np.nan)),
                        index=items["customer_id"].astype("str").to_numpy(dtype="object"))
              .groupby(level=0).sum() if len(items) else pd.Series(dtype="int64"))
    total = to_cents(letters["overdue_total"].to_numpy(dtype="float64", na_value=np.nan))
    shown = to_cents(letters["balance"].to_numpy(dtype="float64", na_value=np.nan))
    broken: list[Text] = []
    missing = sorted(set(owed.index) ^ set(ids))
    if missing or ids.duplicated().any():
        broken.append(Text("{count} customer(s) with overdue items but not one letter each "
                           "(first: {customer})",
                           "有 {count} 个客户有逾期项目却不是恰好一封催款函（第一个：{customer}）",
                           count=len(missing) or int(ids.duplicated().sum()),
                           customer=(missing or list(ids[ids.duplicated()]))[0]))
    for what, got, expected in (
            (Text("overdue_total is not the sum of the customer's overdue items",
                  "逾期金额合计不等于该客户各逾期项目之和"),
             total, owed.reindex(ids).fillna(0).astype("int64").to_numpy()),
            (Text("overdue_total is not the sum of the items the letter lists",
                  "逾期金额合计不等于函中所列项目之和"),
             total, listed.reindex(ids).fillna(0).astype("int64").to_numpy()),
            (Text("balance is not the sum of the customer's open items",
                  "余额不等于该客户全部未结项目之和"),
             shown, balance.reindex(ids).fillna(0).astype("int64").to_numpy())):
        rows = np.flatnonzero(got != expected)
        if len(rows):
            first = int(rows[0])
            broken.append(Text("{what}: {count} letter(s), first {customer} ({got} instead of "
                               "{expected})",
                               "{what}：共 {count} 封，第一封为 {customer}（为 {got}，应为 {expected}）",
                               what=what, count=len(rows), customer=ids.iloc[first],
                               got=_yuan(int(got[first])), expected=_yuan(int(expected[first]))))
    if broken:
        _fail("render-report dunning", broken)
