{#- The relation an analysis of this package targets: var('dbt_incident_model') (a model, source
    'source_name.table_name' or relation string), resolved like incident_profile does. none when the var is not
    set, so a plain `dbt compile` of a project that installs the package never fails on these analyses. -#}
{% macro _analysis_relation(analysis_name) %}
  {%- set name = var('dbt_incident_model', none) -%}
  {%- if name is none or not execute -%}{{ return(none) }}{%- endif -%}
  {{ return(dbt_incident._resolve_relation(analysis_name, name).relation) }}
{% endmacro %}

{% macro _analysis_usage(analysis_name, extra_vars) %}
  {{ return("-- dbt_incident analysis " ~ analysis_name ~ ": compile it for your table with\n-- dbt compile --select " ~ analysis_name ~ " --vars '{dbt_incident_model: fct_orders" ~ extra_vars ~ "}'\n-- then run target/compiled/dbt_incident/analyses/" ~ analysis_name ~ ".sql in your warehouse.\nselect 1 as set_the_vars_above") }}
{% endmacro %}
