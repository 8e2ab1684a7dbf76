-- One row per company dealwire tracks, under its canonical name, with the spellings articles
-- use for it.

with

companies as (

    select * from {{ ref('companies') }}

),

aliases as (

    select * from {{ ref('company_aliases') }}

),

alias_lists as (

    select
        {{ clean_text('company') }} as company,
        count(distinct alias) as n_aliases,
        list(distinct alias order by alias) as aliases
    from aliases
    group by 1

)

select
    {{ clean_text('companies.company') }} as company,
    companies.company_type,
    upper(trim(companies.country)) as country,
    {{ clean_text('companies.ticker') }} as ticker,
    {{ clean_text('companies.ticker') }} is not null as is_public,
    coalesce(alias_lists.n_aliases, 0) as n_aliases,
    alias_lists.aliases

from companies
left join alias_lists
    on alias_lists.company = {{ clean_text('companies.company') }}
