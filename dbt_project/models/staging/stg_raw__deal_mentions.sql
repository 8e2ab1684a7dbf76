with

source as (

    select * from {{ source('raw', 'deal_mentions') }}

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

        {{ resolve_company_columns('mentions', 'investor') }},
        {{ resolve_company_columns('mentions', 'target') }},

        {{ point_filled('mentions', 'amount_min', 'amount_max', 'min') }} as amount_min,
        {{ point_filled('mentions', 'amount_min', 'amount_max', 'max') }} as amount_max,
        upper(trim(mentions.currency)) as currency,
        lower(trim(mentions.qualifier)) as qualifier,
        {{ point_filled('mentions', 'amount_usd_min', 'amount_usd_max', 'min') }} as amount_usd_min,
        {{ point_filled('mentions', 'amount_usd_min', 'amount_usd_max', 'max') }} as amount_usd_max,
        mentions.valuation,
        upper(trim(mentions.valuation_currency)) as valuation_currency,
        lower(trim(mentions.status)) as status,
        lower(trim(mentions.deal_type)) as deal_type,
        mentions.aggregate as is_aggregate,

        mentions.evidence,
        mentions.sentence_start,
        mentions.sentence_end,
        mentions.extractor_version,
        mentions.extracted_at

    from latest_per_mention as mentions
    {{ resolve_company_joins('mentions', 'investor', 'company_names') }}
    {{ resolve_company_joins('mentions', 'target', 'company_names') }}

)

select * from renamed
