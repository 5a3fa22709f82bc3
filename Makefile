# dbt-incident: every target says what it does. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: help setup demo test lint format bench clean

help: ## List the targets.
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(BIN)/dbt-incident: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

setup: $(BIN)/dbt-incident ## Create the venv and install the runner, dbt-core and the adapters.

demo: setup ## A real incident on DuckDB: healthy build, inject a scenario, failing build, triage, report.
	bash scripts/demo.sh

test: setup ## Every test: unit tests, every public fixture, real dbt runs on DuckDB (and PostgreSQL/BigQuery emulator when started).
	$(BIN)/pytest

lint: setup ## ruff lint and format check.
	$(BIN)/ruff check runner benchmarks scripts
	$(BIN)/ruff format --check runner benchmarks scripts

format: setup ## Apply ruff fixes and formatting.
	$(BIN)/ruff check --fix runner benchmarks scripts
	$(BIN)/ruff format runner benchmarks scripts

bench: setup ## Print the benchmark figures (triage at scale, start-up, diagnostic cost).
	$(BIN)/python benchmarks/run.py

clean: ## Remove build output, dbt target folders and the demo warehouse.
	rm -rf integration_tests/target integration_tests/logs integration_tests/dbt_packages demo .pytest_cache
