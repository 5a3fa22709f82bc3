{#- The distinct count of a column in the window stays within [min_ratio, max_ratio] x the baseline's distinct
    count; with fail_on_new_values, every value never seen in the baseline fails too (one row per new value,
    up to max_new_values_listed rows). Built on distinct_profile. -#}
{% test distinct_values_within_history(model, column_name, partition_column, days=none, baseline_days=none, min_ratio=none, max_ratio=none, fail_on_new_values=false, as_of=none, max_new_values_listed=100) %}
  {{ return(adapter.dispatch('test_distinct_values_within_history', 'dbt_incident')(model, column_name, partition_column, days, baseline_days, min_ratio, max_ratio, fail_on_new_values, as_of, max_new_values_listed)) }}
{% endtest %}

{% macro default__test_distinct_values_within_history(model, column_name, partition_column, days, baseline_days, min_ratio, max_ratio, fail_on_new_values, as_of, max_new_values_listed) %}
  {%- set t = 'distinct_values_within_history' -%}
  {%- set target = dbt_incident._test_target(t, model) -%}
  {%- set column_name = dbt_incident._check_string(t, 'column_name', column_name) -%}
  {%- set partition_column = dbt_incident._check_string(t, 'partition_column', partition_column) -%}
  {%- set min_ratio = dbt_incident._check_number(t, 'min_ratio', min_ratio if min_ratio is not none else dbt_incident._get_config_var('low_ratio'), 0) -%}
  {%- set max_ratio = dbt_incident._check_number(t, 'max_ratio', max_ratio if max_ratio is not none else dbt_incident._get_config_var('high_ratio'), min_ratio) -%}
  {%- if fail_on_new_values is not boolean -%}
    {{ dbt_incident._fail(t, 'fail_on_new_values', 'must be true or false', fail_on_new_values) }}
  {%- endif -%}
  {%- set listed = dbt_incident._check_int(t, 'max_new_values_listed', max_new_values_listed, 1, 10000) %}
with profile as (
    {{ dbt_incident.distinct_profile(target.relation, [column_name], partition_column, days, as_of, target.where, baseline_days, listed) }}
),

summary as (
    select distinct column_name, row_count, distinct_count, baseline_distinct_count, new_value_count, vanished_value_count
    from profile
),

out_of_range as (
    select
        column_name,
        'distinct_count_out_of_range' as failure_reason,
        cast(null as {{ dbt.type_string() }}) as value,
        distinct_count,
        baseline_distinct_count,
        {{ dbt_incident.dbt_incident_round('baseline_distinct_count * ' ~ min_ratio, 2) }} as expected_min,
        {{ dbt_incident.dbt_incident_round('baseline_distinct_count * ' ~ max_ratio, 2) }} as expected_max,
        new_value_count,
        cast(null as {{ dbt.type_bigint() }}) as window_count
    from summary
    -- an empty window is the job of partitions_complete / fresh_within, not a distinct-count failure
    where baseline_distinct_count > 0 and row_count > 0
      and (distinct_count < baseline_distinct_count * {{ min_ratio }} or distinct_count > baseline_distinct_count * {{ max_ratio }})
),

new_values as (
    select
        column_name,
        'new_value' as failure_reason,
        value,
        distinct_count,
        baseline_distinct_count,
        {{ dbt_incident.dbt_incident_round('baseline_distinct_count * ' ~ min_ratio, 2) }} as expected_min,
        {{ dbt_incident.dbt_incident_round('baseline_distinct_count * ' ~ max_ratio, 2) }} as expected_max,
        new_value_count,
        window_count
    from profile
    where value_status = 'new' and baseline_distinct_count > 0 and {{ 'true' if fail_on_new_values else 'false' }}
)

select * from out_of_range
union all
select * from new_values
{%- endmacro %}
