{#- The incident scenario the loader injects, read from var('incident_scenario'); none means healthy. -#}
{% macro raw_incident_scenario() %}
    {%- set known = ['volume_drop', 'null_spike', 'column_renamed', 'stale_source', 'duplicate_rows', 'new_status_value'] -%}
    {%- set scenario = var('incident_scenario', none) -%}
    {%- if scenario in [none, '', 'none', 'null', 'healthy'] -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if scenario not in known -%}
        {{ exceptions.raise_compiler_error(
            "load_raw_warehouse: var 'incident_scenario' must be null or one of " ~ known | join(', ')
            ~ "; got '" ~ scenario ~ "'") }}
    {%- endif -%}
    {{ return(scenario) }}
{% endmacro %}
