"""The writing half of the I/O layer."""
import json
import os
import signal
import subprocess
import sys

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cskit import schema
from cskit.errors import OutputError, UsageError
from cskit.io.read import read_table
from cskit.io.write import atomic_path, neutralize, write_report, write_rejects


def table():
    return pd.DataFrame({
        "customer_id": ["C1", "C2", "C3"],
        "customer_name": ["=HYPERLINK(\"http://x\")", "+86 bad", "华东贸易"],
        "amount": [1234567.891, -5.0, 0.1],
        "open_invoices": pd.array([3, 1, 0], dtype="Int64"),
        "invoice_date": pd.to_datetime(["2026-10-01", "2026-10-02", None]),
        "remark": ["-12.5", "@SUM(A1)", "\tx"],
    })


def test_csv_file_has_bom_and_neutralised_formulas(tmp_path):
    path = tmp_path / "out.csv"
    write_report({"S": table()}, str(path))
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'+86 bad" in text and "'@SUM(A1)" in text and "'\tx" in text
    assert "\n\"-12.5\"" not in text and "'-12.5" not in text
    assert "-5.0" in text and "2026-10-01" in text


def test_csv_on_stdout_has_no_bom(capsys):
    write_report({"S": table()}, None, fmt="csv")
    out = capsys.readouterr().out
    assert out.startswith("customer_id,")


def test_lang_zh_headers(tmp_path):
    path = tmp_path / "out.csv"
    write_report({"S": table()}, str(path), lang="zh")
    assert path.read_text(encoding="utf-8-sig").startswith("客户编号,客户名称,金额,未结发票数,开票日期,remark")


@pytest.mark.parametrize("fmt,check", [
    ("json", lambda t: json.loads(t)[0]["invoice_date"] == "2026-10-01"),
    ("markdown", lambda t: "| customer_id" in t and "1,234,567.89" in t),
    ("table", lambda t: "┌" in t and "华东贸易" in t),
    ("tsv", lambda t: t.startswith("customer_id\tcustomer_name")),
    ("html", lambda t: t.startswith("<!DOCTYPE html>") and "<td>华东贸易</td>" in t),
])
def test_text_formats(fmt, check, capsys):
    write_report({"S": table()}, None, fmt=fmt)
    assert check(capsys.readouterr().out)


def test_html_escapes_markup(tmp_path):
    frame = pd.DataFrame({"customer_name": ["<script>alert(1)</script>"]})
    path = tmp_path / "x.html"
    write_report({"S": frame}, str(path))
    text = path.read_text(encoding="utf-8")
    assert "<script>alert" not in text and "&lt;script&gt;" in text


def test_xlsx_is_styled_and_typed(tmp_path):
    path = tmp_path / "out.xlsx"
    write_report({"Summary": table(), "Open items": table().head(1)}, str(path),
                 parameters=[("command", "cskit test"), ("as_of", "2026-10-31")],
                 formats={"Open items": {"amount": "0.0%"}},
                 highlight={"Summary": pd.DataFrame({"amount": [True, False, None]})})
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Summary", "Open items", "Parameters"]
    sheet = book["Summary"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref.startswith("A1")
    assert sheet["A1"].font.b
    assert sheet["C2"].value == pytest.approx(1234567.891) and sheet["C2"].number_format == "#,##0.00"
    assert sheet["D2"].value == 3 and sheet["D2"].number_format == "#,##0"
    assert sheet["E2"].is_date and sheet["E2"].number_format == "yyyy-mm-dd"
    assert sheet["B2"].value.startswith("'=")
    assert sheet["F2"].value == "-12.5"
    assert sheet["C2"].fill.fgColor.rgb.endswith("C6EFCE")
    assert sheet["C3"].fill.fgColor.rgb.endswith("FFC7CE")
    assert sheet.column_dimensions["B"].width >= 10
    assert book["Open items"]["C2"].number_format == "0.0%"
    params = {r[0].value: r[1].value for r in book["Parameters"].iter_rows(min_row=2)}
    assert params["as_of"] == "2026-10-31"


def test_atomic_write_keeps_old_file_when_writing_fails(tmp_path):
    path = tmp_path / "report.csv"
    path.write_text("old report")
    with pytest.raises(RuntimeError):
        with atomic_path(str(path)) as tmp:
            with open(tmp, "w") as fh:
                fh.write("half")
            raise RuntimeError("crash while writing")
    assert path.read_text() == "old report"
    assert os.listdir(tmp_path) == ["report.csv"]


def test_sigterm_during_write_leaves_no_trace(tmp_path):
    path = tmp_path / "report.csv"
    path.write_text("old report")
    code = f"""
import os, signal, time
from cskit.cli import _terminate
from cskit.io.write import atomic_path
signal.signal(signal.SIGTERM, _terminate)
try:
    with atomic_path({str(path)!r}) as tmp:
        open(tmp, "w").write("half")
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)
except KeyboardInterrupt:
    pass
"""
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
    assert path.read_text() == "old report" and os.listdir(tmp_path) == ["report.csv"]


def test_missing_or_unwritable_folder_is_an_output_error(tmp_path):
    with pytest.raises(OutputError, match="does not exist"):
        write_report({"S": table()}, str(tmp_path / "nope" / "x.csv"))
    if os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        with pytest.raises(OutputError):
            write_report({"S": table()}, str(locked / "x.csv"))


def test_unknown_extension_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="--format"):
        write_report({"S": table()}, str(tmp_path / "x.pdf"))


def test_rejects_file_is_written_even_when_empty(tmp_path):
    path = tmp_path / "rej.csv"
    write_rejects([], str(path))
    assert path.read_text(encoding="utf-8-sig").strip() == "source_file,source_row,reject_reason"


def test_neutralize_keeps_numbers_and_plain_text():
    frame = pd.DataFrame({"a": ["-5", "=1+1", "ok", None], "b": [-1.0, 2.0, 3.0, 4.0]})
    out = neutralize(frame)
    assert list(out["a"][:3]) == ["-5", "'=1+1", "ok"] and list(out["b"]) == [-1.0, 2.0, 3.0, 4.0]


from cskit.io.values import is_excel_error  # noqa: E402

safe_text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"),
                                           blacklist_characters="\u2028\u2029\x85\ufeff"),
                    min_size=1, max_size=12).map(str.strip).filter(
    lambda t: t and not t.startswith(("=", "+", "-", "@")) and t.lower() not in ("nan", "none", "null", "nat")
    and not is_excel_error(t))  # '#N/A' in a cell is a spreadsheet error, refused on reading


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(safe_text, st.integers(-10**11, 10**11),
                               st.dates(min_value=pd.Timestamp("1990-01-01").date(),
                                        max_value=pd.Timestamp("2099-12-31").date())),
                     min_size=1, max_size=15),
       ext=st.sampled_from(["csv", "xlsx", "json", "tsv"]))
def test_round_trip_of_text_amounts_and_dates(tmp_path_factory, rows, ext):
    frame = pd.DataFrame({
        "customer_id": [f"C{i}" for i in range(len(rows))],
        "customer_name": [r[0] for r in rows],
        "invoice_no": [f"I{i}" for i in range(len(rows))],
        "invoice_date": pd.to_datetime([r[2] for r in rows]),
        "amount": [r[1] / 100 for r in rows],
    })
    path = tmp_path_factory.mktemp("rt") / f"t.{ext}"
    write_report({"S": frame}, str(path), parameters=[])
    back, problems, _ = read_table(str(path), schema.INVOICES)
    assert not problems
    back = back.reset_index(drop=True)
    assert back["customer_name"].tolist() == frame["customer_name"].tolist()
    assert back["amount"].tolist() == frame["amount"].tolist()
    assert (back["invoice_date"] == frame["invoice_date"]).all()


def test_large_csv_uses_the_fast_writer_and_reads_back_the_same(tmp_path, monkeypatch):
    import cskit.io.write.formats as W  # where _csv_text reads it
    monkeypatch.setattr(W, "ARROW_CSV_ROWS", 2)
    frame = pd.DataFrame({
        "customer_id": ["C1", "C2", "C3", "C4"], "customer_name": ["a,b", "=1+2", 'say "hi"', "中文"],
        "invoice_no": ["I1", "I2", "I3", "I4"],
        "invoice_date": pd.to_datetime(["2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04"]),
        "amount": [0.0, 1234.5, -0.01, 1e7]})
    path = tmp_path / "big.csv"
    write_report({"S": frame}, str(path))
    back, problems, _ = read_table(str(path), schema.INVOICES)
    assert not problems
    assert back["customer_name"].tolist() == ["a,b", "'=1+2", 'say "hi"', "中文"]
    assert back["amount"].tolist() == frame["amount"].tolist()
    assert path.read_text(encoding="utf-8-sig").startswith("customer_id,customer_name,")
