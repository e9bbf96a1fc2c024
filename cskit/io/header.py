"""Headers of real exports: where the header row is, what each header means.

- ``locate_header(rows, wanted)``: the header row among the first rows of a
  sheet (titles, report names and query conditions above it), and the
  group rows of a two- or three-level header (``本期发生 / 借方 / 本位币``),
  combined into one name per column joined by ``/``.
- ``describe(header)``: a header split into the names it may match, its
  unit (``（万元）`` → × 10,000) and its currency (``本位币`` local,
  ``原币`` original).
- ``match_columns(headers, schema, mapping)``: which header is used for
  each canonical column, with the schema's precedence rules when several
  match one column, and the headers left unused.

No I/O and no pandas: lists of cells in, plain data out.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from cskit.i18n import Join, Text

# --- units in headers --------------------------------------------------------------
# a unit in brackets (or a currency sign) applies to every value of a money column
UNITS = {"元": 1, "人民币元": 1, "人民币": 1, "rmb": 1, "cny": 1, "¥": 1, "rmb元": 1,
         "万元": 10000, "万": 10000, "人民币万元": 10000, "rmb万元": 10000,
         "千元": 1000, "千": 1000, "百万元": 1000000, "亿元": 100000000, "亿": 100000000}
# currency qualifiers: local (what the books are kept in) and original (the invoice's own)
LOCAL = {"本位币", "本币", "以本币计", "本位币金额", "本币金额", "记账本位币", "人民币金额"}
ORIGINAL = {"原币", "外币", "原币金额", "交易币", "交易币种", "外币金额", "原币别"}
# brackets that say the amount is with or without tax
WITH_TAX = {"含税", "价税合计", "含税价"}
WITHOUT_TAX = {"不含税", "未税", "税前", "不含税金额"}

_BRACKET = re.compile(r"[(]([^()]{1,12})[)]$")
_SIGN = re.compile(r"^(¥|rmb)|(¥|rmb)$", re.IGNORECASE)


def _nfkc(header) -> str:
    text = unicodedata.normalize("NFKC", str(header)).replace("\ufeff", "").strip()
    return text.replace("【", "(").replace("】", ")").replace("[", "(").replace("]", ")")


def _squash(text: str) -> str:
    return re.sub(r"[\s_\-]+", "", text).lower()


def normalize_header(header) -> str:
    """Case-, space- and underscore-insensitive form of a header; a trailing
    unit or currency in brackets (`金额（元）`, `金额(本位币)`) and a
    required-field star are ignored; `(不含税)` is kept, so a pre-tax amount
    never passes for the amount owed."""
    return describe(header).names[0] if describe(header).names else ""


@dataclass(frozen=True)
class HeaderInfo:
    names: tuple[str, ...]  # normalised names to look up, best first
    unit: str | None = None  # the unit as written (万元)
    factor: int = 1  # what each value is multiplied by
    currency: str | None = None  # "local", "original" or None
    unknown: str | None = None  # a bracket cskit does not know (a unit it cannot apply)


_CACHE: dict[str, HeaderInfo] = {}


def describe(header) -> HeaderInfo:
    key = str(header)
    if key in _CACHE:
        return _CACHE[key]
    parts = [p for p in _nfkc(header).split("/") if p.strip()] or [""]
    unit = None
    factor = 1
    currency = None
    unknown = None
    kept: list[str] = []
    for part in parts:
        text = part.strip().rstrip("*").strip()
        while True:
            match = _BRACKET.search(text)
            if not match:
                break
            inner = _squash(match[1])
            inner_plain = inner.replace("单位:", "").replace("单位", "")
            if inner_plain in UNITS:
                unit, factor = match[1].strip(), UNITS[inner_plain]
            elif inner in LOCAL:
                currency = "local"
            elif inner in ORIGINAL:
                currency = "original"
            elif inner in WITH_TAX:
                pass
            elif inner in WITHOUT_TAX:
                text = text[:match.start()] + "不含税"
                break
            else:
                unknown = unknown or match[1].strip()
            text = text[:match.start()].strip()
        sign = _SIGN.search(text)
        if sign and len(text) > len(sign[0]):
            text = _SIGN.sub("", text).strip()
            unit = unit or sign[0]
        squashed = _squash(text)
        if squashed in LOCAL:
            currency = "local"
            continue
        if squashed in ORIGINAL:
            currency = "original"
            continue
        if squashed in UNITS and len(parts) > 1:
            unit, factor = text, UNITS[squashed]
            continue
        if squashed:
            kept.append(squashed)
    names: list[str] = []
    if kept:
        names.append("".join(kept))
        for i in range(1, len(kept)):
            names.append("".join(kept[i:]))
        if len(kept) > 1:
            names.append(kept[0])
    if currency == "local" and kept:
        names.insert(1, "".join(kept) + "本位币")
    info = HeaderInfo(tuple(dict.fromkeys(names)), unit, factor, currency, unknown)
    if len(_CACHE) < 10000:
        _CACHE[key] = info
    return info


# --- finding the header row ----------------------------------------------------------
SCAN_ROWS = 40  # title rows and query conditions above the header: reports use 10-20
# words of the lower levels of a merged header
SUBHEADER_WORDS = {"原币", "本位币", "本币", "外币", "借方", "贷方", "金额", "数量", "单价",
                   "方向", "发生", "本期发生", "发生额", "期初", "期末", "余额", "以本币计",
                   "debit", "credit", "amount", "local", "original"}


def _empty(cell) -> bool:
    if cell is None:
        return True
    if isinstance(cell, float) and cell != cell:
        return True
    return isinstance(cell, str) and cell.strip() == ""


def _texty(cell) -> bool:
    """A cell that can be part of a header: text, not a number or a date."""
    if not isinstance(cell, str):
        return False
    text = cell.strip()
    return bool(text) and not re.fullmatch(r"[-+(（]?[\d,.，]+[)）]?%?|\d{4}[-/.年]\d{1,2}.*", text)


def _score(row: list, wanted: set[str]) -> int:
    return sum(1 for cell in row if not _empty(cell)
               and any(n in wanted for n in describe(cell).names[:1]))


def _sub_score(row: list, wanted: set[str]) -> int:
    return sum(1 for cell in row if not _empty(cell)
               and (_squash(_nfkc(cell)) in SUBHEADER_WORDS or _score([cell], wanted)))


def locate_header(rows: list[list], wanted: set[str] | None) -> tuple[int, int, list[str]] | None:
    """(first header row, number of header rows, combined names) among
    ``rows`` (lists of cells, 0-based), or None when every row is empty.
    Without ``wanted`` the first non-empty row is the header."""
    nonempty = [i for i, r in enumerate(rows[:SCAN_ROWS + 20]) if any(not _empty(c) for c in r)]
    if not nonempty:
        if any(any(not _empty(c) for c in r) for r in rows):
            nonempty = [next(i for i, r in enumerate(rows) if any(not _empty(c) for c in r))]
        else:
            return None
    best = nonempty[0]
    if wanted:
        scored = max(nonempty[:SCAN_ROWS], key=lambda i: (_score(rows[i], wanted), -i))
        if _score(rows[scored], wanted) > _score(rows[best], wanted):
            best = scored
    start, depth = best, 1
    if wanted:
        # lower levels: rows of header words only, under merged cells of the header
        while depth < 3 and best + depth < len(rows):
            below = rows[best + depth]
            cells = [c for c in below if not _empty(c)]
            if not cells or not all(_texty(c) for c in cells) or not _sub_score(below, wanted):
                break
            if _score(below, wanted) > _score(rows[best], wanted):
                break
            depth += 1
        # a group row above: fewer cells, over sub-header words of the header
        while start > 0 and best - start < 2:
            above = rows[start - 1]
            cells = [c for c in above if not _empty(c)]
            header = rows[start]
            if not cells or not all(_texty(c) for c in cells):
                break
            over_sub = any(not _empty(c) and j < len(header) and not _empty(header[j])
                           and _squash(_nfkc(header[j])) in SUBHEADER_WORDS
                           for j, c in enumerate(above))
            if not over_sub or len(cells) >= sum(1 for c in header if not _empty(c)):
                break
            start -= 1
            depth += 1
    return start, depth, combine(rows[start:start + depth])


def combine(levels: list[list]) -> list[str]:
    """Header rows (top level first) → one name per column, ``group/field``.
    A group cell covers the columns to its right up to the next group cell
    (merged cells keep their value in the first cell only)."""
    width = max((len(r) for r in levels), default=0)
    grid = [[("" if _empty(c) else str(c).strip()) for c in r] + [""] * (width - len(r))
            for r in levels]
    depth = len(grid)
    for level in range(depth - 1):
        current = ""
        for j in range(width):
            if level > 0 and grid[level - 1][j] and (j == 0 or grid[level - 1][j] !=
                                                      grid[level - 1][j - 1]):
                current = ""  # a new group above starts a new span
            if grid[level][j]:
                current = grid[level][j]
            elif current and any(grid[lower][j] for lower in range(level + 1, depth)):
                grid[level][j] = current
            else:
                current = "" if not any(grid[lower][j] for lower in range(level + 1, depth)) \
                    else current
    names = []
    for j in range(width):
        parts = []
        for level in range(depth):
            part = grid[level][j]
            if part and (not parts or parts[-1] != part):
                parts.append(part)
        names.append("/".join(parts))
    return names


# --- matching headers to canonical columns --------------------------------------------
@dataclass
class Match:
    used: dict[str, str] = field(default_factory=dict)  # canonical → header used
    info: dict[str, HeaderInfo] = field(default_factory=dict)  # canonical → its header's info
    left: dict[str, list[str]] = field(default_factory=dict)  # canonical → headers left
    clashes: list[tuple[str, str, str]] = field(default_factory=list)  # (canonical, a, b)
    unknown_units: list[tuple[str, str]] = field(default_factory=list)  # (header, unit)
    mapped: set[str] = field(default_factory=set)  # headers mapped by --map/[columns]


def alias_table(schema) -> dict[str, str]:
    table: dict[str, str] = {}
    for col in schema.columns:
        for alias in (col.name, *col.aliases):
            for name in describe(alias).names[:1]:
                table.setdefault(name, col.name)
    return table


def _rank(schema, canonical: str, info: HeaderInfo, mapped: bool) -> tuple:
    from cskit.schema import PRECEDENCE

    tiers = PRECEDENCE.get(canonical, ())
    name = info.names[0] if info.names else ""
    position = next((i for i, tier in enumerate(tiers)
                     if name in {describe(a).names[0] for a in tier if describe(a).names}),
                    len(tiers))
    currency = {"local": 0, None: 1, "original": 2}[info.currency]
    return (0 if mapped else 1, currency, position)


def match_columns(headers: list[str], schema, mapping: dict[str, str] | None = None,
                  blank_column=None) -> Match:
    """Decide which header gives each canonical column. ``mapping``: header
    as normalised → canonical name (from --map / [columns]). A header that is
    present but blank in every row (``blank_column(header)`` true) gives way
    to the next; it is asked only where several headers compete."""
    table = alias_table(schema)
    mapping = mapping or {}
    candidates: dict[str, list[tuple[tuple, str]]] = {}
    result = Match()
    for header in headers:
        info = describe(header)
        canonical = None
        mapped = False
        for key in (_squash(_nfkc(header)), *info.names):
            if key in mapping:
                canonical, mapped = mapping[key], True
                break
        if canonical is None:
            canonical = next((table[n] for n in info.names if n in table), None)
        if canonical is None:
            continue
        if mapped:
            result.mapped.add(header)
        rank = (0 if mapped else 1,) + _rank(schema, canonical, info, mapped)
        candidates.setdefault(canonical, []).append((rank, header))
    for canonical, found in candidates.items():
        if len(found) > 1 and blank_column is not None:
            # present but empty: any other column is better
            found[:] = [((2,) + r[1:] if r[0] and blank_column(h) else r, h) for r, h in found]
        found.sort(key=lambda item: item[0])
        (rank, header), rest = found[0], found[1:]
        if rest and rest[0][0] == rank:
            result.clashes.append((canonical, header, rest[0][1]))
        result.used[canonical] = header
        result.info[canonical] = describe(header)
        if rest:
            result.left[canonical] = [h for _, h in rest]
        col = schema.col(canonical)
        info = describe(header)
        if col.type == "money" and info.unknown:
            result.unknown_units.append((header, info.unknown))
    return result


MONEY_WORDS = ("金额", "额", "款", "余额", "价税", "amount", "total", "balance")
DATE_WORDS = ("日期", "日", "date", "时间")


def lookalikes(unused: list[str], schema, used: set[str]) -> list[tuple[str, str, list[str]]]:
    """Headers not used that look like something cskit reads: (header,
    'money'|'date'|'alias', the canonical columns it may be)."""
    table = alias_table(schema)
    money = [c.name for c in schema.columns if c.type == "money"]
    dates = [c.name for c in schema.columns if c.type in ("date", "datetime")]
    known = _every_alias()
    out = []
    for header in unused:
        info = describe(header)
        name = info.names[0] if info.names else ""
        if not name or re.fullmatch(r"column\d+", name) or name in known:
            continue  # a column another table or command reads: known, just not used here
        close = difflib.get_close_matches(name, list(table), n=1, cutoff=0.8)
        if close and table[close[0]] not in used:
            out.append((header, "alias", [table[close[0]]]))
        elif money and any(w in name for w in MONEY_WORDS):
            out.append((header, "money", money))
        elif dates and any(w in name for w in DATE_WORDS):
            out.append((header, "date", dates))
    return out


def _every_alias() -> set[str]:
    from cskit import schema as S

    return {name for table in vars(S).values() if isinstance(table, S.Schema)
            for name in alias_table(table)}


def lookalike_text(header: str, kind: str, columns: list[str]) -> Text:
    if kind == "alias":
        return Text("column {header!r} is not used, but it looks like {column}; if it is, "
                    "add --map '{header}={column}'",
                    "“{header}”列没有使用，但它看起来像 {column}；如果是，请加上 "
                    "--map '{header}={column}'", header=header, column=columns[0])
    what = Text("an amount", "金额") if kind == "money" else Text("a date", "日期")
    return Text("column {header!r} is not used, but it looks like {what}; if cskit should "
                "read it, add --map '{header}=COLUMN' (COLUMN one of {columns})",
                "“{header}”列没有使用，但它看起来像{what}；如果 cskit 应读取它，请加上 "
                "--map '{header}=列名'（列名为 {columns} 之一）",
                header=header, what=what, columns=joined(columns))


def parse_mapping(text: str | list | tuple | None) -> dict[str, str]:
    """``'HEADER=column,HEADER2=column2'`` (or several such strings) →
    {header as written: canonical name}. A malformed pair raises ValueError."""
    if not text:
        return {}
    items = [text] if isinstance(text, str) else list(text)
    out: dict[str, str] = {}
    for item in items:
        for pair in re.split(r"[,，;；]", item):
            if not pair.strip():
                continue
            if "=" not in pair:
                raise ValueError(pair.strip())
            header, canonical = pair.split("=", 1)
            if not header.strip() or not canonical.strip():
                raise ValueError(pair.strip())
            out[header.strip()] = canonical.strip()
    return out


def mapping_keys(mapping: dict[str, str]) -> dict[str, str]:
    """Mapping by the header's normalised forms."""
    out = {}
    for header, canonical in mapping.items():
        out[_squash(_nfkc(header))] = canonical
        for name in describe(header).names[:1]:
            out.setdefault(name, canonical)
    return out


def joined(items) -> Join:
    return Join((", ", "、"), [str(i) for i in items])


def title_text(rows: list[list]) -> str:
    """The text of the title rows above a header, one line per row."""
    return "\n".join(" ".join(str(c).strip() for c in row if not _empty(c)) for row in rows)


_TITLE_UNIT = re.compile(r"单位\s*[:：]\s*(人民币)?\s*(万元|千元|百万元|亿元|万)")


def title_unit(titles: str) -> str | None:
    """A unit other than yuan stated above the header (金额单位：万元)."""
    match = _TITLE_UNIT.search(unicodedata.normalize("NFKC", titles or ""))
    return match[2] if match else None
