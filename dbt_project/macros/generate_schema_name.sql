{#
    Use a model's custom schema as written (`+schema: marts` -> marts.deals) instead of dbt's
    default `<target schema>_<custom schema>` (main_marts), because the warehouse contract that
    Python readers and Dagster rely on names the schemas staging, intermediate, marts and seeds.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
