{#- Dates are computed here, in Jinja, and reach the SQL as literals: a bound on the raw partition column is
    what lets a warehouse prune partitions (a function around the column would defeat it). -#}

{#- as_of -> a datetime.date. none: the `dbt_incident_as_of` var, else today's UTC date.
    Accepts 'YYYY-MM-DD' strings and date objects (YAML turns an unquoted 2026-11-30 into a date). -#}
{% macro _resolve_as_of(macro_name, as_of, argument='as_of') %}
  {%- if as_of is none -%}{%- set as_of = dbt_incident._get_config_var('as_of') -%}{%- endif -%}
  {%- if as_of is none -%}
    {{ return(modules.datetime.datetime.now(modules.pytz.utc).date()) }}
  {%- endif -%}
  {%- set day = dbt_incident._parse_date(macro_name, argument, as_of) -%}
  {#- windows reach back up to ~20 years and forward one partition: keep them inside datetime's years 1-9999 -#}
  {%- if day.year < 1000 or day.year > 9998 -%}
    {{ dbt_incident._fail(macro_name, argument, 'must be a date between 1000-01-01 and 9998-12-31', as_of) }}
  {%- endif -%}
  {{ return(day) }}
{% endmacro %}

{% macro _parse_date(macro_name, argument, value) %}
  {%- if value is not string and value.year is defined and value.month is defined and value.day is defined -%}
    {{ return(modules.datetime.date(value.year, value.month, value.day)) }}
  {%- endif -%}
  {%- set match = modules.re.fullmatch('([0-9]{4})-([0-9]{2})-([0-9]{2})', value | string | trim) if value is string else none -%}
  {%- if not match -%}
    {{ dbt_incident._fail(macro_name, argument, "must be a date 'YYYY-MM-DD'", value) }}
  {%- endif -%}
  {%- set year, month, day = match.group(1) | int, match.group(2) | int, match.group(3) | int -%}
  {%- if year < 1 or month < 1 or month > 12 or day < 1 or day > dbt_incident._days_in_month(year, month) -%}
    {{ dbt_incident._fail(macro_name, argument, "must be a real calendar date 'YYYY-MM-DD'", value) }}
  {%- endif -%}
  {{ return(modules.datetime.date(year, month, day)) }}
{% endmacro %}

{#- A UTC reference instant (naive datetime, UTC) for freshness. none: now (UTC). A date 'YYYY-MM-DD' means
    the end of that day (midnight after it); 'YYYY-MM-DD HH:MM[:SS]' (or with T, optional Z) that instant. -#}
{% macro _resolve_reference_time(macro_name, value, argument='as_of') %}
  {%- if value is none -%}{%- set value = dbt_incident._get_config_var('as_of') -%}{%- endif -%}
  {%- if value is none -%}
    {{ return(modules.datetime.datetime.now(modules.pytz.utc).replace(tzinfo=none, microsecond=0)) }}
  {%- endif -%}
  {%- if value is not string and value.hour is defined -%}
    {{ return(modules.datetime.datetime(value.year, value.month, value.day, value.hour, value.minute, value.second)) }}
  {%- endif -%}
  {%- set match = modules.re.fullmatch('([0-9]{4}-[0-9]{2}-[0-9]{2})[ T]([0-9]{2}):([0-9]{2})(:([0-9]{2}))?Z?', value | trim) if value is string else none -%}
  {%- if match -%}
    {%- set day = dbt_incident._parse_date(macro_name, argument, match.group(1)) -%}
    {%- set hour, minute, second = match.group(2) | int, match.group(3) | int, (match.group(5) or '0') | int -%}
    {%- if hour > 23 or minute > 59 or second > 59 -%}
      {{ dbt_incident._fail(macro_name, argument, "must be a UTC time 'YYYY-MM-DD HH:MM:SS'", value) }}
    {%- endif -%}
    {{ return(modules.datetime.datetime(day.year, day.month, day.day, hour, minute, second)) }}
  {%- endif -%}
  {%- set day = dbt_incident._parse_date(macro_name, argument, value) -%}
  {{ return(modules.datetime.datetime(day.year, day.month, day.day) + modules.datetime.timedelta(days=1)) }}
{% endmacro %}

{% macro _days_in_month(year, month) %}
  {%- set next_month = modules.datetime.date(year + 1, 1, 1) if month == 12 else modules.datetime.date(year, month + 1, 1) -%}
  {{ return((next_month - modules.datetime.timedelta(days=1)).day) }}
{% endmacro %}

{#- The start of the partition (day, ISO week starting Monday, month) that contains `day`. -#}
{% macro _partition_start(day, granularity) %}
  {%- if granularity == 'week' -%}
    {{ return(day - modules.datetime.timedelta(days=day.weekday())) }}
  {%- elif granularity == 'month' -%}
    {{ return(day.replace(day=1)) }}
  {%- endif -%}
  {{ return(day) }}
{% endmacro %}

{#- `count` partitions before (negative) or after the partition starting at `start`. -#}
{% macro _shift_partition(start, count, granularity) %}
  {%- if granularity == 'week' -%}
    {{ return(start + modules.datetime.timedelta(days=7 * count)) }}
  {%- elif granularity == 'month' -%}
    {%- set months = start.year * 12 + start.month - 1 + count -%}
    {{ return(modules.datetime.date(months // 12, months % 12 + 1, 1)) }}
  {%- endif -%}
  {{ return(start + modules.datetime.timedelta(days=count)) }}
{% endmacro %}

{#- The window of `days` partitions ending with the one containing `as_of`, and the `baseline_days`
    partitions just before it. Returns window_start, window_end (exclusive), baseline_start and the list of
    partitions {start, in_window, weekday}, oldest first. -#}
{% macro _window_bounds(as_of, days, baseline_days, granularity='day') %}
  {{ return(adapter.dispatch('_window_bounds', 'dbt_incident')(as_of, days, baseline_days, granularity)) }}
{% endmacro %}

{% macro default___window_bounds(as_of, days, baseline_days, granularity) %}
  {%- set last = dbt_incident._partition_start(as_of, granularity) -%}
  {%- set window_start = dbt_incident._shift_partition(last, 1 - days, granularity) -%}
  {%- set baseline_start = dbt_incident._shift_partition(window_start, 0 - baseline_days, granularity) -%}
  {%- set partitions = [] -%}
  {%- for index in range(baseline_days + days) -%}
    {%- set start = dbt_incident._shift_partition(baseline_start, index, granularity) -%}
    {%- do partitions.append({'start': start, 'in_window': index >= baseline_days, 'weekday': start.isoweekday()}) -%}
  {%- endfor -%}
  {{ return({
    'window_start': window_start,
    'window_end': dbt_incident._shift_partition(last, 1, granularity),
    'baseline_start': baseline_start,
    'partitions': partitions,
    'granularity': granularity,
  }) }}
{% endmacro %}
