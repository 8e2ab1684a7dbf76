{{ config(meta={"dagster": {"ref": {"name": "company_ledger"}}}) }}

-- The ledger's invested and raised totals add up to the non-cancelled deals' amounts, so the
-- full outer join with capex neither drops nor duplicates deal rows.

with

ledger as (

    select
        coalesce(sum(invested_usd), 0) as invested_usd,
        coalesce(sum(raised_usd), 0) as raised_usd,
        coalesce(sum(n_deals_as_investor), 0) as n_deals_as_investor,
        coalesce(sum(n_deals_as_target), 0) as n_deals_as_target
    from {{ ref('company_ledger') }}

),

deals as (

    select
        coalesce(sum(amount_usd) filter (where investor is not null), 0) as invested_usd,
        coalesce(sum(amount_usd) filter (where target is not null), 0) as raised_usd,
        count(*) filter (where investor is not null) as n_deals_as_investor,
        count(*) filter (where target is not null) as n_deals_as_target
    from {{ ref('deals') }}
    where status is distinct from 'cancelled'

)

select
    ledger.invested_usd as ledger_invested_usd,
    deals.invested_usd as deals_invested_usd,
    ledger.raised_usd as ledger_raised_usd,
    deals.raised_usd as deals_raised_usd,
    ledger.n_deals_as_investor as ledger_n_deals_as_investor,
    deals.n_deals_as_investor as deals_n_deals_as_investor,
    ledger.n_deals_as_target as ledger_n_deals_as_target,
    deals.n_deals_as_target as deals_n_deals_as_target
from ledger
cross join deals
where abs(ledger.invested_usd - deals.invested_usd) > 1
    or abs(ledger.raised_usd - deals.raised_usd) > 1
    or ledger.n_deals_as_investor <> deals.n_deals_as_investor
    or ledger.n_deals_as_target <> deals.n_deals_as_target
