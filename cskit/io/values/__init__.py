"""Cell values → typed columns, with the cells that do not parse marked.

Every parser takes a Series of raw cells (strings from CSV; str, float, int,
bool, datetime from Excel/JSON/Parquet) and returns ``(parsed, bad)``:
the typed Series and a boolean mask of the non-blank cells that could not
be understood. Blank cells are missing values, never errors; whether a
blank is allowed is the schema's business.

Parsing is done once per distinct value (``pd.factorize``), so a ledger of a
million rows with a few hundred distinct dates parses a few hundred strings.

The package, by concern: ``common`` (blank cells, limits, shared forms),
``dates``, ``numbers`` (money, numbers, whole numbers), ``categories``
(booleans, categories, text), ``cells`` (cells no column takes, reasons for
bad cells, rules across a row) and ``columns`` (a column by its schema type,
or inferred). Every name is re-exported here: ``cskit.io.values.X``; a name
is looked up in the module that defines it, so that is the one to patch.
"""
from cskit.io.values.common import (  # noqa: F401
    _arrow_strings,
    _Bad,
    _BAD,
    _by_unique,
    _COMPACT_DATE,
    _DATE,
    EXCEL_ERRORS,
    FIRST_DAY,
    FIRST_YEAR,
    is_blank,
    is_excel_error,
    LAST_DAY,
    LAST_YEAR,
    MONEY_LIMIT,
    _MONEY_NOISE,
    _NUMBER,
    NUMBER_LIMIT,
)
from cskit.io.values.dates import (  # noqa: F401
    DATE_EXPECTED,
    _DATE_GROUPS,
    _date_one,
    _dates_distinct,
    _dates_vectorised,
    DATETIME_EXPECTED,
    EXCEL_EPOCH,
    _in_range,
    MAX_SERIAL,
    _mixed_zones,
    parse_as_of,
    parse_date_text,
    parse_dates,
    _serial,
    _year,
)
from cskit.io.values.numbers import (  # noqa: F401
    _DECIMAL_COMMA,
    decimal_comma_column,
    _decimal_one,
    _GROUPED,
    _groups_ok,
    INT_EXPECTED,
    _magnitude,
    MONEY_EXPECTED,
    NUMBER_EXPECTED,
    _numeric_fast,
    _parse_decimal,
    parse_figures,
    parse_int,
    parse_money,
    parse_number,
    _PLAIN,
    round_cents,
    sign_forms,
    _to_numeric_strings,
)
from cskit.io.values.categories import (  # noqa: F401
    BOOL_EXPECTED,
    choices_expected,
    FALSE_WORDS,
    _norm_word,
    parse_bool,
    parse_category,
    parse_text,
    TEXT_EXPECTED,
    TRUE_WORDS,
)
from cskit.io.values.cells import (  # noqa: F401
    bad_reasons,
    DATE_RANGE,
    DECIMAL_COMMA,
    EXCEL_ERROR,
    _hashable,
    MIXED_ZONES,
    MONEY_RANGE,
    Nested,
    NESTED,
    nested_cells,
    _nested_text,
    NOT_A_NUMBER,
    _NOT_NUMBERS,
    NUMBER_RANGE,
    paid_within,
    _reason,
    _refused,
    row_rules,
    TOO_DEEP,
)
from cskit.io.values.columns import (  # noqa: F401
    infer_column,
    _looks_numeric,
    parse_column,
    _parse_column,
)
