{#- Null count, row count and null proportion per column in the window, and the same over the baseline
    partitions before it: every column in one scan of the table (conditional counts, then an unpivot of the
    one aggregated row per window/baseline; on DuckDB the window and the baseline are two scans of disjoint
    literal ranges, see _null_counts_split_scan). column_counts (internal, used by incident_profile): SQL returning
    one row per column (column_index, column_name, row_count, null_count, baseline_row_count,
    baseline_null_count) already counted (see _partition_scan_column_counts); when given, the table is not read
    and only the proportions and flags are computed. -#}
{% macro null_counts(relation, columns=none, partition_column=none, days=none, as_of=none, where=none, baseline_days=none, column_counts=none) %}
  {{ return(adapter.dispatch('null_counts', 'dbt_incident')(relation, columns, partition_column, days, as_of, where, baseline_days, column_counts)) }}
{% endmacro %}

{% macro default__null_counts(relation, columns, partition_column, days, as_of, where, baseline_days, column_counts) %}
  {%- set m = 'null_counts' -%}
  {%- set relation = dbt_incident._check_relation(m, relation) -%}
  {%- set where = dbt_incident._check_where(m, where) -%}
  {%- set chosen = dbt_incident._nested_columns(relation, dbt_incident._find_columns(m, 'columns', relation, columns)) -%}
  {%- set partitioned = partition_column is not none -%}
  {%- if partitioned -%}
    {%- set days = dbt_incident._check_int(m, 'days', days if days is not none else dbt_incident._get_config_var('null_window_days'), 1, 3660) -%}
    {%- set baseline_days = dbt_incident._check_int(m, 'baseline_days', baseline_days if baseline_days is not none else dbt_incident._get_config_var('null_baseline_days'), 0, 3660) -%}
    {%- set as_of = dbt_incident._resolve_as_of(m, as_of) -%}
    {%- set column = dbt_incident._find_column(m, 'partition_column', relation, partition_column, kinds=['date', 'timestamp', 'timestamptz']) -%}
    {%- set bounds = dbt_incident._window_bounds(as_of, days, baseline_days, 'day') -%}
  {%- endif -%}
  {%- set spike_ratio = dbt_incident._get_config_var('null_spike_ratio') -%}
  {%- set spike_increase = dbt_incident._get_config_var('null_spike_min_increase') -%}
  {%- set proportion = 'null_count * 1.0 / nullif(row_count, 0)' -%}
  {%- set baseline_proportion = 'baseline_null_count * 1.0 / nullif(baseline_row_count, 0)' %}
{%- set non_null = dbt_incident._non_null_expressions(chosen, column if partitioned else none) -%}
{%- set extra = ' and (' ~ where ~ ')' if where else '' %}
with
{%- if column_counts %}
summed as (
    {{ column_counts }}
)
{%- else %}
scanned as (
    {%- if partitioned and dbt_incident._null_counts_split_scan() %}
    {#- two ungrouped aggregates over the window and over the baseline (disjoint literal ranges): no hash table -#}
    {%- for part in [{'in_window': 1, 'start': bounds.window_start, 'end': bounds.window_end}, {'in_window': 0, 'start': bounds.baseline_start, 'end': bounds.window_start}] %}
    select
        {{ part.in_window }} as in_window,
        count(*) as row_count
        {%- for c in chosen %},
        {{ non_null[loop.index0] }} as non_null_{{ loop.index }}
        {%- endfor %}
    from {{ relation }}
    where {{ dbt_incident._partition_filter(column, part.start, part.end) }}{{ extra }}
    {%- if loop.first %}
    union all
    {%- endif %}
    {%- endfor %}
    {%- else %}
    select
        {% if partitioned -%}
        case when {{ column.quoted }} >= {{ dbt_incident._date_literal(bounds.window_start, column.kind) }} then 1 else 0 end as in_window,
        {%- else -%}
        1 as in_window,
        {%- endif %}
        count(*) as row_count
        {%- for c in chosen %},
        {{ non_null[loop.index0] }} as non_null_{{ loop.index }}
        {%- endfor %}
    from {{ relation }}
    where {% if partitioned %}{{ dbt_incident._partition_filter(column, bounds.baseline_start, bounds.window_end) }}{% else %}1 = 1{% endif %}{{ extra }}
    group by 1
    {%- endif %}
),

column_list as (
    {{ dbt_incident._column_list(chosen) if chosen else "select 0 as column_index, cast(null as " ~ dbt.type_string() ~ ") as column_name" }}
),

unpivoted as (
    select
        column_list.column_index,
        scanned.in_window,
        scanned.row_count,
        scanned.row_count - case column_list.column_index
            {%- for c in chosen %}
            when {{ loop.index }} then scanned.non_null_{{ loop.index }}
            {%- endfor %}
            {%- if not chosen %} when 0 then 0{% endif %}
        end as null_count
    from scanned
    cross join column_list
),

summed as (
    select
        column_list.column_index,
        column_list.column_name,
        cast(coalesce(sum(case when unpivoted.in_window = 1 then unpivoted.row_count end), 0) as {{ dbt.type_bigint() }}) as row_count,
        cast(coalesce(sum(case when unpivoted.in_window = 1 then unpivoted.null_count end), 0) as {{ dbt.type_bigint() }}) as null_count,
        {% if partitioned -%}
        cast(coalesce(sum(case when unpivoted.in_window = 0 then unpivoted.row_count end), 0) as {{ dbt.type_bigint() }}) as baseline_row_count,
        cast(coalesce(sum(case when unpivoted.in_window = 0 then unpivoted.null_count end), 0) as {{ dbt.type_bigint() }}) as baseline_null_count
        {%- else -%}
        cast(null as {{ dbt.type_bigint() }}) as baseline_row_count,
        cast(null as {{ dbt.type_bigint() }}) as baseline_null_count
        {%- endif %}
    from column_list
    left join unpivoted on unpivoted.column_index = column_list.column_index
    group by column_list.column_index, column_list.column_name
)
{%- endif %}

select
    column_index,
    column_name,
    row_count,
    null_count,
    {{ dbt_incident.dbt_incident_round(proportion, 4) }} as null_proportion,
    baseline_row_count,
    baseline_null_count,
    {{ dbt_incident.dbt_incident_round(baseline_proportion, 4) }} as baseline_null_proportion,
    case
        when row_count = 0 then 'empty'
        when null_count = row_count and coalesce({{ baseline_proportion }}, 0) < 1 then 'all_null'
        when {{ baseline_proportion }} is not null
            and {{ proportion }} > {{ spike_ratio }} * {{ baseline_proportion }}
            and {{ proportion }} - {{ baseline_proportion }} >= {{ spike_increase }} then 'spike'
        else 'ok'
    end as flag
from summed
where column_index > 0
{%- endmacro %}

{#- Whether null_counts scans the window and the baseline as two ungrouped aggregates (true) or one aggregate
    grouped by in_window (false). DuckDB prunes each literal range with its zone maps and an ungrouped
    aggregate needs no hash table (50M rows, 21 columns: 0.28 s against 0.33 s, benchmarks/diagnostics.py);
    elsewhere one pass is the safer default (PostgreSQL without an index would read the table twice). -#}
{% macro _null_counts_split_scan() %}
  {{ return(adapter.dispatch('_null_counts_split_scan', 'dbt_incident')()) }}
{% endmacro %}

{% macro default___null_counts_split_scan() %}
  {{ return(false) }}
{% endmacro %}

{% macro duckdb___null_counts_split_scan() %}
  {{ return(true) }}
{% endmacro %}

{#- The non-null count expression of each column in `chosen` (a list, same order): count(c) (see
    _non_null_count), except for partition_column (a column dict or none), which the partition filter already
    keeps non-null, so count(*) answers it without reading the column again. -#}
{% macro _non_null_expressions(chosen, partition_column) %}
  {%- set expressions = [] -%}
  {%- for c in chosen -%}
    {%- do expressions.append('count(*)' if partition_column is not none and c.name == partition_column.name else dbt_incident._non_null_count(c)) -%}
  {%- endfor -%}
  {{ return(expressions) }}
{% endmacro %}
