"""`python -m bench` (`make bench`): run the benchmarks and write BENCHMARKS.md.

    python -m bench                      # everything, sizes 1000,10000,100000
    python -m bench --quick              # small samples, 1k only: a smoke run in a few minutes
    python -m bench --sizes 1000,10000 --only parse,loads,pipeline,fetch,portability
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
from pathlib import Path

from bench import common

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FIGURES = ("parse", "loads", "pipeline", "fetch", "portability")

INTRO = """# dealwire benchmarks

Written by `make bench` (`python -m bench`; `--quick` for a smoke run, `--sizes 1000,10000`,
`--only parse,loads,pipeline,fetch,portability`). Everything runs on a synthetic corpus from
`bench/corpus.py`: ~40 KB news pages in en / zh-Hans / zh-Hant with site noise (navigation, inline
scripts, share bars, related links, comments, footers), two in five carrying one to three deal or
capex facts, deterministic by seed.

How to read it: figures 1 and 2 are medians of several runs (the runs are in `bench/results.json`);
figures 3 to 5 are single runs, because one 100k run takes minutes. Absolute numbers depend on the
machine and on what else runs on it: the load average before and after is printed below, and a
figure taken while other jobs ran on the same cores is slower than the code is. Compare numbers
taken on one machine under the same load; re-run `make bench` before drawing conclusions.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000", help="article counts for the end-to-end runs")
    parser.add_argument("--quick", action="store_true", help="small samples and 1k articles only")
    parser.add_argument("--only", default=",".join(FIGURES), help="comma-separated: " + ",".join(FIGURES))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--corpus-dir", type=Path, default=Path(tempfile.gettempdir()) / "dealwire-bench-corpus",
                        help="where the synthetic corpus is written (kept between runs, re-used)")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per `dealwire run`")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "BENCHMARKS.md")
    parser.add_argument("--note", default="", help="free text about the conditions, printed under the machine")
    parser.add_argument("--merge", action="store_true",
                        help="keep the sections of --out (and the pipeline sizes in bench/results.json) that this "
                             "run does not redo, e.g. `--only pipeline --sizes 100000 --merge` adds the 100k rows")
    parser.add_argument("--forget-sizes", default="",
                        help="with --merge: pipeline sizes of the previous results to drop (e.g. a failed run)")
    args = parser.parse_args(argv)
    only = {x.strip() for x in args.only.split(",") if x.strip()}
    sizes = [1000] if args.quick else [int(x) for x in args.sizes.split(",") if x.strip()]
    os.chdir(PROJECT_ROOT)

    kept = _previous(args.out, only) if args.merge else {}
    previous_results = _previous_results() if args.merge else {}
    forget = {x.strip() for x in args.forget_sizes.split(",") if x.strip()}
    for key in ("full_run", "refresh"):  # keyed "<size>" and "<size>:<label>"
        figure = previous_results.get("figures", {}).get(key, {})
        for name in [n for n in figure if n.split(":", 1)[0] in forget]:
            del figure[name]
    started = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    load_before = os.getloadavg()
    info = common.machine()
    figures: list[common.Figure] = []

    def step(name: str, fn) -> None:
        if name not in only:
            return
        print(f"[bench] {name} ...", file=sys.stderr, flush=True)
        try:
            result = fn()
            figures.extend(result if isinstance(result, list) else [result])
        except Exception as error:  # a broken figure is reported, the others still run
            fig = common.Figure(name, f"{name}: failed")
            fig.lines = [f"`{type(error).__name__}: {error}`"]
            figures.append(fig)
        _write(args.out, figures, info, started, load_before, args.note, kept, previous_results)

    # Figure 1 pins this process to one CPU; _unpin() gives the later figures every core back.
    from bench import fetch, loads, parse_extract, pipeline, portability

    step("parse", lambda: parse_extract.run(n_pages=60 if args.quick else 200, runs=3 if args.quick else 5,
                                            seed=args.seed))
    _unpin()
    step("loads", lambda: loads.run(n_rows=500 if args.quick else 2000, runs=3, seed=args.seed))
    step("pipeline", lambda: pipeline.run(sizes, args.corpus_dir, seed=args.seed, timeout_s=args.timeout,
                                          previous=previous_results.get("figures")))
    step("fetch", lambda: fetch.run(pages_per_host=3 if args.quick else 10, seed=args.seed))
    step("portability", portability.run)
    _write(args.out, figures, info, started, load_before, args.note, kept, previous_results)
    print(f"[bench] wrote {args.out}", file=sys.stderr)
    return 0


def _unpin() -> None:
    try:
        os.sched_setaffinity(0, range(os.cpu_count() or 1))
    except (AttributeError, OSError):
        pass


# Which sections of BENCHMARKS.md each figure writes (by title prefix), for --merge.
SECTION_PREFIXES = {"parse": ("1.",), "loads": ("2.",), "pipeline": ("3.", "4."), "fetch": ("5.",),
                    "portability": ("Beyond",)}
RESULTS = Path(__file__).resolve().parent / "results.json"


def _previous(out: Path, only: set[str]) -> dict[str, list[tuple[str, list[str]]]]:
    """figure name -> [(section title, lines)] of `out`, for the figures this run does not redo."""
    if not out.exists():
        return {}
    sections: list[tuple[str, list[str]]] = []
    for line in out.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            sections.append((line[3:], []))
        elif sections:
            sections[-1][1].append(line)
    kept: dict[str, list[tuple[str, list[str]]]] = {}
    # The conditions of the earlier runs stay on record next to this run's.
    skip = ("- CPU", "- Linux", "- packages", "- sections not redone")
    kept["conditions"] = [(t, [line.strip() for line in body
                               if line.strip().startswith("- ") and not line.startswith(skip)])
                          for t, body in sections if t == "Machine and conditions"]
    for name, prefixes in SECTION_PREFIXES.items():
        if name not in only:
            kept[name] = [(t, _strip_blank(body)) for t, body in sections if t.startswith(prefixes)]
    return kept


def _strip_blank(lines: list[str]) -> list[str]:
    while lines and not lines[0].strip():
        lines = lines[1:]
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return lines


def _previous_results() -> dict:
    try:
        return json.loads(RESULTS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write(out: Path, figures: list[common.Figure], info: dict, started: str, load_before: tuple,
           note: str, kept: dict | None = None, previous_results: dict | None = None) -> None:
    kept = kept or {}
    lines = [INTRO, "## Machine and conditions", "",
             *common.machine_lines(info, started, load_before, os.getloadavg())]
    if note:
        lines.append(f"- {note}")
    if kept:
        lines.append("- sections not redone by this run (" + ", ".join(
            sorted(k for k, v in kept.items() if v and k != "conditions"))
            + ") are kept from the previous BENCHMARKS.md; it was written under these conditions:")
        lines += [f"  {line}" for _, body in kept.get("conditions", []) for line in body]
    new = {name: [f for f in figures if f.title.startswith(SECTION_PREFIXES[name])] for name in SECTION_PREFIXES}
    for name in SECTION_PREFIXES:
        sections = [(f.title, f.lines) for f in new[name]] or kept.get(name, [])
        for title, body in sections:
            lines += ["", f"## {title}", "", *body]
    for fig in figures:  # a failed figure ("<name>: failed") has no numbered title
        if not any(fig in group for group in new.values()):
            lines += ["", f"## {fig.title}", "", *fig.lines]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = dict((previous_results or {}).get("figures", {})) if kept else {}
    data.update({f.key: f.data for f in figures})
    RESULTS.write_text(json.dumps({"started": started, "machine": info, "figures": data}, indent=1, default=str),
                       encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
