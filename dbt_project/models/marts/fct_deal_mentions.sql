{#
    Every deal mention of a loaded article, with canonical entities, amounts in USD and the
    sentence it came from. Incremental: a run writes only mentions that are new or whose row
    changed (re-extraction, a changed article, a seed change), found by row_hash; the post-hook
    drops mentions that are gone upstream (re-extraction replaces an article's mentions), so an
    incremental run ends with exactly the rows a --full-refresh would build.
#}

{%- set columns = [
    'mention_id', 'article_id', 'article_url', 'source', 'lang', 'published_at', 'published_date',
    'investor', 'investor_raw', 'investor_is_known', 'target', 'target_raw', 'target_is_known',
    'deal_type', 'status', 'is_aggregate', 'qualifier', 'amount_min', 'amount_max', 'currency',
    'amount_min_usd', 'amount_max_usd', 'amount_usd', 'usd_source', 'fx_year',
    'valuation', 'valuation_currency', 'valuation_usd',
    'evidence_sentence', 'sentence_start', 'extractor_version',
] -%}

{{ config(
    materialized='incremental',
    unique_key='mention_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    post_hook="delete from {{ this }} where mention_id not in (select mention_id from {{ ref('int_deal_mentions__usd') }})"
) }}

with

mentions as (

    select
        mention_id,
        article_id,
        url as article_url,
        source,
        lang,
        reported_at as published_at,
        cast(reported_at as date) as published_date,
        investor,
        investor_raw,
        investor_is_known,
        target,
        target_raw,
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
        amount_usd,
        usd_source,
        fx_year,
        valuation,
        valuation_currency,
        valuation_usd,
        evidence as evidence_sentence,
        sentence_start,
        extractor_version
    from {{ ref('int_deal_mentions__usd') }}

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
