"""The dbt models on a second adapter: parse and compile for PostgreSQL with no database.

`dbt parse` needs no connection. `dbt compile` connects to fill its relation cache and for
introspective macros; `--no-populate-cache --no-introspect` skips the first, so every model
compiles offline except incremental ones, whose `is_incremental()` asks the database whether the
table exists. Those are listed, not hidden. The compiled SQL is then read by sqlglot's Postgres
dialect, to flag DuckDB-only syntax.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import Figure, table

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_DIR = PROJECT_ROOT / "dbt_project"
PROFILES_DIR = Path(__file__).resolve().parent / "dbt_profiles"
DBT = str(Path(sys.executable).parent / "dbt")


@dataclass
class PortabilityResult:
    parse_ok: bool
    parse_s: float
    models: list[str] = field(default_factory=list)
    incremental: list[str] = field(default_factory=list)
    compile_ok: bool = False
    compile_s: float = 0.0
    compiled_models: list[str] = field(default_factory=list)
    sql_errors: dict[str, str] = field(default_factory=dict)  # model -> sqlglot message (postgres dialect)
    output: str = ""


def _dbt(args: list[str], target_dir: Path) -> tuple[int, str, float]:
    t0 = time.perf_counter()
    result = subprocess.run([DBT, *args, "--profiles-dir", str(PROFILES_DIR), "--target", "postgres",
                             "--target-path", str(target_dir / "target"), "--log-path", str(target_dir / "logs")],
                            cwd=DBT_DIR, capture_output=True, text=True, timeout=600)
    return result.returncode, result.stdout + result.stderr, time.perf_counter() - t0


def check(work_dir: Path | None = None) -> PortabilityResult:
    """One `dbt compile` for the postgres target (it parses first), incremental models excluded."""
    with tempfile.TemporaryDirectory(prefix="dealwire-pg-") as tmp:
        work = work_dir or Path(tmp)
        code, out, seconds = _dbt(["compile", "--no-populate-cache", "--no-introspect",
                                   "--exclude", "config.materialized:incremental"], work)
        manifest_path = work / "target" / "manifest.json"
        res = PortabilityResult(manifest_path.exists(), seconds, compile_ok=code == 0, compile_s=seconds,
                                output=out[-3000:])
        if not res.parse_ok:
            return res
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        models = {n["name"]: n for n in manifest["nodes"].values() if n["resource_type"] == "model"}
        res.models = sorted(models)
        res.incremental = sorted(k for k, n in models.items() if n["config"].get("materialized") == "incremental")
        import sqlglot

        compiled = work / "target" / "compiled" / "dealwire" / "models"
        for path in sorted(compiled.rglob("*.sql")):
            if path.stem not in models:
                continue  # compiled data tests
            res.compiled_models.append(path.stem)
            try:
                sqlglot.parse(path.read_text(encoding="utf-8"), read="postgres")
            except sqlglot.errors.ParseError as error:
                res.sql_errors[path.stem] = str(error).splitlines()[0][:160]
        res.compiled_models.sort()
        return res


def run() -> Figure:
    res = check()
    fig = Figure("portability", "Beyond one machine: the dbt models on PostgreSQL (dbt-postgres, no database)")
    rows = [["dbt compile --no-populate-cache --no-introspect --exclude config.materialized:incremental "
             "(parses the whole project first)", "ok" if res.compile_ok else "failed", f"{res.compile_s:.0f}",
             f"{len(res.models)} models parsed, {len(res.compiled_models)} compiled"]]
    fig.lines = ["Profile: `bench/dbt_profiles/profiles.yml` (target `postgres`, pointing at a closed port).", "",
                 *table(["step", "result", "seconds", "detail"], rows), ""]
    if res.incremental:
        fig.lines.append(f"Not compiled offline: {', '.join(res.incremental)} (incremental: `is_incremental()` "
                         "asks the database whether the table exists, so `dbt compile` needs a connection).")
    if res.sql_errors:
        fig.lines.append("Compiled SQL that sqlglot's Postgres dialect cannot read (DuckDB-only syntax to port):")
        fig.lines += [f"- `{m}`: {e}" for m, e in res.sql_errors.items()]
    elif res.compiled_models:
        fig.lines.append("sqlglot's Postgres dialect reads every compiled model (a syntax check, not a run).")
    fig.data = {k: v for k, v in vars(res).items() if k != "output"}
    return fig
