-- One row per company and period: the figure that currently stands. An actual beats guidance
-- and plans for the same period; otherwise the latest article wins (a revised guidance
-- replaces the earlier one).

with

mentions as (

    select * from {{ ref('int_capex_mentions__usd') }}
    where not is_aggregate
        and company is not null
        and period is not null

),

revisions as (

    select * from {{ ref('capex_revisions') }}

),

current_figure as (

    select *
    from mentions
    qualify row_number() over (
        partition by company, period
        order by
            capex_kind = 'actual' desc,
            reported_at desc,
            sentence_start desc,
            mention_id
    ) = 1

),

history as (

    select
        company,
        period,
        count(*) as n_mentions,
        count(distinct article_id) as n_articles,
        count(distinct source) as n_sources,
        min(reported_at) as first_seen,
        max(reported_at) as last_seen,
        list(distinct url order by url) as sources,
        list(mention_id order by reported_at, mention_id) as mention_ids
    from mentions
    group by company, period

),

revision_counts as (

    select
        company,
        period,
        count(*) as n_revisions
    from revisions
    group by company, period

)

select
    {{ dbt.hash(dbt.concat(["current_figure.company", "'|'", "current_figure.period"])) }} as capex_id,
    current_figure.company,
    current_figure.period,
    current_figure.period_grain as period_kind,
    current_figure.period_grain,
    current_figure.period_start_year,
    current_figure.period_end_year,
    current_figure.company_is_known,
    case when current_figure.capex_kind = 'actual' then 'actual' else 'guidance' end as figure_kind,
    current_figure.capex_kind,
    current_figure.qualifier,
    current_figure.amount_min_usd as low_usd,
    current_figure.amount_max_usd as high_usd,
    current_figure.amount_min as low_original,
    current_figure.amount_max as high_original,
    current_figure.currency as currency_original,
    cast(current_figure.reported_at as date) as as_of,
    current_figure.url as article_url,
    current_figure.evidence as evidence_sentence,
    coalesce(revision_counts.n_revisions, 0) as n_revisions,
    -- the same figures under their earlier names
    current_figure.amount_min as amount_low,
    current_figure.amount_max as amount_high,
    current_figure.currency,
    current_figure.amount_min_usd as amount_low_usd,
    current_figure.amount_max_usd as amount_high_usd,
    current_figure.usd_source,
    current_figure.mention_id as current_mention_id,
    current_figure.url as current_url,
    current_figure.reported_at as current_reported_at,
    history.n_mentions,
    history.n_articles,
    history.n_sources,
    history.first_seen,
    history.last_seen,
    history.sources,
    history.mention_ids

from current_figure
inner join history
    on history.company = current_figure.company
    and history.period = current_figure.period
left join revision_counts
    on revision_counts.company = current_figure.company
    and revision_counts.period = current_figure.period
