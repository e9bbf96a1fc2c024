"""Booleans, categories and text.
"""
from __future__ import annotations

import datetime as dt
import math
import re

import numpy as np
import pandas as pd

from cskit.i18n import Join, Text
from cskit.io.values.common import _BAD, _by_unique, _distinct_cells, _spread_bad, edge_space


TRUE_WORDS = {"y", "yes", "true", "t", "1", "1.0", "是", "有", "✓", "✔", "√", "对"}
FALSE_WORDS = {"n", "no", "false", "f", "0", "0.0", "否", "无", "✗", "✘", "×", "x", "不是", "没有"}

BOOL_EXPECTED = Text("yes or no (y/n, yes/no, true/false, 1/0, 是/否, 有/无, ✓/✗, √/×)",
                     "应为是或否（可写 y/n、yes/no、true/false、1/0、是/否、有/无、✓/✗、√/×）")
TEXT_EXPECTED = Text("text", "应为文本")


def _norm_word(value) -> str:
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        value = int(value)
    return re.sub(r"\s+", "", str(value)).lower()


def parse_bool(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """y/n, yes/no, true/false, 1/0, 是/否, 有/无, ✓/✗, √/× → boolean."""
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.astype("boolean"), pd.Series(False, index=values.index)

    def one(value):
        if isinstance(value, (bool, np.bool_)):
            return bool(value)
        word = _norm_word(value)
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        return _BAD

    # the distinct cells' answers taken by code: no column of Python objects
    at, parsed, bad = _distinct_cells(values, one)
    truth = np.array([p is True for p in parsed] + [False], dtype=bool)
    unknown = np.array([p is None for p in parsed] + [True], dtype=bool)
    flags = pd.arrays.BooleanArray(truth[at], unknown[at])
    return pd.Series(flags, index=values.index), _spread_bad(at, bad, values.index)


def parse_category(values: pd.Series, choices: dict, numbers: bool = False
                   ) -> tuple[pd.Series, pd.Series]:
    """A label among ``choices`` (any case, spaces ignored) → canonical value.
    The canonical values themselves are accepted too; with ``numbers``, a
    number equal to one of the values is taken as it is."""
    table = {_norm_word(k): v for k, v in choices.items()}
    for v in choices.values():
        table.setdefault(_norm_word(v), v)
    allowed_numbers = {float(v) for v in choices.values()
                       if isinstance(v, (int, float)) and not isinstance(v, bool)}

    def one(value):
        word = _norm_word(value)
        if word in table:
            return table[word]
        if numbers:
            try:
                number = float(word)
            except ValueError:
                return _BAD
            if number in allowed_numbers:
                return int(number) if number.is_integer() else number
        return _BAD

    # the distinct cells' values typed once, then taken by position (blank: the last, missing)
    at, parsed, bad = _distinct_cells(values, one)
    distinct = pd.Series(parsed + [None], dtype=object)
    if numbers or all(isinstance(v, (int, float)) and not isinstance(v, bool)
                      for v in choices.values()):
        distinct = pd.to_numeric(distinct, errors="coerce").astype("float64")
    else:
        distinct = distinct.astype("str").where(distinct.notna())
    category = pd.Series(distinct.array.take(at), index=values.index)
    return category, _spread_bad(at, bad, values.index)


def choices_expected(choices: dict, numbers: bool) -> Text:
    labels = Join((", ", "、"), list(dict.fromkeys(str(k) for k in choices))[:12])
    if numbers:
        values = sorted({v for v in choices.values()}, key=lambda v: (str(type(v)), v))
        return Text("one of {labels} (or the number {numbers})",
                    "应为以下之一：{labels}（或对应的数字 {numbers}）",
                    labels=labels, numbers="/".join(str(v) for v in values))
    return Text("one of {labels}", "应为以下之一：{labels}", labels=labels)


def _already_trimmed(values: pd.Series) -> bool:
    """No cell of an Arrow-backed text column is empty or has spaces around it."""
    import pyarrow.compute as pc

    array = values.array
    if not hasattr(array, "__arrow_array__"):
        return False
    array = array.__arrow_array__()
    maybe = edge_space(array)  # empty, or a space at an end: the few looked at closely
    if not maybe.any():
        return len(array) > array.null_count  # (a column of nothing is not kept as it is)
    array = array.take(np.flatnonzero(maybe))
    trimmed = pc.utf8_trim_whitespace(array)
    same = pc.all(pc.equal(pc.binary_length(trimmed), pc.binary_length(array))).as_py()
    return bool(same) and not pc.any(pc.equal(pc.binary_length(array), 0)).as_py()


def parse_text(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Text cells, trimmed; Excel's 1001.0 becomes "1001", dates ISO."""
    if pd.api.types.is_string_dtype(values.dtype) and values.dtype != object:
        if _already_trimmed(values):  # the usual column: kept as it is, not copied
            return values, pd.Series(False, index=values.index)
        text = values.str.strip()
        return text.where(text != ""), pd.Series(False, index=values.index)

    def one(value):
        if isinstance(value, bool):
            return "TRUE" if value else "FALSE"
        if isinstance(value, (float, np.floating)):
            if not math.isfinite(value):
                return None
            if float(value).is_integer():
                return str(int(value))
            return repr(float(value))
        if isinstance(value, (pd.Timestamp, dt.datetime)):
            stamp = pd.Timestamp(value)
            return stamp.strftime("%Y-%m-%d") if stamp == stamp.normalize() \
                else stamp.strftime("%Y-%m-%d %H:%M:%S")
        if isinstance(value, dt.date):
            return value.isoformat()
        text = str(value).strip()
        return text or None

    if values.dtype == object and values.map(lambda v: isinstance(v, str)).all():
        text = values.astype("str").str.strip()
        return text.where(text != ""), pd.Series(False, index=values.index)
    parsed, bad = _by_unique(values, one, "object")
    return parsed.astype("str").where(parsed.notna()), bad
