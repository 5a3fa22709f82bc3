{#-
  The loader's calendar: one dict per day of history, oldest first, ending at `as_of` (an ISO date):
  date (ISO), ordinal (days since 0001-01-01, the seed of every row key), days_ago, weekday (0 = Monday),
  events and orders (healthy row counts). Volumes follow a weekly seasonality (weekends about 40 % lower),
  a slow growth trend and a deterministic +-8 % day-to-day noise.
-#}
{% macro raw_calendar(as_of, history_days) %}
    {%- set end = modules.datetime.datetime.strptime(as_of, '%Y-%m-%d').date() -%}
    {%- set weekday_factor = [1.0, 1.04, 1.06, 1.02, 0.95, 0.62, 0.55] -%}
    {%- set days = [] -%}
    {%- for days_ago in range(history_days - 1, -1, -1) -%}
        {%- set day = end - modules.datetime.timedelta(days=days_ago) -%}
        {%- set ordinal = day.toordinal() -%}
        {%- set noise = 1 + ((ordinal * 7919) % 161 - 80) / 1000 -%}
        {%- set trend = 1 - 0.004 * days_ago -%}
        {%- set factor = weekday_factor[day.weekday()] * noise * trend -%}
        {%- do days.append({
            'date': day.isoformat(),
            'ordinal': ordinal,
            'days_ago': days_ago,
            'weekday': day.weekday(),
            'events': (4200 * factor) | int,
            'orders': (320 * factor) | int,
        }) -%}
    {%- endfor -%}
    {{ return(days) }}
{% endmacro %}
