"""Codes of the visit plan: tiers, activities, reasons, which daily limit an
activity uses, the output columns, and the words read from the inputs."""
from __future__ import annotations

from cskit.i18n import Text

TIERS = ("key", "1", "2", "3", "4", "unrated")
ACTIVITIES = ("visit", "call", "sms", "gift_visit")
WORK_REASONS = ("complaint_callback", "collection", "credit_downgrade", "shipment_followup",
                "top_spender", "birthday", "cycle")
REASONS = WORK_REASONS + ("festival", "solar_term")
# which daily limit an activity uses; sms is a bulk list without one
SLOT = {"visit": "visit", "gift_visit": "visit", "call": "call"}

OUTPUT_COLUMNS = ["date", "staff_id", "staff_name", "customer_id", "customer_name", "activity",
                  "reason", "detail", "phone", "status", "due_date", "tier", "note"]

_TIER_WORDS = {"key": "key", "大客户": "key", "vip": "key", "重点": "key", "重点客户": "key",
               "ka": "key", "1": "1", "2": "2", "3": "3", "4": "4",
               "一级": "1", "二级": "2", "三级": "3", "四级": "4",
               "1级": "1", "2级": "2", "3级": "3", "4级": "4",
               "unrated": "unrated", "未评级": "unrated", "未评": "unrated", "无": "unrated"}
TIER_EXPECTED = Text("a customer tier: key/大客户, 1–4 (一级…四级) or blank (unrated)",
                     "应为客户等级：key/大客户、1–4（一级…四级），或留空（未评级）")

_CLOSED_WORDS = {"closed", "resolved", "done", "已结案", "结案", "已关闭", "关闭", "已解决", "完结",
                 "已完结", "已处理"}
_DOWNGRADED_WORDS = {"downgraded", "下调", "降级", "调低"}
