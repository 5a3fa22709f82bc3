select
    order_id,
    customer_id,
    order_date,
    ordered_at,
    status,
    amount,
    _loaded_at as loaded_at
from {{ source('raw', 'orders') }}
