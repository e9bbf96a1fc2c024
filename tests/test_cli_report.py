"""cskit render-report through the command line (click's CliRunner)."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from cskit.cli import cli

EVIL = "<script>alert('x')</script>"


def run(*args):
    result = CliRunner().invoke(cli, ["render-report", *map(str, args)])
    return result


@pytest.fixture
def chain(tmp_path: Path) -> dict[str, Path]:
    """Small outputs of the four data commands, as the monthly chain has them."""
    credit = pd.DataFrame({
        "customer_id": ["C001", "C002", "C003"],
        "customer_name": [EVIL, "华东贸易", "北方机电"],
        "score": [91.0, 72.5, 58.0], "final_level": [1, 3, 5], "grade": [1, 3, 4],
        "grade_label": ["一级", "三级", "四级"],
        "credit_limit": [800000.0, 300000.0, 0.0],
        "status": ["rated", "rated", "rated"],
        "phone": ["13812345678", "13900001111", "13700002222"],
        "previous_grade": [1, 2, 4], "previous_limit": [800000.0, 500000.0, 0.0],
        "change": ["unchanged", "downgraded", "unchanged"],
    })
    credit_csv = tmp_path / "credit.csv"
    credit.to_csv(credit_csv, index=False)
    summary = pd.DataFrame({
        "customer_id": ["C001", "C002", "C003"], "customer_name": [EVIL, "华东贸易", "北方机电"],
        "open_invoices": [2, 1, 1], "outstanding": [850000.25, 1200.50, 30000.0],
        "not_due": [50000.25, 0.0, 0.0], "1-30": [0.0, 1200.50, 0.0], "31-60": [0.0] * 3,
        "61-90": [0.0] * 3, "91-180": [0.0] * 3, "181+": [800000.0, 0.0, 30000.0],
        "credit_limit": [800000.0, 300000.0, 0.0], "flags": ["over_limit", "", "over_limit"],
    })
    detail = pd.DataFrame({
        "customer_id": ["C001", "C003"], "customer_name": [EVIL, "北方机电"],
        "invoice_no": ["F1", "F2"], "due_date": ["2026-02-04", "2026-03-03"],
        "outstanding": [800000.0, 30000.0], "days_overdue": [269, 242],
        "bucket": ["181+", "181+"], "salesperson": ["S01", "S02"], "flags": ["", ""],
    })
    aging_xlsx = tmp_path / "aging.xlsx"
    with pd.ExcelWriter(aging_xlsx) as book:
        summary.to_excel(book, sheet_name="Summary", index=False)
        detail.to_excel(book, sheet_name="Open items", index=False)
        pd.DataFrame({"parameter": ["command", "as_of"],
                      "value": ["cskit aging-report", "2026-10-31"]}) \
            .to_excel(book, sheet_name="Parameters", index=False)
    kpi = pd.DataFrame({
        "entity_id": ["D", "D"], "entity_name": ["客服部", "客服部"],
        "level": ["department", "department"], "role": ["director", "director"],
        "period": ["2026-10", "2026-10"], "kpi": ["satisfaction_rate", "dso_days"],
        "kpi_label": ["客户满意度", "应收账款周转天数"], "numerator": [47, None],
        "denominator": [50, None], "value": [0.94, 80.0], "target": [0.9, 75.0],
        "direction": [">=", "<="], "met": [True, False],
    })
    kpi_csv = tmp_path / "kpi.csv"
    kpi.to_csv(kpi_csv, index=False)
    visits = pd.DataFrame({
        "date": ["2026-11-02", "2026-11-03", ""], "staff_id": ["S01", "S02", "S01"],
        "staff_name": ["张三", "李四", "张三"], "customer_id": ["C001", "C002", "C003"],
        "customer_name": ["甲", "乙", "丙"], "activity": ["visit", "call", "visit"],
        "reason": ["cycle", "birthday", "cycle"], "detail": ["", "", "no capacity"],
        "phone": ["13812345678", "", ""], "status": ["planned", "planned", "unscheduled"],
    })
    visits_csv = tmp_path / "visits.csv"
    visits.to_csv(visits_csv, index=False)
    return {"credit": credit_csv, "aging": aging_xlsx, "kpi": kpi_csv, "visits": visits_csv}


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)


def test_help_has_summary_and_examples():
    result = run("--help")
    assert result.exit_code == 0
    assert "Render tables into a Word, HTML or Markdown report." in result.output
    assert "cskit render-report monthly" in result.output and "--no-mask" in result.output


def test_aging_workbook_to_html_uses_its_sheets_and_as_of(chain, tmp_path):
    out = tmp_path / "aging.html"
    result = run("aging", chain["aging"], "-o", out)
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    parser = Tags()
    parser.feed(page)
    assert "script" not in parser.tags
    assert "&lt;script&gt;" in page
    assert "As of: 2026-10-31" in page  # from the workbook's Parameters sheet
    assert "881,200.75" in page  # 850,000.25 + 1,200.50 + 30,000
    assert "Most overdue open items" in page and "data:image/png;base64," in page
    assert not list(tmp_path.glob(".aging.html.*"))  # no temporary file left


def test_monthly_to_word_in_chinese(chain, tmp_path):
    from docx import Document

    out = tmp_path / "monthly.docx"
    result = run("monthly", chain["credit"], chain["aging"], chain["kpi"], chain["visits"],
                 "--lang", "zh", "--title", "十月客服月报", "-o", out)
    assert result.exit_code == 0, result.output
    word = Document(str(out))
    assert word.paragraphs[0].text == "十月客服月报"
    cells = {c.text for t in word.tables for row in t.rows for c in row.cells}
    assert {"881,200.75", "1,100,000.00", "合计", "138****5678"} <= cells
    assert "13812345678" not in cells
    text = "\n".join(p.text for p in word.paragraphs)
    assert "超出赊欠限额" in text and "未能排期" in text and "项指标未达标" in text
    assert len(word.inline_shapes) == 4


def test_monthly_markdown_to_stdout_and_no_mask(chain):
    result = run("monthly", chain["credit"], chain["aging"], chain["kpi"], chain["visits"],
                 "--no-mask", "--as-of", "2026-10-31")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Monthly report")
    assert "As of: 2026-10-31" in result.stdout
    assert "13812345678" in result.stdout
    assert "&lt;script&gt;" in result.stdout


def test_gb18030_csv_with_chinese_headers(tmp_path):
    frame = pd.DataFrame({"客户编号": ["C9"], "客户名称": ["南方商贸"], "总分": [88.0],
                          "最终级别": [2], "等级": [1], "等级名称": ["一级"],
                          "赊欠限额": ["50万"], "状态": ["rated"], "电话": ["13512345678"]})
    path = tmp_path / "信用.csv"
    path.write_bytes(frame.to_csv(index=False).encode("gb18030"))
    out = tmp_path / "credit.md"
    result = run("credit", path, "--lang", "zh", "-o", out)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "# 客户信用评级报告" in text
    # a report names the customer (its code stays in the data file)
    assert "| 南方商贸 |" in text and "500,000.00" in text and "135****5678" in text


def test_table_template_from_xlsx_read_back_with_openpyxl(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Items"
    sheet.append(["customer_id", "amount", "note"])
    sheet.append(["C1", 10.10, "a|b"])
    sheet.append(["C2", 20.20, "<b>x</b>"])
    path = tmp_path / "items.xlsx"
    book.save(path)
    assert openpyxl.load_workbook(path).active["B2"].value == 10.10
    result = run("table", path, "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert "a\\|b" in result.stdout and "&lt;b&gt;x&lt;/b&gt;" in result.stdout
    assert "**30.30**" in result.stdout  # 10.10 + 20.20


def test_named_data_and_vars_in_a_user_template(chain, tmp_path):
    template = tmp_path / "note.md.j2"
    template.write_text("{{ vars.month }}: {{ book.count }} customers, "
                        "{{ book.totals.credit_limit | money }}; to {{ boss }}\n",
                        encoding="utf-8")
    result = run(template, f"book={chain['credit']}", "--var", "month=2026-10",
                 "--var", "boss=王总")
    assert result.exit_code == 0, result.output
    assert result.stdout == "2026-10: 3 customers, 1,100,000.00; to 王总\n"


def test_missing_variable_and_sandbox_escape_exit_1(chain, tmp_path):
    template = tmp_path / "t.html.j2"
    template.write_text("<p>{{ recipient }}</p>", encoding="utf-8")
    result = run(template, chain["credit"], "-o", tmp_path / "t.html")
    assert result.exit_code == 1
    assert "'recipient' is undefined" in result.output and "t.html.j2" in result.output
    assert "Traceback" not in result.output
    template.write_text("{{ cycler.__init__.__globals__.os.system('echo hi') }}",
                        encoding="utf-8")
    result = run(template, chain["credit"], "-o", tmp_path / "t.html")
    assert result.exit_code == 1, result.output
    assert "sandbox" in result.output
    assert not (tmp_path / "t.html").exists()


def test_bad_amount_names_file_row_and_column(tmp_path):
    path = tmp_path / "aging.csv"
    path.write_text("customer_id,outstanding,not_due,181+\nC1,100.00,100.00,0\n"
                    "C2,12x.50,0,12\n", encoding="utf-8")
    result = run("aging", path, "-o", tmp_path / "a.html")
    assert result.exit_code == 1
    assert "aging.csv, row 3, column outstanding: '12x.50' — an amount" in result.output


def test_usage_errors_exit_2(chain, tmp_path):
    assert run("nosuch", chain["credit"]).exit_code == 2
    assert run("credit", chain["credit"], "-o", tmp_path / "x.pdf").exit_code == 2
    assert run("credit", chain["credit"], "--format", "docx").exit_code == 2
    assert run("credit", chain["credit"], "--var", "no-equals").exit_code == 2
    assert run("credit", chain["credit"], "-o", chain["credit"]).exit_code in {2, 3}


def test_missing_output_folder_exit_3(chain, tmp_path):
    result = run("credit", chain["credit"], "-o", tmp_path / "nope" / "r.html")
    assert result.exit_code == 3


def test_builtin_without_its_table_exit_1(chain):
    result = run("visit-plan", chain["credit"])
    assert result.exit_code == 1
    assert "a table written by visit-plan" in result.output


def test_previous_period_named_in_data(chain, tmp_path):
    before = tmp_path / "aging_september.csv"
    before.write_text("customer_id,customer_name,outstanding,not_due,1-30,181+\n"
                      "C001,x,800000.25,0,0,800000.25\nC002,华东贸易,0,0,0,0\n",
                      encoding="utf-8")
    result = run("aging", chain["aging"], f"previous={before}", "--format", "markdown")
    assert result.exit_code == 0, result.output
    # 881,200.75 − 800,000.25 = +81,200.50
    line = next(l for l in result.stdout.splitlines()
                if l.startswith("| Outstanding receivables") and "800,000.25" in l)
    assert "| 800,000.25 | 881,200.75 | +81,200.50 |" in line
    # by bucket: not due +50,000.25, 181+ +29,999.75; by customer: C001 +50,000.00
    # (850,000.25 − 800,000.25), C003 +30,000.00 (new)
    assert "Not due +50,000.25; 181+ +29,999.75" in line
    assert "+50,000.00; 北方机电 +30,000.00" in line


EXAMPLES = Path(__file__).resolve().parents[1] / "templates" / "examples"


def test_example_collection_notice(chain):
    result = run(EXAMPLES / "collection-notice.md.j2", chain["aging"], "--var", "sender=客服部",
                 "--title", "催款通知")
    assert result.exit_code == 0, result.output
    text = result.stdout
    # C001 and C003 have money 181+ days overdue, C002 has not
    assert "## 北方机电（C003）" in text and "C002" not in text
    assert "| F2 | 2026-03-03 | 30,000.00 | 242 |" in text and "请与客服部联系" in text


def test_example_credit_notice_docx(chain, tmp_path):
    from docx import Document

    out = tmp_path / "notice.docx"
    result = run(EXAMPLES / "credit-notice.docx", f"credit={chain['credit']}", "--var",
                 "sender=客服部", "--title", "客户信用等级通知", "-o", out)
    assert result.exit_code == 0, result.output
    word = Document(str(out))
    rows = [[c.text for c in row.cells] for row in word.tables[0].rows]
    assert rows[1] == ["C001", EVIL, "一级", "800,000.00"]
    assert len(rows) == 4  # header + 3 customers
    assert any("1,100,000.00" in p.text for p in word.paragraphs)
    assert len(word.inline_shapes) == 1


def test_sheet_option_picks_one_sheet_of_each_workbook(chain):
    result = run("table", chain["aging"], "--sheet", "Open items", "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert "| F1 |" in result.stdout and "open_invoices" not in result.stdout.lower()


def test_template_syntax_error_names_the_line(chain, tmp_path):
    template = tmp_path / "broken.md.j2"
    template.write_text("line one\n{% for r in credit.rows %}\n{{ r.customer_id }\n",
                        encoding="utf-8")
    result = run(template, chain["credit"])
    assert result.exit_code == 1
    assert "broken.md.j2" in result.output and "line 3" in result.output


def test_table_from_standard_input():
    result = CliRunner().invoke(cli, ["render-report", "table", "-", "--format", "markdown"],
                                input="customer_id,outstanding\nC1,1.10\nC2,2.20\n")
    assert result.exit_code == 0, result.output
    assert "| C1 | 1.10 |" in result.stdout and "**3.30**" in result.stdout


def test_charts_load_ahead_only_for_a_charted_report_in_html_or_word(chain, tmp_path,
                                                                   monkeypatch):
    from cskit.reports import charts

    calls = []
    monkeypatch.setattr(charts, "warm_up", lambda: calls.append(1))
    assert run("aging", chain["aging"], "-o", tmp_path / "a.html").exit_code == 0
    assert run("aging", chain["aging"], "-o", tmp_path / "a.md").exit_code == 0
    assert run("table", chain["aging"], "-o", tmp_path / "t.html").exit_code == 0
    assert calls == [1]


def test_a_chart_drawn_after_loading_ahead_is_the_same(monkeypatch):
    from cskit.reports import charts

    args = (["0-30", "31-60"], [1200.5, 300.0])
    options = dict(title="Aging", lang="en", money=True)
    monkeypatch.setattr(charts, "_warming", None)
    charts.warm_up()
    ahead = charts.bar_chart(*args, **options)
    assert not charts._warming.is_alive()
    assert ahead == charts.bar_chart(*args, **options)
