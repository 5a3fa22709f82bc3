{#- Row count per partition over the window ending at as_of, against the baseline partitions before it.
    One row per partition of the window (a date spine, so a partition with no rows appears with 0); with
    include_baseline, one row per baseline partition too, flagged against the same baseline.
    partition_counts (internal, used by incident_profile): SQL returning (partition_date, row_count) for the
    non-empty partitions of [baseline start, window end), used instead of counting the table again. -#}
{% macro partition_row_history(relation, partition_column, days=none, as_of=none, granularity=none, where=none, baseline_days=none, low_ratio=none, high_ratio=none, seasonality=none, include_baseline=false, partition_counts=none) %}
  {{ return(adapter.dispatch('partition_row_history', 'dbt_incident')(relation, partition_column, days, as_of, granularity, where, baseline_days, low_ratio, high_ratio, seasonality, include_baseline, partition_counts)) }}
{% endmacro %}

{% macro default__partition_row_history(relation, partition_column, days, as_of, granularity, where, baseline_days, low_ratio, high_ratio, seasonality, include_baseline, partition_counts) %}
  {%- set m = 'partition_row_history' -%}
  {%- set relation = dbt_incident._check_relation(m, relation) -%}
  {%- set days = dbt_incident._check_int(m, 'days', days if days is not none else dbt_incident._get_config_var('days'), 1, 3660) -%}
  {%- set baseline_days = dbt_incident._check_int(m, 'baseline_days', baseline_days if baseline_days is not none else dbt_incident._get_config_var('baseline_days'), 0, 3660) -%}
  {%- set granularity = dbt_incident._check_choice(m, 'granularity', granularity or dbt_incident._get_config_var('granularity'), ['day', 'week', 'month']) -%}
  {%- set low_ratio = dbt_incident._check_number(m, 'low_ratio', low_ratio if low_ratio is not none else dbt_incident._get_config_var('low_ratio'), 0) -%}
  {%- set high_ratio = dbt_incident._check_number(m, 'high_ratio', high_ratio if high_ratio is not none else dbt_incident._get_config_var('high_ratio'), 0) -%}
  {%- set seasonality = dbt_incident._check_choice(m, 'seasonality', seasonality or 'none', ['none', 'weekday']) -%}
  {%- if seasonality == 'weekday' and granularity != 'day' -%}
    {{ dbt_incident._fail(m, 'seasonality', "'weekday' needs granularity 'day'", seasonality) }}
  {%- endif -%}
  {%- set include_baseline = dbt_incident._check_boolean(m, 'include_baseline', include_baseline) -%}
  {%- set where = dbt_incident._check_where(m, where) -%}
  {%- set as_of = dbt_incident._resolve_as_of(m, as_of) -%}
  {%- set column = dbt_incident._find_column(m, 'partition_column', relation, partition_column, kinds=['date', 'timestamp', 'timestamptz']) -%}
  {%- set bounds = dbt_incident._window_bounds(as_of, days, baseline_days, granularity) -%}
  {%- set season = 'partition_weekday' if seasonality == 'weekday' else '0' -%}
  {%- set ratio = 'row_count * 1.0 / nullif(baseline_mean, 0)' %}
with spine as (
    {{ dbt_incident._date_spine(bounds) }}
),

counts as (
    {%- if partition_counts %}
    select partition_date, row_count from ({{ partition_counts }}) as partition_counts
    {%- else %}
    {{ dbt_incident._partition_row_counts(relation, column, bounds.baseline_start, bounds.window_end, granularity, where) }}
    {%- endif %}
),

history as (
    select spine.partition_date, spine.in_window, spine.partition_weekday, coalesce(counts.row_count, 0) as row_count
    from spine
    left join counts on spine.partition_date = counts.partition_date
),

baseline as (
    select
        {{ season }} as season_key,
        count(*) as baseline_partitions,
        avg(row_count * 1.0) as baseline_mean,
        {{ dbt_incident.dbt_incident_median('row_count') }} as baseline_median,
        stddev_samp(row_count * 1.0) as baseline_stddev
    from history
    where in_window = 0 and row_count > 0
    group by 1
),

compared as (
    select
        history.partition_date,
        history.row_count,
        coalesce(baseline.baseline_partitions, 0) as baseline_partitions,
        baseline.baseline_mean,
        baseline.baseline_median,
        baseline.baseline_stddev
    from history
    left join baseline on baseline.season_key = {{ 'history.partition_weekday' if seasonality == 'weekday' else '0' }}
    {%- if not include_baseline %}
    where history.in_window = 1
    {%- endif %}
)

select
    partition_date,
    row_count,
    baseline_partitions,
    {{ dbt_incident.dbt_incident_round('baseline_mean', 2) }} as baseline_mean,
    {{ dbt_incident.dbt_incident_round('baseline_median', 2) }} as baseline_median,
    {{ dbt_incident.dbt_incident_round('baseline_stddev', 2) }} as baseline_stddev,
    {{ dbt_incident.dbt_incident_round(ratio, 4) }} as ratio_to_baseline,
    {{ dbt_incident.dbt_incident_round('100.0 * (row_count - baseline_mean) / nullif(baseline_mean, 0)', 2) }} as deviation_percent,
    {{ dbt_incident.dbt_incident_round('(row_count - baseline_mean) / nullif(baseline_stddev, 0)', 2) }} as deviation_stddevs,
    case
        when row_count = 0 then 'missing'
        when baseline_mean is null then 'ok'
        when {{ ratio }} < {{ low_ratio }} then 'low'
        when {{ ratio }} > {{ high_ratio }} then 'high'
        else 'ok'
    end as flag
from compared
{%- endmacro %}
