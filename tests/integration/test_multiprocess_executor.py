"""Ingest partitions (one per source) run under Dagster's multiprocess executor: nothing in the
ingest or extraction steps relies on sharing the launching process (the road to celery / k8s)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SAMPLE = PROJECT_ROOT / "ingest" / "sample_corpus"

SCRIPT = """
import json, os
import dagster as dg
from tests.integration.multiprocess_job import ingest_multiprocess_job

with dg.DagsterInstance.local_temp(os.environ["TEST_INSTANCE_DIR"]) as instance:
    with dg.execute_job(dg.reconstructable(ingest_multiprocess_job), instance=instance, tags={
            "dagster/asset_partition_range_start": "en", "dagster/asset_partition_range_end": "zh"}) as result:
        workers = {e.step_key: e.pid for e in result.all_events
                   if e.event_type == dg.DagsterEventType.STEP_START}
        print(json.dumps({"success": result.success, "launcher_pid": os.getpid(), "step_pids": workers}))
"""


def test_ingest_partitions_run_under_the_multiprocess_executor(tmp_path):
    for source, prefix in (("en", "en_"), ("zh", "hans_")):
        folder = tmp_path / "corpus" / source
        folder.mkdir(parents=True)
        for page in SAMPLE.glob(f"{prefix}*.html"):
            shutil.copy(page, folder / page.name)
    sources = tmp_path / "sources.yml"
    sources.write_text("sources:\n" + "".join(
        f"  - name: {name}\n    kind: directory\n    path: {tmp_path / 'corpus' / name}\n" for name in ("en", "zh")),
        encoding="utf-8")
    data_dir = tmp_path / "data"
    (tmp_path / "dagster_home").mkdir()
    env = {**os.environ, "DEALWIRE_DATA_DIR": str(data_dir), "DEALWIRE_SOURCES": str(sources),
           "TEST_INSTANCE_DIR": str(tmp_path / "dagster_home")}
    for name in ("DEALWIRE_DUCKDB_PATH", "DEALWIRE_BUILD_DUCKDB_PATH", "DAGSTER_HOME"):
        env.pop(name, None)

    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["success"], done.stderr[-3000:]
    # Each step ran in a process of its own, not in the launching one.
    assert set(outcome["step_pids"]) == {"ingest_sources", "extract_mentions"}
    assert outcome["launcher_pid"] not in outcome["step_pids"].values()
    assert len(set(outcome["step_pids"].values())) == 2

    build = next(data_dir.glob("*.build.duckdb"))
    con = duckdb.connect(str(build), read_only=True)
    try:
        per_source = dict(con.execute("select source, count(*) from raw.articles group by source").fetchall())
        extracted = con.execute("select count(*) from raw.extractions").fetchone()[0]
    finally:
        con.close()
    assert per_source == {"en": 8, "zh": 8}
    assert extracted == 16  # the extraction step, in its own process, read what the ingest step landed
