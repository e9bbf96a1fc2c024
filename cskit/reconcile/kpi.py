"""rollup-kpi's identities for money: sales KPIs and the DSO KPI."""
from __future__ import annotations

import numpy as np
import pandas as pd

from cskit.i18n import Text
from cskit.money import to_cents
from cskit.reconcile.common import _cents, _day, _fail, _yuan


def kpi_sales(org: pd.DataFrame, sales: pd.DataFrame | None, long: pd.DataFrame,
              periods: list) -> None:
    """rollup-kpi's identity for money: at the head of the org chart (whom
    every staff member and the unassigned records roll up to), a sales KPI's
    numerator and denominator are the sums of the sales rows of the period —
    revenue and target for target_completion, gross profit and revenue for
    gross_margin."""
    if sales is None or not len(long):
        return
    from cskit.kpi.measures import sales_periods
    from cskit.kpi.periods import _PeriodMap

    heads = org.loc[org["manager_id"].isna(), "staff_id"] if "manager_id" in org \
        else org["staff_id"]
    if len(heads) != 1:
        return
    head = str(heads.iloc[0])
    label = sales_periods(sales, _PeriodMap(list(periods)))
    pairs = {"target_completion": ("revenue", "target"),
             "gross_margin": ("gross_profit", "revenue")}
    broken: list[Text] = []
    rows = long[(long["entity_id"].astype(str) == head) & long["kpi"].isin(list(pairs))]
    for _, row in rows.iterrows():  # a few rows: one per KPI and period
        top, bottom = pairs[row["kpi"]]
        if top not in sales.columns or bottom not in sales.columns:
            continue
        has = sales[pairs[row["kpi"]][0 if row["kpi"] == "gross_margin" else 1]].notna()
        mine = sales[(label == row["period"]).fillna(False).to_numpy(dtype=bool) & has.to_numpy()]
        for side, column in (("numerator", top), ("denominator", bottom)):
            expected = _cents(mine[column].to_numpy(dtype="float64", na_value=np.nan))
            got = _cents([row[side]]) if row[side] == row[side] else 0
            if got != expected:
                broken.append(Text("{kpi} {period} at {head}: the {side} is {got}, the sales "
                                   "rows of the period add up to {expected}",
                                   "{kpi} {period}（{head}）：{side} 为 {got}，该期销售记录合计为 {expected}",
                                   kpi=row["kpi"], period=row["period"], head=head, side=side,
                                   got=_yuan(got), expected=_yuan(expected)))
    if broken:
        _fail("rollup-kpi", broken)


def kpi_invoices(org: pd.DataFrame, invoices: pd.DataFrame | None,
                 payments: pd.DataFrame | None, long: pd.DataFrame, periods: list,
                 policy: dict) -> None:
    """rollup-kpi's identities for the DSO KPI (``--invoices``/``--payments``).

    The denominator is the sales of the DSO window (invoice_date after the
    period's end − dso_window_days, up to its end; credit notes net; a refund
    counts as sales of its customer's salesperson, the one of the customer's
    latest invoice), each salesperson's clipped at 0: every entity's is the
    sum of the salespeople of everyone below it (records of people not in
    the org chart under the head), to the cent, from the input rows. The
    numerator (the receivable × days, which depends on the allocation that
    aging-report checks) must add up: a manager with no invoices of their own
    has the sum of their direct reports'."""
    if invoices is None or not len(long) or "salesperson" not in invoices.columns:
        return
    from cskit.kpi.org import _resolver  # who a salesperson cell names (id or unique name)
    from cskit.kpi.specs import kpi_specs

    specs = {k: s for k, s in kpi_specs(policy).items()
             if s.get("source") == "invoices" and s.get("measure") == "dso"}
    rows = long[long["kpi"].isin(list(specs))]
    if not len(rows):
        return
    unassigned = str(policy["unassigned_id"])
    ids = org["staff_id"].astype("str").to_numpy(dtype="object")
    managers = (org["manager_id"].astype("str").to_numpy(dtype="object", na_value=None)
                if "manager_id" in org.columns else np.full(len(ids), None, dtype="object"))
    parent = {i: m for i, m in zip(ids, managers)}
    heads = [i for i, m in parent.items() if m is None]
    if len(heads) != 1:
        return
    head = heads[0]
    parent[unassigned] = head  # records of people not in the org chart
    shown_ids = set(rows["entity_id"].astype("str"))
    reports: dict = {}
    for staff, manager in parent.items():
        if staff != unassigned or unassigned in shown_ids:
            reports.setdefault(manager, []).append(staff)

    def above(staff):  # the staff member and every manager up to the head
        seen = []
        while staff is not None and staff not in seen:
            seen.append(staff)
            staff = parent.get(staff)
        return seen

    resolve, org_ids = _resolver(org)
    window = int(policy["dso_window_days"])
    day = _day(invoices["invoice_date"])
    amount = to_cents(invoices["amount"].to_numpy(dtype="float64", na_value=np.nan))
    seller = _salesperson_labels(invoices["salesperson"])
    # whoever is the salesperson of some invoice, whatever its date, has a
    # receivable of their own: their numerator is not only their reports'
    sellers = resolve(pd.Series(pd.unique(seller)).astype("str")).astype("str")
    sellers = set(sellers.where(sellers.isin(org_ids), unassigned))
    broken: list[Text] = []
    for period in periods:
        end = np.datetime64(pd.Timestamp(period.end).date(), "D")
        start = end - np.timedelta64(window, "D")
        sold = (day > start) & (day <= end)
        labels, cents = seller[sold], amount[sold]
        if payments is not None and len(payments):
            refund = payments["amount"].to_numpy(dtype="float64", na_value=np.nan) < 0
            pay_day = _day(payments["payment_date"])
            refund &= (pay_day > start) & (pay_day <= end)
            if refund.any():
                home = _home_salesperson(invoices, day <= end, seller)
                customers = pd.Series(payments["customer_id"].astype("str").to_numpy(
                    dtype="object")[refund], dtype="object")
                labels = np.concatenate([labels, customers.map(home).astype("object").fillna(
                    NO_SALESPERSON).to_numpy(dtype="object")])
                cents = np.concatenate([cents, -to_cents(payments["amount"].to_numpy(
                    dtype="float64", na_value=np.nan)[refund])])
        per_label = pd.Series(cents, dtype="int64").groupby(
            pd.Series(labels, dtype="object")).sum() if len(labels) else pd.Series(dtype="int64")
        staff = resolve(pd.Series(per_label.index.astype("str"))).astype("str")
        staff = staff.where(staff.isin(org_ids), unassigned).to_numpy(dtype="object")
        own: dict = {}
        for who, value in zip(staff, np.maximum(per_label.to_numpy(), 0)):
            own[who] = own.get(who, 0) + int(value)
        total: dict = {}
        for who, value in own.items():
            for entity in above(who):
                total[entity] = total.get(entity, 0) + value
        mine = rows[rows["period"] == period.label]
        shown = {(r.entity_id, r.kpi): r for r in mine.itertuples()}  # a row per entity and KPI
        for (entity, kpi), row in shown.items():
            scope = specs[kpi].get("scope", "own")
            expected = total.get(head if scope == "department" else str(entity), 0)
            got = _cents([row.denominator]) if row.denominator == row.denominator else 0
            if got != expected:
                broken.append(Text(
                    "{kpi} {period} at {entity}: the sales of the DSO window are {got}, the "
                    "invoices of the salespeople below add up to {expected}",
                    "{kpi} {period}（{entity}）：DSO 计算期内的销售额为 {got}，"
                    "其下各业务员的发票合计为 {expected}",
                    kpi=kpi, period=period.label, entity=entity, got=_yuan(got),
                    expected=_yuan(expected)))
            if scope == "department" or str(entity) in sellers:
                continue
            below = reports.get(str(entity), [])
            parts = [shown.get((r, kpi)) for r in below]
            if not below or any(p is None for p in parts):
                continue  # someone below carries no DSO row: their part is not shown
            got_n = _days_cents(row.numerator)
            sum_n = sum(_days_cents(p.numerator) for p in parts)
            if got_n is not None and sum_n is not None and got_n != sum_n:
                broken.append(Text(
                    "{kpi} {period} at {entity}: the receivable × days is {got}, its direct "
                    "reports' add up to {expected}",
                    "{kpi} {period}（{entity}）：应收余额×天数为 {got}，其直接下属合计为 "
                    "{expected}", kpi=kpi, period=period.label, entity=entity,
                    got=_yuan(got_n), expected=_yuan(sum_n)))
    if broken:
        _fail("rollup-kpi", broken)


NO_SALESPERSON = "(none)"  # the label aging gives an invoice without a salesperson


def _salesperson_labels(values: pd.Series) -> np.ndarray:
    text = values.astype("str")
    blank = text.isna() | (text.str.strip() == "")
    return text.where(~blank, NO_SALESPERSON).to_numpy(dtype="object")


def _home_salesperson(invoices: pd.DataFrame, used: np.ndarray, seller: np.ndarray) -> pd.Series:
    """customer_id → salesperson of the customer's latest invoice (by date,
    then file order) that names one, among the invoices used."""
    named = invoices["salesperson"].notna().to_numpy()  # a blank text is a name here
    frame = pd.DataFrame({"customer": invoices["customer_id"].astype("str").to_numpy(
        dtype="object"), "day": _day(invoices["invoice_date"]), "seller": seller,
        "order": np.arange(len(invoices))})[used & named]
    frame = frame.sort_values(["customer", "day", "order"], kind="stable")
    frame = frame.drop_duplicates("customer", keep="last")
    return pd.Series(frame["seller"].to_numpy(), index=frame["customer"].to_numpy())


def _days_cents(value) -> int | None:
    """A DSO numerator (yuan × days, to the cent) as an integer; None when
    blank or too large to be exact in a float."""
    if value != value:
        return 0
    cents = float(value) * 100
    return int(round(cents)) if abs(cents) < 2 ** 52 else None
