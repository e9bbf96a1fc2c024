"""A built-in report as a Word document: headings, tables, charts, page numbers.

A page with a table wider than ``render.WIDE_TABLE`` columns is landscape."""
from __future__ import annotations

import io
from datetime import datetime

from cskit.reports import render
from cskit.reports.text import say


def write_docx(report: dict, *, title: str, lang: str, as_of: str, sources: list[str],
               target: str) -> None:  # noqa: C901 - one document, top to bottom
    """A built-in report as a real Word document: headings, styled tables
    with right-aligned formatted numbers and a repeated header row, charts
    as pictures, page numbers in the footer."""
    from docx import Document
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    document = Document()
    _east_asian_font(document)
    def layout(page, landscape: bool) -> None:
        # A4; a part with a wide table (aging by bucket) is set landscape
        page.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        long, short = Cm(29.7), Cm(21)
        page.page_width, page.page_height = (long, short) if landscape else (short, long)
        page.left_margin = page.right_margin = Cm(1.8)
        page.top_margin = page.bottom_margin = Cm(2)

    def usable():
        page = document.sections[-1]
        return page.page_width - page.left_margin - page.right_margin

    def wide(part: dict) -> bool:
        return any(len(view["columns"]) > render.WIDE_TABLE for view in part["tables"])

    first = document.sections[0]
    layout(first, not report.get("summary") and bool(report["sections"])
           and wide(report["sections"][0]))
    _page_numbers(first, lang)

    document.add_heading(title, level=0)
    meta = document.add_paragraph()
    if report.get("window"):
        meta.add_run(f"{say('plan_window', lang)}: {report['window']}    ").bold = True
    else:
        meta.add_run(f"{say('as_of', lang)}: {as_of}    ").bold = True
    meta.add_run(f"{say('generated', lang)}: {datetime.now():%Y-%m-%d %H:%M}")
    if sources:
        line = document.add_paragraph()
        line.add_run(f"{say('sources', lang)}: ").bold = True
        line.add_run("; ".join(sources)).font.size = Pt(8)

    def add_table(view: dict) -> None:
        if view.get("title"):
            document.add_heading(view["title"], level=3)
        columns = view["columns"]
        if not columns:
            return
        totals = [line for line in (view.get("subtotal"), view.get("totals")) if line]
        body = view["rows"] + totals
        if not body:
            document.add_paragraph(say("nothing", lang))
            return
        grid = document.add_table(rows=1 + len(body), cols=len(columns))
        grid.style = "Light Grid Accent 1"
        grid.alignment = WD_TABLE_ALIGNMENT.CENTER
        _repeat_header(grid.rows[0])
        size = Pt(9 if len(columns) <= 6 else 8)
        # a totals line's label spans the first columns: it does not widen them
        widths = _column_widths(columns, view["rows"] + [[""] + line[1:] for line in totals],
                                usable(), size)
        _narrow_margins(grid)
        grid.autofit = False
        for column, width in zip(grid.columns, widths):
            column.width = width  # <w:gridCol>, which LibreOffice reads
        # row by row: Table.cell(i, j) walks the whole grid on every call
        for j, cell in enumerate(grid.rows[0].cells):
            cell.width = widths[j]
            _cell(cell, columns[j]["header"], size, bold=True,
                  right=columns[j]["align"] == "right")
        for i, (row, values) in enumerate(zip(grid.rows[1:], body), start=1):
            last = i > len(view["rows"])
            span = view.get("span", 1) if last else 1
            cells = row.cells
            if span > 1:
                cells[0].merge(cells[span - 1])
                cells = row.cells
            for j, (cell, value) in enumerate(zip(cells, values)):
                if 0 < j < span:
                    continue
                cell.width = widths[j] if span == 1 or j else sum(widths[:span])
                _cell(cell, value, size, bold=last, right=columns[j]["align"] == "right")
        if view.get("legend"):
            legend = document.add_paragraph()
            run = legend.add_run(view["legend"])
            run.font.size = Pt(8)
        if view.get("note"):
            note = document.add_paragraph()
            run = note.add_run(view["note"])
            run.italic, run.font.size = True, Pt(8)
            run.font.color.rgb = RGBColor(0x66, 0x66, 0x66)

    def add_figures(figures: list[dict], with_section: bool = False) -> None:
        if not figures:
            return
        columns = ([{"header": "", "align": "left"}] if with_section else []) + [
            {"header": say("figure", lang), "align": "left"},
            {"header": "", "align": "right"}, {"header": "", "align": "right"}]
        rows = [([f["section"]] if with_section else []) + [f["label"], f["value"], f["note"]]
                for f in figures]
        add_table({"title": "", "columns": columns, "rows": rows, "totals": None})

    summary = report.get("summary")
    if summary:
        document.add_heading(summary["title"], level=1)
        add_figures(summary["figures"], with_section=True)
        document.add_heading(summary["changes_title"], level=2)
        if summary["changes"]:
            add_table(_changes_view(summary["changes"], lang))
        else:
            document.add_paragraph(say("nothing", lang))
        document.add_heading(summary["attention_title"], level=2)
        for item in summary["attention"] or [{"section": "", "text": summary["none"]}]:
            line = document.add_paragraph(style="List Bullet")
            if item["section"]:
                line.add_run(f"{item['section']}: ").bold = True
            line.add_run(item["text"])
    for number, part in enumerate(report["sections"]):
        if summary or number:
            # a new page, as a section: the footer (page numbers) carries on
            layout(document.add_section(WD_SECTION.NEW_PAGE), wide(part))
        document.add_heading(part["title"], level=1)
        for text in part["paragraphs"]:
            document.add_paragraph(text)
        add_figures(part["figures"])
        if part["attention"] and not summary:
            document.add_heading(say("section.attention", lang), level=2)
            for text in part["attention"]:
                document.add_paragraph(text, style="List Bullet")
        if part["changes"] and not summary:
            add_table(_changes_view(part["changes"], lang))
        for item in part["charts"]:
            document.add_picture(io.BytesIO(item["png"]), width=Cm(16))
            document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        for view in part["tables"]:
            add_table(view)
    document.core_properties.title = title
    document.save(target)


def _text_width(text) -> int:
    """Width of a cell's text in Latin character units (a Chinese character
    is two)."""
    text = "" if text is None else str(text)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _column_widths(columns: list[dict], body: list[list], usable, size) -> list[int]:
    """Columns as wide as their content: numbers never wrap; text columns
    (names, reasons) give up width first and wrap instead."""
    from docx.shared import Cm, Emu

    char = Cm(size.pt * 0.6 / 72 * 2.54)  # one Latin character at this size
    pad = Cm(0.25)  # cell margins and borders
    need, rigid = [], []
    for j, column in enumerate(columns):
        longest = max([_text_width(column["header"]) * 0.6] +
                      [_text_width(row[j]) for row in body[:200] if j < len(row)])
        need.append(max(longest, 3) * char + pad)
        rigid.append(column["align"] == "right" or longest <= 8)  # numbers, codes
    total = sum(need)
    if total > usable:
        flexible = sum(n for n, r in zip(need, rigid) if not r)
        floor = [4 * char + pad if not r else n for n, r in zip(need, rigid)]
        room = usable - sum(n for n, r in zip(need, rigid) if r)
        if flexible and room > sum(f for f, r in zip(floor, rigid) if not r):
            need = [n if r else max(f, n * room / flexible)
                    for n, r, f in zip(need, rigid, floor)]
        total = sum(need)
    return [Emu(int(n * usable / total)) for n in need]


def _narrow_margins(grid) -> None:
    """Cell margins of 0.08 cm instead of Word's 0.19 cm, for wide tables."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), "45")
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    grid._tbl.tblPr.append(margins)


def _changes_view(changes: list[dict], lang: str) -> dict:
    return {"title": "", "totals": None, "note": None,
            "columns": [{"header": say("figure", lang), "align": "left"},
                        {"header": say("previous", lang), "align": "right"},
                        {"header": say("current", lang), "align": "right"},
                        {"header": say("change", lang), "align": "right"},
                        {"header": say("reason", lang), "align": "left"}],
            "rows": [[c["label"], c["previous"], c["current"], c["change"], c["reason"]]
                     for c in changes]}


def _cell(cell, text, size, *, bold=False, right=False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph = cell.paragraphs[0]
    run = paragraph.add_run("" if text is None else str(text))
    run.font.size = size
    run.bold = bold
    paragraph.paragraph_format.space_after = 0
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _east_asian_font(document) -> None:
    """Chinese text in Word needs an East Asian font named in rFonts."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3"):
        style = document.styles[name]
        if name == "Normal":
            style.font.name = "Calibri"
            style.font.size = Pt(10)
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), "Microsoft YaHei")


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)


def _page_numbers(section, lang: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def field(code: str) -> None:
        run = paragraph.add_run()
        for kind, text in (("begin", None), (None, code), ("separate", None), (None, "1"),
                           ("end", None)):
            if kind:
                element = OxmlElement("w:fldChar")
                element.set(qn("w:fldCharType"), kind)
            elif text == code:
                element = OxmlElement("w:instrText")
                element.set(qn("xml:space"), "preserve")
                element.text = f" {code} "
            else:
                element = OxmlElement("w:t")
                element.text = text
            run._r.append(element)

    if lang == "zh":
        paragraph.add_run("第 ")
        field("PAGE")
        paragraph.add_run(" 页 / 共 ")
        field("NUMPAGES")
        paragraph.add_run(" 页")
    else:
        paragraph.add_run("Page ")
        field("PAGE")
        paragraph.add_run(" of ")
        field("NUMPAGES")
