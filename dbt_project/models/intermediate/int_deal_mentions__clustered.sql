{#
    Assigns every company-level deal mention to one real-world deal (deal_id).

    Two mentions report the same deal ("are linked") when they name the same target, belong to
    compatible deal types (equity and funding_round are one family, investment; a mention
    without a type takes its pair's only family), were reported at most deal_max_gap_days
    apart, and either
      1. name the same investor (or both none) and their USD amounts agree, or
      2. are both funding_round mentions with agreeing amounts: one round, several participants
         (an investor named in one article, another or none in the next), or
      3. name the same investor, one as a funding_round and the other as its equity stake no
         larger than the round: the investor's share of a round it leads (ASML's EUR 1.3bn of
         Mistral's EUR 1.7bn round).
    Rules 2 and 3 apply to the investment family only; other families need the same investor.
    Amounts agree when their USD intervals overlap:
      - a point v (exact, approx):     [v, v * (1 + tolerance)]  -> points within 10% meet
      - a range [lo, hi]:              [lo, hi * (1 + tolerance)]
      - at least lo:                   [lo, lo * open_bound_span]
      - at most hi:                    [hi / open_bound_span, hi * (1 + tolerance)]
    A deal is a connected set of linked mentions, named after its smallest mention id (label
    propagation over the links, see amount_components). A mention without a USD amount joins
    the deal of the nearest-in-time amount-bearing mention with the same investor, target and
    family, or, when there is none, one amount-less deal of its own.
#}

{%- set tolerance = var('deal_amount_tolerance') -%}
{%- set open_bound_span = var('deal_open_bound_span') -%}
{%- set max_gap_days = var('deal_max_gap_days') -%}

{{ config(materialized='table') }}

with recursive

mentions as (

    select * from {{ ref('int_deal_mentions__usd') }}
    where not is_aggregate
        and (investor is not null or target is not null)

),

typed as (

    select
        *,
        case
            when deal_type in ('equity', 'funding_round') then 'investment'
            else deal_type
        end as deal_family
    from mentions

),

pair_only_family as (

    select
        investor,
        target,
        min(deal_family) as only_family
    from typed
    where deal_family is not null
    group by investor, target
    having count(distinct deal_family) = 1

),

grouped as (

    select
        typed.*,
        coalesce(typed.deal_family, pair_only_family.only_family, 'unspecified') as deal_group_family,
        coalesce(typed.amount_min_usd, typed.amount_max_usd / {{ open_bound_span }}) as match_low_usd,
        coalesce(
            typed.amount_max_usd * (1 + {{ tolerance }}),
            typed.amount_min_usd * {{ open_bound_span }}
        ) as match_high_usd

    from typed
    left join pair_only_family
        on pair_only_family.investor is not distinct from typed.investor
        and pair_only_family.target is not distinct from typed.target

),

with_amounts as (

    select * from grouped
    where match_low_usd is not null

),

-- Candidate pairs are found by equality only, so no join compares every two mentions of a big
-- target: rules 1 and 3 need the same investor, rule 2 two funding_rounds; and two mentions at
-- most max_gap_days apart (in calendar days, like the datediff below) fall in the same or
-- neighbouring windows of max_gap_days + 1 days.
windowed as (

    select
        *,
        floor(
            {{ dbt.datediff("cast('1970-01-01' as date)", 'cast(reported_at as date)', 'day') }}
            / {{ max_gap_days + 1 }}.0
        ) as date_window
    from with_amounts

),

near_windows as (

    select
        windowed.*,
        windowed.date_window + steps.step as near_window
    from windowed
    cross join (values (-1), (0), (1)) as steps (step)

),

links as (

    -- 1. the same investor (or both none) and agreeing amounts; 3. the same investor, a round
    -- and its equity stake no larger than the round
    select
        one.mention_id as from_mention_id,
        other.mention_id as to_mention_id
    from near_windows as one
    inner join windowed as other
        on other.date_window = one.near_window
        and other.target is not distinct from one.target
        and other.deal_group_family = one.deal_group_family
        and other.investor is not distinct from one.investor
        and other.mention_id <> one.mention_id
    where abs({{ dbt.datediff('one.reported_at', 'other.reported_at', 'day') }}) <= {{ max_gap_days }}
        and (
            (
                one.match_low_usd <= other.match_high_usd
                and other.match_low_usd <= one.match_high_usd
            )
            or (
                one.deal_group_family = 'investment'
                and one.investor is not null
                and (
                    (one.deal_type = 'funding_round' and other.deal_type = 'equity'
                        and other.match_low_usd <= one.match_high_usd)
                    or (other.deal_type = 'funding_round' and one.deal_type = 'equity'
                        and one.match_low_usd <= other.match_high_usd)
                )
            )
        )

    union all

    -- 2. two funding_rounds with agreeing amounts and different investors (the same investor's
    -- are in the first part already)
    select
        one.mention_id as from_mention_id,
        other.mention_id as to_mention_id
    from near_windows as one
    inner join windowed as other
        on other.date_window = one.near_window
        and other.target is not distinct from one.target
        and other.deal_group_family = one.deal_group_family
        and other.deal_type = one.deal_type
        and other.investor is distinct from one.investor
    where one.deal_group_family = 'investment'
        and one.deal_type = 'funding_round'
        and abs({{ dbt.datediff('one.reported_at', 'other.reported_at', 'day') }}) <= {{ max_gap_days }}
        and one.match_low_usd <= other.match_high_usd
        and other.match_low_usd <= one.match_high_usd

),

{% if target.type == 'duckdb' %}
-- Each mention's linked mentions as one list: a round of the walk below joins the mentions whose
-- label changed with one row per mention, whatever the number of links.
neighbours as materialized (

    select
        from_mention_id as mention_id,
        list(to_mention_id) as linked_mention_ids
    from links
    group by from_mention_id

),

-- Label propagation: every mention starts as its own component and takes the smallest
-- component id among its linked mentions until nothing changes. Links go both ways, so the
-- labels settle on the smallest mention id of each connected set. USING KEY keeps one row per
-- mention (a new label replaces the old one) and feeds only the changed rows to the next
-- round: a round follows the links of the mentions whose label just changed, and the number
-- of rounds is the longest chain of links, not the size of a group.
amount_components (mention_id, component_id) using key (mention_id) as (

    select
        mention_id,
        mention_id as component_id
    from with_amounts

    union

    select
        offered.mention_id,
        offered.component_id
    from (
        select
            reached.mention_id,
            min(reached.component_id) as component_id
        from (
            select
                unnest(neighbours.linked_mention_ids) as mention_id,
                amount_components.component_id
            from amount_components
            inner join neighbours
                on neighbours.mention_id = amount_components.mention_id
        ) as reached
        group by reached.mention_id
    ) as offered
    inner join recurring.amount_components as current_label
        on current_label.mention_id = offered.mention_id
    where offered.component_id < current_label.component_id

),
{% else %}
-- Without USING KEY: every mention reached from every other through links (union drops
-- repeats, so the walk ends); a deal is named after the smallest mention id that reaches it.
-- Quadratic in the size of a group of linked mentions.
reachable as (

    select
        mention_id,
        mention_id as reached_from
    from with_amounts

    union

    select
        links.to_mention_id as mention_id,
        reachable.reached_from
    from reachable
    inner join links
        on links.from_mention_id = reachable.mention_id

),

amount_components as (

    select
        mention_id,
        min(reached_from) as component_id
    from reachable
    group by mention_id

),
{% endif %}

with_components as (

    select
        with_amounts.*,
        amount_components.component_id
    from with_amounts
    inner join amount_components
        on amount_components.mention_id = with_amounts.mention_id

),

without_amounts as (

    select * from grouped
    where match_low_usd is null

),

nearest_component as (

    select
        without_amounts.mention_id,
        with_components.component_id
    from without_amounts
    inner join with_components
        on with_components.investor is not distinct from without_amounts.investor
        and with_components.target is not distinct from without_amounts.target
        and with_components.deal_group_family = without_amounts.deal_group_family
    qualify row_number() over (
        partition by without_amounts.mention_id
        order by
            abs({{ dbt.datediff('with_components.reported_at', 'without_amounts.reported_at', 'second') }}),
            with_components.reported_at desc,
            with_components.mention_id
    ) = 1

),

all_components as (

    select
        mention_id,
        component_id
    from with_components

    union all

    select
        without_amounts.mention_id,
        coalesce(
            nearest_component.component_id,
            -- the one amount-less deal of parties that never gave an amount
            concat_ws('|', 'no amount', coalesce(without_amounts.investor, ''),
                coalesce(without_amounts.target, ''), without_amounts.deal_group_family)
        ) as component_id
    from without_amounts
    left join nearest_component
        on nearest_component.mention_id = without_amounts.mention_id

),

with_first_mention as (

    select
        grouped.*,
        all_components.component_id,
        first_value(grouped.mention_id) over (
            partition by all_components.component_id
            order by grouped.reported_at, grouped.mention_id
        ) as first_mention_id
    from all_components
    inner join grouped
        on grouped.mention_id = all_components.mention_id

),

first_mentions as (

    select
        mention_id,
        investor,
        target
    from grouped

)

select
    -- Stable while the deal's first mention exists: md5 of its parties and its id.
    md5(concat_ws('|', coalesce(first_mentions.investor, ''), coalesce(first_mentions.target, ''),
        first_mentions.mention_id)) as deal_id,
    with_first_mention.*
from with_first_mention
inner join first_mentions
    on first_mentions.mention_id = with_first_mention.first_mention_id
