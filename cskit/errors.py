"""Typed errors raised by the library and translated once, in the CLI.

Exit codes (SPEC §1.1): 1 bad input data or policy, 2 bad usage, 3 an
output could not be written.
"""
from __future__ import annotations

from dataclasses import dataclass

from cskit.i18n import Join, Text, language, render

MAX_SHOWN = 20


class CskitError(Exception):
    """Base of every error a user can cause; never shown with a traceback.

    The message is a ``cskit.i18n.Text`` (English and Chinese), rendered in
    the language of the run when it is shown."""

    exit_code = 1

    def format(self, lang: str | None = None) -> str:
        if not self.args:
            return ""
        return render(self.args[0], lang)

    def __str__(self) -> str:
        return self.format()


@dataclass
class Problem:
    """One bad cell, row or file: what, where and what was expected."""

    file: str
    expected: "Text | Join | str"
    row: int | None = None  # as Excel shows it: header = 1, first data row = 2
    column: str | None = None
    value: object = None

    def render(self, lang: str | None = None) -> str:
        zh = (lang or language()) == "zh"
        where = str(self.file)
        if self.row is not None:
            where += f"，第 {self.row} 行" if zh else f", row {self.row}"
        if self.column:
            where += f"，“{self.column}”列" if zh else f", column {self.column}"
        text = where + ("：" if zh else ": ")
        if self.value is not None and not _missing(self.value) and str(self.value) != "":
            shown = str(self.value)
            if len(shown) > 60:
                shown = shown[:57] + "..."
            text += (f"“{shown}” — " if zh else f"{shown!r} — ")
        return text + render(self.expected, lang)

    def __str__(self) -> str:
        return self.render()


def _missing(value) -> bool:
    try:
        return value != value or str(value) in ("<NA>", "NaT")  # NaN, pd.NA, NaT
    except (TypeError, ValueError):
        return False


class DataError(CskitError):
    """Bad input data: one or more problems, each naming file/row/column."""

    exit_code = 1

    def __init__(self, problems: "list[Problem] | Problem", hint: "Text | None" = None,
                 more: int = 0):
        if isinstance(problems, (str, Text, Join)):
            problems = [Problem(file="input", expected=problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        self.hint = hint
        self.more = more  # problems found beyond those listed
        super().__init__(self.problems)

    @property
    def count(self) -> int:
        return len(self.problems) + self.more

    def format(self, lang: str | None = None) -> str:
        shown = self.problems[:MAX_SHOWN]
        lines = [p.render(lang) for p in shown]
        rest = self.count - len(shown)
        if rest > 0:
            lines.append(render(Text("... and {n} more problem{s}", "……另有 {n} 处问题",
                                     n=rest, s="s" if rest != 1 else ""), lang))
        if self.hint:
            lines.append(render(self.hint, lang))
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
