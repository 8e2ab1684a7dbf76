-- Per company and year: what it spends (capex), invests (as investor) and raises (as target).
-- The capex side and the deal side each have rows the other lacks, hence the full outer join.

with

capex as (

    select * from {{ ref('capex') }}

),

deals as (

    select * from {{ ref('deals') }}
    -- money that never moved is not in the ledger
    where status is distinct from 'cancelled'

),

companies as (

    select * from {{ ref('companies') }}

),

-- One annual figure per company and year: the calendar year when reported, else the fiscal
-- year. Quarters, halves and multi-year totals would double count or span years.
capex_by_year as (

    select
        company,
        period_start_year as year,
        coalesce(amount_high_usd, amount_low_usd) as capex_usd,
        period as capex_period,
        capex_kind
    from capex
    where period_grain in ('year', 'fiscal_year')
    qualify row_number() over (
        partition by company, period_start_year
        order by period_grain = 'year' desc, last_seen desc, period
    ) = 1

),

deal_sides as (

    select
        investor as company,
        deal_year as year,
        'investor' as side,
        deal_id,
        amount_usd
    from deals
    where investor is not null

    union all

    select
        target as company,
        deal_year as year,
        'target' as side,
        deal_id,
        amount_usd
    from deals
    where target is not null

),

deals_by_year as (

    select
        company,
        year,
        sum(amount_usd) filter (where side = 'investor') as invested_usd,
        sum(amount_usd) filter (where side = 'target') as raised_usd,
        count(distinct deal_id) filter (where side = 'investor') as n_deals_as_investor,
        count(distinct deal_id) filter (where side = 'target') as n_deals_as_target
    from deal_sides
    group by company, year

),

joined as (

    select
        coalesce(capex_by_year.company, deals_by_year.company) as company,
        coalesce(capex_by_year.year, deals_by_year.year) as year,
        capex_by_year.capex_usd,
        capex_by_year.capex_period,
        capex_by_year.capex_kind,
        deals_by_year.invested_usd,
        deals_by_year.raised_usd,
        coalesce(deals_by_year.n_deals_as_investor, 0) as n_deals_as_investor,
        coalesce(deals_by_year.n_deals_as_target, 0) as n_deals_as_target
    from capex_by_year
    full outer join deals_by_year
        on deals_by_year.company = capex_by_year.company
        and deals_by_year.year = capex_by_year.year

)

select
    joined.company,
    joined.year,
    companies.company is not null as is_known_company,
    companies.company_type,
    companies.country,
    joined.capex_usd,
    joined.capex_period,
    joined.capex_kind,
    joined.invested_usd,
    joined.raised_usd,
    joined.n_deals_as_investor,
    joined.n_deals_as_target

from joined
left join companies
    on companies.company = joined.company
