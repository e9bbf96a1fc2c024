"""cskit rollup-kpi through the command line (CliRunner)."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from cskit.cli import cli

ROOT = Path(__file__).resolve().parent.parent

ORG = """staff_id,name,role,manager_id,branch
D1,Director,director,,HQ
A1,Assistant,assistant,D1,HQ
M1,Manager One,branch_manager,D1,North
M2,Manager Two,branch_manager,D1,South
S1,Spec One,specialist,M1,North
S2,Spec Two,specialist,M1,North
S3,Spec Three,specialist,M2,South
"""

# S1 9/10 satisfied, S2 2/5, S3 6/6, X9 (not in the org) 4/4, and a September row
SURVEYS = ("staff_id,date,score\n"
           + "S1,2026-10-05,5\n" * 9 + "S1,2026-10-06,2\n"
           + "S2,2026-10-07,4\n" * 2 + "S2,2026-10-08,3\n" * 3
           + "S3,2026-10-09,4\n" * 6 + "X9,2026-10-10,5\n" * 4
           + "S1,2026-09-30,1\n")

SALES = """staff_id,period,revenue,gross_profit,target
S1,2025-10,100000,20000,90000
S1,2026-10,120000,24000,100000
S2,2025-10,50000,6000,50000
S2,2026-10,50000,5000,80000
S3,2026-10,30000,6000,30000
"""

APPRAISALS = """staff_id,period,self_score,manager_score
S1,2026-10,90,80
S2,2026-10,70,70
S3,2026-10,100,60
M1,2026-10,80,90
"""


@pytest.fixture
def files(tmp_path):
    paths = {}
    for name, text in (("org.csv", ORG), ("surveys.csv", SURVEYS), ("sales.csv", SALES),
                       ("appraisals.csv", APPRAISALS)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        paths[name.split(".")[0]] = str(path)
    return paths


def invoke(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def read_csv(text):
    import csv
    import io
    return list(csv.DictReader(io.StringIO(text)))


def pick(rows, entity, kpi):
    found = [r for r in rows if r["entity_id"] == entity and r["kpi"] == kpi]
    assert len(found) == 1
    return found[0]


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help(flag):
    result = invoke("rollup-kpi", flag)
    assert result.exit_code == 0
    assert "KPI scorecards" in result.output and "Examples:" in result.output
    assert "cskit rollup-kpi --org org.csv" in result.output


def test_csv_long_table(files):
    result = invoke("rollup-kpi", "--org", files["org"], "--surveys", files["surveys"],
                    "--sales", files["sales"], "--period", "2026-10", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = read_csv(result.stdout)
    assert list(rows[0])[:13] == ["entity_id", "entity_name", "level", "role", "period", "kpi",
                                  "kpi_label", "numerator", "denominator", "value", "target",
                                  "direction", "met"]
    m1 = pick(rows, "M1", "satisfaction_rate")
    # (9 + 2) / (10 + 5), not the mean of 0.9 and 0.4
    assert (float(m1["numerator"]), float(m1["denominator"])) == (11, 15)
    assert float(m1["value"]) == pytest.approx(11 / 15, abs=1e-6)
    assert m1["kpi_label"] == "Customer satisfaction"
    d1 = pick(rows, "D1", "yoy_growth")
    assert float(d1["value"]) == pytest.approx(50000 / 150000, abs=1e-6)
    assert "X9 (4)" in result.stderr and "unassigned" in result.stderr


def test_xlsx_sheets_and_colours(files, tmp_path):
    out = tmp_path / "kpi.xlsx"
    result = invoke("rollup-kpi", "--org", files["org"], "--surveys", files["surveys"],
                    "--sales", files["sales"], "--appraisals", files["appraisals"],
                    "--period", "2026-10", "-o", str(out))
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["KPIs", "Scorecard", "Wide", "Parameters"]
    card = book["Scorecard"]
    header = [c.value for c in card[1]]
    for column in ("entity_id", "period", "score", "appraisal", "rank", "reward", "flags"):
        assert column in header
    by_id = {r[0]: dict(zip(header, r)) for r in card.iter_rows(min_row=2, values_only=True)}
    assert by_id["S1"]["appraisal"] == 83 and by_id["S1"]["reward"] == 100
    assert by_id["S2"]["reward"] == -100 and "last_place" in by_id["S2"]["flags"]
    wide = book["Wide"]
    header = [c.value for c in wide[1]]
    column = header.index("satisfaction_rate")
    cells = {r[0].value: r[column] for r in wide.iter_rows(min_row=2)}
    # S1 0.9 ≥ 0.9 green, S2 0.4 red, the unassigned 4 answers (small sample) no fill
    assert cells["S1"].fill.fgColor.rgb.endswith("C6EFCE")
    assert cells["S2"].fill.fgColor.rgb.endswith("FFC7CE")
    assert cells["unassigned"].fill.fill_type is None
    assert cells["S1"].number_format == "0.0%"
    params = {r[0]: r[1] for r in book["Parameters"].iter_rows(min_row=2, values_only=True)}
    assert params["periods"] == "2026-10"


def test_lang_zh(files, tmp_path):
    out = tmp_path / "kpi_zh.xlsx"
    result = invoke("rollup-kpi", "--org", files["org"], "--surveys", files["surveys"],
                    "--period", "2026-10", "--lang", "zh", "-o", str(out))
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    header = [c.value for c in book["KPIs"][1]]
    assert header[:7] == ["编号", "名称", "级别", "岗位", "期间", "指标", "指标名称"]
    labels = {r[6] for r in book["KPIs"].iter_rows(min_row=2, values_only=True)}
    assert {"客户满意度", "投诉处理结案率"} <= labels
    assert "客户满意度" in [c.value for c in book["Wide"][1]]


def test_gb18030_chinese_headers(files, tmp_path):
    org = tmp_path / "组织.csv"
    org.write_bytes(("工号,姓名,岗位,直接上级,分部\n"
                     "D1,王总,客服总监,,总部\nM1,李经理,客服分部经理,D1,华东\n"
                     "S1,张三,客服专人,M1,华东\nS2,李四,客服专人,M1,华东\n").encode("gb18030"))
    surveys = tmp_path / "调查.csv"
    surveys.write_bytes(("工号,调查日期,是否满意\n" + "S1,2026年10月5日,是\n" * 3
                         + "S2,2026/10/6,否\n" * 2).encode("gb18030"))
    result = invoke("rollup-kpi", "--org", str(org), "--surveys", str(surveys),
                    "--period", "2026-10", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = read_csv(result.stdout)
    d1 = pick(rows, "D1", "satisfaction_rate")
    assert (float(d1["numerator"]), float(d1["denominator"])) == (3, 5)
    assert d1["role"] == "director"


def test_cycle_is_an_input_error(files, tmp_path):
    org = tmp_path / "org_cycle.csv"
    org.write_text(ORG.replace("M1,Manager One,branch_manager,D1", "M1,Manager One,"
                               "branch_manager,S1"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["rollup-kpi", "--org", str(org), "--surveys",
                                      files["surveys"], "--period", "2026-10"])
    assert result.exit_code == 1
    assert str(org) in result.stderr and "row 4" in result.stderr
    assert "column manager_id" in result.stderr and "cycle" in result.stderr
    assert "Traceback" not in result.output


def test_unknown_manager_and_bad_role(files, tmp_path):
    org = tmp_path / "org_bad.csv"
    org.write_text(ORG + "S4,Spec Four,specialist,ZZ9,South\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["rollup-kpi", "--org", str(org), "--surveys",
                                      files["surveys"], "--period", "2026-10"])
    assert result.exit_code == 1 and "row 9" in result.stderr and "ZZ9" in result.stderr


def test_quarter_and_months(files):
    result = invoke("rollup-kpi", "--org", files["org"], "--surveys", files["surveys"],
                    "--period", "2026-Q4", "--format", "csv")
    assert result.exit_code == 0
    assert {r["period"] for r in read_csv(result.stdout)} == {"2026-Q4"}
    result = invoke("rollup-kpi", "--org", files["org"], "--surveys", files["surveys"],
                    "--from", "2026-09-01", "--to", "2026-10-31", "--format", "csv")
    rows = read_csv(result.stdout)
    assert sorted({r["period"] for r in rows}) == ["2026-09", "2026-10"]
    september = [r for r in rows if r["period"] == "2026-09"]
    assert float(pick(september, "S1", "satisfaction_rate")["value"]) == 0.0


@pytest.mark.parametrize("args, message", [
    (["--period", "2026-10", "--from", "2026-09-01", "--to", "2026-10-31"], "either --period"),
    (["--period", "October"], "not a month or a quarter"),
    (["--from", "2026-09-01"], "go together"),
])
def test_usage_errors(files, args, message):
    result = CliRunner().invoke(cli, ["rollup-kpi", "--org", files["org"], "--surveys",
                                      files["surveys"], *args])
    assert result.exit_code == 2 and message in result.stderr


def test_rejects_bad_survey_rows(files, tmp_path):
    surveys = tmp_path / "surveys_bad.csv"
    surveys.write_text(SURVEYS + "S1,2026-10-07,\n", encoding="utf-8")
    rejects = tmp_path / "rejects.csv"
    result = invoke("rollup-kpi", "--org", files["org"], "--surveys", str(surveys),
                    "--period", "2026-10", "--rejects", str(rejects), "--format", "csv")
    assert result.exit_code == 0, result.output
    assert "1 rejected" in result.stderr and rejects.exists()
    result = CliRunner().invoke(cli, ["rollup-kpi", "--org", files["org"], "--surveys",
                                      str(surveys), "--period", "2026-10"])
    # header + 27 rows: the blank score is on row 28
    assert result.exit_code == 1 and "row 28, column score" in result.stderr
    assert "'nan'" not in result.stderr


def test_policy_error_names_the_key(files, tmp_path):
    policy = tmp_path / "kpi.toml"
    policy.write_text("[kpis.dso_days]\ndirection = \"<\"\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["rollup-kpi", "--org", files["org"], "--surveys",
                                      files["surveys"], "--period", "2026-10",
                                      "--policy", str(policy)])
    assert result.exit_code == 1 and "kpis.dso_days.direction" in result.stderr


def test_defaults_kpi_prints_the_policy():
    result = invoke("defaults", "kpi")
    assert result.exit_code == 0 and "[kpis.satisfaction_rate]" in result.output
    assert "seed 001 篇3" in result.output


@pytest.mark.skipif(not (ROOT / "samples" / "org.csv").exists(), reason="samples not generated")
def test_demo_on_samples(tmp_path):
    samples = ROOT / "samples"
    out = tmp_path / "kpi.xlsx"
    result = invoke("rollup-kpi", "--org", str(samples / "org.csv"),
                    "--complaints", str(samples / "complaints.xlsx"),
                    "--surveys", str(samples / "surveys.csv"), "--sales", str(samples / "sales.csv"),
                    "--invoices", str(samples / "invoices.csv"),
                    "--payments", str(samples / "payments_gbk.csv"),
                    "--measures", str(samples / "measures.csv"),
                    "--appraisals", str(samples / "appraisals.csv"),
                    "--period", "2026-10", "-o", str(out))
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames == ["KPIs", "Scorecard", "Wide", "Parameters"]
    rows = list(book["Scorecard"].iter_rows(min_row=2, values_only=True))
    book.close()
    assert len(rows) >= 15


def test_complaint_closed_before_opened(files, tmp_path):
    complaints = tmp_path / "complaints.csv"
    complaints.write_text("投诉编号,工号,投诉时间,结案时间\n"
                          "C1,S1,2026-10-02 09:00,2026-10-02 10:00\n"
                          "C2,S1,2026-10-03 09:00,2026-10-01 10:00\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["rollup-kpi", "--org", files["org"], "--complaints",
                                      str(complaints), "--period", "2026-10"])
    assert result.exit_code == 1
    assert "row 3, column 结案时间" in result.stderr and "after opened_at" in result.stderr


def test_invoices_need_a_salesperson(files, tmp_path):
    ledger = tmp_path / "invoices.csv"
    ledger.write_text("customer_id,invoice_no,invoice_date,amount\nK1,I1,2026-10-01,100\n",
                      encoding="utf-8")
    result = CliRunner().invoke(cli, ["rollup-kpi", "--org", files["org"], "--invoices",
                                      str(ledger), "--period", "2026-10"])
    assert result.exit_code == 1
    assert str(ledger) in result.stderr and "salesperson" in result.stderr
