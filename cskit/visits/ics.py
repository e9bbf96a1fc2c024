"""Calendar files: one RFC 5545 calendar per staff member, with stable
event UIDs so that a re-run updates events instead of adding them."""
from __future__ import annotations

import hashlib
from datetime import timedelta

import pandas as pd


def event_uid(row) -> str:
    """Stable across re-runs: the same staff member, customer, activity,
    reason, detail and due date give the same UID wherever the activity is
    placed, so a calendar updates the event instead of adding another."""
    key = "|".join(str(row[c]) for c in ("staff_id", "customer_id", "activity", "reason", "detail"))
    key += "|" + pd.Timestamp(row["due_date"]).strftime("%Y-%m-%d")
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:24] + "@cskit.visit-plan"


_ACTIVITY_ZH = {"visit": "拜访", "call": "电话", "sms": "短信", "gift_visit": "送礼拜访"}


def ics_calendars(activities: pd.DataFrame, stamp) -> dict[str, bytes]:
    """One RFC 5545 calendar per staff member (staff_id → file bytes) with
    an all-day event per planned or provisional activity."""
    from icalendar import Calendar, Event

    placed = activities[activities["status"].ne("unscheduled") & activities["staff_id"].notna()]
    out = {}
    for staff_id, rows in placed.groupby("staff_id", sort=True):
        calendar = Calendar()
        calendar.add("prodid", "-//cskit//visit-plan//ZH")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("x-wr-calname", f"cskit visit-plan {staff_id}")
        for row in rows.to_dict("records"):
            event = Event()
            event.add("uid", event_uid(row))
            event.add("dtstamp", stamp)
            day = pd.Timestamp(row["date"]).date()
            event.add("dtstart", day)
            event.add("dtend", day + timedelta(days=1))
            name = row["customer_name"] if isinstance(row["customer_name"], str) else row["customer_id"]
            event.add("summary", f"{_ACTIVITY_ZH.get(row['activity'], row['activity'])} {name}: "
                                 f"{row['detail']}")
            description = [f"customer_id: {row['customer_id']}", f"activity: {row['activity']}",
                           f"reason: {row['reason']}", f"status: {row['status']}"]
            if isinstance(row.get("phone"), str):
                description.append(f"phone: {row['phone']}")
            event.add("description", "\n".join(description))
            event.add("categories", [row["reason"]])
            if row["status"] == "provisional":
                event.add("status", "TENTATIVE")
            else:
                event.add("status", "CONFIRMED")
            calendar.add_component(event)
        out[str(staff_id)] = calendar.to_ical()
    return out
