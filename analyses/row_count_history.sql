{#- The playbook's "compare to historical" row count query: rows per day over var('dbt_incident_days', 7) days
    ending var('dbt_incident_as_of') (default today, UTC), with the baseline, deviation and flag. -#}
{%- set relation = dbt_incident._analysis_relation('row_count_history') -%}
{%- if relation is none -%}
{{ dbt_incident._analysis_usage('row_count_history', ', dbt_incident_partition_column: order_date') }}
{%- else -%}
{{ dbt_incident.partition_row_history(relation, var('dbt_incident_partition_column')) }}
order by partition_date desc
{%- endif %}
