{#- run-operation entry point: what does the data of one model look like right now?
    dbt run-operation incident_profile --args '{model: fct_orders, partition_column: order_date, days: 7, critical_columns: [customer_id, amount]}'
    Runs partition_row_history, null_counts, distinct_profile and freshness on the resolved relation and prints
    readable tables (format: text), one JSON document between markers (format: json), or the SQL it would run
    without running it (format: sql). -#}
{% macro incident_profile(model, partition_column=none, days=none, critical_columns=none, distinct_columns=none, timestamp_column=none, as_of=none, baseline_days=none, granularity=none, where=none, version=none, format='text') %}
  {{ return(adapter.dispatch('incident_profile', 'dbt_incident')(model, partition_column, days, critical_columns, distinct_columns, timestamp_column, as_of, baseline_days, granularity, where, version, format)) }}
{% endmacro %}

{% macro _profile_markers() %}
  {{ return({'begin': '-- dbt_incident:profile:begin --', 'end': '-- dbt_incident:profile:end --'}) }}
{% endmacro %}

{#- How the profile reads the table. With a partition column, day granularity and no baseline_days, the plan is
    `shared`: one _partition_scan of the window (the `days` partitions, every critical column) feeds both the row
    history and the null counts, which compare the latest null_window_days partitions with the rest of the
    window, so the profile reads only its window, once. Otherwise (baseline_days given: the row history's
    baseline is that many partitions before the window; or week/month granularity) each diagnostic runs its own
    query. `partition` is the partition column's dict (_find_column), or none. Returns {shared, null_days,
    baseline_days (of the row history), scan_sql, chosen (the scanned columns, in order), null_window_start
    (date: the first of the latest null_days partitions)}. -#}
{% macro _profile_plan(relation, partition, days, critical_columns, as_of, baseline_days, granularity, where) %}
  {%- set null_days = [dbt_incident._check_int('incident_profile', "var 'dbt_incident_null_window_days'", dbt_incident._get_config_var('null_window_days'), 1, 3660), days] | min -%}
  {%- set shared = partition is not none and baseline_days is none and granularity == 'day' -%}
  {%- set plan = {'shared': shared, 'null_days': null_days, 'scan_sql': none, 'chosen': [],
                  'baseline_days': days - null_days if shared else (baseline_days if baseline_days is not none else dbt_incident._get_config_var('baseline_days'))} -%}
  {%- if shared -%}
    {%- set chosen = dbt_incident._nested_columns(relation, dbt_incident._find_columns('incident_profile', 'critical_columns', relation, critical_columns)) -%}
    {%- set bounds = dbt_incident._window_bounds(as_of, days, 0, 'day') -%}
    {%- do plan.update({'scan_sql': dbt_incident._partition_scan(relation, partition, chosen, bounds.window_start, bounds.window_end, where), 'chosen': chosen,
                        'null_window_start': dbt_incident._window_bounds(as_of, null_days, 0, 'day').window_start}) -%}
  {%- endif -%}
  {{ return(plan) }}
{% endmacro %}

{#- The SQL of each section (an ordered list of (section, sql)) for a resolved relation and its plan. In a shared
    plan, row history and null counts read `scan_rows` (the scan's result records) as literal rows when given
    (_partition_scan_rows, _partition_scan_column_counts); without them (format sql) each section is printed as
    the standalone query that reads the table itself. -#}
{% macro _profile_queries(relation, partition_column, days, critical_columns, distinct_columns, timestamp_column, as_of, granularity, where, plan, scan_rows=none) %}
  {%- set queries = [] -%}
  {%- set null_days = plan.null_days -%}
  {%- if plan.shared -%}
    {#- without scan_rows (format sql) the counts stay none: each section reads the table itself -#}
    {%- set row_counts = dbt_incident._partition_scan_rows(scan_rows) if scan_rows is not none else none -%}
    {%- set column_counts = dbt_incident._partition_scan_column_counts(scan_rows, plan.chosen, plan.null_window_start) if scan_rows is not none else none -%}
    {%- do queries.append(('row_history', 'select * from (' ~ dbt_incident.partition_row_history(relation, partition_column, null_days, as_of, 'day', where, days - null_days, none, none, none, true, row_counts) ~ '\n) as row_history order by partition_date')) -%}
    {%- do queries.append(('null_counts', 'select * from (' ~ dbt_incident.null_counts(relation, critical_columns, partition_column, null_days, as_of, where, days - null_days, column_counts) ~ '\n) as null_counts order by column_index')) -%}
  {%- elif partition_column is not none -%}
    {%- do queries.append(('row_history', 'select * from (' ~ dbt_incident.partition_row_history(relation, partition_column, days, as_of, granularity, where, plan.baseline_days) ~ '\n) as row_history order by partition_date')) -%}
    {%- do queries.append(('null_counts', 'select * from (' ~ dbt_incident.null_counts(relation, critical_columns, partition_column, null_days, as_of, where, days - null_days) ~ '\n) as null_counts order by column_index')) -%}
  {%- else -%}
    {%- do queries.append(('null_counts', 'select * from (' ~ dbt_incident.null_counts(relation, critical_columns, none, none, none, where) ~ '\n) as null_counts order by column_index')) -%}
  {%- endif -%}
  {%- if distinct_columns and partition_column is not none -%}
    {%- do queries.append(('distinct_profile', 'select * from (' ~ dbt_incident.distinct_profile(relation, distinct_columns, partition_column, null_days, as_of, where, days - null_days) ~ '\n) as distinct_profile order by column_index, window_rank, value_status, value')) -%}
  {%- elif distinct_columns -%}
    {%- do queries.append(('distinct_profile', 'select * from (' ~ dbt_incident.distinct_profile(relation, distinct_columns, none, none, none, where) ~ '\n) as distinct_profile order by column_index, window_rank, value_status, value')) -%}
  {%- endif -%}
  {%- if timestamp_column is not none -%}
    {%- set window = days + (0 if plan.shared else plan.baseline_days) if partition_column is not none else none -%}
    {%- do queries.append(('freshness', dbt_incident.freshness(relation, timestamp_column, dbt_incident._profile_reference(as_of), where, partition_column, window))) -%}
  {%- endif -%}
  {{ return(queries) }}
{% endmacro %}

{#- The freshness reference of a profile: the end of the as_of day when as_of is given, else now. -#}
{% macro _profile_reference(as_of) %}
  {{ return(as_of.strftime('%Y-%m-%d') if as_of is not none else none) }}
{% endmacro %}

{% macro default__incident_profile(model, partition_column, days, critical_columns, distinct_columns, timestamp_column, as_of, baseline_days, granularity, where, version, format) %}
  {%- set m = 'incident_profile' -%}
  {%- set format = dbt_incident._check_choice(m, 'format', format, ['text', 'json', 'sql']) -%}
  {%- set days = dbt_incident._check_int(m, 'days', days if days is not none else dbt_incident._get_config_var('days'), 1, 3660) -%}
  {%- set critical_columns = dbt_incident._check_column_names(m, 'critical_columns', critical_columns) -%}
  {%- set distinct_columns = dbt_incident._check_column_names(m, 'distinct_columns', distinct_columns) -%}
  {%- set partition_column = dbt_incident._check_string(m, 'partition_column', partition_column, allow_none=true) -%}
  {%- set timestamp_column = dbt_incident._check_string(m, 'timestamp_column', timestamp_column, allow_none=true) -%}
  {%- set as_of_date = dbt_incident._resolve_as_of(m, as_of) -%}
  {#- Every argument is checked here, before any query runs, with errors naming incident_profile: the one-scan
      plan runs its scan before the diagnostics that would check them again. -#}
  {%- set where = dbt_incident._check_where(m, where) -%}
  {%- set baseline_days = dbt_incident._check_int(m, 'baseline_days', baseline_days, 1, 3660) if baseline_days is not none else none -%}
  {%- set granularity = dbt_incident._check_choice(m, 'granularity', granularity or dbt_incident._get_config_var('granularity'), ['day', 'week', 'month']) -%}
  {%- if not execute -%}{{ return('') }}{%- endif -%}
  {%- set target_info = dbt_incident._resolve_relation(m, model, version) -%}
  {%- set relation = target_info.relation -%}
  {%- set columns = dbt_incident._relation_columns(m, relation) -%}
  {%- set partition = none -%}
  {%- if partition_column is not none -%}
    {%- set partition = dbt_incident._find_column(m, 'partition_column', relation, partition_column, columns, kinds=['date', 'timestamp', 'timestamptz']) -%}
    {#- A date partition column says little about freshness (midnight); a timestamp one is the best default. -#}
    {%- if timestamp_column is none and partition.kind != 'date' -%}{%- set timestamp_column = partition.name -%}{%- endif -%}
  {%- endif -%}
  {%- set plan = dbt_incident._profile_plan(relation, partition, days, critical_columns, as_of_date, baseline_days, granularity, where) -%}
  {%- set markers = dbt_incident._profile_markers() -%}
  {%- if format == 'sql' -%}
    {%- set queries = dbt_incident._profile_queries(relation, partition_column, days, critical_columns, distinct_columns, timestamp_column, as_of_date, granularity, where, plan) -%}
    {%- if plan.shared -%}{%- set queries = [('partition_scan', plan.scan_sql)] + queries -%}{%- endif -%}
    {%- for section, sql in queries -%}
      {%- set note = '-- standalone: incident_profile computes this from the rows of partition_scan, without reading the table again\n' if plan.shared and section in ['row_history', 'null_counts'] else '' -%}
      {%- do print('-- dbt_incident:profile:sql:' ~ section ~ ' --\n' ~ note ~ sql ~ '\n-- dbt_incident:profile:sql:end --') -%}
    {%- endfor -%}
    {{ return('') }}
  {%- endif -%}
  {%- set document = {
    'format_version': 1,
    'model': model,
    'resolved_as': target_info.resolved_as,
    'unique_id': target_info.unique_id,
    'relation': relation | string,
    'as_of': as_of_date.isoformat(),
    'days': days,
    'baseline_days': plan.baseline_days if partition_column is not none else none,
    'row_history_baseline': ('window' if plan.shared else 'before') if partition_column is not none else none,
    'null_window_days': plan.null_days if partition_column is not none else none,
    'granularity': granularity,
    'partition_column': partition_column,
    'timestamp_column': timestamp_column,
    'columns': columns | map(attribute='name') | list,
    'column_types': {},
    'row_history': none,
    'null_counts': none,
    'distinct_profile': none,
    'freshness': none,
    'maximum_bytes_billed': dbt_incident._maximum_bytes_billed(),
    'cost': {},
  } -%}
  {%- for column in columns -%}{%- do document.column_types.update({column.name: column.data_type}) -%}{%- endfor -%}
  {%- set scan_rows = none -%}
  {%- if plan.shared -%}
    {%- set scan = dbt_incident._run_diagnostic('partition_scan', plan.scan_sql, relation) -%}
    {%- do document.cost.update({'partition_scan': dbt_incident._diagnostic_cost(scan)}) -%}
    {%- set scan_rows = scan.records -%}
  {%- endif -%}
  {%- set queries = dbt_incident._profile_queries(relation, partition_column, days, critical_columns, distinct_columns, timestamp_column, as_of_date, granularity, where, plan, scan_rows) -%}
  {%- for section, sql in queries -%}
    {%- set result = dbt_incident._run_diagnostic(section, sql, relation) -%}
    {%- set records = result.records -%}
    {%- do document.update({section: records[0] if section == 'freshness' and records else records}) -%}
    {%- do document.cost.update({section: dbt_incident._diagnostic_cost(result)}) -%}
  {%- endfor -%}
  {%- if format == 'json' -%}
    {%- do print(markers.begin ~ '\n' ~ tojson(document, sort_keys=true) ~ '\n' ~ markers.end) -%}
  {%- else -%}
    {%- do print(dbt_incident._profile_text(document)) -%}
  {%- endif -%}
  {{ return('') }}
{% endmacro %}

{#- The `cost` entry of one diagnostic: its _run_diagnostic result's bytes (null where not reported). -#}
{% macro _diagnostic_cost(result) %}
  {{ return({'bytes_processed': result.bytes_processed, 'bytes_billed': result.bytes_billed, 'bytes_estimate': result.bytes_estimate}) }}
{% endmacro %}

{#- An agate table as a list of dicts with JSON-safe values (numbers, strings, ISO dates, null). -#}
{% macro _records(table) %}
  {%- set records = [] -%}
  {%- for row in table.rows -%}
    {%- set record = {} -%}
    {%- for name in table.column_names -%}
      {%- do record.update({name: dbt_incident._json_value(row[name])}) -%}
    {%- endfor -%}
    {%- do records.append(record) -%}
  {%- endfor -%}
  {{ return(records) }}
{% endmacro %}

{% macro _json_value(value) %}
  {%- if value is none or value is boolean or value is string -%}{{ return(value) }}
  {%- elif value is number -%}
    {%- if value == value | int -%}{{ return(value | int) }}{%- endif -%}
    {{ return(value | float) }}
  {%- elif value.isoformat is defined -%}{{ return(value.isoformat()) }}
  {%- endif -%}
  {{ return(value | string) }}
{% endmacro %}

{#- A fixed-width table of records (a list of dicts) for the console. -#}
{% macro _text_table(records, columns) %}
  {%- set widths = {} -%}
  {%- for name in columns -%}
    {%- set cells = [name | length] -%}
    {%- for record in records -%}{%- do cells.append(((record[name] if record[name] is not none else '') | string) | length) -%}{%- endfor -%}
    {%- do widths.update({name: [cells | max, 40] | min}) -%}
  {%- endfor -%}
  {%- set lines = [] -%}
  {%- set header = [] -%}{%- set rule = [] -%}
  {%- for name in columns -%}{%- do header.append(name.ljust(widths[name])) -%}{%- do rule.append('-' * widths[name]) -%}{%- endfor -%}
  {%- set lines = [header | join('  '), rule | join('  ')] -%}
  {%- for record in records -%}
    {%- set cells = [] -%}
    {%- for name in columns -%}
      {%- set cell = ((record[name] if record[name] is not none else '') | string)[:widths[name]] -%}
      {%- do cells.append(cell.rjust(widths[name]) if record[name] is number else cell.ljust(widths[name])) -%}
    {%- endfor -%}
    {%- do lines.append(cells | join('  ')) -%}
  {%- endfor -%}
  {{ return(lines | join('\n')) }}
{% endmacro %}

{% macro _profile_text(document) %}
  {%- set parts = ['incident_profile of ' ~ document.model ~ ' (' ~ document.relation ~ '), as of ' ~ document.as_of ~ ', ' ~ document.days ~ ' partition(s)'] -%}
  {%- if document.row_history is not none -%}
    {%- if document.row_history_baseline == 'window' -%}
      {%- do parts.append('\nRow count per partition (' ~ document.partition_column ~ ') against the ' ~ document.baseline_days ~ ' partition(s) of the window before the latest ' ~ document.null_window_days ~ ':') -%}
    {%- else -%}
      {%- do parts.append('\nRow count per partition (' ~ document.partition_column ~ ') against the ' ~ document.baseline_days ~ ' partitions before the window:') -%}
    {%- endif -%}
    {%- do parts.append(dbt_incident._text_table(document.row_history, ['partition_date', 'row_count', 'baseline_mean', 'baseline_median', 'ratio_to_baseline', 'deviation_percent', 'flag'])) -%}
  {%- endif -%}
  {%- if document.null_counts is not none -%}
    {%- do parts.append('\nNulls per column' ~ (' (latest ' ~ document.null_window_days ~ ' partition(s) against the rest of the window)' if document.partition_column else ' (whole table)') ~ ':') -%}
    {%- do parts.append(dbt_incident._text_table(document.null_counts, ['column_name', 'row_count', 'null_count', 'null_proportion', 'baseline_null_proportion', 'flag'])) -%}
  {%- endif -%}
  {%- if document.distinct_profile is not none -%}
    {%- do parts.append('\nDistinct values (top, new and vanished' ~ (', latest ' ~ document.null_window_days ~ ' partition(s) against the rest of the window' if document.partition_column else ', whole table') ~ '):') -%}
    {%- do parts.append(dbt_incident._text_table(document.distinct_profile, ['column_name', 'distinct_count', 'baseline_distinct_count', 'value', 'value_status', 'window_count', 'baseline_count'])) -%}
  {%- endif -%}
  {%- if document.freshness is not none -%}
    {%- do parts.append('\nFreshness (UTC):') -%}
    {%- do parts.append(dbt_incident._text_table([document.freshness], ['timestamp_column', 'newest_value', 'reference_time', 'lag_seconds', 'row_count'])) -%}
  {%- endif -%}
  {%- set cost = [] -%}
  {%- for section, bytes in document.cost.items() -%}{%- set row = {'diagnostic': section} -%}{%- do row.update(bytes) -%}{%- do cost.append(row) -%}{%- endfor -%}
  {%- if cost | selectattr('bytes_processed', 'ne', none) | list or cost | selectattr('bytes_estimate', 'ne', none) | list -%}
    {%- do parts.append('\nBytes per diagnostic (bytes_estimate: upper bound checked against dbt_incident_maximum_bytes_billed = ' ~ document.maximum_bytes_billed ~ '):') -%}
    {%- do parts.append(dbt_incident._text_table(cost, ['diagnostic', 'bytes_processed', 'bytes_billed', 'bytes_estimate'])) -%}
  {%- elif cost -%}
    {%- do parts.append('\nBytes per diagnostic: not reported by the ' ~ target.type ~ ' adapter.') -%}
  {%- endif -%}
  {{ return(parts | join('\n')) }}
{% endmacro %}
