"""Dagster definitions for dealwire: sources -> raw -> extraction -> dbt staging -> marts -> schedules."""
