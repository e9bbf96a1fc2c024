"""Hostile input against every command and every option that takes a file
(SPEC §1.3): each case exits 1 naming the file (and the Excel row and column
where the problem is in a cell) or, where the input is legitimately fine,
succeeds — and never shows a traceback or an internal error."""
from __future__ import annotations

import builtins
import csv
import io
import errno
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from cskit.cli import cli

from tests.hostile_corpus import CASES, COMMANDS, GOOD, OPTIONS, build, good_files, mixed, to_csv


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
        from cskit.io import sources  # where input files are opened

        monkeypatch.setattr(sources, "open", _failing_open(made.path), raising=False)
    result = invoke(args, made.stdin)
    return result, made, out


CJK = re.compile(r"[\u4e00-\u9fff]")


def in_chinese(monkeypatch):
    """Run with --lang zh, where a message with no Chinese text is a bug."""
    monkeypatch.setenv("CSKIT_LANG", "zh")
    monkeypatch.setenv("CSKIT_STRICT_TEXT", "1")


def assert_chinese(text, *shown):
    """Every line of the message says something in Chinese beyond the file
    names and values it quotes."""
    for line in text.strip().splitlines():
        for name in shown:
            line = line.replace(str(name), "")
        line = re.sub(r"“[^”]*”", "", line)
        assert CJK.search(line), text


# a Python warning on stderr (overflow in a cast, a library's deprecation) is a
# failure too: the corpus runs with warnings turned into errors
@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("command,option", OPTIONS)
def test_hostile_input(tmp_path, monkeypatch, command, option, case, lang):
    if lang == "zh":
        in_chinese(monkeypatch)
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
    if lang == "zh":
        shown = "标准输入" if made.path == "-" else made.path
        assert_chinese(text, shown, made.path, *files_in(text))
    assert shown in text, text
    if made.row is not None:
        assert (f"第 {made.row} 行" if lang == "zh" else f"row {made.row}") in text, text
    if made.column is not None:
        assert made.column in text, text
    for word in made.words if lang == "en" else ():
        assert word in text, text
    assert len(text) < 6000, "message too long to read"
    assert not out.exists(), "a failed run left an output behind"


def files_in(text):
    """Paths quoted in a message (the other inputs, the output)."""
    return re.findall(r"(/[^\s，：:（）]+)", text)


# --- the --policy file, on every command that takes one --------------------------
POLICY_KEYS = {"score-credit": ("legal", "business_license", "2"),
               "aging-report": (None, "dso_target_days", "75"),
               "rollup-kpi": (None, "cap", "120.0"),
               "visit-plan": (None, "unknown_year", '"error"')}

POLICY_CASES = {
    # case: (bytes of the file, expected exit, words the message must hold)
    "empty": (b"", 0, ()),
    "random_bytes": (bytes(range(256)) * 4, 1, ("not UTF-8",)),
    "latin1": ("# Café\nfoo = 'Müller'\n".encode("latin-1"), 1, ("not UTF-8",)),
    "broken_toml": (b"[legal\nbusiness_license = = 2\n", 1, ("not valid TOML",)),
    "unknown_key": (b"no_such_key = 1\n", 1, ("no_such_key",)),
    "wrong_type": (None, 1, ()),  # the command's own key with a text value
    "vanished": (None, 1, ("does not exist",)),
    "folder": (None, 1, ()),
}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("case", list(POLICY_CASES))
@pytest.mark.parametrize("command", list(POLICY_KEYS))
def test_hostile_policy(tmp_path, monkeypatch, command, case, lang):
    if lang == "zh":
        in_chinese(monkeypatch)
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
        for word in words if lang == "en" else ():
            assert word in text, text
        if lang == "zh":
            assert_chinese(text, policy, *files_in(text))
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
COUNTS = {"en": re.compile(r"^(.+): (\d+) rows read, (\d+) used, (\d+) rejected", re.M),
          "zh": re.compile(r"^(.+)：读入 (\d+) 行，使用 (\d+) 行，剔除 (\d+) 行", re.M)}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("command,option", [o for o in OPTIONS if o[0] != "render-report"])
def test_rejects_account_for_every_row(tmp_path, monkeypatch, command, option, lang):
    if lang == "zh":
        in_chinese(monkeypatch)
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
    counts = {m[1]: tuple(map(int, m.groups()[1:])) for m in COUNTS[lang].finditer(text)}
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
    if lang == "zh":
        assert mine["reject_reason"].str.contains(CJK).all(), mine["reject_reason"].tolist()
    # the rejected rows keep their original values
    header = rows[0]
    for _, rejected_row in mine.iterrows():
        original = rows[int(rejected_row["source_row"]) - 1]
        for column, value in zip(header, original):
            shown = rejected_row.get(column)
            assert (value == "" and pd.isna(shown)) or str(shown) == value, (column, value, shown)


# --- output safety ----------------------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_missing_output_folder_exit_3(tmp_path, monkeypatch, command, lang):
    if lang == "zh":
        in_chinese(monkeypatch)
    spec = COMMANDS[command]
    out = tmp_path / "no" / "such" / "folder" / spec.output
    result = invoke(spec.argv(good_files(command, tmp_path, next(iter(spec.inputs))), str(out)))
    text = assert_no_crash(result)
    assert result.exit_code == 3, text
    assert str(out.parent) in text or str(out) in text, text
    if lang == "zh":
        assert_chinese(text, *files_in(text))


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("command,option", OPTIONS)
def test_output_equal_to_an_input_is_refused(tmp_path, monkeypatch, command, option, lang):
    if lang == "zh":
        in_chinese(monkeypatch)
    spec = COMMANDS[command]
    files = good_files(command, tmp_path, option)
    before = Path(files[option]).read_bytes()
    result = invoke(spec.argv(files, files[option]))
    text = assert_no_crash(result)
    assert result.exit_code in (1, 2), text
    # render-report's tables cannot be reports in the first place
    if lang == "zh":
        assert_chinese(text, *files_in(text))
        assert "拒绝运行" in text or command == "render-report", text
    else:
        assert "refusing to overwrite an input" in text or (
            command == "render-report" and "a report is .html" in text), text
    assert Path(files[option]).read_bytes() == before


# the column of each command's main table that carries a name typed in an input
FORMULA_INPUT = {"score-credit": "@CUSTOMERS", "aging-report": "@INVOICES",
                 "rollup-kpi": "--org", "visit-plan": "@CUSTOMERS"}
EVIL = ["=HYPERLINK(\"http://evil\",\"x\")", "+cmd|' /C calc'!A0", "@SUM(A1)", "-2+3"]


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
@pytest.mark.parametrize("command", list(FORMULA_INPUT))
def test_formula_like_text_is_neutralised(tmp_path, command, ext):
    from openpyxl import load_workbook

    spec = COMMANDS[command]
    option = FORMULA_INPUT[command]
    files = good_files(command, tmp_path, option)
    key = spec.inputs[option]
    rows = [list(r) for r in GOOD[key][1]]
    name = "name" if "name" in rows[0] else "customer_name"
    for row, evil in zip(rows[1:], EVIL):
        row[rows[0].index(name)] = evil
    path = tmp_path / "evil.csv"
    path.write_text(to_csv(rows), encoding="utf-8")
    files[option] = str(path)
    out = tmp_path / f"out.{ext}"
    result = invoke(spec.argv(files, str(out)))
    text = assert_no_crash(result)
    assert result.exit_code == 0, text
    if ext == "csv":
        cells = [c for line in csv.reader(io.StringIO(out.read_text("utf-8-sig"))) for c in line]
    else:
        book = load_workbook(out)
        cells = [c.value for sheet in book for row in sheet.iter_rows() for c in row]
        kinds = {c.data_type for sheet in book for row in sheet.iter_rows() for c in row}
        assert "f" not in kinds, "a formula cell in the output"
    texts = [c for c in cells if isinstance(c, str)]
    assert not [c for c in texts if c[:1] in ("=", "+", "@", "\t", "\r")], texts
    assert any(c == "'" + EVIL[0] for c in texts), texts


# --- real processes ---------------------------------------------------------------
def cskit_process(args, **kwargs):
    return subprocess.run([sys.executable, "-m", "cskit"] + args, capture_output=True,
                          text=True, timeout=120, **kwargs)


@pytest.mark.parametrize("command", ["score-credit", "aging-report", "visit-plan"])
def test_stdin_closed_at_once_in_a_real_process(tmp_path, command):
    spec = COMMANDS[command]
    files = good_files(command, tmp_path, next(iter(spec.inputs)))
    files[next(iter(spec.inputs))] = "-"
    proc = cskit_process(spec.argv(files, str(tmp_path / "out.csv")), stdin=subprocess.DEVNULL)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "standard input" in proc.stderr


def test_stdin_cut_off_mid_row_in_a_real_process(tmp_path):
    # the writer dies half-way through a row: the short row is named
    files = good_files("aging-report", tmp_path)
    feeder = subprocess.Popen([sys.executable, "-c",
                               "import sys; sys.stdout.write('customer_id,invoice_no,"
                               "invoice_date,amount\\nC1,F1,2026-06-01,100\\nC2,F2,2026-0')"],
                              stdout=subprocess.PIPE)
    proc = cskit_process(["aging-report", "-", "--as-of", "2026-10-31", "-o",
                          str(tmp_path / "out.csv")], stdin=feeder.stdout)
    feeder.wait()
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "standard input, row 3" in proc.stderr, proc.stderr
    del files


def test_random_bytes_in_a_real_process(tmp_path):
    path = tmp_path / "customers.xlsx"
    path.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 8)
    proc = cskit_process(["score-credit", str(path), "-o", str(tmp_path / "out.csv")])
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and str(path) in proc.stderr


def big_ledger(path, rows: int, bad_row: int) -> None:
    """ROWS invoices, generated with numpy; Excel row BAD_ROW has an impossible date."""
    rng = np.random.default_rng(7)
    customers = np.char.add("C", rng.integers(1, 5000, rows).astype(str))
    numbers = np.char.add("F", np.arange(rows).astype(str))
    dates = (np.datetime64("2026-01-01") + rng.integers(0, 300, rows)).astype(str)
    amounts = np.char.mod("%.2f", rng.uniform(10, 100000, rows))
    dates[bad_row - 2] = "2026-02-30"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("customer_id,invoice_no,invoice_date,amount\n")
        fh.write("\n".join(",".join(r) for r in zip(customers, numbers, dates, amounts)))
        fh.write("\n")


def test_a_million_rows_with_one_bad_row_near_the_end(tmp_path):
    ledger = tmp_path / "ledger.csv"
    rows, bad_row = 1_000_000, 999_990
    big_ledger(ledger, rows, bad_row)
    out, rejects = tmp_path / "aging.csv", tmp_path / "rejects.csv"
    args = ["aging-report", str(ledger), "--as-of", "2026-10-31", "-o", str(out)]
    stopped = invoke(args)
    assert stopped.exit_code == 1
    assert f"{ledger}, row {bad_row}, column invoice_date: '2026-02-30'" in stopped.output
    carried = invoke(args + ["--rejects", str(rejects)])
    assert carried.exit_code == 0, carried.output
    assert f"{rows} rows read, {rows - 1} used, 1 rejected" in carried.output
    assert pd.read_csv(rejects)["source_row"].tolist() == [bad_row]


def test_sigterm_during_writing_keeps_the_previous_output(tmp_path):
    """A cron timeout kills a run while it writes: the old report stays, and
    no temporary file is left in the folder."""
    ledger = tmp_path / "ledger.csv"
    big_ledger(ledger, 150_000, 100)
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "aging.xlsx"
    out.write_bytes(b"last month's report")
    proc = subprocess.Popen([sys.executable, "-m", "cskit", "aging-report", str(ledger),
                             "--as-of", "2026-10-31", "--rejects", str(tmp_path / "rej.csv"),
                             "-o", str(out)], stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(os.listdir(folder)) < 2 and proc.poll() is None:
        time.sleep(0.005)
    assert proc.poll() is None, "finished before a temporary file appeared"
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert "Traceback" not in err, err
    assert out.read_bytes() == b"last month's report"
    assert os.listdir(folder) == ["aging.xlsx"]


# --- properties on random valid tables ----------------------------------------------
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

PROPERTY = settings(max_examples=12, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
cents = st.integers(min_value=1, max_value=50_000_000)
days = st.integers(min_value=0, max_value=300)


def _date(offset: int) -> str:
    return str(np.datetime64("2026-01-01") + offset)


@PROPERTY
@given(invoices=st.lists(st.tuples(st.integers(1, 6), days, cents, st.integers(0, 100)),
                         min_size=1, max_size=30),
       payments=st.lists(st.tuples(st.integers(1, 6), days, cents), max_size=20),
       broken=st.sets(st.integers(0, 29), max_size=3))
def test_aging_money_reconciles_and_every_row_is_accounted_for(tmp_path, invoices, payments,
                                                               broken):
    # invoice i: customer, day, amount in cents, share already paid (%)
    rows = [["customer_id", "invoice_no", "invoice_date", "amount", "paid_amount"]]
    for i, (customer, day, amount, share) in enumerate(invoices):
        paid = amount * share // 100
        rows.append([f"C{customer}", f"F{i}", _date(day), f"{amount / 100:.2f}",
                     f"{paid / 100:.2f}"])
    bad = {b + 2 for b in broken if b + 2 <= len(rows)}
    for row in bad:
        rows[row - 1][3] = "n/a"
    paid_rows = [["customer_id", "payment_date", "amount"]] + [
        [f"C{c}", _date(d), f"{a / 100:.2f}"] for c, d, a in payments]
    (tmp_path / "inv.csv").write_text(to_csv(rows), encoding="utf-8")
    (tmp_path / "pay.csv").write_text(to_csv(paid_rows), encoding="utf-8")
    args = ["aging-report", str(tmp_path / "inv.csv"), "--as-of", "2026-10-31"]
    if len(paid_rows) > 1:
        args += ["--payments", str(tmp_path / "pay.csv")]
    runs = [invoke(args + ["-o", str(tmp_path / f"out{n}.csv"), "--rejects",
                           str(tmp_path / "rej.csv")]) for n in (1, 2)]
    for result in runs:
        assert_no_crash(result)
    if len(bad) == len(rows) - 1:
        assert runs[0].exit_code in (0, 1)  # nothing left to report on
        return
    assert runs[0].exit_code == 0, runs[0].output
    first, second = (tmp_path / "out1.csv").read_bytes(), (tmp_path / "out2.csv").read_bytes()
    assert first == second  # deterministic
    summary = pd.read_csv(tmp_path / "out1.csv", encoding="utf-8-sig")
    rejected = pd.read_csv(tmp_path / "rej.csv", encoding="utf-8-sig")
    assert sorted(rejected["source_row"]) == sorted(bad)
    used = [i for i in range(len(invoices)) if i + 2 not in bad]
    invoiced = sum(invoices[i][2] - invoices[i][2] * invoices[i][3] // 100 for i in used)
    received = sum(a for _, _, a in payments)
    net = round(summary["net_outstanding"].sum() * 100)
    assert net == invoiced - received
    buckets = summary[["not_due", "1-30", "31-60", "61-90", "91-180", "181+"]].sum(axis=1)
    assert ((buckets * 100).round() == (summary["outstanding"] * 100).round()).all()


@PROPERTY
@given(customers=st.lists(st.tuples(st.sampled_from(["A", "B", "mixed"]), days,
                                    st.booleans(), cents, st.integers(0, 2)),
                          min_size=1, max_size=25),
       broken=st.sets(st.integers(0, 24), max_size=3))
def test_score_credit_every_customer_once_and_deterministic(tmp_path, customers, broken):
    rows = [["customer_id", "business_type", "first_trade_date", "business_license",
             "annual_sales", "cooperation"]]
    for i, (kind, day, licence, sales, coop) in enumerate(customers):
        rows.append([f"C{i}", kind, _date(-day * 10), "yes" if licence else "no",
                     f"{sales / 100:.2f}", str(coop)])
    bad = {b + 2 for b in broken if b + 2 <= len(rows)}
    for row in bad:
        rows[row - 1][2] = "2026-02-30"
    (tmp_path / "c.csv").write_text(to_csv(rows), encoding="utf-8")
    outputs = []
    for n in (1, 2):
        result = invoke(["score-credit", str(tmp_path / "c.csv"), "--as-of", "2026-10-31",
                         "-o", str(tmp_path / f"out{n}.csv"), "--rejects",
                         str(tmp_path / "rej.csv")])
        assert_no_crash(result)
        if len(bad) == len(rows) - 1:
            assert result.exit_code in (0, 1)  # an empty book, or nothing to score
            return
        assert result.exit_code == 0, result.output
        outputs.append((tmp_path / f"out{n}.csv").read_bytes())
    assert outputs[0] == outputs[1]
    scored = pd.read_csv(tmp_path / "out1.csv", encoding="utf-8-sig", dtype=str)
    rejected = pd.read_csv(tmp_path / "rej.csv", encoding="utf-8-sig", dtype=str)
    ids = list(scored["customer_id"]) + list(rejected.get("customer_id", []))
    assert sorted(ids) == sorted(f"C{i}" for i in range(len(customers)))
    assert sorted(rejected["source_row"].astype(int)) == sorted(bad)


@settings(PROPERTY, max_examples=5)
@given(st.data())
def test_visit_plan_and_rollup_kpi_are_deterministic(tmp_path, data):
    command = data.draw(st.sampled_from(["visit-plan", "rollup-kpi"]))
    spec = COMMANDS[command]
    files = good_files(command, tmp_path)
    key = "visit_customers" if command == "visit-plan" else "surveys"
    rows = [list(r) for r in GOOD[key][1]]
    extra = data.draw(st.lists(st.tuples(st.sampled_from(["S1", "S2"]), days,
                                         st.integers(1, 5)), max_size=15))
    for i, (staff, day, number) in enumerate(extra):
        if command == "visit-plan":
            rows.append([f"C{10 + i}", f"Customer {i}", staff, str(number % 4 + 1), "",
                         f"{number:02d}-{day % 28 + 1:02d}", _date(day)])
        else:
            rows.append([staff, _date(day), str(number), f"C{i}"])
    option = "@CUSTOMERS" if command == "visit-plan" else "--surveys"
    files[option] = str(tmp_path / "table.csv")
    (tmp_path / "table.csv").write_text(to_csv(rows), encoding="utf-8")
    outputs = []
    for n in (1, 2):
        result = invoke(spec.argv(files, str(tmp_path / f"out{n}.csv")))
        assert_no_crash(result)
        assert result.exit_code == 0, result.output
        outputs.append((tmp_path / f"out{n}.csv").read_bytes())
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize("where", ["file_as_folder", "read_only", "rejects"])
@pytest.mark.parametrize("command", ["score-credit", "aging-report", "rollup-kpi", "visit-plan"])
def test_unwritable_output_exit_3(tmp_path, command, where):
    spec = COMMANDS[command]
    files = good_files(command, tmp_path, next(iter(spec.inputs)))
    (tmp_path / "a_file").write_text("x")
    out = {"file_as_folder": str(tmp_path / "a_file" / "out.csv"),
           # /sys refuses new files even to root (chmod does not stop root)
           "read_only": "/sys/cskit-out.xlsx",
           "rejects": str(tmp_path / "out.csv")}[where]
    extra = ["--rejects", str(tmp_path / "a_file" / "rej.csv")] if where == "rejects" else []
    result = invoke(spec.argv(files, out) + extra)
    text = assert_no_crash(result)
    assert result.exit_code == 3, text
    assert "cannot write" in text, text
    if where == "rejects":
        assert not (tmp_path / "out.csv").exists()
