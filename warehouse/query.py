"""Read-only SQL for users: `dealwire sql`. The connection cannot write the warehouse or any file."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from warehouse.connection import connect

# read_only stops writes to the database; COPY ... TO and friends still write files, so external
# access is switched off too and the configuration locked so a query cannot switch it back on.
_LOCKED_DOWN = {"enable_external_access": False, "lock_configuration": True}


def run_query(path: Path, sql: str) -> tuple[list[str], list[tuple]]:
    if not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}: run `make run` (or `dealwire run`) first")
    with connect(path, read_only=True, config=_LOCKED_DOWN, wait_s=10) as con:
        cursor = con.execute(sql)
        columns = [d[0] for d in cursor.description] if cursor.description else []
        return columns, cursor.fetchall()


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e18:
        return int(value)
    return value


def format_rows(columns: list[str], rows: list[tuple], fmt: str = "table", max_width: int = 60) -> str:
    if fmt == "json":
        return "\n".join(json.dumps({c: _plain(v) for c, v in zip(columns, row)}, ensure_ascii=False,
                                    default=str) for row in rows)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_plain(v) for v in row] for row in rows])
        return out.getvalue().rstrip("\n")
    cells = [[_cell(v, max_width) for v in row] for row in rows]
    widths = [max([_width(c)] + [_width(r[i]) for r in cells]) for i, c in enumerate(columns)]
    line = lambda values: " | ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths))  # noqa: E731
    parts = [line(columns), "-+-".join("-" * w for w in widths)] + [line(r) for r in cells]
    parts.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(parts)


def _cell(value, max_width: int) -> str:
    text = "NULL" if value is None else str(_plain(value))
    text = text.replace("\n", " ")
    return text if len(text) <= max_width else text[: max_width - 1] + "…"


def _width(text: str) -> int:
    # CJK characters take two terminal columns.
    return sum(2 if "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" else 1 for ch in text)
