"""Hostile input against every command and every option that takes a file
(SPEC §1.3): each case exits 1 naming the file (and the Excel row and column
where the problem is in a cell) or, where the input is legitimately fine,
succeeds — and never shows a traceback or an internal error."""
from __future__ import annotations

import builtins
import errno
import os

import pytest
from click.testing import CliRunner

from cskit.cli import cli
from tests.hostile_corpus import CASES, COMMANDS, OPTIONS, build, good_files


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
