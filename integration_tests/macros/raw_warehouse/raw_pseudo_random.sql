{#-
  A deterministic pseudo-random integer in [0, modulus) from an integer key expression and a salt.
  Quadratic mix of two modular multiplications (no xor or hash functions, whose spelling differs per
  dialect), so it runs unchanged on DuckDB, PostgreSQL and BigQuery; every intermediate stays below 2^48.
-#}
{% macro raw_pseudo_random(key, salt, modulus) %}
    mod(
        mod(
            mod(mod({{ key }}, 2147483629) * 48271 + {{ salt }}, 2147483647)
            * mod(mod({{ key }}, 65521) * 40503 + {{ salt * 7 + 1 }}, 65521),
            2147483647
        ),
        {{ modulus }}
    )
{% endmacro %}
