-- The latest partition of fct_events (the day var('incident_as_of')) must hold at least half as many
-- events as the same weekday one week earlier. A missing or truncated load passes every column test
-- and freshness check (the loader did run), so it is caught here, before the dashboard shows the dip.
{%- set as_of = modules.datetime.datetime.strptime(var('incident_as_of') | string, '%Y-%m-%d').date() -%}
{%- set week_before = as_of - modules.datetime.timedelta(days=7) %}

with latest as (
    select count(*) as events
    from {{ ref('fct_events') }}
    where event_date = cast('{{ as_of.isoformat() }}' as date)
),

baseline as (
    select count(*) as events
    from {{ ref('fct_events') }}
    where event_date = cast('{{ week_before.isoformat() }}' as date)
)

select
    cast('{{ as_of.isoformat() }}' as date) as partition_date,
    latest.events as latest_events,
    baseline.events as baseline_events
from latest
cross join baseline
where latest.events < 0.5 * baseline.events
