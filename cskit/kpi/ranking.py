"""Judging KPI rows against their targets, the scorecards, the monthly
ranking with reward and penalty, and the wide table."""
from __future__ import annotations

import numpy as np
import pandas as pd

from cskit.kpi.org import OrgTree
from cskit.kpi.periods import Period
from cskit.kpi.specs import LEVEL_ORDER


def _judge(long: pd.DataFrame, tree: OrgTree, policy: dict, specs) -> pd.DataFrame:
    staff = tree.staff
    long["entity_name"] = long["entity_id"].map(staff["entity_name"])
    long["level"] = long["entity_id"].map(staff["level"])
    value, target = long["value"].astype("float64"), long["target"].astype("float64")
    long["value"] = value
    denominator = long["denominator"].astype("float64")
    small = (denominator > 0) & (denominator < long["min_sample"]) & value.notna()
    judged = value.notna() & (target > 0) & ~small
    at_least = long["direction"].eq(">=")
    met = np.where(at_least, value >= target, value <= target)
    long["met"] = pd.array(np.where(judged, met, False), dtype="boolean")
    long.loc[~judged, "met"] = pd.NA
    cap = float(policy["cap"]) / 100
    with np.errstate(divide="ignore", invalid="ignore"):
        achievement = np.where(at_least, value / target,
                               np.where(value > 0, target / value, cap))
    scored = judged & (long["weight"] > 0)
    long["kpi_score"] = np.where(scored, 100 * np.clip(achievement, 0, cap), np.nan).round(1)
    flags = np.where(small, "small_sample", np.where(value.isna(), "no_data", ""))
    long["flags"] = pd.Series(flags, index=long.index).replace("", pd.NA).astype("str")
    # sort keys looked up by index (a dict would be applied cell by cell)
    long["_level_order"] = long["level"].map(pd.Series(LEVEL_ORDER))
    long["_kpi_order"] = long["kpi"].map(pd.Series(range(len(specs)), index=list(specs)))
    long["_depth"] = long["entity_id"].map(staff["depth"])
    long = long.sort_values(["period", "_level_order", "_depth", "entity_id", "_kpi_order"],
                            kind="stable")
    columns = ["entity_id", "entity_name", "level", "role", "period", "kpi", "kpi_label",
               "numerator", "denominator", "value", "target", "direction", "met",
               "kpi_score", "weight", "unit", "flags"]
    return long[columns].reset_index(drop=True)


def _scorecard(long: pd.DataFrame, appraisal: pd.DataFrame, tree: OrgTree, policy: dict,
               computed: list[Period]) -> pd.DataFrame:
    staff = tree.staff
    entities = long[["entity_id", "period"]].drop_duplicates()
    members = pd.MultiIndex.from_product(
        [staff.index, [p.label for p in computed]], names=["entity_id", "period"]).to_frame(
        index=False)
    card = pd.concat([members, entities], ignore_index=True).drop_duplicates()
    # unassigned appears only when it holds records
    card = card[card["entity_id"].isin(set(entities["entity_id"])) |
                (card["entity_id"] != policy["unassigned_id"])]
    weighted = long.assign(points=long["kpi_score"] * long["weight"],
                           weight_used=long["weight"].where(long["kpi_score"].notna()))
    sums = weighted.groupby(["entity_id", "period"]).agg(
        points=("points", "sum"), weight_used=("weight_used", "sum"),
        kpis=("value", "count"), kpis_met=("met", "sum"))
    sums["score"] = (sums["points"] / sums["weight_used"]).where(sums["weight_used"] > 0).round(1)
    card = card.merge(sums[["score", "kpis", "kpis_met"]].reset_index(),
                      on=["entity_id", "period"], how="left")
    card = card.merge(appraisal.rename(columns={"staff_id": "entity_id"}),
                      on=["entity_id", "period"], how="left")
    card["appraisal"] = card["appraisal"].astype("float64").round(1)
    card["entity_name"] = card["entity_id"].map(staff["entity_name"])
    card["level"] = card["entity_id"].map(staff["level"])
    card["role"] = card["entity_id"].map(staff["role"])
    card["kpis"] = card["kpis"].fillna(0).astype("int64")
    card["kpis_met"] = card["kpis_met"].fillna(0).astype("int64")
    card = _rank(card, policy, computed)
    card["_level_order"] = card["level"].map(pd.Series(LEVEL_ORDER))
    card["_depth"] = card["entity_id"].map(staff["depth"])
    card = card.sort_values(["period", "_level_order", "_depth", "entity_id"], kind="stable")
    columns = ["entity_id", "entity_name", "level", "role", "period", "score", "kpis",
               "kpis_met", "appraisal", "rank", "peers", "reward", "improvement_plan_due",
               "flags"]
    return card[columns].reset_index(drop=True)


def _rank(card: pd.DataFrame, policy: dict, computed: list[Period]) -> pd.DataFrame:
    """Rank peers of a role each period (seed 001 篇3 六): first gets the
    reward, last the penalty, the last two an improvement plan, and last
    ``reassign_after`` periods in a row → consider reassignment."""
    ranking = policy["ranking"]
    peers = card["role"].notna() & (card["entity_id"] != policy["unassigned_id"])
    basis = card["score"]
    if ranking["by"] == "appraisal":
        has_appraisal = card["appraisal"].notna() & peers
        group_has = has_appraisal.groupby([card["role"], card["period"]]).transform("any")
        group_has = group_has.reindex(card.index, fill_value=False)
        # a role with no appraisal at all that period is ranked on its KPI score
        basis = card["appraisal"].where(group_has, card["score"])
    basis = basis.where(peers)
    groups = [card["role"], card["period"]]
    rank = basis.groupby(groups).rank(ascending=False, method="min")
    from_bottom = basis.groupby(groups).rank(ascending=True, method="min")
    size = basis.groupby(groups).transform("count")
    worst = rank.groupby(groups).transform("max")
    contest = (size >= 2) & (worst > 1)  # someone is ahead of someone
    first = contest & rank.eq(1)
    last = contest & from_bottom.eq(1)
    behind = contest & (from_bottom <= ranking["improvement_last"]) & rank.gt(1)
    card["rank"] = rank.astype("Int64")
    card["peers"] = size.where(basis.notna()).astype("Int64")
    reward = np.where(first, ranking["reward"], np.where(last, ranking["penalty"], 0.0))
    card["reward"] = pd.Series(reward, index=card.index).where(basis.notna())
    end_of = {p.label: p.end for p in computed}
    due = card["period"].map(end_of) + pd.Timedelta(days=int(ranking["improvement_days"]))
    card["improvement_plan_due"] = pd.to_datetime(due.where(behind))

    # consecutive last places, walking forward over the computed periods
    order = {p.label: i for i, p in enumerate(computed)}
    last_table = pd.DataFrame({"entity_id": card["entity_id"], "i": card["period"].map(order),
                               "last": last.fillna(False).astype(bool)})
    grid = last_table.pivot_table(index="entity_id", columns="i", values="last",
                                  aggfunc="any", fill_value=False)
    grid = grid.reindex(columns=range(len(computed)), fill_value=False).astype(bool)
    streak = pd.DataFrame(0, index=grid.index, columns=grid.columns)
    running = pd.Series(0, index=grid.index)
    for i in grid.columns:
        running = (running + 1).where(grid[i], 0)
        streak[i] = running
    streak_of_row = streak.stack().rename("streak").reset_index()
    card = card.merge(streak_of_row.rename(columns={"i": "_i"}), how="left",
                      left_on=["entity_id", card["period"].map(order)],
                      right_on=["entity_id", "_i"]).drop(columns=["_i"], errors="ignore")
    reassign = card["streak"].fillna(0) >= ranking["reassign_after"]

    def flag(mask, text):
        return np.where(mask, text, "")
    no_data = card["score"].isna() & card["appraisal"].isna()
    parts = [flag(pd.Series(first.to_numpy()), "first_place"),
             flag(pd.Series(last.to_numpy()), "last_place"),
             flag(pd.Series(behind.to_numpy()), "improvement_plan_due"),
             flag(reassign, "consider_reassignment"),
             flag(no_data, "no_data")]
    joined = pd.Series([""] * len(card), dtype=object)
    for part in parts:
        part = pd.Series(part, dtype=object)
        joined = joined.where(part == "", joined.where(joined == "", joined + ";") + part)
    card["flags"] = joined.replace("", pd.NA).astype("str").to_numpy()
    return card.drop(columns=["streak"])


def _wide(long: pd.DataFrame, scorecard: pd.DataFrame, specs, lang) -> tuple[pd.DataFrame,
                                                                                pd.DataFrame]:
    keys = ["entity_id", "entity_name", "level", "role", "period"]
    card = scorecard[keys + ["score", "appraisal", "rank", "reward"]]
    if not len(long):
        return card.copy(), pd.DataFrame(index=card.index)
    present = set(long["kpi"])
    order = [k for k in specs if k in present]
    values = long.pivot_table(index=["entity_id", "period"], columns="kpi", values="value",
                              aggfunc="first", dropna=False)
    met = long.assign(met=long["met"].astype("object")).pivot_table(
        index=["entity_id", "period"], columns="kpi", values="met", aggfunc="first",
        dropna=False)
    values = values.reindex(columns=order)
    met = met.reindex(columns=order)
    wide = card.merge(values.reset_index(), on=["entity_id", "period"], how="left")
    met_rows = card[["entity_id", "period"]].merge(met.reset_index(),
                                                   on=["entity_id", "period"], how="left")
    met_rows = met_rows[order].astype("boolean")
    met_rows.index = wide.index
    if lang == "zh":
        names = {k: specs[k]["label"] for k in order}
        wide = wide.rename(columns=names)
        met_rows = met_rows.rename(columns=names)
    return wide, met_rows


REASSIGN = "consider_reassignment"


def monthly_ranking(card: pd.DataFrame, monthly: pd.DataFrame,
                    periods: list[Period]) -> pd.DataFrame:
    """The reward and the reassignment flag of quarters and years from their
    months (seed 001 篇3 六: 每月评比 … 奖励100元 / 扣100元; 连续3个月(季度)
    … 最后一名, 考虑调岗): ``reward`` = Σ of the monthly rewards (a quarter pays
    up to three), ``consider_reassignment`` when any month of the period has
    it. ``monthly`` is the scorecard of those months, run as months."""
    within = {}
    for period in periods:
        for m in range(period.first_month, period.first_month + period.months):
            within[Period("month", m // 12, m % 12 + 1).label] = period.label
    months = monthly[["entity_id", "period", "reward", "flags"]].copy()
    months["within"] = months["period"].map(within)
    months = months[months["within"].notna()]
    keys = [months["entity_id"], months["within"]]
    reward = months["reward"].groupby(keys).sum(min_count=1)
    flagged = months["flags"].str.contains(rf"(?:^|;){REASSIGN}(?:;|$)", regex=True)
    reassign = flagged.fillna(False).astype(bool).groupby(keys).any()
    card = card.copy()
    own = card["period"].isin(set(within.values())).to_numpy()
    at = pd.MultiIndex.from_arrays([card["entity_id"], card["period"]])
    card["reward"] = np.where(own, reward.reindex(at).to_numpy(dtype="float64"),
                              card["reward"].to_numpy(dtype="float64"))
    monthly_flag = reassign.reindex(at).fillna(False).to_numpy(dtype=bool)
    flags = card["flags"].str.replace(rf"(?:^|;){REASSIGN}(?=;|$)", "", regex=True)
    flags = flags.str.strip(";").replace("", pd.NA)
    add = own & monthly_flag
    flags = pd.Series(np.where(add, np.where(flags.isna(), REASSIGN, flags + ";" + REASSIGN),
                               flags), index=card.index, dtype="str")
    card["flags"] = np.where(own, flags, card["flags"])
    card["flags"] = card["flags"].astype("str")
    return card
