{#-
  Replace a raw table with the rows of `sql`, as a loader delivering a full reload would.
  `partition_column` (a date column or none) partitions the table where the warehouse supports it.
-#}
{% macro raw_replace_table(relation, sql, partition_column=none) %}
    {{ return(adapter.dispatch('raw_replace_table', 'dbt_incident_integration_tests')(relation, sql, partition_column)) }}
{% endmacro %}

{% macro default__raw_replace_table(relation, sql, partition_column=none) %}
    {#- cascade: on PostgreSQL the staging views depend on the raw table; `dbt build` recreates them. -#}
    {% do run_query('drop table if exists ' ~ relation ~ ' cascade') %}
    {% do run_query('create table ' ~ relation ~ ' as ' ~ sql) %}
{% endmacro %}

{% macro bigquery__raw_replace_table(relation, sql, partition_column=none) %}
    {#- BigQuery partitions a table by a DATE column with PARTITION BY in CREATE TABLE ... AS
        (https://cloud.google.com/bigquery/docs/creating-partitioned-tables#sql). -#}
    {% do run_query(
        'create or replace table ' ~ relation
        ~ (' partition by ' ~ partition_column if partition_column else '')
        ~ ' as ' ~ sql) %}
{% endmacro %}
