"""Reporting periods: a month, a quarter or a year, and which period a
record belongs to."""
from __future__ import annotations

from dataclasses import dataclass
import re

import numpy as np
import pandas as pd


# --- periods -----------------------------------------------------------------
@dataclass(frozen=True)
class Period:
    """A reporting period: a month (2026-10), a quarter (2026-Q3) or a year."""

    kind: str  # month | quarter | year
    year: int
    number: int  # month 1–12, quarter 1–4, or 1 for a year

    @property
    def first_month(self) -> int:
        """Months since year 0 of the first month (comparable across kinds)."""
        offset = {"month": self.number - 1, "quarter": 3 * (self.number - 1), "year": 0}
        return self.year * 12 + offset[self.kind]

    @property
    def months(self) -> int:
        return {"month": 1, "quarter": 3, "year": 12}[self.kind]

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.year:04d}-{self.number:02d}"
        if self.kind == "quarter":
            return f"{self.year:04d}-Q{self.number}"
        return f"{self.year:04d}"

    @property
    def start(self) -> pd.Timestamp:
        return _month_start(self.first_month)

    @property
    def end(self) -> pd.Timestamp:
        """The last day of the period, at midnight."""
        return _month_start(self.first_month + self.months) - pd.Timedelta(days=1)

    def shifted(self, steps: int) -> "Period":
        """The period ``steps`` periods of the same kind later (negative: earlier)."""
        month = self.first_month + steps * self.months
        year, rest = divmod(month, 12)
        number = {"month": rest + 1, "quarter": rest // 3 + 1, "year": 1}[self.kind]
        return Period(self.kind, year, number)

    def __str__(self) -> str:
        return self.label


def _month_start(month_index: int) -> pd.Timestamp:
    year, rest = divmod(month_index, 12)
    return pd.Timestamp(year=year, month=rest + 1, day=1)


_MONTH = re.compile(r"^(\d{4})\s*(?:[-/.年]\s*(\d{1,2})|(\d{2}))\s*月?(?:\s*[-/.]\s*\d{1,2}\s*日?)?$")
_QUARTER = re.compile(r"^(\d{4})\s*[-/.年]?\s*(?:[Qq]\s*([1-4])|第?([1-4一二三四])季度?)$")
_YEAR = re.compile(r"^(\d{4})\s*年?$")
_CN_DIGIT = {"一": 1, "二": 2, "三": 3, "四": 4}


def parse_period(text) -> Period | None:
    """``2026-10``, ``2026/10``, ``202610``, ``2026年10月``, ``2026-Q3``,
    ``2026年第三季度``, ``2026`` → a Period; None when it is none of them."""
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return None
    if isinstance(text, (pd.Timestamp,)):
        return Period("month", text.year, text.month)
    text = str(text).strip()
    match = _MONTH.match(text)
    if match:
        month = int(match.group(2) or match.group(3))
        if 1 <= month <= 12:
            return Period("month", int(match.group(1)), month)
        return None
    match = _QUARTER.match(text)
    if match:
        quarter = match.group(2) or match.group(3)
        quarter = _CN_DIGIT.get(quarter) or int(quarter)
        return Period("quarter", int(match.group(1)), quarter)
    match = _YEAR.match(text)
    if match:
        return Period("year", int(match.group(1)), 1)
    return None


def months_between(start: pd.Timestamp, end: pd.Timestamp) -> list[Period]:
    """One Period per calendar month from the month of start to that of end."""
    first = start.year * 12 + start.month - 1
    last = end.year * 12 + end.month - 1
    return [Period("month", m // 12, m % 12 + 1) for m in range(first, last + 1)]


def default_period(as_of: pd.Timestamp) -> Period:
    """The month being reported when none is named: the as-of month when
    as-of is its last day (a month-end run), otherwise the month before."""
    as_of = pd.Timestamp(as_of)
    month = Period("month", as_of.year, as_of.month)
    return month if as_of == month.end else month.shifted(-1)


class _PeriodMap:
    """Which computed period a record belongs to, looked up vectorised.

    Labels come back as a categorical Series whose categories are the
    computed periods' labels, sorted (NaN: in no computed period)."""

    def __init__(self, periods: list[Period]):
        self.periods = periods
        self.by_month: dict[int, str] = {}
        for period in periods:
            for m in range(period.first_month, period.first_month + period.months):
                self.by_month[m] = period.label
        self.labels = {p.label for p in periods}
        self.end_of = {p.label: p.end for p in periods}
        self.categories = pd.Index(sorted(self.labels), dtype="str")

    def _labelled(self, codes: np.ndarray, index) -> pd.Series:
        return pd.Series(pd.Categorical.from_codes(codes, categories=self.categories),
                         index=index)

    def of_dates(self, dates: pd.Series, shift_years: int = 0) -> pd.Series:
        """Period label of each date (NaN when outside every period)."""
        stamps = dates.to_numpy()
        if stamps.dtype.kind != "M":
            stamps = stamps.astype("datetime64[ns]")
        # months since year 0, as Period.first_month counts them
        month = stamps.astype("datetime64[M]").astype("int64") + 1970 * 12 + 12 * shift_years
        codes = np.full(len(stamps), -1, dtype="int64")
        if self.by_month:
            first = min(self.by_month)
            table = np.full(max(self.by_month) - first + 1, -1, dtype="int64")
            for m, label in self.by_month.items():
                table[m - first] = self.categories.get_loc(label)
            inside = ~np.isnat(stamps) & (month >= first) & (month < first + len(table))
            codes[inside] = table[month[inside] - first]
        return self._labelled(codes, dates.index)

    def of_texts(self, texts: pd.Series, shift_years: int = 0) -> tuple[pd.Series, pd.Series]:
        """Period label of each period text; and a mask of texts that are not
        periods at all. Parsed once per distinct text."""
        codes, uniques = pd.factorize(texts, use_na_sentinel=True)
        labels, bad = [], []
        for text in uniques:
            period = parse_period(text)
            bad.append(period is None)
            label = None
            if period is not None:
                if period.kind == "month":
                    label = self.by_month.get(period.first_month + 12 * shift_years)
                else:
                    shifted = Period(period.kind, period.year + shift_years, period.number)
                    label = shifted.label if shifted.label in self.labels else None
            labels.append(-1 if label is None else self.categories.get_loc(label))
        table = np.array(labels + [-1], dtype="int64")
        bad_table = np.array(bad + [False], dtype=bool)
        codes = np.where(codes < 0, len(uniques), codes)
        return (self._labelled(table[codes], texts.index),
                pd.Series(bad_table[codes], index=texts.index))


def period_text_problems(texts: pd.Series) -> pd.Series:
    """True where a period cell is filled but is not a month, quarter or year."""
    return _PeriodMap([]).of_texts(texts)[1]
