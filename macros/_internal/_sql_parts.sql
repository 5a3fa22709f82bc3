{#- Small overridable SQL building blocks: literals, the partition key, the partition filter, the spine.
    Each is dispatched so that an adapter (BigQuery) can replace just the piece that differs. -#}

{% macro _string_literal(value) %}
  {{ return("'" ~ dbt.escape_single_quotes(value | string) ~ "'") }}
{% endmacro %}

{#- A literal of `day` (datetime.date) typed like the column it is compared with (date, timestamp, timestamptz). -#}
{% macro _date_literal(day, kind='date') %}
  {{ return(adapter.dispatch('_date_literal', 'dbt_incident')(day, kind)) }}
{% endmacro %}

{% macro default___date_literal(day, kind) %}
  {%- if kind == 'timestamptz' -%}
    {{ return("cast('" ~ day.strftime('%Y-%m-%d') ~ " 00:00:00+00' as timestamp with time zone)") }}
  {%- elif kind == 'timestamp' -%}
    {{ return("cast('" ~ day.strftime('%Y-%m-%d') ~ " 00:00:00' as " ~ dbt.type_timestamp() ~ ")") }}
  {%- endif -%}
  {{ return("cast('" ~ day.strftime('%Y-%m-%d') ~ "' as date)") }}
{% endmacro %}

{#- A UTC timestamp literal (naive timestamp holding UTC) for a datetime. -#}
{% macro _timestamp_literal(moment) %}
  {{ return(adapter.dispatch('_timestamp_literal', 'dbt_incident')(moment)) }}
{% endmacro %}

{% macro default___timestamp_literal(moment) %}
  {{ return("cast('" ~ moment.strftime('%Y-%m-%d %H:%M:%S') ~ "' as " ~ dbt.type_timestamp() ~ ")") }}
{% endmacro %}

{#- `column` (from _find_column) as a naive UTC timestamp. -#}
{% macro _as_utc_timestamp(column) %}
  {{ return(adapter.dispatch('_as_utc_timestamp', 'dbt_incident')(column)) }}
{% endmacro %}

{% macro default___as_utc_timestamp(column) %}
  {%- if column.kind == 'timestamptz' -%}
    {{ return("(" ~ column.quoted ~ " at time zone 'UTC')") }}
  {%- elif column.kind == 'date' -%}
    {{ return("cast(" ~ column.quoted ~ " as " ~ dbt.type_timestamp() ~ ")") }}
  {%- endif -%}
  {{ return(column.quoted) }}
{% endmacro %}

{#- The partition a row belongs to, as a date (UTC day, ISO week's Monday, or first of the month). -#}
{% macro _partition_key(column, granularity='day') %}
  {{ return(adapter.dispatch('_partition_key', 'dbt_incident')(column, granularity)) }}
{% endmacro %}

{% macro default___partition_key(column, granularity) %}
  {%- set expression = column.quoted if column.kind == 'date' else dbt_incident._as_utc_timestamp(column) -%}
  {%- if granularity != 'day' -%}
    {%- set expression = dbt.date_trunc(granularity, expression) -%}
  {%- elif column.kind == 'date' -%}
    {{ return(expression) }}
  {%- endif -%}
  {{ return("cast(" ~ expression ~ " as date)") }}
{% endmacro %}

{#- `start <= column < end` on the raw column, with literals of the column's own type. -#}
{% macro _partition_filter(column, start, end) %}
  {{ return(adapter.dispatch('_partition_filter', 'dbt_incident')(column, start, end)) }}
{% endmacro %}

{% macro default___partition_filter(column, start, end) %}
  {{ return(column.quoted ~ " >= " ~ dbt_incident._date_literal(start, column.kind) ~ " and " ~ column.quoted ~ " < " ~ dbt_incident._date_literal(end, column.kind)) }}
{% endmacro %}

{#- One row per partition of `bounds.partitions`: partition_date, in_window (1/0), partition_weekday
    (ISO, Monday=1). Built from literals so it runs anywhere, with no generate_series. -#}
{% macro _date_spine(bounds) %}
  {{ return(adapter.dispatch('_date_spine', 'dbt_incident')(bounds)) }}
{% endmacro %}

{% macro default___date_spine(bounds) %}
  {%- set rows = [] -%}
  {%- for partition in bounds.partitions -%}
    {%- do rows.append("select " ~ dbt_incident._date_literal(partition.start) ~ " as partition_date, " ~ (1 if partition.in_window else 0) ~ " as in_window, " ~ partition.weekday ~ " as partition_weekday") -%}
  {%- endfor -%}
  {{ return(rows | join('\n    union all ')) }}
{% endmacro %}

{#- The list of columns as literal rows: column_index, column_name. -#}
{% macro _column_list(columns) %}
  {%- set rows = [] -%}
  {%- for column in columns -%}
    {%- do rows.append("select " ~ loop.index ~ " as column_index, " ~ dbt_incident._string_literal(column.name) ~ " as column_name") -%}
  {%- endfor -%}
  {{ return(rows | join('\n    union all ')) }}
{% endmacro %}
