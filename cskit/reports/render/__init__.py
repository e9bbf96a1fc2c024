"""Report model or user template → HTML, Markdown or Word.

Every template — built-in or the user's — runs in Jinja2's sandbox with
``StrictUndefined``: a template cannot reach Python internals, and a
variable it uses that the data does not have is reported by name instead
of printing nothing. HTML is autoescaped, so a customer called
``<script>`` prints as text.

One module per concern: ``variables`` (what templates see: the DATA tables,
the labels), ``sandbox`` (the Jinja2 environment, where templates are found,
the limits on time and size, template errors), ``markup`` (HTML and
Markdown), ``word_template`` (a user's Word template) and ``word`` (a
built-in report as a Word document). Every name is also available here, as
``render.render_text`` and so on; the limits below are read from here when a
template runs, so setting ``render.TEMPLATE_SECONDS`` takes effect.
"""
from __future__ import annotations

from pathlib import Path

BUILTINS = ("aging", "credit", "kpi", "visit-plan", "monthly", "table")
# a template is a program: it may run this long and write this much, no more
TEMPLATE_SECONDS = 30
TEMPLATE_OUTPUT = 100_000_000  # characters
WIDE_TABLE = 9  # columns above which a Word page is turned landscape
TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates"

from cskit.reports.render.markup import render_text  # noqa: E402
from cskit.reports.render.sandbox import (_Bounded, TemplateLimit, _bounded_class,  # noqa: E402
                                          _limit, _out_of_time, _undefined, environment,
                                          jinja_errors, md_cell)
from cskit.reports.render.variables import (_LABEL_KEYS, TableData, _chart_kind,  # noqa: E402
                                            context, source_files)
from cskit.reports.render.word import (_cell, _changes_view, _column_widths,  # noqa: E402
                                       _east_asian_font, _narrow_margins, _page_numbers,
                                       _repeat_header, _text_width, write_docx)
from cskit.reports.render.word_template import render_docx_template  # noqa: E402

__all__ = [
    "BUILTINS", "TEMPLATE_DIR", "TEMPLATE_OUTPUT", "TEMPLATE_SECONDS", "TableData",
    "TemplateLimit", "WIDE_TABLE", "context", "environment", "jinja_errors", "md_cell",
    "render_docx_template", "render_text", "source_files", "write_docx",
]
