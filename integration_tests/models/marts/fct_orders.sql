{{ config(materialized='table') }}

select
    order_id,
    customer_id,
    order_date,
    ordered_at,
    status,
    amount,
    case when status in ('cancelled', 'returned') then 0 else amount end as net_revenue,
    country,
    customer_order_number,
    customer_order_number = 1 as is_first_order
from {{ ref('int_orders_enriched') }}
