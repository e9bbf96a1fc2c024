"""The plan: every activity of the window gathered from the demand, given
its staff member and placed on working days within capacity (SPEC §5)."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cskit import calendar_cn as cal
from cskit.i18n import Text
from cskit.visits.common import OUTPUT_COLUMNS, SLOT
from cskit.visits.demand import (birthday_demand, collection_demand, complaint_demand,
                                 credit_demand, cycle_demand, greeting_demand, shipment_demand,
                                 top_spender_demand)
from cskit.visits.inputs import normalise_tier
from cskit.visits.placement import _schedule, _staff_table


@dataclass
class VisitPlan:
    activities: pd.DataFrame
    capacity: pd.DataFrame
    notes: list[Text] = field(default_factory=list)


def plan_visits(customers: pd.DataFrame, policy: dict, start, end, *,
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
    # each activity's customer, looked up once (-1: not in CUSTOMERS)
    position = info.index.get_indexer(demand["customer_id"])
    known = position >= 0

    def of_customer(column: str) -> pd.Series:
        return pd.Series(info[column].array.take(position, allow_fill=True), index=demand.index)

    demand["customer_name"] = of_customer("customer_name") \
        if "customer_name" in info.columns else pd.Series(np.nan, index=demand.index, dtype="str")
    demand["phone"] = of_customer("phone") if "phone" in info.columns \
        else pd.Series(np.nan, index=demand.index, dtype="str")
    demand["tier"] = of_customer("tier")
    owner = of_customer("owner")
    demand["staff_id"] = owner.fillna(demand["staff_hint"]).astype("str")
    order = {reason: i for i, reason in enumerate(policy["priority"])}
    demand["priority"] = demand["reason"].map(order).fillna(len(order)).astype("int64")

    team = _staff_table(staff, demand["staff_id"], policy)
    demand["staff_name"] = demand["staff_id"].map(team["name"]).astype("str")
    demand["date"] = pd.Series(pd.NaT, index=demand.index, dtype="datetime64[ns]")
    # the plan's own notes follow --lang, like the reasons of score-credit
    notes_np = np.full(len(demand), None, dtype=object)
    unowned_rows = demand["staff_id"].isna().to_numpy()
    notes_np[unowned_rows & ~known] = str(Text(
        "customer is not in CUSTOMERS", "客户不在客户表（CUSTOMERS）中"))
    notes_np[unowned_rows & known] = str(Text(
        "the customer has no owner (负责人)", "客户没有负责人"))

    calendar_days = pd.DatetimeIndex([pd.Timestamp(d) for d, _, _ in days])
    workday = np.array([w for _, w, _ in days], dtype=bool)
    provisional_days = {pd.Timestamp(d) for d, _, p in days if p}

    slotted = demand["activity"].map(SLOT)
    # bulk SMS greetings need no slot: planned on their own day
    bulk = (demand["staff_id"].notna() & slotted.isna()).to_numpy()
    dates = np.full(len(demand), np.datetime64("NaT"), dtype="datetime64[ns]")
    dates[bulk] = demand["due"].to_numpy()[bulk]
    kinds = slotted.to_numpy()

    capacity_rows = _schedule(demand, kinds, team, calendar_days, workday, end,
                              dates, notes_np)

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


def _prepare_customers(customers: pd.DataFrame) -> pd.DataFrame:
    """Fallbacks between the customer columns: owner ← salesperson,
    tier ← grade (score-credit's), department ← branch."""
    out = customers.copy()
    tier = pd.Series(np.nan, index=out.index, dtype="str")
    for column in ("grade", "tier"):  # tier wins where both are given
        if column in out.columns:
            given = out[column].where(out[column].notna())
            tier = given.astype("str").where(given.notna(), tier)
    out["tier"], _ = normalise_tier(tier)
    owner = out["owner"] if "owner" in out.columns else pd.Series(np.nan, index=out.index, dtype="str")
    if "salesperson" in out.columns:
        owner = owner.fillna(out["salesperson"])
    out["owner"] = owner.astype("str")
    if "department" not in out.columns and "branch" in out.columns:
        out["department"] = out["branch"]
    elif "department" in out.columns and "branch" in out.columns:
        out["department"] = out["department"].fillna(out["branch"])
    if "customer_name" not in out.columns:
        out["customer_name"] = pd.Series(np.nan, index=out.index, dtype="str")
    return out
