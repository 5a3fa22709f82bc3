{#- The playbook's MAX(updated_at): newest value of var('dbt_incident_timestamp_column') and its lag (UTC). -#}
{%- set relation = dbt_incident._analysis_relation('freshness') -%}
{%- if relation is none -%}
{{ dbt_incident._analysis_usage('freshness', ', dbt_incident_timestamp_column: updated_at') }}
{%- else -%}
{{ dbt_incident.freshness(relation, var('dbt_incident_timestamp_column')) }}
{%- endif %}
