"""Input tables: canonical column names, their aliases, types and rules.

The one place where column names and their Chinese aliases live (SPEC §2–§5).
Headers are matched case-, space- and underscore-insensitively, so `Customer
ID`, `customer_id` and `CUSTOMERID` are the same column.

Column types, as the I/O layer hands them to the domain modules:
  str       text (pandas string, NaN when blank); Excel 1001.0 → "1001"
  date      datetime64[ns] at midnight (NaT when blank)
  datetime  datetime64[ns] with the time of day
  money     float64 rounded to the cent (NaN when blank); `万`, `¥`, `,`, `(…)`
  int       Int64 (nullable); a whole number
  number    float64; `95%` → 0.95
  bool      pandas "boolean" (nullable)
  category  the canonical value of `choices` (case-insensitive labels);
            with `numbers=True` a number among the choices' values is taken too
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Col:
    name: str
    type: str = "str"
    aliases: tuple[str, ...] = ()
    required: bool = False
    unique: bool = False
    choices: dict | None = None  # label (any case) → canonical value
    numbers: bool = False  # category: accept the choices' numeric values as such
    min: float | None = None  # smallest allowed value for money/int/number
    max: float | None = None
    help: str = ""


@dataclass(frozen=True)
class Schema:
    kind: str  # short name used in messages, e.g. "invoices"
    columns: tuple[Col, ...]
    # at least one of these columns must be present (beyond `required` ones)
    one_of: tuple[tuple[str, ...], ...] = ()
    # checks across the columns of a row: (column, rule, other column); the
    # rules are in cskit.io.values.row_rules ("within": same sign as the
    # other column and not larger in size)
    rules: tuple[tuple[str, str, str], ...] = ()

    # the columns that identify a data row: a row with none of them filled in
    # and a totals word (合计, 小计 …) is a totals row, set aside; default: the
    # unique columns, else the required ones that are not money
    keys: tuple[str, ...] = ()
    # rows repeating a unique key are line items of one document when they agree
    # on these columns: their money columns are summed (issue: 数电票 details)
    lines: tuple[str, ...] = ()

    @property
    def key_columns(self) -> tuple[str, ...]:
        if self.keys:
            return self.keys
        unique = tuple(c.name for c in self.columns if c.unique)
        if unique:
            return unique
        return tuple(c.name for c in self.columns if c.required and c.type != "money")

    def col(self, name: str) -> Col:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def _c(name, type="str", *aliases, **kw) -> Col:
    return Col(name, type, tuple(aliases), **kw)


CUSTOMER_ID = ("客户编号", "客户代码", "customer_code", "客户ID", "customer",
               "客户编码",  # Kingdee 金蝶, Yonyou 用友: customer master and AR lists
               "往来单位编码",  # Yonyou 用友 U8 往来对账, Kingdee 往来单位
               "对账对象编码",  # Kingdee 金蝶 云星空 对账单
               "客户账号",  # SAP FBL5N (Chinese labels): 客户 account number
               "购方识别号",  # 数电票 全量发票查询: buyer's tax id, used when no code exists
               "购买方纳税人识别号",  # 数电票 detail sheet
               )
CUSTOMER_NAME = ("客户名称", "客户", "name_of_customer",
                 "往来单位",  # Yonyou 用友 U8, 管家婆
                 "往来单位名称",  # Kingdee 金蝶
                 "对账对象名称",  # Kingdee 金蝶 云星空 对账单
                 "购买方名称",  # 数电票 全量发票查询
                 "购方名称",  # 数电票 (older exports)
                 )
BUSINESS = {"a": "A", "a业务": "A", "b": "B", "b业务": "B", "mixed": "mixed",
            "混合": "mixed", "混合业务": "mixed", "ab": "mixed", "a+b": "mixed"}

# --- score-credit (SPEC §2) -------------------------------------------------
CREDIT_CUSTOMERS = Schema("customers", (
    _c("customer_id", "str", *CUSTOMER_ID, required=True, unique=True),
    _c("customer_name", "str", *CUSTOMER_NAME),
    _c("business_type", "category", "业务类型", choices=BUSINESS),
    _c("primary_business", "category", "主营业务",
       choices={"a": "A", "a业务": "A", "b": "B", "b业务": "B"}),
    _c("first_trade_date", "date", "首次交易日期", "开始合作日期"),
    _c("months_active", "int", "合作月数", min=0),
    _c("business_license", "bool", "营业执照"),
    _c("tax_registration", "bool", "税务登记证"),
    _c("special_permit", "bool", "特殊行业许可证"),
    _c("general_taxpayer", "bool", "一般纳税人资格证", "一般纳税人"),
    _c("trademark_license", "bool", "商标许可证"),
    _c("contract_orders", "bool", "合同订单"),
    _c("processing_certificate", "bool", "委托加工证明"),
    _c("iso9000", "bool", "ISO9000认证", "ISO9000"),
    _c("iso14000", "bool", "ISO14000认证", "ISO14000"),
    _c("bank_credit_rating", "bool", "银行信用级别"),
    _c("tax_credit_rating", "bool", "纳税信用级别"),
    _c("annual_sales", "money", "交易金额", "年交易额"),
    _c("annual_profit", "money", "赢利贡献", "年赢利额", "盈利贡献", "年盈利额"),
    _c("annual_payments", "money", "回款总额", "年回款额", min=0),
    _c("cooperation", "category", "合作态度", numbers=True,
       choices={"不配合": 0, "配合": 1, "非常配合": 2}),
    _c("sales_status", "category", "产品销售状况", numbers=True,
       choices={"较差": 0, "普通": 1, "良好": 2, "非常好": 5}),
    _c("operating_status", "category", "经营状态", numbers=True,
       choices={"半停产": 0, "一般": 1, "满负荷": 2}),
    _c("years_established", "number", "设立年限", min=0),
    _c("wage_level", "category", "员工工资水平", numbers=True,
       choices={"比较低": 0, "普通": 1, "比较高": 2, "非常高": 3}),
    _c("late_after_promise", "bool", "承诺后未按期付款"),
    _c("breach_of_settlement", "bool", "未按合同约定结算"),
    _c("reconciliation", "category", "对账情况", numbers=True,
       choices={"正常": 0, "被迫对账": -1, "拒绝对账": -3}),
    _c("salesperson_advance", "bool", "业务员垫支", "业务员代垫"),
    # passed through to the output, where visit-plan reads them as its customer list
    _c("owner", "str", "负责人", "客服专员"),
    _c("salesperson", "str", "业务员", "销售员"),
    _c("branch", "str", "分部"),
    _c("region", "str", "区域", "地区"),
    _c("department", "str", "部门"),
    _c("phone", "str", "电话", "联系电话", "手机"),
    _c("birthday", "str", "生日", "公历生日"),
    _c("lunar_birthday", "str", "农历生日"),
    _c("last_visit_date", "date", "上次拜访日期", "最近拜访日期", "上次回访日期"),
), one_of=(("business_license", "tax_registration", "special_permit", "general_taxpayer",
            "trademark_license", "contract_orders", "processing_certificate", "iso9000",
            "iso14000", "bank_credit_rating", "tax_credit_rating", "annual_sales",
            "annual_profit", "annual_payments", "cooperation", "sales_status",
            "operating_status", "years_established", "wage_level", "late_after_promise",
            "breach_of_settlement", "reconciliation", "salesperson_advance"),))

# score-credit --previous: last quarter's output (read back, English or Chinese)
CREDIT_PREVIOUS = Schema("previous grades", (
    _c("customer_id", "str", *CUSTOMER_ID, required=True, unique=True),
    _c("customer_name", "str", *CUSTOMER_NAME),
    _c("final_level", "int", "最终级别"),
    _c("grade", "int", "等级"),  # blank for customers that were not rated
    _c("grade_label", "str", "等级名称"),
    _c("credit_limit", "money", "赊欠限额", "信用额度", "授信额度", required=True),
    _c("status", "str", "状态"),
), one_of=(("grade",),))

# score-credit --exposure: aging-report summary or any customer_id + outstanding
# (one row per customer), or aging-report --detail (one row per open invoice,
# with days_overdue); the command checks one row per customer for the former
EXPOSURE = Schema("exposure", (
    _c("customer_id", "str", *CUSTOMER_ID, required=True),
    _c("outstanding", "money", "应收余额", "未收金额", "应收账款", required=True),
    _c("max_days_overdue", "number", "最长逾期天数"),
    _c("days_overdue", "number", "逾期天数"),
))

# aging-report --credit-limits: score-credit output or customer_id + credit_limit
CREDIT_LIMITS = Schema("credit limits", (
    _c("customer_id", "str", *CUSTOMER_ID, required=True, unique=True),
    _c("credit_limit", "money", "赊欠限额", "信用额度", "授信额度", required=True, min=0),
))

# --- aging-report (SPEC §3) -------------------------------------------------
INVOICES = Schema("invoices", (
    _c("customer_id", "str", *CUSTOMER_ID, required=True),
    _c("customer_name", "str", *CUSTOMER_NAME),
    _c("invoice_no", "str", "发票号", "单据号", "单号", "document_no", "发票号码",
       "单据编号",  # Kingdee 金蝶 应收单, Yonyou 用友 应收单
       "业务单号",  # 管家婆-style tools
       "凭证编号", "凭证号",  # 明细账 (voucher numbers), SAP 凭证编号 (FBL5N 凭证编号)
       "数电发票号码",  # 数电票: used where 发票号码 is blank
       "发票代码号码",
       required=True, unique=True),
    _c("invoice_date", "date", "开票日期", "单据日期", "posting_date",
       "业务日期",  # Kingdee 金蝶 应收单
       "凭证日期",  # SAP FBL5N, 明细账
       "过账日期", "过帐日期",  # SAP FBL5N (both spellings occur)
       "记账日期",  # Yonyou 用友
       required=True),
    _c("due_date", "date", "到期日", "应收日期",
       "净到期日",  # SAP FBL5N: net due date
       "到期日期",  # Kingdee 金蝶 应收单, Yonyou 用友
       "应收款日期"),
    _c("terms_days", "int", "账期", "信用天数", min=0, max=36500),  # 100 years
    _c("amount", "money", "金额", "应收金额", "发票金额",
       "价税合计",  # 数电票, Kingdee 金蝶 应收单: what the customer owes (tax included)
       "含税金额",  # Yonyou 用友 销售发票
       "借方", "借方金额", "本期借方", "本期发生借方", "借方发生额",  # Yonyou 用友 往来对账, 明细账
       "发票金额含税", required=True),
    _c("paid_amount", "money", "已收金额", "已回款",
       "已收款金额", "已收款",  # Kingdee 金蝶 应收单
       "已核销金额",  # Kingdee 金蝶 应收单 (核销 = matched against receipts)
       "实收金额",  # 管家婆-style tools, Kingdee 金蝶 收款
       "已结算金额",  # Yonyou 用友
       "贷方", "贷方金额", "本期贷方", "本期发生贷方", "贷方发生额"),  # Yonyou 用友 往来对账
    # the open amount instead of paid: paid = amount − open
    _c("open_amount", "money",
       "未核销金额",  # Kingdee 金蝶 应收单
       "未收金额", "未收款金额",  # Kingdee 金蝶, Yonyou 用友
       "应收余额",  # Yonyou 用友
       "余额", "期末余额",  # Yonyou 用友 往来对账, 明细账
       "未清金额"),  # SAP FBL5N (open item)
    _c("against_invoice", "str", "原发票号",
       "原蓝字发票号码", "对应蓝字发票号码"),  # 数电票 红字发票
    _c("ship_date", "date", "发货日期"),
    _c("salesperson", "str", "业务员", "销售员", "客服专员"),
    _c("branch", "str", "分部", "区域", "部门"),
    # 币种 / 币别 (Kingdee 金蝶, Yonyou 用友), 结算币别 (Kingdee), 货币 (SAP FBL5N)
    _c("currency", "str", "币种", "币别", "结算币别", "货币", "币种名称"),
    # 数电票: 否 marks a red (negative) invoice whose amount the file may hold positive
    _c("positive_invoice", "bool", "是否正数发票"),
    # the amount in the books' currency (本位币) beside an original-currency amount;
    # a file with only local amounts gives them as the amount (cskit.io.read)
    _c("amount_local", "money",
       "以本币计的金额",  # SAP FBL5N (Chinese labels): amount in local currency
       "本位币金额", "本币金额"),  # Kingdee 金蝶, Yonyou 用友: local-currency amount
    # installments (aging-report --schedule / policy [terms])
    _c("payment_terms", "str", "付款条件"),
    # paid on the invoice row: its part already received, never more than the
    # invoice nor of the other sign (overpayments belong in the payments file)
), keys=("invoice_no",),
   lines=("customer_id", "invoice_date", "due_date"),
   rules=(("paid_amount", "within", "amount"),))

PAYMENTS = Schema("payments", (
    _c("customer_id", "str", *CUSTOMER_ID, required=True),
    _c("payment_date", "date", "回款日期", "收款日期", "date", "日期",
       "业务日期",  # Kingdee 金蝶 收款单
       "单据日期",  # Kingdee 金蝶, Yonyou 用友 收款单
       "到账日期",  # bank statements
       "凭证日期", "过账日期", "过帐日期",  # SAP
       required=True),
    _c("amount", "money", "回款金额", "收款金额", "金额",
       "实收金额",  # Kingdee 金蝶 收款单
       "应收金额",  # Kingdee 金蝶 收款单: the receivable amount it settles
       required=True),
    _c("invoice_no", "str", "发票号", "单据号", "against_invoice",
       "源单编号",  # Kingdee 金蝶 收款单: the 应收单 it settles
       "核销单号"),
    _c("payment_id", "str", "回款单号", "收款单号",
       "单据编号",  # Kingdee 金蝶 收款单, Yonyou 用友
       "凭证编号"),
    _c("currency", "str", "币种", "币别", "结算币别", "货币"),
    _c("amount_local", "money",
       "收款金额本位币", "实收金额本位币",  # Kingdee 金蝶 收款单
       "以本币计的金额",  # SAP (Chinese labels)
       "本位币金额", "本币金额"),  # Kingdee 金蝶, Yonyou 用友
), keys=("payment_id", "invoice_no", "payment_date"))

# aging-report --schedule: an invoice's installments (#17)
SCHEDULE = Schema("payment schedule", (
    _c("invoice_no", "str", "发票号", "单据号", "发票号码", required=True),
    _c("due_date", "date", "到期日", "应收日期", required=True),
    _c("amount", "money", "金额", "分期金额", min=0),
    _c("percent", "number", "比例", "百分比", min=0, max=100),
    _c("stage", "str", "阶段", "款项"),
    _c("retention", "bool", "质保金"),
), one_of=(("amount", "percent"),))

# aging-report --fx-rates: base-currency units per unit of a currency (#17)
FX_RATES = Schema("exchange rates", (
    _c("currency", "str", "币种", "币别", required=True),
    _c("date", "date", "日期", "汇率日期", required=True),
    _c("rate", "number", "汇率", required=True, min=0),
))

# When several headers mean one column, the first of these wins (stderr says
# which was used and which left); a local-currency column (本位币) always
# beats an original-currency one (原币), and a column blank in every row
# gives way to the next.
PRECEDENCE = {
    # each entry lists tiers, best first; headers of one tier are synonyms, and two
    # of them in one file are a clash to resolve by hand (keep one, or --map)
    # what the customer owes, tax included, over the pre-tax 金额 (数电票, Kingdee)
    "amount": (("价税合计", "含税金额", "发票金额含税"),
               ("以本币计的金额", "本位币金额", "本币金额"),
               ("amount", "应收金额", "发票金额", "收款金额", "回款金额", "实收金额",
                "借方金额", "借方", "本期借方", "本期发生借方", "借方发生额", "金额")),
    # paid over open: paid = amount − open only when no paid column exists
    "paid_amount": (("paid_amount", "已收金额", "已收款金额", "已核销金额", "实收金额",
                     "已收款", "已回款", "已结算金额"),
                    ("贷方金额", "贷方", "本期贷方", "本期发生贷方", "贷方发生额")),
    "open_amount": (("open_amount", "未收金额", "未收款金额", "未核销金额", "应收余额",
                     "未清金额"),
                    ("期末余额", "余额")),
    # 发票号码 first; 数电发票号码 fills its blank cells (see COALESCE)
    "invoice_no": (("invoice_no", "发票号码", "发票号", "document_no"), ("数电发票号码",),
                   ("单据编号", "单据号", "业务单号", "单号"), ("凭证编号", "凭证号")),
    "invoice_date": (("invoice_date", "开票日期"), ("业务日期", "单据日期", "posting_date"),
                     ("过账日期", "过帐日期", "记账日期"), ("凭证日期",)),
    "due_date": (("due_date", "净到期日", "到期日", "到期日期", "应收日期", "应收款日期"),),
    # a customer code over a counterparty code over the buyer's tax id (数电票)
    "customer_id": (("customer_id", "客户编号", "客户编码", "客户代码", "customer_code",
                     "客户ID", "customer", "客户账号"),
                    ("往来单位编码", "对账对象编码"),
                    ("购方识别号", "购买方纳税人识别号")),
    "customer_name": (("customer_name", "客户名称", "客户", "name_of_customer"),
                      ("往来单位名称", "往来单位", "对账对象名称"),
                      ("购买方名称", "购方名称")),
    "payment_date": (("payment_date", "回款日期", "收款日期", "到账日期"),
                     ("业务日期", "单据日期"), ("过账日期", "过帐日期", "凭证日期"),
                     ("date", "日期")),
    "payment_id": (("payment_id", "回款单号", "收款单号"), ("单据编号", "凭证编号")),
}
# the invoice number of a row blank in the first column is taken from the
# next (数电票: 发票号码 blank, 数电发票号码 filled)
COALESCE = ("invoice_no",)

# --- rollup-kpi (SPEC §4) ---------------------------------------------------
ROLES = {"director": "director", "客服总监": "director", "总监": "director",
         "deputy_director": "deputy_director", "客服副总监": "deputy_director",
         "副总监": "deputy_director",
         "assistant": "assistant", "客服助理": "assistant", "助理": "assistant",
         "branch_manager": "branch_manager", "客服分部经理": "branch_manager",
         "分部经理": "branch_manager",
         "specialist": "specialist", "客服专人": "specialist", "客服专员": "specialist"}

ORG = Schema("org chart", (
    _c("staff_id", "str", "工号", "员工编号", required=True, unique=True),
    _c("name", "str", "姓名"),
    _c("role", "category", "岗位", "职位", required=True, choices=ROLES),
    _c("manager_id", "str", "直接上级", "上级工号"),
    _c("branch", "str", "分部", "部门"),
))

COMPLAINTS = Schema("complaints", (
    _c("complaint_id", "str", "投诉编号", "投诉单号", required=True, unique=True),
    _c("staff_id", "str", "工号", "处理人", "负责人"),
    _c("customer_id", "str", *CUSTOMER_ID),
    _c("opened_at", "datetime", "投诉时间", "受理时间", "登记时间", required=True),
    _c("first_response_at", "datetime", "首次响应时间", "响应时间"),
    _c("closed_at", "datetime", "结案时间", "关闭时间"),
    _c("status", "str", "状态"),
))

SURVEYS = Schema("surveys", (
    _c("staff_id", "str", "工号", "负责人", required=True),
    _c("date", "date", "日期", "调查日期", required=True),
    _c("score", "number", "评分", "满意度评分", min=1, max=5),
    _c("satisfied", "bool", "是否满意", "满意"),
    _c("customer_id", "str", *CUSTOMER_ID),
), one_of=(("score", "satisfied"),))

SALES = Schema("sales", (
    _c("staff_id", "str", "工号", "业务员", required=True),
    _c("period", "str", "期间", "月份"),
    _c("date", "date", "日期"),
    _c("revenue", "money", "销售额", "收入", "营业收入", required=True),
    _c("gross_profit", "money", "毛利", "毛利润"),
    _c("target", "money", "目标", "销售目标", "指标"),
), one_of=(("period", "date"),))

MEASURES = Schema("measures", (
    _c("staff_id", "str", "工号", required=True),
    _c("period", "str", "期间", "月份", required=True),
    _c("measure", "str", "指标", "指标名称", required=True),
    _c("value", "number", "数值", "值", required=True),
    _c("numerator", "number", "分子"),
    _c("denominator", "number", "分母"),
))

APPRAISALS = Schema("appraisals", (
    _c("staff_id", "str", "工号", required=True),
    _c("period", "str", "期间", "月份", required=True),
    _c("self_score", "number", "自评", "自评分", min=0, max=100),
    _c("manager_score", "number", "上级评分", "主管评分", min=0, max=100),
))

# --- visit-plan (SPEC §5) ---------------------------------------------------
VISIT_CUSTOMERS = Schema("customers", (
    _c("customer_id", "str", *CUSTOMER_ID, required=True, unique=True),
    _c("customer_name", "str", *CUSTOMER_NAME),
    _c("owner", "str", "负责人", "客服专员", "staff_id"),
    # score-credit's output and customer masters often carry both 负责人 and
    # 业务员, 部门 and 分部, a tier and a grade: each is its own column, and
    # visit-plan falls back from one to the other (owner → salesperson,
    # tier → grade, department → branch)
    _c("salesperson", "str", "业务员", "销售员"),
    _c("tier", "str", "客户等级", "客户级别", "分级"),
    _c("grade", "str", "等级"),
    _c("phone", "str", "电话", "联系电话", "手机"),
    _c("birthday", "str", "生日", "公历生日"),
    _c("lunar_birthday", "str", "农历生日"),
    _c("last_visit_date", "date", "上次拜访日期", "最近拜访日期", "上次回访日期"),
    _c("region", "str", "区域", "地区"),
    _c("department", "str", "部门"),
    _c("branch", "str", "分部"),
))

STAFF = Schema("staff", (
    _c("staff_id", "str", "工号", required=True, unique=True),
    _c("name", "str", "姓名"),
    _c("max_visits_per_day", "int", "每日最多拜访", min=0, max=1000),
    _c("max_calls_per_day", "int", "每日最多电话", min=0, max=1000),
    _c("days_off", "str", "休假日期", "休息日"),
))

TRANSACTIONS = Schema("transactions", (
    _c("customer_id", "str", *CUSTOMER_ID, required=True),
    _c("department", "str", "部门", "分部"),
    _c("date", "date", "日期", "交易日期", required=True),
    _c("amount", "money", "金额", "消费金额", required=True),
), keys=("customer_id",))  # a 明细账's 本月合计 row may carry a date, never a customer

SHIPMENTS = Schema("shipments", (
    _c("shipment_id", "str", "发货单号", "运单号", required=True, unique=True),
    _c("customer_id", "str", *CUSTOMER_ID, required=True),
    _c("ship_date", "date", "发货日期", required=True),
    _c("signed", "bool", "已签收", "签收"),
))

HOLIDAYS = Schema("holidays", (
    _c("date", "date", "日期", required=True, unique=True),
    _c("kind", "category", "类型", required=True,
       choices={"holiday": "holiday", "假日": "holiday", "休": "holiday", "节假日": "holiday",
                "workday": "workday", "工作日": "workday", "班": "workday", "调休上班": "workday"}),
    _c("name", "str", "名称", "节日"),
))


# --- visit-plan --credit and --aging (SPEC §5) --------------------------------
# score-credit's output read back: customer_id + change, or grade + previous_grade
VISIT_CREDIT = Schema("credit grades", (
    _c("customer_id", "str", *CUSTOMER_ID, required=True, unique=True),
    _c("customer_name", "str", *CUSTOMER_NAME),
    _c("change", "str", "变动", "等级变动"),
    _c("grade", "number", "等级"),
    _c("previous_grade", "number", "上期等级"),
), one_of=(("change", "grade"),))

# aging-report's summary read back: the overdue buckets per customer; other
# bucket columns (custom --buckets) are recognised by their headers. A totals
# row with a blank customer_id is skipped, so the column is checked by the command.
VISIT_AGING = Schema("aging summary", (
    _c("customer_id", "str", *CUSTOMER_ID),
    _c("customer_name", "str", *CUSTOMER_NAME),
    _c("61-90", "money", "61-90天"),
    _c("91-180", "money", "91-180天"),
    _c("181+", "money", "181天以上"),
    _c("max_days_overdue", "number", "最长逾期天数"),
))


# --- render-report statement / dunning, and the confirmation loop (issue 18) -------
# render-report statement --customers: the customers to send statements to,
# with the staff member responsible (owner, else salesperson)
STATEMENT_CUSTOMERS = Schema("customers", (
    _c("customer_id", "str", *CUSTOMER_ID, required=True, unique=True),
    _c("customer_name", "str", *CUSTOMER_NAME),
    _c("owner", "str", "负责人", "客服专员", "staff_id"),
    _c("salesperson", "str", "业务员", "销售员"),
))

# render-report dunning: aging-report's --detail output (open items), English or
# Chinese headers; an installment row (invoice_no repeated) is an item of its own
AGING_DETAIL = Schema("open items", (
    _c("customer_id", "str", *CUSTOMER_ID, required=True),
    _c("customer_name", "str", *CUSTOMER_NAME),
    _c("invoice_no", "str", "发票号", "单据号", "单号", "document_no", "发票号码", required=True),
    _c("invoice_date", "date", "开票日期", "单据日期"),
    _c("due_date", "date", "到期日", "应收日期"),
    _c("amount", "money", "金额", "发票金额"),
    _c("outstanding", "money", "应收余额", "open_amount", "未结金额", "未收金额",
       required=True),
    _c("days_overdue", "int", "逾期天数", required=True),
    _c("salesperson", "str", "业务员", "销售员", "客服专员"),
    _c("installment", "str", "分期"),
    _c("stage", "str", "阶段"),
))

# the confirmation register (render-report statement's register.csv, filled in
# as the signed slips come back): English or Chinese headers
CONFIRMATION_RESULTS = {
    "相符": "agreed", "agreed": "agreed", "无误": "agreed", "证明无误": "agreed",
    "不符": "disputed", "disputed": "disputed", "有差异": "disputed",
    "拒绝": "refused", "拒绝对账": "refused", "refused": "refused",
    "被迫": "forced", "被迫对账": "forced", "forced": "forced",
}
REGISTER = Schema("confirmation register", (
    _c("customer_id", "str", *CUSTOMER_ID, required=True),
    _c("customer_name", "str", *CUSTOMER_NAME),
    _c("owner", "str", "负责人", "客服专员", "staff_id"),
    _c("period_end", "date", "对账截止日", "对账期末", "截止日期", required=True),
    _c("closing_balance", "money", "期末余额", "对账余额"),
    _c("file", "str", "文件", "对账单文件"),
    _c("sent_date", "date", "发出日期", "寄出日期", required=True),
    _c("due_back_date", "date", "应回日期", "回函期限", required=True),
    _c("returned_date", "date", "回函日期", "收回日期"),
    _c("result", "category", "对账结果", "回函结果", choices=CONFIRMATION_RESULTS),
    _c("difference", "money", "差异金额", "不符金额"),
))
