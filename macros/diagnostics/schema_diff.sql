{#- Columns added, removed and type changed between an expected column list (or the last snapshot recorded by
    the dbt_incident_schema_history model) and the relation's current columns. Names are compared
    case-insensitively; a change of column order is reported separately (change_type 'moved'), never as an
    added/removed column. One row per change. -#}
{% macro schema_diff(relation, expected=none, from_history=false) %}
  {{ return(adapter.dispatch('schema_diff', 'dbt_incident')(relation, expected, from_history)) }}
{% endmacro %}

{#- expected: a list of names, or of {name, data_type} mappings, or one mapping name -> data_type. -#}
{% macro _expected_columns(macro_name, expected) %}
  {%- set columns = [] -%}
  {%- if expected is mapping -%}
    {%- for name, data_type in expected.items() -%}
      {%- do columns.append({'name': name | string, 'data_type': data_type, 'position': loop.index}) -%}
    {%- endfor -%}
  {%- elif expected is string or expected is not iterable -%}
    {{ dbt_incident._fail(macro_name, 'expected', 'must be a list of column names or {name, data_type} mappings', expected) }}
  {%- else -%}
    {%- for item in expected -%}
      {%- if item is string and item | trim -%}
        {%- do columns.append({'name': item | trim, 'data_type': none, 'position': loop.index}) -%}
      {%- elif item is mapping and item.get('name') is string -%}
        {%- do columns.append({'name': item['name'], 'data_type': item.get('data_type'), 'position': loop.index}) -%}
      {%- else -%}
        {{ dbt_incident._fail(macro_name, 'expected', 'must list column names or {name, data_type} mappings', item) }}
      {%- endif -%}
    {%- endfor -%}
  {%- endif -%}
  {%- if columns | length == 0 -%}
    {{ dbt_incident._fail(macro_name, 'expected', 'must list at least one column', expected) }}
  {%- endif -%}
  {{ return(columns) }}
{% endmacro %}

{% macro default__schema_diff(relation, expected, from_history) %}
  {%- set m = 'schema_diff' -%}
  {%- set relation = dbt_incident._check_relation(m, relation) -%}
  {%- if expected is none and not from_history -%}
    {{ dbt_incident._fail(m, 'expected', 'must be given unless from_history is true', expected) }}
  {%- endif -%}
  {%- set actual = dbt_incident._relation_columns(m, relation) -%}
  {%- set relation_name = dbt_incident._string_literal(relation | string | lower) %}
with expected_columns as (
    {%- if expected is not none %}
    {{ dbt_incident._columns_as_rows(relation | string, dbt_incident._expected_columns(m, expected)) }}
    {%- else %}
    {%- set history = ref('dbt_incident', 'dbt_incident_schema_history') %}
    select relation_name, column_name, column_name_lower, data_type, ordinal_position
    from {{ history }}
    where lower(relation_name) = {{ relation_name }}
      and snapshot_at = (
        select max(snapshot_at) from {{ history }}
        where lower(relation_name) = {{ relation_name }} and invocation_id <> {{ dbt_incident._string_literal(invocation_id) }}
      )
    {%- endif %}
),

actual_columns as (
    {{ dbt_incident._columns_as_rows(relation | string, actual) }}
),

joined as (
    select
        coalesce(actual_columns.column_name, expected_columns.column_name) as column_name,
        expected_columns.data_type as expected_type,
        actual_columns.data_type as actual_type,
        expected_columns.ordinal_position as expected_position,
        actual_columns.ordinal_position as actual_position
    from expected_columns
    full outer join actual_columns on expected_columns.column_name_lower = actual_columns.column_name_lower
),

common as (
    select
        column_name,
        row_number() over (order by expected_position) as expected_rank,
        row_number() over (order by actual_position) as actual_rank
    from joined
    where expected_position is not null and actual_position is not null
),

changes as (
    select column_name, 'added' as change_type from joined where expected_position is null
    union all
    select column_name, 'removed' as change_type from joined where actual_position is null
    union all
    select column_name, 'type_changed' as change_type from joined
    where expected_position is not null and actual_position is not null
      and expected_type is not null and lower(expected_type) <> lower(actual_type)
    union all
    select column_name, 'moved' as change_type from common where expected_rank <> actual_rank
)

select
    changes.column_name,
    changes.change_type,
    joined.expected_type,
    joined.actual_type,
    joined.expected_position,
    joined.actual_position
from changes
inner join joined on joined.column_name = changes.column_name
{%- endmacro %}
