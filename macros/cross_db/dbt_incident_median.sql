{#- The median of `expression` as an aggregate (PostgreSQL and DuckDB: an ordered-set aggregate). -#}
{% macro dbt_incident_median(expression) %}
  {{ return(adapter.dispatch('dbt_incident_median', 'dbt_incident')(expression)) }}
{% endmacro %}

{% macro default__dbt_incident_median(expression) %}
  {{ return("percentile_cont(0.5) within group (order by " ~ expression ~ ")") }}
{% endmacro %}
