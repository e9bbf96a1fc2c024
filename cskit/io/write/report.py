"""The one entry point, ``write_report`` (every format, XLSX included), and
``write_rejects``."""
from __future__ import annotations

import codecs
import io
import sys
from pathlib import Path

import pandas as pd

from cskit.errors import OutputError, UsageError
from cskit.i18n import Join, Text
from cskit.io.write.cells import _labelled, _with_totals, neutral_headers
from cskit.io.write.formats import (EXT_FORMATS, _csv_text, _html_text, _json_text,
                                    _markdown_text, _table_text, _write_csv, output_format)
from cskit.io.write.paths import _cannot_write, atomic_path, to_standard_output
from cskit.io.xlsx import write_xlsx


# --- the one entry point ---------------------------------------------------------------
def write_report(sheets: dict[str, pd.DataFrame], path: str | None, *, fmt: str | None = None,
                 lang: str = "en", parameters: list[tuple[str, str]] | None = None,
                 formats: dict | None = None, title: str | None = None,
                 highlight: dict[str, pd.DataFrame] | None = None,
                 originals: dict[str, str] | None = None, option: str = "-o",
                 totals: bool = False) -> str:
    """Write a command's result. XLSX gets every sheet and Parameters; the
    other formats the first (main) sheet. Returns the format used. OPTION
    names PATH in messages (-o, --rejects)."""
    kind = output_format(path, fmt)
    main_name, main = next(iter(sheets.items()))
    to_stdout = not path or path == "-"
    if kind == "xlsx":  # headers too: a workbook's writer may show them as given
        sheets = {name: neutral_headers(frame) for name, frame in sheets.items()}
        if to_stdout:
            if sys.stdout.isatty():
                raise UsageError(Text("an Excel workbook cannot be shown on a terminal; "
                                      "write it to a file with -o report.xlsx",
                                      "Excel 工作簿无法在终端中显示；"
                                      "请用 -o report.xlsx 写入文件"))
            buffer = io.BytesIO()
            write_xlsx(buffer, sheets, lang=lang, parameters=parameters, formats=formats,
                       highlight=highlight, originals=originals)
            to_standard_output(buffer.getvalue())
            return kind
        with atomic_path(path, option) as tmp:
            write_xlsx(tmp, sheets, lang=lang, parameters=parameters, formats=formats,
                       highlight=highlight, originals=originals)
        return kind
    if totals:  # --totals: the XLSX summary's totals row in the text formats too
        main = _with_totals(main, lang)
    labelled = _labelled(main, lang, originals)
    if kind in ("csv", "tsv") and not to_stdout:  # into the file as it is written
        with atomic_path(path, option) as tmp:
            try:
                with open(tmp, "wb") as fh:
                    fh.write(codecs.BOM_UTF8)
                    _write_csv(labelled, "," if kind == "csv" else "\t", fh)
            except OSError as exc:
                raise OutputError(_cannot_write(path, exc)) from None
        return kind
    if kind == "csv":
        text = _csv_text(labelled, ",")
    elif kind == "tsv":
        text = _csv_text(labelled, "\t")
    elif kind == "json":
        text = _json_text(labelled)
    elif kind == "markdown":
        text = _markdown_text(labelled, title)
    elif kind == "table":
        width = None
        if to_stdout and sys.stdout.isatty():
            import shutil

            width = shutil.get_terminal_size((120, 40)).columns
        text, hidden = _table_text(labelled, width)
        if hidden:
            note = Text("{n} columns do not fit the terminal and are not shown: {columns}. "
                        "The full table: -o FILE.xlsx or -o FILE.csv",
                        "终端宽度不够，以下 {n} 列未显示：{columns}。"
                        "完整表格请用 -o 文件名.xlsx 或 -o 文件名.csv 输出",
                        n=len(hidden), columns=Join((", ", "、"), hidden))
            text += "\n" + note.render(lang) + "\n"
    elif kind == "html":
        text = _html_text(labelled, title or main_name, parameters or [])
    else:  # pragma: no cover - click restricts the choices
        raise UsageError(Text("unknown format {kind}", "未知的输出格式 {kind}", kind=kind))
    if to_stdout:
        to_standard_output(text)
        return kind
    encoding = "utf-8-sig" if kind in ("csv", "tsv") else "utf-8"
    with atomic_path(path, option) as tmp:
        try:
            with open(tmp, "w", encoding=encoding, newline="") as fh:
                fh.write(text)
        except OSError as exc:
            raise OutputError(_cannot_write(path, exc)) from None
    return kind


def write_rejects(frames: list[pd.DataFrame], path: str) -> None:
    """The rejected rows, original values and a reject_reason, as CSV or XLSX
    (by extension). Written even when empty, so a cron job can test it."""
    if frames:
        rejected = pd.concat([f.reset_index(drop=True) for f in frames], ignore_index=True, sort=False)
        columns = ["source_file", "source_row"] + [c for c in rejected.columns
                                                   if c not in ("source_file", "source_row", "reject_reason")] \
            + ["reject_reason"]
        rejected = rejected[columns]
    else:
        rejected = pd.DataFrame(columns=["source_file", "source_row", "reject_reason"])
    kind = EXT_FORMATS.get(Path(path).suffix.lower(), "csv")
    if kind not in ("csv", "tsv", "xlsx", "json"):
        kind = "csv"
    write_report({"Rejects": rejected}, path, fmt=kind, lang="en", parameters=None,
                 option="--rejects")
