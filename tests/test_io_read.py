"""The reading half of the I/O layer, through the schema of invoices."""
import pandas as pd
import pytest

from cskit import schema
from cskit.errors import DataError
from cskit.io.read import decode, normalize_header, read_table, read_workbook
from cskit.run import Run

HEADER_EN = "customer_id,customer_name,invoice_no,invoice_date,amount\n"
HEADER_ZH = "客户编号,客户名称,发票号,开票日期,金额\n"
ROWS = "C001,华东贸易,INV1,2026-10-01,\"1,234.50\"\nC002,南方实业,INV2,2026/10/02,12.5万\n"


def read(path, **kw):
    frame, problems, bad = read_table(path, schema.INVOICES, **kw)
    if problems:
        raise DataError(problems)
    return frame


def test_english_utf8(write_text):
    frame = read(write_text("inv.csv", HEADER_EN + ROWS))
    assert list(frame["amount"]) == [1234.5, 125000.0]
    assert list(frame.index) == [2, 3]
    assert frame["invoice_date"].iloc[1] == pd.Timestamp("2026-10-02")


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-8-sig", "utf-8"])
def test_chinese_headers_in_every_encoding_give_the_same_table(write_text, encoding):
    english = read(write_text("en.csv", HEADER_EN + ROWS))
    chinese = read(write_text("zh.csv", HEADER_ZH + ROWS, encoding))
    pd.testing.assert_frame_equal(english, chinese)


def test_latin1_is_refused_naming_encoding(write_text):
    path = write_text("latin.csv", HEADER_EN + "C001,Café Crème Société,INV1,2026-10-01,5\n", "latin-1")
    with pytest.raises(DataError, match="--encoding"):
        read(path)
    frame = read(path, encoding="latin-1")
    assert frame["customer_name"].iloc[0] == "Café Crème Société"


@pytest.mark.parametrize("sep", [";", "\t", "|"])
def test_delimiter_is_sniffed(write_text, sep):
    text = (HEADER_EN + "C001,A,INV1,2026-10-01,5\n").replace(",", sep)
    assert read(write_text("x.txt", text))["amount"].iloc[0] == 5


def test_headers_match_case_space_underscore_and_units(write_text):
    text = "Customer ID,CUSTOMER NAME,invoice-no,Invoice_Date,金额（元）\nC1,A,I1,2026-10-01,5\n"
    frame = read(write_text("x.csv", text))
    assert {"customer_id", "customer_name", "invoice_no", "invoice_date", "amount"} <= set(frame.columns)
    assert normalize_header(" Due  Date* ") == "duedate"


def test_unknown_columns_pass_through(write_text):
    frame = read(write_text("x.csv", HEADER_EN.strip() + ",备注\n" + "C1,A,I1,2026-10-01,5,急\n"))
    assert frame["备注"].iloc[0] == "急"


def test_missing_required_column_names_it_and_lists_found(write_text):
    with pytest.raises(DataError) as err:
        read(write_text("x.csv", "customer_id,invoice_no,amount\nC1,I1,5\n"))
    text = err.value.format()
    assert "x.csv" in text and "invoice_date" in text and "开票日期" in text and "columns found" in text


def test_bad_values_name_file_excel_row_column_value_and_expectation(write_text):
    text = HEADER_ZH + "C1,A,I1,2026-10-01,5\n\nC2,B,I2,2026-02-30,5\nC3,C,I3,2026-10-03,abc\n"
    path = write_text("bad.csv", text)
    with pytest.raises(DataError) as err:
        read(path)
    lines = err.value.format().splitlines()
    # a blank line (row 3) still counts, as it does in Excel
    assert lines[0].startswith(f"{path}, row 4, column 开票日期: '2026-02-30'")
    assert lines[1].startswith(f"{path}, row 5, column 金额: 'abc'")


def test_problems_beyond_twenty_are_counted(write_text):
    rows = "".join(f"C{i},A,I{i},not a date,5\n" for i in range(30))
    with pytest.raises(DataError) as err:
        frame, problems, _ = read_table(write_text("x.csv", HEADER_EN + rows), schema.INVOICES)
        raise DataError(problems)
    text = err.value.format()
    assert text.count("not a date") == 20 and "and 10 more problems" in text


def test_duplicate_key_names_both_rows(write_text):
    with pytest.raises(DataError, match=r"row 3.*INV1 \(also in row 2\)"):
        read(write_text("x.csv", HEADER_EN + "C1,A,INV1,2026-10-01,5\nC2,B,INV1,2026-10-01,6\n"))


@pytest.mark.parametrize("content,message", [
    ("", "empty"), ("\ufeff", "empty"), (HEADER_EN, "no data rows"),
    ("a,b\n1,2\n", "required column"), (HEADER_EN + "C1,A,I1,2026-10-01,5,extra\n", "has 6 cells"),
])
def test_broken_files_are_data_errors(write_text, content, message):
    with pytest.raises(DataError, match=message):
        read(write_text("x.csv", content))


def test_random_bytes_and_csv_named_xlsx(tmp_path, write_text):
    binary = tmp_path / "x.csv"
    binary.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(DataError):
        read(str(binary))
    with pytest.raises(DataError, match="rename it to .csv"):
        read(write_text("fake.xlsx", HEADER_EN + ROWS))
    with pytest.raises(DataError, match="not found"):
        read(str(tmp_path / "missing.csv"))


def test_xlsx_with_title_row_dates_and_serials(tmp_path):
    import openpyxl
    import datetime as dt
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "应收"
    sheet.append(["2026年10月应收明细"])
    sheet.append(["客户编号", "客户名称", "发票号", "开票日期", "金额"])
    sheet.append([1001, "华东", "INV1", dt.datetime(2026, 10, 1), 1234.5])
    sheet.append([1002, "华南", "INV2", 46326, "12.5万"])
    sheet.append([1003, "华北", "INV3", "2026-13-01", 5])
    path = tmp_path / "x.xlsx"
    book.save(path)
    with pytest.raises(DataError) as err:
        read(str(path))
    assert "row 5, column 开票日期" in err.value.format()
    frame, problems, bad = read_table(str(path), schema.INVOICES, collect_rows=True)
    good = frame.drop(index=bad.index)
    assert list(good["customer_id"]) == ["1001", "1002"]
    assert list(good["invoice_date"]) == [pd.Timestamp("2026-10-01"), pd.Timestamp("2026-10-31")]
    assert list(good["amount"]) == [1234.5, 125000.0]
    assert list(good.index) == [3, 4]


def test_xlsx_empty_first_sheet_and_missing_sheet(tmp_path):
    import openpyxl
    book = openpyxl.Workbook()
    book.active.title = "封面"
    data = book.create_sheet("明细")
    data.append(["customer_id", "customer_name", "invoice_no", "invoice_date", "amount"])
    data.append(["C1", "A", "I1", "2026-10-01", 5])
    path = tmp_path / "x.xlsx"
    book.save(path)
    with pytest.raises(DataError, match="empty.*明细"):
        read(str(path))
    assert len(read(str(path), sheet="明细")) == 1
    with pytest.raises(DataError, match="no sheet 'nope'"):
        read(str(path), sheet="nope")


def test_json_and_parquet(tmp_path):
    records = pd.DataFrame({"customer_id": ["C1"], "customer_name": ["A"], "invoice_no": ["I1"],
                            "invoice_date": ["2026-10-01"], "amount": [5.5]})
    records.to_json(tmp_path / "x.json", orient="records", force_ascii=False)
    records.to_parquet(tmp_path / "x.parquet")
    assert read(str(tmp_path / "x.json"))["amount"].iloc[0] == 5.5
    assert read(str(tmp_path / "x.parquet"))["invoice_date"].iloc[0] == pd.Timestamp("2026-10-01")


def test_stdin(monkeypatch):
    import io
    import sys
    data = (HEADER_ZH + ROWS).encode("gb18030")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert read("-")["customer_name"].iloc[0] == "华东贸易"


def test_rejects_account_for_every_row(write_text, tmp_path):
    path = write_text("x.csv", HEADER_EN + "C1,A,I1,2026-10-01,5\nC2,B,I2,bad,5\nC3,C,I3,2026-10-01,x\n"
                      "C4,D,I4,2026-10-02,7\n")
    rejects = tmp_path / "rej.csv"
    run = Run("test", rejects=str(rejects), quiet=True, argv=[])
    with run:
        frame = run.read(path, schema.INVOICES, option="INVOICES")
    assert list(frame["invoice_no"]) == ["I1", "I4"]
    rejected = pd.read_csv(rejects, encoding="utf-8-sig")
    assert list(rejected["source_row"]) == [3, 4]
    assert list(rejected["invoice_no"]) == ["I2", "I3"]
    assert rejected["reject_reason"].str.contains("invoice_date").iloc[0]
    assert len(frame) + len(rejected) == 4


def test_domain_reject_goes_to_the_same_file(write_text, tmp_path):
    path = write_text("x.csv", HEADER_EN + "C1,A,I1,2026-10-01,5\nC2,B,I2,2026-10-01,-5\n")
    run = Run("test", rejects=str(tmp_path / "r.csv"), quiet=True, argv=[])
    with run:
        frame = run.read(path, schema.INVOICES, option="INVOICES")
        frame = run.reject(frame, frame["amount"] < 0, column="amount",
                           expected="a positive amount", option="INVOICES")
    assert list(frame.index) == [2]
    rejected = pd.read_csv(tmp_path / "r.csv", encoding="utf-8-sig")
    assert list(rejected["source_row"]) == [3] and "positive" in rejected["reject_reason"].iloc[0]
    strict = Run("test", quiet=True, argv=[])
    frame = strict.read(path, schema.INVOICES, option="INVOICES")
    with pytest.raises(DataError, match="row 3, column amount: '-5.0' — a positive amount"):
        strict.reject(frame, frame["amount"] < 0, column="amount", expected="a positive amount",
                      option="INVOICES")


def test_read_workbook_types_columns(tmp_path, write_text):
    path = write_text("t.csv", "name,amount,date,code\nA,\"1,000.50\",2026-10-01,007\nB,3,2026-10-02,010\n")
    tables = read_workbook(path)
    table = tables["t"]
    assert table["amount"].tolist() == [1000.5, 3.0]
    assert table["date"].iloc[0] == pd.Timestamp("2026-10-01")
    assert table["code"].tolist() == ["007", "010"]


def test_a_trailing_totals_row_is_not_data(write_text):
    text = HEADER_ZH + ROWS + "合计,,,,\"126,234.50\"\n"
    frame = read(write_text("x.csv", text))
    assert len(frame) == 2
