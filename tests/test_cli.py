"""The command group itself: help, version, defaults, start-up, errors."""
import subprocess
import sys

import pytest
from click.testing import CliRunner

from cskit import __version__
from cskit.cli import cli

COMMANDS = ["score-credit", "aging-report", "rollup-kpi", "visit-plan", "render-report", "defaults"]


def test_group_help_lists_every_command():
    result = CliRunner().invoke(cli, ["-h"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.output


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_examples(name):
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output or "example" in result.output


def test_version():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


@pytest.mark.parametrize("kind", ["credit", "kpi", "visit", "aging"])
def test_defaults_prints_a_loadable_policy(kind):
    import tomllib
    result = CliRunner().invoke(cli, ["defaults", kind])
    assert result.exit_code == 0
    assert tomllib.loads(result.output)


def test_defaults_unknown_kind_is_usage_error():
    assert CliRunner().invoke(cli, ["defaults", "nope"]).exit_code == 2


def test_importing_the_cli_does_not_import_heavy_libraries():
    code = ("import sys, cskit.cli; heavy = [m for m in ('pandas', 'numpy', 'openpyxl', 'jinja2', "
            "'xlsxwriter', 'matplotlib', 'docx') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_real_subprocess_help_and_module_entry_point():
    out = subprocess.run([sys.executable, "-m", "cskit", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "aging-report" in out.stdout
    bad = subprocess.run([sys.executable, "-m", "cskit", "no-such-command"], capture_output=True, text=True)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_defaults_command_knows_every_policy_kind():
    from cskit.commands.defaults import KINDS
    from cskit.policy import KINDS as POLICY_KINDS
    assert KINDS == POLICY_KINDS
