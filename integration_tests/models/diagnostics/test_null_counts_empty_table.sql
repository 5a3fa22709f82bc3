{{ dbt_incident.null_counts(ref('diag_empty'), partition_column='event_date', days=1, as_of='2026-11-30', baseline_days=3) }}
