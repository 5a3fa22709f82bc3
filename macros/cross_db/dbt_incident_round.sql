{#- round(expression, digits) returned as a float on every warehouse (PostgreSQL has no round(double, int)). -#}
{% macro dbt_incident_round(expression, digits) %}
  {{ return(adapter.dispatch('dbt_incident_round', 'dbt_incident')(expression, digits)) }}
{% endmacro %}

{% macro default__dbt_incident_round(expression, digits) %}
  {{ return("cast(round(cast(" ~ expression ~ " as " ~ dbt.type_numeric() ~ "), " ~ digits ~ ") as " ~ dbt.type_float() ~ ")") }}
{% endmacro %}

{#- DuckDB's FLOAT is a 4-byte REAL (0.0566 would read back as 0.05660000070929527): cast to DOUBLE. -#}
{% macro duckdb__dbt_incident_round(expression, digits) %}
  {{ return("cast(round(cast(" ~ expression ~ " as " ~ dbt.type_numeric() ~ "), " ~ digits ~ ") as double)") }}
{% endmacro %}
