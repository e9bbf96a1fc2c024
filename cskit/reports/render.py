"""Report model or user template → HTML, Markdown or Word.

Every template — built-in or the user's — runs in Jinja2's sandbox with
``StrictUndefined``: a template cannot reach Python internals, and a
variable it uses that the data does not have is reported by name instead
of printing nothing. HTML is autoescaped, so a customer called
``<script>`` prints as text.
"""
from __future__ import annotations

import io
import re
from datetime import datetime
from functools import cached_property
from pathlib import Path

import pandas as pd

from cskit.errors import DataError, Problem
from cskit.i18n import Text, os_reason
from cskit.labels import header
from cskit.reports import model
from cskit.reports.text import say

BUILTINS = ("aging", "credit", "kpi", "visit-plan", "monthly", "table")
# a template is a program: it may run this long and write this much, no more
TEMPLATE_SECONDS = 30
TEMPLATE_OUTPUT = 100_000_000  # characters
WIDE_TABLE = 9  # columns above which a Word page is turned landscape
TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"


# --- what templates see ------------------------------------------------------
class TableData:
    """One DATA table as a template sees it: ``rows`` (list of dicts),
    ``columns`` (name → list of values), ``headers`` (name → header in the
    report's language), ``totals`` (money and count columns added up),
    ``charts`` (name → picture), ``count``, ``source``, ``kind``."""

    def __init__(self, table, lang: str, charts: dict | None = None):
        self._frame = table.frame
        self._plain_cache = None
        self.name = table.name
        self.kind = table.kind
        self.source = table.source
        self.count = len(table.frame)
        self.headers = {str(c): header(str(c), lang) for c in table.frame.columns}
        self.charts = charts or {}

    def _plain(self) -> pd.DataFrame:
        # built only when a template asks for rows or columns: a built-in
        # report over a million-row table never pays for it
        if self._plain_cache is None:
            frame = self._frame
            plain = frame.astype(object).where(frame.notna(), None)
            for column in frame.columns:
                if pd.api.types.is_datetime64_any_dtype(frame[column]):
                    plain[column] = [model.date_text(v) if v is not None else None
                                     for v in plain[column]]
            self._plain_cache = plain
        return self._plain_cache

    @cached_property
    def rows(self) -> list[dict]:
        return self._plain().to_dict("records")

    @cached_property
    def columns(self) -> dict[str, list]:
        plain = self._plain()
        return {str(c): plain[c].tolist() for c in plain.columns}

    @cached_property
    def totals(self) -> dict[str, float | int]:
        frame, totals = self._frame, {}
        for column in frame.columns:
            if model.is_money(column):
                totals[str(column)] = model._sum(frame, column)
            elif pd.api.types.is_integer_dtype(frame[column]) \
                    or column in {"open_invoices", "count"}:
                totals[str(column)] = int(frame[column].fillna(0).sum())
        return totals

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return self.count


def context(report: dict, tables: list, *, title: str, lang: str, as_of: str,
            variables: dict[str, str], chart_value) -> dict:
    """Template variables. ``chart_value(chart)`` turns a chart of the model
    into what the format shows: a data URI for HTML, a picture for Word."""
    section_charts: dict[str, object] = {}
    for part in report["sections"]:
        for item in part["charts"]:
            section_charts[item["name"]] = chart_value(item)
    datasets = {}
    for table in tables:
        wanted = {k: v for k, v in section_charts.items()
                  if _chart_kind(k) == table.kind or report["kind"] == "table"}
        datasets[table.name] = TableData(table, lang, wanted)
    ctx = {
        "title": title,
        "lang": lang,
        "as_of": as_of,
        "generated": datetime.now().strftime("%Y-%m-%d %H:%M"),
        "sources": source_files(tables),
        "window": report.get("window") or "",
        "vars": dict(variables),
        "report": report,
        "sections": report["sections"],
        "summary": report["summary"],
        "tables": datasets,
        "charts": section_charts,
        "table": next(iter(datasets.values())) if datasets else None,
        "labels": {key: say(key, lang) for key in _LABEL_KEYS},
    }
    for name, data in datasets.items():
        ctx.setdefault(name, data)
    for key, value in variables.items():
        ctx.setdefault(key, value)
    return ctx


def source_files(tables) -> list[str]:
    """The files a report was made from, each once (not every sheet)."""
    return list(dict.fromkeys(re.sub(r" \[[^\]]*\]$", "", t.source) for t in tables))


_LABEL_KEYS = ("as_of", "plan_window", "generated", "sources", "contents", "page", "total", "previous",
               "current", "change", "reason", "figure", "nothing", "no_data",
               "section.summary", "section.attention", "section.changes")


def _chart_kind(name: str) -> str:
    return {"aging_buckets": "aging", "grades": "credit", "kpi_target": "kpi",
            "visits_per_day": "visits"}.get(name, "table")


# --- Jinja -------------------------------------------------------------------
def environment(folder: Path | None, *, html: bool):
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined

    loaders = [FileSystemLoader(str(folder))] if folder else []
    loaders.append(FileSystemLoader(str(TEMPLATE_DIR)))
    env = _Bounded(loader=ChoiceLoader(loaders), undefined=StrictUndefined,
                               autoescape=html, trim_blocks=True, lstrip_blocks=True,
                               keep_trailing_newline=True)
    env.filters.update(money=model.money_text, pct=model.pct_text, num=model.number_text,
                       count=model.count_text, date=model.date_text, md=md_cell)
    return env


def _bounded_class():
    from jinja2.sandbox import SandboxedEnvironment

    class Bounded(SandboxedEnvironment):
        """The sandbox, with ``*`` and ``**`` unable to build a text, a list
        or a number larger than a report may hold."""

        intercepted_binops = frozenset(["*", "**"])

        def call_binop(self, context, operator, left, right):
            if operator == "*":
                for seq, times in ((left, right), (right, left)):
                    if isinstance(seq, (str, list, tuple)) and isinstance(times, int) \
                            and len(seq) * times > TEMPLATE_OUTPUT:
                        raise TemplateLimit("output")
            if operator == "**" and isinstance(right, (int, float)) and abs(right) > 1000 \
                    and isinstance(left, (int, float)) and abs(left) > 1:
                raise OverflowError("a power above 1000")
            return super().call_binop(context, operator, left, right)

    return Bounded


def _Bounded(**kwargs):
    return _bounded_class()(**kwargs)


def md_cell(value) -> str:
    """A value safe inside a Markdown table cell: no pipe breaks the row and
    no markup from the data is passed through as HTML."""
    text = "" if value is None else str(value)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"\s*[\r\n]+\s*", " ", text).replace("|", "\\|")


def render_text(template_path: Path, name: str, ctx: dict, *, html: bool,
                shown: str) -> str:
    """Render one Jinja2 template file (built-in or the user's) to text."""
    env = environment(template_path.parent if template_path else None, html=html)
    with jinja_errors(shown):
        template = env.get_template(name)
        parts, size = [], 0
        for part in template.generate(ctx):
            size += len(part)
            if size > TEMPLATE_OUTPUT:
                raise TemplateLimit("output")
            parts.append(part)
        return "".join(parts)


class TemplateLimit(Exception):
    """A template ran longer (``"time"``) or wrote more (``"output"``) than allowed."""


def _out_of_time(signum, frame):
    raise TemplateLimit("time")


class jinja_errors:
    """Turns what can go wrong in a template into a DataError (exit 1) naming
    the template, the line and the variable."""

    def __init__(self, shown: str):
        self.shown = shown
        self.timer = None

    def __enter__(self):
        import signal
        import threading

        if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
            self.timer = signal.signal(signal.SIGALRM, _out_of_time)
            # repeated every 0.2 s: a signal arriving where Python ignores exceptions
            # (a garbage-collector callback, a __del__) is sent again
            signal.setitimer(signal.ITIMER_REAL, TEMPLATE_SECONDS, 0.2)
        return self

    def __exit__(self, exc_type, exc, tb):
        if self.timer is not None:
            import signal

            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.timer)
        if exc is None:
            return False
        if isinstance(exc, (TemplateLimit, RecursionError, OverflowError, MemoryError)):
            raise DataError(Problem(file=self.shown, expected=_limit(exc))) from None
        from jinja2 import TemplateNotFound, TemplateSyntaxError, UndefinedError
        from jinja2.exceptions import SecurityError, TemplateError

        if isinstance(exc, UndefinedError):
            raise DataError(Problem(file=self.shown, expected=_undefined(exc))) from None
        if isinstance(exc, SecurityError):
            raise DataError(Problem(file=self.shown, expected=Text(
                "the template tried something templates may not do ({detail}); "
                "templates run sandboxed",
                "模板试图做模板不允许做的事（{detail}）；模板在安全沙箱中运行，"
                "只能使用数据和 --var 给出的值", detail=str(exc)))) from None
        if isinstance(exc, TemplateSyntaxError):
            if exc.lineno:
                expected = Text("line {line}: template syntax error: {detail}",
                                "第 {line} 行：模板语法错误：{detail}",
                                line=exc.lineno, detail=exc.message)
            else:
                expected = Text("template syntax error: {detail}", "模板语法错误：{detail}",
                                detail=exc.message)
            raise DataError(Problem(file=exc.filename or self.shown, expected=expected)) \
                from None
        if isinstance(exc, TemplateNotFound):
            raise DataError(Problem(file=self.shown, expected=Text(
                "template not found: {name}", "找不到模板 {name}", name=exc.name))) from None
        if isinstance(exc, (TemplateError, TypeError, ValueError, AttributeError,
                            KeyError, IndexError, ZeroDivisionError)):
            raise DataError(Problem(file=self.shown, expected=Text(
                "the template stopped with an error: {detail} ({kind})",
                "模板运行时出错：{detail}（{kind}）",
                kind=type(exc).__name__, detail=str(exc)))) from None
        return False


def _limit(exc) -> Text:
    """A template that would run for ever or fill the disk."""
    if isinstance(exc, TemplateLimit) and exc.args[0] == "time":
        return Text("the template ran for more than {seconds} seconds and was stopped "
                    "(a loop inside a loop over large data, or one that never ends?)",
                    "模板运行超过 {seconds} 秒，已被停止（是否在大量数据上嵌套循环，或循环不会结束？）",
                    seconds=TEMPLATE_SECONDS)
    if isinstance(exc, TemplateLimit) or isinstance(exc, MemoryError):
        return Text("the template writes more than {limit:,} characters, the most a report "
                    "may have; check its loops",
                    "模板输出超过 {limit:,} 个字符（报表的上限）；请检查其中的循环",
                    limit=TEMPLATE_OUTPUT)
    if isinstance(exc, RecursionError):
        return Text("the template calls itself (a macro or include) without end",
                    "模板无休止地调用自身（宏或 include）")
    return Text("the template asks for more than a template may have: {detail} (a range "
                "may have at most 100,000 numbers)",
                "模板要求的超出模板允许的范围：{detail}（range 最多 100,000 个数）",
                detail=str(exc))


def _undefined(exc) -> Text:
    """A variable (or a table's field) the template uses and nothing gives."""
    detail = exc.message or str(exc)
    name = re.fullmatch(r"'([^']+)' is undefined", detail)
    if name:
        return Text("the template uses a variable the data does not have: {detail}; "
                    "give it with --var NAME=VALUE or a DATA table of that name",
                    "模板用到了变量 {name}，但数据中没有；请用 --var {name}=值 给出，"
                    "或提供名为 {name} 的 DATA 数据表", detail=detail, name=name[1])
    field = re.fullmatch(r"'[^']*' has no attribute '([^']+)'", detail)
    if field:  # credit.nosuch, vars.nosuch, row.nosuch
        return Text("the template uses {name!r}, which the data does not have: check the "
                    "column names of the DATA tables, or give it with --var {name}=VALUE",
                    "模板用到了 {name}，但数据中没有：请检查 DATA 数据表的列名，"
                    "或用 --var {name}=值 给出", name=field[1])
    return Text("the template uses a variable the data does not have: {detail}; "
                "give it with --var NAME=VALUE or a DATA table of that name",
                "模板用到了数据中没有的变量（{detail}）；请用 --var 名称=值 给出，"
                "或提供同名的 DATA 数据表", detail=detail)


# --- Word --------------------------------------------------------------------
def render_docx_template(template_path: Path, ctx_builder, target: str, shown: str) -> None:
    """A user's Word template with Jinja2 tags, rendered by docxtpl in the
    sandbox; charts are pictures (``{{ charts.aging_buckets }}``)."""
    import zipfile

    from docx.opc.exceptions import OpcError
    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage

    try:
        document = DocxTemplate(str(template_path))
        document.init_docx()
    except OpcError:  # python-docx: not a zip package at all (text, random bytes)
        raise DataError(Problem(file=shown, expected=Text(
            "is not a Word document; save the template from Word as a .docx file",
            "不是 Word 文档；请在 Word 中把模板另存为 .docx 文件"))) from None
    except OSError as exc:
        raise DataError(Problem(file=shown, expected=Text(
            "the Word template cannot be read: {reason}", "Word 模板无法读取：{reason}",
            reason=os_reason(exc)))) from None
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise DataError(Problem(file=shown, expected=Text(
            "is not a readable Word .docx file ({detail}); save the template from Word "
            "as a .docx file",
            "不是可以读取的 Word .docx 文件（{detail}）；请在 Word 中把模板另存为 .docx 文件",
            detail=str(exc)))) from None
    ctx = ctx_builder(lambda item: InlineImage(document, io.BytesIO(item["png"]), width=Mm(150)))
    with jinja_errors(shown):
        document.render(ctx, jinja_env=environment(None, html=False), autoescape=True)
    document.save(target)


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
        return any(len(view["columns"]) > WIDE_TABLE for view in part["tables"])

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
