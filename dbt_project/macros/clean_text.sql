{#- Trim, collapse inner whitespace, and turn empty strings into null. -#}
{% macro clean_text(column) -%}
    nullif(regexp_replace(trim({{ column }}), '\s+', ' ', 'g'), '')
{%- endmacro %}

{#- The key a company name or alias is matched on: cleaned and lowercased (case-insensitive). -#}
{% macro name_key(column) -%}
    lower({{ clean_text(column) }})
{%- endmacro %}
