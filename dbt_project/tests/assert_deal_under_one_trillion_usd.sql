{{ config(severity='warn') }}

-- No single deal has ever been near $1 trillion: a figure above it is almost certainly an
-- extraction slip (a unit read twice, 万亿 taken for 亿, an aggregate not flagged). A warning,
-- not an error, so one bad article cannot stop the marts.

select
    deal_id,
    investor,
    target,
    amount_usd,
    amount_max_usd,
    mention_ids
from {{ ref('deals') }}
where greatest(coalesce(amount_usd, 0), coalesce(amount_max_usd, 0)) > 1e12
