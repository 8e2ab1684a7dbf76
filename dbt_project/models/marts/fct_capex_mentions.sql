{#
    Every capex mention of a loaded article, with the canonical company, the normalised period,
    amounts in USD and the sentence it came from. Incremental like fct_deal_mentions: changed
    or new rows by row_hash, vanished mentions deleted by the post-hook.
#}

{%- set columns = [
    'mention_id', 'article_id', 'article_url', 'source', 'published_at', 'published_date',
    'company', 'company_raw', 'company_is_known', 'period', 'period_grain', 'period_start_year',
    'period_end_year', 'capex_kind', 'is_aggregate', 'qualifier', 'amount_min', 'amount_max',
    'currency', 'amount_min_usd', 'amount_max_usd', 'usd_source', 'fx_year',
    'evidence_sentence', 'sentence_start', 'extractor_version',
] -%}

{{ config(
    materialized='incremental',
    unique_key='mention_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    post_hook="delete from {{ this }} where mention_id not in (select mention_id from {{ ref('int_capex_mentions__usd') }})"
) }}

with

mentions as (

    select
        mention_id,
        article_id,
        url as article_url,
        source,
        reported_at as published_at,
        cast(reported_at as date) as published_date,
        company,
        company_raw,
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
        evidence as evidence_sentence,
        sentence_start,
        extractor_version
    from {{ ref('int_capex_mentions__usd') }}

),

hashed as (

    select
        *,
        {{ row_hash(columns) }} as row_hash
    from mentions

)

select * from hashed
{% if is_incremental() %}
where not exists (
    select 1
    from {{ this }} as existing
    where existing.mention_id = hashed.mention_id
        and existing.row_hash = hashed.row_hash
)
{% endif %}
