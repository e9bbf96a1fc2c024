"""Birthdays, solar and lunar: parsing each distinct text once, and the
days they fall on inside a window (seed 001: 老客户生日那天进行电话或…上门祝贺)."""
from __future__ import annotations

from datetime import date

import pandas as pd

from cskit import calendar_cn as cal


def _parse_distinct(values: pd.Series, parse) -> tuple[pd.Series, pd.Series]:
    """(parsed value per row, bad mask), parsing each distinct text once."""
    table = {u: parse(u) for u in values.dropna().unique()}
    parsed = values.map(table)
    bad = values.notna() & parsed.isna()
    return parsed, bad


def _solar_month_day(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    return _parse_distinct(values, cal.parse_solar)


def _lunar_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    return _parse_distinct(values, cal.parse_lunar)


def _birthday_rows(customers: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """customer_id, day, detail for every birthday (solar or lunar) from START
    to END. Distinct birthdays are converted once, then joined back."""
    frames = []
    if "birthday" in customers.columns:
        parsed, _ = _solar_month_day(customers["birthday"])
        for key in parsed.dropna().unique():
            days = cal.solar_birthdays(key[0], key[1], start, end)
            if not days:
                continue
            ids = customers.loc[parsed == key, "customer_id"]
            for day in days:
                frames.append(pd.DataFrame({"customer_id": ids.to_numpy(), "day": day,
                                            "detail": f"生日 {key[0]:02d}-{key[1]:02d}"}))
    if "lunar_birthday" in customers.columns:
        parsed, _ = _lunar_dates(customers["lunar_birthday"])
        for key in parsed.dropna().unique():
            days = cal.lunar_birthdays(key, start, end)
            if not days:
                continue
            ids = customers.loc[parsed == key, "customer_id"]
            for day in days:
                frames.append(pd.DataFrame({"customer_id": ids.to_numpy(), "day": day,
                                            "detail": f"农历生日 {key.label()}"}))
    if not frames:
        return pd.DataFrame({"customer_id": pd.Series(dtype="str"), "day": [], "detail": []})
    return pd.concat(frames, ignore_index=True)
