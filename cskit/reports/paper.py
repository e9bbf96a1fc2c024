"""Statements and letters on paper: Word, PDF or HTML from a document's blocks.

- Word (python-docx), A4, the East Asian font named so Chinese shows in Word;
- PDF (fpdf2, pure Python) with the Noto Sans CJK SC font installed with
  cskit (the ``mplfonts`` package), so a fresh machine needs nothing else;
- HTML through the built-in Jinja2 templates ``statement.html.j2`` and
  ``dunning.html.j2`` (sandboxed, autoescaped), or the user's own.

The documents come from ``cskit.reports.correspondence``.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

from cskit.errors import OutputError
from cskit.i18n import Text

FORMATS = ("docx", "pdf", "html")
FONT_FILES = ("NotoSansCJKsc-Regular.otf", "SourceHanSansSC-Regular.otf", "SimHei.ttf")


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
    slip: list = []  # paragraphs from the cut line on: kept on one page
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
            slip.append(paragraph("✂ " + "- " * 12 + block["text"] + " -" * 12, size=8.5,
                                  align="center", after=8, colour="777777"))
        elif kind == "checks":
            for item in block["items"]:
                paragraph("□  " + item, size=10.5, after=6)
        elif kind == "signatures":
            for item in block["items"]:
                paragraph(item, size=10, after=10, align=block.get("align"))
    if slip:  # the confirmation slip is cut off and returned: never split over two pages
        paragraphs = document.paragraphs
        first = next(i for i, p in enumerate(paragraphs) if p._p is slip[0]._p)
        for para in paragraphs[first:-1]:
            para.paragraph_format.keep_with_next = True
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
    try:  # the font keeps its file open for lazy reading: closed here, not by the GC
        subsetter = subset.Subsetter(options)
        subsetter.populate(text="".join(sorted(text)))
        subsetter.subset(font)
        target = str(Path(folder) / ("cskit-cjk" + font_path().suffix))
        subset.save_font(font, target, options)
    finally:
        font.close()
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
            if pdf.get_y() > pdf.h - pdf.b_margin - 80:  # the slip goes whole onto a new page
                pdf.add_page()
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
