"""The bytes-first reader of UTF-8 text tables (``sources._read_utf8``)
against the exact path it stands in front of (decode the whole file, then
read it): the same cells, row numbers, notes and errors, on the samples, the
export corpus and random files (blank lines, CRLF, bare CR, quotes that run
over lines, BOMs, titles above the header, GB18030, ragged rows)."""
from __future__ import annotations

import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cskit.errors import DataError
from cskit.i18n import render
from cskit.io import read as R
from cskit.io import sources as S
from cskit.schema import INVOICES

ROOT = Path(__file__).resolve().parent.parent
WANTED = set(R.alias_table(INVOICES))


def _outcome(path: Path, wanted, *, exact: bool, monkeypatch) -> tuple:
    with monkeypatch.context() as m:
        if exact:
            m.setattr(S, "_read_utf8", lambda *a, **k: None)
            m.setattr(S, "_read_utf8_file", lambda *a, **k: None)
        try:
            frame = R.read_raw(str(path), wanted=wanted, keep_blank=True)
        except DataError as exc:
            return ("error", [render(p.expected) for p in exc.problems],
                    [(p.row, p.column) for p in exc.problems])
    attrs = {k: ([(kind, render(t)) for kind, t in v] if k == "reader_notes" else v)
             for k, v in frame.attrs.items()}
    return (list(frame.columns), frame.index.tolist(), frame.astype(str).values.tolist(), attrs)


def _same(path: Path, monkeypatch, wanted=WANTED) -> None:
    exact = _outcome(path, wanted, exact=True, monkeypatch=monkeypatch)
    fast = _outcome(path, wanted, exact=False, monkeypatch=monkeypatch)
    assert fast == exact
    # a large file is read by Arrow from the disk, looked at in blocks: tiny
    # blocks here put line ends, CRs and quotes across their edges
    with monkeypatch.context() as m:
        m.setattr(S, "_BLOCK", 7)
        from_disk = _outcome(path, wanted, exact=False, monkeypatch=monkeypatch)
    assert from_disk == exact


@pytest.mark.parametrize("path", sorted((ROOT / "samples").glob("*.csv")), ids=lambda p: p.name)
def test_samples_read_the_same(path, monkeypatch):
    _same(path, monkeypatch)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_export_corpus_reads_the_same(encoding, tmp_path, monkeypatch):
    import export_corpus as E

    makers = [E.kingdee_ar_rows, E.kingdee_receipt_rows, E.yonyou_rows, E.sap_rows,
              E.master_rows, E.ledger_rows, E.row14_rows]
    for make in makers:
        path = E._csv(tmp_path / f"{make.__name__}.csv", make(), encoding=encoding)
        _same(path, monkeypatch)


def test_a_large_file_is_read_from_the_disk_not_as_bytes(tmp_path, monkeypatch):
    path = tmp_path / "large.csv"
    path.write_bytes(("customer_id,amount\r\n" + "C1,12.50\r\n" * 40).encode("utf-8-sig"))
    monkeypatch.setattr(S, "_BLOCK", 16)
    monkeypatch.setattr(S, "_read_bytes", lambda *a: pytest.fail("read as bytes"))
    frame = R.read_raw(str(path), wanted=WANTED)
    assert frame.index.tolist() == list(range(2, 42))
    assert list(frame.columns) == ["customer_id", "amount"]


def test_the_fast_path_is_taken_for_a_plain_utf8_file(tmp_path, monkeypatch):
    path = tmp_path / "plain.csv"
    path.write_bytes("customer_id,amount\r\nC1,12.50\r\nC2,客户\r\n".encode())
    called = []
    real = S._read_text_arrow
    monkeypatch.setattr(S, "_read_text_arrow", lambda *a: called.append(a) or real(*a))
    monkeypatch.setattr(S, "decode", lambda *a, **k: pytest.fail("decoded in Python"))
    frame = R.read_raw(str(path), wanted=WANTED)
    assert frame.index.tolist() == [2, 3] and frame["amount"].tolist() == ["12.50", "客户"]
    assert called


def test_invalid_utf8_late_in_a_file_falls_back_to_gb18030(tmp_path, monkeypatch):
    # the first megabyte is ASCII, the last row is GB18030: Arrow refuses it
    body = "customer_id,customer_name\n" + "C1,x\n" * 300_000 + "C2,客户甲\n"
    path = tmp_path / "late.csv"
    path.write_bytes(body.encode("gb18030"))
    frame = R.read_raw(str(path), wanted=WANTED)
    assert frame["customer_name"].iloc[-1] == "客户甲"
    _same(path, monkeypatch)


_CELL = st.one_of(
    st.text(alphabet=string.ascii_letters + string.digits + " .-", max_size=6),
    st.sampled_from(["", "客户", "合计", "1,234.50", '"q"', "a\nb", "x\r\ny", "¥12", " "]),
)


def _csv_cell(value: str, sep: str) -> str:
    if any(ch in value for ch in (sep, '"', "\n", "\r")):
        return '"' + value.replace('"', '""') + '"'
    return value


@st.composite
def _text_files(draw) -> bytes:
    sep = draw(st.sampled_from([",", ";", "\t"]))
    width = draw(st.integers(1, 4))
    header = draw(st.sampled_from([["customer_id", "amount", "invoice_no", "客户名称"],
                                   ["客户编码", "金额", "单据编号", "备注"]]))[:width]
    lines = []
    if draw(st.booleans()):
        lines += ["应收账款明细表", "日期：2026-10-31"] + ([""] if draw(st.booleans()) else [])
    lines.append(sep.join(header))
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(["row", "row", "row", "blank", "spaces", "short", "long"]))
        if kind == "blank":
            lines.append("")
        elif kind == "spaces":
            lines.append("  ")
        else:
            n = width - 1 if kind == "short" else width + 1 if kind == "long" else width
            lines.append(sep.join(_csv_cell(draw(_CELL), sep) for _ in range(max(n, 1))))
    end = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = end.join(lines) + (end if draw(st.booleans()) else "")
    if draw(st.booleans()) and '"' not in text:
        text = text.replace("a", '"a', 1)  # a stray quote
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
    return text.encode(encoding)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=_text_files(), wanted=st.sampled_from([WANTED, None]))
def test_random_text_files_read_the_same(data, wanted, tmp_path, monkeypatch):
    path = tmp_path / "random.csv"
    path.write_bytes(data)
    _same(path, monkeypatch, wanted)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), st.sampled_from(["", " ", "a", " a", "a ", "\u3000甲", "乙\t",
                                                     "\xa0", "b c"])), max_size=8))
def test_a_trimmed_text_column_is_kept_as_it_is(cells):
    # the column the reader hands over unchanged equals the one it used to trim
    import pandas as pd

    from cskit.io.values.categories import parse_text

    values = pd.Series(cells, dtype="str")
    parsed, bad = parse_text(values)
    stripped = values.str.strip()
    pd.testing.assert_series_equal(parsed, stripped.where(stripped != ""))
    assert not bad.any()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(
    st.sampled_from(["2026-10-01", " 2026/1/2 ", "2026年10月1日", "２０２６-10-01", "2026-10-01 12:30",
                     "2026-10-01T12:30:05.5", "2026-13-45", "20261001", "2026-10-01\x0b",
                     "\u30002026-10-01", "x", "", "2026-10-01\n", "2026.1.2 7：05"]),
    st.text(alphabet="2026-/.年月日 :T0１", max_size=14)), min_size=1, max_size=10))
def test_a_date_column_is_recognised_in_arrow_as_cell_by_cell(cells):
    # a table of unknown shape (render-report): Arrow's regex first, Python's
    # for what it does not match, the same answer as Python's for every cell
    import pandas as pd

    from cskit.io.values.columns import _all_date_like, _date_like

    values = pd.Series(cells, dtype="str")
    assert _all_date_like(values) == bool(values.map(_date_like).all())


def _old_by_unique(values, parse_one, dtype):
    import numpy as np
    import pandas as pd

    from cskit.io.values.common import _BAD, is_blank

    blank = is_blank(values)
    if blank.all():
        empty = pd.Series(pd.NaT if dtype == "datetime" else None, index=values.index,
                          dtype="datetime64[ns]" if dtype == "datetime" else object)
        return empty, pd.Series(False, index=values.index)
    codes, uniques = pd.factorize(values.where(~blank), use_na_sentinel=True)
    parsed_uniques = [parse_one(u) for u in uniques]
    bad_uniques = np.array([p is _BAD for p in parsed_uniques], dtype=bool)
    clean = [None if (p is _BAD or p is None) else p for p in parsed_uniques]
    if dtype == "datetime":
        table = pd.to_datetime(pd.Series(clean, dtype=object), errors="coerce")
        table = table.astype("datetime64[ns]")
        out = table.take(np.where(codes >= 0, codes, 0)).to_numpy()
        out = np.where(codes >= 0, out, np.datetime64("NaT"))
        parsed = pd.Series(out, index=values.index, dtype="datetime64[ns]")
    else:
        table = pd.Series(clean, dtype=object)
        out = table.take(np.where(codes >= 0, codes, 0)).to_numpy(dtype=object, copy=True)
        out[codes < 0] = None
        parsed = pd.Series(out, index=values.index, dtype=object)
    bad = pd.Series(np.where(codes >= 0, bad_uniques[np.maximum(codes, 0)] if len(uniques)
                             else False, False), index=values.index)
    return parsed, bad


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), st.sampled_from(["", " ", "nan", "None", "NULL", "y", " yes ",
                                                     "否", "x", "1", "1.0", "maybe", "NaT"]),
                          st.integers(0, 2), st.floats(allow_nan=True, allow_infinity=False)),
                max_size=10), st.sampled_from(["str", "object"]))
def test_distinct_values_parsed_as_before(cells, dtype):
    # blank cells found among the distinct values instead of over every row
    import pandas as pd

    from cskit.io.values.categories import parse_bool, parse_text
    from cskit.io.values.common import _by_unique

    if dtype == "str":
        cells = [c if c is None or isinstance(c, str) else str(c) for c in cells]
    values = pd.Series(cells, dtype=dtype, index=pd.RangeIndex(2, 2 + len(cells)))
    for parser in (parse_bool, parse_text):
        with pytest.MonkeyPatch.context() as m:
            import cskit.io.values.categories as C

            m.setattr(C, "_by_unique", _old_by_unique)
            old = parser(values)
        new = parser(values)
        pd.testing.assert_series_equal(new[0], old[0])
        pd.testing.assert_series_equal(new[1], old[1])
    one = lambda v: None if v == "x" else v  # noqa: E731
    new, old = _by_unique(values, one, "object"), _old_by_unique(values, one, "object")
    pd.testing.assert_series_equal(new[0], old[0])
    pd.testing.assert_series_equal(new[1], old[1])
