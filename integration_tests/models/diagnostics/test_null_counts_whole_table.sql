-- no partition column: the whole table, every column, no baseline; an all-null column is flagged
{{ dbt_incident.null_counts(ref('diag_events')) }}
