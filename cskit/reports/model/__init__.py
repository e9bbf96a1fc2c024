"""The content of the built-in reports, as plain data.

Each built-in report is a list of sections; a section holds key figures,
charts, tables (already formatted as text, with a totals row added up in
cents), and the lines of "what needs attention". The HTML and Markdown
templates and the Word writer only lay this out, so the three formats
always say the same thing.

One module per concern: ``common`` (formatting, tables, figures, charts),
``aging``, ``credit``, ``kpi``, ``visits`` (one per section) and
``monthly`` (which sections a report holds, and the summary page). Every
name is also available here, as ``model.table_view`` and so on.

Seeds: 004 第九、十条 (巡访日报表, 每月巡访情况报告书: what was visited, by
whom, what remains); 003 (投诉统计报表); 000 (汇总周经营数据, 并注明增减幅的原因:
every change against the previous period comes with its reason).
"""
from __future__ import annotations

from cskit.reports.model.aging import (_over_limit, _report_dso, _summary_from_detail,
                                       aging_changes, aging_section)
from cskit.reports.model.common import (PLAN_ROWS, TABLE_ROWS, TOP_ROWS, WIDE_COLUMNS, Chart,
                                        _flags, _format_column, _header, _numeric, _signed,
                                        _sum, _who, _width, chart, count_text, date_text,
                                        figure, flags_text, is_money, money_text, number_text,
                                        pct_text, say_value, section, short_flags, table_view)
from cskit.reports.model.credit import _GRADE_ORDER, _grade_labels, _grade_order, credit_section
from cskit.reports.model.kpi import (LOWER_IS_BETTER, RATIO_KPIS_NOT, _achievement,
                                     _kpi_reason, _kpi_table, _lower_is_better, _top_entity,
                                     kpi_label, kpi_section, kpi_value_text)
from cskit.reports.model.monthly import build, plan_window, summary_page, table_sections
from cskit.reports.model.visits import ACTIVITIES, visits_section

__all__ = [
    "ACTIVITIES", "Chart", "LOWER_IS_BETTER", "PLAN_ROWS", "RATIO_KPIS_NOT", "TABLE_ROWS",
    "TOP_ROWS", "WIDE_COLUMNS", "aging_changes", "aging_section", "build", "chart",
    "count_text", "credit_section", "date_text", "figure", "flags_text", "is_money",
    "kpi_label", "kpi_section", "kpi_value_text", "money_text", "number_text", "pct_text",
    "plan_window", "say_value", "section", "short_flags", "summary_page", "table_sections",
    "table_view", "visits_section",
    # private helpers, kept importable from here as before the split
    "_GRADE_ORDER", "_achievement", "_flags", "_format_column", "_grade_labels",
    "_grade_order", "_header", "_kpi_reason", "_kpi_table", "_lower_is_better", "_numeric",
    "_over_limit", "_report_dso", "_signed", "_sum", "_summary_from_detail", "_top_entity",
    "_who", "_width",
]
