"""What every reconciliation shares: the error, cents and the message."""
from __future__ import annotations

import numpy as np

from cskit.errors import CskitError
from cskit.i18n import Join, Text
from cskit.money import to_cents


class ReconciliationError(CskitError):
    """A report whose totals do not add up to its inputs; nothing is written."""

    exit_code = 1


def _cents(values) -> int:
    array = np.asarray(values, dtype="float64")
    return int(to_cents(np.where(np.isnan(array), 0.0, array)).sum()) if array.size else 0


def _yuan(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100:,}.{abs(cents) % 100:02d}"


def _fail(command: str, broken: list[Text]) -> None:
    raise ReconciliationError(Text(
        "{command}: the report does not reconcile with its inputs, so nothing was written "
        "(this is a fault in cskit, not in your files; please report it with the files):\n"
        "  {broken}",
        "{command}：报表与输入数据对不上账，因此没有写出任何文件（这是 cskit 的问题，"
        "不是您文件的问题；请连同文件一并反馈）：\n  {broken}",
        command=command, broken=Join("\n  ", broken)))


def _day(values) -> np.ndarray:
    return np.asarray(values, dtype="datetime64[ns]").astype("datetime64[D]")
