"""Statements of account (对账单 / 询证函): one per customer, as at the end of a period.

Pure functions on the invoice ledger (seed 004 第四条(3): 每季度对账完成率为100%,
对账及时率为100% — every customer's balance is confirmed each quarter):

- ``statements`` works out, per customer, the opening balance on the day
  before ``start``, every invoice, credit note and payment dated in
  ``start``…``end``, the closing balance at ``end`` and the aging of that
  closing balance (aging-report's own code at ``as_of = end``), all in
  integer cents. The closing balance equals aging-report's
  ``net_outstanding`` for the customer to the cent (``cskit.reconcile``
  checks it before anything is written).
- ``register`` is the confirmation register (register.csv) the team fills
  in as the signed slips come back.

Which customers get a statement: those with any movement in the period or a
closing balance other than zero (a credit balance included).

``paid_amount`` (money recorded on the invoice itself) carries no date: as
in aging-report's DSO it counts as received on the invoice's due date, or at
``end`` when that comes first, and never before the invoice date.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cskit.money import to_cents, to_yuan

# movement kinds, in the order a day's lines are listed
KINDS = ("invoice", "credit_note", "received_on_invoice", "payment", "refund")


@dataclass
class Statements:
    """``customers``: one row per customer with a statement — customer_id,
    customer_name, owner, opening, debits, credits, closing, the aging
    buckets of the closing balance, unapplied_credit. ``lines``: the period's
    movements, one row each — customer_id, date, kind, document, reference,
    debit, credit, balance (running). ``buckets``: the bucket labels."""

    customers: pd.DataFrame
    lines: pd.DataFrame
    buckets: list[str]
    start: pd.Timestamp
    end: pd.Timestamp
    not_found: list[str] = field(default_factory=list)  # --customers ids with nothing to state


def _day(values: pd.Series) -> np.ndarray:
    return pd.to_datetime(values).to_numpy(dtype="datetime64[D]")


def movements(invoices: pd.DataFrame, payments: pd.DataFrame | None, *, end,
              default_terms_days: int) -> pd.DataFrame:
    """Every movement on the customers' accounts dated on or before ``end``:
    customer_id, date, kind, document, reference, signed cents (+ raises
    the balance the customer owes, − lowers it)."""
    end_day = np.datetime64(pd.Timestamp(end).date(), "D")
    invoice_day = _day(invoices["invoice_date"])
    kept = invoice_day <= end_day
    inv = invoices[kept]
    invoice_day = invoice_day[kept]
    cents = to_cents(inv["amount"].to_numpy(dtype="float64", na_value=np.nan))
    against = (inv["against_invoice"].astype("str") if "against_invoice" in inv.columns
               else pd.Series(pd.NA, index=inv.index, dtype="str"))
    parts = [pd.DataFrame({
        "customer_id": inv["customer_id"].astype("str").to_numpy(),
        "date": invoice_day,
        "kind": np.where(cents < 0, "credit_note", "invoice"),
        "document": inv["invoice_no"].astype("str").to_numpy(),
        "reference": np.where(cents < 0, against.to_numpy(dtype=object, na_value=None), None),
        "cents": cents,
    })]
    if "paid_amount" in inv.columns:
        # aging-report applies |paid_amount| against the document's own sign
        paid = np.abs(to_cents(inv["paid_amount"].to_numpy(dtype="float64", na_value=np.nan)))
        if "terms_days" in inv.columns:
            terms = inv["terms_days"].to_numpy(dtype="float64", na_value=np.nan)
            terms = np.where(np.isnan(terms), default_terms_days, terms).astype("int64")
        else:
            terms = np.full(len(inv), int(default_terms_days), dtype="int64")
        due = invoice_day + terms.astype("timedelta64[D]")
        if "due_date" in inv.columns:
            given = _day(inv["due_date"])
            due = np.where(np.isnat(given), due, given)
        when = np.maximum(np.minimum(due, end_day), invoice_day)
        has = paid != 0
        parts.append(pd.DataFrame({
            "customer_id": inv["customer_id"].astype("str").to_numpy()[has],
            "date": when[has],
            "kind": "received_on_invoice",
            "document": inv["invoice_no"].astype("str").to_numpy()[has],
            "reference": None,
            "cents": (-np.where(cents < 0, -1, 1) * paid)[has],
        }))
    if payments is not None and len(payments):
        pay_day = _day(payments["payment_date"])
        pay = payments[pay_day <= end_day]
        pay_day = pay_day[pay_day <= end_day]
        pay_cents = to_cents(pay["amount"].to_numpy(dtype="float64", na_value=np.nan))
        document = (pay["payment_id"].astype("str").to_numpy(dtype=object, na_value=None)
                    if "payment_id" in pay.columns else np.full(len(pay), None, dtype=object))
        reference = (pay["invoice_no"].astype("str").to_numpy(dtype=object, na_value=None)
                     if "invoice_no" in pay.columns else np.full(len(pay), None, dtype=object))
        parts.append(pd.DataFrame({
            "customer_id": pay["customer_id"].astype("str").to_numpy(),
            "date": pay_day,
            "kind": np.where(pay_cents < 0, "refund", "payment"),
            "document": document,
            "reference": reference,
            "cents": -pay_cents,
        }))
    moved = pd.concat(parts, ignore_index=True)
    moved["date"] = pd.to_datetime(moved["date"]).astype("datetime64[ns]")
    moved["cents"] = moved["cents"].astype("int64")
    return moved


def statements(invoices: pd.DataFrame, payments: pd.DataFrame | None, policy: dict, *,
               start, end, customers: pd.DataFrame | None = None) -> Statements:
    """Statements for the period ``start``…``end`` (see the module doc).
    ``customers`` (customer_id [, customer_name, owner, salesperson])
    restricts the run to its customers and names their owner."""
    from cskit import aging

    start = pd.Timestamp(start).normalize()
    end = pd.Timestamp(end).normalize()
    terms = int(policy["default_terms_days"])
    moved = movements(invoices, payments, end=end, default_terms_days=terms)
    before = moved["date"] < start
    opening = moved.loc[before].groupby("customer_id")["cents"].sum()
    period = moved.loc[~before]
    closing = moved.groupby("customer_id")["cents"].sum()
    active = set(period["customer_id"]) | set(closing.index[closing != 0])
    ids = sorted(active)
    not_found: list[str] = []
    if customers is not None:
        wanted = customers["customer_id"].astype("str")
        not_found = sorted(set(wanted) - active)
        ids = [c for c in ids if c in set(wanted)]
    ids = pd.Index(ids, name="customer_id", dtype="object")

    # the period's lines, a day's invoices before its money, with a running balance
    lines = period[period["customer_id"].isin(ids)].copy()
    lines["order"] = lines["kind"].map({k: i for i, k in enumerate(KINDS)})
    lines = lines.sort_values(["customer_id", "date", "order", "document"],
                              kind="stable", na_position="last")
    start_cents = opening.reindex(lines["customer_id"]).fillna(0).astype("int64").to_numpy()
    running = lines.groupby("customer_id")["cents"].cumsum().to_numpy() + start_cents
    cents = lines["cents"].to_numpy()
    lines = pd.DataFrame({
        "customer_id": lines["customer_id"].to_numpy(),
        "date": lines["date"].to_numpy(),
        "kind": lines["kind"].to_numpy(),
        "document": lines["document"].to_numpy(),
        "reference": lines["reference"].to_numpy(),
        "debit": to_yuan(np.where(cents > 0, cents, 0)),
        "credit": to_yuan(np.where(cents < 0, -cents, 0)),
        "balance": to_yuan(running),
    })

    # the aging of the closing balance: aging-report's own allocation at end
    report = aging.aging_report(invoices, payments, policy, as_of=end)
    summary = report.summary.set_index("customer_id")
    buckets = list(report.buckets)
    table = pd.DataFrame(index=ids)
    table["customer_name"] = _names(invoices, customers, ids, end)
    table["owner"] = _owners(invoices, customers, ids, end)
    table["opening"] = to_yuan(opening.reindex(ids).fillna(0).astype("int64").to_numpy())
    debits = period["cents"].clip(lower=0).groupby(period["customer_id"]).sum()
    credits = (-period["cents"].clip(upper=0)).groupby(period["customer_id"]).sum()
    table["debits"] = to_yuan(debits.reindex(ids).fillna(0).astype("int64").to_numpy())
    table["credits"] = to_yuan(credits.reindex(ids).fillna(0).astype("int64").to_numpy())
    closing_cents = closing.reindex(ids).fillna(0).astype("int64")
    table["closing"] = to_yuan(closing_cents.to_numpy())
    for label in buckets + ["outstanding", "unapplied_credit", "net_outstanding"]:
        table[label] = summary[label].reindex(ids).fillna(0.0).to_numpy() if len(summary) \
            else 0.0
    # closing = net_outstanding is checked with the other identities before
    # anything is written (cskit.reconcile.statement)
    table = table.reset_index()
    return Statements(customers=table, lines=lines, buckets=buckets, start=start, end=end,
                      not_found=not_found)


def _latest(invoices: pd.DataFrame, column: str, ids: pd.Index, end) -> pd.Series:
    if column not in invoices.columns:
        return pd.Series(pd.NA, index=ids, dtype="object")
    rows = invoices.loc[invoices[column].notna() & (invoices["invoice_date"] <= end),
                        ["customer_id", "invoice_date", column]]
    rows = rows.sort_values("invoice_date", kind="stable").drop_duplicates("customer_id",
                                                                           keep="last")
    return rows.set_index("customer_id")[column].reindex(ids).astype("object")


def _names(invoices, customers, ids, end) -> np.ndarray:
    names = _latest(invoices, "customer_name", ids, end)
    if customers is not None and "customer_name" in customers.columns:
        given = customers.drop_duplicates("customer_id").set_index("customer_id")[
            "customer_name"].reindex(ids).astype("object")
        names = given.where(given.notna(), names)
    return names.to_numpy(dtype=object, na_value=None)


def _owners(invoices, customers, ids, end) -> np.ndarray:
    owners = _latest(invoices, "salesperson", ids, end)
    if customers is not None:
        table = customers.drop_duplicates("customer_id").set_index("customer_id")
        for column in ("salesperson", "owner"):  # owner first, then salesperson
            if column in table.columns:
                given = table[column].reindex(ids).astype("object")
                owners = given.where(given.notna(), owners)
    return owners.to_numpy(dtype=object, na_value=None)


def register(table: pd.DataFrame, files: list[str], *, period_end, sent, return_days: int
             ) -> pd.DataFrame:
    """The confirmation register: one row per statement sent, with the
    columns the team fills in (returned_date, result, difference) empty."""
    period_end = pd.Timestamp(period_end).normalize()
    sent = pd.Timestamp(sent).normalize()
    n = len(table)
    return pd.DataFrame({
        "customer_id": table["customer_id"].to_numpy(),
        "customer_name": table["customer_name"].to_numpy(),
        "owner": table["owner"].to_numpy(),
        "period_end": pd.Series([period_end] * n, dtype="datetime64[ns]"),
        "closing_balance": table["closing"].to_numpy(),
        "file": files,
        "sent_date": pd.Series([sent] * n, dtype="datetime64[ns]"),
        "due_back_date": pd.Series([sent + pd.Timedelta(days=int(return_days))] * n,
                                   dtype="datetime64[ns]"),
        "returned_date": pd.Series([pd.NaT] * n, dtype="datetime64[ns]"),
        "result": pd.Series([None] * n, dtype="object"),
        "difference": pd.Series([np.nan] * n, dtype="float64"),
    })


# --- file names ----------------------------------------------------------------------
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
             *(f"lpt{i}" for i in range(1, 10))}
MAX_NAME = 80  # characters of the name before its extension


def safe_file_name(text: str, *, max_length: int = MAX_NAME) -> str:
    """A file name from a customer's id and name that every file system takes:
    characters Windows and Unix refuse become ``_``, leading dots and trailing
    dots or spaces go, reserved device names (CON, NUL …) are avoided, and the
    name is cut to ``max_length`` characters (and 180 bytes of UTF-8). When
    anything had to change, a short hash of the original is added, so two
    different customers never share a file and a re-run gives the same name."""
    original = str(text)
    name = unicodedata.normalize("NFC", original)
    name = _UNSAFE.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip().lstrip(".").rstrip(". ")
    if name.split(".")[0].lower() in _RESERVED:
        name = "_" + name
    if not name:
        name = "_"
    changed = name != original
    limit = max_length - 9 if changed or len(name) > max_length else max_length
    if len(name) > limit or len(name.encode("utf-8")) > 180:
        changed = True
        limit = max_length - 9
        name = name[:limit]
        while len(name.encode("utf-8")) > 171:
            name = name[:-1]
        name = name.rstrip(". ")
    if changed:
        digest = hashlib.sha1(original.encode("utf-8")).hexdigest()[:8]
        name = f"{name}-{digest}"
    return name


def file_names(ids, names, extension: str) -> list[str]:
    """``<customer_id>_<customer_name>.<ext>`` made safe, unique even on a file
    system that ignores case."""
    out, seen = [], set()
    for customer_id, name in zip(ids, names):
        stem = f"{customer_id}_{name}" if name not in (None, "") and name == name \
            else str(customer_id)
        safe = safe_file_name(stem)
        if safe.casefold() in seen:
            safe = safe_file_name(stem + "\x00")  # forces the hash suffix
        seen.add(safe.casefold())
        out.append(f"{safe}.{extension}")
    return out
