"""The sample generator: deterministic, consistent across files, covering the
cases every command needs (new customers, cash-only, 181+ overdue, unapplied
credit, over-limit, unknown staff, lunar birthdays …)."""
from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from cskit import samples
from cskit import schema as S

AS_OF = pd.Timestamp("2026-10-31")
REPO_SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("samples")
    samples.write_samples(out)
    return out


def _csv(path: Path, encoding: str = "utf-8") -> pd.DataFrame:
    return pd.read_csv(path, encoding=encoding, dtype=str, keep_default_na=False)


def _xlsx_rows(path: Path) -> tuple[list, list[tuple]]:
    book = openpyxl.load_workbook(path, read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    return list(rows[0]), rows[1:]


# --- determinism -------------------------------------------------------------------

def test_same_seed_gives_identical_bytes(sample_dir, tmp_path):
    again = tmp_path / "again"
    samples.write_samples(again)
    names = sorted(p.name for p in sample_dir.iterdir())
    assert names == sorted(p.name for p in again.iterdir())
    assert len(names) == 22  # 16 + the aging projects ledger (4) + register and company (2)
    for name in names:
        assert (sample_dir / name).read_bytes() == (again / name).read_bytes(), name


def test_another_seed_gives_other_data(sample_dir, tmp_path):
    other = tmp_path / "other"
    samples.write_samples(other, seed=7)
    assert (other / "invoices.csv").read_bytes() != (sample_dir / "invoices.csv").read_bytes()
    # the fixed cases stay in place whatever the seed
    assert _csv(other / "org.csv").equals(_csv(sample_dir / "org.csv"))


def test_committed_samples_are_the_generators_output(sample_dir):
    for path in sorted(sample_dir.glob("*.csv")):
        committed = REPO_SAMPLES / path.name
        assert committed.exists(), f"samples/{path.name} missing: run python -m cskit.samples"
        assert committed.read_bytes() == path.read_bytes(), (
            f"samples/{path.name} is stale: run python -m cskit.samples")


# --- encodings ----------------------------------------------------------------------

@pytest.mark.parametrize("name", ["invoices_gbk.csv", "payments_gbk.csv"])
def test_chinese_header_files_are_gb18030(sample_dir, name):
    data = (sample_dir / name).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text = data.decode("gb18030")
    assert text.startswith("客户编号,")


def test_english_files_are_utf8_without_bom(sample_dir):
    for path in sample_dir.glob("*.csv"):
        if path.name.endswith("_gbk.csv"):
            continue
        data = path.read_bytes()
        assert not data.startswith(b"\xef\xbb\xbf"), path.name
        data.decode("utf-8")
        assert data.split(b"\n", 1)[0].isascii(), path.name  # English headers


# --- the files reference each other consistently -------------------------------------

@pytest.fixture(scope="module")
def tables(sample_dir):
    t = {
        "customers": _csv(sample_dir / "customers.csv"),
        "invoices": _csv(sample_dir / "invoices.csv"),
        "invoices_gbk": _csv(sample_dir / "invoices_gbk.csv", "gb18030"),
        "payments": _csv(sample_dir / "payments_gbk.csv", "gb18030"),
        "org": _csv(sample_dir / "org.csv"),
        "surveys": _csv(sample_dir / "surveys.csv"),
        "sales": _csv(sample_dir / "sales.csv"),
        "measures": _csv(sample_dir / "measures.csv"),
        "appraisals": _csv(sample_dir / "appraisals.csv"),
        "staff": _csv(sample_dir / "staff.csv"),
        "transactions": _csv(sample_dir / "transactions.csv"),
        "shipments": _csv(sample_dir / "shipments.csv"),
        "holidays": _csv(sample_dir / "holidays_2027.csv"),
        "previous": _csv(sample_dir / "credit_previous.csv"),
    }
    t["payments"].columns = ["customer_id", "payment_date", "amount", "invoice_no", "payment_id"]
    return t


def test_org_chart_shape(tables):
    org = tables["org"]
    assert org["role"].value_counts().to_dict() == {
        "specialist": 9, "branch_manager": 3, "director": 1, "deputy_director": 1, "assistant": 1}
    ids = set(org["staff_id"])
    assert {"D001", "D002", "A001", "B001", "B002", "B003"} <= ids
    assert set(org["manager_id"]) - {""} <= ids
    spec = org[org["role"] == "specialist"]
    assert sorted(spec["staff_id"]) == [f"S00{i}" for i in range(1, 10)]
    assert spec.groupby("branch").size().to_dict() == {"华东": 3, "华北": 3, "华南": 3}


def test_customers_and_staff_are_consistent(tables):
    customers, invoices, org = tables["customers"], tables["invoices"], tables["org"]
    specialists = set(org.loc[org["role"] == "specialist", "staff_id"])
    assert 55 <= len(customers) <= 65
    assert customers["customer_id"].is_unique
    assert set(invoices["customer_id"]) <= set(customers["customer_id"])
    assert set(tables["payments"]["customer_id"]) <= set(customers["customer_id"])
    assert set(customers["owner"]) <= specialists
    assert set(customers["salesperson"]) <= specialists
    assert set(invoices["salesperson"]) <= specialists
    branch_of = dict(zip(org["staff_id"], org["branch"]))
    assert (invoices["branch"] == invoices["salesperson"].map(branch_of)).all()
    assert set(tables["sales"]["staff_id"]) == specialists
    assert set(tables["staff"]["staff_id"]) <= set(org["staff_id"])
    assert set(tables["transactions"]["customer_id"]) <= set(customers["customer_id"])
    assert set(tables["shipments"]["customer_id"]) <= set(customers["customer_id"])
    assert set(tables["appraisals"]["staff_id"]) <= set(org["staff_id"])
    # surveys and complaints: everyone in the org chart except the one unknown id
    assert set(tables["surveys"]["staff_id"]) - set(org["staff_id"]) == {"S099"}


def test_invoices_and_payments_are_consistent(tables):
    invoices, payments = tables["invoices"], tables["payments"]
    assert 750 <= len(invoices) <= 900
    assert invoices["invoice_no"].is_unique
    customer_of = dict(zip(invoices["invoice_no"], invoices["customer_id"]))
    allocated = payments[payments["invoice_no"] != ""]
    assert 0 < len(allocated) < len(payments) / 2  # some allocated, most not
    assert (allocated["customer_id"] == allocated["invoice_no"].map(customer_of)).all()
    notes = invoices[invoices["against_invoice"] != ""]
    assert len(notes) >= 3
    assert (notes["amount"].astype(float) < 0).all()
    assert (notes["customer_id"] == notes["against_invoice"].map(customer_of)).all()
    dates = pd.to_datetime(invoices["invoice_date"])
    assert dates.min() >= pd.Timestamp("2026-01-01") and dates.max() <= AS_OF
    assert set(invoices["terms_days"]) >= {"30", "60", "90"}
    assert (invoices["due_date"] != "").sum() >= 20
    assert (invoices["paid_amount"] != "").sum() >= 3
    assert payments["payment_id"].is_unique
    # a few payments arrive after the as-of date and must be ignored by the report
    late = pd.to_datetime(payments["payment_date"]) > AS_OF
    assert 1 <= late.sum() <= 5


def test_gbk_ledger_is_the_same_ledger(tables):
    en, zh = tables["invoices"], tables["invoices_gbk"]
    assert list(zh.columns[:4]) == ["客户编号", "客户名称", "发票号", "开票日期"]
    assert (zh["发票号"] == en["invoice_no"]).all()
    amounts = zh["金额"].str.replace(",", "").astype(float)
    assert np.allclose(amounts, en["amount"].astype(float))
    assert (pd.to_datetime(zh["开票日期"], format="%Y/%m/%d")
            == pd.to_datetime(en["invoice_date"])).all()


def _open_items(invoices: pd.DataFrame, payments: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Open invoices at as-of after named allocations, then FIFO by due date (SPEC §3)."""
    inv = invoices.copy()
    inv["cents"] = (inv["amount"].astype(float) * 100).round().astype(int)
    inv["paid"] = (pd.to_numeric(inv["paid_amount"]).fillna(0) * 100).round().astype(int)
    terms = pd.to_numeric(inv["terms_days"]).fillna(30)
    inv["due"] = pd.to_datetime(inv["due_date"]).fillna(
        pd.to_datetime(inv["invoice_date"]) + pd.to_timedelta(terms, unit="D"))
    items = inv[inv["cents"] > 0].set_index("invoice_no")
    open_cents = (items["cents"] - items["paid"]).to_dict()
    credit: dict[str, int] = {}
    for note in inv[inv["cents"] < 0].itertuples():
        open_cents[note.against_invoice] += note.cents
    pays = payments[pd.to_datetime(payments["payment_date"]) <= AS_OF]
    for p in pays.itertuples():
        cents = round(float(p.amount) * 100)
        if p.invoice_no:
            applied = min(cents, open_cents[p.invoice_no])
            open_cents[p.invoice_no] -= applied
            cents -= applied
        credit[p.customer_id] = credit.get(p.customer_id, 0) + cents
    unapplied = {}
    for customer, group in items.sort_values("due").groupby("customer_id"):
        left = credit.get(customer, 0)
        for no in group.index:
            applied = min(left, open_cents[no])
            open_cents[no] -= applied
            left -= applied
        if left:
            unapplied[customer] = left
    items = items.assign(open=pd.Series(open_cents))
    assert (items["open"] >= 0).all()
    items = items[items["open"] > 0]
    return items.assign(days=(AS_OF - items["due"]).dt.days), unapplied


def test_every_aging_case_is_present(tables):
    items, unapplied = _open_items(tables["invoices"], tables["payments"])
    buckets = pd.cut(items["days"], [-10**6, 0, 30, 60, 90, 180, 10**6],
                     labels=["not_due", "1-30", "31-60", "61-90", "91-180", "181+"])
    counts = buckets.value_counts()
    assert (counts >= 3).all(), counts.to_dict()
    assert len(unapplied) >= 1  # an overpaying customer
    # a customer with money owed and no payment at all for more than 180 days
    pays = tables["payments"]
    last = pd.to_datetime(pays["payment_date"]).groupby(pays["customer_id"]).max()
    owing = set(items["customer_id"])
    silent = [c for c in owing if last.get(c, pd.Timestamp("2000-01-01")) < AS_OF - pd.Timedelta(days=180)]
    assert len(silent) >= 1
    assert (items["days"] > 180).groupby(items["customer_id"]).any().sum() >= 2
    # a rated customer with a positive limit owes more than that limit
    rng = np.random.default_rng(samples.DEFAULT_SEED)
    limits = {c.customer_id: c.extra["limit"] for c in samples.make_customers(rng)}
    owed = items.groupby("customer_id")["open"].sum() / 100
    assert any(0 < limits[c] < v for c, v in owed.items())


def test_customer_special_cases(sample_dir, tables):
    customers = tables["customers"].set_index("customer_id")
    first = pd.to_datetime(customers["first_trade_date"])
    months = (AS_OF.year - first.dt.year) * 12 + AS_OF.month - first.dt.month \
        - (AS_OF.day < first.dt.day).astype(int)
    assert (months == 2).any() and (months == 6).any()
    legal = ["business_license", "tax_registration", "special_permit", "general_taxpayer",
             "trademark_license", "contract_orders", "processing_certificate"]
    assert (customers[legal] == "no").all(axis=1).sum() == 1
    assert (customers["tier"] == "key").sum() == 1
    assert (customers["reconciliation"] == "-3").sum() >= 2
    assert (customers["salesperson_advance"] == "yes").sum() >= 1
    assert set(customers["business_type"]) == {"A", "B", "mixed"}
    assert ((customers["business_type"] == "mixed") & (customers["primary_business"] == "")).any()
    assert (customers["annual_profit"].astype(float) <= 0).any()
    # birthdays: full dates, MM-DD, 02-29; lunar names, L-form, day 30
    birthdays = customers["birthday"]
    assert birthdays.str.fullmatch(r"\d{4}-\d\d-\d\d").any()
    assert birthdays.str.fullmatch(r"\d\d-\d\d").any()
    assert birthdays.str.endswith("02-29").any()
    lunar = set(customers["lunar_birthday"])
    assert {"正月初八", "八月十六", "腊月廿三", "L01-08", "腊月三十"} <= lunar
    assert customers["phone"].str.fullmatch(r"1[3-9]\d{9}").all()


def test_customers_xlsx_is_a_chinese_erp_export(sample_dir, tables):
    headers, rows = _xlsx_rows(sample_dir / "customers.xlsx")
    assert headers[:3] == ["客户编号", "客户名称", "业务类型"]
    for needed in ("负责人", "电话", "生日", "农历生日", "上次拜访日期", "区域", "部门", "业务员", "分部"):
        assert needed in headers
    col = {h: i for i, h in enumerate(headers)}
    values = {h: [r[i] for r in rows] for h, i in col.items()}
    assert "125.5万" in values["交易金额"]
    assert any(isinstance(v, float) for v in values["交易金额"])
    assert set(values["营业执照"]) <= {"是", "否"}
    assert {"非常配合", "配合"} <= set(values["合作态度"])
    assert "拒绝对账" in values["对账情况"]
    assert "满负荷" in values["经营状态"]
    assert set(values["业务类型"]) == {"A业务", "B业务", "混合"}
    assert [r[0] for r in rows] == list(tables["customers"]["customer_id"])


def test_previous_quarter_differs_a_little(tables):
    prev, customers = tables["previous"], tables["customers"]
    dropped = set(prev["customer_id"]) - set(customers["customer_id"])
    added = set(customers["customer_id"]) - set(prev["customer_id"])
    assert len(dropped) == 1 and len(added) == 1
    assert set(prev["grade"]) <= {"1", "2", "3", "4"}
    rng = np.random.default_rng(samples.DEFAULT_SEED)
    now = {c.customer_id: c.extra["level"] for c in samples.make_customers(rng)}
    same = sum(now.get(cid) == int(level) for cid, level in zip(prev["customer_id"], prev["final_level"]))
    assert len(prev) * 0.7 <= same < len(prev) - 3


def test_kpi_inputs(sample_dir, tables):
    sales = tables["sales"]
    periods = sorted(set(sales["period"]))
    assert periods[0] == "2025-01" and periods[-1] == "2026-10" and len(periods) == 22
    assert len(sales) == 9 * 22
    # the weak specialist is last among specialists on the manager's score each month
    ap = tables["appraisals"]
    ap = ap[ap["staff_id"].str.startswith("S")].astype({"manager_score": int})
    for period, group in ap.groupby("period"):
        assert group.loc[group["manager_score"].idxmin(), "staff_id"] == samples.WEAK_SPECIALIST
    assert sorted(set(tables["appraisals"]["period"])) == ["2026-08", "2026-09", "2026-10"]
    measures = tables["measures"]
    assert set(measures["measure"]) == {"report_accuracy", "plan_completion"}
    assert (measures["staff_id"] == "A001").all()
    scores = tables["surveys"]["score"].astype(int)
    assert scores.between(1, 5).all()
    headers, rows = _xlsx_rows(sample_dir / "complaints.xlsx")
    assert headers == ["投诉编号", "工号", "客户编号", "投诉时间", "首次响应时间", "结案时间", "状态"]
    assert any(r[5] is None for r in rows)  # some still open
    assert any(r[1] == "S099" for r in rows)
    assert all(r[3] <= r[4] for r in rows)
    assert all(r[5] is None or r[3] < r[5] for r in rows)
    assert len({r[0] for r in rows}) == len(rows)


def test_visit_inputs(tables):
    shipments = pd.to_datetime(tables["shipments"]["ship_date"])
    assert shipments.between("2026-10-15", AS_OF).all()
    assert set(tables["shipments"]["signed"]) == {"yes", "no"}
    tx = pd.to_datetime(tables["transactions"]["date"])
    assert tx.min() >= pd.Timestamp("2026-09-01") and tx.max() <= pd.Timestamp("2026-11-30")
    assert tables["transactions"]["department"].nunique() >= 3
    holidays = tables["holidays"]
    assert set(holidays["kind"]) == {"holiday", "workday"}
    assert pd.to_datetime(holidays["date"]).dt.year.eq(2027).all()
    assert "2027-01-01" in set(holidays["date"])


SCHEMAS = {
    "customers.xlsx": S.CREDIT_CUSTOMERS, "customers.csv": S.VISIT_CUSTOMERS,
    "credit_previous.csv": S.CREDIT_PREVIOUS, "invoices.csv": S.INVOICES,
    "invoices_gbk.csv": S.INVOICES, "payments_gbk.csv": S.PAYMENTS, "org.csv": S.ORG,
    "complaints.xlsx": S.COMPLAINTS, "surveys.csv": S.SURVEYS, "sales.csv": S.SALES,
    "measures.csv": S.MEASURES, "appraisals.csv": S.APPRAISALS, "staff.csv": S.STAFF,
    "transactions.csv": S.TRANSACTIONS, "shipments.csv": S.SHIPMENTS,
    "holidays_2027.csv": S.HOLIDAYS,
}


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_sample_reads_cleanly(sample_dir, name):
    read = pytest.importorskip("cskit.io.read")
    frame, problems, _ = read.read_table(str(sample_dir / name), SCHEMAS[name])
    assert not problems, problems[:3]
    assert len(frame) > 0


def test_xlsx_amounts_read_as_yuan(sample_dir, tables):
    read = pytest.importorskip("cskit.io.read")
    frame, problems, _ = read.read_table(str(sample_dir / "customers.xlsx"), S.CREDIT_CUSTOMERS)
    english = tables["customers"]
    assert np.allclose(frame["annual_sales"].to_numpy(), english["annual_sales"].astype(float))
    assert list(frame["first_trade_date"].dt.strftime("%Y-%m-%d")) == list(english["first_trade_date"])


# --- benchmark files --------------------------------------------------------------------

def test_rows_1000_counts(tmp_path):
    assert samples.main(["--rows", "1000", "--out", str(tmp_path)]) == 0
    expected = {"invoices_1000.csv": 1000, "payments_1000.csv": 500, "customers_1000.csv": 1000,
                "surveys_1000.csv": 1000, "complaints_1000.csv": 1000,
                "visit_customers_1000.csv": 1000, "org_2000.csv": 2000}
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(expected)
    for name, count in expected.items():
        assert len(pd.read_csv(tmp_path / name)) == count, name
    invoices = pd.read_csv(tmp_path / "invoices_1000.csv")
    assert invoices["invoice_no"].is_unique
    assert invoices["customer_id"].nunique() <= 50
    org = pd.read_csv(tmp_path / "org_2000.csv", keep_default_na=False)
    assert set(pd.read_csv(tmp_path / "surveys_1000.csv")["staff_id"]) - set(org["staff_id"]) <= {"S99999"}
    assert set(org["manager_id"]) - {""} <= set(org["staff_id"])
    again = tmp_path / "again"
    samples.main(["--rows", "1000", "--out", str(again)])
    for name in expected:
        assert (again / name).read_bytes() == (tmp_path / name).read_bytes(), name


BENCH_SCHEMAS = {
    "invoices_300.csv": S.INVOICES, "payments_300.csv": S.PAYMENTS,
    "customers_300.csv": S.CREDIT_CUSTOMERS, "surveys_300.csv": S.SURVEYS,
    "complaints_300.csv": S.COMPLAINTS, "org_2000.csv": S.ORG,
    "visit_customers_300.csv": S.VISIT_CUSTOMERS,
}


def test_bench_files_read_cleanly(tmp_path):
    read = pytest.importorskip("cskit.io.read")
    samples.main(["--rows", "300", "--out", str(tmp_path)])
    for name, schema in BENCH_SCHEMAS.items():
        frame, problems, _ = read.read_table(str(tmp_path / name), schema)
        assert not problems, (name, problems[:3])
        assert len(frame) == (2000 if name.startswith("org") else 150 if "payments" in name else 300)


def test_rows_gb18030_and_xlsx_variants(tmp_path):
    samples.main(["--rows", "200", "--out", str(tmp_path), "--format", "gb18030"])
    data = (tmp_path / "invoices_200_gbk.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    frame = pd.read_csv(io.StringIO(data.decode("gb18030")))
    assert len(frame) == 200 and frame.columns[0] == "客户编号"
    samples.main(["--rows", "200", "--out", str(tmp_path), "--format", "xlsx"])
    headers, rows = _xlsx_rows(tmp_path / "invoices_200.xlsx")
    assert headers[2] == "发票号" and len(rows) == 200


def test_rows_rejects_bad_arguments(tmp_path):
    with pytest.raises(SystemExit):
        samples.main(["--rows", "5", "--out", str(tmp_path)])
    with pytest.raises(SystemExit):
        samples.main(["--format", "xlsx", "--out", str(tmp_path)])
