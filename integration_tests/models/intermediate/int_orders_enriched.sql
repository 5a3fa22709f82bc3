{{ config(materialized='ephemeral') }}

-- Orders with their customer's attributes and the order's rank in the customer's history.
select
    orders.order_id,
    orders.customer_id,
    orders.order_date,
    orders.ordered_at,
    orders.status,
    orders.amount,
    customers.country,
    customers.signup_date,
    row_number() over (partition by orders.customer_id order by orders.ordered_at, orders.order_id)
        as customer_order_number
from {{ ref('stg_orders') }} as orders
inner join {{ ref('stg_customers') }} as customers
    on orders.customer_id = customers.customer_id
