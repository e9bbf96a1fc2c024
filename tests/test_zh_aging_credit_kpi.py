"""aging-report, score-credit and rollup-kpi speak Chinese with --lang zh:
errors (bad options, policies, rows, org charts), warnings and the stderr
summary, each still naming the file, row and column."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from cskit.cli import cli
from cskit.errors import DataError
from cskit.i18n import render


@pytest.fixture(autouse=True)
def strict(monkeypatch):
    # a message with no Chinese text becomes an internal error (exit 1)
    monkeypatch.setenv("CSKIT_STRICT_TEXT", "1")


def run(*args):
    return CliRunner().invoke(cli, [*map(str, args), "--lang", "zh"])


def run_en(*args):
    return CliRunner().invoke(cli, [*map(str, args), "--lang", "en"])


def no_bug(result):
    assert "内部错误" not in result.stderr and "internal error" not in result.stderr
    assert "Traceback" not in result.output


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


# --- aging-report -------------------------------------------------------------------
INVOICES = """\
customer_id,invoice_no,invoice_date,due_date,amount,against_invoice,ship_date,salesperson
C1,I1,2026-06-01,2026-07-01,1000,,2026-01-01,S1
C2,I2,2026-09-01,2026-10-01,800,,,S2
C2,CN1,2026-09-15,,-100,NOPE,,S2
"""
PAYMENTS = """customer_id,payment_date,amount,invoice_no
C1,2026-07-20,500,
C2,2026-09-20,100,I2
C2,2026-09-21,50,XX9
"""


@pytest.fixture
def ledger(tmp_path):
    return {"invoices": write(tmp_path, "invoices.csv", INVOICES),
            "good": write(tmp_path, "invoices_ok.csv", INVOICES.replace("NOPE", "I2")),
            "payments": write(tmp_path, "payments.csv", PAYMENTS),
            "paid_ok": write(tmp_path, "payments_ok.csv", PAYMENTS.replace("XX9", "I1")),
            "limits": write(tmp_path, "limits.csv", "customer_id,credit_limit\nC1,100\n")}


@pytest.mark.parametrize("buckets, chinese", [
    ("60,30", "天数须从小到大排列"),
    ("a,b", "应为用逗号分隔的整数天数"),
    ("0,30", "天数应为大于 0 的整数"),
])
def test_bad_buckets_option(ledger, buckets, chinese):
    result = run("aging-report", ledger["good"], "--buckets", buckets)
    no_bug(result)
    assert result.exit_code == 2
    assert "--buckets 参数有误" in result.stderr and chinese in result.stderr


def test_bad_aging_policy(ledger, tmp_path):
    policy = write(tmp_path, "aging.toml", 'buckets = [90, 30]\nbasis = "ship"\n'
                                           'dso_method = "median"\ndso_window_days = 0\n')
    result = run("aging-report", ledger["good"], "--policy", policy)
    no_bug(result)
    assert result.exit_code == 1
    assert "buckets 设置有误：天数须从小到大排列" in result.stderr
    assert "basis：只能是 due, invoice 之一，实际是 'ship'" in result.stderr
    assert "dso_method：只能是" in result.stderr
    assert "dso_window_days：应为不少于 1 的天数" in result.stderr
    english = run_en("aging-report", ledger["good"], "--policy", policy)
    assert english.exit_code == 1 and "basis: expected one of due, invoice" in english.stderr


def test_credit_note_against_an_unknown_invoice(ledger):
    result = run("aging-report", ledger["invoices"], "--as-of", "2026-10-31")
    no_bug(result)
    assert result.exit_code == 1
    assert "invoices.csv，第 4 行，“against_invoice”列：“NOPE”" in result.stderr
    assert "中已有的发票号（这张红字发票所冲减的原发票）" in result.stderr
    assert "--rejects" in result.stderr and "请改正文件" in result.stderr


def test_payment_to_an_unknown_invoice(ledger, tmp_path):
    result = run("aging-report", ledger["good"], "--payments", ledger["payments"],
                 "--as-of", "2026-10-31")
    no_bug(result)
    assert result.exit_code == 1
    assert "payments.csv，第 4 行，“invoice_no”列：“XX9”" in result.stderr
    assert "如这笔回款不对应某一张发票，请留空" in result.stderr
    # with --rejects the row is set aside, its reason in Chinese
    rejects = tmp_path / "rejects.csv"
    result = run("aging-report", ledger["good"], "--payments", ledger["payments"],
                 "--as-of", "2026-10-31", "--rejects", rejects, "--format", "csv")
    no_bug(result)
    assert result.exit_code == 0, result.output
    reasons = rejects.read_text(encoding="utf-8-sig")
    assert "XX9" in reasons and "中已有的发票号" in reasons
    english = run_en("aging-report", ledger["good"], "--payments", ledger["payments"],
                     "--as-of", "2026-10-31")
    assert "payments.csv, row 4, column invoice_no: 'XX9' — an invoice number found in" \
        in english.stderr


def test_aging_summary_in_chinese(ledger):
    result = run("aging-report", ledger["good"], "--payments", ledger["paid_ok"],
                 "--credit-limits", ledger["limits"], "--as-of", "2026-10-31",
                 "--policy", write_policy(ledger, "dso_target_days = 1\n"), "--format", "csv")
    no_bug(result)
    assert result.exit_code == 0, result.output
    assert "账龄截至 2026-10-31（按到期日计算）：未结发票" in result.stderr
    assert "应收余额" in result.stderr and "净应收" in result.stderr
    assert "应收账款周转天数 99.6 天（目标 1 天），最佳周转天数 0.0 天" in result.stderr
    assert "← 超过目标" in result.stderr
    assert "预警：发货6个月未回款的客户 1 个（目标为零；涉及发票 1 张）；超出信用额度的客户 1 个" in result.stderr
    english = run_en("aging-report", ledger["good"], "--payments", ledger["paid_ok"],
                     "--credit-limits", ledger["limits"], "--as-of", "2026-10-31",
                     "--basis", "invoice", "--format", "csv")
    assert "(invoice basis)" in english.stderr and "(target 75)" in english.stderr
    assert "alerts: customers with an invoice unpaid 6 months after shipment: 1 " \
           "(goal 0; invoices: 1); " \
           "1 customer over their credit limit" in english.stderr


def write_policy(ledger, text):
    from pathlib import Path

    path = Path(ledger["good"]).parent / "policy.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


# --- score-credit --------------------------------------------------------------------
CUSTOMERS = """\
customer_id,customer_name,business_type,months_active,business_license,tax_registration,\
annual_sales,annual_payments,cooperation
C1,甲公司,A,24,yes,yes,3000000,5000000,2
C2,乙公司,B,12,yes,no,750000,500000,1
C3,丙公司,A,2,yes,yes,100000,100000,1
"""

BAD_CREDIT_POLICY = """
[legal]
business_license = -2
[tiers.sales]
floors = [1000, 2000]
points = [10]
[tiers.profit]
floors = [100000, 0]
points = [5, 1]
[bad_records]
late_after_promise = 1
[levels]
floors = [80, 90, 70, 60]
credit_limits = [800000, -1]
[grades]
A = [1, 1, 2, 3]
B = [1, 2, 3, 4, 9]
stricter = "C"
[new_customers]
unrated_below_months = 14
full_year_months = 13
[downgrades]
subjective_levels = -1
[approval]
exception_max = -5
"""


def test_bad_credit_policy(tmp_path):
    customers = write(tmp_path, "customers.csv", CUSTOMERS)
    policy = write(tmp_path, "credit.toml", BAD_CREDIT_POLICY)
    result = run("score-credit", customers, "--policy", policy)
    no_bug(result)
    assert result.exit_code == 1
    err = result.stderr
    assert "credit 策略（" in err and "credit.toml" in err
    for chinese in ("tiers.sales：floors 与 points 的个数须相同（现有 floors 2 个，points 1 个）",
                    "tiers.sales.floors：floors 须从大到小排列（最高一档在前）",
                    "tiers.profit.floors：各档下限须大于 0",
                    "legal.business_license：分值不能为负数",
                    "bad_records.late_after_promise：扣分须为 0 或负数",
                    "levels.floors：floors 须从大到小排列",
                    "levels.credit_limits：须有 5 个信用额度，每个级别一个（levels.floors 有 4 个分数线）",
                    "levels.credit_limits：信用额度不能为负数",
                    "grades.A：须有 5 个等级，每个级别一个",
                    "grades.B：等级须在 1 到 4 之间",
                    "grades.stricter：只能填 \"A\" 或 \"B\"",
                    "new_customers：unrated_below_months 须在 0 到 full_year_months 之间",
                    "new_customers.full_year_months：最多为 12",
                    "downgrades.subjective_levels：不能为负数",
                    "approval：金额不能为负数"):
        assert chinese in err, chinese
    english = run_en("score-credit", customers, "--policy", policy)
    assert "levels.credit_limits: needs 5 limits, one per level" in english.stderr


def test_credit_warnings_and_book_in_chinese(tmp_path):
    customers = write(tmp_path, "customers.csv", CUSTOMERS)
    previous = write(tmp_path, "previous.csv", "customer_id,grade,credit_limit\n"
                                               "C1,1,800000\nC9,4,0\n")
    exposure = write(tmp_path, "exposure.csv", "customer_id,outstanding\nC1,100\nC7,5\nC8,6\n")
    result = run("score-credit", customers, "--previous", previous, "--exposure", exposure,
                 "--as-of", "2026-10-31", "--format", "csv")
    no_bug(result)
    assert result.exit_code == 0, result.output
    err = result.stderr
    assert "注意：" in err and "customers.csv：文件中没有以下评分列，所有客户这些项均计 0 分：" in err
    assert "特殊行业许可证" in err and "年赢利额" in err
    assert "exposure.csv：有 2 个客户不在" in err and "中，已忽略" in err
    assert "各信用等级客户数：一级" in err and "未评级 1 个" in err and "（共 3 个客户）" in err
    assert "与上期相比：升级" in err and "新增 2 个，移出 1 个" in err
    assert "信用额度合计：" in err and "（上期 800,000.00，变动" in err
    english = run_en("score-credit", customers, "--previous", previous, "--exposure",
                     exposure, "--as-of", "2026-10-31", "--format", "csv")
    assert "2 customers not in" in english.stderr
    assert "unrated_new 1 (3 customers)" in english.stderr
    assert "2 new, 1 dropped" in english.stderr


def test_no_scoring_column_from_python():
    import pandas as pd

    from cskit import credit
    from cskit.policy import defaults

    with pytest.raises(DataError) as caught:
        credit.score_customers(pd.DataFrame({"customer_id": ["C1"]}), defaults("credit"),
                               "2026-10-31", source="ids.csv")
    assert caught.value.format("zh").startswith("ids.csv：文件中没有任何评分列，至少应有以下一列：营业执照")
    assert "at least one scoring column: business_license" in caught.value.format("en")


# --- rollup-kpi ----------------------------------------------------------------------
ORG = """staff_id,name,role,manager_id,branch
D1,Director,director,,HQ
M1,Manager,branch_manager,D1,North
S1,Spec One,specialist,M1,North
S2,Spec Two,specialist,M1,North
"""
SURVEYS = ("staff_id,date,score\n" + "S1,2026-10-05,5\n" * 6 + "S2,2026-10-06,2\n" * 6
           + "X9,2026-10-07,5\n" * 3)


@pytest.fixture
def kpi_files(tmp_path):
    return {"org": write(tmp_path, "org.csv", ORG),
            "surveys": write(tmp_path, "surveys.csv", SURVEYS)}


@pytest.mark.parametrize("args, chinese", [
    (["--period", "2026-10", "--from", "2026-09-01", "--to", "2026-10-31"],
     "--period 与 --from/--to 只能二选一"),
    (["--from", "2026-09-01"], "--from 和 --to 须同时给出"),
    (["--from", "九月", "--to", "2026-10-31"], "--from：“九月”不是日期，应为如 2026-08-01"),
    (["--from", "2026-10-01", "--to", "2026-09-30"], "--to 2026-09-30 早于 --from 2026-10-01"),
    (["--period", "十月"], "--period：“十月”不是月份或季度，应为如 2026-10 或 2026-Q3"),
    (["--period", "2026"], "“2026”不是月份或季度"),
])
def test_kpi_usage_errors(kpi_files, args, chinese):
    result = run("rollup-kpi", "--org", kpi_files["org"], "--surveys", kpi_files["surveys"],
                 *args)
    no_bug(result)
    assert result.exit_code == 2 and chinese in result.stderr


def test_kpi_nothing_to_measure_and_payments_alone(kpi_files):
    result = run("rollup-kpi", "--org", kpi_files["org"])
    no_bug(result)
    assert result.exit_code == 2
    assert "没有可考核的数据：请至少给出 --complaints, --surveys" in result.stderr
    result = run("rollup-kpi", "--org", kpi_files["org"], "--surveys", kpi_files["surveys"],
                 "--payments", kpi_files["surveys"])
    no_bug(result)
    assert result.exit_code == 2 and "--payments 须与 --invoices 一起使用" in result.stderr


@pytest.mark.parametrize("org, chinese, where", [
    (ORG.replace("S2,Spec Two,specialist,M1", "S2,Spec Two,specialist,S2"),
     "员工不能是自己的直接上级", "第 5 行，“manager_id”列：“S2”"),
    (ORG.replace("S2,Spec Two,specialist,M1", "S2,Spec Two,specialist,ZZ9"),
     "应为直接上级的工号；组织架构表中没有这个工号", "第 5 行，“manager_id”列：“ZZ9”"),
    (ORG.replace("M1,Manager,branch_manager,D1", "M1,Manager,branch_manager,S1"),
     "直接上级关系形成了循环（", "第 3 行，“manager_id”列"),
    (ORG.replace("M1,Manager,branch_manager,D1", "M1,Manager,branch_manager,"),
     "只能有一人没有直接上级（部门最高负责人）；现有 2 人：D1, M1", "第 3 行，“manager_id”列"),
    (ORG + "unassigned,Nobody,specialist,M1,North\n",
     "“unassigned”已留作不在组织架构表中的人员的记录编号，请换一个工号",
     "第 6 行，“staff_id”列：“unassigned”"),
])
def test_org_chart_problems(kpi_files, tmp_path, org, chinese, where):
    path = write(tmp_path, "org_bad.csv", org)
    result = run("rollup-kpi", "--org", path, "--surveys", kpi_files["surveys"],
                 "--period", "2026-10")
    no_bug(result)
    assert result.exit_code == 1
    assert f"org_bad.csv，{where}" in result.stderr and chinese in result.stderr
    assert "组织架构表须为树状" in result.stderr


def test_cycle_in_english_still_named(kpi_files, tmp_path):
    path = write(tmp_path, "org_bad.csv",
                 ORG.replace("M1,Manager,branch_manager,D1", "M1,Manager,branch_manager,S1"))
    result = run_en("rollup-kpi", "--org", path, "--surveys", kpi_files["surveys"],
                    "--period", "2026-10")
    assert result.exit_code == 1
    assert "row 3, column manager_id: 'S1' — the managers form a cycle" in result.stderr
    assert "The org chart must be a tree" in result.stderr


HALF_DONE_KPI = """
[custom_kpis.half_done]
label = "半成品"
target = "high"
extra = 1
"""

BAD_KPI_POLICY = """
cap = 0
satisfied_score = 7.0
dso_method = "median"
unassigned_id = " "
[appraisal]
self_weight = 0.5
manager_weight = 0.7
[ranking]
by = "rank"
reward = -1.0
penalty = 10.0
improvement_days = -1
reassign_after = 0
[kpis.dso_days]
direction = "<"
roles = ["boss"]
target = -1.0
scope = "team"
role_targets = { boss = 1 }
[custom_kpis.satisfaction_rate]
label = "满意度"
label_en = "Satisfaction"
source = "surveys"
measure = "happy"
target = 0.9
direction = ">="
weight = -1.0
roles = ["specialist"]
role_targets = { specialist = -1 }
min_sample = 0
scope = "own"
unit = "percent"
"""


def test_bad_kpi_policy(kpi_files, tmp_path):
    err = ""
    for name, text in (("kpi.toml", BAD_KPI_POLICY), ("half.toml", HALF_DONE_KPI)):
        policy = write(tmp_path, name, text)
        result = run("rollup-kpi", "--org", kpi_files["org"], "--surveys", kpi_files["surveys"],
                     "--period", "2026-10", "--policy", policy)
        no_bug(result)
        assert result.exit_code == 1 and "kpi 策略（" in result.stderr
        err += result.stderr
    for chinese in ("cap：须大于 0", "satisfied_score：须在 1 到 5 之间",
                    "dso_method：只能是 \"average\", \"period-end\", \"countback\" 之一",
                    "unassigned_id：不能为空",
                    "appraisal：self_weight 与 manager_weight 均不能为负数，且两者相加须等于 1",
                    "ranking.by：只能是 \"appraisal\", \"score\" 之一",
                    "ranking.reward：不能为负数", "ranking.penalty：须为 0 或负数（扣分）",
                    "ranking.improvement_days：不能为负数", "ranking.reassign_after：至少为 1",
                    "kpis.dso_days.direction：只能是 \">=\" 或 \"<=\"",
                    "kpis.dso_days.target：须为 0（不设目标）或正数",
                    "kpis.dso_days.scope：只能是 \"own\", \"department\" 之一",
                    "kpis.dso_days.roles：没有 'boss' 这个岗位（可选岗位：director",
                    "kpis.dso_days.role_targets.boss：没有这个岗位",
                    "custom_kpis.half_done.source：缺少此设置项，每个考核指标都须填写",
                    "custom_kpis.half_done.target：应为数字，实际是 'high'",
                    "custom_kpis.half_done.extra：没有这个设置项",
                    "custom_kpis.satisfaction_rate.measure：来源为 surveys 的考核指标只能是 satisfied 之一",
                    "custom_kpis.satisfaction_rate.source：自定义考核指标须设 source = \"measures\"",
                    "custom_kpis.satisfaction_rate.weight：不能为负数",
                    "custom_kpis.satisfaction_rate.unit：只能是",
                    "custom_kpis.satisfaction_rate.role_targets.specialist：应为不小于 0 的数字",
                    "custom_kpis.satisfaction_rate：与内置考核指标同名；请直接修改 "
                    "kpis.satisfaction_rate"):
        assert chinese in err, chinese
    english = run_en("rollup-kpi", "--org", kpi_files["org"], "--surveys",
                     kpi_files["surveys"], "--period", "2026-10", "--policy", policy)
    assert "custom_kpis.half_done.target: expected a number, got 'high'" in english.stderr
    assert "custom_kpis.half_done.source: missing" in english.stderr


def test_custom_kpi_table_that_is_not_a_table(kpi_files, tmp_path):
    policy = write(tmp_path, "kpi.toml", "[custom_kpis]\nodd = 5\n")
    result = run("rollup-kpi", "--org", kpi_files["org"], "--surveys", kpi_files["surveys"],
                 "--period", "2026-10", "--policy", policy)
    no_bug(result)
    assert result.exit_code == 1
    assert "custom_kpis.odd：应为考核指标的设置表（[段落]）" in result.stderr


def test_invoices_without_a_salesperson(kpi_files, tmp_path):
    ledger = write(tmp_path, "invoices.csv",
                   "customer_id,invoice_no,invoice_date,amount\nK1,I1,2026-10-01,100\n")
    result = run("rollup-kpi", "--org", kpi_files["org"], "--invoices", ledger,
                 "--period", "2026-10")
    no_bug(result)
    assert result.exit_code == 1
    assert "invoices.csv，“salesperson”列：缺少此列：须有“业务员”列" in result.stderr
    assert "文件中现有的列：customer_id, invoice_no, invoice_date, amount" in result.stderr


def test_kpi_row_rejections(kpi_files, tmp_path):
    org = ["--org", kpi_files["org"], "--period", "2026-10"]
    cases = [
        ("--complaints", "complaints.csv",
         "complaint_id,staff_id,opened_at,closed_at\n"
         "C1,S1,2026-10-02 09:00,2026-10-02 10:00\nC2,S1,2026-10-03 09:00,2026-10-01 10:00\n",
         "complaints.csv，第 3 行，“closed_at”列", "应不早于投诉受理时间（opened_at）"),
        ("--surveys", "surveys2.csv",
         "staff_id,date,score,satisfied\nS1,2026-10-05,5,\nS1,2026-10-06,,\n",
         "surveys2.csv，第 3 行，“score”列", "评分（1–5）和是否满意（是/否）都为空，应至少填写一项"),
        ("--sales", "sales.csv",
         "staff_id,period,revenue,gross_profit,target\nS1,2026-10,100,20,90\nS1,十月,1,1,1\n",
         "sales.csv，第 3 行，“period”列：“十月”", "应为月份，如 2026-10"),
        ("--sales", "sales2.csv",
         "staff_id,period,date,revenue,gross_profit,target\nS1,2026-10,,100,20,90\n"
         "S1,,,1,1,1\n",
         "sales2.csv，第 3 行，“period”列", "应填写期间（如 2026-10）或日期"),
        ("--measures", "measures.csv",
         "staff_id,period,measure,value\nS1,2026-10,report_accuracy,0.9\n"
         "S1,下月,report_accuracy,0.9\n",
         "measures.csv，第 3 行，“period”列：“下月”", "应为月份（如 2026-10）或季度（如 2026-Q3）"),
        ("--appraisals", "appraisals.csv",
         "staff_id,period,self_score,manager_score\nS1,2026-10,90,80\nS2,Q5,90,80\n",
         "appraisals.csv，第 3 行，“period”列：“Q5”", "应为月份（如 2026-10）或季度"),
    ]
    for option, name, text, where, chinese in cases:
        path = write(tmp_path, name, text)
        result = run("rollup-kpi", *org, option, path)
        no_bug(result)
        assert result.exit_code == 1, (name, result.output)
        assert where in result.stderr and chinese in result.stderr, (name, result.stderr)
        rejects = tmp_path / f"rejects_{name}"
        result = run("rollup-kpi", *org, option, path, "--rejects", rejects, "--format", "csv")
        no_bug(result)
        assert result.exit_code == 0, (name, result.output)
        assert chinese in rejects.read_text(encoding="utf-8-sig")


def test_kpi_warnings_and_summary_in_chinese(kpi_files, tmp_path):
    measures = write(tmp_path, "measures.csv", "staff_id,period,measure,value\n"
                                               "S1,2026-10,calls_made,30\n")
    ledger = write(tmp_path, "invoices.csv", "customer_id,invoice_no,invoice_date,amount,"
                                             "salesperson\nK1,I1,2026-10-01,100,S1\n"
                                             "K2,I2,2026-10-02,50,\n")
    result = run("rollup-kpi", "--org", kpi_files["org"], "--surveys", kpi_files["surveys"],
                 "--measures", measures, "--invoices", ledger, "--period", "2026-10",
                 "--format", "csv")
    no_bug(result)
    assert result.exit_code == 0, result.output
    err = result.stderr
    assert "注意：" in err
    assert "surveys.csv：有 3 条记录的工号不在组织架构表中，已归入“unassigned”：X9（3 条）" in err
    assert "invoices.csv：有 1 条记录的工号不在组织架构表中" in err and "（空白）（1 条）" in err
    assert "--measures：没有考核指标用到 calls_made（如需考核，请在 --policy 策略文件的 " \
           "[custom_kpis] 下定义）" in err
    assert "rollup-kpi 2026-10：考核对象" in err and "项达标" in err
    assert "排名末位（last_place）：S2 (2026-10)" in err
    english = run_en("rollup-kpi", "--org", kpi_files["org"], "--surveys",
                     kpi_files["surveys"], "--measures", measures, "--invoices", ledger,
                     "--period", "2026-10", "--format", "csv")
    assert "3 records of staff not in the org chart roll up under 'unassigned': " \
           "X9 (3)" in english.stderr
    assert ": 1 record of staff not in the org chart roll up under 'unassigned': " \
           "(blank) (1)" in english.stderr
    assert "--measures: no KPI uses calls_made" in english.stderr
    assert "last_place: S2 (2026-10)" in english.stderr


def test_check_functions_return_both_languages():
    from cskit import aging, credit, kpi
    from cskit.policy import defaults

    broken = dict(defaults("aging"), buckets=[])
    [problem] = aging.check_policy(broken)
    assert render(problem, "en") == ("buckets: expected at least one number of days, "
                                     "like [30, 60, 90, 180]")
    assert render(problem, "zh") == "buckets 设置有误：应至少填一个天数，如 [30, 60, 90, 180]"
    assert aging.check_policy(defaults("aging")) == []
    assert credit.check_policy(defaults("credit")) == []
    assert kpi.check_policy(defaults("kpi")) == []
    with pytest.raises(ValueError) as caught:
        aging.parse_buckets("")
    assert "应为用逗号分隔的整数天数" in render(caught.value.args[0], "zh")
