"""Typed records that cross module boundaries (ingest -> warehouse -> CLI)."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Literal

Lang = Literal["en", "zh-Hans", "zh-Hant"]
Qualifier = Literal["exact", "approx", "at_least", "at_most", "range"]
FetchOutcome = Literal["new", "changed", "unchanged", "not_modified", "skipped", "error"]


def stable_id(*parts: str) -> str:
    """A short, stable hex id for a tuple of strings (article ids, mention ids)."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:16]


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Article:
    """One parsed article, ready for raw.articles."""

    url: str
    canonical_url: str
    source: str
    title: str | None
    published_at: datetime | None
    lang: Lang | None
    body_text: str

    @property
    def article_id(self) -> str:
        return stable_id(self.canonical_url)

    @functools.cached_property  # read when comparing with the stored hash and again when landing
    def content_sha256(self) -> str:
        return sha256_text(self.body_text)


@dataclass(frozen=True)
class FetchResult:
    """One fetch attempt, ready for raw.fetch_log."""

    source: str
    url: str
    started_at: datetime
    http_status: int | None
    bytes: int
    elapsed_ms: int
    outcome: FetchOutcome
    error: str | None = None


@dataclass(frozen=True)
class Evidence:
    """Where a fact came from: the sentence and its character offsets in body_text."""

    sentence: str
    start: int
    end: int


@dataclass(frozen=True)
class DealMention:
    investor_raw: str | None
    investor: str | None  # canonical name when the alias table knows it, else the raw string
    target_raw: str | None
    target: str | None
    amount_min: float | None  # full units of the stated currency (4e9 for "$4 billion")
    amount_max: float | None
    currency: str | None  # ISO 4217
    qualifier: Qualifier | None
    amount_usd_min: float | None  # only when the text states USD (or the amount is USD)
    amount_usd_max: float | None
    valuation: float | None
    valuation_currency: str | None
    status: str | None  # talks | announced | completed | pledged | cancelled
    deal_type: str | None  # equity | funding_round | acquisition | fund | joint_venture | contract
    aggregate: bool
    evidence: Evidence
    kind: Literal["deal"] = field(default="deal", init=False)

    def mention_id(self, article_id: str) -> str:
        return stable_id(article_id, "deal", str(self.evidence.start), str(self.evidence.end),
                         self.investor_raw or "", self.target_raw or "", repr(self.amount_min),
                         repr(self.amount_max), self.currency or "")

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class CapexMention:
    company_raw: str | None
    company: str | None
    period: str | None  # "2026", "FY2026", "2026Q1", "2026H1"
    capex_kind: str | None  # guidance | actual | plan
    amount_min: float | None
    amount_max: float | None
    currency: str | None
    qualifier: Qualifier | None
    amount_usd_min: float | None
    amount_usd_max: float | None
    aggregate: bool
    evidence: Evidence
    kind: Literal["capex"] = field(default="capex", init=False)

    def mention_id(self, article_id: str) -> str:
        return stable_id(article_id, "capex", str(self.evidence.start), str(self.evidence.end),
                         self.company_raw or "", self.period or "", repr(self.amount_min),
                         repr(self.amount_max), self.currency or "")

    def as_dict(self) -> dict:
        return asdict(self)


Fact = DealMention | CapexMention
