{#- History of the columns of the watched relations, one snapshot per dbt run, so that a schema change can be
    diffed between two runs on any warehouse (schema_diff(..., from_history=true), the schema_unchanged test).
    Opt-in: list the models (names) or sources ('source_name.table_name') to watch in the var
    `dbt_incident_schema_watch`; the model is disabled while the list is empty. -#}
{%- set watched = dbt_incident._get_config_var('schema_watch') -%}
{{ config(materialized='incremental', enabled=(watched | length > 0), on_schema_change='append_new_columns') }}
{%- set relations = [] -%}
{%- for name in watched -%}
  {%- if '.' in name -%}
    {%- do relations.append((name, source(name.split('.')[0], name.split('.', 1)[1]))) -%}
  {%- else -%}
    {%- do relations.append((name, ref(name))) -%}
  {%- endif -%}
{%- endfor -%}
{%- set snapshot_at = dbt_incident._timestamp_literal(run_started_at.replace(tzinfo=none, microsecond=0)) %}
{%- for name, relation in relations %}
select
    {{ snapshot_at }} as snapshot_at,
    cast({{ dbt_incident._string_literal(invocation_id) }} as {{ dbt.type_string() }}) as invocation_id,
    cast({{ dbt_incident._string_literal(name) }} as {{ dbt.type_string() }}) as watched_name,
    snapshot.*
from (
    {{ dbt_incident.schema_snapshot(relation) if execute else dbt_incident._columns_as_rows(relation | string, []) }}
) as snapshot
{%- if not loop.last %}
union all
{%- endif %}
{%- endfor %}
