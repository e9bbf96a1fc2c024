"""``--encoding``: only the encodings of text files are accepted.

Python's codec registry also holds transformations that are not character
encodings (rot13, base64, hex, zlib, bz2, uu, quopri) and encodings of
other things than files (punycode and idna for domain names, the escape
codecs for Python source, ``undefined`` which refuses everything). Given
to ``--encoding`` they would fail inside the reader or turn a file into
nonsense; they are refused by name before anything is read.
"""
from __future__ import annotations

import codecs

from cskit.errors import UsageError
from cskit.i18n import Text

NOT_FOR_FILES = {"punycode", "idna", "unicode-escape", "raw-unicode-escape", "undefined",
                 "utf-7", "mbcs", "oem"}


def check(name: str | None) -> None:
    """Raise UsageError (exit 2) unless NAME is the encoding of a text file."""
    if not name:
        return
    try:
        info = codecs.lookup(name)
    except LookupError:
        return  # an unknown name: the reader says so, naming the file
    if not getattr(info, "_is_text_encoding", True) or info.name in NOT_FOR_FILES:
        raise UsageError(Text("--encoding {name!r} is not a text encoding ({codec} transforms "
                              "data or names, it does not spell out text); use the encoding "
                              "the file was saved in, such as utf-8, gb18030 or latin-1",
                              "--encoding {name} 不是文本编码（{codec} 用于转换数据或名称，"
                              "不是文字的编码方式）；请写文件保存时所用的编码，如 utf-8、gb18030 或 latin-1",
                              name=name, codec=info.name))
