"""rollup-kpi's vectorised paths against the row-by-row paths they replaced.

The replaced code is kept below as it was (``old_*``). Each test runs the
rollup twice — once with the old functions patched in, once as it is — on
the samples folder, on the benchmark generator's files and on random tables,
and asserts that every output table is identical (values, dtypes, order).
"""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from cskit import kpi, policy as policy_module, schema
from cskit.kpi import measures as measures_module, periods as periods_module
from cskit.kpi import rollup as rollup_module
from cskit.kpi.measures import _cents, FACT_COLUMNS
from cskit.kpi.periods import Period, parse_period
from cskit.kpi.specs import MONEY_MEASURES

ROOT = Path(__file__).resolve().parent.parent


# --- the replaced paths, as they were ----------------------------------------------
def old_resolver(org: pd.DataFrame):
    ids = set(org["staff_id"].astype("str").dropna())
    names = org["name"].astype("str") if "name" in org else pd.Series(dtype="str")
    name_counts = names.value_counts()
    by_name = {n: i for n, i in zip(names, org["staff_id"].astype("str"))
               if isinstance(n, str) and name_counts.get(n, 0) == 1 and n not in ids}

    def resolve(values: pd.Series) -> pd.Series:
        values = values.astype("str").str.strip()
        named = values.map(by_name).astype(object)
        keep = values.isin(ids) | named.isna()
        return pd.Series(np.where(keep, values.astype(object), named), index=values.index,
                         dtype="str")
    return resolve, ids


def old_assign_staff(resolved, org_ids, unassigned_id):
    # was inline in rollup_kpis (staff_of) and _facts_dso
    outside = ~resolved.isin(org_ids)
    return resolved.where(~outside, unassigned_id), resolved[outside]


class OldPeriodMap:
    def __init__(self, periods):
        self.periods = periods
        self.by_month = {}
        for period in periods:
            for m in range(period.first_month, period.first_month + period.months):
                self.by_month[m] = period.label
        self.labels = {p.label for p in periods}
        self.end_of = {p.label: p.end for p in periods}

    def of_dates(self, dates, shift_years=0):
        month = dates.dt.year * 12 + dates.dt.month - 1 + 12 * shift_years
        return month.map(self.by_month).astype("str")

    def of_texts(self, texts, shift_years=0):
        codes, uniques = pd.factorize(texts, use_na_sentinel=True)
        labels, bad = [], []
        for text in uniques:
            period = parse_period(text)
            bad.append(period is None)
            label = None
            if period is not None:
                if period.kind == "month":
                    label = self.by_month.get(period.first_month + 12 * shift_years)
                else:
                    shifted = Period(period.kind, period.year + shift_years, period.number)
                    label = shifted.label if shifted.label in self.labels else None
            labels.append(label)
        table = np.array(labels + [None], dtype=object)
        bad_table = np.array(bad + [False], dtype=bool)
        codes = np.where(codes < 0, len(uniques), codes)
        return (pd.Series(table[codes], index=texts.index, dtype="str"),
                pd.Series(bad_table[codes], index=texts.index))


def old_fact_frame(staff_id, period, source, measure, numerator, denominator):
    frame = pd.DataFrame({"staff_id": staff_id, "period": period,
                          "numerator": numerator, "denominator": denominator})
    frame = frame[frame["period"].notna()]
    frame = frame.groupby(["staff_id", "period"], dropna=False, sort=False).sum(min_count=1)
    frame = frame.reset_index()
    frame["source"] = source
    frame["measure"] = measure
    return frame[FACT_COLUMNS]


def old_is_closed_status(status, words):
    lowered = status.astype("str").str.strip().str.lower()
    return lowered.isin([w.lower() for w in words]).fillna(False).astype(bool)


def old_facts_complaints(complaints, staff, periods, policy):
    opened = complaints["opened_at"]
    period = periods.of_dates(opened)
    end_next = period.map({k: v + pd.Timedelta(days=1) for k, v in periods.end_of.items()})
    end_next = pd.to_datetime(end_next)
    if "closed_at" in complaints:
        closed_at = complaints["closed_at"]
    else:
        closed_at = pd.Series(pd.NaT, index=complaints.index, dtype="datetime64[ns]")
    closed_time_known = closed_at.notna()
    status_closed = (old_is_closed_status(complaints["status"], policy["closed_statuses"])
                     if "status" in complaints else pd.Series(False, index=complaints.index))
    closed = (closed_time_known & (closed_at < end_next)) | (~closed_time_known & status_closed)
    one = pd.Series(1.0, index=complaints.index)
    facts = [old_fact_frame(staff, period, "complaints", "closed", closed.astype(float), one)]
    if "first_response_at" in complaints:
        waited = complaints["first_response_at"] - opened
        on_time = (waited <= pd.Timedelta(minutes=policy["first_response_minutes"])).fillna(False)
        facts.append(old_fact_frame(staff, period, "complaints", "first_response",
                                    on_time.astype(float), one))
    timed = closed_time_known & (closed_at < end_next) & period.notna()
    hours = pd.DataFrame({
        "staff_id": staff[timed], "period": period[timed],
        "hours": (closed_at[timed] - opened[timed]).dt.total_seconds() / 3600})
    return facts, hours


def old_appraisal_totals(appraisals, staff, periods, policy):
    weights = policy["appraisal"]
    period = periods.of_texts(appraisals["period"])[0]
    self_score = appraisals["self_score"] if "self_score" in appraisals else np.nan
    manager_score = appraisals["manager_score"] if "manager_score" in appraisals else np.nan
    total = (weights["self_weight"] * self_score + weights["manager_weight"] * manager_score)
    frame = pd.DataFrame({"staff_id": staff, "period": period,
                          "appraisal": pd.Series(total, index=appraisals.index, dtype="float64")})
    frame = frame[frame["period"].notna()]
    return frame.groupby(["staff_id", "period"], as_index=False)["appraisal"].mean()


def old_facts_dso(invoices, payments, resolve, org_ids, periods, policy, dso_table):
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
        else:
            days_of_sales = table["dso"].fillna(0) * invoiced.clip(lower=0)
        staff = resolve(pd.Series(table.index.astype("str"), index=table.index))
        staff = staff.where(staff.isin(org_ids), unassigned_id)
        facts.append(old_fact_frame(staff.to_numpy(), period.label, "invoices", "dso",
                                    np.round(days_of_sales.to_numpy()),
                                    invoiced.clip(lower=0).to_numpy()))
    return facts


def old_money_rows(values):
    return pd.Series([(s, m) in MONEY_MEASURES for s, m in zip(values["source"],
                                                               values["measure"])],
                     index=values.index, dtype=bool)


def old_role_targets(rows, specs):
    return pd.Series([specs[k]["role_targets"].get(r) if isinstance(r, str) else None
                      for k, r in zip(rows["kpi"], rows["role"])],
                     index=rows.index, dtype="float64")


def old_median_hours(hours, tree):
    columns = ["entity_id", "period", "numerator", "denominator", "value"]
    if hours is None or not len(hours):
        return pd.DataFrame(columns=columns).astype({"numerator": float, "denominator": float,
                                                     "value": float})
    joined = hours.merge(tree.membership, on="staff_id", how="inner")
    grouped = joined.groupby(["entity_id", "period"])["hours"]
    out = pd.DataFrame({"value": grouped.median(), "denominator": grouped.count().astype(float)})
    out = out.reset_index()
    out["numerator"] = np.nan
    out["value"] = out["value"].round(2)
    return out[columns]


OLD = [(rollup_module, "_resolver", old_resolver),
       (rollup_module, "assign_staff", old_assign_staff),
       (rollup_module, "_PeriodMap", OldPeriodMap),
       (periods_module, "_PeriodMap", OldPeriodMap),
       (measures_module, "_fact_frame", old_fact_frame),
       (measures_module, "_is_closed_status", old_is_closed_status),
       (rollup_module, "_facts_complaints", old_facts_complaints),
       (rollup_module, "appraisal_totals", old_appraisal_totals),
       (rollup_module, "_facts_dso", old_facts_dso),
       (rollup_module, "_money_rows", old_money_rows),
       (rollup_module, "_role_targets", old_role_targets),
       (rollup_module, "_median_hours", old_median_hours)]


@contextmanager
def old_paths():
    saved = [(module, name, getattr(module, name)) for module, name, _ in OLD]
    try:
        for module, name, function in OLD:
            setattr(module, name, function)
        yield
    finally:
        for module, name, function in saved:
            setattr(module, name, function)


def assert_same_rollup(org, policy, periods, **tables):
    with old_paths():
        old = kpi.rollup_kpis(org, policy, periods, **tables)
    new = kpi.rollup_kpis(org, policy, periods, **tables)
    for name in ("long", "scorecard", "wide", "wide_met", "unassigned"):
        pd.testing.assert_frame_equal(getattr(new, name), getattr(old, name),
                                      check_exact=True, obj=name)
    assert new.unused_measures == old.unused_measures
    return new


@pytest.fixture(scope="module")
def policy():
    return policy_module.load("kpi", check=kpi.check_policy)


def read(path, table_schema, option):
    from cskit.run import Run

    return Run("rollup-kpi", quiet=True).read(str(path), table_schema, option=option)


# --- the samples folder ------------------------------------------------------------
@pytest.mark.skipif(not (ROOT / "samples" / "org.csv").exists(), reason="samples not generated")
@pytest.mark.parametrize("periods", [["2026-10"], ["2026-Q3"], ["2026-08", "2026-09", "2026-10"]])
def test_samples_same_as_before(policy, periods):
    samples = ROOT / "samples"
    tables = dict(
        complaints=read(samples / "complaints.xlsx", schema.COMPLAINTS, "--complaints"),
        surveys=read(samples / "surveys.csv", schema.SURVEYS, "--surveys"),
        sales=read(samples / "sales.csv", schema.SALES, "--sales"),
        invoices=read(samples / "invoices.csv", schema.INVOICES, "--invoices"),
        payments=read(samples / "payments_gbk.csv", schema.PAYMENTS, "--payments"),
        measures=read(samples / "measures.csv", schema.MEASURES, "--measures"),
        appraisals=read(samples / "appraisals.csv", schema.APPRAISALS, "--appraisals"))
    org = read(samples / "org.csv", schema.ORG, "--org")
    result = assert_same_rollup(org, policy, [parse_period(p) for p in periods], **tables)
    assert len(result.long) and result.long["value"].notna().any()


# --- the benchmark generator's files (python -m cskit.samples --rows N) --------------
def test_bench_files_same_as_before(policy, tmp_path):
    from cskit.samples import write_bench

    write_bench(tmp_path, 1500)
    org = read(tmp_path / "org_2000.csv", schema.ORG, "--org")
    tables = dict(
        complaints=read(tmp_path / "complaints_1500.csv", schema.COMPLAINTS, "--complaints"),
        surveys=read(tmp_path / "surveys_1500.csv", schema.SURVEYS, "--surveys"),
        invoices=read(tmp_path / "invoices_1500.csv", schema.INVOICES, "--invoices"),
        payments=read(tmp_path / "payments_1500.csv", schema.PAYMENTS, "--payments"))
    for period in ("2026-10", "2026-Q3"):
        result = assert_same_rollup(org, policy, [parse_period(period)], **tables)
        hours = result.long[result.long["kpi"] == "median_hours_to_close"]
        assert hours["value"].notna().sum() > 100


# --- random tables -------------------------------------------------------------------
def table(rows, columns, dates=(), numbers=()):
    frame = pd.DataFrame(rows, columns=columns)
    frame.index = pd.RangeIndex(2, 2 + len(frame), name="row")
    for column in frame.columns:
        if column in dates:
            frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ns]")
        elif column in numbers:
            frame[column] = frame[column].astype("float64")
        else:
            frame[column] = frame[column].astype("str")
    return frame


START = pd.Timestamp("2025-06-01")
moments = st.one_of(st.none(), st.integers(0, 600 * 24).map(
    lambda h: str(START + pd.Timedelta(hours=h))))
recent = st.one_of(st.none(), st.integers(0, 125 * 24).map(  # 2026-07-01 … 2026-11-02
    lambda h: str(pd.Timestamp("2026-07-01") + pd.Timedelta(hours=h))))
period_texts = st.sampled_from([None, "2026-10", "2026/9", "2026年8月", "2025-10", "2026-Q3",
                                "2025-Q3", "2026", "202610", "2026-07"])


@st.composite
def org_and_staff(draw):
    parents = draw(st.lists(st.integers(0, 6), min_size=1, max_size=14))
    names = draw(st.lists(st.sampled_from(["Ann", "Bo", "Cy", None]), min_size=len(parents) + 1,
                          max_size=len(parents) + 1))
    rows = [("P0", names[0], "director", None)]
    for i, parent in enumerate(parents, start=1):
        role = ("assistant", "branch_manager", "specialist", "deputy_director")[i % 4]
        rows.append((f"P{i}", names[i], role, f"P{max(0, i - 1 - parent)}"))
    org = table(rows, ["staff_id", "name", "role", "manager_id"])
    pool = [r[0] for r in rows] + ["X1", "unassigned", " P1 ", None, "Ann", "Bo", "Cy", ""]
    return org, pool


@settings(max_examples=20, deadline=None)
@given(org_and_staff(), st.data())
def test_random_tables_same_as_before(policy, staff, data):
    org, pool = staff
    who = st.sampled_from(pool)
    complaints = data.draw(st.lists(st.tuples(
        who, recent, st.integers(-30, 600).map(lambda m: m if m >= 0 else None),
        st.one_of(st.none(), st.sampled_from([0, 1, 30, 60, 90, 1440, 2880, 50000])),
        st.sampled_from([None, "closed", " Closed ", "结案", "open", "已处理", "OPEN"])),
        min_size=10, max_size=60))
    rows = []
    for i, (person, opened, response, closing, status) in enumerate(complaints):
        at = None if opened is None else pd.Timestamp(opened)
        rows.append((f"T{i}", person, opened,
                     None if at is None or response is None else str(at + pd.Timedelta(
                         minutes=response)),
                     None if at is None or closing is None else str(at + pd.Timedelta(
                         minutes=closing)), status))
    complaint_table = table(rows, ["complaint_id", "staff_id", "opened_at", "first_response_at",
                                   "closed_at", "status"],
                            dates=["opened_at", "first_response_at", "closed_at"])
    surveys = data.draw(st.lists(st.tuples(who, moments, st.one_of(
        st.none(), st.integers(1, 5).map(float))), min_size=5, max_size=60))
    survey_table = table([(p, d if d is None else d[:10], s) for p, d, s in surveys],
                         ["staff_id", "date", "score"], dates=["date"], numbers=["score"])
    sales = data.draw(st.lists(st.tuples(who, period_texts, moments,
                                         st.floats(-1000, 1e6).map(lambda v: round(v, 2)),
                                         st.one_of(st.none(), st.floats(0, 1e5).map(
                                             lambda v: round(v, 2)))),
                               min_size=3, max_size=40))
    sales_table = table([(p, t, None if t else d, r, g, g) for p, t, d, r, g in sales],
                        ["staff_id", "period", "date", "revenue", "gross_profit", "target"],
                        dates=["date"], numbers=["revenue", "gross_profit", "target"])
    measures = data.draw(st.lists(st.tuples(
        who, period_texts, st.sampled_from(["report_accuracy", "plan_completion", "other"]),
        st.floats(0, 1), st.one_of(st.none(), st.integers(0, 30).map(float))), max_size=30))
    measure_table = table([(p, t, m, v, n, None if n is None else n + 3)
                           for p, t, m, v, n in measures],
                          ["staff_id", "period", "measure", "value", "numerator", "denominator"],
                          numbers=["value", "numerator", "denominator"])
    appraisals = data.draw(st.lists(st.tuples(who, period_texts, st.one_of(
        st.none(), st.floats(0, 100)), st.floats(0, 100)), max_size=30))
    appraisal_table = table(appraisals, ["staff_id", "period", "self_score", "manager_score"],
                            numbers=["self_score", "manager_score"])
    periods = data.draw(st.sampled_from([["2026-10"], ["2026-Q3"], ["2026-09", "2026-10"],
                                         ["2026"], ["2025-10"]]))
    assert_same_rollup(org, policy, [parse_period(p) for p in periods],
                       complaints=complaint_table, surveys=survey_table, sales=sales_table,
                       measures=measure_table, appraisals=appraisal_table)


# --- the pieces on their own --------------------------------------------------------
@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(-800, 800)), max_size=50),
       st.sampled_from([[], ["2026-10"], ["2026-Q3", "2026-10"], ["2026", "2025-Q4"]]),
       st.integers(0, 1))
def test_period_of_dates_same_as_before(days, labels, shift):
    dates = pd.Series([None if d is None else pd.Timestamp("2026-06-15") + pd.Timedelta(days=d)
                       for d in days], dtype="datetime64[ns]")
    periods = [parse_period(label) for label in labels]
    new = periods_module._PeriodMap(periods).of_dates(dates, shift)
    old = OldPeriodMap(periods).of_dates(dates, shift)
    pd.testing.assert_series_equal(new.astype("str"), old)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["P1", " P1", "P2 ", "Ann", "Bo", "Bo ", "X", None, ""]),
                max_size=40))
def test_staff_resolution_same_as_before(cells):
    org = table([("P1", "Ann", "director", None), ("P2", "Bo", "specialist", "P1"),
                 ("P3", "Bo", "specialist", "P1")], ["staff_id", "name", "role", "manager_id"])
    values = pd.Series(cells, dtype="str")
    new_resolve, ids = rollup_module._resolver(org)
    old_resolve, _ = old_resolver(org)
    pd.testing.assert_series_equal(new_resolve(values).astype("str"), old_resolve(values))
    new, new_out = rollup_module.assign_staff(new_resolve(values), ids, "unassigned")
    old, old_out = old_assign_staff(old_resolve(values), ids, "unassigned")
    pd.testing.assert_series_equal(new.astype("str"), old)
    pd.testing.assert_series_equal(new_out, old_out)
