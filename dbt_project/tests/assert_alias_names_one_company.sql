-- An alias, matched case-insensitively, must stand for one company; otherwise which company a
-- mention resolves to would depend on row order.

select
    {{ name_key('alias') }} as alias_key,
    list(distinct company order by company) as companies
from {{ ref('company_aliases') }}
group by alias_key
having count(distinct company) > 1
