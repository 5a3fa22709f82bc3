{#- A one-column relation `n` holding the integers 1..upper_bound (bigint). -#}
{% macro raw_integer_spine(upper_bound) %}
    {{ return(adapter.dispatch('raw_integer_spine', 'dbt_incident_integration_tests')(upper_bound)) }}
{% endmacro %}

{% macro default__raw_integer_spine(upper_bound) %}
    select cast(n as {{ dbt.type_bigint() }}) as n from generate_series(1, {{ upper_bound }}) as spine(n)
{% endmacro %}

{% macro bigquery__raw_integer_spine(upper_bound) %}
    {#- BigQuery has no generate_series table function; GENERATE_ARRAY + UNNEST is the documented way
        (https://cloud.google.com/bigquery/docs/reference/standard-sql/array_functions#generate_array). -#}
    select n from unnest(generate_array(1, {{ upper_bound }})) as n
{% endmacro %}
