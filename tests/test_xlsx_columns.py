"""XLSX cells written a column at a time (issue 16 item 5): the same
workbooks as the cell-by-cell writer kept in tests/xlsx_before.py, compared
cell by cell with openpyxl — values, types, number formats, fonts, fills,
borders, column widths, freeze panes, filters, print setup — on the
month-end samples and on random tables.

Documented differences: a number is written with the shortest text that
reads back as the same double, where the old writer rounded to 16 digits
(9.3 was stored as 9.300000000000001, the largest double as infinity), so
an old number must equal the new one rounded to 16 digits; and text is stored in the cell (inline) rather than in
the shared-strings part, which a reader does not see.
"""
from __future__ import annotations

import io
import re
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import xlsx_before
from cskit.cli import cli
from cskit.io import xlsx
from cskit.io.write import report

STAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")
PARAMS = [("command", "cskit test"), ("as_of", "2026-10-31")]


def _same_number(old, new) -> bool:
    # the old writer stored f"{value:.16G}"; the new one the value itself
    return old == new or old == float(f"{new:.16G}")


def _style(cell) -> tuple:
    font, fill, border, align = cell.font, cell.fill, cell.border, cell.alignment
    return (cell.number_format, bool(font.b), font.color.rgb if font.color else None,
            fill.fill_type, fill.fgColor.rgb if fill.fill_type else None,
            border.top.style, border.left.style, bool(align.wrap_text), align.vertical)


def assert_same_workbook(old: bytes, new: bytes) -> None:
    before = openpyxl.load_workbook(io.BytesIO(old))
    after = openpyxl.load_workbook(io.BytesIO(new))
    assert before.sheetnames == after.sheetnames
    for name in before.sheetnames:
        a, b = before[name], after[name]
        assert (a.max_row, a.max_column) == (b.max_row, b.max_column), name
        for row_a, row_b in zip(a.iter_rows(), b.iter_rows()):
            for x, y in zip(row_a, row_b):
                where = f"{name}!{x.coordinate}"
                assert x.data_type == y.data_type, (where, x.value, y.value)
                if name == "Parameters" and STAMP.match(str(x.value)):
                    assert STAMP.match(str(y.value)), (where, y.value)  # when the run started
                elif isinstance(x.value, float) or isinstance(y.value, float):
                    assert _same_number(x.value, y.value), (where, x.value, y.value)
                elif isinstance(y.value, str):
                    # openpyxl undoes Excel's escape of "_x" in shared strings only;
                    # Excel and calamine read both alike (compared below)
                    assert x.value == y.value.replace("_x005F_", "_"), (where, x.value, y.value)
                else:
                    assert x.value == y.value, (where, x.value, y.value)
                assert _style(x) == _style(y), (where, _style(x), _style(y))
        for letter, dim in a.column_dimensions.items():
            assert dim.width == b.column_dimensions[letter].width, (name, letter)
        assert a.freeze_panes == b.freeze_panes
        assert a.auto_filter.ref == b.auto_filter.ref
        assert a.print_title_rows == b.print_title_rows
        assert a.dimensions == b.dimensions
        setup_a, setup_b = a.page_setup, b.page_setup
        assert (setup_a.orientation, setup_a.paperSize, setup_a.fitToWidth, setup_a.fitToHeight) \
            == (setup_b.orientation, setup_b.paperSize, setup_b.fitToWidth, setup_b.fitToHeight)
        assert a.sheet_properties.pageSetUpPr.fitToPage == b.sheet_properties.pageSetUpPr.fitToPage
        assert (a.oddFooter.left.text, a.oddFooter.center.text, a.oddFooter.right.text) \
            == (b.oddFooter.left.text, b.oddFooter.center.text, b.oddFooter.right.text)
        assert (a.page_margins.left, a.page_margins.top) == (b.page_margins.left, b.page_margins.top)


def assert_same_values(old: bytes, new: bytes) -> None:
    """The cells as cskit reads a workbook back (calamine)."""
    from python_calamine import CalamineWorkbook

    before = CalamineWorkbook.from_filelike(io.BytesIO(old))
    after = CalamineWorkbook.from_filelike(io.BytesIO(new))
    for name in before.sheet_names:
        if name == "Parameters":
            continue
        a = before.get_sheet_by_name(name).to_python()
        b = after.get_sheet_by_name(name).to_python()
        assert len(a) == len(b)
        for row_a, row_b in zip(a, b):
            assert len(row_a) == len(row_b)
            for x, y in zip(row_a, row_b):
                if isinstance(x, float) and isinstance(y, float):
                    assert _same_number(x, y), (name, x, y)
                else:
                    assert x == y, (name, x, y)


def both(sheets, **options) -> tuple[bytes, bytes]:
    old, new = io.BytesIO(), io.BytesIO()
    xlsx_before.write_xlsx(old, sheets, **options)
    xlsx.write_xlsx(new, sheets, **options)
    assert_same_values(old.getvalue(), new.getvalue())
    return old.getvalue(), new.getvalue()


# --- the samples, through the commands ---------------------------------------------
S = "samples"
COMMANDS = [
    ["score-credit", f"{S}/customers.xlsx", "--previous", f"{S}/credit_previous.csv",
     "--as-of", "2026-10-31"],
    ["aging-report", f"{S}/invoices.csv", "--payments", f"{S}/payments_gbk.csv",
     "--as-of", "2026-10-31"],
    ["aging-report", f"{S}/invoices.csv", "--payments", f"{S}/payments_gbk.csv",
     "--as-of", "2026-10-31", "--detail", "--lang", "zh"],
    ["aging-report", f"{S}/projects_invoices.csv", "--payments", f"{S}/projects_payments.csv",
     "--schedule", f"{S}/schedule.csv", "--fx-rates", f"{S}/fx_rates.csv", "--as-of", "2026-10-31"],
    ["rollup-kpi", "--org", f"{S}/org.csv", "--complaints", f"{S}/complaints.xlsx",
     "--surveys", f"{S}/surveys.csv", "--sales", f"{S}/sales.csv", "--invoices",
     f"{S}/invoices.csv", "--payments", f"{S}/payments_gbk.csv", "--measures",
     f"{S}/measures.csv", "--appraisals", f"{S}/appraisals.csv", "--period", "2026-10"],
    ["rollup-kpi", "--org", f"{S}/org.csv", "--confirmations", f"{S}/register.csv",
     "--period", "2026-Q3", "--as-of", "2026-10-31", "--lang", "zh"],
    ["visit-plan", f"{S}/customers.csv", "--from", "2026-11-01", "--to", "2026-11-30",
     "--staff", f"{S}/staff.csv", "--transactions", f"{S}/transactions.csv",
     "--shipments", f"{S}/shipments.csv"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:1] + a[-2:]))
def test_sample_workbooks_are_the_same(args, tmp_path, monkeypatch):
    runner = CliRunner()
    old, new = tmp_path / "old.xlsx", tmp_path / "new.xlsx"
    result = runner.invoke(cli, args + ["-q", "-o", str(new)])
    assert result.exit_code == 0, result.output
    monkeypatch.setattr(report, "write_xlsx", xlsx_before.write_xlsx)
    result = runner.invoke(cli, args + ["-q", "-o", str(old)])
    assert result.exit_code == 0, result.output
    assert_same_workbook(old.read_bytes(), new.read_bytes())


# --- hand-made corner cases ------------------------------------------------------------
def corner_table() -> pd.DataFrame:
    return pd.DataFrame({
        "customer_name": ["甲公司", " lead", "trail ", "a&b<c>", "=SUM(A1)", "\rcr", "x\x01y",
                          "_x0041_", "", None],
        "outstanding": [6600.0, 11345.6, 9.3, np.nan, 5.5, 7.25, -0.0, 1e12, 0.01, 0.1 + 0.2],
        "score": [np.inf, -np.inf, 1e20, 1.5e-7, np.nan, 1.0, 2.5, 1e-300, 123456789.123, 7.0],
        "open_invoices": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
        "invoices": pd.array([1, None, 3, None, 5, 6, 7, 8, 9, 10], dtype="Int64"),
        "due_date": pd.to_datetime(["2026-10-31", None, "1900-01-01", "1900-02-28", "1900-03-01",
                                    "2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04",
                                    "2026-01-05"]),
        "paid_at": pd.to_datetime(["2026-10-31 10:17:33.123456", None, "2026-10-31 23:59:59",
                                   "2026-11-01", "2026-11-01 00:00:01", "2026-11-01",
                                   "2026-11-01", "2026-11-01", "2026-11-01", "2026-11-01"],
                                  format="ISO8601"),
        "on_hold": [True, False, True, False, True, False, True, False, True, False],
        "held": pd.array([True, None, False, None, True, False, True, False, True, None],
                         dtype="boolean"),
        "mixed": [1, "two", 3.5, None, True, pd.Timestamp("2026-01-01"), np.nan, "0", 7, "x"],
        "rate": [0.5, 0.25, 1 / 3, 2 / 3, np.nan, 0.1, 0.2, 0.3, 0.4, 0.6],
        "long": ["y" * 40_000] + ["z"] * 9,
        "grade": pd.Categorical(["A", "B", None, "A", "C", "A", "B", None, "A", "C"]),
        "span": pd.to_timedelta([1, -3, None, 2, 0, 1, 1, 1, 1, 1], unit="D"),
        "ratio32": np.array([1.5, 2.25, np.nan, 3, 0.1, 1, 2, 3, 4, 5], dtype="float32"),
        "small": np.arange(10, dtype="uint8"),
        "share": pd.array([1.5, None, 2.0, 3.0, 0.1, 1, 2, 3, 4, 5], dtype="Float64"),
    })


def test_corner_cases_are_the_same():
    old, new = both({"Summary": corner_table()}, lang="en", parameters=PARAMS,
                    formats={"rate": "0.0%"})
    assert_same_workbook(old, new)


def test_kpi_units_and_highlights_are_the_same():
    long = pd.DataFrame({"staff": ["S1", "S1", "S2", "S2"], "kpi": ["a", "b", "a", "b"],
                         "unit": ["ratio", "days", "ratio", "count"],
                         "value": [0.95, 76.8, np.nan, 3.0], "target": [0.9, 80.0, 0.9, 4.0]})
    wide = pd.DataFrame({"staff": ["S1", "S2", "S3"], "a": [0.95, np.nan, 0.5],
                         "b": [76.8, 80.0, 90.0]})
    met = pd.DataFrame({"a": [True, False, None], "b": [False, None, True]}, dtype=object)
    old, new = both({"Long": long, "Wide": wide}, lang="zh", parameters=PARAMS,
                    highlight={"Wide": met})
    assert_same_workbook(old, new)


def test_empty_and_columnless_tables_are_the_same():
    sheets = {"Empty": pd.DataFrame({"outstanding": pd.Series([], dtype=float),
                                     "customer": pd.Series([], dtype=str)}),
              "None": pd.DataFrame()}
    old, new = both(sheets, lang="en", parameters=None)
    assert_same_workbook(old, new)


def test_long_sheets_continue_with_the_same_cells(monkeypatch):
    frame = pd.DataFrame({"customer": [f"C{i}" for i in range(25)],
                          "outstanding": np.arange(25) * 1.5})
    monkeypatch.setattr(xlsx, "MAX_ROWS", 11)
    monkeypatch.setattr(xlsx_before, "MAX_ROWS", 11)
    old, new = both({"Open items": frame}, lang="en", parameters=PARAMS)
    assert_same_workbook(old, new)
    assert openpyxl.load_workbook(io.BytesIO(new)).sheetnames[:3] == \
        ["Open items", "Open items (2)", "Open items (3)"]


def test_text_is_stored_in_the_cells():
    # the documented difference: inline strings, no shared-strings part
    _, new = both({"Summary": corner_table()}, lang="en", parameters=None)
    with zipfile.ZipFile(io.BytesIO(new)) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert 't="inlineStr"><is><t xml:space="preserve"> lead</t>' in sheet
    assert "<t>a&amp;b&lt;c&gt;</t>" in sheet and "<t>x_x0001_y</t>" in sheet
    assert "<v>9.3</v>" in sheet  # shortest text for the double 9.3


# --- random tables ------------------------------------------------------------------------
TEXT = st.text(alphabet=st.sampled_from(list("ab 甲乙=+-@&<>_x0\t\n\r\x02") + ["\u3000", "\xa0"]),
               max_size=6)
FLOATS = st.floats(allow_nan=True, allow_infinity=True, width=64) \
    | st.integers(-10**8, 10**8).map(lambda c: c / 100)
CENTS = st.none() | st.integers(-10**10, 10**10).map(lambda c: c / 100)  # money: to the cent
NAMES = ["customer_name", "outstanding", "amount", "open_invoices", "days_overdue", "rate",
         "due_date", "flags", "on_hold", "note"]


@st.composite
def tables(draw):
    rows = draw(st.integers(0, 12))
    columns = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=6, unique=True))
    data = {}
    for name in columns:
        kind = draw(st.sampled_from(["float", "int", "text", "date", "bool", "object"]))
        if kind == "float":
            # money and counts are added up in the totals row: finite
            values = CENTS if name in ("outstanding", "amount", "open_invoices") else FLOATS
            data[name] = pd.Series(draw(st.lists(values, min_size=rows, max_size=rows)),
                                   dtype="float64")
        elif kind == "int":
            data[name] = pd.Series(draw(st.lists(st.integers(-10**12, 10**12), min_size=rows,
                                                 max_size=rows)), dtype="int64")
        elif kind == "text":
            data[name] = pd.Series(draw(st.lists(st.none() | TEXT, min_size=rows, max_size=rows)),
                                   dtype="str")
        elif kind == "date":
            days = draw(st.lists(st.none() | st.integers(-2000, 60000), min_size=rows,
                                 max_size=rows))
            data[name] = pd.Series([pd.NaT if d is None else
                                    pd.Timestamp("1900-01-01") + pd.Timedelta(days=d)
                                    for d in days], dtype="datetime64[ns]")
        elif kind == "bool":
            data[name] = pd.Series(draw(st.lists(st.booleans(), min_size=rows, max_size=rows)))
        else:
            data[name] = pd.Series(draw(st.lists(st.none() | TEXT | FLOATS | st.booleans(),
                                                 min_size=rows, max_size=rows)), dtype=object)
    return pd.DataFrame(data)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(), st.sampled_from(["en", "zh"]))
def test_random_tables_are_the_same(frame, lang):
    old, new = both({"Summary": frame}, lang=lang, parameters=PARAMS)
    assert_same_workbook(old, new)
