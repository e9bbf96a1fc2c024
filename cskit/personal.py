"""Which columns hold personal data, by what their header says (SPEC §6).

A column is a phone column when its header names a phone (手机, 电话,
联系方式, mobile, phone, tel, telephone, cellphone: ``手机号码``,
``mobile_no``, ``Contact Tel``), and an identity-number column when it names
an identity card or document (身份证, 证件, id_card, id_number, id_no,
``ID card``, ``ID No.``). A header whose only such word is ``ID`` in
capitals (``ID``, ``Customer ID``) is usually a key, so there only values
shaped like a resident ID number are personal. Such columns are read as
text, never as numbers (an 18-digit number does not survive a float), and
reports mask them whatever their values look like (cskit.reports.mask).

Only the standard library here: the reader and the masker both use it.
"""
from __future__ import annotations

import re

PHONE = "phone"
ID = "id"
ID_SHAPED = "id_shaped"  # only values shaped like an ID number are personal

_PHONE_ZH = ("手机", "电话", "联系方式", "座机")
# headers about calls, not numbers: 应电话, 已排电话, 每日最多电话, 电话容量, 电话次数
_COUNT_ZH = ("应", "已", "最多", "次数", "容量", "名额", "数量", "个数", "时长", "量")
_COUNT_WORDS = {"calls", "count", "capacity", "planned", "due", "minutes", "duration",
                "per", "max"}
_ID_ZH = ("身份证", "证件")
_PHONE_WORDS = {"phone", "mobile", "tel", "telephone", "cellphone", "handphone",
                "mobilephone", "phoneno", "telno"}
_ID_WORDS = {"idcard", "idno", "idnumber", "idnum", "identity", "passport"}
_ID_FOLLOWERS = {"card", "no", "number", "num", "nr"}
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


def _words(header: str) -> list[str]:
    return [w for w in _WORD.findall(header)]


def column_kind(header) -> str | None:
    """PHONE, ID, ID_SHAPED or None for a column header (or canonical name)."""
    text = str(header).strip()
    if not text:
        return None
    if any(word in text for word in _ID_ZH):
        return ID
    words = _words(text)
    lower = [w.lower() for w in words]
    joined = "".join(lower)
    if any(word in text for word in _PHONE_ZH) and not any(w in text for w in _COUNT_ZH):
        return PHONE
    if any(w in _PHONE_WORDS for w in lower) and not any(w in _COUNT_WORDS for w in lower):
        return PHONE
    if any(w in _ID_WORDS for w in lower) or joined in _ID_WORDS:
        return ID
    for i, word in enumerate(lower[:-1]):
        if word == "id" and lower[i + 1] in _ID_FOLLOWERS:
            return ID
    if "ID" in words or lower == ["id"]:
        return ID_SHAPED
    return None
