"""DataFrames → files (SPEC §1.1, §1.3).

Formats: CSV (UTF-8 with BOM in files so that Excel shows Chinese right, no
BOM on standard output), TSV, JSON records, Markdown, a terminal grid
(``table``), a plain HTML table, and XLSX for people: bold frozen header,
autofilter, thousands separators, dates as dates, column widths, and a
``Parameters`` sheet.

Every file is written atomically: to a temporary file in the same folder,
then renamed over the target, so an interrupted run leaves the previous
report intact and no half-written one. Text that a spreadsheet would run
as a formula (``= + - @``, tab, carriage return) is neutralised with a
leading apostrophe in CSV/TSV/XLSX; numbers stay numbers.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import re
import signal
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from cskit.errors import OutputError, UsageError
from cskit.i18n import Join, Text, os_reason
from cskit.io.xlsx import (DATE_FORMAT, DATETIME_FORMAT, INT_FORMAT,  # noqa: F401
                           MONEY_FORMAT, write_xlsx)
from cskit.labels import present

EXT_FORMATS = {".csv": "csv", ".txt": "csv", ".tsv": "tsv", ".xlsx": "xlsx", ".json": "json",
               ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d[\d,]*\.?\d*|\.\d+)([eE][+-]?\d+)?%?$")



# --- paths -------------------------------------------------------------------------
def check_output_folder(path: str) -> None:
    """Fail early (exit 3) when an output cannot be written where asked."""
    folder = Path(path).parent if Path(path).parent != Path("") else Path(".")
    if not folder.exists():
        raise OutputError(Text("cannot write {path}: the folder {folder} does not exist",
                               "无法写入 {path}：文件夹 {folder} 不存在，请先建好文件夹",
                               path=path, folder=str(folder)))
    if not folder.is_dir():
        raise OutputError(Text("cannot write {path}: {folder} is not a folder",
                               "无法写入 {path}：{folder} 不是文件夹",
                               path=path, folder=str(folder)))
    if not os.access(folder, os.W_OK):
        raise OutputError(Text("cannot write {path}: no permission to write in {folder}",
                               "无法写入 {path}：没有文件夹 {folder} 的写入权限",
                               path=path, folder=str(folder)))
    if Path(path).is_dir():
        raise OutputError(Text("cannot write {path}: it is a folder; give a file name",
                               "无法写入 {path}：这是一个文件夹，请给出文件名", path=path))


@contextlib.contextmanager
def atomic_path(path: str):
    """Yield a temporary path beside PATH; on success rename it over PATH, on
    any failure (or Ctrl-C / SIGTERM) remove it and leave PATH untouched."""
    check_output_folder(path)
    target = Path(path)
    # Ctrl-C / SIGTERM are held back until the temporary file is known to the
    # cleanup below: a signal between its creation and the `try` would leave it
    held = _hold_signals()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                   dir=str(target.parent) if str(target.parent) else ".")
        os.close(fd)
    except OSError as exc:
        _release_signals(held)
        raise OutputError(_cannot_write(path, exc)) from None
    try:
        _release_signals(held)
        yield tmp
        try:
            if target.exists():
                os.chmod(tmp, target.stat().st_mode & 0o777)
            else:
                os.chmod(tmp, 0o666 & ~_umask())
            os.replace(tmp, path)
        except OSError as exc:
            raise OutputError(_cannot_write(path, exc)) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _cannot_write(path: str, exc: OSError) -> Text:
    return Text("cannot write {path}: {reason}", "无法写入 {path}：{reason}",
                path=path, reason=os_reason(exc))


def _hold_signals():
    if not hasattr(signal, "pthread_sigmask"):
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})


def _release_signals(held) -> None:
    if held is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def output_format(path: str | None, fmt: str | None) -> str:
    if fmt:
        return fmt
    if not path or path == "-":
        return "table" if sys.stdout.isatty() else "csv"
    ext = Path(path).suffix.lower()
    if ext not in EXT_FORMATS:
        raise UsageError(Text("cannot tell the output format from {path!r}; use an extension "
                              "({extensions}) or --format",
                              "无法从“{path}”判断输出格式；请使用扩展名（{extensions}）"
                              "或用 --format 指定",
                              path=path, extensions=Join((", ", "、"), sorted(EXT_FORMATS))))
    return EXT_FORMATS[ext]


# --- cell preparation ---------------------------------------------------------------
def neutralize(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix formula-like text with an apostrophe; numbers stay numbers."""
    out = frame
    for column in frame.columns:
        series = frame[column]
        if not (series.dtype == object or pd.api.types.is_string_dtype(series.dtype)):
            continue
        text = series.astype("str")
        risky = text.str.startswith(FORMULA_START).fillna(False) & series.notna()
        if not risky.any():
            continue
        risky &= ~text.str.match(_PLAIN_NUMBER).fillna(False)
        risky &= series.map(lambda v: isinstance(v, str))
        if risky.any():
            if out is frame:
                out = frame.copy()
            out[column] = series.where(~risky, "'" + text)
    return out


def _has_time(series: pd.Series) -> bool:
    values = series.dropna()
    return bool(len(values)) and bool((values != values.dt.normalize()).any())


def _text_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates as ISO text, for the text formats."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_datetime64_any_dtype(series.dtype):
            fmt = "%Y-%m-%d %H:%M:%S" if _has_time(series) else "%Y-%m-%d"
            out[column] = series.dt.strftime(fmt).where(series.notna(), None)
    return out


def _labelled(frame: pd.DataFrame, lang: str, originals: dict | None = None) -> pd.DataFrame:
    # headers and coded cells as the reader sees them (cskit.labels.present)
    return present(frame, lang, originals)


def _with_totals(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    from cskit.io.xlsx import _totals

    row = _totals(frame, lang)
    if row is None:
        return frame
    text = _text_frame(frame)  # dates as text, so that a label fits any column
    total = pd.DataFrame([row]).reindex(columns=frame.columns)
    return pd.concat([text.astype(object), total.astype(object)], ignore_index=True)


# --- text formats -------------------------------------------------------------------
ARROW_CSV_ROWS = 20000  # from this size on, Arrow's writer (pandas' is ~10x slower)


def _csv_text(frame: pd.DataFrame, sep: str) -> str:
    prepared = _text_frame(neutralize(frame))
    if len(prepared) >= ARROW_CSV_ROWS:
        text = _arrow_csv(prepared, sep)
        if text is not None:
            return text
    buffer = io.StringIO()
    prepared.to_csv(buffer, index=False, sep=sep, lineterminator="\n")
    return buffer.getvalue()


def _arrow_csv(frame: pd.DataFrame, sep: str) -> str | None:
    """The same CSV as pandas writes (booleans as True/False, quotes only
    where needed), written by Arrow. None when a column does not convert."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    columns = {}
    for i, column in enumerate(frame.columns):
        series = frame[column]
        if pd.api.types.is_bool_dtype(series.dtype):
            series = series.map({True: "True", False: "False"}).astype("str")
        columns[f"c{i}"] = series
    try:
        table = pa.Table.from_pandas(pd.DataFrame(columns), preserve_index=False)
        table = table.rename_columns([str(c) for c in frame.columns])
        sink = pa.BufferOutputStream()
        pacsv.write_csv(table, sink, write_options=pacsv.WriteOptions(
            delimiter=sep, quoting_style="needed", include_header=False))
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return None
    header = io.StringIO()
    frame.head(0).to_csv(header, index=False, sep=sep, lineterminator="\n")
    return header.getvalue() + sink.getvalue().to_pybytes().decode("utf-8")


def _json_text(frame: pd.DataFrame) -> str:
    records = _text_frame(frame).astype(object).where(frame.notna(), None).to_dict(orient="records")
    return json.dumps(records, ensure_ascii=False, indent=1, default=_json_default) + "\n"


def _json_default(value):
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return None if np.isnan(value) else float(value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return str(value)


def _display_rows(frame: pd.DataFrame) -> list[list]:
    text = _text_frame(frame)
    rows = []
    for row in text.itertuples(index=False, name=None):
        rows.append(["" if (v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA)
                     else v for v in row])
    return rows


def _markdown_text(frame: pd.DataFrame, title: str | None) -> str:
    from tabulate import tabulate

    body = tabulate(_display_rows(frame), headers=list(frame.columns), tablefmt="pipe",
                    floatfmt=",.2f", intfmt=",", disable_numparse=False)
    return (f"# {title}\n\n" if title else "") + body + "\n"


def _table_text(frame: pd.DataFrame, width: int | None = None) -> tuple[str, list[str]]:
    """A grid for the terminal; Chinese characters count as two columns
    (wcwidth). Given a terminal WIDTH, the columns that do not fit are left
    out (from the right) and returned, so that a note can name them."""
    from tabulate import tabulate

    rows = _display_rows(frame)
    headers = [str(c) for c in frame.columns]
    hidden: list[str] = []
    if width and len(headers) > 1:
        shown = tabulate(rows[:200], headers=headers, tablefmt="simple_grid",
                         floatfmt=",.2f", intfmt=",").splitlines()
        cells = _grid_widths(shown[1] if len(shown) > 1 else "")
        keep, used = 0, 1
        for cell in cells:
            if used + cell + 1 > width and keep:
                break
            used += cell + 1
            keep += 1
        if keep < len(headers):
            hidden = headers[keep:]
            headers = headers[:keep]
            rows = [row[:keep] for row in rows]
    text = tabulate(rows, headers=headers, tablefmt="simple_grid", floatfmt=",.2f",
                    intfmt=",") + "\n"
    return text, hidden


def _grid_widths(line: str) -> list[int]:
    """Display widths of the cells of one grid line (│ a │ b │)."""
    from wcwidth import wcswidth

    parts = line.split("│")[1:-1]
    return [max(wcswidth(p), len(p)) for p in parts]


def _html_text(frame: pd.DataFrame, title: str | None, parameters) -> str:
    from html import escape

    head = "".join(f"<th>{escape(str(c))}</th>" for c in frame.columns)
    numeric = [pd.api.types.is_numeric_dtype(frame[c].dtype) and not pd.api.types.is_bool_dtype(frame[c].dtype)
               for c in frame.columns]
    lines = []
    for row in _display_rows(frame):
        cells = []
        for value, is_num in zip(row, numeric):
            if is_num and isinstance(value, float):
                shown = f"{value:,.2f}"
            elif is_num and isinstance(value, (int, np.integer)) and not isinstance(value, bool):
                shown = f"{value:,}"
            else:
                shown = str(value)
            cells.append(f'<td class="num">{escape(shown)}</td>' if is_num
                         else f"<td>{escape(shown)}</td>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    params = "".join(f"<tr><th>{escape(k)}</th><td>{escape(str(v))}</td></tr>"
                     for k, v in parameters)
    name = escape(title or "cskit")
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{name}</title>
<style>
body{{font-family:-apple-system,"Segoe UI","Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}}
table{{border-collapse:collapse;font-size:13px}}th,td{{border:1px solid #ccc;padding:4px 8px}}
thead th{{background:#1f4e79;color:#fff;position:sticky;top:0}}td.num{{text-align:right;font-variant-numeric:tabular-nums}}
tbody tr:nth-child(even){{background:#f4f7fb}}.params{{margin-top:2em;color:#555}}
@media print{{thead th{{position:static}}}}
</style></head><body>
<h1>{name}</h1>
<table><thead><tr>{head}</tr></thead><tbody>
{chr(10).join(lines)}
</tbody></table>
<table class="params">{params}</table>
</body></html>
"""


# --- the one entry point ---------------------------------------------------------------
def write_report(sheets: dict[str, pd.DataFrame], path: str | None, *, fmt: str | None = None,
                 lang: str = "en", parameters: list[tuple[str, str]] | None = None,
                 formats: dict | None = None, title: str | None = None,
                 highlight: dict[str, pd.DataFrame] | None = None,
                 originals: dict[str, str] | None = None, totals: bool = False) -> str:
    """Write a command's result. XLSX gets every sheet and Parameters; the
    other formats the first (main) sheet. Returns the format used."""
    kind = output_format(path, fmt)
    main_name, main = next(iter(sheets.items()))
    to_stdout = not path or path == "-"
    if kind == "xlsx":
        if to_stdout:
            if sys.stdout.isatty():
                raise UsageError(Text("an Excel workbook cannot be shown on a terminal; "
                                      "write it to a file with -o report.xlsx",
                                      "Excel 工作簿无法在终端中显示；"
                                      "请用 -o report.xlsx 写入文件"))
            buffer = io.BytesIO()
            write_xlsx(buffer, sheets, lang=lang, parameters=parameters, formats=formats,
                       highlight=highlight, originals=originals)
            sys.stdout.buffer.write(buffer.getvalue())
            sys.stdout.flush()
            return kind
        with atomic_path(path) as tmp:
            write_xlsx(tmp, sheets, lang=lang, parameters=parameters, formats=formats,
                       highlight=highlight, originals=originals)
        return kind
    if totals:  # --totals: the XLSX summary's totals row in the text formats too
        main = _with_totals(main, lang)
    labelled = _labelled(main, lang, originals)
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
        sys.stdout.write(text)
        sys.stdout.flush()
        return kind
    encoding = "utf-8-sig" if kind in ("csv", "tsv") else "utf-8"
    with atomic_path(path) as tmp:
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
    kind = output_format(path, None)
    if kind not in ("csv", "tsv", "xlsx", "json"):
        kind = "csv"
    write_report({"Rejects": rejected}, path, fmt=kind, lang="en", parameters=None)
