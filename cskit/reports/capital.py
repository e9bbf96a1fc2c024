"""Amounts in Chinese capital numerals (大写金额), as cheques and statements write them.

The words come from cn2an (its ``rmb`` mode); the result is then brought to
the form of the People's Bank of China rules for filling in financial
documents (《支付结算办法》附件《正确填写票据和结算凭证的基本规定》):

- an amount that ends at 元 or at 角 is closed with 整 (壹拾元整,
  壹拾万零壹拾元叁角整); one with 分 is not (壹仟元零伍分);
- 壹拾 keeps its 壹 (壹拾元整, not 拾元整);
- zeros inside the number are one 零 (壹拾万零壹拾元), and 元 is followed
  by 零 when 角 is zero and 分 is not (壹仟元零伍分);
- a negative amount (a credit balance) is written 负… .

Amounts are taken to the cent exactly (through integer cents), so a float
such as 0.1 + 0.2 never shows as 叁角零分.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def capital(amount) -> str:
    """大写 of an amount in yuan: 12345.67 → 壹万贰仟叁佰肆拾伍元陆角柒分."""
    import cn2an

    cents = int((Decimal(str(amount)) * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    negative = cents < 0
    cents = abs(cents)
    yuan, rest = divmod(cents, 100)
    words = cn2an.an2cn(f"{yuan}.{rest:02d}", "rmb")
    if words.startswith("负"):
        words = words[1:]
    words = _standard(words, rest)
    return ("负" if negative else "") + words


def _standard(words: str, rest: int) -> str:
    jiao, fen = divmod(rest, 10)
    if jiao and not fen and not words.endswith("整"):
        words += "整"  # the rules: 角 may, and in cskit does, end with 整
    if not jiao and not fen and not words.endswith("整"):
        words += "整"
    if words.startswith("拾"):
        words = "壹" + words
    return words
