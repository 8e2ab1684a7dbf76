with

source as (

    select * from {{ source('raw', 'fetch_log') }}

),

renamed as (

    select
        md5(concat_ws('|', source, url, cast(started_at as varchar))) as fetch_id,
        {{ clean_text('source') }} as source,
        trim(url) as url,
        started_at,
        http_status,
        bytes,
        elapsed_ms,
        lower(trim(outcome)) as outcome,
        {{ clean_text('error') }} as error

    from source

)

-- A retried load may write the same attempt twice; one row per attempt.
select
    *,
    outcome = 'error' as is_error
from renamed
qualify row_number() over (partition by fetch_id order by error nulls last) = 1
