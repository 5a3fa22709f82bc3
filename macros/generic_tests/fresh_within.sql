{#- The newest value of a timestamp column (UTC) is no older than max_age ('6 hours', '2 days', or seconds),
    overall or per group_by value. An empty table or filtered set fails (failure_reason 'empty'), never passes.
    One failing row per stale group. -#}
{% test fresh_within(model, column_name, max_age, group_by=none, as_of=none, partition_column=none, days=none) %}
  {{ return(adapter.dispatch('test_fresh_within', 'dbt_incident')(model, column_name, max_age, group_by, as_of, partition_column, days)) }}
{% endtest %}

{% macro default__test_fresh_within(model, column_name, max_age, group_by, as_of, partition_column, days) %}
  {%- set t = 'fresh_within' -%}
  {%- set target = dbt_incident._test_target(t, model) -%}
  {%- set max_age_seconds = dbt_incident._duration_seconds(t, 'max_age', max_age) -%}
  {%- set groups = dbt_incident._check_column_names(t, 'group_by', group_by) or [] %}
with fresh as (
    {{ dbt_incident.freshness(target.relation, column_name, as_of, target.where, partition_column, days, group_by) }}
),

checked as (
    select
        fresh.*,
        {{ max_age_seconds }} as max_age_seconds,
        case when newest_value is null then 'empty' else 'stale' end as failure_reason
    from fresh
    where newest_value is null or lag_seconds > {{ max_age_seconds }}
),

nothing as (
    select
        {%- for g in groups %}
        cast(null as {{ dbt.type_string() }}) as group_{{ loop.index }},
        {%- endfor %}
        {{ dbt_incident._string_literal(column_name) }} as timestamp_column,
        0 as row_count,
        cast(null as {{ dbt.type_timestamp() }}) as newest_value,
        cast(null as {{ dbt.type_timestamp() }}) as reference_time,
        cast(null as {{ dbt.type_bigint() }}) as lag_seconds,
        {{ max_age_seconds }} as max_age_seconds,
        'empty' as failure_reason
    where not exists (select 1 from fresh)
)

select * from checked
union all
select * from nothing
{%- endmacro %}
