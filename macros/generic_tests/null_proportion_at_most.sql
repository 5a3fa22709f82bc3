{#- The null proportion (0-1) of a column in the window stays at or under max_proportion, and optionally at
    most max_baseline_ratio times its baseline proportion. One failing row (the column) when it does not. -#}
{% test null_proportion_at_most(model, column_name, max_proportion, partition_column=none, days=none, as_of=none, baseline_days=none, max_baseline_ratio=none) %}
  {{ return(adapter.dispatch('test_null_proportion_at_most', 'dbt_incident')(model, column_name, max_proportion, partition_column, days, as_of, baseline_days, max_baseline_ratio)) }}
{% endtest %}

{% macro default__test_null_proportion_at_most(model, column_name, max_proportion, partition_column, days, as_of, baseline_days, max_baseline_ratio) %}
  {%- set t = 'null_proportion_at_most' -%}
  {%- set target = dbt_incident._test_target(t, model) -%}
  {%- set column_name = dbt_incident._check_string(t, 'column_name', column_name) -%}
  {%- set max_proportion = dbt_incident._check_number(t, 'max_proportion', max_proportion, 0, 1) -%}
  {%- set max_baseline_ratio = dbt_incident._check_number(t, 'max_baseline_ratio', max_baseline_ratio, 0, allow_none=true) -%}
  {%- if max_baseline_ratio is not none and partition_column is none -%}
    {{ dbt_incident._fail(t, 'max_baseline_ratio', 'needs partition_column (the baseline is the partitions before the window)', max_baseline_ratio) }}
  {%- endif %}
with nulls as (
    {{ dbt_incident.null_counts(target.relation, [column_name], partition_column, days, as_of, target.where, baseline_days) }}
),

checked as (
    select
        column_name,
        row_count,
        null_count,
        null_proportion,
        {{ max_proportion }} as max_proportion,
        baseline_null_proportion,
        {%- if max_baseline_ratio is not none %}
        {{ dbt_incident.dbt_incident_round('baseline_null_proportion * ' ~ max_baseline_ratio, 4) }} as max_from_baseline,
        {%- else %}
        cast(null as {{ dbt.type_float() }}) as max_from_baseline,
        {%- endif %}
        case
            when null_proportion > {{ max_proportion }} then 'null_proportion_above_max'
            {%- if max_baseline_ratio is not none %}
            when baseline_null_proportion is not null and null_proportion > baseline_null_proportion * {{ max_baseline_ratio }} then 'null_spike_against_baseline'
            {%- endif %}
        end as failure_reason
    from nulls
)

select * from checked where failure_reason is not null
{%- endmacro %}
