"""A corpus of hostile input files, generated per input table.

Every command's file-taking option has a small valid table here (GOOD); each
case of CASES turns that table into a broken (or legitimately odd) file in a
temporary folder, using the option's schema to find the column to break: the
first date, money, bounded, unique or required column. A case that needs a
kind of column the table does not have is "not applicable" for that option.

The expected outcome of a case is "error" (exit 1 naming the file, and the
Excel row and column where the problem is in one cell), "ok" (exit 0: the
input is fine, e.g. an unknown extra column passes through) or "either"
(either is acceptable, but never a traceback).
"""
from __future__ import annotations

import csv
import io
import json
import random
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from cskit import schema as S

# --- valid tables, consistent with each other ------------------------------------
# Customers C1–C3, staff D1 (director), M1 (branch manager), S1/S2 (specialists),
# invoices F1–F3; the plan month is 2026-11, the as-of date 2026-10-31.
GOOD: dict[str, tuple] = {
    "credit_customers": (S.CREDIT_CUSTOMERS, [
        ["customer_id", "customer_name", "business_type", "first_trade_date",
         "business_license", "annual_sales", "annual_payments", "cooperation", "owner",
         "phone", "last_visit_date"],
        ["C1", "Alpha Trading", "A", "2020-01-15", "yes", "1200000", "1100000", "2", "S1",
         "13800000001", "2026-09-01"],
        ["C2", "Beta Metals", "B", "2019-05-20", "yes", "800000", "700000", "1", "S2",
         "13800000002", "2026-08-01"],
        ["C3", "Gamma Tools", "mixed", "2018-03-02", "no", "300000", "250000", "0", "S1",
         "13800000003", "2026-07-01"],
    ]),
    "credit_previous": (S.CREDIT_PREVIOUS, [
        ["customer_id", "customer_name", "final_level", "grade", "grade_label",
         "credit_limit", "status"],
        ["C1", "Alpha Trading", "2", "2", "二级", "500000", "rated"],
        ["C2", "Beta Metals", "3", "3", "三级", "200000", "rated"],
        ["C3", "Gamma Tools", "4", "4", "四级", "100000", "rated"],
    ]),
    "exposure": (S.EXPOSURE, [
        ["customer_id", "outstanding"],
        ["C1", "120000.50"], ["C2", "80000"], ["C3", "0"],
    ]),
    "invoices": (S.INVOICES, [
        ["customer_id", "customer_name", "invoice_no", "invoice_date", "due_date",
         "terms_days", "amount", "paid_amount", "ship_date", "salesperson", "branch"],
        ["C1", "Alpha Trading", "F1", "2026-06-01", "2026-07-01", "30", "10000.00", "",
         "2026-05-30", "S1", "East"],
        ["C2", "Beta Metals", "F2", "2026-08-15", "2026-09-14", "30", "2500.50", "500",
         "2026-08-14", "S2", "East"],
        ["C3", "Gamma Tools", "F3", "2026-10-01", "2026-10-31", "30", "780.25", "",
         "2026-09-30", "S1", "East"],
    ]),
    "payments": (S.PAYMENTS, [
        ["customer_id", "payment_date", "amount", "invoice_no", "payment_id"],
        ["C1", "2026-07-10", "4000", "F1", "P1"],
        ["C2", "2026-09-20", "1000", "", "P2"],
        ["C3", "2026-10-15", "100.25", "", "P3"],
    ]),
    "credit_limits": (S.CREDIT_LIMITS, [
        ["customer_id", "credit_limit"],
        ["C1", "500000"], ["C2", "1000"], ["C3", "100000"],
    ]),
    "org": (S.ORG, [
        ["staff_id", "name", "role", "manager_id", "branch"],
        ["D1", "Wang", "director", "", "HQ"],
        ["M1", "Li", "branch_manager", "D1", "East"],
        ["S1", "Zhang", "specialist", "M1", "East"],
        ["S2", "Zhao", "specialist", "M1", "East"],
    ]),
    "complaints": (S.COMPLAINTS, [
        ["complaint_id", "staff_id", "customer_id", "opened_at", "first_response_at",
         "closed_at", "status"],
        ["K1", "S1", "C1", "2026-10-02 09:00", "2026-10-02 10:00", "2026-10-03 09:00", "closed"],
        ["K2", "S2", "C2", "2026-10-05 09:00", "2026-10-05 09:30", "2026-10-20 17:00", "closed"],
        ["K3", "S1", "C3", "2026-10-20 14:00", "", "", "open"],
    ]),
    "surveys": (S.SURVEYS, [
        ["staff_id", "date", "score", "customer_id"],
        ["S1", "2026-10-05", "5", "C1"], ["S2", "2026-10-06", "3", "C2"],
        ["S1", "2026-10-07", "4", "C3"],
    ]),
    "sales": (S.SALES, [
        ["staff_id", "period", "revenue", "gross_profit", "target"],
        ["S1", "2026-10", "100000", "20000", "90000"],
        ["S2", "2026-10", "80000", "12000", "100000"],
        ["S1", "2025-10", "90000", "18000", "90000"],
    ]),
    "measures": (S.MEASURES, [
        ["staff_id", "period", "measure", "value", "numerator", "denominator"],
        ["S1", "2026-10", "report_accuracy", "0.98", "49", "50"],
        ["S2", "2026-10", "report_accuracy", "1", "40", "40"],
        ["S1", "2026-10", "plan_completion", "0.9", "9", "10"],
    ]),
    "appraisals": (S.APPRAISALS, [
        ["staff_id", "period", "self_score", "manager_score"],
        ["S1", "2026-10", "90", "85"], ["S2", "2026-10", "80", "70"],
        ["M1", "2026-10", "88", "90"],
    ]),
    "visit_customers": (S.VISIT_CUSTOMERS, [
        ["customer_id", "customer_name", "owner", "grade", "phone", "birthday",
         "last_visit_date"],
        ["C1", "Alpha Trading", "S1", "1", "13800000001", "11-12", "2026-09-01"],
        ["C2", "Beta Metals", "S2", "3", "13800000002", "", "2026-08-01"],
        ["C3", "Gamma Tools", "S1", "4", "13800000003", "", "2026-01-01"],
    ]),
    "staff": (S.STAFF, [
        ["staff_id", "name", "max_visits_per_day", "max_calls_per_day", "days_off"],
        ["S1", "Zhang", "2", "10", ""], ["S2", "Zhao", "2", "10", "2026-11-20"],
        ["M1", "Li", "1", "5", ""],
    ]),
    "transactions": (S.TRANSACTIONS, [
        ["customer_id", "department", "date", "amount"],
        ["C1", "Tools", "2026-11-02", "5000"], ["C2", "Tools", "2026-11-03", "3000.50"],
        ["C3", "Metals", "2026-11-04", "800"],
    ]),
    "shipments": (S.SHIPMENTS, [
        ["shipment_id", "customer_id", "ship_date", "signed"],
        ["SH1", "C1", "2026-11-05", "yes"], ["SH2", "C2", "2026-11-10", "no"],
        ["SH3", "C3", "2026-11-12", "yes"],
    ]),
    "visit_complaints": (S.COMPLAINTS, [
        ["complaint_id", "staff_id", "customer_id", "opened_at", "first_response_at",
         "closed_at", "status"],
        ["K1", "S1", "C1", "2026-10-28 09:00", "2026-10-28 10:00", "2026-11-03 09:00", "closed"],
        ["K2", "S2", "C2", "2026-10-29 09:00", "2026-10-29 09:30", "2026-11-05 17:00", "closed"],
        ["K3", "S1", "C3", "2026-11-02 14:00", "", "", "open"],
    ]),
    "visit_credit": (S.VISIT_CREDIT, [
        ["customer_id", "customer_name", "grade", "previous_grade"],
        ["C1", "Alpha Trading", "1", "1"], ["C2", "Beta Metals", "3", "2"],
        ["C3", "Gamma Tools", "4", "4"],
    ]),
    "visit_aging": (S.VISIT_AGING, [
        ["customer_id", "customer_name", "61-90", "91-180", "181+", "max_days_overdue"],
        ["C1", "Alpha Trading", "5000", "0", "0", "75"], ["C2", "Beta Metals", "0", "0", "0", "10"],
        ["C3", "Gamma Tools", "0", "200", "0", "120"],
    ]),
    "holidays": (S.HOLIDAYS, [
        ["date", "kind", "name"],
        ["2026-11-16", "holiday", "Company day"], ["2026-11-21", "workday", "Make-up"],
        ["2026-11-30", "holiday", "Stocktake"],
    ]),
    # render-report reads tables of any shape
    "report_table": (None, [
        ["customer_id", "customer_name", "amount", "date"],
        ["C1", "Alpha Trading", "100.50", "2026-10-01"],
        ["C2", "Beta Metals", "200", "2026-10-02"],
        ["C3", "Gamma Tools", "300", "2026-10-03"],
    ]),
}


# --- the commands and their file-taking options -----------------------------------
@dataclass
class Command:
    name: str
    fixed: list[str]  # arguments that take no file
    # option → GOOD key; an option starting with "@" is a positional argument
    inputs: dict[str, str]
    output: str = "out.csv"
    positional_first: list[str] = field(default_factory=list)

    def argv(self, files: dict[str, str], out: str) -> list[str]:
        args = [self.name] + list(self.positional_first)
        for option, path in files.items():
            if option.startswith("@"):
                args.append(path)
        for option, path in files.items():
            if not option.startswith("@"):
                args += [option, path]
        return args + self.fixed + ["-o", out]


COMMANDS = {
    "score-credit": Command("score-credit", ["--as-of", "2026-10-31"], {
        "@CUSTOMERS": "credit_customers", "--previous": "credit_previous",
        "--exposure": "exposure"}),
    "aging-report": Command("aging-report", ["--as-of", "2026-10-31"], {
        "@INVOICES": "invoices", "--payments": "payments", "--credit-limits": "credit_limits"}),
    "rollup-kpi": Command("rollup-kpi", ["--period", "2026-10", "--as-of", "2026-10-31"], {
        "--org": "org", "--complaints": "complaints", "--surveys": "surveys",
        "--sales": "sales", "--invoices": "invoices", "--payments": "payments",
        "--measures": "measures", "--appraisals": "appraisals"}),
    "visit-plan": Command("visit-plan", ["--from", "2026-11-01", "--to", "2026-11-30",
                                         "--as-of", "2026-10-31"], {
        "@CUSTOMERS": "visit_customers", "--staff": "staff", "--transactions": "transactions",
        "--shipments": "shipments", "--complaints": "visit_complaints",
        "--credit": "visit_credit", "--aging": "visit_aging", "--holidays": "holidays"}),
    "render-report": Command("render-report", [], {"@DATA": "report_table"},
                             output="out.html", positional_first=["table"]),
}

OPTIONS = [(cmd, option) for cmd, spec in COMMANDS.items() for option in spec.inputs]


# --- writing tables ---------------------------------------------------------------
def to_csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def _cell(value: str):
    """A text cell as Excel would hold it: numbers as numbers, ISO dates as dates."""
    if not isinstance(value, str) or value == "":
        return None if value == "" else value
    try:
        return datetime.strptime(value, "%Y-%m-%d")
    except ValueError:
        pass
    try:
        number = float(value)
    except ValueError:
        return value
    return int(number) if number.is_integer() and "." not in value else number


def write_xlsx(path: Path, sheets: list[tuple[str, list[list]]], merge: list[str] = (),
               raw: bool = False) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append([cell if raw else _cell(cell) for cell in row])
    for ref in merge:
        book.worksheets[-1].merge_cells(ref)
    book.save(path)


# --- choosing the column a case breaks --------------------------------------------
def _columns(table_schema, header, test) -> list[str]:
    if table_schema is None:
        return []
    return [c.name for c in table_schema.columns if c.name in header and test(c)]


FREE_TEXT = ("customer_name", "name", "status", "grade_label", "phone", "payment_id",
             "department", "branch")


def column_for(case: str, table_schema, header: list[str]) -> str | None:
    tests = {
        "date": lambda c: c.type in ("date", "datetime"),
        "money": lambda c: c.type == "money",
        "number": lambda c: c.type in ("money", "int", "number"),
        "bounded": lambda c: c.min is not None and c.type in ("money", "int", "number"),
        "unique": lambda c: c.unique,
        "required": lambda c: c.required,
        # free text: a name or label, not a key or a reference to another table
        "text": lambda c: c.type == "str" and c.name in FREE_TEXT,
    }
    found = _columns(table_schema, header, tests[case])
    if case == "required" and not found and table_schema is S.VISIT_AGING:
        found = ["customer_id"]  # checked by visit-plan itself (a totals row has none)
    if case == "bounded" and found:
        # a column whose bound is above zero is broken by zero rather than a negative
        return found[0]
    if case == "money" and not found:
        found = _columns(table_schema, header, tests["number"])
    return found[0] if found else None


def set_cell(rows, column, excel_row, value):
    rows = [list(r) for r in rows]
    rows[excel_row - 1][rows[0].index(column)] = value
    return rows


# --- the cases ----------------------------------------------------------------------
@dataclass
class Made:
    """One generated input: where it is, what should happen, what to name."""
    path: str | None  # None: not applicable to this table
    expect: str = "error"  # error | ok | either
    row: int | None = None  # Excel row the message must name
    column: str | None = None  # column the message must name
    words: tuple[str, ...] = ()  # further words the message must contain
    stdin: str | None = None  # text given on standard input (path "-")
    remove: bool = False  # remove the file after building the command line
    io_error: bool = False  # reading the file fails half-way (simulated)


def _na() -> Made:
    return Made(None)


def build(case: str, key: str, folder: Path) -> Made:
    """Write case CASE of table KEY into FOLDER."""
    table_schema, good = GOOD[key]
    header = good[0]
    rows = [list(r) for r in good]
    shaped = table_schema is not None  # render-report's tables have no schema
    stem = folder / f"{key}_{case}"
    csv_path = Path(f"{stem}.csv")

    def text(rows_, encoding="utf-8", ext=".csv"):
        path = Path(f"{stem}{ext}")
        path.write_bytes(to_csv(rows_).encode(encoding, errors="replace"))
        return str(path)

    if case == "valid":
        return Made(text(rows), expect="ok")
    if case == "odd_but_fine":
        # a BOM, an unknown extra column (passed through), a 10,000-character
        # note and text a spreadsheet would execute: all legitimate input
        changed = [r + ([f"note {i}"] if i else ["备注"]) for i, r in enumerate(rows)]
        changed[2][-1] = "长" * 10_000
        column = (column_for("text", table_schema, header) if shaped else "customer_name")
        if column is not None:
            changed = set_cell(changed, column, 3, "=HYPERLINK(\"http://evil\",\"x\")")
            changed = set_cell(changed, column, 4, "长" * 10_000)
        path = Path(f"{stem}.csv")
        path.write_bytes(b"\xef\xbb\xbf" + to_csv(changed).encode("utf-8"))
        return Made(str(path), expect="ok")
    if case == "empty":
        csv_path.write_bytes(b"")
        return Made(str(csv_path), words=("empty",))
    if case == "header_only":
        # a table of any shape may legitimately be empty in a report; a month
        # with no invoices yet is an empty aging report (#14; tested there)
        if key == "invoices":
            return Made(text(rows[:1]), expect="either")
        return Made(text(rows[:1]), expect="error" if shaped else "either",
                    words=("no data rows",) if shaped else ())
    if case == "bom_only":
        csv_path.write_bytes(b"\xef\xbb\xbf")
        return Made(str(csv_path), words=("empty",))
    if case == "bom_header_rows":
        csv_path.write_bytes(b"\xef\xbb\xbf" + to_csv(rows).encode("utf-8"))
        return Made(str(csv_path), expect="ok")
    if case == "gb18030_chinese_headers":
        zh = {}
        if shaped:
            zh = {c.name: c.aliases[0] for c in table_schema.columns
                  if c.aliases and not c.aliases[0].isascii()}
        return Made(text([[zh.get(h, h) for h in header]] + rows[1:], "gb18030"), expect="ok")
    if case == "missing_required":
        column = column_for("required", table_schema, header)
        if column is None:
            return _na()
        at = header.index(column)
        return Made(text([r[:at] + r[at + 1:] for r in rows]), column=column,
                    words=("missing",))
    if case == "unknown_columns_only":
        width = len(header)
        junk = [[f"junk{i}" for i in range(width)]] + [[f"x{r}{i}" for i in range(width)]
                                                        for r in range(3)]
        return Made(text(junk), expect="error" if shaped else "ok")
    if case == "extra_column":
        return Made(text([r + ([f"note {i}"] if i else ["备注"]) for i, r in enumerate(rows)]),
                    expect="ok")
    if case in ("bad_date", "impossible_date", "long_bad_date"):
        column = column_for("date", table_schema, header)
        if column is None:
            return _na()
        value = {"bad_date": "next Tuesday", "impossible_date": "2026-02-30",
                 "long_bad_date": "9" * 10_000}[case]
        words = ("exists in the calendar",) if case == "impossible_date" else ()
        return Made(text(set_cell(rows, column, 3, value)), row=3, column=column, words=words)
    if case in ("bad_amount", "amount_stray_text"):
        column = column_for("money", table_schema, header)
        if column is None:
            return _na()
        value = "abc" if case == "bad_amount" else "1,200.00 approx"
        return Made(text(set_cell(rows, column, 3, value)), row=3, column=column)
    if case == "negative":
        column = column_for("bounded", table_schema, header)
        if column is None:
            return _na()
        bound = next(c.min for c in table_schema.columns if c.name == column)
        return Made(text(set_cell(rows, column, 3, str(bound - 5))), row=3, column=column)
    if case == "duplicate_key":
        column = column_for("unique", table_schema, header)
        if column is None:
            return _na()
        value = rows[1][header.index(column)]
        return Made(text(set_cell(rows, column, 3, value)), row=3, column=column,
                    words=("twice",))
    if case == "random_bytes":
        csv_path.write_bytes(random.Random(9).randbytes(3000))
        return Made(str(csv_path))
    if case == "latin1":
        changed = [list(r) for r in rows]
        for r in changed[1:]:
            r[1] = "Café Müller Señor Ærø"
        return Made(text(changed, "latin-1"), words=("--encoding",))
    if case == "csv_named_xlsx":
        return Made(text(rows, ext=".xlsx"), words=(".csv",))
    if case == "xlsx_valid":
        path = Path(f"{stem}.xlsx")
        write_xlsx(path, [("Data", rows)])
        return Made(str(path), expect="ok")
    if case == "xlsx_empty_first_sheet":
        path = Path(f"{stem}.xlsx")
        write_xlsx(path, [("Cover", []), ("Data", rows)])
        if not shaped:  # render-report takes every non-empty sheet
            return Made(str(path), expect="ok")
        return Made(str(path), words=("--sheet", "Data"))
    if case == "xlsx_merged_title":
        # a title merged across the columns above the header, as ERP exports have
        path = Path(f"{stem}.xlsx")
        title = [["Export 2026-10"] + [None] * (len(header) - 1)]
        write_xlsx(path, [("Data", title + rows)], merge=[f"A1:{_letter(len(header))}1"])
        return Made(str(path), expect="ok")
    if case == "xlsx_merged_header":
        # the first two header cells merged: the second column loses its name
        path = Path(f"{stem}.xlsx")
        write_xlsx(path, [("Data", rows)], merge=["A1:B1"])
        second = header[1]
        required = shaped and second in _columns(table_schema, header, lambda c: c.required)
        return Made(str(path), expect="error" if required else "either",
                    column=second if required else None)
    if case == "xlsx_formula":
        # a formula cell with no cached value (as a script writes it)
        column = column_for("money", table_schema, header) or header[-1]
        path = Path(f"{stem}.xlsx")
        changed = [[_cell(c) for c in r] for r in rows]
        changed[2][header.index(column)] = "=1/0+HYPERLINK(\"http://x\")"
        write_xlsx(path, [("Data", changed)], raw=True)
        return Made(str(path), expect="either", row=3)
    if case == "ragged":
        changed = to_csv(rows).splitlines()
        changed[2] += ",surplus,cells"
        csv_path.write_text("\n".join(changed) + "\n", encoding="utf-8")
        return Made(str(csv_path), row=3)
    if case == "short_row":
        changed = to_csv(rows).splitlines()
        changed[3] = changed[3].split(",")[0] + "," + changed[3].split(",")[1]
        csv_path.write_text("\n".join(changed) + "\n", encoding="utf-8")
        return Made(str(csv_path), expect="either", row=4)
    if case == "long_text_cell":
        column = column_for("text", table_schema, header) if shaped else "customer_name"
        if column is None:
            return _na()
        return Made(text(set_cell(rows, column, 3, "长" * 10_000)), expect="ok")
    if case == "formula_text":
        # text a spreadsheet would execute: read as text, neutralised on output
        column = column_for("text", table_schema, header) if shaped else "customer_name"
        if column is None:
            return _na()
        return Made(text(set_cell(rows, column, 3, "=HYPERLINK(\"http://evil\",\"x\")")),
                    expect="ok")
    if case in VALUE_CASES:
        return _value_case(case, key, rows, header, table_schema, stem)
    if case == "vanished":
        return Made(text(rows), remove=True, words=("not found",))
    if case == "io_error":
        return Made(text(rows), io_error=True, words=("cannot be read",))
    if case == "stdin_empty":
        return Made("-", stdin="", words=("standard input",))
    if case == "stdin_valid":
        return Made("-", stdin=to_csv(rows), expect="ok")
    raise ValueError(case)


# values cskit refuses to guess (README "What cskit refuses to guess"): case →
# (kind of column broken, value written in Excel row 3, words of the message)
VALUE_CASES = {
    "amount_30_digits": ("money", "111111111111111111111111111111", ("out of range",)),
    "amount_10_13": ("money", "10000000000000", ("10^13",)),
    "amount_1e400": ("money", "1e400", ("out of range",)),
    "amount_inf": ("money", "-inf", ("out of range",)),
    "amount_nan": ("money", "nan", ()),
    "amount_10_15": ("money", "1000000000000000", ("out of range",)),
    "decimal_comma": ("money", "1234,50", ("groups of three",)),
    "decimal_comma_short": ("money", "1,23", ("groups of three",)),
    "decimal_comma_spaced": ("money", "12 345,67", ("groups of three",)),
    "excel_error_csv": ("money", "#N/A", ("spreadsheet error",)),
    "excel_error_div0": ("money", "#DIV/0!", ("spreadsheet error",)),
    "excel_error_key": ("required", "#REF!", ("spreadsheet error",)),
    "excel_error_xlsx": ("money", "#VALUE!", ("spreadsheet error",)),
    "date_inf": ("date", "inf", ()),
    "date_2999": ("date", "2999-12-31", ("out of range",)),
    "date_9999_time": ("date", "9999-12-31 00:00:00", ("out of range",)),
    "date_1899": ("date", "1899-12-31", ("out of range",)),
    "date_serial_150000": ("date", "150000", ("out of range",)),
    "date_serial_xlsx_150000": ("date", 150000, ("out of range",)),
    "json_list_cell": ("money", [1, 2], ("not a list",)),
    "json_dict_key": ("required", {"a": 1}, ("not a list",)),
    "json_nested_5000": (None, None, ("too deeply",)),
    "parquet_list_cell": ("money", [1.5], ("not a list",)),
    "paid_wrong_sign": ("paid", "-600", ("same sign",)),
    "paid_over_invoice": ("paid", "2600", ("not larger",)),
}


def _value_case(case, key, rows, header, table_schema, stem) -> Made:
    kind, value, words = VALUE_CASES[case]
    shaped = table_schema is not None
    if kind is None:  # the whole file
        path = Path(f"{stem}.json")
        path.write_text("[" * 5000 + "]" * 5000)
        return Made(str(path), words=words)
    if kind == "paid":
        column = "paid_amount" if "paid_amount" in header else None
    elif shaped:
        column = column_for(kind, table_schema, header)
    else:  # render-report types the columns it knows by name
        column = {"money": "amount", "date": "date"}.get(kind)
    if column is None:
        return _na()
    if case == "amount_10_13" and shaped and table_schema.col(column).type != "money":
        return _na()  # 10^13 is a fine count or score: the limit is for amounts
    if not shaped and case.startswith(("excel_error_key", "json_dict_key")):
        return _na()
    changed = set_cell(rows, column, 3, value)
    expect = "error"
    if not shaped:
        # a report's table is shown, not computed with: its own reading names
        # an amount it cannot total ("an amount"); a date it can show is shown
        words = ()
        expect = "either" if kind == "date" or case in ("amount_nan", "amount_10_13") \
            else "error"
    if case.endswith("_xlsx") or case == "date_serial_xlsx_150000":
        path = Path(f"{stem}.xlsx")
        cells = [[_cell(c) if isinstance(c, str) else c for c in r] for r in changed]
        write_xlsx(path, [("Data", cells)], raw=True)
        if case == "excel_error_xlsx":
            _excel_error(path, 3, header.index(column) + 1, value)
        return Made(str(path), expect=expect, row=3, column=column, words=words)
    if case.startswith("json_"):
        path = Path(f"{stem}.json")
        path.write_text(json.dumps([dict(zip(changed[0], r)) for r in changed[1:]]))
        return Made(str(path), expect=expect, row=3, column=column, words=words)
    if case.startswith("parquet_"):
        import pandas as pd

        path = Path(f"{stem}.parquet")
        columns = {h: [r[i] for r in changed[1:]] for i, h in enumerate(changed[0])}
        columns[column] = [v if isinstance(v, list) else None for v in columns[column]]
        pd.DataFrame(columns).to_parquet(path)
        return Made(str(path), expect=expect, row=3, column=column, words=words)
    path = Path(f"{stem}.csv")
    path.write_text(to_csv(changed), encoding="utf-8")
    return Made(str(path), expect=expect, row=3, column=column, words=words)


def _excel_error(path: Path, row: int, column: int, error: str) -> None:
    """Make one cell an error cell (type e), as Excel saves #VALUE!."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    cell = book.active.cell(row=row, column=column)
    cell.value = error
    cell.data_type = "e"
    book.save(path)


def _letter(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


# the cases run against every option; the single-purpose variants of
# odd_but_fine ("bom_header_rows", "extra_column", "long_text_cell",
# "formula_text") and "valid"/"xlsx_valid" stay buildable for a closer look
CASES = ["odd_but_fine", "empty", "header_only", "bom_only",
         "gb18030_chinese_headers", "missing_required", "unknown_columns_only",
         "bad_date", "impossible_date", "long_bad_date", "bad_amount",
         "amount_stray_text", "negative", "duplicate_key", "random_bytes", "latin1",
         "csv_named_xlsx", "xlsx_empty_first_sheet", "xlsx_merged_title",
         "xlsx_merged_header", "xlsx_formula", "ragged", "short_row",
         "vanished", "io_error", "stdin_empty", "stdin_valid"] + list(VALUE_CASES)


# options a command needs besides the one under test (the rest are left out:
# fewer tables to read keeps the corpus fast, and each is tested on its own)
NEEDS = {"rollup-kpi": {"--org", "--surveys"}, "--payments": {"--invoices"}}


def good_files(command: str, folder: Path, option: str | None = None) -> dict[str, str]:
    """A valid CSV for every file-taking option of COMMAND, or, given OPTION,
    for it and the options it cannot go without."""
    spec = COMMANDS[command]
    wanted = set(spec.inputs)
    if option is not None:
        wanted = {option} | {o for o in spec.inputs if o.startswith("@")} \
            | NEEDS.get(command, set()) | NEEDS.get(option, set())
    files = {}
    for name, key in spec.inputs.items():
        if name not in wanted:
            continue
        path = folder / f"good_{key}.csv"
        if not path.exists():
            path.write_text(to_csv(GOOD[key][1]), encoding="utf-8")
        files[name] = str(path)
    return files


# --- a table with good and bad rows, for --rejects ---------------------------------
def mixed(key: str, command: str = "") -> tuple[list[list[str]], set[int]]:
    """The good rows of KEY followed by broken copies, one per kind of problem
    the table can have (unparseable date, amount, out-of-range number,
    duplicate key). Returns the rows and the Excel rows that are bad."""
    table_schema, good = GOOD[key]
    header = good[0]
    rows = [list(r) for r in good]
    unique = column_for("unique", table_schema, header)
    breaks = [("date", "2026-02-30"), ("money", "12 yuan-ish"), ("bounded", None),
              ("money", "1e400"), ("money", "1234,50"), ("date", "2999-12-31")]
    bad: set[int] = set()
    for n, (kind, value) in enumerate(breaks):
        column = column_for(kind, table_schema, header)
        if column is None:
            continue
        if kind == "bounded":
            value = str(next(c.min for c in table_schema.columns if c.name == column) - 5)
        copy = list(good[1 + n % (len(good) - 1)])
        if unique:
            copy[header.index(unique)] += f"-copy{n}"
        copy[header.index(column)] = value
        rows.append(copy)
        bad.add(len(rows))
    if unique:
        rows.append(list(good[1]))  # the first row's key again
        bad.add(len(rows))
    for column, value in DOMAIN_BREAKS.get((command, key), DOMAIN_BREAKS.get(key, ())):
        copy = list(good[1])
        if unique:
            copy[header.index(unique)] += f"-{column}"
        if column not in header:
            rows = [r + [""] for r in rows]
            rows[0][-1] = column
            header = rows[0]
            copy.append("")
        copy[header.index(column)] = value
        rows.append(copy)
        bad.add(len(rows))
    return rows, bad


# rows that parse but break a rule the command checks itself (run.reject);
# rollup-kpi measures DSO from totals, so it does not tie payments to invoices
DOMAIN_BREAKS = {
    ("aging-report", "payments"): [("invoice_no", "F-unknown")],
    ("aging-report", "invoices"): [("against_invoice", "F-unknown"), ("paid_amount", "-1")],
    "invoices": [("paid_amount", "-1")],
    "complaints": [("closed_at", "2026-01-01 09:00")],
    "surveys": [("score", "")],
    "sales": [("period", "Oct")],
    "measures": [("period", "someday")],
    "appraisals": [("period", "2026-13")],
}
