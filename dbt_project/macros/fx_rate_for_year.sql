{#
    Picks, for each row of `relation` (with columns currency and reported_year), the fx rate of
    the reporting year; when the seed has no rate for that year, the latest year before it, and
    for a year before the seed begins, the earliest year. Returns a select of
    (row_key, usd_per_unit, fx_year).
#}
{% macro fx_rate_for_year(relation, row_key, currency_column, year_column) -%}
    select
        {{ relation }}.{{ row_key }},
        fx_rates.usd_per_unit,
        fx_rates.year as fx_year
    from {{ relation }}
    inner join {{ ref('fx_rates') }} as fx_rates
        on fx_rates.currency = {{ relation }}.{{ currency_column }}
    qualify row_number() over (
        partition by {{ relation }}.{{ row_key }}
        order by
            fx_rates.year > {{ relation }}.{{ year_column }},
            abs(fx_rates.year - {{ relation }}.{{ year_column }})
    ) = 1
{%- endmacro %}
