"""The Dagster UI in a real browser: launch `refresh_all` through the webserver, then read the lineage.

The webserver runs alone (no daemon): with the DefaultRunCoordinator set in this test's dagster.yaml
the run is launched at once, in a subprocess (the default queued coordinator would wait for a daemon). Everything lives in a temporary data folder; the screenshots land in that folder, and the
lineage one also in docs/images/lineage.png when that file is missing or DEALWIRE_UPDATE_DOCS_IMAGES=1.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections import deque
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

PROJECT_ROOT = Path(__file__).resolve().parents[2]
WEBSERVER = str(Path(sys.executable).parent / "dagster-webserver")
DOCS_IMAGE = PROJECT_ROOT / "docs" / "images" / "lineage.png"
START_TIMEOUT_S = 180
RUN_TIMEOUT_S = 300


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _default_signals() -> None:
    # A background shell may hand down ignored SIGINT/SIGTERM (STACK.md); SIGTERM must stop the server.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


class Webserver:
    def __init__(self, data_dir: Path, log: Path):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        env = {**os.environ, "DEALWIRE_DATA_DIR": str(data_dir), "DAGSTER_HOME": str(data_dir / "dagster_home"),
               "DEALWIRE_SOURCES": str(PROJECT_ROOT / "sources.yml")}
        for name in ("DEALWIRE_DUCKDB_PATH", "DEALWIRE_BUILD_DUCKDB_PATH"):
            env.pop(name, None)
        with log.open("wb") as sink:
            self.process = subprocess.Popen(
                [WEBSERVER, "-m", "orchestration.definitions", "-h", "127.0.0.1", "-p", str(self.port)],
                cwd=PROJECT_ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT,
                start_new_session=True, preexec_fn=_default_signals)  # its own process group

    def log_tail(self, n: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])

    def graphql(self, query: str, variables: dict | None = None) -> dict:
        request = urllib.request.Request(f"{self.base}/graphql", method="POST",
                                         data=json.dumps({"query": query, "variables": variables or {}}).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            answer = json.loads(response.read())
        assert "errors" not in answer, answer
        return answer["data"]

    def wait_until_loaded(self) -> str:
        """Wait for /server_info, then for the code location; returns the location's name."""
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            assert self.process.poll() is None, f"the webserver exited:\n{self.log_tail()}"
            assert time.monotonic() < deadline, f"the webserver did not load in {START_TIMEOUT_S} s:\n{self.log_tail()}"
            try:
                with urllib.request.urlopen(f"{self.base}/server_info", timeout=5):
                    pass
                entries = self.graphql(
                    "{ workspaceOrError { ... on Workspace { locationEntries { name loadStatus "
                    "locationOrLoadError { __typename ... on PythonError { message } } } } } }"
                )["workspaceOrError"]["locationEntries"]
            except OSError:
                time.sleep(1)
                continue
            if entries and entries[0]["loadStatus"] == "LOADED":
                error = entries[0]["locationOrLoadError"]
                assert error["__typename"] == "RepositoryLocation", f"the code location failed to load: {error}"
                return entries[0]["name"]
            time.sleep(1)

    def stop(self) -> None:
        group = self.process.pid
        try:
            os.killpg(group, signal.SIGTERM)
            self.process.wait(timeout=20)
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            pass
        try:  # the code server and the run's subprocess belong to the group too
            os.killpg(group, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=10)


LAUNCH = """
mutation Launch($params: ExecutionParams!) {
  launchPipelineExecution(executionParams: $params) {
    __typename
    ... on LaunchRunSuccess { run { runId } }
    ... on PythonError { message }
    ... on RunConfigValidationInvalid { errors { message } }
  }
}"""
RUN = """
query Run($runId: ID!) {
  runOrError(runId: $runId) { __typename ... on Run { status } }
  logsForRun(runId: $runId) {
    ... on EventConnection { events { __typename ... on ExecutionStepFailureEvent { stepKey error { message } } } }
  }
}"""
ASSETS = "{ assetNodes { assetKey { path } dependencyKeys { path } } }"
MATERIALIZATION = """
query Latest($path: [String!]!) {
  assetOrError(assetKey: {path: $path}) {
    ... on Asset { assetMaterializations(limit: 1) { runId metadataEntries { label
      ... on IntMetadataEntry { intValue } ... on TextMetadataEntry { text } } } }
  }
}"""


def _launch_tags() -> list[dict]:
    """The tags the refresh schedule puts on its runs (the ingest asset's partition range, if any)."""
    from ingest.sources import load_sources

    try:
        from orchestration.schedules import all_sources_tags
    except ImportError:
        return []
    names = [s.name for s in load_sources(PROJECT_ROOT / "sources.yml")]
    return [{"key": k, "value": v} for k, v in all_sources_tags(names).items()]


def _wait_for_run(server: Webserver, run_id: str) -> None:
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while True:
        data = server.graphql(RUN, {"runId": run_id})
        status = data["runOrError"]["status"]
        if status == "SUCCESS":
            return
        failures = [(e["stepKey"], e["error"]["message"][:500]) for e in data["logsForRun"].get("events", [])
                    if e["__typename"] == "ExecutionStepFailureEvent"]
        assert status not in ("FAILURE", "CANCELED"), f"run {run_id} ended {status}: {failures}\n{server.log_tail()}"
        assert time.monotonic() < deadline, f"run {run_id} still {status} after {RUN_TIMEOUT_S} s"
        time.sleep(3)


# The lineage as the browser drew it: asset nodes (SVG foreignObjects) and edges (paths with an arrow),
# in the SVG's own coordinates. Edges run from the right side of one node to the left side of the next.
_READ_GRAPH = """() => {
  const svgs = [...document.querySelectorAll('svg')];
  const svg = svgs.sort((a, b) => b.querySelectorAll('foreignObject').length - a.querySelectorAll('foreignObject').length)[0];
  const nodes = [...svg.querySelectorAll('foreignObject')].map(fo => {
    const name = fo.querySelector('[class*="assetName"]');
    return name && {label: name.textContent.trim(), x: +fo.getAttribute('x'), y: +fo.getAttribute('y'),
                    w: +fo.getAttribute('width'), h: +fo.getAttribute('height')};
  }).filter(Boolean);
  const edges = [...svg.querySelectorAll('path[marker-end]')].map(p => {
    const a = p.getPointAtLength(0), b = p.getPointAtLength(p.getTotalLength());
    return [a.x, a.y, b.x, b.y];
  });
  return {nodes, edges};
}"""


def label_matches(label: str, name: str) -> bool:
    """Node labels are shortened in the middle when zoomed out ('stg_raw_…_mentions')."""
    if "…" not in label:
        return label == name
    head, _, tail = label.partition("…")
    return name.startswith(head) and name.endswith(tail) and len(name) > len(head) + len(tail)


def _nearest(nodes: list[dict], x: float, y: float, slack: float = 40.0) -> int | None:
    def distance(n):
        dx = max(n["x"] - x, 0, x - (n["x"] + n["w"]))
        dy = max(n["y"] - y, 0, y - (n["y"] + n["h"]))
        return (dx * dx + dy * dy) ** 0.5
    best = min(range(len(nodes)), key=lambda i: distance(nodes[i]), default=None)
    return best if best is not None and distance(nodes[best]) <= slack else None


def graph_edges(graph: dict) -> set[tuple[int, int]]:
    edges = set()
    for x1, y1, x2, y2 in graph["edges"]:
        source, target = _nearest(graph["nodes"], x1, y1), _nearest(graph["nodes"], x2, y2)
        if source is not None and target is not None and source != target:
            edges.add((source, target))
    return edges


def _reachable(start: int, edges: set[tuple[int, int]]) -> set[int]:
    seen, queue = {start}, deque([start])
    while queue:
        node = queue.popleft()
        for source, target in edges:
            if source == node and target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def test_ui_runs_refresh_all_and_shows_the_lineage(page, tmp_path, monkeypatch):
    data_dir = tmp_path / "data"
    monkeypatch.setenv("DEALWIRE_DATA_DIR", str(data_dir))
    monkeypatch.setenv("DAGSTER_HOME", str(data_dir / "dagster_home"))
    from orchestration.instance import ensure_dagster_home

    home = ensure_dagster_home()  # dagster.yaml with the community dialog (nux) switched off
    # No daemon here: launch runs at once instead of queueing them for a daemon that never comes.
    with (home / "dagster.yaml").open("a", encoding="utf-8") as config:
        config.write("run_coordinator:\n  module: dagster._core.run_coordinator\n  class: DefaultRunCoordinator\n")
    shots = tmp_path / "screenshots"
    shots.mkdir()
    server = Webserver(data_dir, tmp_path / "webserver.log")
    try:
        location = server.wait_until_loaded()

        launched = server.graphql(LAUNCH, {"params": {
            "selector": {"repositoryLocationName": location, "repositoryName": "__repository__",
                         "pipelineName": "refresh_all"},
            "mode": "default",
            "executionMetadata": {"tags": _launch_tags()},
        }})["launchPipelineExecution"]
        assert launched["__typename"] == "LaunchRunSuccess", launched
        run_id = launched["run"]["runId"]
        _wait_for_run(server, run_id)

        nodes = server.graphql(ASSETS)["assetNodes"]
        keys = {"/".join(n["assetKey"]["path"]) for n in nodes}
        marts = sorted(k.split("/", 1)[1] for k in keys if k.startswith("marts/"))
        assert {"raw/articles", "staging/stg_raw__articles"} <= keys and {"deals", "capex", "company_ledger"} <= set(marts)
        # The graph to draw: everything upstream of the asset that depends on every mart (the published
        # warehouse or a report), else of the last mart; then every mart must appear in it.
        parents = {"/".join(n["assetKey"]["path"]): {"/".join(d["path"]) for d in n["dependencyKeys"]} for n in nodes}

        def ancestors(key: str) -> set[str]:
            seen, queue = set(), [key]
            while queue:
                for parent in parents.get(queue.pop(), ()):
                    if parent not in seen:
                        seen.add(parent)
                        queue.append(parent)
            return seen

        covering = sorted((k for k in keys if {f"marts/{m}" for m in marts} <= ancestors(k)),
                          key=lambda k: len(ancestors(k)))
        sink = covering[0] if covering else "marts/company_ledger"

        page.goto(f"{server.base}/assets/{sink}?view=lineage&lineageScope=upstream&lineageDepth=50")
        page.wait_for_selector('svg foreignObject [class*="assetName"]', timeout=60_000)
        page.wait_for_timeout(2_000)  # layout settles after the first nodes appear
        graph = page.evaluate(_READ_GRAPH)
        page.screenshot(path=str(shots / "lineage.png"))
        if not DOCS_IMAGE.exists() or os.environ.get("DEALWIRE_UPDATE_DOCS_IMAGES") == "1":
            DOCS_IMAGE.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(DOCS_IMAGE))

        labels = [n["label"] for n in graph["nodes"]]

        def node(name: str) -> int:
            found = [i for i, label in enumerate(labels) if label_matches(label, name)]
            assert found, f"no node for {name} among {labels}"
            return found[0]

        edges = graph_edges(graph)
        assert len(edges) >= len(marts), f"{len(graph['edges'])} edge paths, {len(edges)} joined two nodes"
        articles, staging = node("articles"), node("stg_raw__articles")
        assert (articles, staging) in edges, "no edge raw/articles -> staging/stg_raw__articles"
        downstream = _reachable(articles, edges)
        for mart in marts:
            # As the definitions say: a mart built from articles is reachable from raw/articles in the
            # drawing; one built from seeds only (a company dimension) still has a drawn input.
            if "raw/articles" in ancestors(f"marts/{mart}"):
                assert node(mart) in downstream, f"marts/{mart} is not connected to raw/articles in the drawing"
            else:
                assert any(target == node(mart) for _, target in edges), f"marts/{mart} has no drawn input"

        # A mart's page: its latest materialization is the run we launched, with its metadata.
        latest = server.graphql(MATERIALIZATION, {"path": ["marts", "deals"]})["assetOrError"]["assetMaterializations"]
        assert latest and latest[0]["runId"] == run_id
        page.goto(f"{server.base}/assets/marts/deals?view=events")
        page.get_by_text(f"Materialized in run {run_id[:8]}").wait_for(timeout=60_000)
        metadata = {e["label"]: e.get("text") for e in latest[0]["metadataEntries"]}
        assert metadata.get("unique_id") == "model.dealwire.deals"
        page.get_by_text("model.dealwire.deals", exact=True).wait_for(timeout=10_000)
        page.screenshot(path=str(shots / "deals_events.png"))

        # And a row count, on the raw table the run filled from the 24-article sample corpus.
        latest = server.graphql(MATERIALIZATION, {"path": ["raw", "articles"]})["assetOrError"]["assetMaterializations"]
        row_count = {e["label"]: e.get("intValue") for e in latest[0]["metadataEntries"]}.get("dagster/row_count")
        assert row_count == 24
        page.goto(f"{server.base}/assets/raw/articles?view=events")
        page.get_by_text(f"Materialized in run {run_id[:8]}").wait_for(timeout=60_000)
        table = page.locator("table", has_text="row_count").first
        table.wait_for(timeout=10_000)
        row = table.locator("tr", has_text="row_count").first
        assert row.inner_text().split()[-1] == "24", row.inner_text()
        page.screenshot(path=str(shots / "articles_events.png"))
    finally:
        server.stop()
    assert server.process.returncode is not None
