"""How cskit understands a file, before anyone trusts a report from it:
the header row found, each column's canonical name (or why it is ignored),
its unit, type and sample values, blank and unparseable cells, the rows set
aside and the check against the file's own total."""
from __future__ import annotations

from cskit import schema as S
from cskit.errors import DataError
from cskit.i18n import Join, Text
from cskit.io import header as H
from cskit.io import values as V

# what `cskit inspect --as KIND` reads a file as: the tables the commands take
KINDS = {
    "invoices": S.INVOICES, "payments": S.PAYMENTS, "customers": S.CREDIT_CUSTOMERS,
    "visit-customers": S.VISIT_CUSTOMERS, "credit-limits": S.CREDIT_LIMITS,
    "exposure": S.EXPOSURE, "previous": S.CREDIT_PREVIOUS, "org": S.ORG,
    "complaints": S.COMPLAINTS, "surveys": S.SURVEYS, "sales": S.SALES,
    "measures": S.MEASURES, "appraisals": S.APPRAISALS, "staff": S.STAFF,
    "transactions": S.TRANSACTIONS, "shipments": S.SHIPMENTS, "holidays": S.HOLIDAYS,
    "credit-grades": S.VISIT_CREDIT, "aging-summary": S.VISIT_AGING,
}
TYPES = {"str": Text("text", "文本"), "date": Text("date", "日期"),
         "datetime": Text("date-time", "日期时间"), "money": Text("money", "金额"),
         "int": Text("whole number", "整数"), "number": Text("number", "数字"),
         "bool": Text("yes/no", "是/否"), "category": Text("choice", "选项")}


def guess_kind(headers: list[str]) -> str:
    """The kind whose columns the headers name most (ties: the first)."""
    def score(item):
        found = H.match_columns(headers, item[1])
        needed = [c.name for c in item[1].columns if c.required]
        required = sum(1 for name in needed if name in found.used)
        return (required == len(needed), required, len(found.used))
    return max(KINDS.items(), key=score)[0]


def inspect_file(path: str, kind: str | None, *, encoding=None, sheet=None,
                 mapping: dict | None = None) -> list:
    """Lines (str or Text) describing PATH read as KIND (guessed when None)."""
    from cskit.io import read as R
    from cskit.io import setaside as A

    wanted = set().union(*(H.alias_table(s) for s in KINDS.values())) \
        if kind is None else set(H.alias_table(KINDS[kind]))
    wanted |= set(H.mapping_keys(mapping or {}))
    raw = R.read_raw(path, encoding=encoding, sheet=sheet, wanted=wanted, keep_blank=True)
    if kind is None:
        kind = guess_kind(list(raw.columns))
        wanted = set(H.alias_table(KINDS[kind])) | set(H.mapping_keys(mapping or {}))
        raw = R.read_raw(path, encoding=encoding, sheet=sheet, wanted=wanted, keep_blank=True)
    table = KINDS[kind]
    lines: list = []
    first, last = raw.attrs.get("header_rows", (1, 1))
    lines.append(Text("file: {path}", "文件：{path}", path=R.display_name(path)))
    if raw.attrs.get("sheet"):
        lines.append(Text("sheet: {sheet}", "工作表：{sheet}", sheet=raw.attrs["sheet"]))
    lines.append(Text("read as: {kind} (choose with --as)", "读作：{kind}（可用 --as 指定）",
                      kind=kind))
    if first == last:
        lines.append(Text("header: row {row}", "表头：第 {row} 行", row=last)
                     + (Text(" ({n} title rows above it skipped)", "（其上 {n} 行标题已跳过）",
                             n=last - 1) if last > 1 else ""))
    else:
        lines.append(Text("header: rows {first}-{last}, merged levels combined with /",
                          "表头：第 {first}-{last} 行，多级表头以 / 连接",
                          first=first, last=last))
    keys = H.mapping_keys(mapping or {})
    found = H.match_columns(list(raw.columns), table, keys,
                            lambda h: bool(len(raw)) and bool(V.is_blank(raw[h]).all()))
    by_header = {h: c for c, h in found.used.items()}
    left = {h: c for c, hs in found.left.items() for h in hs}
    named = raw.rename(columns=by_header)
    kinds = A.classify(named, table)
    data = raw[(kinds == "").to_numpy()]
    looks = {h: (k, cols) for h, k, cols in H.lookalikes(
        [h for h in raw.columns if h not in by_header and h not in left], table,
        set(found.used))}
    lines.append("")
    lines.append(Text("columns:", "各列："))
    for header in raw.columns:
        cells = data[header]
        blank = V.is_blank(cells)
        samples = ", ".join(str(v) for v in cells[~blank].head(3).tolist())
        if header in by_header:
            canonical = by_header[header]
            col = table.col(canonical)
            info = found.info[canonical]
            if col.type == "money":
                _, bad = V.parse_money(cells, scale=info.factor)
            else:
                _, bad, _ = V.parse_column(cells, col)
            unit = ""
            if col.type == "money":
                unit = info.unit or Text("yuan", "元")
                if info.factor != 1:
                    unit = Text("{unit} (× {factor:,})", "{unit}（乘以 {factor:,}）",
                                unit=info.unit, factor=info.factor)
                if info.currency:
                    unit = unit + (Text(", local currency", "，本位币") if info.currency == "local"
                                   else Text(", original currency", "，原币"))
            lines.append(Text("  {header} → {canonical} [{type}{unit}] blank {blank}, "
                              "unreadable {bad}; e.g. {samples}",
                              "  {header} → {canonical}［{type}{unit}］空白 {blank} 个，"
                              "无法识别 {bad} 个；示例：{samples}",
                              header=header, canonical=canonical, type=TYPES[col.type],
                              unit=Join("", ["; " if unit else "", unit]) if unit else "",
                              blank=int(blank.sum()), bad=int(bad.sum()),
                              samples=samples or "-"))
        elif header in left:
            lines.append(Text("  {header}: not used; {canonical} comes from {used!r} "
                              "(precedence)",
                              "  {header}：未使用；{canonical} 取自“{used}”（优先顺序）",
                              header=header, canonical=left[header],
                              used=found.used[left[header]]))
        elif header in looks:
            k, cols = looks[header]
            lines.append(Text("  {header}: not used — {why}", "  {header}：未使用——{why}",
                              header=header, why=H.lookalike_text(header, k, cols)))
        else:
            lines.append(Text("  {header}: not used (not a column cskit reads; passed "
                              "through); e.g. {samples}",
                              "  {header}：未使用（cskit 不读取此列，原样保留）；示例：{samples}",
                              header=header, samples=samples or "-"))
    missing = [c.name for c in table.columns if c.required and c.name not in found.used]
    if missing:
        lines.append(Text("missing required columns: {columns}", "缺少必填列：{columns}",
                          columns=H.joined(missing)))
    lines.append("")
    counts = {k: int((kinds == k).sum()) for k in A.KINDS}
    lines.append(Text("rows under the header: {total}; data {data}",
                      "表头下共 {total} 行；数据 {data} 行",
                      total=len(raw), data=len(data))
                 + (Text("; set aside: {kinds}", "；略过：{kinds}",
                         kinds=A.set_aside_text(counts)) if any(counts.values()) else ""))
    for kind_name in ("subtotal", "total", "cumulative", "notes"):
        rows = kinds[kinds == kind_name].index.tolist()
        if rows:
            lines.append(Text("  {what}: rows {rows}", "  {what}：第 {rows} 行",
                              what=A.kind_text(kind_name, len(rows)),
                              rows=H.joined(rows[:20])))
    if not missing:
        try:
            from cskit.io.read import read_table

            frame, problems, _ = read_table(path, table, encoding=encoding, sheet=sheet,
                                            mapping=mapping)
            for level, note in frame.attrs.get("notes", []):
                lines.append(note if level == "info" else Text("warning: ", "注意：") + note)
            if problems:
                lines.append(Text("{n} cell problems, e.g.:", "有 {n} 处单元格问题，例如：",
                                  n=len(problems) + frame.attrs.get("more_problems", 0)))
                lines.extend("  " + p.render() for p in problems[:5])
        except DataError as exc:
            lines.append(exc.format())
    return lines
