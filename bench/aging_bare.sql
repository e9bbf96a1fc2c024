-- The bare per-customer aging that issue #16 measures cskit against: one
-- DuckDB statement with no validation and no allocation: read_csv,
-- outstanding = amount - paid_amount, days overdue from the due date (or the
-- invoice date plus terms), CASE buckets, GROUP BY customer, COPY to CSV.
-- {invoices}, {as_of} and {out} are filled in by duckdb_aging.py --bare.
COPY (
    WITH inv AS (
        SELECT customer_id,
               amount - coalesce(paid_amount, 0) AS open_amount,
               DATE '{as_of}' - coalesce(due_date,
                   invoice_date + CAST(coalesce(terms_days, 30) AS INTEGER)) AS days_overdue
        FROM read_csv('{invoices}', header = true, types = {{
            'customer_id': 'VARCHAR', 'invoice_date': 'DATE', 'due_date': 'DATE',
            'terms_days': 'INTEGER', 'amount': 'DOUBLE', 'paid_amount': 'DOUBLE'}})
        WHERE invoice_date <= DATE '{as_of}'
    )
    SELECT customer_id,
           round(sum(open_amount), 2) AS outstanding,
           round(sum(CASE WHEN days_overdue <= 0 THEN open_amount ELSE 0 END), 2) AS not_due,
           round(sum(CASE WHEN days_overdue BETWEEN 1 AND 30 THEN open_amount ELSE 0 END), 2) AS "1-30",
           round(sum(CASE WHEN days_overdue BETWEEN 31 AND 60 THEN open_amount ELSE 0 END), 2) AS "31-60",
           round(sum(CASE WHEN days_overdue BETWEEN 61 AND 90 THEN open_amount ELSE 0 END), 2) AS "61-90",
           round(sum(CASE WHEN days_overdue BETWEEN 91 AND 180 THEN open_amount ELSE 0 END), 2) AS "91-180",
           round(sum(CASE WHEN days_overdue > 180 THEN open_amount ELSE 0 END), 2) AS "181+"
    FROM inv GROUP BY customer_id ORDER BY customer_id
) TO '{out}' (HEADER, DELIMITER ',');
