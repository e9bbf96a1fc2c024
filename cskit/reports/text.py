"""Words of the reports themselves (titles, figure names), in both languages.

Column headers and coded values (flags, statuses…) come from
``cskit.labels``; this table holds the rest. ``say(key, lang)`` falls back to the English text for a missing key.
"""
from __future__ import annotations

from cskit.i18n import counted

TEXT: dict[str, tuple[str, str]] = {
    # report titles
    "title.aging": ("Receivables aging report", "应收账款账龄分析报告"),
    "title.credit": ("Customer credit rating report", "客户信用评级报告"),
    "title.kpi": ("KPI scorecard report", "绩效考核指标报告"),
    "title.visit-plan": ("Visit plan report", "巡回访问计划报告"),
    "title.monthly": ("Monthly report of the customer-service department",
                      "客服部月度工作报告"),
    "title.table": ("Table report", "数据报表"),
    # section titles
    "section.summary": ("Summary", "摘要"),
    "section.attention": ("Needs attention", "需要关注的事项"),
    "section.changes": ("Changes against the previous period", "与上期比较（增减及原因）"),
    "section.aging": ("Receivables aging", "应收账款账龄"),
    "section.credit": ("Customer credit", "客户信用"),
    "section.kpi": ("KPI scorecards", "绩效考核指标"),
    "section.visit-plan": ("Visits and calls", "巡回访问与回访"),
    # generic
    "as_of": ("As of", "截至日期"),
    "generated": ("Generated", "生成时间"),
    "sources": ("Sources", "数据来源"),
    "contents": ("Contents", "目录"),
    "page": ("Page", "第"),
    "total": ("Total", "合计"),
    "subtotal_shown": ("Subtotal of the {n} rows shown", "所列 {n} 行小计"),
    "total_all": ("Total of all {n} rows", "全部 {n} 行合计"),
    "total_all.customers": ("Total of all {n} customers", "全部 {n} 个客户合计"),
    "total_all.items": ("Total of all {n} open items", "全部 {n} 张未结发票合计"),
    "legend": ("Flags", "提示"),
    "plan_window": ("Plan", "计划期间"),
    "shown_of": ("Showing {shown} of {total} rows; the full list is in {source}.",
                 "仅列出 {total} 行中的 {shown} 行，完整清单见 {source}。"),
    "nothing": ("Nothing to report.", "无。"),
    "no_data": ("No data for this section.", "本部分无数据。"),
    "previous": ("Previous", "上期"),
    "current": ("Current", "本期"),
    "change": ("Change", "增减"),
    "reason": ("Reason", "原因"),
    "figure": ("Figure", "指标"),
    "count": ("Count", "数量"),
    # aging
    "aging.outstanding": ("Outstanding receivables", "应收余额"),
    "aging.overdue": ("Overdue", "已逾期"),
    "aging.over_90": ("Over 90 days overdue", "逾期90天以上"),
    "aging.over_180": ("181+ days overdue", "逾期181天以上"),
    "aging.unapplied": ("Unapplied payments", "未核销回款"),
    "aging.customers": ("Customers with open items", "有未结款客户数"),
    "aging.dso": ("DSO (days)", "应收账款周转天数"),
    "aging.dso_note": ("target ≤ 75 days (company policy)", "目标 ≤ 75 天（公司规定）"),
    "aging.chart": ("Receivables by age", "应收余额账龄分布"),
    "aging.summary_table": ("Receivables by customer", "客户应收余额"),
    "aging.detail_table": ("Most overdue open items", "逾期最久的未结发票"),
    "aging.over_limit": ("Customers over their credit limit", "超出赊欠限额的客户"),
    "aging.old": ("Customers with money 181+ days overdue", "有181天以上逾期款的客户"),
    # credit
    "credit.customers": ("Customers rated", "参评客户数"),
    "credit.total_limit": ("Total credit limits", "赊欠限额合计"),
    "credit.cash_only": ("Cash only", "现款现货客户"),
    "credit.unrated_new": ("New, not yet rated", "新客户（未评级）"),
    "credit.chart": ("Customers by grade", "客户等级分布"),
    "credit.table": ("Grades and limits", "客户等级与赊欠限额"),
    "credit.by_grade": ("Customers and limits by grade", "各等级客户数与限额"),
    "credit.changes": ("Grade changes", "等级变动"),
    "credit.downgraded": ("Customers downgraded", "降级客户"),
    "credit.upgraded": ("Customers upgraded", "升级客户"),
    "credit.hold": ("Orders on hold (over limit)", "暂停发货（超出限额）"),
    "credit.no_grade": ("unrated", "未评级"),
    # kpi
    "kpi.period": ("Period", "考核期间"),
    "kpi.met": ("KPIs met", "达标指标数"),
    "kpi.missed": ("KPIs missed", "未达标指标"),
    "kpi.chart": ("Department KPIs against target", "部门指标完成情况（实际/目标）"),
    "kpi.department": ("Department KPIs", "部门指标"),
    "kpi.scorecard": ("Scorecard", "考核得分与排名"),
    "kpi.achievement": ("Achievement", "完成率"),
    "kpi.missed_table": ("KPIs missed", "未达标指标"),
    "kpi.trend": ("KPIs against the previous period", "指标与上期比较"),
    # visits
    "visits.planned": ("Activities planned", "计划活动数"),
    "visits.unscheduled": ("Unscheduled", "未能排期"),
    "visits.staff": ("Staff", "人员数"),
    "visits.customers": ("Customers", "客户数"),
    "visits.chart": ("Visits and calls per day", "每日巡访与回访数量"),
    "visits.by_staff": ("Activities by staff member", "各人员活动汇总"),
    "visits.by_reason": ("Activities by reason", "按原因汇总"),
    "visits.unscheduled_table": ("Unscheduled activities", "未能排期的活动"),
    "visits.plan_table": ("Plan", "活动计划"),
    # attention lines
    "attn.over_limit": ("{n} customers over their credit limit, {amount} above the limits",
                        "{n} 个客户超出赊欠限额，超出金额合计 {amount}"),
    "attn.old": ("{n} customers with {amount} overdue 181+ days",
                 "{n} 个客户有181天以上逾期款，合计 {amount}"),
    "attn.no_payment": ("{n} invoices still unpaid six months after shipment",
                        "{n} 张发票发货6个月未回款"),
    "attn.dso": ("DSO {dso} days is above the target of 75 days",
                 "应收账款周转天数 {dso} 天，高于目标 75 天"),
    "attn.kpi_missed": ("{n} KPI results missed their target ({who})",
                        "{n} 项指标未达标（{who}）"),
    "attn.unscheduled": ("{n} visit(s)/call(s) could not be scheduled",
                         "{n} 项巡访/回访未能排期"),
    "attn.downgraded": ("{n} customers downgraded", "{n} 个客户等级下调"),
    "attn.hold": ("{n} customers to have orders held", "{n} 个客户需暂停发货"),
    "attn.none": ("Nothing needs attention.", "无需特别关注的事项。"),
    # change reasons (seed 000: 注明增减幅的原因)
    "why.limits": ("{up} upgraded, {down} downgraded, {new} new, {dropped} dropped",
                   "升级 {up} 个，降级 {down} 个，新增 {new} 个，减少 {dropped} 个"),
    "why.kpi": ("period {prev} → {cur}", "{prev} → {cur}"),
}

def say(key: str, lang: str, **values) -> str:
    en, zh = TEXT.get(key, (key, key))
    text = zh if lang == "zh" else counted(en, values)
    return text.format(**values) if values else text
