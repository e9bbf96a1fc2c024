"""visit-plan places every staff member's visits and calls at once
(cskit/visits/placement.py ``_schedule``). The loop over staff members it
replaced is kept below, verbatim, as the reference: on the samples, on
tables from ``python -m cskit.samples --rows N`` and on random tables the
two give the same plan, notes and capacity, and the command writes the
same bytes."""
from __future__ import annotations

import contextlib
import hashlib
import os
import re
from datetime import date, datetime, timedelta, timezone
from unittest import mock

import numpy as np
import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, example, given, settings, strategies as st

from cskit import calendar_cn as cal
from cskit import policy as policy_module
from cskit import samples, visits
from cskit.cli import cli
from cskit.errors import UsageError
from cskit.i18n import Text
from cskit.io.write import OutputSet, clash, same_path
from cskit.visits.common import OUTPUT_COLUMNS, SLOT, WORK_REASONS
from cskit.visits.demand import (birthday_demand, collection_demand, complaint_demand,
                                 credit_demand, cycle_demand, greeting_demand, shipment_demand,
                                 top_spender_demand)
from cskit.visits.birthdays import _birthday_rows, _lunar_dates, _solar_month_day
from cskit.visits.placement import KIND_ZH, _staff_table
from cskit.visits.plan import VisitPlan, _prepare_customers

SAMPLES = "samples"


# --- the reference: the loop over staff members, as it was ----------------------

def _old_place(demand: pd.DataFrame, slot_days: np.ndarray) -> np.ndarray:
    """Greedy earliest-fit of DEMAND (sorted by due, then priority) into the
    day slots SLOT_DAYS (one entry per free unit of capacity, ascending).
    Item i takes the first free slot on or after its due day; with the
    items in due order that slot is p_i = i + max_{j≤i}(a_j − j), a_j being
    the first slot not before item j's due day — a cumulative maximum
    instead of a loop. Returns the slot index, or −1 when none is left."""
    if not len(demand):
        return np.array([], dtype="int64")
    first = np.searchsorted(slot_days, demand["due"].to_numpy(), side="left")
    order = np.arange(len(demand))
    position = order + np.maximum.accumulate(first - order)
    return np.where(position < len(slot_days), position, -1)


def _old_plan_visits(customers: pd.DataFrame, policy: dict, start, end, *,
                calendar: cal.WorkCalendar | None = None, staff: pd.DataFrame | None = None,
                transactions: pd.DataFrame | None = None, shipments: pd.DataFrame | None = None,
                complaints: pd.DataFrame | None = None, credit: pd.DataFrame | None = None,
                aging: pd.DataFrame | None = None) -> VisitPlan:
    """Every activity from START to END (inclusive), placed or unscheduled.

    CUSTOMERS as schema.VISIT_CUSTOMERS reads it. Raises
    calendar_cn.UnknownYear when the window reaches into a year without a
    working-day calendar (see WorkCalendar)."""
    start, end = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    calendar = calendar or cal.WorkCalendar(unknown_year=policy["unknown_year"])
    days = calendar.days(start.date(), end.date())
    customers = _prepare_customers(customers)
    notes: list[Text] = []

    demand = pd.concat([
        cycle_demand(customers, policy, start, end),
        birthday_demand(customers, policy, start, end),
        greeting_demand(customers, policy, start, end),
        top_spender_demand(transactions, customers, policy, start, end),
        shipment_demand(shipments, policy, start, end),
        complaint_demand(complaints, policy, start, end),
        credit_demand(credit, policy, start),
        collection_demand(aging, policy, start),
    ], ignore_index=True)

    info = customers.set_index("customer_id")
    known = demand["customer_id"].isin(info.index)
    demand["customer_name"] = demand["customer_id"].map(info["customer_name"]) \
        if "customer_name" in info.columns else pd.Series(np.nan, index=demand.index, dtype="str")
    demand["phone"] = demand["customer_id"].map(info["phone"]) if "phone" in info.columns \
        else pd.Series(np.nan, index=demand.index, dtype="str")
    demand["tier"] = demand["customer_id"].map(info["tier"])
    owner = demand["customer_id"].map(info["owner"])
    demand["staff_id"] = owner.fillna(demand["staff_hint"]).astype("str")
    order = {reason: i for i, reason in enumerate(policy["priority"])}
    demand["priority"] = demand["reason"].map(order).fillna(len(order)).astype("int64")

    team = _staff_table(staff, demand["staff_id"], policy)
    demand["staff_name"] = demand["staff_id"].map(team["name"]).astype("str")
    demand["date"] = pd.Series(pd.NaT, index=demand.index, dtype="datetime64[ns]")
    # the plan's own notes follow --lang, like the reasons of score-credit
    notes_np = np.full(len(demand), None, dtype=object)
    unowned_rows = demand["staff_id"].isna().to_numpy()
    notes_np[unowned_rows & ~known.to_numpy()] = str(Text(
        "customer is not in CUSTOMERS", "客户不在客户表（CUSTOMERS）中"))
    notes_np[unowned_rows & known.to_numpy()] = str(Text(
        "the customer has no owner (负责人)", "客户没有负责人"))
    off_note = str(Text("staff member is off on the day", "员工当天休息"))

    calendar_days = pd.DatetimeIndex([pd.Timestamp(d) for d, _, _ in days])
    workday = pd.Series([w for _, w, _ in days], index=calendar_days)
    provisional_days = {pd.Timestamp(d) for d, _, p in days if p}

    slotted = demand["activity"].map(SLOT)
    # bulk SMS greetings need no slot: planned on their own day
    bulk = (demand["staff_id"].notna() & slotted.isna()).to_numpy()
    dates = np.full(len(demand), np.datetime64("NaT"), dtype="datetime64[ns]")
    dates[bulk] = demand["due"].to_numpy()[bulk]
    kinds = slotted.to_numpy()

    # demand's index is 0..n-1: positions and labels agree; split by staff once
    by_staff = demand.groupby("staff_id", sort=False).indices
    nothing = np.array([], dtype=np.intp)
    columns = demand[["due", "priority", "customer_id", "pinned"]]
    capacity_rows = []
    for staff_id in team.index:
        member = team.loc[staff_id]
        off = pd.DatetimeIndex([pd.Timestamp(d) for d in member["days_off"]])
        on_duty = workday & ~calendar_days.isin(off)
        row = {"staff_id": staff_id, "staff_name": member["name"],
               "working_days": int(on_duty.sum())}
        mine = by_staff.get(staff_id, nothing)
        for kind, limit in (("visit", int(member["max_visits"])), ("call", int(member["max_calls"]))):
            items = columns.iloc[mine[kinds[mine] == kind]]
            # pinned greetings (birthday calls) take their own day's slots
            # first, on any day the member is not off
            pinned = items[items["pinned"]]
            pinned = pinned.sort_values(["due", "priority", "customer_id"])
            used = pinned.groupby("due").cumcount()
            is_off = pinned["due"].isin(off).to_numpy()
            fits = (used.to_numpy() < limit) & ~is_off
            dates[pinned.index[fits]] = pinned["due"].to_numpy()[fits]
            notes_np[pinned.index[~fits]] = np.where(is_off[~fits], off_note, str(Text(
                "no free {kind} slot on the day (max {limit} a day)",
                "当天没有空余的{kind_zh}名额（每天最多 {limit} 个）",
                kind=kind, kind_zh=KIND_ZH[kind], limit=limit)))
            taken = pinned["due"][fits].value_counts()
            free = pd.Series(np.where(on_duty, limit, 0), index=calendar_days)
            free = (free - taken.reindex(calendar_days).fillna(0).astype("int64")).clip(lower=0)
            slot_days = np.repeat(calendar_days.to_numpy(), free.to_numpy())
            flexible = items[~items["pinned"]].sort_values(["due", "priority", "customer_id"])
            position = _old_place(flexible, slot_days)
            placed = position >= 0
            dates[flexible.index[placed]] = slot_days[position[placed]]
            notes_np[flexible.index[~placed]] = str(Text(
                "no free {kind} slot by {end} (max {limit} a day; {due} due, {slots} slots)",
                "到 {end} 为止没有空余的{kind_zh}名额（每天最多 {limit} 个；"
                "应做 {due} 个，名额 {slots} 个）",
                kind=kind, kind_zh=KIND_ZH[kind], end=f"{end:%Y-%m-%d}", limit=limit,
                due=len(items), slots=int(free.sum()) + int(fits.sum())))
            row[f"{kind}_capacity"] = int(on_duty.sum()) * limit
            row[f"{kind}s_due"] = len(items)
            row[f"{kind}s_planned"] = int(fits.sum()) + int(placed.sum())
        row["sms"] = int(bulk[mine].sum())
        row["unscheduled"] = int(np.isnat(dates[mine]).sum())
        capacity_rows.append(row)

    unscheduled = np.isnat(dates)
    notes_np[unscheduled & pd.isna(notes_np)] = str(Text("no slot inside the window",
                                                         "计划期内没有空余名额"))
    demand["date"] = dates
    demand["note"] = pd.Series(notes_np, index=demand.index).astype("str")
    demand["status"] = np.where(unscheduled, "unscheduled",
                                np.where(demand["date"].isin(provisional_days), "provisional",
                                         "planned"))
    demand["due_date"] = demand["due"]
    demand["unscheduled"] = unscheduled
    result = demand.sort_values(["unscheduled", "date", "staff_id", "priority", "activity",
                                 "customer_id", "due"], na_position="last", kind="stable")
    result = result[OUTPUT_COLUMNS].reset_index(drop=True)
    capacity = pd.DataFrame(capacity_rows, columns=[
        "staff_id", "staff_name", "working_days", "visit_capacity", "visits_due", "visits_planned",
        "call_capacity", "calls_due", "calls_planned", "sms", "unscheduled"])
    unowned = int(demand["staff_id"].isna().sum())
    if unowned:
        notes.append(Text("{n} activit{ies} without a staff member (customer without an owner, "
                          "or not in CUSTOMERS): listed as unscheduled",
                          "{n} 项活动没有负责的员工（客户没有负责人，或不在客户表 CUSTOMERS 中）："
                          "已列为未排期", n=unowned, ies="y" if unowned == 1 else "ies"))
    return VisitPlan(result, capacity, notes)


def _old_birthday_rows(customers: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """customer_id, day, detail for every birthday (solar or lunar) from START
    to END. Distinct birthdays are converted once, then joined back."""
    frames = []
    if "birthday" in customers.columns:
        parsed, _ = _solar_month_day(customers["birthday"])
        for key in parsed.dropna().unique():
            days = cal.solar_birthdays(key[0], key[1], start, end)
            if not days:
                continue
            ids = customers.loc[parsed == key, "customer_id"]
            for day in days:
                frames.append(pd.DataFrame({"customer_id": ids.to_numpy(), "day": day,
                                            "detail": f"生日 {key[0]:02d}-{key[1]:02d}"}))
    if "lunar_birthday" in customers.columns:
        parsed, _ = _lunar_dates(customers["lunar_birthday"])
        for key in parsed.dropna().unique():
            days = cal.lunar_birthdays(key, start, end)
            if not days:
                continue
            ids = customers.loc[parsed == key, "customer_id"]
            for day in days:
                frames.append(pd.DataFrame({"customer_id": ids.to_numpy(), "day": day,
                                            "detail": f"农历生日 {key.label()}"}))
    if not frames:
        return pd.DataFrame({"customer_id": pd.Series(dtype="str"), "day": [], "detail": []})
    return pd.concat(frames, ignore_index=True)


# --- comparing the two ---------------------------------------------------------------

def assert_same_plan(new: VisitPlan, old: VisitPlan) -> None:
    pd.testing.assert_frame_equal(new.activities, old.activities)
    pd.testing.assert_frame_equal(new.capacity, old.capacity)
    assert [str(n) for n in new.notes] == [str(n) for n in old.notes]


@contextlib.contextmanager
def old_engine():
    with mock.patch.object(visits, "plan_visits", _old_plan_visits):
        yield


def _ics_texts(folder):
    """Each calendar without its DTSTAMP (the time of the run)."""
    if not folder.exists():
        return {}
    return {p.name: re.sub(rb"DTSTAMP:[^\r\n]*", b"", p.read_bytes())
            for p in sorted(folder.iterdir())}


def _xlsx_values(path):
    book = openpyxl.load_workbook(path, read_only=True)
    values = {name: [row for row in book[name].iter_rows(values_only=True)]
              for name in book.sheetnames if name != "Parameters"}
    book.close()
    return values


def run_both(tmp_path, args, *, xlsx=False):
    """The command with the new and with the old placement: exit code,
    messages, plan CSV bytes, calendars (and XLSX sheets) of each."""
    results = []
    for label, engine in (("new", contextlib.nullcontext), ("old", old_engine)):
        folder = tmp_path / label
        folder.mkdir()
        outputs = [folder / "plan.csv"] + ([folder / "plan.xlsx"] if xlsx else [])
        got = []
        for output in outputs:
            extra = ["--ics", str(folder / "ics")] if output.suffix == ".csv" else []
            with engine():
                result = CliRunner().invoke(cli, [*args, *extra, "-o", str(output)])
            assert result.exception is None or isinstance(result.exception, SystemExit), \
                result.output
            got.append((result.exit_code, result.output.replace(str(folder), "OUT")))
        got.append(outputs[0].read_bytes() if outputs[0].exists() else None)
        got.append(_ics_texts(folder / "ics"))
        if xlsx and outputs[1].exists():
            got.append(_xlsx_values(outputs[1]))
        results.append(got)
    new, old = results
    assert new == old
    return new


# --- the samples (make demo's inputs) --------------------------------------------------

@pytest.mark.parametrize("window", [("2026-11-01", "2026-11-30"), ("2026-09-15", "2026-10-20"),
                                    ("2027-01-01", "2027-02-28")])
def test_samples_same_output(tmp_path, window):
    args = ["visit-plan", f"{SAMPLES}/customers.csv", "--from", window[0], "--to", window[1],
            "--staff", f"{SAMPLES}/staff.csv", "--transactions", f"{SAMPLES}/transactions.csv",
            "--shipments", f"{SAMPLES}/shipments.csv", "--complaints", f"{SAMPLES}/complaints.xlsx",
            "--credit", f"{SAMPLES}/credit_previous.csv", "--as-of", "2026-10-31"]
    if window[0].startswith("2027"):
        args += ["--holidays", f"{SAMPLES}/holidays_2027.csv", "--holidays-replace"]
    new = run_both(tmp_path, args, xlsx=True)
    assert new[0][0] == 0 and new[2].count(b"\n") > 50


def test_samples_tight_capacity_in_chinese(tmp_path):
    policy = tmp_path / "tight.toml"
    policy.write_text('[capacity]\nmax_visits_per_day = 1\nmax_calls_per_day = 1\n'
                      '[greetings]\nfestival_activity = "call"\nsolar_terms = true\n',
                      encoding="utf-8")
    staff = tmp_path / "staff.csv"
    staff.write_text("staff_id,name,max_visits_per_day,max_calls_per_day,days_off\n"
                     "S001,杨帆,,1,2026-11-02~2026-11-06\nS002,黄丽娟,0,0,\n"
                     "S003,周磊,1,2,2026-11-11;2026-11-14\n", encoding="utf-8")
    run_both(tmp_path, ["visit-plan", f"{SAMPLES}/customers.csv", "--from", "2026-10-20",
                        "--to", "2026-11-20", "--staff", str(staff), "--policy", str(policy),
                        "--complaints", f"{SAMPLES}/complaints.xlsx", "--lang", "zh",
                        "--as-of", "2026-10-31"])


# --- tables from python -m cskit.samples --rows N ----------------------------------------

@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("generated")
    assert samples.main(["--rows", "100", "--out", str(folder)]) == 0
    return folder


@pytest.mark.parametrize("window,capacity", [
    (("2026-11-01", "2026-11-30"), None),
    (("2026-10-01", "2026-10-31"), (1, 2)),
    (("2026-09-20", "2026-12-31"), (0, 3)),
])
def test_generated_tables_same_output(tmp_path, generated, window, capacity):
    args = ["visit-plan", str(generated / "visit_customers_100.csv"), "--from", window[0],
            "--to", window[1], "--complaints", str(generated / "complaints_100.csv"),
            "--as-of", "2026-10-31"]
    if capacity is not None:
        policy = tmp_path / "policy.toml"
        policy.write_text(f"[capacity]\nmax_visits_per_day = {capacity[0]}\n"
                          f"max_calls_per_day = {capacity[1]}\n", encoding="utf-8")
        args += ["--policy", str(policy)]
    new = run_both(tmp_path, args)
    assert new[0][0] == 0


# --- random tables ---------------------------------------------------------------------

BASE = date(2026, 9, 1)
STAFF = ["S1", "S2", "S3", "S4"]
# a few days only, and last visits one cycle (30, 60, 90, 180 days) before
# them, so that many activities of different reasons fall due on the same day
DUE_DAYS = [3, 10, 24, 40, 61, 62, 90]
LAST_VISITS = sorted({d - c for d in DUE_DAYS for c in (30, 60, 90, 180)})
LUNAR = ["八月十六", "腊月三十", "九月初九", "十月初一", "闰六月初一", "十一月廿九"]


def _day(offset: int) -> date:
    return BASE + timedelta(days=offset)


customer_row = st.tuples(
    st.sampled_from(["S1", "S1", "S2", "S3", "S4", None]),            # owner
    st.sampled_from(["key", "1", "2", "3", "4", None]),               # tier
    st.one_of(st.none(), st.sampled_from(LAST_VISITS)),              # last visit
    st.one_of(st.none(), st.sampled_from(DUE_DAYS)),                 # solar birthday
    st.one_of(st.none(), st.sampled_from(LUNAR)),                     # lunar birthday
)
customer_rows = st.lists(customer_row, min_size=1, max_size=40)
staff_rows = st.lists(st.tuples(
    st.sampled_from(STAFF + ["S9"]),
    st.one_of(st.none(), st.integers(0, 3)), st.one_of(st.none(), st.integers(0, 4)),
    st.lists(st.integers(0, 120), max_size=6), st.booleans(),
), max_size=5, unique_by=lambda r: r[0])
complaint_rows = st.lists(st.tuples(
    st.integers(0, 45), st.sampled_from(STAFF + [None]),
    st.one_of(st.none(), st.sampled_from([d - 3 for d in DUE_DAYS])),  # closed (+3: call-back)
), max_size=12)
policies = st.fixed_dictionaries({
    "max_visits": st.integers(0, 3), "max_calls": st.integers(0, 4),
    "birthday_activity": st.sampled_from(["call", "sms"]),
    "festival_activity": st.sampled_from(["call", "sms"]),
    "solar_terms": st.booleans(), "spread": st.booleans(),
    "gift_tiers": st.sampled_from([[], ["key"], ["key", "1", "3"]]),
    "priority": st.permutations(WORK_REASONS),
})


POLICY = {"max_visits": 2, "max_calls": 2, "birthday_activity": "call", "festival_activity": "sms",
          "solar_terms": False, "spread": False, "gift_tiers": ["key"], "priority": WORK_REASONS}


def _customers(rows) -> pd.DataFrame:
    frame = pd.DataFrame({
        "customer_id": [f"C{i % 7}{i}" for i in range(len(rows))],
        "customer_name": [f"客户{i}" if i % 3 else None for i in range(len(rows))],
        "owner": [r[0] for r in rows], "tier": [r[1] for r in rows],
        "birthday": [None if r[3] is None else f"{_day(r[3]):%m-%d}" for r in rows],
        "lunar_birthday": [r[4] for r in rows],
    }).astype("str")
    frame["last_visit_date"] = pd.to_datetime(
        [None if r[2] is None else _day(r[2]) for r in rows]).astype("datetime64[ns]")
    frame.index = pd.RangeIndex(2, 2 + len(frame), name="row")
    return frame


def _staff(rows) -> pd.DataFrame | None:
    if not rows:
        return None
    days_off = []
    for _, _, _, offs, as_range in rows:
        if as_range and len(offs) >= 2:
            days_off.append(f"{_day(min(offs)):%Y-%m-%d}~{_day(max(offs)):%Y-%m-%d}")
        else:
            days_off.append(";".join(f"{_day(o):%Y-%m-%d}" for o in offs) or None)
    frame = pd.DataFrame({
        "staff_id": pd.Series([r[0] for r in rows], dtype="str"),
        "name": pd.Series([f"员工{r[0]}" if r[0] != "S2" else None for r in rows], dtype="str"),
        "max_visits_per_day": pd.Series([r[1] for r in rows], dtype="Int64"),
        "max_calls_per_day": pd.Series([r[2] for r in rows], dtype="Int64"),
        "days_off": pd.Series(days_off, dtype="str"),
    })
    frame.index = pd.RangeIndex(2, 2 + len(frame), name="row")
    return frame


def _complaints(rows, customers) -> pd.DataFrame | None:
    if not rows:
        return None
    ids = list(customers["customer_id"]) + ["X1"]
    frame = pd.DataFrame({
        "complaint_id": pd.Series([f"T{i}" for i in range(len(rows))], dtype="str"),
        "staff_id": pd.Series([r[1] for r in rows], dtype="str"),
        "customer_id": pd.Series([ids[r[0] % len(ids)] for r in rows], dtype="str"),
        "closed_at": pd.to_datetime([None if r[2] is None else
                                     pd.Timestamp(_day(r[2])) + pd.Timedelta(hours=r[0] % 24)
                                     for r in rows]).astype("datetime64[ns]"),
    })
    frame.index = pd.RangeIndex(2, 2 + len(frame), name="row")
    return frame


def _policy(p) -> dict:
    policy = policy_module.load("visit", None, visits.check_policy)
    policy["capacity"]["max_visits_per_day"] = p["max_visits"]
    policy["capacity"]["max_calls_per_day"] = p["max_calls"]
    greet = policy["greetings"]
    greet["birthday_activity"] = p["birthday_activity"]
    greet["festival_activity"] = p["festival_activity"]
    greet["solar_terms"] = p["solar_terms"]
    greet["birthday_gift_tiers"] = p["gift_tiers"]
    policy["scheduling"]["spread_new_customers"] = p["spread"]
    policy["priority"] = list(p["priority"])
    return policy


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(customer_rows, staff_rows, complaint_rows, policies, st.integers(0, 75),
       st.integers(0, 45), st.dictionaries(st.integers(0, 165), st.sampled_from(["holiday", "workday"]),
                                           max_size=6),
       st.sampled_from(["en", "zh"]))
# due the same day with one visit a day: the birthday's gift visit before the
# cycle visits (priority), customers in id order
@example(rows=[("S1", "key", -20, 10, None), ("S1", "1", -20, None, None),
               ("S1", "1", -20, None, None)], staff=[], complaints=[],
         policy=dict(POLICY, max_visits=1), start=0, length=30, overrides={}, lang="en")
# one call a day: 八月十六 is 2026-09-26, also the solar birthday of the same
# customer (rows in order), on a day the member is off for the other one; a
# birthday on 中秋 (2026-09-25) before the festival calls (priority)
@example(rows=[("S1", "3", None, 25, "八月十六"), ("S1", "3", None, 24, None),
               ("S2", "3", None, 25, "八月十六")],
         staff=[("S2", None, None, [25], False)], complaints=[],
         policy=dict(POLICY, max_calls=1, festival_activity="call"), start=20, length=10,
         overrides={}, lang="zh")
def test_random_plans_same_result(rows, staff, complaints, policy, start, length, overrides, lang):
    table = _customers(rows)
    policy = _policy(policy)
    first, last = _day(start), _day(start + length)
    kwargs = dict(staff=_staff(staff), complaints=_complaints(complaints, table))
    calendar = cal.WorkCalendar(overrides={_day(o): k for o, k in overrides.items()},
                                unknown_year="error")
    with mock.patch.dict("os.environ", {"CSKIT_LANG": lang}):
        new = visits.plan_visits(table, policy, first, last, calendar=calendar, **kwargs)
        old = _old_plan_visits(table, policy, first, last, calendar=calendar, **kwargs)
    assert_same_plan(new, old)
    for note in set(new.activities["note"].dropna().str.split(" [(（]").str[0]):
        event(note)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(customer_row, min_size=1, max_size=15), staff_rows, complaint_rows,
       st.integers(0, 3), st.integers(0, 4),
       st.integers(0, 75), st.integers(0, 45),
       st.lists(st.tuples(st.integers(0, 40), st.integers(0, 150), st.booleans()), max_size=8),
       st.lists(st.tuples(st.integers(0, 40), st.integers(0, 130), st.integers(-500, 90000)),
                max_size=15),
       st.lists(st.tuples(st.integers(0, 40), st.integers(1, 5), st.integers(1, 5)), max_size=6,
                unique_by=lambda r: r[0]),
       st.lists(st.tuples(st.integers(0, 40), st.integers(0, 9000)), max_size=6,
                unique_by=lambda r: r[0]),
       st.dictionaries(st.integers(0, 165), st.sampled_from(["holiday", "workday"]), max_size=4))
def test_random_command_same_bytes(tmp_path_factory, rows, staff, complaints, max_visits, max_calls,
                                   start, length, shipments, transactions, credit, aging,
                                   holidays):
    tmp = tmp_path_factory.mktemp("cli")
    table = _customers(rows)
    ids = list(table["customer_id"]) + ["X1"]
    table.assign(last_visit_date=table["last_visit_date"].dt.strftime("%Y-%m-%d")) \
        .to_csv(tmp / "customers.csv", index=False)
    args = ["visit-plan", str(tmp / "customers.csv"), "--from", f"{_day(start)}",
            "--to", f"{_day(start + length)}", "--as-of", "2026-10-31"]
    (tmp / "policy.toml").write_text(f"[capacity]\nmax_visits_per_day = {max_visits}\n"
                                     f"max_calls_per_day = {max_calls}\n", encoding="utf-8")
    args += ["--policy", str(tmp / "policy.toml")]
    frames = {
        "staff": _staff(staff),
        "complaints": _complaints(complaints, table),
        "shipments": pd.DataFrame({
            "shipment_id": [f"SH{i}" for i in range(len(shipments))],
            "customer_id": [ids[c % len(ids)] for c, _, _ in shipments],
            "ship_date": [f"{_day(d - 10)}" for _, d, _ in shipments],
            "signed": ["yes" if s else "no" for _, _, s in shipments]}) if shipments else None,
        "transactions": pd.DataFrame({
            "customer_id": [ids[c % len(ids)] for c, _, _ in transactions],
            "department": [["一部", "二部", None][c % 3] for c, _, _ in transactions],
            "date": [f"{_day(d)}" for _, d, _ in transactions],
            "amount": [f"{a / 100:.2f}" for _, _, a in transactions]}) if transactions else None,
        "credit": pd.DataFrame({
            "customer_id": [ids[c % len(ids)] for c, _, _ in credit],
            "grade": [g for _, g, _ in credit],
            "previous_grade": [p for _, _, p in credit]}).drop_duplicates("customer_id")
        if credit else None,
        "aging": pd.DataFrame({
            "customer_id": [ids[c % len(ids)] for c, _ in aging],
            "61-90": [f"{a / 100:.2f}" for _, a in aging], "91-180": ["0"] * len(aging)})
        .drop_duplicates("customer_id") if aging else None,
    }
    if frames["complaints"] is not None:
        frames["complaints"]["opened_at"] = frames["complaints"]["closed_at"] \
            .fillna(pd.Timestamp("2026-08-01")) - pd.Timedelta(days=1)
    for name, frame in frames.items():
        if frame is not None:
            frame.to_csv(tmp / f"{name}.csv", index=False)
            args += [f"--{name}", str(tmp / f"{name}.csv")]
    if holidays:
        pd.DataFrame({"date": [f"{_day(o)}" for o in holidays],
                      "kind": list(holidays.values())}).to_csv(tmp / "holidays.csv", index=False)
        args += ["--holidays", str(tmp / "holidays.csv")]
    new = run_both(tmp, args)
    event(f"exit {new[0][0]}")
    event("some unscheduled" if new[1] and b'"unscheduled"' in new[1] else "all placed")


# --- birthdays: each distinct one's days joined back to its rows at once ------------------

SOLAR_TEXTS = ["03-12", "1985-03-12", "02-29", "1988年2月29日", "12-31", "01-01", "3月12日",
               "31079", "13-01", "", "  11-05 ", "11-30"]
LUNAR_TEXTS = ["正月初八", "腊月廿三", "闰四月初八", "L01-08", "01-08", "腊月三十", "十一月廿九",
               "八月十六", "冬月初一", "十三月", ""]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.none(), st.sampled_from(SOLAR_TEXTS)),
                          st.one_of(st.none(), st.sampled_from(LUNAR_TEXTS))), max_size=40),
       st.integers(0, 700), st.integers(0, 400), st.sampled_from(["both", "solar", "lunar"]))
def test_birthday_rows_same_result(texts, start, length, columns):
    table = pd.DataFrame({"customer_id": [f"C{i}" for i in range(len(texts))],
                          "birthday": [t[0] for t in texts],
                          "lunar_birthday": [t[1] for t in texts]}, dtype="str")
    table.index = pd.RangeIndex(2, 2 + len(table), name="row")
    if columns != "both":
        table = table.drop(columns="lunar_birthday" if columns == "solar" else "birthday")
    first = date(2025, 6, 1) + timedelta(days=start)
    last = first + timedelta(days=length)
    pd.testing.assert_frame_equal(_birthday_rows(table, first, last),
                                  _old_birthday_rows(table, first, last))


# --- one look-up per output (a plan's 2,000 calendars) ------------------------------------

def _old_check_staged(staged, path, option):
    """OutputSet.check against the earlier outputs, as it was: same_path to each."""
    for _, target, other_option in staged:
        if same_path(path, target):
            return str(clash(other_option, target, option, path, output=True))
    return None


def test_output_set_finds_the_same_clashes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plan.csv").write_text("x", encoding="utf-8")
    os.link(tmp_path / "plan.csv", tmp_path / "hard.csv")
    os.symlink(tmp_path / "plan.csv", tmp_path / "soft.csv")
    os.symlink(tmp_path / "nowhere.csv", tmp_path / "dangling.csv")
    (tmp_path / "cal").mkdir()
    names = ["plan.csv", str(tmp_path / "plan.csv"), "hard.csv", "soft.csv", "cal/../plan.csv",
             "dangling.csv", "nowhere.csv", "cal/S1.ics", str(tmp_path / "cal" / "S1.ics"),
             "cal/S2.ics", "cal/./S2.ics", "new.csv", "NEW.csv"]
    refused = []
    for order in (names, names[::-1], names[1::2] + names[::2]):
        outputs = OutputSet()
        for i, name in enumerate(order):
            option = f"--opt{i}"
            old = _old_check_staged(outputs.staged, name, option)
            try:
                outputs.check(name, option)
                new = None
            except UsageError as exc:
                new = str(exc)
            assert new == old, name
            refused.append(new)
            outputs.add(f"tmp{i}", name, option)
    # per order: plan.csv under five names (4 refused), the dangling link and
    # the file it names, S1.ics and S2.ics under two names each (1 each)
    assert sum(r is not None for r in refused) == 3 * 7


# --- calendar files: all events at once, the same bytes as the icalendar package ------------

def _old_event_uid(row) -> str:
    """Stable across re-runs: the same staff member, customer, activity,
    reason, detail and due date give the same UID wherever the activity is
    placed, so a calendar updates the event instead of adding another."""
    key = "|".join(str(row[c]) for c in ("staff_id", "customer_id", "activity", "reason", "detail"))
    key += "|" + pd.Timestamp(row["due_date"]).strftime("%Y-%m-%d")
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:24] + "@cskit.visit-plan"


_OLD_ACTIVITY_ZH = {"visit": "拜访", "call": "电话", "sms": "短信", "gift_visit": "送礼拜访"}


def _old_ics_calendars(activities: pd.DataFrame, stamp) -> dict[str, bytes]:
    """One RFC 5545 calendar per staff member (staff_id → file bytes) with
    an all-day event per planned or provisional activity."""
    from icalendar import Calendar, Event

    placed = activities[activities["status"].ne("unscheduled") & activities["staff_id"].notna()]
    out = {}
    for staff_id, rows in placed.groupby("staff_id", sort=True):
        calendar = Calendar()
        calendar.add("prodid", "-//cskit//visit-plan//ZH")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("x-wr-calname", f"cskit visit-plan {staff_id}")
        for row in rows.to_dict("records"):
            event = Event()
            event.add("uid", _old_event_uid(row))
            event.add("dtstamp", stamp)
            day = pd.Timestamp(row["date"]).date()
            event.add("dtstart", day)
            event.add("dtend", day + timedelta(days=1))
            name = row["customer_name"] if isinstance(row["customer_name"], str) else row["customer_id"]
            event.add("summary", f"{_OLD_ACTIVITY_ZH.get(row['activity'], row['activity'])} {name}: "
                                 f"{row['detail']}")
            description = [f"customer_id: {row['customer_id']}", f"activity: {row['activity']}",
                           f"reason: {row['reason']}", f"status: {row['status']}"]
            if isinstance(row.get("phone"), str):
                description.append(f"phone: {row['phone']}")
            event.add("description", "\n".join(description))
            event.add("categories", [row["reason"]])
            if row["status"] == "provisional":
                event.add("status", "TENTATIVE")
            else:
                event.add("status", "CONFIRMED")
            calendar.add_component(event)
        out[str(staff_id)] = calendar.to_ical()
    return out


# pieces that are escaped, folded or kept from being split by a fold
NASTY = st.lists(st.sampled_from(list("ab中文é😀 ,;:\\^\n\r\"N") + ["\\N", "\r\n", "x" * 10]),
                 max_size=40).map("".join)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(
    st.sampled_from(["S1", "S,2", "S;3", "员工\\4", None]),
    st.one_of(st.none(), NASTY), st.one_of(st.none(), NASTY), st.one_of(st.none(), NASTY),
    st.sampled_from(["planned", "provisional", "unscheduled"]),
    st.sampled_from(["visit", "call", "sms", "gift_visit"]), st.integers(0, 40),
), max_size=25), st.booleans(), st.booleans())
def test_calendars_same_bytes(rows, with_phone, naive_stamp):
    frame = pd.DataFrame({
        "date": pd.to_datetime([_day(r[6]) for r in rows]).astype("datetime64[ns]"),
        "staff_id": pd.Series([r[0] for r in rows], dtype="str"),
        "customer_id": pd.Series([f"C{i}" if i % 5 else None for i in range(len(rows))],
                                 dtype="str"),
        "customer_name": pd.Series([r[1] for r in rows], dtype="str"),
        "activity": pd.Series([r[5] for r in rows], dtype="str"),
        "reason": pd.Series(["birthday" if r[6] % 2 else "cycle" for r in rows], dtype="str"),
        "detail": pd.Series([r[2] for r in rows], dtype="str"),
        "status": pd.Series([r[4] for r in rows], dtype="str"),
        "due_date": pd.to_datetime([_day(r[6] // 2) for r in rows]).astype("datetime64[ns]"),
    })
    if with_phone:
        frame["phone"] = pd.Series([r[3] for r in rows], dtype="str")
    stamp = datetime(2026, 11, 30, 8, 5, 9)
    if not naive_stamp:
        stamp = stamp.replace(tzinfo=timezone(timedelta(hours=8)))
    old = _old_ics_calendars(frame, stamp)
    assert visits.ics_calendars(frame, stamp) == old
    with mock.patch("cskit.visits.ics._BATCH", 3):  # members in several batches
        assert visits.ics_calendars(frame, stamp) == old
    for i in range(len(frame)):
        assert visits.event_uid(frame.iloc[i]) == _old_event_uid(frame.iloc[i])


def test_calendars_of_the_samples_same_bytes():
    table = _customers([("S1", "key", -20, 10, "八月十六"), ("S2", "3", None, 25, None)] * 3)
    plan = visits.plan_visits(table, policy_module.load("visit", None, visits.check_policy),
                              "2026-09-01", "2026-10-31")
    stamp = datetime(2026, 8, 31, 23, 59, 59, tzinfo=timezone.utc)
    assert visits.ics_calendars(plan.activities, stamp) \
        == _old_ics_calendars(plan.activities, stamp)


@pytest.mark.parametrize("tail", ["\\", "^", ",", ";", "\n", "\\N", "中", "😀", "é"])
def test_calendars_fold_at_every_position(tail):
    # the character at each position of a long line in turn: a fold never
    # separates a backslash (or ^) from what follows it
    n = 160
    frame = pd.DataFrame({
        "date": pd.Series([pd.Timestamp("2026-11-02")] * n, dtype="datetime64[ns]"),
        "staff_id": pd.Series(["S1"] * n, dtype="str"),
        "customer_id": pd.Series([f"C{i}" for i in range(n)], dtype="str"),
        "customer_name": pd.Series(["甲"] * n, dtype="str"),
        "activity": pd.Series(["call"] * n, dtype="str"),
        "reason": pd.Series(["cycle"] * n, dtype="str"),
        "detail": pd.Series(["x" * i + tail * 3 + "y" * 90 for i in range(n)], dtype="str"),
        "status": pd.Series(["planned"] * n, dtype="str"),
        "due_date": pd.Series([pd.Timestamp("2026-11-01")] * n, dtype="datetime64[ns]"),
        "phone": pd.Series([tail * (i % 40) for i in range(n)], dtype="str"),
    })
    stamp = datetime(2026, 11, 1, tzinfo=timezone.utc)
    assert visits.ics_calendars(frame, stamp) == _old_ics_calendars(frame, stamp)


def test_a_line_break_in_a_staff_id_is_escaped_in_the_calendar_name(tmp_path):
    # the icalendar package refused such an id (an internal error); a content
    # line may not hold a bare line break (RFC 5545 3.1)
    (tmp_path / "c.csv").write_text('customer_id,owner,tier,last_visit_date\n'
                                    'C1,"S\n1",1,2026-10-01\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["visit-plan", str(tmp_path / "c.csv"), "--from",
                                      "2026-11-01", "--to", "2026-11-30", "-q", "-o",
                                      str(tmp_path / "plan.csv"), "--ics", str(tmp_path / "cal")])
    assert result.exit_code == 0, result.output
    (calendar,) = (tmp_path / "cal").iterdir()
    assert b"\r\nX-WR-CALNAME:cskit visit-plan S\\n1\r\n" in calendar.read_bytes()
