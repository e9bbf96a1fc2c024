"""Birthdays, solar and lunar: parsing each distinct text once, and the
days they fall on inside a window (seed 001: 老客户生日那天进行电话或…上门祝贺)."""
from __future__ import annotations

from datetime import date

import numpy as np
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
    to END: solar ones first, by distinct birthday in order of first
    appearance, then day, then row. Distinct birthdays are converted once,
    then joined back to their rows."""
    ids = customers["customer_id"].to_numpy()
    parts = []
    if "birthday" in customers.columns:
        parsed, _ = _solar_month_day(customers["birthday"])
        parts.append(_days_of_distinct(
            parsed, lambda key: cal.solar_birthdays(key[0], key[1], start, end),
            lambda key: f"生日 {key[0]:02d}-{key[1]:02d}"))
    if "lunar_birthday" in customers.columns:
        parsed, _ = _lunar_dates(customers["lunar_birthday"])
        parts.append(_days_of_distinct(
            parsed, lambda key: cal.lunar_birthdays(key, start, end),
            lambda key: f"农历生日 {key.label()}"))
    rows = np.concatenate([r for r, _, _ in parts]) if parts else np.array([], dtype=np.intp)
    if not len(rows):
        return pd.DataFrame({"customer_id": pd.Series(dtype="str"), "day": [], "detail": []})
    return pd.DataFrame({"customer_id": ids[rows],
                         "day": np.concatenate([d for _, d, _ in parts]),
                         "detail": np.concatenate([t for _, _, t in parts])})


def _days_of_distinct(parsed: pd.Series, days_of, detail_of):
    """(row positions, days, details) of every (birthday, day) pair: each
    distinct birthday's days from DAYS_OF, its rows in row order."""
    codes, keys = pd.factorize(parsed.to_numpy(object))
    order = np.argsort(codes, kind="stable")
    sizes = np.bincount(codes[codes >= 0], minlength=len(keys))
    starts = len(codes) - sizes.sum() + np.cumsum(sizes) - sizes  # missing ones sort first
    pair_key, pair_day, pair_detail = [], [], []
    for k, key in enumerate(keys):
        for day in days_of(key):
            pair_key.append(k)
            pair_day.append(day)
            pair_detail.append(detail_of(key))
    pair_key = np.array(pair_key, dtype=np.intp)
    counts = sizes[pair_key]
    total = int(counts.sum())
    within = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    rows = order[np.repeat(starts[pair_key], counts) + within]
    days = np.empty(len(pair_day), dtype=object)
    days[:] = pair_day
    details = np.array(pair_detail, dtype=object)
    return rows, np.repeat(days, counts), np.repeat(details, counts)
