"""Shared bits: the machine description, medians, a markdown table and the result of one figure."""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass, field
from importlib import metadata

PACKAGES = ("duckdb", "dagster", "dbt-core", "dbt-duckdb", "dbt-postgres", "beautifulsoup4", "lxml",
            "selectolax", "trafilatura", "requests")


@dataclass
class Figure:
    """One section of BENCHMARKS.md."""

    key: str
    title: str
    lines: list[str] = field(default_factory=list)  # markdown
    data: dict = field(default_factory=dict)        # raw numbers (kept in bench/results.json)


def table(header: list[str], rows: list[list[object]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return out


def _cell(v: object) -> str:
    if isinstance(v, float):
        return f"{v:,.1f}" if abs(v) >= 100 else f"{v:.2f}" if abs(v) >= 1 else f"{v:.3f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def median_time(fn, runs: int) -> tuple[float, list[float]]:
    """Median wall time of `runs` calls of fn() (seconds), and every run's time."""
    wall, _ = median_times(fn, runs)
    return wall[0], wall[1]


def median_times(fn, runs: int) -> tuple[tuple[float, list[float]], tuple[float, list[float]]]:
    """(median wall, runs) and (median CPU time of this process, runs): on a shared machine the CPU
    time is what the code costs, the wall time what it took while others ran."""
    walls, cpus = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return (statistics.median(walls), walls), (statistics.median(cpus), cpus)


def pin_to_one_core() -> int | None:
    """Run this process on one CPU (the one-core figures); returns that CPU, or None if not possible."""
    try:
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return cpu
    except (AttributeError, OSError):
        return None


def machine() -> dict:
    info = {"python": platform.python_version(), "platform": platform.platform(), "cores": os.cpu_count()}
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in open("/proc/meminfo", encoding="utf-8"):
            if line.startswith("MemTotal"):
                info["ram_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
                break
        info["load_avg"] = os.getloadavg()
    except OSError:
        pass
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    info["packages"] = versions
    info["executable"] = sys.executable
    return info


def machine_lines(info: dict, started: str, load_before: tuple, load_after: tuple) -> list[str]:
    packages = ", ".join(f"{k} {v}" for k, v in info["packages"].items())
    return [
        f"- CPU: {info.get('cpu', 'unknown')}, {info['cores']} logical cores; RAM {info.get('ram_gb', '?')} GB",
        f"- {info['platform']}, Python {info['python']}",
        f"- packages: {packages}",
        f"- taken {started}; load average (1, 5, 15 min) before {_load(load_before)}, after {_load(load_after)}",
    ]


def _load(load: tuple) -> str:
    return ", ".join(f"{x:.2f}" for x in load) if load else "?"
