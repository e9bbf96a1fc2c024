"""Statements and collection letters as documents, one per customer: their content.

A document is built as plain data — a letterhead, a title and a list of
blocks (fields, paragraphs, tables, the confirmation slip, signature
lines) — in the language of the run; ``cskit.reports.paper`` lays it out
as Word, PDF or HTML.

A user's template (``--template FILE``: ``.html.j2`` or a Word ``.docx``
with Jinja2 tags) sees the same data: ``doc`` (the blocks), ``company``,
``customer`` and, for a statement, ``statement``, ``lines``, ``aging``;
for a letter, ``letter`` and ``items``.
"""
from __future__ import annotations

import pandas as pd

from cskit.labels import header
from cskit.reports.capital import capital



def _money(value) -> str:
    return "" if value is None or pd.isna(value) else f"{value:,.2f}"


def _date(value) -> str:
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


def _t(lang: str, en: str, zh: str) -> str:
    return zh if lang == "zh" else en


def capital_text(amount, lang: str) -> str:
    """人民币… for Chinese; the same words (they are what a bank reads) in English too."""
    return "人民币" + capital(amount)


def letterhead(company: dict, lang: str) -> dict:
    lines = []
    if company.get("address"):
        lines.append(_t(lang, "Address: ", "地址：") + company["address"])
    contact = []
    if company.get("phone"):
        contact.append(_t(lang, "Phone: ", "电话：") + company["phone"])
    if company.get("tax_id"):
        contact.append(_t(lang, "Tax ID: ", "纳税人识别号：") + company["tax_id"])
    if contact:
        lines.append("    ".join(contact))
    return {"name": company.get("name", ""), "lines": lines}


def _account_block(company: dict, lang: str) -> dict:
    return {"kind": "fields", "title": _t(lang, "Please pay into", "收款账户"), "rows": [
        [_t(lang, "Account name", "户名"), company.get("name", "")],
        [_t(lang, "Bank", "开户行"), company.get("bank_name", "")],
        [_t(lang, "Account number", "账号"), company.get("bank_account", "")],
    ]}


# --- statements -----------------------------------------------------------------------
def _line_text(kind: str, reference, lang: str) -> str:
    ref = "" if reference is None or pd.isna(reference) else str(reference)
    if kind == "invoice":
        return _t(lang, "Invoice", "销售发票")
    if kind == "credit_note":
        return (_t(lang, f"Credit note (against {ref})", f"红字发票（冲减 {ref}）") if ref
                else _t(lang, "Credit note", "红字发票"))
    if kind == "received_on_invoice":
        return _t(lang, "Received on this invoice", "发票已收款")
    if kind == "refund":
        return _t(lang, "Refund to you", "退款")
    return (_t(lang, f"Payment received, for {ref}", f"收到回款（核销 {ref}）") if ref
            else _t(lang, "Payment received", "收到回款"))


def statement_document(row: dict, lines: pd.DataFrame, buckets: list[str], *, company: dict,
                       start, end, sent, due_back, lang: str) -> dict:
    """The data of one customer's statement (``row``: a row of
    ``Statements.customers``; ``lines``: that customer's lines)."""
    zh = lang == "zh"
    closing = float(row["closing"])
    customer = {"id": row["customer_id"], "name": row.get("customer_name") or "",
                "owner": row.get("owner") or ""}
    body = [[_date(start), "", _t(lang, "Opening balance", "期初余额"), "", "",
             _money(row["opening"])]]
    for line in lines.itertuples(index=False):
        body.append([_date(line.date), "" if pd.isna(line.document) else str(line.document),
                     _line_text(line.kind, line.reference, lang),
                     _money(line.debit) if line.debit else "",
                     _money(line.credit) if line.credit else "", _money(line.balance)])
    body.append([_date(end), "", _t(lang, "Closing balance", "期末余额"),
                 _money(row["debits"]), _money(row["credits"]), _money(closing)])
    aging_headers = [header(b, lang) for b in buckets]
    aging_values = [_money(row[b]) for b in buckets]
    if row.get("unapplied_credit"):
        aging_headers.append(header("unapplied_credit", lang))
        aging_values.append(_money(row["unapplied_credit"]))
    aging_headers.append(_t(lang, "Total", "合计"))
    aging_values.append(_money(closing))
    words = capital_text(closing, lang)
    owes = (_t(lang, "you owe us", "贵公司尚欠我公司") if closing >= 0
            else _t(lang, "we owe you (a credit in your favour)", "我公司尚欠贵公司（贵公司多付）"))
    slip_sentence = (
        f"致 {company.get('name', '')}：截至 {_date(end)}，贵公司对账单所列我公司"
        f"{'尚欠贵公司' if closing >= 0 else '多付、贵公司尚欠我公司'}款项余额为 "
        f"{_money(abs(closing))} 元（{capital_text(abs(closing), lang)}）。" if zh else
        f"To {company.get('name', '')}: as at {_date(end)}, your statement shows a balance of "
        f"{_money(closing)} yuan ({capital_text(abs(closing), lang)}) "
        f"{'owed by us to you' if closing >= 0 else 'owed by you to us'}.")
    blocks = [
        {"kind": "fields", "title": None, "rows": [
            [_t(lang, "To", "致"), f"{customer['name']}（{customer['id']}）" if zh
             else f"{customer['name']} ({customer['id']})"],
            [_t(lang, "Period", "对账期间"), f"{_date(start)} — {_date(end)}"],
            [_t(lang, "Date sent", "发出日期"), _date(sent)],
            [_t(lang, "Please return by", "请于此日前寄回"), _date(due_back)],
        ]},
        {"kind": "text", "text": _t(
            lang,
            f"Below are the movements on your account with us from {_date(start)} to "
            f"{_date(end)} and the balance at {_date(end)}. Please check them, complete, sign "
            f"and stamp the confirmation slip at the foot of this statement and return it to us "
            f"by {_date(due_back)}. If anything does not agree, please state the difference and "
            f"its reason on the slip.",
            f"贵公司与我公司 {_date(start)} 至 {_date(end)} 的往来款项及截至 {_date(end)} 的余额"
            f"列示如下。请核对后填写本函下方回执，签字盖章，并于 {_date(due_back)} 前寄回我公司。"
            f"如有不符，请在回执上注明不符金额及原因。")},
        {"kind": "table", "title": _t(lang, "Movements", "往来明细"),
         "headers": [_t(lang, "Date", "日期"), _t(lang, "Document", "单据号"),
                     _t(lang, "Description", "摘要"), _t(lang, "Debit", "借方（应收增加）"),
                     _t(lang, "Credit", "贷方（应收减少）"), _t(lang, "Balance", "余额")],
         "align": ["left", "left", "left", "right", "right", "right"],
         "widths": [15, 15, 22, 16, 16, 16],
         "rows": body, "emphasis": [0, len(body) - 1]},
        {"kind": "fields", "title": None, "rows": [
            [_t(lang, "Closing balance", "期末余额"),
             f"{_money(closing)}（{owes}）" if zh else f"{_money(closing)} ({owes})"],
            [_t(lang, "In words", "大写金额"), words],
        ]},
        {"kind": "table", "title": _t(lang, f"Aging of the balance at {_date(end)}",
                                       f"期末余额账龄（截至 {_date(end)}）"),
         "headers": aging_headers, "align": ["right"] * len(aging_headers),
         "widths": [1] * len(aging_headers), "rows": [aging_values], "emphasis": []},
        _account_block(company, lang),
        {"kind": "cut", "text": _t(lang, "Confirmation slip — please return", "回执（请沿此线剪下寄回）")},
        {"kind": "heading", "text": _t(lang, "Confirmation slip", "回  执")},
        {"kind": "text", "text": slip_sentence},
        {"kind": "checks", "items": [
            _t(lang, "The above is correct.", "以上数据证明无误。"),
            _t(lang, "The above does not agree. Difference and reason: "
                     "________________________________",
               "以上数据不符，不符金额及原因：________________________________"),
        ]},
        {"kind": "signatures", "items": [
            _t(lang, "Customer (seal): ____________________", "客户（盖章）：____________________"),
            _t(lang, "Signed by: ________________", "经办人（签字）：________________"),
            _t(lang, "Date: ______-____-____", "日期：______年____月____日"),
        ]},
    ]
    return {
        "title": _t(lang, "Statement of account", "对账单（询证函）"),
        "letterhead": letterhead(company, lang), "blocks": blocks, "lang": lang,
        "company": dict(company), "customer": customer,
        "statement": {"start": _date(start), "end": _date(end), "sent": _date(sent),
                      "due_back": _date(due_back), "opening": float(row["opening"]),
                      "debits": float(row["debits"]), "credits": float(row["credits"]),
                      "closing": closing, "closing_words": words},
        "lines": [{"date": _date(r.date), "kind": r.kind,
                   "document": None if pd.isna(r.document) else str(r.document),
                   "reference": None if pd.isna(r.reference) else str(r.reference),
                   "description": _line_text(r.kind, r.reference, lang),
                   "debit": float(r.debit), "credit": float(r.credit),
                   "balance": float(r.balance)} for r in lines.itertuples(index=False)],
        "aging": {b: float(row[b]) for b in buckets + ["unapplied_credit"]},
    }


# --- collection letters --------------------------------------------------------------
def letter_document(row: dict, items: pd.DataFrame, *, company: dict, lang: str) -> dict:
    """The data of one collection letter (``row``: a row of ``Letters.table``)."""
    zh = lang == "zh"
    overdue = float(row["overdue_total"])
    words = capital_text(overdue, lang)
    customer = {"id": row["customer_id"], "name": row.get("customer_name") or "",
                "owner": row.get("owner") or ""}
    text = row["_text"].format(pay_by=_date(row["pay_by_date"]), overdue=_money(overdue),
                               days=int(row["oldest_days_overdue"]))
    body = []
    for item in items.itertuples(index=False):
        get = item._asdict()
        body.append([str(get["invoice_no"]), _date(get.get("invoice_date")),
                     _date(get.get("due_date")), _money(get.get("amount")),
                     _money(get["outstanding"]), f"{int(get['days_overdue'])}"])
    body.append(["", "", "", _t(lang, "Overdue total", "逾期合计"), _money(overdue), ""])
    number = f"{row['customer_id']}-{pd.Timestamp(row['sent_date']):%Y%m%d}-{int(row['level'])}"
    contact = company.get("phone", "")
    blocks = [
        {"kind": "fields", "title": None, "rows": [
            [_t(lang, "Ref.", "编号"), number],
            [_t(lang, "To", "致"), f"{customer['name']}（{customer['id']}）" if zh
             else f"{customer['name']} ({customer['id']})"],
            [_t(lang, "Date", "日期"), _date(row["sent_date"])],
        ]},
        {"kind": "text", "text": text},
        {"kind": "table", "title": _t(lang, "Overdue items", "逾期款项明细"),
         "headers": [_t(lang, "Invoice", "发票号"), _t(lang, "Invoice date", "开票日期"),
                     _t(lang, "Due date", "到期日"), _t(lang, "Amount", "发票金额"),
                     _t(lang, "Unpaid", "未付金额"), _t(lang, "Days overdue", "逾期天数")],
         "align": ["left", "left", "left", "right", "right", "right"],
         "widths": [18, 16, 16, 18, 18, 14], "rows": body, "emphasis": [len(body) - 1]},
        {"kind": "fields", "title": None, "rows": [
            [_t(lang, "Overdue total", "逾期金额合计"), f"{_money(overdue)}"],
            [_t(lang, "In words", "大写金额"), words],
            [_t(lang, "Whole balance (incl. not yet due)", "应收余额（含未到期）"),
             _money(row["balance"])],
            [_t(lang, "Pay by", "付款期限"), _date(row["pay_by_date"])],
        ]},
        _account_block(company, lang),
        {"kind": "text", "text": _t(
            lang, f"If you have already paid, or if any item is not right, please contact us "
                  f"({contact}) quoting ref. {number}.",
            f"如已付款，或对上述款项有异议，请与我公司联系（电话 {contact}），并注明编号 {number}。")},
        {"kind": "text", "text": _t(lang, "Yours faithfully,", "特此函告。")},
        {"kind": "signatures", "items": [
            company.get("name", "") + _t(lang, " (seal)", "（盖章）"),
            _date(row["sent_date"]),
        ], "align": "right"},
    ]
    return {
        "title": str(row["level_name"]), "letterhead": letterhead(company, lang),
        "blocks": blocks, "lang": lang, "company": dict(company), "customer": customer,
        "letter": {"number": number, "level": int(row["level"]),
                   "level_name": str(row["level_name"]), "text": text,
                   "overdue_total": overdue, "overdue_words": words,
                   "balance": float(row["balance"]),
                   "oldest_days_overdue": int(row["oldest_days_overdue"]),
                   "sent": _date(row["sent_date"]), "pay_by": _date(row["pay_by_date"])},
        "items": [{"invoice_no": r[0], "invoice_date": r[1], "due_date": r[2], "amount": r[3],
                   "outstanding": r[4], "days_overdue": r[5]} for r in body[:-1]],
    }
