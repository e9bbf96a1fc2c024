"""aging-report's identities, in yuan and, with foreign currencies, in each
currency."""
from __future__ import annotations

import numpy as np
import pandas as pd

from cskit.i18n import Text
from cskit.money import to_cents
from cskit.reconcile.common import _cents, _day, _fail, _yuan


def _foreign(frame: pd.DataFrame | None, base: str) -> bool:
    if frame is None or not len(frame) or "currency" not in frame.columns:
        return False
    return bool((_codes(frame["currency"], base) != base.upper()).any())


def aging(invoices: pd.DataFrame, payments: pd.DataFrame | None, as_of, summary: pd.DataFrame,
          buckets: list[str], totals: dict | None = None, base_currency: str = "CNY",
          detail: pd.DataFrame | None = None, fx_rates: pd.DataFrame | None = None) -> dict:
    """aging-report's identities (module doc); raise ReconciliationError.

    With rows in a foreign currency the ledger's amounts are not all yuan:
    the input-to-output identity is checked in each currency instead, and
    the revaluation of each open item (``detail``, the open items) at the
    as-of rate of ``fx_rates`` (``_currency_identities``). Returns, per
    currency, the identity as checked (for the Parameters sheet); empty
    without foreign currencies."""
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
    lines: dict = {}
    if foreign and totals is not None and "by_currency" in totals:
        broken += _currency_identities(invoices, payments, day, summary, totals, detail,
                                       fx_rates, base_currency.upper(), lines)
    if broken:
        _fail("aging-report", broken)
    return lines


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
                         base: str, lines: dict) -> list[Text]:
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
        lines[code] = (f"invoices {_yuan(invoiced.get(code, 0))} − paid_amount "
                       f"{_yuan(paid_by.get(code, 0))} − payments {_yuan(received.get(code, 0))}"
                       f" = open {_yuan(mine['open'])} − unapplied credit {_yuan(unapplied)}")
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
