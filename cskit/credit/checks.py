"""Domain checks of a merged credit policy (the loader checks keys and types)."""
from __future__ import annotations

from cskit.i18n import Text


def check_policy(policy: dict) -> list[Text]:
    """Domain checks of a merged credit policy (the loader checks keys and types)."""
    problems: list[Text] = []

    def tiers(key: str, table: dict) -> None:
        floors, points = table["floors"], table["points"]
        if len(floors) != len(points):
            problems.append(Text("{key}: floors and points must have the same number of "
                                 "entries ({floors} floors, {points} points)",
                                 "{key}：floors 与 points 的个数须相同（现有 floors {floors} 个，"
                                 "points {points} 个）",
                                 key=key, floors=len(floors), points=len(points)))
        if any(a <= b for a, b in zip(floors, floors[1:])):
            problems.append(Text("{key}: floors must descend (top tier first)",
                                 "{key}：floors 须从大到小排列（最高一档在前）",
                                 key=f"{key}.floors"))

    for name, table in policy["tiers"].items():
        tiers(f"tiers.{name}", table)
        if table["floors"] and min(table["floors"]) <= 0:
            problems.append(Text("{key}: floors must be above 0", "{key}：各档下限须大于 0",
                                 key=f"tiers.{name}.floors"))
    tiers("subjective.years_established", policy["subjective"]["years_established"])
    for group in ("legal", "other"):
        for key, points in policy[group].items():
            if points < 0:
                problems.append(Text("{key}: points must not be negative", "{key}：分值不能为负数",
                                     key=f"{group}.{key}"))
    bad = policy["bad_records"]
    for key in ("late_after_promise", "breach_of_settlement", "late_payment_cap"):
        if bad[key] > 0:
            problems.append(Text("{key}: a deduction must be 0 or negative",
                                 "{key}：扣分须为 0 或负数", key=f"bad_records.{key}"))
    levels = policy["levels"]
    tiers("levels", {"floors": levels["floors"], "points": levels["floors"]})
    count = len(levels["floors"]) + 1
    if len(levels["credit_limits"]) != count:
        problems.append(Text("{key}: needs {count} limits, one per level ({floors_key} has "
                             "{floors} floors)",
                             "{key}：须有 {count} 个信用额度，每个级别一个（{floors_key} 有 "
                             "{floors} 个分数线）",
                             key="levels.credit_limits", count=count, floors_key="levels.floors",
                             floors=count - 1))
    if any(limit < 0 for limit in levels["credit_limits"]):
        problems.append(Text("{key}: limits must not be negative", "{key}：信用额度不能为负数",
                             key="levels.credit_limits"))
    grades = policy["grades"]
    for table in ("A", "B"):
        if len(grades[table]) != count:
            problems.append(Text("{key}: needs {count} grades, one per level",
                                 "{key}：须有 {count} 个等级，每个级别一个",
                                 key=f"grades.{table}", count=count))
        if any(not 1 <= g <= len(grades["labels"]) for g in grades[table]):
            problems.append(Text("{key}: grades must be between 1 and {top} (the number of "
                                 "{labels_key})",
                                 "{key}：等级须在 1 到 {top} 之间（{top} 即 {labels_key} 的个数）",
                                 key=f"grades.{table}", top=len(grades["labels"]),
                                 labels_key="grades.labels"))
    if grades["stricter"] not in ("A", "B"):
        problems.append(Text("{key}: must be \"A\" or \"B\"", "{key}：只能填 \"A\" 或 \"B\"",
                             key="grades.stricter"))
    new = policy["new_customers"]
    if not 0 <= new["unrated_below_months"] <= new["full_year_months"]:
        problems.append(Text("{key}: {below} must be between 0 and {full}",
                             "{key}：{below} 须在 0 到 {full} 之间",
                             key="new_customers", below="unrated_below_months",
                             full="full_year_months"))
    if new["full_year_months"] > 12:
        problems.append(Text("{key}: at most 12", "{key}：最多为 12",
                             key="new_customers.full_year_months"))
    for key in ("subjective_levels", "salesperson_advance_levels"):
        if policy["downgrades"][key] < 0:
            problems.append(Text("{key}: must not be negative", "{key}：不能为负数",
                                 key=f"downgrades.{key}"))
    if policy["approval"]["finance_vp_max"] < 0 or policy["approval"]["exception_max"] < 0:
        problems.append(Text("{key}: amounts must not be negative", "{key}：金额不能为负数",
                             key="approval"))
    if policy["terms"]["grace_days"] < 0:
        problems.append(Text("{key}: must not be negative", "{key}：不能为负数",
                             key="terms.grace_days"))
    return problems
