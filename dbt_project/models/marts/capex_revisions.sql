-- One row per change in a company's capex guidance (or plan) for a period: an article whose
-- figure differs from the one the previous article gave ("Meta 2026 capex: 115-135 -> 125-145
-- billion USD, 2026-04-30"). The first figure of a period is not a revision; repeating it is not
-- either. Actuals are results, not guidance, and stay out.

{%- set tolerance = var('capex_revision_tolerance') %}

with

mentions as (

    select * from {{ ref('int_capex_mentions__usd') }}
    where not is_aggregate
        and company is not null
        and period is not null
        and capex_kind in ('guidance', 'plan')

),

-- One figure per article: the last one it states (an earlier sentence may recall the old one).
per_article as (

    select *
    from mentions
    qualify row_number() over (
        partition by company, period, article_id
        order by sentence_start desc, mention_id
    ) = 1

),

with_previous as (

    select
        *,
        lag(amount_min_usd) over by_time as previous_low_usd,
        lag(amount_max_usd) over by_time as previous_high_usd,
        lag(amount_min) over by_time as previous_low_original,
        lag(amount_max) over by_time as previous_high_original,
        lag(currency) over by_time as previous_currency,
        lag(reported_at) over by_time as previous_reported_at,
        lag(mention_id) over by_time as previous_mention_id,
        row_number() over by_time as position
    from per_article
    window by_time as (partition by company, period order by reported_at, article_id)

),

-- Compared in the original currency when both articles use one (fx noise is no revision),
-- else in USD. A side only one of the two figures has (an open bound) is a change.
compared as (

    select
        *,
        case when currency = previous_currency then amount_min else amount_min_usd end as new_low,
        case when currency = previous_currency then amount_max else amount_max_usd end as new_high,
        case when currency = previous_currency then previous_low_original else previous_low_usd end as old_low,
        case when currency = previous_currency then previous_high_original else previous_high_usd end as old_high
    from with_previous
    where position > 1

),

changes as (

    select
        *,
        case
            when (new_low is null) <> (old_low is null) then true
            when abs(new_low - old_low) > {{ tolerance }} * greatest(abs(old_low), abs(new_low)) then true
            else false
        end as low_changed,
        case
            when (new_high is null) <> (old_high is null) then true
            when abs(new_high - old_high) > {{ tolerance }} * greatest(abs(old_high), abs(new_high)) then true
            else false
        end as high_changed
    from compared

),

revisions as (

    select
        *,
        case
            when old_low is null or new_low is null then
                case
                    when old_high is null or new_high is null then 'changed'
                    when new_high > old_high then 'raised'
                    when new_high < old_high then 'lowered'
                    else 'changed'
                end
            when old_high is null or new_high is null then
                case
                    when new_low > old_low then 'raised'
                    when new_low < old_low then 'lowered'
                    else 'changed'
                end
            when new_low >= old_low and new_high >= old_high then 'raised'
            when new_low <= old_low and new_high <= old_high then 'lowered'
            else 'changed'
        end as direction
    from changes
    where low_changed or high_changed

)

select
    {{ dbt.hash(dbt.concat(["company", "'|'", "period", "'|'", "mention_id"])) }} as revision_id,
    company,
    company_is_known,
    period,
    capex_kind,
    cast(reported_at as date) as revised_at,
    reported_at,
    previous_reported_at,
    previous_low_usd,
    previous_high_usd,
    amount_min_usd as new_low_usd,
    amount_max_usd as new_high_usd,
    previous_low_original,
    previous_high_original,
    previous_currency,
    amount_min as new_low_original,
    amount_max as new_high_original,
    currency as new_currency,
    direction,
    source,
    url as article_url,
    evidence as evidence_sentence,
    previous_mention_id,
    mention_id,
    -- "Meta 2026 capex: 115-135 -> 125-145 billion USD, 2026-04-30"
    company || ' ' || period || ' capex: '
        || {{ capex_figure_label('old_low', 'old_high') }} || ' -> '
        || {{ capex_figure_label('new_low', 'new_high') }} || ' billion '
        || case when currency = previous_currency then currency else 'USD' end || ', '
        || cast(cast(reported_at as date) as {{ dbt.type_string() }}) as summary

from revisions
