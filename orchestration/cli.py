"""`dealwire`: run the pipeline, query the warehouse, check sources and freshness, open the UI."""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from ingest.pipes import silence_closed_pipe
from warehouse.paths import PROJECT_ROOT, data_dir, duckdb_path

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

EPILOG = """\
exit status (every command):
  0  done: the run succeeded, the query ran, every source answered, the data is fresh
  1  failed: a step or query failed, a source is unreachable, the data is stale, a run failed
  2  usage: unknown command or option, bad argument (e.g. --output with another suffix)

Every command has its own --help, e.g. `dealwire sql --help`.
"""

# dbt's per-node progress and preamble, as dagster-dbt re-prints it to stdout (one line per event).
_DBT_CHATTER = re.compile(
    r"^(\d+ of \d+ (START|OK|PASS|NO-OP)\b|Running with dbt=|Registered adapter:|Unable to do partial parsing"
    r"|Found \d+ \w+|Concurrency: |Finished running |Completed successfully$|$)")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# Dagster's note, when the dbt step skips on purpose (nothing changed), listing the ~200 check
# outputs it did not get; the step's own log line already says why.
_SKIP_NOTICE = re.compile(r"op 'dbt_models' did not yield or return expected outputs")


def is_dbt_chatter(line: str) -> bool:
    """True for dbt's lines about nodes that went fine and its start-up banner: hidden unless --verbose.

    Warnings, errors, failing tests (with their details) and the final `Done. PASS=..` line stay.
    """
    return bool(_DBT_CHATTER.match(_ANSI.sub("", line).strip()))


def is_skip_notice(line: str) -> bool:
    return bool(_SKIP_NOTICE.search(line))


class _QuietDbt(io.TextIOBase):
    """A stream that drops the lines `hide` picks (dbt's per-node chatter by default) and passes
    everything else through."""

    def __init__(self, target, hide=is_dbt_chatter):
        self._target = target
        self._hide = hide
        self._pending = ""
        self._colour = target.isatty()

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self._colour

    def fileno(self) -> int:
        return self._target.fileno()

    def write(self, text: str) -> int:
        self._pending += text
        *lines, self._pending = self._pending.split("\n")
        for line in lines:
            if not self._hide(line):
                self._target.write((line if self._colour else _ANSI.sub("", line)) + "\n")
        return len(text)

    def flush(self) -> None:
        if self._pending:
            self.write("\n")
        self._target.flush()


def _venv_on_path() -> None:
    # dbt and dg live next to this interpreter; children must find them without an activated venv.
    bindir = str(Path(sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")


def cmd_run(args: argparse.Namespace) -> int:
    from orchestration.instance import ensure_dagster_home
    from orchestration.runner import run_refresh

    # dagster-dbt re-prints every dbt log line to stdout; unless --verbose, only what matters gets through.
    quiet = None if args.verbose else _QuietDbt(sys.stdout)
    quiet_log = None if args.verbose else _QuietDbt(sys.stderr, hide=is_skip_notice)
    try:
        with contextlib.ExitStack() as redirected:
            if quiet and quiet_log:
                redirected.enter_context(contextlib.redirect_stdout(quiet))
                redirected.enter_context(contextlib.redirect_stderr(quiet_log))
            outcome = run_refresh(args.select, source=args.source)
    except ValueError as error:  # an unknown source or a selection that matches nothing
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        for stream in (quiet, quiet_log):
            if stream:
                stream.flush()
    if not outcome.success:
        for step, reason in outcome.failures:
            print(f"FAILED {step}: {reason}", file=sys.stderr)
        print(f"run {outcome.run_id} failed; `dealwire run --verbose` shows every dbt line, "
              "`make ui` the full log", file=sys.stderr)
        return EXIT_FAILED
    for note in outcome.notes:
        print(note)
    print(_summary(ensure_dagster_home(), outcome.run_ids))
    return EXIT_OK


def _summary(home: Path, run_ids: list[str]) -> str:
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
    runs = " + ".join(run_id[:8] for run_id in run_ids)
    lines = [f"dealwire run{'s' if len(run_ids) > 1 else ''} {runs} succeeded"]
    lines += [f"  {label:<15}{n}" for label, n in counts.items()]
    report = data_dir() / "reports" / "latest.html"
    lines += [f"  warehouse      {path}"]
    lines += [f"  report         {report}"] if report.exists() else []
    lines += [
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
    from warehouse.query import EXPORT_SUFFIXES, export_rows, format_rows, run_query_typed

    output = Path(args.output) if args.output else None
    if output and output.suffix.lower() not in EXPORT_SUFFIXES:
        print(f"error: --output must end in {' or '.join(EXPORT_SUFFIXES)}, not {output.name!r}", file=sys.stderr)
        return EXIT_USAGE
    try:
        columns, types, rows = run_query_typed(Path(args.database) if args.database else duckdb_path(), args.query)
        if output:
            n = export_rows(columns, types, rows, output)
    except (duckdb.Error, FileNotFoundError, WarehouseLockedError, OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_FAILED
    if output:
        print(f"wrote {n} row{'s' if n != 1 else ''} to {output}", file=sys.stderr)
        return EXIT_OK
    print(format_rows(columns, rows, args.format, width=_terminal_width()))
    return EXIT_OK


_NO_CAP = 10_000  # URLs and error messages whole, unless the terminal is narrower


def _terminal_width() -> int | None:
    """Tables fit the terminal; piped into a file or another program, lines keep their full width."""
    return shutil.get_terminal_size().columns if sys.stdout.isatty() else None


def cmd_sources(args: argparse.Namespace) -> int:
    from ingest.check import check_sources, location
    from ingest.sources import SourceConfigError, load_sources, sources_file
    from warehouse.query import format_rows

    try:
        sources = load_sources(include_disabled=True)
    except SourceConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_FAILED
    if args.action == "list":
        print(f"{sources_file()}:")
        rows = [(s.name, s.kind, "yes" if s.enabled else "no", location(s)) for s in sources]
        print(format_rows(["name", "kind", "enabled", "url / path"], rows, max_width=_NO_CAP, width=_terminal_width()))
        return EXIT_OK
    by_name = {s.name: s for s in sources}
    unknown = [name for name in args.names if name not in by_name]
    if unknown:
        print(f"error: no source named {', '.join(unknown)} in {sources_file()}", file=sys.stderr)
        return EXIT_USAGE
    chosen = [by_name[name] for name in args.names] if args.names else [s for s in sources if s.enabled]
    if not chosen:
        print("no enabled source to check")
        return EXIT_OK
    checks = check_sources(chosen)
    rows = [(c.name, c.kind, "ok" if c.ok else "FAIL", c.status if c.status is not None else "-",
             f"{c.elapsed_ms} ms" if c.elapsed_ms is not None else "-", c.robots, c.detail, c.target)
            for c in checks]
    print(format_rows(["source", "kind", "check", "http", "elapsed", "robots", "detail", "url / path"], rows,
                      max_width=_NO_CAP, width=_terminal_width()))
    failed = [c.name for c in checks if not c.ok]
    if failed:
        print(f"unreachable or unusable: {', '.join(failed)}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    from orchestration.status import collect, render

    status = collect()
    print(render(status))
    return EXIT_OK if status.healthy else EXIT_FAILED


def cmd_extract(args: argparse.Namespace) -> int:
    from ingest.extract_cli import main as extract_main

    return extract_main(args.rest)


def cmd_report(args: argparse.Namespace) -> int:
    from warehouse.report.cli import main as report_main

    return report_main(args.rest)


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
    parser = argparse.ArgumentParser(prog="dealwire", description=__doc__, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser(
        "run", help="materialize every asset: scrape, extract, dbt build, publish",
        description="Run the refresh job in this process against the Dagster instance in DAGSTER_HOME, "
                    "then print a summary. dbt's per-model and per-test lines are hidden (failures, "
                    "warnings and dbt's final tally are kept); --verbose shows them all.")
    run.add_argument("--select", help="only these assets, in dg selection syntax (e.g. 'key:raw/*+')")
    run.add_argument("--source", metavar="NAME", help="ingest only this enabled source (default: all of them)")
    run.add_argument("-v", "--verbose", action="store_true", help="print every line dbt prints")
    run.set_defaults(func=cmd_run)

    sql = commands.add_parser(
        "sql", help="run a read-only SQL query against the warehouse",
        description="Run one read-only query. The connection cannot change the warehouse or write files; "
                    "--output writes the result itself, so `copy ... to` is never needed.")
    sql.add_argument("query")
    sql.add_argument("--format", choices=("table", "csv", "json"), default="table",
                     help="table (fits the terminal), csv, or json (one object per line)")
    sql.add_argument("--output", "-o", metavar="FILE", help="write the result to FILE.csv or FILE.parquet instead")
    sql.add_argument("--database", help="DuckDB file (default: $DEALWIRE_DUCKDB_PATH or data/dealwire.duckdb)")
    sql.set_defaults(func=cmd_sql)

    sources = commands.add_parser(
        "sources", help="list the configured sources, or check that they answer",
        description="list: every source in sources.yml (or $DEALWIRE_SOURCES). check: one request to each "
                    "enabled source's feed / sitemap / listing page (a folder: exists and has files), "
                    "through robots.txt like a real run; exit 1 if any is unreachable or yields nothing.")
    sources.add_argument("action", choices=("list", "check"))
    sources.add_argument("names", nargs="*", metavar="NAME", help="check only these sources (even disabled ones)")
    sources.set_defaults(func=cmd_sources)

    status = commands.add_parser(
        "status", help="last materialization per asset, table row counts, freshness",
        description="When each asset last materialized (from DAGSTER_HOME), the rows of every raw and mart "
                    "table, and whether the data is stale: older than twice the refresh interval. "
                    "Exit 1 when stale or the last run failed.")
    status.set_defaults(func=cmd_status)

    extract = commands.add_parser("extract", help="print the money facts in files as JSON lines",
                                  add_help=False)
    extract.add_argument("rest", nargs=argparse.REMAINDER)
    extract.set_defaults(func=cmd_extract)

    report = commands.add_parser("report", help="build the HTML report of the marts (--open shows it)",
                                 add_help=False)
    report.add_argument("rest", nargs=argparse.REMAINDER)
    report.set_defaults(func=cmd_report)

    ui = commands.add_parser("ui", help="start the Dagster UI (webserver and daemon)",
                             description="Start `dg dev` (webserver, daemon, code server) on HOST:PORT.")
    ui.add_argument("--host", default="127.0.0.1")
    ui.add_argument("--port", type=int, default=3000)
    ui.set_defaults(func=cmd_ui)
    return parser


def main(argv: list[str] | None = None) -> int:
    _venv_on_path()
    argv = sys.argv[1:] if argv is None else list(argv)
    delegated = {"extract": cmd_extract, "report": cmd_report}
    if argv[:1] and argv[0] in delegated:
        # These have their own parsers, which take every argument (argparse's REMAINDER would not
        # pass on a leading --help).
        args = argparse.Namespace(func=delegated[argv[0]], rest=argv[1:])
    else:
        try:
            args = build_parser().parse_args(argv)
        except SystemExit as exit:  # --help (0) or a usage error (2): a return code, also in-process
            return exit.code if isinstance(exit.code, int) else EXIT_USAGE
    try:
        return args.func(args)
    except SystemExit as exit:  # `extract` and `report` parse their own arguments
        return exit.code if isinstance(exit.code, int) else EXIT_FAILED
    except BrokenPipeError:
        # The reader went away (`dealwire extract ... | head`): not an error; silence the final flush.
        silence_closed_pipe()
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
