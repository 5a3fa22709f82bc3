{#- The columns of `relation` now against the same table at `as_of_time` (time travel): one row per column
    added, removed, type changed or moved, in schema_diff's output shape. BigQuery only. -#}
{% macro schema_diff_as_of(relation, as_of_time) %}
  {{ return(adapter.dispatch('schema_diff_as_of', 'dbt_incident')(relation, as_of_time)) }}
{% endmacro %}

{#- DuckDB and PostgreSQL keep no previous table versions: a compiler error that points at the alternative. -#}
{% macro default__schema_diff_as_of(relation, as_of_time) %}
  {%- if not execute -%}{{ return('select 1') }}{%- endif -%}
  {{ exceptions.raise_compiler_error("dbt_incident.schema_diff_as_of: needs time travel (BigQuery FOR SYSTEM_TIME AS OF); a " ~ target.type ~ " target keeps no previous table versions: use schema_diff(relation, from_history=true) with the dbt_incident_schema_history model") }}
{% endmacro %}

{% macro bigquery__schema_diff_as_of(relation, as_of_time) %}
  {#- Why a BigQuery branch: BigQuery keeps every table's previous versions for the dataset's time-travel
      window (max_time_travel_hours, 48 to 168 hours, default 168 = 7 days) and serves them with
      `FOR SYSTEM_TIME AS OF` (BigQuery docs "Access historical data",
      https://cloud.google.com/bigquery/docs/access-historical-data, and "Data retention with time travel",
      https://cloud.google.com/bigquery/docs/time-travel). dbt's table materialization replaces the table,
      and time travel still reads the version before the replacement. The columns then are read from the
      schema of a `limit 0` query over the old version (0 bytes), and compared with schema_diff. BigQuery
      errors on a time outside the window, but the emulator returns no rows instead, so the window is checked
      here first: var dbt_incident_time_travel_hours (default 168; set it to the dataset's
      max_time_travel_hours, which is read from the dataset options only on BigQuery itself). -#}
  {%- set m = 'schema_diff_as_of' -%}
  {%- set relation = dbt_incident._check_relation(m, relation) -%}
  {%- if as_of_time is none -%}
    {{ dbt_incident._fail(m, 'as_of_time', "must be a UTC time 'YYYY-MM-DD HH:MM:SS'", as_of_time) }}
  {%- endif -%}
  {%- set moment = dbt_incident._resolve_reference_time(m, as_of_time, 'as_of_time') -%}
  {%- set hours = dbt_incident._check_int(m, 'dbt_incident_time_travel_hours', dbt_incident._get_config_var('time_travel_hours'), 1, 168) -%}
  {%- set now = modules.datetime.datetime.now(modules.pytz.utc).replace(tzinfo=none, microsecond=0) -%}
  {%- set oldest = now - modules.datetime.timedelta(hours=hours) -%}
  {%- if moment < oldest or moment > now -%}
    {{ exceptions.raise_compiler_error("dbt_incident.schema_diff_as_of: argument 'as_of_time' value '" ~ moment ~ "' is outside the time-travel window of " ~ relation ~ ": " ~ hours ~ " hours (" ~ (hours / 24) | round(1) ~ " days), from " ~ oldest ~ " to " ~ now ~ " UTC (var dbt_incident_time_travel_hours; BigQuery's default is 168)") }}
  {%- endif -%}
  {%- if not execute -%}{{ return('select 1') }}{%- endif -%}
  {%- set past = adapter.get_columns_in_select_sql("select * from " ~ relation ~ " for system_time as of timestamp '" ~ moment.strftime('%Y-%m-%d %H:%M:%S') ~ "+00' limit 0") -%}
  {%- if past | length == 0 -%}
    {{ exceptions.raise_compiler_error("dbt_incident.schema_diff_as_of: " ~ relation ~ " did not exist at " ~ moment ~ " UTC (no columns from FOR SYSTEM_TIME AS OF)") }}
  {%- endif -%}
  {%- set expected = [] -%}
  {%- for column in past -%}
    {%- do expected.append({'name': column.name, 'data_type': column.data_type}) -%}
  {%- endfor -%}
  {{ return(dbt_incident.schema_diff(relation, expected=expected)) }}
{% endmacro %}
