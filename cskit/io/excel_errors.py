"""The error cells of an Excel sheet (#N/A, #DIV/0!, #REF!…).

The Excel reader hands them over as empty cells, which would make a broken
formula look like a blank paid amount. They are read back from the sheet's
XML (cells of type ``e``) and put in the rows as the text Excel shows, so
that the value parsers name them as errors (cskit.io.values.EXCEL_ERRORS).
Only .xlsx/.xlsm files are looked at; most sheets have no error cell, and
finding that out is one streaming pass over the sheet's XML.
"""
from __future__ import annotations

import posixpath
import re
import zipfile

_CELL = re.compile(rb'<c\b([^>]*)>(.*?)</c>', re.S)
_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_TYPE_E = re.compile(rb'\bt="e"')
_VALUE = re.compile(rb'<v>([^<]*)</v>')
_CHUNK = 1 << 22


def restore(path: str, sheet: str, rows: list[list]) -> None:
    """Put the error cells of SHEET of the workbook at PATH into ROWS (the
    sheet's cells from A1, as the Excel reader returns them), in place."""
    if not isinstance(path, str) or not path.lower().endswith((".xlsx", ".xlsm")):
        return
    try:
        with zipfile.ZipFile(path) as book:
            member = _sheet_member(book, sheet)
            if member is None or not _has_errors(book, member):
                return
            data = book.read(member)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, RuntimeError):
        return  # the reader itself has read the file; nothing more to add
    for match in _CELL.finditer(data):
        attrs, body = match.group(1), match.group(2)
        if not _TYPE_E.search(attrs):
            continue
        ref, value = _REF.search(attrs), _VALUE.search(body)
        if ref is None or value is None:
            continue
        row, column = int(ref.group(2)) - 1, _column(ref.group(1).decode())
        if 0 <= row < len(rows) and 0 <= column < len(rows[row]) and \
                rows[row][column] in ("", None):
            rows[row][column] = value.group(1).decode("utf-8", "replace")


def _column(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def _sheet_member(book: zipfile.ZipFile, sheet: str) -> str | None:
    from xml.etree import ElementTree as ET

    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
    workbook = ET.fromstring(book.read("xl/workbook.xml"))
    rid = None
    for node in workbook.iter(f"{{{ns['m']}}}sheet"):
        if node.get("name") == sheet:
            rid = node.get(f"{{{ns['r']}}}id")
    if rid is None:
        return None
    rels = ET.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    for node in rels:
        if node.get("Id") == rid:
            target = node.get("Target", "")
            if target.startswith("/"):
                return target.lstrip("/")
            return posixpath.normpath(posixpath.join("xl", target))
    return None


def _has_errors(book: zipfile.ZipFile, member: str) -> bool:
    tail = b""
    with book.open(member) as fh:
        while True:
            chunk = fh.read(_CHUNK)
            if not chunk:
                return False
            if b't="e"' in tail + chunk:
                return True
            tail = chunk[-8:]
