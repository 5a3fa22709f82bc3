select
    event_id,
    event_date,
    event_at,
    customer_id,
    event_type,
    device,
    _loaded_at as loaded_at
from {{ source('raw', 'events') }}
