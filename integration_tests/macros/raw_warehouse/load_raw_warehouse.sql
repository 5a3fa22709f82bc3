{#-
  `dbt run-operation load_raw_warehouse [--vars '{incident_scenario: <name>}']`

  Plays the part of the EL loader: (re)creates the raw tables events, orders and customers in the schema
  `<target schema>_raw`, generated deterministically for the `history_days` days ending at
  var('incident_as_of'), with the incident var('incident_scenario') injected (none = healthy).
  Partition dates are relative to incident_as_of (reproducible); `_loaded_at` is relative to the clock
  at load time (run_started_at, UTC), because `dbt source freshness` compares it with the real clock.
  `fresh_warehouse=true` first drops the dbt target schema too (models, incremental state), so a reused
  PostgreSQL schema or BigQuery dataset starts empty; never on DuckDB's default schema `main`.
-#}
{% macro load_raw_warehouse(history_days=28, customer_count=2500, fresh_warehouse=false) %}
    {%- if history_days is not number or history_days < 21 -%}
        {{ exceptions.raise_compiler_error(
            "load_raw_warehouse: argument 'history_days' must be a whole number >= 21; got '" ~ history_days ~ "'") }}
    {%- endif -%}
    {%- if customer_count is not number or customer_count < 1 -%}
        {{ exceptions.raise_compiler_error(
            "load_raw_warehouse: argument 'customer_count' must be a positive number; got '" ~ customer_count ~ "'") }}
    {%- endif -%}
    {%- set scenario = raw_incident_scenario() -%}
    {%- set as_of = var('incident_as_of') | string -%}
    {%- set calendar = raw_calendar(as_of, history_days) -%}
    {%- set load_timestamp = "cast('" ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S') ~ "' as " ~ dbt.type_timestamp() ~ ")" -%}
    {%- set schema = target.schema ~ '_raw' -%}
    {%- if fresh_warehouse and target.schema != 'main' -%}
        {% do adapter.drop_schema(api.Relation.create(database=target.database, schema=target.schema)) %}
    {%- endif -%}
    {% do adapter.create_schema(api.Relation.create(database=target.database, schema=schema)) %}

    {%- set tables = [
        ('customers', raw_customers_sql(as_of, history_days, load_timestamp, customer_count), none),
        ('orders', raw_orders_sql(calendar, scenario, load_timestamp, customer_count), 'order_date'),
        ('events', raw_events_sql(calendar, scenario, load_timestamp, customer_count), 'event_date'),
    ] -%}
    {%- for name, sql, partition_column in tables -%}
        {%- set relation = api.Relation.create(database=target.database, schema=schema, identifier=name, type='table') -%}
        {% do raw_replace_table(relation, sql, partition_column) %}
        {% do log('load_raw_warehouse: loaded ' ~ relation, info=true) %}
    {%- endfor -%}
    {#- run-operation opens no dbt transaction to commit, but psycopg2 may hold one at the server: end it
        (PostgreSQL only warns when none is in progress). -#}
    {% do run_query('commit') if target.type == 'postgres' %}
    {% do log('load_raw_warehouse: ' ~ history_days ~ ' days ending ' ~ as_of ~ ', scenario '
              ~ (scenario or 'none (healthy)'), info=true) %}
{% endmacro %}
