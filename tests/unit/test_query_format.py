"""`dealwire sql` output: tables that fit the terminal (CJK is two columns wide), CSV / Parquet exports."""

import csv
from datetime import date
from decimal import Decimal

import duckdb
import pytest

from warehouse.connection import connect
from warehouse.query import display_width, export_rows, fit_widths, format_rows, run_query_typed, truncate


@pytest.mark.parametrize("text, width", [
    ("Amazon", 6),
    ("英伟达", 6),                 # CJK ideographs: two columns each
    ("預測 1750 億美元", 16),
    ("ＡＢ１", 6),                  # full-width Latin and digits
    ("e\u0301", 1),                # a combining accent takes no column
    ("…", 1),
    ("", 0),
])
def test_display_width(text, width):
    assert display_width(text) == width


@pytest.mark.parametrize("text, width, expected", [
    ("OpenAI", 10, "OpenAI"),          # fits: unchanged
    ("OpenAI", 6, "OpenAI"),
    ("OpenAI", 5, "Open…"),
    ("英伟达拟出资", 7, "英伟达…"),     # 3 ideographs (6 columns) + the ellipsis
    ("英伟达拟出资", 6, "英伟…"),       # a wide character that would straddle the edge is dropped
    ("a英b", 3, "a…"),
])
def test_truncate_counts_terminal_columns(text, width, expected):
    cut = truncate(text, width)
    assert cut == expected and display_width(cut) <= width


@pytest.mark.parametrize("natural, budget, expected", [
    ([5, 10, 40], 60, [5, 10, 40]),    # fits already
    ([5, 10, 40], 40, [5, 10, 25]),    # only the widest gives way
    ([5, 30, 40], 40, [5, 17, 17]),    # the two wide ones share what is left
    ([5, 30, 40], 6, [3, 3, 3]),       # cannot fit: the floor
])
def test_fit_widths(natural, budget, expected):
    assert fit_widths(natural, budget) == expected


def test_table_fits_the_terminal_width_with_cjk_cells():
    columns = ["investor", "evidence", "amount_usd"]
    rows = [("NVIDIA", "英伟达拟出资最高约300亿美元投资OpenAI,双方签署意向书" * 2, 100e9),
            ("OpenAI", "OpenAI signed a seven-year, $38 billion agreement with Amazon Web Services", 38e9)]
    table = format_rows(columns, rows, width=60)
    lines = table.splitlines()
    assert all(display_width(line) <= 60 for line in lines), table
    assert lines[-1] == "(2 rows)"
    assert lines[2].startswith("NVIDIA   | 英伟达") and lines[2].rstrip().endswith("| 100000000000")
    assert "…" in lines[2] and "…" in lines[3]
    # The column separators of the header and of every row line up in terminal columns.
    bars = {tuple(i for i, cell in enumerate(_columns_of(line)) if cell == "|") for line in (lines[0], *lines[2:4])}
    assert len(bars) == 1 and len(next(iter(bars))) == 2


def _columns_of(line: str) -> list[str]:
    """The line as terminal cells (a wide character followed by a filler cell)."""
    cells = []
    for ch in line:
        cells.append(ch)
        if display_width(ch) == 2:
            cells.append("")
    return cells


def test_table_without_a_width_keeps_the_per_cell_cap_only():
    rows = [("x" * 100,)]
    table = format_rows(["long"], rows)
    assert table.splitlines()[2] == "x" * 59 + "…"


def test_json_and_csv_keep_full_values():
    rows = [("英伟达" * 40, Decimal("1.5"), date(2026, 2, 6), None)]
    assert format_rows(["a", "b", "c", "d"], rows, "json") == (
        '{"a": "' + "英伟达" * 40 + '", "b": 1.5, "c": "2026-02-06", "d": null}')
    assert format_rows(["a", "b", "c", "d"], rows, "csv").splitlines()[1] == "英伟达" * 40 + ",1.5,2026-02-06,"
    with pytest.raises(ValueError):
        format_rows(["a"], [], "xml")


@pytest.fixture
def warehouse(tmp_path):
    path = tmp_path / "w.duckdb"
    with connect(path) as con:
        con.execute("create schema marts")
        con.execute("""create table marts.deals as select * from (values
            ('NVIDIA', '英伟达', 100000000000::double, 1.25::decimal(18,3), date '2026-02-06', [1, 2], 'a, "q"'),
            ('OpenAI', null, 38000000000::double, null, null, [], 'line
break')) t(investor, investor_zh, amount_usd, ratio, published, ids, note)""")
    return path


def test_csv_export_round_trips(warehouse, tmp_path):
    columns, types, rows = run_query_typed(warehouse, "select * from marts.deals order by investor")
    target = tmp_path / "out" / "deals.csv"
    assert export_rows(columns, types, rows, target) == 2
    with target.open(encoding="utf-8", newline="") as handle:
        read = list(csv.reader(handle))
    assert read[0] == columns
    assert read[1] == ["NVIDIA", "英伟达", "100000000000", "1.25", "2026-02-06", "[1, 2]", 'a, "q"']
    assert read[2] == ["OpenAI", "", "38000000000", "", "", "[]", "line\nbreak"]


def test_parquet_export_keeps_types_and_values(warehouse, tmp_path):
    columns, types, rows = run_query_typed(warehouse, "select *, null as nothing from marts.deals order by investor")
    target = tmp_path / "deals.parquet"
    assert export_rows(columns, types, rows, target) == 2
    con = duckdb.connect()
    described = con.execute(f"describe select * from '{target}'").fetchall()
    assert [(name, kind) for name, kind, *_ in described] == [
        ("investor", "VARCHAR"), ("investor_zh", "VARCHAR"), ("amount_usd", "DOUBLE"), ("ratio", "DECIMAL(18,3)"),
        ("published", "DATE"), ("ids", "INTEGER[]"), ("note", "VARCHAR"), ("nothing", "VARCHAR")]
    assert con.execute(f"select * from '{target}' order by investor").fetchall() == rows


def test_empty_result_exports_a_header_or_an_empty_typed_file(warehouse, tmp_path):
    columns, types, rows = run_query_typed(warehouse, "select investor, amount_usd from marts.deals where false")
    assert export_rows(columns, types, rows, tmp_path / "e.csv") == 0
    assert (tmp_path / "e.csv").read_bytes() == b"investor,amount_usd\r\n"  # RFC 4180 line ends
    assert export_rows(columns, types, rows, tmp_path / "e.parquet") == 0
    assert duckdb.connect().execute(f"select count(*) from '{tmp_path / 'e.parquet'}'").fetchone() == (0,)


@pytest.mark.parametrize("name", ["out.json", "out.duckdb", "out"])
def test_export_refuses_other_formats_and_writes_nothing(warehouse, tmp_path, name):
    columns, types, rows = run_query_typed(warehouse, "select 1 as a")
    with pytest.raises(ValueError, match=".csv or .parquet"):
        export_rows(columns, types, rows, tmp_path / name)
    assert not (tmp_path / name).exists()


def test_parquet_export_needs_distinct_column_names(warehouse, tmp_path):
    columns, types, rows = run_query_typed(warehouse, "select 1 as a, 2 as A")
    with pytest.raises(ValueError, match="distinct column names"):
        export_rows(columns, types, rows, tmp_path / "dup.parquet")
    assert list(tmp_path.glob("*dup*")) == []
