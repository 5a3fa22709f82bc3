{#- No partition of the window is missing (a date spine, not group by), and each has at least min_rows rows.
    An empty table or filtered set fails: every partition is missing. One failing row per partition. -#}
{% test partitions_complete(model, column_name=none, partition_column=none, days=none, as_of=none, min_rows=1, granularity=none) %}
  {{ return(adapter.dispatch('test_partitions_complete', 'dbt_incident')(model, column_name, partition_column, days, as_of, min_rows, granularity)) }}
{% endtest %}

{% macro default__test_partitions_complete(model, column_name, partition_column, days, as_of, min_rows, granularity) %}
  {%- set t = 'partitions_complete' -%}
  {%- set target = dbt_incident._test_target(t, model) -%}
  {%- set partition_column = partition_column or column_name -%}
  {%- if partition_column is none -%}
    {{ dbt_incident._fail(t, 'partition_column', 'is required (or attach the test to the partition column)', partition_column) }}
  {%- endif -%}
  {%- set min_rows = dbt_incident._check_int(t, 'min_rows', min_rows, 1) %}
with history as (
    {{ dbt_incident.partition_row_history(target.relation, partition_column, days, as_of, granularity, target.where, 0) }}
)

select
    partition_date,
    row_count,
    {{ min_rows }} as expected_min_rows,
    case when row_count = 0 then 'missing_partition' else 'partition_below_min_rows' end as failure_reason
from history
where row_count < {{ min_rows }}
{%- endmacro %}
