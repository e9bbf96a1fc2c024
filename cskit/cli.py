"""The ``cskit`` command group: parses options and translates errors.

Commands live in ``cskit/commands/``; none of them imports pandas, openpyxl
or jinja2 at module level, so that ``cskit --help`` starts fast.
"""
from __future__ import annotations

import os
import signal
import sys

import click

from cskit import __version__
from cskit.errors import CskitError
from cskit.i18n import Text, render

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class CskitGroup(click.Group):
    """Runs a command and turns library errors into a message and exit code."""

    def list_commands(self, ctx):
        return list(self.commands)  # in the order of the monthly chain

    def invoke(self, ctx):
        debug = ctx.params.get("debug") or os.environ.get("CSKIT_DEBUG")
        try:
            return super().invoke(ctx)
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
            sys.stderr.close()
            ctx.exit(0)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except MemoryError:
            _say(Text("out of memory; split the input or use a larger machine.",
                      "内存不足；请把输入拆小，或换一台内存更大的机器。"))
            ctx.exit(1)
        except Exception as exc:  # a bug: say so plainly, trace only on request
            if debug:
                raise
            _say(Text("internal error: {kind}: {detail}\n"
                      "This is a bug in cskit; run again with --debug for details.",
                      "内部错误：{kind}: {detail}\n"
                      "这是 cskit 的缺陷，不是您的数据问题；加 --debug 再运行可看到详情。",
                      kind=type(exc).__name__, detail=str(exc)))
            ctx.exit(1)


def _say(message) -> None:
    click.echo("cskit: " + render(message), err=True)


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


def _register():
    from cskit.commands import aging, credit, defaults, kpi, report, visits

    cli.add_command(credit.score_credit)
    cli.add_command(aging.aging_report)
    cli.add_command(kpi.rollup_kpi)
    cli.add_command(visits.visit_plan)
    cli.add_command(report.render_report)
    cli.add_command(defaults.defaults)


_register()


def main(argv=None):
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, _terminate)
    cli.main(args=argv, prog_name="cskit")


if __name__ == "__main__":
    main()
