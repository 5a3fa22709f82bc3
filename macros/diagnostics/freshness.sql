{#- The newest value of a timestamp (or date) column, in UTC, and its lag in seconds behind the reference
    time (as_of; default now, UTC, computed at compile time). timestamptz values are converted to UTC; naive
    timestamps are read as UTC; a date counts as midnight UTC. One row overall, or one per group_by value. -#}
{% macro freshness(relation, timestamp_column, as_of=none, where=none, partition_column=none, days=none, group_by=none) %}
  {{ return(adapter.dispatch('freshness', 'dbt_incident')(relation, timestamp_column, as_of, where, partition_column, days, group_by)) }}
{% endmacro %}

{% macro default__freshness(relation, timestamp_column, as_of, where, partition_column, days, group_by) %}
  {%- set m = 'freshness' -%}
  {%- set relation = dbt_incident._check_relation(m, relation) -%}
  {%- set where = dbt_incident._check_where(m, where) -%}
  {%- set reference = dbt_incident._resolve_reference_time(m, as_of) -%}
  {%- set columns = dbt_incident._relation_columns(m, relation) -%}
  {%- set column = dbt_incident._find_column(m, 'timestamp_column', relation, timestamp_column, columns if execute else none, kinds=['date', 'timestamp', 'timestamptz']) -%}
  {%- set groups = dbt_incident._find_columns(m, 'group_by', relation, group_by) if group_by is not none else [] -%}
  {%- set filters = [] -%}
  {%- if partition_column is not none -%}
    {%- set days = dbt_incident._check_int(m, 'days', days if days is not none else dbt_incident._get_config_var('days'), 1, 3660) -%}
    {%- set partition = dbt_incident._find_column(m, 'partition_column', relation, partition_column, columns if execute else none, kinds=['date', 'timestamp', 'timestamptz']) -%}
    {%- set bounds = dbt_incident._window_bounds((reference - modules.datetime.timedelta(microseconds=1)).date(), days, 0, 'day') -%}
    {%- do filters.append(dbt_incident._partition_filter(partition, bounds.window_start, bounds.window_end)) -%}
  {%- endif -%}
  {%- if where -%}{%- do filters.append('(' ~ where ~ ')') -%}{%- endif -%}
  {%- set newest = 'max(' ~ dbt_incident._as_utc_timestamp(column) ~ ')' %}
select
    {%- for g in groups %}
    cast({{ g.quoted }} as {{ dbt.type_string() }}) as group_{{ loop.index }},
    {%- endfor %}
    {{ dbt_incident._string_literal(column.name) }} as timestamp_column,
    count(*) as row_count,
    {{ newest }} as newest_value,
    {{ dbt_incident._timestamp_literal(reference) }} as reference_time,
    {{ dbt.datediff(newest, dbt_incident._timestamp_literal(reference), 'second') }} as lag_seconds
from {{ relation }}
{%- if filters %}
where {{ filters | join(' and ') }}
{%- endif %}
{%- if groups %}
group by {% for g in groups %}cast({{ g.quoted }} as {{ dbt.type_string() }}){{ ', ' if not loop.last }}{% endfor %}
{%- endif %}
{%- endmacro %}
