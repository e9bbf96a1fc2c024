"""Hostile input against every command and every option that takes a file
(SPEC §1.3): each case exits 1 naming the file (and the Excel row and column
where the problem is in a cell) or, where the input is legitimately fine,
succeeds — and never shows a traceback or an internal error."""
from __future__ import annotations

import builtins
import errno
import os
import re

import pandas as pd
import pytest
from click.testing import CliRunner

from cskit.cli import cli

from tests.hostile_corpus import CASES, COMMANDS, OPTIONS, build, good_files, mixed, to_csv


def invoke(args, stdin=None):
    return CliRunner().invoke(cli, args, input=stdin, catch_exceptions=True)


def assert_no_crash(result):
    text = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert "Traceback" not in text, text
    assert "internal error" not in text, text
    # an exception that escaped the CLI's handler (CliRunner swallows its traceback)
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    return text


def _failing_open(target):
    real = builtins.open

    class Broken:
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def read(self, *args):
            self.fh.read(10)
            raise OSError(errno.EIO, "Input/output error")

    def fake(path, *args, **kwargs):
        fh = real(path, *args, **kwargs)
        if os.fspath(path) == target:
            return Broken(fh)
        return fh
    return fake


def run_case(tmp_path, monkeypatch, command, option, case):
    spec = COMMANDS[command]
    made = build(case, spec.inputs[option], tmp_path)
    if made.path is None:
        return None, made, None
    files = good_files(command, tmp_path, option)
    files[option] = made.path
    out = tmp_path / spec.output
    args = spec.argv(files, str(out))
    if made.remove:
        os.remove(made.path)
    if made.io_error:
        from cskit.io import read

        monkeypatch.setattr(read, "open", _failing_open(made.path), raising=False)
    result = invoke(args, made.stdin)
    return result, made, out


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("command,option", OPTIONS)
def test_hostile_input(tmp_path, monkeypatch, command, option, case):
    result, made, out = run_case(tmp_path, monkeypatch, command, option, case)
    if result is None:
        pytest.skip(f"{case}: {option} has no column of that kind")
    text = assert_no_crash(result)
    if made.expect == "ok":
        assert result.exit_code == 0, text
        assert out.exists()
        return
    if made.expect == "either":
        assert result.exit_code in (0, 1), text
        if result.exit_code == 0:
            return
    assert result.exit_code == 1, text
    shown = "standard input" if made.path == "-" else made.path
    assert shown in text, text
    if made.row is not None:
        assert f"row {made.row}" in text, text
    if made.column is not None:
        assert made.column in text, text
    for word in made.words:
        assert word in text, text
    assert len(text) < 6000, "message too long to read"
    assert not out.exists(), "a failed run left an output behind"


# --- the --policy file, on every command that takes one --------------------------
POLICY_KEYS = {"score-credit": ("legal", "business_license", "2"),
               "aging-report": (None, "dso_target_days", "75"),
               "rollup-kpi": (None, "cap", "120.0"),
               "visit-plan": (None, "unknown_year", '"error"')}

POLICY_CASES = {
    # case: (bytes of the file, expected exit, words the message must hold)
    "empty": (b"", 0, ()),
    "random_bytes": (bytes(range(256)) * 4, 1, ("not valid TOML",)),
    "latin1": ("# Café\nfoo = 'Müller'\n".encode("latin-1"), 1, ("not valid TOML",)),
    "broken_toml": (b"[legal\nbusiness_license = = 2\n", 1, ("not valid TOML",)),
    "unknown_key": (b"no_such_key = 1\n", 1, ("no_such_key",)),
    "wrong_type": (None, 1, ()),  # the command's own key with a text value
    "vanished": (None, 1, ("does not exist",)),
    "folder": (None, 1, ()),
}


@pytest.mark.parametrize("case", list(POLICY_CASES))
@pytest.mark.parametrize("command", list(POLICY_KEYS))
def test_hostile_policy(tmp_path, command, case):
    data, code, words = POLICY_CASES[case]
    spec = COMMANDS[command]
    policy = tmp_path / "policy.toml"
    table, key, _ = POLICY_KEYS[command]
    if case == "wrong_type":
        data = ((f"[{table}]\n" if table else "") + f'{key} = [["x"]]\n').encode()
        words = (key,)
    if case == "folder":
        policy.mkdir()
    elif data is not None:
        policy.write_bytes(data)
    files = good_files(command, tmp_path, next(iter(spec.inputs)))
    out = tmp_path / spec.output
    result = invoke(spec.argv(files, str(out)) + ["--policy", str(policy)])
    text = assert_no_crash(result)
    assert result.exit_code == code, text
    if code:
        assert str(policy) in text, text
        for word in words:
            assert word in text, text
        assert not out.exists()


# --- render-report's own template -------------------------------------------------
TEMPLATE_CASES = {
    "empty.html.j2": (b"", 0),
    "random.html.j2": (bytes(range(256)) * 4, 1),
    "latin1.html.j2": ("<p>Café {{ title }}</p>".encode("latin-1"), 1),
    "broken.html.j2": (b"{% for x in %}", 1),
    "random.docx": (bytes(range(256)) * 4, 1),
    "text_named.docx": (b"{{ title }}", 1),
}


@pytest.mark.parametrize("name", list(TEMPLATE_CASES))
def test_hostile_template(tmp_path, name):
    data, code = TEMPLATE_CASES[name]
    template = tmp_path / name
    template.write_bytes(data)
    files = good_files("render-report", tmp_path)
    out = tmp_path / ("out.docx" if name.endswith(".docx") else "out.html")
    result = invoke(["render-report", str(template), files["@DATA"], "-o", str(out)])
    text = assert_no_crash(result)
    assert result.exit_code == code, text
    if code:
        assert name in text, text
        assert not out.exists()


# --- --rejects: every row used or set aside, and the counts add up ------------------
COUNTS = re.compile(r"^(.+): (\d+) rows read, (\d+) used, (\d+) rejected", re.M)


@pytest.mark.parametrize("command,option", [o for o in OPTIONS if o[0] != "render-report"])
def test_rejects_account_for_every_row(tmp_path, command, option):
    spec = COMMANDS[command]
    rows, bad = mixed(spec.inputs[option], command)
    if not bad:
        pytest.skip(f"{option}: no column that can be broken")
    files = good_files(command, tmp_path, option)
    files[option] = str(tmp_path / "mixed.csv")
    (tmp_path / "mixed.csv").write_text(to_csv(rows), encoding="utf-8")
    rejects = tmp_path / "rejects.csv"
    out = tmp_path / spec.output
    result = invoke(spec.argv(files, str(out)) + ["--rejects", str(rejects)])
    text = assert_no_crash(result)
    assert result.exit_code == 0, text
    counts = {m[1]: tuple(map(int, m.groups()[1:])) for m in COUNTS.finditer(text)}
    read, used, rejected = counts[files[option]]
    assert read == len(rows) - 1 and used + rejected == read, text
    # every other input is used whole
    for path in files.values():
        if path != files[option]:
            assert counts[path][2] == 0, text
    table = pd.read_csv(rejects, dtype=str, encoding="utf-8-sig")
    mine = table[table["source_file"] == files[option]]
    assert set(mine["source_row"].astype(int)) == bad, table.to_string()
    assert len(mine) == rejected == len(bad)
    assert mine["reject_reason"].str.len().gt(0).all()
    # the rejected rows keep their original values
    header = rows[0]
    for _, rejected_row in mine.iterrows():
        original = rows[int(rejected_row["source_row"]) - 1]
        for column, value in zip(header, original):
            shown = rejected_row.get(column)
            assert (value == "" and pd.isna(shown)) or str(shown) == value, (column, value, shown)
