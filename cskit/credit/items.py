"""The scorecard's items, output columns and their English and Chinese names
(seed 004 第七条)."""
from __future__ import annotations

LEGAL = ("business_license", "tax_registration", "special_permit", "general_taxpayer",
         "trademark_license", "contract_orders", "processing_certificate")
OTHER = ("iso9000", "iso14000", "bank_credit_rating", "tax_credit_rating")
AMOUNTS = (("sales", "annual_sales"), ("profit", "annual_profit"),
           ("payments", "annual_payments"))
SUBJECTIVE = ("cooperation", "sales_status", "operating_status", "years_established",
              "wage_level")
BAD_RECORDS = ("late_after_promise", "breach_of_settlement", "reconciliation")
SCORING = (LEGAL + OTHER + tuple(c for _, c in AMOUNTS) + SUBJECTIVE + BAD_RECORDS
           + ("salesperson_advance",))
# input columns that the score replaces; everything else is passed through
CONSUMED = SCORING + ("customer_id", "customer_name", "business_type", "months_active")

OUTPUT = ("customer_id", "customer_name", "business_type", "months_active", "annualisation",
          "legal_points", "other_points", "sales_points", "profit_points", "payment_points",
          "subjective_points", "bad_record_points", "score", "level", "adjustments",
          "final_level", "grade", "grade_label", "credit_limit", "approver", "status",
          "reasons", "next_level_points", "policy_id")
PREVIOUS = ("previous_grade", "previous_limit", "change")
EXPOSURE = ("outstanding", "available_credit", "max_days_overdue", "hold", "hold_reason")

STATUSES = ("rated", "unrated_new", "cash_only")
CHANGES = ("upgraded", "downgraded", "unchanged", "new", "dropped")
# grade_label of customers that get no grade (第八条(1) 纳入现款现货管理; 注a 不参与评级)
UNRATED_LABELS = {"cash_only": "现款现货", "unrated_new": "未评级"}

# the seed's numbers for the answers of the category columns (cskit.schema
# maps the Chinese labels to them); the policy gives each label its points
ANSWERS = {
    "cooperation": {0: "不配合", 1: "配合", 2: "非常配合"},
    "sales_status": {0: "较差", 1: "普通", 2: "良好", 5: "非常好"},
    "operating_status": {0: "半停产", 1: "一般", 2: "满负荷"},
    "wage_level": {0: "比较低", 1: "普通", 2: "比较高", 3: "非常高"},
    "reconciliation": {0: "正常", -1: "被迫对账", -3: "拒绝对账"},
}

NAMES = {  # item → (English, Chinese) for reasons and messages
    "business_license": ("business licence", "营业执照"),
    "tax_registration": ("tax registration", "税务登记证"),
    "special_permit": ("special industry permit", "特殊行业许可证"),
    "general_taxpayer": ("general taxpayer certificate", "一般纳税人资格证"),
    "trademark_license": ("trademark licence", "商标许可证"),
    "contract_orders": ("contract orders", "合同订单"),
    "processing_certificate": ("processing certificate", "委托加工证明"),
    "iso9000": ("ISO 9000", "ISO9000认证"),
    "iso14000": ("ISO 14000", "ISO14000认证"),
    "bank_credit_rating": ("bank credit rating", "银行信用级别"),
    "tax_credit_rating": ("tax credit rating", "纳税信用级别"),
    "annual_sales": ("annual sales", "年交易额"),
    "annual_profit": ("annual profit", "年赢利额"),
    "annual_payments": ("annual payments", "年回款额"),
    "cooperation": ("cooperation", "合作态度"),
    "sales_status": ("product sales", "产品销售状况"),
    "operating_status": ("operating status", "经营状态"),
    "years_established": ("years established", "设立年限"),
    "wage_level": ("wage level", "员工工资水平"),
    "late_after_promise": ("paid late after promising", "承诺后未按期付款"),
    "breach_of_settlement": ("did not settle as contracted", "未按合同约定结算"),
    "reconciliation": ("reconciliation", "对账情况"),
    "salesperson_advance": ("salesperson advance", "业务员垫支"),
}
