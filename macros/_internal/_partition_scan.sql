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

{#- The (partition_date, row_count) rows of a _partition_scan result (records: dicts from _records,
    partition_date as 'YYYY-MM-DD') as SQL literals, so that the row history reads them instead of the table: a
    union of one-row selects (portable: no VALUES, which BigQuery lacks), wrapped in a subquery with a FROM so
    that an empty result can be expressed with a WHERE (BigQuery refuses WHERE without FROM). -#}
{% macro _partition_scan_rows(records) %}
  {%- set names = ['row_count'] -%}
  {%- set bigint = dbt.type_bigint() -%}
  {%- set rows = [] -%}
  {%- for record in records -%}
    {%- set day = dbt_incident._parse_date('incident_profile', 'partition_date', record.partition_date) -%}
    {%- set cells = [dbt_incident._date_literal(day) ~ ' as partition_date'] -%}
    {%- for name in names -%}
      {%- set value = record[name] | int -%}
      {%- do cells.append(('cast(' ~ value ~ ' as ' ~ bigint ~ ')' if rows | length == 0 else value | string) ~ ' as ' ~ name) -%}
    {%- endfor -%}
    {%- do rows.append('select ' ~ cells | join(', ')) -%}
  {%- endfor -%}
  {%- if not rows -%}
    {%- set cells = ['cast(null as date) as partition_date'] -%}
    {%- for name in names -%}{%- do cells.append('cast(null as ' ~ bigint ~ ') as ' ~ name) -%}{%- endfor -%}
    {{ return('select * from (select ' ~ cells | join(', ') ~ ') as no_partitions where row_count is not null') }}
  {%- endif -%}
  {{ return('select * from (\n    ' ~ rows | join('\n    union all ') ~ '\n) as scanned_partitions') }}
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
  {%- set bigint = dbt.type_bigint() -%}
  {%- set rows = [] -%}
  {%- for c in chosen -%}
    {%- set name = 'non_null_' ~ loop.index -%}
    {%- set counts = {'row_count': totals[1].row_count, 'null_count': totals[1].row_count - totals[1].get(name, 0),
                      'baseline_row_count': totals[0].row_count, 'baseline_null_count': totals[0].row_count - totals[0].get(name, 0)} -%}
    {%- set cells = [loop.index ~ ' as column_index', dbt_incident._string_literal(c.name) ~ ' as column_name'] -%}
    {%- for key in ['row_count', 'null_count', 'baseline_row_count', 'baseline_null_count'] -%}
      {#- the first row carries the types; the others' plain integer literals follow them -#}
      {%- do cells.append(('cast(' ~ counts[key] ~ ' as ' ~ bigint ~ ')' if rows | length == 0 else counts[key] | string) ~ ' as ' ~ key) -%}
    {%- endfor -%}
    {%- do rows.append('select ' ~ cells | join(', ')) -%}
  {%- endfor -%}
  {%- if not rows -%}
    {#- no columns: one placeholder row with column_index 0, which null_counts' final select leaves out -#}
    {{ return('select 0 as column_index, cast(null as ' ~ dbt.type_string() ~ ') as column_name, cast(0 as ' ~ bigint ~ ') as row_count, cast(0 as ' ~ bigint ~ ') as null_count, cast(0 as ' ~ bigint ~ ') as baseline_row_count, cast(0 as ' ~ bigint ~ ') as baseline_null_count') }}
  {%- endif -%}
  {{ return(rows | join('\n    union all ')) }}
{% endmacro %}
