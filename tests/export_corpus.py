"""Export-shaped files of the systems Chinese finance teams use, generated.

Each layout follows the field names those systems publish (Kingdee 金蝶
应收单/收款单 lists, Yonyou 用友 往来对账, SAP FBL5N with Chinese labels,
the tax bureau's 数电票 全量发票查询, a hand-kept customer master in 万元, a
明细账, a report whose header is on row 14). The rows are few and chosen so
that every total can be worked out by hand in tests/test_exports.py.

``write_all(folder)`` writes every file and returns {name: path}.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

AS_OF = "2026-10-31"


def _csv(path: Path, rows: list[list], encoding: str = "utf-8-sig") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def _xlsx(path: Path, sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None
          ) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cells in (merges or {}).get(name, []):
            sheet.merge_cells(cells)
    book.save(path)
    return path


# --- Kingdee 金蝶 云星空: 应收单 list and 收款单 list ------------------------------------
KINGDEE_TITLE = [["上海恒达机电设备有限公司"], ["应收单列表"],
                 ["查询条件：业务日期 2026-01-01 至 2026-10-31；客户：全部"], []]
KINGDEE_AR_HEADER = ["单据编号", "业务日期", "到期日", "客户编码", "客户名称", "结算币别",
                     "价税合计", "金额", "税额", "已核销金额", "未核销金额", "业务员"]
KINGDEE_AR = [
    # due 2026-11-30: not due
    ["AR000101", "2026-10-10", "2026-11-30", "C001", "华东贸易", "人民币",
     "11,300.00", "10,000.00", "1,300.00", "0.00", "11,300.00", "S001"],
    # due 2026-10-16: 15 days overdue → 1-30; 3,000 received
    ["AR000102", "2026-09-16", "2026-10-16", "C001", "华东贸易", "人民币",
     "5,650.00", "5,000.00", "650.00", "3,000.00", "2,650.00", "S001"],
    # due 2026-08-31: 61 days → 61-90
    ["AR000103", "2026-08-01", "2026-08-31", "C002", "南方实业", "人民币",
     "22,600.00", "20,000.00", "2,600.00", "0.00", "22,600.00", "S002"],
    # due 2026-04-30: 184 days → 181+; fully received
    ["AR000104", "2026-03-31", "2026-04-30", "C003", "北方重工", "人民币",
     "1,130.00", "1,000.00", "130.00", "1,130.00", "0.00", "S002"],
]
KINGDEE_AR_TOTAL = ["合计", "", "", "", "", "", "40,680.00", "36,000.00", "4,680.00",
                    "4,130.00", "36,550.00", ""]
KINGDEE_AR_NOTES = [[], ["制表人：张敏    审核：王建国    打印时间：2026-11-01 09:30"]]
# invoiced 11,300 + 5,650 + 22,600 + 1,130 = 40,680.00 (价税合计, not 金额)
# paid 0 + 3,000 + 0 + 1,130 = 4,130.00 (已核销金额)
# buckets at 2026-10-31: not_due 11,300; 1-30 2,650; 61-90 22,600; 181+ 0


def kingdee_ar_rows() -> list[list]:
    return KINGDEE_TITLE + [KINGDEE_AR_HEADER] + KINGDEE_AR + [KINGDEE_AR_TOTAL] + \
        KINGDEE_AR_NOTES


KINGDEE_RECEIPT_HEADER = ["单据编号", "业务日期", "往来单位编码", "往来单位", "结算币别",
                          "实收金额", "源单编号", "备注"]
KINGDEE_RECEIPTS = [
    ["SK000201", "2026-10-20", "C001", "华东贸易", "人民币", "2,000.00", "AR000101", ""],
    ["SK000202", "2026-10-25", "C002", "南方实业", "人民币", "12,600.00", "AR000103", "电汇"],
]
KINGDEE_RECEIPT_TOTAL = ["合计", "", "", "", "", "14,600.00", "", ""]
# received 2,000 + 12,600 = 14,600.00; with the 应收单: C001 not_due 9,300,
# C002 61-90 10,000


def kingdee_receipt_rows() -> list[list]:
    return [["收款单列表"], ["查询条件：2026年10月"]] + [KINGDEE_RECEIPT_HEADER] + \
        KINGDEE_RECEIPTS + [KINGDEE_RECEIPT_TOTAL]


# --- Yonyou 用友 U8: 往来对账 with a three-level header -----------------------------------
YONYOU_TOP = ["往来单位编码", "往来单位", "单据日期", "单据编号", "摘要", "到期日期", "币种",
              "本期发生", None, None, None, "期末余额", None]
YONYOU_MID = [None, None, None, None, None, None, None, "借方", None, "贷方", None, None, None]
YONYOU_LOW = [None, None, None, None, None, None, None, "原币", "本位币", "原币", "本位币",
              "原币", "本位币"]
YONYOU_MERGES = ["A4:A6", "B4:B6", "C4:C6", "D4:D6", "E4:E6", "F4:F6", "G4:G6",
                 "H4:K4", "L4:M5", "H5:I5", "J5:K5"]
YONYOU_ROWS = [
    # C001: due 2026-10-01 → 30 days → 1-30; 4,000 of 10,000 received
    ["C001", "华东贸易", "2026-09-01", "YS0001", "销售发票", "2026-10-01", "人民币",
     10000, 10000, 4000, 4000, 6000, 6000],
    # C001 in dollars: 1,000 USD = 7,100.00 yuan (本位币 is used); due 2026-07-31 → 92 days → 91-180
    ["C001", "华东贸易", "2026-07-01", "YS0002", "出口发票", "2026-07-31", "美元",
     1000, 7100, 0, 0, 1000, 7100],
    ["", "", "", "", "小计", "", "", 11000, 17100, 4000, 4000, 7000, 13100],
    # C002: due 2026-12-15 → not due
    ["C002", "南方实业", "2026-10-15", "YS0003", "销售发票", "2026-12-15", "人民币",
     3500.5, 3500.5, 0, 0, 3500.5, 3500.5],
    ["", "", "", "", "小计", "", "", 3500.5, 3500.5, 0, 0, 3500.5, 3500.5],
    ["", "", "", "", "合计", "", "", 14500.5, 20600.5, 4000, 4000, 10500.5, 16600.5],
]
# invoiced (本位币) 10,000 + 7,100 + 3,500.50 = 20,600.50; paid 4,000.00
# buckets: not_due 3,500.50; 1-30 6,000; 91-180 7,100


def yonyou_rows() -> list[list]:
    return [["往来对账单"], ["期间：2026年01月-2026年10月"], [],
            YONYOU_TOP, YONYOU_MID, YONYOU_LOW] + YONYOU_ROWS


# --- SAP FBL5N open items, Chinese labels, trailing minus -------------------------------
SAP_HEADER = ["客户", "凭证编号", "凭证类型", "凭证日期", "过账日期", "净到期日",
              "以本币计的金额", "本币", "凭证货币金额", "凭证货币", "文本"]
SAP_ROWS = [
    # due 2026-10-21 → 10 days → 1-30
    ["100234", "9000001234", "RV", "2026.09.21", "2026.09.21", "2026.10.21",
     "8,800.00", "CNY", "8,800.00", "CNY", ""],
    # due 2026-07-03 → 120 days → 91-180
    ["100234", "9000001180", "RV", "2026.06.03", "2026.06.03", "2026.07.03",
     "15,000.00", "CNY", "15,000.00", "CNY", ""],
    # a credit memo, SAP's trailing minus: −1,200.00
    ["100234", "9000001301", "DG", "2026.10.05", "2026.10.05", "2026.10.05",
     "1,200.00-", "CNY", "1,200.00-", "CNY", "退货"],
    # a USD invoice: the local amount is used; due 2026-11-20 → not due
    ["100517", "9000001302", "RV", "2026.10.20", "2026.10.20", "2026.11.20",
     "71,000.00", "CNY", "10,000.00", "USD", ""],
]
# invoiced 8,800 + 15,000 − 1,200 + 71,000 = 93,600.00; paid 0
# buckets: 100234: 1-30 8,800, 91-180 15,000, credit −1,200; 100517 not_due 71,000
# "客户" is the customer account number in FBL5N but a customer name elsewhere:
# the one column that needs --map '客户=customer_id'


def sap_rows() -> list[list]:
    return [["客户行项目显示"], ["公司代码 1000"], []] + [SAP_HEADER] + SAP_ROWS


# --- 数电票 全量发票查询: summary and detail sheets --------------------------------------
TAX_SUMMARY_HEADER = ["序号", "发票代码", "发票号码", "数电发票号码", "销方识别号", "销方名称",
                      "购方识别号", "购买方名称", "开票日期", "金额", "税额", "价税合计",
                      "发票来源", "发票票种", "发票状态", "是否正数发票", "发票风险等级",
                      "开票人", "备注"]
TAX_SUMMARY = [
    ["1", "", "", "26312000000012345678", "91310000MA1FL0XX1A", "恒达机电",
     "91320100MA1XY2345B", "南京宏图贸易有限公司", "2026-10-08 10:21:33", "10000.00",
     "1300.00", "11300.00", "电子发票服务平台", "数电票（增值税专用发票）", "正常", "是", "正常",
     "张敏", ""],
    ["2", "", "", "26312000000012345679", "91310000MA1FL0XX1A", "恒达机电",
     "91330100MA2AB6789C", "杭州远景科技有限公司", "2026-09-01 14:02:11", "5000.00", "650.00",
     "5650.00", "电子发票服务平台", "数电票（普通发票）", "正常", "是", "正常", "张敏", ""],
    # a red invoice the file holds positive: 是否正数发票 = 否 → −1,130.00
    ["3", "", "", "26312000000012345680", "91310000MA1FL0XX1A", "恒达机电",
     "91320100MA1XY2345B", "南京宏图贸易有限公司", "2026-10-20 09:00:00", "1000.00", "130.00",
     "1130.00", "电子发票服务平台", "数电票（增值税专用发票）", "正常", "否", "正常", "张敏",
     "被红冲蓝字数电发票号码：26312000000012345678"],
]
# invoiced (价税合计, not 金额) 11,300 + 5,650 − 1,130 = 15,820.00; paid 0
# no due dates: 30 days' terms. 08 Oct → due 07 Nov: not due; 01 Sep → due 01 Oct:
# 30 days → 1-30; 20 Oct → due 19 Nov: not due (−1,130)
TAX_DETAIL_HEADER = ["数电发票号码", "发票号码", "开票日期", "购方识别号", "购买方名称",
                     "货物或应税劳务名称", "规格型号", "单位", "数量", "单价", "金额", "税率",
                     "税额", "价税合计"]
TAX_DETAIL = [
    ["26312000000012345678", "", "2026-10-08", "91320100MA1XY2345B", "南京宏图贸易有限公司",
     "*机械设备*电机", "Y2-160", "台", "2", "3000", "6000.00", "13%", "780.00", "6780.00"],
    ["26312000000012345678", "", "2026-10-08", "91320100MA1XY2345B", "南京宏图贸易有限公司",
     "*机械设备*减速机", "R67", "台", "1", "4000", "4000.00", "13%", "520.00", "4520.00"],
    ["26312000000012345679", "", "2026-09-01", "91330100MA2AB6789C", "杭州远景科技有限公司",
     "*五金*轴承", "6205", "套", "100", "50", "5000.00", "13%", "650.00", "5650.00"],
]
# detail: 6,780 + 4,520 = 11,300 (one invoice of two lines) + 5,650 = 16,950.00


def tax_sheets() -> dict[str, list[list]]:
    return {"发票基础信息": [TAX_SUMMARY_HEADER] + TAX_SUMMARY,
            "信息汇总表": [TAX_DETAIL_HEADER] + TAX_DETAIL}


# --- customer master in 万元 with titles above ----------------------------------------
MASTER_HEADER = ["客户编号", "客户名称", "首次交易日期", "营业执照", "税务登记证", "一般纳税人",
                 "年交易额（万元）", "年赢利额（万元）", "回款总额（万元）", "合作态度", "负责人"]
MASTER_ROWS = [
    ["C001", "华东贸易", "2018-03-01", "是", "是", "是", "1,865.5", "245.5", "1,798", "配合",
     "S001"],
    ["C002", "南方实业", "2024-06-15", "是", "是", "否", "38.6", "4.1", "21.2", "不配合", "S002"],
]
# annual_sales: 18,655,000.00 and 386,000.00 yuan (× 10,000, exact to the cent)


def master_rows() -> list[list]:
    return [["客户信用档案"], ["编制单位：客服部", "", "", "", "", "", "", "", "", "", ""],
            ["更新日期：2026-10-31"]] + [MASTER_HEADER] + MASTER_ROWS


# --- 明细账 (sales detail ledger) with 本月合计 / 本年累计 ---------------------------------
LEDGER_HEADER = ["日期", "凭证字号", "客户编码", "客户名称", "摘要", "金额"]
LEDGER_ROWS = [
    ["2026-09-03", "记-0012", "C001", "华东贸易", "销售电机", "12,000.00"],
    ["2026-09-18", "记-0031", "C002", "南方实业", "销售轴承", "3,450.60"],
    ["", "", "", "", "本月合计", "15,450.60"],
    ["", "", "", "", "本年累计", "98,450.60"],
    ["2026-10-09", "记-0008", "C001", "华东贸易", "销售减速机", "8,000.00"],
    ["", "", "", "", "本月合计", "8,000.00"],
    ["", "", "", "", "本年累计", "106,450.60"],
]
# used: 12,000 + 3,450.60 + 8,000 = 23,450.60 (本年累计 includes earlier months)


def ledger_rows() -> list[list]:
    return [["主营业务收入明细账"], ["2026年9月-10月"], []] + [LEDGER_HEADER] + LEDGER_ROWS


# --- a report whose header is on row 14 -----------------------------------------------
def row14_rows() -> list[list]:
    titles = [["应收账款账龄分析底稿"], ["编制单位：上海恒达机电设备有限公司"],
              ["报表日期：2026-10-31"], ["币种：人民币"], ["查询条件："],
              ["  客户：全部"], ["  业务员：全部"], ["  开票日期：2026-01-01 至 2026-10-31"],
              ["  是否含已结清：否"], ["排序：客户编码"], [], ["说明：金额单位为元"], []]
    header = ["客户编码", "客户名称", "发票号", "开票日期", "到期日", "应收金额", "已收金额",
              "业务员"]
    rows = [["C001", "华东贸易", "F1001", "2026-08-15", "2026-09-14", "2,500.50", "500.00",
             "S001"],
            ["C002", "南方实业", "F1002", "2026-10-20", "2026-11-19", "8,000.00", "", "S002"]]
    return titles + [header] + rows
# invoiced 10,500.50; paid 500.00; C001 due 09-14 → 47 days → 31-60 (2,000.50);
# C002 not due 8,000


def write_all(folder: Path) -> dict[str, Path]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = {
        "kingdee_ar_csv": _csv(folder / "金蝶应收单.csv", kingdee_ar_rows(), "gbk"),
        "kingdee_ar_xlsx": _xlsx(folder / "金蝶应收单.xlsx", {"应收单": kingdee_ar_rows()}),
        "kingdee_receipts_csv": _csv(folder / "金蝶收款单.csv", kingdee_receipt_rows(), "gbk"),
        "kingdee_receipts_xlsx": _xlsx(folder / "金蝶收款单.xlsx",
                                       {"收款单": kingdee_receipt_rows()}),
        "yonyou_xlsx": _xlsx(folder / "用友往来对账.xlsx", {"往来对账": yonyou_rows()},
                             {"往来对账": YONYOU_MERGES}),
        "sap_csv": _csv(folder / "FBL5N.csv", sap_rows()),
        "tax_xlsx": _xlsx(folder / "全量发票查询.xlsx", tax_sheets()),
        "master_csv": _csv(folder / "客户档案.csv", master_rows(), "gbk"),
        "ledger_xlsx": _xlsx(folder / "明细账.xlsx", {"明细账": ledger_rows()}),
        "row14_xlsx": _xlsx(folder / "账龄底稿.xlsx", {"底稿": row14_rows()}),
        "row14_csv": _csv(folder / "账龄底稿.csv", row14_rows()),
    }
    return out
