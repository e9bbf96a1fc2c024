"""Input checks: customer tiers, birthdays and staff days off a plan can use,
each bad cell with what was expected."""
from __future__ import annotations

import re
from datetime import date, timedelta

import numpy as np
import pandas as pd

from cskit.i18n import Text
from cskit.visits.birthdays import _lunar_dates, _solar_month_day
from cskit.visits.common import TIER_EXPECTED, _TIER_WORDS


def normalise_tier(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Tier text → one of TIERS; (tiers, bad mask). Blank → "unrated";
    `1.0` (a number from Excel) → "1"."""
    text = values.astype("str").str.strip().str.lower()
    text = text.str.replace(r"^(\d)\.0+$", r"\1", regex=True)
    tiers = text.map(_TIER_WORDS)
    blank = values.isna() | text.eq("")
    bad = tiers.isna() & ~blank
    return tiers.where(~blank, "unrated").fillna("unrated").astype("str"), bad


def customer_problems(customers: pd.DataFrame) -> list[tuple[str, pd.Series, Text]]:
    """Cells a plan cannot use: (column, bad mask, expected) for each."""
    problems = []
    for column in ("tier", "grade"):
        if column in customers.columns:
            _, bad = normalise_tier(customers[column])
            if column == "grade" and "tier" in customers.columns:
                bad = bad & customers["tier"].isna()
            problems.append((column, bad, TIER_EXPECTED))
    if "birthday" in customers.columns:
        _, bad = _solar_month_day(customers["birthday"])
        problems.append(("birthday", bad, Text("a birthday such as 1985-03-12 or 03-12",
                                                "应为生日日期，如 1985-03-12 或 03-12")))
    if "lunar_birthday" in customers.columns:
        _, bad = _lunar_dates(customers["lunar_birthday"])
        problems.append(("lunar_birthday", bad, Text(
            "a lunar birthday such as 正月初八, 腊月廿三, 闰四月初八 or L01-08",
            "应为农历生日，如 正月初八、腊月廿三、闰四月初八 或 L01-08")))
    return problems


def staff_problems(staff: pd.DataFrame) -> list[tuple[str, pd.Series, Text]]:
    if "days_off" not in staff.columns:
        return []
    _, bad = parse_days_off(staff["days_off"])
    return [("days_off", bad, Text(
        "dates such as 2026-11-05;2026-11-06 or a range 2026-11-05~2026-11-07 "
        "(a range of at most a year)",
        "应为日期，如 2026-11-05;2026-11-06，或日期范围 2026-11-05~2026-11-07"
        "（范围不超过一年）"))]


_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def _one_date(text: str) -> date | None:
    match = _DATE_TEXT.match(text.strip())
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def parse_days_off(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """`2026-11-05;2026-11-06`, `2026-11-05~2026-11-07` → frozenset of dates
    per row; (sets, bad mask)."""
    def one(text):
        if text is None or (isinstance(text, float) and np.isnan(text)) or str(text).strip() == "":
            return frozenset()
        days = set()
        for part in re.split(r"[;,，；、\s]+", str(text).strip()):
            if not part:
                continue
            ends = re.split(r"\s*(?:~|～|\.\.|至|到)\s*", part)
            if len(ends) == 2:
                first, last = _one_date(ends[0]), _one_date(ends[1])
                if first is None or last is None or last < first or (last - first).days > 366:
                    return None
                days.update(first + timedelta(days=i) for i in range((last - first).days + 1))
            else:
                day = _one_date(part)
                if day is None:
                    return None
                days.add(day)
        return frozenset(days)

    parsed = values.astype(object).map(one)
    return parsed, parsed.isna() & values.notna()
