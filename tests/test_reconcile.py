"""The money identities checked before a report is written (cskit.reconcile),
and --encoding refusing codecs that are not text encodings."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from click.testing import CliRunner

from cskit import aging, credit, reconcile
from cskit.cli import cli


def run(args):
    return CliRunner().invoke(cli, args, catch_exceptions=True)


LEDGER = ("customer_id,invoice_no,invoice_date,amount,paid_amount\n"
          "C1,F1,2026-06-01,1000,400\nC1,F2,2026-07-01,-100,\nC2,F3,2026-08-01,250.50,\n"
          "C3,F4,2026-12-01,99,\n")  # F4 is after the as-of date: not counted
PAYMENTS = ("customer_id,payment_date,amount\nC1,2026-09-01,300\nC2,2026-10-01,300\n"
            "C9,2026-10-02,10\nC1,2026-11-15,50\n")  # the last is after the as-of date


def frames(tmp_path):
    from cskit import schema
    from cskit.io.read import read_table

    (tmp_path / "i.csv").write_text(LEDGER)
    (tmp_path / "p.csv").write_text(PAYMENTS)
    invoices = read_table(str(tmp_path / "i.csv"), schema.INVOICES)[0]
    payments = read_table(str(tmp_path / "p.csv"), schema.PAYMENTS)[0]
    return invoices, payments


@pytest.mark.parametrize("by", ["customer", "salesperson", "branch"])
def test_aging_reconciles_by_hand(tmp_path, by):
    # 1000 − 100 + 250.50 invoiced − 400 paid − (300 + 300 + 10) received = 140.50
    invoices, payments = frames(tmp_path)
    result = aging.aging_report(invoices, payments, as_of="2026-10-31", by=by)
    assert round(result.summary["net_outstanding"].sum(), 2) == 140.50
    reconcile.aging(invoices, payments, "2026-10-31", result.summary, result.buckets,
                    result.totals)


def test_an_aging_report_that_lost_a_row_is_refused(tmp_path):
    invoices, payments = frames(tmp_path)
    result = aging.aging_report(invoices, payments, as_of="2026-10-31")
    short = result.summary.iloc[1:]
    with pytest.raises(reconcile.ReconciliationError) as caught:
        reconcile.aging(invoices, payments, "2026-10-31", short, result.buckets)
    assert "does not reconcile" in str(caught.value)
    assert "= 140.50" in str(caught.value)


def test_buckets_that_do_not_add_up_are_refused(tmp_path):
    invoices, payments = frames(tmp_path)
    result = aging.aging_report(invoices, payments, as_of="2026-10-31")
    summary = result.summary.copy()
    summary.loc[summary.index[0], result.buckets[-1]] += 0.01
    with pytest.raises(reconcile.ReconciliationError):
        reconcile.aging(invoices, payments, "2026-10-31", summary, result.buckets)


@pytest.mark.parametrize("rejects", [False, True])
def test_the_command_writes_nothing_when_the_check_fails(tmp_path, monkeypatch, rejects):
    # with --rejects, a bad row is set aside (the rejects file must not appear either)
    (tmp_path / "i.csv").write_text(LEDGER + ("C4,F5,2026-06-01,oops,\n" if rejects else ""))
    real = aging.aging_report

    def losing(*args, **kwargs):
        result = real(*args, **kwargs)
        result.summary = result.summary.iloc[1:]
        return result

    monkeypatch.setattr(aging, "aging_report", losing)
    out, rej = tmp_path / "o.csv", tmp_path / "rej.csv"
    args = ["aging-report", str(tmp_path / "i.csv"), "--as-of", "2026-10-31", "-o", str(out)]
    result = run(args + (["--rejects", str(rej)] if rejects else []))
    assert result.exit_code == 1, result.output
    assert "does not reconcile" in result.output
    assert "Traceback" not in result.output
    assert not out.exists() and not rej.exists()


def test_score_credit_exposure_reconciles_and_a_lost_amount_is_refused(tmp_path):
    scored = pd.DataFrame({"customer_id": ["C1", "C2"], "credit_limit": [1000.0, 500.0],
                           "status": [None, None], "reasons": ["", ""]})
    owed = pd.DataFrame({"customer_id": ["C1", "C1", "C2", "C9"],
                         "outstanding": [100.10, 200.0, 600.0, 5.0]})
    result = credit.add_exposure(scored, owed, {"terms": {"grace_days": 0}})
    reconcile.exposure(result, owed)  # 300.10 + 600 = 900.10, C9 not scored
    assert list(result["available_credit"]) == [699.90, -100.0]
    broken = result.copy()
    broken.loc[0, "outstanding"] = 100.10
    with pytest.raises(reconcile.ReconciliationError):
        reconcile.exposure(broken, owed)


@pytest.mark.parametrize("codec", ["rot13", "base64", "hex", "zlib", "bz2", "uu", "quopri",
                                   "punycode", "idna", "unicode_escape"])
def test_codecs_that_are_not_text_encodings_are_refused_by_name(tmp_path, codec):
    (tmp_path / "i.csv").write_text(LEDGER)
    result = run(["aging-report", str(tmp_path / "i.csv"), "--encoding", codec,
                  "--as-of", "2026-10-31", "-o", str(tmp_path / "o.csv")])
    assert result.exit_code == 2, result.output
    assert f"--encoding '{codec}' is not a text encoding" in result.output
    assert "internal error" not in result.output


def test_rollup_kpi_sales_reconcile_at_the_head_and_a_lost_row_is_refused(tmp_path, monkeypatch):
    from cskit import kpi

    from tests.hostile_corpus import good_files

    files = good_files("rollup-kpi", tmp_path)
    args = ["rollup-kpi", "--org", files["--org"], "--sales", files["--sales"],
            "--period", "2026-10", "-o", str(tmp_path / "k.csv")]
    assert run(args).exit_code == 0
    table = pd.read_csv(tmp_path / "k.csv", encoding="utf-8-sig")
    head = table[(table["entity_id"] == "D1") & (table["kpi"] == "target_completion")]
    # GOOD sales of 2026-10: S1 100,000 of 90,000 and S2 80,000 of 100,000
    assert head[["numerator", "denominator"]].values.tolist() == [[180000.0, 190000.0]]
    real = kpi.rollup_kpis

    def losing(*a, **k):
        result = real(*a, **k)
        long = result.long.copy()
        at = long.index[(long["entity_id"] == "D1") & (long["kpi"] == "target_completion")]
        long.loc[at, "numerator"] -= 0.01
        result.long = long
        return result

    monkeypatch.setattr(kpi, "rollup_kpis", losing)
    out = tmp_path / "k2.csv"
    result = run(args[:-1] + [str(out)])
    assert result.exit_code == 1 and "does not reconcile" in result.output, result.output
    assert "target_completion 2026-10 at D1" in result.output and not out.exists()


# --- foreign currency (#19 item 2) -------------------------------------------
# README "Foreign currency": a row's booked rate is amount_local / amount, else
# the latest --fx-rates rate on or before its date; the aging is revalued at
# the latest rate on or before --as-of; allocation stays in each currency.
FX_LEDGER = ("customer_id,invoice_no,invoice_date,amount,currency\n"
             "C1,U1,2026-09-15,1000,USD\nC1,R1,2026-10-01,500,\n")
FX_PAYMENTS = ("customer_id,payment_date,amount,currency,invoice_no\n"
               "C1,2026-10-10,400,USD,U1\nC1,2026-10-11,800,CNY,\nC2,2026-10-20,50,USD,\n")
FX_RATES = ("currency,date,rate\nUSD,2026-09-01,7.10\nUSD,2026-10-01,7.15\n"
            "USD,2026-10-31,7.20\n")


def fx_files(tmp_path, ledger=FX_LEDGER):
    for name, text in (("i.csv", ledger), ("p.csv", FX_PAYMENTS), ("r.csv", FX_RATES)):
        (tmp_path / name).write_text(text)
    return ["aging-report", str(tmp_path / "i.csv"), "--payments", str(tmp_path / "p.csv"),
            "--fx-rates", str(tmp_path / "r.csv"), "--as-of", "2026-10-31"]


def fx_report(tmp_path):
    from cskit import schema
    from cskit.io.read import read_table

    fx_files(tmp_path)
    invoices = read_table(str(tmp_path / "i.csv"), schema.INVOICES, currency_aware=True)[0]
    pays = read_table(str(tmp_path / "p.csv"), schema.PAYMENTS, currency_aware=True)[0]
    rates = read_table(str(tmp_path / "r.csv"), schema.FX_RATES)[0]
    result = aging.aging_report(invoices, pays, as_of="2026-10-31", fx_rates=rates)
    return invoices, pays, rates, result


def check(invoices, pays, rates, result, summary=None, detail=None):
    reconcile.aging(invoices, pays, "2026-10-31",
                    result.summary if summary is None else summary, result.buckets,
                    result.totals, detail=result.detail if detail is None else detail,
                    fx_rates=rates)


def test_usd_with_a_rate_change_and_a_partial_payment_reconciles_by_hand(tmp_path):
    # USD: U1 1,000 on 09-15 (booked 7.10 → 7,100.00); 400 paid 10-10 (at 7.15);
    # C2 pays USD 50 on 10-20 for no invoice. In dollars: 1,000 − 400 − 50 =
    # 550 = 600 open − 50 unapplied. In yuan at the as-of rate 7.20: U1 600 ×
    # 7.20 = 4,320.00, fx_difference 4,320.00 − 600 × 7.10 = +60.00; C2's
    # credit 50 × 7.20 = 360.00. CNY: 500 − 800 = −300 (C1's credit).
    invoices, pays, rates, result = fx_report(tmp_path)
    summary = result.summary.set_index("customer_id")
    assert summary.loc["C1", ["outstanding", "fx_difference", "unapplied_credit",
                              "net_outstanding"]].tolist() == [4320.0, 60.0, -300.0, 4020.0]
    assert summary.loc["C2", ["unapplied_credit", "net_outstanding"]].tolist() == \
        [-360.0, -360.0]
    usd = result.totals["by_currency"]["USD"]
    assert usd["open"] - usd["pools"].sum() == 550_00
    check(invoices, pays, rates, result)
    # The booked local net of the inputs (7,100 + 500 − 400 × 7.15 − 800 − 50
    # × 7.15 = 3,582.50) plus Σ fx_difference (60.00) is 3,642.50, not the net
    # outstanding 3,660.00: 20.00 is realised on the payment (400 × (7.15 −
    # 7.10), out of scope in README) and −2.50 is C2's credit revalued (50 ×
    # (7.20 − 7.15)). That is why the identity is checked in each currency.
    assert round(result.summary["net_outstanding"].sum(), 2) == 3660.0


def test_usd_reconciliation_names_the_currency_when_money_is_lost(tmp_path):
    invoices, pays, rates, result = fx_report(tmp_path)
    result.totals["by_currency"]["USD"]["open"] += 1  # a cent lost by the allocation
    with pytest.raises(reconcile.ReconciliationError) as caught:
        check(invoices, pays, rates, result)
    text = str(caught.value)
    assert "USD: invoices 1,000.00 − paid_amount 0.00 − payments 450.00 = 550.00" in text
    assert "come to 550.01" in text


def _break_allocation(ledger):
    ledger.open_original[0] += 1  # one cent more open on the first item, in its currency
    return ledger


def _break_fx_difference(result):
    result.summary.loc[result.summary.index[0], "fx_difference"] += 0.01
    return result


def _break_credit(result):
    # unapplied credit and net outstanding move together, and so do the
    # totals: only the revaluation of the credit can see it
    at = result.summary.index[result.summary["customer_id"] == "C2"][0]
    result.summary.loc[at, ["unapplied_credit", "net_outstanding"]] -= 0.01
    for key in ("unapplied_credit", "net_outstanding"):
        result.totals[key] = round(result.totals[key] - 0.01, 2)
    return result


@pytest.mark.parametrize("rejects", [False, True])
@pytest.mark.parametrize("mutation", ["allocation", "fx_difference", "credit"])
def test_a_broken_currency_figure_stops_the_run_and_writes_nothing(tmp_path, monkeypatch,
                                                                    mutation, rejects):
    from cskit.aging import report

    args = fx_files(tmp_path, FX_LEDGER + ("C4,F5,2026-06-01,oops,\n" if rejects else ""))
    out, rej = tmp_path / "o.xlsx", tmp_path / "rej.csv"
    args += ["-o", str(out)] + (["--rejects", str(rej)] if rejects else [])
    assert run(args).exit_code == 0
    out.unlink()
    if rejects:
        rej.unlink()
    if mutation == "allocation":
        real_ledger = report._ledger
        monkeypatch.setattr(report, "_ledger", lambda *a, **k: _break_allocation(
            real_ledger(*a, **k)) if k.get("rows") is not None and "as_of" in k
            and "report_as_of" not in k else real_ledger(*a, **k))
    else:
        real = aging.aging_report
        brake = _break_fx_difference if mutation == "fx_difference" else _break_credit
        monkeypatch.setattr(aging, "aging_report", lambda *a, **k: brake(real(*a, **k)))
    result = run(args)
    assert result.exit_code == 1, result.output
    assert "does not reconcile" in result.output and "Traceback" not in result.output
    assert not out.exists() and not rej.exists()
    expected = {"allocation": "USD: invoices 1,000.00",
                "fx_difference": "the summary's fx_difference adds up to 60.01",
                "credit": "the unapplied credit adds up to -660.01, its amounts in each "
                          "currency at their rates to -660.00"}
    assert expected[mutation] in result.output


def test_a_broken_currency_figure_is_refused_in_chinese(tmp_path, monkeypatch):
    real = aging.aging_report
    monkeypatch.setattr(aging, "aging_report", lambda *a, **k: _break_fx_difference(
        real(*a, **k)))
    out = tmp_path / "o.csv"
    result = run(fx_files(tmp_path) + ["-o", str(out), "--lang", "zh"])
    assert result.exit_code == 1
    assert "aging-report：报表与输入数据对不上账，因此没有写出任何文件" in result.output
    assert "汇总表的 fx_difference 合计为 60.01，未结项目合计为 60.00" in result.output
    assert not out.exists()


@settings(max_examples=30, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_multi_currency_ledgers_always_reconcile(tmp_path_factory, data):
    # no false alarm: rates that move, local amounts given or not, payments
    # named or pooled, refunds, payments naming an invoice of another
    # currency with both local amounts, dates after the as-of date
    tmp = tmp_path_factory.mktemp("fx")
    cur = st.sampled_from(["", "USD", "EUR", "美元"])
    day = st.dates(min_value=date(2026, 8, 1), max_value=date(2026, 11, 30))
    cents = st.integers(1, 5_000_000)
    rates = ["currency,date,rate"] + [
        f"{c},{d},{r / 10000}" for c, d, r in data.draw(st.lists(st.tuples(
            st.sampled_from(["USD", "EUR"]), day, st.integers(10_000, 90_000)), max_size=6))]
    rates += ["USD,2026-07-01,7.1234", "EUR,2026-07-01,7.7777"]
    invoices = ["customer_id,invoice_no,invoice_date,amount,currency,amount_local,paid_amount,"
                "salesperson,branch"]
    n = data.draw(st.integers(1, 6))
    for i in range(n):
        c, amount = data.draw(cur), data.draw(cents)
        local = data.draw(st.one_of(st.none(), st.integers(1, 50_000_000))) if c else None
        paid = data.draw(st.integers(0, amount)) if data.draw(st.booleans()) else None
        invoices.append(f"C{data.draw(st.integers(1, 3))},I{i},{data.draw(day)},{amount / 100},"
                        f"{c},{'' if local is None else local / 100},"
                        f"{'' if paid is None else paid / 100},"
                        f"{data.draw(st.sampled_from(['S1', 'S2', '']))},"
                        f"{data.draw(st.sampled_from(['East', '']))}")
    pays = ["customer_id,payment_date,amount,currency,invoice_no,amount_local"]
    for _ in range(data.draw(st.integers(0, 5))):
        c, amount = data.draw(cur), data.draw(st.integers(-100_000, 5_000_000))
        named = data.draw(st.one_of(st.none(), st.integers(0, n - 1)))
        local = data.draw(st.one_of(st.none(), st.integers(1, 50_000_000)))
        pays.append(f"C{data.draw(st.integers(1, 3))},{data.draw(day)},{amount / 100 or 1},{c},"
                    f"{'' if named is None else f'I{named}'},"
                    f"{'' if local is None else local / 100}")
    if len(pays) == 1:  # a payments file needs a row
        pays.append("C1,2026-10-01,1,,,")
    for name, lines in (("i.csv", invoices), ("p.csv", pays), ("r.csv", rates)):
        (tmp / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(["aging-report", str(tmp / "i.csv"), "--payments", str(tmp / "p.csv"),
                  "--fx-rates", str(tmp / "r.csv"), "--as-of", "2026-10-31",
                  "--by", data.draw(st.sampled_from(["customer", "salesperson", "branch"])),
                  "--rejects", str(tmp / "rej.csv"), "-o", str(tmp / "o.csv")])
    assert "does not reconcile" not in result.output, result.output
    assert result.exit_code in (0, 1) and "internal error" not in result.output, result.output


# --- rollup-kpi: the DSO KPI's money (#19 item 2) -------------------------------
KPI_ORG = ("staff_id,name,role,manager_id,branch\nD1,Wang,director,,HQ\n"
           "M1,Li,branch_manager,D1,East\nS1,Zhang,specialist,M1,East\n"
           "S2,Zhao,specialist,M1,East\nS3,Sun,specialist,D1,HQ\n")
KPI_INVOICES = ("customer_id,invoice_no,invoice_date,amount,salesperson\n"
                "C1,F1,2026-06-01,10000,S1\nC1,F2,2026-09-10,3000,S1\n"
                "C2,F3,2026-10-05,2000.50,S2\nC2,F4,2026-10-20,-500,S2\n"
                "C3,F5,2026-09-01,1200,Zhao\nC4,F6,2026-10-10,800,X9\n"
                "C5,F7,2026-11-05,999,S3\nC6,F8,2026-09-15,100,S3\nC6,F9,2026-10-15,-300,S3\n")
KPI_PAYMENTS = ("customer_id,payment_date,amount\nC1,2026-09-20,5000\nC2,2026-10-25,-50\n")


def kpi_args(tmp_path, invoices=KPI_INVOICES):
    for name, text in (("org.csv", KPI_ORG), ("inv.csv", invoices), ("pay.csv", KPI_PAYMENTS)):
        (tmp_path / name).write_text(text)
    return ["rollup-kpi", "--org", str(tmp_path / "org.csv"), "--invoices",
            str(tmp_path / "inv.csv"), "--payments", str(tmp_path / "pay.csv"),
            "--period", "2026-10"]


def test_rollup_kpi_dso_sales_reconcile_by_hand(tmp_path):
    # the DSO window is the 90 days to 2026-10-31 (kpi.toml dso_window_days),
    # 08-02 … 10-31: F1 is before it, F7 after it. Sales of the window per
    # salesperson, each at least 0: S1 3,000.00; S2 2,000.50 − 500 (credit
    # note) + 50 (C2's refund: C2's salesperson is S2's) = 1,550.50, and
    # Zhao (S2's name) 1,200.00; S3 100 − 300 → 0; X9 (not in the org chart,
    # "unassigned") 800.00. M1 = S1 + S2 = 5,750.50; D1 = M1 + S3 + unassigned.
    out = tmp_path / "k.csv"
    result = run(kpi_args(tmp_path) + ["-o", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, encoding="utf-8-sig")
    dso = table[table["kpi"] == "dso_days"].set_index("entity_id")
    assert dso["denominator"].to_dict() == {"D1": 6550.5, "M1": 5750.5, "S1": 3000.0,
                                            "S2": 2750.5, "S3": 0.0, "unassigned": 800.0}
    # the receivable × days adds up the org chart (D1 and M1 sell nothing)
    assert round(dso.loc[["S1", "S2"], "numerator"].sum(), 2) == dso.loc["M1", "numerator"]
    assert round(dso.loc[["M1", "S3", "unassigned"], "numerator"].sum(), 2) == \
        dso.loc["D1", "numerator"]


def _shift_dso(entity, column):
    from cskit import kpi

    real = kpi.rollup_kpis

    def broken(*a, **k):
        result = real(*a, **k)
        long = result.long.copy()
        at = long.index[(long["entity_id"] == entity) & (long["kpi"] == "dso_days")]
        long.loc[at, column] += 0.01
        result.long = long
        return result
    return broken


@pytest.mark.parametrize("rejects", [False, True])
@pytest.mark.parametrize("entity,column,message", [
    ("M1", "denominator", "dso_days 2026-10 at M1: the sales of the DSO window are 5,750.51, "
                          "the invoices of the salespeople below add up to 5,750.50"),
    ("S3", "denominator", "dso_days 2026-10 at S3: the sales of the DSO window are 0.01"),
    ("M1", "numerator", "dso_days 2026-10 at M1: the receivable × days is"),
])
def test_rollup_kpi_a_broken_dso_figure_stops_the_run_and_writes_nothing(
        tmp_path, monkeypatch, rejects, entity, column, message):
    from cskit import kpi

    invoices = KPI_INVOICES + ("C7,F10,2026-10-01,oops,S1\n" if rejects else "")
    out, rej = tmp_path / "k.xlsx", tmp_path / "rej.csv"
    args = kpi_args(tmp_path, invoices) + ["-o", str(out)] + (
        ["--rejects", str(rej)] if rejects else [])
    monkeypatch.setattr(kpi, "rollup_kpis", _shift_dso(entity, column))
    result = run(args)
    assert result.exit_code == 1, result.output
    assert "does not reconcile" in result.output and message in result.output
    assert "Traceback" not in result.output
    assert not out.exists() and not rej.exists()


def test_rollup_kpi_a_broken_dso_figure_is_refused_in_chinese(tmp_path, monkeypatch):
    from cskit import kpi

    monkeypatch.setattr(kpi, "rollup_kpis", _shift_dso("M1", "denominator"))
    out = tmp_path / "k.csv"
    result = run(kpi_args(tmp_path) + ["-o", str(out), "--lang", "zh"])
    assert result.exit_code == 1
    assert "rollup-kpi：报表与输入数据对不上账" in result.output
    assert "dso_days 2026-10（M1）：DSO 计算期内的销售额为 5,750.51，其下各业务员的发票合计为 " \
           "5,750.50" in result.output
    assert not out.exists()


@settings(max_examples=15, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_ledgers_give_dso_figures_that_reconcile(tmp_path_factory, data):
    # no false alarm: salespeople by id, by name, unknown or blank; credit
    # notes, refunds, any window and method, any month
    tmp = tmp_path_factory.mktemp("kpi")
    day = st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31))
    seller = st.sampled_from(["S1", "S2", "Zhao", "X9", "", "D1", "M1"])
    invoices = ["customer_id,invoice_no,invoice_date,amount,salesperson,paid_amount"]
    for i in range(data.draw(st.integers(1, 8))):
        amount = data.draw(st.integers(-300_000, 3_000_000)) or 1
        paid = data.draw(st.integers(0, abs(amount))) if data.draw(st.booleans()) else None
        paid = "" if paid is None else (paid if amount > 0 else -paid) / 100
        invoices.append(f"C{data.draw(st.integers(1, 4))},F{i},{data.draw(day)},{amount / 100},"
                        f"{data.draw(seller)},{paid}")
    pays = ["customer_id,payment_date,amount"] + [
        f"C{data.draw(st.integers(1, 5))},{data.draw(day)},"
        f"{(data.draw(st.integers(-200_000, 2_000_000)) or 1) / 100}"
        for _ in range(data.draw(st.integers(1, 5)))]
    policy = (f"dso_window_days = {data.draw(st.integers(1, 200))}\n"
              f"dso_method = \"{data.draw(st.sampled_from(['average', 'period-end', 'countback']))}\"\n")
    for name, text in (("org.csv", KPI_ORG), ("inv.csv", "\n".join(invoices) + "\n"),
                       ("pay.csv", "\n".join(pays) + "\n"), ("kpi.toml", policy)):
        (tmp / name).write_text(text)
    month = data.draw(st.integers(1, 12))
    result = run(["rollup-kpi", "--org", str(tmp / "org.csv"), "--invoices", str(tmp / "inv.csv"),
                  "--payments", str(tmp / "pay.csv"), "--policy", str(tmp / "kpi.toml"),
                  "--period", f"2026-{month:02d}", "-o", str(tmp / "k.csv")])
    assert "does not reconcile" not in result.output, result.output
    assert result.exit_code == 0, result.output


def test_the_parameters_sheet_shows_the_identity_in_each_currency(tmp_path):
    import openpyxl

    out = tmp_path / "aging.xlsx"
    assert run(fx_files(tmp_path) + ["-o", str(out)]).exit_code == 0
    parameters = dict(list(openpyxl.load_workbook(out)["Parameters"].values)[1:])
    assert parameters["reconciliation USD"] == (
        "invoices 1,000.00 − paid_amount 0.00 − payments 450.00 = open 600.00 − unapplied "
        "credit 50.00")
    assert parameters["reconciliation CNY"] == (
        "invoices 500.00 − paid_amount 0.00 − payments 800.00 = open 0.00 − unapplied "
        "credit 300.00")
