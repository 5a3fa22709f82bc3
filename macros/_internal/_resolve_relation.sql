{#- Resolve what a user typed into a relation: a model name (through the graph; 'name.v2' or `version` picks a
    version of a versioned model, else its latest version), a source 'source_name.table_name', or a relation
    string 'schema.table' / 'database.schema.table'. Returns {relation, resolved_as, unique_id, name}; a
    compiler error naming the macro and the input when nothing matches or the relation was never built. -#}
{% macro _resolve_relation(macro_name, name, version=none) %}
  {%- set name = dbt_incident._check_string(macro_name, 'model', name) -%}
  {%- if not execute -%}{{ return(none) }}{%- endif -%}
  {%- set wanted = name -%}
  {%- set wanted_version = version -%}
  {%- set versioned = modules.re.fullmatch('(.+)[.]v([0-9A-Za-z_]+)', name) -%}
  {%- set candidates = [] -%}
  {%- for node in graph.nodes.values() if node.resource_type in ['model', 'seed', 'snapshot'] -%}
    {%- if node.name == wanted or (versioned and node.name == versioned.group(1)) -%}
      {%- do candidates.append(node) -%}
    {%- endif -%}
  {%- endfor -%}
  {%- if candidates -%}
    {%- set by_version = {} -%}
    {%- set chosen = none -%}
    {%- for node in candidates -%}
      {%- set node_version = node.get('version') -%}
      {%- set requested = wanted_version if wanted_version is not none else (versioned.group(2) if versioned and node.name != wanted else node.get('latest_version')) -%}
      {%- if requested is none or node_version is none or (node_version | string) == (requested | string) -%}
        {%- do by_version.update({'chosen': node}) -%}
      {%- endif -%}
    {%- endfor -%}
    {%- set node = by_version.get('chosen') -%}
    {%- if node is none -%}
      {{ exceptions.raise_compiler_error("dbt_incident." ~ macro_name ~ ": model '" ~ name ~ "' has no version " ~ (wanted_version or (versioned.group(2) if versioned else '?')) ~ " (versions: " ~ (candidates | map(attribute='version') | map('string') | join(', ')) ~ ")") }}
    {%- endif -%}
    {%- set relation = adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias or node.name) -%}
    {%- if relation is none -%}
      {{ exceptions.raise_compiler_error("dbt_incident." ~ macro_name ~ ": model '" ~ name ~ "' resolves to " ~ node.database ~ "." ~ node.schema ~ "." ~ (node.alias or node.name) ~ ", which does not exist in the warehouse (build it first)") }}
    {%- endif -%}
    {{ return({'relation': relation, 'resolved_as': node.resource_type, 'unique_id': node.unique_id, 'name': name}) }}
  {%- endif -%}
  {%- if '.' in name -%}
    {%- set source_name, table_name = name.split('.', 1) -%}
    {%- for node in graph.sources.values() if node.source_name == source_name and node.name == table_name -%}
      {%- set relation = adapter.get_relation(database=node.database, schema=node.schema, identifier=node.identifier) -%}
      {%- if relation is none -%}
        {{ exceptions.raise_compiler_error("dbt_incident." ~ macro_name ~ ": source '" ~ name ~ "' resolves to " ~ node.database ~ "." ~ node.schema ~ "." ~ node.identifier ~ ", which does not exist in the warehouse") }}
      {%- endif -%}
      {{ return({'relation': relation, 'resolved_as': 'source', 'unique_id': node.unique_id, 'name': name}) }}
    {%- endfor -%}
  {%- endif -%}
  {%- set parts = name.replace('"', '').replace('`', '').split('.') -%}
  {%- if parts | length <= 3 and parts | select('equalto', '') | list | length == 0 -%}
    {%- set identifier = parts[-1] -%}
    {%- set schema = parts[-2] if parts | length >= 2 else target.schema -%}
    {%- set database = parts[-3] if parts | length == 3 else target.database -%}
    {%- set relation = adapter.get_relation(database=database, schema=schema, identifier=identifier) -%}
    {%- if relation is not none -%}
      {{ return({'relation': relation, 'resolved_as': 'relation', 'unique_id': none, 'name': name}) }}
    {%- endif -%}
  {%- endif -%}
  {{ exceptions.raise_compiler_error("dbt_incident." ~ macro_name ~ ": argument 'model' value '" ~ name ~ "' is not a model, seed or snapshot of the project, not a source 'source_name.table_name', and not an existing relation") }}
{% endmacro %}
