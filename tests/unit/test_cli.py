"""The `dealwire` command line: help, exit codes, quiet dbt output, `sql --output`, `sources`, `status`."""

import io
from datetime import datetime, timedelta, timezone

import duckdb
import pytest

from orchestration.cli import (EXIT_FAILED, EXIT_OK, EXIT_USAGE, _QuietDbt, build_parser, is_dbt_chatter,
                              is_skip_notice, main)
from orchestration.schedules import refresh_interval
from orchestration.status import AssetState, LastRun, Status, format_age, is_stale, render
from warehouse.connection import connect

COMMANDS = ["run", "sql", "sources", "status", "extract", "report", "ui"]


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A fresh, empty data folder: no warehouse, no Dagster home."""
    data = tmp_path / "data"
    monkeypatch.setenv("DEALWIRE_DATA_DIR", str(data))
    for name in ("DEALWIRE_DUCKDB_PATH", "DAGSTER_HOME", "DEALWIRE_REFRESH_CRON"):
        monkeypatch.delenv(name, raising=False)
    return data


# ------------------------------------------------------------------ help and exit codes

def test_top_level_help_lists_every_command_and_the_exit_codes(capsys):
    assert main(["--help"]) == EXIT_OK
    out = capsys.readouterr().out
    assert all(f"    {command} " in out for command in COMMANDS)
    assert "exit status" in out and "0  done" in out and "1  failed" in out and "2  usage" in out


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command, capsys):
    assert main([command, "--help"]) == EXIT_OK
    assert f"usage: dealwire {command}" in capsys.readouterr().out


def test_the_parser_knows_exactly_these_commands():
    commands = next(a for a in build_parser()._actions if a.dest == "command")
    assert sorted(commands.choices) == sorted(COMMANDS)


@pytest.mark.parametrize("argv", [[], ["bogus"], ["sql"], ["sql", "select 1", "--format", "xml"],
                                  ["sources"], ["sources", "ping"], ["run", "--no-such-flag"]])
def test_usage_errors_exit_2(argv, capsys):
    assert main(argv) == EXIT_USAGE
    assert "usage:" in capsys.readouterr().err


# ------------------------------------------------------------------ quiet dbt output of `dealwire run`

@pytest.mark.parametrize("line, hidden", [
    ("Running with dbt=1.11.16", True),
    ("Registered adapter: duckdb=1.11.1", True),
    ("Unable to do partial parsing because profile has changed", True),
    ("Found 11 models, 125 data tests, 3 seeds, 4 sources, 521 macros", True),
    ("Concurrency: 1 threads (target='dev')", True),
    ("", True),
    ("1 of 139 START sql view model staging.stg_raw__articles ........ [RUN]", True),
    ("1 of 139 OK created sql view model staging.stg_raw__articles ... [\x1b[32mOK\x1b[0m in 0.62s]", True),
    ("6 of 139 PASS accepted_values_stg_raw__articles_lang ........... [\x1b[32mPASS\x1b[0m in 0.29s]", True),
    ("Finished running 3 seeds, 3 table models, 125 data tests in 0 hours 0 minutes and 42.56 seconds (42.56s).", True),
    ("\x1b[32mCompleted successfully\x1b[0m", True),
    # kept: what went wrong, and dbt's tally
    ("7 of 139 FAIL 3 not_null_deals_amount_usd ...................... [\x1b[31mFAIL 3\x1b[0m in 0.2s]", False),
    ("8 of 139 ERROR creating sql table model marts.deals ............. [\x1b[31mERROR\x1b[0m in 0.1s]", False),
    ("9 of 139 WARN 2 accepted_values_deals_status .................... [\x1b[33mWARN 2\x1b[0m in 0.1s]", False),
    ("10 of 139 SKIP relation marts.capex ............................. [\x1b[33mSKIP\x1b[0m]", False),
    ("Failure in test not_null_deals_amount_usd (models/marts/_marts__models.yml)", False),
    ("  Got 3 results, configured to fail if != 0", False),
    ("Completed with 1 error, 0 partial successes, and 0 warnings:", False),
    ("Done. PASS=139 WARN=0 ERROR=0 SKIP=0 NO-OP=0 TOTAL=139", False),
    ("source 'sample': changed 5, unchanged 19", False),
])
def test_dbt_chatter(line, hidden):
    assert is_dbt_chatter(line) is hidden


def test_quiet_stdout_drops_chatter_line_by_line_and_strips_colour_off_a_terminal():
    target = io.StringIO()
    quiet = _QuietDbt(target)
    quiet.write("Running with dbt=1.11.16\n1 of 2 START sql view model a [RUN]\n1 of 2 OK created")
    quiet.write(" sql view model a [\x1b[32mOK\x1b[0m in 0.1s]\n2 of 2 FAIL 1 not_null_a [\x1b[31mFAIL 1\x1b[0m]\n")
    quiet.write("Done. PASS=1 WARN=0 ERROR=1 SKIP=0 NO-OP=0 TOTAL=2")
    assert target.getvalue() == "2 of 2 FAIL 1 not_null_a [FAIL 1]\n"
    quiet.flush()  # a last line without a newline is not lost
    assert target.getvalue().splitlines()[-1] == "Done. PASS=1 WARN=0 ERROR=1 SKIP=0 NO-OP=0 TOTAL=2"


def test_quiet_stderr_folds_only_the_skipped_dbt_step_notice():
    target = io.StringIO()
    quiet = _QuietDbt(target, hide=is_skip_notice)
    notice = ("2026-11-23 20:58:45 +0000 - dagster - INFO - refresh_all - 77dd5f8f - dbt_models - op 'dbt_models' "
              "did not yield or return expected outputs {'marts__deals_unique_deals_deal_id'}.")
    other = "2026-11-23 20:58:45 +0000 - dagster - INFO - refresh_all - 77dd5f8f - ingest_sources - source 'sample': unchanged 24"
    quiet.write(f"{notice}\n{other}\n\n1 of 2 OK created sql view model a\n")
    assert target.getvalue() == f"{other}\n\n1 of 2 OK created sql view model a\n"


# ------------------------------------------------------------------ sql

@pytest.fixture
def warehouse(data_dir):
    path = data_dir / "dealwire.duckdb"
    with connect(path) as con:
        con.execute("create schema marts")
        con.execute("create table marts.deals as select * from (values ('NVIDIA', 'OpenAI', 100e9), "
                    "('英伟达', '开放人工智能', 1e9)) t(investor, target, amount_usd)")
        con.execute("create schema raw")
        con.execute("create table raw.articles as select range as id from range(24)")
    return path


def test_sql_output_writes_csv_and_parquet_and_nothing_else(warehouse, tmp_path, capsys):
    query = "select investor, amount_usd from marts.deals order by amount_usd desc"
    assert main(["sql", query, "--output", str(tmp_path / "deals.csv")]) == EXIT_OK
    assert "wrote 2 rows" in capsys.readouterr().err
    assert (tmp_path / "deals.csv").read_text(encoding="utf-8").splitlines() == [
        "investor,amount_usd", "NVIDIA,100000000000", "英伟达,1000000000"]
    assert main(["sql", query, "-o", str(tmp_path / "deals.parquet")]) == EXIT_OK
    assert duckdb.connect().execute(f"select * from '{tmp_path / 'deals.parquet'}'").fetchall() == [
        ("NVIDIA", 100e9), ("英伟达", 1e9)]
    assert main(["sql", query, "--output", str(tmp_path / "deals.xlsx")]) == EXIT_USAGE
    assert not (tmp_path / "deals.xlsx").exists()


def test_sql_still_cannot_write_files_itself(warehouse, tmp_path, capsys):
    target = tmp_path / "stolen.csv"
    assert main(["sql", f"copy marts.deals to '{target}'", "--output", str(tmp_path / "x.csv")]) == EXIT_FAILED
    assert "error:" in capsys.readouterr().err
    assert not target.exists() and not (tmp_path / "x.csv").exists()


def test_sql_formats(warehouse, capsys):
    assert main(["sql", "select investor from marts.deals order by 1", "--format", "csv"]) == EXIT_OK
    assert capsys.readouterr().out == "investor\nNVIDIA\n英伟达\n"
    assert main(["sql", "select count(*) as n from marts.deals", "--format", "json"]) == EXIT_OK
    assert capsys.readouterr().out == '{"n": 2}\n'


def test_sql_on_a_missing_warehouse_fails_with_exit_1(data_dir, capsys):
    assert main(["sql", "select 1"]) == EXIT_FAILED
    assert "no warehouse" in capsys.readouterr().err


# ------------------------------------------------------------------ sources list (check: tests/integration)

def test_sources_list_shows_every_source_enabled_or_not(tmp_path, monkeypatch, capsys):
    sources = tmp_path / "sources.yml"
    sources.write_text("sources:\n"
                       "  - {name: local, kind: directory, path: ingest/sample_corpus}\n"
                       "  - {name: feed, kind: rss, url: 'https://example.org/feed', enabled: false}\n"
                       "  - {name: some, kind: urls, urls: ['https://example.org/a', 'https://example.org/b']}\n",
                       encoding="utf-8")
    monkeypatch.setenv("DEALWIRE_SOURCES", str(sources))
    assert main(["sources", "list"]) == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"{sources}:"
    body = [[cell.strip() for cell in line.split("|")] for line in lines[3:6]]
    assert body == [["local", "directory", "yes", "ingest/sample_corpus"],
                    ["feed", "rss", "no", "https://example.org/feed"],
                    ["some", "urls", "yes", "https://example.org/a (+1 more)"]]


def test_sources_with_a_broken_file_exit_1(tmp_path, monkeypatch, capsys):
    sources = tmp_path / "sources.yml"
    sources.write_text("sources:\n  - {name: Bad Name, kind: rss}\n", encoding="utf-8")
    monkeypatch.setenv("DEALWIRE_SOURCES", str(sources))
    assert main(["sources", "list"]) == EXIT_FAILED
    assert "name" in capsys.readouterr().err


# ------------------------------------------------------------------ status: pure parts

@pytest.mark.parametrize("cron, hours", [
    ("0 */6 * * *", 6), ("15 */2 * * *", 2), ("0 */12 * * *", 12),
    ("0 8 * * *", 24),         # daily
    ("0 */3 * * 1-5", 51),     # weekdays only: Friday 21:00 to Monday 00:00 is the longest gap
    ("*/30 * * * *", 0.5),
])
def test_refresh_interval_is_the_longest_gap_between_ticks(cron, hours):
    assert refresh_interval(cron, "UTC") == timedelta(hours=hours)


NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("age_h, stale", [(0, False), (11.9, False), (12, False), (12.1, True), (48, True)])
def test_stale_means_older_than_two_intervals(age_h, stale):
    assert is_stale(NOW - timedelta(hours=age_h), NOW, timedelta(hours=6)) is stale


@pytest.mark.parametrize("seconds, text", [(5, "5 s"), (600, "10 min"), (3 * 3600 + 120, "3 h 02 min"),
                                           (3 * 86400 + 7200, "3 d 2 h"), (-3, "0 s")])
def test_format_age(seconds, text):
    assert format_age(timedelta(seconds=seconds)) == text


def _status(**kwargs) -> Status:
    from pathlib import Path

    return Status(now=NOW, interval=timedelta(hours=6), dagster_home=Path("/d/h"), warehouse=Path("/d/w.duckdb"),
                  **kwargs)


def test_render_flags_stale_assets_and_the_failed_run():
    status = _status(
        assets=[AssetState("raw/articles", NOW - timedelta(hours=30), "aaaaaaaa1111"),
                AssetState("marts/deals", NOW - timedelta(hours=1), "bbbbbbbb2222")],
        last_run=LastRun("bbbbbbbb2222", "refresh_all", "FAILURE", NOW - timedelta(hours=1)),
        table_rows={"raw.articles": 24, "marts.deals": 1234})
    text = render(status)
    assert "1 h 00 min ago: fresh" in text and "last run      bbbbbbbb refresh_all FAILURE" in text
    rows = {line.split("|")[0].strip(): line for line in text.splitlines() if "|" in line}
    assert rows["raw/articles"].rstrip().endswith("stale") and rows["marts/deals"].rstrip().endswith("ok")
    assert [line.split() for line in text.splitlines()[-2:]] == [["raw.articles", "24"], ["marts.deals", "1,234"]]
    assert not status.stale and not status.healthy  # fresh, but the last run failed
    assert _status(assets=[AssetState("raw/articles", NOW - timedelta(hours=13), "a")]).stale


# ------------------------------------------------------------------ status: fresh folder and a real instance

def test_status_on_a_fresh_data_dir_says_no_runs_yet_and_creates_nothing(data_dir, capsys):
    assert main(["status"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "no runs yet" in out and "no warehouse file yet" in out
    assert not data_dir.exists()


def test_status_reads_materializations_from_dagster_home_and_counts_rows(warehouse, data_dir, capsys):
    import dagster as dg

    from orchestration.instance import ensure_dagster_home

    home = ensure_dagster_home()

    @dg.asset(key=["marts", "deals"])
    def deals():
        return dg.MaterializeResult(metadata={"dagster/row_count": 2})

    with dg.DagsterInstance.get() as instance:
        result = dg.materialize([deals], instance=instance)
    assert result.success

    assert main(["status"]) == EXIT_OK
    out = capsys.readouterr().out
    assert str(home) in out and f"last run      {result.run_id[:8]} __ephemeral_asset_job__ SUCCESS" in out
    line = next(line for line in out.splitlines() if line.startswith("marts/deals"))
    assert result.run_id[:8] in line and line.rstrip().endswith("ok")
    counts = out.split("\nrows\n")[1].splitlines()
    assert [line.split() for line in counts] == [["marts.deals", "2"], ["raw.articles", "24"]]

    # The same instance a day later: stale, exit 1.
    from orchestration.status import collect

    later = collect(now=datetime.now(timezone.utc) + timedelta(days=1))
    assert later.stale and not later.healthy and "STALE" in render(later)
