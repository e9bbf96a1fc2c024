"""render-report's layers on small hand-made tables (no file reading)."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cskit
from cskit.errors import DataError, UsageError
from cskit.reports import document, mask, model, tables
from cskit.reports.tables import Table


def make(name: str, frame: pd.DataFrame, sheet: str | None = None) -> Table:
    table = Table(name=name, frame=tables.canonical(frame), source=f"{name}.csv", sheet=sheet)
    table.kind = tables.recognise(table)
    if table.kind != "parameters":
        table.frame = tables.typed(table.frame)
    return table


EVIL = "<script>alert(1)</script>"


def credit_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "customer_id": ["C001", "C002", "C003", "C004", "C005"],
        "customer_name": [EVIL, "华东贸易", "北方机电", "新客户甲", "老客户乙"],
        "score": [92.0, 75.5, 55.0, None, None],
        "final_level": [1, 3, 5, None, None],
        "grade": [1, 3, 4, None, None],
        "grade_label": ["一级", "三级", "四级", None, None],
        "credit_limit": [800000.0, 300000.0, 0.0, 0.0, None],
        "status": ["rated", "rated", "rated", "unrated_new", None],
        "phone": ["13812345678", "021-87654321", "13900001111", None, None],
        "previous_grade": [1, 2, 4, None, 2],
        "previous_limit": [800000.0, 500000.0, 0.0, None, 500000.0],
        "change": ["unchanged", "downgraded", "unchanged", "new", "dropped"],
    })


def aging_summary() -> pd.DataFrame:
    return pd.DataFrame({
        "客户编号": ["C001", "C002", "C003", "合计"],
        "客户名称": [EVIL, "华东贸易", "北方机电", ""],
        "未结发票数": [2, 1, 3, 6],
        "应收余额": [900000.10, 1000.0, 50000.0, 951000.10],
        "未到期": [100000.10, 0, 0, 100000.10],
        "1-30天": [0, 1000.0, 0, 1000.0],
        "31-60天": [0, 0, 0, 0],
        "61-90天": [0, 0, 0, 0],
        "91-180天": [0, 0, 20000.0, 20000.0],
        "181天以上": [800000.0, 0, 30000.0, 830000.0],
        "赊欠限额": [800000.0, 300000.0, 0.0, None],
        "提示": ["over_limit", "", "over_limit;unpaid_6m", ""],
    })


def aging_detail() -> pd.DataFrame:
    return pd.DataFrame({
        "customer_id": ["C001", "C003"], "customer_name": [EVIL, "北方机电"],
        "invoice_no": ["F1", "F2"],
        "invoice_date": pd.to_datetime(["2026-01-05", "2026-02-01"]),
        "due_date": pd.to_datetime(["2026-02-04", "2026-03-03"]),
        "outstanding": [800000.0, 30000.0], "days_overdue": [269, 242],
        "bucket": ["181+", "181+"], "salesperson": ["S01", "S02"],
        "flags": ["", "unpaid_6m"],
    })


def kpi_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "entity_id": ["D", "D", "D", "D", "S01", "S01"],
        "entity_name": ["客服部", "客服部", "客服部", "客服部", "张三", "张三"],
        "level": ["department"] * 4 + ["staff"] * 2,
        "role": ["director"] * 4 + ["specialist"] * 2,
        "period": ["2026-09", "2026-09", "2026-10", "2026-10", "2026-10", "2026-10"],
        "kpi": ["satisfaction_rate", "dso_days"] * 3,
        "kpi_label": ["客户满意度", "应收账款周转天数"] * 3,
        "numerator": [45, None, 47, None, 9, None],
        "denominator": [50, None, 50, None, 12, None],
        "value": [0.9, 70.0, 0.94, 80.0, 0.75, 80.0],
        "target": [0.9, 75, 0.9, 75, 0.9, 75],
        "direction": [">=", "<=", ">=", "<=", ">=", "<="],
        "met": [True, True, True, False, False, False],
    })


def visits_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "date": pd.to_datetime(["2026-11-02", "2026-11-02", "2026-11-03", None]),
        "staff_id": ["S01", "S02", "S01", "S02"], "staff_name": ["张三", "李四", "张三", "李四"],
        "customer_id": ["C001", "C002", "C003", "C004"],
        "customer_name": ["甲", "乙", "丙", "丁"],
        "activity": ["visit", "call", "sms", "visit"],
        "reason": ["cycle", "birthday", "festival", "cycle"],
        "detail": ["", "农历生日 正月初八", "元旦", "capacity"],
        "phone": ["13812345678", "13912345678", "", "13700001234"],
        "status": ["planned", "planned", "planned", "unscheduled"],
    })


def all_tables() -> list[Table]:
    return [make("credit", credit_frame()),
            make("aging_summary", aging_summary(), sheet="Summary"),
            make("aging_open_items", aging_detail(), sheet="Open items"),
            make("kpi", kpi_frame()), make("visits", visits_frame())]


# --- DATA and recognition ---------------------------------------------------
def test_data_spec_name_or_path():
    assert tables.parse_spec("aging=out/aging.xlsx") == ("aging", "out/aging.xlsx")
    assert tables.parse_spec("out/aging.xlsx") == (None, "out/aging.xlsx")
    # a path with '=' in a folder name is still a path
    assert tables.parse_spec("out/a=b/x.csv") == (None, "out/a=b/x.csv")
    assert tables.slug("Open items") == "open_items"


def test_chinese_headers_map_back_and_totals_row_is_dropped():
    table = make("aging", aging_summary())
    assert table.kind == "aging"
    assert {"customer_id", "outstanding", "not_due", "1-30", "181+", "credit_limit"} \
        <= set(table.frame.columns)
    assert list(table.frame["customer_id"]) == ["C001", "C002", "C003"]  # 合计 row gone


def test_kinds_recognised_by_columns():
    kinds = [t.kind for t in all_tables()]
    assert kinds == ["credit", "aging", "aging_detail", "kpi", "visits"]
    params = make("p", pd.DataFrame({"parameter": ["as_of"], "value": ["2026-10-31"]}),
                  sheet="Parameters")
    assert params.kind == "parameters"
    assert tables.parameters([params]) == {"as_of": "2026-10-31"}
    assert make("x", pd.DataFrame({"a": [1]})).kind == "table"


# --- masking ----------------------------------------------------------------
def test_masking_phones_and_id_numbers():
    frame = pd.DataFrame({
        "phone": ["13812345678", "138-1234-5678", "010-87654321", None],
        "note": ["联系 13912345678 或 身份证 110101199003071234", "no number", "x", "y"],
        "手机": [13712345678, 13600001111, None, 13500002222],
    })
    masked = mask.mask_frame(frame)
    assert list(masked["phone"][:3]) == ["138****5678", "138****5678", "010-****4321"]
    assert pd.isna(masked["phone"].iloc[3])
    assert masked["note"].iloc[0] == "联系 139****5678 或 身份证 110101********1234"
    assert masked["手机"].iloc[0] == "137****5678"
    assert frame["phone"].iloc[0] == "13812345678"  # the input is not changed


@given(st.integers(min_value=13000000000, max_value=19999999999),
       st.text(alphabet=st.characters(blacklist_categories=("Nd", "Cs")), max_size=5),
       st.sampled_from(["", "0", "+86", "86", "+86 "]))
def test_no_mobile_number_survives_masking(number, text, prefix):
    cell = f"{text}{prefix}{number}"
    masked = mask.mask_frame(pd.DataFrame({"note": [cell]}))["note"].iloc[0]
    assert str(number) not in masked
    assert str(number)[-4:] in masked


# --- model ------------------------------------------------------------------
def figures(part: dict) -> dict:
    return {f["label"]: f["value"] for f in part["figures"]}


def test_aging_figures_and_attention():
    part = model.aging_section(make("s", aging_summary(), "Summary"),
                               make("d", aging_detail(), "Open items"), "en",
                               {"dso": "81.5"})
    shown = figures(part)
    # 900,000.10 + 1,000 + 50,000
    assert shown["Outstanding receivables"] == "951,000.10"
    # outstanding − not due = 951,000.10 − 100,000.10
    assert shown["Overdue"] == "851,000.00"
    # 91-180 + 181+ = 20,000 + 830,000
    assert shown["Over 90 days overdue"] == "850,000.00"
    assert shown["181+ days overdue"] == "830,000.00"
    assert shown["DSO (days)"] == "81.5"
    attention = " | ".join(part["attention"])
    # C001 900,000.10 over 800,000 and C003 50,000 over 0: 150,000.10 above the limits
    assert "2 customers over their credit limit, 150,000.10" in attention
    assert "2 customers with 830,000.00 overdue 181+ days" in attention
    assert "1 invoice still unpaid six months after shipment" in attention
    assert "DSO 81.5 days is above the target" in attention
    summary_table = part["tables"][0]
    assert summary_table["totals"][summary_table["columns"].index(
        next(c for c in summary_table["columns"] if c["key"] == "outstanding"))] \
        == "951,000.10"
    assert len(part["charts"]) == 1 and part["charts"][0]["png"][:4] == b"\x89PNG"


def test_aging_against_last_period_with_reasons():
    before = pd.DataFrame({"customer_id": ["C001", "C002"], "customer_name": [EVIL, "华东贸易"],
                           "outstanding": [700000.10, 1000.0], "not_due": [100000.10, 0.0],
                           "1-30": [0.0, 1000.0], "91-180": [0.0, 0.0],
                           "181+": [600000.0, 0.0]})
    previous = make("previous_aging", before)
    previous.meta["previous"] = True
    report = model.build("aging", [make("aging", aging_summary()), previous], "en", {})
    changes = {c["label"]: c for c in report["sections"][0]["changes"]}
    total = changes["Outstanding receivables"]
    # 951,000.10 − 701,000.10 = +250,000.00: 181+ +230,000 and 91-180 +20,000 by bucket;
    # C001 +200,000.00 and C003 (new) +50,000.00 by customer
    assert (total["previous"], total["current"], total["change"]) == \
        ("701,000.10", "951,000.10", "+250,000.00")
    assert total["reason"] == ("181+ +230,000.00; 91-180 +20,000.00; "
                               f"{EVIL} +200,000.00; 北方机电 +50,000.00")
    assert changes["181+ days overdue"]["change"] == "+230,000.00"


def test_credit_by_grade_and_change_against_previous():
    part = model.credit_section(make("credit", credit_frame()), "zh")
    by_grade = part["tables"][0]
    rows = {r[0]: r[1:] for r in by_grade["rows"]}
    assert rows["一级"] == ["1", "800,000.00"]
    assert rows["未评级"] == ["1", "0.00"]  # the dropped customer is not counted
    assert by_grade["totals"][2] == "1,100,000.00"  # 800,000 + 300,000 + 0 + 0
    change = part["changes"][0]
    # previous: 800,000 + 500,000 + 0 + 500,000 (dropped) = 1,800,000
    assert (change["previous"], change["current"], change["change"]) == \
        ("1,800,000.00", "1,100,000.00", "−700,000.00")
    assert change["reason"] == "升级 0 个，降级 1 个，新增 1 个，减少 1 个"
    assert "1 个客户等级下调" in part["attention"]


def test_kpi_achievement_changes_and_missed():
    part = model.kpi_section(make("kpi", kpi_frame()), None, "en")
    dept = part["tables"][0]
    cells = {row[0]: row for row in dept["rows"]}
    # satisfaction 0.94 / 0.90 = 104%; DSO is "≤": 75 / 80 = 94%
    assert cells["satisfaction rate"][-2] == "104%"
    assert cells["dso days"][-2] == "94%"
    assert figures(part)["KPIs missed"] == "3"  # dept DSO, and both of 张三's
    changes = {c["label"]: c for c in part["changes"]}
    assert changes["satisfaction rate"]["change"] == "+4.0%"
    assert changes["satisfaction rate"]["reason"] == "numerator 45 → 47; denominator 50 → 50"
    assert changes["dso days"]["change"] == "+10.0"


def test_visits_counts_and_unscheduled():
    part = model.visits_section(make("visits", visits_frame()), "en", full_plan=True)
    assert figures(part)["Activities planned"] == "3"
    assert figures(part)["Unscheduled"] == "1"
    by_staff = part["tables"][0]
    header = [c["key"] for c in by_staff["columns"]]
    rows = [dict(zip(header, r)) for r in by_staff["rows"]]
    # staff in pinyin order of their names (issue 15 item 7): 李 (lǐ) before 张 (zhāng)
    assert [r["staff_name"] for r in rows] == ["李四", "张三"]
    row = rows[1]
    assert row["staff_id"] == "S01" and row["visit"] == "1" and row["sms"] == "1"
    assert "1 visit/call could not be scheduled" in part["attention"]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(min_value=-10**9, max_value=10**9), min_size=1, max_size=30))
def test_totals_row_equals_the_sum_of_the_rows_to_the_cent(cents):
    frame = pd.DataFrame({"customer_id": [f"C{i}" for i in range(len(cents))],
                          "outstanding": [c / 100 for c in cents]})
    view = model.table_view(frame, None, "en", "t", limit=5)
    assert view["totals"][1] == f"{sum(cents) / 100:,.2f}"


# --- documents ----------------------------------------------------------------
class Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def produce(template: str, kind: str, tmp_path: Path, tables_=None, **options) -> Path:
    target = tmp_path / f"out.{kind}"
    found = document.resolve_template(template)
    document.produce(found, tables_ if tables_ is not None else all_tables(), kind=kind,
                     target=str(target), title=options.get("title"),
                     lang=options.get("lang", "en"), as_of="2026-10-31",
                     variables=options.get("variables", {}), mask=options.get("mask", True),
                     params={})
    return target


@pytest.mark.parametrize("template", ["aging", "credit", "kpi", "visit-plan", "monthly",
                                      "table"])
@pytest.mark.parametrize("kind", ["html", "md", "docx"])
def test_every_builtin_renders_to_every_format(template, kind, tmp_path):
    target = produce(template, kind, tmp_path)
    assert target.stat().st_size > 500
    if kind == "html":
        page = target.read_text(encoding="utf-8")
        parser = Collect()
        parser.feed(page)
        assert "script" not in parser.tags  # the customer named <script> stays text
        if template in {"aging", "credit", "monthly", "table"}:
            assert "&lt;script&gt;" in page
        assert "13812345678" not in page
        assert "data:image/png;base64," in page or template == "table"
    if kind == "md":
        text = target.read_text(encoding="utf-8")
        assert "<script>" not in text and "13812345678" not in text


def test_monthly_html_has_summary_changes_and_attention(tmp_path):
    page = produce("monthly", "html", tmp_path, lang="zh").read_text(encoding="utf-8")
    assert "客服部月度工作报告" in page and "截至日期: 2026-10-31" in page
    for text in ("需要关注的事项", "与上期比较", "超出赊欠限额", "181天以上逾期款",
                 "项指标未达标", "未能排期", "138****5678"):
        assert text in page, text
    assert page.count("data:image/png;base64,") == 4  # aging, grades, KPI, visits


def test_monthly_docx_has_headings_tables_totals_pictures_and_page_numbers(tmp_path):
    from docx import Document

    word = Document(str(produce("monthly", "docx", tmp_path, lang="zh")))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert {"摘要", "客户信用", "应收账款账龄", "绩效考核指标", "巡回访问与回访"} <= set(headings)
    cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
    assert "951,000.10" in cells and "1,100,000.00" in cells and "合计" in cells
    assert EVIL in cells  # Word shows the name as text
    assert len(word.inline_shapes) == 4
    footer = word.sections[0].footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer
    # the summary page is portrait; the aging part, 11 columns wide, landscape
    assert word.sections[0].page_width < word.sections[0].page_height
    assert any(s.page_width > s.page_height for s in word.sections[1:])


def test_no_mask_shows_phone_numbers(tmp_path):
    page = produce("credit", "html", tmp_path, mask=False).read_text(encoding="utf-8")
    assert "13812345678" in page


def test_builtin_without_its_table_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="written by rollup-kpi"):
        produce("kpi", "html", tmp_path, tables_=[make("credit", credit_frame())])


def test_user_template_loop_missing_variable_and_sandbox(tmp_path):
    template = tmp_path / "letter.html.j2"
    template.write_text("<h1>{{ title }} {{ vars.month }}</h1><ul>{% for r in credit.rows %}"
                        "<li>{{ r.customer_name }} {{ r.credit_limit | money }}</li>"
                        "{% endfor %}</ul>total {{ credit.totals.credit_limit | money }}",
                        encoding="utf-8")
    out = produce(str(template), "html", tmp_path, tables_=[make("credit", credit_frame())],
                  variables={"month": "2026-10"}).read_text(encoding="utf-8")
    assert "&lt;script&gt;" in out and "<li>华东贸易 300,000.00</li>" in out
    assert "total 1,100,000.00" in out and "2026-10" in out

    template.write_text('<img src="{{ charts.grades }}"><img src="{{ credit.charts.grades }}">',
                        encoding="utf-8")
    out = produce(str(template), "html", tmp_path, tables_=[make("credit", credit_frame())]) \
        .read_text(encoding="utf-8")
    assert out.count('<img src="data:image/png;base64,iVBOR') == 2

    template.write_text("{{ nosuch_thing }}", encoding="utf-8")
    with pytest.raises(DataError, match="nosuch_thing"):
        produce(str(template), "html", tmp_path, tables_=[make("credit", credit_frame())])

    template.write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}", encoding="utf-8")
    with pytest.raises(DataError, match="sandbox|may not"):
        produce(str(template), "html", tmp_path, tables_=[make("credit", credit_frame())])


def test_user_docx_template_with_a_loop(tmp_path):
    from docx import Document

    source = Document()
    source.add_paragraph("{{ title }}")
    source.add_paragraph("{%p for r in credit.rows %}")
    source.add_paragraph("{{ r.customer_id }}: {{ r.customer_name }} {{ r.phone }}")
    source.add_paragraph("{%p endfor %}")
    source.add_paragraph("{{ charts.grades }}")
    path = tmp_path / "letter.docx"
    source.save(str(path))
    target = produce(str(path), "docx", tmp_path, tables_=[make("credit", credit_frame())],
                     title="信用通知")
    text = [p.text for p in Document(str(target)).paragraphs]
    assert text[0] == "信用通知"
    assert f"C001: {EVIL} 138****5678" in text
    assert "C002: 华东贸易 021-****4321" in text
    assert len(Document(str(target)).inline_shapes) == 1


def test_output_kind_rules():
    builtin = document.resolve_template("aging")
    assert document.output_kind(builtin, "x.html", None) == "html"
    assert document.output_kind(builtin, None, None) == "md"
    assert document.output_kind(builtin, "x.docx", None) == "docx"
    with pytest.raises(UsageError):
        document.output_kind(builtin, None, "csv")
    with pytest.raises(UsageError):
        document.output_kind(builtin, "x.pdf", None)
    with pytest.raises(UsageError):
        document.resolve_template("no-such-template")


def test_templates_ship_inside_the_package():
    folder = Path(cskit.__file__).resolve().parent / "templates"
    names = {p.name for p in folder.iterdir()}
    for name in ("aging", "credit", "kpi", "visit-plan", "monthly", "table"):
        assert f"{name}.html.j2" in names and f"{name}.md.j2" in names
    assert re.search(r'"cskit.templates": \["\*.j2"\]', (Path(cskit.__file__).resolve().parents[1]
                                                      / "setup.py").read_text())


def test_neighbouring_numbers_are_all_masked():
    frame = pd.DataFrame({"note": ["13812345678,13912345678 13712345678",
                                   "9013812345678", "110101199003071234/11010119900307123X"]})
    masked = list(mask.mask_frame(frame)["note"])
    assert masked[0] == "138****5678,139****5678 137****5678"
    assert masked[1] == "9013812345678"  # 13 digits: not a mobile number
    assert masked[2] == "110101********1234/110101********123X"


def test_charts_have_a_font_with_chinese_glyphs():
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    from cskit.reports import charts

    family = charts.cjk_font()
    assert family is not None, "no CJK font: install mplfonts (a cskit dependency)"
    path = font_manager.findfont(font_manager.FontProperties(family=family),
                                 fallback_to_default=False)
    font = FT2Font(path)
    assert all(font.get_char_index(ord(ch)) for ch in "应收账款账龄客户等级每日巡访")
