"""score-credit's fast paths (issue 16) against the paths they replaced.

The replaced implementation is kept in tests/credit_old.py: each row's
reasons joined from one full-length string column per clause with the chain
appended by pandas string methods, and the CSV written as one Python string;
and in tests/credit_io_before.py: booleans and categories read as Python
objects, every text cell looked at for a formula, dates written one by one.
Every case runs the command twice, once with the old functions patched in,
and asserts the same exit code, the same messages and the same output file,
byte for byte: on the samples, on ``python -m cskit.samples --rows N``
files, and on random customer tables (hypothesis).
"""
from __future__ import annotations

import contextlib
import csv
import io
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cskit.cli import cli
from tests import credit_io_before, credit_old

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@contextlib.contextmanager
def old_paths():
    """The command as it was before the fast paths."""
    import cskit.commands.confirmations as commands
    import cskit.confirmations as confirmations
    import cskit.credit as credit
    import cskit.io.values.columns as columns  # where the reader finds its parsers
    import cskit.io.write as write  # where the workbook writer finds the formula guard
    import cskit.io.write.cells as cells  # where the CSV writers find it, and date text
    import cskit.io.write.report as report  # where write_report finds its CSV writer

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(columns, "parse_bool", credit_io_before.parse_bool)
        patch.setattr(columns, "parse_category", credit_io_before.parse_category)
        patch.setattr(write, "neutralize", credit_io_before.neutralize)
        patch.setattr(cells, "neutralize", credit_io_before.neutralize)
        patch.setattr(cells, "_text_frame", credit_io_before._text_frame)
        patch.setattr(credit, "score_customers", credit_old.score_customers)
        patch.setattr(credit, "add_exposure", credit_old.add_exposure)
        patch.setattr(credit, "compare_previous", credit_old.compare_previous)
        patch.setattr(report, "_write_csv", credit_old.write_csv_text)
        patch.setattr(commands, "apply_to_customers", credit_old.apply_to_customers)
        patch.setattr(confirmations, "name_statements", credit_old.name_statements)
        yield


@contextlib.contextmanager
def arrow_writer(rows: int, parts: int = 7):
    """Tables from ROWS rows on go through Arrow's CSV writer (20,000 by default);
    the new path scores PARTS customers at a time (250,000 by default)."""
    import cskit.credit.scorecard as scorecard
    import cskit.io.write.formats as formats  # where both writers read it

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(formats, "ARROW_CSV_ROWS", rows)
        patch.setattr(scorecard, "SCORE_ROWS", parts)
        yield


def run(args: list[str], out: Path, old: bool):
    with old_paths() if old else contextlib.nullcontext():
        result = CliRunner().invoke(cli, ["score-credit", *args, "--as-of", "2026-10-31",
                                          "-o", str(out)])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stderr.replace(str(out), "OUT")


def assert_same(args: list[str], folder: Path, ext: str = "csv") -> int:
    """Run old and new; the same exit code, messages and file. Returns the exit code."""
    old_out, new_out = folder / f"old.{ext}", folder / f"new.{ext}"
    for path in (old_out, new_out):
        path.unlink(missing_ok=True)
    old = run(args, old_out, old=True)
    new = run(args, new_out, old=False)
    assert new == old
    assert new_out.exists() == old_out.exists()
    if not new_out.exists():
        return new[0]
    if ext == "xlsx":  # a workbook records when it was written: compare the cells
        assert workbook_cells(new_out) == workbook_cells(old_out)
    else:
        assert new_out.read_bytes() == old_out.read_bytes()
    return new[0]


def workbook_cells(path: Path) -> dict:
    book = openpyxl.load_workbook(path)
    return {sheet.title: [[(c.value, c.number_format, c.font.b) for c in row]
                          for row in sheet.iter_rows() if row[0].value != "run at"]
            for sheet in book.worksheets}


# --- the samples --------------------------------------------------------------------
@pytest.fixture(scope="module")
def aging(tmp_path_factory):
    """aging-report's summary and --detail of the sample invoices (--exposure)."""
    folder = tmp_path_factory.mktemp("aging")
    for name, extra in (("summary.csv", []), ("detail.csv", ["--detail"])):
        result = CliRunner().invoke(cli, ["aging-report", str(SAMPLES / "invoices.csv"),
                                          "--as-of", "2026-10-31", "-q", *extra,
                                          "-o", str(folder / name)])
        assert result.exit_code == 0, result.output
    return folder


SAMPLE_CASES = [
    [],
    ["--lang", "zh"],
    ["--previous", str(SAMPLES / "credit_previous.csv")],
    ["--previous", str(SAMPLES / "credit_previous.csv"), "--lang", "zh"],
    ["--confirmations", str(SAMPLES / "register.csv")],
    ["--confirmations", str(SAMPLES / "register.csv"), "--lang", "zh"],
    ["--exposure", "summary.csv"],
    ["--exposure", "detail.csv", "--lang", "zh"],
    ["--exposure", "detail.csv", "--previous", str(SAMPLES / "credit_previous.csv"),
     "--confirmations", str(SAMPLES / "register.csv")],
]


@pytest.mark.parametrize("customers", ["customers.csv", "customers.xlsx"])
@pytest.mark.parametrize("options", SAMPLE_CASES, ids=lambda o: " ".join(Path(a).name for a in o)
                         or "plain")
@pytest.mark.parametrize("arrow_rows", [20000, 1])
def test_samples(tmp_path, aging, customers, options, arrow_rows):
    options = [str(aging / o) if o in ("summary.csv", "detail.csv") else o for o in options]
    with arrow_writer(arrow_rows):
        assert assert_same([str(SAMPLES / customers), *options], tmp_path) == 0


@pytest.mark.parametrize("ext", ["xlsx", "tsv"])
def test_samples_to_other_formats(tmp_path, aging, ext):
    with arrow_writer(1):
        assert assert_same([str(SAMPLES / "customers.csv"), "--exposure",
                            str(aging / "detail.csv"), "--previous",
                            str(SAMPLES / "credit_previous.csv")], tmp_path, ext) == 0


# --- benchmark-shaped files ---------------------------------------------------------
@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    """``python -m cskit.samples --rows 400``, and aging-report's tables of its invoices."""
    from cskit.samples import main as samples_main

    folder = tmp_path_factory.mktemp("bench")
    samples_main(["--rows", "400", "--out", str(folder)])
    for name, extra in (("summary.csv", []), ("detail.csv", ["--detail"])):
        result = CliRunner().invoke(cli, ["aging-report", str(folder / "invoices_400.csv"),
                                          "--as-of", "2026-10-31", "-q", *extra,
                                          "-o", str(folder / name)])
        assert result.exit_code == 0, result.output
    return folder


@pytest.mark.parametrize("options", [
    [], ["--lang", "zh"], ["--exposure", "summary.csv"],
    ["--exposure", "detail.csv", "--lang", "zh"],
])
def test_generated_customers(tmp_path, bench, options):
    options = [str(bench / o) if o.endswith(".csv") else o for o in options]
    with arrow_writer(100):
        assert assert_same([str(bench / "customers_400.csv"), *options], tmp_path) == 0


def test_generated_customers_against_their_own_previous_grades(tmp_path, bench):
    # last quarter = this quarter's output of half the customers, with limits changed
    previous = tmp_path / "previous.csv"
    result = CliRunner().invoke(cli, ["score-credit", str(bench / "customers_400.csv"),
                                      "--as-of", "2026-07-31", "-q", "-o", str(previous)])
    assert result.exit_code == 0, result.output
    lines = previous.read_text(encoding="utf-8-sig").splitlines()
    previous.write_text("\n".join(lines[:1] + lines[1::2]) + "\n", encoding="utf-8")
    with arrow_writer(100):
        assert assert_same([str(bench / "customers_400.csv"), "--previous", str(previous),
                            "--exposure", str(bench / "detail.csv")], tmp_path) == 0


# --- random customer tables -----------------------------------------------------------
BOOLS = ("business_license", "tax_registration", "special_permit", "general_taxpayer",
         "trademark_license", "contract_orders", "processing_certificate", "iso9000",
         "iso14000", "bank_credit_rating", "tax_credit_rating", "late_after_promise",
         "breach_of_settlement", "salesperson_advance")
ANSWERS = {"cooperation": ["0", "1", "2", "配合"], "sales_status": ["0", "1", "2", "5", "良好"],
           "operating_status": ["0", "1", "2"], "wage_level": ["0", "1", "2", "3", "非常高"],
           "reconciliation": ["0", "-1", "-3", "拒绝对账"]}
AMOUNTS = ("annual_sales", "annual_profit", "annual_payments")
OPTIONAL = (BOOLS + tuple(ANSWERS) + AMOUNTS
            + ("years_established", "business_type", "primary_business", "months_active",
               "first_trade_date", "customer_name", "owner"))

blank = st.just("")
amount = st.one_of(blank, st.sampled_from(["0", "-5000", "499999.99", "500000", "3000000",
                                           "10000000", "2000000.5"]),
                   st.integers(-10**6, 2 * 10**7).map(lambda c: f"{c / 100:.2f}"))
cells = {
    **{c: st.one_of(blank, st.sampled_from(["true", "false", "是", "否"])) for c in BOOLS},
    **{c: st.one_of(blank, st.sampled_from(v)) for c, v in ANSWERS.items()},
    **{c: amount for c in AMOUNTS},
    "years_established": st.one_of(blank, st.sampled_from(["0.5", "1", "2.5", "3", "5", "5.5"]),
                                   st.integers(0, 40).map(str)),
    "business_type": st.one_of(blank, st.sampled_from(["A", "B", "mixed", "A业务", "混合"])),
    "primary_business": st.one_of(blank, st.sampled_from(["A", "B"])),
    "months_active": st.one_of(blank, st.integers(0, 30).map(str)),
    "first_trade_date": st.one_of(blank, st.sampled_from(["2026-10-31", "2026-09-01",
                                                          "2026-03-15", "2020-01-01",
                                                          "2026-12-01"])),
    "customer_name": st.one_of(blank, st.sampled_from(["甲公司", "a, \"b\"", "=1+2", "-x",
                                                       "乙公司 ", "Ltd."])),
    "owner": st.one_of(blank, st.sampled_from(["S01", "S02"])),
}
cash_only = {c: False for c in BOOLS[:7]}  # no legal document at all: cash only


@st.composite
def customer_tables(draw):
    columns = ["customer_id"] + [c for c in OPTIONAL if draw(st.booleans())
                                 or c in ("annual_sales", "business_license")]
    rows = []
    for i in range(draw(st.integers(1, 25))):
        row = {"customer_id": f"C{i:03d}"}
        none_held = draw(st.booleans())
        for column in columns[1:]:
            if none_held and column in cash_only:
                row[column] = "false"
            else:
                row[column] = draw(cells[column])
        rows.append(row)
    return columns, rows


def to_csv(columns, rows) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


@st.composite
def exposure_tables(draw, ids):
    detail = draw(st.booleans())
    owed = draw(st.lists(st.sampled_from(ids + ["X1", "X2"]), max_size=15,
                         unique=not detail))
    days = st.one_of(st.integers(-30, 200), st.just(10**7)).map(str)
    if detail:
        lines = ["customer_id,invoice_no,outstanding,days_overdue"] + [
            f"{c},F{i},{draw(st.integers(0, 10**8)) / 100:.2f},{draw(days)}"
            for i, c in enumerate(owed)]
    elif draw(st.booleans()):
        lines = ["customer_id,outstanding,max_days_overdue"] + [
            f"{c},{draw(st.integers(0, 10**8)) / 100:.2f},{draw(st.one_of(blank, days))}"
            for c in owed]
    else:
        lines = ["customer_id,outstanding"] + [
            f"{c},{draw(st.integers(0, 10**8)) / 100:.2f}" for c in owed]
    return "\n".join(lines) + "\n"


@st.composite
def previous_tables(draw, ids):
    kept = draw(st.lists(st.sampled_from(ids + ["X1", "X3"]), max_size=15, unique=True))
    lines = ["customer_id,customer_name,grade,credit_limit"] + [
        f"{c},{draw(st.sampled_from(['', '旧名']))},{draw(st.sampled_from(['', '1', '2', '4']))},"
        f"{draw(st.sampled_from(['0', '100000', '300000.00', '800000']))}" for c in kept]
    return "\n".join(lines) + "\n"


@st.composite
def registers(draw, ids):
    """The statements' register, filled in: some slips back, some not, some old."""
    with_file = draw(st.booleans())
    lines = ["customer_id,period_end,sent_date,due_back_date,returned_date,result"
             + (",file" if with_file else "")]
    for i, c in enumerate(draw(st.lists(st.sampled_from(ids + ["X1"]), max_size=15))):
        period = draw(st.sampled_from(["2026-09-30", "2026-06-30", "2025-06-30"]))
        line = (f"{c},{period},2026-10-08,2026-10-23,"
                f"{draw(st.sampled_from(['', '2026-10-12']))},"
                f"{draw(st.sampled_from(['', '相符', '不符', '拒绝', '被迫', 'refused']))}")
        rows_file = draw(st.sampled_from(["", f"S{i}.docx"]))
        lines.append(line + (f",{rows_file}" if with_file else ""))
    return "\n".join(lines) + "\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                               HealthCheck.data_too_large])
@given(st.data())
def test_random_customer_tables(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("random")
    columns, rows = data.draw(customer_tables())
    customers = folder / "customers.csv"
    customers.write_text(to_csv(columns, rows), encoding="utf-8")
    ids = [r["customer_id"] for r in rows]
    args = [str(customers), "--lang", data.draw(st.sampled_from(["en", "zh"]))]
    if data.draw(st.booleans()):
        (folder / "owed.csv").write_text(data.draw(exposure_tables(ids)), encoding="utf-8")
        args += ["--exposure", str(folder / "owed.csv")]
    if data.draw(st.booleans()):
        (folder / "before.csv").write_text(data.draw(previous_tables(ids)), encoding="utf-8")
        args += ["--previous", str(folder / "before.csv")]
    if data.draw(st.booleans()):
        (folder / "register.csv").write_text(data.draw(registers(ids)), encoding="utf-8")
        args += ["--confirmations", str(folder / "register.csv")]
    with arrow_writer(data.draw(st.sampled_from([1, 20000])),
                      data.draw(st.sampled_from([1, 4, 250_000]))):
        assert_same(args, folder)


# --- the reasons' join on its own -----------------------------------------------------
@settings(max_examples=80, deadline=None)
@given(st.integers(0, 40).flatmap(lambda n: st.lists(
    st.tuples(st.lists(st.integers(0, 6), min_size=n, max_size=n), st.booleans(),
              st.sampled_from([0, 10**5])), min_size=1, max_size=4)),
       st.sampled_from(["; ", "；", ""]), st.sampled_from([1, 3, 65536]))
def test_join_clauses_as_before(sections, separator, rows):
    # a clause per code (code 0 often empty), some codes far apart (days overdue)
    import cskit.credit.reasons as reasons

    built = [(np.asarray(codes, dtype=np.int64) * (1 + far), (lambda c, empty=empty:
              "" if empty and c == 0 else f"c{c}·中"))
             for codes, empty, far in sections]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reasons, "CHUNK_ROWS", rows)
        new = reasons.join_clauses(built, separator)
    old = credit_old.join_clauses(built, separator)
    assert new.to_pylist() == old.to_pylist()


@pytest.mark.parametrize("status", [None, "rated"])
@pytest.mark.parametrize("days", [None, [0, 30, 5, 1]])
def test_exposure_of_a_bare_table_as_before(status, days):
    # add_exposure on a table with neither approver nor chain (a hand-made limit list)
    import pandas as pd

    from cskit import credit

    scored = pd.DataFrame({"customer_id": ["C1", "C2"], "credit_limit": [1000.0, 500.0],
                           "status": [status, None], "reasons": ["", "x; y"]})
    owed = pd.DataFrame({"customer_id": ["C1", "C1", "C2", "C9"],
                         "outstanding": [100.10, 200.0, 600.0, 5.0]})
    if days:
        owed["days_overdue"] = days
    policy = {"terms": {"grace_days": 0}}

    def outcome(add):
        try:
            return add(scored, owed, policy)
        except KeyError:  # a scored row held without the columns of its chain
            return KeyError

    new, old = outcome(credit.add_exposure), outcome(credit_old.add_exposure)
    if old is KeyError:
        assert new is KeyError
    else:
        pd.testing.assert_frame_equal(new, old)
