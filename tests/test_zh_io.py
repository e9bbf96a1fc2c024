"""Reading and writing files with --lang zh: every message of the I/O layer
(missing file, encodings, Excel workbooks, headers, cell values, the rejects
file, output folders) in Chinese, still naming the file, row and column;
the English of the same runs stays as it was."""
from __future__ import annotations

import csv
import errno
import io
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from cskit.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_INVOICES = str(ROOT / "samples" / "invoices.csv")

HEADER_ZH = "客户编号,客户名称,发票号,开票日期,金额,账期\n"
GOOD_ROW = "C1,甲公司,I1,2026-10-01,100,30\n"


@pytest.fixture(autouse=True)
def strict(monkeypatch):
    # a message that reaches a Chinese user in English only is an internal error
    monkeypatch.setenv("CSKIT_STRICT_TEXT", "1")


def run(*args, lang="zh", input=None):
    result = CliRunner().invoke(cli, [*args, "--lang", lang, "-q"], input=input)
    text = result.output
    assert "internal error" not in text and "内部错误" not in text, text
    assert "Traceback" not in text, text
    return result.exit_code, text


def aging(path, tmp_path, *extra, lang="zh", input=None):
    return run("aging-report", str(path), "--as-of", "2026-10-31",
               "-o", str(tmp_path / "out.csv"), *extra, lang=lang, input=input)


def write(tmp_path, name, text, encoding="utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def workbook(path, sheets, merge=None):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    if merge:
        book.worksheets[0].merge_cells(merge)
    book.save(path)
    return path


# --- cell values ----------------------------------------------------------------------
BAD_CELLS = (HEADER_ZH + GOOD_ROW
             + "C2,乙公司,I1,2026-02-30,abc,-3\n"
             + "C3,丙公司,I3,下周二,,1.5\n")


def test_bad_cells_are_named_in_chinese(tmp_path):
    path = write(tmp_path, "发票.csv", BAD_CELLS)
    code, text = aging(path, tmp_path)
    assert code == 1, text
    assert f"{path}，第 3 行，“开票日期”列：“2026-02-30” — 应为日历上真实存在的日期" in text
    assert f"{path}，第 4 行，“开票日期”列：“下周二” — 应为日期，如 2026-10-31" in text
    assert "第 3 行，“金额”列：“abc” — 应为金额，如 1234.50" in text
    assert "第 4 行，“账期”列：“1.5” — 应为整数" in text
    assert "第 3 行，“账期”列：“-3” — 应为 0 到 36500 之间的值" in text
    assert "第 3 行，“发票号”列：“I1（第 2 行也有）” — 不能重复" in text
    assert "请改正文件；或加上 --rejects" in text
    assert not (tmp_path / "out.csv").exists()


def test_bad_cells_in_english_are_unchanged(tmp_path):
    path = write(tmp_path, "invoices.csv", BAD_CELLS)
    code, text = aging(path, tmp_path, lang="en")
    assert code == 1, text
    assert f"{path}, row 3, column 开票日期: '2026-02-30' — a day that exists in the calendar" in text
    assert "row 3, column 金额: 'abc' — an amount such as" in text
    assert "row 3, column 账期: '-3' — a value between 0 and 36500" in text
    assert "'I1 (also in row 2)' — a unique invoice_no; this one appears twice" in text
    assert "Fix the file, or add --rejects FILE" in text


def test_blank_required_value(tmp_path):
    path = write(tmp_path, "发票.csv", HEADER_ZH + GOOD_ROW + "C2,乙公司,I2,2026-10-02,,30\n")
    code, text = aging(path, tmp_path)
    assert code == 1 and f"{path}，第 3 行，“金额”列：不能为空（必填列）" in text, text
    code, text = aging(path, tmp_path, lang="en")
    assert "row 3, column 金额: is empty; this column must be filled in" in text, text


def test_rejects_file_gives_its_reasons_in_the_language_of_the_run(tmp_path):
    path = write(tmp_path, "发票.csv", BAD_CELLS)
    rejects = tmp_path / "剔除.csv"
    code, text = aging(path, tmp_path, "--rejects", str(rejects))
    assert code == 0, text
    rows = list(csv.DictReader(io.StringIO(rejects.read_text(encoding="utf-8-sig"))))
    assert [r["source_row"] for r in rows] == ["3", "4"]
    first = rows[0]["reject_reason"]
    assert "“开票日期”列：应为日历上真实存在的日期" in first
    assert "；“账期”列：应为 0 到 36500 之间的值；" in first and "“发票号”列：不能重复" in first
    assert "“账期”列：应为整数" in rows[1]["reject_reason"]
    assert "expected" not in first
    code, text = aging(path, tmp_path, "--rejects", str(rejects), lang="en")
    reason = next(csv.DictReader(io.StringIO(rejects.read_text(encoding="utf-8-sig"))))
    assert "开票日期: expected a day that exists" in reason["reject_reason"]
    assert "; 账期: expected a value between 0 and 36500" in reason["reject_reason"]


def test_yes_no_choices_and_numbers_in_score_credit(tmp_path):
    path = write(tmp_path, "客户.csv",
                 "客户编号,业务类型,营业执照,合作态度,设立年限\n"
                 "C1,A,是,配合,5\n"
                 "C2,A,也许,很好,五年\n")
    code, text = run("score-credit", str(path), "--as-of", "2026-10-31",
                     "-o", str(tmp_path / "out.csv"))
    assert code == 1, text
    assert f"{path}，第 3 行，“营业执照”列：“也许” — 应为是或否（可写 y/n" in text
    assert "“合作态度”列：“很好” — 应为以下之一：不配合、配合、非常配合（或对应的数字 0/1/2）" in text
    assert "“设立年限”列：“五年” — 应为数字，如 12、12.5、95% 或 1.2万" in text
    code, text = run("score-credit", str(path), "--as-of", "2026-10-31",
                     "-o", str(tmp_path / "out.csv"), lang="en")
    assert "'很好' — one of 不配合, 配合, 非常配合 (or the number 0/1/2)" in text
    assert "'也许' — yes or no (y/n, yes/no" in text


def test_date_and_time(tmp_path):
    path = write(tmp_path, "投诉.csv", "投诉编号,工号,投诉时间\nK1,S1,2026-10-01 25:00\n"
                                       "K2,S1,2026-10-01 09:00\n")
    args = ("rollup-kpi", "--org", str(ROOT / "samples" / "org.csv"), "--complaints", str(path),
            "--period", "2026-10", "-o", str(tmp_path / "kpi.csv"))
    code, text = run(*args)
    assert code == 1, text
    assert f"{path}，第 2 行，“投诉时间”列：“2026-10-01 25:00” — 应为日期时间，如 2026-10-31 14:05" in text
    code, text = run(*args, lang="en")
    assert "— a date and time such as 2026-10-31 14:05 (or a date alone:" in text, text


# --- headers -------------------------------------------------------------------------
def test_missing_column_names_its_chinese_header_and_the_headers_found(tmp_path):
    path = write(tmp_path, "发票.csv", "客户编号,发票号,金额\nC1,I1,5\n")
    code, text = aging(path, tmp_path)
    assert code == 1, text
    assert (f"{path}：缺少必填列“开票日期”（也可写作：invoice_date、单据日期、posting_date、"
            "业务日期、凭证日期、过账日期、过帐日期、记账日期）；文件中现有的列：客户编号、发票号、金额"
            ) in text, text
    code, text = aging(path, tmp_path, lang="en")
    assert ("required column invoice_date (also accepted: 开票日期, 单据日期, posting_date, "
            "业务日期, 凭证日期, 过账日期, 过帐日期, 记账日期) "
            "is missing; columns found: 客户编号, 发票号, 金额") in text


def test_none_of_the_scoring_columns(tmp_path):
    path = write(tmp_path, "客户.csv", "客户编号,客户名称\nC1,甲公司\n")
    code, text = run("score-credit", str(path), "-o", str(tmp_path / "out.csv"))
    assert code == 1, text
    assert f"{path}：至少需要以下列之一：营业执照（business_license）、税务登记证" in text
    assert "文件中现有的列：客户编号、客户名称" in text


def test_two_headers_for_one_column(tmp_path):
    path = write(tmp_path, "发票.csv", "客户编号,customer_id,客户名称,发票号,开票日期,金额\n"
                                       "C1,C1,甲,I1,2026-10-01,5\n")
    code, text = aging(path, tmp_path)
    assert code == 1, text
    assert "“客户编号”和“customer_id”两列都表示 customer_id，请只保留一列" in text
    code, text = aging(path, tmp_path, lang="en")
    assert "columns '客户编号' and 'customer_id' both mean customer_id; keep one" in text


def test_merged_header_cells(tmp_path):
    path = workbook(tmp_path / "发票.xlsx", [("应收", [
        ["客户编号", "客户名称", "发票号", None, "金额"],
        ["C1", "甲", "I1", "2026-10-01", 5]])], merge="C1:D1")
    code, text = aging(path, tmp_path)
    assert code == 1, text
    assert "缺少必填列“开票日期”" in text and "客户编号、客户名称、发票号、（空白）、金额" in text
    assert "表头在 D 列是空白的；如有合并单元格，请取消合并" in text
    code, text = aging(path, tmp_path, lang="en")
    assert "(blank)" in text and "The header is blank in column D; if it has merged cells" in text


# --- whole files ---------------------------------------------------------------------
def test_file_not_found_and_folder(tmp_path):
    code, text = aging(tmp_path / "没有.csv", tmp_path)
    assert code == 1 and f"{tmp_path / '没有.csv'}：文件不存在" in text, text
    (tmp_path / "文件夹").mkdir()
    code, text = aging(tmp_path / "文件夹", tmp_path)
    assert code == 1 and "：是文件夹，不是文件" in text, text
    code, text = aging(tmp_path / "没有.csv", tmp_path, lang="en")
    assert "没有.csv: file not found" in text


def test_encoding_not_detected_names_the_option(tmp_path):
    path = write(tmp_path, "invoices.csv",
                 "customer_id,customer_name,invoice_no,invoice_date,amount\n"
                 "C1,Café Müller Señor,I1,2026-10-01,5\n", encoding="latin-1")
    code, text = aging(path, tmp_path)
    assert code == 1, text
    assert f"{path}：既不是 UTF-8 也不是 GB18030/GBK 编码的文本；请用 --encoding 指定编码" in text
    code, text = aging(path, tmp_path, "--encoding", "no-such-encoding")
    assert code == 1 and "--encoding no-such-encoding 不是可识别的编码" in text, text
    code, text = aging(write(tmp_path, "gbk.csv", HEADER_ZH + GOOD_ROW, "gb18030"), tmp_path,
                       "--encoding", "ascii")
    assert code == 1 and "无法按 ascii 编码读取（第 1 个字节不符）；请检查 --encoding" in text, text
    code, text = aging(path, tmp_path, lang="en")
    assert "is neither UTF-8 nor GB18030/GBK text; give its encoding with --encoding" in text
    code, text = aging(path, tmp_path, "--encoding", "no-such-encoding", lang="en")
    assert "--encoding 'no-such-encoding' is not a known encoding" in text
    code, text = aging(path, tmp_path, "--encoding", "latin-1")
    assert code == 0, text


def test_empty_file_header_only_and_standard_input(tmp_path):
    code, text = aging(write(tmp_path, "空.csv", ""), tmp_path)
    assert code == 1 and "空.csv：是空文件；应有一行表头和若干数据行" in text, text
    code, text = aging(write(tmp_path, "表头.csv", HEADER_ZH), tmp_path)
    # a month with no invoices yet: an empty aging report, not an error (#14)
    assert code == 0 and (tmp_path / "out.csv").read_text(encoding="utf-8-sig").startswith(
        "客户编号,"), text
    code, text = aging("-", tmp_path, input="")
    assert code == 1 and "标准输入：是空文件" in text, text
    code, text = aging("-", tmp_path, input="", lang="en")
    assert "standard input: is empty" in text


def test_ragged_row(tmp_path):
    path = write(tmp_path, "发票.csv", HEADER_ZH + GOOD_ROW + "C2,乙,I2,2026-10-01,5,30,多余\n")
    code, text = aging(path, tmp_path)
    assert code == 1, text
    assert f"{path}，第 3 行：有 7 个单元格，但表头只有 6 列；请检查是否有值含逗号" in text
    code, text = aging(path, tmp_path, lang="en")
    assert "row 3: has 7 cells but the header has 6; look for a comma" in text


def test_not_a_table(tmp_path):
    path = tmp_path / "乱码.csv"
    path.write_bytes(bytes(range(256)) * 4)
    code, text = aging(path, tmp_path)
    assert code == 1 and "乱码.csv：不是可读取的表格文件（内容不是文本）" in text, text


def test_json_inputs(tmp_path):
    code, text = aging(write(tmp_path, "坏.json", '{"a": 1,'), tmp_path)
    assert code == 1 and "坏.json，第 1 行：不是有效的 JSON 文件（详情：" in text, text
    code, text = aging(write(tmp_path, "串.json", '"hello"'), tmp_path)
    assert code == 1 and '串.json：不是记录列表；应为 [{"列名": 值, ...}, ...] 的形式' in text, text
    code, text = aging(write(tmp_path, "空.json", "[]"), tmp_path)
    assert code == 1 and "空.json：没有任何记录" in text, text
    code, text = aging(write(tmp_path, "串.json", '"hello"'), tmp_path, lang="en")
    assert 'is not a list of records; expected [{"column": value, ...}, ...]' in text


def test_damaged_parquet(tmp_path):
    code, text = aging(write(tmp_path, "坏.parquet", "not parquet"), tmp_path)
    assert code == 1 and "坏.parquet：不是可读取的 Parquet 文件，可能已损坏（详情：" in text, text


# --- Excel workbooks --------------------------------------------------------------------
def test_sheet_missing_and_empty_first_sheet(tmp_path):
    path = workbook(tmp_path / "发票.xlsx", [("封面", []), ("明细", [
        ["客户编号", "客户名称", "发票号", "开票日期", "金额"], ["C1", "甲", "I1", "2026-10-01", 5]])])
    code, text = aging(path, tmp_path)
    assert code == 1, text
    assert f"{path} [封面]：该工作表是空的；其他工作表：明细（请用 --sheet 指定要读取的工作表）" in text
    code, text = aging(path, tmp_path, "--sheet", "没有")
    assert code == 1 and f"{path}：没有名为“没有”的工作表；现有工作表：封面、明细" in text, text
    code, text = aging(path, tmp_path, "--sheet", "明细")
    assert code == 0, text
    code, text = aging(path, tmp_path, lang="en")
    assert "[封面]: the sheet is empty; its other sheets: 明细 (choose one with --sheet)" in text
    code, text = aging(path, tmp_path, "--sheet", "nope", lang="en")
    assert "has no sheet 'nope'; its sheets: 封面, 明细" in text


def test_csv_named_xlsx_and_workbook_named_csv(tmp_path):
    code, text = aging(write(tmp_path, "发票.xlsx", HEADER_ZH + GOOD_ROW), tmp_path)
    assert code == 1 and "发票.xlsx：不是 Excel 工作簿（看起来是文本/CSV 文件）；请把扩展名改为 .csv" in text
    book = workbook(tmp_path / "真.xlsx", [("应收", [["客户编号"], ["C1"]])])
    named_csv = tmp_path / "发票.csv"
    named_csv.write_bytes(book.read_bytes())
    code, text = aging(named_csv, tmp_path)
    assert code == 1 and "发票.csv：是 Excel 工作簿，不是文本文件；请把扩展名改为 .xlsx" in text, text
    code, text = aging(named_csv, tmp_path, lang="en")
    assert "is an Excel workbook, not a text file; rename it to .xlsx (or .xls)" in text


def test_damaged_workbook(tmp_path):
    path = tmp_path / "坏.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 600)
    code, text = aging(path, tmp_path)
    assert code == 1, text
    assert "坏.xlsx：无法作为 Excel 工作簿读取：文件可能已损坏或不是 Excel 格式；请用 Excel 打开后" in text


def test_every_sheet_empty_in_a_report(tmp_path):
    path = workbook(tmp_path / "空.xlsx", [("一", []), ("二", [])])
    code, text = run("render-report", "table", str(path), "-o", str(tmp_path / "r.html"))
    assert code == 1 and "空.xlsx：所有工作表都是空的" in text, text


# --- options and outputs --------------------------------------------------------------------
def test_as_of_that_is_not_a_date(tmp_path):
    code, text = aging(SAMPLE_INVOICES, tmp_path, "--as-of", "昨天")
    assert code == 2 and "--as-of：无法把“昨天”识别为日期；应为日期，如 2026-10-31" in text, text
    code, text = aging(SAMPLE_INVOICES, tmp_path, "--as-of", "yesterday", lang="en")
    assert code == 2 and "--as-of: 'yesterday' is not a date; expected a date such as" in text


def test_output_folder_missing_exit_3(tmp_path):
    out = tmp_path / "没有" / "账龄.xlsx"
    code, text = run("aging-report", SAMPLE_INVOICES, "-o", str(out))
    assert code == 3, text
    assert f"无法写入 {out}：文件夹 {out.parent} 不存在" in text
    code, text = run("aging-report", SAMPLE_INVOICES, "-o", str(out), lang="en")
    assert code == 3 and f"cannot write {out}: the folder {out.parent} does not exist" in text


def test_rejects_folder_missing_exit_3(tmp_path):
    rejects = tmp_path / "没有" / "剔除.csv"
    code, text = run("aging-report", SAMPLE_INVOICES, "-o", str(tmp_path / "out.csv"),
                     "--rejects", str(rejects))
    assert code == 3 and f"无法写入 {rejects}：文件夹 {rejects.parent} 不存在" in text, text


def test_output_is_a_folder_or_under_a_file(tmp_path):
    code, text = run("aging-report", SAMPLE_INVOICES, "-o", str(tmp_path))
    assert code == 3 and f"无法写入 {tmp_path}：这是一个文件夹，请给出文件名" in text, text
    plain = write(tmp_path, "文件.txt", "x")
    code, text = run("aging-report", SAMPLE_INVOICES, "-o", str(plain / "out.csv"))
    assert code == 3 and f"{plain} 不是文件夹" in text, text


def test_output_extension_unknown(tmp_path):
    out = tmp_path / "账龄.xyz"
    code, text = run("aging-report", SAMPLE_INVOICES, "-o", str(out))
    assert code == 2, text
    assert f"无法从“{out}”判断输出格式；请使用扩展名（.csv、" in text and "或用 --format 指定" in text
    code, text = run("aging-report", SAMPLE_INVOICES, "-o", str(out), lang="en")
    assert f"cannot tell the output format from '{out}'; use an extension (.csv, " in text


def test_output_that_cannot_be_written_exit_3(tmp_path, monkeypatch):
    import cskit.io.write.paths as write_module  # where outputs are made

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(write_module, "_create", full_disk)
    out = tmp_path / "账龄.csv"
    code, text = run("aging-report", SAMPLE_INVOICES, "-o", str(out))
    assert code == 3 and f"无法写入 {out}：磁盘已满" in text, text
    code, text = run("aging-report", SAMPLE_INVOICES, "-o", str(out), lang="en")
    assert code == 3 and f"cannot write {out}: the disk is full" in text, text
    assert not out.exists()


def test_workbook_to_a_terminal(monkeypatch):
    import click.testing

    # standard output is a terminal: a workbook cannot be shown there
    monkeypatch.setattr(click.testing._NamedTextIOWrapper, "isatty", lambda self: True)
    code, text = run("aging-report", SAMPLE_INVOICES, "--format", "xlsx")
    assert code == 2 and "Excel 工作簿无法在终端中显示；请用 -o report.xlsx 写入文件" in text, text
    code, text = run("aging-report", SAMPLE_INVOICES, "--format", "xlsx", lang="en")
    assert code == 2 and "an Excel workbook cannot be shown on a terminal" in text, text


def test_no_permission_to_read_or_write(tmp_path, monkeypatch):
    import cskit.io.sources as read_module  # where files are opened
    import cskit.io.write.paths as write_module  # where outputs are made

    path = write(tmp_path, "发票.csv", HEADER_ZH + GOOD_ROW)

    def refused(name, *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(name))

    monkeypatch.setattr(read_module, "open", refused, raising=False)
    code, text = aging(path, tmp_path)
    assert code == 1 and f"{path}：无法读取：没有权限" in text, text
    code, text = aging(path, tmp_path, lang="en")
    assert f"{path}: cannot be read: permission denied" in text, text
    monkeypatch.undo()
    monkeypatch.setenv("CSKIT_STRICT_TEXT", "1")
    monkeypatch.setattr(write_module.os, "access", lambda *args, **kwargs: False)
    out = tmp_path / "账龄.csv"
    code, text = run("aging-report", str(path), "-o", str(out))
    assert code == 3 and f"无法写入 {out}：没有文件夹 {tmp_path} 的写入权限" in text, text
