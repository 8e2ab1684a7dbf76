{#
    Assigns every company-level deal mention to one real-world deal (deal_id).

    Mentions can be the same deal when they name the same investor and target and a compatible
    deal type (equity and funding_round are one family; a mention without a type joins the
    pair's only family). Within such a group, each mention becomes a USD interval it "agrees"
    with, and overlapping intervals are one deal:
      - a point v (exact, approx):     [v, v * (1 + tolerance)]  -> points within 10% meet
      - a range [lo, hi]:              [lo, hi * (1 + tolerance)]
      - at least lo:                   [lo, lo * open_bound_span]
      - at most hi:                    [hi / open_bound_span, hi * (1 + tolerance)]
    Sorting the intervals by their start, a new deal begins where an interval starts beyond
    the furthest end seen so far (the classic interval-merge, written as two window functions).
    A mention without a USD amount joins the deal of the group's amount-bearing mention nearest
    in time, or, when the group has none, one amount-less deal of its own.
#}

{%- set tolerance = var('deal_amount_tolerance') -%}
{%- set open_bound_span = var('deal_open_bound_span') -%}

with

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
        coalesce(amount_min_usd, amount_max_usd / {{ open_bound_span }}) as match_low_usd,
        coalesce(amount_max_usd * (1 + {{ tolerance }}), amount_min_usd * {{ open_bound_span }})
            as match_high_usd

    from typed
    left join pair_only_family
        on pair_only_family.investor is not distinct from typed.investor
        and pair_only_family.target is not distinct from typed.target

),

with_amounts as (

    select
        *,
        max(match_high_usd) over (
            partition by investor, target, deal_group_family
            order by match_low_usd, mention_id
            rows between unbounded preceding and 1 preceding
        ) as furthest_high_before
    from grouped
    where match_low_usd is not null

),

amount_clusters as (

    select
        *,
        sum(
            case
                when furthest_high_before is null or match_low_usd > furthest_high_before then 1
                else 0
            end
        ) over (
            partition by investor, target, deal_group_family
            order by match_low_usd, mention_id
            rows between unbounded preceding and current row
        ) as amount_cluster
    from with_amounts

),

without_amounts as (

    select * from grouped
    where match_low_usd is null

),

nearest_amount_cluster as (

    select
        without_amounts.mention_id,
        amount_clusters.amount_cluster
    from without_amounts
    inner join amount_clusters
        on amount_clusters.investor is not distinct from without_amounts.investor
        and amount_clusters.target is not distinct from without_amounts.target
        and amount_clusters.deal_group_family = without_amounts.deal_group_family
    qualify row_number() over (
        partition by without_amounts.mention_id
        order by
            abs(epoch(amount_clusters.reported_at) - epoch(without_amounts.reported_at)),
            amount_clusters.reported_at desc,
            amount_clusters.mention_id
    ) = 1

),

all_clustered as (

    select
        mention_id,
        investor,
        target,
        deal_group_family,
        amount_cluster
    from amount_clusters

    union all

    select
        without_amounts.mention_id,
        without_amounts.investor,
        without_amounts.target,
        without_amounts.deal_group_family,
        -- 0: the amount-less deal of a group that has no amounts at all
        coalesce(nearest_amount_cluster.amount_cluster, 0) as amount_cluster
    from without_amounts
    left join nearest_amount_cluster
        on nearest_amount_cluster.mention_id = without_amounts.mention_id

),

with_first_mention as (

    select
        all_clustered.*,
        first_value(all_clustered.mention_id) over (
            partition by
                all_clustered.investor,
                all_clustered.target,
                all_clustered.deal_group_family,
                all_clustered.amount_cluster
            order by mentions.reported_at, all_clustered.mention_id
        ) as first_mention_id
    from all_clustered
    inner join mentions
        on mentions.mention_id = all_clustered.mention_id

)

select
    -- Stable while the deal's first mention exists: md5 of the parties and that mention.
    md5(concat_ws('|', coalesce(grouped.investor, ''), coalesce(grouped.target, ''), with_first_mention.first_mention_id))
        as deal_id,
    grouped.*,
    cast(with_first_mention.amount_cluster as integer) as amount_cluster
from with_first_mention
inner join grouped
    on grouped.mention_id = with_first_mention.mention_id
