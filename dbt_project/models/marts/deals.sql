-- One row per real-world deal; the clustering rule is in int_deal_mentions__clustered.

with

mentions as (

    select
        *,
        -- how far along the deal a mention says it is; a pledge is an announced commitment
        case status
            when 'talks' then 1
            when 'announced' then 2
            when 'pledged' then 2
            when 'completed' then 3
        end as stage
    from {{ ref('int_deal_mentions__clustered') }}

),

-- The latest word on the deal. On the same timestamp, cancelled beats everything and a later
-- stage beats an earlier one.
latest_status as (

    select
        deal_id,
        status as reported_status
    from mentions
    where status is not null
    qualify row_number() over (
        partition by deal_id
        order by
            reported_at desc,
            status = 'cancelled' desc,
            stage desc,
            mention_id
    ) = 1

),

-- A deal does not move backwards: an article recalling the talks after the closing leaves it
-- completed.
furthest_stage as (

    select
        deal_id,
        max(stage) as stage
    from mentions
    group by deal_id

),

-- The named investor most mentions agree on (the lead of a round reported with several).
main_investor as (

    select
        deal_id,
        investor,
        bool_or(investor_is_known) as investor_is_known
    from mentions
    where investor is not null
    group by deal_id, investor
    qualify row_number() over (
        partition by deal_id
        order by count(*) desc, min(reported_at), investor
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

-- The best single USD figure: a point value (exact, approx) over a range or bound, a round's
-- total over one participant's stake, a figure the article states in USD over one converted
-- at an annual fx rate, then the latest. Its original amount and currency go with it.
best_amount as (

    select
        deal_id,
        amount_usd,
        amount_min as amount_min_original,
        amount_max as amount_max_original,
        currency as currency_original,
        qualifier as qualifier_original
    from mentions
    where amount_usd is not null
    qualify row_number() over (
        partition by deal_id
        order by
            coalesce(qualifier, 'exact') in ('exact', 'approx') desc,
            deal_type = 'funding_round' desc,
            usd_source = 'stated' desc,
            reported_at desc,
            mention_id
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

latest_evidence as (

    select
        deal_id,
        evidence as evidence_sentence,
        url as latest_url
    from mentions
    qualify row_number() over (
        partition by deal_id
        order by reported_at desc, mention_id
    ) = 1

),

rolled_up as (

    select
        deal_id,
        any_value(target) as target,
        bool_or(target_is_known) as target_is_known,
        any_value(deal_group_family) as deal_family,
        bool_or(deal_type = 'funding_round') as has_round_mention,
        count(distinct investor) as n_investors,
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
        min(reported_at) as first_reported_at,
        max(reported_at) as last_reported_at,
        list(mention_id order by reported_at, mention_id) as mention_ids,
        list(distinct url order by url) as urls
    from mentions
    group by deal_id

)

select
    rolled_up.deal_id,
    -- a deal with a funding_round mention is a round, whatever its participants' stakes say
    case
        when rolled_up.has_round_mention then 'funding_round'
        else latest_type.deal_type
    end as deal_type,
    rolled_up.deal_family,
    main_investor.investor,
    rolled_up.target,
    coalesce(main_investor.investor_is_known, false) as investor_is_known,
    rolled_up.target_is_known,
    rolled_up.n_investors,
    case
        when latest_status.reported_status = 'cancelled' then 'cancelled'
        when furthest_stage.stage = 3 then 'completed'
        when furthest_stage.stage = 2 then 'announced'
        when furthest_stage.stage = 1 then 'talks'
    end as status,
    latest_status.reported_status,
    best_amount.amount_usd,
    rolled_up.amount_min_usd,
    rolled_up.amount_max_usd,
    rolled_up.usd_source,
    best_amount.amount_min_original,
    best_amount.amount_max_original,
    best_amount.currency_original,
    best_amount.qualifier_original,
    latest_valuation.valuation_usd,
    rolled_up.n_mentions,
    rolled_up.n_articles,
    rolled_up.n_sources,
    rolled_up.first_reported_at,
    rolled_up.last_reported_at,
    cast(extract(year from rolled_up.first_reported_at) as integer) as deal_year,
    latest_evidence.evidence_sentence,
    latest_evidence.latest_url,
    rolled_up.mention_ids,
    rolled_up.urls

from rolled_up
left join main_investor
    on main_investor.deal_id = rolled_up.deal_id
left join latest_status
    on latest_status.deal_id = rolled_up.deal_id
left join furthest_stage
    on furthest_stage.deal_id = rolled_up.deal_id
left join latest_type
    on latest_type.deal_id = rolled_up.deal_id
left join best_amount
    on best_amount.deal_id = rolled_up.deal_id
left join latest_valuation
    on latest_valuation.deal_id = rolled_up.deal_id
left join latest_evidence
    on latest_evidence.deal_id = rolled_up.deal_id
