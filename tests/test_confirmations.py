"""The confirmation loop: the statements' register read back by rollup-kpi
(对账完成率, 对账及时率 — seed 004 第四条(3): 每季度对账完成率为100%,对账及时率为100%)
and score-credit (seed 004 第七条(3)⑦ 对账不良记录: 拒绝对账 −3, 被迫对账 −1)."""
from __future__ import annotations

import io

import pandas as pd
import pytest
from click.testing import CliRunner

from cskit import confirmations as conf
from cskit import schema
from cskit.cli import cli
from cskit.io.read import read_table

ORG = """staff_id,name,role,manager_id,branch
D1,总监,director,,总部
B1,经理,branch_manager,D1,华东
S1,张三,specialist,B1,华东
S2,李四,specialist,B1,华东
"""
# Q3 statements sent 2026-10-08, due back 2026-10-23: C1, C2, C4 back on time and agreed,
# C3 back on the due date with a difference (on time), C5 back late, C6 refused,
# C7 never answered; C1's Q2 statement belongs to another quarter.
REGISTER = """customer_id,customer_name,owner,period_end,closing_balance,file,sent_date,due_back_date,returned_date,result,difference
C1,一号,S1,2026-09-30,100.00,C1_一号.docx,2026-10-08,2026-10-23,2026-10-12,相符,
C2,二号,S1,2026-09-30,200.00,C2_二号.docx,2026-10-08,2026-10-23,2026-10-20,相符,
C3,三号,S1,2026-09-30,300.00,C3_三号.docx,2026-10-08,2026-10-23,2026-10-23,不符,12.50
C4,四号,S2,2026-09-30,400.00,C4_四号.docx,2026-10-08,2026-10-23,2026-10-15,相符,
C5,五号,S2,2026-09-30,500.00,C5_五号.docx,2026-10-08,2026-10-23,2026-11-02,相符,
C6,六号,李四,2026-09-30,600.00,C6_六号.docx,2026-10-08,2026-10-23,2026-10-14,拒绝,
C7,七号,S1,2026-09-30,700.00,C7_七号.docx,2026-10-08,2026-10-23,,,
C1,一号,S1,2026-06-30,90.00,C1_一号.docx,2026-07-06,2026-07-21,,,
"""


def _kpi(tmp_path, *extra, fmt=("--format", "csv")):
    (tmp_path / "org.csv").write_text(ORG, encoding="utf-8")
    (tmp_path / "register.csv").write_text(REGISTER, encoding="utf-8")
    return CliRunner().invoke(cli, ["rollup-kpi", "--org", str(tmp_path / "org.csv"),
                                    "--confirmations", str(tmp_path / "register.csv"),
                                    "--period", "2026-Q3", "--as-of", "2026-11-10",
                                    *fmt, *extra])


def test_completion_six_of_seven_timeliness_four_of_seven(tmp_path):
    result = _kpi(tmp_path)
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.StringIO(result.stdout), dtype={"entity_id": str})
    rows = table[table["kpi"].str.startswith("reconciliation")].set_index(["entity_id", "kpi"])
    top = rows.loc["D1"]
    assert (top.loc["reconciliation_completion", "numerator"],
            top.loc["reconciliation_completion", "denominator"]) == (6, 7)
    assert (top.loc["reconciliation_timeliness", "numerator"],
            top.loc["reconciliation_timeliness", "denominator"]) == (4, 7)
    assert top.loc["reconciliation_completion", "value"] == pytest.approx(6 / 7)
    assert top.loc["reconciliation_completion", "target"] == 1.0
    assert not top.loc["reconciliation_completion", "met"]
    # per owner, and the branch is the sum of its staff (C6's owner given by name)
    assert rows.loc[("S1", "reconciliation_completion"), ["numerator", "denominator"]].tolist() \
        == [3, 4]
    assert rows.loc[("S1", "reconciliation_timeliness"), "numerator"] == 3
    assert rows.loc[("S2", "reconciliation_completion"), ["numerator", "denominator"]].tolist() \
        == [3, 3]
    assert rows.loc[("S2", "reconciliation_timeliness"), "numerator"] == 1
    assert rows.loc[("B1", "reconciliation_timeliness"), ["numerator", "denominator"]].tolist() \
        == [4, 7]
    assert "not returned: C7 七号 (S1), period 2026-09-30, due back 2026-10-23, 18 days late" \
        in result.stderr
    assert "2026-Q3: reconciliation completion 6/7, on time 4/7" in result.stderr


def test_unreturned_sheet_and_chinese_labels(tmp_path):
    out = tmp_path / "kpi.xlsx"
    result = _kpi(tmp_path, "--lang", "zh", "-o", str(out), fmt=())
    assert result.exit_code == 0, result.output
    sheets = pd.read_excel(out, sheet_name=None, engine="openpyxl")
    assert sheets["Unreturned"]["客户编号"].tolist() == ["C7"]
    assert sheets["Unreturned"]["超期天数"].tolist() == [18]
    assert {"对账完成率", "对账及时率"} <= set(sheets["Wide"].columns)
    assert "对账完成率 6/7，对账及时率 4/7" in result.stderr


def test_a_quarter_takes_the_statements_of_periods_ending_in_it(write_text):
    register, _, _ = read_table(write_text("r.csv", REGISTER), schema.REGISTER)
    org, _, _ = read_table(write_text("o.csv", ORG), schema.ORG)
    from cskit.kpi import parse_period

    entities = pd.DataFrame({"entity_id": ["D1"], "entity_name": ["总监"],
                             "level": ["department"], "role": ["director"]})
    q2 = conf.reconciliation_kpis(register, org, [parse_period("2026-Q2")], entities)
    assert q2.set_index("kpi").loc["reconciliation_completion", "denominator"] == 1
    assert q2.set_index("kpi").loc["reconciliation_completion", "numerator"] == 0
    october = conf.reconciliation_kpis(register, org, [parse_period("2026-10")], entities)
    assert october["flags"].tolist() == ["no_data", "no_data"]


CUSTOMERS = """customer_id,customer_name,business_license,annual_sales,annual_payments,cooperation,reconciliation
""" + "".join(f"C{i},{n},是,3000000,3000000,配合,正常\n" for i, n in
              enumerate(["一号", "二号", "三号", "四号", "五号", "六号", "七号"], start=1))


def test_refused_customer_scores_three_less_and_the_register_wins(tmp_path):
    (tmp_path / "customers.csv").write_text(CUSTOMERS, encoding="utf-8")
    (tmp_path / "register.csv").write_text(REGISTER.replace("C5_五号.docx,2026-10-08,2026-10-23,"
                                                            "2026-11-02,相符",
                                                            "C5_五号.docx,2026-10-08,2026-10-23,"
                                                            "2026-11-02,被迫"), encoding="utf-8")
    args = ["score-credit", str(tmp_path / "customers.csv"), "--as-of", "2026-11-10",
            "--format", "csv"]
    before = CliRunner().invoke(cli, args)
    after = CliRunner().invoke(cli, args + ["--confirmations", str(tmp_path / "register.csv")])
    assert before.exit_code == 0 and after.exit_code == 0, after.output
    old = pd.read_csv(io.StringIO(before.stdout)).set_index("customer_id")
    new = pd.read_csv(io.StringIO(after.stdout)).set_index("customer_id")
    change = (new["score"] - old["score"]).to_dict()
    # 拒绝 −3 (C6), 被迫 −1 (C5); agreed, disputed and unreturned slips cost nothing
    assert change == {"C1": 0, "C2": 0, "C3": 0, "C4": 0, "C5": -1, "C6": -3, "C7": 0}
    assert new.loc["C6", "bad_record_points"] == -3
    assert new.loc["C6", "reasons"].startswith(
        "reconciliation from the register: statement C6_六号.docx of 2026-09-30, refused -3")
    assert "the register wins" in after.stderr


def test_marks_take_the_worst_result_of_the_last_twelve_months(write_text):
    text = REGISTER + "C1,一号,S1,2025-09-30,1.00,old.docx,2025-10-08,2025-10-23,2025-10-09,拒绝,\n" \
                      "C4,四号,S2,2026-03-31,1.00,C4_q1.docx,2026-04-08,2026-04-23,2026-04-30,被迫,\n"
    register, _, _ = read_table(write_text("r.csv", text), schema.REGISTER)
    marks = conf.reconciliation_marks(register, as_of="2026-11-10").set_index("customer_id")
    assert marks.loc["C1", "reconciliation"] == 0  # the 2025 refusal is over a year old
    assert marks.loc["C4", "reconciliation"] == -1 and marks.loc["C4", "file"] == "C4_q1.docx"
    assert marks.loc["C6", "reconciliation"] == -3


def test_sample_register_is_what_the_statement_run_writes_for_the_quarter(tmp_path):
    # samples/register.csv is the Q3 run of `make demo`, filled in
    from pathlib import Path

    samples = Path(__file__).resolve().parent.parent / "samples"
    out = tmp_path / "q3"
    result = CliRunner().invoke(cli, [
        "render-report", "statement", str(samples / "invoices.csv"),
        "--payments", str(samples / "payments_gbk.csv"),
        "--customers", str(samples / "customers.csv"), "--from", "2026-07-01",
        "--to", "2026-09-30", "--as-of", "2026-10-08", "--format", "html", "-q", "-o", str(out)])
    assert result.exit_code == 0, result.output
    written = pd.read_csv(out / "register.csv", encoding="utf-8-sig", dtype=str)
    sample = pd.read_csv(samples / "register.csv", encoding="utf-8-sig", dtype=str)
    same = ["customer_id", "customer_name", "owner", "period_end", "sent_date", "due_back_date"]
    assert written[same].equals(sample[same])
    assert (written["closing_balance"].astype(float) == sample["closing_balance"].astype(float)).all()
    assert (written["file"].str.replace(".html", ".docx") == sample["file"]).all()
    results = sample["result"].value_counts().to_dict()
    assert results["拒绝"] == 1 and sample["returned_date"].isna().sum() == 4
    assert (sample["returned_date"] > sample["due_back_date"]).sum() == 5


def test_a_customer_whose_slips_are_all_out_keeps_the_files_value(write_text):
    register, _, _ = read_table(write_text("r.csv", REGISTER), schema.REGISTER)
    marks = conf.reconciliation_marks(register, as_of="2026-11-10")
    assert "C7" not in set(marks["customer_id"])  # unreturned: no mark
    customers = pd.DataFrame({"customer_id": ["C6", "C7"], "reconciliation": [0.0, -3.0]})
    applied, changed = conf.apply_marks(customers, marks)
    assert applied["reconciliation"].tolist() == [-3.0, -3.0] and changed == 1
