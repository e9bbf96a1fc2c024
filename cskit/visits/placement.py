"""Capacity and placement: each staff member's daily limits and days off,
and the earliest-fit placement of activities into free slots."""
from __future__ import annotations

import numpy as np
import pandas as pd

from cskit.i18n import Text
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
    day slots SLOT_DAYS (one entry per free unit of capacity, ascending):
    the slot index of each item, or −1 when none is left. One group of
    ``_place_groups``."""
    if not len(demand):
        return np.array([], dtype="int64")
    first = np.searchsorted(slot_days, demand["due"].to_numpy(), side="left")
    position = _place_groups(np.zeros(len(demand), dtype="int64"), first,
                             np.array([len(slot_days)]))
    return position


def _place_groups(group: np.ndarray, first: np.ndarray, slots: np.ndarray) -> np.ndarray:
    """Greedy earliest-fit inside each group at once. Items come sorted by
    GROUP (then due, then priority); FIRST is, per item, the index of the
    first of its group's slots not before its due day; SLOTS the number of
    slots per group. Item i takes the first free slot on or after its due
    day; with the items in due order that slot is p_i = i + max_{j≤i}(a_j − j)
    (i, j counted inside the group, a_j = FIRST) — a cumulative maximum
    instead of a loop, restarted per group by adding a group offset larger
    than any value. Returns the slot index inside the group, or −1 when
    none is left."""
    n = len(group)
    if not n:
        return np.array([], dtype="int64")
    group = group.astype("int64")
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    sizes = np.diff(np.r_[starts, n])
    rank = np.arange(n) - np.repeat(starts, sizes)
    step = int(slots.max(initial=0)) + n + 2
    # consecutive group numbers keep the offsets small and increasing
    run = np.repeat(np.arange(len(starts), dtype="int64"), sizes)
    shifted = np.maximum.accumulate(run * step + (first - rank))
    position = rank + (shifted - run * step)
    return np.where(position < slots[group], position, -1)


def _off_key(member, day_number):
    """One number per (member, day): days since 1970 run from −719,162
    (year 1) to 2,932,896 (year 9999), so they fit in 10,000,000."""
    return member * 10_000_000 + (day_number + 1_000_000)


def _schedule(demand: pd.DataFrame, kinds: np.ndarray, team: pd.DataFrame,
              calendar_days: pd.DatetimeIndex, workday: np.ndarray, end: pd.Timestamp,
              dates: np.ndarray, notes: np.ndarray) -> list[dict]:
    """Place every visit and call of DEMAND (KINDS: "visit", "call" or
    missing) on the days of TEAM's members, all members at once. Fills
    DATES and NOTES in place; returns the capacity row of each member.

    Per member and kind of slot: pinned activities (birthday calls) take
    their own day's slots first, on any day the member is not off, in the
    order due, priority, customer_id; the rest go earliest-fit, in the same
    order, into the slots left on the member's working days."""
    staff_ids = team.index
    n_staff, n_days = len(staff_ids), len(calendar_days)
    code = staff_ids.get_indexer(demand["staff_id"])
    kind = np.select([kinds == "visit", kinds == "call"], [0, 1], -1)
    limits = np.stack([team["max_visits"].to_numpy("int64"),
                       team["max_calls"].to_numpy("int64")], axis=1).ravel()  # per group
    off_note = str(Text("staff member is off on the day", "员工当天休息"))

    # days off: a (member, day) key, and the member × window matrix
    day_numbers = calendar_days.to_numpy("datetime64[D]").astype("int64")
    off_keys, off = [], np.zeros((n_staff, n_days), dtype=bool)
    for s, days_off in enumerate(team["days_off"]):
        if days_off:
            numbers = np.array(sorted(days_off), dtype="datetime64[D]").astype("int64")
            off_keys.append(_off_key(s, numbers))
            inside = np.searchsorted(day_numbers, numbers)
            hit = inside < n_days
            hit[hit] = day_numbers[inside[hit]] == numbers[hit]
            off[s, inside[hit]] = True
    off_keys = np.concatenate(off_keys) if off_keys else np.array([], dtype="int64")
    on_duty = np.asarray(workday, dtype=bool)[None, :] & ~off
    working_days = on_duty.sum(axis=1)

    slotted = (code >= 0) & (kind >= 0)
    rows = np.flatnonzero(slotted)
    group = (code[rows] * 2 + kind[rows]).astype("int64")
    due = demand["due"].to_numpy("datetime64[ns]")[rows]
    due_ns = due.view("int64")
    nat = np.isnat(due)
    due_key = np.where(nat, np.iinfo("int64").max, due_ns)
    priority = demand["priority"].to_numpy("int64")[rows]
    customer, _ = pd.factorize(demand["customer_id"].to_numpy(object)[rows], sort=True)
    customer = np.where(customer < 0, customer.max(initial=0) + 1, customer)  # missing last
    pinned = demand["pinned"].to_numpy(bool)[rows]
    n_groups = 2 * n_staff
    due_count = np.bincount(group, minlength=n_groups)

    # pinned: the first LIMIT of a day's, in order, unless the member is off
    p = np.flatnonzero(pinned)
    p = p[np.lexsort((rows[p], customer[p], priority[p], due_key[p], group[p]))]
    p_group, p_due = group[p], due_key[p]
    new_run = np.r_[True, (p_group[1:] != p_group[:-1]) | (p_due[1:] != p_due[:-1])]
    starts = np.flatnonzero(new_run)
    used = np.arange(len(p)) - np.repeat(starts, np.diff(np.r_[starts, len(p)]))
    p_day = due[p].astype("datetime64[D]")
    whole_day = p_day.astype("datetime64[ns]") == due[p]
    p_member = p_group // 2
    is_off = whole_day & np.isin(_off_key(p_member, p_day.astype("int64")), off_keys)
    fits = (used < limits[p_group]) & ~is_off
    dates[rows[p[fits]]] = due[p[fits]]
    full = ~fits & ~is_off
    notes[rows[p[~fits & is_off]]] = off_note
    notes[rows[p[full]]] = _per_group(p_group[full], lambda g, k: Text(
        "no free {kind} slot on the day (max {limit} a day)",
        "当天没有空余的{kind_zh}名额（每天最多 {limit} 个）",
        kind=k, kind_zh=KIND_ZH[k], limit=int(limits[g])))
    fit_count = np.bincount(p_group[fits], minlength=n_groups)

    # free slots per group and window day, after the pinned ones
    taken = np.zeros(n_groups * n_days, dtype="int64")
    days_ns = calendar_days.to_numpy("datetime64[ns]")
    f_day = np.searchsorted(days_ns, due[p[fits]])
    inside = f_day < n_days
    inside[inside] = days_ns[f_day[inside]] == due[p[fits]][inside]
    np.add.at(taken, p_group[fits][inside] * n_days + f_day[inside], 1)
    capacity = np.where(np.repeat(on_duty, 2, axis=0), limits[:, None], 0)
    free = np.clip(capacity - taken.reshape(n_groups, n_days), 0, None)
    slots = free.sum(axis=1)
    # slots of all groups in a row, group by group and day by day, counted
    # (not listed: a year for 2,000 members would be millions of slots)
    before = np.r_[0, np.cumsum(free.ravel())]  # slots before (group, day)
    slot_start = before[np.arange(n_groups) * n_days]

    # the rest: earliest fit into the free slots of the group
    f = np.flatnonzero(~pinned)
    f = f[np.lexsort((rows[f], customer[f], priority[f], due_key[f], group[f]))]
    f_group = group[f]
    first_day = np.where(nat[f], n_days, np.searchsorted(days_ns, due[f]))
    first = before[f_group * n_days + first_day] - slot_start[f_group]
    position = _place_groups(f_group, first, slots)
    placed = position >= 0
    taken_slot = slot_start[f_group[placed]] + position[placed]
    dates[rows[f[placed]]] = days_ns[(np.searchsorted(before, taken_slot, side="right") - 1) % n_days]
    placed_count = np.bincount(f_group[placed], minlength=n_groups)
    notes[rows[f[~placed]]] = _per_group(f_group[~placed], lambda g, k: Text(
        "no free {kind} slot by {end} (max {limit} a day; {due} due, {slots} slots)",
        "到 {end} 为止没有空余的{kind_zh}名额（每天最多 {limit} 个；"
        "应做 {due} 个，名额 {slots} 个）",
        kind=k, kind_zh=KIND_ZH[k], end=f"{end:%Y-%m-%d}", limit=int(limits[g]),
        due=int(due_count[g]), slots=int(slots[g]) + int(fit_count[g])))

    owned = code >= 0
    sms = np.bincount(code[owned & (kind < 0)], minlength=n_staff)
    unscheduled = np.bincount(code[owned & np.isnat(dates)], minlength=n_staff)
    planned = fit_count + placed_count
    rows_out = []
    for s, (staff_id, name) in enumerate(zip(staff_ids, team["name"])):
        row = {"staff_id": staff_id, "staff_name": name, "working_days": int(working_days[s])}
        for k, kind_name in enumerate(("visit", "call")):
            g = 2 * s + k
            row[f"{kind_name}_capacity"] = int(working_days[s]) * int(limits[g])
            row[f"{kind_name}s_due"] = int(due_count[g])
            row[f"{kind_name}s_planned"] = int(planned[g])
        row["sms"] = int(sms[s])
        row["unscheduled"] = int(unscheduled[s])
        rows_out.append(row)
    return rows_out


def _per_group(groups: np.ndarray, note) -> np.ndarray:
    """The note of each item's group (member × kind), NOTE(group, kind)
    written once per group."""
    unique, where = np.unique(groups, return_inverse=True)
    texts = np.array([str(note(int(g), "visit" if g % 2 == 0 else "call")) for g in unique],
                     dtype=object)
    return texts[where]
