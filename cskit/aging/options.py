"""Domain checks of an aging policy."""
from __future__ import annotations

from cskit.aging.buckets import BASES, bucket_problems
from cskit.aging.common import ALERT_RULES, DSO_METHODS
from cskit.i18n import Text


def check_policy(policy: dict) -> list[Text]:
    """Domain checks of an aging policy (types are checked by cskit.policy)."""
    problems = [Text("{key}: {problem}", "{key} 设置有误：{problem}", key="buckets", problem=p)
                for p in bucket_problems(policy.get("buckets"))]
    if policy.get("basis") not in BASES:
        problems.append(Text("{key}: expected one of {choices}, got {value!r}",
                             "{key}：只能是 {choices} 之一，实际是 {value!r}",
                             key="basis", choices=", ".join(BASES), value=policy.get("basis")))
    if policy.get("dso_method") not in DSO_METHODS:
        problems.append(Text("{key}: expected one of {choices}, got {value!r}",
                             "{key}：只能是 {choices} 之一，实际是 {value!r}",
                             key="dso_method", choices=", ".join(DSO_METHODS),
                             value=policy.get("dso_method")))
    for key, low in (("default_terms_days", 0), ("dso_target_days", 1),
                     ("dso_window_days", 1)):
        value = policy.get(key)
        if not isinstance(value, (int, float)) or value < low:
            problems.append(Text("{key}: expected a number of days of at least {low}, "
                                 "got {value!r}",
                                 "{key}：应为不少于 {low} 的天数，实际是 {value!r}",
                                 key=key, low=low, value=value))
    months = policy.get("alert_months")
    if (not isinstance(months, (int, float)) or isinstance(months, bool)
            or not 1 <= months <= 1200 or months != int(months)):
        # at most 1,200 months: the hundred years every other period is held to
        problems.append(Text("{key}: expected a whole number of months of at least 1 and "
                             "at most 1200, got {value!r}",
                             "{key}：应为 1 至 1200 之间的整数月数，实际是 {value!r}",
                             key="alert_months", value=months))
    if policy.get("alert_rule") not in ALERT_RULES:
        problems.append(Text("{key}: expected one of {choices}, got {value!r}",
                             "{key}：只能是 {choices} 之一，实际是 {value!r}",
                             key="alert_rule", choices=", ".join(ALERT_RULES),
                             value=policy.get("alert_rule")))
    base = policy.get("base_currency")
    if not isinstance(base, str) or not base.strip():
        problems.append(Text("{key}: expected a currency code like \"CNY\", got {value!r}",
                             "{key}：应为币种代码，如 \"CNY\"，实际是 {value!r}",
                             key="base_currency", value=base))
    from cskit.aging.schedule import check_terms

    problems += check_terms(policy.get("terms", {}))
    return problems
