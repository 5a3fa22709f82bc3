"""dbt-incident: take a data team through a production dbt incident, from failed job to regression test."""

__version__ = "0.1.0"
