{#- A scan grouped by partition: per partition (UTC day, ISO week's Monday or first of the month, see
    _partition_key), the row count and the non-null count of each column in `chosen` (column dicts from
    _nested_columns, same order as null_counts uses them; none: row counts only). Returns the SQL of a query with
    columns partition_date (date), row_count, non_null_1 ... non_null_<n>, one row per non-empty partition of
    [start, end) (UTC dates). Bounds are literals on the raw partition column, so the warehouse prunes
    partitions; `where` is the user's predicate, already checked. incident_profile's one read of its window, and
    the counted scan of the row history (_partition_row_counts). -#}
{% macro _partition_scan(relation, column, chosen, start, end, where, granularity='day') %}
  {%- set non_null = dbt_incident._non_null_expressions(chosen or [], column) -%}
  {%- set sql -%}
    select {{ dbt_incident._partition_key(column, granularity) }} as partition_date, count(*) as row_count
    {%- for expression in non_null %},
        {{ expression }} as non_null_{{ loop.index }}
    {%- endfor %}
    from {{ relation }}
    where {{ dbt_incident._partition_filter(column, start, end) }}
    {%- if where %}
      and ({{ where }})
    {%- endif %}
    group by 1
  {%- endset -%}
  {{ return(sql) }}
{% endmacro %}

{#- Literal rows as SQL: `rows` (lists of SQL literals, in the order of `names`) as a union of one-row selects
    in a subquery (portable: BigQuery has no VALUES). The first row casts each cell to `types[name]`, so the
    union takes those types; with no rows, an empty result of the same columns and types (filtered in a
    subquery: BigQuery refuses WHERE without FROM). -#}
{% macro _literal_rows(names, types, rows) %}
  {%- if not rows -%}
    {%- set cells = [] -%}
    {%- for name in names -%}{%- do cells.append('cast(null as ' ~ types[name] ~ ') as ' ~ name) -%}{%- endfor -%}
    {{ return('select * from (select ' ~ cells | join(', ') ~ ') as no_rows where ' ~ names[0] ~ ' is not null') }}
  {%- endif -%}
  {%- set selects = [] -%}
  {%- for row in rows -%}
    {%- set cells = [] -%}
    {%- for name in names -%}
      {%- set value = row[loop.index0] | string -%}
      {%- do cells.append(('cast(' ~ value ~ ' as ' ~ types[name] ~ ')' if selects | length == 0 else value) ~ ' as ' ~ name) -%}
    {%- endfor -%}
    {%- do selects.append('select ' ~ cells | join(', ')) -%}
  {%- endfor -%}
  {{ return('select * from (\n    ' ~ selects | join('\n    union all ') ~ '\n) as literal_rows') }}
{% endmacro %}

{#- The (partition_date, row_count) rows of a _partition_scan result (records: dicts from _records,
    partition_date as 'YYYY-MM-DD') as literal SQL, so that the row history reads them instead of the table. -#}
{% macro _partition_scan_rows(records) %}
  {%- set rows = [] -%}
  {%- for record in records -%}
    {%- set day = dbt_incident._parse_date('incident_profile', 'partition_date', record.partition_date) -%}
    {%- do rows.append([dbt_incident._date_literal(day), record.row_count | int]) -%}
  {%- endfor -%}
  {{ return(dbt_incident._literal_rows(['partition_date', 'row_count'], {'partition_date': 'date', 'row_count': dbt.type_bigint()}, rows)) }}
{% endmacro %}

{#- null_counts' per-column counts from a partition scan's records: one literal row per column of `chosen` (the
    scan's columns, same order) with column_index, column_name, row_count, null_count (window: partitions on or
    after window_start, a datetime.date) and baseline_row_count, baseline_null_count (the partitions before it);
    null_count = row_count - non_null_<i>. A window or baseline with no rows counts 0. -#}
{% macro _partition_scan_column_counts(records, chosen, window_start) %}
  {%- set totals = {1: {'row_count': 0}, 0: {'row_count': 0}} -%}
  {%- for record in records -%}
    {%- set side = totals[1 if dbt_incident._parse_date('incident_profile', 'partition_date', record.partition_date) >= window_start else 0] -%}
    {%- do side.update({'row_count': side.row_count + (record.row_count | int)}) -%}
    {%- for c in chosen -%}
      {%- set name = 'non_null_' ~ loop.index -%}
      {%- do side.update({name: side.get(name, 0) + (record[name] | int)}) -%}
    {%- endfor -%}
  {%- endfor -%}
  {%- set rows = [] -%}
  {%- for c in chosen -%}
    {%- set name = 'non_null_' ~ loop.index -%}
    {%- do rows.append([loop.index, dbt_incident._string_literal(c.name),
                        totals[1].row_count, totals[1].row_count - totals[1].get(name, 0),
                        totals[0].row_count, totals[0].row_count - totals[0].get(name, 0)]) -%}
  {%- endfor -%}
  {%- set bigint = dbt.type_bigint() -%}
  {%- set types = {'column_index': dbt.type_int(), 'column_name': dbt.type_string(), 'row_count': bigint,
                   'null_count': bigint, 'baseline_row_count': bigint, 'baseline_null_count': bigint} -%}
  {{ return(dbt_incident._literal_rows(['column_index', 'column_name', 'row_count', 'null_count', 'baseline_row_count', 'baseline_null_count'], types, rows)) }}
{% endmacro %}
