"""Compare two aging summaries (CSV) per customer, in integer cents.

    python bench/check.py CSKIT.csv OTHER.csv
    python bench/check.py --same-cells A.xlsx B.xlsx   (exit 0 when every cell is equal)
    python bench/check.py --same-page A.html B.html    (exit 0 when equal but for the minute
                                                        each says it was generated)

Prints one line: "same to the cent (…)" or "MISMATCH …" (exit 1). Run as its
own process so that the benchmark runner stays small: a child's peak RSS
counts the parent's memory at fork time.
"""
from __future__ import annotations

import sys

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

BUCKETS = ["outstanding", "not_due", "1-30", "31-60", "61-90", "91-180", "181+",
           "unapplied_credit"]


def _cents(path: str) -> pa.Table:
    types = {c: pa.decimal128(18, 2) for c in BUCKETS}
    types["customer_id"] = pa.string()
    table = pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(
        column_types=types, include_columns=["customer_id"] + BUCKETS))
    return table.sort_by("customer_id")


def compare(left: str, right: str) -> str:
    a, b = _cents(left), _cents(right)
    if a.num_rows != b.num_rows or not a["customer_id"].equals(b["customer_id"]):
        return f"MISMATCH: {a.num_rows} vs {b.num_rows} customers"
    bad = [c for c in BUCKETS if not pc.all(pc.equal(a[c], b[c])).as_py()]
    if bad:
        return "MISMATCH in " + ", ".join(bad)
    total = pc.sum(a["outstanding"]).as_py()
    return f"same to the cent ({a.num_rows:,} customers, outstanding {total:,.2f})"


def versions() -> str:
    found = []
    for module in ("pandas", "numpy", "pyarrow", "duckdb", "click"):
        try:
            found.append(f"{module} {__import__(module).__version__}")
        except ImportError:
            pass
    return ", ".join(found)


def same_cells(left: str, right: str) -> bool:
    """Two workbooks hold the same sheets and the same cell values."""
    from python_calamine import CalamineWorkbook

    a, b = CalamineWorkbook.from_path(left), CalamineWorkbook.from_path(right)
    if a.sheet_names != b.sheet_names:
        return False
    def cells(book, name):  # Parameters: the command line names the output; the run time differs
        return [row for row in book.get_sheet_by_name(name).to_python()
                if not (row and row[0] in ("command", "命令", "run at", "运行时间"))]

    return all(cells(a, n) == cells(b, n) for n in a.sheet_names)


def same_page(a: str, b: str) -> bool:
    """Two HTML reports, equal but for their "Generated: …" (生成时间) minute."""
    import re

    stamp = re.compile(r"(Generated|生成时间)(:|：) ?\d{4}-\d{2}-\d{2} \d{2}:\d{2}")

    def text(path: str) -> str:
        with open(path, encoding="utf-8") as handle:
            return stamp.sub(r"\1", handle.read())

    return text(a) == text(b)


if __name__ == "__main__":
    if sys.argv[1:] == ["--versions"]:
        print(versions())
        raise SystemExit(0)
    if sys.argv[1] == "--same-cells":
        raise SystemExit(0 if same_cells(sys.argv[2], sys.argv[3]) else 1)
    if sys.argv[1] == "--same-page":
        raise SystemExit(0 if same_page(sys.argv[2], sys.argv[3]) else 1)
    verdict = compare(sys.argv[1], sys.argv[2])
    print(verdict)
    raise SystemExit(0 if verdict.startswith("same") else 1)
