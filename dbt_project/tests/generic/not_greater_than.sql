{#- Fails for rows where column_name > other_column (rows with either side null pass). -#}
{% test not_greater_than(model, column_name, other_column) %}

select
    {{ column_name }},
    {{ other_column }}
from {{ model }}
where {{ column_name }} > {{ other_column }}

{% endtest %}
