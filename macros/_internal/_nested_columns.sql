{#- The columns null_counts profiles, with nested fields added where the warehouse has them: chosen (column
    dicts from _find_columns) followed, after each STRUCT column, by one entry per field path ('customer.id',
    quoted `customer`.`id`). default: chosen unchanged (no nested types). -#}
{% macro _nested_columns(relation, chosen) %}
  {{ return(adapter.dispatch('_nested_columns', 'dbt_incident')(relation, chosen)) }}
{% endmacro %}

{% macro default___nested_columns(relation, chosen) %}
  {{ return(chosen) }}
{% endmacro %}

{% macro bigquery___nested_columns(relation, chosen) %}
  {#- Why a BigQuery branch: BigQuery tables have STRUCT (RECORD) columns whose fields can be null on their own,
      and REPEATED (ARRAY) columns. Field paths follow "Specifying nested and repeated columns in table schemas"
      (https://cloud.google.com/bigquery/docs/nested-repeated), the same paths INFORMATION_SCHEMA.COLUMN_FIELD_PATHS
      lists (https://cloud.google.com/bigquery/docs/information-schema-column-field-paths). They are read from
      the table's API schema (tables.get through adapter.get_columns_in_relation, no job, and served by the local
      emulator, which does not serve COLUMN_FIELD_PATHS). Fields under a REPEATED column are left out: they have
      no single value per row to count. -#}
  {%- if not execute -%}{{ return(chosen) }}{%- endif -%}
  {%- set schema = {} -%}
  {%- for column in adapter.get_columns_in_relation(relation) -%}{%- do schema.update({column.name | lower: column}) -%}{%- endfor -%}
  {%- set expanded = [] -%}
  {%- for c in chosen -%}
    {%- do expanded.append(c) -%}
    {%- set column = schema.get(c.name | lower) -%}
    {%- if column is not none and column.fields and column.mode | upper != 'REPEATED' -%}
      {%- do expanded.extend(dbt_incident._bigquery_field_paths([c.name], column.fields)) -%}
    {%- endif -%}
  {%- endfor -%}
  {{ return(expanded) }}
{% endmacro %}

{#- BigQuery: one column dict per field path below `path` (a list of names), depth first; a REPEATED field is
    listed (counted as an array) but not descended into. -#}
{% macro _bigquery_field_paths(path, fields) %}
  {%- set found = [] -%}
  {%- for field in fields -%}
    {%- set names = path + [field.name] -%}
    {%- set data_type = field.data_type -%}
    {%- do found.append({
      'name': names | join('.'),
      'quoted': '`' ~ (names | join('`.`')) ~ '`',
      'data_type': data_type,
      'kind': dbt_incident._column_kind(data_type),
      'position': 0,
    }) -%}
    {%- if field.fields and field.mode | upper != 'REPEATED' -%}
      {%- do found.extend(dbt_incident._bigquery_field_paths(names, field.fields)) -%}
    {%- endif -%}
  {%- endfor -%}
  {{ return(found) }}
{% endmacro %}

{#- The SQL counting the rows where column c has a value. default: count(c). -#}
{% macro _non_null_count(c) %}
  {{ return(adapter.dispatch('_non_null_count', 'dbt_incident')(c)) }}
{% endmacro %}

{% macro default___non_null_count(c) %}
  {{ return('count(' ~ c.quoted ~ ')') }}
{% endmacro %}

{% macro bigquery___non_null_count(c) %}
  {#- Why a BigQuery branch: BigQuery stores no NULL arrays; a REPEATED column written as NULL reads back as an
      empty array ("Working with arrays", https://cloud.google.com/bigquery/docs/arrays, and the ARRAY type's
      NULL semantics, https://cloud.google.com/bigquery/docs/reference/standard-sql/data-types#array_type). So
      an ARRAY column counts as having a value only when array_length(c) > 0: empty arrays are reported as its
      nulls. Other columns, STRUCT field paths included: count(c). -#}
  {%- if (c.data_type | string | upper).startswith('ARRAY<') -%}
    {{ return('countif(array_length(' ~ c.quoted ~ ') > 0)') }}
  {%- endif -%}
  {{ return('count(' ~ c.quoted ~ ')') }}
{% endmacro %}
