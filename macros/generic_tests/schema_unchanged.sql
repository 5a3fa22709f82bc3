{#- The relation's columns match expected_columns (names, or {name, data_type}) or, with from_history, the last
    snapshot recorded by dbt_incident_schema_history. Names compare case-insensitively; order changes fail only
    with check_order. One failing row per changed column (a rename is a removed and an added column). -#}
{% test schema_unchanged(model, expected_columns=none, from_history=false, check_order=false) %}
  {{ return(adapter.dispatch('test_schema_unchanged', 'dbt_incident')(model, expected_columns, from_history, check_order)) }}
{% endtest %}

{% macro default__test_schema_unchanged(model, expected_columns, from_history, check_order) %}
  {%- set t = 'schema_unchanged' -%}
  {%- set target = dbt_incident._test_target(t, model) -%}
  {%- if from_history is not boolean or check_order is not boolean -%}
    {{ dbt_incident._fail(t, 'from_history' if from_history is not boolean else 'check_order', 'must be true or false', from_history if from_history is not boolean else check_order) }}
  {%- endif -%}
  {%- if expected_columns is none and not from_history -%}
    {{ dbt_incident._fail(t, 'expected_columns', 'is required unless from_history is true', expected_columns) }}
  {%- endif %}
with changes as (
    {{ dbt_incident.schema_diff(target.relation, expected_columns, from_history) }}
)

select column_name, change_type, expected_type, actual_type, expected_position, actual_position
from changes
{%- if not check_order %}
where change_type <> 'moved'
{%- endif %}
{%- endmacro %}
