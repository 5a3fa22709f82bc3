"""Parse `manifest.json`: schemas v1-v12 (dbt 0.19 to 1.11+), tolerant of hand-edited and newer files."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dbt_incident.artifacts.reading import (
    as_mapping,
    as_strings,
    as_text,
    load_artifact,
    schema_version,
)
from dbt_incident.artifacts.types import Exposure, Manifest, Node, TestMetadata
from dbt_incident.errors import NotADbtArtifact

ARTIFACT = "manifest.json"


def load_manifest(path: str | Path) -> Manifest:
    """Read and parse a `manifest.json` file.

    Raises:
        ArtifactNotFound, ArtifactInvalid: unreadable file; NotADbtArtifact: not a manifest.
    """
    return load_artifact(path, ARTIFACT, parse_manifest)


def parse_manifest(document: Mapping[str, Any], path: Path) -> Manifest:
    """Turn a decoded manifest into `Manifest`, keeping the fields lineage, impact and reports use.

    The version string is not trusted for shapes (hand-edited files claim v12 with 0.20-era bodies): every
    field is read with fallbacks (`compiled_path`, `depends_on.nodes` / `parent_map`, `meta` / `config.meta`).

    Raises:
        NotADbtArtifact: no `nodes` object, or the schema URL names another artifact.
    """
    version, warnings = schema_version(document, path, ARTIFACT, "manifest")
    nodes_field = document.get("nodes")
    if not isinstance(nodes_field, dict):
        raise NotADbtArtifact(f"{path}: not a dbt {ARTIFACT}: field 'nodes' (an object) is missing")
    metadata = as_mapping(document.get("metadata"))
    nodes: dict[str, Node] = {}
    for section in (nodes_field, as_mapping(document.get("unit_tests"))):
        for unique_id, body in section.items():
            if isinstance(body, dict):
                nodes[unique_id] = parse_node(unique_id, body)
    sources = {
        unique_id: parse_node(unique_id, body)
        for unique_id, body in as_mapping(document.get("sources")).items()
        if isinstance(body, dict)
    }
    exposures = {
        unique_id: _parse_exposure(unique_id, body)
        for unique_id, body in as_mapping(document.get("exposures")).items()
        if isinstance(body, dict)
    }
    macro_paths = {
        unique_id: path_text
        for unique_id, body in as_mapping(document.get("macros")).items()
        if isinstance(body, dict) and (path_text := as_text(body.get("original_file_path")))
    }
    parent_map = _parent_map(document, nodes, exposures)
    return Manifest(
        path=path,
        schema_version=version,
        dbt_version=as_text(metadata.get("dbt_version")),
        project_name=as_text(metadata.get("project_name")),
        adapter_type=as_text(metadata.get("adapter_type")),
        invocation_id=as_text(metadata.get("invocation_id")),
        nodes=nodes,
        sources=sources,
        exposures=exposures,
        macro_paths=macro_paths,
        parent_map=parent_map,
        warnings=tuple(warnings),
    )


def parse_node(unique_id: str, body: Mapping[str, Any]) -> Node:
    """One node body (from `nodes`, `sources`, `unit_tests`, or a legacy run_results `node`) as a `Node`."""
    config = as_mapping(body.get("config"))
    depends_on = as_mapping(body.get("depends_on"))
    resource_type = as_text(body.get("resource_type")) or unique_id.split(".", 1)[0]
    meta = {**as_mapping(config.get("meta")), **as_mapping(body.get("meta"))}
    test_metadata = None
    raw_test_metadata = body.get("test_metadata")
    if isinstance(raw_test_metadata, dict) and as_text(raw_test_metadata.get("name")):
        test_metadata = TestMetadata(
            name=as_text(raw_test_metadata.get("name")) or "",
            namespace=as_text(raw_test_metadata.get("namespace")),
            kwargs=as_mapping(raw_test_metadata.get("kwargs")),
        )
    parents = as_strings(depends_on.get("nodes"))
    if resource_type == "unit_test" and not parents:
        parents = as_strings(body.get("model")) and (f"model.{body.get('package_name')}.{body.get('model')}",)
    attached = as_text(body.get("attached_node"))
    if resource_type in ("test", "unit_test") and not attached:
        attached = next((parent for parent in parents if not parent.startswith("macro.")), None)
    checksum = as_mapping(body.get("checksum")).get("checksum")
    version = body.get("version")
    owner = as_text(meta.get("owner")) or as_text(as_mapping(config.get("meta")).get("owner"))
    freshness_field = as_text(body.get("loaded_at_field")) or as_text(config.get("loaded_at_field"))
    return Node(
        unique_id=unique_id,
        resource_type=resource_type,
        name=as_text(body.get("name")) or unique_id.rsplit(".", 1)[-1],
        package_name=as_text(body.get("package_name")),
        original_file_path=as_text(body.get("original_file_path")),
        path=as_text(body.get("path")),
        compiled_path=as_text(body.get("compiled_path")) or as_text(body.get("build_path")),
        database=as_text(body.get("database")),
        schema=as_text(body.get("schema")),
        alias=as_text(body.get("alias")) or as_text(body.get("identifier")),
        relation_name=as_text(body.get("relation_name")),
        materialized=as_text(config.get("materialized")),
        parents=tuple(dict.fromkeys(parents)),
        macros=as_strings(depends_on.get("macros")),
        tags=as_strings(body.get("tags")) or as_strings(config.get("tags")),
        meta=meta,
        config=config,
        test_metadata=test_metadata,
        column_name=as_text(body.get("column_name")),
        attached_node=attached,
        severity=as_text(config.get("severity")),
        version=None if version is None else str(version),
        checksum=as_text(checksum),
        owner=owner,
        language=as_text(body.get("language")),
        source_name=as_text(body.get("source_name")),
        loaded_at_field=freshness_field,
        patch_path=as_text(body.get("patch_path")),
        columns=tuple(
            (as_text(column.get("name")) or str(key), as_text(column.get("data_type")))
            for key, column in as_mapping(body.get("columns")).items()
            if isinstance(column, dict)
        ),
    )


def _parse_exposure(unique_id: str, body: Mapping[str, Any]) -> Exposure:
    owner = body.get("owner")
    owner_name = owner_email = None
    if isinstance(owner, dict):
        owner_name, owner_email = as_text(owner.get("name")), as_text(owner.get("email"))
    elif isinstance(owner, str):
        owner_name = owner
    meta = {**as_mapping(as_mapping(body.get("config")).get("meta")), **as_mapping(body.get("meta"))}
    return Exposure(
        unique_id=unique_id,
        name=as_text(body.get("name")) or unique_id.rsplit(".", 1)[-1],
        type=as_text(body.get("type")),
        label=as_text(body.get("label")),
        owner_name=owner_name,
        owner_email=owner_email,
        url=as_text(body.get("url")),
        maturity=as_text(body.get("maturity")),
        parents=as_strings(as_mapping(body.get("depends_on")).get("nodes")),
        meta=meta,
        tags=as_strings(body.get("tags")),
    )


def _parent_map(
    document: Mapping[str, Any], nodes: Mapping[str, Node], exposures: Mapping[str, Exposure]
) -> dict[str, tuple[str, ...]]:
    """The manifest's `parent_map` when it has one, completed from `depends_on` for anything it lacks."""
    parent_map: dict[str, tuple[str, ...]] = {
        unique_id: as_strings(parents)
        for unique_id, parents in as_mapping(document.get("parent_map")).items()
    }
    for unique_id, node in nodes.items():
        parent_map.setdefault(unique_id, node.parents)
    for unique_id, exposure in exposures.items():
        parent_map.setdefault(unique_id, exposure.parents)
    return parent_map
