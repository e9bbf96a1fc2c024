"""Messages in two languages: every message written in the package has a
Chinese text with the same fields, and no user-facing message is a bare
English string (SPEC §1.1 --lang; issue: messages in Chinese too)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from cskit.errors import DataError, PolicyError, Problem
from cskit.i18n import Join, Text, fields_of, os_reason, render, set_language

PACKAGE = Path(__file__).resolve().parent.parent / "cskit"
CJK = re.compile(r"[\u4e00-\u9fff]")
# where a message is handed to the user
SINKS = {"DataError", "PolicyError", "UsageError", "OutputError", "warn", "info"}
# dev-only modules whose messages are for developers, not users
DEV_ONLY = {"samples.py"}


def _sources():
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name not in DEV_ONLY:
            yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _texts():
    for path, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Text":
                yield path, node


def _name(func) -> str | None:
    return getattr(func, "id", None) or getattr(func, "attr", None)


def _is_bare_text(node) -> bool:
    """A literal English string (or f-string, or sum of them) as a message."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(re.search(r"[A-Za-z]{2,}", node.value))
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _is_bare_text(node.left) or _is_bare_text(node.right)
    return False


def test_every_text_has_chinese_with_the_same_fields():
    seen = 0
    for path, node in _texts():
        where = f"{path.relative_to(PACKAGE)}:{node.lineno}"
        assert len(node.args) == 2, f"{where}: Text(en, zh, **fields)"
        en, zh = node.args
        assert isinstance(en, ast.Constant) and isinstance(zh, ast.Constant), \
            f"{where}: both texts are literals (fields go in keywords)"
        assert CJK.search(zh.value) or not re.search(r"[A-Za-z]{3,}", zh.value), \
            f"{where}: the Chinese text has no Chinese: {zh.value!r}"
        given = {k.arg for k in node.keywords}
        if None in given:  # **fields: checked at run time
            continue
        used = fields_of(en.value) | fields_of(zh.value)
        assert fields_of(en.value) <= given, f"{where}: English uses {fields_of(en.value) - given}"
        assert fields_of(zh.value) <= given, f"{where}: Chinese uses {fields_of(zh.value) - given}"
        assert given <= used, f"{where}: fields given but not shown: {given - used}"
        seen += 1
    assert seen > 50


def test_no_bare_english_message_reaches_the_user():
    bare = []
    for path, tree in _sources():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _name(node.func)
            args = []
            if name in SINKS:
                args = list(node.args[:1])
            args += [k.value for k in node.keywords if k.arg in ("expected", "hint")]
            if name == "Problem":
                args += list(node.args[1:2])
            if name == "append" and getattr(node.func.value, "id", None) == "problems":
                args += list(node.args[:1])  # policy checks collect messages so
            bare += [f"{path.relative_to(PACKAGE)}:{a.lineno}" for a in args if _is_bare_text(a)]
    assert not bare, "messages without a Chinese text: " + ", ".join(bare)


def test_problem_reads_naturally_in_both_languages():
    problem = Problem(file="invoices.csv", row=5, column="金额", value="abc",
                      expected=Text("an amount", "应为金额"))
    assert problem.render("en") == "invoices.csv, row 5, column 金额: 'abc' — an amount"
    assert problem.render("zh") == "invoices.csv，第 5 行，“金额”列：“abc” — 应为金额"


def test_data_error_counts_and_hint_in_chinese():
    problems = [Problem(file="a.csv", row=r, expected=Text("a date", "应为日期"))
                for r in range(2, 30)]
    error = DataError(problems, hint=Text("Fix it.", "请改正。"))
    text = error.format("zh")
    assert text.count("应为日期") == 20
    assert "……另有 8 处问题" in text and text.endswith("请改正。")
    assert "... and 8 more problems" in error.format("en")


def test_language_follows_the_run_and_nested_fields_render_in_it():
    inner = Text("a number", "数字")
    outer = Text("{key}: expected {kind}", "{key}：应为{kind}", key="days", kind=inner)
    joined = Join(("; ", "；"), [outer, Text("b", "乙")])
    assert joined.render("en") == "days: expected a number; b"
    assert joined.render("zh") == "days：应为数字；乙"
    set_language("zh")
    assert str(PolicyError(outer)) == "days：应为数字"
    set_language("en")
    assert str(PolicyError(outer)) == "days: expected a number"


def test_operating_system_reasons_are_translated():
    import errno

    assert render(os_reason(PermissionError(errno.EACCES, "Permission denied")), "zh") == "没有权限"
    assert "磁盘已满" == render(os_reason(OSError(errno.ENOSPC, "No space left")), "zh")
    odd = render(os_reason(OSError(errno.EXDEV, "Invalid cross-device link")), "zh")
    assert odd.startswith("系统错误") and "cross-device" in odd


def test_strict_mode_refuses_english_only_text_for_chinese_users(monkeypatch):
    monkeypatch.setenv("CSKIT_STRICT_TEXT", "1")
    with pytest.raises(AssertionError):
        render("a message in English only", "zh")
    assert render("a.csv", "zh") == "a.csv"  # a bare path is not a sentence
    assert render("a message in English only", "en") == "a message in English only"


# --- click's own usage errors ------------------------------------------------------
@pytest.mark.parametrize("args,words", [
    (["aging-report", "--lang", "zh"], ["缺少参数 INVOICES", "用法：", "aging-report [OPTIONS] INVOICES"]),
    (["aging-report", "a.csv", "--lang=zh", "--formt", "x"], ["没有选项 --formt", "是不是 '--format'"]),
    (["aging-report", "a.csv", "--lang", "zh", "--format", "x"], ["的值无效", "“x”不是可选值"]),
    (["rollup-kpi", "--lang", "zh"], ["缺少选项 --org"]),
    (["aging-report", "a", "b", "--lang", "zh"], ["多出了参数：b"]),
    (["agin-report", "--lang", "zh"], ["没有命令 agin-report", "aging-report"]),
])
def test_usage_errors_in_chinese(args, words):
    from click.testing import CliRunner

    from cskit.cli import cli

    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    text = result.output + result.stderr
    for word in words:
        assert word in text, text
    assert "Error:" not in text and "错误：" in text


def test_usage_errors_stay_english_by_default():
    from click.testing import CliRunner

    from cskit.cli import cli

    result = CliRunner().invoke(cli, ["aging-report"])
    assert result.exit_code == 2
    assert "Missing argument 'INVOICES'" in result.stderr


def test_chinese_messages_in_a_real_process(tmp_path):
    """The whole path, as cron runs it: CSKIT_LANG=zh, a bad file, exit 1."""
    import os
    import subprocess
    import sys

    bad = tmp_path / "发票.csv"
    bad.write_text("发票号,客户编号,开票日期,金额\nINV1,C1,2026-02-30,100\n", encoding="gb18030")
    env = dict(os.environ, CSKIT_LANG="zh", CSKIT_STRICT_TEXT="1")
    done = subprocess.run([sys.executable, "-m", "cskit", "aging-report", str(bad),
                           "--as-of", "2026-10-31"], capture_output=True, env=env, timeout=60)
    err = done.stderr.decode("utf-8")
    assert done.returncode == 1, err
    assert f"{bad}，第 2 行，“开票日期”列：“2026-02-30”" in err, err
    assert "Traceback" not in err and "内部错误" not in err


def test_english_counts_agree_with_their_nouns():
    # issue 15 item 13: "1 invoices", "1 rows read", "customer(s)"
    import numpy as np

    from cskit.i18n import Text

    line = Text("{path}: {read} rows read, {used} used", "{path}：读入 {read} 行，使用 {used} 行",
                path="a.csv", read=1, used=1)
    assert line.render("en") == "a.csv: 1 row read, 1 used"
    assert line.render("zh") == "a.csv：读入 1 行，使用 1 行"
    assert Text("{n} open invoices", "", n=np.int64(1)).render("en") == "1 open invoice"
    assert Text("{n} open invoices", "", n=2).render("en") == "2 open invoices"
    assert Text("{n} customer(s) over", "", n=1).render("en") == "1 customer over"
    assert Text("{n} customer(s) over", "", n=0).render("en") == "0 customers over"
    assert Text("{n} activities", "", n=1).render("en") == "1 activity"
    # a value is never changed, only the template's noun
    assert Text("{value} rows", "", value="1 rows").render("en") == "1 rows rows"
