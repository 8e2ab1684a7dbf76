{#
    Columns min/max of a point figure (exact, approx, or no qualifier) both carry the figure, so
    later models never have to special-case a point stated in only one of them. Bounds keep their
    open side null (at_least: no max, at_most: no min).
#}
{% macro point_filled(relation_alias, min_column, max_column, which) -%}
    {%- set own = relation_alias ~ '.' ~ (min_column if which == 'min' else max_column) -%}
    {%- set other = relation_alias ~ '.' ~ (max_column if which == 'min' else min_column) -%}
    case
        when coalesce(lower(trim({{ relation_alias }}.qualifier)), 'exact') in ('exact', 'approx')
            then coalesce({{ own }}, {{ other }})
        else {{ own }}
    end
{%- endmacro %}

{#
    One side (which = 'min' | 'max') of a mention's amount in USD. When the article states a
    USD figure (the extractor fills amount_usd_min / amount_usd_max, e.g. "超过110万亿韩元(约733亿
    美元)") that figure is used whichever of the two columns the extractor put it in, and the
    open side of a bound stays open; only without a stated figure is the original amount
    converted at usd_per_unit. A range keeps its own sides (a side not stated in USD is converted).
#}
{% macro usd_bound(relation_alias, which, usd_per_unit) -%}
    {%- set own_usd = relation_alias ~ '.amount_usd_' ~ which -%}
    {%- set other_usd = relation_alias ~ '.amount_usd_' ~ ('max' if which == 'min' else 'min') -%}
    {%- set own_amount = relation_alias ~ '.amount_' ~ which -%}
    {%- set open_qualifier = 'at_most' if which == 'min' else 'at_least' -%}
    case
        when coalesce({{ relation_alias }}.amount_usd_min, {{ relation_alias }}.amount_usd_max) is null
            then {{ own_amount }} * {{ usd_per_unit }}
        when {{ relation_alias }}.qualifier = '{{ open_qualifier }}'
            then null
        when {{ relation_alias }}.qualifier = 'range'
            then coalesce({{ own_usd }}, {{ own_amount }} * {{ usd_per_unit }})
        else coalesce({{ own_usd }}, {{ other_usd }})
    end
{%- endmacro %}
