-- as_of a date means the end of that day: newest 2026-11-30 11:30 is 12.5 hours (45000 s) old
{{ dbt_incident.freshness(ref('diag_events'), 'event_at', as_of='2026-11-30') }}
