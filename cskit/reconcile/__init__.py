"""Money identities checked on every run that sums money, before anything
is written (README "What cskit refuses to guess").

Each check recomputes a total from the input rows the command used, in
integer cents and independently of the domain code, and compares it with
the report. A difference means the report would be wrong: the run stops
with ``ReconciliationError`` (exit 1), and neither the report nor the
rejects file is written. Pure functions: DataFrames in, nothing out.

- aging-report: Σ invoice amounts − Σ paid_amount − Σ payments (rows used,
  dated on or before the as-of date) = Σ net_outstanding
  = Σ outstanding + Σ unapplied_credit; on every row the buckets add up to
  outstanding, and outstanding + unapplied_credit = net_outstanding. With
  foreign currencies the same identity in each currency's own cents, and in
  yuan each open item and credit at the as-of and booked rates
  (``_currency_identities``).
- score-credit --exposure: Σ outstanding of the report = Σ outstanding of
  the exposure rows of the customers reported; available_credit =
  credit_limit − outstanding on every row.
- rollup-kpi --sales: at the head of the org chart, target_completion and
  gross_margin are the sums of the period's sales rows (``kpi_sales``).
- rollup-kpi --invoices: the DSO window's sales of every entity are the sums
  of the invoice rows of the salespeople below it (``kpi_invoices``).
- render-report statement: opening + movements = closing = invoices − paid
  − payments = the aging's net outstanding, per customer (``statement``).
- render-report dunning: each letter's overdue total and balance are the sums
  of the customer's open items (``dunning``).
"""
from cskit.reconcile.common import ReconciliationError
from cskit.reconcile.credit import exposure
from cskit.reconcile.documents import dunning, statement
from cskit.reconcile.kpi import kpi_invoices, kpi_sales
from cskit.reconcile.ledger import aging

__all__ = ["ReconciliationError", "aging", "dunning", "exposure", "kpi_invoices", "kpi_sales",
           "statement"]
