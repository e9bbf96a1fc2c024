"""``cskit score-credit``: customer credit grades, limits and approvers (SPEC §2)."""
from __future__ import annotations

import click

from cskit.i18n import Text, render
from cskit.options import common_options

POINTS_FORMAT = "General"
LEVEL_FORMAT = "0"
FORMATS = {
    "annualisation": "0.00##",
    "legal_points": POINTS_FORMAT, "other_points": POINTS_FORMAT,
    "sales_points": POINTS_FORMAT, "profit_points": POINTS_FORMAT,
    "payment_points": POINTS_FORMAT, "subjective_points": POINTS_FORMAT,
    "bad_record_points": POINTS_FORMAT, "score": POINTS_FORMAT,
    "next_level_points": POINTS_FORMAT,
    "months_active": LEVEL_FORMAT, "level": LEVEL_FORMAT, "final_level": LEVEL_FORMAT,
    "grade": LEVEL_FORMAT, "previous_grade": LEVEL_FORMAT,
    "credit_limit": "#,##0", "previous_limit": "#,##0",
    "outstanding": "#,##0.00", "available_credit": "#,##0.00;[Red]-#,##0.00",
    "max_days_overdue": LEVEL_FORMAT,
}


@click.command("score-credit")
@click.argument("customers", metavar="CUSTOMERS")
@click.option("--previous", metavar="FILE",
              help="Last quarter's score-credit output (English or Chinese headers): adds "
                   "previous_grade, previous_limit and change; customers no longer in "
                   "CUSTOMERS are kept as 'dropped' rows.")
@click.option("--exposure", metavar="FILE",
              help="aging-report's summary (customer_id, outstanding, max_days_overdue) or "
                   "its --detail open items (days_overdue per invoice): adds outstanding, "
                   "available_credit, max_days_overdue, hold and hold_reason (over_limit: "
                   "outstanding above the limit; over_term: overdue beyond the term's grace).")
@click.option("--confirmations", metavar="REGISTER",
              help="The statements' register (render-report statement's register.csv, "
                   "filled in): 对账不良记录 from it — 拒绝 −3, 被迫 −1 — instead of the "
                   "reconciliation column.")
@common_options
def score_credit(customers, previous, exposure, confirmations=None, **kwargs):
    """Score customers' credit and set their grade, limit and approver.

    Scores each customer of CUSTOMERS on the credit scorecard (客户信用管理办法):
    legal and other qualifications, annual sales, profit and payments
    (annualised for customers trading 3–8 months), the salespeople's
    subjective assessment and bad records. The score gives a level (90/80/70/60
    points), lowered for a weak subjective assessment or a salesperson's
    advance; the level and business type (A/B/mixed) give the grade 一级–四级,
    the credit limit and who approves it. Customers without any legal
    qualification are cash only; those trading under 3 months are not rated.
    Every row says why (reasons) and carries the policy_id of the rules used.
    Input columns the scorecard does not use (owner, phone, birthday …) are
    passed through, so the output is visit-plan's customer list.

    \b
    Examples:
      cskit score-credit customers.xlsx --as-of 2026-10-31 -o credit.xlsx
      cskit score-credit customers.csv --previous credit_q3.csv --exposure aging.csv -o credit.csv
      cskit score-credit customers.xlsx --policy credit.toml --lang zh -o 信用评级.xlsx
    """
    from cskit import schema
    from cskit.run import Run

    run = Run.from_options("score-credit", kwargs)
    with run:
        from cskit import credit, reconcile

        policy = run.policy("credit", check=credit.check_policy)
        table = run.read(customers, schema.CREDIT_CUSTOMERS, option="CUSTOMERS")
        before = (run.read(previous, schema.CREDIT_PREVIOUS, option="--previous")
                  if previous else None)
        owed = (run.read(exposure, schema.EXPOSURE, option="--exposure")
                if exposure else None)

        if confirmations:
            from cskit.commands.confirmations import apply_to_customers

            table, marks = apply_to_customers(run, table, confirmations)
        result = credit.score_customers(table, policy, run.as_of, lang=run.lang,
                                        source=customers)
        if confirmations:
            from cskit.confirmations import name_statements

            result = name_statements(result, marks, lang=run.lang)
        absent = credit.absent_columns(table)
        if absent:
            run.warn(Text("{path}: scoring columns not in the file, scored 0 for everyone: "
                          "{columns}",
                          "{path}：文件中没有以下评分列，所有客户这些项均计 0 分：{names}",
                          path=customers, columns=", ".join(absent),
                          names="、".join(credit.NAMES[c][1] for c in absent)))
        for warning in credit.input_warnings(table, policy, customers):
            run.warn(warning)
        if before is not None:
            result = credit.compare_previous(result, before, policy, lang=run.lang)
        if owed is not None:
            if "days_overdue" not in owed.columns:
                owed = run.reject(owed, owed["customer_id"].duplicated(keep="first"),
                                  expected=Text("one row per customer (an open-items table "
                                                "needs its days_overdue column)",
                                                "每个客户一行（逐张发票的未结清单须有“逾期天数”列）"),
                                  option="--exposure", column="customer_id")
            if "days_overdue" not in owed.columns and "max_days_overdue" not in owed.columns:
                run.warn(Text("{path}: no max_days_overdue or days_overdue column: the credit "
                              "term is not checked, only the limit",
                              "{path}：没有“最长逾期天数”或“逾期天数”列：只检查授信额度，不检查授信期限",
                              path=exposure))
            known = credit.positions(owed["customer_id"], table["customer_id"]) >= 0
            unknown = int(owed.loc[~known, "customer_id"].nunique())
            if unknown:
                run.warn(Text("{path}: {count} customer(s) not in {customers} were ignored",
                              "{path}：有 {count} 个客户不在 {customers} 中，已忽略",
                              path=exposure, count=unknown, customers=customers))
            result = credit.add_exposure(result, owed, policy, lang=run.lang)
            reconcile.exposure(result, owed)
        result = credit.order_columns(result)

        run.params.update({
            "scoring columns absent (scored 0)": ", ".join(absent) or "none",
            "level floors": " / ".join(str(f) for f in policy["levels"]["floors"]),
            "credit limits by level": " / ".join(f"{v:,}" for v in
                                                  policy["levels"]["credit_limits"]),
        })
        summary = credit.book_summary(result, policy)
        for line in summary:
            key, value = render(line, "en").split(":", 1)
            run.params[key] = value.strip()
        title = ("客户信用评级" if run.lang == "zh" else "Customer credit grades") \
            + f" {run.as_of:%Y-%m-%d}"
        run.write({"Credit": result}, formats=FORMATS, title=title)
    for line in summary:
        run.info(line)
