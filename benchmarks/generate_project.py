"""Write the artifacts of a synthetic, realistically shaped dbt 1.11 project that had a bad night.

`generate(nodes, target_path, seed=...)` writes `manifest.json` (schema v12) and `run_results.json`
(schema v6) as dbt 1.11 writes them (compact JSON, the same keys per resource type, compiled and raw
code, configs, documented columns, `depends_on` with macros, `parent_map` / `child_map`) and returns what
the triage must find (`Expectation`). The same size and seed always give the same bytes.

Shape, per `nodes` (the manifest's `nodes` + `sources` + `exposures` + `unit_tests`):
sources 4 %, seeds 1 %, snapshots 1.5 %, exposures 1 %, unit tests 0.5 %, models 28 % in three layers
(staging 35 % reading one source, intermediate 40 % and marts 25 % reading 1-6 parents chosen with
preferential attachment, so a few hub models fan out to thousands of descendants, as in real projects),
and generic/singular tests on most models and some sources for the rest. The run (`dbt build` on
BigQuery) has model errors on hub models (long skipped chains below them), error-severity test
failures (dbt skips the tested model's children) and warn-severity test warnings.

Run as a script to write one project: `python benchmarks/generate_project.py 10000 /tmp/bench-10k`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

PROJECT = "acme_analytics"
GCP_PROJECT = "acme-prod"
GENERATOR_VERSION = 1  # bump when the output changes, so cached projects are regenerated
DBT_VERSION = "1.11.16"
MANIFEST_SCHEMA = "https://schemas.getdbt.com/dbt/manifest/v12.json"
RUN_RESULTS_SCHEMA = "https://schemas.getdbt.com/dbt/run-results/v6.json"
RUN_STARTED = datetime(2026, 3, 2, 4, 0, 0, tzinfo=timezone.utc)

SOURCE_SYSTEMS = ("shop", "crm", "billing", "ads", "support", "web", "erp", "logistics", "hr", "payments")
ENTITIES = (
    "order", "customer", "payment", "invoice", "refund", "session", "event", "campaign", "ticket",
    "shipment", "product", "subscription", "account", "lead", "employee", "warehouse", "supplier",
    "return", "coupon", "click",
)  # fmt: skip
VERBS = ("joined", "enriched", "deduplicated", "pivoted", "aggregated", "unioned", "filtered", "scored")
ATTRIBUTES = (
    "status", "amount", "currency", "created_at", "updated_at", "country_code", "channel", "is_active",
    "quantity", "discount_amount", "tax_amount", "email", "segment", "region", "source_system",
    "loaded_at", "category", "priority", "score", "duration_seconds",
)  # fmt: skip
BUILTIN_MACROS = (
    "test_not_null", "test_unique", "test_accepted_values", "test_relationships", "get_where_subquery",
    "is_incremental", "run_hooks", "statement", "persist_docs", "create_table_as", "create_view_as",
    "get_create_table_as_sql", "get_create_view_as_sql", "snapshot_merge_sql", "snapshot_check_strategy",
    "snapshot_timestamp_strategy", "build_snapshot_table", "get_merge_sql", "should_full_refresh",
    "make_temp_relation", "drop_relation_if_exists", "load_csv_rows", "get_batch_size", "dateadd",
    "datediff", "date_trunc", "safe_cast", "type_timestamp", "type_string", "current_timestamp",
)  # fmt: skip
PACKAGE_TESTS = ("row_count_within_history", "null_proportion_at_most", "fresh_within")
ERROR_MESSAGES = (
    "Database Error in model {name} ({path})\n  Unrecognized name: {column}; Did you mean {other}? at [{line}:9]\n"
    "  compiled code at target/run/{project}/{path}",
    "Database Error in model {name} ({path})\n  Not found: Table {gcp}:raw_{system}.{column}_v2 was not found "
    "in location EU\n  compiled code at target/run/{project}/{path}",
    "Database Error in model {name} ({path})\n  Quota exceeded: Your project exceeded quota for concurrent "
    "queries\n  compiled code at target/run/{project}/{path}",
    "Compilation Error in model {name} ({path})\n  'dbt_utils' is undefined. This can happen when calling a "
    'macro that does not exist. Check for typos and/or install package dependencies with "dbt deps".',
)


@dataclass(frozen=True)
class Expectation:
    """What a correct triage of the generated run finds.

    `roots` are the unique_ids that failed on their own (model errors, failed and warned tests); `skipped`
    counts the skipped results (all collateral of some root); `longest_skipped_chain` is the depth, in
    nodes, of the longest chain of skipped nodes below one root.
    """

    nodes: int
    roots: tuple[str, ...]
    errors: int
    test_failures: int
    test_warnings: int
    skipped: int
    results: int
    longest_skipped_chain: int


class _Project:
    """The graph under construction: node bodies in creation (topological) order and their parents."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.nodes: dict[str, dict[str, Any]] = {}
        self.sources: dict[str, dict[str, Any]] = {}
        self.exposures: dict[str, dict[str, Any]] = {}
        self.unit_tests: dict[str, dict[str, Any]] = {}
        self.macros: dict[str, dict[str, Any]] = {}
        self.parents: dict[str, list[str]] = {}
        self.columns: dict[str, list[str]] = {}
        self.tests_of: dict[str, list[str]] = {}
        self.created = 1772400000.0

    def tick(self) -> float:
        self.created += 0.000731
        return round(self.created, 6)


def _hash(text: str, length: int = 64) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:length]


def _relation(schema: str, alias: str) -> str:
    return f"`{GCP_PROJECT}`.`{schema}`.`{alias}`"


def _docs() -> dict[str, Any]:
    return {"show": True, "node_color": None}


def _contract() -> dict[str, Any]:
    return {"enforced": False, "alias_types": True}


def _column(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "description": description,
        "meta": {},
        "data_type": None,
        "constraints": [],
        "quote": None,
        "config": {"meta": {}, "tags": []},
        "tags": [],
        "granularity": None,
        "doc_blocks": [],
    }


def _model_config(materialized: str, tags: list[str], meta: dict[str, Any], **extra: Any) -> dict[str, Any]:
    config: dict[str, Any] = {
        "enabled": True,
        "alias": None,
        "schema": None,
        "database": None,
        "tags": tags,
        "meta": meta,
        "group": None,
        "static_analysis": None,
        "materialized": materialized,
        "incremental_strategy": "merge" if materialized == "incremental" else None,
        "batch_size": None,
        "lookback": 1,
        "begin": None,
        "persist_docs": {},
        "post-hook": [],
        "pre-hook": [],
        "quoting": {},
        "column_types": {},
        "full_refresh": None,
        "unique_key": None,
        "on_schema_change": "ignore",
        "on_configuration_change": "apply",
        "grants": {},
        "packages": [],
        "docs": _docs(),
        "contract": _contract(),
        "event_time": None,
        "concurrent_batches": None,
    }
    config.update(extra)
    return config


def _common(
    project: _Project, resource_type: str, name: str, folder: str, schema: str, extension: str = "sql"
) -> dict[str, Any]:
    """The keys every node of `nodes` has, in dbt's order."""
    path = f"{folder}/{name}.{extension}"
    return {
        "database": GCP_PROJECT,
        "schema": schema,
        "name": name,
        "resource_type": resource_type,
        "package_name": PROJECT,
        "path": path,
        "original_file_path": f"{resource_type}s/{path}" if resource_type != "model" else f"models/{path}",
        "unique_id": f"{resource_type}.{PROJECT}.{name}",
        "fqn": [PROJECT, *folder.split("/"), name],
        "alias": name,
    }


def _sql_body(project: _Project, unique_id: str, parents: list[str], compiled: bool) -> str:
    """A layered select: one CTE per parent, joined on the first column, selecting the node's columns."""
    ctes = []
    for index, parent in enumerate(parents):
        body = project.nodes.get(parent) or project.sources[parent]
        if compiled:
            reference = body["relation_name"]
        elif parent.startswith("source."):
            reference = f"{{{{ source('{body['source_name']}', '{body['name']}') }}}}"
        else:
            reference = f"{{{{ ref('{body['name']}') }}}}"
        where = (
            "\n    where loaded_at >= timestamp_sub(current_timestamp(), interval 3 day)"
            if index == 0 and parent.startswith("source.")
            else ""
        )
        ctes.append(f"p{index} as (\n\n    select * from {reference}{where}\n\n)")
    key = project.columns[unique_id][0]
    select = ",\n        ".join(
        f"p{index % len(parents)}.{column}" for index, column in enumerate(project.columns[unique_id])
    )
    joins = "".join(f"\n    left join p{index} using ({key})" for index in range(1, len(parents)))
    return "with\n\n" + ",\n\n".join(ctes) + f"\n\nselect\n        {select}\n    from p0{joins}\n"


def _add_source(project: _Project, system: str, table: str, index: int) -> str:
    unique_id = f"source.{PROJECT}.{system}.{table}"
    project.columns[unique_id] = [f"{table.split('__')[0]}_id", *project.rng.sample(ATTRIBUTES, 5)]
    freshness = {
        "warn_after": {"count": 12, "period": "hour"},
        "error_after": {"count": 24, "period": "hour"},
        "filter": None,
    }
    project.sources[unique_id] = {
        "database": GCP_PROJECT,
        "schema": f"raw_{system}",
        "name": table,
        "resource_type": "source",
        "package_name": PROJECT,
        "path": f"models/staging/{system}/_{system}__sources.yml",
        "original_file_path": f"models/staging/{system}/_{system}__sources.yml",
        "unique_id": unique_id,
        "fqn": [PROJECT, "staging", system, system, table],
        "source_name": system,
        "source_description": f"Raw tables replicated from the {system} system by Fivetran.",
        "loader": "fivetran",
        "identifier": table,
        "quoting": {"database": None, "schema": None, "identifier": None, "column": None},
        "loaded_at_field": "_fivetran_synced",
        "loaded_at_query": None,
        "freshness": freshness,
        "external": None,
        "description": f"One row per {table.split('__')[0]} in {system} (table {index}).",
        "columns": {column: _column(column, "") for column in project.columns[unique_id][:2]},
        "meta": {},
        "source_meta": {},
        "tags": [system],
        "config": {
            "enabled": True,
            "event_time": None,
            "freshness": freshness,
            "loaded_at_field": "_fivetran_synced",
            "loaded_at_query": None,
            "meta": {},
            "tags": [system],
            "static_analysis": None,
        },
        "patch_path": None,
        "unrendered_config": {"loaded_at_field": "_fivetran_synced", "meta": {}, "tags": []},
        "relation_name": _relation(f"raw_{system}", table),
        "created_at": project.tick(),
        "unrendered_database": None,
        "unrendered_schema": f"raw_{system}",
        "doc_blocks": [],
    }
    project.parents[unique_id] = []
    return unique_id


def _add_seed(project: _Project, name: str) -> str:
    body = _common(project, "seed", name, "reference", "reference")
    body["path"] = f"reference/{name}.csv"
    body["original_file_path"] = f"seeds/reference/{name}.csv"
    unique_id = body["unique_id"]
    project.columns[unique_id] = [f"{name}_code", "label", "valid_from"]
    body.update(
        {
            "checksum": {"name": "sha256", "checksum": _hash(unique_id)},
            "config": {
                **_model_config("seed", [], {}),
                "schema": "reference",
                "delimiter": ",",
                "quote_columns": None,
            },
            "tags": [],
            "description": f"Reference list of {name} maintained by the data team.",
            "columns": {},
            "meta": {},
            "group": None,
            "docs": _docs(),
            "patch_path": None,
            "build_path": None,
            "unrendered_config": {"schema": "reference"},
            "created_at": project.tick(),
            "relation_name": _relation("reference", name),
            "raw_code": "",
            "doc_blocks": [],
            "root_path": f"/srv/dbt/{PROJECT}",
            "depends_on": {"macros": []},
        }
    )
    project.nodes[unique_id] = body
    project.parents[unique_id] = []
    return unique_id


def _add_model(
    project: _Project,
    name: str,
    folder: str,
    parents: list[str],
    materialized: str,
    owner: str | None,
    macros: list[str],
) -> str:
    rng = project.rng
    schema = folder.split("/")[0]
    body = _common(project, "model", name, folder, schema)
    unique_id = body["unique_id"]
    entity = name.split("__")[-1].split("_")[0] if "__" in name else rng.choice(ENTITIES)
    project.columns[unique_id] = [f"{entity}_id", *rng.sample(ATTRIBUTES, rng.randint(3, 11))]
    project.parents[unique_id] = list(parents)
    raw = _sql_body(project, unique_id, parents, compiled=False)
    compiled = _sql_body(project, unique_id, parents, compiled=True)
    if materialized == "incremental":
        raw += "\n{% if is_incremental() %}\n    where updated_at > (select max(updated_at) from {{ this }})\n{% endif %}\n"
        compiled += f"\n    where updated_at > (select max(updated_at) from {_relation(schema, name)})\n"
    meta = {"owner": owner} if owner else {}
    if folder.startswith("marts") and rng.random() < 0.1:
        meta["criticality"] = rng.choice(["critical", "high"])
    documented = rng.random() < 0.7
    body.update(
        {
            "checksum": {"name": "sha256", "checksum": _hash(raw)},
            "config": _model_config(
                materialized,
                [schema],
                meta,
                access="protected",
                freshness=None,
                unique_key=project.columns[unique_id][0] if materialized == "incremental" else None,
            ),
            "tags": [schema],
            "description": f"One row per {entity}, {schema} layer." if documented else "",
            "columns": {
                column: _column(column, f"The {column.replace('_', ' ')} of the {entity}.")
                for column in (project.columns[unique_id] if documented else [])
            },
            "meta": meta,
            "group": None,
            "docs": _docs(),
            "patch_path": f"{PROJECT}://models/{folder}/_{schema}__models.yml" if documented else None,
            "build_path": None,
            "unrendered_config": {"materialized": materialized},
            "created_at": project.tick(),
            "relation_name": _relation(schema, name),
            "raw_code": raw,
            "doc_blocks": [],
            "language": "sql",
            "refs": [
                {"name": project.nodes[parent]["name"], "package": None, "version": None}
                for parent in parents
                if parent in project.nodes
            ],
            "sources": [
                [project.sources[parent]["source_name"], project.sources[parent]["name"]]
                for parent in parents
                if parent in project.sources
            ],
            "metrics": [],
            "functions": [],
            "depends_on": {"macros": macros, "nodes": list(parents)},
            "compiled_path": f"target/compiled/{PROJECT}/models/{folder}/{name}.sql",
            "compiled": True,
            "compiled_code": compiled,
            "extra_ctes_injected": True,
            "extra_ctes": [],
            "contract": {**_contract(), "checksum": None},
            "access": "protected",
            "constraints": [],
            "version": None,
            "latest_version": None,
            "deprecation_date": None,
            "primary_key": [project.columns[unique_id][0]],
            "time_spine": None,
        }
    )
    project.nodes[unique_id] = body
    return unique_id


def _add_snapshot(project: _Project, name: str, parent: str) -> str:
    body = _common(project, "snapshot", name, "scd", "snapshots")
    unique_id = body["unique_id"]
    parent_body = project.nodes.get(parent) or project.sources[parent]
    project.columns[unique_id] = list(project.columns[parent])
    key = project.columns[unique_id][0]
    reference = (
        f"{{{{ source('{parent_body['source_name']}', '{parent_body['name']}') }}}}"
        if parent.startswith("source.")
        else f"{{{{ ref('{parent_body['name']}') }}}}"
    )
    body.update(
        {
            "checksum": {"name": "sha256", "checksum": _hash(unique_id)},
            "config": _model_config(
                "snapshot",
                [],
                {},
                unique_key=key,
                strategy="timestamp",
                target_schema=None,
                target_database=None,
                updated_at="updated_at",
                check_cols=None,
                snapshot_meta_column_names={
                    "dbt_valid_to": None,
                    "dbt_valid_from": None,
                    "dbt_scd_id": None,
                    "dbt_updated_at": None,
                    "dbt_is_deleted": None,
                },
                dbt_valid_to_current=None,
            ),
            "tags": [],
            "description": "",
            "columns": {},
            "meta": {},
            "group": None,
            "docs": _docs(),
            "patch_path": None,
            "build_path": None,
            "unrendered_config": {"unique_key": key, "strategy": "timestamp", "updated_at": "updated_at"},
            "created_at": project.tick(),
            "relation_name": _relation("snapshots", name),
            "raw_code": f"\n\nselect * from {reference}\n\n",
            "doc_blocks": [],
            "language": "sql",
            "refs": []
            if parent.startswith("source.")
            else [{"name": parent_body["name"], "package": None, "version": None}],
            "sources": [[parent_body["source_name"], parent_body["name"]]]
            if parent.startswith("source.")
            else [],
            "metrics": [],
            "functions": [],
            "depends_on": {
                "macros": [
                    f"macro.dbt.{name}" for name in ("snapshot_timestamp_strategy", "snapshot_merge_sql")
                ],
                "nodes": [parent],
            },
            "compiled_path": f"target/compiled/{PROJECT}/snapshots/scd/{name}.sql",
            "compiled": True,
            "compiled_code": f"\n\nselect * from {parent_body['relation_name']}\n\n",
            "extra_ctes_injected": True,
            "extra_ctes": [],
            "contract": {**_contract(), "checksum": None},
        }
    )
    project.nodes[unique_id] = body
    project.parents[unique_id] = [parent]
    return unique_id


def _add_test(
    project: _Project,
    kind: str,
    target: str,
    column: str | None,
    severity: str,
    other: str | None = None,
) -> str:
    """A generic test (`kind` in not_null, unique, accepted_values, relationships, package tests) or a
    singular one (`kind` = singular) on `target`."""
    target_body = project.nodes.get(target) or project.sources[target]
    target_name = target_body["name"]
    relation = target_body["relation_name"]
    namespace = "dbt_incident" if kind in PACKAGE_TESTS else None
    kwargs: dict[str, Any] = {
        "column_name": column,
        "model": f"{{{{ get_where_subquery(ref('{target_name}')) }}}}",
    }
    parents = [target]
    if kind == "singular":
        name = f"assert_{target_name}_{column}_reconciles"
        compiled = f"select {column}\nfrom {relation}\ngroup by 1\nhaving sum(amount) < 0\n"
        raw = f"select {column}\nfrom {{{{ ref('{target_name}') }}}}\ngroup by 1\nhaving sum(amount) < 0\n"
    else:
        suffix = f"_{project.nodes[other]['name']}_" if other else ""
        name = f"{kind}_{target_name}_{column}{suffix}"
        raw = f"{{{{ {'dbt_incident.' if namespace else ''}test_{kind}(**_dbt_generic_test_kwargs) }}}}"
        if kind == "not_null":
            compiled = f"\n\n\n\nselect {column}\nfrom {relation}\nwhere {column} is null\n\n\n"
        elif kind == "unique":
            compiled = (
                f"\n\nselect\n    {column} as unique_field,\n    count(*) as n_records\n\nfrom {relation}\n"
                f"where {column} is not null\ngroup by {column}\nhaving count(*) > 1\n\n"
            )
        elif kind == "accepted_values":
            kwargs["values"] = ["placed", "shipped", "completed", "returned"]
            compiled = (
                f"\n\nwith all_values as (\n\n    select\n        {column} as value_field,\n        count(*) as n_records"
                f"\n\n    from {relation}\n    group by {column}\n\n)\n\nselect *\nfrom all_values\nwhere value_field not in "
                "(\n    'placed','shipped','completed','returned'\n)\n\n"
            )
        elif kind == "relationships":
            other_body = project.nodes[other or target]
            kwargs.update({"to": f"ref('{other_body['name']}')", "field": column})
            parents = [other or target, target]
            compiled = (
                f"\n\nwith child as (\n    select {column} as from_field\n    from {relation}\n    where {column} is not null\n),"
                f"\n\nparent as (\n    select {column} as to_field\n    from {other_body['relation_name']}\n)\n\n"
                "select\n    from_field\n\nfrom child\nleft join parent\n    on child.from_field = parent.to_field\n\n"
                "where parent.to_field is null\n\n"
            )
        else:
            kwargs.update({"partition_column": "created_at", "lookback_days": 28})
            compiled = (
                f"\n\nwith history as (\n    select date(created_at) as day, count(*) as row_count\n    from {relation}\n"
                "    where created_at >= timestamp('2026-02-02')\n    group by 1\n)\n\nselect * from history\n"
                "where row_count < 0.5 * (select avg(row_count) from history)\n\n"
            )
    unique_id = f"test.{PROJECT}.{name}.{_hash(name + target, 10)}"
    if unique_id in project.nodes:
        return unique_id
    folder = "/".join(target_body["path"].split("/")[:-1]) if target in project.nodes else "staging"
    yml = (
        f"models/{folder}/_{target_body['schema']}__models.yml" if kind != "singular" else f"tests/{name}.sql"
    )
    config = {
        "enabled": True,
        "alias": None,
        "schema": "dbt_test__audit",
        "database": None,
        "tags": [],
        "meta": {},
        "group": None,
        "static_analysis": None,
        "materialized": "test",
        "severity": severity,
        "store_failures": None,
        "store_failures_as": None,
        "where": None,
        "limit": None,
        "fail_calc": "count(*)",
        "warn_if": "!= 0",
        "error_if": "!= 0",
    }
    macros = (
        ["macro.dbt.get_where_subquery", f"macro.{namespace or 'dbt'}.test_{kind}"]
        if kind != "singular"
        else []
    )
    body = {
        "database": GCP_PROJECT,
        "schema": "dbt_test__audit",
        "name": name,
        "resource_type": "test",
        "package_name": PROJECT,
        "path": f"{name}.sql",
        "original_file_path": yml,
        "unique_id": unique_id,
        "fqn": [PROJECT, *folder.split("/"), name],
        "alias": name,
        "checksum": {"name": "none", "checksum": ""}
        if kind != "singular"
        else {"name": "sha256", "checksum": _hash(raw)},
        "config": config,
        "tags": [],
        "description": "",
        "columns": {},
        "meta": {},
        "group": None,
        "docs": _docs(),
        "patch_path": None,
        "build_path": None,
        "unrendered_config": {"severity": severity} if severity != "ERROR" else {},
        "created_at": project.tick(),
        "relation_name": None,
        "raw_code": raw,
        "doc_blocks": [],
        "language": "sql",
        "refs": [
            {"name": project.nodes[p]["name"], "package": None, "version": None}
            for p in parents
            if p in project.nodes
        ],
        "sources": [[target_body["source_name"], target_name]] if target.startswith("source.") else [],
        "metrics": [],
        "functions": [],
        "depends_on": {"macros": macros, "nodes": parents},
        "compiled_path": f"target/compiled/{PROJECT}/{yml}/{name}.sql",
        "compiled": True,
        "compiled_code": compiled,
        "extra_ctes_injected": True,
        "extra_ctes": [],
        "contract": {**_contract(), "checksum": None},
    }
    if kind != "singular":
        body.update(
            {
                "column_name": column,
                "file_key_name": f"{'sources' if target.startswith('source.') else 'models'}.{target_name}",
                "attached_node": target,
                "test_metadata": {"name": kind, "kwargs": kwargs, "namespace": namespace},
            }
        )
    project.nodes[unique_id] = body
    project.parents[unique_id] = parents
    project.tests_of.setdefault(target, []).append(unique_id)
    return unique_id


def _add_exposure(project: _Project, name: str, parents: list[str], owner: str) -> str:
    unique_id = f"exposure.{PROJECT}.{name}"
    project.exposures[unique_id] = {
        "name": name,
        "resource_type": "exposure",
        "package_name": PROJECT,
        "path": "marts/_exposures.yml",
        "original_file_path": "models/marts/_exposures.yml",
        "unique_id": unique_id,
        "fqn": [PROJECT, "marts", name],
        "type": project.rng.choice(["dashboard", "dashboard", "notebook", "application", "ml"]),
        "owner": {"email": f"{owner}@acme.example", "name": owner.replace(".", " ").title()},
        "description": f"{name.replace('_', ' ').capitalize()}, read every morning.",
        "label": name.replace("_", " ").title(),
        "maturity": project.rng.choice(["high", "medium", "low"]),
        "meta": {},
        "tags": [],
        "config": {"enabled": True, "tags": [], "meta": {}},
        "unrendered_config": {},
        "url": f"https://bi.acme.example/dashboards/{_hash(name, 8)}",
        "depends_on": {"macros": [], "nodes": parents},
        "refs": [
            {"name": project.nodes[parent]["name"], "package": None, "version": None} for parent in parents
        ],
        "sources": [],
        "metrics": [],
        "created_at": project.tick(),
    }
    project.parents[unique_id] = parents
    return unique_id


def _add_unit_test(project: _Project, model: str, index: int) -> str:
    model_name = project.nodes[model]["name"]
    name = f"test_{model_name}_handles_case_{index}"
    unique_id = f"unit_test.{PROJECT}.{model_name}.{name}"
    columns = project.columns[model]
    project.unit_tests[unique_id] = {
        "model": model_name,
        "given": [
            {
                "input": f"ref('{project.nodes[parent]['name']}')"
                if parent in project.nodes
                else "source('x', 'y')",
                "rows": [{columns[0]: 1}, {columns[0]: 2}],
                "format": "dict",
                "fixture": None,
            }
            for parent in project.parents[model]
        ],
        "expect": {"rows": [{columns[0]: 1}], "format": "dict", "fixture": None},
        "name": name,
        "resource_type": "unit_test",
        "package_name": PROJECT,
        "path": project.nodes[model]["path"].rsplit("/", 1)[0] + "/_unit_tests.yml",
        "original_file_path": "models/" + project.nodes[model]["path"].rsplit("/", 1)[0] + "/_unit_tests.yml",
        "unique_id": unique_id,
        "fqn": [PROJECT, model_name, name],
        "description": "",
        "overrides": None,
        "depends_on": {"macros": [], "nodes": [model]},
        "config": {"tags": [], "meta": {}, "enabled": True, "static_analysis": None},
        "checksum": _hash(unique_id),
        "schema": project.nodes[model]["schema"],
        "created_at": project.tick(),
        "versions": None,
        "version": None,
    }
    project.parents[unique_id] = [model]
    return unique_id


def _add_macros(project: _Project, count: int) -> list[str]:
    """dbt's built-ins used by nodes plus `count` project macros; returns the project macro ids."""

    def macro(package: str, name: str, sql: str) -> str:
        unique_id = f"macro.{package}.{name}"
        folder = "macros" if package != "dbt" else "macros/materializations"
        project.macros[unique_id] = {
            "name": name,
            "resource_type": "macro",
            "package_name": package,
            "path": f"{folder}/{name}.sql",
            "original_file_path": f"{folder}/{name}.sql",
            "unique_id": unique_id,
            "macro_sql": sql,
            "depends_on": {"macros": []},
            "description": "",
            "meta": {},
            "docs": _docs(),
            "config": {"meta": {}, "docs": _docs()},
            "patch_path": None,
            "arguments": [],
            "created_at": project.tick(),
            "supported_languages": None,
        }
        return unique_id

    for name in BUILTIN_MACROS:
        macro(
            "dbt",
            name,
            f"{{% macro {name}(relation) -%}}\n  {{{{ return(adapter.dispatch('{name}', 'dbt')(relation)) }}}}\n{{%- endmacro %}}",
        )
    for name in PACKAGE_TESTS:
        macro(
            "dbt_incident",
            f"test_{name}",
            f"{{% test {name}(model, column_name) %}}\n  select 1 where false\n{{% endtest %}}",
        )
    return [
        macro(
            PROJECT,
            f"{rng_word}_{index}",
            f"{{% macro {rng_word}_{index}(column_name) -%}}\n    cast(round({{{{ column_name }}}} / 100, 2) as numeric)\n{{%- endmacro %}}",
        )
        for index, rng_word in enumerate(
            project.rng.choice(("cents_to_dollars", "clean_email", "safe_divide", "fiscal_week"))
            for _ in range(count)
        )
    ]


def _pick(rng: random.Random, pool: list[str], popularity: list[str], count: int) -> list[str]:
    """`count` distinct parents: 60 % from the recent part of `pool` (locality), 40 % by popularity."""
    chosen: list[str] = []
    for _ in range(count * 4):
        if len(chosen) == count:
            break
        if popularity and rng.random() < 0.4:
            candidate = rng.choice(popularity)
        else:
            window = pool[-max(20, len(pool) // 5) :]
            candidate = rng.choice(window)
        if candidate not in chosen:
            chosen.append(candidate)
    return chosen


def _build_graph(project: _Project, total: int) -> None:
    rng = project.rng
    n_sources = max(5, total * 4 // 100)
    n_seeds = max(2, total // 100)
    n_snapshots = max(2, total * 15 // 1000)
    n_exposures = max(3, total // 100)
    n_unit_tests = max(1, total // 200)
    n_models = total * 28 // 100
    n_staging, n_intermediate = n_models * 35 // 100, n_models * 40 // 100
    n_marts = n_models - n_staging - n_intermediate
    n_tests = total - n_sources - n_seeds - n_snapshots - n_exposures - n_unit_tests - n_models
    owners = [
        f"{first}.{last}" for first in ("ana", "bo", "chen", "dara", "eli") for last in ("kim", "ng", "ruiz")
    ]
    project_macros = _add_macros(project, max(5, total // 200))

    sources = [
        _add_source(
            project,
            SOURCE_SYSTEMS[index % len(SOURCE_SYSTEMS)],
            f"{ENTITIES[index % len(ENTITIES)]}s__{index}",
            index,
        )
        for index in range(n_sources)
    ]
    seeds = [_add_seed(project, f"{rng.choice(ENTITIES)}_codes_{index}") for index in range(n_seeds)]
    staging = []
    for index in range(n_staging):
        source = sources[index % n_sources]
        system = project.sources[source]["source_name"]
        parents = [source] + ([rng.choice(seeds)] if rng.random() < 0.1 else [])
        name = f"stg_{system}__{project.sources[source]['name'].split('__')[0]}_{index}"
        macros = [rng.choice(project_macros)] if rng.random() < 0.5 else []
        staging.append(_add_model(project, name, f"staging/{system}", parents, "view", None, macros))
    popularity = list(staging)
    intermediate: list[str] = []
    for index in range(n_intermediate):
        pool = staging + intermediate
        parents = _pick(rng, pool, popularity, rng.choice((1, 1, 2, 2, 2, 3, 4)))
        name = f"int_{rng.choice(ENTITIES)}s_{rng.choice(VERBS)}_{index}"
        materialized = rng.choice(("view", "ephemeral", "table", "table"))
        unique_id = _add_model(
            project,
            name,
            "intermediate",
            parents,
            materialized,
            None,
            ["macro.dbt.is_incremental"] if materialized == "table" else [],
        )
        intermediate.append(unique_id)
        popularity.extend(parents)
        popularity.append(unique_id)
    marts: list[str] = []
    for index in range(n_marts):
        pool = intermediate + marts if rng.random() < 0.85 else staging
        parents = _pick(rng, pool, popularity, rng.randint(2, 6))
        prefix = rng.choice(("fct", "dim", "fct", "agg"))
        name = f"{prefix}_{rng.choice(ENTITIES)}s_{index}"
        materialized = rng.choice(("table", "incremental", "table"))
        macros = ["macro.dbt.is_incremental"] if materialized == "incremental" else []
        marts.append(
            _add_model(
                project,
                name,
                f"marts/{rng.choice(('finance', 'growth', 'ops', 'product'))}",
                parents,
                materialized,
                rng.choice(owners),
                macros,
            )
        )
        popularity.extend(parents)
    snapshots = [
        _add_snapshot(project, f"{project.nodes[parent]['name']}_snapshot_{index}", parent)
        for index, parent in enumerate(rng.sample(staging, min(n_snapshots, len(staging))))
    ]
    for index in range(n_exposures):
        _add_exposure(
            project,
            f"{rng.choice(ENTITIES)}_dashboard_{index}",
            _pick(rng, marts, marts, rng.randint(1, 5)),
            rng.choice(owners),
        )
    for index in range(n_unit_tests):
        _add_unit_test(project, rng.choice(intermediate + marts), index)

    # Tests: most models get a not_null + unique on their key, some accepted_values, relationships,
    # this package's tests and singular tests; sources get a few; until the budget is used.
    testable = [
        uid
        for uid in staging + intermediate + marts + snapshots
        if project.nodes[uid]["config"]["materialized"] != "ephemeral"
    ]
    rng.shuffle(testable)
    testable = testable[: len(testable) * 88 // 100] + rng.sample(sources, len(sources) // 2)
    budget = n_tests
    while budget > 0:
        for target in testable:
            if budget <= 0:
                break
            columns = project.columns[target]
            severity = "warn" if rng.random() < 0.15 else "ERROR"
            kinds = (
                ["not_null", "unique"]
                if target not in project.tests_of
                else [
                    rng.choice(("not_null", "accepted_values", "relationships", *PACKAGE_TESTS, "singular"))
                ]
            )
            for kind in kinds:
                column = (
                    columns[0]
                    if kind in ("not_null", "unique") and target not in project.tests_of
                    else rng.choice(columns)
                )
                other = None
                if kind == "relationships":
                    candidates = [
                        parent for parent in project.parents.get(target, []) if parent in project.nodes
                    ]
                    if not candidates:
                        kind = "not_null"
                    else:
                        other = rng.choice(candidates)
                if kind in PACKAGE_TESTS or kind == "singular":
                    column = "created_at" if kind != "singular" else columns[0]
                before = len(project.nodes)
                _add_test(project, kind, target, column, severity, other)
                budget -= len(project.nodes) - before


def _descendants(children: dict[str, list[str]], start: str) -> dict[str, int]:
    """Every descendant of `start` with its depth (edges from start)."""
    depth = {start: 0}
    queue = deque([start])
    while queue:
        current = queue.popleft()
        for child in children.get(current, ()):
            if child not in depth:
                depth[child] = depth[current] + 1
                queue.append(child)
    del depth[start]
    return depth


def _plan_failures(
    project: _Project, total: int
) -> tuple[dict[str, tuple[str, str, int | None]], dict[str, int]]:
    """Choose the roots and the skipped nodes below them.

    Returns `{unique_id: (status, message, failures)}` for the roots and `{skipped_id: depth}`.
    """
    rng = project.rng
    children: dict[str, list[str]] = {}
    for unique_id, parents in project.parents.items():
        for parent in parents:
            children.setdefault(parent, []).append(unique_id)
    models = [
        uid
        for uid, body in project.nodes.items()
        if body["resource_type"] == "model" and body["config"]["materialized"] != "ephemeral"
    ]
    roots: dict[str, tuple[str, str, int | None]] = {}
    skipped: dict[str, int] = {}
    claimed: set[str] = set()  # roots and their tested models: no other root may skip them

    def accept(
        unique_id: str, model: str, skips: dict[str, int], status: str, message: str, failures: int | None
    ) -> bool:
        if {unique_id, model} & (claimed | skipped.keys()) or any(node in skips for node in claimed):
            return False
        roots[unique_id] = (status, message, failures)
        claimed.update({unique_id, model})
        for node, depth in skips.items():
            skipped[node] = max(depth, skipped.get(node, 0))
        return True

    # Model errors on hub models: big blast radius, long skipped chains.
    # One error on the model with the deepest descendants (the long skipped chain), the rest anywhere.
    upstream_models = models[: len(models) * 3 // 4]
    deepest = max(
        upstream_models, key=lambda uid: (max(_descendants(children, uid).values(), default=0), uid)
    )
    candidates = [deepest, *rng.sample(models, len(models))]
    n_errors = 2 + total // 20000
    for unique_id in candidates:
        if sum(status == "error" for status, _, _ in roots.values()) >= n_errors:
            break
        body = project.nodes[unique_id]
        columns = project.columns[unique_id]
        message = rng.choice(ERROR_MESSAGES).format(
            name=body["name"], path=body["original_file_path"], column=columns[-1], other=columns[0],
            line=rng.randint(12, 80), project=PROJECT, gcp=GCP_PROJECT, system=rng.choice(SOURCE_SYSTEMS),
        )  # fmt: skip
        accept(unique_id, unique_id, _descendants(children, unique_id), "error", message, None)
    # Test failures (severity error: dbt skips the tested model's children) and warnings.
    tests = [
        uid
        for uid, body in project.nodes.items()
        if body["resource_type"] == "test" and body.get("attached_node") in project.nodes
    ]
    rng.shuffle(tests)
    n_fails, n_warns = 2 + total // 10000, 1 + total // 2500
    for unique_id in tests:
        fails = sum(status == "fail" for status, _, _ in roots.values())
        warns = sum(status == "warn" for status, _, _ in roots.values())
        body = project.nodes[unique_id]
        model = body["attached_node"]
        count = rng.randint(1, 5000)
        if body["config"]["severity"] == "ERROR" and fails < n_fails:
            skips = {
                node: depth
                for node, depth in _descendants(children, model).items()
                if model not in project.parents.get(node, ()) or not node.startswith("test.")
            }
            accept(unique_id, model, skips, "fail", f"Got {count} results, configured to fail if != 0", count)
        elif body["config"]["severity"] == "warn" and warns < n_warns:
            accept(unique_id, model, {}, "warn", f"Got {count} results, configured to warn if != 0", count)
        if fails >= n_fails and warns >= n_warns:
            break
    return roots, skipped


def _result(
    unique_id: str,
    status: str,
    message: str | None,
    failures: int | None,
    started: datetime,
    seconds: float,
    thread: int,
    compiled: str | None,
    relation: str | None,
    bytes_processed: int | None,
) -> dict[str, Any]:
    def stamp(moment: datetime) -> str:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    timing = []
    adapter_response: dict[str, Any] = {}
    if status != "skipped":
        compile_end = started + timedelta(seconds=0.012)
        timing = [
            {"name": "compile", "started_at": stamp(started), "completed_at": stamp(compile_end)},
            {
                "name": "execute",
                "started_at": stamp(compile_end),
                "completed_at": stamp(started + timedelta(seconds=seconds)),
            },
        ]
        if bytes_processed is not None and status != "error":
            adapter_response = {
                "_message": f"SELECT ({bytes_processed / 1e9:.1f} GiB processed)",
                "code": "SELECT",
                "rows_affected": failures or 0,
                "bytes_processed": bytes_processed,
                "bytes_billed": max(bytes_processed, 10485760),
                "location": "EU",
                "project_id": GCP_PROJECT,
                "job_id": _hash(unique_id, 32),
                "slot_ms": int(seconds * 1800),
            }
    return {
        "status": status,
        "timing": timing,
        "thread_id": f"Thread-{thread} (worker)",
        "execution_time": 0.0 if status == "skipped" else round(seconds, 6),
        "adapter_response": adapter_response,
        "message": message,
        "failures": failures,
        "unique_id": unique_id,
        "compiled": status != "skipped",
        "compiled_code": compiled if status != "skipped" else None,
        "relation_name": relation,
        "batch_results": None,
    }


def _run_results(
    project: _Project,
    roots: dict[str, tuple[str, str, int | None]],
    skipped: dict[str, int],
    invocation_id: str,
) -> dict[str, Any]:
    rng = project.rng
    results = []
    clock = RUN_STARTED + timedelta(seconds=4)
    order = [
        uid
        for uid, body in project.nodes.items()
        if body["resource_type"] != "test" and body["config"].get("materialized") != "ephemeral"
    ]
    for unique_id in [*order, *project.unit_tests]:
        for member in [unique_id, *project.tests_of.get(unique_id, ())]:
            body = project.nodes.get(member) or project.unit_tests[member]
            resource_type = body["resource_type"]
            seconds = rng.uniform(0.4, 3.0) if resource_type == "test" else rng.uniform(0.8, 40.0)
            clock += timedelta(seconds=seconds / 16)
            if member in roots:
                status, message, failures = roots[member]
            elif member in skipped:
                status, message, failures = "skipped", None, None
            else:
                status = "pass" if resource_type in ("test", "unit_test") else "success"
                message = (
                    None
                    if resource_type == "test"
                    else (
                        "CREATE TABLE (12.3k rows, 1.2 GiB processed)"
                        if resource_type != "unit_test"
                        else None
                    )
                )
                failures = 0 if resource_type == "test" else None
            results.append(
                _result(
                    member,
                    status,
                    message,
                    failures,
                    clock,
                    seconds,
                    rng.randint(1, 16),
                    body.get("compiled_code"),
                    body.get("relation_name"),
                    rng.randint(10**6, 10**11) if resource_type in ("model", "test", "snapshot") else None,
                )
            )
    # Source tests run with the sources' staging layer.
    for source in project.sources:
        for member in project.tests_of.get(source, ()):
            body = project.nodes[member]
            results.append(
                _result(member, "pass", None, 0, clock, 0.9, 1, body["compiled_code"], None, 20_000_000)
            )
    generated = clock + timedelta(seconds=2)
    return {
        "metadata": {
            "dbt_schema_version": RUN_RESULTS_SCHEMA,
            "dbt_version": DBT_VERSION,
            "generated_at": generated.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "invocation_id": invocation_id,
            "invocation_started_at": RUN_STARTED.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "env": {},
        },
        "results": results,
        "elapsed_time": (generated - RUN_STARTED).total_seconds(),
        "args": {
            "which": "build",
            "invocation_command": "dbt build --target prod",
            "select": [],
            "exclude": [],
            "indirect_selection": "eager",
            "project_dir": f"/srv/dbt/{PROJECT}",
            "profiles_dir": "/srv/dbt/.dbt",
            "target": "prod",
            "vars": {},
            "write_json": True,
            "partial_parse": True,
            "static_parser": True,
            "log_format": "json",
            "use_colors": False,
            "printer_width": 80,
            "introspect": True,
            "defer": False,
            "favor_state": False,
            "populate_cache": True,
            "send_anonymous_usage_stats": False,
            "version_check": True,
        },
    }


def _manifest(project: _Project, invocation_id: str) -> dict[str, Any]:
    parent_map = {uid: list(parents) for uid, parents in project.parents.items()}
    child_map: dict[str, list[str]] = {uid: [] for uid in parent_map}
    for unique_id, parents in parent_map.items():
        for parent in parents:
            child_map[parent].append(unique_id)
    return {
        "metadata": {
            "dbt_schema_version": MANIFEST_SCHEMA,
            "dbt_version": DBT_VERSION,
            "generated_at": RUN_STARTED.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "invocation_id": invocation_id,
            "invocation_started_at": RUN_STARTED.isoformat(),
            "env": {},
            "project_name": PROJECT,
            "project_id": _hash(PROJECT, 32),
            "user_id": None,
            "send_anonymous_usage_stats": False,
            "adapter_type": "bigquery",
            "quoting": {"database": True, "schema": True, "identifier": True, "column": None},
            "run_started_at": RUN_STARTED.isoformat(),
        },
        "nodes": project.nodes,
        "sources": project.sources,
        "macros": project.macros,
        "docs": {
            f"doc.{PROJECT}.__overview__": {
                "name": "__overview__",
                "resource_type": "doc",
                "package_name": PROJECT,
                "path": "overview.md",
                "original_file_path": "models/overview.md",
                "unique_id": f"doc.{PROJECT}.__overview__",
                "block_contents": "Acme analytics: the warehouse behind every dashboard.",
            }
        },
        "exposures": project.exposures,
        "metrics": {},
        "groups": {},
        "selectors": {},
        "disabled": {},
        "parent_map": parent_map,
        "child_map": child_map,
        "group_map": {},
        "saved_queries": {},
        "semantic_models": {},
        "unit_tests": project.unit_tests,
        "functions": {},
    }


def generate(nodes: int, target_path: str | Path, seed: int = 7) -> Expectation:
    """Write `manifest.json` and `run_results.json` of a `nodes`-node project into `target_path`.

    Args:
        nodes: the size, counted as manifest `nodes` + `sources` + `exposures` + `unit_tests` (>= 200).
        target_path: the folder to write (created if absent; existing files are replaced).
        seed: the random seed; the same (nodes, seed) always gives the same bytes.

    Returns:
        The `Expectation` a correct triage must meet.

    Raises:
        ValueError: `nodes` below 200 (too small for the layered shape).
    """
    if nodes < 200:
        raise ValueError(f"generate: nodes must be at least 200, got {nodes}")
    rng = random.Random(f"{seed}-{nodes}")
    project = _Project(rng)
    _build_graph(project, nodes)
    roots, skipped = _plan_failures(project, nodes)
    invocation_id = f"{_hash(str(seed), 8)}-0000-4000-8000-{_hash(str(nodes), 12)}"
    folder = Path(target_path)
    folder.mkdir(parents=True, exist_ok=True)
    run_results = _run_results(project, roots, skipped, invocation_id)
    with (folder / "manifest.json").open("w", encoding="utf-8") as handle:
        handle.write(json.dumps(_manifest(project, invocation_id)))
    with (folder / "run_results.json").open("w", encoding="utf-8") as handle:
        handle.write(json.dumps(run_results))
    statuses = [status for status, _, _ in roots.values()]
    return Expectation(
        nodes=len(project.nodes) + len(project.sources) + len(project.exposures) + len(project.unit_tests),
        roots=tuple(sorted(roots)),
        errors=statuses.count("error"),
        test_failures=statuses.count("fail"),
        test_warnings=statuses.count("warn"),
        skipped=sum(1 for result in run_results["results"] if result["status"] == "skipped"),
        results=len(run_results["results"]),
        longest_skipped_chain=max(skipped.values(), default=0),
    )


def main(argv: list[str] | None = None) -> None:
    """Command line: `generate_project.py NODES FOLDER [--seed N]`; prints the expectation."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "nodes", type=int, help="project size in nodes (manifest nodes + sources + exposures + unit tests)"
    )
    parser.add_argument(
        "folder", type=Path, help="target folder to write manifest.json and run_results.json into"
    )
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    arguments = parser.parse_args(argv)
    expectation = generate(arguments.nodes, arguments.folder, arguments.seed)
    print(json.dumps({key: value for key, value in expectation.__dict__.items() if key != "roots"}, indent=2))


if __name__ == "__main__":
    main()
