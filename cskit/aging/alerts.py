"""Flags: per-row masks joined into a flags column."""
from __future__ import annotations

import numpy as np


def _any_by(codes: np.ndarray, mask: np.ndarray, size: int) -> np.ndarray:
    return np.bincount(codes[mask], minlength=size) > 0


def _join_flags(flag_columns, size: int) -> np.ndarray:
    """``"a;b"`` per row from (name, mask) pairs, as objects."""
    pattern, texts = _flag_patterns(flag_columns, size)
    return np.asarray(texts, dtype="object")[pattern]


def _flag_patterns(flag_columns, size: int):
    """Each row's set of flags as a bit pattern, and the text of every
    pattern: the few patterns are joined once, not per row."""
    pattern = np.zeros(size, dtype="int64")
    for bit, (_, mask) in enumerate(flag_columns):
        pattern |= np.asarray(mask, dtype=bool).astype("int64") << bit
    names = [name for name, _ in flag_columns]
    texts = [";".join(name for bit, name in enumerate(names) if k >> bit & 1)
             for k in range(1 << len(names))]
    return pattern, texts
