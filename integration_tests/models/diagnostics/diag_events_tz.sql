-- diag_events with event_at as timestamp with time zone, written at UTC+02:00
select status, cast(cast(event_at as {{ dbt.type_string() }}) || '+02:00' as timestamp with time zone) as event_at_tz
from {{ ref('diag_events') }}
