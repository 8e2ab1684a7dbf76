with

source as (

    select * from {{ source('raw', 'capex_mentions') }}

),

company_names as (

    select * from {{ ref('stg_seeds__company_names') }}

),

latest_per_mention as (

    select *
    from source
    qualify row_number() over (partition by mention_id order by extracted_at desc) = 1

),

renamed as (

    select
        mentions.mention_id,
        mentions.article_id,

        {{ resolve_company_columns('mentions', 'company') }},

        -- "fy 2026" -> FY2026, "2026 – 2028" -> 2026-2028
        nullif(
            regexp_replace(replace(replace(upper(mentions.period), '–', '-'), '—', '-'), '\s+', '', 'g'),
            ''
        ) as period,
        lower(trim(mentions.capex_kind)) as capex_kind,

        {{ point_filled('mentions', 'amount_min', 'amount_max', 'min') }} as amount_min,
        {{ point_filled('mentions', 'amount_min', 'amount_max', 'max') }} as amount_max,
        upper(trim(mentions.currency)) as currency,
        lower(trim(mentions.qualifier)) as qualifier,
        {{ point_filled('mentions', 'amount_usd_min', 'amount_usd_max', 'min') }} as amount_usd_min,
        {{ point_filled('mentions', 'amount_usd_min', 'amount_usd_max', 'max') }} as amount_usd_max,
        mentions.aggregate as is_aggregate,

        mentions.evidence,
        mentions.sentence_start,
        mentions.sentence_end,
        mentions.extractor_version,
        mentions.extracted_at

    from latest_per_mention as mentions
    {{ resolve_company_joins('mentions', 'company', 'company_names') }}

),

with_period_parts as (

    select
        *,
        case
            when regexp_full_match(period, '\d{4}') then 'year'
            when regexp_full_match(period, 'FY\d{4}') then 'fiscal_year'
            when regexp_full_match(period, '(FY)?\d{4}Q[1-4]') then 'quarter'
            when regexp_full_match(period, '(FY)?\d{4}H[12]') then 'half'
            when regexp_full_match(period, '\d{4}-\d{4}') then 'multi_year'
            when period is not null then 'other'
        end as period_grain,
        try_cast(nullif(regexp_extract(period, '(\d{4})', 1), '') as integer) as period_start_year,
        try_cast(nullif(regexp_extract(period, '(\d{4})\D*$', 1), '') as integer) as period_end_year

    from renamed

)

select * from with_period_parts
