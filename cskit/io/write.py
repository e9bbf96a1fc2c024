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
"""
from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import json
import os
import re
import shutil
import signal
import stat
import sys
import tempfile
import unicodedata
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
    if is_special(path):
        return  # a device or a pipe: written straight into, whatever its folder
    folder = Path(path).parent if Path(path).parent != Path("") else Path(".")
    try:
        exists, is_folder = folder.exists(), folder.is_dir()
        target_is_folder = Path(path).is_dir()
    except OSError as exc:  # a name too long, a loop of links…
        raise OutputError(_cannot_write(path, exc)) from None
    if not exists:
        raise OutputError(Text("cannot write {path}: the folder {folder} does not exist",
                               "无法写入 {path}：文件夹 {folder} 不存在，请先建好文件夹",
                               path=path, folder=str(folder)))
    if not is_folder:
        raise OutputError(Text("cannot write {path}: {folder} is not a folder",
                               "无法写入 {path}：{folder} 不是文件夹",
                               path=path, folder=str(folder)))
    if not os.access(folder, os.W_OK):
        raise OutputError(Text("cannot write {path}: no permission to write in {folder}",
                               "无法写入 {path}：没有文件夹 {folder} 的写入权限",
                               path=path, folder=str(folder)))
    if target_is_folder:
        raise OutputError(Text("cannot write {path}: it is a folder; give a file name",
                               "无法写入 {path}：这是一个文件夹，请给出文件名", path=path))
    if len(os.fsencode(Path(path).name)) > NAME_MAX:
        raise OutputError(_cannot_write(path, OSError(errno.ENAMETOOLONG, "File name too long")))


NAME_MAX = 255  # bytes in one file name on the file systems cskit meets (ext4, NTFS, APFS)


def is_special(path: str) -> bool:
    """True for an existing target that is not a regular file or a folder: a
    device (/dev/null, /dev/stdout on a terminal), a named pipe, a socket.
    Such a target is written straight into, never replaced by a rename."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def same_path(a: str, b: str) -> bool:
    """Whether two paths name the same file, links resolved: the same inode
    when both exist (hard links too), else the same resolved path."""
    try:
        if os.path.exists(a) and os.path.exists(b):
            return os.path.samefile(a, b)
        return os.path.realpath(a) == os.path.realpath(b)
    except (OSError, ValueError):
        return False


class OutputSet:
    """Every file of one run, all or none (README "Output files").

    Each output is first written completely to a temporary file beside its
    target; only when the run has succeeded are they all renamed into place
    (``commit``). On any failure (``abort``) every temporary file is removed
    and every earlier output stays as it was. ``protected`` lists the
    (option, path) pairs the run reads: an output landing on one of them —
    or on another output of the run — is refused before anything is written.
    """

    def __init__(self, protected: "list[tuple[str, str]]" = ()):
        self.protected = [(option, path) for option, path in protected
                          if path and path != "-" and os.path.exists(path)]
        self.staged: list[tuple[str, str, str]] = []  # (temporary, target, option)
        self.folders: list[str] = []  # folders created for the outputs

    def check(self, path: str, option: str) -> None:
        """A usage error when PATH is an input or another output of the run."""
        if is_special(path):
            return  # a device or a pipe is written into, never replaced
        for other_option, other in self.protected:
            if same_path(path, other):
                raise UsageError(clash(other_option, other, option, path))
        for _, target, other_option in self.staged:
            if same_path(path, target):
                raise UsageError(clash(other_option, target, option, path, output=True))

    def add(self, tmp: str, target: str, option: str) -> None:
        self.staged.append((tmp, target, option))

    def commit(self) -> None:
        for i, (tmp, target, option) in enumerate(self.staged):
            try:
                _put_in_place(tmp, target)
            except OSError as exc:
                self.staged = self.staged[i:]
                self.abort()
                if isinstance(exc, BrokenPipeError):
                    raise  # the reader of a pipe went away: ended quietly by the CLI
                raise OutputError(_cannot_write(target, exc)) from None
        self.staged = []

    def abort(self) -> None:
        for tmp, _, _ in self.staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        self.staged = []
        for folder in reversed(self.folders):
            with contextlib.suppress(OSError):
                os.rmdir(folder)  # only when still empty
        self.folders = []

    def make_folder(self, folder: str, option: str) -> None:
        """Create FOLDER (and its parents) for per-staff or per-customer files;
        removed again if the run fails and it is still empty."""
        missing = []
        probe = os.path.abspath(folder)
        while probe and not os.path.exists(probe):
            missing.append(probe)
            parent = os.path.dirname(probe)
            if parent == probe:
                break
            probe = parent
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError as exc:
            raise OutputError(Text("{option} {folder}: cannot create the folder: {reason}",
                                   "{option} {folder}：无法创建文件夹：{reason}",
                                   option=option, folder=folder,
                                   reason=os_reason(exc))) from None
        self.folders.extend(reversed(missing))


_current: "list[OutputSet]" = []


@contextlib.contextmanager
def all_or_none(protected: "list[tuple[str, str]]" = ()):
    """Within the block, every ``atomic_path`` is staged in one OutputSet and
    renamed into place when the block ends without an error."""
    outputs = OutputSet(protected)
    _current.append(outputs)
    try:
        yield outputs
    except BaseException:
        _current.remove(outputs)
        outputs.abort()
        raise
    _current.remove(outputs)
    outputs.commit()


def current_outputs() -> "OutputSet | None":
    return _current[-1] if _current else None


def clash(first_option: str, first: str, second_option: str, second: str, *,
          output: bool = False) -> Text:
    """The message of two options naming one file: FIRST an input (or, with
    OUTPUT, another output), SECOND the output that would replace it."""
    if output:
        why = Text("refusing to write one output over another; give each its own path",
                   "为免一个输出覆盖另一个，拒绝运行；请给每个输出各自的路径")
    else:
        why = Text("refusing to overwrite an input; give {option} another path",
                   "为免覆盖输入，拒绝运行；请给 {option} 换一个路径", option=second_option)
    if first == second:
        return Text("{a} and {b} both name {path}: {why}",
                    "{a} 和 {b} 指向同一个文件 {path}：{why}",
                    a=first_option, b=second_option, path=first, why=why)
    return Text("{a} {first} and {b} {second} are the same file: {why}",
                "{a} {first} 与 {b} {second} 是同一个文件：{why}",
                a=first_option, first=first, b=second_option, second=second, why=why)


@contextlib.contextmanager
def atomic_path(path: str, option: str = "-o"):
    """Yield a temporary path beside PATH; on success rename it over PATH, on
    any failure (or Ctrl-C / SIGTERM) remove it and leave PATH untouched.

    Inside ``all_or_none`` the rename waits for the end of the run. A link
    to a regular file is followed (the file it names is replaced, the link
    stays). A device or a named pipe is never replaced: the finished file is
    copied into it. A failed write (a full disk…) is an OutputError (exit 3).
    """
    outputs = current_outputs()
    if outputs is not None:
        outputs.check(path, option)
    check_output_folder(path)
    special = is_special(path)
    target = Path(path if special or not os.path.islink(path) else os.path.realpath(path))
    folder = tempfile.gettempdir() if special else (str(target.parent) or ".")
    # Ctrl-C / SIGTERM are held back until the temporary file is known to the
    # cleanup below: a signal between its creation and the `try` would leave it
    held = _hold_signals()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{_short(target.name)}.", suffix=".tmp",
                                   dir=folder)
        os.close(fd)
    except OSError as exc:
        _release_signals(held)
        raise OutputError(_cannot_write(path, exc)) from None
    try:
        _release_signals(held)
        try:
            yield tmp
        except Exception as exc:
            reason = _os_error_in(exc, tmp)
            if reason is None:
                raise
            raise OutputError(_cannot_write(path, reason)) from exc
        try:
            if special:
                pass
            elif target.exists():
                os.chmod(tmp, target.stat().st_mode & 0o777)
            else:
                os.chmod(tmp, 0o666 & ~_umask())
        except OSError as exc:
            raise OutputError(_cannot_write(path, exc)) from None
        if outputs is not None:
            outputs.add(tmp, str(target), option)
        else:
            try:
                _put_in_place(tmp, str(target))
            except BrokenPipeError:
                raise
            except OSError as exc:
                raise OutputError(_cannot_write(path, exc)) from None
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        _release_writers(exc)
        raise


_WRITE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS,
                 errno.ENAMETOOLONG}


def _os_error_in(exc: BaseException, tmp: str) -> "OSError | None":
    """The operating system's refusal to write behind a writer's error, if it
    is one (xlsxwriter wraps a full disk in its own FileCreateError); not an
    error of reading something else (a template that is not found)."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, OSError) and (exc.errno in _WRITE_ERRORS or (
                exc.errno is not None and exc.filename == tmp)):
            return exc
        wrapped = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else None
        exc = wrapped or exc.__cause__ or exc.__context__
        seen += 1
    return None


def _put_in_place(tmp: str, target: str) -> None:
    """Rename TMP over TARGET; a device or a pipe gets TMP's bytes instead."""
    if is_special(target):
        try:
            with open(tmp, "rb") as source, open(target, "wb") as sink:
                shutil.copyfileobj(source, sink, 1 << 20)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        return
    os.replace(tmp, target)


def _short(name: str) -> str:
    """A file name cut so that a temporary name built on it stays legal."""
    while len(os.fsencode(name)) > 120:
        name = name[:-1]
    return name


def _release_writers(exc: BaseException) -> None:
    """Let go of the writers a failed write left open (a ZipFile of an XLSX or
    DOCX on a full disk), quietly: finalised later, they would try to write
    again and print an 'Exception ignored' traceback."""
    import gc
    import traceback

    hook = sys.unraisablehook
    sys.unraisablehook = lambda *args: None
    try:
        seen = exc
        while seen is not None:
            traceback.clear_frames(seen.__traceback__)
            seen = seen.__context__
        gc.collect()
    finally:
        sys.unraisablehook = hook


def _cannot_write(path: str, exc: OSError) -> Text:
    return Text("cannot write {path}: {reason}", "无法写入 {path}：{reason}",
                path=path, reason=os_reason(exc))


# --- names of per-staff and per-customer files ----------------------------------------
FILE_NAME_BYTES = 120  # a name's stem, leaving room for a suffix, a hash and a temp prefix
_UNSAFE = re.compile(r"[^\w.\-]+")
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
             *(f"lpt{i}" for i in range(1, 10))}


def safe_file_name(key, used: set, suffix: str = "") -> str:
    """A file name for one staff member's or customer's file, unique in a folder.

    KEY (a staff_id, a customer_id…) is kept as it is when it is already a
    safe name: letters (Chinese included), digits, ``_``, ``-`` and inner
    dots. Anything else (spaces, ``/``, a leading or trailing dot, a name
    Windows reserves such as ``CON``, more than 120 bytes) is replaced by
    ``_`` or cut, and then a short stable hash of the original KEY is added,
    so that ``S 01``, ``S_01``, ``S/01``, ``S01.`` and ``S01`` give five
    different files: ``S_01-3f2a9c1d``, ``S_01``, ``S_01-8b0e…``, ``S01-…``,
    ``S01``. A KEY with no usable character becomes ``file-<hash>``.

    USED holds the names already given in the folder (compared ignoring
    case, as Windows and macOS do); the name returned (SUFFIX included, e.g.
    ``.ics``) is added to it. The same keys in the same order always give
    the same names."""
    original = str(key)
    stem = _UNSAFE.sub("_", unicodedata.normalize("NFC", original)).strip("._")
    cut = stem
    while len(os.fsencode(cut)) > FILE_NAME_BYTES:
        cut = cut[:-1]
    changed = cut != original or cut.lower() in _RESERVED
    stem = cut or "file"
    digest = hashlib.sha1(original.encode("utf-8", "surrogatepass")).hexdigest()
    name = f"{stem}-{digest[:8]}{suffix}" if changed else f"{stem}{suffix}"
    if name.lower() in used:  # two keys equal but for case
        name = f"{stem}-{digest[:8]}{suffix}"
    n = 1
    while name.lower() in used:  # a hash shared: next in line
        n += 1
        name = f"{stem}-{digest[:8]}-{n}{suffix}"
    used.add(name.lower())
    return name


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
    if ext not in EXT_FORMATS and is_special(path):
        return "csv"  # /dev/null, /dev/stdout, a named pipe: as on standard output
    if ext not in EXT_FORMATS:
        raise UsageError(Text("cannot tell the output format from {path!r}; use an extension "
                              "({extensions}) or --format",
                              "无法从“{path}”判断输出格式；请使用扩展名（{extensions}）"
                              "或用 --format 指定",
                              path=path, extensions=Join((", ", "、"), sorted(EXT_FORMATS))))
    return EXT_FORMATS[ext]


# --- cell preparation ---------------------------------------------------------------
def neutralize(frame: pd.DataFrame) -> pd.DataFrame:
    """Text a spreadsheet would run as a formula, prefixed with an apostrophe:
    headers and cells alike, whatever the cell's type (a time span shows as
    ``-3 days, 0:00:00``, an object as whatever its text is). Numbers, dates
    and booleans stay what they are; so does text that is a plain number
    (``-12.5``)."""
    out = frame
    for position in range(frame.shape[1]):
        series = frame.iloc[:, position]
        kind = series.dtype
        if (pd.api.types.is_numeric_dtype(kind) and not pd.api.types.is_timedelta64_dtype(kind)) \
                or pd.api.types.is_datetime64_any_dtype(kind) or pd.api.types.is_bool_dtype(kind):
            continue
        present = series.notna()
        text = series.astype("str")
        risky = text.str.startswith(FORMULA_START).fillna(False) & present
        if not risky.any():
            continue
        risky &= ~text.str.match(_PLAIN_NUMBER).fillna(False)
        if risky.any():
            if out is frame:
                out = frame.copy()
            out.isetitem(position, series.astype(object).where(~risky, "'" + text))
    names = [neutral_text(c) if isinstance(c, str) else c for c in out.columns]
    if names != list(out.columns):
        if out is frame:
            out = frame.copy(deep=False)
        out.columns = names
    return out


def neutral_headers(frame: pd.DataFrame) -> pd.DataFrame:
    """FRAME with its formula-like headers neutralised (cells unchanged)."""
    names = [neutral_text(c) if isinstance(c, str) else c for c in frame.columns]
    if names == list(frame.columns):
        return frame
    out = frame.copy(deep=False)
    out.columns = names
    return out


def neutral_text(text: str) -> str:
    """TEXT as a spreadsheet will show it rather than run it."""
    text = str(text)
    if text.startswith(FORMULA_START) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


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


def to_standard_output(data: "str | bytes") -> None:
    """Write DATA to standard output. A reader that went away (``| head``)
    raises BrokenPipeError, which the CLI ends quietly on; any other failure
    (``> /dev/full``) is an OutputError (exit 3)."""
    try:
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(cannot_write_stdout(exc)) from None


def cannot_write_stdout(exc: OSError) -> Text:
    silence_standard_output()
    return Text("cannot write to standard output: {reason}", "无法写入标准输出：{reason}",
                reason=os_reason(exc))


def silence_standard_output() -> None:
    """Point standard output at /dev/null, so that the interpreter's last
    flush of what could not be written fails no more."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
