{#- A pseudo-column the warehouse serves without listing it among the relation's columns, as a column
    {name, quoted, data_type, kind, position}; none when `name` is not one. Called by _find_column before it
    reports a missing column. -#}
{% macro _pseudo_column(relation, name) %}
  {{ return(adapter.dispatch('_pseudo_column', 'dbt_incident')(relation, name)) }}
{% endmacro %}

{#- DuckDB and PostgreSQL have no partition pseudo-columns. -#}
{% macro default___pseudo_column(relation, name) %}
  {{ return(none) }}
{% endmacro %}

{% macro bigquery___pseudo_column(relation, name) %}
  {#- Why a BigQuery branch: an ingestion-time partitioned table has no partition column of its own; BigQuery
      serves the pseudo-columns `_PARTITIONTIME` (TIMESTAMP, start of the partition, UTC) and `_PARTITIONDATE`
      (DATE), which `get_columns_in_relation` does not list (BigQuery doc "Ingestion-time partitioned
      tables", https://cloud.google.com/bigquery/docs/partitioned-tables#ingestion_time). Filtering on them
      with literals prunes partitions and satisfies `require_partition_filter`
      (https://cloud.google.com/bigquery/docs/querying-partitioned-tables). Accepted when tables.get (metadata,
      no query) shows no partitioning field: a column-partitioned table must be filtered on its column. (The
      local emulator drops the ingestion-time spec from tables.get, so "no time partitioning" is accepted too;
      on a table that is not ingestion-time partitioned BigQuery then fails with "Unrecognized name:
      _PARTITIONTIME".) Left unquoted: they are reserved names, not columns. -#}
  {%- set upper = (name | string | upper) -%}
  {%- if upper not in ['_PARTITIONTIME', '_PARTITIONDATE'] -%}{{ return(none) }}{%- endif -%}
  {%- set table = adapter.get_bq_table(relation) -%}
  {%- if table is none or (table.time_partitioning is not none and table.time_partitioning.field) -%}{{ return(none) }}{%- endif -%}
  {%- set kind = 'timestamp' if upper == '_PARTITIONTIME' else 'date' -%}
  {{ return({'name': upper, 'quoted': upper, 'data_type': kind | upper, 'kind': kind, 'position': 0}) }}
{% endmacro %}
