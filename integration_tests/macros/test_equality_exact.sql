{#- Equality of a model and an expected relation (a seed): the rows of one that are not in the other, both
    ways, over the expected relation's columns. A failing row says which side it came from. -#}
{% test equality_exact(model, compare_model, columns=none) %}
  {%- set names = columns or (adapter.get_columns_in_relation(compare_model) | map(attribute='name') | list if execute else []) -%}
  {%- set quoted = [] -%}
  {%- for name in names -%}{%- do quoted.append(adapter.quote(name)) -%}{%- endfor -%}
  {%- if execute and not quoted -%}
    {{ exceptions.raise_compiler_error("equality_exact: " ~ compare_model ~ " has no columns") }}
  {%- endif %}
with actual as (select {{ quoted | join(', ') }} from {{ model }}),
expected as (select {{ quoted | join(', ') }} from {{ compare_model }}),
missing as (select 'missing from model' as difference, * from (select * from expected except select * from actual) as e),
unexpected as (select 'unexpected in model' as difference, * from (select * from actual except select * from expected) as a),
{#- One all-null row typed like `expected` (a left join to an empty set): a bare `null` is text on
    PostgreSQL and would not union with numeric columns. -#}
counts as (
    select 'row count differs' as difference, e.*
    from (select 1 as one) as anchor
    left join (select * from expected where 1 = 0) as e on 1 = 1
    where (select count(*) from actual) <> (select count(*) from expected)
)
select * from missing
union all select * from unexpected
union all select * from counts
{% endtest %}
