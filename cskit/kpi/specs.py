"""The KPIs in force and the checks of a merged kpi policy (seed 000 关键KPI指标,
seed 001 篇3)."""
from __future__ import annotations

from cskit.i18n import Text


ROLES = ("director", "deputy_director", "assistant", "branch_manager", "specialist")
LEVEL_OF_ROLE = {"director": "department", "deputy_director": "department",
                 "branch_manager": "branch", "assistant": "staff", "specialist": "staff"}
LEVEL_ORDER = {"department": 0, "branch": 1, "staff": 2}
SOURCES = {
    "complaints": ("closed", "first_response", "hours_to_close"),
    "surveys": ("satisfied",),
    "sales": ("gross_margin", "target_completion", "yoy_growth"),
    "invoices": ("dso",),
    "appraisals": ("coverage",),
    "measures": None,  # any measure name of the --measures file
}
# facts of these measures are money (yuan); they are summed in integer cents
MONEY_MEASURES = {("sales", "gross_margin"), ("sales", "target_completion"),
                  ("sales", "yoy_growth"), ("invoices", "dso")}
DIRECTIONS = (">=", "<=")
SCOPES = ("own", "department")
UNITS = ("ratio", "days", "hours", "number")
DSO_METHODS = ("average", "period-end", "countback")
KPI_KEYS = {"label": str, "label_en": str, "source": str, "measure": str, "target": (int, float),
            "direction": str, "weight": (int, float), "roles": list, "role_targets": dict,
            "min_sample": (int, float), "scope": str, "unit": str}
UNASSIGNED_NAME = "unassigned"


# --- policy ------------------------------------------------------------------
def kpi_specs(policy: dict) -> dict[str, dict]:
    """The KPIs in force, built-in ones first, then the policy's own."""
    specs = dict(policy.get("kpis", {}))
    specs.update(policy.get("custom_kpis", {}))
    return specs


def check_policy(policy: dict) -> list[Text]:
    """Domain checks of a merged kpi policy; each message names its key."""
    problems: list[Text] = []
    for key in ("cap", "first_response_minutes"):
        if policy[key] <= 0:
            problems.append(Text("{key}: must be above 0", "{key}：须大于 0", key=key))
    if not 1 <= policy["satisfied_score"] <= 5:
        problems.append(Text("{key}: must be between 1 and 5", "{key}：须在 1 到 5 之间",
                             key="satisfied_score"))
    if policy["dso_window_days"] <= 0:
        problems.append(Text("{key}: must be above 0", "{key}：须大于 0", key="dso_window_days"))
    if policy["dso_method"] not in DSO_METHODS:
        problems.append(_one_of("dso_method", DSO_METHODS))
    if not str(policy["unassigned_id"]).strip():
        problems.append(Text("{key}: must not be empty", "{key}：不能为空", key="unassigned_id"))
    weights = policy["appraisal"]
    if min(weights["self_weight"], weights["manager_weight"]) < 0 or \
            abs(weights["self_weight"] + weights["manager_weight"] - 1) > 1e-9:
        problems.append(Text("{key}: {self_key} and {manager_key} must be 0 or more and add "
                             "up to 1",
                             "{key}：{self_key} 与 {manager_key} 均不能为负数，且两者相加须等于 1",
                             key="appraisal", self_key="self_weight",
                             manager_key="manager_weight"))
    ranking = policy["ranking"]
    if ranking["by"] not in ("appraisal", "score"):
        problems.append(_one_of("ranking.by", ("appraisal", "score")))
    if ranking["reward"] < 0:
        problems.append(_at_least_0("ranking.reward"))
    if ranking["penalty"] > 0:
        problems.append(Text("{key}: must be 0 or less (a deduction)",
                             "{key}：须为 0 或负数（扣分）", key="ranking.penalty"))
    for key in ("improvement_last", "improvement_days"):
        if ranking[key] < 0:
            problems.append(_at_least_0(f"ranking.{key}"))
    if ranking["reassign_after"] < 1:
        problems.append(Text("{key}: must be 1 or more", "{key}：至少为 1",
                             key="ranking.reassign_after"))
    for table in ("kpis", "custom_kpis"):
        for kpi, spec in policy.get(table, {}).items():
            problems += _check_kpi(f"{table}.{kpi}", spec, custom=table == "custom_kpis")
    clash = set(policy.get("kpis", {})) & set(policy.get("custom_kpis", {}))
    for kpi in sorted(clash):
        problems.append(Text("{key}: a built-in KPI has this name; change {builtin} instead",
                             "{key}：与内置考核指标同名；请直接修改 {builtin}",
                             key=f"custom_kpis.{kpi}", builtin=f"kpis.{kpi}"))
    return problems


def _one_of(key: str, choices) -> Text:
    return Text("{key}: must be one of {choices}", "{key}：只能是 {choices} 之一",
                key=key, choices=", ".join(f'"{c}"' for c in choices))


def _at_least_0(key: str) -> Text:
    return Text("{key}: must be 0 or more", "{key}：不能为负数", key=key)


# what each KPI setting holds, for messages
_KINDS = {str: Text("text", "文本"), list: Text("a list", "列表"),
          dict: Text("a table", "表（[段落]）")}


def _check_kpi(key: str, spec, *, custom: bool) -> list[Text]:
    if not isinstance(spec, dict):
        return [Text("{key}: expected a table of KPI settings",
                     "{key}：应为考核指标的设置表（[段落]）", key=key)]
    problems = []
    for name, kind in KPI_KEYS.items():
        if name not in spec:
            problems.append(Text("{key}: missing; every KPI needs this setting",
                                 "{key}：缺少此设置项，每个考核指标都须填写",
                                 key=f"{key}.{name}"))
        elif isinstance(spec[name], bool) or not isinstance(spec[name], kind):
            problems.append(Text("{key}: expected {kind}, got {value!r}",
                                 "{key}：应为{kind}，实际是 {value!r}", key=f"{key}.{name}",
                                 kind=_KINDS.get(kind, Text("a number", "数字")),
                                 value=spec[name]))
    for name in spec:
        if name not in KPI_KEYS:
            problems.append(Text("{key}: unknown key", "{key}：没有这个设置项",
                                 key=f"{key}.{name}"))
    if problems:
        return problems
    source = spec["source"]
    if source not in SOURCES:
        problems.append(_one_of(f"{key}.source", SOURCES))
    elif SOURCES[source] is not None and spec["measure"] not in SOURCES[source]:
        problems.append(Text("{key}: a {source} KPI measures one of {measures}",
                             "{key}：来源为 {source} 的考核指标只能是 {measures} 之一",
                             key=f"{key}.measure", source=source,
                             measures=", ".join(SOURCES[source])))
    if custom and source != "measures":
        problems.append(Text("{key}: a KPI of your own must use source = \"measures\"",
                             "{key}：自定义考核指标须设 source = \"measures\"",
                             key=f"{key}.source"))
    if spec["direction"] not in DIRECTIONS:
        problems.append(Text("{key}: must be \">=\" or \"<=\"", "{key}：只能是 \">=\" 或 \"<=\"",
                             key=f"{key}.direction"))
    if spec["target"] < 0:
        problems.append(Text("{key}: must be 0 (no target) or more",
                             "{key}：须为 0（不设目标）或正数", key=f"{key}.target"))
    for name in ("weight", "min_sample"):
        if spec[name] < 0:
            problems.append(_at_least_0(f"{key}.{name}"))
    if spec["scope"] not in SCOPES:
        problems.append(_one_of(f"{key}.scope", SCOPES))
    if spec["unit"] not in UNITS:
        problems.append(_one_of(f"{key}.unit", UNITS))
    for role in spec["roles"]:
        if role not in ROLES:
            problems.append(Text("{key}: unknown role {role!r} (roles: {roles})",
                                 "{key}：没有 {role!r} 这个岗位（可选岗位：{roles}）",
                                 key=f"{key}.roles", role=role, roles=", ".join(ROLES)))
    for role, target in spec["role_targets"].items():
        if role not in ROLES:
            problems.append(Text("{key}: unknown role (roles: {roles})",
                                 "{key}：没有这个岗位（可选岗位：{roles}）",
                                 key=f"{key}.role_targets.{role}", roles=", ".join(ROLES)))
        elif isinstance(target, bool) or not isinstance(target, (int, float)) or target < 0:
            problems.append(Text("{key}: must be a number, 0 or more",
                                 "{key}：应为不小于 0 的数字", key=f"{key}.role_targets.{role}"))
    return problems
