"""`dealwire extract FILE...`: the JSON-lines contract other tools rely on."""

import json

from ingest.extract_cli import main

KEYS = {"file", "kind", "investor", "target", "company", "period", "amount_min", "amount_max", "currency",
        "qualifier", "amount_usd_min", "amount_usd_max", "valuation", "valuation_currency", "status",
        "deal_type", "capex_kind", "aggregate", "evidence"}


def test_extract_prints_one_json_object_per_fact(tmp_path, capsys):
    page = tmp_path / "a.html"
    page.write_text("<html><body><article><h1>t</h1>"
                    "<p>三星电子表示,2026年将在芯片业务投入超过110万亿韩元(约733亿美元)的资本支出。</p>"
                    "<p>Amazon will invest $5 billion in Anthropic, the companies said.</p>"
                    "</article></body></html>", encoding="utf-8")
    text = tmp_path / "b.txt"
    text.write_text("Intel expects capex of between $12bn and $14bn in 2026.", encoding="utf-8")
    assert main([str(page), str(text), "--published", "2026-03-01"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert all(set(row) == KEYS for row in rows)
    by_key = {(r["kind"], r["company"] or r["target"]): r for r in rows}
    samsung = by_key[("capex", "Samsung Electronics")]
    assert (samsung["period"], samsung["amount_min"], samsung["amount_max"], samsung["currency"],
            samsung["qualifier"], samsung["amount_usd_min"]) == ("2026", 110e12, None, "KRW", "at_least", 73.3e9)
    deal = by_key[("deal", "Anthropic")]
    assert (deal["investor"], deal["amount_min"], deal["currency"], deal["company"]) == ("Amazon", 5e9, "USD", None)
    intel = by_key[("capex", "Intel")]
    assert (intel["amount_min"], intel["amount_max"], intel["qualifier"], intel["file"]) == (12e9, 14e9, "range", str(text))
