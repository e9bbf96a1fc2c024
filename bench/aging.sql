-- The same aging as `cskit aging-report INVOICES [--payments PAYMENTS] -o OUT.csv`
-- (due-date basis, buckets 30/60/90/180, default terms 30 days), written as
-- one DuckDB statement: read_csv, outstanding, FIFO of each customer's credit
-- notes and unallocated payments over its open invoices (oldest due date
-- first), days overdue, CASE buckets, GROUP BY customer, COPY to CSV.
-- Money in integer cents so that the bucket totals compare to the cent.
-- {invoices}, {payments_sql}, {as_of} and {out} are filled in by duckdb_aging.py.
COPY (
    WITH inv AS (
        SELECT customer_id, customer_name, invoice_no, invoice_date,
               coalesce(due_date, invoice_date + CAST(coalesce(terms_days, 30) AS INTEGER)) AS due,
               CAST(round(amount * 100) AS BIGINT) AS amt,
               CAST(round(abs(coalesce(paid_amount, 0)) * 100) AS BIGINT) AS paid_abs
        FROM read_csv('{invoices}', header = true, types = {{
            'customer_id': 'VARCHAR', 'customer_name': 'VARCHAR', 'invoice_no': 'VARCHAR',
            'invoice_date': 'DATE', 'due_date': 'DATE', 'terms_days': 'INTEGER',
            'amount': 'DOUBLE', 'paid_amount': 'DOUBLE'}})
        WHERE invoice_date <= DATE '{as_of}'
    ),
    open_items AS (
        SELECT *, amt - (CASE WHEN amt < 0 THEN -paid_abs ELSE paid_abs END) AS open_cents
        FROM inv
    ),
    pool AS (
        SELECT customer_id, sum(cents) AS pool FROM (
            SELECT customer_id, greatest(-open_cents, 0) AS cents FROM open_items
            UNION ALL
            {payments_sql}
        ) GROUP BY customer_id
    ),
    fifo AS (
        SELECT o.customer_id, o.due, greatest(o.open_cents, 0) AS remaining,
               coalesce(sum(greatest(o.open_cents, 0)) OVER (
                   PARTITION BY o.customer_id ORDER BY o.due, o.invoice_date, o.invoice_no
                   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before,
               coalesce(p.pool, 0) AS pool
        FROM open_items o LEFT JOIN pool p USING (customer_id)
    ),
    aged AS (
        SELECT customer_id, remaining - least(greatest(pool - before, 0), remaining) AS outstanding,
               least(greatest(pool - before, 0), remaining) AS applied,
               DATE '{as_of}' - due AS days_overdue
        FROM fifo
    ),
    per_customer AS (
        SELECT customer_id,
               count(*) FILTER (WHERE outstanding > 0) AS open_invoices,
               sum(outstanding) AS outstanding,
               sum(CASE WHEN days_overdue <= 0 THEN outstanding ELSE 0 END) AS not_due,
               sum(CASE WHEN days_overdue BETWEEN 1 AND 30 THEN outstanding ELSE 0 END) AS d1_30,
               sum(CASE WHEN days_overdue BETWEEN 31 AND 60 THEN outstanding ELSE 0 END) AS d31_60,
               sum(CASE WHEN days_overdue BETWEEN 61 AND 90 THEN outstanding ELSE 0 END) AS d61_90,
               sum(CASE WHEN days_overdue BETWEEN 91 AND 180 THEN outstanding ELSE 0 END) AS d91_180,
               sum(CASE WHEN days_overdue > 180 THEN outstanding ELSE 0 END) AS d181,
               sum(applied) AS applied
        FROM aged GROUP BY customer_id
    ),
    names AS (
        SELECT customer_id, arg_max(customer_name, invoice_date) AS customer_name
        FROM inv GROUP BY customer_id
    )
    SELECT customer_id, n.customer_name, coalesce(open_invoices, 0) AS open_invoices,
           CAST(coalesce(outstanding, 0) / 100 AS DECIMAL(18, 2)) AS outstanding,
           CAST(coalesce(not_due, 0) / 100 AS DECIMAL(18, 2)) AS "not_due",
           CAST(coalesce(d1_30, 0) / 100 AS DECIMAL(18, 2)) AS "1-30",
           CAST(coalesce(d31_60, 0) / 100 AS DECIMAL(18, 2)) AS "31-60",
           CAST(coalesce(d61_90, 0) / 100 AS DECIMAL(18, 2)) AS "61-90",
           CAST(coalesce(d91_180, 0) / 100 AS DECIMAL(18, 2)) AS "91-180",
           CAST(coalesce(d181, 0) / 100 AS DECIMAL(18, 2)) AS "181+",
           CAST(-(p.pool - coalesce(applied, 0)) / 100 AS DECIMAL(18, 2)) AS unapplied_credit
    FROM pool p LEFT JOIN per_customer USING (customer_id) LEFT JOIN names n USING (customer_id)
    WHERE coalesce(outstanding, 0) <> 0 OR p.pool <> coalesce(applied, 0)
    ORDER BY customer_id
) TO '{out}' (HEADER, DELIMITER ',');
