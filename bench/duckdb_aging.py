"""Run bench/aging.sql in DuckDB: the comparison for `cskit aging-report`.

    python bench/duckdb_aging.py INVOICES.csv OUT.csv [--payments PAYMENTS.csv] [--as-of DATE] [--bare]

One process, one SQL statement, as a user would write it instead of cskit.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent

PAYMENTS_SQL = """SELECT customer_id, CAST(round(amount * 100) AS BIGINT) AS cents
            FROM read_csv('{payments}', header = true, types = {{
                'customer_id': 'VARCHAR', 'payment_date': 'DATE', 'amount': 'DOUBLE',
                'invoice_no': 'VARCHAR', 'payment_id': 'VARCHAR'}})
            WHERE payment_date <= DATE '{as_of}' AND invoice_no IS NULL"""
NO_PAYMENTS_SQL = "SELECT NULL::VARCHAR AS customer_id, 0::BIGINT AS cents WHERE false"


def _quoted(path) -> str:
    return str(path).replace("'", "''")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("invoices")
    parser.add_argument("out")
    parser.add_argument("--payments")
    parser.add_argument("--as-of", default="2026-10-31")
    parser.add_argument("--bare", action="store_true",
                        help="no allocation: bench/aging_bare.sql (the issue's bare statement)")
    args = parser.parse_args(argv)
    payments_sql = (PAYMENTS_SQL.format(payments=_quoted(args.payments), as_of=args.as_of)
                    if args.payments else NO_PAYMENTS_SQL)
    sql = (HERE / ("aging_bare.sql" if args.bare else "aging.sql")).read_text(encoding="utf-8")
    sql = "\n".join(line for line in sql.splitlines() if not line.startswith("--"))
    sql = sql.format(invoices=_quoted(args.invoices), payments_sql=payments_sql,
                     as_of=args.as_of, out=_quoted(args.out))
    duckdb.connect().execute(sql)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
