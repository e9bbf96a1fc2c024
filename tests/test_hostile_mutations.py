"""Random mutations of every valid table of the hostile corpus, through every
command and option, with Python warnings turned into errors (#19 deliver):
whatever the file, the run exits 0, 1, 2 or 3; shows no traceback, no
"internal error" and no Python warning; accounts for every row it read
(used + rejected = read); and its money identities hold (cskit.reconcile
would stop the run with "does not reconcile")."""
from __future__ import annotations

import re
import warnings

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

from cskit.cli import cli

from tests.hostile_corpus import COMMANDS, GOOD, OPTIONS, good_files, to_csv

HOSTILE = ["", " ", "1e400", "-inf", "nan", "NaN", "111111111111111111111111111111",
           "1234,50", "1,23", "12 345,67", "#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#SPILL!",
           "9999-12-31", "9999-12-31 00:00:00", "2999-12-31", "1899-12-31", "150000",
           "2026-02-30", "Total", "合计", "小计", "-0", "(5)", "¥1,234.50", "12.5万",
           "=1+1", "\u200b", "Ｃ１", "9" * 400, "-1", "0", "1e15", "1e13", "2**63",
           "9223372036854775808", "true", "是", "2026-10-31T10:00:00+08:00", "\"", "a,b"]

COUNTS = re.compile(r"^(.+): (\d+) rows? read, (\d+) used(?:, (\d+) rejected)?"
                    r"(?:; set aside as not data: (.*))?$", re.M)


def mutate(rows, data):
    rows = [list(r) for r in rows]
    width = len(rows[0])
    for _ in range(data.draw(st.integers(1, 4), label="mutations")):
        kind = data.draw(st.sampled_from(["cell", "cell", "swap", "drop", "copy", "header"]),
                         label="kind")
        r = data.draw(st.integers(1, len(rows) - 1), label="row") if len(rows) > 1 else 0
        c = data.draw(st.integers(0, width - 1), label="column")
        if kind == "cell" and len(rows) > 1:
            rows[r][c] = data.draw(st.sampled_from(HOSTILE) | st.text(max_size=12),
                                   label="value")
        elif kind == "swap" and len(rows) > 1:
            d = data.draw(st.integers(0, width - 1), label="other column")
            rows[r][c], rows[r][d] = rows[r][d], rows[r][c]
        elif kind == "drop" and len(rows) > 2:
            del rows[r]
        elif kind == "copy" and len(rows) > 1:
            rows.append(list(rows[r]))
        elif kind == "header":
            rows[0][c] = data.draw(st.sampled_from(["", "金额", "Total", rows[0][c].upper()]),
                                   label="header")
    return rows


def text_of(result):
    return result.output + (result.stderr if result.stderr_bytes is not None else "")


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_random_mutations_of_every_table_through_every_command(tmp_path_factory, data):
    command, option = data.draw(st.sampled_from(OPTIONS), label="option")
    folder = tmp_path_factory.mktemp("mutation")
    spec = COMMANDS[command]
    rows = mutate(GOOD[spec.inputs[option]][1], data)
    path = folder / "mutated.csv"
    ending = data.draw(st.sampled_from(["\n", "\r\n"]), label="line ending")
    path.write_bytes(to_csv(rows).replace("\n", ending).encode("utf-8"))
    files = good_files(command, folder, option)
    files[option] = str(path)
    args = spec.argv(files, str(folder / spec.output))
    if command != "render-report":
        args += ["--rejects", str(folder / "rejects.csv")]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = CliRunner().invoke(cli, args, catch_exceptions=True)
    text = text_of(result)
    assert result.exit_code in (0, 1, 2, 3), text
    assert "Traceback" not in text and "internal error" not in text, text
    assert "Warning" not in text, text
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert "does not reconcile" not in text, text
    if result.exit_code == 0:
        for match in COUNTS.finditer(text):
            read, used = int(match[2]), int(match[3])
            rejected = int(match[4] or 0)
            # rows that are not data (blank, totals, notes) are counted as set aside
            aside = sum(int(n) for n in re.findall(r"(\d+) [^,;]*?rows?\b", match[5] or ""))
            assert used + rejected + aside == read, text
            if match[1] == str(path):
                assert read <= len(rows) - 1, text


@pytest.mark.parametrize("command,option", OPTIONS)
def test_every_valid_table_runs_with_warnings_as_errors(tmp_path, command, option):
    spec = COMMANDS[command]
    files = good_files(command, tmp_path, option)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = CliRunner().invoke(cli, spec.argv(files, str(tmp_path / spec.output)))
    assert result.exit_code == 0, text_of(result)
