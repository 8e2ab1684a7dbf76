"""`dealwire`: run the pipeline, query the warehouse, extract facts from files, open the UI."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path

from warehouse.paths import PROJECT_ROOT, duckdb_path

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _venv_on_path() -> None:
    # dbt and dg live next to this interpreter; children must find them without an activated venv.
    bindir = str(Path(sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")


def cmd_run(args: argparse.Namespace) -> int:
    from orchestration.instance import ensure_dagster_home
    from orchestration.runner import run_refresh

    outcome = run_refresh(args.select)
    if not outcome.success:
        for step, reason in outcome.failures:
            print(f"FAILED {step}: {reason}", file=sys.stderr)
        print(f"run {outcome.run_id} failed; see `make ui` for the full log", file=sys.stderr)
        return EXIT_FAILED
    print(_summary(ensure_dagster_home(), outcome.run_id))
    return EXIT_OK


def _summary(home: Path, run_id: str) -> str:
    from warehouse.query import run_query

    path = duckdb_path()
    labels = ("articles", "deal mentions", "capex mentions", "deals", "capex rows", "fetch errors")
    # One read-only connection for the whole summary.
    _, rows = run_query(path, """
        select (select count(*) from raw.articles), (select count(*) from raw.deal_mentions),
               (select count(*) from raw.capex_mentions), (select count(*) from marts.deals),
               (select count(*) from marts.capex),
               (select count(*) from raw.fetch_log where outcome = 'error')""")
    counts = dict(zip(labels, rows[0]))
    lines = [f"dealwire run {run_id[:8]} succeeded"]
    lines += [f"  {label:<15}{n}" for label, n in counts.items()]
    lines += [
        f"  warehouse      {path}",
        f"  dagster home   {home}",
        "",
        "Next:",
        "  make ui                                    # Dagster UI on http://127.0.0.1:3000",
        '  .venv/bin/dealwire sql "select * from marts.deals"',
    ]
    return "\n".join(lines)


def cmd_sql(args: argparse.Namespace) -> int:
    import duckdb

    from warehouse.connection import WarehouseLockedError
    from warehouse.query import format_rows, run_query

    try:
        columns, rows = run_query(Path(args.database) if args.database else duckdb_path(), args.query)
    except (duckdb.Error, FileNotFoundError, WarehouseLockedError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_FAILED
    print(format_rows(columns, rows, args.format))
    return EXIT_OK


def cmd_extract(args: argparse.Namespace) -> int:
    from ingest.extract_cli import main as extract_main

    return extract_main(args.rest)


def cmd_ui(args: argparse.Namespace) -> int:
    from orchestration.dbt_project import prepare_manifest
    from orchestration.instance import ensure_dagster_home

    ensure_dagster_home()
    prepare_manifest()
    os.environ["DAGSTER_IS_DEV_CLI"] = "1"
    if sys.prefix != sys.base_prefix:  # tell dg which venv it runs in, so it does not warn of a mismatch
        os.environ["VIRTUAL_ENV"] = sys.prefix
    command = [str(Path(sys.executable).parent / "dg"), "dev", "--host", args.host, "--port", str(args.port)]
    print(f"Dagster UI on http://{args.host}:{args.port} (webserver + daemon; Ctrl-C stops)")
    # Background shells may hand us ignored SIGINT/SIGTERM; restore them so Ctrl-C and kill work.
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, preexec_fn=_default_signals)
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.send_signal(signal.SIGINT)
        return process.wait()


def _default_signals() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dealwire", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="materialize every asset: scrape, extract, dbt build")
    run.add_argument("--select", help="only these assets, in dg selection syntax (e.g. 'key:raw/*+')")
    run.set_defaults(func=cmd_run)

    sql = commands.add_parser("sql", help="run a read-only SQL query against the warehouse")
    sql.add_argument("query")
    sql.add_argument("--format", choices=("table", "csv", "json"), default="table")
    sql.add_argument("--database", help="DuckDB file (default: $DEALWIRE_DUCKDB_PATH or data/dealwire.duckdb)")
    sql.set_defaults(func=cmd_sql)

    extract = commands.add_parser("extract", help="print the money facts in files as JSON lines",
                                  add_help=False)
    extract.add_argument("rest", nargs=argparse.REMAINDER)
    extract.set_defaults(func=cmd_extract)

    ui = commands.add_parser("ui", help="start the Dagster UI (webserver and daemon)")
    ui.add_argument("--host", default="127.0.0.1")
    ui.add_argument("--port", type=int, default=3000)
    ui.set_defaults(func=cmd_ui)
    return parser


def main(argv: list[str] | None = None) -> int:
    _venv_on_path()
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:
        # The reader went away (`dealwire extract ... | head`): not an error; silence the final flush.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
