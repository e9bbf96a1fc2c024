"""The rollup: facts summed up the org tree into one row per entity,
period and KPI."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cskit.errors import DataError
from cskit.i18n import Text
from cskit.kpi.measures import (FACT_COLUMNS, _facts_complaints, _facts_dso, _facts_measures,
                                _facts_sales, _facts_surveys, appraisal_totals)
from cskit.kpi.org import assign_staff, org_tree, OrgTree, _resolver
from cskit.kpi.periods import Period, _PeriodMap
from cskit.kpi.ranking import monthly_ranking, _judge, _scorecard, _wide
from cskit.kpi.specs import kpi_specs, MONEY_MEASURES


# --- the rollup ----------------------------------------------------------------
@dataclass
class KpiResult:
    long: pd.DataFrame  # one row per entity, period and KPI (SPEC §4)
    scorecard: pd.DataFrame  # one row per entity and period
    wide: pd.DataFrame  # one row per entity and period, one column per KPI
    wide_met: pd.DataFrame  # same index as wide, per KPI column: met True/False/NA
    unassigned: pd.DataFrame  # source, staff_id, rows: records of people not in the org
    unused_measures: list[str] = field(default_factory=list)
    periods: list[Period] = field(default_factory=list)


def rollup_kpis(org: pd.DataFrame, policy: dict, periods: list[Period], *,
                complaints: pd.DataFrame | None = None, surveys: pd.DataFrame | None = None,
                sales: pd.DataFrame | None = None, invoices: pd.DataFrame | None = None,
                payments: pd.DataFrame | None = None, measures: pd.DataFrame | None = None,
                appraisals: pd.DataFrame | None = None, lang: str = "en",
                dso_table=None) -> KpiResult:
    """Every KPI for every entity of the org tree and every period, rolled up
    as Σnumerator / Σdenominator, judged, scored and ranked.

    ``org`` must already be valid (``validate_org``). The months before the
    first one asked for are computed too, as far back as
    ``ranking.reassign_after`` needs, to find who was last several months
    in a row; only the periods asked for are returned.

    The ranking of seed 001 篇3 六 is monthly (每月评比; 连续3个月(季度) 最后一名
    → 考虑调岗): a quarter or a year is also run month by month, its
    ``reward`` is the sum of its months' rewards and it is flagged
    ``consider_reassignment`` when one of its months is, exactly as the
    monthly runs give."""
    specs = kpi_specs(policy)
    unassigned_id = policy["unassigned_id"]
    history = int(policy["ranking"]["reassign_after"]) - 1
    wanted = sorted(set(periods), key=lambda p: p.first_month)
    computed = sorted({p.shifted(-k) for p in wanted
                       for k in range(history + 1 if p.kind == "month" else 1)},
                      key=lambda p: p.first_month)
    period_map = _PeriodMap(computed)
    resolve, org_ids = _resolver(org)

    facts: list[pd.DataFrame] = []
    hours = None
    unassigned_rows = []

    def staff_of(frame: pd.DataFrame, column: str, source: str) -> pd.Series:
        raw = (frame[column] if column in frame
               else pd.Series(pd.NA, index=frame.index, dtype="str"))
        staff, replaced = assign_staff(resolve(raw), org_ids, unassigned_id)
        if len(replaced):
            counts = replaced.fillna("(blank)").value_counts()
            unassigned_rows.append(pd.DataFrame({"source": source, "staff_id": counts.index,
                                                 "rows": counts.to_numpy()}))
        return staff

    used_sources = {spec["source"] for spec in specs.values()}
    if complaints is not None and "complaints" in used_sources:
        found, hours = _facts_complaints(complaints, staff_of(complaints, "staff_id", "complaints"),
                                         period_map, policy)
        facts += found
    if surveys is not None and "surveys" in used_sources:
        facts += _facts_surveys(surveys, staff_of(surveys, "staff_id", "surveys"),
                                period_map, policy)
    if sales is not None and "sales" in used_sources:
        facts += _facts_sales(sales, staff_of(sales, "staff_id", "sales"), period_map)
    unused_measures: list[str] = []
    if measures is not None:
        names = {spec["measure"] for spec in specs.values() if spec["source"] == "measures"}
        facts += _facts_measures(measures, staff_of(measures, "staff_id", "measures"),
                                 period_map, names)
        present = set(measures["measure"].astype("str").str.strip().dropna())
        unused_measures = sorted(present - names)
    if invoices is not None and "invoices" in used_sources:
        if "salesperson" not in invoices:
            raise DataError(Text("{option} needs a salesperson column (业务员) to give each "
                                 "staff member their DSO",
                                 "{option} 须有“业务员”列，才能算出每个人的应收账款周转天数",
                                 option="--invoices"))
        if dso_table is None:
            from cskit.aging import dso_table
        staff_of(invoices, "salesperson", "invoices")
        facts += _facts_dso(invoices, payments, resolve, org_ids, computed, policy,
                            dso_table)
    appraisal = pd.DataFrame(columns=["staff_id", "period", "appraisal"])
    if appraisals is not None:
        appraisal = appraisal_totals(appraisals, staff_of(appraisals, "staff_id", "appraisals"),
                                     period_map, policy)
        appraisal = appraisal[appraisal["staff_id"] != unassigned_id]

    facts = [f for f in facts if len(f)]
    fact_table = (pd.concat(facts, ignore_index=True) if facts
                  else pd.DataFrame(columns=FACT_COLUMNS))
    has_unassigned = bool((fact_table["staff_id"] == unassigned_id).any()) or \
        (hours is not None and bool((hours["staff_id"] == unassigned_id).any()))
    tree = org_tree(org, unassigned_id=unassigned_id, with_unassigned=has_unassigned)

    # appraisal coverage: every org member counts once per period
    if appraisals is not None and any(s["source"] == "appraisals" for s in specs.values()):
        members = tree.staff.index[tree.staff.index != unassigned_id]
        grid = pd.MultiIndex.from_product([members, [p.label for p in computed]],
                                          names=["staff_id", "period"]).to_frame(index=False)
        done = appraisal.dropna(subset=["appraisal"])[["staff_id", "period"]].assign(numerator=1.0)
        grid = grid.merge(done, on=["staff_id", "period"], how="left")
        grid["numerator"] = grid["numerator"].fillna(0.0)
        grid["denominator"] = 1.0
        grid["source"], grid["measure"] = "appraisals", "coverage"
        fact_table = pd.concat([fact_table, grid[FACT_COLUMNS]], ignore_index=True)

    rolled = _roll(fact_table, tree)
    long = _kpi_rows(rolled, hours, tree, specs, policy, computed, lang)
    scorecard = _scorecard(long, appraisal, tree, policy, computed)
    labels = [p.label for p in wanted]
    long = long[long["period"].isin(labels)].reset_index(drop=True)
    scorecard = scorecard[scorecard["period"].isin(labels)].reset_index(drop=True)
    longer = [p for p in wanted if p.kind != "month"]
    if longer:
        months = sorted({Period("month", m // 12, m % 12 + 1) for p in longer
                         for m in range(p.first_month, p.first_month + p.months)},
                        key=lambda p: p.first_month)
        monthly = rollup_kpis(org, policy, months, complaints=complaints, surveys=surveys,
                              sales=sales, invoices=invoices, payments=payments,
                              measures=measures, appraisals=appraisals, lang=lang,
                              dso_table=dso_table)
        scorecard = monthly_ranking(scorecard, monthly.scorecard, longer)
    wide, wide_met = _wide(long, scorecard, specs, lang)
    unassigned = (pd.concat(unassigned_rows, ignore_index=True) if unassigned_rows
                  else pd.DataFrame(columns=["source", "staff_id", "rows"]))
    return KpiResult(long=long, scorecard=scorecard, wide=wide, wide_met=wide_met,
                     unassigned=unassigned, unused_measures=unused_measures, periods=wanted)


def _roll(fact_table: pd.DataFrame, tree: OrgTree) -> pd.DataFrame:
    """Σ of each staff member's facts over every entity they belong to."""
    keys = ["staff_id", "period", "source", "measure"]
    own = fact_table.groupby(keys, as_index=False)[["numerator", "denominator"]].sum(min_count=1)
    joined = own.merge(tree.membership, on="staff_id", how="inner")
    return joined.groupby(["entity_id", "period", "source", "measure"], as_index=False)[
        ["numerator", "denominator"]].sum(min_count=1)


def _kpi_rows(rolled, hours, tree: OrgTree, specs, policy, computed, lang) -> pd.DataFrame:
    """One row per entity, period and KPI of the entity's role, with the
    rolled-up numerator and denominator (a few merges, whatever the KPIs)."""
    staff = tree.staff
    unassigned_id = policy["unassigned_id"]
    table = pd.DataFrame([{"kpi": k, "source": s["source"], "measure": s["measure"],
                           "scope": s["scope"], "unit": s["unit"],
                           "kpi_label": s["label"] if lang == "zh" else s["label_en"],
                           "default_target": float(s["target"]), "direction": s["direction"],
                           "weight": float(s["weight"]), "min_sample": float(s["min_sample"])}
                          for k, s in specs.items()])
    kpi_roles = pd.DataFrame([(k, r) for k, s in specs.items() for r in s["roles"]],
                             columns=["kpi", "role"])
    periods = pd.DataFrame({"period": [p.label for p in computed]})
    entities = staff[["entity_id", "role"]].reset_index(drop=True)
    grid = entities.merge(kpi_roles, on="role").merge(periods, how="cross")

    # ratio KPIs: rolled sums by (source, measure); department-scope KPIs
    # take the top's figures for every entity that carries them
    ratio_kpis = table[~((table["source"] == "complaints")
                         & (table["measure"] == "hours_to_close"))]
    values = rolled.merge(ratio_kpis[["kpi", "source", "measure", "scope"]],
                          on=["source", "measure"])
    own = values[values["scope"] == "own"]
    top = values[(values["scope"] == "department") & (values["entity_id"] == tree.root)]
    department = grid[grid["kpi"].isin(set(top["kpi"]))][["entity_id", "kpi", "period"]].merge(
        top.drop(columns="entity_id"), on=["kpi", "period"])
    values = pd.concat([own, department], ignore_index=True)
    money = _money_rows(values)
    values.loc[money, ["numerator", "denominator"]] = \
        values.loc[money, ["numerator", "denominator"]] / 100
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = values["numerator"] / values["denominator"]
    values["value"] = ratio.where(values["denominator"] != 0)
    values = values[["entity_id", "period", "kpi", "numerator", "denominator", "value"]]

    median_kpis = table.loc[table["source"].eq("complaints")
                            & table["measure"].eq("hours_to_close"), "kpi"]
    if len(median_kpis):
        medians = _median_hours(hours, tree).merge(pd.DataFrame({"kpi": median_kpis}),
                                                   how="cross")
        values = pd.concat([values, medians], ignore_index=True)

    # the unassigned entity has a row for each KPI it holds records for
    if unassigned_id in staff.index:
        extra = values.loc[values["entity_id"] == unassigned_id, ["entity_id", "kpi", "period"]]
        grid = pd.concat([grid[["entity_id", "kpi", "period"]], extra], ignore_index=True)
    rows = grid[["entity_id", "kpi", "period"]].merge(values, on=["entity_id", "kpi", "period"],
                                                      how="left")
    rows = rows.merge(table.drop(columns=["source", "measure", "scope"]), on="kpi", how="left")
    rows["role"] = rows["entity_id"].map(staff["role"])
    rows["target"] = _role_targets(rows, specs).fillna(rows["default_target"])
    # days and hours shown as aging-report shows its DSO: one decimal
    timed = rows["unit"].isin(["days", "hours"])
    rows.loc[timed, "value"] = rows.loc[timed, "value"].round(1)
    return _judge(rows, tree, policy, specs)


def _money_rows(values: pd.DataFrame) -> pd.Series:
    """True where the (source, measure) of a row is money, summed in cents."""
    return pd.Series(pd.MultiIndex.from_arrays([values["source"], values["measure"]])
                     .isin(list(MONEY_MEASURES)), index=values.index, dtype=bool)


def _role_targets(rows: pd.DataFrame, specs) -> pd.Series:
    """The target a KPI's ``role_targets`` set for the row's role (NaN: none)."""
    target = pd.Series(np.nan, index=rows.index, dtype="float64")
    for key, spec in specs.items():  # a loop over the KPIs, each over all their rows
        if spec["role_targets"]:
            mine = rows["kpi"].eq(key).to_numpy(dtype=bool)
            target[mine] = rows.loc[mine, "role"].map(spec["role_targets"]).astype("float64")
    return target


def _median_hours(hours: pd.DataFrame | None, tree: OrgTree) -> pd.DataFrame:
    columns = ["entity_id", "period", "numerator", "denominator", "value"]
    if hours is None or not len(hours):
        return pd.DataFrame(columns=columns).astype({"numerator": float, "denominator": float,
                                                     "value": float})
    # a median does not add up: it is taken over the raw closing times of
    # everyone below the entity; numerator is left empty, denominator = count.
    # One level of the tree at a time: at each depth every staff member has
    # at most one entity above them (or themself), so the times are sorted
    # once and each level's groups are runs of them.
    staff = tree.staff
    member_codes, members = pd.factorize(hours["staff_id"])
    member = np.append(staff.index.get_indexer(members), -1)[member_codes]
    period, periods = pd.factorize(hours["period"])
    value = hours["hours"].to_numpy(dtype="float64")
    used = (member >= 0) & (period >= 0) & ~np.isnan(value)
    order = np.flatnonzero(used)[np.argsort(value[used])]  # ties are equal times
    member, period, value = member[order], period[order], value[order]

    depth = staff["depth"].to_numpy()
    above = np.full((depth.max() + 1, len(staff)), -1)  # [depth, staff] → entity
    entity = staff.index.get_indexer(tree.membership["entity_id"])
    below = staff.index.get_indexer(tree.membership["staff_id"])
    above[depth[entity], below] = entity
    parts = []
    for level in range(len(above)):
        group = above[level][member]
        has = group >= 0
        key = group[has] * len(periods) + period[has]
        if len(staff) * len(periods) <= np.iinfo(np.uint16).max:
            key = key.astype(np.uint16)  # a stable sort of 16-bit keys is a radix sort
        sorted_by_key = np.argsort(key, kind="stable")  # times stay sorted within a group
        times = value[has][sorted_by_key]
        counts = np.bincount(key, minlength=len(staff) * len(periods))
        keys = np.flatnonzero(counts)
        count = counts[keys]
        first = (np.cumsum(counts) - counts)[keys]
        median = (times[first + (count - 1) // 2] + times[first + count // 2]) / 2
        parts.append(pd.DataFrame({"entity_id": staff.index[keys // len(periods)],
                                   "period": np.asarray(periods, dtype=object)[
                                       keys % len(periods)],
                                   "denominator": count.astype(float), "value": median}))
    out = pd.concat(parts, ignore_index=True).astype({"entity_id": "str", "period": "str"})
    out = out.sort_values(["entity_id", "period"], ignore_index=True)
    out["numerator"] = np.nan
    out["value"] = out["value"].round(2)
    return out[columns]
