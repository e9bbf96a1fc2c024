"""Capacity and placement: each staff member's daily limits and days off,
and the earliest-fit placement of activities into free slots."""
from __future__ import annotations

import numpy as np
import pandas as pd

from cskit.visits.inputs import parse_days_off


def _staff_table(staff: pd.DataFrame | None, owners: pd.Series, policy: dict) -> pd.DataFrame:
    cap = policy["capacity"]
    ids = pd.Index(owners.dropna().unique(), dtype="str")
    table = pd.DataFrame(index=ids)
    table["name"] = pd.Series(np.nan, index=ids, dtype="str")
    table["max_visits"] = cap["max_visits_per_day"]
    table["max_calls"] = cap["max_calls_per_day"]
    table["days_off"] = [frozenset()] * len(ids)
    if staff is not None and len(staff):
        listed = staff.set_index("staff_id")
        table = table.reindex(ids.union(listed.index))
        table["max_visits"] = table["max_visits"].fillna(cap["max_visits_per_day"])
        table["max_calls"] = table["max_calls"].fillna(cap["max_calls_per_day"])
        table["days_off"] = table["days_off"].map(lambda v: v if isinstance(v, frozenset) else frozenset())
        if "name" in listed.columns:
            table["name"] = listed["name"].reindex(table.index)
        for src, dst in (("max_visits_per_day", "max_visits"), ("max_calls_per_day", "max_calls")):
            if src in listed.columns:
                given = listed[src].reindex(table.index)
                table[dst] = given.astype("Float64").fillna(table[dst]).astype("int64")
        if "days_off" in listed.columns:
            parsed, _ = parse_days_off(listed["days_off"])
            given = parsed.reindex(table.index)
            table["days_off"] = [g if isinstance(g, frozenset) else d
                                 for g, d in zip(given, table["days_off"])]
    table["max_visits"] = table["max_visits"].astype("int64")
    table["max_calls"] = table["max_calls"].astype("int64")
    return table


KIND_ZH = {"visit": "拜访", "call": "电话"}


def _place(demand: pd.DataFrame, slot_days: np.ndarray) -> np.ndarray:
    """Greedy earliest-fit of DEMAND (sorted by due, then priority) into the
    day slots SLOT_DAYS (one entry per free unit of capacity, ascending).
    Item i takes the first free slot on or after its due day; with the
    items in due order that slot is p_i = i + max_{j≤i}(a_j − j), a_j being
    the first slot not before item j's due day — a cumulative maximum
    instead of a loop. Returns the slot index, or −1 when none is left."""
    if not len(demand):
        return np.array([], dtype="int64")
    first = np.searchsorted(slot_days, demand["due"].to_numpy(), side="left")
    order = np.arange(len(demand))
    position = order + np.maximum.accumulate(first - order)
    return np.where(position < len(slot_days), position, -1)
