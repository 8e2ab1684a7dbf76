"""The DuckDB warehouse: its path, the raw schema, idempotent writes and read-only queries."""
