"""Options shared by every command, defined once and stacked as decorators.

Only click is imported here: ``cskit --help`` must not pay for pandas.
"""
from __future__ import annotations

import click

FORMATS = ("csv", "tsv", "json", "xlsx", "markdown", "table", "html")


def _set_language(ctx, param, value):
    # messages (errors, warnings, the stderr summary) follow --lang too
    from cskit.i18n import set_language

    set_language(value)
    return value


def _stack(*decorators):
    def apply(func):
        for decorator in reversed(decorators):
            func = decorator(func)
        return func
    return apply


output_options = _stack(
    click.option("-o", "--output", metavar="PATH",
                 help="Write the result here; the extension picks the format "
                      "(.csv .tsv .xlsx .json .md .html). Default: standard output."),
    click.option("--format", "fmt", type=click.Choice(FORMATS), metavar="FORMAT",
                 help="Output format, overriding the extension: "
                      + "|".join(FORMATS) + ". Standard output defaults to "
                      "'table' on a terminal and 'csv' in a pipe."),
    click.option("--lang", type=click.Choice(["en", "zh"]), envvar="CSKIT_LANG",
                 default="en", show_default=True, is_eager=True, callback=_set_language,
                 help="Output headers, labels and messages: English or Chinese "
                      "(also CSKIT_LANG)."),
    click.option("-q", "--quiet", is_flag=True, help="No summary or progress on stderr."),
    click.option("--totals", is_flag=True,
                 help="Add a totals row (money to the cent, counts) to CSV, TSV, JSON, "
                      "Markdown and table output; XLSX summary sheets always have one."),
)

map_option = click.option(
    "--map", "column_map", metavar="'HEADER=column,...'", multiple=True,
    help="Read a file's HEADER as cskit's column (e.g. --map "
         "'往来单位编码=customer_id,价税合计=amount'); repeatable. A policy's "
         "[columns] table does the same for cron.")

encoding_option = click.option(
    "--encoding", metavar="NAME",
    help="Encoding of CSV/TXT inputs (default: UTF-8 with or without BOM, "
         "or GB18030/GBK, detected).")

sheet_option = click.option("--sheet", metavar="NAME",
                            help="Sheet of Excel inputs to read (default: the first).")

lang_option = click.option(
    "--lang", type=click.Choice(["en", "zh"]), envvar="CSKIT_LANG",
    default="en", show_default=True, is_eager=True, callback=_set_language,
    help="Output headers, labels and messages: English or Chinese (also CSKIT_LANG).")

input_options = _stack(
    click.option("--encoding", metavar="NAME",
                 help="Encoding of CSV/TXT inputs (default: UTF-8 with or without BOM, "
                      "or GB18030/GBK, detected)."),
    click.option("--sheet", metavar="NAME",
                 help="Sheet of Excel inputs to read (default: the first)."),
    click.option("--rejects", metavar="PATH",
                 help="Carry on past bad rows: write them here with a reject_reason "
                      "column, and process the rest."),
    map_option,
)

policy_option = click.option(
    "--policy", "policy_path", metavar="FILE",
    help="TOML policy overriding the built-in rules (see 'cskit defaults').")

as_of_option = click.option(
    "--as-of", "as_of", metavar="DATE",
    help="Report date (YYYY-MM-DD and the other date forms); default: today.")

# --- which options a run reads and which it writes -----------------------------------
# The one place that says so. Before anything is read, cskit.run checks every
# path a run writes against every path it reads and against each other
# (README "Output files"). A new option is classified by these rules without
# further work: declare an output as ``metavar="DIR"`` (a folder of files) or
# add its parameter name here; a file it reads as ``metavar="FILE"``.
OUTPUT_PARAMS = {"output", "rejects", "ics_dir"}
INPUT_METAVARS = {"FILE", "PATH"}
OUTPUT_METAVARS = {"DIR"}


def path_role(param) -> str | None:
    """'output' for a parameter naming a file or folder the run writes,
    'input' for one naming a file it reads (every positional argument but a
    choice of words), None for the others."""
    if param.name in OUTPUT_PARAMS or param.metavar in OUTPUT_METAVARS:
        return "output"
    if isinstance(param, click.Argument):
        return None if isinstance(param.type, click.Choice) else "input"
    if param.metavar in INPUT_METAVARS and not getattr(param, "is_flag", False):
        return "input"
    return None


def option_name(param) -> str:
    """How messages name a parameter: -o, --rejects, INVOICES, DATA."""
    if isinstance(param, click.Argument):
        return (param.metavar or param.name.upper()).strip("[].")
    return param.opts[0]


COMMON = ("output", "fmt", "lang", "quiet", "encoding", "sheet", "rejects",
          "policy_path", "as_of", "totals", "column_map")


def common_options(func):
    """Every shared option: output, input, policy and as-of."""
    return output_options(input_options(policy_option(as_of_option(func))))
