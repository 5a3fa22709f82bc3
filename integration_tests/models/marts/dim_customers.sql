{{ config(materialized='table') }}

with orders as (
    select
        customer_id,
        count(*) as orders,
        sum(net_revenue) as lifetime_revenue,
        min(order_date) as first_order_date,
        max(order_date) as last_order_date
    from {{ ref('fct_orders') }}
    group by customer_id
),

events as (
    select
        customer_id,
        count(*) as events,
        max(event_date) as last_seen_date
    from {{ ref('fct_events') }}
    group by customer_id
)

select
    customers.customer_id,
    customers.customer_name,
    customers.email,
    customers.country,
    customers.signup_date,
    coalesce(orders.orders, 0) as orders,
    coalesce(orders.lifetime_revenue, 0) as lifetime_revenue,
    orders.first_order_date,
    orders.last_order_date,
    coalesce(events.events, 0) as events,
    events.last_seen_date
from {{ ref('stg_customers') }} as customers
left join orders on customers.customer_id = orders.customer_id
left join events on customers.customer_id = events.customer_id
