"""The ``cskit`` command group: parses options and translates errors.

Commands live in ``cskit/commands/``; none of them imports pandas, openpyxl
or jinja2 at module level, so that ``cskit --help`` starts fast. A command's
module is imported only when that command runs or shows its help: ``cskit
--help`` lists the commands from their summaries (``COMMANDS``) and imports
none of them, nor cskit's error and message modules.
"""
from __future__ import annotations

import os
import signal
import sys
from collections.abc import MutableMapping

import click

from cskit import __version__

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

# The commands in the order of the monthly chain: where each is defined, and
# the first paragraph of its help, which `cskit --help` shows (shortened)
# without importing the command. tests/test_cli_startup.py keeps each
# summary equal to the command's own help.
COMMANDS = {
    "score-credit": ("cskit.commands.credit", "score_credit",
                     "Score customers' credit and set their grade, limit and approver."),
    "aging-report": ("cskit.commands.aging", "aging_report",
                     "Age the receivable, compute DSO and flag what needs collecting."),
    "rollup-kpi": ("cskit.commands.kpi", "rollup_kpi",
                   "KPI scorecards from staff through branches to the department."),
    "visit-plan": ("cskit.commands.visits", "visit_plan",
                   "Plan visits, calls and greetings on China's working calendar."),
    "render-report": ("cskit.commands.report", "render_report",
                      "Render tables into a Word, HTML or Markdown report."),
    "defaults": ("cskit.commands.defaults", "defaults",
                 "Print the built-in policy of KIND as a commented TOML file."),
    "inspect": ("cskit.commands.inspect", "inspect",
                "Show how cskit understands FILE: the header row it found, each column with "
                "the cskit column it maps to (or why it is ignored), its unit, type and sample "
                "values, blank and unreadable cells, the rows set aside (titles, subtotals, "
                "totals, notes) and the check against the file's own 合计. Run it first on a "
                "new export."),
}


class LazyCommands(MutableMapping):
    """The group's commands by name, each imported from its module the first
    time it is looked up; iterating gives the names without importing."""

    def __init__(self, where: dict[str, tuple[str, str]]):
        self._where = dict(where)  # name → (module, attribute), or None once added
        self._loaded: dict[str, click.Command] = {}

    def loaded(self, name: str) -> bool:
        return name in self._loaded

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._loaded:
            module, attribute = self._where[name]
            from importlib import import_module

            self._loaded[name] = getattr(import_module(module), attribute)
        return self._loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._where.setdefault(name, None)
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        del self._where[name]
        self._loaded.pop(name, None)

    def __iter__(self):
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)


class CskitGroup(click.Group):
    """Runs a command and turns library errors into a message and exit code."""

    def list_commands(self, ctx):
        return list(self.commands)  # in the order of the monthly chain

    def format_commands(self, ctx, formatter):
        ctx.meta["cskit.listing"] = True
        try:
            super().format_commands(ctx, formatter)
        finally:
            del ctx.meta["cskit.listing"]

    def get_command(self, ctx, cmd_name):
        commands = self.commands
        if ctx.meta.get("cskit.listing") and isinstance(commands, LazyCommands) \
                and cmd_name in COMMANDS and not commands.loaded(cmd_name):
            # the listing needs only the summary: a stand-in, not the import
            return click.Command(cmd_name, help=COMMANDS[cmd_name][2])
        return super().get_command(ctx, cmd_name)

    def parse_args(self, ctx, args):
        ctx.meta["cskit.args"] = list(args)  # for the language of usage errors
        return super().parse_args(ctx, args)

    def invoke(self, ctx):
        from cskit.errors import CskitError
        from cskit.i18n import Text

        debug = ctx.params.get("debug") or os.environ.get("CSKIT_DEBUG")
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # a full disk behind `>` shows here, while it can be said
            return result
        except CskitError as exc:
            if debug:
                raise
            click.echo(f"cskit: {exc.format()}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            _say(Text("interrupted; no output was written.", "已中断，没有写出任何输出。"))
            ctx.exit(130)
        except BrokenPipeError:
            # the reader of our standard output went away (`| head`): not an error
            _silence_stdout()
            sys.stderr.close()
            ctx.exit(0)
        except click.UsageError as exc:
            if _chinese(ctx.meta.get("cskit.args", ())):
                raise ChineseUsageError(exc) from None
            raise
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except MemoryError:
            _say(Text("out of memory; split the input or use a larger machine.",
                      "内存不足；请把输入拆小，或换一台内存更大的机器。"))
            ctx.exit(1)
        except Exception as exc:  # a bug: say so plainly, trace only on request
            if debug:
                raise
            if _stdout_full(exc):  # `> /dev/full`, a quota: the output, not cskit
                _silence_stdout()
                from cskit.i18n import os_reason

                _say(Text("cannot write to standard output: {reason}",
                          "无法写入标准输出：{reason}", reason=os_reason(exc)))
                ctx.exit(3)
            _say(Text("internal error: {kind}: {detail}\n"
                      "This is a bug in cskit; run again with --debug for details.",
                      "内部错误：{kind}: {detail}\n"
                      "这是 cskit 的缺陷，不是您的数据问题；加 --debug 再运行可看到详情。",
                      kind=type(exc).__name__, detail=str(exc)))
            ctx.exit(1)


def _stdout_full(exc: BaseException) -> bool:
    """An error of writing standard output: a write-only reason, no file named
    (files cskit writes itself fail as OutputError, naming the file)."""
    import errno

    return isinstance(exc, OSError) and exc.filename is None and exc.errno in (
        errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


def _silence_stdout() -> None:
    """Standard output to /dev/null, so that the interpreter's last flush of
    what could not be written does not fail again with a traceback."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _say(message) -> None:
    from cskit.i18n import render

    click.echo("cskit: " + render(message), err=True)


# --- click's own usage errors, for --lang zh ---------------------------------------
# click writes its messages in English; these are the ones a user meets.
_CLICK_ZH = [
    (r"No such option:? '?([^' .]+)'?\.?", r"没有选项 \1。"),
    (r"\(?Did you mean one of: ([^?]+)\?\)?", r"（是不是以下之一：\1？）"),
    (r"Did you mean ([^?]+)\?", r"是不是 \1？"),
    (r"\(Possible options: ([^)]+)\)", r"（可用的选项：\1）"),
    (r"No such command '?([^' ]+)'?\.", r"没有命令 \1。"),
    (r"Missing command\.", "缺少命令。"),
    (r"Missing argument '?([^' ]+?)'?\.", r"缺少参数 \1。"),
    (r"Missing option '?([^' ]+?)'?\.", r"缺少选项 \1。"),
    (r"Invalid value for ([^:]+): ", r"\1 的值无效："),
    (r"'([^']*)' is not one of (.+)\.", r"“\1”不是可选值（可选：\2）。"),
    (r"Option '([^']+)' requires an argument\.", r"选项 \1 后面要跟一个值。"),
    (r"Option '([^']+)' does not take a value\.", r"选项 \1 不带值。"),
    (r"Got unexpected extra arguments? \((.+)\)", r"多出了参数：\1"),
    (r"'([^']*)' is not a valid (integer|float|boolean)\.", r"“\1”不是有效的值。"),
    (r"(\S+) is not in the range (.+)\.", r"\1 不在范围 \2 之内。"),
]


def _chinese(args) -> bool:
    from cskit.i18n import language

    args = list(args)
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            return args[i + 1] == "zh"
        if arg.startswith("--lang="):
            return arg == "--lang=zh"
    return language() == "zh"


class ChineseUsageError(click.UsageError):
    """click's usage error, shown in Chinese."""

    def __init__(self, exc: click.UsageError):
        import re

        message = exc.format_message()
        for pattern, replacement in _CLICK_ZH:
            message = re.sub(pattern, replacement, message)
        message = re.sub(r"([。）]) +", r"\1", message)
        super().__init__(message, exc.ctx)
        self.exit_code = exc.exit_code

    def format_message(self) -> str:
        return self.message

    def show(self, file=None) -> None:
        lines = []
        if self.ctx is not None:
            lines.append(self.ctx.get_usage().replace("Usage: ", "用法：", 1))
            if self.ctx.help_option_names:
                lines.append(f"运行 '{self.ctx.command_path} {self.ctx.help_option_names[-1]}' "
                             "查看帮助。")
            lines.append("")
        lines.append(f"错误：{self.message}")
        click.echo("\n".join(lines), file=file, err=file is None)


def _terminate(signum, frame):
    # SIGTERM (cron timeouts, `kill`) unwinds like Ctrl-C, so atomic writers
    # remove their temporary files and the previous report stays intact.
    raise KeyboardInterrupt


@click.group(cls=CskitGroup, context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="cskit")
@click.option("--debug", is_flag=True, help="Show Python tracebacks for errors.")
def cli(debug):
    """Credit grades, receivable aging, KPI scorecards, visit plans and reports
    for a customer-service and credit department, from the CSV and Excel files
    it already keeps.

    Each command reads tables and writes one table (CSV, TSV, XLSX, JSON,
    Markdown or a terminal grid), so commands chain in a Makefile or a cron
    line. Chinese headers and GB18030/GBK files are read as they are.

    \b
    Examples:
      cskit score-credit customers.xlsx -o grades.xlsx
      cskit aging-report invoices.csv --payments payments.csv --credit-limits grades.xlsx -o aging.xlsx
      cskit defaults aging > aging.toml
    """


cli.commands = LazyCommands({name: where[:2] for name, where in COMMANDS.items()})


def main(argv=None):
    _no_huge_pages()
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, _terminate)
    cli.main(args=argv, prog_name="cskit")


def _no_huge_pages() -> None:
    """numpy asks Linux for huge pages for each large array; where the kernel
    compacts memory to find them (transparent_hugepage defrag=madvise, a
    common setting) a run stalls in the kernel: score-credit of a million
    customers spent 1.9–4.3 s there, 1.0–1.3 s without. Set before numpy is
    imported; a user's own NUMPY_MADVISE_HUGEPAGE is kept."""
    os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")


if __name__ == "__main__":
    main()
