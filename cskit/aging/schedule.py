"""Installments: an invoice paid in stages (预付款, 发货款, 验收款, 质保金).

An invoice's schedule comes from the ``--schedule`` file (invoice_no,
due_date, amount or percent, stage, retention) or from the payment terms it
names (``payment_terms``) in the policy's ``[terms."…"]`` tables. Every
other invoice is one installment due on its own due date. The expansion is
vectorised: one long table of (invoice, installment) rows, amounts in cents
that add up to the invoice's amount exactly (with percents the last
installment takes the rounding).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cskit.i18n import Text

RETENTION_STAGES = ("质保金", "retention", "质保款", "保证金")


@dataclass
class Installments:
    parent: np.ndarray  # position of the invoice, per installment
    due: np.ndarray  # datetime64[D]
    amount: np.ndarray  # cents (invoice currency)
    number: np.ndarray  # 1, 2, … within the invoice
    stage: np.ndarray | None  # object (text or None); None when no invoice is split
    retention: np.ndarray  # bool
    split: bool  # some invoice has more than one installment or a stage


def is_retention(stage, flag=None) -> np.ndarray:
    text = pd.Series(stage, dtype="object").fillna("").astype(str).str.strip().str.lower()
    found = text.isin([s.lower() for s in RETENTION_STAGES]).to_numpy()
    if flag is not None:
        found |= pd.Series(flag, dtype="object").fillna(False).astype(bool).to_numpy()
    return found


def check_terms(terms) -> list[Text]:
    """Policy ``[terms."name"]`` tables: installments of percent, days, stage."""
    problems: list[Text] = []
    if not isinstance(terms, dict):
        return [Text("{key}: expected tables of payment terms", "{key}：应为付款条件表",
                     key="terms")]
    for name, term in terms.items():
        key = f'terms."{name}".installments'
        parts = term.get("installments") if isinstance(term, dict) else None
        if not isinstance(parts, list) or not parts or not all(isinstance(p, dict) for p in parts):
            problems.append(Text("{key}: expected a list like [{{ stage = \"预付款\", percent = 30, "
                                 "days = 0 }}, …]",
                                 "{key}：应为分期列表，如 [{{ stage = \"预付款\", percent = 30, "
                                 "days = 0 }}, …]", key=key))
            continue
        bad = [p for p in parts
               if not isinstance(p.get("percent"), (int, float))
               or isinstance(p.get("percent"), bool)
               or p["percent"] <= 0
               or not isinstance(p.get("days"), int) or isinstance(p.get("days"), bool)
               or p["days"] < 0 or not isinstance(p.get("stage", ""), str)
               or not isinstance(p.get("retention", False), bool)
               or set(p) - {"stage", "percent", "days", "retention"}]
        if bad:
            problems.append(Text("{key}: each installment needs percent (above 0) and days "
                                 "(0 or more), optionally stage and retention; got {value}",
                                 "{key}：每一期须有 percent（大于 0）和 days（不小于 0），可选 stage "
                                 "和 retention；实际是 {value}", key=key, value=bad[0]))
            continue
        total = sum(p["percent"] for p in parts)
        if abs(total - 100) > 1e-9:
            problems.append(Text("{key}: the percents add up to {total}, expected 100",
                                 "{key}：各期比例合计 {total}，应为 100", key=key,
                                 total=f"{total:g}"))
    return problems


def unknown_terms(invoices: pd.DataFrame, terms: dict) -> pd.Series:
    """Invoices naming payment terms the policy does not define."""
    if "payment_terms" not in invoices.columns:
        return pd.Series(False, index=invoices.index)
    named = invoices["payment_terms"]
    return named.notna() & ~named.astype("object").isin(list(terms))


def normalise_percents(schedule: pd.DataFrame) -> pd.DataFrame:
    """``30%`` is read as 0.3: an invoice whose percents add up to 1 was
    written with percent signs, and is scaled to add up to 100."""
    if "percent" not in schedule.columns or not schedule["percent"].notna().any():
        return schedule
    percent = schedule["percent"].astype("float64")
    total = percent.groupby(schedule["invoice_no"]).transform("sum")
    fractions = (total - 1).abs() < 1e-9
    if fractions.any():
        schedule = schedule.copy()
        schedule["percent"] = percent.where(~fractions, percent * 100)
    return schedule


def schedule_problems(invoices: pd.DataFrame, schedule: pd.DataFrame) -> dict[str, pd.Series]:
    """Masks of bad schedule rows, by what is wrong with them: ``unknown``
    (no such invoice), ``credit_note``, ``both`` (amount and percent, or
    neither), ``mixed`` (an invoice with amount rows and percent rows),
    ``percent`` (an invoice's percents do not add to 100) and ``amount``
    (its amounts do not add to the invoice's amount, to the cent). Every
    row of a wrong invoice is marked."""
    from cskit.money import to_cents

    numbers = pd.Index(invoices["invoice_no"])
    where = numbers.get_indexer(schedule["invoice_no"])
    unknown = pd.Series(where < 0, index=schedule.index)
    amount_given = (schedule["amount"].notna() if "amount" in schedule.columns
                    else pd.Series(False, index=schedule.index))
    percent_given = (schedule["percent"].notna() if "percent" in schedule.columns
                     else pd.Series(False, index=schedule.index))
    both = (amount_given == percent_given) & ~unknown
    invoice_amount = to_cents(invoices["amount"].to_numpy(dtype="float64", na_value=np.nan))
    target = np.where(where >= 0, invoice_amount[np.maximum(where, 0)], 0)
    credit_note = pd.Series((where >= 0) & (target <= 0), index=schedule.index) & ~both
    good = ~unknown & ~both & ~credit_note
    key = pd.Series(where, index=schedule.index)
    n_amount = amount_given[good].groupby(key[good]).transform("sum")
    n_percent = percent_given[good].groupby(key[good]).transform("sum")
    mixed = pd.Series(False, index=schedule.index)
    mixed[good] = (n_amount > 0) & (n_percent > 0)
    good &= ~mixed
    percent = pd.Series(False, index=schedule.index)
    amount = pd.Series(False, index=schedule.index)
    rows = good & percent_given
    if rows.any():
        total = schedule["percent"][rows].astype("float64").groupby(key[rows]).transform("sum")
        # a 0.3 read from "30%" is a fraction: percents are read as written
        percent[rows] = (total - 100).abs() > 1e-6
    rows = good & amount_given
    if rows.any():
        cents = pd.Series(to_cents(schedule["amount"][rows].to_numpy(dtype="float64")),
                          index=schedule.index[rows])
        total = cents.groupby(key[rows]).transform("sum")
        amount[rows] = total.to_numpy() != target[rows.to_numpy()]
    return {"unknown": unknown, "both": both, "credit_note": credit_note, "mixed": mixed,
            "percent": percent, "amount": amount}


def expand(invoice_day: np.ndarray, due: np.ndarray, amount: np.ndarray, numbers: pd.Index,
           *, schedule: pd.DataFrame | None = None, terms: dict | None = None,
           named_terms: pd.Series | None = None) -> Installments:
    """One installment per invoice, or the installments of its schedule
    (``schedule`` rows, checked by ``schedule_problems``) or of the payment
    terms it names (``named_terms``, a terms name per invoice)."""
    n = len(amount)
    parts = []  # (parent, due, percent or NaN, cents or -1, stage, retention)
    covered = np.zeros(n, dtype=bool)
    if schedule is not None and len(schedule):
        where = numbers.get_indexer(schedule["invoice_no"])
        ok = where >= 0
        parent = where[ok]
        covered[parent] = True
        part_due = np.asarray(schedule["due_date"], dtype="datetime64[ns]").astype(
            "datetime64[D]")[ok]
        percent = (schedule["percent"].to_numpy(dtype="float64", na_value=np.nan)[ok]
                   if "percent" in schedule.columns else np.full(ok.sum(), np.nan))
        if "amount" in schedule.columns:
            from cskit.money import to_cents

            cents = to_cents(schedule["amount"].to_numpy(dtype="float64", na_value=np.nan))[ok]
            cents = np.where(np.isnan(percent), cents, -1)
        else:
            cents = np.full(ok.sum(), -1, dtype="int64")
        stage = (schedule["stage"].to_numpy(dtype="object", na_value=None)[ok]
                 if "stage" in schedule.columns else np.full(ok.sum(), None, dtype="object"))
        flag = (schedule["retention"].to_numpy(dtype="object", na_value=None)[ok]
                if "retention" in schedule.columns else None)
        parts.append((parent, part_due, percent, cents, stage, is_retention(stage, flag)))
    if terms and named_terms is not None:
        name = named_terms.to_numpy(dtype="object", na_value=None)
        rows = []
        for term, spec in terms.items():  # a loop over the policy's few terms
            chosen = np.flatnonzero((name == term) & ~covered & (amount > 0))
            if not len(chosen):
                continue
            for part in spec["installments"]:
                rows.append((chosen, invoice_day[chosen] + np.timedelta64(int(part["days"]), "D"),
                             np.full(len(chosen), float(part["percent"])),
                             np.full(len(chosen), -1, dtype="int64"),
                             np.full(len(chosen), part.get("stage") or None, dtype="object"),
                             np.full(len(chosen), bool(part.get("retention", False))
                                     or bool(is_retention([part.get("stage")])[0]))))
            covered[chosen] = True
        parts.extend(rows)
    plain = np.flatnonzero(~covered)
    if not parts:
        return Installments(parent=np.arange(n), due=due, amount=amount,
                            number=np.ones(n, dtype="int64"), stage=None,
                            retention=np.zeros(n, dtype=bool), split=False)
    parts.append((plain, due[plain], np.full(len(plain), np.nan),
                  amount[plain], np.full(len(plain), None, dtype="object"),
                  np.zeros(len(plain), dtype=bool)))
    parent = np.concatenate([p[0] for p in parts]).astype("int64")
    part_due = np.concatenate([p[1] for p in parts]).astype("datetime64[D]")
    percent = np.concatenate([p[2] for p in parts])
    cents = np.concatenate([p[3] for p in parts]).astype("int64")
    stage = np.concatenate([p[4] for p in parts])
    retention = np.concatenate([p[5] for p in parts])
    # by invoice, then due date (installments of one invoice oldest first)
    order = np.lexsort((part_due.astype("int64"), parent))
    parent, part_due, percent, cents, stage, retention = (
        parent[order], part_due[order], percent[order], cents[order], stage[order],
        retention[order])
    by_percent = ~np.isnan(percent)
    if by_percent.any():
        # each installment rounded to the cent; the last one takes the rest
        whole = amount[parent]
        each = np.rint(whole.astype("float64") * np.where(by_percent, percent, 0.0) / 100)
        each = each.astype("int64")
        last = np.r_[parent[1:] != parent[:-1], True]
        group_sum = np.bincount(parent, weights=np.where(last, 0, each).astype("float64"),
                                minlength=len(amount))
        rest = whole - np.rint(group_sum[parent]).astype("int64")
        cents = np.where(by_percent, np.where(last, rest, each), cents)
    starts = np.r_[True, parent[1:] != parent[:-1]] if len(parent) else np.zeros(0, bool)
    group = np.cumsum(starts) - 1
    first = np.flatnonzero(starts)
    number = np.arange(len(parent)) - first[group] + 1
    return Installments(parent=parent, due=part_due, amount=cents, number=number.astype("int64"),
                        stage=stage, retention=retention.astype(bool), split=True)
