-- Per company and year: what it spends (capex), invests in others and raises, what it commits
-- to buy, and how many deals it takes part in on each side. The capex side and the deal side
-- each have rows the other lacks, hence the full outer join.

with

capex as (

    select * from {{ ref('capex') }}

),

deals as (

    select * from {{ ref('deals') }}
    -- money that never moved is not in the ledger
    where status is distinct from 'cancelled'

),

participants as (

    select * from {{ ref('deal_participants') }}

),

flows as (

    select * from {{ ref('money_flows') }}

),

companies as (

    select * from {{ ref('dim_companies') }}

),

-- One annual figure per company and year: the calendar year when reported, else the fiscal
-- year. Quarters, halves and multi-year totals would double count or span years.
capex_by_year as (

    select
        company,
        period_start_year as year,
        coalesce(high_usd, low_usd) as capex_usd,
        period as capex_period,
        capex_kind
    from capex
    where period_grain in ('year', 'fiscal_year')
    qualify row_number() over (
        partition by company, period_start_year
        order by period_grain = 'year' desc, last_seen desc, period
    ) = 1

),

-- Money out (investments, purchase commitments) by the paying side, money in by the target:
-- a round raised counts once for its target however many investors it lists.
money_sides as (

    select
        from_company as company,
        flow_year as year,
        case when flow_type = 'investment' then amount_usd end as invested_usd,
        case when flow_type = 'purchase_commitment' then amount_usd end as committed_usd,
        cast(null as double) as raised_usd
    from flows

    union all

    select
        target as company,
        deal_year as year,
        cast(null as double) as invested_usd,
        cast(null as double) as committed_usd,
        amount_usd as raised_usd
    from deals
    where target is not null
        and deal_family is distinct from 'contract'

),

money_by_year as (

    select
        company,
        year,
        sum(invested_usd) as invested_usd,
        sum(raised_usd) as raised_usd,
        sum(committed_usd) as committed_usd
    from money_sides
    group by company, year

),

deal_counts as (

    select
        participants.company,
        deals.deal_year as year,
        count(distinct participants.deal_id) filter (where participants.role = 'investor') as deals_as_investor,
        count(distinct participants.deal_id) filter (where participants.role = 'target') as deals_as_target
    from participants
    inner join deals
        on deals.deal_id = participants.deal_id
    group by participants.company, deals.deal_year

),

company_years as (

    select company, year from capex_by_year
    union
    select company, year from money_by_year
    union
    select company, year from deal_counts

)

select
    company_years.company,
    company_years.year,
    companies.company is not null as is_known_company,
    companies.company_type,
    companies.country,
    capex_by_year.capex_usd,
    capex_by_year.capex_period,
    capex_by_year.capex_kind,
    money_by_year.invested_usd,
    money_by_year.raised_usd,
    money_by_year.committed_usd,
    coalesce(deal_counts.deals_as_investor, 0) as deals_as_investor,
    coalesce(deal_counts.deals_as_target, 0) as deals_as_target

from company_years
left join capex_by_year
    on capex_by_year.company = company_years.company
    and capex_by_year.year = company_years.year
left join money_by_year
    on money_by_year.company = company_years.company
    and money_by_year.year = company_years.year
left join deal_counts
    on deal_counts.company = company_years.company
    and deal_counts.year = company_years.year
left join companies
    on companies.company = company_years.company
