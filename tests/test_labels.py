"""One label table (issue 15 item 2): every code a command can emit has a
Chinese label, and --lang zh outputs show it; the user's own headers and
data values are never translated (item 3); names sort in pinyin (item 7)."""
from __future__ import annotations

import importlib
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from cskit.cli import cli
from cskit.labels import (CODE_COLUMNS, CODES, LIST_COLUMNS, code_label, code_of, codes_label,
                          name_key, sort_by_name)

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def _constants(module: str, *names: str) -> set[str]:
    """Codes a domain module declares (a module may become a package: its
    names are looked up on whatever ``import`` gives)."""
    found: set[str] = set()
    try:
        mod = importlib.import_module(module)
    except ImportError:  # pragma: no cover - a module renamed away
        return found
    for name in names:
        value = getattr(mod, name, None)
        if isinstance(value, str):
            found.add(value)
        elif isinstance(value, (tuple, list, set, frozenset)):
            found |= {v for v in value if isinstance(v, str)}
        elif isinstance(value, dict):
            found |= {k for k in value if isinstance(k, str)}
    return found


def _declared() -> dict[str, set[str]]:
    """Codes by category from the domain modules' constants and policies."""
    from cskit import policy

    credit = policy.load("credit", None)
    below = f"subjective_below_{credit['downgrades']['subjective_below']:g}"
    aging_mod = importlib.import_module("cskit.aging")
    flags = {getattr(aging_mod, n) for n in dir(aging_mod) if n.startswith("FLAG_")
             and isinstance(getattr(aging_mod, n), str)}
    visit_policy = policy.load("visit", None)
    return {
        "flags": flags | {"first_place", "last_place", "improvement_plan_due",
                          "consider_reassignment", "no_data", "small_sample",
                          # being added by the credit-terms work (seed 004 第四条(2))
                          "unpaid_6m"},
        "status": _constants("cskit.credit", "STATUSES") | {"planned", "provisional",
                                                            "unscheduled"},
        "change": _constants("cskit.credit", "CHANGES"),
        "adjustments": {below, "salesperson_advance"},
        "approver": {"sales_vp", "finance_vp", "general_manager"},
        "business_type": set(importlib.import_module("cskit.schema").BUSINESS.values()),
        "activity": _constants("cskit.visits", "ACTIVITIES")
        | {str(v) for v in _policy_values(visit_policy, "activity")},
        "reason": _constants("cskit.visits", "REASONS", "WORK_REASONS")
        | {"cycle", "birthday", "top_spender"},
        "role": _constants("cskit.kpi", "ROLES"),
        "hold_reason": {"over_limit", "over_term"},
        "bucket": {"not_due", "1-30", "31-60", "61-90", "91-180", "181+"},
    }


def _policy_values(tree, key: str) -> set:
    found = set()
    if isinstance(tree, dict):
        for k, v in tree.items():
            if k.endswith(key) and isinstance(v, str):
                found.add(v)
            found |= _policy_values(v, key)
    elif isinstance(tree, list):
        for v in tree:
            found |= _policy_values(v, key)
    return found


def _emitted() -> dict[str, set[str]]:
    """Codes the commands really write on the samples (every sheet of their
    workbooks), by category."""
    runner = CliRunner()
    found: dict[str, set[str]] = {c: set() for c in set(CODE_COLUMNS.values())}
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        runs = [
            ["score-credit", str(SAMPLES / "customers.xlsx"), "--previous",
             str(SAMPLES / "credit_previous.csv"), "--as-of", "2026-10-31",
             "-o", str(out / "credit.xlsx")],
            ["aging-report", str(SAMPLES / "invoices.csv"), "--payments",
             str(SAMPLES / "payments_gbk.csv"), "--as-of", "2026-10-31", "--credit-limits",
             str(out / "credit.xlsx"), "-o", str(out / "aging.xlsx")],
            ["rollup-kpi", "--org", str(SAMPLES / "org.csv"), "--complaints",
             str(SAMPLES / "complaints.xlsx"), "--surveys", str(SAMPLES / "surveys.csv"),
             "--sales", str(SAMPLES / "sales.csv"), "--invoices", str(SAMPLES / "invoices.csv"),
             "--payments", str(SAMPLES / "payments_gbk.csv"), "--measures",
             str(SAMPLES / "measures.csv"), "--appraisals", str(SAMPLES / "appraisals.csv"),
             "--period", "2026-10", "-o", str(out / "kpi.xlsx")],
            ["visit-plan", str(out / "credit.xlsx"), "--from", "2026-11-01", "--to",
             "2026-11-30", "--staff", str(SAMPLES / "staff.csv"), "--transactions",
             str(SAMPLES / "transactions.csv"), "--shipments", str(SAMPLES / "shipments.csv"),
             "--aging", str(out / "aging.xlsx"), "-o", str(out / "visits.xlsx")],
        ]
        for args in runs:
            result = runner.invoke(cli, args + ["-q"])
            assert result.exit_code == 0, (args, result.output)
            target = Path(args[args.index("-o") + 1])
            for sheet in pd.read_excel(target, sheet_name=None, engine="openpyxl").values():
                for column, category in CODE_COLUMNS.items():
                    if column not in sheet.columns:
                        continue
                    for value in sheet[column].dropna().unique():
                        if not isinstance(value, str):
                            continue
                        parts = value.split(";") if column in LIST_COLUMNS else [value]
                        found[category] |= {p.strip() for p in parts if p.strip()}
    return found


@pytest.mark.skipif(not (SAMPLES / "customers.xlsx").exists(), reason="samples not generated")
def test_every_code_a_command_emits_has_a_chinese_label():
    missing = []
    for source in (_declared(), _emitted()):
        for category, codes in source.items():
            for code in sorted(codes):
                shown = code_label(category, code, "zh")
                if shown == code or not any("\u4e00" <= ch <= "\u9fff" for ch in shown):
                    missing.append(f"{category}: {code}")
    assert not missing, "codes without a Chinese label: " + ", ".join(sorted(set(missing)))


def test_labels_of_codes_other_work_adds():
    # names other changes introduce (issues 14, 17, 18), labelled in advance
    assert code_label("flags", "unpaid_6m", "zh") == "发货6个月未回款"
    assert code_label("hold_reason", "over_limit", "zh") == "超过授信额度"
    assert code_label("hold_reason", "over_term", "zh") == "超过授信期限"
    from cskit.labels import header

    assert header("retention", "zh") == "质保金"
    assert header("fx_difference", "zh") == "汇兑差额"
    assert header("avg_terms_days", "zh") == "平均账期天数"


def test_code_labels_by_hand():
    # seed 004 第十条(5): 授信额度超过50万元的…由总经理审批
    assert code_label("approver", "general_manager", "zh") == "总经理"
    # seed 004 第七条(4)(2): 对主观评价低于10分的下调一个级别
    assert code_label("adjustments", "subjective_below_10", "zh") == "主观评价低于10分"
    assert code_label("bucket", "not_due", "zh") == "未到期"
    assert code_label("bucket", "181+", "zh") == "181天以上"
    assert codes_label("flags", "over_limit;dso_over_target", "zh") == "超出限额、周转天数超标"
    assert codes_label("flags", "over_limit;dso_over_target", "en") == \
        "over_limit;dso_over_target"
    assert codes_label("flags", "over_limit;dso_over_target", "en", words=True) == \
        "over limit, DSO over target"
    # a value that is not a code (the user's own) stays as it is
    assert code_label("status", "待定", "zh") == "待定"
    # labels read back as codes (render-report reading a --lang zh output)
    assert code_of("flags", "超出限额、周转天数超标") == "over_limit;dso_over_target"
    assert code_of("approver", "总经理") == "general_manager"


def test_every_category_has_both_languages():
    for category, table in CODES.items():
        for code, (en, zh) in table.items():
            assert en and zh and any("\u4e00" <= ch <= "\u9fff" for ch in zh), (category, code)


@pytest.mark.skipif(not (SAMPLES / "customers.xlsx").exists(), reason="samples not generated")
def test_zh_output_shows_codes_in_chinese_and_keeps_user_headers(tmp_path):
    out = tmp_path / "credit.csv"
    result = CliRunner().invoke(cli, ["score-credit", str(SAMPLES / "customers.xlsx"),
                                      "--as-of", "2026-10-31", "--lang", "zh", "-q",
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out, dtype=str)
    assert set(frame["审批人"].dropna()) <= {"销售副总", "财务副总经理", "总经理"}
    assert set(frame["状态"].dropna()) <= {"已评级", "新客户未评级", "现款现货"}
    # the sample workbook's own headers of columns cskit only passes through
    assert {"首次交易日期", "负责人"} <= set(frame.columns)
    assert "first_trade_date" not in frame.columns and "owner" not in frame.columns
    # English output: the same user headers, codes as codes
    result = CliRunner().invoke(cli, ["score-credit", str(SAMPLES / "customers.xlsx"),
                                      "--as-of", "2026-10-31", "-q", "--format", "csv"])
    english = pd.read_csv(pd.io.common.StringIO(result.stdout), dtype=str)
    assert {"首次交易日期", "负责人", "approver"} <= set(english.columns)
    assert set(english["approver"].dropna()) <= {"sales_vp", "finance_vp", "general_manager"}


def test_names_sort_in_pinyin_order():
    names = ["张三", "李四", "王五", "阿明", "赵六", "陈七"]
    # code-point order would put 张 (U+5F20) before 李 (U+674E)
    assert sorted(names, key=name_key) == ["阿明", "陈七", "李四", "王五", "张三", "赵六"]
    frame = pd.DataFrame({"staff_name": ["张三", "李四", None, "阿明"], "n": [1, 2, 3, 4]})
    assert sort_by_name(frame, "staff_name")["n"].tolist() == [4, 2, 1, 3]


def test_aging_by_branch_in_pinyin_order(write_text):
    # 华北 (huá běi) before 华东 (huá dōng) before 华南 (huá nán); by code point
    # 东 (U+4E1C) would come first
    path = write_text("inv.csv", "customer_id,invoice_no,invoice_date,due_date,amount,branch\n"
                                 "C1,I1,2026-09-01,2026-09-30,100,华南\n"
                                 "C2,I2,2026-09-01,2026-09-30,100,华东\n"
                                 "C3,I3,2026-09-01,2026-09-30,100,华北\n")
    result = CliRunner().invoke(cli, ["aging-report", path, "--as-of", "2026-10-31", "--by",
                                      "branch", "-q", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = [line.split(",")[0] for line in result.stdout.strip().splitlines()[1:]]
    assert rows == ["华北", "华东", "华南"]
