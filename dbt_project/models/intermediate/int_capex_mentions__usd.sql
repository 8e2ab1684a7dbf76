-- Capex mentions dated by their article, with amounts in USD: the USD figure the article states
-- when there is one, else the stated amount at the fx rate of the reporting year.
-- A table, not a view: capex, capex_revisions, fct_capex_mentions (and its post-hook) and a
-- dozen tests read it, and as a view each would redo the article join and fx lookups (at 100k
-- articles ~1 s apiece).

{{ config(materialized='table') }}

with

mentions as (

    select * from {{ ref('stg_raw__capex_mentions') }}

),

articles as (

    select * from {{ ref('stg_raw__articles') }}

),

dated as (

    select
        mentions.*,
        articles.source,
        articles.url,
        articles.reported_at,
        articles.reported_year

    from mentions
    inner join articles
        on articles.article_id = mentions.article_id

),

amount_fx as (

    {{ fx_rate_for_year('dated', 'mention_id', 'currency', 'reported_year') }}

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
        amount_fx.fx_year

    from dated
    left join amount_fx
        on amount_fx.mention_id = dated.mention_id

)

select
    mention_id,
    article_id,
    source,
    url,
    reported_at,
    reported_year,

    company_raw,
    company,
    company_is_known,
    period,
    period_grain,
    period_start_year,
    period_end_year,
    capex_kind,
    is_aggregate,

    qualifier,
    amount_min,
    amount_max,
    currency,
    amount_min_usd,
    amount_max_usd,
    usd_source,
    fx_year,

    evidence,
    sentence_start,
    extractor_version

from converted
