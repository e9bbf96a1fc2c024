"""One command invocation: what it read, what it rejected, what it wrote.

Every command follows the same shape (STYLE.md: parse → compute → render)::

    run = Run.from_options("aging-report", common, argv)
    with run:
        invoices = run.read(path, schema.INVOICES, option="INVOICES")
        payments = run.read(p, schema.PAYMENTS, option="--payments") if p else None
        invoices = run.reject(invoices, mask, column="invoice_no",
                              expected="...", option="INVOICES")      # domain checks
        policy = run.policy("aging", check=aging.check_policy)
        result = aging.aging_report(invoices, payments, policy, as_of=run.as_of, ...)
        run.params["basis"] = basis                                    # Parameters sheet
        run.write({"Summary": summary, "Open items": detail})

``read`` returns a DataFrame with canonical column names, parsed values
(see cskit.schema for the types) and unknown columns passed through; its
index is the row number as Excel shows it (header = 1, first data row = 2),
named ``row``. Bad values raise DataError naming file, row, column, value
and what was expected — or, with ``--rejects``, the bad rows are set aside
and the rest returned. On leaving the ``with`` block the rejects file is
written and stderr gets the read/used/rejected counts.

Before anything is read, ``from_options`` refuses a run whose outputs would
overwrite one of its inputs or each other (``check_paths``; which options
are which: cskit.options.path_role). Every file the run writes inside the
``with`` block is staged and renamed into place only when the block ends
without an error: all outputs or none (cskit.io.write.all_or_none).
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Iterable

from cskit import __version__
from cskit.errors import DataError, OutputError, Problem, UsageError
from cskit.i18n import Text, render


@dataclass
class InputRecord:
    option: str
    path: str
    kind: str
    read: int = 0
    rejected: int = 0
    raw: Any = None  # the cells as in the file (with --rejects): rejected rows keep them
    headers: dict = field(default_factory=dict)  # canonical name → header in the file
    set_aside: dict = field(default_factory=dict)  # kind → rows that are not data
    known: frozenset = frozenset()  # the columns its schema reads (the rest pass through)


class Run:
    def __init__(self, command: str, *, output: str | None = None, fmt: str | None = None,
                 lang: str = "en", quiet: bool = False, encoding: str | None = None,
                 sheet: str | None = None, rejects: str | None = None,
                 policy_path: str | None = None, as_of: str | None = None,
                 argv: list[str] | None = None, totals: bool = False,
                 column_map: tuple | str | None = None):
        from cskit.io import values

        self.command = command
        self.output = output
        self.fmt = fmt
        self.lang = lang
        self.quiet = quiet
        self.encoding = encoding
        self.sheet = sheet
        self.rejects_path = rejects
        self.policy_path = policy_path
        self.totals = bool(totals)  # --totals: a totals row in text outputs too
        self.argv = list(sys.argv[1:] if argv is None else argv)
        self.as_of = values.parse_as_of(as_of)  # pandas Timestamp at midnight
        from cskit.io import encodings
        encodings.check(encoding)  # rot13, base64, zlib… are not text encodings
        self.inputs: list[InputRecord] = []
        self.rejected: list[Any] = []  # DataFrames of rejected rows
        self.params: dict[str, Any] = {}
        self.policies: dict[str, dict] = {}
        self.written: list[str] = []
        self.started = datetime.now()
        self.protected: list[tuple[str, str]] = []  # (option, path) of every input
        self._outputs = None  # the all-or-none set of this run's files, while it runs
        self.mapping = _column_map(command, column_map, policy_path)
        for path in (output, rejects):
            if path and path != "-":
                from cskit.io.write import check_output_folder
                check_output_folder(path)

    @classmethod
    def from_options(cls, command: str, options: dict, argv: list[str] | None = None) -> "Run":
        """Build from a click command's keyword arguments (the shared ones)."""
        from cskit.options import COMMON

        import click

        ctx = click.get_current_context(silent=True)
        protected: list[tuple[str, str]] = []
        if ctx is not None and ctx.command is not None:
            # before anything is read: no output may be an input or another output
            protected = check_paths(ctx.command, ctx.params)
        run = cls(command, argv=argv, **{k: options.get(k) for k in COMMON if k in options})
        run.protected = protected
        return run

    # --- context ---------------------------------------------------------
    def __enter__(self) -> "Run":
        from cskit.io.write import all_or_none

        self._outputs = all_or_none(self.protected)
        self._outputs.__enter__()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        # every output of the run is renamed into place together, or none is
        outputs, self._outputs = self._outputs, None
        if exc_type is not None:
            outputs.__exit__(exc_type, exc, tb)
            return
        try:
            self._finish()
        except BaseException as error:
            outputs.__exit__(type(error), error, error.__traceback__)
            raise
        outputs.__exit__(None, None, None)

    # --- messages --------------------------------------------------------
    def info(self, message: Text) -> None:
        """A line of summary on stderr (silenced by --quiet)."""
        if not self.quiet:
            print(render(message), file=sys.stderr)

    def warn(self, message: Text) -> None:
        """Something the user should know even when it is not an error."""
        if not self.quiet:
            prefix = "注意：" if self.lang == "zh" else "warning: "
            print(prefix + render(message), file=sys.stderr)

    def progress(self, iterable: Iterable, length: int | None = None, label: str = ""):
        """A progress bar on stderr for long loops, only on a terminal."""
        if self.quiet or not sys.stderr.isatty() or os.environ.get("NO_COLOR") is not None:
            return iterable
        import click

        return click.progressbar(iterable, length=length, label=label, file=sys.stderr)

    # --- reading ---------------------------------------------------------
    def read(self, path: str, schema, *, option: str, sheet: str | None = None,
             allow_empty: bool = False, currency_aware: bool = False):
        """Read one input table (see module doc). ``option`` names it in
        messages: "INVOICES", "--payments". ``currency_aware``: the command
        works in each row's own currency (cskit.io.derive.foreign_currency)."""
        from cskit.io.read import read_table

        self._check_not_output(path, option)
        record = InputRecord(option=option, path=path, kind=schema.kind,
                             known=frozenset(schema.names))
        self.inputs.append(record)
        kept: dict = {}
        frame, problems, bad_rows = read_table(
            path, schema, encoding=self.encoding, sheet=sheet or self.sheet,
            collect_rows=bool(self.rejects_path), keep_raw=kept, mapping=self.mapping,
            allow_empty=allow_empty, currency_aware=currency_aware)
        record.headers = kept.get("headers", {})  # messages name columns as the file does
        if self.rejects_path:
            record.raw = kept.get("raw")
        record.set_aside = dict(frame.attrs.get("set_aside", {}))
        # line items summed into their invoice are used; the rest set aside is not data
        record.read = len(frame) + sum(record.set_aside.values())
        self._say_reading(record, frame.attrs)
        if problems:
            if not self.rejects_path or bad_rows is None:
                raise DataError(problems, hint=_hint(problems, self.rejects_path),
                                more=frame.attrs.get("more_problems", 0))
            self._divert(record, bad_rows)
            frame = frame.drop(index=bad_rows.index, errors="ignore")
        # what the reader noted has been said; pandas deep-copies attrs on every
        # operation, so the table goes on without them (they hold whole frames)
        frame.attrs = {}
        _release_arrow_memory()
        return frame

    def reject(self, frame, mask, *, expected: Text, option: str, column: str | None = None,
               values=None):
        """Rows of ``frame`` where ``mask`` is true break a rule the domain
        checks (a payment to an unknown invoice, a duplicate key…). Raise a
        DataError naming each, or with --rejects set them aside; returns the
        rows that pass. ``values`` (a Series aligned to frame) shows the
        offending value in the message; default: ``frame[column]``."""
        import pandas as pd

        mask = pd.Series(mask, index=frame.index).fillna(False).astype(bool)
        if not mask.any():
            return frame
        record = self._record(option)
        bad = frame[mask]
        shown = values if values is not None else (frame[column] if column in frame else None)
        label = record.headers.get(column, column) if record else column
        problems = [Problem(file=record.path if record else option, row=int(row),
                            column=label, expected=expected,
                            value=None if shown is None else shown.loc[row])
                    for row in bad.index[:200]]
        if not self.rejects_path:
            raise DataError(problems, hint=_hint(problems, None), more=max(len(bad) - 200, 0))
        original = bad
        if record is not None and record.raw is not None and bad.index.isin(record.raw.index).all():
            # the rejects file shows each row as the user wrote it, under the file's headers
            original = record.raw.loc[bad.index].rename(columns=record.headers)
        reasons = original.assign(reject_reason=(f"{label}: " if label else "") + render(expected))
        if record:
            self._divert(record, reasons)
        else:
            self.rejected.append(reasons)
        return frame[~mask]

    def _say_reading(self, record: InputRecord, attrs: dict) -> None:
        """What the reader decided about a file: where its header is, which
        column it used where several matched, the total check, lookalikes."""
        first, last = attrs.get("header_rows", (1, 1))
        if first != last:
            self.info(Text("{path}: header on rows {first}-{row}",
                           "{path}：表头在第 {first}-{row} 行", path=record.path, row=last,
                           first=first))
        elif last > 1:
            self.info(Text("{path}: header on row {row}", "{path}：表头在第 {row} 行",
                           path=record.path, row=last))
        for level, note in attrs.get("notes", []):
            line = Text("{path}: {note}", "文件 {path}：{note}", path=record.path, note=note)
            if level == "warn":
                self.warn(line)
            else:
                self.info(line)

    def _record(self, option: str) -> InputRecord | None:
        for record in reversed(self.inputs):
            if record.option == option:
                return record
        return None

    def _divert(self, record: InputRecord, bad_rows) -> None:
        bad_rows = bad_rows.copy()
        bad_rows.insert(0, "source_file", record.path)
        bad_rows.insert(1, "source_row", bad_rows.index)
        record.rejected += len(bad_rows)
        self.rejected.append(bad_rows)

    def _check_not_output(self, path: str, option: str) -> None:
        from cskit.io.write import clash, current_outputs, same_path

        if path == "-" or not os.path.exists(path):
            return
        for out_option, out in (("-o", self.output), ("--rejects", self.rejects_path)):
            if out and out != "-" and same_path(out, path):
                raise UsageError(clash(option, path, out_option, out))
        current = current_outputs()  # files written later must not land on it either
        if current is not None and (option, path) not in current.protected:
            current.protected.append((option, path))

    # --- policy ----------------------------------------------------------
    def policy(self, kind: str, check: Callable[[dict], list[Text]] | None = None) -> dict:
        from cskit import policy

        loaded = policy.load(kind, self.policy_path, check=check)
        self.policies[kind] = loaded
        return loaded

    # --- writing ---------------------------------------------------------
    def write(self, sheets, *, formats: dict | None = None, title: str | None = None,
              highlight: dict | None = None) -> str:
        """Write the command's result: a DataFrame, or a dict of sheet name →
        DataFrame whose first entry is the main table. XLSX gets every sheet
        plus Parameters; other formats get the main table. ``formats`` maps a
        column to an Excel number format ("0.0%", "#,##0") in every sheet; a
        dict value ({"Wide": {"col": "0.0%"}}) applies to that sheet only.
        ``highlight`` maps a sheet to a frame (same index, some of its
        columns) of True (green) / False (red) / NA cells."""
        from cskit.io.write import write_report

        if not isinstance(sheets, dict):
            sheets = {"Result": sheets}
        written = write_report(sheets, self.output, fmt=self.fmt, lang=self.lang,
                               parameters=self.parameters(), formats=formats or {},
                               title=title, highlight=highlight, originals=self.originals(),
                               option="-o", totals=self.totals)
        self.written.append(self.output or "-")
        main = next(iter(sheets.values()))
        if len(main) == 0:
            self.warn(Text("{command}: the result is empty", "{command}：结果为空",
                           command=self.command))
        return written

    def originals(self) -> dict[str, str]:
        """Columns the inputs brought along → the header the user's file gives
        them: outputs keep the user's header (first input that has the column
        wins). A column is the user's when cskit only carries it (labels.is_own)."""
        from cskit.labels import is_own

        found: dict[str, str] = {}
        for record in self.inputs:
            for name, shown in (record.headers or {}).items():
                if not is_own(str(name)):
                    found.setdefault(str(name), str(shown))
        return found

    def parameters(self) -> list[tuple[str, str]]:
        """Rows of the Parameters sheet: command, as-of, inputs, policy."""
        rows = [("command", "cskit " + " ".join([self.command] + _args_after(self.argv, self.command))),
                ("cskit version", __version__),
                ("as_of", self.as_of.strftime("%Y-%m-%d")),
                ("run at", self.started.strftime("%Y-%m-%d %H:%M:%S"))]
        for record in self.inputs:
            rows.append((f"input {record.option}", f"{record.path} ({record.read} rows"
                         + (f", {record.rejected} rejected)" if record.rejected else ")")))
        for kind, pol in self.policies.items():
            rows.append((f"policy {kind}", f"{self.policy_path or 'built-in defaults'} "
                                            f"(policy_id {pol['policy_id']})"))
        for key, value in self.params.items():
            rows.append((key, str(value)))
        return rows

    def _finish(self) -> None:
        if self.rejects_path:
            from cskit.io.write import write_rejects

            write_rejects(self.rejected, self.rejects_path)
        from cskit.io.setaside import set_aside_text

        for record in self.inputs:
            aside = sum(n for kind, n in record.set_aside.items() if kind != "lines")
            used = record.read - record.rejected - aside
            fields = dict(path=record.path, read=record.read, used=used,
                          rejected=record.rejected, rejects=self.rejects_path)
            if not self.rejects_path:
                line = Text("{path}: {read} rows read, {used} used",
                            "{path}：读入 {read} 行，使用 {used} 行", **fields)
            elif record.rejected:
                line = Text("{path}: {read} rows read, {used} used, {rejected} rejected "
                            "(see {rejects})",
                            "{path}：读入 {read} 行，使用 {used} 行，剔除 {rejected} 行"
                            "（见 {rejects}）", **fields)
            else:
                line = Text("{path}: {read} rows read, {used} used, 0 rejected",
                            "{path}：读入 {read} 行，使用 {used} 行，剔除 0 行", **fields)
            if aside:
                line = line + Text("; set aside as not data: {kinds}",
                                   "；不是数据、已略过：{kinds}",
                                   kinds=set_aside_text(record.set_aside))
            self.info(line)


def check_paths(command, params: dict) -> list[tuple[str, str]]:
    """Refuse (usage error, exit 2) a run whose outputs overwrite one of its
    inputs or each other, links resolved; the options that name files are
    those cskit.options.path_role says. Returns the (option, path) inputs."""
    from cskit.io.write import clash, is_special, same_path
    from cskit.options import option_name, path_role

    inputs: list[tuple[str, str]] = []
    outputs: list[tuple[str, str]] = []
    for param in command.params:
        role = path_role(param)
        value = params.get(param.name)
        if role is None or value is None:
            continue
        for given in value if isinstance(value, (list, tuple)) else [value]:
            if not given or given == "-" or not isinstance(given, str):
                continue
            if role == "input":
                inputs += [(option_name(param), p) for p in _input_paths(given)]
            else:
                outputs.append((option_name(param), given))
    outputs = [(option, out) for option, out in outputs if not is_special(out)]
    # a device or a pipe is written into, never replaced: it destroys nothing
    for out_option, out in outputs:
        for in_option, path in inputs:
            if same_path(out, path):
                raise UsageError(clash(in_option, path, out_option, out))
    for i, (first_option, first) in enumerate(outputs):
        for second_option, second in outputs[i + 1:]:
            if same_path(first, second):
                raise UsageError(clash(first_option, first, second_option, second,
                                       output=True))
    return inputs


def _input_paths(given: str) -> list[str]:
    """The existing files an input value names: PATH, or NAME=PATH."""
    if os.path.exists(given):
        return [given]
    if "=" in given:
        path = given.split("=", 1)[1]
        if path and path != "-" and os.path.exists(path):
            return [path]
    return []


def _column_map(command: str, given, policy_path: str | None) -> dict[str, str]:
    """Header → canonical column from --map (wins) over the policy's [columns]."""
    from cskit.io.header import parse_mapping
    from cskit.policy import columns_map
    from cskit import schema

    mapping = dict(columns_map(policy_path)) if policy_path else {}
    try:
        mapping.update(parse_mapping(given))
    except ValueError as exc:
        raise UsageError(Text("--map: {pair!r} is not HEADER=column (for example "
                              "--map '往来单位编码=customer_id,价税合计=amount')",
                              "--map：“{pair}”不是“表头=列名”的形式（例如 "
                              "--map '往来单位编码=customer_id,价税合计=amount'）",
                              pair=str(exc))) from None
    valid = sorted({c.name for s in vars(schema).values() if isinstance(s, schema.Schema)
                    for c in s.columns})
    for header, canonical in mapping.items():
        if canonical not in valid:
            raise UsageError(Text("--map {header}={canonical}: {canonical} is not a column cskit "
                                  "reads; valid names: {names}",
                                  "--map {header}={canonical}：cskit 没有 {canonical} 这一列；"
                                  "可用的列名：{names}",
                                  header=header, canonical=canonical, names=", ".join(valid)))
    return mapping


def _hint(problems: list[Problem], rejects: str | None) -> str | None:
    if rejects:
        return None
    return Text("Fix the file, or add --rejects FILE to set bad rows aside and carry on.",
                "请改正文件；或加上 --rejects 文件名，把有问题的行另存到该文件，其余照常处理。")


def _args_after(argv: list[str], command: str) -> list[str]:
    if command in argv:
        return argv[argv.index(command) + 1:]
    return argv


def _release_arrow_memory() -> None:
    """Give back what Arrow's allocator keeps of the raw cells once a table is
    read (a million rows: some 500 MB off the peak of what follows)."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
