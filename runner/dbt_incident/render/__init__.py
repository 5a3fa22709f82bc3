"""Renderers of a triage: rich terminal text, markdown, and the JSON contract."""
