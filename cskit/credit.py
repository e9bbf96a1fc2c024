"""Customer credit scorecard: points, level, grade, limit and approver.

Seed 004 § 客户信用管理办法: 第七条 评估办法 (the points of each item and the
grade table), 第八条 评估管理 (downgrades, customers without legal
qualification), 第十条 客户授信的审批程序 (who approves a limit). The numbers
live in the ``credit`` policy (``cskit/policies/credit.toml``); SPEC §2
fills the seed's blank amount tiers.

Everything here is vectorised over the customers (numpy ``searchsorted`` for
tiers, masks for rules): a million customers score in a few seconds. The
human-readable ``reasons`` text is built per rule as small code arrays that
are turned into text once per distinct combination.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd

from cskit.errors import DataError, Problem
from cskit.i18n import Join, Text
from cskit.money import to_cents, to_yuan

LEGAL = ("business_license", "tax_registration", "special_permit", "general_taxpayer",
         "trademark_license", "contract_orders", "processing_certificate")
OTHER = ("iso9000", "iso14000", "bank_credit_rating", "tax_credit_rating")
AMOUNTS = (("sales", "annual_sales"), ("profit", "annual_profit"),
           ("payments", "annual_payments"))
SUBJECTIVE = ("cooperation", "sales_status", "operating_status", "years_established",
              "wage_level")
BAD_RECORDS = ("late_after_promise", "breach_of_settlement", "reconciliation")
SCORING = (LEGAL + OTHER + tuple(c for _, c in AMOUNTS) + SUBJECTIVE + BAD_RECORDS
           + ("salesperson_advance",))
# input columns that the score replaces; everything else is passed through
CONSUMED = SCORING + ("customer_id", "customer_name", "business_type", "months_active")

OUTPUT = ("customer_id", "customer_name", "business_type", "months_active", "annualisation",
          "legal_points", "other_points", "sales_points", "profit_points", "payment_points",
          "subjective_points", "bad_record_points", "score", "level", "adjustments",
          "final_level", "grade", "grade_label", "credit_limit", "approver", "status",
          "reasons", "next_level_points", "policy_id")
PREVIOUS = ("previous_grade", "previous_limit", "change")
EXPOSURE = ("outstanding", "available_credit", "hold")

STATUSES = ("rated", "unrated_new", "cash_only")
CHANGES = ("upgraded", "downgraded", "unchanged", "new", "dropped")
# grade_label of customers that get no grade (第八条(1) 纳入现款现货管理; 注a 不参与评级)
UNRATED_LABELS = {"cash_only": "现款现货", "unrated_new": "未评级"}

# the seed's numbers for the answers of the category columns (cskit.schema
# maps the Chinese labels to them); the policy gives each label its points
ANSWERS = {
    "cooperation": {0: "不配合", 1: "配合", 2: "非常配合"},
    "sales_status": {0: "较差", 1: "普通", 2: "良好", 5: "非常好"},
    "operating_status": {0: "半停产", 1: "一般", 2: "满负荷"},
    "wage_level": {0: "比较低", 1: "普通", 2: "比较高", 3: "非常高"},
    "reconciliation": {0: "正常", -1: "被迫对账", -3: "拒绝对账"},
}

NAMES = {  # item → (English, Chinese) for reasons and messages
    "business_license": ("business licence", "营业执照"),
    "tax_registration": ("tax registration", "税务登记证"),
    "special_permit": ("special industry permit", "特殊行业许可证"),
    "general_taxpayer": ("general taxpayer certificate", "一般纳税人资格证"),
    "trademark_license": ("trademark licence", "商标许可证"),
    "contract_orders": ("contract orders", "合同订单"),
    "processing_certificate": ("processing certificate", "委托加工证明"),
    "iso9000": ("ISO 9000", "ISO9000认证"),
    "iso14000": ("ISO 14000", "ISO14000认证"),
    "bank_credit_rating": ("bank credit rating", "银行信用级别"),
    "tax_credit_rating": ("tax credit rating", "纳税信用级别"),
    "annual_sales": ("annual sales", "年交易额"),
    "annual_profit": ("annual profit", "年赢利额"),
    "annual_payments": ("annual payments", "年回款额"),
    "cooperation": ("cooperation", "合作态度"),
    "sales_status": ("product sales", "产品销售状况"),
    "operating_status": ("operating status", "经营状态"),
    "years_established": ("years established", "设立年限"),
    "wage_level": ("wage level", "员工工资水平"),
    "late_after_promise": ("paid late after promising", "承诺后未按期付款"),
    "breach_of_settlement": ("did not settle as contracted", "未按合同约定结算"),
    "reconciliation": ("reconciliation", "对账情况"),
    "salesperson_advance": ("salesperson advance", "业务员垫支"),
}


# --- policy ------------------------------------------------------------------
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
    return problems


# --- scoring -----------------------------------------------------------------
def score_customers(customers: pd.DataFrame, policy: dict, as_of, lang: str = "en",
                    source: str = "customers") -> pd.DataFrame:
    """Score every customer: one output row per input row, same index.

    ``customers`` has canonical columns (cskit.schema.CREDIT_CUSTOMERS); a
    scoring column that is absent scores 0 for everyone and is named in each
    row's reasons. Columns the scorecard does not use are passed through
    after the score columns. ``lang`` ("en" or "zh") is the language of the
    ``reasons`` text only.
    """
    present = [c for c in SCORING if c in customers.columns]
    if not present:
        raise DataError(Problem(file=source, expected=Text(
            "no scoring column found; expected at least one scoring column: {columns}",
            "文件中没有任何评分列，至少应有以下一列：{names}",
            columns=", ".join(SCORING), names="、".join(NAMES[c][1] for c in SCORING))))
    absent = [c for c in SCORING if c not in customers.columns]
    as_of = pd.Timestamp(as_of).normalize()
    index = customers.index
    n = len(customers)
    zh = lang == "zh"

    def flag(column: str) -> np.ndarray:
        if column not in customers.columns:
            return np.zeros(n, dtype=bool)
        return customers[column].astype("boolean").fillna(False).to_numpy(dtype=bool)

    def number(column: str) -> np.ndarray:
        if column not in customers.columns:
            return np.full(n, np.nan)
        return pd.to_numeric(customers[column], errors="coerce").to_numpy(dtype="float64",
                                                                         na_value=np.nan)

    # --- months active and annualisation (第七条 注 a–c) --------------------
    months = number("months_active")
    if "first_trade_date" in customers.columns:
        months = np.where(np.isnan(months), whole_months(customers["first_trade_date"], as_of),
                          months)
    months = np.where(months < 0, 0, months)  # first trade after as-of: not trading yet
    new = policy["new_customers"]
    known = ~np.isnan(months)
    unrated_new = known & (months < new["unrated_below_months"])
    annualised = known & ~unrated_new & (months < new["full_year_months"])
    factor = np.where(annualised, 12 / np.where(annualised, months, 1), 1.0)
    factor_shown = np.where(unrated_new, np.nan, np.round(factor, 4))

    # --- legal and other qualifications (第七条(3)①②) ---------------------
    def documents(columns, points):
        """Points for the documents held, and a bit per scoring one missing."""
        total = np.zeros(n)
        missing = np.zeros(n, dtype=np.int64)
        for bit, column in enumerate(columns):
            held = flag(column)
            total += held * points[column]
            missing |= (~held & (points[column] > 0)).astype(np.int64) << bit
        return total, missing

    legal_points, legal_missing = documents(LEGAL, policy["legal"])
    other_points, other_missing = documents(OTHER, policy["other"])
    cash_only = legal_points == 0  # 第八条(1) 无任何法律资质的客户不予评级
    unrated_new &= ~cash_only
    rated = ~cash_only & ~unrated_new

    # --- amounts (第七条(3)③④⑤), in cents, annualised before tiering --------
    amount_points, amount_codes = {}, {}
    for name, column in AMOUNTS:
        cents = number(column)
        cents = np.where(np.isnan(cents), np.nan,
                         to_cents(np.nan_to_num(cents)).astype("float64"))
        # multiply before dividing so that an exact annual amount stays exact
        cents = np.where(annualised, cents * 12 / np.where(annualised, months, 1), cents)
        table = policy["tiers"][name]
        points, code = tier_points(cents, [f * 100 for f in table["floors"]],
                                   table["points"], table["below"])
        if "not_positive" in table:  # 赢利贡献 最低为0分
            loss = ~np.isnan(cents) & (cents <= 0)
            points = np.where(loss, table["not_positive"], points)
            code = np.where(loss, len(table["floors"]) + 2, code)
        amount_points[name], amount_codes[name] = points, code

    # --- subjective (第七条(3)⑥) ---------------------------------------------
    subjective_points = np.zeros(n)
    subjective_code = np.zeros(n, dtype=np.int64)
    for column in SUBJECTIVE:
        if column == "years_established":
            years = np.floor(number(column))  # completed years
            table = policy["subjective"]["years_established"]
            points, code = tier_points(years, table["floors"], table["points"], table["below"])
            radix = len(table["floors"]) + 2
        else:
            points, code, radix = answer_points(number(column), ANSWERS[column],
                                                policy["subjective"][column])
        subjective_points += points
        subjective_code = subjective_code * radix + code

    # --- bad records (第七条(3)⑦) --------------------------------------------
    bad = policy["bad_records"]
    late, breach = flag("late_after_promise"), flag("breach_of_settlement")
    late_pair = np.maximum(late * bad["late_after_promise"] + breach * bad["breach_of_settlement"],
                           bad["late_payment_cap"])
    recon_points, recon_code, _ = answer_points(number("reconciliation"),
                                                ANSWERS["reconciliation"],
                                                bad["reconciliation"], blank_points=0)
    bad_points = late_pair + recon_points
    bad_code = late * 1 + breach * 2 + recon_code * 4

    score = (legal_points + other_points + amount_points["sales"] + amount_points["profit"]
             + amount_points["payments"] + subjective_points + bad_points)
    score = np.round(np.clip(score, 0, None), 2)

    # --- level, downgrades, grade, limit (第七条(4), 第八条) -------------------
    floors = policy["levels"]["floors"]
    lowest = len(floors) + 1
    level = level_for_score(score, floors)
    down = policy["downgrades"]
    subjective_down = subjective_points < down["subjective_below"]
    advance = flag("salesperson_advance")
    final_level = np.minimum(level + subjective_down * down["subjective_levels"]
                             + advance * down["salesperson_advance_levels"], lowest)
    table_used, table_code = grade_tables(customers, policy["grades"]["stricter"])
    grades = policy["grades"]
    grade_a = np.asarray(grades["A"])[final_level - 1]
    grade_b = np.asarray(grades["B"])[final_level - 1]
    grade = np.where(table_used == "A", grade_a, grade_b)
    labels = np.asarray(grades["labels"], dtype=object)
    # grade_label code: 0..k-1 the grade's label, k cash only, k + 1 not rated yet
    label_code = np.where(cash_only, len(labels), np.where(unrated_new, len(labels) + 1,
                                                            grade - 1))
    label_text = list(labels) + [UNRATED_LABELS["cash_only"], UNRATED_LABELS["unrated_new"]]
    limits = np.asarray(policy["levels"]["credit_limits"], dtype="float64")
    credit_limit = np.where(rated, limits[final_level - 1], 0.0)
    approval = policy["approval"]
    # 第十条(5)(6): 0 sales VP (cash only, exceptions), 1 finance VP, 2 general manager
    approver_code = np.where(~rated | (final_level == lowest), 0,
                             np.where(credit_limit <= approval["finance_vp_max"], 1, 2))
    approver_text = ["sales_vp", "finance_vp", "general_manager"]
    upper = np.asarray([np.inf] + list(floors), dtype="float64")
    next_level_points = np.where(level == 1, 0.0, upper[level - 1] - score)

    subjective_rule = subjective_down & rated & (down["subjective_levels"] > 0)
    advance_rule = advance & rated & (down["salesperson_advance_levels"] > 0)
    adjustment_tokens = (f"subjective_below_{_number(down['subjective_below'])}",
                         "salesperson_advance")
    status_code = np.where(cash_only, 2, np.where(unrated_new, 1, 0))

    # --- reasons: one clause per rule applied or point lost --------------------
    month_code = np.where(cash_only, 1,
                          np.where(unrated_new, 100 + np.nan_to_num(months).astype(np.int64),
                                   np.where(annualised,
                                            200 + np.nan_to_num(months).astype(np.int64),
                                            np.where(known, 0, 2))))
    separator = "；" if zh else "; "
    absent_names = ("、" if zh else ", ").join(NAMES[c][1 if zh else 0] for c in absent)
    absent_clause = ((f"文件中无以下评分项,均计0分:{absent_names}" if zh
                      else f"not in the file, scored 0: {absent_names}") if absent else "")
    sections = [
        (np.zeros(n, dtype=np.int64), lambda c: absent_clause),
        (month_code, lambda c: _months_clause(c, policy, zh)),
        (np.where(cash_only, 0, legal_missing),
         lambda c: _missing_clause(c, LEGAL, policy["legal"], "legal", zh)),
        (other_missing, lambda c: _missing_clause(c, OTHER, policy["other"], "other", zh)),
    ]
    for name, column in AMOUNTS:
        sections.append((amount_codes[name],
                         lambda c, name=name, column=column:
                         _amount_clause(c, column, policy["tiers"][name], zh)))
    sections += [
        (subjective_code, lambda c: _subjective_clause(c, policy, zh)),
        (bad_code, lambda c: _bad_record_clause(c, policy, zh)),
        (np.where(rated, subjective_down * 1 + advance * 2, 0),
         lambda c: _downgrade_clause(c, policy, zh)),
        (np.where(rated, table_code, 0), lambda c: _table_clause(c, policy, zh)),
        (np.where(rated & (final_level == lowest), 1, np.where(unrated_new, 2, 0)),
         lambda c: _approval_clause(c, policy, zh)),
    ]

    def int_column(values, mask) -> pd.Series:
        return pd.Series(pd.array(np.where(mask, values, 0), dtype="Int64"),
                         index=index).mask(~mask)

    def text(codes, build) -> pd.Series:
        return text_series(join_clauses([(codes, build)], separator), index)

    out = pd.DataFrame({
        "customer_id": customers["customer_id"],
        "customer_name": customers["customer_name"] if "customer_name" in customers.columns
        else pd.Series(np.nan, index=index, dtype="str"),
        "business_type": customers["business_type"] if "business_type" in customers.columns
        else pd.Series(np.nan, index=index, dtype="str"),
        "months_active": int_column(np.nan_to_num(months).astype(np.int64), known),
        "annualisation": factor_shown,
        "legal_points": legal_points,
        "other_points": other_points,
        "sales_points": amount_points["sales"],
        "profit_points": amount_points["profit"],
        "payment_points": amount_points["payments"],
        "subjective_points": subjective_points,
        "bad_record_points": bad_points,
        "score": score,
        "level": int_column(level, rated),
        "adjustments": text(subjective_rule * 1 + advance_rule * 2,
                            lambda c: ";".join(t for bit, t in enumerate(adjustment_tokens)
                                               if c >> bit & 1)),
        "final_level": int_column(final_level, rated),
        "grade": int_column(grade, rated),
        "grade_label": text(label_code, lambda c: label_text[c]),
        "credit_limit": credit_limit,
        "approver": text(approver_code, lambda c: approver_text[c]),
        "status": text(status_code, lambda c: STATUSES[c]),
        "reasons": text_series(join_clauses(sections, separator), index),
        "next_level_points": np.where(rated, np.round(next_level_points, 2), np.nan),
        "policy_id": policy.get("policy_id", ""),
    }, index=index)
    passthrough = [c for c in customers.columns if c not in CONSUMED]
    for column in passthrough:
        out[column] = customers[column]
    return out


def absent_columns(customers: pd.DataFrame) -> list[str]:
    """Scoring columns that the customer file does not have."""
    return [c for c in SCORING if c not in customers.columns]


def whole_months(dates: pd.Series, as_of: pd.Timestamp) -> np.ndarray:
    """Completed months from each date to as_of (NaN for blank dates).

    2026-08-15 → 2026-10-31 is 2; 2026-07-31 → 2026-09-30 is 2 as well
    (as_of is the last day of its month, so the month is complete).
    """
    dates = pd.to_datetime(dates)
    months = ((as_of.year - dates.dt.year) * 12 + (as_of.month - dates.dt.month)).to_numpy(
        dtype="float64", na_value=np.nan)
    month_end = as_of.is_month_end
    short = (dates.dt.day > as_of.day).to_numpy(dtype=bool, na_value=False) & (not month_end)
    return months - short


def tier_points(values: np.ndarray, floors, points, below) -> tuple[np.ndarray, np.ndarray]:
    """Points of the first tier (top first) whose floor a value reaches.

    Returns (points, code): code 0 = blank (NaN, 0 points), i + 1 = tier i
    (0 = top), len(floors) + 1 = below the lowest floor.
    """
    values = np.asarray(values, dtype="float64")
    ascending = np.asarray(floors[::-1], dtype="float64")
    points_ascending = np.asarray(points[::-1], dtype="float64")
    reached = np.searchsorted(ascending, np.nan_to_num(values, nan=-np.inf), side="right")
    blank = np.isnan(values)
    out = np.where(reached > 0, points_ascending[np.maximum(reached - 1, 0)], float(below))
    code = np.where(reached > 0, len(floors) - reached + 1, len(floors) + 1)
    return np.where(blank, 0.0, out), np.where(blank, 0, code)


def answer_points(values: np.ndarray, answers: dict, points: dict,
                  blank_points: float = 0) -> tuple[np.ndarray, np.ndarray, int]:
    """Points of a category answer given as the seed's number.

    Returns (points, code, radix): code 0 = blank or unknown, i + 1 = the
    i-th answer of ``answers``.
    """
    out = np.full(len(values), float(blank_points))
    code = np.zeros(len(values), dtype=np.int64)
    for i, (number, label) in enumerate(answers.items()):
        hit = values == number
        out = np.where(hit, points[label], out)
        code = np.where(hit, i + 1, code)
    return out, code, len(answers) + 1


def level_for_score(score, floors) -> np.ndarray:
    """Level 1 (best) .. len(floors) + 1 by score bands (第七条(4)): a score
    equal to a floor is in that floor's level."""
    ascending = np.asarray(floors[::-1], dtype="float64")
    reached = np.searchsorted(ascending, np.asarray(score, dtype="float64"), side="right")
    return (len(floors) + 1 - reached).astype(np.int64)


def grade_tables(customers: pd.DataFrame, stricter: str) -> tuple[np.ndarray, np.ndarray]:
    """Which grade table (A or B) each customer is graded on (第八条(4)).

    Code: 0 A or B as given, 1 mixed → primary business, 2 mixed without a
    primary business → the stricter table, 3 no business type → stricter.
    """
    n = len(customers)

    def is_value(column: str, value: str) -> np.ndarray:
        if column not in customers.columns:
            return np.zeros(n, dtype=bool)
        return customers[column].eq(value).to_numpy(dtype=bool, na_value=False)

    given_a, given_b = is_value("business_type", "A"), is_value("business_type", "B")
    mixed = is_value("business_type", "mixed")
    primary_a, primary_b = is_value("primary_business", "A"), is_value("primary_business", "B")
    use_a = given_a | (mixed & primary_a) | (~given_b & ~(mixed & primary_b) & ~given_a
                                            & ~(mixed & primary_a) & (stricter == "A"))
    table = np.where(use_a, "A", "B")
    code = np.where(given_a | given_b, 0,
                    np.where(mixed, np.where(primary_a | primary_b, 1, 2), 3))
    return table, code


# --- reasons -------------------------------------------------------------------
def join_clauses(sections: list[tuple[np.ndarray, Callable[[int], str]]], separator: str):
    """Join each row's clauses, one per section, skipping empty ones.

    Each section is (code per row, code → clause): the clause of each
    distinct code is written once, then spread over the rows and joined
    column-wise in Arrow. Returns a pyarrow string array (null when a row
    has no clause at all).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(sections[0][0]) if sections else 0
    columns, single = [], len(sections) == 1
    for codes, build in sections:
        codes = np.asarray(codes, dtype=np.int64)
        if n == 0:
            continue
        low = int(codes.min())  # codes are small integers: count instead of sorting
        distinct = np.flatnonzero(np.bincount(codes - low)) + low
        clauses = [build(int(c)) for c in distinct]
        if not any(clauses):
            continue
        where = np.zeros(int(distinct[-1]) - low + 1, dtype=np.int64)
        where[distinct - low] = np.arange(len(distinct))
        if single:
            texts = [c or None for c in clauses]
        else:
            # each clause carries its separator and the last one is cut off
            # after joining (Arrow's null-skipping join loses rows without any)
            texts = [c + separator if c else "" for c in clauses]
        columns.append(pa.array(texts, type=pa.string()).take(pa.array(where[codes - low])))
    if not columns:
        return pa.nulls(n, type=pa.string())
    if single:
        return columns[0]
    joined = columns[0] if len(columns) == 1 else pc.binary_join_element_wise(*columns, "")
    if separator:
        joined = pc.utf8_slice_codeunits(joined, 0, -len(separator))
    if pc.min(pc.binary_length(joined)).as_py() == 0:
        joined = pc.if_else(pc.equal(joined, ""), pa.scalar(None, pa.string()), joined)
    return joined


def text_series(values, index) -> pd.Series:
    """A pyarrow string array as a pandas ``str`` column (null → NaN)."""
    return pd.Series(pd.array(values, dtype="str"), index=index)


def _number(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _amount(yuan: float, zh: bool) -> str:
    if zh:
        return f"{yuan / 10000:g}万元"
    return f"{yuan:,.0f}" if float(yuan).is_integer() else f"{yuan:,.2f}"


def _months_clause(code: int, policy: dict, zh: bool) -> str:
    new = policy["new_customers"]
    exception = _amount(policy["approval"]["exception_max"], zh)
    if code == 1:
        return ("无任何法律资质:不予评级,现款现货,例外赊欠由销售副总审批,总额不超过" + exception
                if zh else "no legal qualification: not rated, cash on delivery "
                f"(exceptions up to {exception} by the sales VP)")
    if code == 2:
        return "合作月数不详:按全年计算" if zh else "months active unknown: taken as a full year"
    if 100 <= code < 200:
        m = code - 100
        return (f"合作{m}个月,不足{new['unrated_below_months']}个月:不参与评级" if zh
                else f"trading {m} months, under {new['unrated_below_months']}: not rated")
    if code >= 200:
        m = code - 200
        return (f"新客户合作{m}个月:金额按12/{m}折算为全年" if zh
                else f"new customer, {m} months: amounts annualised × 12/{m}")
    return ""


def _missing_clause(mask: int, columns: tuple, points: dict, group: str, zh: bool) -> str:
    if mask == 0:
        return ""
    missing = [c for bit, c in enumerate(columns) if mask >> bit & 1]
    held = sum(points.values()) - sum(points[c] for c in missing)
    total = sum(points.values())
    if zh:
        title = "法律资质" if group == "legal" else "其他资质"
        items = "、".join(f"{NAMES[c][1]}(-{_number(points[c])})" for c in missing)
        return f"{title}{_number(held)}/{_number(total)}分,缺{items}"
    items = ", ".join(f"{NAMES[c][0]} (-{_number(points[c])})" for c in missing)
    return f"{group} qualifications {_number(held)}/{_number(total)}: no {items}"


def _amount_clause(code: int, column: str, table: dict, zh: bool) -> str:
    floors, points = table["floors"], table["points"]
    top = max(list(points) + [table["below"]])
    name = NAMES[column][1 if zh else 0]
    if code == 0:
        return f"{name}空白:0/{_number(top)}分" if zh else f"{name} blank: 0/{_number(top)}"
    if code <= len(floors):
        earned = points[code - 1]
        if earned >= top:
            return ""
        floor = _amount(floors[code - 1], zh)
        return (f"{name}≥{floor}:{_number(earned)}/{_number(top)}分" if zh
                else f"{name} ≥ {floor}: {_number(earned)}/{_number(top)}")
    if code == len(floors) + 1:
        lowest = _amount(floors[-1], zh) if floors else "0"
        if column == "annual_profit":
            return (f"{name}低于{lowest}:{_number(table['below'])}/{_number(top)}分" if zh
                    else f"{name} above 0 but below {lowest}: "
                    f"{_number(table['below'])}/{_number(top)}")
        return (f"{name}低于{lowest}:{_number(table['below'])}/{_number(top)}分" if zh
                else f"{name} below {lowest}: {_number(table['below'])}/{_number(top)}")
    earned = table.get("not_positive", 0)
    return (f"{name}≤0:{_number(earned)}/{_number(top)}分" if zh
            else f"{name} zero or a loss: {_number(earned)}/{_number(top)}")


def _subjective_items(policy: dict) -> list[tuple[str, list, int]]:
    """(column, list of code → (label, points), radix) in the order of the code."""
    items = []
    for column in SUBJECTIVE:
        if column == "years_established":
            table = policy["subjective"]["years_established"]
            floors = table["floors"]
            values = [(None, 0.0)]
            for i, (floor, points) in enumerate(zip(floors, table["points"])):
                top = floors[i - 1] - 1 if i else None  # whole years: 3–5, 1–2
                shown = (f"≥{_number(floor)}" if top is None else _number(floor)
                         if top <= floor else f"{_number(floor)}–{_number(top)}")
                values.append((shown, points))
            values += [(f"<{_number(floors[-1])}" if floors else "", table["below"])]
        else:
            answers = policy["subjective"][column]
            values = [(None, 0.0)] + [(label, answers[label])
                                      for label in ANSWERS[column].values()]
        items.append((column, values, len(values)))
    return items


def _subjective_clause(code: int, policy: dict, zh: bool) -> str:
    items = _subjective_items(policy)
    parts, total = [], 0.0
    for column, values, radix in reversed(items):
        code, own = divmod(code, radix)
        label, earned = values[own]
        top = max(p for _, p in values[1:]) if len(values) > 1 else 0
        total += earned
        if earned < top:
            name = NAMES[column][1 if zh else 0]
            if label is None:
                shown = "空白" if zh else "blank"
            elif column == "years_established":
                shown = f"{label}年" if zh else f"{label} years"
            else:
                shown = label
            parts.append(f"{name}{shown} {_number(earned)}/{_number(top)}" if zh
                         else f"{name} {shown} {_number(earned)}/{_number(top)}")
    if not parts:
        return ""
    top_total = sum(max(p for _, p in values[1:]) for _, values, _ in items)
    parts.reverse()
    if zh:
        return f"主观评价{_number(total)}/{_number(top_total)}分({','.join(parts)})"
    return f"subjective {_number(total)}/{_number(top_total)} ({', '.join(parts)})"


def _bad_record_clause(code: int, policy: dict, zh: bool) -> str:
    bad = policy["bad_records"]
    late, breach, recon = code & 1, code >> 1 & 1, code >> 2
    parts = []
    if late or breach:
        raw = late * bad["late_after_promise"] + breach * bad["breach_of_settlement"]
        pair = max(raw, bad["late_payment_cap"])
        names = [NAMES[c][1 if zh else 0] for c, on in
                 (("late_after_promise", late), ("breach_of_settlement", breach)) if on]
        capped = raw < pair
        if zh:
            text = "、".join(names) + f" {_number(pair)}"
            parts.append(text + (f"(拖延回款合计最多扣{_number(-pair)}分)" if capped else ""))
        else:
            text = " and ".join(names) + f" {_number(pair)}"
            parts.append(text + (f" (late-payment pair capped at {_number(pair)})"
                                 if capped else ""))
    if recon:
        label = list(ANSWERS["reconciliation"].values())[recon - 1]
        points = bad["reconciliation"][label]
        if points:
            parts.append(f"对账情况{label} {_number(points)}" if zh
                         else f"reconciliation {label} {_number(points)}")
    if not parts:
        return ""
    return ("不良记录:" + ",".join(parts)) if zh else "bad records: " + ", ".join(parts)


def _downgrade_clause(code: int, policy: dict, zh: bool) -> str:
    down = policy["downgrades"]
    parts = []
    if code & 1 and down["subjective_levels"]:
        n = down["subjective_levels"]
        parts.append(f"主观评价低于{_number(down['subjective_below'])}分:下调{n}个级别" if zh
                     else f"subjective below {_number(down['subjective_below'])}: "
                     f"down {n} level{'s' if n != 1 else ''}")
    if code & 2 and down["salesperson_advance_levels"]:
        n = down["salesperson_advance_levels"]
        parts.append(f"业务员代客户垫支:下调{n}个级别" if zh
                     else f"salesperson advanced money: down {n} level{'s' if n != 1 else ''}")
    return ("；" if zh else "; ").join(parts)


def _table_clause(code: int, policy: dict, zh: bool) -> str:
    stricter = policy["grades"]["stricter"]
    if code == 1:
        return "混合业务:按主营业务的等级表评定" if zh else \
            "mixed business: graded on its primary business's table"
    if code == 2:
        return (f"混合业务未注明主营业务:按较严的{stricter}业务等级表评定" if zh
                else f"mixed business without a primary business: graded on the stricter "
                f"{stricter} table")
    if code == 3:
        return (f"业务类型空白:按较严的{stricter}业务等级表评定" if zh
                else f"no business type: graded on the stricter {stricter} table")
    return ""


def _approval_clause(code: int, policy: dict, zh: bool) -> str:
    exception = _amount(policy["approval"]["exception_max"], zh)
    if code == 1:
        return (f"最低级别:现款现货,例外赊欠由销售副总控制,总额不超过{exception}" if zh
                else f"lowest level: cash on delivery, exceptions up to {exception} "
                "by the sales VP")
    if code == 2:
        return (f"未评级:现款现货,例外赊欠由销售副总控制,总额不超过{exception}" if zh
                else f"not rated: cash on delivery, exceptions up to {exception} "
                "by the sales VP")
    return ""


# --- previous quarter and exposure ------------------------------------------------
def compare_previous(scored: pd.DataFrame, previous: pd.DataFrame, policy: dict,
                     lang: str = "en") -> pd.DataFrame:
    """Add previous_grade, previous_limit and change; customers of ``previous``
    that are no longer scored come back as rows with change = dropped.

    A change compares the grade (unrated counts below the lowest grade) and,
    for the same grade, the credit limit.
    """
    zh = lang == "zh"
    prev = previous.drop_duplicates("customer_id", keep="last").reset_index(drop=True)
    out = scored.reset_index(drop=True)
    position = positions(out["customer_id"], prev["customer_id"])
    found = position >= 0
    take = np.where(found, position, 0)
    was_grade = prev["grade"].astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
    was_limit = prev["credit_limit"].astype("float64").to_numpy()
    out["previous_grade"] = pd.array(np.where(found, was_grade[take] if len(prev) else np.nan,
                                              np.nan), dtype="Int64")
    out["previous_limit"] = np.where(found, was_limit[take] if len(prev) else np.nan, np.nan)
    worst = len(policy["grades"]["labels"]) + 1
    now_rank = out["grade"].astype("Float64").fillna(worst).to_numpy(dtype="float64")
    was_rank = out["previous_grade"].astype("Float64").fillna(worst).to_numpy(dtype="float64")
    now_cents = to_cents(out["credit_limit"].to_numpy(dtype="float64"))
    was_cents = to_cents(out["previous_limit"].to_numpy(dtype="float64"))
    better = (now_rank < was_rank) | ((now_rank == was_rank) & (now_cents > was_cents))
    worse = (now_rank > was_rank) | ((now_rank == was_rank) & (now_cents < was_cents))
    change = np.where(~found, 3, np.where(better, 0, np.where(worse, 1, 2)))
    out["change"] = text_series(join_clauses([(change, lambda c: CHANGES[c])], ""), out.index)

    gone = prev[positions(prev["customer_id"], out["customer_id"]) < 0]
    if len(gone):
        dropped = pd.DataFrame({
            "customer_id": gone["customer_id"].astype("str"),
            "customer_name": (gone["customer_name"].astype("str")
                              if "customer_name" in gone.columns else np.nan),
            "credit_limit": 0.0,
            "reasons": ("本期客户名单中已无此客户,不再授信" if zh
                        else "no longer in the customer file: no credit"),
            "policy_id": policy.get("policy_id", ""),
            "previous_grade": gone["grade"].astype("Int64"),
            "previous_limit": gone["credit_limit"].astype("float64"),
            "change": "dropped",
        })
        dropped["customer_name"] = dropped["customer_name"].astype("str")
        out = pd.concat([out, dropped.reset_index(drop=True)], ignore_index=True)
    return out


def positions(keys: pd.Series, values: pd.Series) -> np.ndarray:
    """Position of each key in ``values`` (-1 when absent), hashed in Arrow."""
    import pyarrow as pa
    import pyarrow.compute as pc

    def arrow(series: pd.Series):
        return pa.array(series.astype("str").to_numpy(dtype=object, na_value=None),
                        type=pa.string()) if series.dtype == object else \
            pa.array(series.astype("str").array, type=pa.string())

    found = pc.index_in(arrow(keys), value_set=arrow(values))
    return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)


def add_exposure(scored: pd.DataFrame, exposure: pd.DataFrame) -> pd.DataFrame:
    """Add outstanding, available_credit (limit − outstanding, negative when
    over) and hold (outstanding above the limit: orders to be held, 第十二条)."""
    owed = exposure.groupby("customer_id", sort=False)["outstanding"].sum()
    owed_cents = to_cents(owed.to_numpy(dtype="float64"))
    out = scored.copy()
    position = positions(out["customer_id"], owed.index.to_series())
    outstanding = np.where(position >= 0, owed_cents[np.maximum(position, 0)]
                           if len(owed) else 0, 0)
    limit = to_cents(out["credit_limit"].to_numpy(dtype="float64"))
    out["outstanding"] = to_yuan(outstanding)
    out["available_credit"] = to_yuan(limit - outstanding)
    out["hold"] = pd.array(outstanding > limit, dtype="boolean")
    return out


def order_columns(result: pd.DataFrame) -> pd.DataFrame:
    """Score columns, then --previous and --exposure columns, then the rest."""
    first = [c for c in OUTPUT + PREVIOUS + EXPOSURE if c in result.columns]
    return result[first + [c for c in result.columns if c not in first]]


def book_summary(result: pd.DataFrame, policy: dict) -> list[Text]:
    """stderr lines: customers per grade and status, changes, total limits."""
    labels = policy["grades"]["labels"]
    current = result[result.get("change", pd.Series("", index=result.index)) != "dropped"]
    counts = current["grade"].value_counts()
    parts = [Text("{label} {count}", "{label} {count} 个", label=label,
                  count=int(counts.get(i + 1, 0)))
             for i, label in enumerate(labels)]
    status_counts = current["status"].value_counts()
    for status in ("unrated_new", "cash_only"):
        if status_counts.get(status, 0):
            parts.append(Text("{status} {count}", "{label} {count} 个", status=status,
                              label=UNRATED_LABELS[status], count=int(status_counts[status])))
    lines = [Text("customers per grade: {parts} ({count} customers)",
                  "各信用等级客户数：{parts}（共 {count} 个客户）",
                  parts=Join((", ", "，"), parts), count=len(current))]
    total = int(to_cents(result["credit_limit"]).sum())
    if "change" in result.columns:
        changes = result["change"].value_counts()
        lines.append(Text("changes: {upgraded} upgraded, {downgraded} downgraded, "
                          "{unchanged} unchanged, {new} new, {dropped} dropped",
                          "与上期相比：升级 {upgraded} 个，降级 {downgraded} 个，不变 {unchanged} 个，"
                          "新增 {new} 个，移出 {dropped} 个",
                          upgraded=int(changes.get("upgraded", 0)),
                          downgraded=int(changes.get("downgraded", 0)),
                          unchanged=int(changes.get("unchanged", 0)),
                          new=int(changes.get("new", 0)), dropped=int(changes.get("dropped", 0))))
        was = int(to_cents(result["previous_limit"]).sum())
        lines.append(Text("total credit limit: {total} (previous {previous}, change {change})",
                          "信用额度合计：{total}（上期 {previous}，变动 {change}）",
                          total=f"{total / 100:,.2f}", previous=f"{was / 100:,.2f}",
                          change=f"{(total - was) / 100:+,.2f}"))
    else:
        lines.append(Text("total credit limit: {total}", "信用额度合计：{total}",
                          total=f"{total / 100:,.2f}"))
    return lines
