"""The Jinja2 sandbox every template runs in: where templates are found, the
filters they may use, and the limits on their time and size, with what went
wrong in a template told as a DataError.

The limits are read from the package (``render.TEMPLATE_SECONDS``,
``render.TEMPLATE_OUTPUT``, ``render.TEMPLATE_DIR``) when a template runs."""
from __future__ import annotations

import re
from pathlib import Path

from cskit.errors import DataError, Problem
from cskit.i18n import Text
from cskit.reports import model, render


def environment(folder: Path | None, *, html: bool):
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined

    loaders = [FileSystemLoader(str(folder))] if folder else []
    loaders.append(FileSystemLoader(str(render.TEMPLATE_DIR)))
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
                            and len(seq) * times > render.TEMPLATE_OUTPUT:
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
            signal.setitimer(signal.ITIMER_REAL, render.TEMPLATE_SECONDS, 0.2)
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
                    seconds=render.TEMPLATE_SECONDS)
    if isinstance(exc, TemplateLimit) or isinstance(exc, MemoryError):
        return Text("the template writes more than {limit:,} characters, the most a report "
                    "may have; check its loops",
                    "模板输出超过 {limit:,} 个字符（报表的上限）；请检查其中的循环",
                    limit=render.TEMPLATE_OUTPUT)
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
