"""``--confirmations REGISTER`` of rollup-kpi and score-credit: the statements'
register read back (cskit.confirmations holds the rules; this is the glue
between a command's run and them)."""
from __future__ import annotations

from cskit.i18n import Text

PERCENT = "0.0%"


def read_register(run, path: str):
    from cskit import schema

    return run.read(path, schema.REGISTER, option="--confirmations")


def add_to_kpis(run, result, org, path: str) -> tuple[dict, dict]:
    """Adds 对账完成率 and 对账及时率 to rollup-kpi's result (long and wide
    tables); returns the extra sheets (Unreturned) and the wide formats."""
    import pandas as pd

    from cskit import confirmations as conf

    register = read_register(run, path)
    owners = (register["owner"] if "owner" in register.columns
              else pd.Series(pd.NA, index=register.index, dtype="object"))
    unknown = owners.notna() & conf.resolve_owners(owners, org).isna()
    if unknown.any():
        names = ", ".join(sorted(set(owners[unknown].astype(str)))[:10])
        run.warn(Text("{path}: {count} statement(s) whose owner is not in the org chart count "
                      "for the whole department only: {names}",
                      "{path}：有 {count} 份对账单的负责人不在组织架构表中，只计入全部门：{names}",
                      path=path, count=int(unknown.sum()), names=names))
    entities = result.scorecard[["entity_id", "entity_name", "level", "role"]] \
        .drop_duplicates("entity_id")
    rows = conf.reconciliation_kpis(register, org, result.periods, entities, lang=run.lang)
    if len(rows):
        order = {e: i for i, e in enumerate(result.long["entity_id"].drop_duplicates())}
        long = pd.concat([result.long, rows.astype({"met": "boolean"})], ignore_index=True)
        key = long["entity_id"].map(order).fillna(len(order))
        long = long.assign(_order=key).sort_values(["_order", "period"], kind="stable")
        result.long = long.drop(columns="_order").reset_index(drop=True)
    formats = {}
    for kpi, (label_zh, _) in conf.KPIS.items():
        column = label_zh if run.lang == "zh" else kpi
        part = rows[rows["kpi"] == kpi] if len(rows) else rows
        if not len(part):
            continue
        values = part.set_index(["entity_id", "period"])
        keys = pd.MultiIndex.from_frame(result.wide[["entity_id", "period"]])
        result.wide[column] = values["value"].reindex(keys).to_numpy()
        result.wide_met[column] = values["met"].reindex(keys).astype("boolean").to_numpy()
        formats[column] = PERCENT
    missing = conf.unreturned(register, result.periods, as_of=run.as_of)
    top = rows[rows["entity_id"] == rows["entity_id"].iloc[0]] if len(rows) else rows
    for period, part in (top.groupby("period", sort=False) if len(top) else []):
        done = part.set_index("kpi")
        run.info(Text("{period}: reconciliation completion {returned}/{sent}, on time "
                      "{timely}/{sent} (target 100%); {missing} statement(s) not returned",
                      "{period}：对账完成率 {returned}/{sent}，对账及时率 {timely}/{sent}"
                      "（目标 100%）；未回函对账单 {missing} 份",
                      period=period, sent=_count(done.loc["reconciliation_completion",
                                                          "denominator"]),
                      returned=_count(done.loc["reconciliation_completion", "numerator"]),
                      timely=_count(done.loc["reconciliation_timeliness", "numerator"]),
                      missing=int((missing["period_end"].between(
                          *_bounds(result.periods, period))).sum())))
    for row in missing.head(20).itertuples(index=False):
        run.info(Text("  not returned: {customer} {name} ({owner}), period {period}, due back "
                      "{due}{late}",
                      "  未回函：{customer} {name}（{owner}），对账截止日 {period}，应回日期 {due}"
                      "{late_zh}",
                      customer=row.customer_id, name=row.customer_name or "",
                      owner=row.owner or "-", period=f"{row.period_end:%Y-%m-%d}",
                      due=f"{row.due_back_date:%Y-%m-%d}",
                      late=f", {row.days_late} days late" if row.days_late else "",
                      late_zh=f"，已超期 {row.days_late} 天" if row.days_late else ""))
    if len(missing) > 20:
        run.info(Text("  … and {count} more (the Unreturned sheet of an .xlsx lists them all)",
                      "  ……另有 {count} 份（.xlsx 输出的 Unreturned 工作表列出全部）",
                      count=len(missing) - 20))
    return {"Unreturned": missing}, formats


def _count(value) -> int:
    return 0 if value != value else int(value)


def _bounds(periods, label):
    for period in periods:
        if period.label == label:
            return period.start, period.end
    return None, None


def apply_to_customers(run, table, path: str):
    """score-credit: the register's 对账不良记录 replaces the hand-kept column
    for the customers it has; returns the table and the marks."""
    import pandas as pd

    from cskit import confirmations as conf

    register = read_register(run, path)
    marks = conf.reconciliation_marks(register, as_of=run.as_of)
    from cskit.credit.compare import positions

    known = pd.Series(positions(marks["customer_id"], table["customer_id"]) >= 0,
                      index=marks.index)
    had = "reconciliation" in table.columns
    table, changed = conf.apply_marks(table, marks[known])
    if had and known.any():
        run.warn(Text("{path} gives reconciliation (对账情况) for {count} customer(s): the "
                      "register wins over the customer file's column ({changed} value(s) "
                      "changed)",
                      "{path} 给出了 {count} 个客户的对账情况：以对账登记表为准，不再采用客户资料中"
                      "“对账情况”列的值（其中 {changed} 个客户的值有变化）",
                      path=path, count=int(known.sum()), changed=changed))
    if (~known).any():
        run.warn(Text("{path}: {count} customer(s) not in the customer file were ignored",
                      "{path}：有 {count} 个客户不在客户资料中，已忽略",
                      path=path, count=int((~known).sum())))
    return table, marks[known]
