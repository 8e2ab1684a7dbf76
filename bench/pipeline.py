"""Figures 3 and 4: `dealwire run` end to end on a directory of synthetic articles, and the refreshes after it.

Each size gets its own temporary DEALWIRE_DATA_DIR and a sources.yml with one `directory` source.
Wall time and peak RSS of the whole process tree (sum of the RSS of dealwire and its children,
polled from /proc every 0.2 s; also the largest single process from getrusage) are recorded, and
the step timings are read from the run's Dagster event log in DEALWIRE_DATA_DIR/dagster_home.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import Figure, table
from bench.corpus import SHARD, write_corpus

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEALWIRE = str(Path(sys.executable).parent / "dealwire")


@dataclass
class RunStats:
    label: str
    wall_s: float
    peak_tree_rss_mb: float
    max_single_rss_mb: float
    returncode: int
    steps: dict[str, float] = field(default_factory=dict)  # step key -> seconds
    cpu_s: float = 0.0                # user + system CPU time of the run's process tree (waited-for children)
    load_before: tuple = ()           # 1-minute load average when the run started, and when it ended
    load_after: tuple = ()
    startup_s: float | None = None    # process start -> first step start (imports, definitions, Dagster)
    after_steps_s: float | None = None  # last step end -> process exit (summary, shutdown)
    output_tail: str = ""


def _tree_rss_kb(root_pid: int) -> int:
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            pid, ppid = int(entry), int(fields[1])
            rss[pid] = int(fields[21]) * (os.sysconf("SC_PAGE_SIZE") // 1024)
            children.setdefault(ppid, []).append(pid)
        except (OSError, IndexError, ValueError):
            continue
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def dealwire_run(label: str, env: dict, timeout_s: float) -> RunStats:
    usage_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    before = usage_before.ru_maxrss
    load_before = os.getloadavg()
    started_wall = time.time()
    t0 = time.perf_counter()
    proc = subprocess.Popen([DEALWIRE, "run"], env=env, cwd=PROJECT_ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    peak = [0]
    done = threading.Event()

    def poll():
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss_kb(proc.pid))
            # Every second: walking /proc five times a second cost the bench ~30% of a core, taken
            # from the run it measures; the runs' peaks last far longer than a second.
            done.wait(1.0)
    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    try:
        out, _ = proc.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
        out += f"\n[bench] killed after {timeout_s:.0f} s"
    wall = time.perf_counter() - t0
    done.set()
    poller.join()
    usage_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    after = usage_after.ru_maxrss
    cpu = (usage_after.ru_utime + usage_after.ru_stime) - (usage_before.ru_utime + usage_before.ru_stime)
    stats = RunStats(label, wall, peak[0] / 1024, max(after, before) / 1024, proc.returncode,
                     cpu_s=cpu, load_before=load_before, load_after=os.getloadavg(),
                     output_tail="\n".join(out.strip().splitlines()[-12:]))
    _step_timings(stats, Path(env["DEALWIRE_DATA_DIR"]) / "dagster_home", started_wall, started_wall + wall)
    return stats


def _step_timings(stats: RunStats, home: Path, started: float, ended: float) -> None:
    """Step durations of the runs this `dealwire run` made (a refresh is up to two runs: ingest,
    then dbt and the rest), from the Dagster home's event log."""
    if not (home / "dagster.yaml").exists():
        return
    code = (
        "import json, dagster as dg\n"
        "with dg.DagsterInstance.from_config(%r) as inst:\n"
        "    runs = [r for r in inst.get_run_records(limit=5) if r.create_timestamp.timestamp() >= %r]\n"
        "    out = [(s.step_key, s.start_time, s.end_time)\n"
        "           for r in runs for s in inst.get_run_step_stats(r.dagster_run.run_id)]\n"
        "print(json.dumps(out))\n" % (str(home), started - 1))
    # In a child process: this one must not keep the instance's SQLite files or dagster in memory.
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                            env={**os.environ, "DAGSTER_HOME": str(home)})
    if result.returncode != 0:
        return
    import json

    steps = [s for s in json.loads(result.stdout.strip().splitlines()[-1]) if s[1] and s[2]]
    for key, start, end in steps:
        stats.steps[key] = end - start
    if steps:
        stats.startup_s = min(s[1] for s in steps) - started
        stats.after_steps_s = ended - max(s[2] for s in steps)


def _env(data_dir: Path, sources: Path) -> dict:
    env = {**os.environ, "DEALWIRE_DATA_DIR": str(data_dir), "DEALWIRE_SOURCES": str(sources)}
    for name in ("DEALWIRE_DUCKDB_PATH", "DAGSTER_HOME"):
        env.pop(name, None)
    return env


MAX_PER_SOURCE = 10_000  # sources.yml's bound on a source's max_articles


def _sources(path: Path, corpus: Path, max_articles: int, sharded: bool = False) -> None:
    """One directory source over the corpus; or, `sharded` (corpora above MAX_PER_SOURCE), one
    source per SHARD-file folder of it (bench-000, bench-001 ...), the last one partly read. A size
    keeps one layout for all its runs: the file state is stored per source."""
    if not sharded:
        entries = [("bench", corpus, max_articles)]
    else:
        entries = [(f"bench-{k:03d}", corpus / f"{k:03d}", min(SHARD, max_articles - k * SHARD))
                   for k in range(-(-max_articles // SHARD))]
    path.write_text("sources:\n" + "".join(
        f"  - name: {name}\n    kind: directory\n    path: {folder}\n    max_articles: {n}\n"
        for name, folder, n in entries), encoding="utf-8")


def run(sizes: list[int], corpus_root: Path, seed: int = 7, refresh_new: int = 100,
        timeout_s: float = 3600, keep: bool = False, previous: dict | None = None) -> list[Figure]:
    """`previous`: the figures of an earlier results.json, whose other sizes are kept in the tables."""
    full, refresh = [], []
    for size in sizes:
        corpus = corpus_root / f"seed{seed}"
        write_corpus(corpus, size + refresh_new, seed)  # the refresh's new articles are size .. size+99
        data_dir = Path(tempfile.mkdtemp(prefix=f"dealwire-bench-{size}-"))
        sources = data_dir / "sources.yml"
        env = _env(data_dir, sources)
        try:
            sharded = size + refresh_new > MAX_PER_SOURCE
            # directory files are read in name order: articles 0 .. size-1
            _sources(sources, corpus, size, sharded)
            full.append((size, dealwire_run(f"full run, {size} articles", env, timeout_s)))
            if full[-1][1].returncode != 0:
                continue
            refresh.append((size, dealwire_run("no new article", env, timeout_s)))
            _sources(sources, corpus, size + refresh_new, sharded)
            refresh.append((size, dealwire_run(f"{refresh_new} new articles", env, timeout_s)))
        finally:
            if not keep:
                shutil.rmtree(data_dir, ignore_errors=True)
    if previous:
        old_full, old_refresh = previous_runs(previous)
        full = sorted([x for x in old_full if x[0] not in sizes] + full, key=lambda x: x[0])
        refresh = sorted([x for x in old_refresh if x[0] not in sizes] + refresh, key=lambda x: x[0])
    return [_full_figure(full), _refresh_figure(refresh)]


def _steps_cell(s: RunStats) -> str:
    return ", ".join(f"{k} {v:.1f}" for k, v in sorted(s.steps.items(), key=lambda kv: -kv[1])) or "n/a"


def _full_figure(full: list[tuple[int, RunStats]]) -> Figure:
    fig = Figure("full_run", "3. `dealwire run` end to end (directory source, empty warehouse)")
    rows = [[size, f"{s.wall_s:.1f}", f"{s.cpu_s:.1f}", f"{size / s.wall_s:.1f}", f"{s.peak_tree_rss_mb:.0f}",
             f"{s.max_single_rss_mb:.0f}", _load(s), "ok" if s.returncode == 0 else f"exit {s.returncode}",
             _steps_cell(s)] for size, s in full]
    fig.lines = ["One run per size (a full run at 100k is minutes long). Targets: 100k articles <= 5 min, "
                 "peak RSS <= 1.5 GB.", "",
                 "CPU s is user + system time of the whole process tree (extraction workers included): "
                 "on a shared machine it is what the run cost, the wall time what it took under that load.", "",
                 *table(["articles", "wall s", "CPU s", "articles/s", "peak RSS of the tree MB",
                         "largest process MB", "load 1 min before/after", "result", "step seconds"], rows)]
    for size, s in full:
        if s.returncode != 0:
            fig.lines += ["", f"Output of the failed {size}-article run:", "```", s.output_tail, "```"]
    fig.data = {str(size): _data(s) for size, s in full}
    return fig


def _refresh_figure(refresh: list[tuple[int, RunStats]]) -> Figure:
    fig = Figure("refresh", "4. Refresh latency (a second `dealwire run` on the same warehouse)")
    rows = []
    for size, s in refresh:
        steps = s.steps
        ingest = sum(v for k, v in steps.items() if "ingest" in k)
        extract = sum(v for k, v in steps.items() if "extract" in k)
        dbt = sum(v for k, v in steps.items() if "dbt" in k)
        other = sum(steps.values()) - ingest - extract - dbt
        between = (s.wall_s - s.startup_s - sum(steps.values()) - s.after_steps_s
                   if s.startup_s is not None and s.after_steps_s is not None else None)
        rows.append([size, s.label, f"{s.wall_s:.1f}", f"{s.cpu_s:.1f}", _f(s.startup_s), f"{ingest:.1f}",
                     f"{extract:.1f}", _dbt_cell(s, dbt), f"{other:.1f}", _f(between), _f(s.after_steps_s),
                     _load(s), "ok" if s.returncode == 0 else f"exit {s.returncode}"])
    fig.lines = ["Targets: no new article <= 15 s; 100 new articles <= 25 s. Start-up is process start to the "
                 "first step's start (imports, loading the definitions, the Dagster run); the step columns come "
                 "from the run's event log; 'other steps' are any further steps (publish, report ...); "
                 "'between' is the rest: Dagster's bookkeeping between steps, and for a refresh with news the "
                 "planning of its second run (dbt, publish, report); 'after' is the last step's end to process "
                 "exit.", "",
                 "dbt 'not run': `dealwire run` found the raw tables as the last build left them after ingest and "
                 "did not plan the dbt run at all; 'skipped': the dbt step itself found that and did not run "
                 "`dbt build` (publish and the report then skip too).", "",
                 *table(["corpus", "refresh", "wall s", "CPU s", "start-up s", "ingest s", "extraction s", "dbt s",
                         "other steps s", "between s", "after s", "load 1 min before/after", "result"], rows)]
    fig.data = {f"{size}:{s.label}": _data(s) for size, s in refresh}
    return fig


def dbt_skipped(s: RunStats) -> bool:
    """The dbt step ran but publish did not: the step found nothing changed and skipped `dbt build`."""
    return any("dbt" in k for k in s.steps) and not any("publish" in k for k in s.steps)


def _dbt_cell(s: RunStats, seconds: float) -> str:
    if s.steps and not any("dbt" in k for k in s.steps):
        return "not run"
    return f"{seconds:.1f} (skipped)" if dbt_skipped(s) else f"{seconds:.1f}"


def _load(s: RunStats) -> str:
    return f"{s.load_before[0]:.1f} / {s.load_after[0]:.1f}" if s.load_before and s.load_after else "?"


def _f(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.1f}"


def _data(s: RunStats) -> dict:
    return dict(vars(s))


def _stats(data: dict) -> RunStats:
    """A RunStats back from bench/results.json (tuples come back as lists)."""
    known = {k: v for k, v in data.items() if k in RunStats.__dataclass_fields__}
    return RunStats(**{**known, **{k: tuple(v) for k, v in known.items() if isinstance(v, list)}})


def previous_runs(results: dict) -> tuple[list[tuple[int, RunStats]], list[tuple[int, RunStats]]]:
    """The full runs and refreshes recorded in a results.json's figures (for --merge)."""
    full = [(int(key), _stats(d)) for key, d in results.get("full_run", {}).items()]
    refresh = [(int(key.split(":", 1)[0]), _stats(d)) for key, d in results.get("refresh", {}).items()]
    return full, refresh
