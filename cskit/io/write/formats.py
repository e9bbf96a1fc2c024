"""The output format (``output_format``) and the text writers: CSV/TSV
(pandas, or Arrow for large tables), JSON, Markdown, a terminal grid and HTML."""
from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from cskit.errors import UsageError
from cskit.i18n import Join, Text
from cskit.io.write.cells import _text_frame, neutralize
from cskit.io.write.paths import is_special

EXT_FORMATS = {".csv": "csv", ".txt": "csv", ".tsv": "tsv", ".xlsx": "xlsx", ".json": "json",
               ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}


def output_format(path: str | None, fmt: str | None) -> str:
    if fmt:
        return fmt
    if not path or path == "-":
        return "table" if sys.stdout.isatty() else "csv"
    ext = Path(path).suffix.lower()
    if ext not in EXT_FORMATS and is_special(path):
        return "csv"  # /dev/null, /dev/stdout, a named pipe: as on standard output
    if ext not in EXT_FORMATS:
        raise UsageError(Text("cannot tell the output format from {path!r}; use an extension "
                              "({extensions}) or --format",
                              "无法从“{path}”判断输出格式；请使用扩展名（{extensions}）"
                              "或用 --format 指定",
                              path=path, extensions=Join((", ", "、"), sorted(EXT_FORMATS))))
    return EXT_FORMATS[ext]


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


def _write_csv(frame: pd.DataFrame, sep: str, fh) -> None:
    """Write ``_csv_text(frame, sep)`` as UTF-8 into the binary file FH. A
    large table goes from Arrow's writer straight into the file, batch by
    batch: never held whole, nor as one Python string (a 1M-row table with
    long text is gigabytes as a str)."""
    prepared = _text_frame(neutralize(frame))
    if len(prepared) >= ARROW_CSV_ROWS:
        import pyarrow as pa
        import pyarrow.csv as pacsv

        table = _arrow_table(prepared)
        if table is not None:
            start = fh.tell()
            fh.write(_csv_header(prepared, sep).encode("utf-8"))
            try:
                pacsv.write_csv(table, fh, write_options=_arrow_options(sep))
                return
            except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
                fh.seek(start)  # a column that does not convert: pandas writes it all
                fh.truncate()
    buffer = io.StringIO()
    prepared.to_csv(buffer, index=False, sep=sep, lineterminator="\n")
    fh.write(buffer.getvalue().encode("utf-8"))


def _arrow_table(frame: pd.DataFrame):
    """FRAME as an Arrow table for Arrow's CSV writer (booleans as
    True/False, as pandas writes them); None when a column does not convert."""
    import pyarrow as pa

    columns = {}
    for i, column in enumerate(frame.columns):
        series = frame[column]
        if pd.api.types.is_bool_dtype(series.dtype):
            series = series.map({True: "True", False: "False"}).astype("str")
        elif series.dtype == np.float64:
            series = _whole_numbers(series)
        columns[f"c{i}"] = series
    try:
        table = pa.Table.from_pandas(pd.DataFrame(columns), preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return None
    return table.rename_columns([str(c) for c in frame.columns])


WHOLE_LIMIT = 10 ** 9  # below this, Arrow writes a whole float64 as it writes an int64


def _whole_numbers(series: pd.Series) -> pd.Series:
    """A float64 column whose every value is a whole number below WHOLE_LIMIT
    in size, as Int64: Arrow writes 9.0 as 9 either way, but formats an
    integer in half the time of a float. Any other column as it is (-0.0 is
    written -0, not 0)."""
    values = series.to_numpy()
    missing = np.isnan(values)
    present = values[~missing] if missing.any() else values
    if not (np.all(np.abs(present) < WHOLE_LIMIT) and np.all(np.trunc(present) == present)
            and not np.any(np.signbit(present) & (present == 0))):
        return series
    whole = np.where(missing, 0, values).astype(np.int64)
    return pd.Series(pd.arrays.IntegerArray(whole, missing), index=series.index)


def _arrow_options(sep: str):
    import pyarrow.csv as pacsv

    return pacsv.WriteOptions(delimiter=sep, quoting_style="needed", include_header=False)


def _csv_header(frame: pd.DataFrame, sep: str) -> str:
    header = io.StringIO()
    frame.head(0).to_csv(header, index=False, sep=sep, lineterminator="\n")
    return header.getvalue()


def _arrow_csv(frame: pd.DataFrame, sep: str) -> str | None:
    """The same CSV as pandas writes (booleans as True/False, quotes only
    where needed), written by Arrow. None when a column does not convert."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    table = _arrow_table(frame)
    if table is None:
        return None
    sink = pa.BufferOutputStream()
    try:
        pacsv.write_csv(table, sink, write_options=_arrow_options(sep))
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return None
    return _csv_header(frame, sep) + sink.getvalue().to_pybytes().decode("utf-8")


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
