{{ dbt_incident.distinct_profile(ref('diag_events'), ['status', 'Mixed Case Amount'], partition_column='event_date', days=1, as_of='2026-11-30', baseline_days=6, top_n=2) }}
