"""cskit render-report: Word, HTML and Markdown summaries (SPEC §6)."""
from __future__ import annotations

import click

from cskit.commands.statements import ReportCommand
from cskit.i18n import Text, render
from cskit.options import common_options

# the built-in reports that draw charts (in HTML and Word)
CHARTED = {"aging", "credit", "kpi", "visit-plan", "monthly"}


def _variables(pairs: tuple[str, ...]) -> dict[str, str]:
    found = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip().isidentifier():
            raise click.BadParameter(render(Text(
                "{pair!r}: expected KEY=VALUE, KEY being a plain name (letters, digits and _, "
                "not starting with a digit)",
                "“{pair}”：应写成 名称=值，名称只能由字母、汉字、数字和下划线组成，且不以数字开头",
                pair=pair)), param_hint="--var")
        found[key.strip()] = value
    return found


def _refuse_overwrite(path: str, output: str | None) -> None:
    import os

    from cskit.errors import UsageError

    if output and output != "-" and path != "-" and os.path.exists(path) and (
            os.path.abspath(path) == os.path.abspath(output)
            or os.path.exists(output) and os.path.samefile(path, output)):
        raise UsageError(Text("DATA {path} is also the output: refusing to overwrite an input; "
                              "choose another -o path",
                              "DATA {path} 同时也是输出文件：为免覆盖输入，拒绝运行；"
                              "请给 -o 换一个路径", path=path))


@click.command("render-report", cls=ReportCommand)
@click.argument("template", metavar="TEMPLATE")
@click.argument("data", nargs=-1, metavar="[DATA]...")
@click.option("--title", metavar="TEXT", help="Title of the report (default: the template's).")
@click.option("--var", "variables", multiple=True, metavar="KEY=VALUE",
              help="A value for the template, as {{ KEY }} and {{ vars.KEY }}; repeatable.")
@click.option("--no-mask", is_flag=True,
              help="Show phone and ID numbers in full (default: 138****5678).")
@common_options
def render_report(template, data, title, variables, no_mask, **kwargs):
    """Render tables into a Word, HTML or Markdown report.

    TEMPLATE is a built-in report — aging, credit, kpi, visit-plan, monthly
    (all four with a summary page: totals, changes against the previous
    period, what needs attention) or table (any table) — or your own Jinja2
    template (.html.j2, .md.j2) or Word template with Jinja2 tags (.docx).
    DATA is PATH or NAME=PATH, usually other cskit commands' outputs; an
    Excel file gives one table per sheet. The format follows -o: .html (one
    self-contained file, prints on A4), .docx (Word) or .md (Markdown, also
    the default on standard output). Phone and ID numbers are masked unless
    --no-mask.

    Per customer: 'render-report statement' (statements of account and
    their register) and 'render-report dunning' (collection letters), each
    with its own --help.

    \b
    Examples:
      cskit render-report aging out/aging.xlsx -o out/aging.html
      cskit render-report monthly out/credit.xlsx out/aging.xlsx out/kpi.xlsx \\
            out/visits.xlsx --lang zh -o out/monthly.docx
      cskit render-report templates/examples/credit-notice.docx credit=out/credit.csv \\
            --var sender=客服部 -o out/credit-notice.docx
      cskit render-report table out/aging.xlsx --format markdown
    """
    from cskit.run import InputRecord, Run

    run = Run.from_options("render-report", kwargs)
    with run:
        from cskit.io.read import read_workbook
        from cskit.io.write import atomic_path
        from cskit.reports import document, tables as tabling

        found = document.resolve_template(template)
        kind = document.output_kind(found, run.output, run.fmt)
        values = _variables(variables)
        for spec in data:
            _refuse_overwrite(tabling.parse_spec(spec)[1], run.output)
        for option, given in (("--policy", run.policy_path), ("--rejects", run.rejects_path)):
            if given:
                run.warn(Text("render-report: {option} has no effect on a report",
                              "render-report：{option} 对报告不起作用", option=option))
        run.rejects_path = None  # nothing is rejected: no rejects file, no "0 rejected"
        if found.kind == "builtin" and found.name in CHARTED and kind in ("html", "docx"):
            from cskit.reports.charts import warm_up

            warm_up()  # matplotlib loads on the other core while the tables are read
        loaded = tabling.load(list(data), read_workbook, encoding=run.encoding,
                              sheet=run.sheet)
        for table in loaded:
            run.inputs.append(InputRecord(option="DATA", path=table.source, kind=table.kind,
                                          read=len(table.frame)))
        params = tabling.parameters(loaded)
        as_of = kwargs.get("as_of") and run.as_of.strftime("%Y-%m-%d") \
            or params.get("as_of") or run.as_of.strftime("%Y-%m-%d")
        options = dict(kind=kind, title=title, lang=run.lang, as_of=as_of,
                       variables=values, mask=not no_mask, params=params)
        if run.output and run.output != "-":
            with atomic_path(run.output) as temporary:
                document.produce(found, loaded, target=temporary, **options)
            run.info(Text("render-report: wrote {output} ({kind}, {n} table{s})",
                          "render-report：已写出 {output}（{kind}，{n} 个数据表）",
                          output=run.output, kind=kind, n=len(loaded),
                          s="s" if len(loaded) != 1 else ""))
            from cskit.reports.charts import cjk_font

            if kind != "md" and cjk_font() is None:
                run.warn(Text("no Chinese font found, so Chinese labels in the charts show as "
                              "boxes: install cskit's dependencies (mplfonts) or a Chinese font",
                              "找不到中文字体，图表里的中文会显示成方框：请安装 cskit 的依赖包"
                              "（mplfonts）或任一中文字体"))
        else:
            click.echo(document.produce(found, loaded, target=None, **options), nl=False)


# A report reads whole tables and sets nothing aside, and no policy shapes it:
# those shared options stay accepted (a cron line may pass them) but unlisted.
# -o and --format say what a report really is (.html, .docx, .md).
for _param in render_report.params:
    if _param.name in {"policy_path", "rejects", "totals"}:
        _param.hidden = True
    elif _param.name == "output":
        _param.help = ("Write the report here; the extension picks the format: .html (one "
                       "self-contained file), .docx (Word) or .md. Default: Markdown on "
                       "standard output.")
    elif _param.name == "fmt":
        _param.help = ("html or markdown, overriding the extension (a Word report is "
                       "chosen by -o PATH.docx).")
