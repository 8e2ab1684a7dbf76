{#-
    A capex figure in billions for a one-line summary: "200", "115-135", ">=140", "<=20".
-#}
{% macro capex_figure_label(low_column, high_column) -%}
    case
        when {{ low_column }} is not null and {{ high_column }} is not null
            and {{ low_column }} = {{ high_column }}
            then {{ billions(low_column) }}
        when {{ low_column }} is not null and {{ high_column }} is not null
            then {{ billions(low_column) }} || '-' || {{ billions(high_column) }}
        when {{ low_column }} is not null then '>=' || {{ billions(low_column) }}
        when {{ high_column }} is not null then '<=' || {{ billions(high_column) }}
        else '?'
    end
{%- endmacro %}

{% macro billions(column) -%}
    case
        when round({{ column }} / 1e9, 1) = round({{ column }} / 1e9)
            then cast(cast(round({{ column }} / 1e9) as bigint) as {{ dbt.type_string() }})
        else cast(round({{ column }} / 1e9, 1) as {{ dbt.type_string() }})
    end
{%- endmacro %}
