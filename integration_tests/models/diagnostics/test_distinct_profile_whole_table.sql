{{ dbt_incident.distinct_profile(ref('diag_events'), ['status', 'Mixed Case Amount'], where="event_date >= '2026-11-28'", top_n=2) }}
