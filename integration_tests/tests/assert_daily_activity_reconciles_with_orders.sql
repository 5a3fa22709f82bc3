-- The executive dashboard's daily numbers (fct_daily_activity) must carry every order and every cent of
-- net revenue of fct_orders, day by day: a join that fans out, or a day dropped by the union of event and
-- order dates, shows up here as one row per day that disagrees.
with dashboard as (
    select activity_date, orders, net_revenue
    from {{ ref('fct_daily_activity') }}
),

orders as (
    select order_date as activity_date, count(*) as orders, sum(net_revenue) as net_revenue
    from {{ ref('fct_orders') }}
    group by order_date
)

select
    coalesce(dashboard.activity_date, orders.activity_date) as activity_date,
    dashboard.orders as dashboard_orders,
    orders.orders as fact_orders,
    dashboard.net_revenue as dashboard_net_revenue,
    orders.net_revenue as fact_net_revenue
from dashboard
full outer join orders on dashboard.activity_date = orders.activity_date
where coalesce(dashboard.orders, 0) <> coalesce(orders.orders, 0)
    or coalesce(dashboard.net_revenue, 0) <> coalesce(orders.net_revenue, 0)
