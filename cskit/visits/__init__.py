"""Visit and greeting plans (SPEC §5): periodic visits and calls by tier,
birthday and festival greetings, top spenders, shipment follow-ups,
complaint call-backs, credit and collection contacts — placed on China's
official working days within each staff member's daily capacity.

Pure functions on DataFrames: no file I/O, no printing. ``plan_visits`` is
the whole computation; the command only reads and writes.

By concern: ``common`` (codes), ``checks`` (the policy), ``inputs`` (cells a
plan cannot use), ``birthdays`` (solar and lunar), ``demand`` (who needs
which activity and why), ``placement`` (capacity and earliest-fit slots),
``plan`` (the entry point), ``ics`` (calendar files).
"""
from __future__ import annotations

from cskit.visits.checks import check_policy
from cskit.visits.common import (ACTIVITIES, OUTPUT_COLUMNS, REASONS, SLOT, TIER_EXPECTED, TIERS,
                                 WORK_REASONS)
from cskit.visits.demand import (birthday_demand, collection_demand, complaint_demand,
                                 credit_demand, cycle_demand, downgraded, greeting_demand,
                                 half_month_starts, overdue_amount, shipment_demand,
                                 top_spender_demand)
from cskit.visits.ics import event_uid, ics_calendars
from cskit.visits.inputs import customer_problems, normalise_tier, parse_days_off, staff_problems
from cskit.visits.placement import KIND_ZH, _place  # _place: the placement property test
from cskit.visits.plan import VisitPlan, plan_visits

__all__ = [
    "ACTIVITIES", "KIND_ZH", "OUTPUT_COLUMNS", "REASONS", "SLOT", "TIER_EXPECTED", "TIERS",
    "VisitPlan", "WORK_REASONS", "birthday_demand", "check_policy", "collection_demand",
    "complaint_demand", "credit_demand", "customer_problems", "cycle_demand", "downgraded",
    "event_uid", "greeting_demand", "half_month_starts", "ics_calendars", "normalise_tier",
    "overdue_amount", "parse_days_off", "plan_visits", "shipment_demand", "staff_problems",
    "top_spender_demand",
]
