"""Every example in every --help runs on the samples (issue 15 item 12).

The examples name files as a user would (payments.csv, credit_q3.csv…);
a temporary folder holds the samples under those names, plus the outputs
the month-end chain writes (out/aging.xlsx …), and each example line is run
there exactly as printed."""
from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from cskit.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
COMMANDS = ["score-credit", "aging-report", "rollup-kpi", "visit-plan", "render-report",
            "defaults"]
# names in the examples → the sample that stands for them
ALIASES = {"payments.csv": "payments_gbk.csv", "credit_q3.csv": "credit_previous.csv"}


def examples(help_text: str) -> list[str]:
    """The example command lines of a --help text, continuations joined."""
    lines, taking, current = [], False, ""
    for line in help_text.splitlines():
        if line.strip() == "Examples:":
            taking = True
            continue
        if not taking:
            continue
        if not line.strip() or not line.startswith("    "):
            if line.strip() and not line.startswith(" "):
                taking = False
            if not line.strip():
                taking = False
            continue
        text = line.strip()
        current = f"{current} {text}" if current else text
        if current.endswith("\\"):
            current = current[:-1].rstrip()
            continue
        lines.append(current)
        current = ""
    assert not current, f"an example ends with a line continuation: {current!r}"
    return lines


def all_examples() -> list[tuple[str, str]]:
    runner = CliRunner()
    found = [("cskit", line) for line in examples(runner.invoke(cli, ["--help"]).output)]
    for command in COMMANDS:
        result = runner.invoke(cli, [command, "--help"])
        assert result.exit_code == 0, result.output
        found += [(command, line) for line in examples(result.output)]
    return found


def test_help_examples_are_found_and_well_formed():
    found = all_examples()
    per_command = {c for c, _ in found}
    assert per_command >= set(COMMANDS) | {"cskit"}, per_command
    for _, line in found:
        assert line.startswith("cskit "), line
        # a broken continuation leaves a run of spaces inside one line
        assert not re.search(r"\S {4,}\S", line), line


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """The samples under the examples' names, and the chain's outputs."""
    if not (SAMPLES / "customers.xlsx").exists():
        pytest.skip("samples not generated")
    home = tmp_path_factory.mktemp("examples")
    for path in SAMPLES.iterdir():
        shutil.copy(path, home / path.name)
    for name, sample in ALIASES.items():
        shutil.copy(SAMPLES / sample, home / name)
    frame = pd.read_csv(SAMPLES / "invoices.csv", dtype=str)
    frame.to_excel(home / "invoices.xlsx", index=False)
    (home / "templates").mkdir()
    shutil.copytree(ROOT / "templates" / "examples", home / "templates" / "examples")
    # a company's own days off, added to the official calendar (visit-plan --holidays)
    (home / "company_days.csv").write_text("date,kind,name\n2026-12-24,holiday,公司年会\n",
                                           encoding="utf-8")
    (home / "out").mkdir()
    (home / "calendars").mkdir()
    runner = CliRunner()
    chain = [
        "score-credit customers.xlsx --previous credit_previous.csv --as-of 2026-10-31 "
        "-o out/credit.xlsx",
        "score-credit customers.xlsx --previous credit_previous.csv --as-of 2026-10-31 "
        "-o out/credit.csv",
        "score-credit customers.xlsx --as-of 2026-10-31 -o credit.csv",
        "aging-report invoices.csv --payments payments.csv --as-of 2026-10-31 "
        "--credit-limits credit.csv -o aging.csv",
        "aging-report invoices.csv --payments payments.csv --as-of 2026-10-31 "
        "--credit-limits credit.csv -o out/aging.xlsx",
        "rollup-kpi --org org.csv --complaints complaints.xlsx --surveys surveys.csv "
        "--sales sales.csv --invoices invoices.csv --payments payments.csv "
        "--measures measures.csv --appraisals appraisals.csv --period 2026-10 -o out/kpi.xlsx",
        "visit-plan credit.csv --from 2026-11-01 --to 2026-11-30 --staff staff.csv "
        "-o out/visits.xlsx",
    ]
    with _inside(home):
        for line in chain:
            result = runner.invoke(cli, shlex.split(line) + ["-q"])
            assert result.exit_code == 0, (line, result.output)
        for kind in ("credit", "aging"):
            result = runner.invoke(cli, ["defaults", kind])
            (home / f"{kind}.toml").write_text(result.output, encoding="utf-8")
    return home


class _inside:
    def __init__(self, path: Path):
        self.path = path

    def __enter__(self):
        import os

        self.before = os.getcwd()
        os.chdir(self.path)

    def __exit__(self, *exc):
        import os

        os.chdir(self.before)


@pytest.mark.parametrize("command,line", all_examples())
def test_help_example_runs_on_the_samples(folder, command, line):
    words = shlex.split(line)
    assert words[0] == "cskit"
    args, redirect = words[1:], None
    if ">" in args:  # cskit defaults credit > credit.toml
        at = args.index(">")
        args, redirect = args[:at], args[at + 1]
    with _inside(folder):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, (line, result.output)
        if redirect:
            Path(redirect).write_text(result.stdout, encoding="utf-8")
            assert Path(redirect).stat().st_size > 0
