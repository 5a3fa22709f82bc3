-- the same history from a timestamp partition column (bounds are timestamp literals on the raw column)
{{ dbt_incident.partition_row_history(ref('diag_events'), 'event_at', days=7, as_of='2026-11-30', baseline_days=7) }}
