{#- The warehouse jobs that failed during the incident window [since, until): one row per failed job with its
    error, statement type, bytes, slot time, destination table and dbt labels. Only BigQuery keeps such a job
    history; other adapters return the same columns with no rows and a note. -#}
{% macro failed_jobs(since=none, until=none, location=none, project=none, limit=none) %}
  {{ return(adapter.dispatch('failed_jobs', 'dbt_incident')(since, until, location, project, limit)) }}
{% endmacro %}

{#- Checks shared by every branch: until defaults to now (UTC), since to 24 hours before until. since and
    until are 'YYYY-MM-DD' (since: start of the day, until: end of the day) or 'YYYY-MM-DD HH:MM[:SS]' UTC.
    Returns {since, until, limit} with naive UTC datetimes. -#}
{% macro _failed_jobs_window(since, until, limit) %}
  {%- set m = 'failed_jobs' -%}
  {%- set until = dbt_incident._resolve_reference_time(m, until, 'until') if until is not none else modules.datetime.datetime.now(modules.pytz.utc).replace(tzinfo=none, microsecond=0) -%}
  {%- if since is none -%}
    {%- set since = until - modules.datetime.timedelta(days=1) -%}
  {%- elif (since is string and modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}', since | trim)) or (since is not string and since.hour is not defined) -%}
    {#- a date as `since` means the start of that day (as `until`, a date means its end) -#}
    {%- set day = dbt_incident._parse_date(m, 'since', since) -%}
    {%- set since = modules.datetime.datetime(day.year, day.month, day.day) -%}
  {%- else -%}
    {%- set since = dbt_incident._resolve_reference_time(m, since, 'since') -%}
  {%- endif -%}
  {%- if since >= until -%}
    {{ dbt_incident._fail(m, 'since', 'must be before until (' ~ until ~ ')', since) }}
  {%- endif -%}
  {%- if (until - since).days > 180 -%}
    {{ dbt_incident._fail(m, 'since', 'must be at most 180 days before until (JOBS keeps 180 days)', since) }}
  {%- endif -%}
  {%- set limit = dbt_incident._check_int(m, 'limit', limit if limit is not none else 1000, 1, 100000) -%}
  {{ return({'since': since, 'until': until, 'limit': limit}) }}
{% endmacro %}

{% macro default__failed_jobs(since, until, location, project, limit) %}
  {%- set window = dbt_incident._failed_jobs_window(since, until, limit) -%}
  {%- set note = 'failed_jobs reads BigQuery INFORMATION_SCHEMA.JOBS; a ' ~ target.type ~ ' target keeps no job history, so there are no rows' -%}
  {%- if execute -%}{{ log('dbt_incident.failed_jobs: ' ~ note, info=true) }}{%- endif %}
select
    cast(null as {{ dbt.type_string() }}) as job_id,
    cast(null as {{ dbt.type_timestamp() }}) as creation_time,
    cast(null as {{ dbt.type_timestamp() }}) as end_time,
    cast(null as {{ dbt.type_string() }}) as user_email,
    cast(null as {{ dbt.type_string() }}) as statement_type,
    cast(null as {{ dbt.type_string() }}) as error_reason,
    cast(null as {{ dbt.type_string() }}) as error_message,
    cast(null as {{ dbt.type_bigint() }}) as total_bytes_processed,
    cast(null as {{ dbt.type_bigint() }}) as total_bytes_billed,
    cast(null as {{ dbt.type_bigint() }}) as total_slot_ms,
    cast(null as {{ dbt.type_string() }}) as destination_table,
    cast(null as {{ dbt.type_string() }}) as dbt_node_id,
    cast(null as {{ dbt.type_string() }}) as labels,
    {{ dbt_incident._string_literal(note) }} as note
where 1 = 0
{%- endmacro %}

{% macro bigquery__failed_jobs(since, until, location, project, limit) %}
  {#- Why a BigQuery branch: BigQuery keeps 180 days of job history in the region-qualified view
      `<project>`.`region-<location>`.INFORMATION_SCHEMA.JOBS (doc: "JOBS view",
      https://cloud.google.com/bigquery/docs/information-schema-jobs). The view is partitioned by
      creation_time, so the window is a pair of literal bounds on that raw column (pruning, and fewer bytes
      billed); error_result is a STRUCT<reason, location, message>; dbt-bigquery's job labels (from the
      query-comment `job-label` option, keys app, dbt_version, profile_name, target_name, node_id, values
      lower-cased with '.' turned into '_') arrive as ARRAY<STRUCT<key, value>>. -#}
  {%- set window = dbt_incident._failed_jobs_window(since, until, limit) -%}
  {%- set project = dbt_incident._check_string('failed_jobs', 'project', project if project is not none else target.project) -%}
  {%- set location = dbt_incident._check_string('failed_jobs', 'location', location if location is not none else (target.location or 'US')) -%}
  {%- if not modules.re.fullmatch('[A-Za-z0-9-]+', location) -%}
    {{ dbt_incident._fail('failed_jobs', 'location', "must be a BigQuery location such as 'US', 'EU' or 'europe-west1'", location) }}
  {%- endif -%}
  {%- set jobs = adapter.quote(project) ~ '.' ~ adapter.quote('region-' ~ location | lower) ~ '.INFORMATION_SCHEMA.JOBS' %}
select
    job_id,
    creation_time,
    end_time,
    user_email,
    statement_type,
    error_result.reason as error_reason,
    error_result.message as error_message,
    total_bytes_processed,
    total_bytes_billed,
    total_slot_ms,
    case when destination_table.table_id is not null
        then concat(destination_table.project_id, '.', destination_table.dataset_id, '.', destination_table.table_id)
    end as destination_table,
    (select label.value from unnest(labels) as label where label.key = 'node_id' limit 1) as dbt_node_id,
    (select string_agg(concat(label.key, '=', label.value), ', ' order by label.key) from unnest(labels) as label) as labels,
    cast(null as string) as note
from {{ jobs }}
where creation_time >= {{ dbt_incident._timestamp_literal(window.since) }}
  and creation_time < {{ dbt_incident._timestamp_literal(window.until) }}
  and error_result is not null
order by creation_time
limit {{ window.limit }}
{%- endmacro %}
