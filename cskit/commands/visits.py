"""``cskit visit-plan``: options → read → cskit.visits → write (SPEC §5)."""
from __future__ import annotations

import os
import re

import click

from cskit.errors import DataError, OutputError, Problem, UsageError
from cskit.i18n import Join, Text, os_reason
from cskit.options import common_options


@click.command("visit-plan")
@click.argument("customers", metavar="CUSTOMERS")
@click.option("--from", "start", required=True, metavar="DATE", help="First day of the plan.")
@click.option("--to", "end", required=True, metavar="DATE", help="Last day of the plan (inclusive).")
@click.option("--staff", metavar="FILE",
              help="staff_id, name, max_visits_per_day, max_calls_per_day, days_off.")
@click.option("--transactions", metavar="FILE",
              help="customer_id, department, date, amount: top spenders each half month.")
@click.option("--shipments", metavar="FILE",
              help="shipment_id, customer_id, ship_date, signed: follow-up calls +3 and +5 days.")
@click.option("--complaints", metavar="FILE", help="Complaint log: closed ones get a call-back.")
@click.option("--credit", metavar="FILE",
              help="score-credit output: customers whose grade went down get a visit.")
@click.option("--aging", metavar="FILE",
              help="aging-report summary: customers with money 61+ days overdue get a collection call.")
@click.option("--holidays", metavar="FILE",
              help="date, kind (holiday|workday): company days off and extra company working "
                   "days, added to the official calendar (the days the file lists change, the "
                   "others stay official).")
@click.option("--holidays-replace", is_flag=True,
              help="Take each year the --holidays file covers from the file alone (Monday–"
                   "Friday plus its days) instead of the official calendar: for a year whose "
                   "official schedule is not built in yet, given in full in the file.")
@click.option("--ics", "ics_dir", metavar="DIR",
              help="Also write one iCalendar (.ics) file per staff member into DIR.")
@common_options
def visit_plan(customers, start, end, staff, transactions, shipments, complaints, credit, aging,
               holidays, holidays_replace, ics_dir, **kwargs):
    """Plan visits, calls and greetings on China's working calendar.

    Periodic visits and calls by customer tier (key/1: visit every 30 days,
    2: visit every 90, 3: call every 60, 4/unrated: call every 180, from
    last_visit_date), birthday calls (solar or lunar) with a gift visit for
    key customers, festival greetings, the top 3 spenders of each department
    every half month, shipment follow-ups, complaint call-backs, visits
    after a credit downgrade and collection calls for money 61+ days
    overdue. Work falls on official working days (statutory holidays off,
    make-up weekends on), within each staff member's daily limits, due dates
    first; what does not fit is listed as unscheduled with the reason.
    CUSTOMERS may be score-credit's output (its grade is the tier).

    \b
    Examples:
      cskit visit-plan customers.xlsx --from 2026-11-01 --to 2026-11-30 -o visits.xlsx
      cskit visit-plan credit.csv --from 2026-11-01 --to 2026-11-30 --staff staff.csv \\
          --shipments shipments.csv --aging aging.csv --credit credit.csv --ics calendars/
      cskit visit-plan customers.csv --from 2026-12-01 --to 2026-12-31 --holidays company_days.csv
      cskit visit-plan customers.csv --from 2027-01-01 --to 2027-01-31 \\
          --holidays holidays_2027.csv --holidays-replace
    """
    from cskit import schema
    from cskit.io import values
    from cskit.run import Run

    first, last = values.parse_date_text(start), values.parse_date_text(end)
    for option, text, parsed in (("--from", start, first), ("--to", end, last)):
        if parsed is None:
            raise UsageError(Text("{option}: {text!r} is not a date; give it like 2026-11-01",
                                  "{option}：“{text}”不是日期；请写成 2026-11-01 这样的格式",
                                  option=option, text=text))
    if last < first:
        raise UsageError(Text("--to {end} is before --from {start}: the last day of the plan "
                              "cannot come before its first day",
                              "--to {end} 早于 --from {start}：计划的结束日期不能早于开始日期",
                              start=start, end=end))
    _check_years(first, last, start, end)
    if holidays_replace and not holidays:
        raise UsageError(Text("--holidays-replace needs --holidays FILE: the file whose years "
                              "replace the official calendar",
                              "--holidays-replace 须与 --holidays 文件一起使用：由该文件给出"
                              "替换官方日历的年份安排"))

    run = Run.from_options("visit-plan", kwargs)
    with run:
        from cskit import calendar_cn, visits

        policy = run.policy("visit", check=visits.check_policy)
        table = run.read(customers, schema.VISIT_CUSTOMERS, option="CUSTOMERS")
        for column, bad, expected in visits.customer_problems(table):
            table = run.reject(table, bad.reindex(table.index, fill_value=False),
                               expected=expected, option="CUSTOMERS", column=column)
        team = run.read(staff, schema.STAFF, option="--staff") if staff else None
        if team is not None:
            for column, bad, expected in visits.staff_problems(team):
                team = run.reject(team, bad, expected=expected, option="--staff", column=column)
        inputs = {
            "transactions": (transactions, schema.TRANSACTIONS, "--transactions"),
            "shipments": (shipments, schema.SHIPMENTS, "--shipments"),
            "complaints": (complaints, schema.COMPLAINTS, "--complaints"),
            "credit": (credit, schema.VISIT_CREDIT, "--credit"),
            "aging": (aging, schema.VISIT_AGING, "--aging"),
        }
        tables = {name: run.read(path, sch, option=option) if path else None
                  for name, (path, sch, option) in inputs.items()}
        if tables["aging"] is not None:
            tables["aging"] = _aging_rows(tables["aging"], aging)
        calendar = calendar_cn.WorkCalendar(
            overrides=_holidays(run, holidays) if holidays else {},
            unknown_year=policy["unknown_year"], replace=holidays_replace)
        try:
            plan = visits.plan_visits(table, policy, first, last, calendar=calendar, staff=team,
                                      **tables)
        except calendar_cn.UnknownYear as exc:
            raise DataError(_unknown_year_problem(exc, start, end, holidays,
                                                  {d.year for d in calendar.overrides})) from None

        _report(run, plan, first, last)
        run.write({"Plan": plan.activities, "Capacity": plan.capacity})
        if ics_dir:
            written = _write_ics(plan, ics_dir)
            run.info(Text("calendars: {n} .ics file(s) written to {folder}",
                          "日历：已在 {folder} 写出 {n} 个 .ics 文件", n=written, folder=ics_dir))


def _aging_rows(frame, path):
    """An aging summary needs customer_id; its blank-id totals row is skipped."""
    if "customer_id" not in frame.columns:
        raise DataError(Problem(file=path, expected=Text(
            "required column customer_id (客户编号) is missing: give aging-report's summary "
            "by customer; columns found: {columns}",
            "缺少必需的列 customer_id（客户编号）：请给出 aging-report 按客户汇总的账龄表；"
            "文件中现有的列：{columns}",
            columns=Join((", ", "、"), [str(c) for c in frame.columns]))))
    return frame[frame["customer_id"].notna()]


def _holidays(run, path) -> dict:
    from cskit import schema

    frame = run.read(path, schema.HOLIDAYS, option="--holidays")
    return {stamp.date(): kind for stamp, kind in zip(frame["date"], frame["kind"])}


def _check_years(first, last, start, end) -> None:
    """Festivals and lunar birthdays are computed from tables that end."""
    from cskit.calendar_cn import FIRST_YEAR, LAST_YEAR

    if first.year < FIRST_YEAR or last.year > LAST_YEAR:
        raise UsageError(Text("--from {start} --to {end}: a plan can only cover the years "
                              "{first}–{last} (the range of the lunar calendar)",
                              "--from {start} --to {end}：计划只能排在 {first}–{last} 年之间"
                              "（农历换算的范围）",
                              start=start, end=end, first=FIRST_YEAR, last=LAST_YEAR))


def _unknown_year_problem(exc, start, end, holidays, file_years=()) -> Problem:
    from cskit import calendar_cn

    first, last = calendar_cn.official_range()
    years = Join((", ", "、"), [str(y) for y in exc.years])
    if holidays and not set(exc.years) & set(file_years):
        also = Text(" (and {holidays} does not cover it)", "（{holidays} 中也没有该年的安排）",
                    holidays=holidays)
    elif holidays:
        also = Text(" ({holidays} only adds days to an official calendar; if it holds the "
                    "whole schedule of {years}, add --holidays-replace)",
                    "（{holidays} 只是在官方日历上增减个别日子；如果它给出的是 {years} 年的完整"
                    "安排，请加 --holidays-replace）", holidays=holidays, years=years)
    else:
        also = ""
    return Problem(file=f"--from {start} --to {end}", expected=Text(
        "the official working-day calendar of {years} is not known yet{also}: the built-in "
        "calendar covers {first}–{last}, and the State Council publishes each year's "
        "holidays around November. Give --holidays FILE (date, kind = holiday|workday) with "
        "{years}'s whole schedule and --holidays-replace, or set unknown_year = \"weekdays\" in a --policy file to plan Monday–Friday "
        "provisionally",
        "{years} 年的法定节假日和调休安排尚未收录{also}：内置日历收录的是 {first}–{last} 年，"
        "国务院一般在每年 11 月前后公布下一年的放假安排。请用 --holidays 文件"
        "（列：date 日期、kind 类型 = holiday 放假 | workday 上班）给出 {years} 年的完整安排"
        "并加 --holidays-replace，"
        "或在 --policy 策略文件中设 unknown_year = \"weekdays\"，暂按周一至周五排期"
        "（标为 provisional 暂定）",
        years=years, also=also, first=first, last=last))


def _report(run, plan, first, last) -> None:
    activities, capacity = plan.activities, plan.capacity
    counts = activities["status"].value_counts()
    run.info(Text("visit-plan {first}..{last}: {total} activit{ies}, {planned} planned, "
                  "{provisional} provisional, {unscheduled} unscheduled",
                  "visit-plan {first}..{last}：共 {total} 项活动，已排期 {planned} 项，"
                  "暂定 {provisional} 项，未能排期 {unscheduled} 项",
                  first=f"{first:%Y-%m-%d}", last=f"{last:%Y-%m-%d}", total=len(activities),
                  ies="y" if len(activities) == 1 else "ies",
                  **{s: int(counts.get(s, 0)) for s in ("planned", "provisional", "unscheduled")}))
    run.info(Text("demand against capacity per staff member (due / slots → planned):",
                  "各员工任务量与可排名额（应办 / 名额 → 已排）："))
    for row in capacity.to_dict("records"):
        name = row["staff_name"] if isinstance(row["staff_name"], str) else ""
        line = (f"visits {row['visits_due']}/{row['visit_capacity']} → {row['visits_planned']}, "
                f"calls {row['calls_due']}/{row['call_capacity']} → {row['calls_planned']}, "
                f"sms {row['sms']}, unscheduled {row['unscheduled']}, "
                f"{row['working_days']} working days")
        run.info(Text("  {who}: visits {visits_due}/{visit_capacity} → {visits_planned}, "
                      "calls {calls_due}/{call_capacity} → {calls_planned}, sms {sms}, "
                      "unscheduled {unscheduled}, {working_days} working days",
                      "  {who}：拜访 {visits_due}/{visit_capacity} → {visits_planned}，"
                      "电话 {calls_due}/{call_capacity} → {calls_planned}，短信 {sms}，"
                      "未能排期 {unscheduled}，工作日 {working_days} 天",
                      who=f"{row['staff_id']} {name}".rstrip(),
                      **{k: row[k] for k in ("visits_due", "visit_capacity", "visits_planned",
                                             "calls_due", "call_capacity", "calls_planned",
                                             "sms", "unscheduled", "working_days")}))
        run.params[f"capacity {row['staff_id']}"] = line
    run.params["window"] = f"{first:%Y-%m-%d} .. {last:%Y-%m-%d}"
    for note in plan.notes:
        run.warn(note)


def _write_ics(plan, folder: str) -> int:
    """One .ics per staff member, named by cskit.io.write.safe_file_name (unique
    even when staff ids differ only by characters a file name cannot hold) and
    staged with the run's other outputs: all are written, or none. Returns
    the number of files written."""
    from datetime import datetime, timezone

    from cskit import visits
    from cskit.io.write import OutputSet, atomic_path, current_outputs, safe_file_name

    files = visits.ics_calendars(plan.activities, datetime.now(timezone.utc).replace(microsecond=0))
    (current_outputs() or OutputSet()).make_folder(folder, "--ics")
    used: set[str] = set()
    for staff_id, data in files.items():
        path = os.path.join(folder, safe_file_name(staff_id, used, suffix=".ics"))
        with atomic_path(path, "--ics") as tmp:
            with open(tmp, "wb") as fh:
                fh.write(data)
    return len(used)
