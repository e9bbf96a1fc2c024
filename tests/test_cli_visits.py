import csv
import io

import openpyxl
import pytest
from click.testing import CliRunner
from icalendar import Calendar

from cskit.cli import cli

CUSTOMERS_ZH = (
    "客户编号,客户名称,负责人,客户等级,电话,生日,农历生日,上次拜访日期,部门\n"
    "C1,甲公司,S1,大客户,13800001111,1980-09-30,,2026-08-01,一部\n"
    "C2,乙公司,S1,1,13800002222,,八月十六,2026-08-25,一部\n"
    "C3,丙公司,S2,3,,02-29,,2026-07-01,二部\n"
)


def invoke(*args):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def customers_csv(tmp_path):
    path = tmp_path / "customers.csv"
    path.write_text(CUSTOMERS_ZH, encoding="utf-8")
    return path


def rows_of(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_help():
    result = invoke("visit-plan", "--help")
    assert result.exit_code == 0
    assert "Plan visits, calls and greetings" in result.output and "--ics" in result.output


def test_csv_to_stdout(customers_csv):
    result = invoke("visit-plan", str(customers_csv), "--from", "2026-09-15", "--to", "2026-10-15",
                    "-q")
    assert result.exit_code == 0, result.output
    rows = rows_of(result.stdout)
    got = {(r["date"], r["customer_id"], r["activity"], r["reason"]) for r in rows}
    assert ("2026-09-26", "C2", "call", "birthday") in got  # 八月十六 2026
    assert ("2026-09-28", "C2", "gift_visit", "birthday") in got
    assert ("2026-09-25", "C3", "sms", "festival") in got
    assert not any(r["date"] in {"2026-09-25", "2026-10-01"} and r["activity"] in ("visit", "call")
                   and r["reason"] != "birthday" for r in rows)


def test_gb18030_chinese_headers_zh_output(tmp_path):
    path = tmp_path / "customers_gbk.csv"
    path.write_bytes(CUSTOMERS_ZH.encode("gb18030"))
    result = invoke("visit-plan", str(path), "--from", "2026-09-15", "--to", "2026-10-15",
                    "--lang", "zh", "-q")
    assert result.exit_code == 0, result.output
    header = result.stdout.splitlines()[0]
    assert header.startswith("日期,工号,姓名,客户编号,客户名称,活动,原因,内容,电话,状态")
    assert "甲公司" in result.stdout and "农历生日 八月十六" in result.stdout


def test_xlsx_has_plan_capacity_and_parameters(customers_csv, tmp_path):
    staff = tmp_path / "staff.csv"
    staff.write_text("工号,姓名,每日最多拜访,每日最多电话\nS1,张三,1,2\n", encoding="utf-8")
    out = tmp_path / "visits.xlsx"
    result = invoke("visit-plan", str(customers_csv), "--from", "2026-09-15", "--to", "2026-10-15",
                    "--staff", str(staff), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "S1 张三: visits" in result.stderr
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[:2] == ["Plan", "Capacity"] and "Parameters" in book.sheetnames
    plan = list(book["Plan"].iter_rows(values_only=True))
    assert plan[0][:3] == ("date", "staff_id", "staff_name")
    assert any(r[2] == "张三" for r in plan[1:])
    params = {r[0]: r[1] for r in book["Parameters"].iter_rows(values_only=True)}
    assert "capacity S1" in params and "visits" in params["capacity S1"]
    capacity = list(book["Capacity"].iter_rows(values_only=True))
    s1 = dict(zip(capacity[0], next(r for r in capacity[1:] if r[0] == "S1")))
    assert s1["visit_capacity"] == 19  # 19 working days × 1 visit


def test_bad_tier_names_file_row_column(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("customer_id,owner,tier\nA,S1,1\nB,S1,gold\n", encoding="utf-8")
    result = invoke("visit-plan", str(path), "--from", "2026-11-01", "--to", "2026-11-30")
    assert result.exit_code == 1
    assert "bad.csv, row 3, column tier" in result.stderr and "'gold'" in result.stderr
    rejects = tmp_path / "rejects.csv"
    result = invoke("visit-plan", str(path), "--from", "2026-11-01", "--to", "2026-11-30",
                    "--rejects", str(rejects), "-o", str(tmp_path / "ok.csv"))
    assert result.exit_code == 0 and "gold" in rejects.read_text(encoding="utf-8-sig")


def test_window_into_2027_fails_then_passes_with_holidays(customers_csv, tmp_path):
    args = ["visit-plan", str(customers_csv), "--from", "2026-12-20", "--to", "2027-01-10", "-q"]
    result = invoke(*args)
    assert result.exit_code == 1 and "2027" in result.stderr and "--holidays" in result.stderr
    holidays = tmp_path / "holidays_2027.csv"
    holidays.write_text("date,kind\n2027-01-01,holiday\n2027-01-02,holiday\n2027-01-03,holiday\n",
                        encoding="utf-8")
    # a year the built-in calendar lacks is taken from the file only when asked to
    result = invoke(*args, "--holidays", str(holidays))
    assert result.exit_code == 1 and "--holidays-replace" in result.stderr
    result = invoke(*args, "--holidays", str(holidays), "--holidays-replace")
    assert result.exit_code == 0, result.output
    rows = rows_of(result.stdout)
    assert any(r["detail"] == "元旦" and r["date"] == "2027-01-01" for r in rows)
    assert all(r["status"] == "planned" for r in rows)
    policy = tmp_path / "visit.toml"
    policy.write_text('unknown_year = "weekdays"\n', encoding="utf-8")
    result = invoke(*args, "--policy", str(policy))
    assert result.exit_code == 0, result.output
    statuses = {r["date"][:4]: r["status"] for r in rows_of(result.stdout)}
    assert statuses == {"2026": "planned", "2027": "provisional"}


def test_ics_parses_back_with_stable_uids(customers_csv, tmp_path):
    folder = tmp_path / "ics"
    args = ["visit-plan", str(customers_csv), "--from", "2026-09-15", "--to", "2026-10-15",
            "--ics", str(folder), "-o", str(tmp_path / "plan.csv"), "-q"]
    assert invoke(*args).exit_code == 0
    plan = rows_of((tmp_path / "plan.csv").read_text(encoding="utf-8-sig"))
    files = sorted(p.name for p in folder.iterdir())
    assert files == ["S1.ics", "S2.ics"]

    def events():
        out = {}
        for name in files:
            cal = Calendar.from_ical((folder / name).read_bytes())
            for event in cal.walk("VEVENT"):
                out[str(event["uid"])] = (name, event.decoded("dtstart").isoformat(), str(event["summary"]))
        return out

    first = events()
    assert len(first) == sum(1 for r in plan if r["status"] != "unscheduled")
    assert ("S1.ics", "2026-09-26", "电话 乙公司: 农历生日 八月十六") in first.values()
    assert invoke(*args).exit_code == 0
    assert events() == first
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_bad_policy_names_the_key(customers_csv, tmp_path):
    policy = tmp_path / "visit.toml"
    policy.write_text("[cycles.2]\nactivity = \"fax\"\n", encoding="utf-8")
    result = invoke("visit-plan", str(customers_csv), "--from", "2026-11-01", "--to", "2026-11-30",
                    "--policy", str(policy))
    assert result.exit_code == 1 and "cycles.2.activity" in result.stderr


def test_bad_window_is_usage_error(customers_csv):
    result = invoke("visit-plan", str(customers_csv), "--from", "2026-11-30", "--to", "2026-11-01")
    assert result.exit_code == 2


def test_company_holiday_adds_to_the_official_year(customers_csv, tmp_path):
    # issue 14 item 14: one company day off (2026-12-24) must not turn 2026 into plain
    # Monday–Friday. Working days 2026-10-01..12-31, worked by hand:
    #   October: 22 weekdays − 国庆 Thu 1, Fri 2, Mon 5, Tue 6, Wed 7 + make-up Sat 10 = 18
    #   November: 21 weekdays; December: 23 weekdays − Thu 24 (company) = 22 → 61
    # replacing the year (the old reading): Monday–Friday − 12-24 = 22 + 21 + 22 = 65
    company = tmp_path / "company.csv"
    company.write_text("date,kind\n2026-12-24,holiday\n", encoding="utf-8")
    args = ["visit-plan", str(customers_csv), "--from", "2026-10-01", "--to", "2026-12-31",
            "--holidays", str(company)]
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    assert ", 61 working days" in result.stderr and "65 working days" not in result.stderr
    planned = {r["date"] for r in rows_of(result.stdout) if r["reason"] != "festival"}
    assert "2026-12-24" not in planned and "2026-10-05" not in planned
    result = invoke(*args, "--holidays-replace")
    assert result.exit_code == 0, result.output
    assert ", 65 working days" in result.stderr


def test_holidays_replace_needs_a_file(customers_csv):
    result = invoke("visit-plan", str(customers_csv), "--from", "2026-11-01", "--to",
                    "2026-11-30", "--holidays-replace")
    assert result.exit_code == 2 and "--holidays-replace needs --holidays" in result.stderr
