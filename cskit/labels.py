"""Output headers and coded values in Chinese (`--lang zh`), one table for all.

- ``HEADERS_ZH``: canonical output column → Chinese header; a column not
  listed keeps its name (a column the user's file brought keeps the user's
  header, see cskit.io.write).
- ``KPI_LABELS_ZH``: KPI code → its name in the seed's KPI list.
- ``CODES``: every coded value a command writes (flags, approvers, business
  types, adjustments, buckets, statuses, change codes, scorecard marks,
  activities, reasons, hold reasons, collection-letter levels) → (English
  words, Chinese), by category; ``CODE_COLUMNS`` says which output column
  holds which category. In ``--lang zh`` outputs those cells are shown in
  Chinese; the data values of the user's files never are translated.
- ``name_key``: the sort key for people's and companies' names (pinyin
  order for Chinese names, as Chinese readers expect).

Only the standard library is imported here (``cskit --help`` path).
"""
from __future__ import annotations

import re

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
    "hold_reason": "暂停原因",
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
    "avg_terms_days": "平均账期天数",
    "installment": "期次",
    "stage": "阶段",
    "retention": "质保金",
    "currency": "币种",
    "open_original": "原币未收金额",
    "fx_difference": "汇兑差额",
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
    # credit terms, installments, currencies, collection letters
    "hold_reason": "暂停原因",
    "avg_terms_days": "平均账期天数",
    "retention": "质保金",
    "fx_difference": "汇兑差额",
    "currency": "币种",
    "installment": "分期",
    "stage": "款项阶段",
    "open_amount": "未结金额",
    "open_original": "原币未结金额",
    "level_name": "函件级别",
    "overdue_total": "逾期金额合计",
    "oldest_days_overdue": "最长逾期天数",
    "file": "文件",
    "sent_date": "发出日期",
    "pay_by_date": "付款期限",
    "dunning_level": "催收级别",
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
    "supervisor_satisfaction": "上级满意度",
}


# --- coded values -------------------------------------------------------------
# category → code → (English words, Chinese). English words are what a
# report shows; the English CSV keeps the code itself (machine-readable).
CODES: dict[str, dict[str, tuple[str, str]]] = {
    "flags": {
        # aging-report (SPEC §3; seed 004 第四条(2) 自发货起6个月未回款)
        "over_limit": ("over limit", "超出限额"),
        "no_credit_limit": ("no credit limit", "无赊欠限额"),
        "no_payment_180d": ("no payment 180 days", "发货180天未回款"),
        "unpaid_6m": ("unpaid 6 months after shipment", "发货6个月未回款"),
        "dso_over_target": ("DSO over target", "周转天数超标"),
        "over_term": ("over credit term", "超账期"),
        # rollup-kpi (SPEC §4; seed 001 奖惩)
        "small_sample": ("small sample", "样本不足"),
        "first_place": ("first place", "第一名"),
        "last_place": ("last place", "最后一名"),
        "improvement_plan_due": ("improvement plan due", "需提交整改方案"),
        "consider_reassignment": ("consider reassignment", "考虑调岗"),
        "no_data": ("no data", "无数据"),
        # visit-plan
        "provisional": ("provisional", "暂定"),
    },
    "approver": {  # seed 004 第十条(5)(6)
        "sales_vp": ("sales VP", "销售副总"),
        "finance_vp": ("finance VP", "财务副总经理"),
        "general_manager": ("general manager", "总经理"),
    },
    "business_type": {  # seed 004 第八条: A/B 业务
        "A": ("A", "A业务"),
        "B": ("B", "B业务"),
        "mixed": ("mixed", "混合业务"),
    },
    "adjustments": {  # seed 004 第七条(4)
        "subjective_below": ("subjective points below {n}", "主观评价低于{n}分"),
        "salesperson_advance": ("salesperson advanced payment", "业务人员代垫款项"),
    },
    "bucket": {
        "not_due": ("not due", "未到期"),
    },
    "status": {
        "rated": ("rated", "已评级"),
        "unrated_new": ("new, not yet rated", "新客户未评级"),
        "cash_only": ("cash only", "现款现货"),
        "planned": ("planned", "已排期"),
        "provisional": ("provisional", "暂定"),
        "unscheduled": ("unscheduled", "未能排期"),
    },
    "change": {
        "upgraded": ("upgraded", "升级"),
        "downgraded": ("downgraded", "降级"),
        "unchanged": ("unchanged", "不变"),
        "new": ("new", "新增"),
        "dropped": ("dropped", "减少"),
    },
    "hold_reason": {  # seed 004 第十条(6), 第十一条
        "over_limit": ("over limit", "超过授信额度"),
        "over_term": ("over term", "超过授信期限"),
    },
    "activity": {
        "visit": ("visit", "上门拜访"), "gift_visit": ("gift visit", "礼品拜访"),
        "call": ("call", "电话"), "sms": ("text message", "短信"),
    },
    "reason": {
        "cycle": ("regular visit", "定期巡访"), "birthday": ("birthday", "生日"),
        "festival": ("festival", "节日"), "solar_term": ("solar term", "节气"),
        "top_spender": ("top spender", "消费前三"),
        "shipment_followup": ("shipment follow-up", "发货跟进"),
        "complaint_callback": ("complaint callback", "投诉回访"),
        "collection": ("collection", "催收"), "aging_collection": ("collection", "催收"),
        "downgrade": ("downgrade call", "降级回访"),
        "credit_downgrade": ("credit downgrade call", "信用降级回访"),
    },
    "level": {  # rollup-kpi entity levels
        "staff": ("staff", "员工"), "branch": ("branch", "分部"),
        "department": ("department", "部门"),
    },
    "role": {  # seed 001 岗位
        "director": ("director", "客服总监"), "deputy_director": ("deputy director", "客服副总监"),
        "assistant": ("assistant", "客服助理"), "branch_manager": ("branch manager", "客服分部经理"),
        "specialist": ("specialist", "客服专人"), "unassigned": ("unassigned", "未分配"),
    },
    "dunning_level": {  # seed 004: 提醒函, 催款函, 最后通知
        "1": ("reminder", "提醒函"), "2": ("collection letter", "催款函"),
        "3": ("final notice", "最后通知"),
    },
}

# flags as a report's narrow column shows them, with a legend under the table
FLAG_SHORT: dict[str, tuple[str, str]] = {
    "over_limit": ("Limit", "超限"),
    "no_credit_limit": ("No limit", "无限额"),
    "no_payment_180d": ("180d", "久未回款"),
    "unpaid_6m": ("6m", "6月未回款"),
    "dso_over_target": ("DSO", "周转超标"),
    "over_term": ("Term", "超账期"),
    "small_sample": ("Few", "样本少"),
    "first_place": ("1st", "第一"),
    "last_place": ("Last", "末位"),
    "improvement_plan_due": ("Plan", "整改"),
    "consider_reassignment": ("Move", "调岗"),
    "no_data": ("n/a", "无数据"),
    "provisional": ("Prov.", "暂定"),
}

# output column → category of its codes; list columns hold several, ";"-joined
CODE_COLUMNS: dict[str, str] = {
    "flags": "flags", "approver": "approver", "business_type": "business_type",
    "adjustments": "adjustments", "bucket": "bucket", "status": "status",
    "change": "change", "hold_reason": "hold_reason", "activity": "activity",
    "reason": "reason", "role": "role", "level": "level",
}
LIST_COLUMNS = {"flags", "adjustments", "hold_reason"}
_BUCKET = re.compile(r"^(\d+)(?:-(\d+)|\+)$")
_BELOW = re.compile(r"^subjective_below_(\d+(?:\.\d+)?)$")


def code_label(category: str, code, lang: str, *, words: bool = False) -> str:
    """One code in the reader's language: Chinese with ``zh``; in English the
    code itself, or its words (``words=True``, for reports)."""
    code = str(code).strip()
    found = CODES.get(category, {}).get(code)
    n = None
    if found is None and category == "adjustments" and _BELOW.match(code):
        n = _BELOW.match(code)[1]
        found = CODES["adjustments"]["subjective_below"]
    if found is None and category == "bucket" and _BUCKET.match(code):
        low, high = _BUCKET.match(code).groups()
        found = (f"{code} days", f"{code}天" if high else f"{low}天以上")
    if found is None:
        return code
    if lang == "zh":
        return found[1].format(n=n)
    return found[0].format(n=n) if words else code


def codes_label(category: str, value, lang: str, *, words: bool = False) -> str:
    """A ";"-joined list of codes (``over_limit;dso_over_target``), each
    labelled; joined by "、" in Chinese, ", " in English words."""
    parts = [p.strip() for p in str(value).split(";") if p.strip()]
    shown = [code_label(category, p, lang, words=words) for p in parts]
    if lang == "zh":
        return "、".join(shown)
    return (", " if words else ";").join(shown)


def label_codes(values, column: str, lang: str, *, words: bool = False):
    """A pandas Series of one code column, labelled (each distinct value
    once); other columns and English codes are returned as they are."""
    category = CODE_COLUMNS.get(str(column))
    if category is None or (lang != "zh" and not words):
        return values
    several = column in LIST_COLUMNS
    mapping = {}
    for value in values.dropna().unique():
        if isinstance(value, str):
            mapping[value] = (codes_label if several else code_label)(category, value, lang,
                                                                      words=words)
    if not mapping:
        return values
    return values.map(lambda v: mapping.get(v, v) if isinstance(v, str) else v)


def code_of(column: str, text) -> str:
    """The code behind a label (render-report reading a ``--lang zh`` output)."""
    category = CODE_COLUMNS.get(str(column))
    if category is None or not isinstance(text, str):
        return text
    reverse = _reverse(category)
    if str(column) in LIST_COLUMNS:
        parts = [p.strip() for p in re.split(r"[;、，,]", text) if p.strip()]
        return ";".join(reverse.get(p, p) for p in parts)
    return reverse.get(text.strip(), text)


_REVERSED: dict[str, dict[str, str]] = {}


def _reverse(category: str) -> dict[str, str]:
    if category not in _REVERSED:
        table = {}
        for code, (en, zh) in CODES.get(category, {}).items():
            if "{n}" not in zh:
                table.setdefault(zh, code)
                table.setdefault(en, code)
        _REVERSED[category] = table
    return _REVERSED[category]


# --- names in the order Chinese readers expect ----------------------------------------
def name_key(name) -> tuple:
    """Sort key of a name: Chinese characters by their pinyin (with tone, then
    the character, so 张/章 keep a fixed order), Latin letters alphabetically
    among them; blanks last."""
    if name is None or not isinstance(name, str) or not name.strip():
        return (1, ())
    return (0, tuple(_char_key(ch) for ch in name.strip()))


def _char_key(ch: str) -> tuple:
    if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf":
        return (_pinyin(ch), ch)
    return (ch.lower(), ch)


_PINYIN: dict[str, str] = {}


def _pinyin(ch: str) -> str:
    if ch not in _PINYIN:
        from pypinyin import Style, lazy_pinyin

        _PINYIN[ch] = lazy_pinyin(ch, style=Style.TONE3, neutral_tone_with_five=True)[0]
    return _PINYIN[ch]


def name_rank(names):
    """Each name's place in pinyin order (a Series of ints, NaN for blanks);
    each distinct name is keyed once, so a million rows cost their few
    thousand names."""
    distinct = [n for n in names.dropna().unique() if isinstance(n, str)]
    rank = {n: i for i, n in enumerate(sorted(distinct, key=name_key))}
    return names.map(rank)


def sort_by_name(frame, column: str, *, before: list[str] | None = None):
    """FRAME sorted by the names in COLUMN in pinyin order, after the
    ``before`` columns (stable, blanks last)."""
    if column not in frame.columns or not len(frame):
        return frame
    rank = name_rank(frame[column]).rename("__name_rank")
    keys = [c for c in (before or []) if c in frame.columns]
    ordered = frame.assign(__name_rank=rank).sort_values(keys + ["__name_rank"], kind="stable",
                                                         na_position="last")
    return ordered.drop(columns="__name_rank")


# --- the Parameters sheet of a workbook, in Chinese ---------------------------------------
PARAMETERS_ZH: dict[str, str] = {
    "command": "命令", "cskit version": "cskit 版本", "as_of": "截至日期", "run at": "运行时间",
    "basis": "账龄计算基准", "buckets": "账龄段", "by": "汇总维度",
    "dso window (days)": "周转天数计算窗口（天）", "dso method": "周转天数计算方法",
    "dso target (days)": "周转天数目标（天）", "alert days": "预警天数",
    "outstanding": "应收余额", "unapplied credit": "未核销回款", "net outstanding": "净应收",
    "reconciliation": "勾稽关系", "dso (whole report)": "周转天数（全部）",
    "best dso (whole report)": "最佳周转天数（全部）", "periods": "考核期间",
    "window": "计划期间",
}
_PARAMETER_PREFIXES_ZH = {"input ": "输入 ", "policy ": "政策 ", "capacity ": "容量 "}


def parameter_name(key: str, lang: str) -> str:
    """A key of the Parameters sheet in the reader's language."""
    if lang != "zh":
        return key
    if key in PARAMETERS_ZH:
        return PARAMETERS_ZH[key]
    for en, zh in _PARAMETER_PREFIXES_ZH.items():
        if key.startswith(en):
            return zh + key[len(en):]
    return key


def parameter_key(name: str) -> str:
    """The key behind a Parameters name, English or Chinese (render-report)."""
    reverse = {zh: en for en, zh in PARAMETERS_ZH.items()}
    if name in reverse:
        return reverse[name]
    for en, zh in _PARAMETER_PREFIXES_ZH.items():
        if name.startswith(zh):
            return en + name[len(zh):]
    return name


# --- what kind of number a column holds (formats, totals rows) ----------------------
MONEY_COLUMNS = frozenset({
    "outstanding", "not_due", "unapplied_credit", "net_outstanding", "credit_limit",
    "available_credit", "previous_limit", "amount", "applied", "paid_amount", "reward",
    "annual_sales", "annual_profit", "annual_payments", "revenue", "gross_profit",
    "retention", "fx_difference", "open_amount", "overdue_total", "balance",
})
# counts that add up across rows (a totals row sums them)
COUNT_COLUMNS = frozenset({
    "open_invoices", "visits_due", "visits_planned", "calls_due", "calls_planned", "sms",
    "unscheduled", "visit_capacity", "call_capacity", "customers", "count",
})
DAYS_COLUMNS = frozenset({"days_overdue", "max_days_overdue", "oldest_days_overdue",
                          "months_active", "avg_terms_days", "working_days"})
_BUCKET_ZH = re.compile(r"^(\d+-\d+天|\d+天以上|未到期)$")


def canonical_of(name: str) -> str:
    """A column's canonical name, also when already shown in Chinese."""
    name = str(name)
    if name in HEADERS_ZH or _BUCKET.match(name) or name == "not_due":
        return name
    return _FROM_ZH.get(name, name)


def is_money(name: str) -> bool:
    name = canonical_of(name)
    return name in MONEY_COLUMNS or bool(_BUCKET.match(name)) or bool(_BUCKET_ZH.match(name))


def is_count(name: str) -> bool:
    return canonical_of(name) in COUNT_COLUMNS


def header(name: str, lang: str) -> str:
    if lang == "zh":
        if name in HEADERS_ZH:
            return HEADERS_ZH[name]
        if _BUCKET.match(str(name)):
            return code_label("bucket", name, "zh")
        return KPI_LABELS_ZH.get(name, name)
    return name


_FROM_ZH = {zh: en for en, zh in HEADERS_ZH.items()}


# columns cskit has a header for but only carries from the user's files into
# its outputs: they keep the user's own header when the file gave one
CARRIED = {"owner"}


def is_own(name: str) -> bool:
    """A column cskit writes under its own header (one it computes or keys
    on), as opposed to one the user's file brought along."""
    if name in CARRIED:
        return False
    return name in HEADERS_ZH or name in KPI_LABELS_ZH or bool(_BUCKET.match(str(name)))


def headers(names, lang: str, originals: dict | None = None) -> list[str]:
    """The headers a reader sees: cskit's own columns in the run's language;
    a column the user's file brought (``originals``: name → the file's
    header) under the user's own header, whatever the language."""
    originals = originals or {}
    return [str(originals[n]) if n in originals and not is_own(n) else header(n, lang)
            for n in names]


def present(frame, lang: str, originals: dict | None = None):
    """FRAME as a reader sees it: headers as ``headers`` gives them, and in
    ``--lang zh`` every coded cell (flags, approver, status…) in Chinese."""
    out = frame.copy(deep=False)
    if lang == "zh":
        for column in frame.columns:
            if str(column) in CODE_COLUMNS:
                out[column] = label_codes(frame[column], str(column), lang)
    out.columns = headers([str(c) for c in frame.columns], lang, originals)
    return out


# score-credit's reasons name the approver (第十条) and why orders are held
# (第十一条, 第十二条) in Chinese: the same words as the code table above.
APPROVERS_ZH: dict[str, str] = {code: zh for code, (_, zh) in CODES["approver"].items()}
HOLD_REASONS_ZH: dict[str, str] = {code: zh for code, (_, zh) in CODES["hold_reason"].items()}


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
