"""The ingest half of the refresh as a job on Dagster's multiprocess executor: every step in its own
process, as under the celery or k8s executors (each step re-imports the code location).
Used by test_multiprocess_executor.py through dg.reconstructable."""

import dagster as dg

INGEST_GROUPS = ("raw", "extraction")


def ingest_multiprocess_job() -> dg.JobDefinition:
    from orchestration.definitions import defs

    job = dg.define_asset_job("ingest_multiprocess", selection=dg.AssetSelection.groups(*INGEST_GROUPS),
                              executor_def=dg.multiprocess_executor.configured({"max_concurrent": 2}))
    return dg.Definitions.merge(defs, dg.Definitions(jobs=[job])).resolve_job_def("ingest_multiprocess")
