{{ config(meta={"dagster": {"ref": {"name": "fct_capex_mentions"}}}) }}

-- The incremental fact table holds exactly the mentions upstream holds: none missing, none
-- left over after a re-extraction replaced an article's mentions.

with

upstream as (

    select mention_id from {{ ref('int_capex_mentions__usd') }}

),

fact as (

    select mention_id from {{ ref('fct_capex_mentions') }}

)

select
    coalesce(upstream.mention_id, fact.mention_id) as mention_id,
    upstream.mention_id is not null as in_upstream,
    fact.mention_id is not null as in_fact
from upstream
full outer join fact
    on fact.mention_id = upstream.mention_id
where upstream.mention_id is null
    or fact.mention_id is null
