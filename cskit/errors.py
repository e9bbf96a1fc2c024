"""Typed errors raised by the library and translated once, in the CLI.

Exit codes (SPEC §1.1): 1 bad input data or policy, 2 bad usage, 3 an
output could not be written.
"""
from __future__ import annotations

from dataclasses import dataclass, field

MAX_SHOWN = 20


class CskitError(Exception):
    """Base of every error a user can cause; never shown with a traceback."""

    exit_code = 1

    def format(self) -> str:
        return str(self)


@dataclass
class Problem:
    """One bad cell, row or file: what, where and what was expected."""

    file: str
    expected: str
    row: int | None = None  # as Excel shows it: header = 1, first data row = 2
    column: str | None = None
    value: object = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
        text = f"{where}: "
        if self.value is not None and self.value != "" and not _missing(self.value):
            shown = str(self.value)
            if len(shown) > 60:
                shown = shown[:57] + "..."
            text += f"{shown!r} — "
        return text + self.expected


def _missing(value) -> bool:
    try:
        return value != value or str(value) in ("<NA>", "NaT")  # NaN, pd.NA, NaT
    except (TypeError, ValueError):
        return False


class DataError(CskitError):
    """Bad input data: one or more problems, each naming file/row/column."""

    exit_code = 1

    def __init__(self, problems: list[Problem] | Problem | str, hint: str | None = None,
                 more: int = 0):
        if isinstance(problems, str):
            problems = [Problem(file="input", expected=problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        self.hint = hint
        self.more = more  # problems found beyond those listed
        super().__init__(self.format())

    @property
    def count(self) -> int:
        return len(self.problems) + self.more

    def format(self) -> str:
        shown = self.problems[:MAX_SHOWN]
        lines = [str(p) for p in shown]
        rest = self.count - len(shown)
        if rest > 0:
            lines.append(f"... and {rest} more problem{'s' if rest != 1 else ''}")
        if self.hint:
            lines.append(self.hint)
        return "\n".join(lines)


class PolicyError(CskitError):
    """A policy file that does not load or validate; names the key."""

    exit_code = 1


class OutputError(CskitError):
    """An output that could not be written (folder missing, no permission…)."""

    exit_code = 3


class UsageError(CskitError):
    """Options that do not fit together, found after click's own parsing."""

    exit_code = 2
