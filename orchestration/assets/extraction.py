"""raw.deal_mentions and raw.capex_mentions: money facts extracted from new or changed articles.

Streaming: only the ids of the pending articles are read up front; bodies are read, extracted and
written back BATCH_SIZE at a time, so memory does not grow with the corpus. With more than
PARALLEL_MIN pending articles the extraction runs in worker processes (DEALWIRE_EXTRACT_WORKERS,
default one per core), a batch ahead of the writes; the facts are the same as the serial path's.
"""

import contextlib
import multiprocessing
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime, timezone

import dagster as dg
import duckdb

from ingest.extract import EXTRACTOR_VERSION, extract_rows
from ingest.workers import WORKERS_ENV, worker_count  # noqa: F401 - WORKERS_ENV is this module's setting too
from orchestration.assets.raw import RAW_ARTICLES
from orchestration.resources import Warehouse
from warehouse.loads import article_ids_to_extract, pending_articles, replace_mentions

RAW_DEAL_MENTIONS = dg.AssetKey(["raw", "deal_mentions"])
RAW_CAPEX_MENTIONS = dg.AssetKey(["raw", "capex_mentions"])
BATCH_SIZE = 500
PARALLEL_MIN = 2000  # below this, starting worker processes costs more than it saves

Connect = Callable[[], contextlib.AbstractContextManager[duckdb.DuckDBPyConnection]]


def extract_workers(n_pending: int, parallel_min: int = PARALLEL_MIN) -> int:
    """Worker processes for `n_pending` articles: 1 (in this process) unless there are many."""
    return worker_count(n_pending, parallel_min)  # the same rule as directory parsing (ingest.workers)


class ExtractionWorkerDied(RuntimeError):
    """A worker process of the extraction pool died; every batch written before it is kept."""


def extract_pending(connect: Connect, extractor_version: str, extracted_at: datetime,
                    workers: int = 1, batch_size: int = BATCH_SIZE) -> tuple[int, int]:
    """Extract every pending article and swap its mentions in, a batch per transaction.

    Returns (articles extracted, facts found). The pending articles stream from one scan (see
    warehouse.loads.pending_articles); with workers > 1 a batch is split across a 'spawn' process
    pool (this process runs Dagster's threads: no fork) while the previous batch is written.
    """
    n_articles = n_facts = 0

    def write(results: list[tuple]) -> None:
        nonlocal n_articles, n_facts
        n_articles += len(results)
        n_facts += sum(len(facts) for _, _, facts in results)
        with connect() as con:
            replace_mentions(con, results, extractor_version, extracted_at)

    with connect() as reader:
        batches = pending_articles(reader, extractor_version, batch_size)
        if workers <= 1:
            for rows in batches:
                write(extract_rows(rows))
            return n_articles, n_facts
        try:
            with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
                in_flight: deque[list[Future]] = deque()
                for rows in batches:
                    # two pieces per worker: the slower one does not stall the batch
                    step = -(-len(rows) // (workers * 2))
                    in_flight.append([pool.submit(extract_rows, rows[i:i + step]) for i in range(0, len(rows), step)])
                    if len(in_flight) > 1:  # keep one batch extracting while the one before is written
                        write(_collect(in_flight.popleft()))
                while in_flight:
                    write(_collect(in_flight.popleft()))
        except BrokenProcessPool as error:
            raise ExtractionWorkerDied(
                f"an extraction worker process died (killed, or out of memory) after {n_articles} articles were "
                "extracted and stored; the others are still pending and the next run extracts them") from error
    return n_articles, n_facts


def _collect(futures: list[Future]) -> list[tuple]:
    return [row for future in futures for row in future.result()]


@dg.multi_asset(
    name="extract_mentions",
    specs=[
        dg.AssetSpec(RAW_DEAL_MENTIONS, group_name="extraction", deps=[RAW_ARTICLES], kinds={"python", "duckdb"},
                     description="Deal facts (investor, target, amount, status, type) with evidence sentence "
                                 "and offsets; one row per fact the extractor found."),
        dg.AssetSpec(RAW_CAPEX_MENTIONS, group_name="extraction", deps=[RAW_ARTICLES], kinds={"python", "duckdb"},
                     description="Capex facts (company, period, amount, guidance/actual/plan) with evidence "
                                 "sentence and offsets."),
    ],
)
def extract_mentions(context: dg.AssetExecutionContext, warehouse: Warehouse):
    """Only articles that are new, changed, or read by an older extractor version are extracted."""
    extracted_at = datetime.now(timezone.utc).replace(tzinfo=None)
    with warehouse.connect() as con:
        n_pending = len(article_ids_to_extract(con, EXTRACTOR_VERSION))
    workers = extract_workers(n_pending)
    n_articles, n_facts = extract_pending(warehouse.connect, EXTRACTOR_VERSION, extracted_at, workers=workers)
    context.log.info(f"extracted {n_facts} facts from {n_articles} new or changed articles"
                     + (f" in {workers} worker processes" if workers > 1 else ""))
    with warehouse.connect() as con:
        counts = {
            key: con.execute(f"select count(*) from raw.{key.path[-1]}").fetchone()[0]
            for key in (RAW_DEAL_MENTIONS, RAW_CAPEX_MENTIONS)
        }
        deal_preview = con.execute(
            "select investor, target, amount_min, amount_max, currency, status from raw.deal_mentions "
            "order by extracted_at desc, mention_id limit 5").fetchall()
        capex_preview = con.execute(
            "select company, period, amount_min, amount_max, currency, capex_kind from raw.capex_mentions "
            "order by extracted_at desc, mention_id limit 5").fetchall()
    for key, header, preview in (
        (RAW_DEAL_MENTIONS, "| investor | target | min | max | currency | status |", deal_preview),
        (RAW_CAPEX_MENTIONS, "| company | period | min | max | currency | kind |", capex_preview),
    ):
        rows = "\n".join("| " + " | ".join("" if v is None else str(v) for v in row) + " |" for row in preview)
        yield dg.MaterializeResult(
            asset_key=key,
            metadata={
                "dagster/row_count": counts[key],
                "articles_extracted": n_articles,
                "extractor_version": EXTRACTOR_VERSION,
                "preview": dg.MetadataValue.md(header + "\n" + "|---" * 6 + "|\n" + rows),
            },
        )
