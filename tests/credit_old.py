"""score-credit as it was before the 1M-customer speed-up (issue 16), kept
verbatim as the reference of tests/test_credit_fast_path.py: the rows'
reasons were joined from one 1M-row string column per clause, and the chain
score → level → grade → limit → approver appended with pandas string
methods. Not used by cskit."""
from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd

from cskit.credit.items import (AMOUNTS, ANSWERS, CHANGES, CONSUMED, LEGAL, NAMES, OTHER,
                                SCORING, STATUSES, SUBJECTIVE, UNRATED_LABELS)
from cskit.credit.levels import grade_tables, level_for_score
from cskit.credit.points import answer_points, tier_points, whole_months, years_floors
from cskit.credit.reasons import (_amount_clause, _approval_clause, _bad_record_clause,
                                  _downgrade_clause, _limit_text, _missing_clause,
                                  _months_clause, _number, _subjective_clause, _table_clause,
                                  subjective_top, text_series)
from cskit.confirmations import RESULT_ZH
from cskit.errors import DataError, Problem
from cskit.i18n import Text
from cskit.money import to_cents, to_yuan


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
        (subjective_code, lambda c: _subjective_clause(c, policy, zh, absent)),
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
        "reasons": text_series(join_clauses(sections, separator), index),
        "next_level_points": np.where(rated, np.round(next_level_points, 2), np.nan),
        "policy_id": policy.get("policy_id", ""),
    }, index=index)
    # the reasons end with how the result follows: score → level → grade → limit → approver
    out["reasons"] = append_clause(out["reasons"], chain_texts(out, policy, zh), separator)
    passthrough = [c for c in customers.columns if c not in CONSUMED]
    for column in passthrough:
        out[column] = customers[column]
    return out


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


def chain_texts(out: pd.DataFrame, policy: dict, zh: bool) -> pd.Series:
    """Per row the chain score → level → grade → limit → approver, from the
    output columns (built once per distinct combination)."""
    from cskit.labels import APPROVERS_ZH

    columns = ["score", "level", "final_level", "grade_label", "credit_limit", "approver",
               "status"]
    codes = out.groupby(columns, dropna=False, sort=False).ngroup().to_numpy()
    distinct = out[columns].assign(_code=codes).drop_duplicates("_code").set_index("_code")
    texts = []
    for code in range(len(distinct)):
        score, level, final, label, limit, approver, status = distinct.loc[code, columns]
        approver_shown = (APPROVERS_ZH.get(approver, approver) + "审批" if zh
                          else f"approver {approver}")
        limit_shown = _limit_text(float(limit), zh)
        if status == "rated":
            lowered = "" if final == level else (f"下调为{final}" if zh else f", lowered to {final}")
            steps = ([f"总分{_number(float(score))}", f"级别{level}{lowered}", label,
                      f"赊欠限额{limit_shown}", approver_shown] if zh
                     else [f"score {_number(float(score))}", f"level {level}{lowered}",
                           f"grade {label}", f"limit {limit_shown}", approver_shown])
        else:
            not_rated = (("不予评级" if status == "cash_only" else "暂不评级") if zh
                         else ("not rated" if status == "cash_only" else "not rated yet"))
            steps = ([f"总分{_number(float(score))}", not_rated, label,
                      f"赊欠限额{limit_shown}", approver_shown] if zh
                     else [f"score {_number(float(score))}", not_rated, f"grade {label}",
                           f"limit {limit_shown}", approver_shown])
        texts.append(" → ".join(steps))
    import pyarrow as pa

    table = pa.array(texts, type=pa.string())
    return text_series(table.take(pa.array(codes)), out.index)


def append_clause(reasons: pd.Series, clause: pd.Series, separator: str) -> pd.Series:
    """``reasons`` + separator + ``clause`` per row (just the clause where
    reasons is blank; reasons unchanged where the clause is blank)."""
    joined = reasons.str.cat(clause, sep=separator)
    joined = joined.where(reasons.notna(), clause)
    return joined.where(clause.notna(), reasons).astype("str")


def add_exposure(scored: pd.DataFrame, exposure: pd.DataFrame, policy: dict | None = None,
                 lang: str = "en") -> pd.DataFrame:
    """Add what each customer owes against its limit and term, and whether
    its orders are held (第十一条, 第十二条: 超过授信额度或授信时间的业务不予审批放行).

    ``exposure`` has customer_id and outstanding, one row per customer
    (aging-report's summary) or one per open invoice (its --detail table);
    amounts are summed per customer. Its days overdue (``max_days_overdue``
    or ``days_overdue``, the largest per customer) check the credit term:
    more than the policy's ``terms.grace_days`` is ``over_term``.

    Adds outstanding, available_credit (limit − outstanding, negative when
    over), max_days_overdue (when the file has days overdue), hold and
    hold_reason (over_limit, over_term or over_limit;over_term). A customer
    over its term has its limit approved by the general manager whatever
    the amount (第十条(5) 超过公司责任制规定授信期限的客户由总经理审批); the
    reasons say so and end with the chain again.
    """
    from cskit.labels import HOLD_REASONS_ZH

    zh = lang == "zh"
    grace = (policy or {}).get("terms", {}).get("grace_days", 0)
    cents = pd.Series(to_cents(exposure["outstanding"].to_numpy(dtype="float64")),
                      index=exposure.index)
    by_customer = cents.groupby(exposure["customer_id"].to_numpy(), sort=False)
    owed = by_customer.sum()
    days_column = next((c for c in ("max_days_overdue", "days_overdue")
                        if c in exposure.columns), None)
    out = scored.copy()
    position = positions(out["customer_id"], owed.index.to_series())
    found = position >= 0
    take = np.maximum(position, 0)
    outstanding = np.where(found, owed.to_numpy()[take] if len(owed) else 0, 0)
    limit = to_cents(out["credit_limit"].to_numpy(dtype="float64"))
    over_limit = outstanding > limit
    out["outstanding"] = to_yuan(outstanding)
    out["available_credit"] = to_yuan(limit - outstanding)
    over_term = np.zeros(len(out), dtype=bool)
    if days_column is not None:
        days = pd.to_numeric(exposure[days_column], errors="coerce")
        most = days.groupby(exposure["customer_id"].to_numpy(), sort=False).max()
        most = most.reindex(owed.index).to_numpy(dtype="float64")
        overdue = np.where(found, most[take] if len(most) else np.nan, np.nan)
        overdue = np.where(np.isnan(overdue), 0, np.maximum(overdue, 0))
        over_term = overdue > grace
        out["max_days_overdue"] = pd.array(overdue.astype(np.int64), dtype="Int64")
    out["hold"] = pd.array(over_limit | over_term, dtype="boolean")
    code = over_limit * 1 + over_term * 2
    out["hold_reason"] = pd.Series(np.array([None, "over_limit", "over_term",
                                             "over_limit;over_term"], dtype=object)[code],
                                   index=out.index, dtype="str")

    # the reasons: the hold, then the chain with the approver it leads to
    held = code > 0
    if not held.any():
        return out
    scored_row = out["status"].notna().to_numpy() if "status" in out.columns else held
    out.loc[over_term & scored_row, "approver"] = "general_manager"
    separator = "；" if zh else "; "
    rows = out.index[held]
    clauses = _hold_clauses(out.loc[rows], over_limit[held], over_term[held], grace, zh,
                            HOLD_REASONS_ZH)
    reasons = out.loc[rows, "reasons"].astype("str")
    with_chain = scored_row[held]
    # the chain is the last clause of a scored row: cut it, add the hold, then the new chain
    before_chain = reasons.str.rpartition(separator)[0].where(with_chain, reasons)
    before_chain = before_chain.where(before_chain != "", np.nan).astype("str")
    text = append_clause(before_chain, clauses, separator)
    if with_chain.any():
        chained = rows[with_chain]
        text.loc[chained] = append_clause(text.loc[chained],
                                          chain_texts(out.loc[chained], policy, zh), separator)
    out.loc[rows, "reasons"] = text
    return out


def _hold_clauses(rows: pd.DataFrame, over_limit, over_term, grace, zh: bool,
                  names: dict) -> pd.Series:
    """The hold clause of each held row, by string operations on the columns
    (the amounts are in outstanding and available_credit)."""
    index = rows.index
    limit_text = (f"{names['over_limit']}:应收余额高于赊欠限额" if zh
                  else "over limit: outstanding above the limit")
    parts = pd.Series(np.where(over_limit, limit_text, ""), index=index, dtype="str")
    if over_term.any():
        days = rows["max_days_overdue"].astype("str")
        term = ((f"{names['over_term']}:最长逾期" + days + f"天(宽限{grace}天),授信须总经理审批")
                if zh else ("over term: " + days + f" days overdue (grace {grace} days), "
                            "limit approved by the general manager"))
        joiner = "，" if zh else "; "
        both = pd.Series(over_limit & over_term, index=index)
        parts = parts.where(~pd.Series(over_term, index=index),
                            parts.where(~both, parts + joiner) + term)
    return parts + (",暂停发货" if zh else ": orders on hold")


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


# --- the CSV writer as it was: the whole file as one Python string ------------------
def write_csv_text(frame: pd.DataFrame, sep: str, fh) -> None:
    """What write_report wrote for -o x.csv: ``_csv_text`` encoded as one string."""
    fh.write(csv_text(frame, sep).encode("utf-8"))


def csv_text(frame: pd.DataFrame, sep: str) -> str:
    import io

    import cskit.io.write.formats as formats
    from cskit.io.write.cells import _text_frame, neutralize

    prepared = _text_frame(neutralize(frame))
    if len(prepared) >= formats.ARROW_CSV_ROWS:
        text = arrow_csv(prepared, sep)
        if text is not None:
            return text
    buffer = io.StringIO()
    prepared.to_csv(buffer, index=False, sep=sep, lineterminator="\n")
    return buffer.getvalue()


def arrow_csv(frame: pd.DataFrame, sep: str) -> str | None:
    import io

    import pyarrow as pa
    import pyarrow.csv as pacsv

    columns = {}
    for i, column in enumerate(frame.columns):
        series = frame[column]
        if pd.api.types.is_bool_dtype(series.dtype):
            series = series.map({True: "True", False: "False"}).astype("str")
        columns[f"c{i}"] = series
    try:
        table = pa.Table.from_pandas(pd.DataFrame(columns), preserve_index=False)
        table = table.rename_columns([str(c) for c in frame.columns])
        sink = pa.BufferOutputStream()
        pacsv.write_csv(table, sink, write_options=pacsv.WriteOptions(
            delimiter=sep, quoting_style="needed", include_header=False))
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return None
    header = io.StringIO()
    frame.head(0).to_csv(header, index=False, sep=sep, lineterminator="\n")
    return header.getvalue() + sink.getvalue().to_pybytes().decode("utf-8")


# --- score-credit --confirmations as it was: Python sets, maps and loops over rows ----
def apply_to_customers(run, table, path: str):
    """score-credit: the register's 对账不良记录 replaces the hand-kept column
    for the customers it has; returns the table and the marks."""
    from cskit import confirmations as conf
    from cskit.commands.confirmations import read_register

    register = read_register(run, path)
    marks = conf.reconciliation_marks(register, as_of=run.as_of)
    known = marks["customer_id"].isin(set(table["customer_id"].astype(str)))
    had = "reconciliation" in table.columns
    table, changed = apply_marks(table, marks[known])
    if had and known.any():
        run.warn(Text("{path} gives reconciliation (对账情况) for {count} customer(s): the "
                      "register wins over the customer file's column ({changed} value(s) "
                      "changed)",
                      "{path} 给出了 {count} 个客户的对账情况：以对账登记表为准，不再采用客户资料中"
                      "“对账情况”列的值（其中 {changed} 个客户的值有变化）",
                      path=path, count=int(known.sum()), changed=changed))
    if (~known).any():
        run.warn(Text("{path}: {count} customer(s) not in the customer file were ignored",
                      "{path}：有 {count} 个客户不在客户资料中，已忽略",
                      path=path, count=int((~known).sum())))
    return table, marks[known]


def apply_marks(customers: pd.DataFrame, marks: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The customers table with ``reconciliation`` from the register for the
    customers it has (the register wins over the hand-kept column); returns
    it and how many hand-kept values the register changed."""
    out = customers.copy()
    points = marks.set_index("customer_id")["reconciliation"]
    mapped = out["customer_id"].astype("str").map(points)
    had = "reconciliation" in out.columns
    before = (pd.to_numeric(out["reconciliation"], errors="coerce") if had
              else pd.Series(np.nan, index=out.index))
    changed = int((mapped.notna() & before.fillna(0).ne(mapped)).sum()) if had else 0
    out["reconciliation"] = mapped.astype("float64").where(mapped.notna(), before)
    return out, changed


def name_statements(scored: pd.DataFrame, marks: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    """``reasons`` begins with the statement behind a 对账不良记录 deduction."""
    bad = marks[marks["reconciliation"] < 0].set_index("customer_id")
    if bad.empty or "reasons" not in scored.columns:
        return scored
    hit = scored["customer_id"].astype("str").isin(bad.index)
    rows = bad.reindex(scored.loc[hit, "customer_id"].astype("str"))
    zh = lang == "zh"
    clauses = [
        (f"对账不良记录取自对账登记表：{when:%Y-%m-%d} 对账单 {file or ''}，"
         f"结果“{RESULT_ZH.get(result, result)}” {points}分" if zh else
         f"reconciliation from the register: statement {file or ''} of {when:%Y-%m-%d}, "
         f"{result} {points}")
        for when, file, result, points in zip(rows["period_end"], rows["file"], rows["result"],
                                              rows["reconciliation"])]
    separator = "；" if zh else "; "
    out = scored.copy()
    current = out.loc[hit, "reasons"].fillna("").astype("str").to_numpy()
    out.loc[hit, "reasons"] = [c + (separator + r if r else "") for c, r in zip(clauses, current)]
    return out

