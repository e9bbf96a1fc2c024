"""``cskit render-report statement`` and ``cskit render-report dunning``.

One document per customer into a folder, plus a table of what was sent
(register.csv, letters.csv). They are reached through ``render-report``
(``ReportCommand`` hands the arguments on when the template is one of
these names), so they read as render-report's built-ins.
"""
from __future__ import annotations

import click

from cskit.errors import OutputError, UsageError
from cskit.i18n import Text
from cskit.options import as_of_option, input_options, policy_option

DOCUMENT_FORMATS = ("docx", "pdf", "html")
PLACEHOLDER = "××"


class ReportCommand(click.Command):
    """render-report, which hands ``statement …`` and ``dunning …`` on to
    their own commands (their options differ from a report's)."""

    def make_context(self, info_name, args, parent=None, **extra):
        if args and args[0] in SUBCOMMANDS:
            command = SUBCOMMANDS[args[0]]
            return command.make_context(f"{info_name} {args[0]}", list(args[1:]),
                                        parent=parent, **extra)
        return super().make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx):
        if ctx.command is not self:
            return ctx.command.invoke(ctx)
        return super().invoke(ctx)


def _set_language(ctx, param, value):
    from cskit.i18n import set_language

    set_language(value)
    return value


def _document_options(func):
    for decorator in reversed((
        click.option("-o", "--output", "output_dir", required=True, metavar="DIR",
                     help="Folder to write into (created if missing; its parent must exist). "
                          "DIR/*.pdf or DIR/*.html also picks the format."),
        click.option("--format", "fmt", type=click.Choice(DOCUMENT_FORMATS), metavar="FORMAT",
                     help="docx (default), pdf or html."),
        click.option("--template", metavar="FILE",
                     help="Your own template: .html.j2 (Jinja2) or .docx (Word with Jinja2 "
                          "tags); copy the built-in one from cskit/templates/."),
        click.option("--lang", type=click.Choice(["en", "zh"]), envvar="CSKIT_LANG",
                     default="en", show_default=True, is_eager=True, callback=_set_language,
                     help="Language of the documents, the table's headers and messages."),
        click.option("-q", "--quiet", is_flag=True, help="No summary on stderr."),
    )):
        func = decorator(func)
    return input_options(policy_option(as_of_option(func)))


def _folder_and_kind(output_dir: str, fmt: str | None, template):
    """The folder to write into and the documents' format."""
    from pathlib import Path

    path = Path(output_dir)
    kind = fmt
    if path.name.startswith("*.") and path.suffix.lower().lstrip(".") in DOCUMENT_FORMATS:
        kind = kind or path.suffix.lower().lstrip(".")
        path = path.parent
    if template is not None:
        wanted = "docx" if template.kind == "docx" else "html"
        if kind and kind != wanted:
            raise UsageError(Text("--template {name} writes .{wanted}, not .{kind}",
                                  "--template {name} 只能生成 .{wanted}，不能生成 .{kind}",
                                  name=template.name, wanted=wanted, kind=kind))
        kind = wanted
    kind = kind or "docx"
    if path.exists() and not path.is_dir():
        raise OutputError(Text("cannot write into {path}: it is a file, not a folder",
                               "无法写入 {path}：这是文件，不是文件夹", path=str(path)))
    parent = path.parent if str(path.parent) else Path(".")
    if not path.exists():
        if not parent.is_dir():
            raise OutputError(Text("cannot write into {path}: the folder {folder} does not exist",
                                   "无法写入 {path}：文件夹 {folder} 不存在，请先建好",
                                   path=str(path), folder=str(parent)))
        try:
            path.mkdir()
        except OSError as exc:
            from cskit.i18n import os_reason

            raise OutputError(Text("cannot create the folder {path}: {reason}",
                                   "无法创建文件夹 {path}：{reason}",
                                   path=str(path), reason=os_reason(exc))) from None
    return path, kind


def _template(spec: str | None):
    if not spec:
        return None
    from pathlib import Path

    from cskit.reports.document import Template

    path = Path(spec)
    if not path.is_file():
        raise UsageError(Text("--template {spec}: no such file", "--template {spec}：文件不存在",
                              spec=spec))
    lower = path.name.lower()
    if lower.endswith(".docx"):
        return Template(path.name, path, "docx")
    if lower.endswith((".html.j2", ".htm.j2", ".html", ".htm", ".html.jinja")):
        return Template(path.name, path, "html")
    raise UsageError(Text("--template {spec}: expected a .html.j2 or a .docx template",
                          "--template {spec}：应为 .html.j2 或 .docx 模板", spec=spec))


def _policy(run):
    from cskit import aging
    from cskit.reports import dunning

    policy = run.policy("aging", check=lambda p: aging.check_policy(p) + dunning.check_policy(p))
    if any(PLACEHOLDER in str(v) or set(str(v)) <= {"0", " ", "-"}
           for v in policy["company"].values()):
        run.warn(Text("the [company] table of the aging policy still holds placeholders "
                      "(××): give your company's name, address and bank account in a "
                      "--policy file (see cskit defaults aging)",
                      "aging 策略的 [company] 表仍是占位内容（××）：请在 --policy 文件中填写"
                      "本公司名称、地址和收款账户（见 cskit defaults aging）"))
    return policy


def _write_documents(run, folder, names, docs, kind, template, builtin):
    import tempfile

    from cskit.io.write import atomic_path
    from cskit.reports import paper

    with tempfile.TemporaryDirectory(prefix="cskit-") as scratch:
        font = None
        if kind == "pdf" and template is None:
            docs = list(docs)
            font = paper.subset_font(docs, scratch)
        for name, doc in zip(names, docs):
            with atomic_path(str(folder / name)) as temporary:
                paper.write(doc, temporary, kind, template=template, builtin=builtin,
                                     font=font)


def _date_option(option: str, text: str):
    from cskit.io import values

    parsed = values.parse_date_text(text)
    if parsed is None:
        raise UsageError(Text("{option}: {text!r} is not a date; expected e.g. 2026-09-30",
                              "{option}：“{text}”不是日期，应为如 2026-09-30 这样的日期",
                              option=option, text=text))
    return parsed


@click.command("statement")
@click.argument("invoices", metavar="INVOICES")
@click.option("--payments", metavar="FILE", help="Payments, as for aging-report.")
@click.option("--from", "start", required=True, metavar="DATE",
              help="First day of the period (the opening balance is the day before).")
@click.option("--to", "end", required=True, metavar="DATE",
              help="Last day of the period: the closing balance and its aging are at this "
                   "date; nothing dated later is used.")
@click.option("--customers", metavar="FILE",
              help="Only these customers (customer_id [, customer_name, owner]); owner "
                   "names the staff member responsible in the register.")
@_document_options
def statement(invoices, payments, start, end, customers, output_dir, fmt, template, **kwargs):
    """Statements of account (对账单), one file per customer, and a register.

    From the invoice ledger (and payments) as for aging-report: for each
    customer with a movement in --from … --to or a closing balance other than
    zero, the opening balance, every invoice, credit note and payment of the
    period, the closing balance at --to (also in Chinese capitals, 大写) and
    its aging, the company's bank account from the [company] table of the
    aging policy, a return-by date, and the confirmation slip (回执) to sign
    and send back. Files are named <customer_id>_<name>.docx (or .pdf,
    .html); DIR/register.csv lists what was sent, with empty returned_date,
    result and difference columns to fill in — rollup-kpi and score-credit
    read it back with --confirmations. --as-of is the date sent (default --to).

    \b
    Examples:
      cskit render-report statement invoices.csv --payments payments.csv \\
            --from 2026-07-01 --to 2026-09-30 --lang zh -o out/statements/
      cskit render-report statement invoices.csv --from 2026-07-01 --to 2026-09-30 \\
            --customers key-accounts.csv --format pdf -o out/q3/
    """
    from cskit.run import Run

    first, last = _date_option("--from", start), _date_option("--to", end)
    if last < first:
        raise UsageError(Text("--to {end} is before --from {start}",
                              "--to {end} 早于 --from {start}，请检查日期", end=end, start=start))
    user_template = _template(template)
    folder, kind = _folder_and_kind(output_dir, fmt, user_template)
    sent = _date_option("--as-of", kwargs["as_of"]) if kwargs.get("as_of") else last
    if sent < last:
        raise UsageError(Text("--as-of {sent} (the date sent) is before --to {end}: a statement "
                              "is sent after its period ends",
                              "--as-of {sent}（发出日期）早于 --to {end}：对账单应在对账期结束后发出",
                              sent=f"{sent:%Y-%m-%d}", end=end))
    run = Run.from_options("render-report statement", dict(kwargs, output=None))
    with run:
        import pandas as pd

        from cskit import schema
        from cskit.io.write import write_report
        from cskit.reports import correspondence, statement as statements_of

        policy = _policy(run)
        ledger = run.read(invoices, schema.INVOICES, option="INVOICES")
        paid = run.read(payments, schema.PAYMENTS, option="--payments") if payments else None
        wanted = (run.read(customers, schema.STATEMENT_CUSTOMERS, option="--customers")
                  if customers else None)
        ledger, paid = _checked_references(run, ledger, paid, invoices)
        result = statements_of.statements(ledger, paid, policy, start=first, end=last,
                                          customers=wanted)
        from cskit import reconcile

        reconcile.statement(ledger, paid, last, result.customers, result.lines)
        if result.not_found:
            shown = ", ".join(result.not_found[:10]) + (" …" if len(result.not_found) > 10
                                                        else "")
            run.warn(Text("{count} customer(s) of {path} had no movement in the period and a "
                          "zero balance, so no statement: {ids}",
                          "{path} 中有 {count} 个客户本期无往来且余额为零，未生成对账单：{ids}",
                          count=len(result.not_found), path=customers, ids=shown))
        table = result.customers
        names = statements_of.file_names(table["customer_id"], table["customer_name"], kind)
        return_days = policy["statement"]["return_days"]
        due_back = sent + pd.Timedelta(days=return_days)
        lines = dict(tuple(result.lines.groupby("customer_id", sort=False)))
        empty = result.lines.iloc[0:0]
        docs = (correspondence.statement_document(
            row, lines.get(row["customer_id"], empty), result.buckets,
            company=policy["company"], start=first, end=last, sent=sent, due_back=due_back,
            lang=run.lang) for row in table.to_dict("records"))
        register_path = folder / "register.csv"
        _refuse_filled_register(register_path)
        _write_documents(run, folder, names, docs, kind, user_template, "statement")
        register = statements_of.register(table, names, period_end=last, sent=sent,
                                          return_days=return_days)
        write_report({"Register": register}, str(register_path), fmt="csv", lang=run.lang)
        total = float(table["closing"].sum().round(2)) if len(table) else 0.0
        run.info(Text("render-report statement: {count} statement(s) ({kind}) for {start} … "
                      "{end} in {folder}, closing balances {total}; register: {register}",
                      "render-report statement：已在 {folder} 生成 {count} 份对账单（{kind}），"
                      "期间 {start} 至 {end}，期末余额合计 {total}；登记表：{register}",
                      count=len(table), kind=kind, start=f"{first:%Y-%m-%d}",
                      end=f"{last:%Y-%m-%d}", folder=str(folder), total=f"{total:,.2f}",
                      register=str(register_path)))


def _checked_references(run, ledger, paid, invoices):
    from cskit.commands.aging import checked_references

    return checked_references(run, ledger, paid, invoices)


def _refuse_filled_register(path) -> None:
    """A register the team has started filling in is never overwritten."""
    if not path.exists():
        return
    from cskit import schema
    from cskit.errors import CskitError
    from cskit.io.read import read_table

    try:
        frame, _, _ = read_table(str(path), schema.REGISTER)
        filled = bool(frame["returned_date"].notna().any()) if "returned_date" in frame else False
        filled = filled or ("result" in frame and bool(frame["result"].notna().any()))
    except CskitError:
        filled = True
    if filled:
        raise OutputError(Text("{path} already has returned slips filled in: it is not "
                               "overwritten; write the statements into another folder (-o), "
                               "or move the register away first",
                               "{path} 中已登记了回函，不会被覆盖：请把对账单写到另一个文件夹（-o），"
                               "或先把该登记表移走", path=str(path)))


@click.command("dunning")
@click.argument("detail", metavar="AGING_DETAIL")
@_document_options
def dunning(detail, output_dir, fmt, template, **kwargs):
    """Collection letters (催款函), one per customer with overdue money.

    AGING_DETAIL is aging-report's open items (aging-report --detail, English
    or Chinese headers). Each customer with items overdue gets a letter at the
    level its oldest overdue item reaches — by default 1–30 days 提醒函
    (reminder), 31–90 催款函 (collection letter), 91+ 最后通知 (final notice,
    naming legal steps) — listing the overdue items, the overdue total in
    figures and in Chinese capitals (大写), the whole open balance, the
    company's bank account and a pay-by date. Levels, texts and days live in
    the [dunning] table of the aging policy. DIR/letters.csv lists the
    letters. --as-of is the date sent (default today).

    \b
    Examples:
      cskit aging-report invoices.csv --payments payments.csv --as-of 2026-10-31 \\
            --detail -o out/collections.csv
      cskit render-report dunning out/collections.csv --as-of 2026-10-31 --lang zh \\
            -o out/letters/
    """
    from cskit.run import Run

    user_template = _template(template)
    folder, kind = _folder_and_kind(output_dir, fmt, user_template)
    run = Run.from_options("render-report dunning", dict(kwargs, output=None))
    with run:
        from cskit import schema
        from cskit.io.write import write_report
        from cskit.reports import correspondence, dunning as dunning_of
        from cskit.reports.statement import file_names

        policy = _policy(run)
        items = run.read(detail, schema.AGING_DETAIL, option="AGING_DETAIL")
        result = dunning_of.letters(items, policy, sent=run.as_of, lang=run.lang)
        from cskit import reconcile

        reconcile.dunning(items, result.table, result.items)
        table = result.table
        names = file_names(table["customer_id"], table["customer_name"], kind)
        by_customer = dict(tuple(result.items.groupby("customer_id", sort=False)))
        docs = (correspondence.letter_document(row, by_customer[row["customer_id"]],
                                               company=policy["company"], lang=run.lang)
                for row in table.to_dict("records"))
        _write_documents(run, folder, names, docs, kind, user_template, "dunning")
        listing = table.drop(columns=["_text", "balance"])
        listing.insert(listing.columns.get_loc("sent_date"), "file", names)
        write_report({"Letters": listing}, str(folder / "letters.csv"), fmt="csv",
                     lang=run.lang)
        counts = table["level"].value_counts().sort_index()
        per_level = ", ".join(f"{level}: {count}" for level, count in counts.items())
        run.info(Text("render-report dunning: {count} letter(s) ({kind}) in {folder} "
                      "(by level {levels}), overdue {total}; list: {listing}",
                      "render-report dunning：已在 {folder} 生成 {count} 封催款函（{kind}）"
                      "（各级数量 {levels}），逾期金额合计 {total}；清单：{listing}",
                      count=len(table), kind=kind, folder=str(folder),
                      levels=per_level or "-",
                      total=f"{float(table['overdue_total'].sum()):,.2f}",
                      listing=str(folder / "letters.csv")))


SUBCOMMANDS = {"statement": statement, "dunning": dunning}
