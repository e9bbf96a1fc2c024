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
              default="customer", show_default=True,
              help="One summary row per customer, per salesperson or per branch.")
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
@click.option("--alert-months", "alert_months", type=click.IntRange(1, 1200), metavar="MONTHS",
              help="Flag invoices still open this many calendar months after shipment "
                   "(default 6: unpaid_6m, seed 004: 自发货起6个月未回款的客户为零).")
@click.option("--schedule", metavar="FILE",
              help="Installments (invoice_no, due_date, amount or percent, optional stage such "
                   "as 预付款/发货款/验收款/质保金): each ages from its own due date.")
@click.option("--fx-rates", "fx_rates", metavar="FILE",
              help="Exchange rates (currency, date, rate to the base currency): values "
                   "foreign-currency rows and revalues them at the as-of rate.")
@common_options
def aging_report(invoices, payments, basis, buckets, by, detail, credit_limits, dso_window,
                 dso_method, alert_months, schedule, fx_rates, **kwargs):
    """Age the receivable, compute DSO and flag what needs collecting.

    Reads an invoice ledger (credit notes as negative amounts) and, optionally,
    payments; applies payments and credit notes to the invoices they name and
    the rest oldest due date first; and writes one row per customer (or
    salesperson, or branch) with the open amount in each aging bucket,
    unapplied credit, DSO (应收账款周转天数) against the 75-day target, and the
    flags unpaid_6m, over_limit and dso_over_target. Invoices and
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

        # a month with no invoices yet is not bad data: an empty report (#14)
        ledger = run.read(invoices, schema.INVOICES, option="INVOICES", allow_empty=True,
                          currency_aware=True)
        if not len(ledger):
            run.warn(Text("{file} has a header but no invoices: the report is empty",
                          "{file} 只有表头、没有发票：报表为空", file=invoices))
        paid = (run.read(payments, schema.PAYMENTS, option="--payments", currency_aware=True)
                if payments else None)
        limits = (run.read(credit_limits, schema.CREDIT_LIMITS, option="--credit-limits")
                  if credit_limits else None)
        plan = run.read(schedule, schema.SCHEDULE, option="--schedule") if schedule else None
        rates = run.read(fx_rates, schema.FX_RATES, option="--fx-rates") if fx_rates else None

        ledger, paid = checked_references(run, ledger, paid, invoices)

        ledger, paid, plan = _check_stages_and_currencies(run, aging, policy, invoices, ledger,
                                                          paid, plan, rates, schedule)
        result = aging.aging_report(ledger, paid, policy, as_of=run.as_of, basis=basis,
                                    buckets=bounds, by=by, credit_limits=limits,
                                    dso_window=dso_window, dso_method=dso_method,
                                    alert_months=alert_months, schedule=plan, fx_rates=rates)
        by_currency = reconcile.aging(ledger, paid, run.as_of, result.summary, result.buckets,
                                      result.totals, base_currency=policy["base_currency"],
                                      fx_rates=rates,
                                      detail=result.detail if result.totals["foreign"] else None)
        totals = result.totals
        run.params.update({
            "basis": basis or policy["basis"],
            "buckets": ", ".join(result.buckets),
            "by": by,
            "dso window (days)": dso_window or policy["dso_window_days"],
            "dso method": dso_method or policy["dso_method"],
            "dso target (days)": policy["dso_target_days"],
            "alert months": alert_months or policy["alert_months"],
            "alert rule": policy["alert_rule"],
            "outstanding": f"{totals['outstanding']:,.2f}",
            "unapplied credit": f"{totals['unapplied_credit']:,.2f}",
            "net outstanding": f"{totals['net_outstanding']:,.2f}",
            "reconciliation": (f"invoiced {totals['invoiced_total']:,.2f} − paid_amount "
                               f"{totals['paid_amount_total']:,.2f} − payments "
                               f"{totals['payments_total']:,.2f} = net outstanding "
                               f"{totals['net_outstanding']:,.2f}") if not totals["foreign"]
            else (f"open at the as-of rate {totals['outstanding']:,.2f} = open at the booked "
                  f"rate {totals['booked_outstanding']:,.2f} + fx difference "
                  f"{totals['fx_difference']:,.2f}"),
            **{f"reconciliation {code}": line for code, line in by_currency.items()},
            "base currency": policy["base_currency"],
            "dso (whole report)": _days(totals["dso"]),
            "best dso (whole report)": _days(totals["best_dso"]),
        })

        summary = result.summary
        if by != "customer":  # salespeople and branches by name, in pinyin order
            from cskit.labels import sort_by_name

            summary = sort_by_name(summary, summary.columns[0]).reset_index(drop=True)
        if kind == "xlsx":
            summary = aging.with_totals(summary, totals,
                                        label="合计" if run.lang == "zh" else "Total")
        if run.lang == "zh":
            names = {label: _bucket_header_zh(label) for label in result.buckets}
            summary = summary.rename(columns=names)
        days = {"dso": DAYS_FORMAT, "best_dso": DAYS_FORMAT, "days_delinquent": DAYS_FORMAT,
                "avg_terms_days": DAYS_FORMAT}
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
        alerts = [Text("customers with an invoice unpaid {months} months after shipment: "
                       "{customers} (goal 0; invoices: {count})",
                       "发货{months}个月未回款的客户 {customers} 个（目标为零；涉及发票 {count} 张）",
                       customers=totals["unpaid_customers"], count=totals["unpaid_invoices"],
                       months=alert_months or policy["alert_months"])]
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


def _check_stages_and_currencies(run, aging, policy, invoices, ledger, paid, plan, rates,
                                 schedule):
    """Input errors of schedules, payment terms and currencies (#17): each
    names the file, row, column and value, or is set aside with --rejects."""
    import numpy as np

    from cskit.aging import fx
    from cskit.aging.schedule import normalise_percents, schedule_problems, unknown_terms

    terms = policy.get("terms") or {}
    ledger = run.reject(ledger, unknown_terms(ledger, terms), column="payment_terms",
                        option="INVOICES",
                        expected=Text("payment terms defined in the policy ({known}); add "
                                      "[terms.\"NAME\"] to your --policy file",
                                      "策略中已定义的付款条件（{known}）；请在 --policy 文件中添加 "
                                      "[terms.\"名称\"]",
                                      known=", ".join(terms) or "-"))
    if plan is not None:
        plan = normalise_percents(plan)
        bad = schedule_problems(ledger, plan)
        messages = {
            "unknown": ("invoice_no", Text("an invoice number found in {file}", "应为 {file} 中已有的发票号",
                                           file=invoices)),
            "credit_note": ("invoice_no", Text("an invoice, not a credit note (a negative amount)",
                                               "应为发票，而不是红字发票（负数金额）")),
            "both": ("amount", Text("either an amount or a percent on each installment",
                                    "每一期须填写金额或比例之一（不能都填，也不能都不填）")),
            "mixed": ("percent", Text("all installments of one invoice given the same way: "
                                      "all amounts or all percents",
                                      "同一张发票的各期须用同一种方式填写：全部金额或全部比例")),
            "percent": ("percent", Text("percents of the invoice's installments adding up to 100",
                                        "同一张发票各期比例合计应为 100")),
            "amount": ("amount", Text("amounts of the invoice's installments adding up to the "
                                      "invoice's amount, to the cent",
                                      "同一张发票各期金额合计应等于发票金额（精确到分）")),
        }
        for kind, (column, expected) in messages.items():
            mask = bad[kind].reindex(plan.index, fill_value=False)
            if mask.any():
                shown = (plan["invoice_no"].astype("object") + " / "
                         + plan[column].astype("object").astype(str)
                         if column in plan.columns else plan["invoice_no"])
                plan = run.reject(plan, mask, column=column, option="--schedule",
                                  expected=expected, values=shown)
    base = policy["base_currency"]
    notes, named = aging.currency_mismatches(ledger, paid, base)
    ledger = run.reject(ledger, notes, column="currency", option="INVOICES",
                        expected=Text("the currency of the invoice this credit note reduces",
                                      "应与所冲减的原发票币种相同"))
    if paid is not None:
        paid = run.reject(paid, named, column="currency", option="--payments",
                          expected=Text("the currency of the invoice it names (or the local "
                                        "amounts of both in amount_local)",
                                        "应与所对应发票的币种相同（或两者都填写本位币金额）"))
    table = fx.Rates(rates, base)
    for frame, option, date_column in ((ledger, "INVOICES", "invoice_date"),
                                       (paid, "--payments", "payment_date")):
        if frame is None or not len(frame) or "currency" not in frame.columns:
            continue
        codes = fx.currency_codes(frame["currency"], base)
        local = (frame["amount_local"].notna().to_numpy() if "amount_local" in frame.columns
                 else np.zeros(len(frame), dtype=bool))
        day = np.asarray(frame[date_column], dtype="datetime64[ns]").astype("datetime64[D]")
        missing = np.isnan(table.at(codes, day)) & ~local & (codes != base.upper())
        if missing.any():
            shown = (_objects(codes, frame.index) + " "
                     + frame[date_column].dt.strftime("%Y-%m-%d"))
            frame = run.reject(frame, missing, column="currency", option=option, values=shown,
                               expected=Text("a rate for this currency on or before this date "
                                             "in --fx-rates, or the local amount in amount_local",
                                             "--fx-rates 中应有该币种在此日期或之前的汇率，"
                                             "或填写本位币金额"))
            if option == "INVOICES":
                ledger = frame
            else:
                paid = frame
    return ledger, paid, plan


def _objects(values, index):
    import pandas as pd

    return pd.Series(values, index=index, dtype="object")



def checked_references(run, ledger, paid, invoices):
    """Credit notes and payments that name an invoice the ledger does not
    have: bad rows (or set aside with --rejects). aging-report and the
    statements of account read the same ledger the same way."""
    from cskit import aging

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
                                        "请留空", file=invoices))
    return ledger, paid
