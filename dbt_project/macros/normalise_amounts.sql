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
