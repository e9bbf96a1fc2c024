"""DataFrames → files (SPEC §1.1, §1.3).

Formats: CSV (UTF-8 with BOM in files so that Excel shows Chinese right, no
BOM on standard output), TSV, JSON records, Markdown, a terminal grid
(``table``), a plain HTML table, and XLSX for people: bold frozen header,
autofilter, thousands separators, dates as dates, column widths, and a
``Parameters`` sheet.

Every file is written atomically: to a temporary file in the same folder,
then renamed over the target, so an interrupted run leaves the previous
report intact and no half-written one; within a run (``all_or_none``) the
renames wait until every output is complete. A device or a named pipe is
written into, never renamed over. Text that a spreadsheet would run as a
formula (``= + - @``, tab, carriage return) is neutralised with a leading
apostrophe in CSV/TSV/XLSX, headers included; numbers stay numbers.
``safe_file_name`` names per-staff and per-customer files.

One module per concern: ``paths`` (output folders, clashes, devices and
pipes, file names, all-or-none outputs, atomic writes, standard output),
``cells`` (formula neutralising, dates as text, labels, totals),
``formats`` (the output format and the CSV/TSV/JSON/Markdown/table/HTML
writers) and ``report`` (``write_report``, ``write_rejects``). Every name is
also available here, as ``write.atomic_path`` and so on.
"""
from __future__ import annotations

from cskit.io.write.cells import (FORMULA_START, _PLAIN_NUMBER, _has_time, _labelled,
                                  _text_frame, _with_totals, neutral_headers, neutral_text,
                                  neutralize)
from cskit.io.write.formats import (ARROW_CSV_ROWS, EXT_FORMATS, _arrow_csv, _csv_text,
                                    _display_rows, _grid_widths, _html_text, _json_default,
                                    _json_text, _markdown_text, _table_text, output_format)
from cskit.io.write.paths import (FILE_NAME_BYTES, NAME_MAX, _RESERVED, _UNSAFE, _WRITE_ERRORS,
                                  OutputSet, _cannot_write, _current, _os_error_in,
                                  _put_in_place, _release_writers, _short, _umask, all_or_none,
                                  atomic_path,
                                  cannot_write_stdout, check_output_folder, clash,
                                  current_outputs, is_special, safe_file_name, same_path,
                                  silence_standard_output, to_standard_output)
from cskit.io.write.report import write_rejects, write_report
from cskit.io.xlsx import (DATE_FORMAT, DATETIME_FORMAT, INT_FORMAT,  # noqa: F401
                           MONEY_FORMAT, write_xlsx)

__all__ = [
    "ARROW_CSV_ROWS", "EXT_FORMATS", "FILE_NAME_BYTES", "FORMULA_START", "NAME_MAX",
    "OutputSet", "all_or_none", "atomic_path", "cannot_write_stdout", "check_output_folder",
    "clash", "current_outputs", "is_special", "neutral_headers", "neutral_text", "neutralize",
    "output_format", "safe_file_name", "same_path", "silence_standard_output",
    "to_standard_output", "write_rejects", "write_report",
    # private helpers, kept importable from here as before the split
    "_PLAIN_NUMBER", "_RESERVED", "_UNSAFE", "_WRITE_ERRORS", "_arrow_csv", "_cannot_write",
    "_csv_text", "_current", "_display_rows", "_grid_widths", "_has_time",
    "_html_text", "_json_default", "_json_text", "_labelled", "_markdown_text",
    "_os_error_in", "_put_in_place", "_release_writers", "_short",
    "_table_text", "_text_frame", "_umask", "_with_totals",
]
