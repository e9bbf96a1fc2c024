"""China's calendar for planning: working days, festivals, solar terms and
lunar birthdays.

Working days follow the official mainland-China schedule (statutory
holidays and the make-up working weekends, 调休) from the
``chinese_calendar`` package. The State Council publishes each year's
schedule around November, so a year that package does not know is never
guessed: it is an error, unless the caller supplies that year's schedule
(``--holidays FILE``) or allows the ``weekdays`` fallback, in which case the
year's days are marked provisional.

Festivals and the 24 solar terms (节气) are computed with ``lunar_python``
(exact astronomical tables), so they are right for any year up to 2099.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar
from lunar_python import Lunar, LunarYear

# The traditional festivals greeted (SPEC §5) and how each is found.
# ("solar", month, day) is a Gregorian date, ("lunar", month, day) a lunar
# one, ("term", name) a solar-term date (清明 is the day of the 清明 term).
FESTIVALS: dict[str, tuple] = {
    "元旦": ("solar", 1, 1),
    "春节": ("lunar", 1, 1),
    "元宵": ("lunar", 1, 15),
    "清明": ("term", "清明"),
    "端午": ("lunar", 5, 5),
    "中秋": ("lunar", 8, 15),
    "重阳": ("lunar", 9, 9),
    "国庆": ("solar", 10, 1),
}

# How a festival is named in a greeting's detail.
FESTIVAL_TITLES = {"元旦": "元旦", "春节": "春节", "元宵": "元宵节", "清明": "清明节",
                   "端午": "端午节", "中秋": "中秋节", "重阳": "重阳节", "国庆": "国庆节"}

SOLAR_TERMS = ("小寒", "大寒", "立春", "雨水", "惊蛰", "春分", "清明", "谷雨", "立夏", "小满",
               "芒种", "夏至", "小暑", "大暑", "立秋", "处暑", "白露", "秋分", "寒露", "霜降",
               "立冬", "小雪", "大雪", "冬至")

FIRST_YEAR = 1901  # lunar_python's tables start here
LAST_YEAR = 2099  # lunar_python's tables, and the SPEC's promise, reach this far


class UnknownYear(Exception):
    """A year whose official holiday schedule is not known."""

    def __init__(self, years: list[int]):
        self.years = years
        super().__init__(", ".join(str(y) for y in years))


# --- working days -----------------------------------------------------------

@lru_cache(maxsize=None)
def official_year_known(year: int) -> bool:
    """Whether chinese_calendar holds the State Council's schedule for YEAR."""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def official_range() -> tuple[int, int]:
    """First and last year chinese_calendar knows (for messages)."""
    known = sorted({d.year for d in chinese_calendar.holidays})
    return known[0], known[-1]


def statutory_festival_days(year: int) -> dict[date, str]:
    """The days off that the law fixes for every year (全国年节及纪念日放假办法,
    2025 revision): 元旦 1 day, 春节 4 (除夕 to 初三), 清明 1, 劳动节 2, 端午 1,
    中秋 1, 国庆 3. Used for a year whose yearly schedule (with its bridges
    and make-up days) is not published yet."""
    days: dict[date, str] = {date(year, 1, 1): "元旦"}
    new_year = lunar_to_solar(year, 1, 1)
    for offset in (-1, 0, 1, 2):
        days[new_year + timedelta(days=offset)] = "春节"
    days[festival_date("清明", year)] = "清明"
    days[date(year, 5, 1)] = "劳动节"
    days[date(year, 5, 2)] = "劳动节"
    days[festival_date("端午", year)] = "端午"
    days[festival_date("中秋", year)] = "中秋"
    for day in (1, 2, 3):
        days[date(year, 10, day)] = "国庆"
    return days


@dataclass
class WorkCalendar:
    """Which days are working days.

    ``overrides``: date → "holiday" | "workday" from a user's holidays file
    (company days off, extra company working days). They add to the
    official calendar: the days they list change, every other day keeps its
    official status. With ``replace``, a year with any entry in the file is
    taken from the file alone (Monday–Friday plus the file's days), as for
    a year whose official schedule is not published yet. ``unknown_year``:
    "error" or "weekdays".
    """

    overrides: dict[date, str] = field(default_factory=dict)
    unknown_year: str = "error"
    replace: bool = False

    def __post_init__(self):
        self.file_years = {d.year for d in self.overrides} if self.replace else set()

    def year_source(self, year: int) -> str:
        """"file", "official" or "weekdays" (provisional); raises UnknownYear."""
        if year in self.file_years:
            return "file"
        if official_year_known(year):
            return "official"
        if self.unknown_year == "weekdays":
            return "weekdays"
        raise UnknownYear([year])

    def check_years(self, start: date, end: date) -> dict[int, str]:
        """The source of every year from START to END; UnknownYear names all
        years that have none."""
        sources, missing = {}, []
        for year in range(start.year, end.year + 1):
            try:
                sources[year] = self.year_source(year)
            except UnknownYear:
                missing.append(year)
        if missing:
            raise UnknownYear(missing)
        return sources

    def is_workday(self, day: date) -> bool:
        kind = self.overrides.get(day)
        if kind is not None:
            return kind == "workday"
        source = self.year_source(day.year)
        if source == "official":
            return chinese_calendar.is_workday(day)
        if source == "weekdays":
            return day.weekday() < 5 and day not in statutory_festival_days(day.year)
        # a year taken from the file: days it does not list are ordinary
        return day.weekday() < 5

    def is_provisional(self, day: date) -> bool:
        return day not in self.overrides and self.year_source(day.year) == "weekdays"

    def days(self, start: date, end: date) -> list[tuple[date, bool, bool]]:
        """(day, is_workday, provisional) for every day from START to END."""
        self.check_years(start, end)
        out = []
        day = start
        while day <= end:
            out.append((day, self.is_workday(day), self.is_provisional(day)))
            day += timedelta(days=1)
        return out


# --- festivals and solar terms ----------------------------------------------

def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        # callers keep to the range (visit-plan checks --from/--to first)
        raise ValueError(f"year {year} is outside {FIRST_YEAR}–{LAST_YEAR}")


@lru_cache(maxsize=None)
def solar_terms(year: int) -> dict[str, date]:
    """The 24 solar terms falling in Gregorian YEAR, name → date."""
    _check_year(year)
    found: dict[str, date] = {}
    # a lunar year's table runs from the previous 冬至 to its own 大雪, so
    # the Gregorian year is covered by two consecutive lunar years
    for lunar_year in (year, year + 1):
        table = Lunar.fromYmd(lunar_year, 1, 1).getJieQiTable()
        for name, solar in table.items():
            if name in SOLAR_TERMS and solar.getYear() == year:
                found[name] = date(solar.getYear(), solar.getMonth(), solar.getDay())
    return dict(sorted(found.items(), key=lambda kv: kv[1]))


def lunar_to_solar(lunar_year: int, month: int, day: int) -> date:
    """Gregorian date of the lunar date (ordinary month). Day 30 of a month
    that has only 29 days that year falls on the month's last day (SPEC §5)."""
    _check_year(lunar_year)
    first, days_in_month = _lunar_month(lunar_year, month)
    return first + timedelta(days=min(day, days_in_month) - 1)


@lru_cache(maxsize=None)
def _lunar_month(lunar_year: int, month: int) -> tuple[date, int]:
    """First Gregorian day and length of an ordinary lunar month (computing a
    lunar year is slow: a plan asks for the same few months thousands of times)."""
    days_in_month = LunarYear.fromYear(lunar_year).getMonth(month).getDayCount()
    solar = Lunar.fromYmd(lunar_year, month, 1).getSolar()
    return date(solar.getYear(), solar.getMonth(), solar.getDay()), days_in_month


def festival_date(name: str, year: int) -> date:
    """Gregorian date of festival NAME in Gregorian YEAR."""
    rule = FESTIVALS[name]
    if rule[0] == "solar":
        return date(year, rule[1], rule[2])
    if rule[0] == "term":
        return solar_terms(year)[rule[1]]
    # 春节 … 重阳 of lunar year Y all fall inside Gregorian year Y
    return lunar_to_solar(year, rule[1], rule[2])


def greeting_days(start: date, end: date, festivals, with_terms: bool) -> list[tuple[date, str, str]]:
    """(date, kind, name) of every festival (kind "festival") and, if asked,
    solar term (kind "solar_term") from START to END, in date order. A
    solar term that is also a listed festival (清明) is greeted once.
    Two festivals on one day (中秋 on 国庆, 2031-10-01; 重阳 on 国庆,
    2033-10-01) are one greeting naming both, in the order of FESTIVALS:
    "中秋节、国庆节"."""
    out = []
    for year in range(start.year, end.year + 1):
        named: dict[date, list[str]] = {}
        for name in FESTIVALS:
            if name in festivals:
                named.setdefault(festival_date(name, year), []).append(name)
        for day, names in named.items():
            if start <= day <= end:
                out.append((day, "festival", "、".join(FESTIVAL_TITLES[n] for n in names)))
        if with_terms:
            for name, day in solar_terms(year).items():
                if start <= day <= end and name not in named.get(day, []):
                    out.append((day, "solar_term", name))
    return sorted(out)


# --- birthdays ------------------------------------------------------------

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
              "十": 10}
_CN_MONTHS = {"正": 1, "冬": 11, "腊": 12, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9, "十": 10, "十一": 11, "十二": 12}
_CN_MONTH_RE = "|".join(sorted(_CN_MONTHS, key=len, reverse=True))
_LUNAR_CN = re.compile(rf"^(?:农历|阴历)?\s*(?:\d{{4}}\s*年)?\s*(闰)?\s*({_CN_MONTH_RE})月\s*"
                       r"(初[一二三四五六七八九十]|十[一二三四五六七八九]?|二十|廿[一二三四五六七八九]?"
                       r"|三十|卅|\d{1,2})日?$")
_LUNAR_NUM = re.compile(r"^(?:L|农历|阴历)?\s*(闰|R)?\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*(闰)?$",
                        re.IGNORECASE)


def _cn_day(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text.startswith("初"):
        return _CN_DIGITS[text[1]]
    if text in ("二十",):
        return 20
    if text in ("三十", "卅"):
        return 30
    if text.startswith("廿"):
        return 20 + (_CN_DIGITS[text[1]] if len(text) > 1 else 0)
    if text.startswith("十"):
        return 10 + (_CN_DIGITS[text[1]] if len(text) > 1 else 0)
    raise ValueError(text)


@dataclass(frozen=True)
class LunarDate:
    month: int
    day: int
    leap: bool = False

    def label(self) -> str:
        months = ["正", "二", "三", "四", "五", "六", "七", "八", "九", "十", "冬", "腊"]
        days = ["初一", "初二", "初三", "初四", "初五", "初六", "初七", "初八", "初九", "初十",
                "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十",
                "廿一", "廿二", "廿三", "廿四", "廿五", "廿六", "廿七", "廿八", "廿九", "三十"]
        return ("闰" if self.leap else "") + months[self.month - 1] + "月" + days[self.day - 1]


def parse_lunar(text: str) -> LunarDate | None:
    """`正月初八`, `腊月廿三`, `闰四月初八`, `L01-08`, `01-08` (a lunar
    birthday column) → LunarDate; None when it is not one of those."""
    text = str(text).strip().replace(" ", "")
    match = _LUNAR_CN.match(text)
    if match:
        leap, month, day = match.group(1), _CN_MONTHS[match.group(2)], _cn_day(match.group(3))
    else:
        match = _LUNAR_NUM.match(text)
        if not match:
            return None
        leap = match.group(1) or match.group(4)
        month, day = int(match.group(2)), int(match.group(3))
    if not (1 <= month <= 12 and 1 <= day <= 30):
        return None
    return LunarDate(month, day, bool(leap))


def lunar_birthdays(birthday: LunarDate, start: date, end: date) -> list[date]:
    """Gregorian dates of a lunar birthday from START to END. A birthday in a
    leap month is kept in the ordinary month of the same number; day 30 in
    a 29-day month falls on the month's last day (SPEC §5)."""
    out = []
    # 腊月 of lunar year Y falls in January/February of Gregorian Y+1
    for lunar_year in range(start.year - 1, end.year + 1):
        if not FIRST_YEAR <= lunar_year <= LAST_YEAR:
            continue
        day = lunar_to_solar(lunar_year, birthday.month, birthday.day)
        if start <= day <= end:
            out.append(day)
    return out


_SOLAR_RE = re.compile(r"^(?:(\d{4})\s*[-/.年]\s*)?(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                       r"(?:[ T]00:00(?::00)?)?$")


def parse_solar(text: str) -> tuple[int, int] | None:
    """A solar birthday as (month, day): `1985-03-12`, `1985/3/12`,
    `1985年3月12日`, `03-12`, `3月12日`, or an Excel serial number."""
    text = str(text).strip()
    if re.fullmatch(r"\d{5}(\.0+)?", text):  # an Excel date serial
        day = date(1899, 12, 30) + timedelta(days=int(float(text)))
        return day.month, day.day
    match = _SOLAR_RE.match(text)
    if not match:
        return None
    month, day = int(match.group(2)), int(match.group(3))
    try:
        date(2000, month, day)  # a leap year: 29 February is a valid birthday
    except ValueError:
        return None
    return month, day


def solar_birthdays(month: int, day: int, start: date, end: date) -> list[date]:
    """Dates of a solar birthday from START to END; 29 February in a common
    year falls on 28 February (SPEC §5)."""
    out = []
    for year in range(start.year, end.year + 1):
        try:
            when = date(year, month, day)
        except ValueError:
            when = date(year, 2, 28)
        if start <= when <= end:
            out.append(when)
    return out
