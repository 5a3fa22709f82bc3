-- 11:30 at UTC+02:00 is 09:30 UTC: 14.5 hours (52200 s) before the end of 2026-11-30, per status
{{ dbt_incident.freshness(ref('diag_events_tz'), 'event_at_tz', as_of='2026-12-01 00:00:00', group_by=['status']) }}
