{{ config(meta={"dagster": {"ref": {"name": "company_ledger"}}}) }}

-- The ledger's totals add up to the flows and deals they come from, so the joins on company
-- and year neither drop nor duplicate rows: invested and committed from money_flows, raised
-- from the non-cancelled, non-contract deals, deal counts from deal_participants.

with

ledger as (

    select
        coalesce(sum(invested_usd), 0) as invested_usd,
        coalesce(sum(committed_usd), 0) as committed_usd,
        coalesce(sum(raised_usd), 0) as raised_usd,
        coalesce(sum(deals_as_investor), 0) as deals_as_investor,
        coalesce(sum(deals_as_target), 0) as deals_as_target
    from {{ ref('company_ledger') }}

),

flows as (

    select
        coalesce(sum(amount_usd) filter (where flow_type = 'investment'), 0) as invested_usd,
        coalesce(sum(amount_usd) filter (where flow_type = 'purchase_commitment'), 0) as committed_usd
    from {{ ref('money_flows') }}

),

deals as (

    select
        coalesce(sum(amount_usd) filter (
            where target is not null and deal_family is distinct from 'contract'), 0) as raised_usd
    from {{ ref('deals') }}
    where status is distinct from 'cancelled'

),

participants as (

    select
        count(*) filter (where participants.role = 'investor') as deals_as_investor,
        count(*) filter (where participants.role = 'target') as deals_as_target
    from {{ ref('deal_participants') }} as participants
    inner join {{ ref('deals') }} as deals
        on deals.deal_id = participants.deal_id
    where deals.status is distinct from 'cancelled'

)

select
    ledger.*,
    flows.invested_usd as flows_invested_usd,
    flows.committed_usd as flows_committed_usd,
    deals.raised_usd as deals_raised_usd,
    participants.deals_as_investor as participants_as_investor,
    participants.deals_as_target as participants_as_target
from ledger
cross join flows
cross join deals
cross join participants
where abs(ledger.invested_usd - flows.invested_usd) > 1
    or abs(ledger.committed_usd - flows.committed_usd) > 1
    or abs(ledger.raised_usd - deals.raised_usd) > 1
    or ledger.deals_as_investor <> participants.deals_as_investor
    or ledger.deals_as_target <> participants.deals_as_target
