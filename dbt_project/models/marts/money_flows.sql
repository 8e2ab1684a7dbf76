-- One row per money edge: an investor's investment in a target (equity, rounds, acquisitions,
-- funds, joint ventures), or a buyer's purchase commitment to a supplier (cloud, chips,
-- compute contracts). Cancelled deals moved no money and are left out.

with

deals as (

    select * from {{ ref('deals') }}
    where status is distinct from 'cancelled'

),

participants as (

    select * from {{ ref('deal_participants') }}

),

investors as (

    select * from participants
    where role = 'investor'

),

flows as (

    select
        deals.deal_id,
        investors.company as from_company,
        deals.target as to_company,
        case
            when deals.deal_family = 'contract' then 'purchase_commitment'
            else 'investment'
        end as flow_type,
        deals.deal_type,
        deals.status,
        investors.amount_usd,
        deals.first_reported_at,
        deals.deal_year as flow_year,
        deals.n_articles,
        investors.evidence_sentence,
        investors.article_url
    from investors
    inner join deals
        on deals.deal_id = investors.deal_id
    where deals.target is not null
        and investors.company <> deals.target

)

select
    {{ dbt.hash(dbt.concat(["deal_id", "'|'", "from_company", "'|'", "to_company"])) }} as flow_id,
    from_company,
    to_company,
    flow_type,
    deal_type,
    status,
    amount_usd,
    deal_id,
    first_reported_at,
    flow_year,
    n_articles,
    evidence_sentence,
    article_url
from flows
