"""Statements and collection letters as documents: Word, PDF or HTML, one per customer.

A document is first built as plain data — a letterhead, a title and a list
of blocks (fields, paragraphs, tables, the confirmation slip, signature
lines) — in the language of the run; three writers then lay it out:

- Word (python-docx), A4, the East Asian font named so Chinese shows in Word;
- PDF (fpdf2, pure Python) with the Noto Sans CJK SC font installed with
  cskit (the ``mplfonts`` package), so a fresh machine needs nothing else;
- HTML through the built-in Jinja2 templates ``statement.html.j2`` and
  ``dunning.html.j2`` (sandboxed, autoescaped).

A user's template (``--template FILE``: ``.html.j2`` or a Word ``.docx``
with Jinja2 tags) sees the same data: ``doc`` (the blocks), ``company``,
``customer`` and, for a statement, ``statement``, ``lines``, ``aging``;
for a letter, ``letter`` and ``items``.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd

from cskit.errors import OutputError
from cskit.i18n import Text
from cskit.labels import header
from cskit.reports.capital import capital

FORMATS = ("docx", "pdf", "html")
FONT_FILES = ("NotoSansCJKsc-Regular.otf", "SourceHanSansSC-Regular.otf", "SimHei.ttf")


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


# --- writers --------------------------------------------------------------------------
def write(doc: dict, target: str, kind: str, *, template=None, builtin: str = "statement",
          font: str | None = None) -> None:
    """Write ``doc`` to ``target`` as ``kind`` (docx, pdf, html); ``template``
    is a user's template (``cskit.reports.document.Template``) or None."""
    if template is not None and template.kind == "docx":
        from cskit.reports import render

        render.render_docx_template(template.path, lambda chart_value: dict(doc), target,
                                    template.shown)
    elif kind == "html":
        write_html(doc, target, template=template, builtin=builtin)
    elif kind == "pdf":
        write_pdf(doc, target, font=font)
    else:
        write_docx(doc, target)


def write_html(doc: dict, target: str, *, template=None, builtin: str = "statement") -> None:
    from cskit.reports import render

    if template is not None:
        path, name, shown = template.path, template.path.name, template.shown
    else:
        path, name, shown = None, f"{builtin}.html.j2", builtin
    text = render.render_text(path, name, {"doc": doc, **doc}, html=True, shown=shown)
    with open(target, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def write_docx(doc: dict, target: str) -> None:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    document = Document()
    for name in ("Normal", "Title", "Heading 1", "Heading 2"):
        style = document.styles[name]
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), "Microsoft YaHei")
    document.styles["Normal"].font.size = Pt(10)
    page = document.sections[0]
    page.page_width, page.page_height = Cm(21), Cm(29.7)
    page.left_margin = page.right_margin = Cm(2)
    page.top_margin = page.bottom_margin = Cm(1.8)
    usable = page.page_width - page.left_margin - page.right_margin

    def paragraph(text="", *, size=10, bold=False, align=None, after=4, colour=None):
        para = document.add_paragraph()
        run = para.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold
        if colour:
            run.font.color.rgb = RGBColor.from_string(colour)
        if align == "center":
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif align == "right":
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        para.paragraph_format.space_after = Pt(after)
        return para

    def shade(cell, fill="E8EEF4"):
        properties = cell._tc.get_or_add_tcPr()
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:color"), "auto")
        shading.set(qn("w:fill"), fill)
        properties.append(shading)

    def cell_text(cell, text, *, bold=False, align="left", size=9):
        para = cell.paragraphs[0]
        run = para.add_run("" if text is None else str(text))
        run.font.size = Pt(size)
        run.bold = bold
        para.paragraph_format.space_after = Pt(0)
        if align == "right":
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif align == "center":
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def fix_widths(grid, widths):
        # Word reads the cells' widths, LibreOffice the table grid: set both
        grid.autofit = False
        for column, width in zip(grid.columns, widths):
            column.width = width
            for cell in column.cells:
                cell.width = width

    head = doc["letterhead"]
    paragraph(head["name"], size=16, bold=True, align="center", after=2)
    for line in head["lines"]:
        paragraph(line, size=8.5, align="center", after=0, colour="555555")
    paragraph("", after=2)
    paragraph(doc["title"], size=15, bold=True, align="center", after=8)
    for block in doc["blocks"]:
        kind = block["kind"]
        if kind == "fields":
            if block.get("title"):
                paragraph(block["title"], size=10, bold=True, after=2)
            grid = document.add_table(rows=0, cols=2)
            widths = [int(usable * 0.28), int(usable * 0.72)]
            for label, value in block["rows"]:
                cells = grid.add_row().cells
                cell_text(cells[0], label, bold=True, size=9.5)
                cell_text(cells[1], value, size=9.5)
            fix_widths(grid, widths)
            paragraph("", after=2)
        elif kind == "text":
            paragraph(block["text"], size=10, after=6)
        elif kind == "heading":
            paragraph(block["text"], size=13, bold=True, align="center", after=6)
        elif kind == "table":
            if block.get("title"):
                paragraph(block["title"], size=10, bold=True, after=2)
            headers = block["headers"]
            grid = document.add_table(rows=1, cols=len(headers))
            grid.style = "Table Grid"
            grid.alignment = WD_TABLE_ALIGNMENT.CENTER
            total = sum(block["widths"])
            widths = [int(usable * w / total) for w in block["widths"]]
            for i, text in enumerate(headers):
                cell = grid.rows[0].cells[i]
                cell_text(cell, text, bold=True, align="center", size=8.5)
                shade(cell)
                cell.width = widths[i]
            for r, values in enumerate(block["rows"]):
                cells = grid.add_row().cells
                for i, text in enumerate(values):
                    cell_text(cells[i], text, bold=r in block["emphasis"],
                              align=block["align"][i], size=8.5)
            fix_widths(grid, widths)
            paragraph("", after=2)
        elif kind == "cut":
            paragraph("✂ " + "- " * 12 + block["text"] + " -" * 12, size=8.5, align="center",
                      after=8, colour="777777")
        elif kind == "checks":
            for item in block["items"]:
                paragraph("□  " + item, size=10.5, after=6)
        elif kind == "signatures":
            for item in block["items"]:
                paragraph(item, size=10, after=10, align=block.get("align"))
    document.save(target)


def font_path() -> Path:
    """The CJK font the PDF embeds: Noto Sans CJK SC from mplfonts (installed
    with cskit), else cskit/fonts/."""
    spec = importlib.util.find_spec("mplfonts")  # located, not imported
    folders = []
    if spec and spec.submodule_search_locations:
        folders.append(Path(list(spec.submodule_search_locations)[0]) / "fonts")
    folders.append(Path(__file__).resolve().parent.parent / "fonts")
    for folder in folders:
        for name in FONT_FILES:
            if (folder / name).is_file():
                return folder / name
    raise OutputError(Text("no Chinese font for the PDF: reinstall cskit's dependencies "
                           "(pip install mplfonts), or write .docx or .html",
                           "找不到生成 PDF 所需的中文字体：请重新安装 cskit 的依赖包"
                           "（pip install mplfonts），或改为输出 .docx / .html"))


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def subset_font(docs: list[dict], folder: str) -> str:
    """The CJK font cut down to the characters of ``docs`` (a 16 MB font
    parsed once per run instead of once per PDF); returns its path."""
    from fontTools import subset

    text = set("0123456789,.-—()（）：:；;、/ □✂") | {chr(c) for c in range(32, 127)}
    for doc in docs:
        for piece in _strings(doc):
            text.update(piece)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = subset.load_font(str(font_path()), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(text)))
    subsetter.subset(font)
    target = str(Path(folder) / ("cskit-cjk" + font_path().suffix))
    subset.save_font(font, target, options)
    return target


def write_pdf(doc: dict, target: str, *, font: str | None = None) -> None:
    """``font``: a font file with the document's characters (``subset_font``),
    else the whole CJK font."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_font("cjk", "", font or str(font_path()))
    pdf.set_title(doc["title"])
    pdf.set_creator("cskit")
    pdf.add_page()
    width = pdf.epw

    # Chinese has no spaces between words: wrap at any character
    wrap = "CHAR" if doc.get("lang") == "zh" else "WORD"

    def text(value, size=10, align="L", gap=1.5, colour=(0, 0, 0)):
        pdf.set_font("cjk", size=size)
        pdf.set_text_color(*colour)
        pdf.multi_cell(width, size * 0.5, str(value), align=align, wrapmode=wrap,
                       new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
        pdf.ln(gap)

    head = doc["letterhead"]
    text(head["name"], size=16, align="C", gap=0.5)
    for line in head["lines"]:
        text(line, size=8.5, align="C", gap=0, colour=(85, 85, 85))
    pdf.ln(2)
    pdf.set_draw_color(47, 93, 138)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + width, pdf.get_y())
    pdf.ln(3)
    text(doc["title"], size=15, align="C", gap=3)
    header_style = FontFace(fill_color=(232, 238, 244))
    for block in doc["blocks"]:
        kind = block["kind"]
        if kind == "fields":
            if block.get("title"):
                text(block["title"], size=10, gap=0.5, colour=(47, 93, 138))
            pdf.set_font("cjk", size=9.5)
            with pdf.table(col_widths=(30, 70), first_row_as_headings=False,
                           borders_layout="NONE", line_height=5.2, padding=(0.4, 1)) as grid:
                for label, value in block["rows"]:
                    row = grid.row()
                    row.cell(str(label))
                    row.cell(str(value))
            pdf.ln(2)
        elif kind == "text":
            text(block["text"], size=10, gap=2)
        elif kind == "heading":
            text(block["text"], size=13, align="C", gap=2)
        elif kind == "table":
            if block.get("title"):
                text(block["title"], size=10, gap=0.5, colour=(47, 93, 138))
            pdf.set_font("cjk", size=8.5)
            aligns = tuple("RIGHT" if a == "right" else "LEFT" for a in block["align"])
            with pdf.table(col_widths=tuple(block["widths"]), text_align=aligns,
                           headings_style=header_style, line_height=4.8,
                           padding=(0.6, 1)) as grid:
                row = grid.row()
                for value in block["headers"]:
                    row.cell(str(value), align="CENTER")
                for r, values in enumerate(block["rows"]):
                    style = FontFace(fill_color=(246, 246, 246)) if r in block["emphasis"] \
                        else None
                    row = grid.row(style=style)
                    for value in values:
                        row.cell("" if value is None else str(value))
            pdf.ln(2)
        elif kind == "cut":
            pdf.ln(2)
            y = pdf.get_y()
            pdf.set_draw_color(150, 150, 150)
            pdf.set_dash_pattern(dash=1.5, gap=1.2)
            pdf.line(pdf.l_margin, y, pdf.l_margin + width, y)
            pdf.set_dash_pattern()
            pdf.ln(1)
            text(block["text"], size=8, align="C", gap=2, colour=(120, 120, 120))
        elif kind == "checks":
            for item in block["items"]:
                text("□  " + item, size=10.5, gap=2)
        elif kind == "signatures":
            pdf.ln(2)
            for item in block["items"]:
                text(item, size=10, gap=3, align="R" if block.get("align") == "right" else "L")
    pdf.output(target)
