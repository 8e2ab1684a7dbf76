{#
    Joins that map an entity to its canonical company name through stg_seeds__company_names.
    The extractor's own canonical name is tried first, then the name as written; a name neither
    matches is kept as written. Use with the columns from resolve_company_columns().
#}
{% macro resolve_company_joins(relation_alias, role, names_relation) -%}
    left join {{ names_relation }} as {{ role }}_by_name
        on {{ role }}_by_name.name_key = {{ name_key(relation_alias ~ '.' ~ role) }}
    left join {{ names_relation }} as {{ role }}_by_raw
        on {{ role }}_by_raw.name_key = {{ name_key(relation_alias ~ '.' ~ role ~ '_raw') }}
{%- endmacro %}

{% macro resolve_company_columns(relation_alias, role) -%}
    {{ clean_text(relation_alias ~ '.' ~ role ~ '_raw') }} as {{ role }}_raw,
    coalesce(
        {{ role }}_by_name.company,
        {{ role }}_by_raw.company,
        {{ clean_text(relation_alias ~ '.' ~ role) }},
        {{ clean_text(relation_alias ~ '.' ~ role ~ '_raw') }}
    ) as {{ role }},
    coalesce({{ role }}_by_name.company, {{ role }}_by_raw.company) is not null
        as {{ role }}_is_known
{%- endmacro %}
