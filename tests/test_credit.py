"""The credit scorecard on hand-made customers (SPEC §2, seed 004 第七条–第十条).

Every expected number below was worked out by hand from the SPEC's default
policy; the arithmetic is in the comments.
"""
import copy

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cskit import credit, policy
from cskit.errors import DataError

AS_OF = pd.Timestamp("2026-10-31")


@pytest.fixture(scope="module")
def pol():
    return policy.load("credit", None, check=credit.check_policy)


def full_marks(**changes) -> dict:
    """A customer scoring 100: legal 10 + other 5 + sales 20 + profit 20 +
    payments 30 + subjective 15 (2+5+2+3+3) + bad records 0."""
    row = {"customer_id": "C1", "customer_name": "甲公司", "business_type": "A",
           "months_active": 24}
    row.update({c: True for c in credit.LEGAL + credit.OTHER})
    row.update(annual_sales=10_000_000.0, annual_profit=2_000_000.0,
               annual_payments=10_000_000.0, cooperation=2, sales_status=5,
               operating_status=2, years_established=6.0, wage_level=3,
               late_after_promise=False, breach_of_settlement=False, reconciliation=0,
               salesperson_advance=False)
    row.update(changes)
    return row


def frame(*rows) -> pd.DataFrame:
    """Rows typed as cskit.io hands them over; index = Excel row numbers."""
    df = pd.DataFrame(list(rows), index=range(2, len(rows) + 2))
    for column in df.columns:
        if column in credit.LEGAL + credit.OTHER + ("late_after_promise",
                                                    "breach_of_settlement",
                                                    "salesperson_advance"):
            df[column] = df[column].astype("boolean")
        elif column in ("annual_sales", "annual_profit", "annual_payments",
                        "years_established"):
            df[column] = df[column].astype("float64")
        elif column == "months_active":
            df[column] = df[column].astype("Int64")
        elif df[column].dtype == object:
            df[column] = df[column].astype("str")
    return df


def score(pol, *rows, lang="en"):
    return credit.score_customers(frame(*rows), pol, AS_OF, lang=lang)


def one(pol, lang="en", **changes) -> pd.Series:
    return score(pol, full_marks(**changes), lang=lang).iloc[0]


# --- the points of each item -------------------------------------------------------
def test_full_marks(pol):
    row = one(pol)
    assert (row.legal_points, row.other_points, row.sales_points, row.profit_points,
            row.payment_points, row.subjective_points, row.bad_record_points) == \
        (10, 5, 20, 20, 30, 15, 0)
    assert row.score == 100 and row.level == 1 and row.final_level == 1
    assert row.grade == 1 and row.grade_label == "一级"
    assert row.credit_limit == 800_000 and row.approver == "general_manager"
    assert row.status == "rated" and pd.isna(row.adjustments)
    assert row.next_level_points == 0 and row.policy_id == pol["policy_id"]
    # full marks lose no points: the reasons are the chain alone (issue 14 item 6)
    assert row.reasons == ("score 100 → level 1 → grade 一级 → limit 800,000 → "
                           "approver general_manager")


@pytest.mark.parametrize("column,floors,points,below", [
    ("annual_sales", [10_000_000, 5_000_000, 3_000_000, 2_000_000, 1_000_000, 500_000],
     [20, 19, 17, 15, 12, 10], 5),
    ("annual_profit", [2_000_000, 1_000_000, 500_000, 300_000, 200_000, 100_000],
     [20, 18, 15, 10, 8, 6], 5),
    ("annual_payments", [10_000_000, 5_000_000, 3_000_000, 2_000_000, 1_000_000, 500_000],
     [30, 25, 22, 20, 15, 10], 5),
])
def test_amount_tier_floors(pol, column, floors, points, below):
    # a value equal to a floor scores that tier; one cent less scores the next
    points_column = {"annual_sales": "sales_points", "annual_profit": "profit_points",
                     "annual_payments": "payment_points"}[column]
    at_floor = score(pol, *[full_marks(customer_id=f"F{i}", **{column: float(f)})
                            for i, f in enumerate(floors)])
    assert at_floor[points_column].tolist() == points
    under = score(pol, *[full_marks(customer_id=f"U{i}", **{column: f - 0.01})
                         for i, f in enumerate(floors)])
    assert under[points_column].tolist() == points[1:] + [below]


def test_profit_zero_or_loss_scores_nothing(pol):
    # 赢利贡献 最低为0分: 0 and a loss score 0, one cent of profit scores 5
    out = score(pol, full_marks(customer_id="L", annual_profit=-35_000.0),
                full_marks(customer_id="Z", annual_profit=0.0),
                full_marks(customer_id="P", annual_profit=0.01))
    assert out.profit_points.tolist() == [0, 0, 5]
    # 100 − 20 = 80 → level 2
    assert out.score.tolist() == [80, 80, 85]
    assert "annual profit zero or a loss: 0/20" in out.reasons.iloc[0]


def test_legal_and_other_points(pol):
    # no special permit (1), no trademark licence (1): legal 8; no ISO9000 (2): other 3;
    # 100 − 2 − 2 = 96
    row = one(pol, special_permit=False, trademark_license=pd.NA, iso9000=False)
    assert row.legal_points == 8 and row.other_points == 3 and row.score == 96
    assert "legal qualifications 8/10: no special industry permit (-1), trademark " \
           "licence (-1)" in row.reasons
    assert "other qualifications 3/5: no ISO 9000 (-2)" in row.reasons


def test_subjective_items(pol):
    # 配合 1 + 良好 2 + 半停产 0 + 4 years (3–5) 2 + 比较低 0 = 5
    row = one(pol, cooperation=1, sales_status=2, operating_status=0, years_established=4.9,
              wage_level=0)
    assert row.subjective_points == 5
    # seed 004 ⑥ 企业设立年限: 低于1年 0 / 1~2年 1 / 3~5年 2 / 超过5年 3, on the years
    # as given: 5.5 is 超过5年 (3); exactly 5 is 3~5年 (2); 2.9 has not reached 3 (1)
    years = score(pol, *[full_marks(customer_id=f"Y{y}", years_established=y)
                         for y in (0.5, 1.0, 2.9, 3.0, 5.0, 5.5, 6.0, 30.0)])
    assert (years.subjective_points - 12).tolist() == [0, 1, 1, 2, 2, 3, 3, 3]


def test_both_late_flags_are_capped_at_minus_two(pol):
    # −2 and −1 together deduct 2 (拖延回款 0–2); 拒绝对账 −3 on top: −5
    out = score(pol, full_marks(customer_id="L", late_after_promise=True),
                full_marks(customer_id="B", breach_of_settlement=True),
                full_marks(customer_id="LB", late_after_promise=True,
                           breach_of_settlement=True),
                full_marks(customer_id="LBR", late_after_promise=True,
                           breach_of_settlement=True, reconciliation=-3),
                full_marks(customer_id="F", reconciliation=-1))
    assert out.bad_record_points.tolist() == [-2, -1, -2, -5, -1]
    assert out.score.tolist() == [98, 99, 98, 95, 99]
    assert "late-payment pair capped at -2" in out.reasons.iloc[2]
    assert "reconciliation 拒绝对账 -3" in out.reasons.iloc[3]


# --- levels, grades, limits, approvers ----------------------------------------------------
def test_score_exactly_90_and_60(pol):
    # 10 + 5 + sales 3,000,000 → 17 + profit 1,000,000 → 18 + payments 5,000,000 → 25
    # + 15 = 90 → level 1
    ninety = one(pol, annual_sales=3_000_000.0, annual_profit=1_000_000.0,
                 annual_payments=5_000_000.0)
    assert ninety.score == 90 and ninety.level == 1 and ninety.credit_limit == 800_000
    assert ninety.next_level_points == 0
    # 10 + 5 + sales below → 5 + profit > 0 → 5 + payments 2,000,000 → 20 + 15 = 60
    # → level 4 → A grade 三级, 100,000 approved by the finance VP
    sixty = one(pol, annual_sales=10.0, annual_profit=10.0, annual_payments=2_000_000.0)
    assert sixty.score == 60 and sixty.level == 4 and sixty.grade == 3
    assert sixty.credit_limit == 100_000 and sixty.approver == "finance_vp"
    assert sixty.next_level_points == 10
    # one point less (no ISO14000): 59 → level 5, A 四级, limit 0, sales VP
    fifty_nine = one(pol, annual_sales=10.0, annual_profit=10.0,
                     annual_payments=2_000_000.0, iso14000=False)
    assert fifty_nine.score == 59 and fifty_nine.level == 5 and fifty_nine.grade == 4
    assert fifty_nine.credit_limit == 0 and fifty_nine.approver == "sales_vp"
    assert fifty_nine.next_level_points == 1
    assert "lowest level: cash on delivery, exceptions up to 50,000" in fifty_nine.reasons


def test_score_89_99_is_level_2(pol):
    assert credit.level_for_score([100, 90, 89.99, 80, 79.99, 70, 69.99, 60, 59.99, 0],
                                  [90, 80, 70, 60]).tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    # the 90-point customer with a business licence worth 1.99: 89.99 → level 2
    odd = copy.deepcopy(pol)
    odd["legal"]["business_license"] = 1.99
    row = score(odd, full_marks(annual_sales=3_000_000.0, annual_profit=1_000_000.0,
                                annual_payments=5_000_000.0)).iloc[0]
    assert row.score == 89.99 and row.level == 2 and row.next_level_points == 0.01
    assert row.credit_limit == 500_000 and row.approver == "finance_vp"


def test_downgrades(pol):
    # subjective 2+2+2+3+0 = 9 < 10: score 94, level 1 → final 2 (A 一级, 500,000)
    weak = one(pol, sales_status=2, wage_level=0)
    assert weak.subjective_points == 9 and weak.score == 94
    assert weak.level == 1 and weak.final_level == 2 and weak.grade == 1
    assert weak.credit_limit == 500_000 and weak.adjustments == "subjective_below_10"
    assert "subjective below 10: down 1 level" in weak.reasons
    # exactly 10 is not below 10
    ten = one(pol, sales_status=2, wage_level=1)
    assert ten.subjective_points == 10 and ten.final_level == 1
    # a salesperson's advance: 100 → level 1 → final 2
    advance = one(pol, salesperson_advance=True)
    assert advance.final_level == 2 and advance.adjustments == "salesperson_advance"
    # both: level 1 → final 3 (A 二级, 300,000)
    both = one(pol, sales_status=2, wage_level=0, salesperson_advance=True)
    assert both.final_level == 3 and both.grade == 2 and both.credit_limit == 300_000
    assert both.adjustments == "subjective_below_10;salesperson_advance"
    # never below level 5
    low = one(pol, sales_status=2, wage_level=0, salesperson_advance=True,
              annual_sales=10.0, annual_profit=10.0, annual_payments=2_000_000.0)
    assert low.score == 54 and low.level == 5 and low.final_level == 5


def test_business_types_and_grade_tables(pol):
    # score 85 (payments 1,000,000 → 15): level 2 → A 一级, B 二级
    rows = [full_marks(customer_id=k, business_type=t, annual_payments=1_000_000.0, **extra)
            for k, t, extra in (("A", "A", {}), ("B", "B", {}),
                                ("MA", "mixed", {"primary_business": "A"}),
                                ("MB", "mixed", {"primary_business": "B"}),
                                ("M", "mixed", {}), ("N", None, {}))]
    out = score(pol, *rows)
    assert out.level.tolist() == [2] * 6
    assert out.grade.tolist() == [1, 2, 1, 2, 2, 2]
    assert out.grade_label.tolist() == ["一级", "二级", "一级", "二级", "二级", "二级"]
    assert out.credit_limit.tolist() == [500_000] * 6  # the limit follows the level
    assert "graded on the stricter B table" in out.reasons.iloc[4]
    assert "no business type" in out.reasons.iloc[5]


def test_limit_of_exactly_500000_goes_to_the_finance_vp(pol):
    level_two = one(pol, annual_payments=1_000_000.0)  # 85 → level 2 → 500,000
    assert level_two.credit_limit == 500_000 and level_two.approver == "finance_vp"
    rich = copy.deepcopy(pol)
    rich["approval"]["finance_vp_max"] = 499_999
    assert one(rich, annual_payments=1_000_000.0).approver == "general_manager"


# --- new customers and cash only -----------------------------------------------------------
def test_annualisation_at_6_months(pol):
    # × 12/6 = 2: 1,500,000 → 3,000,000 (17); 250,000 → 500,000 (15);
    # 1,000,000 → 2,000,000 (20); 10 + 5 + 17 + 15 + 20 + 15 = 82 → level 2
    row = one(pol, months_active=6, annual_sales=1_500_000.0, annual_profit=250_000.0,
              annual_payments=1_000_000.0)
    assert row.annualisation == 2.0 and row.months_active == 6
    assert (row.sales_points, row.profit_points, row.payment_points) == (17, 15, 20)
    assert row.score == 82 and row.level == 2 and row.status == "rated"
    assert "new customer, 6 months: amounts annualised × 12/6" in row.reasons


def test_annualisation_boundaries(pol):
    # 3 months → × 4; 8 months → × 1.5; 9 months → a full year
    out = score(pol, *[full_marks(customer_id=f"M{m}", months_active=m,
                                  annual_sales=1_000_000.0) for m in (3, 8, 9)])
    assert out.annualisation.tolist() == [4.0, 1.5, 1.0]
    # 4,000,000 → 17; 1,500,000 → 12; 1,000,000 → 12
    assert out.sales_points.tolist() == [17, 12, 12]


def test_two_months_is_not_rated(pol):
    row = one(pol, months_active=2)
    assert row.status == "unrated_new" and pd.isna(row.level) and pd.isna(row.grade)
    assert row.grade_label == "未评级" and row.credit_limit == 0
    assert row.approver == "sales_vp" and pd.isna(row.annualisation)
    assert "trading 2 months, under 3: not rated" in row.reasons


def test_months_from_first_trade_date(pol):
    df = frame(full_marks(customer_id="D6"), full_marks(customer_id="D2"),
               full_marks(customer_id="D9")).drop(columns="months_active")
    df["first_trade_date"] = pd.to_datetime(["2026-05-31", "2026-09-01", "2026-01-31"])
    out = credit.score_customers(df, pol, AS_OF)
    # calendar months, first and as-of month included: May–Oct 6; Sep–Oct 2; Jan–Oct 10
    assert out.months_active.tolist() == [6, 2, 10]
    assert out.status.tolist() == ["rated", "unrated_new", "rated"]
    assert out.annualisation.iloc[0] == 2.0
    assert credit.whole_months(pd.Series(pd.to_datetime(["2026-08-15", "2026-08-14",
                                                         "2026-10-14", "2026-11-01"])),
                               pd.Timestamp("2026-10-14")).tolist() == [3, 3, 1, 0]


def test_months_of_trading_count_the_first_and_the_as_of_month(pol):
    # seed 004 第七条 注: a.短于3个月的不参与评级 b.不足9个月的按照实际发生的业务折算为年交易额
    # c.在9个月以上的视同全年. As of 2026-10-31: a first trade on 2026-02-01 is Feb…Oct,
    # 9 months, a full year; 2026-01-31 is 10; 2026-08-01 is Aug, Sep, Oct = 3 months:
    # rated, amounts × 12/3 = × 4 (sales 2,500,000 × 4 = 10,000,000 → 20 points);
    # 2026-09-30 is 2 months: not rated.
    df = frame(*[full_marks(customer_id=c, annual_sales=2_500_000.0)
                 for c in ("FEB01", "JAN31", "AUG01", "SEP30")]).drop(columns="months_active")
    df["first_trade_date"] = pd.to_datetime(["2026-02-01", "2026-01-31", "2026-08-01",
                                             "2026-09-30"])
    out = credit.score_customers(df, pol, "2026-10-31")
    assert out.months_active.tolist() == [9, 10, 3, 2]
    assert out.annualisation.tolist()[:3] == [1.0, 1.0, 4.0]
    assert pd.isna(out.annualisation.iloc[3])
    assert out.status.tolist() == ["rated", "rated", "rated", "unrated_new"]
    assert out.sales_points.tolist()[:3] == [15, 15, 20]  # 2,500,000 ≥ 2,000,000 → 15


def test_no_legal_documents_is_cash_only(pol):
    row = one(pol, **{c: False for c in credit.LEGAL})
    assert row.legal_points == 0 and row.status == "cash_only"
    assert row.grade_label == "现款现货" and pd.isna(row.grade) and pd.isna(row.final_level)
    assert row.credit_limit == 0 and row.approver == "sales_vp"
    assert row.reasons.startswith("no legal qualification: not rated, cash on delivery")


# --- absent columns, reasons, passthrough ---------------------------------------------------
def test_absent_scoring_column_scores_zero_and_is_named(pol):
    df = frame(full_marks()).drop(columns=["iso9000", "annual_profit"])
    row = credit.score_customers(df, pol, AS_OF).iloc[0]
    # 100 − ISO9000 2 − profit 20 = 78
    assert row.other_points == 3 and row.profit_points == 0 and row.score == 78
    assert row.reasons.startswith("not in the file, scored 0: ISO 9000, annual profit")
    assert credit.absent_columns(df)[:2] == ["iso9000", "annual_profit"]


def test_no_scoring_column_is_an_input_error(pol):
    with pytest.raises(DataError, match="at least one scoring column"):
        credit.score_customers(frame({"customer_id": "C1"}), pol, AS_OF, source="x.csv")


def test_reasons_in_chinese(pol):
    row = one(pol, lang="zh", months_active=6, annual_sales=1_500_000.0,
              salesperson_advance=True)
    assert "新客户合作6个月:金额按12/6折算为全年" in row.reasons
    assert "年交易额≥300万元:17/20分" in row.reasons
    assert "业务员代客户垫支:下调1个级别" in row.reasons
    # data values do not change with the language
    assert row.adjustments == "salesperson_advance" and row.approver == "finance_vp"


def test_unknown_columns_pass_through_and_index_is_kept(pol):
    df = frame(full_marks(customer_id="C1"), full_marks(customer_id="C2"))
    df["owner"] = ["S01", "S02"]
    df["生日"] = ["01-02", "03-04"]
    out = credit.score_customers(df, pol, AS_OF)
    assert out.index.tolist() == [2, 3]
    assert list(out.columns[:len(credit.OUTPUT)]) == list(credit.OUTPUT)
    assert out["owner"].tolist() == ["S01", "S02"] and out["生日"].tolist() == ["01-02", "03-04"]


# --- previous quarter and exposure ----------------------------------------------------------
def test_compare_previous(pol):
    scored = score(pol, full_marks(customer_id="UP"),                     # grade 1, 800k
                   full_marks(customer_id="DOWN", annual_payments=1e6),  # grade 1, 500k
                   full_marks(customer_id="SAME"),                        # grade 1, 800k
                   full_marks(customer_id="NEW"))
    previous = pd.DataFrame({"customer_id": ["UP", "DOWN", "SAME", "GONE"],
                             "customer_name": ["u", "d", "s", "已停止合作"],
                             "grade": pd.array([2, 1, 1, 3], dtype="Int64"),
                             "credit_limit": [500_000.0, 800_000.0, 800_000.0, 300_000.0]})
    out = credit.compare_previous(scored, previous, pol)
    assert out.customer_id.tolist() == ["UP", "DOWN", "SAME", "NEW", "GONE"]
    # same grade 一级 but a lower limit (800k → 500k) is a downgrade
    assert out.change.tolist() == ["upgraded", "downgraded", "unchanged", "new", "dropped"]
    assert out.previous_grade.tolist()[:3] == [2, 1, 1] and pd.isna(out.previous_grade[3])
    gone = out.iloc[4]
    assert gone.customer_name == "已停止合作" and gone.credit_limit == 0
    assert gone.previous_limit == 300_000 and pd.isna(gone.status)
    lines = credit.book_summary(out, pol)
    assert lines[0].render("en") == "customers per grade: 一级 4, 二级 0, 三级 0, 四级 0 (4 customers)"
    assert lines[1].render("en") == \
        "changes: 1 upgraded, 1 downgraded, 1 unchanged, 1 new, 1 dropped"
    # now 800 + 500 + 800 + 800 = 2,900k; before 500 + 800 + 800 + 300 = 2,400k
    assert lines[2].render("en") == ("total credit limit: 2,900,000.00 (previous 2,400,000.00, "
                        "change +500,000.00)")


def test_unrated_now_is_a_downgrade(pol):
    scored = score(pol, full_marks(customer_id="C", **{c: False for c in credit.LEGAL}))
    previous = pd.DataFrame({"customer_id": ["C"], "grade": pd.array([4], dtype="Int64"),
                             "credit_limit": [0.0]})
    assert credit.compare_previous(scored, previous, pol).change.tolist() == ["downgraded"]


def test_exposure(pol):
    scored = score(pol, full_marks(customer_id="OK"), full_marks(customer_id="OVER"),
                   full_marks(customer_id="NONE"))
    exposure = pd.DataFrame({"customer_id": ["OK", "OVER", "ELSEWHERE"],
                             "outstanding": [799_999.99, 800_000.01, 5.0]})
    out = credit.add_exposure(scored, exposure)
    assert out.outstanding.tolist() == [799_999.99, 800_000.01, 0]
    assert out.available_credit.tolist() == [0.01, -0.01, 800_000]
    assert out.hold.tolist() == [False, True, False]
    assert out.hold_reason.isna().tolist() == [True, False, True]
    assert out.hold_reason.iloc[1] == "over_limit"
    assert "max_days_overdue" not in out.columns  # no days overdue: the term is not checked


def test_over_term_is_a_hold_approved_by_the_general_manager(pol):
    # seed 004 第十一条/第十二条 对超过授信额度或授信时间的业务不予审批放行, and 第十条(5)
    # 超过公司责任制规定授信期限的客户由总经理审批. Grace 0 (the default): one day overdue
    # is beyond the term. Limits: LATE and BOTH are 一级 800,000 (general manager anyway);
    # SMALL loses 10 on sales and 10 on payments: 80 → level 2 → A 一级 500,000 (finance VP
    # by amount, ≤ 50万元; general manager for the term).
    small = full_marks(customer_id="SMALL", annual_sales=500_000.0, annual_payments=2_000_000.0)
    scored = score(pol, full_marks(customer_id="OK"), full_marks(customer_id="LATE"),
                   full_marks(customer_id="BOTH"), small)
    assert scored.approver.tolist()[3] == "finance_vp" and scored.credit_limit.iloc[3] == 500_000
    summary = pd.DataFrame({"customer_id": ["OK", "LATE", "BOTH", "SMALL"],
                            "outstanding": [100.0, 100.0, 900_000.0, 100.0],
                            "max_days_overdue": [0.0, 1.0, 30.0, 45.0]})
    out = credit.add_exposure(scored, summary, pol)
    assert out.hold.tolist() == [False, True, True, True]
    assert out.hold_reason.tolist()[1:] == ["over_term", "over_limit;over_term", "over_term"]
    assert out.max_days_overdue.tolist() == [0, 1, 30, 45]
    assert out.approver.tolist() == ["general_manager"] * 4
    assert out.reasons.iloc[3].endswith(
        "over term: 45 days overdue (grace 0 days), limit approved by the general manager: "
        "orders on hold; score 80 → level 2 → grade 一级 → limit 500,000 → "
        "approver general_manager")
    assert "over limit: outstanding above the limit; over term: 30 days" in out.reasons.iloc[2]
    assert out.reasons.iloc[0].endswith("approver general_manager")  # 800,000: by amount
    # a grace of 30 days: 30 is not beyond it, 45 is
    graced = copy.deepcopy(pol)
    graced["terms"]["grace_days"] = 30
    out = credit.add_exposure(scored, summary, graced)
    assert out.hold_reason.fillna("-").tolist() == ["-", "-", "over_limit", "over_term"]
    assert out.approver.tolist()[3] == "general_manager"


def test_exposure_from_open_items_takes_the_most_overdue_invoice(pol):
    # aging-report --detail: one row per open invoice; outstanding is summed, the days
    # overdue are the largest per customer (an invoice not yet due counts 0)
    scored = score(pol, full_marks(customer_id="A"), full_marks(customer_id="B"))
    items = pd.DataFrame({"customer_id": ["A", "A", "B", "B"],
                          "outstanding": [100.10, 200.20, 50.0, 25.0],
                          "days_overdue": [-10.0, 12.0, -3.0, 0.0]})
    out = credit.add_exposure(scored, items, pol, lang="zh")
    assert out.outstanding.tolist() == [300.30, 75.0]
    assert out.max_days_overdue.tolist() == [12, 0]
    assert out.hold_reason.fillna("-").tolist() == ["over_term", "-"]
    assert "超过授信期限:最长逾期12天(宽限0天),授信须总经理审批,暂停发货" in out.reasons.iloc[0]
    assert out.reasons.iloc[0].endswith("总经理审批")


# --- policy checks ---------------------------------------------------------------------------
def test_policy_checks(pol):
    bad = copy.deepcopy(pol)
    bad["tiers"]["sales"]["floors"] = [5_000_000, 10_000_000, 3_000_000, 2_000_000,
                                       1_000_000, 500_000]
    bad["levels"]["credit_limits"] = [800_000, 500_000]
    bad["grades"]["A"] = [1, 1, 2, 3, 9]
    problems = credit.check_policy(bad)
    assert "tiers.sales.floors: floors must descend (top tier first)" in \
        [p.render("en") for p in problems]
    assert any(p.render("en").startswith("levels.credit_limits: needs 5 limits") for p in problems)
    assert any(p.render("en").startswith("grades.A: grades must be between 1 and 4")
               for p in problems)
    assert credit.check_policy(pol) == []


def test_policy_defaults_are_the_seed_numbers(pol):
    assert sum(pol["legal"].values()) == 10 and sum(pol["other"].values()) == 5
    assert pol["levels"]["credit_limits"] == [800_000, 500_000, 300_000, 100_000, 0]
    assert pol["grades"]["A"] == [1, 1, 2, 3, 4] and pol["grades"]["B"] == [1, 2, 3, 4, 4]


# --- invariants ------------------------------------------------------------------------------
customers = st.fixed_dictionaries({
    **{c: st.booleans() for c in credit.LEGAL + credit.OTHER
       + ("late_after_promise", "breach_of_settlement", "salesperson_advance")},
    "annual_sales": st.one_of(st.none(), st.integers(0, 20_000_000_00).map(lambda c: c / 100)),
    "annual_profit": st.integers(-1_000_000_00, 3_000_000_00).map(lambda c: c / 100),
    "annual_payments": st.integers(0, 20_000_000_00).map(lambda c: c / 100),
    "cooperation": st.sampled_from([0, 1, 2]),
    "sales_status": st.sampled_from([0, 1, 2, 5]),
    "operating_status": st.sampled_from([0, 1, 2]),
    "years_established": st.floats(0, 50),
    "wage_level": st.sampled_from([0, 1, 2, 3]),
    "reconciliation": st.sampled_from([0, -1, -3]),
    "months_active": st.integers(0, 60),
    "business_type": st.sampled_from(["A", "B", "mixed"]),
})


@settings(max_examples=60, deadline=None)
@given(st.lists(customers, min_size=1, max_size=30))
def test_invariants(pol, rows):
    rows = [dict(r, customer_id=f"C{i}") for i, r in enumerate(rows)]
    df = frame(*rows)
    out = credit.score_customers(df, pol, AS_OF)
    assert len(out) == len(df) and out.customer_id.tolist() == df.customer_id.tolist()
    parts = out[["legal_points", "other_points", "sales_points", "profit_points",
                 "payment_points", "subjective_points", "bad_record_points"]].sum(axis=1)
    assert np.allclose(out.score, parts.clip(lower=0))
    assert out.score.between(0, 100).all()
    rated = out[out.status == "rated"]
    assert (rated.final_level >= rated.level).all()
    assert (rated.final_level - rated.level <= 2).all()
    limits = np.array(pol["levels"]["credit_limits"])
    assert (rated.credit_limit.to_numpy() == limits[rated.final_level.to_numpy(int) - 1]).all()
    assert (out[out.status != "rated"].credit_limit == 0).all()
    assert set(out.approver) <= {"sales_vp", "finance_vp", "general_manager"}
    assert (out[out.credit_limit > 500_000].approver == "general_manager").all()
    # a higher score never gets a worse level
    ordered = rated.sort_values("score")
    assert ordered.level.is_monotonic_decreasing


def test_no_customers_left(pol):
    # every row rejected with --rejects: an empty book, previous customers all dropped
    empty = frame(full_marks()).iloc[:0]
    out = credit.score_customers(empty, pol, AS_OF)
    assert len(out) == 0 and list(out.columns[:len(credit.OUTPUT)]) == list(credit.OUTPUT)
    previous = pd.DataFrame({"customer_id": ["X"], "grade": pd.array([1], dtype="Int64"),
                             "credit_limit": [5.0]})
    out = credit.compare_previous(out, previous, pol)
    assert out.change.tolist() == ["dropped"]
    assert credit.book_summary(out, pol)[-1].render("en") == \
        "total credit limit: 0.00 (previous 5.00, change -5.00)"


@settings(max_examples=40, deadline=None)
@given(st.sets(st.integers(0, 30), max_size=15), st.sets(st.integers(0, 30), max_size=15))
def test_every_customer_once_against_previous(pol, now, before):
    scored = score(pol, *[full_marks(customer_id=f"C{i}") for i in sorted(now)]) if now \
        else credit.score_customers(frame(full_marks()).iloc[:0], pol, AS_OF)
    previous = pd.DataFrame({"customer_id": [f"C{i}" for i in sorted(before)],
                             "grade": pd.array([1] * len(before), dtype="Int64"),
                             "credit_limit": [800_000.0] * len(before)})
    out = credit.compare_previous(scored, previous, pol)
    assert sorted(out.customer_id) == sorted({f"C{i}" for i in now | before})
    assert (out.change == "dropped").sum() == len(before - now)
    assert (out.change == "new").sum() == len(now - before)
    # the limits of the book add up to the cent
    assert round(out.credit_limit.sum(), 2) == 800_000 * len(now)


# --- issue 14: absent columns are not low scores; the reasons explain themselves ---------
def test_absent_subjective_columns_do_not_downgrade(pol):
    # seed 004 第八条(2) 对主观评价低于10分的下调一个级别: a file without the subjective
    # columns has no subjective score at all, so nobody is moved down for it.
    df = frame(full_marks()).drop(columns=list(credit.SUBJECTIVE))
    row = credit.score_customers(df, pol, AS_OF).iloc[0]
    # 100 − subjective 15 = 85 → level 2, not lowered: A 一级, 500,000
    assert row.score == 85 and row.level == 2 and row.final_level == 2
    assert pd.isna(row.adjustments) and row.credit_limit == 500_000
    assert "no subjective downgrade" in row.reasons
    assert "subjective 0/15" not in row.reasons  # absent items are not listed as blank
    warnings = [w.render("en") for w in credit.input_warnings(df, pol, "c.csv")]
    assert len(warnings) == 1 and "not a low score" in warnings[0]
    assert "cooperation, sales_status" in warnings[0]


def test_present_blank_subjective_cells_still_score_zero_and_downgrade(pol):
    # the columns are there but empty: 0 points, below 10 → down one level (as before)
    row = one(pol, cooperation=np.nan, sales_status=np.nan, operating_status=np.nan,
              years_established=np.nan, wage_level=np.nan)
    assert row.subjective_points == 0 and row.level == 2 and row.final_level == 3
    assert row.adjustments == "subjective_below_10"


def test_some_subjective_columns_absent_downgrade_only_when_certain(pol):
    # only wage_level absent (worth at most 3): 2+0+0+2 = 4 present, 4 + 3 < 10 → down;
    # 2+5+0+2 = 9 present, 9 + 3 ≥ 10 → could reach 10: not down
    df = frame(full_marks(customer_id="LOW", sales_status=0, operating_status=0, years_established=4.0),
               full_marks(customer_id="MID", operating_status=0, years_established=4.0)
               ).drop(columns=["wage_level"])
    out = credit.score_customers(df, pol, AS_OF)
    assert out.subjective_points.tolist() == [4, 9]
    assert out.adjustments.tolist()[0] == "subjective_below_10" and pd.isna(out.adjustments.iloc[1])
    assert out.final_level.iloc[1] == out.level.iloc[1]


def test_no_business_type_column_warns_once(pol):
    # seed 004 第八条(4) 混合业务以类别轻重为标准: without a business type the stricter B table
    # sales 500,000 → 10 (−10), profit 1,000,000 → 18 (−2): 88 → level 2: A 一级, B 二级
    df = frame(full_marks(customer_id="X", annual_sales=500_000.0,
                          annual_profit=1_000_000.0)).drop(columns="business_type")
    row = credit.score_customers(df, pol, AS_OF).iloc[0]
    assert row.score == 88 and row.final_level == 2 and row.grade == 2
    warnings = [w.render("en") for w in credit.input_warnings(df, pol, "c.csv")]
    assert warnings == ["c.csv: no business_type column (业务类型): every customer is graded "
                        "on the stricter B table"]
    assert credit.input_warnings(frame(full_marks()), pol, "c.csv") == []


def test_reasons_end_with_the_chain(pol):
    # seed 004 第七条(4) and 第十条(5): wage 比较低 0 and under 1 year 0 leave subjective 9:
    # 94 points → level 1, lowered to 2 (第八条(2)) → A 一级 → 500,000 → finance VP (≤ 50万元)
    weak = one(pol, wage_level=0, years_established=0.5)
    assert weak.reasons.endswith("; score 94 → level 1, lowered to 2 → grade 一级 → "
                                 "limit 500,000 → approver finance_vp")
    zh = one(pol, lang="zh", wage_level=0, years_established=0.5)
    assert zh.reasons.endswith("；总分94 → 级别1下调为2 → 一级 → 赊欠限额50万元 → 财务副总经理审批")
    cash = one(pol, **{c: False for c in credit.LEGAL})
    assert cash.reasons.endswith("score 90 → not rated → grade 现款现货 → limit 0 → "
                                 "approver sales_vp")
    new = one(pol, months_active=2)
    assert new.reasons.endswith("score 100 → not rated yet → grade 未评级 → limit 0 → "
                                "approver sales_vp")
