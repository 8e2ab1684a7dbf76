with

source as (

    select * from {{ source('raw', 'articles') }}

),

renamed as (

    select
        article_id,
        trim(url) as url,
        trim(canonical_url) as canonical_url,
        {{ clean_text('source') }} as source,
        {{ clean_text('title') }} as title,
        published_at,
        -- reported_at is what every later model dates an article by: a page without a
        -- publication date counts from the day it was first fetched.
        coalesce(published_at, first_fetched_at) as reported_at,
        {{ clean_text('lang') }} as lang,
        body_text,
        lower(trim(content_sha256)) as content_sha256,
        first_fetched_at,
        last_fetched_at

    from source

),

latest_per_article as (

    select *
    from renamed
    qualify row_number() over (
        partition by article_id
        order by last_fetched_at desc
    ) = 1

),

-- The same text under two URLs (syndication, mobile/amp pages) is one article: keep the copy
-- with a publication date, first fetched, so its mentions are counted once.
one_per_content as (

    select
        *,
        count(*) over (partition by content_sha256) as n_copies
    from latest_per_article
    qualify row_number() over (
        partition by content_sha256
        order by published_at is null, first_fetched_at, article_id
    ) = 1

)

select
    article_id,
    url,
    canonical_url,
    source,
    title,
    published_at,
    reported_at,
    cast(reported_at as date) as reported_date,
    year(reported_at) as reported_year,
    lang,
    body_text,
    content_sha256,
    n_copies,
    first_fetched_at,
    last_fetched_at

from one_per_content
