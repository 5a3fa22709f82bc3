-- 2026-11-30 against the six days before it; a mixed-case, spaced column name found case-insensitively
{{ dbt_incident.null_counts(ref('diag_events'), ['status', 'mixed case amount', 'always_null'], partition_column='event_date', days=1, as_of='2026-11-30', baseline_days=6) }}
