{{ config(meta={"dagster": {"ref": {"name": "deals"}}}) }}

-- Every company-level deal mention (not aggregate, at least one party, article loaded) is
-- listed in exactly one deal, and deals list no other mentions.

with

expected as (

    select mention_id
    from {{ ref('int_deal_mentions__usd') }}
    where not is_aggregate
        and (investor is not null or target is not null)

),

listed as (

    select
        unnest(mention_ids) as mention_id,
        deal_id
    from {{ ref('deals') }}

),

listed_counts as (

    select
        mention_id,
        count(*) as n_deals
    from listed
    group by mention_id

)

select
    coalesce(expected.mention_id, listed_counts.mention_id) as mention_id,
    coalesce(listed_counts.n_deals, 0) as n_deals,
    expected.mention_id is not null as is_expected
from expected
full outer join listed_counts
    on listed_counts.mention_id = expected.mention_id
where expected.mention_id is null
    or listed_counts.n_deals is distinct from 1
