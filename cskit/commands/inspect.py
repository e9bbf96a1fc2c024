"""``cskit inspect``: how cskit reads a file, before a report is trusted."""
from __future__ import annotations

import click

from cskit.options import encoding_option, lang_option, map_option, sheet_option

AS_KINDS = ("invoices", "payments", "customers", "visit-customers", "credit-limits",
            "exposure", "previous", "org", "complaints", "surveys", "sales", "measures",
            "appraisals", "staff", "transactions", "shipments", "holidays", "credit-grades",
            "aging-summary")  # cskit.io.inspect.KINDS; a test keeps them equal


@click.command("inspect")
@click.argument("file", metavar="FILE")
@click.option("--as", "kind", type=click.Choice(AS_KINDS), metavar="KIND",
              help="Read the file as this kind of table: " + ", ".join(AS_KINDS)
                   + " (default: the kind its headers name best).")
@sheet_option
@encoding_option
@map_option
@lang_option
def inspect(file, kind, sheet, encoding, column_map, lang):
    """Show how cskit understands FILE: the header row it found, each column
    with the cskit column it maps to (or why it is ignored), its unit, type
    and sample values, blank and unreadable cells, the rows set aside
    (titles, subtotals, totals, notes) and the check against the file's
    own 合计. Run it first on a new export.

    \b
    Examples:
      cskit inspect 应收单.xlsx
      cskit inspect FBL5N.csv --as invoices --map '客户=customer_id' --lang zh
    """
    from cskit.i18n import render
    from cskit.io.inspect import inspect_file
    from cskit.run import _column_map

    mapping = _column_map("inspect", column_map, None)
    for line in inspect_file(file, kind, encoding=encoding, sheet=sheet, mapping=mapping):
        click.echo(render(line) if not isinstance(line, str) else line)
