{{ config(materialized='table') }}

-- One row per day: the numbers on the executive KPI dashboard.
with events as (
    select
        event_date as activity_date,
        count(*) as events,
        count(distinct customer_id) as active_customers,
        sum(case when event_type = 'purchase' then 1 else 0 end) as purchase_events
    from {{ ref('fct_events') }}
    group by event_date
),

orders as (
    select
        order_date as activity_date,
        count(*) as orders,
        sum(net_revenue) as net_revenue
    from {{ ref('fct_orders') }}
    group by order_date
),

days as (
    select activity_date from events
    union distinct
    select activity_date from orders
)

select
    days.activity_date,
    coalesce(events.events, 0) as events,
    coalesce(events.active_customers, 0) as active_customers,
    coalesce(events.purchase_events, 0) as purchase_events,
    coalesce(orders.orders, 0) as orders,
    coalesce(orders.net_revenue, 0) as net_revenue
from days
left join events on days.activity_date = events.activity_date
left join orders on days.activity_date = orders.activity_date
