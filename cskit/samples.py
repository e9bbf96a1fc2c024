"""Deterministic sample and benchmark files for cskit.

    python -m cskit.samples                      # the sample set into samples/
    python -m cskit.samples --out DIR --seed N   # the same kind of set elsewhere
    python -m cskit.samples --rows 1000000       # large files into bench/data/
    python -m cskit.samples --rows 100000 --format xlsx

The sample set is one fictional company's month-end (as-of 2026-10-31): a
customer master with the credit attributes of seed 004, the receivable
ledger and payments, the customer-service org chart of seed 000, and the
complaint, survey, sales, measure and appraisal records of seed 001 篇3,
plus what visit-plan needs (staff capacities, transactions, shipments, an
example 2027 holiday schedule). The same customers, staff ids and invoice
numbers run through every file, so the monthly chain of commands works on
them end to end.

Files with Chinese headers are written as GB18030 CSV or XLSX (as Chinese
Excel and ERP systems export them); files with English headers are UTF-8.
The same seed always gives byte-identical files.

This is a developer tool: it writes files directly with pandas, pyarrow and
xlsxwriter, outside the commands' I/O layer.
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

AS_OF = date(2026, 10, 31)
DEFAULT_SEED = 20261031
# fixed workbook metadata so that XLSX files are byte-stable between runs
XLSX_CREATED = datetime(2026, 10, 31, 18, 0, 0)

# --- the org chart (seed 000: 客服总监, 客服副总监, 客服助理, 客服分部经理, 客服专人)
BRANCHES = ("华东", "华南", "华北")
ORG_ROWS = [
    ("D001", "王建国", "director", "", "总部"),
    ("D002", "李秀英", "deputy_director", "D001", "总部"),
    ("A001", "张敏", "assistant", "D001", "总部"),
    ("B001", "陈志强", "branch_manager", "D002", "华东"),
    ("B002", "刘海燕", "branch_manager", "D002", "华南"),
    ("B003", "赵国华", "branch_manager", "D002", "华北"),
    ("S001", "杨帆", "specialist", "B001", "华东"),
    ("S002", "黄丽娟", "specialist", "B001", "华东"),
    ("S003", "周磊", "specialist", "B001", "华东"),
    ("S004", "吴晓梅", "specialist", "B002", "华南"),
    ("S005", "徐斌", "specialist", "B002", "华南"),
    ("S006", "孙静", "specialist", "B002", "华南"),
    ("S007", "马超", "specialist", "B003", "华北"),
    ("S008", "朱红", "specialist", "B003", "华北"),
    ("S009", "胡军", "specialist", "B003", "华北"),
]
SPECIALISTS = [r[0] for r in ORG_ROWS if r[2] == "specialist"]
STAFF_BRANCH = {r[0]: r[4] for r in ORG_ROWS}
# the specialist who ranks last in every period (appraisals, surveys, sales)
WEAK_SPECIALIST = "S006"
# handles complaints but is not in the org chart: exercises `unassigned`
UNKNOWN_STAFF = "S099"

REGIONS = {
    "华东": [("上海", "上海"), ("苏州", "江苏"), ("南京", "江苏"), ("杭州", "浙江"),
           ("宁波", "浙江"), ("合肥", "安徽"), ("济南", "山东"), ("青岛", "山东")],
    "华南": [("广州", "广东"), ("深圳", "广东"), ("东莞", "广东"), ("佛山", "广东"),
           ("厦门", "福建"), ("福州", "福建"), ("南宁", "广西")],
    "华北": [("北京", "北京"), ("天津", "天津"), ("石家庄", "河北"), ("唐山", "河北"),
           ("保定", "河北"), ("太原", "山西")],
}
BRAND_WORDS = ["恒达", "鑫源", "华盛", "永盛", "宏图", "德隆", "金鼎", "瑞丰", "嘉诚",
               "东方", "新锐", "联合", "天成", "博远", "汇通", "盛世", "中联", "富华",
               "长江", "泰和", "安信", "兴业", "国鑫", "万通", "正阳", "同创", "荣昌",
               "海川", "明辉", "卓越"]
INDUSTRIES = ["机电设备", "建材", "五金制品", "化工", "电子科技", "包装材料", "贸易",
              "精密机械", "塑胶制品", "环保科技", "物流", "食品"]
DEPARTMENTS = ("机电部", "建材部", "化工部", "五金部")
LUNAR_MONTHS = ["正月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月",
                "十月", "冬月", "腊月"]
LUNAR_DAYS = ["初一", "初二", "初三", "初四", "初五", "初六", "初七", "初八", "初九", "初十",
              "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十",
              "廿一", "廿二", "廿三", "廿四", "廿五", "廿六", "廿七", "廿八", "廿九", "三十"]

# --- credit rules of seed 004 (客户信用管理办法), mirrored here only to give
# last quarter's file (credit_previous.csv) grades close to this quarter's
LEGAL_POINTS = {"business_license": 2, "tax_registration": 1, "special_permit": 1,
                "general_taxpayer": 2, "trademark_license": 1, "contract_orders": 2,
                "processing_certificate": 1}
OTHER_POINTS = {"iso9000": 2, "iso14000": 1, "bank_credit_rating": 1, "tax_credit_rating": 1}
SALES_TIERS = [(10_000_000, 20), (5_000_000, 19), (3_000_000, 17), (2_000_000, 15),
               (1_000_000, 12), (500_000, 10), (0, 5)]
PROFIT_TIERS = [(2_000_000, 20), (1_000_000, 18), (500_000, 15), (300_000, 10),
                (200_000, 8), (100_000, 6), (0.01, 5)]
PAYMENT_TIERS = [(10_000_000, 30), (5_000_000, 25), (3_000_000, 22), (2_000_000, 20),
                 (1_000_000, 15), (500_000, 10), (0, 5)]
LIMITS = {1: 800_000, 2: 500_000, 3: 300_000, 4: 100_000, 5: 0}
GRADE_A = {1: 1, 2: 1, 3: 2, 4: 3, 5: 4}
GRADE_B = {1: 1, 2: 2, 3: 3, 4: 4, 5: 4}
GRADE_LABELS = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}
COOPERATION = {0: "不配合", 1: "配合", 2: "非常配合"}
SALES_STATUS = {0: "较差", 1: "普通", 2: "良好", 5: "非常好"}
OPERATING = {0: "半停产", 1: "一般", 2: "满负荷"}
WAGE = {0: "比较低", 1: "普通", 2: "比较高", 3: "非常高"}
RECONCILIATION = {0: "正常", -1: "被迫对账", -3: "拒绝对账"}
BUSINESS_ZH = {"A": "A业务", "B": "B业务", "mixed": "混合"}


# ---------------------------------------------------------------------------
# small helpers

def _money(x: float) -> str:
    """Yuan with exactly two decimals, as ledgers print them."""
    return f"{x:.2f}"


def _wan(yuan: float) -> str:
    """`1255000` → `125.5万` (only used for whole hundreds of yuan)."""
    text = f"{yuan / 10_000:.2f}".rstrip("0").rstrip(".")
    return f"{text}万"


def _csv(df: pd.DataFrame, path: Path, encoding: str = "utf-8") -> Path:
    df.to_csv(path, index=False, encoding=encoding, lineterminator="\n")
    return path


def _months_between(start: date, end: date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - (1 if end.day < start.day else 0)


def _workdays(start: date, end: date) -> list[date]:
    days, d = [], start
    while d <= end:
        if d.weekday() < 5:
            days.append(d)
        d += timedelta(days=1)
    return days


def _tier(value: float, tiers) -> int:
    for floor, points in tiers:
        if value >= floor:
            return points
    return 0


def _xlsx(path: Path, sheets: dict[str, tuple[list[str], list[list]]],
          datetime_cols: frozenset[str] = frozenset()) -> Path:
    """Write sheets of plain Python values (str, int, float, date, datetime, None)."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"created": XLSX_CREATED, "author": "客服部"})
    bold = wb.add_format({"bold": True})
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    dt_fmt = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    money_fmt = wb.add_format({"num_format": "#,##0.00"})
    for name, (headers, rows) in sheets.items():
        ws = wb.add_worksheet(name)
        ws.freeze_panes(1, 0)
        for c, h in enumerate(headers):
            ws.write_string(0, c, h, bold)
            ws.set_column(c, c, max(10, len(h.encode("gb18030")) + 2))
        for r, row in enumerate(rows, start=1):
            for c, v in enumerate(row):
                if v is None:
                    continue
                if isinstance(v, datetime):
                    ws.write_datetime(r, c, v, dt_fmt)
                elif isinstance(v, date):
                    ws.write_datetime(r, c, datetime(v.year, v.month, v.day), date_fmt)
                elif isinstance(v, bool):
                    ws.write_string(r, c, "是" if v else "否")
                elif isinstance(v, float):
                    ws.write_number(r, c, v, money_fmt)
                elif isinstance(v, int):
                    ws.write_number(r, c, v)
                else:
                    ws.write_string(r, c, str(v))
    wb.close()
    return path


# ---------------------------------------------------------------------------
# customers

@dataclass
class Customer:
    customer_id: str
    customer_name: str
    business_type: str
    primary_business: str | None
    first_trade_date: date
    legal: dict[str, bool]
    other: dict[str, bool]
    annual_sales: float
    annual_profit: float
    annual_payments: float
    cooperation: int
    sales_status: int
    operating_status: int
    years_established: float
    wage_level: int
    late_after_promise: bool
    breach_of_settlement: bool
    reconciliation: int
    salesperson_advance: bool
    owner: str
    salesperson: str
    branch: str
    region: str
    city: str
    department: str
    phone: str
    birthday: str | None
    lunar_birthday: str | None
    last_visit_date: date | None
    tier: str
    behaviour: str  # how the customer pays: cash, prompt, slow, late, stopped, overpaid, overlimit
    terms_days: int
    wan: bool  # amounts written with the unit 万 in the XLSX
    extra: dict = field(default_factory=dict)


def credit_level(c: Customer, as_of: date = AS_OF) -> tuple[int, int, str]:
    """(final_level, credit_limit, status) by the default rules of seed 004."""
    months = _months_between(c.first_trade_date, as_of)
    legal = sum(p for k, p in LEGAL_POINTS.items() if c.legal[k])
    if months < 3:
        return 5, 0, "unrated_new"
    if legal == 0:
        return 5, 0, "cash_only"
    factor = 12 / months if months < 9 else 1.0
    other = sum(p for k, p in OTHER_POINTS.items() if c.other[k])
    sales = _tier(c.annual_sales * factor, SALES_TIERS)
    profit = _tier(c.annual_profit * factor, PROFIT_TIERS)
    payments = _tier(c.annual_payments * factor, PAYMENT_TIERS)
    years = c.years_established
    years_pts = 0 if years < 1 else 1 if years < 3 else 2 if years <= 5 else 3
    subjective = c.cooperation + c.sales_status + c.operating_status + years_pts + c.wage_level
    bad = max(-2, -2 * c.late_after_promise - 1 * c.breach_of_settlement) + c.reconciliation
    score = legal + other + sales + profit + payments + subjective + bad
    level = 1 if score >= 90 else 2 if score >= 80 else 3 if score >= 70 else 4 if score >= 60 else 5
    # seed 004: 主观评价低于10分的下调一个级别; 业务员垫支的下调一个级别
    level = min(5, level + (subjective < 10) + bool(c.salesperson_advance))
    return level, LIMITS[level], "rated"


def grade_of(c: Customer, level: int) -> int:
    kind = c.business_type if c.business_type != "mixed" else (c.primary_business or "B")
    return (GRADE_A if kind == "A" else GRADE_B)[level]


def _profile(rng, quality: str) -> dict:
    """Credit attributes of a good, fair or poor customer."""
    p_doc = {"good": 0.97, "fair": 0.85, "poor": 0.75}[quality]
    legal = {k: bool(rng.random() < p_doc) for k in LEGAL_POINTS}
    legal["business_license"] = True
    other = {k: bool(rng.random() < p_doc - 0.25) for k in OTHER_POINTS}
    sales = {"good": (4e6, 16e6), "fair": (2e6, 6e6), "poor": (1.2e6, 3.5e6)}[quality]
    annual_sales = float(rng.uniform(*sales))
    margin = {"good": (0.12, 0.22), "fair": (0.08, 0.16), "poor": (0.01, 0.08)}[quality]
    paid = {"good": (0.92, 1.02), "fair": (0.9, 1.0), "poor": (0.75, 0.95)}[quality]
    pick = {"good": ([2, 2, 1], [5, 2, 2], [2, 2, 1], [8, 12, 6, 15, 20], [2, 3, 2, 1]),
            "fair": ([1, 2, 2], [2, 2, 5], [2, 2, 1], [4, 6, 8, 10], [1, 2, 2]),
            "poor": ([1, 2, 1], [1, 2, 2], [1, 2, 2], [3, 4, 7], [1, 1, 2])}[quality]
    return dict(
        legal=legal, other=other, annual_sales=annual_sales,
        annual_profit=annual_sales * float(rng.uniform(*margin)),
        annual_payments=annual_sales * float(rng.uniform(*paid)),
        cooperation=int(rng.choice(pick[0])), sales_status=int(rng.choice(pick[1])),
        operating_status=int(rng.choice(pick[2])), years_established=float(rng.choice(pick[3])),
        wage_level=int(rng.choice(pick[4])),
        late_after_promise=bool(quality == "poor" and rng.random() < 0.5),
        breach_of_settlement=bool(quality != "good" and rng.random() < 0.25),
        reconciliation=int(rng.choice([0, 0, 0, -1] if quality != "good" else [0])),
    )


def _phone(rng) -> str:
    prefix = rng.choice(["138", "139", "137", "136", "135", "158", "159", "186", "188", "150"])
    return prefix + "".join(str(d) for d in rng.integers(0, 10, 8))


def make_customers(rng, n: int = 60) -> list[Customer]:
    customers: list[Customer] = []
    used_names: set[str] = set()
    qualities = ["good"] * 22 + ["fair"] * 24 + ["poor"] * (n - 46)
    qualities = list(rng.permutation(qualities))
    # the two that stopped paying, the overpaying one
    qualities[9], qualities[20], qualities[11] = "poor", "poor", "good"
    for i in range(n):
        salesperson = SPECIALISTS[i % len(SPECIALISTS)]
        branch = STAFF_BRANCH[salesperson]
        city, province = REGIONS[branch][int(rng.integers(len(REGIONS[branch])))]
        while True:
            name = (f"{city}{BRAND_WORDS[int(rng.integers(len(BRAND_WORDS)))]}"
                    f"{INDUSTRIES[int(rng.integers(len(INDUSTRIES)))]}有限公司")
            if name not in used_names:
                used_names.add(name)
                break
        quality = str(qualities[i])
        prof = _profile(rng, quality)
        business = str(rng.choice(["A", "A", "B", "B", "mixed"]))
        first_trade = date(int(rng.integers(2012, 2025)), int(rng.integers(1, 13)), int(rng.integers(1, 29)))
        # a few customers served by a colleague in the same branch
        owner = salesperson
        if i % 10 == 7:
            peers = [s for s in SPECIALISTS if STAFF_BRANCH[s] == branch and s != salesperson]
            owner = peers[i % 2]
        birthday = lunar = None
        kind = i % 4
        if kind == 0:
            birthday = f"{int(rng.integers(1962, 1992))}-{int(rng.integers(1, 13)):02d}-{int(rng.integers(1, 29)):02d}"
        elif kind == 1:
            birthday = f"{int(rng.integers(1, 13)):02d}-{int(rng.integers(1, 29)):02d}"
        elif kind == 2:
            lunar = LUNAR_MONTHS[int(rng.integers(12))] + LUNAR_DAYS[int(rng.integers(29))]
        last_visit = None if i % 9 == 4 else AS_OF - timedelta(days=int(rng.integers(5, 200)))
        behaviour = {"good": "prompt", "fair": str(rng.choice(["prompt", "slow", "slow", "late"])),
                     "poor": str(rng.choice(["slow", "late"]))}[quality]
        c = Customer(
            customer_id=f"C{1001 + i}", customer_name=name, business_type=business,
            primary_business=str(rng.choice(["A", "B"])) if business == "mixed" else None,
            first_trade_date=first_trade, owner=owner, salesperson=salesperson, branch=branch,
            region=province, city=city, department=DEPARTMENTS[int(rng.integers(len(DEPARTMENTS)))],
            phone=_phone(rng), birthday=birthday, lunar_birthday=lunar, last_visit_date=last_visit,
            tier="", behaviour=behaviour, terms_days=int(rng.choice([30, 30, 60, 60, 90])),
            salesperson_advance=False, wan=(i % 3 == 1), **prof)
        customers.append(c)

    # --- the special cases every command needs to see (fixed positions)
    big = customers[0]  # 大客户: visit-plan tier `key`
    big.customer_name, big.city, big.region = "上海恒达机电设备集团有限公司", "上海", "上海"
    big.business_type, big.primary_business = "A", None
    big.legal = {k: True for k in LEGAL_POINTS}
    big.other = {k: True for k in OTHER_POINTS}
    big.annual_sales, big.annual_profit, big.annual_payments = 18_650_000.0, 2_455_000.0, 17_980_000.0
    big.cooperation, big.sales_status, big.operating_status, big.wage_level = 2, 5, 2, 3
    big.years_established, big.reconciliation = 18.0, 0
    big.late_after_promise = big.breach_of_settlement = False
    big.behaviour, big.tier, big.wan = "prompt", "key", True
    big.lunar_birthday, big.birthday = "腊月三十", None  # day 30 of a month that may have 29

    new = customers[1]  # 2 months → not rated yet
    new.first_trade_date, new.last_visit_date = date(2026, 8, 18), date(2026, 9, 8)
    new.annual_sales, new.annual_profit, new.annual_payments = 386_000.0, 41_000.0, 212_000.0
    customers[2].first_trade_date = date(2026, 4, 20)  # 6 months → amounts annualised ×12/6
    customers[2].annual_sales, customers[2].annual_profit, customers[2].annual_payments = (
        1_255_000.0, 186_000.0, 1_120_000.0)
    customers[2].wan = True  # 125.5万
    customers[2].behaviour = "prompt"
    no_docs = customers[3]  # no legal qualification at all → cash only (现款现货)
    no_docs.legal = {k: False for k in LEGAL_POINTS}
    no_docs.behaviour = "cash"
    for c in customers[4:7]:  # seed 004: 拒绝对账 is the worst record
        c.reconciliation = -3
    customers[7].salesperson_advance = True
    customers[8].salesperson_advance = True
    stopped = customers[9]  # stopped paying in March: 181+ overdue, no payment for 180+ days
    stopped.behaviour, stopped.terms_days = "stopped", 30
    stopped.extra["stop"], stopped.extra["last_invoice"] = date(2026, 2, 1), date(2026, 7, 31)
    stalled = customers[20]  # still buying, stopped paying for what it bought since March
    stalled.behaviour, stalled.terms_days = "stopped", 30
    stalled.extra["stop"], stalled.extra["last_invoice"] = date(2026, 3, 1), AS_OF
    stopped.reconciliation = -3 if stopped.reconciliation == -3 else -1
    over = customers[10]  # a level-4 customer running far over its 100,000 limit
    over.legal = {k: True for k in LEGAL_POINTS}
    over.other = {"iso9000": True, "iso14000": False, "bank_credit_rating": True,
                  "tax_credit_rating": False}
    # 10 + 3 + 15 + 10 + 20 + subjective 10 − 2 (late after promise) = 66 → level 4, 100,000
    over.annual_sales, over.annual_profit, over.annual_payments = 2_450_000.0, 320_000.0, 2_100_000.0
    over.cooperation, over.sales_status, over.operating_status, over.wage_level = 2, 2, 2, 2
    over.years_established, over.reconciliation = 4.0, 0
    over.late_after_promise, over.breach_of_settlement = True, False
    over.behaviour, over.terms_days = "overlimit", 60
    customers[11].behaviour = "overpaid"  # paid more than invoiced: unapplied credit
    customers[12].business_type, customers[12].primary_business = "mixed", None  # stricter table B
    customers[13].annual_profit = -32_000.0  # a loss-making year scores 0
    customers[13].wan = True
    customers[14].birthday = "1984-02-29"
    customers[14].lunar_birthday = None
    customers[15].lunar_birthday = "正月初八"
    customers[16].lunar_birthday = "八月十六"
    customers[17].lunar_birthday = "L01-08"
    customers[18].lunar_birthday = "腊月廿三"
    customers[18].birthday = "1979-11-21"  # both calendars given
    customers[19].years_established = 0.5

    for i, c in enumerate(customers):
        if c.wan:  # 万 amounts are whole thousands of yuan (one decimal in 万)
            c.annual_sales = round(c.annual_sales, -3)
            c.annual_profit = round(c.annual_profit, -3)
            c.annual_payments = round(c.annual_payments, -3)
        else:
            c.annual_sales = round(c.annual_sales, 2)
            c.annual_profit = round(c.annual_profit, 2)
            c.annual_payments = round(c.annual_payments, 2)
        level, limit, status = credit_level(c)
        c.extra.update(level=level, limit=limit, status=status)
        if not c.tier:
            c.tier = str(grade_of(c, level))
        # customers without credit buy on cash terms (seed 004: 现款现货); a few
        # level-5 customers still owe from before their downgrade
        if (status != "rated" or (level == 5 and (c.behaviour != "late" or i % 2))) and \
                c.behaviour not in ("stopped", "overlimit"):
            c.behaviour = "cash"
    return customers


CUSTOMER_COLUMNS = [  # (canonical, Chinese header)
    ("customer_id", "客户编号"), ("customer_name", "客户名称"), ("business_type", "业务类型"),
    ("primary_business", "主营业务"), ("first_trade_date", "首次交易日期"),
    ("business_license", "营业执照"), ("tax_registration", "税务登记证"),
    ("special_permit", "特殊行业许可证"), ("general_taxpayer", "一般纳税人资格证"),
    ("trademark_license", "商标许可证"), ("contract_orders", "合同订单"),
    ("processing_certificate", "委托加工证明"), ("iso9000", "ISO9000认证"),
    ("iso14000", "ISO14000认证"), ("bank_credit_rating", "银行信用级别"),
    ("tax_credit_rating", "纳税信用级别"), ("annual_sales", "交易金额"),
    ("annual_profit", "赢利贡献"), ("annual_payments", "回款总额"), ("cooperation", "合作态度"),
    ("sales_status", "产品销售状况"), ("operating_status", "经营状态"),
    ("years_established", "设立年限"), ("wage_level", "员工工资水平"),
    ("late_after_promise", "承诺后未按期付款"), ("breach_of_settlement", "未按合同约定结算"),
    ("reconciliation", "对账情况"), ("salesperson_advance", "业务员垫支"),
    ("owner", "负责人"), ("phone", "电话"), ("birthday", "生日"), ("lunar_birthday", "农历生日"),
    ("last_visit_date", "上次拜访日期"), ("region", "区域"), ("department", "部门"),
    ("salesperson", "业务员"), ("branch", "分部"),
]


def _customer_values(c: Customer) -> dict:
    v = {"customer_id": c.customer_id, "customer_name": c.customer_name,
         "business_type": c.business_type, "primary_business": c.primary_business,
         "first_trade_date": c.first_trade_date, **c.legal, **c.other,
         "annual_sales": c.annual_sales, "annual_profit": c.annual_profit,
         "annual_payments": c.annual_payments, "cooperation": c.cooperation,
         "sales_status": c.sales_status, "operating_status": c.operating_status,
         "years_established": c.years_established, "wage_level": c.wage_level,
         "late_after_promise": c.late_after_promise,
         "breach_of_settlement": c.breach_of_settlement, "reconciliation": c.reconciliation,
         "salesperson_advance": c.salesperson_advance, "owner": c.owner, "phone": c.phone,
         "birthday": c.birthday, "lunar_birthday": c.lunar_birthday,
         "last_visit_date": c.last_visit_date, "region": c.region,
         "department": c.department, "salesperson": c.salesperson, "branch": c.branch}
    return v


def customers_frame(customers: list[Customer]) -> pd.DataFrame:
    """The English, UTF-8 customer master (canonical headers and values)."""
    rows = []
    for c in customers:
        v = _customer_values(c)
        row = {}
        for col, _ in CUSTOMER_COLUMNS:
            x = v[col]
            if isinstance(x, bool):
                x = "yes" if x else "no"
            elif isinstance(x, date):
                x = x.isoformat()
            elif col in ("annual_sales", "annual_profit", "annual_payments"):
                x = _money(x)
            elif col == "years_established":
                x = f"{x:g}"
            row[col] = x
        # visit-plan reads `tier` directly from this file (key = 大客户)
        row["tier"] = c.tier
        rows.append(row)
    return pd.DataFrame(rows, dtype=object)


def customers_xlsx_rows(customers: list[Customer]) -> tuple[list[str], list[list]]:
    """The Chinese customer master as an ERP export: labels, 是/否, some 万 amounts."""
    headers = [zh for _, zh in CUSTOMER_COLUMNS]
    rows = []
    for i, c in enumerate(customers):
        v = _customer_values(c)
        v["business_type"] = BUSINESS_ZH[c.business_type]
        v["primary_business"] = BUSINESS_ZH[c.primary_business] if c.primary_business else None
        v["cooperation"] = COOPERATION[c.cooperation]
        v["sales_status"] = SALES_STATUS[c.sales_status]
        v["operating_status"] = OPERATING[c.operating_status]
        v["wage_level"] = WAGE[c.wage_level]
        v["reconciliation"] = RECONCILIATION[c.reconciliation]
        y = c.years_established
        v["years_established"] = int(y) if y == int(y) else y
        for col in ("annual_sales", "annual_profit", "annual_payments"):
            v[col] = _wan(v[col]) if c.wan else float(v[col])
        if i % 15 == 5:  # dates typed as text, the way some clerks enter them
            d = c.first_trade_date
            v["first_trade_date"] = f"{d.year}年{d.month}月{d.day}日"
        elif i % 15 == 11:
            v["first_trade_date"] = c.first_trade_date.strftime("%Y/%m/%d")
        rows.append([v[col] for col, _ in CUSTOMER_COLUMNS])
    return headers, rows


# ---------------------------------------------------------------------------
# invoices and payments

def _add_days(d: date, n: int) -> date:
    return d + timedelta(days=int(n))


def make_ledger(rng, customers: list[Customer]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """About 800 invoices Jan–Oct 2026 and the payments against them."""
    workdays = _workdays(date(2026, 1, 5), AS_OF)
    invoices: list[dict] = []
    payments: list[dict] = []
    for c in customers:
        start = max(date(2026, 1, 5), c.first_trade_date)
        days = [d for d in workdays if d >= start]
        if c.behaviour == "stopped":
            days = [d for d in days if d <= c.extra["last_invoice"]]
        n = max(3, min(len(days), int(rng.integers(9, 19))))
        if c.customer_id == customers[0].customer_id:
            n = 26
        chosen = sorted(rng.choice(len(days), size=n, replace=False))
        base = {"cash": 18_000, "overlimit": 48_000}.get(c.behaviour, c.extra["limit"] * 0.07 or 25_000)
        if c.behaviour == "stopped":
            base = 22_000
        for k in chosen:
            inv_date = days[int(k)]
            amount = round(float(base * rng.lognormal(0, 0.45)) + float(rng.integers(0, 100)) / 100, 2)
            invoices.append({
                "customer_id": c.customer_id, "customer_name": c.customer_name,
                "invoice_date": inv_date, "terms_days": c.terms_days, "amount": amount,
                "ship_date": _add_days(inv_date, -int(rng.integers(0, 4))),
                "salesperson": c.salesperson, "branch": c.branch, "_c": c})
    invoices.sort(key=lambda r: (r["invoice_date"], r["customer_id"]))
    for seq, inv in enumerate(invoices, start=1):
        inv["invoice_no"] = f"FP26{seq:05d}"
        u = rng.random()
        inv["due_date"] = None
        if u < 0.15:  # an explicit due date: the end of the month the terms reach
            d = _add_days(inv["invoice_date"], inv["terms_days"])
            inv["due_date"] = (pd.Timestamp(d) + pd.offsets.MonthEnd(0)).date()
        elif u < 0.18:  # neither due date nor terms: the policy default applies
            inv["terms_days"] = None
        if rng.random() < 0.05:
            inv["ship_date"] = None

    def due(inv) -> date:
        if inv["due_date"]:
            return inv["due_date"]
        return _add_days(inv["invoice_date"], inv["terms_days"] or 30)

    # credit notes (红字发票) against a few invoices of slow and late payers
    notes = []
    candidates = [inv for inv in invoices if inv["_c"].behaviour in ("slow", "late")
                  and inv["invoice_date"] < date(2026, 9, 1)]
    for j, k in enumerate(sorted(rng.choice(len(candidates), size=6, replace=False))):
        orig = candidates[int(k)]
        credit = round(orig["amount"] * float(rng.choice([0.1, 0.2, 0.25, 1.0 / 3])), 2)
        orig["_credit"] = credit
        c = orig["_c"]
        notes.append({
            "customer_id": c.customer_id, "customer_name": c.customer_name,
            "invoice_no": f"HC26{j + 1:03d}", "invoice_date": _add_days(orig["invoice_date"], 12),
            "due_date": None, "terms_days": None, "amount": -credit,
            "against_invoice": orig["invoice_no"], "ship_date": None,
            "salesperson": c.salesperson, "branch": c.branch, "_c": c})

    def pay(c: Customer, when: date, amount: float, invoice_no: str | None):
        payments.append({"customer_id": c.customer_id, "payment_date": when,
                         "amount": round(amount, 2), "invoice_no": invoice_no,
                         "payment_id": None})

    late_after_as_of = 0
    for inv in invoices:
        c: Customer = inv["_c"]
        net = round(inv["amount"] - inv.get("_credit", 0.0), 2)
        d = due(inv)
        delay = {"cash": 0, "prompt": int(rng.integers(-10, 12)), "slow": int(rng.integers(15, 75)),
                 "late": int(rng.integers(50, 160)), "overpaid": int(rng.integers(-5, 10)),
                 "overlimit": int(rng.integers(20, 60)), "stopped": int(rng.integers(5, 25))}[c.behaviour]
        when = inv["invoice_date"] if c.behaviour == "cash" else _add_days(d, delay)
        if c.behaviour == "overpaid":  # pays every invoice soon after receiving it
            when = min(_add_days(inv["invoice_date"], int(rng.integers(3, 15))), AS_OF)
        if c.behaviour == "late" and rng.random() < 0.12:
            continue  # never paid
        if c.behaviour == "stopped" and inv["invoice_date"] >= c.extra["stop"]:
            continue  # stopped paying for invoices from this date on
        if c.behaviour == "overlimit" and inv["invoice_date"] >= date(2026, 6, 1):
            continue  # stopped paying once orders grew
        if when > AS_OF:
            # a few payments arrive just after the as-of date: ignored by the report
            if late_after_as_of < 3 and when <= date(2026, 11, 6):
                late_after_as_of += 1
                pay(c, when, net, None)
            continue
        if c.behaviour != "cash" and rng.random() < 0.08 and net > 1000:
            # paid_amount: part already applied to the invoice in the ERP
            part = round(net * 0.5, 2)
            inv["paid_amount"] = part
            if rng.random() < 0.5:
                pay(c, when, net - part, None)
            continue
        allocate = rng.random() < (0.4 if c.behaviour == "cash" else 0.2)
        if c.behaviour != "cash" and rng.random() < 0.1 and net > 2000:  # two instalments
            first = round(net * 0.6, 2)
            pay(c, when, first, inv["invoice_no"] if allocate else None)
            second = _add_days(when, int(rng.integers(7, 25)))
            if second <= AS_OF:
                pay(c, second, net - first, inv["invoice_no"] if allocate else None)
        else:
            pay(c, when, net, inv["invoice_no"] if allocate else None)
    overpaid = next(c for c in customers if c.behaviour == "overpaid")
    pay(overpaid, date(2026, 10, 20), 36_800.00, None)  # prepayment beyond all invoices

    ledger = pd.DataFrame(invoices + notes)
    ledger = ledger.sort_values(["invoice_date", "invoice_no"], kind="stable").reset_index(drop=True)
    columns = ["customer_id", "customer_name", "invoice_no", "invoice_date", "due_date",
               "terms_days", "amount", "paid_amount", "against_invoice", "ship_date",
               "salesperson", "branch"]
    for col in ("paid_amount", "against_invoice"):
        if col not in ledger:
            ledger[col] = None
    ledger = ledger[columns]
    pays = pd.DataFrame(payments).sort_values(["payment_date", "customer_id"], kind="stable")
    pays = pays.reset_index(drop=True)
    pays["payment_id"] = [f"HK26{i:05d}" for i in range(1, len(pays) + 1)]
    return ledger, pays


def _fmt_date(d, style: str = "iso") -> str:
    if d is None or (not isinstance(d, date) and pd.isna(d)):
        return ""
    if style == "slash":
        return d.strftime("%Y/%m/%d")
    return d.isoformat()


def _fmt_int(x) -> str:
    return "" if x is None or pd.isna(x) else str(int(x))


def _fmt_money(x, commas: bool = False) -> str:
    if x is None or pd.isna(x):
        return ""
    return f"{x:,.2f}" if commas else f"{x:.2f}"


def invoices_text(ledger: pd.DataFrame, chinese: bool) -> pd.DataFrame:
    """The ledger as text: English/ISO for invoices.csv, Chinese/ERP style for the GB18030 copy."""
    style = "slash" if chinese else "iso"
    out = pd.DataFrame({
        "customer_id": ledger["customer_id"], "customer_name": ledger["customer_name"],
        "invoice_no": ledger["invoice_no"],
        "invoice_date": [_fmt_date(d, style) for d in ledger["invoice_date"]],
        "due_date": [_fmt_date(d, style) for d in ledger["due_date"]],
        "terms_days": [_fmt_int(x) for x in ledger["terms_days"]],
        "amount": [_fmt_money(x, chinese) for x in ledger["amount"]],
        "paid_amount": [_fmt_money(x, chinese) for x in ledger["paid_amount"]],
        "against_invoice": ledger["against_invoice"].fillna(""),
        "ship_date": [_fmt_date(d, style) for d in ledger["ship_date"]],
        "salesperson": ledger["salesperson"], "branch": ledger["branch"],
    }, dtype=object)
    if chinese:
        out.columns = ["客户编号", "客户名称", "发票号", "开票日期", "到期日", "账期", "金额",
                       "已收金额", "原发票号", "发货日期", "业务员", "分部"]
    return out


def payments_text(pays: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "客户编号": pays["customer_id"],
        "回款日期": [_fmt_date(d) for d in pays["payment_date"]],
        "回款金额": [_fmt_money(x) for x in pays["amount"]],
        "发票号": pays["invoice_no"].fillna(""),
        "回款单号": pays["payment_id"],
    }, dtype=object)


# ---------------------------------------------------------------------------
# KPI inputs: complaints, surveys, sales, measures, appraisals

KPI_MONTHS = ["2026-07", "2026-08", "2026-09", "2026-10"]


def _month_days(period: str) -> list[date]:
    y, m = map(int, period.split("-"))
    end = (pd.Timestamp(y, m, 1) + pd.offsets.MonthEnd(0)).date()
    return _workdays(date(y, m, 1), end)


def make_complaints(rng, customers: list[Customer]) -> list[list]:
    by_staff: dict[str, list[str]] = {}
    for c in customers:
        by_staff.setdefault(c.owner, []).append(c.customer_id)
    handlers = SPECIALISTS + ["B001", "B002", "B003", UNKNOWN_STAFF]
    rows = []
    for period in KPI_MONTHS:
        days = _month_days(period)
        records = []
        for staff in handlers:
            if staff.startswith("B"):
                n = int(rng.integers(1, 3))
            elif staff == UNKNOWN_STAFF:
                n = 3 if period == "2026-10" else 0
            else:
                n = int(rng.integers(6, 11))
            weak = staff == WEAK_SPECIALIST
            for _ in range(n):
                day = days[int(rng.integers(len(days)))]
                opened = datetime(day.year, day.month, day.day, int(rng.integers(8, 18)),
                                  int(rng.integers(0, 60)))
                minutes = int(rng.integers(1, 6)) if rng.random() < (0.55 if weak else 0.85) \
                    else int(rng.integers(6, 45))
                first = opened + timedelta(minutes=minutes)
                hours = float(rng.lognormal(np.log(30 if weak else 16), 0.7))
                closed = opened + timedelta(hours=round(hours, 1))
                unclosed = rng.random() < (0.12 if weak else 0.03)
                if unclosed or closed > datetime(2026, 10, 31, 18, 0):
                    closed = None
                pool = by_staff.get(staff) or [customers[int(rng.integers(len(customers)))].customer_id]
                customer = pool[int(rng.integers(len(pool)))]
                records.append([staff, customer, opened, first, closed,
                                "已结案" if closed else "处理中"])
        records.sort(key=lambda r: (r[2], r[0]))
        for seq, r in enumerate(records, start=1):
            rows.append([f"TS{period.replace('-', '')[2:]}{seq:03d}"] + r)
    return rows


def make_surveys(rng, customers: list[Customer]) -> pd.DataFrame:
    by_staff: dict[str, list[str]] = {}
    for c in customers:
        by_staff.setdefault(c.owner, []).append(c.customer_id)
    rows = []
    for period in KPI_MONTHS:
        days = _month_days(period)
        for staff in SPECIALISTS + ["B001", "B002", "B003", UNKNOWN_STAFF]:
            n = int(rng.integers(8, 15)) if staff.startswith("S0") else int(rng.integers(2, 5))
            if staff == UNKNOWN_STAFF:
                n = 2 if period == "2026-10" else 0
            p_good = 0.72 if staff == WEAK_SPECIALIST else float(rng.uniform(0.86, 0.98))
            pool = by_staff.get(staff, [c.customer_id for c in customers[:5]])
            for _ in range(n):
                good = rng.random() < p_good
                score = int(rng.choice([4, 5, 5])) if good else int(rng.choice([1, 2, 3, 3]))
                rows.append({"staff_id": staff, "date": days[int(rng.integers(len(days)))].isoformat(),
                             "score": score, "customer_id": pool[int(rng.integers(len(pool)))]})
    df = pd.DataFrame(rows)
    return df.sort_values(["date", "staff_id"], kind="stable").reset_index(drop=True)


def make_sales(rng) -> pd.DataFrame:
    periods = [f"{y}-{m:02d}" for y in (2025, 2026) for m in range(1, 13)][:22]
    season = {1: 0.8, 2: 0.7, 3: 1.0, 4: 1.0, 5: 1.05, 6: 1.1, 7: 0.95, 8: 0.95,
              9: 1.1, 10: 1.05, 11: 1.1, 12: 1.25}
    rows = []
    for staff in SPECIALISTS:
        base = float(rng.uniform(600_000, 1_200_000))
        growth = -0.04 if staff == WEAK_SPECIALIST else float(rng.uniform(0.06, 0.30))
        margin = 0.13 if staff == WEAK_SPECIALIST else float(rng.uniform(0.15, 0.24))
        last_year: dict[int, float] = {}
        for period in periods:
            y, m = map(int, period.split("-"))
            noise = float(rng.normal(1, 0.06))
            revenue = base * season[m] * noise * ((1 + growth) if y == 2026 else 1)
            revenue = round(revenue, 2)
            if y == 2025:
                last_year[m] = revenue
                target = round(base * season[m], -4)
            else:  # seed 000: 业绩同比增长15%
                target = round(last_year[m] * 1.15, -4)
            gp = round(revenue * margin * float(rng.normal(1, 0.05)), 2)
            rows.append({"staff_id": staff, "period": period, "revenue": _money(revenue),
                         "gross_profit": _money(gp), "target": _money(target)})
    return pd.DataFrame(rows)


def make_measures(rng) -> pd.DataFrame:
    rows = []
    for period in KPI_MONTHS[1:]:
        reports = int(rng.integers(180, 230))
        wrong = int(rng.integers(0, 4))
        rows.append({"staff_id": "A001", "period": period, "measure": "report_accuracy",
                     "value": f"{(reports - wrong) / reports:.4f}",
                     "numerator": reports - wrong, "denominator": reports})
        planned = int(rng.integers(18, 25))
        done = planned - int(rng.integers(0, 4))
        rows.append({"staff_id": "A001", "period": period, "measure": "plan_completion",
                     "value": f"{done / planned:.4f}", "numerator": done, "denominator": planned})
    return pd.DataFrame(rows)


def make_appraisals(rng) -> pd.DataFrame:
    rows = []
    for period in KPI_MONTHS[1:]:
        for staff, *_ in ORG_ROWS:
            if staff == "S008" and period == "2026-10":
                continue  # one appraisal not yet handed in: coverage below 100%
            if staff == WEAK_SPECIALIST:
                self_score, manager = int(rng.integers(78, 85)), int(rng.integers(55, 63))
            else:
                self_score, manager = int(rng.integers(82, 97)), int(rng.integers(68, 96))
            rows.append({"staff_id": staff, "period": period, "self_score": self_score,
                         "manager_score": manager})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------
# visit-plan inputs

def make_staff(rng) -> pd.DataFrame:
    rows = []
    for staff, name, role, _, _ in ORG_ROWS:
        if role not in ("specialist", "branch_manager"):
            continue
        off = ""
        if staff in ("S002", "S005", "S009"):
            d = date(2026, 11, int(rng.integers(9, 20)))
            off = ";".join(_add_days(d, k).isoformat() for k in range(2))
        rows.append({"staff_id": staff, "name": name,
                     "max_visits_per_day": 2 if role == "branch_manager" else int(rng.integers(2, 5)),
                     "max_calls_per_day": 10 if role == "branch_manager" else int(rng.integers(12, 26)),
                     "days_off": off})
    return pd.DataFrame(rows)


def make_transactions(rng, customers: list[Customer]) -> pd.DataFrame:
    days = [date(2026, 9, 1) + timedelta(days=k) for k in range(76)]  # Sep 1 – Nov 15
    rows = []
    for c in customers:
        n = int(rng.integers(3, 14))
        for _ in range(n):
            dept = c.department if rng.random() < 0.8 else DEPARTMENTS[int(rng.integers(len(DEPARTMENTS)))]
            amount = round(float(rng.lognormal(np.log(20_000), 0.9)), 2)
            rows.append({"customer_id": c.customer_id, "department": dept,
                         "date": days[int(rng.integers(len(days)))].isoformat(),
                         "amount": _money(amount)})
    df = pd.DataFrame(rows)
    return df.sort_values(["date", "customer_id"], kind="stable").reset_index(drop=True)


def make_shipments(rng, customers: list[Customer]) -> pd.DataFrame:
    days = [date(2026, 10, 19) + timedelta(days=k) for k in range(13)]
    rows = []
    for _ in range(32):
        c = customers[int(rng.integers(len(customers)))]
        d = days[int(rng.integers(len(days)))]
        # recent shipments are less often signed for yet
        signed = rng.random() < (0.75 if d < date(2026, 10, 26) else 0.3)
        rows.append({"customer_id": c.customer_id, "ship_date": d.isoformat(),
                     "signed": "yes" if signed else "no"})
    df = pd.DataFrame(rows).sort_values(["ship_date", "customer_id"], kind="stable")
    df.insert(0, "shipment_id", [f"SH2610{i:03d}" for i in range(1, len(df) + 1)])
    return df.reset_index(drop=True)


def holidays_2027() -> pd.DataFrame:
    """An example 2027 schedule, drawn up the way the State Council usually does.

    The official notice for 2027 is published around November 2026; a user
    must check these dates against it before relying on them.
    """
    def span(start: str, n: int) -> list[date]:
        d = date.fromisoformat(start)
        return [d + timedelta(days=k) for k in range(n)]

    holidays = [  # (name, first day off, days off, make-up working days)
        ("元旦", "2027-01-01", 3, []),
        ("春节", "2027-02-05", 9, ["2027-02-20"]),  # 除夕 2027-02-05
        ("清明节", "2027-04-03", 3, []),
        ("劳动节", "2027-05-01", 5, ["2027-04-25"]),
        ("端午节", "2027-06-09", 1, []),
        ("中秋节", "2027-09-15", 1, []),
        ("国庆节", "2027-10-01", 7, ["2027-09-26", "2027-10-09"]),
    ]
    rows = []
    for name, start, n, workdays in holidays:
        rows += [{"date": d.isoformat(), "kind": "holiday", "name": name} for d in span(start, n)]
        rows += [{"date": w, "kind": "workday", "name": f"{name}调休上班"} for w in workdays]
    return pd.DataFrame(rows).sort_values("date", kind="stable").reset_index(drop=True)


def make_previous(rng, customers: list[Customer]) -> pd.DataFrame:
    """Last quarter's score-credit output: mostly the same grades."""
    rows = []
    new_id = customers[1].customer_id  # too new to have been in last quarter's file
    changed = set(int(k) for k in rng.choice(np.arange(13, len(customers)), size=8, replace=False))
    for i, c in enumerate(customers):
        if c.customer_id == new_id:
            continue
        level, limit, status = c.extra["level"], c.extra["limit"], c.extra["status"]
        if i in changed and status == "rated":
            level = min(5, max(1, level + int(rng.choice([-1, 1]))))
            limit = LIMITS[level]
        if i == 10:  # the over-limit customer was downgraded this quarter
            level, limit = 3, LIMITS[3]
        grade = grade_of(c, level)
        rows.append({"customer_id": c.customer_id, "customer_name": c.customer_name,
                     "final_level": level, "grade": grade, "grade_label": GRADE_LABELS[grade],
                     "credit_limit": _money(limit), "status": status})
    rows.append({"customer_id": "C1099", "customer_name": "天津泰和包装材料有限公司",
                 "final_level": 3, "grade": 2, "grade_label": "二级",
                 "credit_limit": _money(300_000), "status": "rated"})  # no longer a customer
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------

def write_samples(out: Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write the whole sample set into `out`; returns the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    customers = make_customers(rng)
    written: list[Path] = []

    headers, rows = customers_xlsx_rows(customers)
    written.append(_xlsx(out / "customers.xlsx", {"客户资料": (headers, rows)}))
    written.append(_csv(customers_frame(customers), out / "customers.csv"))

    ledger, pays = make_ledger(rng, customers)
    written.append(_csv(invoices_text(ledger, chinese=False), out / "invoices.csv"))
    written.append(_csv(invoices_text(ledger, chinese=True), out / "invoices_gbk.csv", "gb18030"))
    written.append(_csv(payments_text(pays), out / "payments_gbk.csv", "gb18030"))

    org = pd.DataFrame(ORG_ROWS, columns=["staff_id", "name", "role", "manager_id", "branch"])
    written.append(_csv(org, out / "org.csv"))
    complaint_headers = ["投诉编号", "工号", "客户编号", "投诉时间", "首次响应时间", "结案时间", "状态"]
    written.append(_xlsx(out / "complaints.xlsx",
                         {"投诉登记": (complaint_headers, make_complaints(rng, customers))}))
    written.append(_csv(make_surveys(rng, customers), out / "surveys.csv"))
    written.append(_csv(make_sales(rng), out / "sales.csv"))
    written.append(_csv(make_measures(rng), out / "measures.csv"))
    written.append(_csv(make_appraisals(rng), out / "appraisals.csv"))
    written.append(_csv(make_staff(rng), out / "staff.csv"))
    written.append(_csv(make_transactions(rng, customers), out / "transactions.csv"))
    written.append(_csv(make_shipments(rng, customers), out / "shipments.csv"))
    written.append(_csv(holidays_2027(), out / "holidays_2027.csv"))
    written.append(_csv(make_previous(rng, customers), out / "credit_previous.csv"))
    written += project_samples(out)
    # its own random stream, so that the files above stay as they were
    written.append(_csv(make_register(np.random.default_rng(seed + 18), ledger, pays,
                                      customers), out / "register.csv"))
    (out / "company.toml").write_text(COMPANY_POLICY, encoding="utf-8")
    written.append(out / "company.toml")
    return written


# the sending company of the statements and letters (a policy file: [company])
COMPANY_POLICY = """# The fictional company of the samples, for render-report statement and dunning:
# cskit render-report statement ... --policy samples/company.toml
[company]
name = "上海瑞丰机电销售有限公司"
address = "上海市浦东新区张江路 88 号 5 楼"
phone = "021-5888 1234"
tax_id = "91310115MA1K4Q8X2R"
bank_name = "招商银行上海张江支行"
bank_account = "1219 0876 5410 001"
"""


# ---------------------------------------------------------------------------
# the confirmation register of the third quarter, filled in (render-report statement)

REGISTER_FROM, REGISTER_TO = date(2026, 7, 1), date(2026, 9, 30)
REGISTER_SENT = date(2026, 10, 8)
REGISTER_RETURN_DAYS = 15  # the aging policy's statement.return_days


def make_register(rng, ledger: pd.DataFrame, pays: pd.DataFrame,
                  customers: list[Customer]) -> pd.DataFrame:
    """register.csv as `render-report statement --from 2026-07-01 --to
    2026-09-30 --as-of 2026-10-08` writes it for the samples, filled in as the
    slips came back: most agreed on time, some disputed, five late, one
    refused (a customer the master still shows as 正常), four never answered;
    the customers the master marks 被迫对账 or 拒绝对账 confirmed only when
    chased (被迫)."""
    from cskit.reports import statement

    invoices = ledger.assign(invoice_date=pd.to_datetime(ledger["invoice_date"]),
                             due_date=pd.to_datetime(ledger["due_date"]),
                             amount=ledger["amount"].astype("float64"),
                             paid_amount=pd.to_numeric(ledger["paid_amount"]))
    payments = pays.assign(payment_date=pd.to_datetime(pays["payment_date"]),
                           amount=pays["amount"].astype("float64"))
    moved = statement.movements(invoices, payments, end=pd.Timestamp(REGISTER_TO),
                                default_terms_days=30)
    closing = moved.groupby("customer_id")["cents"].sum()
    quarter = moved.loc[moved["date"] >= pd.Timestamp(REGISTER_FROM), "customer_id"]
    ids = sorted(set(quarter) | set(closing.index[closing != 0]))
    master = {c.customer_id: c for c in customers}
    names = [master[i].customer_name for i in ids]
    owners = [master[i].owner for i in ids]
    due_back = _add_days(REGISTER_SENT, REGISTER_RETURN_DAYS)
    order = list(rng.permutation(len(ids)))
    clean = [k for k in order if master[ids[k]].reconciliation == 0]
    refused = clean[0]
    late, unreturned, disputed = order[1:6], order[6:10], order[10:12]
    returned, result, difference = [], [], []
    for k in range(len(ids)):
        if k in unreturned and k != refused:
            returned.append(None), result.append(""), difference.append(None)
            continue
        if k == refused:
            when = _add_days(REGISTER_SENT, int(rng.integers(10, 20)))
            returned.append(when), result.append("拒绝"), difference.append(None)
            continue
        days = int(rng.integers(18, 30)) if k in late else int(rng.integers(3, 15))
        returned.append(_add_days(REGISTER_SENT, days))
        if master[ids[k]].reconciliation < 0:
            # the master's 被迫对账/拒绝对账 customers: confirmed again only when chased
            result.append("被迫"), difference.append(None)
        elif k in disputed:
            result.append("不符")
            difference.append(round(float(rng.integers(100, 5000)) + 0.5, 2))
        else:
            result.append("相符"), difference.append(None)
    return pd.DataFrame({
        "customer_id": ids, "customer_name": names, "owner": owners,
        "period_end": REGISTER_TO.isoformat(),
        "closing_balance": [_fmt_money(closing[i] / 100) for i in ids],
        "file": statement.file_names(ids, names, "docx"),
        "sent_date": REGISTER_SENT.isoformat(), "due_back_date": due_back.isoformat(),
        "returned_date": [_fmt_date(d) for d in returned], "result": result,
        "difference": [_fmt_money(x) for x in difference],
    }, dtype=object)


# ---------------------------------------------------------------------------
# aging-report: a staged (installment) customer and a foreign-currency one

def project_samples(out: Path) -> list[Path]:
    """C1061 buys equipment paid in stages (30% 预付款, 60% 发货款, 10% 质保金
    a year after shipment); C1062 is an export customer invoiced in USD, one
    invoice with its booked local amount, the others at the table's rates."""
    invoices = pd.DataFrame([
        ["C1061", "华信重工机械有限公司", "PJ26001", "2026-02-10", "2026-03-20", "480000.00", "",
         "", "S001", "华东"],
        ["C1061", "华信重工机械有限公司", "PJ26002", "2026-09-15", "2026-09-18", "120000.00", "",
         "", "S001", "华东"],
        ["C1062", "太平洋贸易（香港）有限公司", "EX26001", "2026-07-08", "2026-07-10", "25000.00",
         "", "USD", "S004", "华南"],
        ["C1062", "太平洋贸易（香港）有限公司", "EX26002", "2026-09-12", "2026-09-15", "18000.00",
         "127800.00", "USD", "S004", "华南"],
        ["C1062", "太平洋贸易（香港）有限公司", "EX26003", "2026-10-20", "2026-10-22", "12000.00",
         "", "USD", "S004", "华南"],
    ], columns=["customer_id", "customer_name", "invoice_no", "invoice_date", "ship_date",
                "amount", "amount_local", "currency", "salesperson", "branch"])
    payments = pd.DataFrame([
        ["C1061", "2026-02-12", "144000.00", "", "PJ26001", "R26101"],
        ["C1061", "2026-05-15", "200000.00", "", "PJ26001", "R26102"],
        ["C1062", "2026-08-20", "25000.00", "USD", "EX26001", "R26201"],
        ["C1062", "2026-10-15", "10000.00", "USD", "", "R26202"],
    ], columns=["customer_id", "payment_date", "amount", "currency", "invoice_no", "payment_id"])
    schedule = pd.DataFrame([
        ["PJ26001", "2026-02-10", "30", "预付款"],
        ["PJ26001", "2026-04-20", "60", "发货款"],
        ["PJ26001", "2027-03-20", "10", "质保金"],
    ], columns=["invoice_no", "due_date", "percent", "stage"])
    rates = pd.DataFrame([
        ["USD", "2026-07-01", "7.13"], ["USD", "2026-08-01", "7.12"],
        ["USD", "2026-09-01", "7.10"], ["USD", "2026-10-01", "7.11"],
        ["USD", "2026-10-31", "7.15"],
    ], columns=["currency", "date", "rate"])
    return [_csv(invoices, out / "projects_invoices.csv"),
            _csv(payments, out / "projects_payments.csv"),
            _csv(schedule, out / "schedule.csv"),
            _csv(rates, out / "fx_rates.csv")]


# ---------------------------------------------------------------------------
# large files for benchmarks (vectorised: 1,000,000 rows take seconds)

BENCH_START = np.datetime64("2026-01-01")
BENCH_DAYS = int((np.datetime64(AS_OF.isoformat()) - BENCH_START).astype(int)) + 1


def _ids(prefix: str, numbers: np.ndarray, width: int):
    import pyarrow as pa
    import pyarrow.compute as pc

    digits = pc.utf8_lpad(pa.array(numbers, pa.int64()).cast(pa.string()), width=width, padding="0")
    return pc.binary_join_element_wise(pa.scalar(prefix), digits, "")


def _write_arrow_csv(columns: dict, path: Path, encoding: str = "utf-8") -> Path:
    import io

    import pyarrow as pa
    import pyarrow.csv as pacsv

    table = pa.table(columns)
    # no field of these files holds a delimiter or quote; pyarrow refuses one that does
    options = pacsv.WriteOptions(quoting_style="none", include_header=False)
    buffer = io.BytesIO()
    buffer.write((",".join(table.column_names) + "\n").encode("utf-8"))
    pacsv.write_csv(table, buffer, write_options=options)
    data = buffer.getvalue()
    path.write_bytes(data if encoding == "utf-8" else data.decode("utf-8").encode(encoding))
    return path


def _bench_dates(rng, n: int, start=BENCH_START, days: int = BENCH_DAYS) -> np.ndarray:
    return start + rng.integers(0, days, n).astype("timedelta64[D]")


def bench_org(n_staff: int = 2000) -> dict:
    """A 2,000-person org: director, deputy, assistant, 20 branch managers, specialists."""
    import pyarrow as pa

    n_branches = 20
    n_spec = n_staff - 3 - n_branches
    branch_names = [f"{BRANCHES[k % 3]}{k // 3 + 1}部" for k in range(n_branches)]
    spec_branch = np.arange(n_spec) % n_branches
    staff_id = (["D001", "D002", "A001"] + [f"B{k + 1:03d}" for k in range(n_branches)]
                + _ids("S", np.arange(1, n_spec + 1), 5).to_pylist())
    name = (["总监", "副总监", "助理"] + [f"经理{k + 1:03d}" for k in range(n_branches)]
            + _ids("专员", np.arange(1, n_spec + 1), 5).to_pylist())
    role = (["director", "deputy_director", "assistant"] + ["branch_manager"] * n_branches
            + ["specialist"] * n_spec)
    manager = (["", "D001", "D001"] + ["D002"] * n_branches
               + [f"B{k + 1:03d}" for k in spec_branch])
    branch = (["总部"] * 3 + branch_names + [branch_names[k] for k in spec_branch])
    return {"staff_id": pa.array(staff_id), "name": pa.array(name), "role": pa.array(role),
            "manager_id": pa.array(manager), "branch": pa.array(branch)}


def _customer_names(rng, n: int):
    import pyarrow as pa
    import pyarrow.compute as pc

    cities = np.array([c for b in BRANCHES for c, _ in REGIONS[b]])
    brands, industries = np.array(BRAND_WORDS), np.array(INDUSTRIES)
    return pc.binary_join_element_wise(
        pa.array(cities[rng.integers(0, len(cities), n)]),
        pa.array(brands[rng.integers(0, len(brands), n)]),
        pa.array(industries[rng.integers(0, len(industries), n)]),
        pa.scalar("有限公司"), "")


def write_bench(out: Path, rows: int, seed: int = DEFAULT_SEED, fmt: str = "csv") -> list[Path]:
    """Large deterministic files for benchmarks; `fmt` chooses the invoices' format."""
    import pyarrow as pa

    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    written: list[Path] = []
    n = rows
    n_cust = max(1, n // 20)

    org = bench_org()
    written.append(_write_arrow_csv(org, out / "org_2000.csv"))
    specialists = np.array([s for s, r in zip(org["staff_id"].to_pylist(), org["role"].to_pylist())
                            if r == "specialist"])
    spec_branch = np.array(org["branch"].to_pylist()[-len(specialists):])

    # customers of the ledger, each with one salesperson
    cust_ids = _ids("C", np.arange(1, n_cust + 1), 7)
    cust_names = _customer_names(rng, n_cust)
    cust_sales = rng.integers(0, len(specialists), n_cust)

    # invoices
    who = rng.integers(0, n_cust, n)
    inv_date = np.sort(_bench_dates(rng, n))
    terms = rng.choice(np.array([30, 60, 90]), n)
    amount = np.round(rng.lognormal(np.log(20_000), 0.8, n), 2)
    credit_note = rng.random(n) < 0.01
    amount = np.where(credit_note, -np.round(amount * 0.2, 2), amount)
    explicit_due = rng.random(n) < 0.1
    due = np.where(explicit_due, inv_date + terms.astype("timedelta64[D]"), np.datetime64("NaT"))
    paid_part = rng.random(n) < 0.05
    paid = np.where(paid_part & ~credit_note, np.round(amount * 0.5, 2), np.nan)
    ship = inv_date - rng.integers(0, 4, n).astype("timedelta64[D]")
    invoices = {
        "customer_id": cust_ids.take(pa.array(who)),
        "customer_name": cust_names.take(pa.array(who)),
        "invoice_no": _ids("INV", np.arange(1, n + 1), 8),
        "invoice_date": pa.array(inv_date.astype("datetime64[D]")),
        "due_date": pa.array(due.astype("datetime64[D]"), mask=~explicit_due),
        "terms_days": pa.array(terms),
        "amount": pa.array(amount),
        "paid_amount": pa.array(paid, mask=np.isnan(paid)),
        "ship_date": pa.array(ship.astype("datetime64[D]")),
        "salesperson": pa.array(specialists[cust_sales[who]]),
        "branch": pa.array(spec_branch[cust_sales[who]]),
    }
    if fmt == "gb18030":
        zh = dict(zip(invoices, ["客户编号", "客户名称", "发票号", "开票日期", "到期日", "账期", "金额",
                                 "已收金额", "发货日期", "业务员", "分部"]))
        written.append(_write_arrow_csv({zh[k]: v for k, v in invoices.items()},
                                        out / f"invoices_{n}_gbk.csv", "gb18030"))
    elif fmt == "xlsx":
        written.append(_bench_xlsx(invoices, out / f"invoices_{n}.xlsx"))
    else:
        written.append(_write_arrow_csv(invoices, out / f"invoices_{n}.csv"))

    # unallocated payments
    n_pay = max(1, n // 2)
    payer = rng.integers(0, n_cust, n_pay)
    pay_amount = np.round(rng.lognormal(np.log(30_000), 0.8, n_pay), 2)
    payments = {
        "customer_id": cust_ids.take(pa.array(payer)),
        "payment_date": pa.array(np.sort(_bench_dates(rng, n_pay)).astype("datetime64[D]")),
        "amount": pa.array(pay_amount),
        "invoice_no": pa.nulls(n_pay, pa.string()),
        "payment_id": _ids("HK", np.arange(1, n_pay + 1), 8),
    }
    written.append(_write_arrow_csv(payments, out / f"payments_{n}.csv"))

    written.append(_write_arrow_csv(_bench_customers(rng, n), out / f"customers_{n}.csv"))

    # surveys and complaints over the 2,000-person org (a few unknown staff ids)
    staff_pool = np.concatenate([specialists, np.array(["B001", "B002", "S99999"])])
    weights = np.full(len(staff_pool), 1.0)
    weights[-1] = len(specialists) * 0.002
    weights /= weights.sum()
    kpi_start = np.datetime64("2026-07-01")
    kpi_days = int((np.datetime64(AS_OF.isoformat()) - kpi_start).astype(int)) + 1
    survey_staff = staff_pool[rng.choice(len(staff_pool), n, p=weights)]
    score = rng.choice(np.array([1, 2, 3, 4, 5]), n, p=[0.02, 0.03, 0.07, 0.33, 0.55])
    surveys = {
        "staff_id": pa.array(survey_staff),
        "date": pa.array(np.sort(_bench_dates(rng, n, kpi_start, kpi_days)).astype("datetime64[D]")),
        "score": pa.array(score),
        "customer_id": cust_ids.take(pa.array(rng.integers(0, n_cust, n))),
    }
    written.append(_write_arrow_csv(surveys, out / f"surveys_{n}.csv"))

    opened = (np.sort(kpi_start.astype("datetime64[s]")
                      + rng.integers(0, kpi_days * 86400 - 3 * 86400, n).astype("timedelta64[s]")))
    opened = opened - (opened.astype("int64") % 60).astype("timedelta64[s]")
    first = opened + (rng.integers(1, 40, n) * 60).astype("timedelta64[s]")
    closed_ok = rng.random(n) < 0.96
    closed = opened + (np.round(rng.lognormal(np.log(16), 0.8, n) * 60) * 60).astype("timedelta64[s]")
    complaints = {
        "complaint_id": _ids("TS", np.arange(1, n + 1), 8),
        "staff_id": pa.array(staff_pool[rng.choice(len(staff_pool), n, p=weights)]),
        "customer_id": cust_ids.take(pa.array(rng.integers(0, n_cust, n))),
        "opened_at": pa.array(opened),
        "first_response_at": pa.array(first),
        "closed_at": pa.array(closed, mask=~closed_ok),
        "status": pa.array(np.where(closed_ok, "closed", "open")),
    }
    written.append(_write_arrow_csv(complaints, out / f"complaints_{n}.csv"))

    written.append(_write_arrow_csv(_bench_visit_customers(rng, n, specialists),
                                    out / f"visit_customers_{n}.csv"))
    return written


def _bench_customers(rng, n: int) -> dict:
    import pyarrow as pa

    cols = {"customer_id": _ids("C", np.arange(1, n + 1), 7), "customer_name": _customer_names(rng, n),
            "business_type": pa.array(rng.choice(np.array(["A", "B", "mixed"]), n)),
            "first_trade_date": pa.array(
                _bench_dates(rng, n, np.datetime64("2010-01-01"), 6100).astype("datetime64[D]"))}
    for name in list(LEGAL_POINTS) + list(OTHER_POINTS):
        cols[name] = pa.array(rng.random(n) < 0.8)
    sales = np.round(rng.lognormal(np.log(2_000_000), 1.0, n), 2)
    cols["annual_sales"] = pa.array(sales)
    cols["annual_profit"] = pa.array(np.round(sales * rng.uniform(-0.05, 0.25, n), 2))
    cols["annual_payments"] = pa.array(np.round(sales * rng.uniform(0.6, 1.05, n), 2))
    cols["cooperation"] = pa.array(rng.integers(0, 3, n))
    cols["sales_status"] = pa.array(rng.choice(np.array([0, 1, 2, 5]), n))
    cols["operating_status"] = pa.array(rng.integers(0, 3, n))
    cols["years_established"] = pa.array(rng.integers(0, 30, n))
    cols["wage_level"] = pa.array(rng.integers(0, 4, n))
    cols["late_after_promise"] = pa.array(rng.random(n) < 0.1)
    cols["breach_of_settlement"] = pa.array(rng.random(n) < 0.08)
    cols["reconciliation"] = pa.array(rng.choice(np.array([0, 0, 0, 0, -1, -3]), n))
    cols["salesperson_advance"] = pa.array(rng.random(n) < 0.05)
    return cols


def _bench_visit_customers(rng, n: int, specialists: np.ndarray) -> dict:
    import pyarrow as pa
    import pyarrow.compute as pc

    month = rng.integers(1, 13, n)
    day = rng.integers(1, 29, n)
    birthday = pc.binary_join_element_wise(
        pc.utf8_lpad(pa.array(month).cast(pa.string()), width=2, padding="0"),
        pc.utf8_lpad(pa.array(day).cast(pa.string()), width=2, padding="0"), "-")
    lunar = pc.binary_join_element_wise(
        pa.array(np.array(LUNAR_MONTHS)[rng.integers(0, 12, n)]),
        pa.array(np.array(LUNAR_DAYS)[rng.integers(0, 30, n)]), "")
    has_solar = rng.random(n) < 0.4
    has_lunar = rng.random(n) < 0.2
    tiers = rng.choice(np.array(["key", "1", "2", "3", "4"]), n, p=[0.02, 0.13, 0.25, 0.3, 0.3])
    phones = _ids("138", rng.integers(0, 100_000_000, n), 8)
    regions = np.array([p for b in BRANCHES for _, p in REGIONS[b]])
    last_visit = _bench_dates(rng, n, np.datetime64("2026-03-01"), 244)
    return {
        "customer_id": _ids("C", np.arange(1, n + 1), 7), "customer_name": _customer_names(rng, n),
        "owner": pa.array(specialists[rng.integers(0, len(specialists), n)]),
        "tier": pa.array(tiers), "phone": phones,
        "birthday": pc.if_else(pa.array(has_solar), birthday, pa.nulls(n, pa.string())),
        "lunar_birthday": pc.if_else(pa.array(has_lunar), lunar, pa.nulls(n, pa.string())),
        "last_visit_date": pa.array(last_visit.astype("datetime64[D]")),
        "region": pa.array(regions[rng.integers(0, len(regions), n)]),
    }


def _bench_xlsx(columns: dict, path: Path) -> Path:
    """Invoices as XLSX, streamed row by row (xlsxwriter constant_memory)."""
    import xlsxwriter

    zh = ["客户编号", "客户名称", "发票号", "开票日期", "到期日", "账期", "金额", "已收金额",
          "发货日期", "业务员", "分部"]
    names = list(columns)
    values = [columns[k].to_pylist() for k in names]
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    wb.set_properties({"created": XLSX_CREATED})
    ws = wb.add_worksheet("发票")
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    money_fmt = wb.add_format({"num_format": "#,##0.00"})
    ws.write_row(0, 0, zh)
    date_cols = {i for i, k in enumerate(names) if k.endswith("date")}
    money_cols = {i for i, k in enumerate(names) if k in ("amount", "paid_amount")}
    for r, row in enumerate(zip(*values), start=1):
        for c, v in enumerate(row):
            if v is None:
                continue
            if c in date_cols:
                ws.write_datetime(r, c, datetime(v.year, v.month, v.day), date_fmt)
            elif c in money_cols:
                ws.write_number(r, c, v, money_fmt)
            else:
                ws.write(r, c, v)
    wb.close()
    return path


# ---------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m cskit.samples",
        description="Write cskit's deterministic sample files (as-of 2026-10-31), "
                    "or large files for benchmarks with --rows.")
    parser.add_argument("--out", type=Path, default=None,
                        help="folder to write into (default samples/, or bench/data with --rows)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help=f"random seed; the same seed gives the same files (default {DEFAULT_SEED})")
    parser.add_argument("--rows", type=int, default=None,
                        help="write benchmark files with this many invoices/customers/surveys")
    parser.add_argument("--format", choices=("csv", "gb18030", "xlsx"), default="csv",
                        help="with --rows: the benchmark invoices as UTF-8 CSV, GB18030 CSV "
                             "with Chinese headers, or XLSX")
    args = parser.parse_args(argv)
    if args.rows is not None:
        if args.rows < 20:
            parser.error("--rows must be at least 20")
        paths = write_bench(args.out or Path("bench/data"), args.rows, args.seed, args.format)
    else:
        if args.format != "csv":
            parser.error("--format applies to --rows only")
        paths = write_samples(args.out or Path("samples"), args.seed)
    for p in paths:
        print(p, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

