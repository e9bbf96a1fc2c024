"""One render-report run: template + tables → the text or file of the report.

Pure apart from writing the finished report to the temporary path it is
given (the caller renames it into place atomically).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cskit.errors import DataError, Problem, UsageError
from cskit.i18n import Join, Text, render as render_message
from cskit.io.write import is_special
from cskit.reports import mask as masking
from cskit.reports import model, render
from cskit.reports.tables import Table, require_some
from cskit.reports.text import say

NEEDS = {"aging": ("aging", "aging_detail"), "credit": ("credit",), "kpi": ("kpi",),
         "visit-plan": ("visits",),
         "monthly": ("credit", "aging", "aging_detail", "kpi", "visits")}
OUTPUT_SUFFIXES = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md",
                   ".docx": "docx"}


@dataclass
class Template:
    """A built-in name or a user's file, and what it renders to."""

    name: str  # built-in name, or the file's name
    path: Path | None  # None for built-ins
    kind: str  # "builtin", "html", "md" or "docx"

    @property
    def shown(self) -> str:
        """How messages name the template (in the language of the run)."""
        if self.path:
            return str(self.path)
        return render_message(Text("built-in template {name}", "内置模板 {name}", name=self.name))


def resolve_template(spec: str) -> Template:
    if spec in render.BUILTINS:
        return Template(spec, None, "builtin")
    path = Path(spec)
    lower = path.name.lower()
    if not path.is_file():
        raise UsageError(Text("TEMPLATE {spec!r} is neither a built-in template ({names}) "
                              "nor an existing file",
                              "模板 “{spec}” 既不是内置模板（{names}），也不是已有的文件；"
                              "请检查名称或路径",
                              spec=spec, names=Join((", ", "、"), render.BUILTINS)))
    if lower.endswith(".docx"):
        return Template(path.name, path, "docx")
    if lower.endswith((".html.j2", ".htm.j2", ".html", ".htm", ".html.jinja")):
        return Template(path.name, path, "html")
    if lower.endswith((".md.j2", ".md", ".markdown.j2", ".md.jinja", ".j2", ".txt")):
        return Template(path.name, path, "md")
    raise UsageError(Text("TEMPLATE {spec!r}: expected a .html.j2, .md.j2 or .docx template",
                          "模板 “{spec}”：应为 .html.j2、.md.j2 或 .docx 模板文件", spec=spec))


def output_kind(template: Template, output: str | None, fmt: str | None) -> str:
    """html, md or docx: from --format, else -o's extension, else the
    user template's own kind, else Markdown on standard output."""
    if fmt:
        if fmt not in {"html", "markdown"}:
            raise UsageError(Text("--format {fmt}: render-report writes html or markdown; "
                                  "for Word give an -o path ending in .docx",
                                  "--format {fmt}：render-report 只能输出 html 或 markdown；"
                                  "要生成 Word 文档，请用 -o 指定以 .docx 结尾的路径", fmt=fmt))
        kind = "html" if fmt == "html" else "md"
    elif output and output != "-":
        suffix = Path(output).suffix.lower()
        if suffix not in OUTPUT_SUFFIXES and is_special(output):
            suffix = ".md"  # /dev/null, /dev/stdout, a named pipe: as on standard output
        if suffix not in OUTPUT_SUFFIXES:
            raise UsageError(Text("-o {output}: a report is .html, .md or .docx; end the file "
                                  "name with one of these",
                                  "-o {output}：报告文件名须以 .html、.md 或 .docx 结尾",
                                  output=output))
        kind = OUTPUT_SUFFIXES[suffix]
    elif template.kind in {"html", "md"}:
        kind = template.kind
    else:
        kind = "md"
    if kind == "docx" and (not output or output == "-"):
        raise UsageError(Text("a Word report cannot go to the screen: give -o PATH.docx",
                              "Word 报告不能输出到屏幕：请用 -o 指定 .docx 文件路径"))
    if template.kind == "docx" and kind != "docx":
        raise UsageError(Text("{name} is a Word template: give -o PATH.docx",
                              "{name} 是 Word 模板：请用 -o 指定 .docx 文件路径",
                              name=template.name))
    if template.kind in {"html", "md"} and kind == "docx":
        raise UsageError(Text("{name} is a text template: it renders to .html or .md, "
                              "not .docx (use a .docx template or a built-in one)",
                              "{name} 是文本模板，只能生成 .html 或 .md，不能生成 .docx"
                              "（请改用 .docx 模板或内置模板）", name=template.name))
    return kind


def report_for(template: Template, tables: list[Table], lang: str, params: dict) -> dict:
    if template.kind == "builtin":
        needs = NEEDS.get(template.name)
        if needs:
            require_some(tables, needs, template.shown)
        elif not [t for t in tables if t.kind != "parameters"]:
            raise DataError(Problem(file=template.shown, expected=Text(
                "needs at least one DATA table", "至少需要一个 DATA 数据表")))
        return model.build(template.name, tables, lang, params)
    # a user template: prepare the sections of whatever it was given
    kinds = {t.kind for t in tables}
    sections = []
    if kinds & {"aging", "aging_detail"}:
        sections += model.build("aging", tables, lang, params)["sections"]
    for kind, name in (("credit", "credit"), ("kpi", "kpi"), ("visits", "visit-plan")):
        if kind in kinds:
            sections += model.build(name, tables, lang, params)["sections"]
    summary = model.summary_page(sections, lang) if sections else None
    return {"kind": "user", "sections": sections, "summary": summary}


def produce(template: Template, tables: list[Table], *, kind: str, target: str | None,
            title: str | None, lang: str, as_of: str, variables: dict[str, str],
            mask: bool, params: dict) -> str | None:
    """Render the report. Writes ``target`` for Word (and for text when a
    target is given); returns the text for standard output otherwise."""
    if mask:
        for table in tables:
            table.frame = masking.mask_frame(table.frame)
    report = report_for(template, tables, lang, params)
    if not title:
        title = say(f"title.{template.name}", lang) if template.kind == "builtin" \
            else variables.get("title") or template.name.split(".")[0]
    sources = render.source_files(tables)

    def ctx(chart_value):
        return render.context(report, tables, title=title, lang=lang, as_of=as_of,
                              variables=variables, chart_value=chart_value)

    if kind == "docx":
        if template.kind == "docx":
            render.render_docx_template(template.path, ctx, target, template.shown)
        else:
            render.write_docx(report, title=title, lang=lang, as_of=as_of, sources=sources,
                              target=target)
        return None
    html = kind == "html"
    if template.kind == "builtin":
        path, name = None, f"{template.name}.{'html' if html else 'md'}.j2"
    else:
        path, name = template.path, template.path.name
    text = render.render_text(path, name, ctx(lambda item: item), html=html,
                              shown=template.shown)
    if target:
        with open(target, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        return None
    return text
