"""Visit and greeting plans (SPEC §5): periodic visits and calls by tier,
birthday and festival greetings, top spenders, shipment follow-ups,
complaint call-backs, credit and collection contacts — placed on China's
official working days within each staff member's daily capacity.

Pure functions on DataFrames: no file I/O, no printing. ``plan_visits`` is
the whole computation; the command only reads and writes.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

from cskit import calendar_cn as cal
from cskit.i18n import Join, Text

TIERS = ("key", "1", "2", "3", "4", "unrated")
ACTIVITIES = ("visit", "call", "sms", "gift_visit")
WORK_REASONS = ("complaint_callback", "collection", "credit_downgrade", "shipment_followup",
                "top_spender", "birthday", "cycle")
REASONS = WORK_REASONS + ("festival", "solar_term")
# which daily limit an activity uses; sms is a bulk list without one
SLOT = {"visit": "visit", "gift_visit": "visit", "call": "call"}

OUTPUT_COLUMNS = ["date", "staff_id", "staff_name", "customer_id", "customer_name", "activity",
                  "reason", "detail", "phone", "status", "due_date", "tier", "note"]

_TIER_WORDS = {"key": "key", "大客户": "key", "vip": "key", "重点": "key", "重点客户": "key",
               "ka": "key", "1": "1", "2": "2", "3": "3", "4": "4",
               "一级": "1", "二级": "2", "三级": "3", "四级": "4",
               "1级": "1", "2级": "2", "3级": "3", "4级": "4",
               "unrated": "unrated", "未评级": "unrated", "未评": "unrated", "无": "unrated"}
TIER_EXPECTED = Text("a customer tier: key/大客户, 1–4 (一级…四级) or blank (unrated)",
                     "应为客户等级：key/大客户、1–4（一级…四级），或留空（未评级）")

_CLOSED_WORDS = {"closed", "resolved", "done", "已结案", "结案", "已关闭", "关闭", "已解决", "完结",
                 "已完结", "已处理"}
_DOWNGRADED_WORDS = {"downgraded", "下调", "降级", "调低"}


# --- policy -------------------------------------------------------------------

def check_policy(policy: dict) -> list[Text]:
    """Domain checks of a visit policy, each a message naming the key."""
    problems: list[Text] = []
    if policy["unknown_year"] not in ("error", "weekdays"):
        problems.append(Text('{key}: expected "error" or "weekdays"',
                             '{key}：应为 "error"（报错）或 "weekdays"（按周一至周五暂排）',
                             key="unknown_year"))
    for tier in TIERS:
        cycle = policy["cycles"].get(tier)
        if not isinstance(cycle, dict):
            problems.append(Text("{key}: missing; every tier needs a cycle",
                                 "{key}：缺少此项；每个客户等级都要设定拜访周期",
                                 key=f"cycles.{tier}"))
            continue
        if cycle.get("activity") not in ("visit", "call"):
            problems.append(Text('{key}: expected "visit" or "call"',
                                 '{key}：应为 "visit"（上门拜访）或 "call"（电话）',
                                 key=f"cycles.{tier}.activity"))
        if not isinstance(cycle.get("days"), int) or cycle["days"] < 1:
            problems.append(Text("{key}: expected a whole number of days, 1 or more",
                                 "{key}：应为天数（不小于 1 的整数）",
                                 key=f"cycles.{tier}.days"))
    for key in ("max_visits_per_day", "max_calls_per_day"):
        if policy["capacity"][key] < 0:
            problems.append(Text("{key}: must not be negative", "{key}：不能为负数",
                                 key=f"capacity.{key}"))
    greet = policy["greetings"]
    for key in ("birthday_activity", "festival_activity"):
        if greet[key] not in ("call", "sms"):
            problems.append(Text('{key}: expected "call" or "sms"',
                                 '{key}：应为 "call"（电话）或 "sms"（短信）',
                                 key=f"greetings.{key}"))
    for name in greet["festivals"]:
        if name not in cal.FESTIVALS:
            problems.append(Text("{key}: unknown festival {name!r}; known: {known}",
                                 "{key}：没有“{name}”这个节日；可选：{known}",
                                 key="greetings.festivals", name=name,
                                 known=Join((", ", "、"), cal.FESTIVALS)))
    for tier in greet["birthday_gift_tiers"]:
        if tier not in TIERS:
            problems.append(Text("{key}: unknown tier {tier!r}; known: {known}",
                                 "{key}：没有“{tier}”这个客户等级；可选：{known}",
                                 key="greetings.birthday_gift_tiers", tier=tier,
                                 known=Join((", ", "、"), TIERS)))
    top = policy["top_spenders"]
    if top["top_n"] < 1:
        problems.append(Text("{key}: expected 1 or more", "{key}：应不小于 1",
                             key="top_spenders.top_n"))
    for activity in top["activities"]:
        if activity not in ("call", "visit", "gift_visit", "sms"):
            problems.append(Text("{key}: unknown activity {activity!r}; known: {known}",
                                 "{key}：没有“{activity}”这种活动；可选：{known}",
                                 key="top_spenders.activities", activity=activity,
                                 known=Join((", ", "、"), ("call", "visit", "gift_visit", "sms"))))
    if any(d < 0 for d in policy["shipments"]["followup_days"]):
        problems.append(Text("{key}: days must not be negative", "{key}：天数不能为负数",
                             key="shipments.followup_days"))
    if policy["complaints"]["callback_days"] < 0:
        problems.append(Text("{key}: must not be negative", "{key}：不能为负数",
                             key="complaints.callback_days"))
    for key, value in (("complaints.activity", policy["complaints"]["activity"]),
                       ("credit.downgrade_activity", policy["credit"]["downgrade_activity"]),
                       ("aging.collection_activity", policy["aging"]["collection_activity"])):
        if value not in ("visit", "call"):
            problems.append(Text('{key}: expected "visit" or "call"',
                                 '{key}：应为 "visit"（上门拜访）或 "call"（电话）', key=key))
    if policy["aging"]["collection_min_days"] < 1:
        problems.append(Text("{key}: expected 1 or more", "{key}：应不小于 1",
                             key="aging.collection_min_days"))
    unknown = [r for r in policy["priority"] if r not in WORK_REASONS]
    if unknown:
        problems.append(Text("{key}: unknown reason(s) {unknown}; known: {known}",
                             "{key}：没有这些原因：{unknown}；可选：{known}",
                             key="priority", unknown=Join((", ", "、"), unknown),
                             known=Join((", ", "、"), WORK_REASONS)))
    missing = [r for r in WORK_REASONS if r not in policy["priority"]]
    if missing:
        problems.append(Text("{key}: must list every reason; missing {missing}",
                             "{key}：须列出全部原因；缺少：{missing}",
                             key="priority", missing=Join((", ", "、"), missing)))
    return problems


# --- input checks -----------------------------------------------------------

def normalise_tier(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Tier text → one of TIERS; (tiers, bad mask). Blank → "unrated";
    `1.0` (a number from Excel) → "1"."""
    text = values.astype("str").str.strip().str.lower()
    text = text.str.replace(r"^(\d)\.0+$", r"\1", regex=True)
    tiers = text.map(_TIER_WORDS)
    blank = values.isna() | text.eq("")
    bad = tiers.isna() & ~blank
    return tiers.where(~blank, "unrated").fillna("unrated").astype("str"), bad


def customer_problems(customers: pd.DataFrame) -> list[tuple[str, pd.Series, Text]]:
    """Cells a plan cannot use: (column, bad mask, expected) for each."""
    problems = []
    for column in ("tier", "grade"):
        if column in customers.columns:
            _, bad = normalise_tier(customers[column])
            if column == "grade" and "tier" in customers.columns:
                bad = bad & customers["tier"].isna()
            problems.append((column, bad, TIER_EXPECTED))
    if "birthday" in customers.columns:
        _, bad = _solar_month_day(customers["birthday"])
        problems.append(("birthday", bad, Text("a birthday such as 1985-03-12 or 03-12",
                                                "应为生日日期，如 1985-03-12 或 03-12")))
    if "lunar_birthday" in customers.columns:
        _, bad = _lunar_dates(customers["lunar_birthday"])
        problems.append(("lunar_birthday", bad, Text(
            "a lunar birthday such as 正月初八, 腊月廿三, 闰四月初八 or L01-08",
            "应为农历生日，如 正月初八、腊月廿三、闰四月初八 或 L01-08")))
    return problems


def staff_problems(staff: pd.DataFrame) -> list[tuple[str, pd.Series, Text]]:
    if "days_off" not in staff.columns:
        return []
    _, bad = parse_days_off(staff["days_off"])
    return [("days_off", bad, Text(
        "dates such as 2026-11-05;2026-11-06 or a range 2026-11-05~2026-11-07 "
        "(a range of at most a year)",
        "应为日期，如 2026-11-05;2026-11-06，或日期范围 2026-11-05~2026-11-07"
        "（范围不超过一年）"))]


_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def _one_date(text: str) -> date | None:
    match = _DATE_TEXT.match(text.strip())
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def parse_days_off(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """`2026-11-05;2026-11-06`, `2026-11-05~2026-11-07` → frozenset of dates
    per row; (sets, bad mask)."""
    def one(text):
        if text is None or (isinstance(text, float) and np.isnan(text)) or str(text).strip() == "":
            return frozenset()
        days = set()
        for part in re.split(r"[;,，；、\s]+", str(text).strip()):
            if not part:
                continue
            ends = re.split(r"\s*(?:~|～|\.\.|至|到)\s*", part)
            if len(ends) == 2:
                first, last = _one_date(ends[0]), _one_date(ends[1])
                if first is None or last is None or last < first or (last - first).days > 366:
                    return None
                days.update(first + timedelta(days=i) for i in range((last - first).days + 1))
            else:
                day = _one_date(part)
                if day is None:
                    return None
                days.add(day)
        return frozenset(days)

    parsed = values.astype(object).map(one)
    return parsed, parsed.isna() & values.notna()


# --- birthdays ----------------------------------------------------------------

def _parse_distinct(values: pd.Series, parse) -> tuple[pd.Series, pd.Series]:
    """(parsed value per row, bad mask), parsing each distinct text once."""
    table = {u: parse(u) for u in values.dropna().unique()}
    parsed = values.map(table)
    bad = values.notna() & parsed.isna()
    return parsed, bad


def _solar_month_day(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    return _parse_distinct(values, cal.parse_solar)


def _lunar_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    return _parse_distinct(values, cal.parse_lunar)


def _birthday_rows(customers: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
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


# --- demand ---------------------------------------------------------------------

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
    cents = (tx["amount"].fillna(0) * 100).round().astype("int64")
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
        total = total + (values.fillna(0) * 100).round().astype("int64")
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


# --- capacity and placement ---------------------------------------------------

@dataclass
class VisitPlan:
    activities: pd.DataFrame
    capacity: pd.DataFrame
    notes: list[Text] = field(default_factory=list)


def _staff_table(staff: pd.DataFrame | None, owners: pd.Series, policy: dict) -> pd.DataFrame:
    cap = policy["capacity"]
    ids = pd.Index(owners.dropna().unique(), dtype="str")
    table = pd.DataFrame(index=ids)
    table["name"] = pd.Series(np.nan, index=ids, dtype="str")
    table["max_visits"] = cap["max_visits_per_day"]
    table["max_calls"] = cap["max_calls_per_day"]
    table["days_off"] = [frozenset()] * len(ids)
    if staff is not None and len(staff):
        listed = staff.set_index("staff_id")
        table = table.reindex(ids.union(listed.index))
        table["max_visits"] = table["max_visits"].fillna(cap["max_visits_per_day"])
        table["max_calls"] = table["max_calls"].fillna(cap["max_calls_per_day"])
        table["days_off"] = table["days_off"].map(lambda v: v if isinstance(v, frozenset) else frozenset())
        if "name" in listed.columns:
            table["name"] = listed["name"].reindex(table.index)
        for src, dst in (("max_visits_per_day", "max_visits"), ("max_calls_per_day", "max_calls")):
            if src in listed.columns:
                given = listed[src].reindex(table.index)
                table[dst] = given.astype("Float64").fillna(table[dst]).astype("int64")
        if "days_off" in listed.columns:
            parsed, _ = parse_days_off(listed["days_off"])
            given = parsed.reindex(table.index)
            table["days_off"] = [g if isinstance(g, frozenset) else d
                                 for g, d in zip(given, table["days_off"])]
    table["max_visits"] = table["max_visits"].astype("int64")
    table["max_calls"] = table["max_calls"].astype("int64")
    return table


KIND_ZH = {"visit": "拜访", "call": "电话"}


def _place(demand: pd.DataFrame, slot_days: np.ndarray) -> np.ndarray:
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
            position = _place(flexible, slot_days)
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


# --- calendar files -----------------------------------------------------------

def event_uid(row) -> str:
    """Stable across re-runs: the same staff member, customer, activity,
    reason, detail and due date give the same UID wherever the activity is
    placed, so a calendar updates the event instead of adding another."""
    key = "|".join(str(row[c]) for c in ("staff_id", "customer_id", "activity", "reason", "detail"))
    key += "|" + pd.Timestamp(row["due_date"]).strftime("%Y-%m-%d")
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:24] + "@cskit.visit-plan"


_ACTIVITY_ZH = {"visit": "拜访", "call": "电话", "sms": "短信", "gift_visit": "送礼拜访"}


def ics_calendars(activities: pd.DataFrame, stamp) -> dict[str, bytes]:
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
            event.add("uid", event_uid(row))
            event.add("dtstamp", stamp)
            day = pd.Timestamp(row["date"]).date()
            event.add("dtstart", day)
            event.add("dtend", day + timedelta(days=1))
            name = row["customer_name"] if isinstance(row["customer_name"], str) else row["customer_id"]
            event.add("summary", f"{_ACTIVITY_ZH.get(row['activity'], row['activity'])} {name}: "
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
