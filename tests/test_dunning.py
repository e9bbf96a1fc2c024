"""Collection letters (render-report dunning): levels from the oldest overdue days,
totals to the cent, the policy's [dunning] table checked."""
from __future__ import annotations

import zipfile

import pandas as pd
import pytest
from click.testing import CliRunner

from cskit import policy
from cskit.cli import cli
from cskit.errors import PolicyError
from cskit.reports import dunning

# aging-report --detail, as it writes it (English headers)
DETAIL = """customer_id,customer_name,invoice_no,invoice_date,due_date,amount,applied,outstanding,days_overdue,bucket,salesperson,branch,flags
X,星星公司,X1,2026-08-01,2026-08-31,1000.00,0.00,1000.00,61,61-90,S1,华东,
X,星星公司,X2,2026-09-20,2026-10-20,300.10,0.00,300.10,11,1-30,S1,华东,
X,星星公司,X3,2026-10-20,2026-11-19,50.00,0.00,50.00,-19,not_due,S1,华东,
Y,月亮公司,Y1,2026-05-01,2026-05-31,2000.00,500.00,1500.00,153,91-180,S2,华南,
Z,太阳公司,Z1,2026-10-10,2026-11-09,80.00,0.00,80.00,-9,not_due,S3,华北,
W,云朵公司,W1,2026-09-01,2026-10-01,70.00,0.00,70.00,30,1-30,S3,华北,
"""


def _detail(write_text):
    from cskit import schema
    from cskit.io.read import read_table

    path = write_text("collections.csv", DETAIL)
    frame, _, _ = read_table(path, schema.AGING_DETAIL)
    return frame, path


def test_levels_follow_the_oldest_overdue_days(write_text):
    frame, _ = _detail(write_text)
    result = dunning.letters(frame, policy.load("aging"), sent="2026-10-31", lang="zh")
    table = result.table.set_index("customer_id")
    # Z has nothing overdue: no letter. Defaults 1–30 提醒函, 31–90 催款函, 91+ 最后通知
    assert sorted(table.index) == ["W", "X", "Y"]
    assert table.loc["W", "level"] == 1 and table.loc["W", "level_name"] == "提醒函"  # 30 days
    assert table.loc["X", "level"] == 2 and table.loc["X", "level_name"] == "催款函"  # 61 days
    assert table.loc["Y", "level"] == 3 and table.loc["Y", "level_name"] == "最后通知"
    # X: overdue 1000.00 + 300.10 (the not-yet-due X3 is not overdue); balance adds X3
    assert table.loc["X", "overdue_total"] == 1300.10 and table.loc["X", "balance"] == 1350.10
    assert table.loc["X", "oldest_days_overdue"] == 61
    assert table.loc["Y", "overdue_total"] == 1500.00
    assert str(table.loc["X", "pay_by_date"].date()) == "2026-11-10"  # sent + 10 days
    assert result.items[result.items["customer_id"] == "X"]["invoice_no"].tolist() == ["X1", "X2"]


def test_dunning_command_writes_letters_and_their_list(write_text, tmp_path):
    _, path = _detail(write_text)
    out = tmp_path / "letters"
    result = CliRunner().invoke(cli, ["render-report", "dunning", path, "--as-of", "2026-10-31",
                                      "--lang", "zh", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "W_云朵公司.docx", "X_星星公司.docx", "Y_月亮公司.docx", "letters.csv"]
    listing = pd.read_csv(out / "letters.csv", encoding="utf-8-sig", dtype=str)
    assert list(listing.columns) == ["客户编号", "客户名称", "负责人", "级别", "函件级别", "逾期金额",
                                     "最长逾期天数", "文件", "发出日期", "付款期限"]
    xml = zipfile.ZipFile(out / "Y_月亮公司.docx").read("word/document.xml").decode()
    for text in ("最后通知", "1,500.00", "人民币壹仟伍佰元整", "诉讼", "2026-11-10", "收款账户"):
        assert text in xml, text
    english = CliRunner().invoke(cli, ["render-report", "dunning", path, "--as-of", "2026-10-31",
                                       "--format", "pdf", "-o", str(tmp_path / "en")])
    assert english.exit_code == 0, english.output
    listing = pd.read_csv(tmp_path / "en" / "letters.csv", encoding="utf-8-sig", dtype=str)
    assert listing["level_name"].tolist() == ["Payment reminder", "Collection letter",
                                              "Final notice"]
    assert (tmp_path / "en" / "Y_月亮公司.pdf").read_bytes().startswith(b"%PDF")


def test_chinese_headers_of_the_detail_are_read(write_text, tmp_path):
    zh = ("客户编号,客户名称,发票号,开票日期,到期日,金额,已核销,应收余额,逾期天数,账龄段,业务员\n"
          "Q,青青公司,Q1,2026-01-05,2026-02-04,10.00,0,10.00,269,181+,S1\n")
    path = write_text("催收.csv", zh)
    result = CliRunner().invoke(cli, ["render-report", "dunning", path, "--as-of", "2026-10-31",
                                      "--format", "html", "-o", str(tmp_path / "h")])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "h" / "Q_青青公司.html").read_text()
    assert "Final notice" in html and "人民币壹拾元整" in html


@pytest.mark.parametrize("body, words", [
    ("[[dunning.levels]]\nlevel = 1\nmin_days = 0\nname = 'a'\nname_en = 'a'\ntext = 'x'\n"
     "text_en = 'x'\n", "min_days"),
    ("[[dunning.levels]]\nlevel = 1\nmin_days = 5\nname = 'a'\nname_en = 'a'\n"
     "text = '{amount}'\ntext_en = 'x'\n", "placeholder"),
    ("[[dunning.levels]]\nlevel = 1\nmin_days = 40\nname = 'a'\nname_en = 'a'\ntext = 'x'\n"
     "text_en = 'x'\n[[dunning.levels]]\nlevel = 2\nmin_days = 10\nname = 'b'\nname_en = 'b'\n"
     "text = 'y'\ntext_en = 'y'\n", "rise"),
    ("[statement]\nreturn_days = -1\n", "return_days"),
])
def test_bad_dunning_policy_is_named(write_text, body, words):
    from cskit import aging

    path = write_text("p.toml", body)
    with pytest.raises(PolicyError) as caught:
        policy.load("aging", path, check=lambda p: aging.check_policy(p)
                    + dunning.check_policy(p))
    assert words in str(caught.value)


def test_defaults_show_the_company_and_dunning_tables():
    result = CliRunner().invoke(cli, ["defaults", "aging"])
    for text in ("[company]", "bank_account", "[statement]", "return_days", "[[dunning.levels]]",
                 "最后通知", "××"):
        assert text in result.output


@pytest.mark.parametrize("rejects", [False, True])
@pytest.mark.parametrize("column,message", [
    ("overdue_total", "overdue_total is not the sum of the customer's overdue items: 1 "
                      "letter, first X (1,300.11 instead of 1,300.10)"),
    ("balance", "balance is not the sum of the customer's open items: 1 letter, first X "
                "(1,350.11 instead of 1,350.10)"),
])
def test_letters_that_do_not_add_up_are_never_written(write_text, tmp_path, monkeypatch,
                                                      column, message, rejects):
    # #19 item 2: X's letter: 1,000.00 + 300.10 overdue (X3 is not due), balance
    # 1,350.10 with X3 — checked against the open items before anything is written
    path = write_text("collections.csv", DETAIL + (
        "V,风公司,V1,2026-09-01,2026-10-01,10.00,0.00,oops,30,1-30,S3,华北,\n"
        if rejects else ""))
    real = dunning.letters

    def broken(*args, **kwargs):
        result = real(*args, **kwargs)
        result.table.loc[result.table["customer_id"] == "X", column] += 0.01
        return result

    monkeypatch.setattr(dunning, "letters", broken)
    out, rej = tmp_path / "letters", tmp_path / "rej.csv"
    out.mkdir()
    result = CliRunner().invoke(cli, ["render-report", "dunning", path, "--as-of", "2026-10-31",
                                      "-o", str(out)] + (["--rejects", str(rej)] if rejects
                                                         else []))
    assert result.exit_code == 1, result.output
    assert "render-report dunning: the report does not reconcile" in result.output
    assert message in result.output
    assert not list(out.iterdir()) and not rej.exists()
