"""Facts from each source: per staff member, period and KPI a numerator
and a denominator."""
from __future__ import annotations

import numpy as np
import pandas as pd

from cskit.kpi.org import assign_staff
from cskit.kpi.periods import Period, _PeriodMap


# --- facts from each source ----------------------------------------------------
FACT_COLUMNS = ["staff_id", "period", "source", "measure", "numerator", "denominator"]


def _fact_frame(staff_id, period, source, measure, numerator, denominator) -> pd.DataFrame:
    """Σnumerator and Σdenominator per staff member and period (rows without
    a period left out); each argument a Series, an array or one value for
    every row."""
    length = next(len(x) for x in (staff_id, period, numerator, denominator) if np.ndim(x))
    staff_codes, staff_ids = _codes(staff_id, length, keep_na=True)
    period_codes, labels = _codes(period, length, keep_na=False)
    has = period_codes >= 0
    # one code per (staff, period) pair: grouping by it is grouping by the pair
    width = max(len(labels), 1)
    pair = staff_codes[has] * width + period_codes[has]
    groups = pd.Categorical.from_codes(pair, categories=pd.RangeIndex(len(staff_ids) * width))
    sums = pd.DataFrame({"numerator": _floats(numerator, length)[has],
                         "denominator": _floats(denominator, length)[has]}).groupby(
        groups, observed=False).sum(min_count=1)
    seen = np.flatnonzero(np.bincount(pair, minlength=len(staff_ids) * width))
    frame = pd.DataFrame({"staff_id": staff_ids.take(seen // width),
                          "period": labels.take(seen % width),
                          "numerator": sums["numerator"].to_numpy()[seen],
                          "denominator": sums["denominator"].to_numpy()[seen]})
    frame["source"] = source
    frame["measure"] = measure
    return frame[FACT_COLUMNS]


def _codes(values, length: int, *, keep_na: bool) -> tuple[np.ndarray, pd.Index]:
    """Integer codes of ``values`` and the distinct values they stand for
    (categories as text); missing values are −1, or a code of their own
    with ``keep_na``."""
    if not np.ndim(values):
        values = pd.Series([values] * length)
    elif not isinstance(values, pd.Series):
        values = pd.Series(values)
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy().astype("int64")
        uniques = values.cat.categories.astype("str")
        if keep_na and (codes < 0).any():
            codes = np.where(codes < 0, len(uniques), codes)
            uniques = uniques.append(pd.Index([np.nan], dtype="str"))
        return codes, uniques
    codes, uniques = pd.factorize(values, use_na_sentinel=not keep_na)
    return codes.astype("int64"), pd.Index(uniques)


def _floats(values, length: int) -> np.ndarray:
    if isinstance(values, pd.Series):
        return values.to_numpy(dtype="float64", na_value=np.nan)
    return np.broadcast_to(np.asarray(values, dtype="float64"), (length,))


def _as_text(frame: pd.DataFrame, columns) -> pd.DataFrame:
    """Categorical key columns (staff ids, period labels) back to text."""
    for column in columns:
        if isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = frame[column].astype("str")
    return frame


def _is_closed_status(status: pd.Series, words) -> pd.Series:
    codes, cells = pd.factorize(status.astype("str"), use_na_sentinel=True)
    lowered = pd.Series(cells, dtype="str").str.strip().str.lower()
    closed = lowered.isin([w.lower() for w in words]).fillna(False).to_numpy(dtype=bool)
    return pd.Series(np.append(closed, False)[codes], index=status.index)


def complaint_problems(complaints: pd.DataFrame) -> dict[str, pd.Series]:
    """Rows a complaint log cannot have, by the column to blame."""
    problems = {}
    opened = complaints["opened_at"]
    for column in ("first_response_at", "closed_at"):
        if column in complaints:
            problems[column] = (complaints[column] < opened).fillna(False)
    return problems


def _facts_complaints(complaints, staff, periods: _PeriodMap, policy) -> tuple[list, pd.DataFrame]:
    opened = complaints["opened_at"]
    period = periods.of_dates(opened)
    # the midnight after the last day of each record's period (NaT: none)
    end_next = pd.Series(pd.DatetimeIndex(
        [periods.end_of[label] + pd.Timedelta(days=1) for label in period.cat.categories]
        + [pd.NaT]).to_numpy()[period.cat.codes.to_numpy()], index=complaints.index)
    if "closed_at" in complaints:
        closed_at = complaints["closed_at"]
    else:
        closed_at = pd.Series(pd.NaT, index=complaints.index, dtype="datetime64[ns]")
    closed_time_known = closed_at.notna()
    status_closed = (_is_closed_status(complaints["status"], policy["closed_statuses"])
                     if "status" in complaints else pd.Series(False, index=complaints.index))
    closed = (closed_time_known & (closed_at < end_next)) | (~closed_time_known & status_closed)
    one = pd.Series(1.0, index=complaints.index)
    facts = [_fact_frame(staff, period, "complaints", "closed", closed.astype(float), one)]
    if "first_response_at" in complaints:
        waited = complaints["first_response_at"] - opened
        on_time = (waited <= pd.Timedelta(minutes=policy["first_response_minutes"])).fillna(False)
        facts.append(_fact_frame(staff, period, "complaints", "first_response",
                                 on_time.astype(float), one))
    timed = closed_time_known & (closed_at < end_next) & period.notna()
    hours = pd.DataFrame({
        "staff_id": staff[timed], "period": period[timed],
        "hours": (closed_at[timed] - opened[timed]).dt.total_seconds() / 3600})
    return facts, hours


def satisfied_flags(surveys: pd.DataFrame, policy: dict) -> pd.Series:
    """True / False per answer (score ≥ satisfied_score, else the satisfied
    column); NA where the row has neither."""
    flag = pd.Series(pd.NA, index=surveys.index, dtype="boolean")
    if "satisfied" in surveys:
        flag = surveys["satisfied"].astype("boolean")
    if "score" in surveys:
        by_score = (surveys["score"] >= policy["satisfied_score"]).astype("boolean")
        flag = by_score.where(surveys["score"].notna(), flag)
    return flag


def _facts_surveys(surveys, staff, periods: _PeriodMap, policy) -> list:
    flag = satisfied_flags(surveys, policy)
    answered = flag.notna()
    period = periods.of_dates(surveys["date"]).where(answered)
    return [_fact_frame(staff, period, "surveys", "satisfied",
                        flag.fillna(False).astype(float), answered.astype(float))]


def sales_periods(sales: pd.DataFrame, periods: _PeriodMap, shift_years: int = 0) -> pd.Series:
    """Period label of each sales row, from ``period`` or else ``date``."""
    label = pd.Series(pd.NA, index=sales.index, dtype="str")
    if "period" in sales:
        label = periods.of_texts(sales["period"], shift_years)[0]
    if "date" in sales:
        by_date = periods.of_dates(sales["date"], shift_years)
        label = label.where(sales["period"].notna(), by_date) if "period" in sales else by_date
    return label


def _cents(values: pd.Series) -> pd.Series:
    from cskit.money import to_cents
    return to_cents(values).astype("float64").where(values.notna())


def _facts_sales(sales, staff, periods: _PeriodMap) -> list:
    now = sales_periods(sales, periods)
    year_before = sales_periods(sales, periods, shift_years=1)
    revenue = _cents(sales["revenue"])
    facts = []
    if "gross_profit" in sales:
        has = sales["gross_profit"].notna()
        facts.append(_fact_frame(staff, now.where(has), "sales", "gross_margin",
                                 _cents(sales["gross_profit"]), revenue.where(has)))
    if "target" in sales:
        has = sales["target"].notna()
        facts.append(_fact_frame(staff, now.where(has), "sales", "target_completion",
                                 revenue.where(has), _cents(sales["target"])))
    # seed 000 客户业绩挖潜同比: growth over the same months one year earlier;
    # numerator = revenue now − revenue then, denominator = revenue then, so
    # Σnumerator / Σdenominator is the group's own growth.
    this_year = _fact_frame(staff, now, "sales", "yoy_growth", revenue, 0.0 * revenue)
    last_year = _fact_frame(staff, year_before, "sales", "yoy_growth", -revenue, revenue)
    both = pd.concat([this_year, last_year], ignore_index=True)
    both = both.groupby(["staff_id", "period", "source", "measure"], sort=False,
                        as_index=False).sum(min_count=1)
    facts.append(both[FACT_COLUMNS])
    return facts


def _facts_measures(measures, staff, periods: _PeriodMap, names: set[str]) -> list:
    period = periods.of_texts(measures["period"])[0]
    facts = []
    for name in sorted(names):
        rows = measures["measure"].astype("str").str.strip().eq(name).fillna(False)
        if not rows.any():
            continue
        part = measures[rows]
        numerator = part["numerator"] if "numerator" in part else pd.Series(np.nan, index=part.index)
        denominator = (part["denominator"] if "denominator" in part
                       else pd.Series(np.nan, index=part.index))
        given = numerator.notna() & denominator.notna()
        # a value alone counts as one observation: numerator = value, denominator = 1
        facts.append(_fact_frame(staff[rows], period[rows], "measures", name,
                                 numerator.where(given, part["value"]).astype(float),
                                 denominator.where(given, 1.0).astype(float)))
    return facts


def appraisal_totals(appraisals: pd.DataFrame, staff, periods: _PeriodMap,
                     policy: dict) -> pd.DataFrame:
    """seed 001 篇3: total = 30% self + 70% manager, per staff and period
    (the mean of the months when the period is longer than a month)."""
    weights = policy["appraisal"]
    period = periods.of_texts(appraisals["period"])[0]
    self_score = appraisals["self_score"] if "self_score" in appraisals else np.nan
    manager_score = appraisals["manager_score"] if "manager_score" in appraisals else np.nan
    total = (weights["self_weight"] * self_score + weights["manager_weight"] * manager_score)
    frame = pd.DataFrame({"staff_id": staff, "period": period,
                          "appraisal": pd.Series(total, index=appraisals.index, dtype="float64")})
    frame = frame[frame["period"].notna()]
    totals = frame.groupby(["staff_id", "period"], as_index=False, observed=True)["appraisal"]
    return _as_text(totals.mean(), ["staff_id", "period"])


def _facts_dso(invoices, payments, resolve, org_ids, periods: list[Period], policy,
               dso_table) -> list:
    unassigned_id = policy["unassigned_id"]
    window = int(policy["dso_window_days"])
    method = policy["dso_method"]
    facts = []
    for period in periods:
        table = dso_table(invoices, payments, as_of=period.end, window_days=window,
                          method=method, by="salesperson")
        receivable_start = _cents(table["receivable_start"])
        receivable_end = _cents(table["receivable_end"])
        invoiced = _cents(table["invoiced"])
        if method == "average":
            days_of_sales = np.maximum((receivable_start + receivable_end) / 2, 0) * window
        elif method == "period-end":
            days_of_sales = np.maximum(receivable_end, 0) * window
        else:  # countback has no additive form: weight each DSO by its sales
            days_of_sales = table["dso"].fillna(0) * invoiced.clip(lower=0)
        # numerator = receivable × window days, denominator = invoiced: the
        # ratio of their sums is the DSO of any group of salespeople
        staff = resolve(pd.Series(table.index.astype("str"), index=table.index))
        staff = assign_staff(staff, org_ids, unassigned_id)[0].astype("str")
        facts.append(_fact_frame(staff.to_numpy(), period.label, "invoices", "dso",
                                 np.round(days_of_sales.to_numpy()),
                                 invoiced.clip(lower=0).to_numpy()))
    return facts
