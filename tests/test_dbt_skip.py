"""When may a refresh skip `dbt build`: the fingerprint recorded on the marts' last materializations."""

import time
from datetime import timedelta

import dagster as dg

import orchestration.definitions  # noqa: F401  (parses the dbt project first: the dbt assets read its manifest)
from orchestration.assets.dbt import FINGERPRINT_KEY, unchanged_since_last_build

KEYS = [dg.AssetKey(["marts", "deals"]), dg.AssetKey(["marts", "capex"])]


def _materialize(instance: dg.DagsterInstance, key: dg.AssetKey, fingerprint: str) -> None:
    instance.report_runless_asset_event(dg.AssetMaterialization(key, metadata={FINGERPRINT_KEY: fingerprint}))


def test_skip_only_when_every_mart_was_built_recently_from_the_same_raw_state():
    with dg.DagsterInstance.ephemeral() as instance:
        assert not unchanged_since_last_build(instance, KEYS, "a", time.time())  # never built
        _materialize(instance, KEYS[0], "a")
        assert not unchanged_since_last_build(instance, KEYS, "a", time.time())  # one mart never built
        _materialize(instance, KEYS[1], "a")
        assert unchanged_since_last_build(instance, KEYS, "a", time.time())
        assert not unchanged_since_last_build(instance, KEYS, "b", time.time())  # raw tables changed
        later = time.time() + timedelta(minutes=21).total_seconds()
        assert not unchanged_since_last_build(instance, KEYS, "a", later, max_age=timedelta(minutes=20))
        _materialize(instance, KEYS[1], "b")  # a later build of one mart from other data
        assert not unchanged_since_last_build(instance, KEYS, "a", time.time())
