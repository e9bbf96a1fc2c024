"""``cskit visit-plan``: options → read → cskit.visits → write (SPEC §5)."""
from __future__ import annotations

import os
import re

import click

from cskit.errors import DataError, OutputError, Problem, UsageError
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
              help="date, kind (holiday|workday): the official schedule of a year the built-in "
                   "calendar does not know yet, or company-specific days.")
@click.option("--ics", "ics_dir", metavar="DIR",
              help="Also write one iCalendar (.ics) file per staff member into DIR.")
@common_options
def visit_plan(customers, start, end, staff, transactions, shipments, complaints, credit, aging,
               holidays, ics_dir, **kwargs):
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
      cskit visit-plan customers.csv --from 2027-01-01 --to 2027-01-31 --holidays holidays_2027.csv
    """
    from cskit import schema
    from cskit.io import values
    from cskit.run import Run

    first, last = values.parse_date_text(start), values.parse_date_text(end)
    for option, text, parsed in (("--from", start, first), ("--to", end, last)):
        if parsed is None:
            raise UsageError(f"{option}: {text!r} is not a date; expected e.g. 2026-11-01")
    if last < first:
        raise UsageError(f"--to {end} is before --from {start}")

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
            unknown_year=policy["unknown_year"])
        try:
            plan = visits.plan_visits(table, policy, first, last, calendar=calendar, staff=team,
                                      **tables)
        except calendar_cn.UnknownYear as exc:
            raise DataError(_unknown_year_problem(exc, start, end, holidays)) from None

        _report(run, plan, first, last)
        run.write({"Plan": plan.activities, "Capacity": plan.capacity})
        if ics_dir:
            written = _write_ics(plan, ics_dir)
            run.info(f"calendars: {written} .ics file(s) in {ics_dir}")


def _aging_rows(frame, path):
    """An aging summary needs customer_id; its blank-id totals row is skipped."""
    if "customer_id" not in frame.columns:
        raise DataError(Problem(file=path, column="customer_id", expected=(
            "required column customer_id (客户编号) is missing: give aging-report's summary "
            "by customer; columns found: " + ", ".join(map(str, frame.columns)))))
    return frame[frame["customer_id"].notna()]


def _holidays(run, path) -> dict:
    from cskit import schema

    frame = run.read(path, schema.HOLIDAYS, option="--holidays")
    return {stamp.date(): kind for stamp, kind in zip(frame["date"], frame["kind"])}


def _unknown_year_problem(exc, start, end, holidays) -> Problem:
    from cskit import calendar_cn

    first, last = calendar_cn.official_range()
    years = ", ".join(str(y) for y in exc.years)
    also = f" (and {holidays} does not cover it)" if holidays else ""
    return Problem(file=f"--from {start} --to {end}", expected=(
        f"the official working-day calendar of {years} is not known yet{also}: the built-in "
        f"calendar covers {first}–{last}, and the State Council publishes each year's "
        f"holidays around November. Give --holidays FILE (date, kind = holiday|workday) for "
        f"{years}, or set unknown_year = \"weekdays\" in a --policy file to plan Monday–Friday "
        "provisionally"))


def _report(run, plan, first, last) -> None:
    activities, capacity = plan.activities, plan.capacity
    counts = activities["status"].value_counts()
    run.info(f"visit-plan {first:%Y-%m-%d}..{last:%Y-%m-%d}: {len(activities)} activities, "
             + ", ".join(f"{counts.get(s, 0)} {s}" for s in ("planned", "provisional", "unscheduled")))
    run.info("demand against capacity per staff member (due / slots → planned):")
    for row in capacity.to_dict("records"):
        name = row["staff_name"] if isinstance(row["staff_name"], str) else ""
        line = (f"visits {row['visits_due']}/{row['visit_capacity']} → {row['visits_planned']}, "
                f"calls {row['calls_due']}/{row['call_capacity']} → {row['calls_planned']}, "
                f"sms {row['sms']}, unscheduled {row['unscheduled']}, "
                f"{row['working_days']} working days")
        run.info(f"  {row['staff_id']} {name}".rstrip() + ": " + line)
        run.params[f"capacity {row['staff_id']}"] = line
    run.params["window"] = f"{first:%Y-%m-%d} .. {last:%Y-%m-%d}"
    for note in plan.notes:
        run.warn(note)


def _write_ics(plan, folder: str) -> int:
    """One .ics per staff member, each written atomically (cskit.io.write)."""
    from datetime import datetime, timezone

    from cskit import visits
    from cskit.io.write import atomic_path

    files = visits.ics_calendars(plan.activities, datetime.now(timezone.utc).replace(microsecond=0))
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"--ics {folder}: cannot create the folder: {exc.strerror or exc}") from None
    for staff_id, data in files.items():
        name = re.sub(r"[^\w.-]+", "_", staff_id).strip("._") or "staff"
        with atomic_path(os.path.join(folder, f"{name}.ics")) as tmp:
            try:
                with open(tmp, "wb") as fh:
                    fh.write(data)
            except OSError as exc:
                raise OutputError(f"--ics {folder}: cannot write the calendar files: "
                                  f"{exc.strerror or exc}") from None
    return len(files)
