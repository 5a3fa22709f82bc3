{#- Per column: distinct count, null count, min and max in the window, and the values worth looking at: the
    top values of the window and of the baseline, the values new in the window (never seen in the baseline)
    and the values that vanished (seen in the baseline, not in the window). One row per (column, value);
    a column with no such value still has one row, with value null. -#}
{% macro distinct_profile(relation, columns, partition_column=none, days=none, as_of=none, where=none, baseline_days=none, top_n=none) %}
  {{ return(adapter.dispatch('distinct_profile', 'dbt_incident')(relation, columns, partition_column, days, as_of, where, baseline_days, top_n)) }}
{% endmacro %}

{#- Min and max are computed on the column's own type (so 9 < 10) when the type is ordered everywhere;
    other types (boolean, structs, arrays) are compared as text. -#}
{% macro _orderable(column) %}
  {%- set t = (column.data_type or '') | lower -%}
  {%- if column.kind != 'other' -%}{{ return(true) }}{%- endif -%}
  {%- for prefix in ['int', 'bigint', 'smallint', 'tinyint', 'hugeint', 'numeric', 'decimal', 'double', 'float', 'real', 'number', 'varchar', 'text', 'char', 'string', 'character', 'ubigint', 'uinteger', 'usmallint', 'utinyint'] -%}
    {%- if t.startswith(prefix) -%}{{ return(true) }}{%- endif -%}
  {%- endfor -%}
  {{ return(false) }}
{% endmacro %}

{% macro default__distinct_profile(relation, columns, partition_column, days, as_of, where, baseline_days, top_n) %}
  {%- set m = 'distinct_profile' -%}
  {%- set relation = dbt_incident._check_relation(m, relation) -%}
  {%- set where = dbt_incident._check_where(m, where) -%}
  {%- set top_n = dbt_incident._check_int(m, 'top_n', top_n if top_n is not none else dbt_incident._get_config_var('top_n'), 1, 1000) -%}
  {%- set chosen = dbt_incident._find_columns(m, 'columns', relation, dbt_incident._check_column_names(m, 'columns', columns, allow_none=false)) -%}
  {%- set partitioned = partition_column is not none -%}
  {%- set text = dbt.type_string() -%}
  {%- if partitioned -%}
    {%- set days = dbt_incident._check_int(m, 'days', days if days is not none else dbt_incident._get_config_var('null_window_days'), 1, 3660) -%}
    {%- set baseline_days = dbt_incident._check_int(m, 'baseline_days', baseline_days if baseline_days is not none else dbt_incident._get_config_var('null_baseline_days'), 0, 3660) -%}
    {%- set as_of = dbt_incident._resolve_as_of(m, as_of) -%}
    {%- set column = dbt_incident._find_column(m, 'partition_column', relation, partition_column, kinds=['date', 'timestamp', 'timestamptz']) -%}
    {%- set bounds = dbt_incident._window_bounds(as_of, days, baseline_days, 'day') -%}
    {%- set in_window = column.quoted ~ ' >= ' ~ dbt_incident._date_literal(bounds.window_start, column.kind) -%}
    {%- set filter = dbt_incident._partition_filter(column, bounds.baseline_start, bounds.window_end) -%}
  {%- else -%}
    {%- set in_window = '1 = 1' -%}
    {%- set filter = '1 = 1' -%}
  {%- endif -%}
  {%- if where -%}{%- set filter = filter ~ ' and (' ~ where ~ ')' -%}{%- endif %}
{#- Cost: one count(*) of the window, one grouped scan per column (typed values, so hashing is cheap; min,
    max and the non-null count come from the groups, not from a second pass over the rows; the baseline count
    is the group's count(*) minus its window count, one conditional per row), then two full sorts of the
    grouped values per column (by window count, by baseline count) and one sort of the new and vanished
    values only. -#}
with window_rows as (
    select count(*) as row_count
    from {{ relation }}
    where {{ filter }} and {{ in_window }}
),

column_list as (
    {{ dbt_incident._column_list(chosen) }}
),

value_counts as (
    {%- for c in chosen %}
    {%- set typed = 'grouped_value' if dbt_incident._orderable(c) else 'cast(grouped_value as ' ~ text ~ ')' %}
    {# group on the column's own type (cheap to hash), cast the few groups to text afterwards #}
    select
        {{ loop.index }} as column_index,
        cast(grouped_value as {{ text }}) as value,
        window_count,
        baseline_count,
        cast(sum(window_count) over () as {{ dbt.type_bigint() }}) as non_null_count,
        cast(min(case when window_count > 0 then {{ typed }} end) over () as {{ text }}) as min_value,
        cast(max(case when window_count > 0 then {{ typed }} end) over () as {{ text }}) as max_value
    from (
        select
            {{ c.quoted }} as grouped_value,
            count(case when {{ in_window }} then 1 end) as window_count,
            {% if partitioned -%}
            count(*) - count(case when {{ in_window }} then 1 end) as baseline_count
            {%- else -%}
            cast(0 as {{ dbt.type_bigint() }}) as baseline_count
            {%- endif %}
        from {{ relation }}
        where {{ filter }} and {{ c.quoted }} is not null
        group by {{ c.quoted }}
    ) as counted_{{ loop.index }}
    {%- if not loop.last %}
    union all{% endif %}
    {%- endfor %}
),

classified as (
    select
        value_counts.*,
        {%- if partitioned %}
        case
            when window_count > 0 and baseline_count = 0 then 'new'
            when window_count = 0 and baseline_count > 0 then 'vanished'
            else 'top'
        end as value_status
        {%- else %}
        {#- no partition column: no baseline, so every value is a top value (a CASE needs a WHEN) #}
        'top' as value_status
        {%- endif %}
    from value_counts
),

ranked as (
    {#- The per-column summary rides along as window aggregates, so value_counts is read once. status_rank
        ranks only the new and the vanished values: the top values all share one constant sort key (their
        status_rank is never used), so that sort costs little unless many values are new or vanished. -#}
    select
        classified.*,
        row_number() over (partition by column_index order by window_count desc, value) as window_rank,
        {%- if partitioned %}
        row_number() over (partition by column_index order by baseline_count desc, value) as baseline_rank,
        row_number() over (partition by column_index, value_status order by
            case when value_status = 'top' then 0 else window_count + baseline_count end desc,
            case when value_status = 'top' then null else value end) as status_rank,
        {%- endif %}
        count(case when window_count > 0 then 1 end) over (partition by column_index) as distinct_count,
        count(case when baseline_count > 0 then 1 end) over (partition by column_index) as baseline_distinct_count,
        count(case when value_status = 'new' then 1 end) over (partition by column_index) as new_value_count,
        count(case when value_status = 'vanished' then 1 end) over (partition by column_index) as vanished_value_count
    from classified
),

shown as (
    select *
    from ranked
    {%- if partitioned %}
    where (value_status = 'top' and (
            (window_count > 0 and window_rank <= {{ top_n }})
            or (baseline_count > 0 and baseline_rank <= {{ top_n }})))
        or (value_status in ('new', 'vanished') and status_rank <= {{ top_n }})
    {%- else %}
    where window_rank <= {{ top_n }}
    {%- endif %}
)

select
    column_list.column_index,
    column_list.column_name,
    window_rows.row_count,
    window_rows.row_count - coalesce(shown.non_null_count, 0) as null_count,
    coalesce(shown.distinct_count, 0) as distinct_count,
    {% if partitioned -%}
    coalesce(shown.baseline_distinct_count, 0) as baseline_distinct_count,
    coalesce(shown.new_value_count, 0) as new_value_count,
    coalesce(shown.vanished_value_count, 0) as vanished_value_count,
    {%- else -%}
    cast(null as {{ dbt.type_bigint() }}) as baseline_distinct_count,
    cast(null as {{ dbt.type_bigint() }}) as new_value_count,
    cast(null as {{ dbt.type_bigint() }}) as vanished_value_count,
    {%- endif %}
    shown.min_value,
    shown.max_value,
    shown.value,
    shown.value_status,
    shown.window_count,
    {% if partitioned %}shown.baseline_count{% else %}cast(null as {{ dbt.type_bigint() }}) as baseline_count{% endif %},
    case when shown.window_count > 0 then shown.window_rank end as window_rank
from column_list
cross join window_rows
left join shown on shown.column_index = column_list.column_index
{%- endmacro %}
