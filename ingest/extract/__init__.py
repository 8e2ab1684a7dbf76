"""Fact extractor: article body text -> DealMention / CapexMention records.

A pipeline of small passes (see pipeline.py); language data lives in lexicon_en.py and
lexicon_zh.py, company names in the dbt seeds companies.csv / company_aliases.csv.
"""

from __future__ import annotations

from .pipeline import detect_lang, extract_facts, extract_rows, run

# Bump when the rules change, so re-extraction can be told apart in the warehouse.
EXTRACTOR_VERSION = "2026.11.23-3"

__all__ = ["EXTRACTOR_VERSION", "detect_lang", "extract_facts", "extract_rows", "run"]
