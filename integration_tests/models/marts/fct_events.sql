{#- BigQuery's partition_by dict; dbt-duckdb reads partition_by as a DuckLake column list, so only there. -#}
{{ config(
    materialized='incremental',
    unique_key='event_id',
    partition_by=({'field': 'event_date', 'data_type': 'date'} if target.type == 'bigquery' else none),
    on_schema_change='fail',
) }}

select
    event_id,
    event_date,
    event_at,
    customer_id,
    event_type,
    device,
    loaded_at
from {{ ref('stg_events') }}
{% if is_incremental() %}
-- Reprocess the last three partitions on every run: late events land in days already loaded.
where event_date >= (select cast({{ dbt.dateadd('day', -2, 'max(event_date)') }} as date) from {{ this }})
{% endif %}
