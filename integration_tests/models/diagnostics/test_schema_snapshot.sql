{{ dbt_incident.schema_snapshot(ref('diag_events')) }}
