"""Snapshot of extract_facts outputs, to prove a refactor of ingest/extract changes nothing.

    python -m tests.tools.extract_snapshot --out /tmp/before.json
    python -m tests.tools.extract_snapshot --out /tmp/after.json --compare /tmp/before.json

Inputs: (a) every article of the gold sets the evaluator scores (development and unseen hold-outs;
only their file / lang / published fields are read, never their facts), once with the gold
publication date and once with none (periods then take other code paths); (b) N synthetic bench
pages (bench/corpus.py, seed 7 as bench/parse_extract.py uses) parsed with ingest.parse.parse_html.
Every fact is recorded with every field, evidence offsets included. Exits 1 when --compare finds a
difference.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
GOLD_FILES = ["tests/gold/sample_corpus.jsonl", "tests/gold/holdout.jsonl", "tests/gold/shared_corpus.jsonl",
              "tests/gold/unseen.jsonl", "tests/gold/unseen2.jsonl"]


def _facts(facts) -> list[dict]:
    return [{"type": type(f).__name__, **dataclasses.asdict(f)} for f in facts]


def gold_inputs():
    from ingest.extract.htmltext import load_article

    for gf in GOLD_FILES:
        for line in (REPO / gf).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            art = json.loads(line)
            apath = (REPO / art["file"]).resolve()
            if not apath.exists():
                continue
            loaded = load_article(apath)
            pub = dt.date.fromisoformat(art["published"][:10]) if art.get("published") else loaded.published
            lang = art.get("lang") or loaded.lang
            yield f"gold:{art['file']}", loaded.text, pub, lang
            yield f"gold-nodate:{art['file']}", loaded.text, None, lang


def bench_inputs(n: int, seed: int = 7):
    from bench.corpus import make_article
    from ingest.parse import parse_html

    for i in range(n):
        page = parse_html(make_article(seed, i).html)
        yield (f"bench:{seed}:{i}", page.body_text,
               page.published_at.date() if page.published_at else None, page.lang)


def snapshot(n_bench: int) -> tuple[dict[str, list[dict]], float]:
    from ingest.extract import extract_facts

    out: dict[str, list[dict]] = {}
    cpu = 0.0
    for source in (gold_inputs(), bench_inputs(n_bench)):
        for key, text, pub, lang in source:
            t0 = time.process_time()
            facts = extract_facts(text, pub, lang)
            cpu += time.process_time() - t0
            out[key] = _facts(facts)
    return out, cpu


def compare(new: dict, old: dict, max_chars: int | None = None) -> list[str]:
    """Every key whose record differs between two snapshots (also used by parse_snapshot)."""
    diffs = []
    for key in sorted(set(old) | set(new)):
        if key not in new or key not in old:
            diffs.append(f"{key}: only in {'old' if key in old else 'new'}")
        elif new[key] != old[key]:
            diffs.append(f"{key}:\n  old {json.dumps(old[key], ensure_ascii=False)[:max_chars]}\n"
                         f"  new {json.dumps(new[key], ensure_ascii=False)[:max_chars]}")
    return diffs


def write_snapshot(snap: dict, out: str) -> None:
    Path(out).write_text(json.dumps(snap, ensure_ascii=False, indent=0, sort_keys=True), encoding="utf-8")


def report_differences(snap: dict, against: str | None, max_chars: int | None = None) -> int:
    """Print how `snap` differs from the snapshot file `against`; the exit status (1 on any difference)."""
    if not against:
        return 0
    diffs = compare(snap, json.loads(Path(against).read_text(encoding="utf-8")), max_chars)
    print(f"{len(diffs)} differences against {against}")
    for d in diffs[:20]:
        print(d)
    return 1 if diffs else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--compare")
    ap.add_argument("--bench-pages", type=int, default=2000)
    args = ap.parse_args(argv)
    snap, cpu = snapshot(args.bench_pages)
    write_snapshot(snap, args.out)
    n_facts = sum(len(v) for v in snap.values())
    print(f"{len(snap)} inputs, {n_facts} facts, extract_facts CPU {cpu:.2f} s -> {args.out}")
    return report_differences(snap, args.compare)


if __name__ == "__main__":
    sys.exit(main())
