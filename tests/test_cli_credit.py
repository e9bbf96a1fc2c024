"""``cskit score-credit`` end to end through the CLI (SPEC §2)."""
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from cskit.cli import cli

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

# Three customers, worked out by hand with the default policy:
# C1: everything held (10 + 5), sales 3,000,000 → 17, profit 1,000,000 → 18,
#     payments 5,000,000 → 25, subjective 2+5+2+3+3 = 15, no bad records → 90 → level 1,
#     A 一级, 800,000, general manager.
# C2: B business, 6 months (× 2): sales 750,000 → 1,500,000 → 12; profit 60,000 →
#     120,000 → 6; payments 500,000 → 1,000,000 → 15; legal 2+1 = 3, other 0;
#     subjective 1+1+1+1 (2 years)+1 = 5; late + breach → −2 (capped), 被迫对账 −1
#     → 3+0+12+6+15+5−3 = 38 → level 5 (downgrades change nothing) → B 四级, 0, sales VP.
# C3: no legal documents → cash_only.
ENGLISH = """customer_id,customer_name,business_type,months_active,business_license,tax_registration,special_permit,general_taxpayer,trademark_license,contract_orders,processing_certificate,iso9000,iso14000,bank_credit_rating,tax_credit_rating,annual_sales,annual_profit,annual_payments,cooperation,sales_status,operating_status,years_established,wage_level,late_after_promise,breach_of_settlement,reconciliation,salesperson_advance,owner
C1,甲公司,A,24,yes,yes,yes,yes,yes,yes,yes,yes,yes,yes,yes,3000000,1000000,5000000,2,5,2,8,3,no,no,0,no,S01
C2,乙公司,B,6,yes,yes,no,no,no,no,no,no,no,no,no,750000,60000,500000,1,1,1,2,1,yes,yes,-1,yes,S02
C3,丙公司,mixed,12,no,no,no,no,no,no,no,yes,yes,yes,yes,1000000,100000,1000000,2,5,2,8,3,no,no,0,no,S03
"""

CHINESE_HEADER = ("客户编号,客户名称,业务类型,合作月数,营业执照,税务登记证,特殊行业许可证,"
                  "一般纳税人资格证,商标许可证,合同订单,委托加工证明,ISO9000认证,ISO14000认证,"
                  "银行信用级别,纳税信用级别,交易金额,赢利贡献,回款总额,合作态度,产品销售状况,"
                  "经营状态,设立年限,员工工资水平,承诺后未按期付款,未按合同约定结算,对账情况,"
                  "业务员垫支,负责人")
CHINESE_ROWS = [
    ["C1", "甲公司", "A业务", 24, "是", "是", "√", "是", "有", "是", "是", "是", "是", "是", "是",
     "300万", "100万", "¥5,000,000.00", "非常配合", "非常好", "满负荷", 8, "非常高", "否", "否",
     "正常", "否", "S01"],
    ["C2", "乙公司", "B业务", 6, "是", "是", "否", "否", "无", "否", "否", "否", "否", "否", "否",
     "75万", "6万", "500,000", "配合", "普通", "一般", 2, "普通", "是", "是", "被迫对账", "是",
     "S02"],
    ["C3", "丙公司", "混合", 12, "否", "否", "否", "否", "无", "否", "否", "是", "是", "是", "是",
     "100万", "10万", "100万", "非常配合", "非常好", "满负荷", 8, "非常高", "否", "否", "正常",
     "否", "S03"],
]
CHINESE = CHINESE_HEADER + "\n" + "\n".join(
    ",".join(f'"{v}"' if "," in str(v) else str(v) for v in row) for row in CHINESE_ROWS) + "\n"

SCORE_COLUMNS = ["customer_id", "business_type", "months_active", "annualisation",
                 "legal_points", "other_points", "sales_points", "profit_points",
                 "payment_points", "subjective_points", "bad_record_points", "score", "level",
                 "adjustments", "final_level", "grade", "grade_label", "credit_limit",
                 "approver", "status", "next_level_points", "policy_id", "owner"]


def invoke(*args):
    return CliRunner().invoke(cli, ["score-credit", *args, "--as-of", "2026-10-31"])


def read_csv(text):
    return pd.read_csv(io.StringIO(text), dtype={"customer_id": str})


@pytest.fixture
def english(write_text):
    return write_text("customers.csv", ENGLISH)


def test_scores_an_english_csv(english):
    result = invoke(english)
    assert result.exit_code == 0, result.output
    out = read_csv(result.stdout).set_index("customer_id")
    assert out.score.to_dict() == {"C1": 90, "C2": 38, "C3": 0 + 5 + 12 + 6 + 15 + 15}
    assert out.loc["C1", ["level", "grade", "credit_limit", "approver"]].tolist() == \
        [1, 1, 800_000, "general_manager"]
    assert out.loc["C2", ["annualisation", "sales_points", "profit_points",
                          "payment_points", "subjective_points", "bad_record_points"]
                   ].tolist() == [2, 12, 6, 15, 5, -3]
    assert out.loc["C2", ["final_level", "grade", "grade_label", "credit_limit", "approver"]
                   ].tolist() == [5, 4, "四级", 0, "sales_vp"]
    assert out.loc["C2", "adjustments"] == "subjective_below_10;salesperson_advance"
    assert out.loc["C3", ["status", "grade_label", "credit_limit", "approver"]].tolist() == \
        ["cash_only", "现款现货", 0, "sales_vp"]
    assert out.loc["C1", "owner"] == "S01"  # passed through for visit-plan
    # stderr ends with the book: customers per grade and the total of the limits
    assert result.stderr.strip().splitlines()[-2:] == [
        "customers per grade: 一级 1, 二级 0, 三级 0, 四级 1, cash_only 1 (3 customers)",
        "total credit limit: 800,000.00"]


def test_chinese_gb18030_and_xlsx_give_identical_results(english, write_text, tmp_path):
    gbk = write_text("客户.csv", CHINESE, encoding="gb18030")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(CHINESE_HEADER.split(","))
    for row in CHINESE_ROWS:
        sheet.append(row)
    xlsx = tmp_path / "客户.xlsx"
    book.save(xlsx)
    results = [invoke(path) for path in (english, gbk, str(xlsx))]
    assert [r.exit_code for r in results] == [0, 0, 0], [r.output for r in results]
    # a column cskit only passes through keeps each file's own header
    # (issue 15 item 3): owner in the English file, 负责人 in the Chinese ones
    frames = [read_csv(r.stdout).rename(columns={"负责人": "owner"})[SCORE_COLUMNS]
              for r in results]
    assert "负责人" in read_csv(results[1].stdout).columns
    assert "owner" not in read_csv(results[2].stdout).columns
    pd.testing.assert_frame_equal(frames[0], frames[1])
    pd.testing.assert_frame_equal(frames[0], frames[2])
    assert read_csv(results[0].stdout).reasons.equals(read_csv(results[1].stdout).reasons)


def test_lang_zh_headers_and_reasons(english):
    result = invoke(english, "--lang", "zh")
    assert result.exit_code == 0, result.output
    out = read_csv(result.stdout)
    for header in ("客户编号", "总分", "级别", "最终级别", "等级", "等级名称", "赊欠限额",
                   "审批人", "状态", "说明", "法律资质", "主观评价"):
        assert header in out.columns
    c2 = out[out["客户编号"] == "C2"].iloc[0]
    assert "新客户合作6个月" in c2["说明"] and "不良记录" in c2["说明"]
    # codes in Chinese (issue 15 item 2; seed 004 第十条(6) 由销售副总控制)
    assert c2["审批人"] == "销售副总" and c2["状态"] == "已评级"


def test_xlsx_output_for_the_credit_committee(english, tmp_path):
    target = tmp_path / "credit.xlsx"
    result = invoke(english, "-o", str(target))
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["Credit", "Parameters"]
    sheet = book["Credit"]
    headers = [c.value for c in sheet[1]]
    assert headers[:13] == ["customer_id", "customer_name", "business_type", "months_active",
                            "annualisation", "legal_points", "other_points", "sales_points",
                            "profit_points", "payment_points", "subjective_points",
                            "bad_record_points", "score"]
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    limit = sheet.cell(row=2, column=headers.index("credit_limit") + 1)
    assert limit.value == 800_000 and "#,##0" in limit.number_format
    assert sheet.cell(row=2, column=headers.index("score") + 1).value == 90
    params = {r[0]: r[1] for r in book["Parameters"].iter_rows(min_row=2, values_only=True)}
    assert params["as_of"] == "2026-10-31"
    assert "policy_id" in params["policy credit"]


def test_bad_value_is_exit_1_naming_file_row_and_column(write_text):
    bad = ENGLISH.replace("C2,乙公司,B,6,yes,yes,no,no,no,no,no,no,no,no,no,750000,60000,"
                          "500000,1,1",
                          "C2,乙公司,B,6,yes,yes,no,no,no,no,no,no,no,no,no,750000,60000,"
                          "500000,很好,1")
    path = write_text("bad.csv", bad)
    result = invoke(path)
    assert result.exit_code == 1
    assert "bad.csv" in result.stderr and "row 3" in result.stderr
    assert "cooperation" in result.stderr and "很好" in result.stderr
    assert "Traceback" not in result.output


def test_rejects_carries_on(write_text, tmp_path):
    bad = ENGLISH.replace(",750000,", ",lots,")
    path = write_text("bad.csv", bad)
    rejects = tmp_path / "rejects.csv"
    result = invoke(path, "--rejects", str(rejects))
    assert result.exit_code == 0, result.output
    assert read_csv(result.stdout).customer_id.tolist() == ["C1", "C3"]
    assert "C2" in rejects.read_text(encoding="utf-8-sig")


def test_a_file_without_scoring_columns_is_an_error(write_text):
    path = write_text("ids.csv", "customer_id,customer_name\nC1,甲\n")
    result = invoke(path)
    assert result.exit_code == 1
    assert "ids.csv" in result.stderr


def test_absent_scoring_columns_are_named_on_stderr(write_text):
    path = write_text("few.csv", "customer_id,business_license,annual_sales\nC1,yes,600000\n")
    result = invoke(path)
    assert result.exit_code == 0, result.output
    assert "scored 0 for everyone: tax_registration" in result.stderr
    assert read_csv(result.stdout).reasons[0].startswith("not in the file, scored 0:")


def test_previous_in_chinese_headers_and_exposure(english, write_text, tmp_path):
    # last quarter's output, written in Chinese, read back
    last = tmp_path / "last.csv"
    first = invoke(english, "--lang", "zh", "-o", str(last))
    assert first.exit_code == 0, first.output
    text = last.read_text(encoding="utf-8-sig").replace("C3,丙公司", "C9,旧客户")
    last.write_text(text, encoding="utf-8")
    exposure = write_text("aging.csv", "customer_id,customer_name,outstanding\n"
                                       "C1,甲公司,\"900,000.00\"\nC2,乙公司,0\n")
    result = invoke(english, "--previous", str(last), "--exposure", exposure)
    assert result.exit_code == 0, result.output
    out = read_csv(result.stdout).set_index("customer_id")
    assert out.change.to_dict() == {"C1": "unchanged", "C2": "unchanged", "C3": "new",
                                    "C9": "dropped"}
    assert out.loc["C1", "previous_limit"] == 800_000 and out.loc["C1", "previous_grade"] == 1
    assert out.loc["C1", ["outstanding", "available_credit", "hold"]].tolist() == \
        [900_000, -100_000, True]
    assert out.loc["C2", "hold"] == False  # noqa: E712 (a CSV value)
    assert "changes: 0 upgraded, 0 downgraded, 2 unchanged, 1 new, 1 dropped" in result.stderr
    # the dropped customer (C9, cash only last time) had no limit: the book is unchanged
    assert result.stderr.strip().splitlines()[-1] == (
        "total credit limit: 800,000.00 (previous 800,000.00, change +0.00)")


def test_policy_file_changing_a_tier(english, write_text):
    # sales 3,000,000 now reaches a tier of 20 points: C1 90 → 93
    policy = write_text("credit.toml", "[tiers.sales]\nfloors = [3000000, 1000000]\n"
                                       "points = [20, 10]\nbelow = 2\n")
    result = invoke(english, "--policy", policy)
    assert result.exit_code == 0, result.output
    out = read_csv(result.stdout).set_index("customer_id")
    assert out.loc["C1", "sales_points"] == 20 and out.loc["C1", "score"] == 93
    # C2's 1,500,000 annualised → 10
    assert out.loc["C2", "sales_points"] == 10
    default = read_csv(invoke(english).stdout)
    assert out.policy_id.iloc[0] != default.policy_id.iloc[0]


def test_policy_file_with_a_bad_key(english, write_text):
    policy = write_text("bad.toml", "[levels]\nflors = [90, 80, 70, 60]\n")
    result = invoke(english, "--policy", policy)
    assert result.exit_code == 1
    assert "levels.flors" in result.stderr and "did you mean levels.floors" in result.stderr


def test_policy_file_with_tiers_out_of_order(english, write_text):
    policy = write_text("bad.toml", "[levels]\nfloors = [60, 70, 80, 90]\n")
    result = invoke(english, "--policy", policy)
    assert result.exit_code == 1 and "levels.floors: floors must descend" in result.stderr


@pytest.mark.skipif(not (SAMPLES / "customers.xlsx").exists(), reason="samples not generated")
def test_demo_on_samples(tmp_path):
    out = tmp_path / "credit.csv"
    result = invoke(str(SAMPLES / "customers.xlsx"), "--previous",
                    str(SAMPLES / "credit_previous.csv"), "-o", str(out))
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out)
    master = pd.read_csv(SAMPLES / "customers.csv")
    assert set(master.customer_id) <= set(frame.customer_id)
    # owner keeps the sample workbook's own header (负责人)
    assert {"负责人", "phone", "grade", "credit_limit", "change"} <= set(frame.columns)
    same = CliRunner().invoke(cli, ["score-credit", str(SAMPLES / "customers.csv"),
                                    "--as-of", "2026-10-31"])
    english = read_csv(same.stdout).set_index("customer_id")
    chinese = frame.astype({"customer_id": str}).set_index("customer_id").loc[english.index]
    for column in ("score", "final_level", "credit_limit", "approver", "status"):
        assert english[column].equals(chinese[column]), column


def test_exposure_from_aging_summary_and_open_items(english, write_text):
    # seed 004 第十二条 对超过授信额度或授信时间的业务不予审批放行: aging-report's
    # summary (max_days_overdue) and its --detail open items (days_overdue per invoice)
    # give the same holds. C1 (limit 800,000) is 12 days overdue; C2 (limit 0) owes 10.
    summary = write_text("aging.csv", "customer_id,outstanding,max_days_overdue\n"
                                      "C1,1000,12\nC2,10,0\n")
    detail = write_text("open.csv", "customer_id,invoice_no,outstanding,days_overdue\n"
                                    "C1,F1,400,-5\nC1,F2,600,12\nC2,F3,10,0\n")
    for path in (summary, detail):
        result = invoke(english, "--exposure", path)
        assert result.exit_code == 0, result.output
        out = read_csv(result.stdout).set_index("customer_id")
        assert out.hold.tolist() == [True, True, False]
        assert out.hold_reason.fillna("-").tolist() == ["over_term", "over_limit", "-"]
        assert out.max_days_overdue.tolist() == [12, 0, 0]
        assert out.loc["C1", "outstanding"] == 1000
        assert out.loc["C1", "approver"] == "general_manager"
        assert out.reasons.str.contains("→ approver").all()


def test_exposure_with_a_customer_twice_and_no_days_overdue_is_bad_input(english, write_text):
    path = write_text("owed.csv", "customer_id,outstanding\nC1,5\nC1,6\n")
    result = invoke(english, "--exposure", path)
    assert result.exit_code == 1
    assert "owed.csv" in result.stderr and "row 3" in result.stderr
    assert "one row per customer" in result.stderr


def test_exposure_without_days_overdue_warns_the_term_is_not_checked(english, write_text):
    path = write_text("owed.csv", "customer_id,outstanding\nC1,5\n")
    result = invoke(english, "--exposure", path)
    assert result.exit_code == 0, result.output
    assert "the credit term is not checked" in result.stderr
    assert "hold_reason" in read_csv(result.stdout).columns


def test_no_business_type_and_no_subjective_columns_warn(write_text):
    path = write_text("few.csv", "customer_id,business_license,annual_sales\nC1,yes,600000\n")
    result = invoke(path)
    assert result.exit_code == 0, result.output
    assert result.stderr.count("no business_type column") == 1
    assert result.stderr.count("subjective-evaluation columns not in the file") == 1
