{#- Runs one diagnostic query of incident_profile through `adapter.execute(sql, fetch=True)` (not run_query,
    which keeps only the rows) and returns {records, bytes_processed, bytes_billed, bytes_estimate}: the rows as
    JSON-safe dicts and the bytes the job reported (null on adapters whose response has no byte counts, such as
    DuckDB and PostgreSQL). section names the diagnostic (partition_scan, row_history, null_counts,
    distinct_profile, freshness) in errors and in a first comment line of the SQL sent
    (`-- dbt_incident.incident_profile: <section>`), which finds it in the warehouse's query history and in
    dbt's SQLQuery log events; relation is the profiled relation. -#}
{% macro _run_diagnostic(section, sql, relation) %}
  {{ return(adapter.dispatch('_run_diagnostic', 'dbt_incident')(section, sql, relation)) }}
{% endmacro %}

{% macro default___run_diagnostic(section, sql, relation) %}
  {%- set response, table = adapter.execute('-- dbt_incident.incident_profile: ' ~ section ~ '\n' ~ sql, auto_begin=false, fetch=true) -%}
  {{ return({
    'records': dbt_incident._records(table),
    'bytes_processed': response.bytes_processed if response.bytes_processed is defined else none,
    'bytes_billed': response.bytes_billed if response.bytes_billed is defined else none,
    'bytes_estimate': none,
  }) }}
{% endmacro %}

{% macro bigquery___run_diagnostic(section, sql, relation) %}
  {#- Why a BigQuery branch: BigQuery bills on-demand queries by the bytes they read, so with the var
      dbt_incident_maximum_bytes_billed set, a diagnostic is refused before it runs when its estimate is above
      the limit, and the job's bytes processed and billed are reported. Follows "Estimate and
      control costs" (https://cloud.google.com/bigquery/docs/best-practices-costs) and the Table resource's
      numBytes (https://cloud.google.com/bigquery/docs/reference/rest/v2/tables). A dry run would estimate
      better, but dbt-bigquery 1.12 exposes none to Jinja (`validate_sql` is not @available), so the estimate is
      an upper bound read from tables.get (no job, free): the table's logical size times the number of times the
      query names it. A query that does not name the table (row history from INFORMATION_SCHEMA.PARTITIONS) and a
      view (numBytes 0: its cost is that of the tables behind it) get no estimate and are not refused; the
      profile's `maximum_bytes_billed`, which BigQuery enforces on every job, is the guard that always holds. -#}
  {%- set limit = dbt_incident._maximum_bytes_billed() -%}
  {%- set estimate = none -%}
  {#- Comments may name the table (the metadata path of row history does): count references outside them. -#}
  {%- set references = modules.re.sub('(?s)/[*].*?[*]/|--[^\n]*', '', sql).count(relation | string) -%}
  {%- if limit is not none and references > 0 -%}
    {%- set table = adapter.get_bq_table(relation) -%}
    {%- if table is not none and table.table_type == 'TABLE' and table.num_bytes is not none -%}
      {%- set estimate = table.num_bytes * references -%}
      {%- do dbt_incident._check_bytes_estimate(section, relation, estimate, limit) -%}
    {%- endif -%}
  {%- endif -%}
  {%- set result = dbt_incident.default___run_diagnostic(section, sql, relation) -%}
  {%- do result.update({'bytes_estimate': estimate}) -%}
  {{ return(result) }}
{% endmacro %}

{#- The var dbt_incident_maximum_bytes_billed (bytes; none when unset), checked to be a whole number >= 1. -#}
{% macro _maximum_bytes_billed() %}
  {%- set limit = dbt_incident._get_config_var('maximum_bytes_billed') -%}
  {%- if limit is none -%}{{ return(none) }}{%- endif -%}
  {%- if limit is boolean or not (limit is integer or (limit is string and modules.re.fullmatch('[0-9]{1,18}', limit))) or (limit | int) < 1 -%}
    {{ exceptions.raise_compiler_error("dbt_incident.incident_profile: var 'dbt_incident_maximum_bytes_billed' must be a whole number of bytes >= 1, got " ~ limit) }}
  {%- endif -%}
  {{ return(limit | int) }}
{% endmacro %}

{#- Refuses (compiler error) a diagnostic whose estimated bytes are above the limit (both in bytes). -#}
{% macro _check_bytes_estimate(section, relation, estimate, limit) %}
  {%- if estimate is not none and estimate > limit -%}
    {{ exceptions.raise_compiler_error("dbt_incident.incident_profile: diagnostic '" ~ section ~ "' on " ~ relation ~ " was not run: it may process up to " ~ estimate ~ " bytes (estimate), above var dbt_incident_maximum_bytes_billed = " ~ limit ~ " bytes; raise the var, shorten days, or pick fewer columns") }}
  {%- endif -%}
  {{ return(estimate) }}
{% endmacro %}
