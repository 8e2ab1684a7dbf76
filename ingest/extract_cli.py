"""`dealwire extract FILE... [--published YYYY-MM-DD] [--lang auto|en|zh-Hans|zh-Hant] [--explain]`

Reads plain-text or HTML articles and prints one JSON object per extracted fact per line.
With --explain, the trace of every pass (spans found, decisions taken) goes to stderr.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from ingest.extract import run
from ingest.extract.htmltext import load_article
from ingest.records import CapexMention, DealMention

KEYS = ("file", "kind", "investor", "target", "company", "period", "amount_min", "amount_max",
        "currency", "qualifier", "amount_usd_min", "amount_usd_max", "valuation",
        "valuation_currency", "status", "deal_type", "capex_kind", "aggregate", "evidence")


def fact_to_json(path: str, f: DealMention | CapexMention) -> dict:
    row: dict = dict.fromkeys(KEYS)
    row.update(file=path, kind=f.kind, amount_min=f.amount_min, amount_max=f.amount_max,
               currency=f.currency, qualifier=f.qualifier, amount_usd_min=f.amount_usd_min,
               amount_usd_max=f.amount_usd_max, aggregate=f.aggregate,
               evidence={"sentence": f.evidence.sentence, "start": f.evidence.start,
                         "end": f.evidence.end})
    if isinstance(f, DealMention):
        row.update(investor=f.investor, target=f.target, valuation=f.valuation,
                   valuation_currency=f.valuation_currency, status=f.status, deal_type=f.deal_type)
    else:
        row.update(company=f.company, period=f.period, capex_kind=f.capex_kind)
    return row


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="dealwire extract", description="Extract deal and capex facts.")
    ap.add_argument("files", nargs="+", metavar="FILE")
    ap.add_argument("--published", type=dt.date.fromisoformat, default=None,
                    help="publication date (YYYY-MM-DD) for relative periods; HTML metadata otherwise")
    ap.add_argument("--lang", choices=["auto", "en", "zh-Hans", "zh-Hant"], default="auto")
    ap.add_argument("--explain", action="store_true", help="print the trace of every pass to stderr")
    args = ap.parse_args(argv)
    status = 0
    for path in args.files:
        try:
            art = load_article(path)
        except OSError as e:
            print(f"dealwire extract: {path}: {e}", file=sys.stderr)
            status = 1
            continue
        lang = None if args.lang == "auto" else args.lang
        doc = run(art.text, args.published or art.published, lang or art.lang)
        if args.explain:
            print(f"# {path} lang={doc.lang} published={doc.published}", file=sys.stderr)
            for line in doc.trace:
                print(f"  {line}", file=sys.stderr)
        for f in doc.facts:
            print(json.dumps(fact_to_json(path, f), ensure_ascii=False))
    return status


if __name__ == "__main__":
    from ingest.pipes import run_command

    raise SystemExit(run_command(main))
