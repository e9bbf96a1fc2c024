"""Calendar files: one RFC 5545 calendar per staff member, with stable
event UIDs so that a re-run updates events instead of adding them.

The text is built for all events at once, column by column: TEXT values
escaped (backslash, ``;``, ``,``, line breaks), long lines folded at 75
octets, never between a backslash and the character it escapes —
byte for byte what the icalendar package writes for the same events."""
from __future__ import annotations

import hashlib
from datetime import timezone

import numpy as np
import pandas as pd

_UID_COLUMNS = ("staff_id", "customer_id", "activity", "reason", "detail")


def event_uid(row) -> str:
    """Stable across re-runs: the same staff member, customer, activity,
    reason, detail and due date give the same UID wherever the activity is
    placed, so a calendar updates the event instead of adding another."""
    return _event_uids(pd.DataFrame([dict(row)]))[0]


def _event_uids(rows: pd.DataFrame) -> list[str]:
    key = _text(rows[_UID_COLUMNS[0]])
    for column in _UID_COLUMNS[1:]:
        key = key + "|" + _text(rows[column])
    key = key + "|" + pd.to_datetime(rows["due_date"]).dt.strftime("%Y-%m-%d").astype(object)
    return [hashlib.sha1(k.encode("utf-8")).hexdigest()[:24] + "@cskit.visit-plan" for k in key]


_BATCH = 20_000
_ACTIVITY_ZH = {"visit": "拜访", "call": "电话", "sms": "短信", "gift_visit": "送礼拜访"}


def ics_calendars(activities: pd.DataFrame, stamp) -> dict[str, bytes]:
    """One RFC 5545 calendar per staff member (staff_id → file bytes) with
    an all-day event per planned or provisional activity."""
    placed = activities[activities["status"].ne("unscheduled") & activities["staff_id"].notna()]
    placed = placed.sort_values("staff_id", kind="stable")
    stamp = (stamp.replace(tzinfo=timezone.utc) if stamp.tzinfo is None
             else stamp.astimezone(timezone.utc))
    staff = placed["staff_id"].to_numpy(object)
    n = len(staff)
    bounds = np.flatnonzero(np.r_[True, staff[1:] != staff[:-1], True]) if n else np.array([0])
    ids = pd.Series(staff[bounds[:-1]], dtype="str")
    # X-WR-CALNAME is not a TEXT property: written as it is (line breaks
    # aside, which no content line may hold)
    names = _lines("X-WR-CALNAME:cskit visit-plan " + _escape(ids, breaks_only=True)) \
        .to_numpy(object)
    head = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//cskit//visit-plan//ZH\r\n"
            "CALSCALE:GREGORIAN\r\n")
    out = {}
    # members in batches of about _BATCH events: the text of one batch at a time
    batch = np.searchsorted(bounds, np.arange(0, n, _BATCH))
    for lo, hi in zip(np.unique(np.r_[0, batch]), np.unique(np.r_[batch[1:], len(ids)])):
        first, last = bounds[lo], bounds[hi]
        events = _events(placed.iloc[first:last], stamp)
        for g in range(lo, hi):
            out[str(ids[g])] = (head + names[g] + "".join(events[bounds[g] - first:
                                                                 bounds[g + 1] - first])
                                + "END:VCALENDAR\r\n").encode("utf-8")
    return out


def _events(placed: pd.DataFrame, stamp) -> np.ndarray:
    """The VEVENT text of each activity."""
    day = pd.to_datetime(placed["date"]).dt.normalize()
    activity = _text(placed["activity"])
    name = _text(placed["customer_name"].astype("str").fillna(placed["customer_id"]))
    summary = activity.map(_ACTIVITY_ZH).fillna(activity) + " " + name + ": " \
        + _text(placed["detail"])
    description = ("customer_id: " + _text(placed["customer_id"]) + "\nactivity: " + activity
                   + "\nreason: " + _text(placed["reason"]) + "\nstatus: "
                   + _text(placed["status"]))
    if "phone" in placed.columns:
        phone = placed["phone"].astype("str")
        description = description.where(phone.isna(), description + "\nphone: " + phone)
    n = len(placed)
    # the TEXT properties escaped and folded in one pass
    text = _lines(pd.concat([
        "SUMMARY:" + _escape(summary),
        "UID:" + _escape(pd.Series(_event_uids(placed), index=placed.index, dtype="str")),
        "CATEGORIES:" + _escape(_text(placed["reason"])),
        "DESCRIPTION:" + _escape(description)], ignore_index=True)).to_numpy(object)
    return ("BEGIN:VEVENT\r\n"
            + text[:n]
            + "DTSTART;VALUE=DATE:" + day.dt.strftime("%Y%m%d").to_numpy(object) + "\r\n"
            + "DTEND;VALUE=DATE:" + (day + pd.Timedelta(days=1)).dt.strftime("%Y%m%d")
            .to_numpy(object) + "\r\n"
            + f"DTSTAMP:{stamp:%Y%m%dT%H%M%S}Z\r\n"
            + text[n:2 * n] + text[2 * n:3 * n] + text[3 * n:]
            + np.where(placed["status"].eq("provisional"), "STATUS:TENTATIVE\r\n",
                       "STATUS:CONFIRMED\r\n").astype(object)
            + "END:VEVENT\r\n")


def _text(values: pd.Series) -> pd.Series:
    """Cells as Python's str() gives them (a missing one is "nan")."""
    return values.astype("str").fillna("nan")


def _escape(values: pd.Series, breaks_only: bool = False) -> pd.Series:
    r"""RFC 5545 TEXT escaping, in icalendar's order: ``\N`` is a line break;
    backslash, semicolon and comma get a backslash; CRLF, LF and CR become
    ``\n`` (with BREAKS_ONLY, only the last)."""
    text = values.astype("str")
    steps = [("\\N", "\n"), ("\\", "\\\\"), (";", "\\;"), (",", "\\,")]
    for old, new in ([] if breaks_only else steps) + [("\r\n", "\\n"), ("\n", "\\n"),
                                                        ("\r", "\\n")]:
        text = text.str.replace(old, new, regex=False)
    return text


def _lines(lines: pd.Series) -> pd.Series:
    r"""Content lines folded as RFC 5545 asks and icalendar does, each with
    its CRLF: a piece holds at most 74 octets and ends between characters;
    a piece that would end in ``\`` or ``^`` leaves that character to the
    next one; pieces are joined by CRLF and a space. All lines at once, on
    their UTF-8 octets, one round per piece."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = lines.astype(object).to_numpy()
    data = np.frombuffer("".join(text).encode("utf-8"), dtype=np.uint8)
    size = pc.binary_length(pa.array(text, type=pa.large_string())).to_numpy().astype(np.int64)
    line_end = np.cumsum(size)
    inside = (data & 0xC0) == 0x80  # the 2nd-4th octets of a character
    escape = (data == ord("\\")) | (data == ord("^"))
    folds = [np.array([], dtype=np.int64)]
    active = np.flatnonzero(size >= 75)
    begin = line_end[active] - size[active]
    while len(active):
        # the character holding the 75th octet from BEGIN starts the next piece
        end = begin + 74
        for _ in range(3):
            end = end - inside[end]
        end = end - ((end - 1 > begin) & escape[end - 1])
        folds.append(end)
        more = line_end[active] - end >= 75
        active, begin = active[more], end[more]
    cut = np.sort(np.concatenate(folds))
    at = np.r_[np.repeat(cut, 3), np.repeat(line_end, 2)]
    octets = np.r_[np.tile(np.array([13, 10, 32], dtype=np.uint8), len(cut)),
                   np.tile(np.array([13, 10], dtype=np.uint8), len(line_end))]
    order = np.argsort(at, kind="stable")
    out = np.insert(data, at[order], octets[order])
    ends = line_end + 3 * np.searchsorted(cut, line_end) + 2 * np.arange(1, len(size) + 1)
    folded = pa.LargeStringArray.from_buffers(len(size), pa.py_buffer(np.r_[0, ends]),
                                              pa.py_buffer(out))
    return pd.Series(folded.to_numpy(zero_copy_only=False), index=lines.index, dtype=object)
