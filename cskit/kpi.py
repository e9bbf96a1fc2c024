"""KPI scorecards from staff through branches to the department (SPEC §4).

Seeds: ``000_e428142f49cbfb34.txt`` (each role's 关键KPI指标) and
``001_b8c63d07676fa7ea.txt`` § 篇3 客服部绩效考核方案 (self 30% / manager 70%,
monthly ranking, reward and penalty, improvement plans, reassignment) and
§ 篇4 (reply within 5 minutes).

The work is done in three passes, each vectorised:

1. every source (complaints, surveys, sales, invoices, measures,
   appraisals) is turned into *facts*: per staff member, period and KPI a
   numerator and a denominator (``_facts_*``);
2. the org tree is flattened once into *membership* pairs (entity, staff):
   each staff member belongs to itself and to every manager above it, so a
   manager's KPI is ``groupby(entity).sum()`` of its members' facts, and a
   ratio is always Σnumerator / Σdenominator;
3. KPI rows are judged against the policy's targets, scored, and the
   scorecards ranked within each role.

Everything here is pure: DataFrames and the policy in, DataFrames out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cskit.errors import DataError, Problem
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


# --- periods -----------------------------------------------------------------
@dataclass(frozen=True)
class Period:
    """A reporting period: a month (2026-10), a quarter (2026-Q3) or a year."""

    kind: str  # month | quarter | year
    year: int
    number: int  # month 1–12, quarter 1–4, or 1 for a year

    @property
    def first_month(self) -> int:
        """Months since year 0 of the first month (comparable across kinds)."""
        offset = {"month": self.number - 1, "quarter": 3 * (self.number - 1), "year": 0}
        return self.year * 12 + offset[self.kind]

    @property
    def months(self) -> int:
        return {"month": 1, "quarter": 3, "year": 12}[self.kind]

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.year:04d}-{self.number:02d}"
        if self.kind == "quarter":
            return f"{self.year:04d}-Q{self.number}"
        return f"{self.year:04d}"

    @property
    def start(self) -> pd.Timestamp:
        return _month_start(self.first_month)

    @property
    def end(self) -> pd.Timestamp:
        """The last day of the period, at midnight."""
        return _month_start(self.first_month + self.months) - pd.Timedelta(days=1)

    def shifted(self, steps: int) -> "Period":
        """The period ``steps`` periods of the same kind later (negative: earlier)."""
        month = self.first_month + steps * self.months
        year, rest = divmod(month, 12)
        number = {"month": rest + 1, "quarter": rest // 3 + 1, "year": 1}[self.kind]
        return Period(self.kind, year, number)

    def __str__(self) -> str:
        return self.label


def _month_start(month_index: int) -> pd.Timestamp:
    year, rest = divmod(month_index, 12)
    return pd.Timestamp(year=year, month=rest + 1, day=1)


_MONTH = re.compile(r"^(\d{4})\s*(?:[-/.年]\s*(\d{1,2})|(\d{2}))\s*月?(?:\s*[-/.]\s*\d{1,2}\s*日?)?$")
_QUARTER = re.compile(r"^(\d{4})\s*[-/.年]?\s*(?:[Qq]\s*([1-4])|第?([1-4一二三四])季度?)$")
_YEAR = re.compile(r"^(\d{4})\s*年?$")
_CN_DIGIT = {"一": 1, "二": 2, "三": 3, "四": 4}


def parse_period(text) -> Period | None:
    """``2026-10``, ``2026/10``, ``202610``, ``2026年10月``, ``2026-Q3``,
    ``2026年第三季度``, ``2026`` → a Period; None when it is none of them."""
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return None
    if isinstance(text, (pd.Timestamp,)):
        return Period("month", text.year, text.month)
    text = str(text).strip()
    match = _MONTH.match(text)
    if match:
        month = int(match.group(2) or match.group(3))
        if 1 <= month <= 12:
            return Period("month", int(match.group(1)), month)
        return None
    match = _QUARTER.match(text)
    if match:
        quarter = match.group(2) or match.group(3)
        quarter = _CN_DIGIT.get(quarter) or int(quarter)
        return Period("quarter", int(match.group(1)), quarter)
    match = _YEAR.match(text)
    if match:
        return Period("year", int(match.group(1)), 1)
    return None


def months_between(start: pd.Timestamp, end: pd.Timestamp) -> list[Period]:
    """One Period per calendar month from the month of start to that of end."""
    first = start.year * 12 + start.month - 1
    last = end.year * 12 + end.month - 1
    return [Period("month", m // 12, m % 12 + 1) for m in range(first, last + 1)]


def default_period(as_of: pd.Timestamp) -> Period:
    """The month being reported when none is named: the as-of month when
    as-of is its last day (a month-end run), otherwise the month before."""
    as_of = pd.Timestamp(as_of)
    month = Period("month", as_of.year, as_of.month)
    return month if as_of == month.end else month.shifted(-1)


class _PeriodMap:
    """Which computed period a record belongs to, looked up vectorised."""

    def __init__(self, periods: list[Period]):
        self.periods = periods
        self.by_month: dict[int, str] = {}
        for period in periods:
            for m in range(period.first_month, period.first_month + period.months):
                self.by_month[m] = period.label
        self.labels = {p.label for p in periods}
        self.end_of = {p.label: p.end for p in periods}

    def of_dates(self, dates: pd.Series, shift_years: int = 0) -> pd.Series:
        """Period label of each date (NaN when outside every period)."""
        month = dates.dt.year * 12 + dates.dt.month - 1 + 12 * shift_years
        return month.map(self.by_month).astype("str")

    def of_texts(self, texts: pd.Series, shift_years: int = 0) -> tuple[pd.Series, pd.Series]:
        """Period label of each period text; and a mask of texts that are not
        periods at all. Parsed once per distinct text."""
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


def period_text_problems(texts: pd.Series) -> pd.Series:
    """True where a period cell is filled but is not a month, quarter or year."""
    return _PeriodMap([]).of_texts(texts)[1]


# --- the org tree ------------------------------------------------------------
@dataclass
class OrgTree:
    staff: pd.DataFrame  # index entity_id: name, role, manager_id, branch, level, depth
    membership: pd.DataFrame  # entity_id, staff_id: staff_id counts under entity_id
    root: str


def validate_org(org: pd.DataFrame, *, file: str = "--org",
                 unassigned_id: str = "unassigned") -> None:
    """Raise DataError naming every row that breaks the tree: a manager who
    is the person themself, a manager_id that is nobody's staff_id, a cycle,
    more than one person at the top, or the id reserved for unassigned."""
    if not len(org):  # every row set aside with --rejects: there is no tree
        raise DataError(Problem(file, Text("has no usable row left (every row was rejected); "
                                           "an org chart needs at least its head",
                                           "没有剩下可用的行（所有行都被剔除）；组织架构表至少要有最高负责人")))
    problems: list[Problem] = []
    ids = org["staff_id"].astype("str")
    managers = org["manager_id"].astype("str") if "manager_id" in org else \
        pd.Series(pd.NA, index=org.index, dtype="str")
    known = set(ids.dropna())
    for row in org.index[ids.eq(unassigned_id).fillna(False)]:
        problems.append(Problem(file, Text("{id!r} is reserved for records of staff not in "
                                           "the org chart; use another staff_id",
                                           "“{id}”已留作不在组织架构表中的人员的记录编号，"
                                           "请换一个工号", id=unassigned_id),
                                row=int(row), column="staff_id", value=ids[row]))
    self_managed = managers.eq(ids).fillna(False)
    for row in org.index[self_managed]:
        problems.append(Problem(file, Text("a staff member cannot be their own manager",
                                           "员工不能是自己的直接上级"),
                                row=int(row), column="manager_id", value=managers[row]))
    unknown = managers.notna() & ~managers.isin(known)
    for row in org.index[unknown]:
        problems.append(Problem(file, Text("the staff_id of the direct manager; this is "
                                           "nobody's staff_id in the org chart",
                                           "应为直接上级的工号；组织架构表中没有这个工号"),
                                row=int(row), column="manager_id", value=managers[row]))
    roots = org.index[managers.isna()]
    if len(roots) > 1:
        names = ", ".join(str(ids[r]) for r in roots[:10])
        for row in roots:
            problems.append(Problem(file, Text("one person at the top (no manager_id); "
                                               "found {count}: {names}",
                                               "只能有一人没有直接上级（部门最高负责人）；"
                                               "现有 {count} 人：{names}",
                                               count=len(roots), names=names),
                                    row=int(row), column="manager_id", value=ids[row]))
    if not problems:
        problems += _cycle_problems(ids, managers, file)
        if not problems and len(roots) == 0 and len(org):
            problems.append(Problem(file, Text("one person at the top with no manager_id",
                                               "应有一人没有直接上级（部门最高负责人）")))
    if problems:
        raise DataError(problems, hint=Text(
            "The org chart must be a tree: every manager_id is the staff_id of someone "
            "else, and one person has none.",
            "组织架构表须为树状：每个直接上级（manager_id）都是另一名员工的工号，"
            "且只有一人没有直接上级。"))


def _cycle_problems(ids: pd.Series, managers: pd.Series, file: str) -> list[Problem]:
    parent = pd.Series(managers.to_numpy(), index=ids.to_numpy())
    row_of = pd.Series(ids.index, index=ids.to_numpy())
    current = parent.copy()
    for _ in range(len(parent)):
        current = pd.Series(parent.reindex(current.to_numpy()).to_numpy(), index=current.index)
        if current.isna().all():
            return []
    stuck = list(current.index[current.notna()])
    problems, seen = [], set()
    for start in stuck:
        # walk to a node that is on the cycle, then around it once
        node = start
        for _ in range(len(parent)):
            node = parent[node]
        if node in seen:
            continue
        cycle = [node]
        nxt = parent[node]
        while nxt != node:
            cycle.append(nxt)
            nxt = parent[nxt]
        seen.update(cycle)
        chain = " → ".join(cycle + [node])
        for member in cycle:
            problems.append(Problem(file, Text("the managers form a cycle ({chain})",
                                               "直接上级关系形成了循环（{chain}）", chain=chain),
                                    row=int(row_of[member]), column="manager_id",
                                    value=parent[member]))
    return problems


def org_tree(org: pd.DataFrame, *, unassigned_id: str = "unassigned",
             with_unassigned: bool = False) -> OrgTree:
    """Flatten a validated org chart into entities and membership pairs.

    Ancestors are found one tree level at a time (a loop over the depth of
    the tree, not over people)."""
    staff = pd.DataFrame({
        "entity_id": org["staff_id"].astype("str").to_numpy(),
        "entity_name": (org["name"].astype("str") if "name" in org
                        else pd.Series(pd.NA, index=org.index, dtype="str")).to_numpy(),
        "role": org["role"].astype("str").to_numpy(),
        "manager_id": (org["manager_id"].astype("str") if "manager_id" in org
                       else pd.Series(pd.NA, index=org.index, dtype="str")).to_numpy(),
        "branch": (org["branch"].astype("str") if "branch" in org
                   else pd.Series(pd.NA, index=org.index, dtype="str")).to_numpy(),
    })
    root = staff.loc[staff["manager_id"].isna(), "entity_id"].iloc[0]
    if with_unassigned:
        extra = pd.DataFrame({"entity_id": [unassigned_id], "entity_name": [UNASSIGNED_NAME],
                              "role": [pd.NA], "manager_id": [root], "branch": [pd.NA]})
        staff = pd.concat([staff, extra.astype(staff.dtypes.to_dict())], ignore_index=True)
    staff["level"] = staff["role"].map(LEVEL_OF_ROLE).astype("str")
    staff.loc[staff["entity_id"].eq(unassigned_id), "level"] = "branch"
    staff.loc[staff["entity_id"].eq(root), "level"] = "department"
    staff = staff.set_index("entity_id", drop=False)

    parent = staff["manager_id"]
    pairs = [pd.DataFrame({"entity_id": staff.index, "staff_id": staff.index})]
    current = parent.copy()
    depth = pd.Series(0, index=staff.index)
    while current.notna().any():
        present = current.dropna()
        pairs.append(pd.DataFrame({"entity_id": present.to_numpy(), "staff_id": present.index}))
        depth[present.index] += 1
        current = pd.Series(parent.reindex(current.to_numpy()).to_numpy(), index=current.index)
    staff["depth"] = depth
    membership = pd.concat(pairs, ignore_index=True).astype("str")
    return OrgTree(staff=staff, membership=membership, root=root)


# --- staff ids of the records --------------------------------------------------
def _resolver(org: pd.DataFrame):
    """staff_id cells → org staff_ids: an id as is, else a unique name."""
    ids = set(org["staff_id"].astype("str").dropna())
    names = org["name"].astype("str") if "name" in org else pd.Series(dtype="str")
    name_counts = names.value_counts()
    by_name = {n: i for n, i in zip(names, org["staff_id"].astype("str"))
               if isinstance(n, str) and name_counts.get(n, 0) == 1 and n not in ids}

    def resolve(values: pd.Series) -> pd.Series:
        values = values.astype("str").str.strip()
        named = values.map(by_name).astype(object)
        keep = values.isin(ids) | named.isna()
        return pd.Series(np.where(keep, values.astype(object), named), index=values.index, dtype="str")
    return resolve, ids


# --- facts from each source ----------------------------------------------------
FACT_COLUMNS = ["staff_id", "period", "source", "measure", "numerator", "denominator"]


def _fact_frame(staff_id, period, source, measure, numerator, denominator) -> pd.DataFrame:
    frame = pd.DataFrame({"staff_id": staff_id, "period": period,
                          "numerator": numerator, "denominator": denominator})
    frame = frame[frame["period"].notna()]
    frame = frame.groupby(["staff_id", "period"], dropna=False, sort=False).sum(min_count=1)
    frame = frame.reset_index()
    frame["source"] = source
    frame["measure"] = measure
    return frame[FACT_COLUMNS]


def _is_closed_status(status: pd.Series, words) -> pd.Series:
    lowered = status.astype("str").str.strip().str.lower()
    return lowered.isin([w.lower() for w in words]).fillna(False).astype(bool)


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
    end_next = period.map({k: v + pd.Timedelta(days=1) for k, v in periods.end_of.items()})
    end_next = pd.to_datetime(end_next)
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
    return frame.groupby(["staff_id", "period"], as_index=False)["appraisal"].mean()


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
        staff = staff.where(staff.isin(org_ids), unassigned_id)
        facts.append(_fact_frame(staff.to_numpy(), period.label, "invoices", "dso",
                                 np.round(days_of_sales.to_numpy()),
                                 invoiced.clip(lower=0).to_numpy()))
    return facts


# --- the rollup ----------------------------------------------------------------
@dataclass
class KpiResult:
    long: pd.DataFrame  # one row per entity, period and KPI (SPEC §4)
    scorecard: pd.DataFrame  # one row per entity and period
    wide: pd.DataFrame  # one row per entity and period, one column per KPI
    wide_met: pd.DataFrame  # same index as wide, per KPI column: met True/False/NA
    unassigned: pd.DataFrame  # source, staff_id, rows: records of people not in the org
    unused_measures: list[str] = field(default_factory=list)
    periods: list[Period] = field(default_factory=list)


def rollup_kpis(org: pd.DataFrame, policy: dict, periods: list[Period], *,
                complaints: pd.DataFrame | None = None, surveys: pd.DataFrame | None = None,
                sales: pd.DataFrame | None = None, invoices: pd.DataFrame | None = None,
                payments: pd.DataFrame | None = None, measures: pd.DataFrame | None = None,
                appraisals: pd.DataFrame | None = None, lang: str = "en",
                dso_table=None) -> KpiResult:
    """Every KPI for every entity of the org tree and every period, rolled up
    as Σnumerator / Σdenominator, judged, scored and ranked.

    ``org`` must already be valid (``validate_org``). The periods before the
    first one asked for are computed too, as far back as
    ``ranking.reassign_after`` needs, to find who was last several periods
    in a row; only the periods asked for are returned."""
    specs = kpi_specs(policy)
    unassigned_id = policy["unassigned_id"]
    history = int(policy["ranking"]["reassign_after"]) - 1
    wanted = sorted(set(periods), key=lambda p: p.first_month)
    computed = sorted({p.shifted(-k) for p in wanted for k in range(history + 1)},
                      key=lambda p: p.first_month)
    period_map = _PeriodMap(computed)
    resolve, org_ids = _resolver(org)

    facts: list[pd.DataFrame] = []
    hours = None
    unassigned_rows = []

    def staff_of(frame: pd.DataFrame, column: str, source: str) -> pd.Series:
        raw = (frame[column] if column in frame
               else pd.Series(pd.NA, index=frame.index, dtype="str"))
        resolved = resolve(raw)
        outside = ~resolved.isin(org_ids)
        if outside.any():
            counts = resolved[outside].fillna("(blank)").value_counts()
            unassigned_rows.append(pd.DataFrame({"source": source, "staff_id": counts.index,
                                                 "rows": counts.to_numpy()}))
        return resolved.where(~outside, unassigned_id)

    used_sources = {spec["source"] for spec in specs.values()}
    if complaints is not None and "complaints" in used_sources:
        found, hours = _facts_complaints(complaints, staff_of(complaints, "staff_id", "complaints"),
                                         period_map, policy)
        facts += found
    if surveys is not None and "surveys" in used_sources:
        facts += _facts_surveys(surveys, staff_of(surveys, "staff_id", "surveys"),
                                period_map, policy)
    if sales is not None and "sales" in used_sources:
        facts += _facts_sales(sales, staff_of(sales, "staff_id", "sales"), period_map)
    unused_measures: list[str] = []
    if measures is not None:
        names = {spec["measure"] for spec in specs.values() if spec["source"] == "measures"}
        facts += _facts_measures(measures, staff_of(measures, "staff_id", "measures"),
                                 period_map, names)
        present = set(measures["measure"].astype("str").str.strip().dropna())
        unused_measures = sorted(present - names)
    if invoices is not None and "invoices" in used_sources:
        if "salesperson" not in invoices:
            raise DataError(Text("{option} needs a salesperson column (业务员) to give each "
                                 "staff member their DSO",
                                 "{option} 须有“业务员”列，才能算出每个人的应收账款周转天数",
                                 option="--invoices"))
        if dso_table is None:
            from cskit.aging import dso_table
        staff_of(invoices, "salesperson", "invoices")
        facts += _facts_dso(invoices, payments, resolve, org_ids, computed, policy,
                            dso_table)
    appraisal = pd.DataFrame(columns=["staff_id", "period", "appraisal"])
    if appraisals is not None:
        appraisal = appraisal_totals(appraisals, staff_of(appraisals, "staff_id", "appraisals"),
                                     period_map, policy)
        appraisal = appraisal[appraisal["staff_id"] != unassigned_id]

    facts = [f for f in facts if len(f)]
    fact_table = (pd.concat(facts, ignore_index=True) if facts
                  else pd.DataFrame(columns=FACT_COLUMNS))
    has_unassigned = bool((fact_table["staff_id"] == unassigned_id).any()) or \
        (hours is not None and bool((hours["staff_id"] == unassigned_id).any()))
    tree = org_tree(org, unassigned_id=unassigned_id, with_unassigned=has_unassigned)

    # appraisal coverage: every org member counts once per period
    if appraisals is not None and any(s["source"] == "appraisals" for s in specs.values()):
        members = tree.staff.index[tree.staff.index != unassigned_id]
        grid = pd.MultiIndex.from_product([members, [p.label for p in computed]],
                                          names=["staff_id", "period"]).to_frame(index=False)
        done = appraisal.dropna(subset=["appraisal"])[["staff_id", "period"]].assign(numerator=1.0)
        grid = grid.merge(done, on=["staff_id", "period"], how="left")
        grid["numerator"] = grid["numerator"].fillna(0.0)
        grid["denominator"] = 1.0
        grid["source"], grid["measure"] = "appraisals", "coverage"
        fact_table = pd.concat([fact_table, grid[FACT_COLUMNS]], ignore_index=True)

    rolled = _roll(fact_table, tree)
    long = _kpi_rows(rolled, hours, tree, specs, policy, computed, lang)
    scorecard = _scorecard(long, appraisal, tree, policy, computed)
    labels = [p.label for p in wanted]
    long = long[long["period"].isin(labels)].reset_index(drop=True)
    scorecard = scorecard[scorecard["period"].isin(labels)].reset_index(drop=True)
    wide, wide_met = _wide(long, scorecard, specs, lang)
    unassigned = (pd.concat(unassigned_rows, ignore_index=True) if unassigned_rows
                  else pd.DataFrame(columns=["source", "staff_id", "rows"]))
    return KpiResult(long=long, scorecard=scorecard, wide=wide, wide_met=wide_met,
                     unassigned=unassigned, unused_measures=unused_measures, periods=wanted)


def _roll(fact_table: pd.DataFrame, tree: OrgTree) -> pd.DataFrame:
    """Σ of each staff member's facts over every entity they belong to."""
    keys = ["staff_id", "period", "source", "measure"]
    own = fact_table.groupby(keys, as_index=False)[["numerator", "denominator"]].sum(min_count=1)
    joined = own.merge(tree.membership, on="staff_id", how="inner")
    return joined.groupby(["entity_id", "period", "source", "measure"], as_index=False)[
        ["numerator", "denominator"]].sum(min_count=1)


def _kpi_rows(rolled, hours, tree: OrgTree, specs, policy, computed, lang) -> pd.DataFrame:
    """One row per entity, period and KPI of the entity's role, with the
    rolled-up numerator and denominator (a few merges, whatever the KPIs)."""
    staff = tree.staff
    unassigned_id = policy["unassigned_id"]
    table = pd.DataFrame([{"kpi": k, "source": s["source"], "measure": s["measure"],
                           "scope": s["scope"], "unit": s["unit"],
                           "kpi_label": s["label"] if lang == "zh" else s["label_en"],
                           "default_target": float(s["target"]), "direction": s["direction"],
                           "weight": float(s["weight"]), "min_sample": float(s["min_sample"])}
                          for k, s in specs.items()])
    kpi_roles = pd.DataFrame([(k, r) for k, s in specs.items() for r in s["roles"]],
                             columns=["kpi", "role"])
    periods = pd.DataFrame({"period": [p.label for p in computed]})
    entities = staff[["entity_id", "role"]].reset_index(drop=True)
    grid = entities.merge(kpi_roles, on="role").merge(periods, how="cross")

    # ratio KPIs: rolled sums by (source, measure); department-scope KPIs
    # take the top's figures for every entity that carries them
    ratio_kpis = table[~((table["source"] == "complaints")
                         & (table["measure"] == "hours_to_close"))]
    values = rolled.merge(ratio_kpis[["kpi", "source", "measure", "scope"]],
                          on=["source", "measure"])
    own = values[values["scope"] == "own"]
    top = values[(values["scope"] == "department") & (values["entity_id"] == tree.root)]
    department = grid[grid["kpi"].isin(set(top["kpi"]))][["entity_id", "kpi", "period"]].merge(
        top.drop(columns="entity_id"), on=["kpi", "period"])
    values = pd.concat([own, department], ignore_index=True)
    money = pd.Series([(s, m) in MONEY_MEASURES for s, m in zip(values["source"],
                                                                values["measure"])],
                      index=values.index, dtype=bool)
    values.loc[money, ["numerator", "denominator"]] = \
        values.loc[money, ["numerator", "denominator"]] / 100
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = values["numerator"] / values["denominator"]
    values["value"] = ratio.where(values["denominator"] != 0)
    values = values[["entity_id", "period", "kpi", "numerator", "denominator", "value"]]

    median_kpis = table.loc[table["source"].eq("complaints")
                            & table["measure"].eq("hours_to_close"), "kpi"]
    if len(median_kpis):
        medians = _median_hours(hours, tree).merge(pd.DataFrame({"kpi": median_kpis}),
                                                   how="cross")
        values = pd.concat([values, medians], ignore_index=True)

    # the unassigned entity has a row for each KPI it holds records for
    if unassigned_id in staff.index:
        extra = values.loc[values["entity_id"] == unassigned_id, ["entity_id", "kpi", "period"]]
        grid = pd.concat([grid[["entity_id", "kpi", "period"]], extra], ignore_index=True)
    rows = grid[["entity_id", "kpi", "period"]].merge(values, on=["entity_id", "kpi", "period"],
                                                      how="left")
    rows = rows.merge(table.drop(columns=["source", "measure", "scope"]), on="kpi", how="left")
    rows["role"] = rows["entity_id"].map(staff["role"])
    role_target = pd.Series([specs[k]["role_targets"].get(r) if isinstance(r, str) else None
                             for k, r in zip(rows["kpi"], rows["role"])],
                            index=rows.index, dtype="float64")
    rows["target"] = role_target.fillna(rows["default_target"])
    # days and hours shown as aging-report shows its DSO: one decimal
    timed = rows["unit"].isin(["days", "hours"])
    rows.loc[timed, "value"] = rows.loc[timed, "value"].round(1)
    return _judge(rows, tree, policy, specs)


def _median_hours(hours: pd.DataFrame | None, tree: OrgTree) -> pd.DataFrame:
    columns = ["entity_id", "period", "numerator", "denominator", "value"]
    if hours is None or not len(hours):
        return pd.DataFrame(columns=columns).astype({"numerator": float, "denominator": float,
                                                     "value": float})
    # a median does not add up: it is taken over the raw closing times of
    # everyone below the entity; numerator is left empty, denominator = count
    joined = hours.merge(tree.membership, on="staff_id", how="inner")
    grouped = joined.groupby(["entity_id", "period"])["hours"]
    out = pd.DataFrame({"value": grouped.median(), "denominator": grouped.count().astype(float)})
    out = out.reset_index()
    out["numerator"] = np.nan
    out["value"] = out["value"].round(2)
    return out[columns]


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
    long["_level_order"] = long["level"].map(LEVEL_ORDER)
    long["_kpi_order"] = long["kpi"].map({k: i for i, k in enumerate(specs)})
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
    card["_level_order"] = card["level"].map(LEVEL_ORDER)
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
    order = [k for k in specs if k in set(long["kpi"])]
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
