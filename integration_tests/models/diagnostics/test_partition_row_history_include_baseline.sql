{# incident_profile's view: the latest day against the six before it, every day of the window returned. #}
{{ dbt_incident.partition_row_history(ref('diag_events'), 'event_date', days=1, as_of='2026-11-30', baseline_days=6, include_baseline=true) }}
