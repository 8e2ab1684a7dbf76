"""The dbt models compile for a second adapter (PostgreSQL via dbt-postgres) with no database."""

from __future__ import annotations

from bench.portability import check


def test_models_compile_for_postgres_offline(tmp_path):
    result = check(tmp_path)
    assert result.parse_ok, result.output
    assert result.compile_ok, result.output
    # Every model except the incremental ones (is_incremental() needs a connection) was compiled.
    assert result.models, "no models in the manifest"
    assert set(result.compiled_models) == set(result.models) - set(result.incremental), result.output
    for model in result.compiled_models:
        sql = (tmp_path / "target" / "compiled" / "dealwire" / "models").rglob(f"{model}.sql")
        assert "{{" not in next(sql).read_text(encoding="utf-8"), f"{model}: Jinja left in the compiled SQL"
    # The compiled SQL is valid for Postgres as far as sqlglot's Postgres dialect can tell.
    assert result.sql_errors == {}, result.sql_errors
