"""visit-plan and render-report speak Chinese with --lang zh: errors,
warnings and the stderr summary, still naming file, row and column."""
from __future__ import annotations

import zipfile

import pytest
from click.testing import CliRunner

from cskit.cli import cli

CUSTOMERS = ("客户编号,客户名称,负责人,客户等级,生日,农历生日,上次拜访日期\n"
             "C1,甲公司,S1,1,1980-09-30,,2026-10-01\n"
             "C2,乙公司,,2,,八月十六,2026-10-20\n")


@pytest.fixture(autouse=True)
def strict(monkeypatch):
    # an English-only message reaching a Chinese user becomes an internal error
    monkeypatch.setenv("CSKIT_STRICT_TEXT", "1")


def zh(command, *args):
    return CliRunner().invoke(cli, [command, "--lang", "zh", *map(str, args)])


def en(command, *args):
    return CliRunner().invoke(cli, [command, "--lang", "en", *map(str, args)])


def write(folder, name, text):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def customers(tmp_path):
    return write(tmp_path, "customers.csv", CUSTOMERS)


NOVEMBER = ("--from", "2026-11-01", "--to", "2026-11-30")


# --- visit-plan ------------------------------------------------------------------

def test_policy_checks_in_chinese_name_the_keys(customers, tmp_path):
    policy = write(tmp_path, "visit.toml", """
unknown_year = "guess"
priority = ["cycle", "gossip"]
[cycles.2]
activity = "fax"
days = 0
[capacity]
max_visits_per_day = -1
[greetings]
birthday_activity = "visit"
festivals = ["圣诞"]
birthday_gift_tiers = ["gold"]
[top_spenders]
top_n = 0
activities = ["fax"]
[shipments]
followup_days = [-3]
[complaints]
callback_days = -1
activity = "sms"
[aging]
collection_min_days = 0
""")
    result = zh("visit-plan", customers, *NOVEMBER, "--policy", policy)
    assert result.exit_code == 1, result.output
    err = result.stderr
    for line in ('unknown_year：应为 "error"（报错）或 "weekdays"',
                 'cycles.2.activity：应为 "visit"（上门拜访）或 "call"（电话）',
                 "cycles.2.days：应为天数（不小于 1 的整数）",
                 "capacity.max_visits_per_day：不能为负数",
                 'greetings.birthday_activity：应为 "call"（电话）或 "sms"（短信）',
                 "greetings.festivals：没有“圣诞”这个节日；可选：元旦、春节",
                 "greetings.birthday_gift_tiers：没有“gold”这个客户等级",
                 "top_spenders.top_n：应不小于 1",
                 "top_spenders.activities：没有“fax”这种活动",
                 "shipments.followup_days：天数不能为负数",
                 "complaints.callback_days：不能为负数",
                 'complaints.activity：应为 "visit"',
                 "aging.collection_min_days：应不小于 1",
                 "priority：没有这些原因：gossip",
                 "priority：须列出全部原因；缺少："):
        assert line in err, line
    assert "内部错误" not in err

    result = en("visit-plan", customers, *NOVEMBER, "--policy", policy)
    assert result.exit_code == 1
    assert "greetings.festivals: unknown festival '圣诞'" in result.stderr
    assert "priority: must list every reason; missing" in result.stderr


@pytest.mark.parametrize("header, value, chinese, english", [
    ("客户等级", "gold", "应为客户等级：key/大客户、1–4", "a customer tier: key/大客户"),
    ("生日", "1985-13-40", "应为生日日期，如 1985-03-12 或 03-12", "a birthday such as"),
    ("农历生日", "腊月四十", "应为农历生日，如 正月初八", "a lunar birthday such as"),
])
def test_bad_customer_cells_name_file_row_column(tmp_path, header, value, chinese, english):
    path = write(tmp_path, "客户.csv", f"客户编号,负责人,{header}\nA,S1,\nB,S1,{value}\n")
    result = zh("visit-plan", path, *NOVEMBER)
    assert result.exit_code == 1, result.output
    assert "客户.csv，第 3 行" in result.stderr and f"“{value}” — {chinese}" in result.stderr
    assert "请改正文件；或加上 --rejects" in result.stderr
    result = en("visit-plan", path, *NOVEMBER)
    assert result.exit_code == 1 and "客户.csv, row 3" in result.stderr
    assert english in result.stderr
    rejects = tmp_path / "rejects.csv"
    result = zh("visit-plan", path, *NOVEMBER, "--rejects", rejects, "-o", tmp_path / "plan.csv")
    assert result.exit_code == 0, result.output
    assert chinese in rejects.read_text(encoding="utf-8-sig")
    assert "剔除 1 行" in result.stderr


def test_bad_days_off_of_staff(customers, tmp_path):
    staff = write(tmp_path, "staff.csv", "工号,姓名,休假日期\nS1,张三,2026-11-40\n")
    result = zh("visit-plan", customers, *NOVEMBER, "--staff", staff)
    assert result.exit_code == 1, result.output
    assert "staff.csv，第 2 行" in result.stderr
    assert "“2026-11-40” — 应为日期，如 2026-11-05;2026-11-06，或日期范围" in result.stderr


def test_window_options_in_chinese(customers):
    result = zh("visit-plan", customers, "--from", "2026-13-01", "--to", "2026-11-30")
    assert result.exit_code == 2
    assert "--from：“2026-13-01”不是日期；请写成 2026-11-01 这样的格式" in result.stderr
    result = zh("visit-plan", customers, "--from", "2026-11-30", "--to", "2026-11-01")
    assert result.exit_code == 2
    assert "--to 2026-11-01 早于 --from 2026-11-30：计划的结束日期不能早于开始日期" \
        in result.stderr
    result = en("visit-plan", customers, "--from", "2026-11-30", "--to", "2026-11-01")
    assert "--to 2026-11-01 is before --from 2026-11-30" in result.stderr


def test_window_beyond_the_lunar_tables_is_a_usage_error(customers, tmp_path):
    policy = write(tmp_path, "visit.toml", 'unknown_year = "weekdays"\n')
    result = zh("visit-plan", customers, "--from", "2100-01-01", "--to", "2100-01-31",
                "--policy", policy)
    assert result.exit_code == 2, result.output
    assert "计划只能排在 1901–2099 年之间" in result.stderr
    result = en("visit-plan", customers, "--from", "2099-12-01", "--to", "2100-01-31",
                "--policy", policy)
    assert result.exit_code == 2 and "1901–2099" in result.stderr
    assert "internal error" not in result.stderr


def test_unknown_year_in_chinese(customers, tmp_path):
    window = ("--from", "2026-12-20", "--to", "2027-01-10")
    result = zh("visit-plan", customers, *window)
    assert result.exit_code == 1, result.output
    err = result.stderr
    assert "--from 2026-12-20 --to 2027-01-10：2027 年的法定节假日和调休安排尚未收录" in err
    assert "请用 --holidays 文件" in err and 'unknown_year = "weekdays"' in err
    holidays = write(tmp_path, "holidays_2028.csv", "date,kind\n2028-01-01,holiday\n")
    result = zh("visit-plan", customers, *window, "--holidays", holidays)
    assert result.exit_code == 1
    assert "（holidays_2028.csv 中也没有该年的安排）" in result.stderr.replace(str(tmp_path) + "/", "")
    result = en("visit-plan", customers, *window, "--holidays", holidays)
    assert "the official working-day calendar of 2027 is not known yet (and" in result.stderr


def test_aging_without_customer_id(customers, tmp_path):
    aging = write(tmp_path, "aging.csv", "客户名称,61-90天\n甲公司,100\n")
    result = zh("visit-plan", customers, *NOVEMBER, "--aging", aging)
    assert result.exit_code == 1, result.output
    assert "aging.csv：缺少必需的列 customer_id（客户编号）" in result.stderr
    assert "文件中现有的列：customer_name、61-90" in result.stderr


def test_summary_warning_and_calendars_in_chinese(customers, tmp_path):
    folder = tmp_path / "ics"
    result = zh("visit-plan", customers, "--from", "2026-10-15", "--to", "2026-11-30",
                "--ics", folder, "-o", tmp_path / "plan.csv")
    assert result.exit_code == 0, result.output
    err = result.stderr
    assert "visit-plan 2026-10-15..2026-11-30：共 " in err and "已排期" in err
    assert "各员工任务量与可排名额（应办 / 名额 → 已排）：" in err
    assert "  S1：拜访 " in err and "工作日 " in err
    assert "注意：" in err and "项活动没有负责的员工" in err  # C2 has no owner
    assert "日历：已在 " in err and "写出 1 个 .ics 文件" in err
    result = en("visit-plan", customers, "--from", "2026-10-15", "--to", "2026-11-30",
                "-o", tmp_path / "plan.csv")
    assert "without a staff member" in result.stderr and "planned" in result.stderr


def test_ics_folder_that_cannot_be_made(customers, tmp_path):
    write(tmp_path, "afile", "")
    result = zh("visit-plan", customers, *NOVEMBER, "--ics", tmp_path / "afile" / "sub",
                "-o", tmp_path / "plan.csv", "-q")
    assert result.exit_code == 3, result.output
    assert "afile/sub：无法创建文件夹：路径中有一段不是文件夹" in result.stderr


# --- render-report ---------------------------------------------------------------

@pytest.fixture
def table(tmp_path):
    return write(tmp_path, "table.csv", "customer_id,note\nC1,甲\nC2,乙\n")


def test_template_and_output_usage_errors(tmp_path, table):
    cases = [
        (("nosuch", table), "模板 “nosuch” 既不是内置模板（aging、credit"),
        ((write(tmp_path, "t.pdf", "x"), table), "应为 .html.j2、.md.j2 或 .docx 模板文件"),
        (("table", table, "--format", "csv"), "--format csv：render-report 只能输出 html 或 markdown"),
        (("table", table, "-o", tmp_path / "r.pdf"), "r.pdf：报告文件名须以 .html、.md 或 .docx 结尾"),
        ((write(tmp_path, "w.docx", "x"), table), "w.docx 是 Word 模板：请用 -o 指定 .docx 文件路径"),
        ((write(tmp_path, "t.md.j2", "x"), table, "-o", tmp_path / "r.docx"),
         "t.md.j2 是文本模板，只能生成 .html 或 .md，不能生成 .docx"),
    ]
    for args, chinese in cases:
        result = zh("render-report", *args)
        assert result.exit_code == 2, (args, result.output)
        assert chinese in result.stderr, (args, result.stderr)
    result = en("render-report", "nosuch", table)
    assert "is neither a built-in template" in result.stderr


def test_data_that_is_also_the_output(tmp_path):
    page = write(tmp_path, "page.md", "# x\n")
    result = zh("render-report", "table", page, "-o", page)
    assert result.exit_code == 2
    assert "指向同一个文件" in result.stderr and "page.md：为免覆盖输入，拒绝运行；请给 -o 换一个路径" \
        in result.stderr


def test_bad_var_in_chinese(table):
    result = zh("render-report", "table", table, "--var", "1a=b")
    assert result.exit_code == 2
    assert "“1a=b”：应写成 名称=值" in result.stderr
    result = en("render-report", "table", table, "--var", "no-equals")
    assert result.exit_code == 2 and "expected KEY=VALUE" in result.stderr


def test_builtin_without_its_table(table):
    result = zh("render-report", "kpi", table)
    assert result.exit_code == 1
    assert "内置模板 kpi：需要 rollup-kpi 生成的表（按列名识别）" in result.stderr
    assert "table.csv（不是这些命令的输出）" in result.stderr
    result = zh("render-report", "table")
    assert result.exit_code == 1 and "内置模板 table：至少需要一个 DATA 数据表" in result.stderr
    result = en("render-report", "kpi", table)
    assert "built-in template kpi: needs a table written by rollup-kpi" in result.stderr


def test_bad_cells_name_the_header_as_in_the_file(tmp_path):
    data = write(tmp_path, "应收.csv", "客户编号,应收余额,开票日期,总分\nC1,12x,2026-13-45,abc\n")
    result = zh("render-report", "table", data)
    assert result.exit_code == 1
    err = result.stderr
    assert "应收.csv，第 2 行，“应收余额”列：“12x” — 应为金额" in err
    assert "“开票日期”列：“2026-13-45” — 应为日期" in err
    assert "“总分”列：“abc” — 应为数字" in err
    assert "column 应收余额: '12x' — an amount" in en("render-report", "table", data).stderr


@pytest.mark.parametrize("source, chinese", [
    ("<p>{{ recipient }}</p>", "模板用到了变量 recipient，但数据中没有；请用 --var recipient=值 给出"),
    ("{{ table.nosuch }}", "模板用到了 nosuch，但数据中没有：请检查 DATA 数据表的列名"),
    ("{{ cycler.__init__.__globals__.os.system('echo hi') }}", "模板在安全沙箱中运行"),
    ("a\n{% for r in table %}\n{{ r }\n", "第 3 行：模板语法错误："),
    ('{% include "nothere.html" %}', "找不到模板 nothere.html"),
    ("{{ 1 / 0 }}", "模板运行时出错：division by zero（ZeroDivisionError）"),
])
def test_template_errors_in_chinese(tmp_path, table, source, chinese):
    template = write(tmp_path, "mine.html.j2", source)
    result = zh("render-report", template, table, "-o", tmp_path / "out.html")
    assert result.exit_code == 1, result.output
    assert "mine.html.j2" in result.stderr and chinese in result.stderr
    assert not (tmp_path / "out.html").exists()


def test_word_template_that_is_not_a_word_document(tmp_path, table):
    text = write(tmp_path, "letter.docx", "not a document")
    result = zh("render-report", text, table, "-o", tmp_path / "out.docx")
    assert result.exit_code == 1
    assert "letter.docx：不是 Word 文档；请在 Word 中把模板另存为 .docx 文件" in result.stderr
    other = tmp_path / "other.docx"
    with zipfile.ZipFile(other, "w") as package:
        package.writestr("hello.txt", "hi")
    result = zh("render-report", other, table, "-o", tmp_path / "out.docx")
    assert result.exit_code == 1
    assert "other.docx：不是可以读取的 Word .docx 文件" in result.stderr


def test_summary_and_warnings_in_chinese(tmp_path, table, monkeypatch):
    from cskit.reports import charts

    monkeypatch.setattr(charts, "cjk_font", lambda: None)
    result = zh("render-report", "table", table, "-o", tmp_path / "r.html",
                "--policy", tmp_path / "any.toml")
    assert result.exit_code == 0, result.output
    err = result.stderr
    assert "注意：render-report：--policy 对报告不起作用" in err
    assert "render-report：已写出 " in err and "r.html（html，1 个数据表）" in err
    assert "注意：找不到中文字体，图表里的中文会显示成方框" in err
    result = en("render-report", "table", table, "-o", tmp_path / "r.html")
    assert "render-report: wrote" in result.stderr and "(html, 1 table)" in result.stderr
