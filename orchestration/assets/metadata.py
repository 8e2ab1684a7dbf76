"""Small builders for materialization metadata shared by the Python assets."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import dagster as dg

from warehouse.schema import raw_column_types

OWNERS = ["team:data-engineering"]


@cache
def raw_column_schema(table: str) -> dg.TableSchema:
    """The columns of raw.<table> as the UI shows them, from the DDL."""
    return dg.TableSchema(columns=[dg.TableColumn(name, data_type.lower())
                                   for name, data_type in raw_column_types()[table]])


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[object]], width: int = 60) -> dg.MetadataValue:
    def cell(value: object) -> str:
        return ("" if value is None else str(value)).replace("|", "/").replace("\n", " ")[:width]

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return dg.MetadataValue.md("\n".join(lines) if rows else "_no rows yet_")
