"""`cskit --help` starts fast: the commands are imported only when one of
them runs or shows its help, and the help reads exactly as when every
command was imported up front."""
from __future__ import annotations

import os
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from cskit.cli import COMMANDS, CskitGroup, cli

HEAVY = ("pandas", "numpy", "pyarrow", "openpyxl", "jinja2", "xlsxwriter", "docx", "duckdb",
         "polars")


def eager_group() -> click.Group:
    """The group as it was: every command imported and added, click's own listing."""
    class Eager(CskitGroup):
        format_commands = click.Group.format_commands
        get_command = click.Group.get_command

    return Eager(name=cli.name, commands={name: cli.commands[name] for name in COMMANDS},
                 params=cli.params, help=cli.help, callback=cli.callback,
                 context_settings=cli.context_settings)


def help_text(group, args, width):
    result = CliRunner().invoke(group, args, prog_name="cskit", terminal_width=width)
    assert result.exit_code == 0, result.output
    return result.output


def test_every_summary_is_the_first_paragraph_of_the_commands_help():
    for name, (_, _, summary) in COMMANDS.items():
        command = cli.commands[name]
        assert command.name == name
        first = command.help.split("\n\n")[0]
        assert " ".join(first.split()) == summary, name
        assert not command.short_help and not command.hidden and not command.deprecated


@pytest.mark.parametrize("width", [40, 60, 80, 100, 140])
def test_help_is_the_same_as_with_every_command_imported(width):
    eager = eager_group()
    assert help_text(cli, ["--help"], width) == help_text(eager, ["--help"], width)
    for name in COMMANDS:
        assert help_text(cli, [name, "--help"], width) == help_text(eager, [name, "--help"],
                                                                     width), name
    assert list(cli.commands) == list(COMMANDS)


def modules_after(args):
    code = ("import sys\nfrom cskit.cli import cli\ntry:\n"
            f"    cli.main({args!r}, prog_name='cskit')\nexcept SystemExit:\n    pass\n"
            "print(' '.join(sorted(m for m in sys.modules if m.startswith('cskit') "
            f"or m.split('.')[0] in {HEAVY!r})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    return out.stdout.split("\n")[-2].split()


def test_cskit_help_imports_no_command():
    assert modules_after(["--help"]) == ["cskit", "cskit.cli"]


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_commands_help_imports_that_command_and_no_heavy_library(name):
    loaded = modules_after([name, "--help"])
    assert COMMANDS[name][0] in loaded
    others = {module for other, (module, _, _) in COMMANDS.items() if other != name}
    assert not others & set(loaded)
    assert not [m for m in loaded if m.split(".")[0] in HEAVY]


@pytest.mark.parametrize("given, kept", [(None, "0"), ("1", "1")])
def test_numpy_is_told_not_to_ask_for_huge_pages_unless_the_user_says(given, kept):
    # a real run: the setting must be in place before numpy is first imported
    code = ("import os, sys\n"
            "from cskit.cli import main\n"
            "try:\n"
            "    main(['defaults', 'aging'])\n"
            "except SystemExit:\n"
            "    pass\n"
            "import numpy\n"
            "print(os.environ['NUMPY_MADVISE_HUGEPAGE'], file=sys.stderr)\n")
    env = {k: v for k, v in os.environ.items() if k != "NUMPY_MADVISE_HUGEPAGE"}
    if given is not None:
        env["NUMPY_MADVISE_HUGEPAGE"] = given
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, check=True)
    assert out.stderr.strip().splitlines()[-1] == kept
