from datetime import date

import pytest

from cskit import calendar_cn as cal


# --- working days -------------------------------------------------------------

def test_2026_mid_autumn_and_national_day():
    calendar = cal.WorkCalendar()
    # SPEC §5: off 09-25..09-27 and 10-01..10-07; make-up working days 09-20 (Sun), 10-10 (Sat)
    for day in [date(2026, 9, 25), date(2026, 9, 26), date(2026, 9, 27)] + \
            [date(2026, 10, d) for d in range(1, 8)]:
        assert not calendar.is_workday(day), day
    assert calendar.is_workday(date(2026, 9, 20))
    assert calendar.is_workday(date(2026, 10, 10))
    assert calendar.is_workday(date(2026, 9, 24))
    assert not calendar.is_workday(date(2026, 10, 11))  # an ordinary Sunday


def test_unknown_year_is_an_error_by_default():
    calendar = cal.WorkCalendar()
    with pytest.raises(cal.UnknownYear) as info:
        calendar.days(date(2026, 12, 20), date(2027, 1, 10))
    assert info.value.years == [2027]


def test_holiday_file_supplies_an_unknown_year():
    calendar = cal.WorkCalendar(overrides={date(2027, 1, 1): "holiday", date(2027, 1, 9): "workday"},
                                replace=True)
    days = {d: (work, prov) for d, work, prov in calendar.days(date(2026, 12, 30), date(2027, 1, 11))}
    assert days[date(2027, 1, 1)] == (False, False)
    assert days[date(2027, 1, 9)] == (True, False)  # a Saturday made a working day
    assert days[date(2027, 1, 4)] == (True, False)  # an ordinary Monday
    assert days[date(2027, 1, 10)] == (False, False)  # an ordinary Sunday
    assert days[date(2026, 12, 31)] == (True, False)  # 2026 still from the official calendar


def test_company_days_add_to_the_official_calendar():
    # issue 14 item 14: a company file with one row (2026-12-24 off) keeps every other
    # official day of 2026: 2026-10-01..07 off (国庆), 2026-10-10 (Sat) a make-up working day.
    company = {date(2026, 12, 24): "holiday", date(2026, 10, 11): "workday"}
    calendar = cal.WorkCalendar(overrides=company)
    assert not calendar.is_workday(date(2026, 12, 24))  # a Thursday, company day off
    assert calendar.is_workday(date(2026, 10, 11))  # a Sunday, extra company working day
    assert not calendar.is_workday(date(2026, 10, 1))  # 国庆 stays off
    assert calendar.is_workday(date(2026, 10, 10))  # official make-up Saturday stays on
    assert calendar.is_workday(date(2026, 12, 23))
    assert calendar.check_years(date(2026, 1, 1), date(2026, 12, 31)) == {2026: "official"}
    # replacing the year is the explicit choice: then 2026 is Monday–Friday plus the file
    replaced = cal.WorkCalendar(overrides=company, replace=True)
    assert replaced.is_workday(date(2026, 10, 1)) and not replaced.is_workday(date(2026, 10, 10))
    assert not replaced.is_workday(date(2026, 12, 24))
    # a year without an official schedule is not guessed from a few company days
    with pytest.raises(cal.UnknownYear):
        cal.WorkCalendar(overrides={date(2027, 12, 24): "holiday"}).days(date(2027, 12, 1),
                                                                         date(2027, 12, 31))
    # … unless the weekdays fallback is allowed: statutory days off, provisional, plus the file
    fallback = cal.WorkCalendar(overrides={date(2027, 12, 24): "holiday"}, unknown_year="weekdays")
    days = {d: (w, p) for d, w, p in fallback.days(date(2027, 12, 23), date(2027, 12, 24))}
    assert days == {date(2027, 12, 23): (True, True), date(2027, 12, 24): (False, False)}


def test_two_festivals_on_one_day_are_one_greeting_naming_both():
    # issue 14 item 13: 中秋 2031 is 10-01 (国庆); 重阳 2033 is 10-01 (国庆)
    assert cal.festival_date("中秋", 2031) == date(2031, 10, 1)
    assert cal.festival_date("重阳", 2033) == date(2033, 10, 1)
    festivals = list(cal.FESTIVALS)
    days = cal.greeting_days(date(2031, 9, 30), date(2031, 10, 2), festivals, False)
    assert days == [(date(2031, 10, 1), "festival", "中秋节、国庆节")]
    days = cal.greeting_days(date(2033, 10, 1), date(2033, 10, 1), festivals, False)
    assert days == [(date(2033, 10, 1), "festival", "重阳节、国庆节")]
    # an ordinary year: one festival a day
    days = cal.greeting_days(date(2026, 9, 25), date(2026, 10, 1), festivals, False)
    assert days == [(date(2026, 9, 25), "festival", "中秋节"),
                    (date(2026, 10, 1), "festival", "国庆节")]


def test_weekdays_fallback_is_provisional_and_skips_statutory_festivals():
    calendar = cal.WorkCalendar(unknown_year="weekdays")
    days = {d: (work, prov) for d, work, prov in calendar.days(date(2027, 1, 1), date(2027, 12, 31))}
    assert days[date(2027, 1, 1)] == (False, True)  # 元旦, a Friday
    assert days[date(2027, 1, 4)] == (True, True)
    # 春节 2027-02-06: 除夕 02-05 (Fri) to 初三 02-08 (Mon) are off
    assert not days[date(2027, 2, 5)][0] and not days[date(2027, 2, 8)][0]
    assert days[date(2027, 2, 9)][0]
    assert not days[date(2027, 9, 15)][0]  # 中秋 2027, a Wednesday
    assert not days[date(2027, 10, 1)][0]
    assert all(prov for _, prov in days.values())


# --- festivals and solar terms -------------------------------------------------

@pytest.mark.parametrize("name, year, expected", [
    ("中秋", 2026, date(2026, 9, 25)),
    ("中秋", 2027, date(2027, 9, 15)),
    ("春节", 2026, date(2026, 2, 17)),
    ("春节", 2027, date(2027, 2, 6)),
    ("元宵", 2027, date(2027, 2, 20)),  # 春节 + 14 days
    ("清明", 2026, date(2026, 4, 5)),
    ("端午", 2026, date(2026, 6, 19)),
    ("重阳", 2026, date(2026, 10, 18)),
    ("元旦", 2099, date(2099, 1, 1)),
    ("国庆", 2030, date(2030, 10, 1)),
])
def test_festival_dates(name, year, expected):
    assert cal.festival_date(name, year) == expected


def test_every_year_to_2099_has_24_solar_terms_in_order():
    for year in (2026, 2027, 2050, 2099):
        terms = cal.solar_terms(year)
        assert list(terms) == list(cal.SOLAR_TERMS)
        assert all(d.year == year for d in terms.values())
    assert cal.solar_terms(2026)["冬至"] == date(2026, 12, 22)
    assert cal.solar_terms(2026)["立春"] == date(2026, 2, 4)


def test_greeting_days_list_qingming_once():
    days = cal.greeting_days(date(2026, 4, 1), date(2026, 4, 30), ["清明"], with_terms=True)
    assert days == [(date(2026, 4, 5), "festival", "清明节"), (date(2026, 4, 20), "solar_term", "谷雨")]


# --- birthdays ----------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("正月初八", cal.LunarDate(1, 8)),
    ("腊月廿三", cal.LunarDate(12, 23)),
    ("八月十六", cal.LunarDate(8, 16)),
    ("L01-08", cal.LunarDate(1, 8)),
    ("农历十二月三十", cal.LunarDate(12, 30)),
    ("闰四月初八", cal.LunarDate(4, 8, leap=True)),
    ("冬月初一", cal.LunarDate(11, 1)),
    ("十月十五", cal.LunarDate(10, 15)),
    ("1980年三月二十", cal.LunarDate(3, 20)),
])
def test_parse_lunar(text, expected):
    assert cal.parse_lunar(text) == expected


@pytest.mark.parametrize("text", ["十三月初一", "正月三十一", "L13-01", "hello", "三十"])
def test_parse_lunar_rejects(text):
    assert cal.parse_lunar(text) is None


def test_lunar_birthday_converted_each_year():
    eight_sixteen = cal.parse_lunar("八月十六")
    assert cal.lunar_birthdays(eight_sixteen, date(2026, 1, 1), date(2026, 12, 31)) == [date(2026, 9, 26)]
    # 腊月 of lunar 2025 falls in 2026, that of lunar 2026 in 2027
    twelfth = cal.parse_lunar("腊月廿三")
    assert cal.lunar_birthdays(twelfth, date(2026, 1, 1), date(2027, 12, 31)) == \
        [date(2026, 2, 10), date(2027, 1, 30)]


def test_day_30_in_a_29_day_month_is_the_months_last_day():
    # lunar 2026: 正月 has 30 days and 二月 29. 春节 2026-02-17, so 二月初一 =
    # 02-17 + 30 = 03-19 and 二月廿九 = 03-19 + 28 = 04-16 (三月初一 = 04-17)
    assert cal.lunar_birthdays(cal.parse_lunar("二月三十"), date(2026, 1, 1), date(2026, 12, 31)) \
        == [date(2026, 4, 16)]


def test_leap_month_birthday_kept_in_the_ordinary_month():
    # lunar 2025 has a leap 六月; the ordinary 六月初一 is 2025-06-25, so 初十 = 07-04
    assert cal.lunar_birthdays(cal.parse_lunar("闰六月初十"), date(2025, 1, 1), date(2025, 12, 31)) \
        == [date(2025, 7, 4)]


def test_solar_birthdays_and_29_february():
    assert cal.parse_solar("1984-02-29") == (2, 29)
    assert cal.parse_solar("03-12") == (3, 12)
    assert cal.parse_solar("1985年3月12日") == (3, 12)
    assert cal.parse_solar("1985/3/12 00:00:00") == (3, 12)
    assert cal.parse_solar("31118") == (3, 12)  # Excel serial of 1985-03-12
    assert cal.parse_solar("02-30") is None
    assert cal.solar_birthdays(2, 29, date(2026, 1, 1), date(2028, 12, 31)) == \
        [date(2026, 2, 28), date(2027, 2, 28), date(2028, 2, 29)]
