{#- Fails for rows where the column is zero or negative (null passes). -#}
{% test positive(model, column_name) %}

select {{ column_name }}
from {{ model }}
where {{ column_name }} <= 0

{% endtest %}
