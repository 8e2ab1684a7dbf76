-- Deal mentions dated by their article, with amounts in USD: the USD figure the article states
-- when there is one, else the stated amount at the fx rate of the reporting year.
-- A table, not a view: the clustering, fct_deal_mentions (and its post-hook) and a dozen tests
-- read it, and as a view each would redo the article join and fx lookups (at 100k articles ~1 s
-- apiece).

{{ config(materialized='table') }}

with

mentions as (

    select * from {{ ref('stg_raw__deal_mentions') }}

),

articles as (

    select * from {{ ref('stg_raw__articles') }}

),

-- Mentions of an article dropped as a duplicate copy (same content under another URL) or not
-- loaded yet fall out here.
dated as (

    select
        mentions.*,
        articles.source,
        articles.url,
        articles.lang,
        articles.reported_at,
        articles.reported_year

    from mentions
    inner join articles
        on articles.article_id = mentions.article_id

),

amount_fx as (

    {{ fx_rate_for_year('dated', 'mention_id', 'currency', 'reported_year') }}

),

valuation_fx as (

    {{ fx_rate_for_year('dated', 'mention_id', 'valuation_currency', 'reported_year') }}

),

converted as (

    select
        dated.*,
        {{ usd_bound('dated', 'min', 'amount_fx.usd_per_unit') }} as amount_min_usd,
        {{ usd_bound('dated', 'max', 'amount_fx.usd_per_unit') }} as amount_max_usd,
        case
            when coalesce(dated.amount_usd_min, dated.amount_usd_max) is not null then 'stated'
            when coalesce(dated.amount_min, dated.amount_max) is not null
                and amount_fx.usd_per_unit is not null then 'fx'
        end as usd_source,
        amount_fx.fx_year,
        dated.valuation * valuation_fx.usd_per_unit as valuation_usd

    from dated
    left join amount_fx
        on amount_fx.mention_id = dated.mention_id
    left join valuation_fx
        on valuation_fx.mention_id = dated.mention_id

)

select
    mention_id,
    article_id,
    source,
    url,
    lang,
    reported_at,
    reported_year,

    investor_raw,
    investor,
    investor_is_known,
    target_raw,
    target,
    target_is_known,
    deal_type,
    status,
    is_aggregate,

    qualifier,
    amount_min,
    amount_max,
    currency,
    amount_min_usd,
    amount_max_usd,
    -- One figure per mention: the point, the middle of a range, or the one bound given.
    case
        when amount_min_usd is not null and amount_max_usd is not null
            then (amount_min_usd + amount_max_usd) / 2
        else coalesce(amount_min_usd, amount_max_usd)
    end as amount_usd,
    usd_source,
    fx_year,
    valuation,
    valuation_currency,
    valuation_usd,

    evidence,
    sentence_start,
    extractor_version

from converted
