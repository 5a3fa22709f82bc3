{{ dbt_incident.partition_row_history(ref('diag_events'), 'event_date', days=7, as_of='2026-11-30', baseline_days=7) }}
