{#-
  SELECT for raw orders, partitioned by `order_date`; status follows the order's age (recent orders are
  placed or shipped, older ones delivered or returned, 6 % cancelled), amount is 5.00-199.99.
  Scenarios: column_renamed delivers `amount` as `amount_usd`; stale_source stops the feed 3 days before
  `incident_as_of` (the last batch arrived 3 days ago); duplicate_rows re-delivers the partition of 2 days
  ago an hour ago (a backfill that appended instead of replacing); new_status_value adds the unknown
  status `pending_payment` to 5 % of the latest partition.
-#}
{% macro raw_orders_sql(calendar, scenario, load_timestamp, customer_count) %}
    {%- set days = [] -%}
    {%- for day in calendar if not (scenario == 'stale_source' and day.days_ago < 3) -%}
        {%- do days.append({'date': day.date, 'ordinal': day.ordinal, 'days_ago': day.days_ago,
                            'row_count': day.orders, 'loaded_minutes_ago': day.days_ago * 1440 + 20}) -%}
        {%- if scenario == 'duplicate_rows' and day.days_ago == 2 -%}
            {%- do days.append({'date': day.date, 'ordinal': day.ordinal, 'days_ago': day.days_ago,
                                'row_count': day.orders, 'loaded_minutes_ago': 60}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set max_rows = days | map(attribute='row_count') | max -%}
    {%- set amount_column = 'amount_usd' if scenario == 'column_renamed' else 'amount' -%}
    with days as (
        {{ raw_days_relation(days) }}
    ),

    spine as (
        {{ raw_integer_spine(max_rows) }}
    ),

    keyed as (
        select
            days.day_key * 10000 + spine.n as order_id,
            days.day_date as order_date,
            days.days_ago,
            days.loaded_minutes_ago
        from days
        inner join spine on spine.n <= days.row_count
    ),

    drawn as (
        select
            keyed.*,
            {{ raw_pseudo_random('order_id', 11, 86400) }} as second_of_day,
            {{ raw_pseudo_random('order_id', 12, customer_count) }} + 1 as customer_id,
            {{ raw_pseudo_random('order_id', 13, 100) }} as status_draw,
            {{ raw_pseudo_random('order_id', 14, 19500) }} as amount_cents
        from keyed
    )

    select
        order_id,
        customer_id,
        order_date,
        {{ dbt.dateadd('second', 'second_of_day', 'cast(order_date as ' ~ dbt.type_timestamp() ~ ')') }} as ordered_at,
        case
            when status_draw < 6 then 'cancelled'
            {%- if scenario == 'new_status_value' %}
            when days_ago = 0 and status_draw >= 95 then 'pending_payment'
            {%- endif %}
            when days_ago <= 1 then case when status_draw < 60 then 'placed' else 'shipped' end
            when days_ago <= 4 then case when status_draw < 50 then 'shipped' else 'delivered' end
            else case when status_draw < 93 then 'delivered' else 'returned' end
        end as status,
        cast((amount_cents + 500) / 100.0 as numeric(12, 2)) as {{ amount_column }},
        {{ dbt.dateadd('minute', '-loaded_minutes_ago', load_timestamp) }} as _loaded_at
    from drawn
{% endmacro %}
