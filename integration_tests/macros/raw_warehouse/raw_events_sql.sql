{#-
  SELECT for raw events: one row per tracked event, `event_date` is the daily partition.
  Keys are day ordinal * 100000 + row number, so they are stable for a date whatever `incident_as_of` is.
  Scenarios: volume_drop keeps 1 % of the latest partition; null_spike nulls customer_id on 85 % of it.
-#}
{% macro raw_events_sql(calendar, scenario, load_timestamp, customer_count) %}
    {%- set days = [] -%}
    {%- for day in calendar -%}
        {%- set rows = day.events -%}
        {%- if scenario == 'volume_drop' and day.days_ago == 0 -%}
            {%- set rows = (day.events / 100) | int -%}
        {%- endif -%}
        {%- do days.append({'date': day.date, 'ordinal': day.ordinal, 'days_ago': day.days_ago,
                            'row_count': rows, 'loaded_minutes_ago': day.days_ago * 1440 + 20}) -%}
    {%- endfor -%}
    {%- set max_rows = days | map(attribute='row_count') | max -%}
    with days as (
        {{ raw_days_relation(days) }}
    ),

    spine as (
        {{ raw_integer_spine(max_rows) }}
    ),

    keyed as (
        select
            days.day_key * 100000 + spine.n as event_id,
            days.day_date as event_date,
            days.days_ago,
            days.loaded_minutes_ago
        from days
        inner join spine on spine.n <= days.row_count
    ),

    drawn as (
        select
            keyed.*,
            {{ raw_pseudo_random('event_id', 1, 86400) }} as second_of_day,
            {{ raw_pseudo_random('event_id', 2, customer_count) }} + 1 as drawn_customer_id,
            {{ raw_pseudo_random('event_id', 3, 100) }} as type_draw,
            {{ raw_pseudo_random('event_id', 4, 3) }} as device_draw,
            {{ raw_pseudo_random('event_id', 5, 100) }} as null_draw
        from keyed
    )

    select
        event_id,
        event_date,
        {{ dbt.dateadd('second', 'second_of_day', 'cast(event_date as ' ~ dbt.type_timestamp() ~ ')') }} as event_at,
        {%- if scenario == 'null_spike' %}
        case when days_ago = 0 and null_draw < 85 then null else drawn_customer_id end as customer_id,
        {%- else %}
        drawn_customer_id as customer_id,
        {%- endif %}
        case
            when type_draw < 62 then 'page_view'
            when type_draw < 80 then 'search'
            when type_draw < 91 then 'add_to_cart'
            when type_draw < 97 then 'checkout'
            else 'purchase'
        end as event_type,
        case device_draw when 0 then 'web' when 1 then 'ios' else 'android' end as device,
        {{ dbt.dateadd('minute', '-loaded_minutes_ago', load_timestamp) }} as _loaded_at
    from drawn
{% endmacro %}
