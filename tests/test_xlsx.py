"""XLSX for people and printers (issue 15 items 8-10; issue 20 item 7)."""
from __future__ import annotations

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from cskit.cli import cli
from cskit.errors import OutputError
from cskit.io import xlsx
from cskit.io.write import write_report

PARAMS = [("command", "cskit aging-report x.csv"), ("as_of", "2026-10-31")]


def summary() -> pd.DataFrame:
    return pd.DataFrame({
        "customer_id": ["C1", "C2"], "customer_name": ["甲公司", "乙公司"],
        "open_invoices": [1, 2],
        "outstanding": [6600.0, 11345.6], "1-30": [6600.0, 0.0], "31-60": [0.0, 11345.6],
        "max_days_overdue": [12, 45], "dso": [30.5, 80.25], "rate": [0.5, 0.25],
        "flags": ["", "over_limit"]})


def test_money_two_decimals_days_integers(tmp_path):
    out = tmp_path / "a.xlsx"
    write_report({"Summary": summary()}, str(out), parameters=PARAMS,
                 formats={"dso": "#,##0.0", "outstanding": "#,##0"})
    sheet = openpyxl.load_workbook(out)["Summary"]
    header = [c.value for c in sheet[1]]
    fmt = {h: sheet.cell(2, header.index(h) + 1).number_format for h in header}
    # 6,600 is money beside 11,345.60: both 6,600.00 and 11,345.60 (issue 15 item 8),
    # even when a command asks for a whole-number format
    assert fmt["outstanding"] == fmt["1-30"] == fmt["31-60"] == "#,##0.00"
    assert fmt["max_days_overdue"] == fmt["open_invoices"] == "#,##0"
    assert fmt["dso"] == "#,##0.0"


def test_totals_row_print_setup_and_footer(tmp_path):
    out = tmp_path / "a.xlsx"
    write_report({"Summary": summary()}, str(out), parameters=PARAMS, lang="zh")
    book = openpyxl.load_workbook(out)
    sheet = book["Summary"]
    last = [c.value for c in sheet[4]]
    # 合计: 6,600.00 + 11,345.60 = 17,945.60; invoices 1 + 2 = 3
    assert last[0] == "合计" and last[2] == 3 and last[3] == pytest.approx(17945.60)
    assert sheet.cell(4, 4).font.b
    assert sheet.page_setup.orientation == "landscape"  # 10 columns: wide
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (sheet.page_setup.fitToWidth or 1) == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows == "$1:$1"
    footer = sheet.oddFooter
    assert "截至 2026-10-31" in footer.right.text and "&P" in footer.center.text
    # the filter covers the data, not the totals row
    assert sheet.auto_filter.ref == "A1:J3"


def test_no_second_totals_row_when_the_table_has_one(tmp_path):
    frame = pd.concat([summary(), pd.DataFrame([{"customer_id": "Total",
                                                  "outstanding": 17945.6}])],
                      ignore_index=True)
    out = tmp_path / "a.xlsx"
    write_report({"Summary": frame}, str(out), parameters=PARAMS)
    sheet = openpyxl.load_workbook(out)["Summary"]
    assert sheet.max_row == 4 and sheet.cell(4, 1).value == "Total"


def test_totals_flag_in_csv_only_when_asked(tmp_path):
    plain, with_totals = tmp_path / "a.csv", tmp_path / "b.csv"
    write_report({"Summary": summary()}, str(plain))
    write_report({"Summary": summary()}, str(with_totals), totals=True)
    assert len(pd.read_csv(plain)) == 2
    back = pd.read_csv(with_totals)
    assert back["customer_id"].tolist()[-1] == "Total"
    assert back["outstanding"].tolist()[-1] == pytest.approx(17945.60)


def test_totals_option_on_a_command():
    result = CliRunner().invoke(cli, ["aging-report", "samples/invoices.csv", "--as-of",
                                      "2026-10-31", "--totals", "-q", "--format", "csv"])
    assert result.exit_code == 0, result.output
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("Total,")


def test_long_table_continues_on_more_sheets(tmp_path, monkeypatch):
    # issue 20 item 7: never cut rows; Excel's limit made small for the test
    monkeypatch.setattr(xlsx, "MAX_ROWS", 4)  # header + 3 data rows per sheet
    frame = pd.DataFrame({"invoice_no": [f"I{i}" for i in range(7)],
                          "customer_name": ["x"] * 7})
    out = tmp_path / "a.xlsx"
    write_report({"Open items": frame}, str(out), parameters=PARAMS)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Open items", "Open items (2)", "Open items (3)", "Parameters"]
    rows = [c.value for name in book.sheetnames[:3] for c in book[name]["A"][1:]]
    assert rows == [f"I{i}" for i in range(7)]
    assert book["Open items (2)"]["A1"].value == "invoice_no"  # each part has the header


def test_too_many_columns_stops_naming_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_COLUMNS", 3)
    frame = pd.DataFrame({f"c{i}": [1] for i in range(4)})
    out = tmp_path / "a.xlsx"
    with pytest.raises(OutputError) as caught:
        write_report({"Wide": frame}, str(out), parameters=PARAMS)
    text = caught.value.args[0] if caught.value.args else str(caught.value)
    assert "at most 3 columns" in str(text) and "CSV" in str(text)
    assert not out.exists()


def test_kpi_ratios_as_percentages(tmp_path):
    frame = pd.DataFrame({"kpi": ["satisfaction_rate", "dso_days"], "unit": ["ratio", "days"],
                          "value": [0.95, 62.5], "target": [0.9, 75.0]})
    out = tmp_path / "k.xlsx"
    write_report({"KPIs": frame}, str(out), parameters=PARAMS)
    sheet = openpyxl.load_workbook(out)["KPIs"]
    assert sheet["C2"].number_format == "0.0%" and sheet["D2"].number_format == "0.0%"
    assert sheet["C3"].number_format == "#,##0.0"  # DSO 62.5 days


def test_table_aligns_chinese_and_fits_the_terminal():
    # issue 15 item 11: wide characters count as two columns
    from wcwidth import wcswidth

    from cskit.io.write import _table_text

    frame = pd.DataFrame({"客户名称": ["上海恒达机电设备集团有限公司", "乙"],
                          "outstanding": [6600.0, 11345.6], "flags": ["超出限额", ""],
                          "note": ["a long English note that will not fit", "x"]})
    text, hidden = _table_text(frame)
    widths = {wcswidth(line) for line in text.splitlines() if line}
    assert len(widths) == 1 and not hidden  # every line as wide as the others
    text, hidden = _table_text(frame, width=60)
    assert hidden == ["note"] or hidden == ["flags", "note"]
    assert max(wcswidth(line) for line in text.splitlines() if line) <= 60


def test_table_on_a_terminal_names_the_hidden_columns(monkeypatch):
    import shutil

    import click.testing

    monkeypatch.setattr(click.testing._NamedTextIOWrapper, "isatty", lambda self: True)
    monkeypatch.setattr(shutil, "get_terminal_size", lambda fallback=None:
                        __import__("os").terminal_size((70, 30)))
    result = CliRunner().invoke(cli, ["aging-report", "samples/invoices.csv", "--as-of",
                                      "2026-10-31", "-q", "--lang", "zh"])
    assert result.exit_code == 0, result.output
    assert "终端宽度不够，以下" in result.stdout and "应收账款周转天数" in result.stdout \
        .split("终端宽度不够")[1]


def test_chinese_workbook_names_its_parameters_in_chinese_and_reads_back(tmp_path):
    aging = tmp_path / "账龄.xlsx"
    result = CliRunner().invoke(cli, ["aging-report", "samples/invoices.csv", "--as-of",
                                      "2026-10-31", "--lang", "zh", "-q", "-o", str(aging)])
    assert result.exit_code == 0, result.output
    names = [row[0] for row in openpyxl.load_workbook(aging)["Parameters"].values]
    assert "截至日期" in names and "账龄计算基准" in names and "as_of" not in names
    assert any(n.startswith("输入 ") for n in names)
    # render-report finds the as-of date and the DSO in it
    result = CliRunner().invoke(cli, ["render-report", "aging", str(aging), "--lang", "zh",
                                      "--format", "html", "-q"])
    assert result.exit_code == 0, result.output
    assert "截至日期: 2026-10-31" in result.stdout and "应收账款周转天数" in result.stdout


def test_a_workbook_of_many_cells_is_zipped_fast_and_reads_the_same(tmp_path, monkeypatch):
    import zipfile

    import xlsxwriter.workbook

    # the name xlsxwriter opens its zip file by, which _close hands a level
    assert xlsxwriter.workbook.ZipFile is zipfile.ZipFile
    frame = pd.DataFrame({"customer_id": [f"C{i}" for i in range(300)],
                          "outstanding": [i * 1.25 for i in range(300)]})
    small, fast = tmp_path / "small.xlsx", tmp_path / "fast.xlsx"
    write_report({"Summary": frame}, str(small), parameters=PARAMS)
    levels = []
    real = zipfile.ZipFile

    def spy(*args, **kwargs):
        levels.append(kwargs.get("compresslevel"))
        return real(*args, **kwargs)

    monkeypatch.setattr(xlsx, "FAST_ZIP_CELLS", 100)
    monkeypatch.setattr(zipfile, "ZipFile", spy)
    write_report({"Summary": frame}, str(fast), parameters=PARAMS)
    assert levels == [1]
    assert xlsxwriter.workbook.ZipFile is real  # put back after closing
    cells = [[[c.value for c in row] for row in openpyxl.load_workbook(path)["Summary"].rows]
             for path in (small, fast)]
    assert cells[0] == cells[1]
