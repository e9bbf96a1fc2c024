"""KPI scorecards from staff through branches to the department (SPEC §4).

Seeds: ``000_e428142f49cbfb34.txt`` (each role's 关键KPI指标) and
``001_b8c63d07676fa7ea.txt`` § 篇3 客服部绩效考核方案 (self 30% / manager 70%,
monthly ranking, reward and penalty, improvement plans, reassignment) and
§ 篇4 (reply within 5 minutes).

The work is done in three passes, each vectorised:

1. every source (complaints, surveys, sales, invoices, measures,
   appraisals) is turned into *facts*: per staff member, period and KPI a
   numerator and a denominator (``_facts_*``);
2. the org tree is flattened once into *membership* pairs (entity, staff):
   each staff member belongs to itself and to every manager above it, so a
   manager's KPI is ``groupby(entity).sum()`` of its members' facts, and a
   ratio is always Σnumerator / Σdenominator;
3. KPI rows are judged against the policy's targets, scored, and the
   scorecards ranked within each role.

Everything here is pure: DataFrames and the policy in, DataFrames out.
"""
from __future__ import annotations

from cskit.kpi.specs import (
    ROLES, LEVEL_OF_ROLE, LEVEL_ORDER, SOURCES, MONEY_MEASURES, DIRECTIONS, SCOPES, UNITS,
    DSO_METHODS, KPI_KEYS, UNASSIGNED_NAME, kpi_specs, check_policy)
from cskit.kpi.periods import (
    Period, parse_period, months_between, default_period, period_text_problems)
from cskit.kpi.org import OrgTree, validate_org, org_tree
from cskit.kpi.measures import (
    FACT_COLUMNS, complaint_problems, satisfied_flags, sales_periods, appraisal_totals)
from cskit.kpi.rollup import KpiResult, rollup_kpis

__all__ = [
    "ROLES", "LEVEL_OF_ROLE", "LEVEL_ORDER", "SOURCES", "MONEY_MEASURES", "DIRECTIONS",
    "SCOPES", "UNITS", "DSO_METHODS", "KPI_KEYS", "UNASSIGNED_NAME", "kpi_specs",
    "check_policy", "Period", "parse_period", "months_between", "default_period",
    "period_text_problems", "OrgTree", "validate_org", "org_tree", "FACT_COLUMNS",
    "complaint_problems", "satisfied_flags", "sales_periods", "appraisal_totals", "KpiResult",
    "rollup_kpis",
]
