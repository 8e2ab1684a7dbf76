-- One row per real-world deal; the clustering rule is in int_deal_mentions__clustered.

with

mentions as (

    select * from {{ ref('int_deal_mentions__clustered') }}

),

-- The latest word on the deal. On the same timestamp, cancelled beats everything and a later
-- stage beats an earlier one.
latest_status as (

    select
        deal_id,
        status
    from mentions
    where status is not null
    qualify row_number() over (
        partition by deal_id
        order by
            reported_at desc,
            case status
                when 'cancelled' then 1
                when 'completed' then 2
                when 'announced' then 3
                when 'pledged' then 4
                when 'talks' then 5
            end,
            mention_id
    ) = 1

),

latest_type as (

    select
        deal_id,
        deal_type
    from mentions
    where deal_type is not null
    qualify row_number() over (
        partition by deal_id
        order by reported_at desc, mention_id
    ) = 1

),

-- The best single USD figure: a point value (exact, approx) over a range or bound, a figure
-- the article states in USD over one converted at an annual fx rate, then the latest.
best_amount as (

    select
        deal_id,
        amount_usd
    from mentions
    where amount_usd is not null
    qualify row_number() over (
        partition by deal_id
        order by
            coalesce(qualifier, 'exact') in ('exact', 'approx') desc,
            usd_source = 'stated' desc,
            reported_at desc,
            mention_id
    ) = 1

),

-- The figure as the latest article reporting an amount wrote it.
latest_amount as (

    select
        deal_id,
        amount_min as amount_min_original,
        amount_max as amount_max_original,
        currency as currency_original,
        qualifier as qualifier_original
    from mentions
    where coalesce(amount_min, amount_max) is not null
    qualify row_number() over (
        partition by deal_id
        order by reported_at desc, mention_id
    ) = 1

),

latest_valuation as (

    select
        deal_id,
        valuation_usd
    from mentions
    where valuation_usd is not null
    qualify row_number() over (
        partition by deal_id
        order by reported_at desc, mention_id
    ) = 1

),

rolled_up as (

    select
        deal_id,
        any_value(investor) as investor,
        any_value(target) as target,
        bool_or(investor_is_known) as investor_is_known,
        bool_or(target_is_known) as target_is_known,
        -- The span of figures reported. A side stays null when no mention gives it (a deal only
        -- ever reported as "at least $10B" has no maximum). An "at most $11.5B" and an "at
        -- least $12B" that met within the tolerance cross: the span is then [11.5B, 12B].
        case
            when max(amount_max_usd) < min(amount_min_usd) then max(amount_max_usd)
            else min(amount_min_usd)
        end as amount_min_usd,
        case
            when max(amount_max_usd) < min(amount_min_usd) then min(amount_min_usd)
            else max(amount_max_usd)
        end as amount_max_usd,
        case
            when count(distinct usd_source) > 1 then 'mixed'
            else any_value(usd_source)
        end as usd_source,
        count(*) as n_mentions,
        count(distinct article_id) as n_articles,
        count(distinct source) as n_sources,
        min(reported_at) as first_seen,
        max(reported_at) as last_seen,
        list(mention_id order by reported_at, mention_id) as mention_ids,
        list(distinct url order by url) as urls
    from mentions
    group by deal_id

)

select
    rolled_up.deal_id,
    rolled_up.investor,
    rolled_up.target,
    rolled_up.investor_is_known,
    rolled_up.target_is_known,
    latest_type.deal_type,
    latest_status.status,
    rolled_up.amount_min_usd,
    rolled_up.amount_max_usd,
    best_amount.amount_usd,
    rolled_up.usd_source,
    latest_amount.amount_min_original,
    latest_amount.amount_max_original,
    latest_amount.currency_original,
    latest_amount.qualifier_original,
    latest_valuation.valuation_usd,
    rolled_up.n_mentions,
    rolled_up.n_articles,
    rolled_up.n_sources,
    rolled_up.first_seen,
    rolled_up.last_seen,
    year(rolled_up.first_seen) as deal_year,
    rolled_up.mention_ids,
    rolled_up.urls

from rolled_up
left join latest_status
    on latest_status.deal_id = rolled_up.deal_id
left join latest_type
    on latest_type.deal_id = rolled_up.deal_id
left join best_amount
    on best_amount.deal_id = rolled_up.deal_id
left join latest_amount
    on latest_amount.deal_id = rolled_up.deal_id
left join latest_valuation
    on latest_valuation.deal_id = rolled_up.deal_id
