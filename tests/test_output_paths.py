"""What a run writes (README "Output files"): never over one of its inputs or
another of its outputs, never replacing a device or a pipe, all outputs or
none, exit 3 when an output cannot be written, file names unique per staff
member, no formula in a spreadsheet cell or header, personal numbers masked.

The path matrix is generated from the click commands' own parameters
(cskit.options.path_role says which name files read and which files
written), so an option added later is covered without a new test.
"""
from __future__ import annotations

import csv
import errno
import io
import os
import stat
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import click
import pandas as pd
import pytest
from click.testing import CliRunner

from cskit.cli import cli
from cskit.options import option_name, path_role

from tests.hostile_corpus import COMMANDS, GOOD, good_files, mixed, to_csv


def invoke(args, stdin=None):
    return CliRunner().invoke(cli, args, input=stdin, catch_exceptions=True)


def no_crash(result) -> str:
    text = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert "Traceback" not in text, text
    assert "internal error" not in text, text
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    return text


# --- the matrix, from the commands' parameters ------------------------------------------
# the commands that write files (cskit inspect only prints what it found)
RUN_COMMANDS = [name for name, command in cli.commands.items()
                if any(path_role(p) == "output" for p in command.params)]


def roles(command: str, role: str) -> list[click.Parameter]:
    return [p for p in cli.commands[command].params if path_role(p) == role]


INPUT_PAIRS = [(c, o.name, i.name) for c in RUN_COMMANDS for o in roles(c, "output")
               for i in roles(c, "input")]
OUTPUT_PAIRS = [(c, a.name, b.name) for c in RUN_COMMANDS
                for n, a in enumerate(roles(c, "output")) for b in roles(c, "output")[n + 1:]]


def test_every_command_is_in_the_matrix():
    # a new command that reads files must come with a valid command line in the corpus
    assert set(RUN_COMMANDS) <= set(COMMANDS), set(RUN_COMMANDS) - set(COMMANDS)
    assert {"output", "rejects", "ics_dir"} <= {p for _, p, _ in INPUT_PAIRS}
    assert ("aging-report", "output", "invoices") in INPUT_PAIRS
    assert ("render-report", "output", "template") in INPUT_PAIRS
    assert ("visit-plan", "ics_dir", "holidays") in INPUT_PAIRS


def _param(command: str, name: str) -> click.Parameter:
    return next(p for p in cli.commands[command].params if p.name == name)


def _corpus_param(command: str, option: str) -> click.Parameter:
    for param in cli.commands[command].params:
        if option.startswith("@") and isinstance(param, click.Argument) \
                and option_name(param) == option[1:]:
            return param
        if option in getattr(param, "opts", ()):
            return param
    raise KeyError(option)


def command_line(command: str, folder: Path, values: dict[str, str]) -> list[str]:
    """A valid command line of COMMAND (the corpus's good files), with the
    parameters named in VALUES set to the paths given."""
    spec = COMMANDS[command]
    # the first input, the one under test and those they cannot go without
    wanted = next(iter(spec.inputs))
    for option in spec.inputs:
        if _corpus_param(command, option).name in values:
            wanted = option
    given = {_corpus_param(command, o).name: p
             for o, p in good_files(command, folder, wanted).items()}
    if command == "render-report":
        given["template"] = "table"
    given["output"] = str(folder / spec.output)
    given.update(values)
    args = [command]
    for param in cli.commands[command].params:
        if isinstance(param, click.Argument) and param.name in given:
            args.append(given[param.name])
    for param in cli.commands[command].params:
        if not isinstance(param, click.Argument) and param.name in given:
            args += [param.opts[0], given[param.name]]
    return args + spec.fixed


def _some_input(command: str, name: str, folder: Path) -> str:
    """A file for input parameter NAME: the corpus's own, or any file (the
    check comes before anything is read)."""
    args = command_line(command, folder, {})
    param = _param(command, name)
    if isinstance(param, click.Argument):
        positional = [a for a in args[1:] if not a.startswith("-")]
        arguments = [p for p in cli.commands[command].params if isinstance(p, click.Argument)]
        index = arguments.index(param)
        if index < len(positional) and os.path.isfile(positional[index]):
            return positional[index]
    elif param.opts[0] in args:
        return args[args.index(param.opts[0]) + 1]
    path = folder / f"input_{name}.html"
    path.write_text("<p>{{ title }}</p>\n" if name == "template" else "keep me\n",
                    encoding="utf-8")
    return str(path)


# every pair by the same path; links resolved for -o against each command's first input
LINKED = [(c, o, i, how) for c, o, i in INPUT_PAIRS for how in ("same", "symlink", "hardlink")
          if how == "same" or (o == "output" and i == roles(c, "input")[0].name)]


@pytest.mark.parametrize("command,output,input_,how", LINKED)
def test_an_output_naming_an_input_is_refused_before_anything_is_read(
        tmp_path, command, output, input_, how):
    path = _some_input(command, input_, tmp_path)
    before = Path(path).read_bytes()
    target = {"same": path, "symlink": str(tmp_path / "link.csv"),
              "hardlink": str(tmp_path / "hard.csv")}[how]
    if how == "symlink":
        os.symlink(path, target)
    elif how == "hardlink":
        os.link(path, target)
    args = command_line(command, tmp_path, {input_: path, output: target})
    result = invoke(args)
    text = no_crash(result)
    assert result.exit_code == 2, text
    assert "refusing to overwrite an input" in text, text
    # both options are named
    assert option_name(_param(command, input_)) in text, text
    assert option_name(_param(command, output)) in text, text
    assert Path(path).read_bytes() == before
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


@pytest.mark.parametrize("command,first,second", OUTPUT_PAIRS)
def test_two_outputs_naming_one_file_are_refused(tmp_path, command, first, second):
    same = str(tmp_path / "same.csv")
    result = invoke(command_line(command, tmp_path, {first: same, second: same}))
    text = no_crash(result)
    assert result.exit_code == 2, text
    assert "refusing to write one output over another" in text, text
    assert option_name(_param(command, first)) in text
    assert option_name(_param(command, second)) in text
    assert not os.path.exists(same)


def test_the_refusal_is_in_chinese(tmp_path, monkeypatch):
    monkeypatch.setenv("CSKIT_LANG", "zh")
    files = good_files("aging-report", tmp_path)
    ledger = files["@INVOICES"]
    result = invoke(["aging-report", ledger, "--rejects", ledger, "--as-of", "2026-10-31"])
    assert result.exit_code == 2
    assert f"INVOICES 和 --rejects 指向同一个文件 {ledger}：为免覆盖输入，拒绝运行" in result.output


@pytest.mark.parametrize("command", RUN_COMMANDS)
def test_distinct_outputs_run(tmp_path, command):
    values = {p.name: str(tmp_path / ("calendars" if p.name == "ics_dir" else
                                      f"{p.name}{Path(COMMANDS[command].output).suffix}"))
              for p in roles(command, "output")}
    if "rejects" in values:
        values["rejects"] = str(tmp_path / "rejects.csv")
    result = invoke(command_line(command, tmp_path, values))
    text = no_crash(result)
    assert result.exit_code == 0, text
    assert os.path.isfile(values["output"])


def test_a_calendar_over_the_main_output_is_refused_and_nothing_is_written(tmp_path):
    # the -o file lies in the --ics folder under a staff member's calendar name
    folder = tmp_path / "cal"
    folder.mkdir()
    out = folder / "S1.ics"
    out.write_text("the previous plan")
    args = command_line("visit-plan", tmp_path, {"output": str(out), "ics_dir": str(folder)})
    result = invoke(args + ["--format", "csv"])
    text = no_crash(result)
    assert result.exit_code == 2, text
    assert "-o and --ics both name" in text, text
    assert out.read_text() == "the previous plan"
    assert os.listdir(folder) == ["S1.ics"]


# --- all outputs or none --------------------------------------------------------------
def test_a_failed_calendar_leaves_the_previous_plan_and_rejects(tmp_path):
    out, rejects = tmp_path / "plan.csv", tmp_path / "rejects.csv"
    out.write_text("the previous plan")
    rejects.write_text("the previous rejects")
    folder = tmp_path / "cal"
    (folder / "S2.ics").mkdir(parents=True)  # a calendar that cannot be written
    args = command_line("visit-plan", tmp_path, {"output": str(out), "rejects": str(rejects),
                                                 "ics_dir": str(folder)})
    result = invoke(args)
    text = no_crash(result)
    assert result.exit_code == 3, text
    assert "S2.ics" in text, text
    assert out.read_text() == "the previous plan"
    assert rejects.read_text() == "the previous rejects"
    assert sorted(os.listdir(folder)) == ["S2.ics"]
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


def test_a_new_calendar_folder_is_removed_when_the_run_fails(tmp_path):
    out = tmp_path / "plan.csv"
    out.mkdir()  # -o is a folder: exit 3 before the calendars
    folder = tmp_path / "new" / "cal"
    result = invoke(command_line("visit-plan", tmp_path, {"output": str(out),
                                                          "ics_dir": str(folder)}))
    assert result.exit_code == 3, result.output
    assert not (tmp_path / "new").exists()


# --- special targets ------------------------------------------------------------------
def _is_null_device(path) -> bool:
    st = os.stat(path)
    return stat.S_ISCHR(st.st_mode) and (os.major(st.st_rdev), os.minor(st.st_rdev)) == (1, 3)


@pytest.mark.parametrize("command", RUN_COMMANDS)
def test_dev_null_is_a_sink_and_stays_a_device(tmp_path, command):
    assert _is_null_device("/dev/null")
    values = {"output": "/dev/null"}
    if _param(command, "rejects").hidden is False:
        values["rejects"] = "/dev/null"
    result = invoke(command_line(command, tmp_path, values))
    text = no_crash(result)
    assert result.exit_code == 0, text
    assert _is_null_device("/dev/null")


@pytest.mark.skipif(os.geteuid() != 0, reason="mknod needs root")
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("command", ["score-credit", "aging-report", "rollup-kpi", "visit-plan"])
def test_a_device_is_written_into_not_replaced(tmp_path, command, fmt):
    device = tmp_path / "null"
    os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    args = command_line(command, tmp_path, {"output": str(device), "rejects": str(device)})
    result = invoke(args + ["--format", fmt])
    text = no_crash(result)
    assert result.exit_code == 0, text
    assert _is_null_device(device)
    assert os.listdir(tmp_path).count("null") == 1
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


def _read_fifo(path, sink: list):
    with open(path, "rb") as fh:
        sink.append(fh.read())


@pytest.mark.parametrize("command", RUN_COMMANDS)
def test_a_named_pipe_gets_the_report(tmp_path, command):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=_read_fifo, args=(fifo, got), daemon=True)
    reader.start()
    args = command_line(command, tmp_path, {"output": str(fifo)})
    result = invoke(args)
    reader.join(10)
    if reader.is_alive():  # the run never opened the pipe: release the reader
        try:
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        except OSError:
            pass
        reader.join(10)
    text = no_crash(result)
    assert result.exit_code == 0, text
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert got and len(got[0]) > 20


def test_a_link_to_a_report_is_followed_and_kept(tmp_path):
    real = tmp_path / "reports" / "2026-10.csv"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "latest.csv"
    link.symlink_to(real)
    result = invoke(command_line("aging-report", tmp_path, {"output": str(link)}))
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and real.read_text().startswith("\ufeffcustomer_id")


# --- exit 3 for every output that cannot be written -------------------------------------
@pytest.mark.parametrize("command", RUN_COMMANDS)
def test_an_over_long_output_name_is_exit_3(tmp_path, command):
    suffix = Path(COMMANDS[command].output).suffix
    long = tmp_path / ("a" * 300 + suffix)
    result = invoke(command_line(command, tmp_path, {"output": str(long)}))
    text = no_crash(result)
    assert result.exit_code == 3, text
    assert "the file name is too long" in text, text
    fits = tmp_path / ("b" * 240 + suffix)  # a legal name: its temporary file fits too
    result = invoke(command_line(command, tmp_path, {"output": str(fits)}))
    assert result.exit_code == 0, result.output
    assert fits.exists()


def _disk_full_open(real_open, folder: Path):
    """open() for which every write of cskit's temporary files in FOLDER
    fails as on a full disk."""

    class Full(io.RawIOBase):
        def __init__(self, fh):
            self.fh = fh

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

        def __getattr__(self, name):
            return getattr(self.fh, name)

        def writable(self):
            return True

        def seekable(self):
            return self.fh.seekable()

        def tell(self):
            return self.fh.tell()

        def seek(self, *args):
            return self.fh.seek(*args)

        def close(self):
            self.fh.close()
            super().close()

    def fake(path, mode="r", *args, **kwargs):
        fh = real_open(path, mode, *args, **kwargs)
        name = os.fspath(path) if isinstance(path, (str, bytes, os.PathLike)) else ""
        if isinstance(name, str) and Path(name).parent == folder and Path(name).name.startswith(".") \
                and any(m in mode for m in "wa+"):
            return Full(fh)
        return fh
    return fake


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("command,suffix", [("aging-report", ".xlsx"), ("aging-report", ".csv"),
                                            ("score-credit", ".html"), ("rollup-kpi", ".md"),
                                            ("render-report", ".docx"), ("render-report", ".html"),
                                            ("render-report", ".md"), ("visit-plan", ".xlsx")])
def test_a_full_disk_is_exit_3(tmp_path, monkeypatch, command, suffix):
    import builtins

    out = tmp_path / f"report{suffix}"
    out.write_text("the previous report")
    args = command_line(command, tmp_path, {"output": str(out)})
    fake = _disk_full_open(builtins.open, tmp_path)
    monkeypatch.setattr(builtins, "open", fake)
    monkeypatch.setattr(io, "open", fake)
    result = invoke(args)
    monkeypatch.undo()
    text = no_crash(result)
    assert result.exit_code == 3, text
    assert f"cannot write {out}: the disk is full" in text, text
    assert out.read_text() == "the previous report"
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


def cskit_process(args, **kwargs):
    return subprocess.run([sys.executable, "-m", "cskit"] + args, capture_output=True,
                          text=True, timeout=120, **kwargs)


def _limit_file_size():
    import resource

    resource.setrlimit(resource.RLIMIT_FSIZE, (8000, 8000))


@pytest.mark.parametrize("command,suffix", [("aging-report", ".xlsx"),
                                            ("render-report", ".docx")])
def test_a_file_size_limit_in_a_real_process_is_exit_3(tmp_path, command, suffix):
    # the kernel refuses the write (EFBIG) as it would on a full disk: a real
    # writer's failure, including the ZIP writer a workbook is saved with
    out = tmp_path / f"report{suffix}"
    result = cskit_process(command_line(command, tmp_path, {"output": str(out)}) + ["-q"],
                           preexec_fn=_limit_file_size)
    assert result.returncode == 3, result.stderr
    assert result.stderr.startswith(f"cskit: cannot write {out}:"), result.stderr
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr
    assert not out.exists()


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
@pytest.mark.parametrize("command", RUN_COMMANDS)
def test_standard_output_on_a_full_disk_is_exit_3(tmp_path, command):
    args = [a for a in command_line(command, tmp_path, {}) if a]
    at = args.index("-o")
    args = args[:at] + args[at + 2:]
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "cskit"] + args + ["-q"], stdout=full,
                                stderr=subprocess.PIPE, text=True, timeout=120)
    assert result.returncode == 3, result.stderr
    assert result.stderr == "cskit: cannot write to standard output: the disk is full\n"


def test_a_closed_pipe_ends_quietly(tmp_path):
    ledger = tmp_path / "ledger.csv"
    rows = [GOOD["invoices"][1][0]] + [
        [f"C{i}", f"Name {i}", f"F{i}", "2026-06-01", "2026-07-01", "30", "100.00", "", "",
         "S1", "East"] for i in range(5000)]
    ledger.write_text(to_csv(rows), encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "cskit", "aging-report", str(ledger),
                                "--detail", "--as-of", "2026-10-31"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = process.stdout.readline()
    process.stdout.close()  # as `| head -1` does
    err = process.stderr.read().decode()
    process.wait(120)
    assert first.startswith(b"customer_id")
    assert "Traceback" not in err and "Exception ignored" not in err, err
    assert process.returncode == 0, err


# --- per-staff file names -----------------------------------------------------------
def test_safe_file_names_are_unique_stable_and_short():
    from cskit.io.write import safe_file_name

    ids = ["S 01", "S_01", "S01.", "S/01", "S01", ".", "staff", "s01", "..", "CON",
           "x" * 300, "张三", "a.b"]
    used: set[str] = set()
    names = [safe_file_name(i, used, suffix=".ics") for i in ids]
    assert len({n.lower() for n in names}) == len(ids)
    again: set[str] = set()
    assert names == [safe_file_name(i, again, suffix=".ics") for i in ids]
    # unchanged ids keep their own name; changed ones get a hash of the id
    assert names[1] == "S_01.ics" and names[4] == "S01.ics" and names[6] == "staff.ics"
    assert names[11] == "张三.ics" and names[12] == "a.b.ics"
    assert names[0].startswith("S_01-") and names[3].startswith("S_01-")
    assert names[5].startswith("file-") and names[9].startswith("CON-")
    for name in names:
        assert len(name.encode()) <= 140 and "/" not in name and not name.startswith(".")


def test_one_calendar_per_staff_member_and_the_count_is_true(tmp_path):
    ids = ["S 01", "S_01", "S01.", "S/01", "S01", ".", "staff", "x" * 300]
    rows = [["customer_id", "customer_name", "owner", "grade", "last_visit_date"]]
    rows += [[f"C{n}", f"Customer {n}", staff, "1", "2026-01-01"] for n, staff in enumerate(ids)]
    customers = tmp_path / "customers.csv"
    customers.write_text(to_csv(rows), encoding="utf-8")
    folder = tmp_path / "cal"
    result = invoke(["visit-plan", str(customers), "--from", "2026-11-01", "--to", "2026-11-30",
                     "--as-of", "2026-10-31", "--ics", str(folder),
                     "-o", str(tmp_path / "plan.csv")])
    text = no_crash(result)
    assert result.exit_code == 0, text
    files = os.listdir(folder)
    assert len(files) == len(ids), files
    assert f"calendars: {len(ids)} .ics file" in text, text
    names = {(folder / f).read_text(encoding="utf-8").split("X-WR-CALNAME:")[1].split("\r\n")[0]
             for f in files}
    assert len(names) == len(ids)


# --- formula injection ----------------------------------------------------------------
EVIL_HEADERS = ['=HYPERLINK("http://evil","x")', "@SUM(1+1)", "+cmd", "-1+1"]


def _frame():
    return pd.DataFrame({
        "name": ["=1+1", "ok"],
        EVIL_HEADERS[0]: ["a", "b"],
        EVIL_HEADERS[1]: [1, 2],
        EVIL_HEADERS[2]: [-3.5, 4.0],
        EVIL_HEADERS[3]: [timedelta(days=-3), timedelta(days=1)],
        "span": pd.to_timedelta(["-3 days", "1 day"]),
        "mixed": [pd.Timedelta(days=-2), "-12.5"],
        "amount": [-12.5, 3.0],
    })


def _cells(path: Path, fmt: str) -> list:
    if fmt == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path)
        return [c.value for row in book.worksheets[0].iter_rows() for c in row]
    sep = "\t" if fmt == "tsv" else ","
    return [c for row in csv.reader(io.StringIO(path.read_text("utf-8-sig")), delimiter=sep)
            for c in row]


@pytest.mark.parametrize("fmt", ["csv", "tsv", "xlsx"])
def test_headers_and_cells_of_any_type_are_neutralised(tmp_path, fmt):
    from cskit.io.write import write_rejects, write_report

    path = tmp_path / f"out.{fmt}"
    write_report({"S": _frame()}, str(path))
    rejects = tmp_path / f"rejects.{fmt if fmt != 'tsv' else 'csv'}"
    write_rejects([_frame().assign(source_file="in.csv", source_row=[2, 3],
                                   reject_reason="x")], str(rejects))
    for cells in (_cells(path, fmt), _cells(rejects, fmt if fmt != "tsv" else "csv")):
        texts = [c for c in cells if isinstance(c, str)]
        risky = [c for c in texts if c[:1] in ("=", "+", "@", "\t", "\r")
                 or c[:1] == "-" and not _plain_number(c)]
        assert not risky, risky
        for header in EVIL_HEADERS:
            assert "'" + header in texts
        assert sum(c.startswith("'-3 days") for c in texts) >= 2, texts  # a time span
        assert any(c.startswith("'-2 days") for c in texts), texts  # … in a mixed column
    if fmt == "xlsx":
        # numbers stay numbers
        cells = _cells(path, fmt)
        assert -12.5 in cells and -3.5 in cells


def _plain_number(text: str) -> bool:
    try:
        float(text.replace(",", ""))
        return True
    except ValueError:
        return False


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_a_passed_through_header_is_neutralised_in_output_and_rejects(tmp_path, ext):
    rows, _ = mixed("credit_customers")
    rows = [r + [v] for r, v in zip(rows, [EVIL_HEADERS[0]] + ["-1+1"] * (len(rows) - 1))]
    customers = tmp_path / "customers.csv"
    customers.write_text(to_csv(rows), encoding="utf-8")
    out, rejects = tmp_path / f"out.{ext}", tmp_path / f"rejects.{ext}"
    result = invoke(["score-credit", str(customers), "--as-of", "2026-10-31", "-o", str(out),
                     "--rejects", str(rejects)])
    assert result.exit_code == 0, result.output
    for path in (out, rejects):
        texts = [c for c in _cells(path, ext) if isinstance(c, str)]
        assert "'" + EVIL_HEADERS[0] in texts, texts
        assert not [c for c in texts if c[:1] in ("=", "+", "@") or c == "-1+1"], texts


# --- masking --------------------------------------------------------------------------
MASK_CASES = [
    # (column, value, shown) — the 14 forms of the hostile campaign
    ("手机号码", 13857246816, "138****6816"),              # a phone read as a number
    ("mobile_no", 13857246816.0, "138****6816"),           # … as a float
    ("note", "call 138.5724.6816", "call 138****6816"),  # dots between the groups
    ("note", "１３８５７２４６８１６", "１３８****６８１６"),      # full-width digits
    ("note", "110101 19900307 1234", "110101********1234"),  # ID with spaces
    ("note", "old ID 110101900307123", "old ID 110101*****7123"),  # 15-digit ID
    ("phone", "010 12345678", "010 ****5678"),             # landline, space after area code
    ("身份证号", 110101199003071234, "110101********1234"),  # 18-digit ID as a number
    ("note", "13857246816", "138****6816"),
    ("note", "+86 138 5724 6816", "+86 138****6816"),
    ("note", "138-5724-6816", "138****6816"),
    ("note", "11010119900307123X", "110101********123X"),
    ("id_card", "E12345678", "*****5678"),                 # a passport in an ID column
    ("联系电话", "(021)87654321", "(021)****4321"),
]


@pytest.mark.parametrize("column,value,shown", MASK_CASES)
def test_personal_numbers_are_masked(column, value, shown):
    from cskit.reports.mask import mask_frame

    frame = pd.DataFrame({column: pd.Series([value], dtype=object if isinstance(value, str)
                                            else None), "amount": [1234567.5]})
    masked = mask_frame(frame)
    assert masked[column].iloc[0] == shown
    assert masked["amount"].iloc[0] == 1234567.5  # numbers of other columns stay


def test_not_every_number_is_personal():
    from cskit.reports.mask import mask_frame

    frame = pd.DataFrame({"invoice_no": ["F20261001001", "NO. 2026100100112"],
                          "ID": ["C001", "C002"], "calls_due": [12, 3], "应电话": [5, 1],
                          "customer_id": ["C1", "C2"]})
    assert mask_frame(frame).astype(str).equals(frame.astype(str))


def test_phone_and_id_columns_are_never_read_as_numbers(tmp_path):
    from cskit.io.read import read_workbook

    path = tmp_path / "people.csv"
    path.write_text("客户,手机号码,身份证号,mobile_no,amount\n"
                    "A,13857246816,110101199003071234,13912345678,12\n", encoding="utf-8")
    table = read_workbook(str(path))["people"]
    assert table["身份证号"].iloc[0] == "110101199003071234"
    assert table["手机号码"].iloc[0] == "13857246816"
    assert table["mobile_no"].iloc[0] == "13912345678"
    assert table["amount"].iloc[0] == 12


@pytest.mark.parametrize("ext", ["md", "html", "docx"])
def test_reports_mask_every_form(tmp_path, ext):
    data = tmp_path / "people.csv"
    data.write_text("客户,手机号码,身份证号,备注\n"
                    "A,13857246816,110101199003071234,\"138.5724.6816 / 110101 19900307 1234\"\n"
                    "B,１３８５７２４６８１６,110101900307123,x\n", encoding="utf-8")
    out = tmp_path / f"report.{ext}"
    result = invoke(["render-report", "table", str(data), "-o", str(out)])
    assert result.exit_code == 0, result.output
    if ext == "docx":
        from docx import Document

        doc = Document(str(out))
        text = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    else:
        text = out.read_text(encoding="utf-8")
    for secret in ("5724", "５７２４", "19900307", "900307"):
        assert secret not in text, secret
    assert "138****6816" in text and "110101********1234" in text


@pytest.mark.parametrize("when", ["creating", "created"])
def test_an_interruption_while_the_temporary_file_is_made_leaves_nothing(tmp_path,
                                                                         monkeypatch, when):
    """SIGTERM reaches Python at its next step, whichever thread took it: even
    one step after the temporary file was created, nothing is left behind."""
    import cskit.io.write.paths as paths

    real = paths._create

    def interrupted(path):
        if when == "created":
            real(path)
        raise KeyboardInterrupt

    monkeypatch.setattr(paths, "_create", interrupted)
    out = tmp_path / "aging.csv"
    out.write_text("last month")
    with pytest.raises(KeyboardInterrupt):
        with paths.atomic_path(str(out)) as tmp:
            Path(tmp).write_text("new")
    assert sorted(os.listdir(tmp_path)) == ["aging.csv"]
    assert out.read_text() == "last month"
