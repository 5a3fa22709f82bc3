{#- The relation a generic test runs on, and its `where` config. When a test has a `where` config, dbt hands
    the test `(select * from <relation> where <where>) dbt_subquery` instead of the relation; the diagnostics
    need the relation itself (its columns, and date bounds on its raw partition column), so we take the
    relation back out of that string and apply `where` ourselves. -#}
{% macro _test_target(test_name, model) %}
  {%- set where = config.get('where') if config is defined else none -%}
  {%- if model is not string and model.identifier is defined -%}
    {{ return({'relation': model, 'where': where}) }}
  {%- endif -%}
  {%- set text = model | string -%}
  {%- set match = modules.re.fullmatch('[(]select [*] from (.+?) where (.*)[)] dbt_subquery', text.strip(), modules.re.S) -%}
  {%- if not match -%}
    {{ exceptions.raise_compiler_error("dbt_incident." ~ test_name ~ ": cannot find the relation under test in " ~ text[:200]) }}
  {%- endif -%}
  {%- set parts = modules.re.findall('["`\\[]([^"`\\]]+)["`\\]]', match.group(1)) or match.group(1).split('.') -%}
  {%- set identifier = parts[-1] -%}
  {%- set schema = parts[-2] if parts | length >= 2 else target.schema -%}
  {%- set database = parts[-3] if parts | length >= 3 else target.database -%}
  {{ return({'relation': api.Relation.create(database=database, schema=schema, identifier=identifier), 'where': where or match.group(2)}) }}
{% endmacro %}

{#- A duration ('30 minutes', '6 hours', '2 days', or a number of seconds) in seconds. -#}
{% macro _duration_seconds(macro_name, argument, value) %}
  {%- if value is number and value is not boolean and value > 0 -%}{{ return(value | int) }}{%- endif -%}
  {%- set match = modules.re.fullmatch('\\s*([0-9]+)\\s*(second|minute|hour|day|week)s?\\s*', value | lower) if value is string else none -%}
  {%- if not match or match.group(1) | int == 0 -%}
    {{ dbt_incident._fail(macro_name, argument, "must be a positive duration such as '6 hours' (second, minute, hour, day, week) or a number of seconds", value) }}
  {%- endif -%}
  {%- set unit = {'second': 1, 'minute': 60, 'hour': 3600, 'day': 86400, 'week': 604800}[match.group(2)] -%}
  {{ return(match.group(1) | int * unit) }}
{% endmacro %}
