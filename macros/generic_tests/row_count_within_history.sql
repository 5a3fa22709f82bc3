{#- Each partition of the recent window has a row count within a band of its trailing baseline; a missing
    partition fails. One failing row per failing partition. Built on partition_row_history. -#}
{% test row_count_within_history(model, column_name=none, partition_column=none, days=none, baseline_days=none, min_ratio=none, max_ratio=none, max_deviation_stddevs=none, seasonality=none, as_of=none) %}
  {{ return(adapter.dispatch('test_row_count_within_history', 'dbt_incident')(model, column_name, partition_column, days, baseline_days, min_ratio, max_ratio, max_deviation_stddevs, seasonality, as_of)) }}
{% endtest %}

{% macro default__test_row_count_within_history(model, column_name, partition_column, days, baseline_days, min_ratio, max_ratio, max_deviation_stddevs, seasonality, as_of) %}
  {%- set t = 'row_count_within_history' -%}
  {%- set target = dbt_incident._test_target(t, model) -%}
  {%- set partition_column = partition_column or column_name -%}
  {%- if partition_column is none -%}
    {{ dbt_incident._fail(t, 'partition_column', 'is required (or attach the test to the partition column)', partition_column) }}
  {%- endif -%}
  {%- set min_ratio = dbt_incident._check_number(t, 'min_ratio', min_ratio if min_ratio is not none else dbt_incident._get_config_var('low_ratio'), 0) -%}
  {%- set max_ratio = dbt_incident._check_number(t, 'max_ratio', max_ratio if max_ratio is not none else dbt_incident._get_config_var('high_ratio'), min_ratio) -%}
  {%- set max_deviation_stddevs = dbt_incident._check_number(t, 'max_deviation_stddevs', max_deviation_stddevs, 0, allow_none=true) -%}
  {%- if max_deviation_stddevs is none -%}
    {%- set low, high = 'baseline_mean * ' ~ min_ratio, 'baseline_mean * ' ~ max_ratio -%}
  {%- else -%}
    {%- set low, high = 'baseline_mean - ' ~ max_deviation_stddevs ~ ' * coalesce(baseline_stddev, 0)', 'baseline_mean + ' ~ max_deviation_stddevs ~ ' * coalesce(baseline_stddev, 0)' -%}
  {%- endif %}
with history as (
    {{ dbt_incident.partition_row_history(target.relation, partition_column, days, as_of, 'day', target.where, baseline_days, min_ratio, max_ratio, seasonality) }}
),

checked as (
    select
        partition_date,
        row_count,
        baseline_partitions,
        baseline_mean,
        {{ dbt_incident.dbt_incident_round(low, 2) }} as expected_min,
        {{ dbt_incident.dbt_incident_round(high, 2) }} as expected_max,
        ratio_to_baseline,
        deviation_percent,
        deviation_stddevs,
        case
            when row_count = 0 then 'missing_partition'
            when baseline_mean is null then null
            when row_count < {{ low }} then 'volume_drop'
            when row_count > {{ high }} then 'volume_spike'
        end as failure_reason
    from history
)

select * from checked where failure_reason is not null
{%- endmacro %}
