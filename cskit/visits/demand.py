"""Demand: which customer needs which activity, why, and by when — periodic
visits and calls by tier, birthday and festival (and solar term) greetings,
top spenders, shipment follow-ups, complaint call-backs, credit downgrades
and collection. One row per activity; placing them on days is the plan's."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from cskit import calendar_cn as cal
from cskit.money import to_cents
from cskit.visits.birthdays import _birthday_rows
from cskit.visits.common import TIERS, _DOWNGRADED_WORDS


def _demand(customer_id, activity, reason, detail, due, *, pinned=False, staff=None) -> pd.DataFrame:
    frame = pd.DataFrame({"customer_id": pd.Series(customer_id, dtype="str").reset_index(drop=True)})
    n = len(frame)

    def column(value):
        if isinstance(value, (pd.Series, np.ndarray, list)):
            return pd.Series(value).reset_index(drop=True)
        return pd.Series([value] * n)

    frame["activity"] = column(activity).astype("str")
    frame["reason"] = column(reason).astype("str")
    frame["detail"] = column(detail).astype("str")
    frame["due"] = pd.to_datetime(column(due)).astype("datetime64[ns]")
    frame["pinned"] = pinned
    frame["staff_hint"] = column(staff).astype("str") if staff is not None else pd.NA
    return frame


def cycle_demand(customers: pd.DataFrame, policy: dict, start: pd.Timestamp,
                 end: pd.Timestamp) -> pd.DataFrame:
    """Periodic visits/calls by tier (seed 003/004: 分级管理, 定期访问). First due
    = last_visit_date + cycle; overdue ones are due at once (placed first,
    most overdue first) and the next falls a cycle after the window start.
    Never-visited customers are spread over their first cycle."""
    cycles = policy["cycles"]
    days = customers["tier"].map({t: cycles[t]["days"] for t in TIERS}).astype("int64")
    activity = customers["tier"].map({t: cycles[t]["activity"] for t in TIERS})
    interval = pd.to_timedelta(days, unit="D")
    if "last_visit_date" in customers.columns:
        last = customers["last_visit_date"]
    else:
        last = pd.Series(pd.NaT, index=customers.index, dtype="datetime64[ns]")
    first = last + interval
    never = last.isna()
    if policy["scheduling"]["spread_new_customers"]:
        # a stable per-customer offset inside the first cycle
        offset = pd.util.hash_pandas_object(customers["customer_id"], index=False).to_numpy() \
            % days.to_numpy().astype("uint64")
        spread = start + pd.to_timedelta(offset.astype("int64"), unit="D")
        first = first.where(~never, pd.Series(spread, index=customers.index))
    else:
        first = first.where(~never, start)
    # after an overdue contact the cycle restarts from the window's start
    base = first.where(first >= start, start)
    count = ((end - base) // interval).clip(lower=-1).astype("int64") + 1
    count = count.where(first <= end, 0).clip(lower=0)
    take = np.repeat(np.arange(len(customers)), count.to_numpy())
    starts = np.cumsum(count.to_numpy()) - count.to_numpy()
    k = np.arange(len(take)) - np.repeat(starts, count.to_numpy())
    due = base.to_numpy()[take] + interval.to_numpy()[take] * k
    # the first occurrence keeps its real (possibly overdue) due date
    due = np.where(k == 0, first.to_numpy()[take], due)
    last_text = last.dt.strftime("%Y-%m-%d").to_numpy()[take]
    detail = np.where(pd.isna(last.to_numpy()[take]), "首次拜访/从未拜访",
                      "上次 " + pd.Series(last_text, dtype=object).fillna("").to_numpy())
    cycle_text = "每" + days.astype("str").to_numpy()[take] + "天; "
    return _demand(customers["customer_id"].to_numpy()[take], activity.to_numpy()[take], "cycle",
                   cycle_text + detail, due)


def birthday_demand(customers: pd.DataFrame, policy: dict, start, end) -> pd.DataFrame:
    """seed 001: 老客户生日那天进行电话或…上门祝贺 — a greeting on the day, and a
    gift visit for the tiers the policy names."""
    greet = policy["greetings"]
    if not greet["birthday"]:
        return _demand([], "call", "birthday", "", [])
    rows = _birthday_rows(customers, start.date(), end.date())
    frames = [_demand(rows["customer_id"], greet["birthday_activity"], "birthday", rows["detail"],
                      rows["day"], pinned=True)]
    gift_tiers = set(greet["birthday_gift_tiers"])
    if gift_tiers and len(rows):
        tier = rows["customer_id"].map(customers.set_index("customer_id")["tier"])
        gifts = rows[tier.isin(gift_tiers).to_numpy()]
        frames.append(_demand(gifts["customer_id"], "gift_visit", "birthday", gifts["detail"],
                              gifts["day"]))
    return pd.concat(frames, ignore_index=True)


def greeting_demand(customers: pd.DataFrame, policy: dict, start, end) -> pd.DataFrame:
    """seed 001: 每逢节气以电话或短信群发的方式代表公司祝贺节日快乐 — every customer
    on every festival (and solar term, if enabled), on the day itself."""
    greet = policy["greetings"]
    days = cal.greeting_days(start.date(), end.date(), greet["festivals"], greet["solar_terms"])
    frames = []
    for day, kind, name in days:
        frames.append(_demand(customers["customer_id"], greet["festival_activity"], kind, name, day,
                              pinned=True))
    return pd.concat(frames, ignore_index=True) if frames else _demand([], "sms", "festival", "", [])


def half_month_starts(start: pd.Timestamp, end: pd.Timestamp) -> list[pd.Timestamp]:
    """The 1sts and 16ths from START to END."""
    days = pd.date_range(start, end, freq="D")
    return list(days[(days.day == 1) | (days.day == 16)])


def top_spender_demand(transactions: pd.DataFrame, customers: pd.DataFrame, policy: dict,
                       start, end) -> pd.DataFrame:
    """seed 001: 每半个月 … 在部门消费的前三名客户 — on the 1st and the 16th, the top
    N customers of each department over the previous half month get an
    appointment call and a gift visit. Ties: the smaller customer_id first."""
    top = policy["top_spenders"]
    empty = _demand([], "call", "top_spender", "", [])
    if not top["enabled"] or transactions is None or not len(transactions):
        return empty
    tx = transactions
    if "department" in tx.columns:
        dept = tx["department"]
    else:
        dept = pd.Series(np.nan, index=tx.index, dtype="str")
    if dept.isna().any():
        known = customers.set_index("customer_id")
        fallback = known["department"] if "department" in known.columns else None
        if fallback is not None:
            dept = dept.fillna(tx["customer_id"].map(fallback))
    dept = dept.fillna("").astype("str")
    cents = to_cents(tx["amount"])  # halves away from zero, as every cskit amount
    frames = []
    for day in half_month_starts(start, end):
        if day.day == 1:
            since = (day - pd.Timedelta(days=1)).replace(day=16)
        else:
            since = day.replace(day=1)
        inside = (tx["date"] >= since) & (tx["date"] < day)
        if not inside.any():
            continue
        sums = (pd.DataFrame({"department": dept[inside], "customer_id": tx.loc[inside, "customer_id"],
                              "cents": cents[inside]})
                .groupby(["department", "customer_id"], as_index=False)["cents"].sum())
        sums = sums[sums["cents"] > 0]
        sums = sums.sort_values(["department", "cents", "customer_id"],
                                ascending=[True, False, True])
        sums["rank"] = sums.groupby("department").cumcount() + 1
        sums = sums[sums["rank"] <= top["top_n"]]
        period = f"{since:%m-%d}~{day - pd.Timedelta(days=1):%m-%d}"
        label = np.where(sums["department"] == "", "", sums["department"] + " ")
        detail = (label + period + " 第" + sums["rank"].astype("str") + "名 ¥"
                  + (sums["cents"] / 100).map("{:,.2f}".format))
        for activity in top["activities"]:
            frames.append(_demand(sums["customer_id"], activity, "top_spender", detail.to_numpy(),
                                  day))
    return pd.concat(frames, ignore_index=True) if frames else empty


def shipment_demand(shipments: pd.DataFrame, policy: dict, start, end) -> pd.DataFrame:
    """seed 001 篇4: 对发出3天、5天以内的货物进行跟踪 — calls at ship_date + 3 and
    + 5 days while the shipment is not signed for."""
    empty = _demand([], "call", "shipment_followup", "", [])
    if shipments is None or not len(shipments):
        return empty
    open_ = shipments
    if "signed" in shipments.columns:
        open_ = shipments[~shipments["signed"].fillna(False).astype(bool)]
    frames = []
    for days in policy["shipments"]["followup_days"]:
        due = open_["ship_date"] + pd.Timedelta(days=days)
        inside = (due >= start) & (due <= end)
        rows = open_[inside]
        frames.append(_demand(rows["customer_id"], "call", "shipment_followup",
                              "shipment " + rows["shipment_id"].astype("str") + f" +{days}d",
                              due[inside]))
    return pd.concat(frames, ignore_index=True) if frames else empty


def complaint_demand(complaints: pd.DataFrame, policy: dict, start, end) -> pd.DataFrame:
    """A satisfaction call-back a few days after a complaint is closed (seed
    003: 跟踪投诉处理过程,及时回馈客户,并协助做好客户回访工作)."""
    empty = _demand([], "call", "complaint_callback", "", [])
    if complaints is None or not len(complaints) or "closed_at" not in complaints.columns:
        return empty
    closed = complaints["closed_at"].notna()
    if "customer_id" in complaints.columns:
        closed &= complaints["customer_id"].notna()
    else:
        return empty
    rows = complaints[closed]
    due = rows["closed_at"].dt.normalize() + pd.Timedelta(days=policy["complaints"]["callback_days"])
    inside = (due >= start) & (due <= end)
    rows, due = rows[inside], due[inside]
    staff = rows["staff_id"] if "staff_id" in rows.columns else None
    return _demand(rows["customer_id"], policy["complaints"]["activity"], "complaint_callback",
                   "complaint " + rows["complaint_id"].astype("str"), due,
                   staff=None if staff is None else staff.to_numpy())


def downgraded(credit: pd.DataFrame) -> pd.Series:
    """Customers whose grade went down: score-credit's change = downgraded, or
    (without it) a grade number above previous_grade (1 is the best)."""
    if "change" in credit.columns:
        return credit["change"].astype("str").str.strip().str.lower().isin(_DOWNGRADED_WORDS) \
            .fillna(False).astype(bool)
    grade = pd.to_numeric(credit.get("grade"), errors="coerce")
    previous = pd.to_numeric(credit.get("previous_grade"), errors="coerce")
    return (grade > previous).fillna(False).astype(bool)


def credit_demand(credit: pd.DataFrame, policy: dict, start) -> pd.DataFrame:
    empty = _demand([], "visit", "credit_downgrade", "", [])
    if credit is None or not len(credit):
        return empty
    rows = credit[downgraded(credit)]
    if not len(rows):  # nobody downgraded: no text to build (an empty float Series)
        return empty
    if "previous_grade" in rows.columns and "grade" in rows.columns:
        detail = ("等级 " + _number_text(rows["previous_grade"]) + " → "
                  + _number_text(rows["grade"]))
    else:
        detail = pd.Series("等级下调", index=rows.index)
    return _demand(rows["customer_id"], policy["credit"]["downgrade_activity"], "credit_downgrade",
                   detail, start)


def _number_text(values: pd.Series) -> pd.Series:
    numbers = pd.to_numeric(values, errors="coerce")
    text = numbers.map(lambda v: "" if pd.isna(v) else f"{v:g}")
    return text.where(numbers.notna(), values.astype("str").fillna("?"))


_BUCKET = re.compile(r"^(\d+)\s*(?:[-–~]\s*\d+\s*天?|\+|天以上|天\+)$")


def overdue_amount(aging: pd.DataFrame, min_days: int) -> pd.Series:
    """Money at least MIN_DAYS overdue per row of an aging summary: the sum
    of its bucket columns (`61-90`, `91-180`, `181+`, `61-90天`, `181天以上`)
    whose lower bound reaches MIN_DAYS. Cents, as int64."""
    total = pd.Series(0, index=aging.index, dtype="int64")
    for column in aging.columns:
        match = _BUCKET.match(str(column).strip())
        if not match or int(match[1]) < min_days:
            continue
        values = aging[column]
        if not pd.api.types.is_numeric_dtype(values.dtype):
            values = pd.to_numeric(values.astype("str").str.replace(r"[,¥￥\s]", "", regex=True),
                                   errors="coerce")
        total = total + to_cents(values.astype("float64"))
    return total


def collection_demand(aging: pd.DataFrame, policy: dict, start) -> pd.DataFrame:
    """Customers with money 61+ days overdue (aging-report summary) → a
    collection call (催收) from the owner."""
    empty = _demand([], "call", "collection", "", [])
    if aging is None or not len(aging):
        return empty
    min_days = policy["aging"]["collection_min_days"]
    cents = overdue_amount(aging, min_days)
    due_now = cents > 0
    if not any(_BUCKET.match(str(c).strip()) for c in aging.columns) \
            and "max_days_overdue" in aging.columns:
        due_now = pd.to_numeric(aging["max_days_overdue"], errors="coerce").fillna(0) >= min_days
    total_row = aging["customer_id"].astype("str").str.strip().str.lower() \
        .isin(["total", "合计", "总计"])
    rows = aging[due_now & ~total_row]
    # (object: an empty selection would otherwise be float and refuse the text)
    detail = (f"逾期{min_days}天以上 ¥"
              + (cents[rows.index] / 100).map("{:,.2f}".format).astype(object))
    return _demand(rows["customer_id"], policy["aging"]["collection_activity"], "collection",
                   detail, start)
