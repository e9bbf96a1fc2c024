"""``cskit aging-report``: receivable aging, DSO and collection lists (SPEC §3)."""
from __future__ import annotations

import click

from cskit.i18n import Join, Text
from cskit.options import common_options

DAYS_FORMAT = "#,##0.0"


def _bucket_header_zh(label: str) -> str:
    if label == "not_due":
        return "未到期"
    if label.endswith("+"):
        return f"{label[:-1]}天以上"
    return f"{label}天"


@click.command("aging-report")
@click.argument("invoices", metavar="INVOICES")
@click.option("--payments", metavar="FILE",
              help="Payments (customer_id, payment_date, amount, optional invoice_no); "
                   "those without an invoice_no are applied oldest due date first.")
@click.option("--basis", type=click.Choice(["due", "invoice"]),
              help="Age by days past the due date (default) or since the invoice date.")
@click.option("--buckets", metavar="DAYS,...",
              help="Ascending upper bounds of the aging buckets, inclusive "
                   "(default 30,60,90,180 → not_due, 1-30, 31-60, 61-90, 91-180, 181+).")
@click.option("--by", "by", type=click.Choice(["customer", "salesperson", "branch"]),
              default="customer", show_default=True, help="One summary row per …")
@click.option("--detail", is_flag=True,
              help="Write the open items (one row per unpaid invoice, sorted by salesperson, "
                   "most overdue first) as the main table instead of the summary.")
@click.option("--credit-limits", "credit_limits", metavar="FILE",
              help="customer_id + credit_limit (e.g. score-credit's output): adds "
                   "credit_limit, available_credit and the over_limit flag.")
@click.option("--dso-window", "dso_window", type=click.IntRange(1, 36500), metavar="DAYS",
              help="Days of sales DSO is measured over, ending at --as-of (default 90).")
@click.option("--dso-method", "dso_method",
              type=click.Choice(["average", "period-end", "countback"]),
              help="DSO from the mean of the receivable at the window's start and end "
                   "(average, default), from the end only (period-end), or by walking back "
                   "through each month's invoicing (countback).")
@click.option("--alert-days", "alert_days", type=click.IntRange(1, 36500), metavar="DAYS",
              help="Flag invoices with no money received this many days after shipment "
                   "(default 180: no_payment_180d).")
@common_options
def aging_report(invoices, payments, basis, buckets, by, detail, credit_limits, dso_window,
                 dso_method, alert_days, **kwargs):
    """Age the receivable, compute DSO and flag what needs collecting.

    Reads an invoice ledger (credit notes as negative amounts) and, optionally,
    payments; applies payments and credit notes to the invoices they name and
    the rest oldest due date first; and writes one row per customer (or
    salesperson, or branch) with the open amount in each aging bucket,
    unapplied credit, DSO (应收账款周转天数) against the 75-day target, and the
    flags no_payment_180d, over_limit and dso_over_target. Invoices and
    payments dated after --as-of are ignored, so an old month-end can be
    re-run at any time. An .xlsx output holds the Summary (with a totals
    row), the Open items and the Parameters.

    \b
    Examples:
      cskit aging-report invoices.csv --payments payments.csv --as-of 2026-10-31 -o aging.xlsx
      cskit aging-report invoices.xlsx --by salesperson --buckets 30,60,90 --lang zh
      cskit aging-report invoices.csv --payments payments.csv --credit-limits credit.csv --detail -o collect.csv
    """
    from cskit import schema
    from cskit.errors import UsageError
    from cskit.run import Run

    run = Run.from_options("aging-report", kwargs)
    with run:
        from cskit import aging, reconcile
        from cskit.io.write import output_format

        bounds = None
        if buckets is not None:
            try:
                bounds = aging.parse_buckets(buckets)
            except ValueError as exc:
                raise UsageError(Text("{option}: {problem}", "{option} 参数有误：{problem}",
                                      option="--buckets", problem=exc.args[0])) from None
        kind = output_format(run.output, run.fmt)
        policy = run.policy("aging", check=aging.check_policy)

        ledger = run.read(invoices, schema.INVOICES, option="INVOICES")
        paid = run.read(payments, schema.PAYMENTS, option="--payments") if payments else None
        limits = (run.read(credit_limits, schema.CREDIT_LIMITS, option="--credit-limits")
                  if credit_limits else None)

        bad_notes, bad_payments = aging.unknown_references(ledger, paid)
        ledger = run.reject(ledger, bad_notes, column="against_invoice", option="INVOICES",
                            expected=Text("an invoice number found in {file} (the original "
                                          "invoice this credit note reduces)",
                                          "应为 {file} 中已有的发票号（这张红字发票所冲减的原发票）",
                                          file=invoices))
        if paid is not None:
            paid = run.reject(paid, bad_payments, column="invoice_no", option="--payments",
                              expected=Text("an invoice number found in {file}; leave it blank "
                                            "when the payment is not for one particular invoice",
                                            "应为 {file} 中已有的发票号；如这笔回款不对应某一张发票，"
                                            "请留空",
                                            file=invoices))

        result = aging.aging_report(ledger, paid, policy, as_of=run.as_of, basis=basis,
                                    buckets=bounds, by=by, credit_limits=limits,
                                    dso_window=dso_window, dso_method=dso_method,
                                    alert_days=alert_days)
        reconcile.aging(ledger, paid, run.as_of, result.summary, result.buckets, result.totals)
        totals = result.totals
        run.params.update({
            "basis": basis or policy["basis"],
            "buckets": ", ".join(result.buckets),
            "by": by,
            "dso window (days)": dso_window or policy["dso_window_days"],
            "dso method": dso_method or policy["dso_method"],
            "dso target (days)": policy["dso_target_days"],
            "alert days": alert_days or policy["alert_days"],
            "outstanding": f"{totals['outstanding']:,.2f}",
            "unapplied credit": f"{totals['unapplied_credit']:,.2f}",
            "net outstanding": f"{totals['net_outstanding']:,.2f}",
            "reconciliation": (f"invoiced {totals['invoiced_total']:,.2f} − paid_amount "
                               f"{totals['paid_amount_total']:,.2f} − payments "
                               f"{totals['payments_total']:,.2f} = net outstanding "
                               f"{totals['net_outstanding']:,.2f}"),
            "dso (whole report)": _days(totals["dso"]),
            "best dso (whole report)": _days(totals["best_dso"]),
        })

        summary = result.summary
        if kind == "xlsx":
            summary = aging.with_totals(summary, totals,
                                        label="合计" if run.lang == "zh" else "Total")
        if run.lang == "zh":
            names = {label: _bucket_header_zh(label) for label in result.buckets}
            summary = summary.rename(columns=names)
        days = {"dso": DAYS_FORMAT, "best_dso": DAYS_FORMAT, "days_delinquent": DAYS_FORMAT}
        if kind == "xlsx":
            sheets = {"Summary": summary, "Open items": result.detail}
        elif detail:
            sheets = {"Open items": result.detail}
        else:
            sheets = {"Summary": summary}
        run.write(sheets, formats=days, title=f"Receivable aging {run.as_of:%Y-%m-%d}")

        target = policy["dso_target_days"]
        used_basis = basis or policy["basis"]
        run.info(Text("aging at {date} ({basis} basis): {open} open invoices, outstanding "
                      "{outstanding}, unapplied credit {unapplied}, net {net}",
                      "账龄截至 {date}（{basis_zh}）：未结发票 {open} 张，应收余额 {outstanding}，"
                      "未核销回款 {unapplied}，净应收 {net}",
                      date=f"{run.as_of:%Y-%m-%d}", basis=used_basis,
                      basis_zh=BASIS_ZH.get(used_basis, used_basis),
                      open=totals["open_invoices"], outstanding=f"{totals['outstanding']:,.2f}",
                      unapplied=f"{totals['unapplied_credit']:,.2f}",
                      net=f"{totals['net_outstanding']:,.2f}"))
        over = Text("  ← over target", "  ← 超过目标") if totals["dso_over_target"] else ""
        run.info(Text("DSO {dso} days (target {target}), best {best}, delinquent {delinquent}"
                      "{over}",
                      "应收账款周转天数 {dso}（目标 {target} 天），最佳周转天数 {best}，"
                      "逾期天数差 {delinquent}{over}",
                      dso=_days_shown(totals["dso"]), target=target,
                      best=_days_shown(totals["best_dso"]),
                      delinquent=_days_shown(totals["days_delinquent"]), over=over))
        alerts = [Text("{count} invoices with no payment after {days} days",
                       "发货后超过 {days} 天仍未回款的发票 {count} 张",
                       count=totals["no_payment_alerts"],
                       days=alert_days or policy["alert_days"])]
        if limits is not None:
            alerts.append(Text("{count} customers over their credit limit",
                               "超出信用额度的客户 {count} 个",
                               count=totals["over_limit_customers"]))
        run.info(Text("alerts: {alerts}", "预警：{alerts}", alerts=Join(("; ", "；"), alerts)))


BASIS_ZH = {"due": "按到期日计算", "invoice": "按开票日计算"}


def _days_shown(value) -> Text:
    if value != value:
        return Text("n/a", "无")
    return Text("{days}", "{days} 天", days=f"{value:.1f}")


def _days(value) -> str:
    return "n/a" if value != value else f"{value:.1f}"
