"""Money identities checked on every run that sums money, before anything
is written (README "What cskit refuses to guess").

Each check recomputes a total from the input rows the command used, in
integer cents and independently of the domain code, and compares it with
the report. A difference means the report would be wrong: the run stops
with ``ReconciliationError`` (exit 1), and neither the report nor the
rejects file is written. Pure functions: DataFrames in, nothing out.

- aging-report: Σ invoice amounts − Σ paid_amount − Σ payments (rows used,
  dated on or before the as-of date) = Σ net_outstanding
  = Σ outstanding + Σ unapplied_credit; on every row the buckets add up to
  outstanding, and outstanding + unapplied_credit = net_outstanding. With
  foreign currencies the same identity in each currency's own cents, and in
  yuan each open item and credit at the as-of and booked rates
  (``_currency_identities``).
- score-credit --exposure: Σ outstanding of the report = Σ outstanding of
  the exposure rows of the customers reported; available_credit =
  credit_limit − outstanding on every row.
- rollup-kpi --sales: at the head of the org chart, target_completion and
  gross_margin are the sums of the period's sales rows (``kpi_sales``).
- rollup-kpi --invoices: the DSO window's sales of every entity are the sums
  of the invoice rows of the salespeople below it (``kpi_invoices``).
- render-report statement: opening + movements = closing = invoices − paid
  − payments = the aging's net outstanding, per customer (``statement``).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from cskit.errors import CskitError
from cskit.i18n import Join, Text
from cskit.money import to_cents


class ReconciliationError(CskitError):
    """A report whose totals do not add up to its inputs; nothing is written."""

    exit_code = 1


def _cents(values) -> int:
    array = np.asarray(values, dtype="float64")
    return int(to_cents(np.where(np.isnan(array), 0.0, array)).sum()) if array.size else 0


def _yuan(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100:,}.{abs(cents) % 100:02d}"


def _fail(command: str, broken: list[Text]) -> None:
    raise ReconciliationError(Text(
        "{command}: the report does not reconcile with its inputs, so nothing was written "
        "(this is a fault in cskit, not in your files; please report it with the files):\n"
        "  {broken}",
        "{command}：报表与输入数据对不上账，因此没有写出任何文件（这是 cskit 的问题，"
        "不是您文件的问题；请连同文件一并反馈）：\n  {broken}",
        command=command, broken=Join("\n  ", broken)))


def _day(values) -> np.ndarray:
    return np.asarray(values, dtype="datetime64[ns]").astype("datetime64[D]")


def _foreign(frame: pd.DataFrame | None, base: str) -> bool:
    if frame is None or not len(frame) or "currency" not in frame.columns:
        return False
    return bool((_codes(frame["currency"], base) != base.upper()).any())


def aging(invoices: pd.DataFrame, payments: pd.DataFrame | None, as_of, summary: pd.DataFrame,
          buckets: list[str], totals: dict | None = None, base_currency: str = "CNY",
          detail: pd.DataFrame | None = None, fx_rates: pd.DataFrame | None = None) -> None:
    """aging-report's identities (module doc); raise ReconciliationError.

    With rows in a foreign currency the ledger's amounts are not all yuan:
    the input-to-output identity is checked in each currency instead, and
    the revaluation of each open item (``detail``, the open items) at the
    as-of rate of ``fx_rates`` (``_currency_identities``)."""
    day = np.datetime64(pd.Timestamp(as_of).date(), "D")
    foreign = _foreign(invoices, base_currency) or _foreign(payments, base_currency)
    used = _day(invoices["invoice_date"]) <= day
    invoiced = _cents(invoices["amount"].to_numpy(dtype="float64", na_value=np.nan)[used])
    paid = 0
    if "paid_amount" in invoices.columns:
        paid = _cents(invoices["paid_amount"].to_numpy(dtype="float64", na_value=np.nan)[used])
    received = 0
    if payments is not None and len(payments):
        kept = _day(payments["payment_date"]) <= day
        received = _cents(payments["amount"].to_numpy(dtype="float64", na_value=np.nan)[kept])
    expected = invoiced - paid - received
    broken: list[Text] = []
    net = _cents(summary["net_outstanding"]) if len(summary) else 0
    if net != expected and not foreign:
        broken.append(Text("invoices {invoiced} − paid_amount {paid} − payments {received} = "
                           "{expected}, but the net outstanding adds up to {net}",
                           "发票 {invoiced} − 已收金额 {paid} − 回款 {received} = {expected}，"
                           "但净应收合计为 {net}",
                           invoiced=_yuan(invoiced), paid=_yuan(paid), received=_yuan(received),
                           expected=_yuan(expected), net=_yuan(net)))
    if len(summary):
        outstanding = to_cents(summary["outstanding"].to_numpy(dtype="float64"))
        unapplied = to_cents(summary["unapplied_credit"].to_numpy(dtype="float64"))
        row_net = to_cents(summary["net_outstanding"].to_numpy(dtype="float64"))
        spread = sum(to_cents(summary[b].to_numpy(dtype="float64")) for b in buckets
                     if b in summary.columns)
        rows = np.flatnonzero((spread != outstanding) | (outstanding + unapplied != row_net))
        if len(rows):
            broken.append(Text("{count} summary row(s) whose buckets or unapplied credit do not "
                               "add up to their outstanding (first: row {row})",
                               "有 {count} 行汇总的各账龄段或未核销回款与应收余额对不上（第一处：第 {row} 行）",
                               count=len(rows), row=int(rows[0]) + 1))
    if totals is not None and _cents([totals.get("net_outstanding", 0.0)]) != net:
        broken.append(Text("the totals line says {total} net outstanding, the rows add up to "
                           "{net}", "合计行的净应收为 {total}，各行相加为 {net}",
                           total=_yuan(_cents([totals["net_outstanding"]])), net=_yuan(net)))
    if foreign and totals is not None and "by_currency" in totals:
        broken += _currency_identities(invoices, payments, day, summary, totals, detail,
                                       fx_rates, base_currency.upper())
    if broken:
        _fail("aging-report", broken)


# --- foreign currency --------------------------------------------------------
# Worked out here from the input columns as README "Foreign currency" defines
# them, without the currency module's code: a code per row (blank = the base
# currency), a booked rate per row (amount_local / amount, else the latest
# --fx-rates rate on or before the row's date), the as-of rate (the latest on
# or before the as-of date) and a conversion rounded half away from zero.
def _codes(values, base: str) -> np.ndarray:
    from cskit.aging.fx import NAMES  # the names table only: 美元 → USD …

    text = pd.Series(values, dtype="object").fillna("").astype(str).str.strip()
    text = text.replace(NAMES).str.upper()
    return text.where(text != "", base.upper()).to_numpy(dtype="object")


def _column_codes(frame: pd.DataFrame, base: str) -> np.ndarray:
    if "currency" in frame.columns:
        return _codes(frame["currency"], base)
    return np.full(len(frame), base, dtype="object")


def _rate_on(rates: pd.DataFrame | None, base: str, codes: np.ndarray,
             days: np.ndarray) -> np.ndarray:
    """The latest rate on or before each day (the last row of a day when a
    day is given twice); 1 for the base currency; NaN when none."""
    out = np.where(codes == base, 1.0, np.nan)
    if rates is None or not len(rates):
        return out
    table = pd.DataFrame({"code": _codes(rates["currency"], base), "day": _day(rates["date"]),
                          "rate": rates["rate"].to_numpy(dtype="float64", na_value=np.nan)})
    for code, group in table.groupby("code", sort=False):  # a few currencies
        if code == base:
            continue
        group = group.sort_values("day", kind="stable")
        mine = np.flatnonzero((codes == code) & ~np.isnat(days))
        at = np.searchsorted(group["day"].to_numpy(), days[mine], side="right") - 1
        found = at >= 0
        out[mine[found]] = group["rate"].to_numpy()[at[found]]
    return out


def _booked(frame: pd.DataFrame, codes: np.ndarray, days: np.ndarray, rates, base: str):
    """Booked rate per row: its local amount over its amount (cents over
    cents) when it gives both, else the table's rate on its date."""
    rate = _rate_on(rates, base, codes, days)
    if "amount_local" in frame.columns:
        local = frame["amount_local"].to_numpy(dtype="float64", na_value=np.nan)
        amount = to_cents(frame["amount"].to_numpy(dtype="float64", na_value=np.nan))
        given = ~np.isnan(local) & (amount != 0) & (codes != base)
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = np.where(given, to_cents(local) / np.where(amount == 0, 1, amount), rate)
    return rate


def _convert(cents, rate) -> np.ndarray:
    value = np.asarray(cents, dtype="float64") * np.nan_to_num(rate, nan=1.0)
    return (np.sign(value) * np.floor(np.abs(value) + 0.5)).astype("int64")


def _per_code(codes: np.ndarray, cents: np.ndarray) -> dict:
    if not len(codes):
        return {}
    sums = pd.Series(cents, dtype="int64").groupby(pd.Series(codes, dtype="object")).sum()
    return {str(k): int(v) for k, v in sums.items()}


def _currency_identities(invoices, payments, day, summary, totals, detail, rates,
                         base: str) -> list[Text]:
    """In each currency, in that currency's own cents: invoices − paid_amount
    − payments (rows used) = Σ open_original − unapplied credit; in yuan:
    every open item's outstanding is its open_original at the as-of rate
    (else its booked rate), its fx_difference that minus the open_original
    at its invoice's booked rate; the unapplied credit is revalued the same
    way; and the summary adds up to the open items."""
    broken: list[Text] = []
    used = _day(invoices["invoice_date"]) <= day
    inv_codes = _column_codes(invoices, base)
    amount = to_cents(invoices["amount"].to_numpy(dtype="float64", na_value=np.nan))
    paid = (to_cents(invoices["paid_amount"].to_numpy(dtype="float64", na_value=np.nan))
            if "paid_amount" in invoices.columns else np.zeros(len(invoices), dtype="int64"))
    inv_rate = _booked(invoices, inv_codes, _day(invoices["invoice_date"]), rates, base)
    invoiced = _per_code(inv_codes[used], amount[used])
    paid_by = _per_code(inv_codes[used], paid[used])
    received: dict = {}
    if payments is not None and len(payments):
        pay_codes = _column_codes(payments, base)
        pay_day = _day(payments["payment_date"])
        cents = to_cents(payments["amount"].to_numpy(dtype="float64", na_value=np.nan))
        if "invoice_no" in payments.columns and invoices["invoice_no"].is_unique:
            # a payment naming an invoice of another currency (both give their
            # local amounts) settles it in the invoice's currency, at its rate
            target = np.full(len(payments), -1, dtype="int64")
            named = payments["invoice_no"].notna().to_numpy()
            target[named] = pd.Index(invoices["invoice_no"]).get_indexer(
                payments["invoice_no"][named])
            other = np.flatnonzero(target >= 0)
            other = other[pay_codes[other] != inv_codes[target[other]]]
            if len(other):
                pay_rate = _booked(payments, pay_codes, pay_day, rates, base)
                local = _convert(cents[other], pay_rate[other])
                cents = cents.copy()
                cents[other] = _convert(local, 1.0 / inv_rate[target[other]])
                pay_codes = pay_codes.copy()
                pay_codes[other] = inv_codes[target[other]]
        kept = pay_day <= day
        received = _per_code(pay_codes[kept], cents[kept])
    by_currency = totals["by_currency"]
    for code in sorted(set(invoiced) | set(received) | set(by_currency)):
        expected = invoiced.get(code, 0) - paid_by.get(code, 0) - received.get(code, 0)
        mine = by_currency.get(code, {"open": 0, "pools": np.zeros(0, dtype="int64")})
        unapplied = int(np.sum(mine["pools"]))
        got = mine["open"] - unapplied
        if got != expected:
            broken.append(Text(
                "{currency}: invoices {invoiced} − paid_amount {paid} − payments {received} = "
                "{expected}, but the open items ({open}) less the unapplied credit "
                "({unapplied}) come to {got}",
                "{currency}：发票 {invoiced} − 已收金额 {paid} − 回款 {received} = {expected}，"
                "但未结原币余额（{open}）减未核销回款（{unapplied}）为 {got}",
                currency=code, invoiced=_yuan(invoiced.get(code, 0)),
                paid=_yuan(paid_by.get(code, 0)), received=_yuan(received.get(code, 0)),
                expected=_yuan(expected), open=_yuan(mine["open"]), unapplied=_yuan(unapplied),
                got=_yuan(got)))
    # unapplied credit in yuan: at the as-of rate of its currency (when the
    # rates give one; else at a booked rate of the pool's money, not redone)
    local_credit = 0
    for code, mine in by_currency.items():
        local_credit += int(np.sum(mine["pools_local"]))
        rate = _rate_on(rates, base, np.array([code], dtype="object"), np.array([day]))[0]
        if rate == rate and (_convert(mine["pools"], rate) != mine["pools_local"]).any():
            broken.append(Text("{currency}: the unapplied credit is not its amount at the "
                               "as-of rate {rate}",
                               "{currency}：未核销回款不等于按期末汇率 {rate} 折算的金额",
                               currency=code, rate=rate))
    if len(summary) and -_cents(summary["unapplied_credit"]) != local_credit:
        broken.append(Text("the unapplied credit adds up to {got}, its amounts in each "
                           "currency at their rates to {expected}",
                           "未核销回款合计为 {got}，按各币种汇率折算后应为 {expected}",
                           got=_yuan(_cents(summary["unapplied_credit"])),
                           expected=_yuan(-local_credit)))
    if detail is not None:
        broken += _open_items(invoices, inv_codes, inv_rate, day, summary, detail, rates, base)
    return broken


def _open_items(invoices, inv_codes, inv_rate, day, summary, detail, rates,
                base: str) -> list[Text]:
    broken: list[Text] = []
    codes = detail["currency"].to_numpy(dtype="object", na_value=base)
    original = to_cents(detail["open_original"].to_numpy(dtype="float64", na_value=np.nan))
    outstanding = to_cents(detail["outstanding"].to_numpy(dtype="float64", na_value=np.nan))
    fx = to_cents(detail["fx_difference"].to_numpy(dtype="float64", na_value=np.nan))
    # the booked rate of each item's invoice (a refund names none: not redone)
    booked = np.full(len(detail), np.nan)
    if invoices["invoice_no"].is_unique and "invoice_no" in detail.columns:
        at = pd.Index(invoices["invoice_no"]).get_indexer(detail["invoice_no"])
        mine = at >= 0
        mine[mine] = inv_codes[at[mine]] == codes[mine]
        booked[mine] = inv_rate[at[mine]]
    as_of = _rate_on(rates, base, codes, np.full(len(detail), day))
    rate = np.where(np.isnan(as_of), booked, as_of)
    known = ~np.isnan(rate)
    wrong = known & (_convert(original, rate) != outstanding)
    with_booked = known & ~np.isnan(booked)
    wrong |= with_booked & (_convert(original, rate) - _convert(original, booked) != fx)
    rows = np.flatnonzero(wrong)
    if len(rows):
        first = int(rows[0])
        broken.append(Text(
            "{count} open item(s) whose outstanding or fx_difference is not the open amount "
            "in its currency at the as-of and booked rates (first: {invoice}, {currency} "
            "{original}: outstanding {outstanding}, fx_difference {fx})",
            "有 {count} 条未结项目的应收余额或汇兑差额与按期末汇率、入账汇率折算的原币余额"
            "不符（第一处：{invoice}，{currency} {original}：应收余额 {outstanding}，"
            "汇兑差额 {fx}）",
            count=len(rows), invoice=str(detail["invoice_no"].iloc[first]),
            currency=codes[first], original=_yuan(int(original[first])),
            outstanding=_yuan(int(outstanding[first])), fx=_yuan(int(fx[first]))))
    for column, items in (("outstanding", outstanding), ("fx_difference", fx)):
        if column in summary.columns and _cents(summary[column]) != int(items.sum()):
            broken.append(Text("the summary's {column} adds up to {got}, the open items' to "
                               "{expected}",
                               "汇总表的 {column} 合计为 {got}，未结项目合计为 {expected}",
                               column=column, got=_yuan(_cents(summary[column])),
                               expected=_yuan(int(items.sum()))))
    return broken


def exposure(result: pd.DataFrame, owed: pd.DataFrame) -> None:
    """score-credit --exposure's identities (module doc)."""
    if "outstanding" not in result.columns:
        return
    reported = set(result["customer_id"].dropna().astype(str))
    mine = owed[owed["customer_id"].astype(str).isin(reported)]
    expected = _cents(mine["outstanding"].to_numpy(dtype="float64", na_value=np.nan))
    # a customer listed twice in the result (e.g. dropped and re-added) is counted once
    once = result.drop_duplicates("customer_id")
    got = _cents(once["outstanding"].to_numpy(dtype="float64", na_value=np.nan))
    broken: list[Text] = []
    if got != expected:
        broken.append(Text("the exposure file's outstanding for the customers scored adds up "
                           "to {expected}, the report's to {got}",
                           "风险敞口文件中已评分客户的应收余额合计为 {expected}，报表合计为 {got}",
                           expected=_yuan(expected), got=_yuan(got)))
    if "available_credit" in result.columns and "credit_limit" in result.columns:
        limit = to_cents(result["credit_limit"].to_numpy(dtype="float64", na_value=np.nan))
        owes = to_cents(result["outstanding"].to_numpy(dtype="float64", na_value=np.nan))
        available = to_cents(result["available_credit"].to_numpy(dtype="float64", na_value=np.nan))
        known = ~np.isnan(result["available_credit"].to_numpy(dtype="float64", na_value=np.nan))
        rows = np.flatnonzero(known & (available != limit - owes))
        if len(rows):
            broken.append(Text("{count} row(s) where available credit is not the limit minus "
                               "the outstanding (first: row {row})",
                               "有 {count} 行的可用额度不等于额度减应收余额（第一处：第 {row} 行）",
                               count=len(rows), row=int(rows[0]) + 1))
    if broken:
        _fail("score-credit", broken)


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
    sellers = resolve(pd.Series(pd.unique(seller)).astype("str"))
    sellers = set(sellers.where(sellers.isin(org_ids), unassigned))
    broken: list[Text] = []
    for period in periods:
        end = np.datetime64(pd.Timestamp(period.end).date(), "D")
        start = end - np.timedelta64(window, "D")
        sold = (day > start) & (day <= end)
        labels, cents = list(seller[sold]), list(amount[sold])
        if payments is not None and len(payments):
            refund = payments["amount"].to_numpy(dtype="float64", na_value=np.nan) < 0
            pay_day = _day(payments["payment_date"])
            refund &= (pay_day > start) & (pay_day <= end)
            if refund.any():
                home = _home_salesperson(invoices, day <= end, seller)
                customers = payments["customer_id"].astype("str").to_numpy(dtype="object")[refund]
                labels += [home.get(c, NO_SALESPERSON) for c in customers]
                cents += list(-to_cents(payments["amount"].to_numpy(
                    dtype="float64", na_value=np.nan)[refund]))
        per_label = pd.Series(cents, dtype="int64").groupby(
            pd.Series(labels, dtype="object")).sum() if labels else pd.Series(dtype="int64")
        staff = resolve(pd.Series(per_label.index.astype("str")))
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


def _home_salesperson(invoices: pd.DataFrame, used: np.ndarray, seller: np.ndarray) -> dict:
    """customer_id → salesperson of the customer's latest invoice (by date,
    then file order) that names one, among the invoices used."""
    named = invoices["salesperson"].notna().to_numpy()  # a blank text is a name here
    frame = pd.DataFrame({"customer": invoices["customer_id"].astype("str").to_numpy(
        dtype="object"), "day": _day(invoices["invoice_date"]), "seller": seller,
        "order": np.arange(len(invoices))})[used & named]
    frame = frame.sort_values(["customer", "day", "order"], kind="stable")
    return dict(zip(frame["customer"], frame["seller"]))


def _days_cents(value) -> int | None:
    """A DSO numerator (yuan × days, to the cent) as an integer; None when
    blank or too large to be exact in a float."""
    if value != value:
        return 0
    cents = float(value) * 100
    return int(round(cents)) if abs(cents) < 2 ** 52 else None


def statement(invoices: pd.DataFrame, payments: pd.DataFrame | None, end,
              customers: pd.DataFrame, lines: pd.DataFrame) -> None:
    """render-report statement's identities, per customer, to the cent:
    opening + debits − credits = closing; the last line's running balance
    is the closing balance; the closing balance is the customer's invoices −
    paid_amount − payments dated on or before the period's end (from the
    input rows); and it equals aging-report's net outstanding at that date."""
    if not len(customers):
        return
    day = np.datetime64(pd.Timestamp(end).date(), "D")
    ids = customers["customer_id"].astype("str")
    owed = pd.Series(0, index=pd.Index(ids.unique()), dtype="int64")
    used = _day(invoices["invoice_date"]) <= day
    amount = to_cents(invoices["amount"].to_numpy(dtype="float64", na_value=np.nan))[used]
    who = invoices["customer_id"].astype("str").to_numpy(dtype="object")[used]
    parts = [pd.Series(amount, index=who)]
    if "paid_amount" in invoices.columns:
        paid = np.abs(to_cents(invoices["paid_amount"].to_numpy(dtype="float64",
                                                                na_value=np.nan)))[used]
        parts.append(pd.Series(-np.where(amount < 0, -1, 1) * paid, index=who))
    if payments is not None and len(payments):
        kept = _day(payments["payment_date"]) <= day
        parts.append(pd.Series(-to_cents(payments["amount"].to_numpy(
            dtype="float64", na_value=np.nan))[kept], index=payments["customer_id"].astype(
            "str").to_numpy(dtype="object")[kept]))
    sums = pd.concat(parts).groupby(level=0).sum()
    owed = owed.add(sums, fill_value=0).reindex(ids).fillna(0).astype("int64").to_numpy()

    def cents(column):
        return to_cents(customers[column].to_numpy(dtype="float64", na_value=np.nan))

    closing = cents("closing")
    last = (lines.groupby("customer_id", sort=False)["balance"].last()
            if len(lines) else pd.Series(dtype="float64"))
    last = to_cents(last.reindex(ids).to_numpy(dtype="float64"))
    has_lines = ids.isin(set(lines["customer_id"].astype("str"))).to_numpy() if len(lines) \
        else np.zeros(len(ids), dtype=bool)
    moved = cents("opening") + cents("debits") - cents("credits")
    net = cents("net_outstanding")
    checks = [  # (wrong, what, figure, what it should be)
        (moved != closing, Text("opening + debits − credits is not the closing balance",
                                "期初余额 + 借方 − 贷方 不等于期末余额"), moved, closing),
        (has_lines & (last != closing), Text("the last line's balance is not the closing "
                                             "balance", "明细最后一行的余额不等于期末余额"),
         last, closing),
        (owed != closing, Text("the closing balance is not the customer's invoices − "
                               "paid_amount − payments up to the period's end",
                               "期末余额不等于该客户截至期末的发票 − 已收金额 − 回款"),
         closing, owed),
        (net != closing, Text("the aging's net outstanding is not the closing balance",
                              "账龄分析的净应收不等于期末余额"), net, closing),
    ]
    broken: list[Text] = []
    for wrong, what, got, expected in checks:
        rows = np.flatnonzero(wrong)
        if len(rows):
            first = int(rows[0])
            broken.append(Text("{what}: {count} customer(s), first {customer} ({got} instead "
                               "of {expected})",
                               "{what}：共 {count} 个客户，第一个为 {customer}（为 {got}，"
                               "应为 {expected}）",
                               what=what, count=len(rows), customer=ids.iloc[first],
                               got=_yuan(int(got[first])), expected=_yuan(int(expected[first]))))
    if broken:
        _fail("render-report statement", broken)
