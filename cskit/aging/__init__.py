"""Receivable aging, payment allocation, DSO and collection alerts (SPEC §3).

Pure functions on DataFrames as ``Run.read`` returns them for
``schema.INVOICES`` and ``schema.PAYMENTS``; no file I/O, no printing.

Money is worked in int64 cents throughout (``cskit.money``), so that every
bucket, row and total reconciles to the cent:

    Σ invoice amounts (credit notes negative) − Σ paid_amount − Σ payments
        = Σ outstanding + Σ unapplied_credit = Σ net_outstanding

Allocation, in this order, for the documents and payments dated on or
before the as-of date:
1. ``paid_amount`` on an invoice is already applied to it (on a credit note
   it is the part of the credit already used up).
2. A payment naming an invoice (``invoice_no``) and a credit note naming its
   original invoice (``against_invoice``) reduce that invoice, up to what is
   open on it; any excess joins the invoice's customer's pool.
3. Every other payment and credit note of a customer, and any overpayment,
   forms the customer's pool, applied to the customer's open invoices
   oldest due date first (FIFO).
4. What the pool does not use up is the customer's ``unapplied_credit``,
   shown as a negative amount: money is never dropped.
"""
from __future__ import annotations

from cskit.aging.alerts import months_after
from cskit.aging.allocation import unknown_references
from cskit.aging.buckets import BASES, bucket_index, bucket_labels, bucket_problems, parse_buckets
from cskit.aging.common import (COUNTBACK_MAX_MONTHS, DSO_METHODS, FLAG_DSO, FLAG_NO_LIMIT,
                                 FLAG_UNPAID, FLAG_OVER_LIMIT, GROUPINGS, NO_GROUP,
                                 WHOLE_REPORT)
from cskit.aging.dso import dso_table
from cskit.aging.fx import currency_mismatches
from cskit.aging.options import check_policy
from cskit.aging.report import AgingResult, aging_report, with_totals

__all__ = ["AgingResult", "BASES", "COUNTBACK_MAX_MONTHS", "DSO_METHODS", "FLAG_DSO",
           "FLAG_NO_LIMIT", "FLAG_UNPAID", "FLAG_OVER_LIMIT", "GROUPINGS", "NO_GROUP",
           "WHOLE_REPORT", "aging_report", "bucket_index", "bucket_labels", "bucket_problems",
           "check_policy", "currency_mismatches", "dso_table", "months_after", "parse_buckets",
           "unknown_references", "with_totals"]
