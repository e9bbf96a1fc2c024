"""The money identities checked before a report is written (cskit.reconcile),
and --encoding refusing codecs that are not text encodings."""
from __future__ import annotations

import pandas as pd
import pytest
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
