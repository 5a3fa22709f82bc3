{#- The one place where the package's defaults live. Every default can be overridden with a project var
    named `dbt_incident_<name>` (for example `vars: {dbt_incident_baseline_days: 56}`). -#}
{% macro _config_defaults() %}
  {{ return({
    'as_of': none,
    'days': 7,
    'baseline_days': 28,
    'granularity': 'day',
    'low_ratio': 0.5,
    'high_ratio': 2.0,
    'null_window_days': 1,
    'null_baseline_days': 7,
    'null_spike_ratio': 2.0,
    'null_spike_min_increase': 0.01,
    'top_n': 5,
    'schema_watch': [],
    'time_travel_hours': 168,
    'maximum_bytes_billed': none,
  }) }}
{% endmacro %}

{% macro _get_config_var(name) %}
  {%- set defaults = dbt_incident._config_defaults() -%}
  {%- if name not in defaults -%}
    {{ exceptions.raise_compiler_error("dbt_incident._get_config_var: unknown setting '" ~ name ~ "'; known: " ~ (defaults.keys() | list | join(', '))) }}
  {%- endif -%}
  {{ return(var('dbt_incident_' ~ name, defaults[name])) }}
{% endmacro %}
