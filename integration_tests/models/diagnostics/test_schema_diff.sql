-- names compare case-insensitively; a reorder is 'moved', not added/removed
{{ dbt_incident.schema_diff(ref('diag_events'), expected=['event_date', 'STATUS', 'event_at', {'name': 'Mixed Case Amount', 'data_type': 'bigint'}, 'dropped_column']) }}
