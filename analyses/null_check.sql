{#- The playbook's "check for nulls in critical columns": null count and proportion of
    var('dbt_incident_columns') (default every column) on the latest day, against the days before it. -#}
{%- set relation = dbt_incident._analysis_relation('null_check') -%}
{%- if relation is none -%}
{{ dbt_incident._analysis_usage('null_check', ', dbt_incident_partition_column: order_date, dbt_incident_columns: [customer_id]') }}
{%- else -%}
{{ dbt_incident.null_counts(relation, var('dbt_incident_columns', none), var('dbt_incident_partition_column', none)) }}
{%- endif %}
