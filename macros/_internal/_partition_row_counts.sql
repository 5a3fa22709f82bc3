{#- The `counts` step of partition_row_history: a query returning (partition_date, row_count) for the
    non-empty partitions of [start, end). Dispatched so that BigQuery can answer from partition metadata
    instead of scanning the table. -#}
{% macro _partition_row_counts(relation, column, start, end, granularity, where) %}
  {{ return(adapter.dispatch('_partition_row_counts', 'dbt_incident')(relation, column, start, end, granularity, where)) }}
{% endmacro %}

{#- The counted scan: literal bounds on the raw partition column, so the warehouse prunes partitions. -#}
{% macro default___partition_row_counts(relation, column, start, end, granularity, where) %}
  {{ return(dbt_incident._partition_scan(relation, column, none, start, end, where, granularity)) }}
{% endmacro %}


{% macro bigquery___partition_row_counts(relation, column, start, end, granularity, where) %}
  {#- Why a BigQuery branch: BigQuery keeps each partition's row count in
      `<project>.<dataset>.INFORMATION_SCHEMA.PARTITIONS.total_rows` (BigQuery doc "PARTITIONS view",
      https://cloud.google.com/bigquery/docs/information-schema-partitions); reading it bills 0 bytes, where a
      counted scan bills the partition column of every row in the window. The metadata is read here, in
      Jinja, with one run_query, and the counts reach the SQL as literal rows (the emulator cannot read the
      view inside a CTE, and the final query stays trivially prunable). Used only when exact: a table (not a
      view) partitioned by the requested column (the model's `partition_by` config in the graph, else
      INFORMATION_SCHEMA.COLUMNS.is_partitioning_column; `_PARTITIONTIME` / `_PARTITIONDATE` for
      ingestion-time partitioning), partitions no coarser than `granularity`, no `where`, and no rows in the
      streaming buffer (`__UNPARTITIONED__`, whose partition is not known yet). `__NULL__` (rows whose
      partition column is null) lies outside every window and is skipped. Otherwise: the counted scan. -#}
  {%- set scan = dbt_incident.default___partition_row_counts(relation, column, start, end, granularity, where) -%}
  {%- set partitions = dbt_incident._bigquery_partition_metadata(relation, column) if execute and not where else none -%}
  {%- if partitions is none -%}{{ return(scan) }}{%- endif -%}
  {%- set units = {4: 'year', 6: 'month', 8: 'day', 10: 'hour'} -%}
  {%- set totals = {} -%}
  {%- for partition_id, total_rows in partitions -%}
    {%- if partition_id == '__UNPARTITIONED__' and total_rows > 0 -%}{{ return(scan) }}{%- endif -%}
    {%- set unit = units.get(partition_id | length) if partition_id is string and partition_id.isdigit() else none -%}
    {%- if unit is not none -%}
      {#- A partition coarser than the requested granularity cannot be split by metadata: scan instead. -#}
      {%- if (unit == 'year' and granularity != 'year') or (unit == 'month' and granularity not in ['month', 'year']) -%}{{ return(scan) }}{%- endif -%}
      {%- set day = modules.datetime.date(partition_id[0:4] | int, (partition_id[4:6] or '01') | int, (partition_id[6:8] or '01') | int) -%}
      {%- if day >= start and day < end and total_rows > 0 -%}
        {%- set key = dbt_incident._partition_start(day, granularity) -%}
        {%- do totals.update({key: totals.get(key, 0) + total_rows}) -%}
      {%- endif -%}
    {%- endif -%}
  {%- endfor -%}
  {%- set rows = [] -%}
  {%- for key in totals | sort -%}
    {%- do rows.append("(date '" ~ key.strftime('%Y-%m-%d') ~ "', " ~ totals[key] ~ ")") -%}
  {%- endfor -%}
  {%- set sql -%}
    select partition_date, row_count
    from unnest(array<struct<partition_date date, row_count int64>>[{{ rows | join(', ') }}])
    /* dbt_incident: counts from INFORMATION_SCHEMA.PARTITIONS of {{ relation }} (0 bytes scanned) */
  {%- endset -%}
  {{ return(sql) }}
{% endmacro %}

{#- BigQuery only: [(partition_id, total_rows)] of `relation` from INFORMATION_SCHEMA.PARTITIONS when it is a
    table partitioned by `column`, else none. The partitioning column comes from the graph node's
    `partition_by` config when the relation is a model of the project, else from INFORMATION_SCHEMA.COLUMNS;
    a table with no partitioning column there is ingestion-time partitioned when the requested column is
    `_PARTITIONTIME` or `_PARTITIONDATE` (checked with tables.get, no query). -#}
{% macro _bigquery_partition_metadata(relation, column) %}
  {%- set found = adapter.get_relation(database=relation.database, schema=relation.schema, identifier=relation.identifier) -%}
  {%- if found is none or not found.is_table -%}{{ return(none) }}{%- endif -%}
  {%- set dataset = adapter.quote(relation.database) ~ '.' ~ adapter.quote(relation.schema) -%}
  {%- set table_name = dbt_incident._string_literal(relation.identifier) -%}
  {%- set wanted = column.name | lower -%}
  {%- set field = {'name': none} -%}
  {%- for node in graph.nodes.values() if node.resource_type == 'model'
        and (node.database | lower) == (relation.database | lower) and (node.schema | lower) == (relation.schema | lower)
        and ((node.alias or node.name) | lower) == (relation.identifier | lower) -%}
    {%- set partition_by = node.config.get('partition_by') -%}
    {%- if partition_by is mapping and partition_by.get('field') -%}
      {%- do field.update({'name': partition_by.get('field') | lower}) -%}
    {%- endif -%}
  {%- endfor -%}
  {%- if field.name is none -%}
    {%- set partitioning = run_query("select column_name from " ~ dataset ~ ".INFORMATION_SCHEMA.COLUMNS where table_name = " ~ table_name ~ " and is_partitioning_column = 'YES'") -%}
    {%- if partitioning.rows | length > 0 -%}
      {%- do field.update({'name': partitioning.rows[0][0] | lower}) -%}
    {%- elif wanted in ['_partitiontime', '_partitiondate'] -%}
      {%- set table = adapter.get_bq_table(relation) -%}
      {%- if table is not none and table.time_partitioning is not none and not table.time_partitioning.field -%}
        {%- do field.update({'name': wanted}) -%}
      {%- endif -%}
    {%- endif -%}
  {%- endif -%}
  {%- if field.name != wanted -%}{{ return(none) }}{%- endif -%}
  {%- set result = run_query("select partition_id, total_rows from " ~ dataset ~ ".INFORMATION_SCHEMA.PARTITIONS where table_name = " ~ table_name) -%}
  {%- set partitions = [] -%}
  {%- for row in result.rows -%}
    {%- do partitions.append((row[0], (row[1] or 0) | int)) -%}
  {%- endfor -%}
  {{ return(partitions) }}
{% endmacro %}
