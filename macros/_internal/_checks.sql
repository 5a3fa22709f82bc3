{#- Argument checks shared by every diagnostic and generic test. Each raises a one-line compiler error naming
    the macro, the argument and the bad value, and returns the normalised value. -#}

{% macro _fail(macro_name, argument, message, value) %}
  {{ exceptions.raise_compiler_error("dbt_incident." ~ macro_name ~ ": argument '" ~ argument ~ "' " ~ message ~ ", got " ~ (value | string)[:200] ~ " (" ~ dbt_incident._type_name(value) ~ ")") }}
{% endmacro %}

{% macro _type_name(value) %}
  {%- if value is none -%}{{ return('none') }}
  {%- elif value is boolean -%}{{ return('boolean') }}
  {%- elif value is integer -%}{{ return('integer') }}
  {%- elif value is number -%}{{ return('number') }}
  {%- elif value is string -%}{{ return('string') }}
  {%- elif value is mapping -%}{{ return('mapping') }}
  {%- elif value is iterable -%}{{ return('list') }}
  {%- else -%}{{ return('object') }}
  {%- endif -%}
{% endmacro %}

{% macro _check_int(macro_name, argument, value, minimum=none, maximum=none) %}
  {%- if value is boolean or value is not integer -%}
    {%- if value is string and modules.re.fullmatch('[0-9]{1,9}', value) -%}
      {%- set value = value | int -%}
    {%- else -%}
      {{ dbt_incident._fail(macro_name, argument, 'must be a whole number', value) }}
    {%- endif -%}
  {%- endif -%}
  {{ return(dbt_incident._check_range(macro_name, argument, value, minimum, maximum)) }}
{% endmacro %}

{#- `value` unchanged when it lies in [minimum, maximum] (either bound may be none), else a compiler error. -#}
{% macro _check_range(macro_name, argument, value, minimum, maximum) %}
  {%- if minimum is not none and value < minimum -%}
    {{ dbt_incident._fail(macro_name, argument, 'must be at least ' ~ minimum, value) }}
  {%- endif -%}
  {%- if maximum is not none and value > maximum -%}
    {{ dbt_incident._fail(macro_name, argument, 'must be at most ' ~ maximum, value) }}
  {%- endif -%}
  {{ return(value) }}
{% endmacro %}

{% macro _check_number(macro_name, argument, value, minimum=none, maximum=none, allow_none=false) %}
  {%- if value is none and allow_none -%}{{ return(none) }}{%- endif -%}
  {%- if value is boolean or value is not number -%}
    {%- if value is string and modules.re.fullmatch('[0-9]{1,12}([.][0-9]{1,12})?', value) -%}
      {%- set value = value | float -%}
    {%- else -%}
      {{ dbt_incident._fail(macro_name, argument, 'must be a number', value) }}
    {%- endif -%}
  {%- endif -%}
  {{ return(dbt_incident._check_range(macro_name, argument, value, minimum, maximum)) }}
{% endmacro %}

{#- A boolean; none counts as false. Strings and numbers are refused (YAML's 'yes' or 1 are not taken as true). -#}
{% macro _check_boolean(macro_name, argument, value) %}
  {%- if value is none -%}{{ return(false) }}{%- endif -%}
  {%- if value is not boolean -%}
    {{ dbt_incident._fail(macro_name, argument, 'must be true or false', value) }}
  {%- endif -%}
  {{ return(value) }}
{% endmacro %}

{% macro _check_choice(macro_name, argument, value, choices) %}
  {%- if value is not string or value | lower not in choices -%}
    {{ dbt_incident._fail(macro_name, argument, 'must be one of ' ~ (choices | join(', ')), value) }}
  {%- endif -%}
  {{ return(value | lower) }}
{% endmacro %}

{% macro _check_string(macro_name, argument, value, allow_none=false) %}
  {%- if value is none and allow_none -%}{{ return(none) }}{%- endif -%}
  {%- if value is not string or value | trim == '' -%}
    {{ dbt_incident._fail(macro_name, argument, 'must be a non-empty string', value) }}
  {%- endif -%}
  {{ return(value | trim) }}
{% endmacro %}

{#- `where` is a SQL predicate written by the user (like dbt's own `where` test config): it is pasted into the
    query inside parentheses, by design. We only refuse what can never be a predicate (statement separators
    and comments that would swallow the rest of the query). -#}
{% macro _check_where(macro_name, value) %}
  {%- if value is none or (value is string and value | trim == '') -%}{{ return(none) }}{%- endif -%}
  {%- if value is not string -%}
    {{ dbt_incident._fail(macro_name, 'where', 'must be a SQL predicate string', value) }}
  {%- endif -%}
  {%- if ';' in value or '--' in value or '/*' in value -%}
    {{ dbt_incident._fail(macro_name, 'where', 'must be one SQL predicate without ";" or comments', value) }}
  {%- endif -%}
  {#- It is pasted inside "(...)": a ")" closing more than it opened (outside quotes) would end that
      parenthesis and let the rest of the text run as part of the query. -#}
  {%- set state = {'depth': 0, 'quote': none, 'broken': false} -%}
  {%- for character in value -%}
    {%- if state.quote is not none -%}
      {%- if character == state.quote -%}{%- do state.update({'quote': none}) -%}{%- endif -%}
    {%- elif character in ["'", '"', '`'] -%}
      {%- do state.update({'quote': character}) -%}
    {%- elif character == '(' -%}
      {%- do state.update({'depth': state.depth + 1}) -%}
    {%- elif character == ')' -%}
      {%- do state.update({'depth': state.depth - 1, 'broken': state.broken or state.depth == 0}) -%}
    {%- endif -%}
  {%- endfor -%}
  {%- if state.broken or state.depth != 0 or state.quote is not none -%}
    {{ dbt_incident._fail(macro_name, 'where', 'must be one SQL predicate with balanced parentheses and quotes', value) }}
  {%- endif -%}
  {{ return(value) }}
{% endmacro %}

{% macro _check_relation(macro_name, value, argument='relation') %}
  {%- if value is none or value is string or value.identifier is not defined -%}
    {{ dbt_incident._fail(macro_name, argument, 'must be a relation (ref(), source() or api.Relation.create())', value) }}
  {%- endif -%}
  {{ return(value) }}
{% endmacro %}

{#- A list of column names: a string is accepted as a list of one; none stays none (meaning "all columns"). -#}
{% macro _check_column_names(macro_name, argument, value, allow_none=true) %}
  {%- if value is none -%}
    {%- if allow_none -%}{{ return(none) }}{%- endif -%}
    {{ dbt_incident._fail(macro_name, argument, 'must name at least one column', value) }}
  {%- endif -%}
  {%- if value is string -%}{%- set value = [value] -%}{%- endif -%}
  {%- if value is mapping or value is not iterable -%}
    {{ dbt_incident._fail(macro_name, argument, 'must be a list of column names', value) }}
  {%- endif -%}
  {%- for name in value -%}
    {%- if name is not string or name | trim == '' -%}
      {{ dbt_incident._fail(macro_name, argument, 'must be a list of non-empty column name strings', value) }}
    {%- endif -%}
  {%- endfor -%}
  {%- if value | length == 0 and not allow_none -%}
    {{ dbt_incident._fail(macro_name, argument, 'must name at least one column', value) }}
  {%- endif -%}
  {{ return(value | list) }}
{% endmacro %}
