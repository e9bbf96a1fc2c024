import copy

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from cskit import calendar_cn as cal
from cskit import policy as policy_module
from cskit import visits

HOLIDAYS_2026 = pd.to_datetime(["2026-09-25", "2026-09-26", "2026-09-27"] +
                               [f"2026-10-0{d}" for d in range(1, 8)])


@pytest.fixture(scope="module")
def base_policy():
    return policy_module.load("visit", None, visits.check_policy)


def quiet(policy, **changes):
    """The default policy without greetings, so a test sees only what it asks for."""
    policy = copy.deepcopy(policy)
    policy["greetings"]["birthday"] = False
    policy["greetings"]["festivals"] = []
    for key, value in changes.items():
        section, name = key.split("__")
        policy[section][name] = value
    return policy


def customers(rows):
    frame = pd.DataFrame(rows)
    frame.index = pd.RangeIndex(2, 2 + len(frame), name="row")
    for column in frame.columns:
        if column == "last_visit_date":
            frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ns]")
        else:
            frame[column] = frame[column].astype("str")
    return frame


def test_holiday_window_with_more_visits_than_capacity(base_policy):
    # 30 tier-1 customers, all last visited 2026-08-01 → due 08-31, overdue.
    # Window 09-18..10-12: working days 09-18, 09-20 (make-up Sunday), 09-21..24,
    # 09-28..30, 10-08, 10-09, 10-10 (make-up Saturday), 10-12 = 13 days;
    # 2 visits a day → 26 slots, so 30 − 26 = 4 visits are unscheduled.
    table = customers({"customer_id": [f"C{i:02d}" for i in range(30)], "owner": ["S1"] * 30,
                       "tier": ["1"] * 30, "last_visit_date": ["2026-08-01"] * 30})
    staff = pd.DataFrame({"staff_id": ["S1"], "name": ["张三"], "max_visits_per_day": [2],
                          "max_calls_per_day": [5]}, index=pd.RangeIndex(2, 3))
    plan = visits.plan_visits(table, quiet(base_policy), "2026-09-18", "2026-10-12", staff=staff)
    acts = plan.activities
    planned = acts[acts["status"] == "planned"]
    assert len(acts) == 30 and len(planned) == 26
    assert not planned["date"].isin(HOLIDAYS_2026).any()
    per_day = planned.groupby("date").size()
    assert per_day.max() == 2
    assert per_day[pd.Timestamp("2026-09-20")] == 2 and per_day[pd.Timestamp("2026-10-10")] == 2
    assert len(per_day) == 13
    over = acts[acts["status"] == "unscheduled"]
    assert len(over) == 4 and over["date"].isna().all()
    assert over["note"].str.contains("no free visit slot").all()
    assert set(planned["staff_name"]) == {"张三"}
    row = plan.capacity.set_index("staff_id").loc["S1"]
    assert (row["visits_due"], row["visit_capacity"], row["visits_planned"]) == (30, 26, 26)
    assert row["unscheduled"] == 4


def test_cycles_follow_last_visit_date(base_policy):
    # key: 2026-10-20 + 30 = 11-19; tier 2: 09-15 + 90 = 12-14 (outside November);
    # tier 3: 10-01 + 60 = 11-30; tier 4: 06-01 + 180 = 11-28 (Saturday → Monday 11-30)
    table = customers({"customer_id": ["K", "T2", "T3", "T4"], "owner": ["S1"] * 4,
                       "tier": ["大客户", "2", "3", "4"],
                       "last_visit_date": ["2026-10-20", "2026-09-15", "2026-10-01", "2026-06-01"]})
    acts = visits.plan_visits(table, quiet(base_policy), "2026-11-01", "2026-11-30").activities
    got = {r.customer_id: (r.activity, str(r.due_date.date()), str(r.date.date()))
           for r in acts.itertuples()}
    assert got == {"K": ("visit", "2026-11-19", "2026-11-19"),
                   "T3": ("call", "2026-11-30", "2026-11-30"),
                   "T4": ("call", "2026-11-28", "2026-11-30")}


def test_overdue_customer_is_first_then_cycle_restarts(base_policy):
    # last 2026-06-01 → due 07-01, overdue: planned on the first working day
    # (11-02, Monday), then the next due is 11-01 + 30 = 12-01 (outside)
    table = customers({"customer_id": ["A"], "owner": ["S1"], "tier": ["1"],
                       "last_visit_date": ["2026-06-01"]})
    acts = visits.plan_visits(table, quiet(base_policy), "2026-11-01", "2026-12-01").activities
    assert list(acts["date"].dt.strftime("%m-%d")) == ["11-02", "12-01"]
    assert list(acts["due_date"].dt.strftime("%m-%d")) == ["07-01", "12-01"]


def test_never_visited_customers_spread_over_first_cycle(base_policy):
    table = customers({"customer_id": [f"N{i}" for i in range(200)], "owner": ["S1"] * 200,
                       "tier": ["1"] * 200})
    policy = quiet(base_policy)
    policy["capacity"]["max_visits_per_day"] = 100
    acts = visits.plan_visits(table, policy, "2026-11-01", "2026-11-30").activities
    # each due inside the first 30-day cycle, not all on day one
    assert acts["due_date"].between("2026-11-01", "2026-11-30").all()
    assert acts["due_date"].nunique() > 15
    again = visits.plan_visits(table, policy, "2026-11-01", "2026-11-30").activities
    assert acts.equals(again)  # stable


def test_tier_prefers_tier_over_grade_and_takes_grade_alone(base_policy):
    table = customers({"customer_id": ["A", "B", "C"], "owner": ["S1"] * 3,
                       "tier": ["key", None, None], "grade": ["4", "3", None],
                       "last_visit_date": ["2026-10-15"] * 3})
    acts = visits.plan_visits(table, quiet(base_policy), "2026-11-01", "2026-11-30").activities
    assert dict(zip(acts["customer_id"], acts["tier"])) == {"A": "key"}  # B: 10-15+60 = 12-14
    tiers, bad = visits.normalise_tier(pd.Series(["一级", "1.0", "VIP", None, "5"], dtype="str"))
    assert list(tiers) == ["1", "1", "key", "unrated", "unrated"] and list(bad) == [False] * 4 + [True]


def test_birthdays_greeting_and_gift_visit(base_policy):
    policy = copy.deepcopy(base_policy)
    policy["greetings"]["festivals"] = []
    table = customers({"customer_id": ["K", "T3"], "owner": ["S1", "S1"], "tier": ["key", "3"],
                       "lunar_birthday": ["八月十六", None], "birthday": [None, "1990-09-27"],
                       "last_visit_date": ["2026-09-20", "2026-09-20"]})
    acts = visits.plan_visits(table, policy, "2026-09-21", "2026-09-30").activities
    birthdays = acts[acts["reason"] == "birthday"]
    got = sorted((r.customer_id, r.activity, str(r.date.date()), r.detail) for r in birthdays.itertuples())
    # 八月十六 → 2026-09-26 (Saturday, a holiday): the call on the day, the gift
    # visit on the next working day 09-28; tier 3 gets only the call on 09-27
    assert got == [("K", "call", "2026-09-26", "农历生日 八月十六"),
                   ("K", "gift_visit", "2026-09-28", "农历生日 八月十六"),
                   ("T3", "call", "2026-09-27", "生日 09-27")]


def test_festivals_for_every_customer_and_solar_terms_when_enabled(base_policy):
    policy = copy.deepcopy(base_policy)
    policy["greetings"]["birthday"] = False
    policy["greetings"]["solar_terms"] = True
    table = customers({"customer_id": ["A", "B"], "owner": ["S1", None], "tier": ["3", "3"],
                       "last_visit_date": ["2026-09-20", "2026-09-20"]})
    acts = visits.plan_visits(table, policy, "2026-09-20", "2026-10-10").activities
    greetings = acts[acts["reason"].isin(["festival", "solar_term"])]
    # 秋分 09-23, 中秋节 09-25, 国庆节 10-01, 寒露 10-08; two customers each
    assert sorted(set(zip(greetings["detail"], greetings["due_date"].dt.strftime("%m-%d")))) == \
        [("中秋节", "09-25"), ("国庆节", "10-01"), ("寒露", "10-08"), ("秋分", "09-23")]
    assert (greetings["activity"] == "sms").all()
    a = greetings[greetings["customer_id"] == "A"]
    assert (a["status"] == "planned").all() and (a["date"] == a["due_date"]).all()
    b = greetings[greetings["customer_id"] == "B"]
    assert (b["status"] == "unscheduled").all() and b["note"].str.contains("no owner").all()


def test_top_spenders_per_department_each_half_month(base_policy):
    table = customers({"customer_id": list("ABCDE"), "owner": ["S1"] * 5, "tier": ["4"] * 5,
                       "department": ["一部"] * 4 + ["二部"], "last_visit_date": ["2026-10-30"] * 5})
    tx = pd.DataFrame({
        "customer_id": ["A", "B", "C", "D", "A", "E", "D"],
        "date": pd.to_datetime(["2026-10-16", "2026-10-20", "2026-10-31", "2026-10-18",
                                "2026-10-25", "2026-10-17", "2026-10-15"]),
        "amount": [100.0, 500.0, 300.0, 200.0, 150.0, 50.0, 9999.0]})
    tx["customer_id"] = tx["customer_id"].astype("str")
    acts = visits.plan_visits(table, quiet(base_policy), "2026-11-01", "2026-11-10",
                              transactions=tx).activities
    top = acts[acts["reason"] == "top_spender"]
    # 10-16..10-31, 一部: B 500, C 300, A 100+150 = 250, D 200 (its 9999 is on 10-15,
    # the previous half month) → B, C, A; 二部: E 50 alone. Each gets a call and a gift visit.
    calls = top[top["activity"] == "call"].sort_values("detail")
    assert sorted(calls["customer_id"]) == ["A", "B", "C", "E"]
    assert set(calls["detail"]) == {"一部 10-16~10-31 第1名 ¥500.00", "一部 10-16~10-31 第2名 ¥300.00",
                                    "一部 10-16~10-31 第3名 ¥250.00", "二部 10-16~10-31 第1名 ¥50.00"}
    assert (top["due_date"] == pd.Timestamp("2026-11-01")).all()
    assert (top["activity"] == "gift_visit").sum() == 4
    assert (top["date"] >= pd.Timestamp("2026-11-02")).all()  # 11-01 is a Sunday


def test_shipments_complaints_credit_and_aging(base_policy):
    table = customers({"customer_id": ["A", "B", "C"], "owner": ["S1", "S2", "S1"],
                       "tier": ["4"] * 3, "last_visit_date": ["2026-10-30"] * 3})
    shipments = pd.DataFrame({"shipment_id": ["S1", "S2", "S3"], "customer_id": ["A", "B", "X"],
                              "ship_date": pd.to_datetime(["2026-10-29", "2026-11-02", "2026-11-03"]),
                              "signed": pd.array([False, True, pd.NA], dtype="boolean")})
    complaints = pd.DataFrame({"complaint_id": ["Q1", "Q2"], "customer_id": ["B", "C"],
                               "staff_id": ["S9", "S9"],
                               "opened_at": pd.to_datetime(["2026-10-20", "2026-10-25"]),
                               "closed_at": pd.to_datetime(["2026-10-30 15:00", None])})
    credit = pd.DataFrame({"customer_id": ["A", "B", "C"], "change": ["downgraded", "unchanged", "upgraded"]})
    aging = pd.DataFrame({"customer_id": ["A", "B", "C"], "61-90": [0.0, 120.5, 0.0],
                          "181+": [0.0, 1000.0, 0.0], "31-60": [50.0, 0.0, 900.0]})
    for frame in (shipments, complaints, credit, aging):
        for column in ("shipment_id", "customer_id", "complaint_id", "staff_id", "change"):
            if column in frame:
                frame[column] = frame[column].astype("str")
    acts = visits.plan_visits(table, quiet(base_policy), "2026-11-01", "2026-11-10",
                              shipments=shipments, complaints=complaints, credit=credit,
                              aging=aging).activities
    got = sorted((r.customer_id, r.activity, r.reason, r.detail, str(r.due_date.date()), r.status,
                  r.staff_id if isinstance(r.staff_id, str) else "")
                 for r in acts.itertuples())
    # shipments: S1 → 11-01 (+3), 11-03 (+5); S2 signed: none; S3 for an unknown customer
    # → 11-06, 11-08, unscheduled. Complaint Q1 closed 10-30 → 11-02 by owner S2.
    # Credit: A downgraded → visit. Aging: B has 120.50 + 1000.00 = 1,120.50 at 61+ days.
    assert got == [
        ("A", "call", "shipment_followup", "shipment S1 +3d", "2026-11-01", "planned", "S1"),
        ("A", "call", "shipment_followup", "shipment S1 +5d", "2026-11-03", "planned", "S1"),
        ("A", "visit", "credit_downgrade", "等级下调", "2026-11-01", "planned", "S1"),
        ("B", "call", "collection", "逾期61天以上 ¥1,120.50", "2026-11-01", "planned", "S2"),
        ("B", "call", "complaint_callback", "complaint Q1", "2026-11-02", "planned", "S2"),
        ("X", "call", "shipment_followup", "shipment S3 +3d", "2026-11-06", "unscheduled", ""),
        ("X", "call", "shipment_followup", "shipment S3 +5d", "2026-11-08", "unscheduled", ""),
    ]
    assert (acts.loc[acts["customer_id"] == "X", "note"] == "customer is not in CUSTOMERS").all()


def test_priority_decides_who_gets_the_last_slot(base_policy):
    # one call a day, two calls due on Monday 11-02: the collection call (higher
    # priority) takes 11-02, the cycle call moves to 11-03
    table = customers({"customer_id": ["A", "B"], "owner": ["S1", "S1"], "tier": ["3", "3"],
                       "last_visit_date": ["2026-09-03", "2026-10-30"]})
    aging = pd.DataFrame({"customer_id": pd.Series(["B"], dtype="str"), "91-180": [10.0]})
    policy = quiet(base_policy)
    policy["capacity"]["max_calls_per_day"] = 1
    acts = visits.plan_visits(table, policy, "2026-11-02", "2026-11-03", aging=aging).activities
    assert list(zip(acts["customer_id"], acts["reason"], acts["date"].dt.day)) == \
        [("B", "collection", 2), ("A", "cycle", 3)]


def test_days_off_and_staff_defaults(base_policy):
    table = customers({"customer_id": ["A", "B"], "owner": ["S1", "S1"], "tier": ["1", "1"],
                       "last_visit_date": ["2026-10-01", "2026-10-01"]})
    staff = pd.DataFrame({"staff_id": ["S1"], "max_visits_per_day": pd.array([1], dtype="Int64"),
                          "days_off": ["2026-11-02~2026-11-03"]}, index=pd.RangeIndex(2, 3))
    acts = visits.plan_visits(table, quiet(base_policy), "2026-11-01", "2026-11-06",
                              staff=staff).activities
    # due 10-31; off 11-02 and 11-03; one visit a day → 11-04 and 11-05
    assert list(acts["date"].dt.strftime("%m-%d")) == ["11-04", "11-05"]
    parsed, bad = visits.parse_days_off(pd.Series(["2026-11-05;2026/11/07", "soon", None]))
    assert list(bad) == [False, True, False] and len(parsed[0]) == 2


def test_unknown_year_raises_and_weekdays_marks_provisional(base_policy):
    table = customers({"customer_id": ["A"], "owner": ["S1"], "tier": ["1"],
                       "last_visit_date": ["2026-12-01"]})
    with pytest.raises(cal.UnknownYear):
        visits.plan_visits(table, quiet(base_policy), "2026-12-20", "2027-01-10")
    policy = quiet(base_policy)
    policy["unknown_year"] = "weekdays"
    acts = visits.plan_visits(table, policy, "2026-12-20", "2027-01-10").activities
    # due 12-31 (Thursday, 2026: planned), next 01-30 (outside)
    assert list(zip(acts["date"].dt.strftime("%Y-%m-%d"), acts["status"])) == [("2026-12-31", "planned")]
    table.loc[2, "last_visit_date"] = pd.Timestamp("2026-12-04")
    acts = visits.plan_visits(table, policy, "2026-12-20", "2027-01-10").activities
    # due 2027-01-03 (Sunday) → Monday 01-04, provisional
    assert list(zip(acts["date"].dt.strftime("%Y-%m-%d"), acts["status"])) == [("2027-01-04", "provisional")]


def test_policy_checks(base_policy):
    bad = copy.deepcopy(base_policy)
    bad["cycles"]["2"]["activity"] = "fax"
    bad["greetings"]["festivals"] = ["圣诞"]
    bad["priority"] = ["cycle"]
    bad["unknown_year"] = "guess"
    problems = visits.check_policy(bad)
    assert any(str(p).startswith("cycles.2.activity") for p in problems)
    assert any("圣诞" in str(p) for p in problems)
    assert any(str(p).startswith("priority: must list") for p in problems)
    assert any(str(p).startswith("unknown_year") for p in problems)
    assert visits.check_policy(base_policy) == []


def test_ics_uids_are_stable(base_policy):
    table = customers({"customer_id": ["A", "B"], "owner": ["S1", "S2"], "tier": ["1", "3"],
                       "last_visit_date": ["2026-10-05", "2026-09-05"]})
    acts = visits.plan_visits(table, quiet(base_policy),
                              "2026-11-01", "2026-11-30").activities
    files = visits.ics_calendars(acts, pd.Timestamp("2026-10-31", tz="UTC").to_pydatetime())
    assert set(files) == {"S1", "S2"}
    from icalendar import Calendar

    events = Calendar.from_ical(files["S1"]).walk("VEVENT")
    assert len(events) == 1 and str(events[0]["uid"]) == visits.event_uid(acts.iloc[0])


# --- placement invariants -------------------------------------------------------

def _naive_place(dues, slot_days):
    used = [False] * len(slot_days)
    out = []
    for due in dues:
        for i, day in enumerate(slot_days):
            if not used[i] and day >= due:
                used[i] = True
                out.append(i)
                break
        else:
            out.append(-1)
    return out


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(0, 20), max_size=40), st.lists(st.integers(0, 3), min_size=1, max_size=20))
def test_place_matches_earliest_fit(due_offsets, capacities):
    base = np.datetime64("2026-11-01")
    dues = sorted(base + np.timedelta64(d, "D") for d in due_offsets)
    days = [base + np.timedelta64(i, "D") for i in range(len(capacities))]
    slot_days = np.repeat(np.array(days, dtype="datetime64[ns]"), capacities)
    demand = pd.DataFrame({"due": pd.to_datetime(dues).astype("datetime64[ns]")})
    got = visits._place(demand, slot_days)
    assert list(got) == _naive_place(list(pd.to_datetime(dues)), list(pd.to_datetime(slot_days)))


@settings(max_examples=12, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["key", "1", "2", "3", "4", None]),
                          st.integers(0, 200), st.sampled_from(["S1", "S2", None])),
                min_size=1, max_size=60),
       st.integers(0, 3), st.integers(0, 3))
def test_plan_invariants(rows, max_visits, max_calls):
    policy = policy_module.load("visit", None, visits.check_policy)
    policy["capacity"]["max_visits_per_day"] = max_visits
    policy["capacity"]["max_calls_per_day"] = max_calls
    table = customers({"customer_id": [f"C{i}" for i in range(len(rows))],
                       "tier": [r[0] for r in rows], "owner": [r[2] for r in rows],
                       "last_visit_date": [pd.Timestamp("2026-09-01") - pd.Timedelta(days=r[1])
                                           for r in rows]})
    table["birthday"] = pd.Series(["09-26", "10-10"] * len(rows), dtype="str")[:len(rows)].to_numpy()
    acts = visits.plan_visits(table, policy, "2026-09-15", "2026-10-20").activities
    placed = acts[acts["status"] != "unscheduled"]
    assert placed["date"].notna().all() and acts.loc[acts["status"] == "unscheduled", "date"].isna().all()
    work = placed[placed["activity"] != "sms"]
    kind = work["activity"].map(visits.SLOT)
    per_day = work.groupby([work["staff_id"], kind, work["date"]]).size()
    limits = {"visit": max_visits, "call": max_calls}
    for (staff_id, slot, day), count in per_day.items():
        assert count <= limits[slot]
    flexible = work[~((work["reason"] == "birthday") & (work["activity"] == "call"))]
    assert not flexible["date"].isin(HOLIDAYS_2026).any()
    assert (flexible["date"] >= flexible["due_date"].clip(lower=pd.Timestamp("2026-09-15"))).all()
    # every customer's periodic contact is either placed or listed as unscheduled
    cycle = acts[acts["reason"] == "cycle"]
    assert set(cycle["customer_id"]) <= set(table["customer_id"])
    assert (acts.loc[acts["staff_id"].isna(), "status"] == "unscheduled").all()


def test_overdue_money_rounds_halves_away_from_zero_as_every_amount():
    # the collection call's ¥ figure is cents as cskit.money counts them: a
    # half cent goes away from zero (0.125 → 0.13), not to the even cent
    from cskit.visits.demand import overdue_amount

    aging = pd.DataFrame({"customer_id": ["C1", "C2"], "61-90": [0.125, 100.0],
                          "91-180": ["1,000.005", None], "1-30": [5.0, 5.0]})
    assert overdue_amount(aging, 61).tolist() == [13 + 100001, 10000]
