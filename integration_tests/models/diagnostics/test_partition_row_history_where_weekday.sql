-- `where` is honoured and weekday seasonality compares 2026-11-30 (a Monday) with the Mondays before it
{{ dbt_incident.partition_row_history(ref('diag_events'), 'event_date', days=1, as_of='2026-11-30', baseline_days=14, where="status <> 'refunded'", seasonality='weekday') }}
