-- a window (and baseline) before the table's first day: every partition is missing
{{ dbt_incident.partition_row_history(ref('diag_events'), 'EVENT_DATE', days=3, as_of='2026-10-15', baseline_days=2) }}
