"""Ingestion: sources -> fetch -> parse -> extract. Knows nothing of Dagster."""
