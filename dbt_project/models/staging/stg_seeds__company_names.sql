-- Every spelling we can resolve to a canonical company: the canonical names themselves and
-- their aliases, matched case-insensitively on name_key.

with

companies as (

    select * from {{ ref('companies') }}

),

aliases as (

    select * from {{ ref('company_aliases') }}

),

names as (

    select
        {{ name_key('company') }} as name_key,
        {{ clean_text('company') }} as company,
        1 as match_priority
    from companies

    union all

    select
        {{ name_key('alias') }} as name_key,
        {{ clean_text('company') }} as company,
        2 as match_priority
    from aliases

)

-- Aliases differing only by case (Nvidia, NVIDIA) collapse; an exact company name wins over
-- an alias, and the choice is deterministic if two companies ever share an alias.
select
    name_key,
    company
from names
where name_key is not null
qualify row_number() over (
    partition by name_key
    order by match_priority, company
) = 1
