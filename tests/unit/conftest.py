"""Fixtures shared by the unit tests."""

import pytest

from warehouse.connection import connect, ensure_raw_schema


@pytest.fixture
def con(tmp_path):
    """A fresh warehouse file with the raw schema, open read-write."""
    with connect(tmp_path / "w.duckdb") as connection:
        ensure_raw_schema(connection)
        yield connection
