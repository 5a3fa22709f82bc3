{{ dbt_incident.partition_row_history(ref('diag_empty'), 'event_date', days=3, as_of='2026-11-30', baseline_days=2) }}
