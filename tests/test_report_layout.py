"""Reports a director reads without a question (issue 15 items 1, 4, 5, 6)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from cskit.cli import cli
from cskit.reports import model

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def customers(n: int) -> pd.DataFrame:
    return pd.DataFrame({"customer_id": [f"C{i}" for i in range(n)],
                         "customer_name": [f"客户{i}" for i in range(n)],
                         "outstanding": [100.0 + i for i in range(n)],
                         "flags": ["over_limit;dso_over_target"] + [None] * (n - 1)})


def test_cut_table_shows_subtotal_of_shown_rows_and_total_of_all():
    view = model.table_view(customers(5), ["customer_name", "outstanding", "flags"], "zh",
                            "t", limit=2, unit="customers")
    # shown: 100 + 101 = 201; all five: 100 + … + 104 = 510
    assert view["subtotal"] == ["所列 2 行小计", "201.00", ""]
    assert view["totals"] == ["全部 5 个客户合计", "510.00", ""]
    english = model.table_view(customers(5), ["customer_name", "outstanding"], "en", "t",
                               limit=2, unit="customers")
    assert english["subtotal"][0] == "Subtotal of the 2 rows shown"
    assert english["totals"][0] == "Total of all 5 customers"
    whole = model.table_view(customers(2), ["customer_name", "outstanding"], "zh", "t",
                             limit=20)
    assert whole["subtotal"] is None and whole["totals"][0] == "合计"


def test_flags_are_short_words_with_a_legend():
    view = model.table_view(customers(2), ["customer_name", "outstanding", "flags"], "zh", "t")
    assert view["rows"][0][2] == "超限 周转超标"
    assert view["legend"] == "提示：超限 = 超出限额；周转超标 = 周转天数超标"
    english = model.table_view(customers(2), ["customer_name", "flags"], "en", "t")
    assert english["rows"][0][1] == "Limit DSO"
    assert english["legend"] == "Flags: Limit = over limit; DSO = DSO over target"


def _chain(tmp_path) -> list[str]:
    runner = CliRunner()
    credit, aging, visits = (str(tmp_path / n) for n in ("credit.xlsx", "aging.xlsx",
                                                         "visits.xlsx"))
    for args in (["score-credit", str(SAMPLES / "customers.xlsx"), "--as-of", "2026-10-31",
                  "-o", credit],
                 ["aging-report", str(SAMPLES / "invoices.csv"), "--as-of", "2026-10-31",
                  "--credit-limits", credit, "-o", aging],
                 ["visit-plan", credit, "--from", "2026-11-01", "--to", "2026-11-30",
                  "-o", visits]):
        result = runner.invoke(cli, args + ["-q"])
        assert result.exit_code == 0, result.output
    return [credit, aging, visits]


def test_html_report_fits_and_prints(tmp_path):
    credit, aging, visits = _chain(tmp_path)
    out = tmp_path / "r.html"
    result = CliRunner().invoke(cli, ["render-report", "monthly", credit, aging, visits,
                                      "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    # no internal references: the policy is named, not the seed file
    assert "seed" not in html and "target ≤ 75 days (company policy)" in html
    # print: headings kept with what follows, wide parts on landscape pages,
    # table headers repeated, no empty page before a part
    assert "break-after: avoid" in html and "size: A4 landscape" in html
    assert 'class="wide"' in html and "display: table-header-group" in html
    assert 'class="page-break"' not in html
    # the sources name each file once, not each sheet ([Parameters] …)
    footer = html.split('<footer class="doc">')[1]
    assert "[Parameters]" not in footer and footer.count(aging) == 1
    # a customer list cut to 20 rows: subtotal and total, labelled
    assert "Subtotal of the 20 rows shown" in html and "Total of all" in html


def test_visit_plan_report_shows_its_window(tmp_path):
    _, _, visits = _chain(tmp_path)
    for lang, label in (("en", "Plan: 2026-11-01 – 2026-11-30"),
                        ("zh", "计划期间: 2026-11-01 – 2026-11-30")):
        result = CliRunner().invoke(cli, ["render-report", "visit-plan", visits, "--format",
                                          "html", "--lang", lang, "-q"])
        assert result.exit_code == 0, result.output
        assert label in result.stdout
        assert "As of" not in result.stdout.split("</header>")[0]
