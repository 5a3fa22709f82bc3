{#- The columns of a relation as rows (relation_name, column_name, column_name_lower, data_type,
    ordinal_position), read through the adapter's metadata API and emitted as literals, so the same SQL runs on
    every warehouse without information_schema. -#}
{% macro schema_snapshot(relation) %}
  {{ return(adapter.dispatch('schema_snapshot', 'dbt_incident')(relation)) }}
{% endmacro %}

{% macro default__schema_snapshot(relation) %}
  {%- set relation = dbt_incident._check_relation('schema_snapshot', relation) -%}
  {%- set columns = dbt_incident._relation_columns('schema_snapshot', relation) -%}
  {{ return(dbt_incident._columns_as_rows(relation | string, columns)) }}
{% endmacro %}

{#- Literal rows of a column list ({name, data_type, position}); typed empty select when there are none. -#}
{% macro _columns_as_rows(relation_name, columns) %}
  {%- set text = dbt.type_string() -%}
  {%- set rows = [] -%}
  {%- for column in columns -%}
    {%- do rows.append("select cast(" ~ dbt_incident._string_literal(relation_name) ~ " as " ~ text ~ ") as relation_name, cast("
        ~ dbt_incident._string_literal(column.name) ~ " as " ~ text ~ ") as column_name, cast("
        ~ dbt_incident._string_literal(column.name | lower) ~ " as " ~ text ~ ") as column_name_lower, cast("
        ~ (dbt_incident._string_literal(column.data_type | lower) if column.data_type else 'null') ~ " as " ~ text ~ ") as data_type, "
        ~ (column.position or loop.index) ~ " as ordinal_position") -%}
  {%- endfor -%}
  {%- if not rows -%}
    {{ return("select cast(null as " ~ text ~ ") as relation_name, cast(null as " ~ text ~ ") as column_name, cast(null as " ~ text ~ ") as column_name_lower, cast(null as " ~ text ~ ") as data_type, 0 as ordinal_position where 1 = 0") }}
  {%- endif -%}
  {{ return(rows | join('\nunion all ')) }}
{% endmacro %}
