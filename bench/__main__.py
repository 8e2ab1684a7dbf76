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
    args = parser.parse_args(argv)
    only = {x.strip() for x in args.only.split(",") if x.strip()}
    sizes = [1000] if args.quick else [int(x) for x in args.sizes.split(",") if x.strip()]
    os.chdir(PROJECT_ROOT)

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
        _write(args.out, figures, info, started, load_before, args.note)

    # Figure 1 pins this process to one CPU; _unpin() gives the later figures every core back.
    from bench import fetch, loads, parse_extract, pipeline, portability

    step("parse", lambda: parse_extract.run(n_pages=60 if args.quick else 200, runs=3 if args.quick else 5,
                                            seed=args.seed))
    _unpin()
    step("loads", lambda: loads.run(n_rows=500 if args.quick else 2000, runs=3, seed=args.seed))
    step("pipeline", lambda: pipeline.run(sizes, args.corpus_dir, seed=args.seed, timeout_s=args.timeout))
    step("fetch", lambda: fetch.run(pages_per_host=3 if args.quick else 10, seed=args.seed))
    step("portability", portability.run)
    _write(args.out, figures, info, started, load_before, args.note)
    print(f"[bench] wrote {args.out}", file=sys.stderr)
    return 0


def _unpin() -> None:
    try:
        os.sched_setaffinity(0, range(os.cpu_count() or 1))
    except (AttributeError, OSError):
        pass


def _write(out: Path, figures: list[common.Figure], info: dict, started: str, load_before: tuple,
           note: str) -> None:
    lines = [INTRO, "## Machine and conditions", "",
             *common.machine_lines(info, started, load_before, os.getloadavg())]
    if note:
        lines.append(f"- {note}")
    for fig in figures:
        lines += ["", f"## {fig.title}", "", *fig.lines]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    results = Path(__file__).resolve().parent / "results.json"
    results.write_text(json.dumps({"started": started, "machine": info,
                                   "figures": {f.key: f.data for f in figures}}, indent=1, default=str),
                       encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
