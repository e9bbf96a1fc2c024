"""Score every customer: points, level, grade, limit, approver and reasons
(seed 004 第七条, 第八条, 第十条)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from cskit.credit.items import (AMOUNTS, ANSWERS, CONSUMED, LEGAL, NAMES, OTHER, SCORING,
                                STATUSES, SUBJECTIVE, UNRATED_LABELS)
from cskit.credit.levels import grade_tables, level_for_score
from cskit.credit.points import answer_points, tier_points, whole_months, years_floors
from cskit.credit.reasons import (_amount_clause, _approval_clause, _bad_record_clause,
                                  _downgrade_clause, _missing_clause, _months_clause, _number,
                                  _subjective_clause, _subjective_items, _table_clause,
                                  chain_texts, join_clauses, subjective_top, text_series)
from cskit.errors import DataError, Problem
from cskit.i18n import Text
from cskit.money import to_cents

SCORE_ROWS = 250_000  # customers scored at a time (see score_customers)


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
    if len(customers) <= SCORE_ROWS:
        return _score_rows(customers, policy, as_of, lang)
    # a part at a time: the working arrays of a million customers would add
    # half a gigabyte to the peak; the parts' text columns are joined uncopied
    return pd.concat([_score_rows(customers.iloc[start:start + SCORE_ROWS], policy, as_of,
                                  lang)
                      for start in range(0, len(customers), SCORE_ROWS)])


def _score_rows(customers: pd.DataFrame, policy: dict, as_of, lang: str) -> pd.DataFrame:
    """score_customers on some of the customers (row by row, nothing is
    shared between rows but the columns the file has)."""
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
            # years as given, not floored: 5.5 years is 超过5年; 2.5 is 1~2年
            # (not yet 3 years), see README
            table = policy["subjective"]["years_established"]
            points, code = tier_points(number(column), years_floors(table), table["points"],
                                       table["below"])
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
    # 第八条(2) 主观评价低于10分的下调一个级别: an item not in the file is not a
    # low score, so the rule applies only where the score stays below the line
    # even with full marks for the absent items (none absent: as written)
    absent_top = subjective_top(policy, [c for c in SUBJECTIVE if c not in customers.columns])
    subjective_down = subjective_points + absent_top < down["subjective_below"]
    spared = ~subjective_down & (subjective_points < down["subjective_below"])
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
        (subjective_code, lambda c, items=_subjective_items(policy, zh):
         _subjective_clause(c, policy, zh, absent, items)),
        (bad_code, lambda c: _bad_record_clause(c, policy, zh)),
        (np.where(rated, subjective_down * 1 + advance * 2 + spared * 4, 0),
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
        "reasons": np.nan,  # below
        "next_level_points": np.where(rated, np.round(next_level_points, 2), np.nan),
        "policy_id": policy.get("policy_id", ""),
    }, index=index)
    # the reasons end with how the result follows: score → level → grade → limit → approver
    chain_code, chains = chain_texts(out, zh)
    sections.append((chain_code, lambda c: chains[c]))
    out["reasons"] = text_series(join_clauses(sections, separator), index)
    passthrough = [c for c in customers.columns if c not in CONSUMED]
    for column in passthrough:
        out[column] = customers[column]
    return out


def absent_columns(customers: pd.DataFrame) -> list[str]:
    """Scoring columns that the customer file does not have."""
    return [c for c in SCORING if c not in customers.columns]


def input_warnings(customers: pd.DataFrame, policy: dict, source: str) -> list[Text]:
    """Once-per-run warnings about columns whose absence changes the rules
    applied: subjective items (no downgrade because of them, 第八条(2)) and
    the business type (every customer on the stricter table, 第八条(4))."""
    warnings: list[Text] = []
    absent = [c for c in SUBJECTIVE if c not in customers.columns]
    if absent:
        below = _number(policy["downgrades"]["subjective_below"])
        warnings.append(Text(
            "{path}: subjective-evaluation columns not in the file: {columns}. An absent item "
            "is not a low score: no customer is moved down a level for a subjective score "
            "below {below} because of them",
            "{path}：文件中没有以下主观评价列：{names}。缺列不等于低分：不会因缺少这些列而按"
            "“主观评价低于{below}分”下调级别",
            path=source, columns=", ".join(absent), names="、".join(NAMES[c][1] for c in absent),
            below=below))
    if "business_type" not in customers.columns:
        table = policy["grades"]["stricter"]
        warnings.append(Text(
            "{path}: no business_type column (业务类型): every customer is graded on the "
            "stricter {table} table",
            "{path}：文件中没有“业务类型”列：所有客户均按较严的{table}业务等级表评定",
            path=source, table=table))
    return warnings
