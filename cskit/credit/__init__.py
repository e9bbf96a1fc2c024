"""Customer credit scorecard: points, level, grade, limit and approver.

Seed 004 § 客户信用管理办法: 第七条 评估办法 (the points of each item and the
grade table), 第八条 评估管理 (downgrades, customers without legal
qualification), 第十条 客户授信的审批程序 (who approves a limit). The numbers
live in the ``credit`` policy (``cskit/policies/credit.toml``); SPEC §2
fills the seed's blank amount tiers.

Everything here is vectorised over the customers (numpy ``searchsorted`` for
tiers, masks for rules): a million customers score in a few seconds. The
human-readable ``reasons`` text is built per rule as small code arrays that
are turned into text once per distinct combination.
"""
from __future__ import annotations

from cskit.credit.checks import check_policy
from cskit.credit.compare import compare_previous, positions
from cskit.credit.exposure import add_exposure, book_summary, order_columns
from cskit.credit.items import (AMOUNTS, ANSWERS, BAD_RECORDS, CHANGES, CONSUMED, EXPOSURE,
                                LEGAL, NAMES, OTHER, OUTPUT, PREVIOUS, SCORING, STATUSES,
                                SUBJECTIVE, UNRATED_LABELS)
from cskit.credit.levels import grade_tables, level_for_score
from cskit.credit.points import answer_points, tier_points, whole_months
from cskit.credit.reasons import join_clauses, text_series
from cskit.credit.scorecard import absent_columns, input_warnings, score_customers

__all__ = [
    "AMOUNTS", "ANSWERS", "BAD_RECORDS", "CHANGES", "CONSUMED", "EXPOSURE", "LEGAL", "NAMES",
    "OTHER", "OUTPUT", "PREVIOUS", "SCORING", "STATUSES", "SUBJECTIVE", "UNRATED_LABELS",
    "absent_columns", "add_exposure", "input_warnings", "answer_points", "book_summary", "check_policy",
    "compare_previous", "grade_tables", "join_clauses", "level_for_score", "order_columns",
    "positions", "score_customers", "text_series", "tier_points", "whole_months",
]
