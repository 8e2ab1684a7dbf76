"""How int_deal_mentions__clustered groups linked mentions into deals: chains, merges, the date
limit at its edges, and a random set of mentions against the rules written out in Python."""

import random
from datetime import datetime, timedelta

import pytest

from tests.dbt.conftest import RawCorpus, Warehouse

RANDOM_TARGETS = ("Mistral AI", "Cohere")
RANDOM_INVESTORS = ("Amazon", "NVIDIA", "SoftBank", None)
RANDOM_AMOUNTS = (10e9, 10.5e9, 11.5e9, 12e9, 14e9, 20e9)   # no two a factor of exactly 1.1 apart
TOLERANCE, MAX_GAP_DAYS = 0.10, 180


def clustering_corpus() -> tuple[RawCorpus, list[tuple]]:
    c = RawCorpus()

    # A chain: each mention within 10% and 120 days of the next, no other two linked.
    for i, (day, amount) in enumerate([("2025-01-01", 10e9), ("2025-05-01", 10.8e9), ("2025-09-01", 11.6e9),
                                       ("2025-12-30", 12.5e9), ("2026-04-29", 13.5e9)]):
        c.deal(c.article(f"chain-{i}", f"{day} 10:00"), "SoftBank", "Zhipu AI", "equity", "announced",
               amount, amount)

    # Two mentions too far apart in time and amount, and one linked to both: one deal.
    c.deal(c.article("merge-a", "2025-02-01 10:00"), "Amazon", "Anthropic", "equity", "announced", 20e9, 20e9)
    c.deal(c.article("merge-b", "2025-11-01 10:00"), "Amazon", "Anthropic", "equity", "completed", 23e9, 23e9)
    c.deal(c.article("merge-m", "2025-06-20 10:00"), "Amazon", "Anthropic", "equity", "announced", 21.5e9, 21.5e9)

    # Rounds by different investors: 180 calendar days apart (late at night, early in the
    # morning) is one round; 181 days is two.
    c.deal(c.article("round-1", "2025-01-01 23:00"), "Valor Equity Partners", "xAI", "funding_round", "talks",
           6e9, 6e9)
    c.deal(c.article("round-2", "2025-06-30 01:00"), "NVIDIA", "xAI", "funding_round", "completed", 6e9, 6e9)
    c.deal(c.article("round-3", "2026-01-01 01:00"), "Valor Equity Partners", "Moonshot AI", "funding_round",
           "talks", 3e9, 3e9)
    c.deal(c.article("round-4", "2026-07-01 23:00"), "NVIDIA", "Moonshot AI", "funding_round", "completed",
           3e9, 3e9)

    # Random investment mentions of two targets; ground truth computed below from the rules.
    rng = random.Random(20261123)
    start = datetime(2024, 3, 1)
    randoms = []
    for i in range(120):
        target = rng.choice(RANDOM_TARGETS)
        investor = rng.choice(RANDOM_INVESTORS)
        deal_type = rng.choice(("equity", "funding_round"))
        amount = rng.choice(RANDOM_AMOUNTS)
        published = start + timedelta(days=rng.randint(0, 900), hours=rng.randint(0, 23))
        article = c.article(f"random-{i}", published.isoformat(sep=" "), source=f"wire-{i % 3}")
        mention_id = c.deal(article, investor, target, deal_type, "announced", amount, amount)
        randoms.append((mention_id, target, investor, deal_type, amount, published.date()))
    return c, randoms


def expected_components(mentions: list[tuple]) -> dict[str, str]:
    """The linking rules of int_deal_mentions__clustered's doc block for point USD amounts of
    the investment family, and connected sets named after their smallest mention id."""
    def agree(a, b):
        return a <= b * (1 + TOLERANCE) and b <= a * (1 + TOLERANCE)

    def linked(one, other):
        _, target, investor, deal_type, amount, day = one
        _, o_target, o_investor, o_type, o_amount, o_day = other
        if target != o_target or abs((day - o_day).days) > MAX_GAP_DAYS:
            return False
        same_investor_agrees = investor == o_investor and agree(amount, o_amount)
        rounds_agree = deal_type == o_type == "funding_round" and agree(amount, o_amount)
        stake_of_round = investor is not None and investor == o_investor and (
            (deal_type, o_type) == ("funding_round", "equity") and o_amount <= amount * (1 + TOLERANCE)
            or (deal_type, o_type) == ("equity", "funding_round") and amount <= o_amount * (1 + TOLERANCE))
        return same_investor_agrees or rounds_agree or stake_of_round

    parent = {m[0]: m[0] for m in mentions}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, one in enumerate(mentions):
        for other in mentions[i + 1:]:
            if linked(one, other):
                a, b = find(one[0]), find(other[0])
                parent[max(a, b)] = min(a, b)   # the root stays the smallest id
    return {m[0]: find(m[0]) for m in mentions}


@pytest.fixture(scope="module")
def clustering(tmp_path_factory):
    work_dir = tmp_path_factory.mktemp("dbt-clustering")
    warehouse = Warehouse(work_dir / "warehouse.duckdb", work_dir)
    corpus, randoms = clustering_corpus()
    corpus.land(warehouse.path)
    warehouse.dbt("build")
    return warehouse, randoms


def deals_of(wh, target):
    return wh.query("select n_mentions, investor, first_reported_at::date from marts.deals where target = ? "
                    "order by first_reported_at", [target])


def test_a_chain_linked_only_end_to_end_is_one_deal(clustering):
    wh, _ = clustering
    assert deals_of(wh, "Zhipu AI") == [(5, "SoftBank", datetime(2025, 1, 1).date())]
    (component_ids,) = wh.query("""
        select list(distinct component_id), min(mention_id) from intermediate.int_deal_mentions__clustered
        where target = 'Zhipu AI'""")
    assert component_ids[0] == [component_ids[1]]   # named after its smallest mention id


def test_a_mention_linked_to_two_deals_merges_them(clustering):
    wh, _ = clustering
    assert deals_of(wh, "Anthropic") == [(3, "Amazon", datetime(2025, 2, 1).date())]


def test_the_date_limit_counts_calendar_days_at_its_edges(clustering):
    wh, _ = clustering
    assert [row[0] for row in deals_of(wh, "xAI")] == [2]
    assert [row[0] for row in deals_of(wh, "Moonshot AI")] == [1, 1]


def test_random_mentions_cluster_as_the_rules_say(clustering):
    wh, randoms = clustering
    expected = expected_components(randoms)
    got = dict(wh.query("select mention_id, component_id from intermediate.int_deal_mentions__clustered "
                        "where list_contains(?, mention_id)", [list(expected)]))
    assert got == expected
    # a non-trivial case: some deals of several mentions, and more than one deal per target
    sizes = sorted(list(expected.values()).count(root) for root in set(expected.values()))
    assert sizes[-1] >= 5 and len(sizes) >= 10
