"""Foreign currency: booked and as-of rates to the base currency.

A rate is yuan (base currency) per unit of the currency. A foreign row's
booked rate is its own local amount over its amount when the file gives
``amount_local``, else the latest ``--fx-rates`` rate on or before its date.
The aging is revalued at the as-of rate (期末汇率) when the rates file has
one for the currency, else it stays at the booked rate.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from cskit.aging.common import _find

# common ways of writing a currency in Chinese ledgers
NAMES = {"人民币": "CNY", "RMB": "CNY", "元": "CNY", "美元": "USD", "欧元": "EUR",
         "港币": "HKD", "港元": "HKD", "日元": "JPY", "英镑": "GBP"}


def currency_codes(values, base: str) -> np.ndarray:
    """Upper-case codes (object array); blank → base."""
    if values is None:
        return None
    text = pd.Series(values, dtype="object").fillna("").astype(str).str.strip()
    text = text.replace(NAMES).str.upper()
    text = text.where(text != "", base.upper())
    return text.to_numpy(dtype="object")


class Rates:
    """Latest rate on or before a date, per currency, vectorised."""

    def __init__(self, table: pd.DataFrame | None, base: str):
        self.base = base.upper()
        if table is None or not len(table):
            self.codes = pd.Index([])
            self.keys = np.zeros(0, dtype="int64")
            self.values = np.zeros(0)
            return
        cur = currency_codes(table["currency"], base)
        self.codes = pd.Index(sorted(set(cur)))
        code = self.codes.get_indexer(cur).astype("int64")
        day = np.asarray(table["date"], dtype="datetime64[ns]").astype("datetime64[D]").astype(
            "int64")
        keys = code * 10_000_000 + (day + 5_000_000)
        order = np.argsort(keys, kind="stable")
        self.keys = keys[order]
        self.values = table["rate"].to_numpy(dtype="float64")[order]

    def at(self, currency: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Rate per row; 1 for the base currency; NaN when none is known."""
        currency = np.asarray(currency, dtype="object")
        out = np.full(len(currency), np.nan)
        out[currency == self.base] = 1.0
        if not len(self.keys):
            return out
        code = self.codes.get_indexer(currency).astype("int64")
        day = np.asarray(day, dtype="datetime64[D]")
        known = (code >= 0) & ~np.isnat(day) & (currency != self.base)
        keys = code * 10_000_000 + (day.astype("int64") + 5_000_000)
        at = np.searchsorted(self.keys, keys, side="right") - 1
        found = known & (at >= 0)
        found[found] = (self.keys[at[found]] // 10_000_000) == code[found]
        out[found] = self.values[at[found]]
        return out


def booked_rates(amount: np.ndarray, local, currency: np.ndarray, day: np.ndarray,
                 rates: Rates) -> np.ndarray:
    """Rate per row from its local amount (cents over cents), else the table."""
    rate = rates.at(currency, day)
    if local is not None:
        from cskit.money import to_cents

        local_cents = to_cents(np.asarray(local, dtype="float64"))
        given = ~np.isnan(np.asarray(local, dtype="float64")) & (amount != 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = np.where(given & (currency != rates.base),
                            local_cents / np.where(amount == 0, 1, amount), rate)
    return rate


def to_local(cents: np.ndarray, rate: np.ndarray) -> np.ndarray:
    """Cents of a currency → cents of the base currency, half away from zero."""
    value = np.asarray(cents, dtype="float64") * np.nan_to_num(rate, nan=1.0)
    return (np.sign(value) * np.floor(np.abs(value) + 0.5)).astype("int64")


def currency_mismatches(invoices: pd.DataFrame, payments: pd.DataFrame | None,
                        base: str = "CNY"):
    """Masks of (credit notes, payments) naming an invoice of another
    currency; a payment that gives its local amount, naming an invoice that
    gives its own, is not one."""
    def cur(frame):
        return currency_codes(frame["currency"] if "currency" in frame.columns
                                 else np.full(len(frame), None, dtype="object"), base)

    if "currency" not in invoices.columns and (payments is None
                                               or "currency" not in payments.columns):
        # every row is in the base currency: nothing can name another one
        return (pd.Series(False, index=invoices.index),
                None if payments is None else pd.Series(False, index=payments.index))
    numbers = pd.Index(invoices["invoice_no"])
    inv_cur = cur(invoices)
    inv_local = (invoices["amount_local"].notna().to_numpy() if "amount_local" in invoices.columns
                 else np.zeros(len(invoices), dtype=bool))
    notes = pd.Series(False, index=invoices.index)
    if "against_invoice" in invoices.columns:
        target = _find(numbers, invoices["against_invoice"])
        named = target >= 0
        notes[named] = inv_cur[named] != inv_cur[target[named]]
    bad = None
    if payments is not None:
        bad = pd.Series(False, index=payments.index)
        if "invoice_no" in payments.columns and len(payments):
            target = _find(numbers, payments["invoice_no"])
            named = target >= 0
            pay_cur = cur(payments)
            pay_local = (payments["amount_local"].notna().to_numpy()
                         if "amount_local" in payments.columns
                         else np.zeros(len(payments), dtype=bool))
            differs = np.zeros(len(payments), dtype=bool)
            differs[named] = pay_cur[named] != inv_cur[target[named]]
            excused = np.zeros(len(payments), dtype=bool)
            excused[named] = pay_local[named] & inv_local[target[named]]
            bad[:] = differs & ~excused
    return notes, bad
