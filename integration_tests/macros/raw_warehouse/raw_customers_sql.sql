{#-
  SELECT for raw customers: ids 1..customer_count, all signed up before the history window (so every
  event and order has a known customer), delivered as a daily full snapshot loaded 30 minutes ago.
-#}
{% macro raw_customers_sql(as_of, history_days, load_timestamp, customer_count) %}
    with spine as (
        {{ raw_integer_spine(customer_count) }}
    ),

    drawn as (
        select
            n as customer_id,
            {{ raw_pseudo_random('n', 21, 900) }} + {{ history_days + 1 }} as signed_up_days_ago,
            {{ raw_pseudo_random('n', 22, 100) }} as country_draw
        from spine
    )

    select
        customer_id,
        {{ dbt.concat(["'Customer '", 'cast(customer_id as ' ~ dbt.type_string() ~ ')']) }} as customer_name,
        {{ dbt.concat(["'customer_'", 'cast(customer_id as ' ~ dbt.type_string() ~ ')', "'@example.com'"]) }} as email,
        case
            when country_draw < 35 then 'US'
            when country_draw < 55 then 'GB'
            when country_draw < 70 then 'DE'
            when country_draw < 82 then 'FR'
            when country_draw < 92 then 'CA'
            else 'AU'
        end as country,
        cast({{ dbt.dateadd('day', '-signed_up_days_ago', "cast('" ~ as_of ~ "' as date)") }} as date) as signup_date,
        {{ dbt.dateadd('minute', -30, load_timestamp) }} as _loaded_at
    from drawn
{% endmacro %}
