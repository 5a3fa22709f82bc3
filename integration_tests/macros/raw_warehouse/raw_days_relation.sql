{#-
  A union-all relation with one row per loaded day: day_key (bigint ordinal), day_date (date), days_ago,
  row_count and loaded_minutes_ago (minutes before the load timestamp that day's batch arrived).
  `days` is a list of dicts with those keys (`date` for day_date, `ordinal` for day_key). Union-all instead
  of VALUES because BigQuery has no VALUES clause.
-#}
{% macro raw_days_relation(days) %}
    {%- for day in days %}
    select
        cast({{ day.ordinal }} as {{ dbt.type_bigint() }}) as day_key,
        cast('{{ day.date }}' as date) as day_date,
        {{ day.days_ago }} as days_ago,
        {{ day.row_count }} as row_count,
        {{ day.loaded_minutes_ago }} as loaded_minutes_ago
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{% endmacro %}
