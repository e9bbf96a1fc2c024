"""Messages in English and Chinese, chosen when they are shown.

A message is written once, where it is raised, in both languages::

    Text("policy file {path} does not exist", "策略文件 {path} 不存在", path=path)

and rendered in the language of the invocation (``--lang``, or the
``CSKIT_LANG`` environment variable) when it reaches the user: on stderr,
in a rejects file's ``reject_reason``. Fields may themselves be ``Text``
(or ``Join`` of several), so a message can be built from parts; file
names, values and column headers are shown as the user wrote them.

Only the standard library is imported: error messages are on the
``cskit --help`` import path.
"""
from __future__ import annotations

import errno
import numbers
import os
import re
import string

LANGUAGES = ("en", "zh")

# Set by the --lang option of each command (cskit.options); library code
# used from Python gets English unless it sets a language itself.
_language = os.environ.get("CSKIT_LANG", "en") if os.environ.get("CSKIT_LANG") in LANGUAGES \
    else "en"


def set_language(lang: str | None) -> None:
    global _language
    _language = lang if lang in LANGUAGES else "en"


def language() -> str:
    return _language


def strict() -> bool:
    """With CSKIT_STRICT_TEXT set, a message that reaches a Chinese user in
    English only is a bug (the test suite runs the hostile corpus so)."""
    return bool(os.environ.get("CSKIT_STRICT_TEXT"))


class _Message:
    """What Text and Join share: shown in the run's language, joined by +."""

    __slots__ = ()

    def render(self, lang: str | None = None) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def __str__(self) -> str:
        return self.render()

    def __add__(self, other):
        return Join("", [self, other])

    def __radd__(self, other):
        return Join("", [other, self])


class Text(_Message):
    """One message in English and Chinese, with named fields (str.format)."""

    __slots__ = ("en", "zh", "fields")

    def __init__(self, en: str, zh: str, /, **fields):
        self.en = en
        self.zh = zh
        self.fields = fields

    def render(self, lang: str | None = None) -> str:
        lang = lang or _language
        template = self.zh if lang == "zh" else counted(self.en, self.fields)
        return template.format(**{k: _field(v, lang) for k, v in self.fields.items()})

    def __repr__(self) -> str:
        return f"Text({self.render('en')!r})"

    def __eq__(self, other):
        if isinstance(other, Text):
            return (self.en, self.zh, self.fields) == (other.en, other.zh, other.fields)
        return NotImplemented

    def __hash__(self):
        return hash((self.en, self.zh))


class Join(_Message):
    """Several messages shown together: ``Join("\\n  ", problems)``. A ``sep``
    may be a pair (English, Chinese), e.g. ``(", ", "，")``."""

    __slots__ = ("sep", "items")

    def __init__(self, sep: str | tuple[str, str], items):
        self.sep = sep
        self.items = list(items)

    def render(self, lang: str | None = None) -> str:
        lang = lang or _language
        sep = self.sep if isinstance(self.sep, str) else self.sep[lang == "zh"]
        return sep.join(render(item, lang) for item in self.items)

    def __repr__(self) -> str:
        return f"Join({self.render('en')!r})"


def _field(value, lang: str):
    if isinstance(value, _Message):
        return value.render(lang)
    return value


def render(message, lang: str | None = None) -> str:
    """A message for display: ``Text``/``Join`` in the language of the run;
    a plain string as it is (in strict mode, refused when Chinese is asked
    for, since it has no Chinese)."""
    lang = lang or _language
    if isinstance(message, _Message):
        return message.render(lang)
    if lang == "zh" and strict() and message and _has_latin_words(str(message)):
        raise AssertionError(f"message without a Chinese text: {message!r}")
    return str(message)


def _has_latin_words(text: str) -> bool:
    # a bare path, option or value ("--rejects", "a.csv") is not a sentence
    return sum(1 for word in text.split() if word.isalpha() and word.isascii()) >= 2


# --- English plurals ---------------------------------------------------------------
# A count and the noun it counts, in an English template: "{read} rows read",
# "{n} open invoices", "{n} customer(s)". Chinese needs no plural (measure
# words are in the Chinese template: 读入 {read} 行).
_NOUNS = ("rows", "invoices", "customers", "days", "files", "tables", "problems", "records",
          "visits", "calls", "items", "results", "months", "sheets", "columns", "payments",
          "letters", "statements", "activities", "members", "values", "KPIs", "hours",
          "credit notes", "installments", "names", "periods", "staff members")
_COUNTED = re.compile(r"\{(\w+)\}((?: [\w.]+)??) (" + "|".join(map(re.escape, _NOUNS)) + r")\b")
_MAYBE = re.compile(r"\(s\)")


def counted(template: str, fields: dict) -> str:
    """TEMPLATE with each counted noun agreeing with its count: "1 row read",
    "2 rows read", "1 customer", "3 customers"; ``(s)`` after a noun is
    decided by the count before it. Only the template's own words change,
    never a value."""
    def one(name: str) -> bool:
        value = fields.get(name)
        return isinstance(value, numbers.Integral) and not isinstance(value, bool) \
            and abs(int(value)) == 1

    def singular(noun: str) -> str:
        if noun.endswith("ies"):
            return noun[:-3] + "y"
        return noun[:-1]

    def fix(match: re.Match) -> str:
        name, between, noun = match.groups()
        return "{%s}%s %s" % (name, between, singular(noun) if one(name) else noun)

    text = _COUNTED.sub(fix, template)
    if "(s)" not in text:
        return text
    out, last = [], None
    position = 0
    for match in re.finditer(r"\{(\w+)\}|\(s\)", text):
        out.append(text[position:match.start()])
        if match.group(1):
            last = match.group(1)
            out.append(match.group(0))
        else:
            out.append("" if last is not None and one(last) else "s")
        position = match.end()
    out.append(text[position:])
    return "".join(out)


def fields_of(template: str) -> set[str]:
    """The field names of a template (for checking both languages agree)."""
    return {name.split(".")[0].split("[")[0]
            for _, name, _, _ in string.Formatter().parse(template) if name}


# --- operating-system reasons ------------------------------------------------------

_OS_REASONS = {
    errno.ENOENT: Text("no such file or folder", "文件或文件夹不存在"),
    errno.EACCES: Text("permission denied", "没有权限"),
    errno.EPERM: Text("operation not permitted", "不允许此操作"),
    errno.ENOSPC: Text("the disk is full", "磁盘已满"),
    errno.EROFS: Text("the disk is read-only", "磁盘为只读"),
    errno.EISDIR: Text("is a folder, not a file", "这是文件夹，不是文件"),
    errno.ENOTDIR: Text("a part of the path is not a folder", "路径中有一段不是文件夹"),
    errno.EIO: Text("the disk or network share reported a read/write error",
                    "磁盘或网络共享读写出错"),
    errno.ENAMETOOLONG: Text("the file name is too long", "文件名太长"),
    errno.EMFILE: Text("too many files are open", "打开的文件太多"),
}


def os_reason(exc: OSError) -> Text | str:
    """Why the operating system refused, in the language of the run."""
    reason = _OS_REASONS.get(getattr(exc, "errno", None))
    if reason is not None:
        return reason
    detail = exc.strerror or str(exc) or type(exc).__name__
    return Text("{detail}", "系统错误：{detail}", detail=detail)
