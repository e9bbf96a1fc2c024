"""Limits named instead of crashes or hangs (#20 items 12 and 13): policy
values far out of range, lists and tables in cells, JSON nested thousands
deep, Parquet list/struct columns, capacities, and user templates that would
run for ever or write without end."""
from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from cskit.cli import cli
from cskit.reports import render

from tests.hostile_corpus import COMMANDS, good_files


def run(args):
    result = CliRunner().invoke(cli, args, catch_exceptions=True)
    assert "internal error" not in result.output and "Traceback" not in result.output, \
        result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    return result


LEDGER = "customer_id,invoice_no,invoice_date,amount\nC1,F1,2026-06-01,100\n"

POLICIES = {
    "aging": [("dso_window_days = 1e300\n", "dso_window_days", "smaller than 10^15"),
              ("dso_window_days = 9223372036854775807\n", "dso_window_days", "10^15"),
              ("alert_months = 99999\n", "alert_months", "at most 1200"),
              ("buckets = [" + ",".join(str(i) for i in range(1, 200_001)) + "]\n", "buckets",
               "at most 1000 entries"),
              ("dso_target_days = nan\n", "dso_target_days", "finite"),
              ("buckets = " + "[" * 5000 + "]" * 5000 + "\n", None, "deep")],
    "visit": [("[cycles.1]\ndays = 9223372036854775807\n", "cycles.1.days", "10^15"),
              ("[capacity]\nmax_visits_per_day = 1e29\n", None, "10^15")],
}


@pytest.mark.parametrize("kind,case", [(k, i) for k, cases in POLICIES.items()
                                       for i in range(len(cases))])
def test_policy_values_far_out_of_range_are_named(tmp_path, kind, case):
    text, key, words = POLICIES[kind][case]
    policy = tmp_path / "p.toml"
    policy.write_text(text)
    command = "aging-report" if kind == "aging" else "visit-plan"
    spec = COMMANDS[command]
    files = good_files(command, tmp_path, next(iter(spec.inputs)))
    result = run(spec.argv(files, str(tmp_path / "o.csv")) + ["--policy", str(policy)])
    assert result.exit_code == 1, result.output
    assert str(policy) in result.output
    if key:
        assert key in result.output, result.output
    assert words in result.output, result.output


@pytest.mark.parametrize("value", ["1000000000", "36501", "1e9"])
def test_dso_window_beyond_100_years_is_a_usage_error(tmp_path, value):
    (tmp_path / "i.csv").write_text(LEDGER)
    result = run(["aging-report", str(tmp_path / "i.csv"), "--dso-window", value,
                  "-o", str(tmp_path / "o.csv")])
    assert result.exit_code == 2, result.output


@pytest.mark.parametrize("terms", ["9223372036854775808", "99999999999", "36501"])
def test_terms_days_beyond_100_years_is_a_bad_value(tmp_path, terms):
    (tmp_path / "i.csv").write_text("customer_id,invoice_no,invoice_date,amount,terms_days\n"
                                    f"C1,F1,2026-06-01,100,{terms}\n")
    result = run(["aging-report", str(tmp_path / "i.csv"), "--as-of", "2026-10-31",
                  "-o", str(tmp_path / "o.csv")])
    assert result.exit_code == 1 and "row 2, column terms_days" in result.output, result.output


@pytest.mark.parametrize("capacity", ["1e29", "100000000000000", "1001",
                                      "111111111111111111111111111111"])
def test_staff_capacity_out_of_range_is_a_bad_value(tmp_path, capacity):
    files = good_files("visit-plan", tmp_path, "--staff")
    (tmp_path / "staff.csv").write_text("staff_id,name,max_visits_per_day\n"
                                        f"S1,Zhang,{capacity}\nS2,Zhao,2\n")
    files["--staff"] = str(tmp_path / "staff.csv")
    result = run(COMMANDS["visit-plan"].argv(files, str(tmp_path / "o.csv")))
    assert result.exit_code == 1, result.output
    assert "row 2, column max_visits_per_day" in result.output


def test_lists_and_tables_in_json_cells_are_bad_values(tmp_path):
    records = [{"customer_id": "C1", "invoice_no": "F1", "invoice_date": "2026-06-01",
                "amount": 100, "paid_amount": [1, 2]},
               {"customer_id": {"a": 1}, "invoice_no": "F2", "invoice_date": "2026-06-01",
                "amount": 100}]
    (tmp_path / "i.json").write_text(json.dumps(records))
    result = run(["aging-report", str(tmp_path / "i.json"), "--as-of", "2026-10-31",
                  "-o", str(tmp_path / "o.csv")])
    assert result.exit_code == 1
    assert "row 2, column paid_amount: '[1, 2]' — a single value, not a list" in result.output
    assert "row 3, column customer_id" in result.output


@pytest.mark.parametrize("where", ["file", "cell"])
def test_json_nested_5000_deep_is_refused(tmp_path, where):
    deep = "[" * 5000 + "]" * 5000
    text = deep if where == "file" else \
        '[{"customer_id": "C1", "invoice_no": "F1", "x": ' + deep + "}]"
    (tmp_path / "i.json").write_text(text)
    result = run(["aging-report", str(tmp_path / "i.json"), "-o", str(tmp_path / "o.csv")])
    assert result.exit_code == 1 and "nests lists or records too deeply" in result.output


def test_parquet_list_struct_and_tz_aware_columns(tmp_path):
    frame = pd.DataFrame({
        "customer_id": ["C1", "C2"], "invoice_no": ["F1", "F2"],
        "invoice_date": pd.to_datetime(["2026-06-01 09:00", "2026-06-02 00:00"]).tz_localize(
            "Asia/Shanghai"),
        "amount": [100.0, 200.0], "paid_amount": [[1.0], None], "branch": [{"a": 1}, None]})
    frame.to_parquet(tmp_path / "i.parquet")
    result = run(["aging-report", str(tmp_path / "i.parquet"), "--as-of", "2026-10-31",
                  "-o", str(tmp_path / "o.csv")])
    assert result.exit_code == 1
    assert "row 2, column paid_amount: '[1.0]'" in result.output
    assert "row 2, column branch" in result.output
    assert "invoice_date" not in result.output  # the wall-clock dates are read
    result = run(["render-report", "table", str(tmp_path / "i.parquet"), "-o",
                  str(tmp_path / "o.html")])
    assert result.exit_code == 0, result.output


def test_render_report_mixed_time_zones_name_the_row(tmp_path):
    (tmp_path / "t.csv").write_text("customer_id,date,amount\nC1,2026-01-01 09:00,1\n"
                                    "C2,2026-01-02T09:00:00+08:00,2\n")
    result = run(["render-report", "table", str(tmp_path / "t.csv"), "-o",
                  str(tmp_path / "o.html")])
    assert result.exit_code == 1 and "row 3, column date" in result.output


@pytest.mark.parametrize("value", ["1,23", "1234,50", "1e400", "111111111111111111111111111111"])
def test_render_report_reads_amounts_as_the_input_layer_does(tmp_path, value):
    (tmp_path / "t.csv").write_text(f'customer_id,amount\nC1,1\nC2,"{value}"\n')
    result = run(["render-report", "table", str(tmp_path / "t.csv"), "-o",
                  str(tmp_path / "o.html")])
    assert result.exit_code == 1 and "row 3, column amount" in result.output


TEMPLATES = {
    "range": ("{% for i in range(100001) %}x{% endfor %}", "at most 100,000 numbers"),
    "recursion": ("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}", "calls itself"),
    "huge_text": ('{{ "x" * 1000000000 }}', "more than 100,000,000 characters"),
    "nested_loops": ("{% set r = range(99999) %}{% for a in r %}{% for b in r %}{% endfor %}"
                     "{% endfor %}", "ran for more than 1 seconds"),
    "nested_output": ("{% set r = range(99999) %}{% for a in r %}{% for b in r %}{{ a }}"
                      "{% endfor %}{% endfor %}", ("ran for more than 1 seconds",
                                                   "more than 100,000,000 characters")),
}


@pytest.mark.parametrize("case", list(TEMPLATES))
def test_templates_that_would_run_or_write_without_end_are_stopped(tmp_path, monkeypatch, case):
    monkeypatch.setattr(render, "TEMPLATE_SECONDS", 1)
    text, words = TEMPLATES[case]
    template = tmp_path / "t.html.j2"
    template.write_text(text)
    (tmp_path / "t.csv").write_text("customer_id,amount\nC1,1\n")
    result = run(["render-report", str(template), str(tmp_path / "t.csv"), "-o",
                  str(tmp_path / "o.html")])
    assert result.exit_code == 1, result.output
    assert "t.html.j2" in result.output, result.output
    assert any(w in result.output for w in ((words,) if isinstance(words, str) else words)), \
        result.output
    assert not (tmp_path / "o.html").exists()


def test_detail_with_thousands_of_extra_columns_keeps_them_in_order():
    from cskit import aging

    extra = {f"x{i}": [str(i)] * 3 for i in range(3000)}
    invoices = pd.DataFrame({"customer_id": ["C1", "C1", "C2"], "invoice_no": ["F1", "F2", "F3"],
                             "invoice_date": pd.to_datetime(["2026-06-01"] * 3),
                             "amount": [100.0, 50.0, 10.0], **extra}, index=[2, 3, 4])
    detail = aging.aging_report(invoices, as_of="2026-10-31").detail
    assert list(detail.columns[-3000:]) == list(extra)
    assert detail["x2999"].tolist() == ["2999"] * 3
    assert set(detail.index) == {2, 3, 4}
