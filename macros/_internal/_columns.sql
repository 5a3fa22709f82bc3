{#- Column introspection through the adapter (no information_schema SQL), guarded by `execute` so that
    nothing touches the database at parse time. -#}

{#- kind of a column from its data type: date, timestamp (naive, read as UTC), timestamptz, other. -#}
{% macro _column_kind(data_type) %}
  {%- set t = (data_type or '') | lower -%}
  {%- if t == 'date' -%}{{ return('date') }}
  {%- elif 'with time zone' in t or t.startswith('timestamptz') -%}{{ return('timestamptz') }}
  {%- elif t.startswith('timestamp') or t.startswith('datetime') -%}{{ return('timestamp') }}
  {%- endif -%}
  {{ return('other') }}
{% endmacro %}

{#- `name` quoted as an identifier by the adapter's quote character, with that character escaped inside it
    (doubled for '"', backslash-escaped for BigQuery's '`'): adapter.quote does not escape, so a column named
    `a "b"` would otherwise end its quotes early. -#}
{% macro _quote_column(name) %}
  {%- set mark = adapter.quote('x')[0] -%}
  {%- if mark == '"' -%}
    {{ return('"' ~ name.replace('"', '""') ~ '"') }}
  {%- elif mark == '`' -%}
    {{ return('`' ~ name.replace('\\', '\\\\').replace('`', '\\`') ~ '`') }}
  {%- endif -%}
  {{ return(adapter.quote(name)) }}
{% endmacro %}

{#- Every column of `relation` as {name, quoted, data_type, kind, position}; [] at parse time. A relation
    that does not exist (no columns) is an error naming the macro. -#}
{% macro _relation_columns(macro_name, relation) %}
  {%- if not execute -%}{{ return([]) }}{%- endif -%}
  {%- set found = [] -%}
  {%- for column in adapter.get_columns_in_relation(relation) -%}
    {%- do found.append({
      'name': column.name,
      'quoted': dbt_incident._quote_column(column.name),
      'data_type': column.data_type,
      'kind': dbt_incident._column_kind(column.data_type),
      'position': loop.index,
    }) -%}
  {%- endfor -%}
  {%- if found | length == 0 -%}
    {{ exceptions.raise_compiler_error("dbt_incident." ~ macro_name ~ ": relation " ~ relation ~ " does not exist or has no columns") }}
  {%- endif -%}
  {{ return(found) }}
{% endmacro %}

{#- The column named `name` (compared case-insensitively) of `relation`; a compiler error naming the macro,
    the argument, the column and the relation when it does not exist or is not of an allowed kind.
    At parse time a placeholder (quoted as given, kind date) is returned. -#}
{% macro _find_column(macro_name, argument, relation, name, columns=none, kinds=none) %}
  {%- set name = dbt_incident._check_string(macro_name, argument, name) -%}
  {%- if not execute -%}
    {{ return({'name': name, 'quoted': adapter.quote(name), 'data_type': 'date', 'kind': 'date', 'position': 0}) }}
  {%- endif -%}
  {%- set columns = columns if columns is not none else dbt_incident._relation_columns(macro_name, relation) -%}
  {%- for column in columns if column.name | lower == name | lower -%}
    {%- if kinds and column.kind not in kinds -%}
      {{ exceptions.raise_compiler_error("dbt_incident." ~ macro_name ~ ": argument '" ~ argument ~ "' column '" ~ column.name ~ "' of " ~ relation ~ " has type " ~ column.data_type ~ "; expected a " ~ (kinds | join(' or ')) ~ " column") }}
    {%- endif -%}
    {{ return(column) }}
  {%- endfor -%}
  {%- set pseudo = dbt_incident._pseudo_column(relation, name) -%}
  {%- if pseudo is not none and (not kinds or pseudo.kind in kinds) -%}{{ return(pseudo) }}{%- endif -%}
  {{ exceptions.raise_compiler_error("dbt_incident." ~ macro_name ~ ": argument '" ~ argument ~ "' names column '" ~ name ~ "', which does not exist in " ~ relation ~ " (columns: " ~ (columns | map(attribute='name') | join(', '))[:500] ~ ")") }}
{% endmacro %}

{#- The columns named in `names` (none: every column), in the order given. -#}
{% macro _find_columns(macro_name, argument, relation, names) %}
  {%- set names = dbt_incident._check_column_names(macro_name, argument, names) -%}
  {%- set columns = dbt_incident._relation_columns(macro_name, relation) -%}
  {%- if names is none -%}{{ return(columns) }}{%- endif -%}
  {%- set chosen = [] -%}
  {%- for name in names -%}
    {%- do chosen.append(dbt_incident._find_column(macro_name, argument, relation, name, columns if execute else none)) -%}
  {%- endfor -%}
  {{ return(chosen) }}
{% endmacro %}
