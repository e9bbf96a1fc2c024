"""Output headers and labels in Chinese (`--lang zh`), one table for all.

Keys are canonical output column names; a column not listed keeps its
English name. Values in the data never change with the language.
"""
from __future__ import annotations

HEADERS_ZH: dict[str, str] = {
    # shared
    "customer_id": "客户编号",
    "customer_name": "客户名称",
    "salesperson": "业务员",
    "branch": "分部",
    "flags": "提示",
    "status": "状态",
    "reasons": "说明",
    "policy_id": "政策编号",
    "reject_reason": "拒收原因",
    "source_file": "来源文件",
    "source_row": "来源行号",
    # score-credit (SPEC §2)
    "business_type": "业务类型",
    "months_active": "合作月数",
    "annualisation": "折算系数",
    "legal_points": "法律资质",
    "other_points": "其他资质",
    "sales_points": "交易金额得分",
    "profit_points": "赢利贡献得分",
    "payment_points": "回款总额得分",
    "subjective_points": "主观评价",
    "bad_record_points": "不良记录",
    "score": "总分",
    "level": "级别",
    "adjustments": "调整",
    "final_level": "最终级别",
    "grade": "等级",
    "grade_label": "等级名称",
    "credit_limit": "赊欠限额",
    "approver": "审批人",
    "next_level_points": "距上一级差分",
    "previous_grade": "上期等级",
    "previous_limit": "上期限额",
    "change": "变动",
    "hold": "暂停发货",
    # aging-report (SPEC §3)
    "open_invoices": "未结发票数",
    "outstanding": "应收余额",
    "not_due": "未到期",
    "1-30": "1-30天",
    "31-60": "31-60天",
    "61-90": "61-90天",
    "91-180": "91-180天",
    "181+": "181天以上",
    "unapplied_credit": "未核销回款",
    "net_outstanding": "净应收",
    "max_days_overdue": "最长逾期天数",
    "dso": "应收账款周转天数",
    "best_dso": "最佳周转天数",
    "days_delinquent": "逾期天数差",
    "available_credit": "可用额度",
    "invoice_no": "发票号",
    "invoice_date": "开票日期",
    "due_date": "到期日",
    "amount": "金额",
    "applied": "已核销",
    "days_overdue": "逾期天数",
    "bucket": "账龄段",
    # rollup-kpi (SPEC §4)
    "entity_id": "编号",
    "entity_name": "名称",
    "role": "岗位",
    "period": "期间",
    "kpi": "指标",
    "kpi_label": "指标名称",
    "numerator": "分子",
    "denominator": "分母",
    "value": "数值",
    "target": "目标",
    "direction": "方向",
    "met": "达标",
    "appraisal": "绩效考核得分",
    "rank": "排名",
    "reward": "奖惩",
    "kpi_score": "指标得分",
    "weight": "权重",
    "unit": "单位",
    "kpis": "有数据指标数",
    "kpis_met": "达标指标数",
    "peers": "同岗人数",
    "improvement_plan_due": "整改方案截止日",
    # visit-plan (SPEC §5)
    "date": "日期",
    "staff_id": "工号",
    "staff_name": "姓名",
    "activity": "活动",
    "reason": "原因",
    "detail": "内容",
    "phone": "电话",
    "tier": "客户等级",
    "note": "备注",
    "working_days": "工作日数",
    "visit_capacity": "拜访容量",
    "visits_due": "应拜访",
    "visits_planned": "已排拜访",
    "call_capacity": "电话容量",
    "calls_due": "应电话",
    "calls_planned": "已排电话",
    "sms": "短信",
    "unscheduled": "未排",
}

# KPI labels (SPEC §4), used for kpi_label and wide-sheet headers
KPI_LABELS_ZH: dict[str, str] = {
    "satisfaction_rate": "客户满意度",
    "complaint_closure_rate": "投诉处理结案率",
    "first_response_rate": "投诉首次响应及时率",
    "median_hours_to_close": "投诉结案时长中位数(小时)",
    "yoy_growth": "客户业绩挖潜同比",
    "dso_days": "应收账款周转天数",
    "gross_margin": "客户毛利润",
    "target_completion": "月度经营指标完毕率",
    "report_accuracy": "报表精确率",
    "plan_completion": "月工作计划完毕率",
    "appraisal_coverage": "绩效考核覆盖率",
}


def header(name: str, lang: str) -> str:
    if lang == "zh":
        return HEADERS_ZH.get(name, name)
    return name


def headers(names, lang: str) -> list[str]:
    return [header(n, lang) for n in names]


# render-report statement (register.csv) and dunning (letters.csv); rollup-kpi
# --confirmations (the unreturned statements)
HEADERS_ZH.update({
    "owner": "负责人",
    "period_end": "对账截止日",
    "closing_balance": "期末余额",
    "file": "文件",
    "sent_date": "发出日期",
    "due_back_date": "应回日期",
    "returned_date": "回函日期",
    "result": "对账结果",
    "difference": "差异金额",
    "level_name": "函件级别",
    "overdue_total": "逾期金额",
    "oldest_days_overdue": "最长逾期天数",
    "pay_by_date": "付款期限",
    "days_late": "超期天数",
})
KPI_LABELS_ZH.update({
    "reconciliation_completion": "对账完成率",
    "reconciliation_timeliness": "对账及时率",
})
