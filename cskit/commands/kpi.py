"""``cskit rollup-kpi``: options → read → cskit.kpi → write (SPEC §4)."""
from __future__ import annotations

import click

from cskit.errors import DataError, Problem, UsageError
from cskit.i18n import Join, Text
from cskit.options import common_options

PERCENT = "0.0%"


@click.command("rollup-kpi")
@click.option("--org", required=True, metavar="FILE",
              help="Org chart: staff_id, name, role (客服总监 … 客服专人 or director … "
                   "specialist), manager_id, branch.")
@click.option("--complaints", metavar="FILE",
              help="Complaint log: complaint_id, staff_id, opened_at, first_response_at, "
                   "closed_at, status → closure rate, first response, hours to close.")
@click.option("--surveys", metavar="FILE",
              help="staff_id, date, score (1–5) or satisfied → satisfaction rate.")
@click.option("--sales", metavar="FILE",
              help="staff_id, period or date, revenue, gross_profit, target → gross margin, "
                   "target completion, year-on-year growth.")
@click.option("--invoices", metavar="FILE",
              help="Invoice ledger as for aging-report, salesperson = staff_id → DSO.")
@click.option("--payments", metavar="FILE", help="Payments for the DSO (as for aging-report).")
@click.option("--measures", metavar="FILE",
              help="staff_id, period, measure, value [, numerator, denominator]: any other "
                   "measure, e.g. report_accuracy, plan_completion.")
@click.option("--appraisals", metavar="FILE",
              help="staff_id, period, self_score, manager_score (0–100).")
@click.option("--period", metavar="PERIOD",
              help="A month (2026-10) or a quarter (2026-Q3). Default: the month of "
                   "--as-of when it is the month's last day, else the month before.")
@click.option("--from", "start", metavar="DATE",
              help="With --to: every month from this date's month, one row set per month.")
@click.option("--to", "end", metavar="DATE", help="Last month (with --from).")
@click.option("--confirmations", metavar="REGISTER",
              help="The statements' register (render-report statement's register.csv, "
                   "filled in) → 对账完成率 and 对账及时率, and the unreturned statements.")
@common_options
def rollup_kpi(org, complaints, surveys, sales, invoices, payments, measures, appraisals,
               period, start, end, confirmations=None, **kwargs):
    """KPI scorecards from staff through branches to the department.

    Each role's KPIs (客户满意度, 投诉处理结案率, 客户业绩挖潜同比,
    应收账款周转天数, 客户毛利润, 月度经营指标完毕率, and the assistant's
    报表精确率, 月工作计划完毕率, 绩效考核覆盖率) are measured from the raw
    logs, for each staff member from their own records and for each manager
    from everything below them, always as Σnumerator / Σdenominator. Each KPI
    is judged against its target and scored (100 × achievement, capped at
    120), the appraisal is 30% self + 70% manager, and peers of a role are
    ranked: reward for the first, penalty for the last, an improvement plan
    for the last two, reassignment after three periods last in a row. The
    main table has one row per entity, period and KPI; an .xlsx adds a
    Scorecard and a Wide sheet coloured green/red against the targets.

    \b
    Examples:
      cskit rollup-kpi --org org.csv --surveys surveys.csv --complaints complaints.xlsx \\
          --period 2026-10 -o kpi.xlsx
      cskit rollup-kpi --org org.csv --sales sales.csv --invoices invoices.csv \\
          --payments payments.csv --appraisals appraisals.csv --period 2026-Q3 -o q3.csv
      cskit rollup-kpi --org org.csv --sales sales.csv --from 2026-08-01 --to 2026-10-31 --lang zh
    """
    from cskit.run import Run

    if period and (start or end):
        raise UsageError(Text("give either {period} or {start}/{end}, not both",
                              "{period} 与 {start}/{end} 只能二选一",
                              period="--period", start="--from", end="--to"))
    if bool(start) != bool(end):
        raise UsageError(Text("{start} and {end} go together", "{start} 和 {end} 须同时给出",
                              start="--from", end="--to"))
    if not any((complaints, surveys, sales, invoices, measures, appraisals, confirmations)):
        raise UsageError(Text("nothing to measure: give at least one of {options}",
                              "没有可考核的数据：请至少给出 {options} 中的一项",
                              options="--complaints, --surveys, --sales, --invoices, "
                                      "--measures, --appraisals, --confirmations"))
    if payments and not invoices:
        raise UsageError(Text("{payments} needs {invoices}", "{payments} 须与 {invoices} 一起使用",
                              payments="--payments", invoices="--invoices"))

    run = Run.from_options("rollup-kpi", kwargs)
    with run:
        from cskit import kpi, reconcile, schema

        periods = _periods(run, period, start, end)
        policy = run.policy("kpi", check=kpi.check_policy)
        org_table = run.read(org, schema.ORG, option="--org")
        kpi.validate_org(org_table, file=org, unassigned_id=policy["unassigned_id"])
        tables = {
            "complaints": _read(run, complaints, schema.COMPLAINTS, "--complaints"),
            "surveys": _read(run, surveys, schema.SURVEYS, "--surveys"),
            "sales": _read(run, sales, schema.SALES, "--sales"),
            "invoices": _read(run, invoices, schema.INVOICES, "--invoices"),
            "payments": _read(run, payments, schema.PAYMENTS, "--payments"),
            "measures": _read(run, measures, schema.MEASURES, "--measures"),
            "appraisals": _read(run, appraisals, schema.APPRAISALS, "--appraisals"),
        }
        if tables["invoices"] is not None and "salesperson" not in tables["invoices"]:
            raise DataError(Problem(file=invoices, column="salesperson", expected=Text(
                "no such column: a salesperson column (业务员) giving each invoice's staff_id "
                "is needed to measure DSO per staff member; columns found: {columns}",
                "缺少此列：须有“业务员”列（填写每张发票对应的工号），才能按人计算应收账款"
                "周转天数；文件中现有的列：{columns}",
                columns=", ".join(map(str, tables["invoices"].columns)))))
        paths = {"complaints": complaints, "surveys": surveys, "sales": sales,
                 "invoices": invoices, "payments": payments, "measures": measures,
                 "appraisals": appraisals}
        tables = _checked(run, tables, policy)
        result = kpi.rollup_kpis(org_table, policy, periods, lang=run.lang, **tables)
        reconcile.kpi_sales(org_table, tables["sales"], result.long, result.periods)
        reconcile.kpi_invoices(org_table, tables["invoices"], tables["payments"], result.long,
                               result.periods, policy)

        _report(run, result, policy, paths)
        extra_sheets, formats = {}, _formats(result, policy, run.lang)
        if confirmations:
            from cskit.commands.confirmations import add_to_kpis

            extra_sheets, wide_formats = add_to_kpis(run, result, org_table, confirmations)
            formats["Wide"].update(wide_formats)
        run.params["periods"] = ", ".join(p.label for p in result.periods)
        run.write({"KPIs": result.long, "Scorecard": result.scorecard, "Wide": result.wide,
                   **extra_sheets},
                  formats=formats,
                  highlight={"Wide": result.wide_met})


def _read(run, path, table_schema, option):
    return run.read(path, table_schema, option=option) if path else None


def _periods(run, period, start, end):
    from cskit import kpi
    from cskit.io import values

    if start:
        first, last = values.parse_date_text(start), values.parse_date_text(end)
        for option, text, parsed in (("--from", start, first), ("--to", end, last)):
            if parsed is None:
                raise UsageError(Text("{option}: {text!r} is not a date; expected e.g. "
                                      "2026-08-01",
                                      "{option}：“{text}”不是日期，应为如 2026-08-01 这样的日期",
                                      option=option, text=text))
        if last < first:
            raise UsageError(Text("{end_option} {end} is before {start_option} {start}",
                                  "{end_option} {end} 早于 {start_option} {start}，请检查日期",
                                  end_option="--to", end=end, start_option="--from",
                                  start=start))
        return kpi.months_between(first, last)
    if period:
        parsed = kpi.parse_period(period)
        if parsed is None or parsed.kind == "year":
            raise UsageError(Text("{option}: {period!r} is not a month or a quarter; "
                                  "expected e.g. 2026-10 or 2026-Q3",
                                  "{option}：“{period}”不是月份或季度，应为如 2026-10 或 "
                                  "2026-Q3 这样的期间",
                                  option="--period", period=period))
        return [parsed]
    return [kpi.default_period(run.as_of)]


def _checked(run, tables, policy):
    """Rows the domain cannot use: set aside with --rejects, else an error."""
    from cskit import kpi

    complaints = tables["complaints"]
    if complaints is not None:
        for column, bad in kpi.complaint_problems(complaints).items():
            complaints = run.reject(complaints, bad, column=column, option="--complaints",
                                    expected=Text("a time at or after {opened}",
                                                  "应不早于投诉受理时间（{opened}）",
                                                  opened="opened_at"))
        tables["complaints"] = complaints
    surveys = tables["surveys"]
    if surveys is not None:
        answered = kpi.satisfied_flags(surveys, policy).notna()
        column = "score" if "score" in surveys else "satisfied"
        if not answered.all():  # the values shown are built only when a row is rejected
            tables["surveys"] = run.reject(surveys, ~answered, column=column, option="--surveys",
                                           expected=Text("a score (1–5) or satisfied "
                                                         "(yes/no); both are blank",
                                                         "评分（1–5）和是否满意（是/否）都为空，"
                                                         "应至少填写一项"),
                                           values=surveys[column].astype(object).where(
                                               surveys[column].notna(), ""))
    sales = tables["sales"]
    if sales is not None:
        if "period" in sales:
            bad = kpi.period_text_problems(sales["period"])
            sales = run.reject(sales, bad, column="period", option="--sales",
                               expected=Text("a month such as 2026-10", "应为月份，如 2026-10"))
        has_period = sales["period"].notna() if "period" in sales else False
        has_date = sales["date"].notna() if "date" in sales else False
        sales = run.reject(sales, ~(has_period | has_date), column="period", option="--sales",
                           expected=Text("a period (2026-10) or a date",
                                         "应填写期间（如 2026-10）或日期"))
        tables["sales"] = sales
    for name, option in (("measures", "--measures"), ("appraisals", "--appraisals")):
        frame = tables[name]
        if frame is not None:
            tables[name] = run.reject(frame, kpi.period_text_problems(frame["period"]),
                                      column="period", option=option,
                                      expected=Text("a month such as 2026-10 or a quarter "
                                                    "such as 2026-Q3",
                                                    "应为月份（如 2026-10）或季度（如 2026-Q3）"))
    return tables


def _report(run, result, policy, paths):
    periods = ", ".join(p.label for p in result.periods)
    if len(result.unassigned):
        by_source = result.unassigned.groupby("source")
        for source, rows in by_source:
            shown = [Text("{staff} ({count})", "{staff}（{count} 条）", staff=_staff(s), count=n)
                     for s, n in zip(rows["staff_id"].head(10), rows["rows"].head(10))]
            if len(rows) > 10:
                shown.append(Text("and {count} more", "另有 {count} 个工号",
                                  count=len(rows) - 10))
            run.warn(Text("{source}: {count} record(s) of staff not in the org chart roll up "
                          "under {unassigned!r}: {shown}",
                          "{source}：有 {count} 条记录的工号不在组织架构表中，已归入“{unassigned}”："
                          "{shown}",
                          source=paths.get(source) or source, count=int(rows["rows"].sum()),
                          unassigned=policy["unassigned_id"], shown=Join((", ", "，"), shown)))
    if result.unused_measures:
        run.warn(Text("{option}: no KPI uses {measures} (define one under [custom_kpis] in a "
                      "{policy} file)",
                      "{option}：没有考核指标用到 {measures}（如需考核，请在 {policy} 策略文件的 "
                      "[custom_kpis] 下定义）",
                      option="--measures", measures=", ".join(result.unused_measures),
                      policy="--policy"))
    card = result.scorecard
    judged = result.long["met"].notna()
    met = int(result.long["met"].fillna(False).sum())
    run.info(Text("rollup-kpi {periods}: {entities} entities, {rows} KPI rows, {met} of "
                  "{judged} judged KPIs on target",
                  "rollup-kpi {periods}：考核对象 {entities} 个，指标 {rows} 行；可评判的 {judged} "
                  "项指标中 {met} 项达标",
                  periods=periods, entities=card["entity_id"].nunique(), rows=len(result.long),
                  met=met, judged=int(judged.sum())))
    for flag in ("last_place", "consider_reassignment"):
        who = card.loc[card["flags"].str.contains(flag, na=False, regex=False)]
        if len(who):
            names = ", ".join(f"{e} ({p})" for e, p in zip(who["entity_id"], who["period"]))
            if flag == "last_place":
                run.info(Text("{flag}: {names}", "排名末位（{flag}）：{names}",
                              flag=flag, names=names))
            else:
                run.info(Text("{flag}: {names}", "建议调岗（{flag}）：{names}",
                              flag=flag, names=names))


def _staff(staff_id) -> "Text | str":
    # kpi.rollup_kpis counts the records without a staff_id as "(blank)"
    return Text("(blank)", "（空白）") if staff_id == "(blank)" else staff_id


def _formats(result, policy, lang):
    from cskit import kpi

    specs = kpi.kpi_specs(policy)
    wide = {}
    for key, spec in specs.items():
        column = spec["label"] if lang == "zh" else key
        wide[column] = PERCENT if spec["unit"] == "ratio" else "#,##0.0"
    return {"numerator": "#,##0.00", "denominator": "#,##0.00", "value": "#,##0.0000",
            "target": "#,##0.00##", "kpi_score": "0.0", "score": "0.0", "appraisal": "0.0",
            "reward": "#,##0", "Wide": wide}
