{#- The `counts` step of partition_row_history: one row (partition_date, row_count) per non-empty partition
    of [start, end). Dispatched so BigQuery can read the counts from partition metadata instead of scanning. -#}
{% macro _partition_row_counts(relation, column, start, end, granularity, where) %}
  {{ return(adapter.dispatch('_partition_row_counts', 'dbt_incident')(relation, column, start, end, granularity, where)) }}
{% endmacro %}

{% macro default___partition_row_counts(relation, column, start, end, granularity, where) %}
  {%- set sql -%}
    select {{ dbt_incident._partition_key(column, granularity) }} as partition_date, count(*) as row_count
    from {{ relation }}
    where {{ dbt_incident._partition_filter(column, start, end) }}
    {%- if where %}
      and ({{ where }})
    {%- endif %}
    group by 1
  {%- endset -%}
  {{ return(sql) }}
{% endmacro %}

{% macro bigquery___partition_row_counts(relation, column, start, end, granularity, where) %}
  {#- Why a BigQuery branch: BigQuery keeps the row count of every partition in
      `<project>.<dataset>.INFORMATION_SCHEMA.PARTITIONS.total_rows` (doc: "PARTITIONS view",
      https://cloud.google.com/bigquery/docs/information-schema-partitions), and reading it scans 0 bytes of
      the table, where a counted scan bills every row of the window. The metadata answer is used only when
      it is exact: a table (not a view) time-partitioned by DAY or HOUR on the requested column (read from
      the table's metadata, `tables.get`, no query), day granularity, no `where`, and no rows waiting in the
      streaming buffer (`__UNPARTITIONED__`, checked with a 0-byte metadata query). Otherwise the default
      counted scan runs, with literal bounds on the raw partition column. `__NULL__` (rows whose partition
      column is null) is outside every window and left out. -#}
  {%- set fallback = dbt_incident.default___partition_row_counts(relation, column, start, end, granularity, where) -%}
  {%- if not execute or granularity != 'day' or where -%}{{ return(fallback) }}{%- endif -%}
  {%- set table = adapter.get_bq_table(relation) -%}
  {%- if table is none or table.table_type != 'TABLE' or table.time_partitioning is none -%}{{ return(fallback) }}{%- endif -%}
  {%- set partitioning = table.time_partitioning -%}
  {%- set field = partitioning.field or '_PARTITIONTIME' -%}
  {%- if field | lower != column.name | lower or partitioning.type_ not in ('DAY', 'HOUR') -%}{{ return(fallback) }}{%- endif -%}
  {%- set partitions = adapter.quote(relation.database) ~ '.' ~ adapter.quote(relation.schema) ~ '.INFORMATION_SCHEMA.PARTITIONS' -%}
  {%- set table_name = dbt_incident._string_literal(relation.identifier) -%}
  {%- if execute -%}
    {%- set buffered = run_query("select coalesce(sum(total_rows), 0) from " ~ partitions ~ " where table_name = " ~ table_name ~ " and partition_id = '__UNPARTITIONED__'") -%}
    {%- if buffered.rows | length > 0 and buffered.rows[0][0] and buffered.rows[0][0] > 0 -%}{{ return(fallback) }}{%- endif -%}
  {%- endif -%}
  {%- set sql -%}
    select parse_date('%Y%m%d', substr(partition_id, 1, 8)) as partition_date, sum(total_rows) as row_count
    from {{ partitions }}
    where table_name = {{ table_name }}
      and partition_id not in ('__NULL__', '__UNPARTITIONED__')
      and partition_id >= '{{ start.strftime('%Y%m%d') }}'
      and partition_id < '{{ end.strftime('%Y%m%d') }}'
    group by 1
    having sum(total_rows) > 0
  {%- endset -%}
  {{ return(sql) }}
{% endmacro %}
