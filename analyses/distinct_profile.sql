{#- Top, new and vanished values of var('dbt_incident_columns') on the latest day against the days before. -#}
{%- set relation = dbt_incident._analysis_relation('distinct_profile') -%}
{%- if relation is none -%}
{{ dbt_incident._analysis_usage('distinct_profile', ', dbt_incident_partition_column: order_date, dbt_incident_columns: [status]') }}
{%- else -%}
{{ dbt_incident.distinct_profile(relation, var('dbt_incident_columns'), var('dbt_incident_partition_column', none)) }}
{%- endif %}
