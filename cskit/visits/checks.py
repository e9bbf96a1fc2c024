"""Domain checks of a visit policy (``cskit/policies/visit.toml``)."""
from __future__ import annotations

from cskit import calendar_cn as cal
from cskit.i18n import Join, Text
from cskit.visits.common import TIERS, WORK_REASONS


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
