"""Write the incident's regression test: a singular dbt test that fails on the incident data and passes on
healthy data, committed with the fix so the same failure is caught next time.

`build_regression_test(...)` derives the SQL from a failing test of the manifest:

- dbt's generic tests `not_null`, `unique`, `accepted_values`, `relationships` are written out as plain SQL
  over `{{ ref() }}` / `{{ source() }}` (arguments from `test_metadata.kwargs`, the test's `where` config kept);
- this package's generic tests (`row_count_within_history`, `partitions_complete`, `null_proportion_at_most`,
  `fresh_within`, `distinct_values_within_history`, `schema_unchanged`) call the package's own test macro
  (`dbt_incident.test_<name>(model=ref(...), ...)`) with the original arguments, its window pinned to the
  affected dates (`as_of` = last date, `days` = number of days) when they are known;
- singular tests are taken from their compiled SQL with every relation name of the manifest turned back into
  `{{ ref() }}` / `{{ source() }}` (longest names first), so literal values the run rendered stay pinned;
- `--model NAME --condition SQL` writes `select * from {{ ref('NAME') }} where (SQL)`: the condition is true
  for a bad row.

For a partitioned model (`partition_by` config, or an explicit partition column) with known affected dates,
a literal filter on those dates is added (`between` per contiguous date range; half-open timestamp bounds
when the partition column is a timestamp). The file is `<test-path>/regression/
test_incident_<YYYYMMDD>_<slug>.sql`, opens with a header naming the incident (the open incident record when
`incidents/` has one, else the run's invocation) and `{{ config(tags=['regression']) }}`, and is never
overwritten without `force`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from dbt_incident.artifacts import Manifest, Node
from dbt_incident.errors import ConfigError, NodeNotInManifest

CORE_TESTS = ("not_null", "unique", "accepted_values", "relationships")
PACKAGE_TESTS = (
    "row_count_within_history",
    "partitions_complete",
    "null_proportion_at_most",
    "fresh_within",
    "distinct_values_within_history",
    "schema_unchanged",
)
# Package tests whose window (as_of, days) can be pinned to the affected dates.
_WINDOWED_PACKAGE_TESTS = frozenset(PACKAGE_TESTS) - {"schema_unchanged", "fresh_within"}
REGRESSION_FOLDER = "regression"
_TIMESTAMP_TYPES = ("timestamp", "datetime", "timestamptz", "timestamp_ntz", "timestamp_tz")


@dataclass(frozen=True)
class IncidentRef:
    """What the header links to: an incident record id (or the run's invocation), its date and a title."""

    label: str
    day: date
    title: str | None = None


@dataclass(frozen=True)
class RegressionTest:
    """A generated singular test: file name, SQL text, and what it was derived from (`derived_from`)."""

    file_name: str
    sql: str
    derived_from: str
    model: str
    dates: tuple[date, ...]
    notes: tuple[str, ...] = ()


def parse_dates(values: Iterable[str]) -> tuple[date, ...]:
    """Dates from options: `2026-11-30`, comma-separated lists, and ranges `2026-11-28..2026-11-30`.

    Raises:
        ConfigError: a value is not an ISO date, or a range ends before it starts.
    """
    found: set[date] = set()
    for value in values:
        for part in (piece.strip() for piece in str(value).split(",")):
            if not part:
                continue
            first_text, _, last_text = part.partition("..")
            try:
                first = date.fromisoformat(first_text.strip())
                last = date.fromisoformat(last_text.strip()) if last_text else first
            except ValueError as error:
                raise ConfigError(
                    f"--dates {part!r}: expected ISO dates (2026-11-30) or ranges (2026-11-28..2026-11-30)"
                ) from error
            if last < first:
                raise ConfigError(f"--dates {part!r}: the range ends before it starts")
            found.update(first + timedelta(days=offset) for offset in range((last - first).days + 1))
    return tuple(sorted(found))


def relation_call(node: Node, root_project: str | None) -> str:
    """`ref('name')`, `ref('name', v=2)`, `ref('package', 'name')` or `source('src', 'table')` for a node."""
    if node.resource_type == "source":
        return f"source({_quote(node.source_name or '')}, {_quote(node.name)})"
    arguments = [_quote(node.name)]
    if node.package_name and root_project and node.package_name != root_project:
        arguments.insert(0, _quote(node.package_name))
    if node.version:
        version = node.version
        arguments.append(f"v={version if version.isdigit() else _quote(version)}")
    return f"ref({', '.join(arguments)})"


def partition_filter(column: str, dates: Sequence[date], data_type: str | None = None) -> str:
    """A literal SQL filter on the partition column for `dates`: one condition per contiguous range.

    Dates compare with `between cast('a' as date) and cast('b' as date)`; timestamp partition columns use
    half-open bounds `>= cast('a' as timestamp) and < cast('b + 1 day' as timestamp)` (no function on the
    column, so warehouses can prune partitions).
    """
    ranges = _contiguous(dates)
    timestamp = (data_type or "").lower() in _TIMESTAMP_TYPES
    parts = []
    for first, last in ranges:
        if timestamp:
            following = last + timedelta(days=1)
            parts.append(
                f"({column} >= cast('{first.isoformat()}' as timestamp) and {column} < cast('{following.isoformat()}' as timestamp))"
            )
        elif first == last:
            parts.append(f"{column} = cast('{first.isoformat()}' as date)")
        else:
            parts.append(
                f"{column} between cast('{first.isoformat()}' as date) and cast('{last.isoformat()}' as date)"
            )
    return parts[0] if len(parts) == 1 else "(" + " or ".join(parts) + ")"


def restore_refs(compiled_sql: str, manifest: Manifest) -> tuple[str, list[str]]:
    """Turn the relation names of a compiled query back into `{{ ref() }}` / `{{ source() }}` calls.

    Every model, seed, snapshot and source of the manifest with a `relation_name` is replaced where it occurs
    verbatim, longest name first (so `"db"."main"."orders_v2"` is not split by `"db"."main"."orders"`).

    Returns:
        (the SQL with Jinja calls, the unique_ids restored).
    """
    candidates = [
        node
        for node in (*manifest.nodes.values(), *manifest.sources.values())
        if node.relation_name and node.resource_type in ("model", "seed", "snapshot", "source")
    ]
    candidates.sort(key=lambda node: -len(node.relation_name or ""))
    restored: list[str] = []
    text = compiled_sql
    for node in candidates:
        name = node.relation_name or ""
        pattern = re.compile(re.escape(name) + r"(?![\w\"`])", re.IGNORECASE)
        if pattern.search(text):
            call = "{{ " + relation_call(node, manifest.project_name) + " }}"
            text = pattern.sub(lambda _match, call=call: call, text)
            restored.append(node.unique_id)
    return text, restored


def build_regression_test(
    manifest: Manifest,
    *,
    incident: IncidentRef,
    test_id: str | None = None,
    model: str | None = None,
    condition: str | None = None,
    compiled_sql: str | None = None,
    failures: int | None = None,
    partition_column: str | None = None,
    dates: Sequence[date] = (),
    slug_text: str | None = None,
) -> RegressionTest:
    """Derive the regression test SQL from a failing test (`test_id`) or from `model` + `condition`.

    Args:
        manifest: the failed run's manifest.
        incident: what the header links to and the date in the file name.
        test_id: the failing test's unique_id or name.
        model, condition: a model (name or unique_id) and a SQL condition true for bad rows.
        compiled_sql: the failing singular test's compiled SQL (from run_results or target/compiled).
        failures: the failing row count the run reported, for the header.
        partition_column: overrides the model's `partition_by` field.
        dates: the affected dates; with a partition column they become a literal filter.
        slug_text: overrides the text the file name's slug is made from.

    Raises:
        NodeNotInManifest: the test or model is not in the manifest.
        ConfigError: neither a test nor model+condition, an unsupported test kind without compiled SQL.
    """
    from dbt_incident.report import slug

    notes: list[str] = []
    if test_id:
        test = _find_test(manifest, test_id)
        tested = manifest.get(test.attached_node) if test.attached_node else None
        if tested is None and test.test_metadata is not None:
            raise NodeNotInManifest(
                f"{test.unique_id}: the tested node {test.attached_node!r} is not in the manifest"
            )
        column, data_type = _partition(tested, partition_column) if tested else (partition_column, None)
        date_filter = partition_filter(column, dates, data_type) if column and dates else None
        if tested is not None and not date_filter:
            notes.append(_no_filter_note(column, dates))
        body, derived = _body_from_test(test, tested, manifest, date_filter, dates, compiled_sql, notes)
        subject = tested.name if tested else test.name
        default_slug = test.test_metadata.name + "_" + subject if test.test_metadata else test.name
    elif model and condition:
        tested = _find_model(manifest, model)
        column, data_type = _partition(tested, partition_column)
        date_filter = partition_filter(column, dates, data_type) if column and dates else None
        if not date_filter:
            notes.append(_no_filter_note(column, dates))
        where = f"({condition.strip()})" + (f"\n  and {date_filter}" if date_filter else "")
        body = f"select *\nfrom {{{{ {relation_call(tested, manifest.project_name)} }}}}\nwhere {where}\n"
        derived, subject = f"the condition `{condition.strip()}` on {tested.unique_id}", tested.name
        default_slug = f"{tested.name}_condition"
    else:
        raise ConfigError("regression-test: pass --test UNIQUE_ID, or --model NAME with --condition SQL")
    name_slug = slug(slug_text or default_slug).replace("-", "_") or "incident"
    file_name = f"test_incident_{incident.day:%Y%m%d}_{name_slug}.sql"
    header = _header(incident, derived, failures, dates if date_filter else (), date_filter is not None)
    sql = header + "{{ config(tags=['regression']) }}\n\n" + body
    return RegressionTest(file_name, sql, derived, subject, tuple(dates) if date_filter else (), tuple(notes))


def regression_folder(project_dir: str | Path) -> Path:
    """`<project>/<first test-path>/regression` (`test-paths` from dbt_project.yml, default `tests`)."""
    from dbt_incident.dbt_project import project_setting

    project = Path(project_dir)
    paths = project_setting(project, "test-paths")
    test_path = paths[0] if isinstance(paths, list) and paths and isinstance(paths[0], str) else "tests"
    return project / test_path / REGRESSION_FOLDER


def incident_reference(project_dir: str | Path, result: Any) -> IncidentRef:
    """The open incident record of `<project>/incidents/` when there is one, else the run's invocation."""
    try:
        from dbt_incident.errors import IncidentNotFound
        from dbt_incident.incident_record import find_incident, incidents_dir

        incident = find_incident(incidents_dir(project_dir), open_only=True)
        return IncidentRef(f"incident {incident.id}", incident.started_at.date(), incident.title)
    except (ImportError, IncidentNotFound):
        pass
    except Exception:  # an unreadable record must not stop the test from being written
        pass
    moment = result.started_at or result.generated_at or datetime.now(timezone.utc)
    label = f"dbt invocation {result.invocation_id}" if result.invocation_id else "the failed dbt run"
    return IncidentRef(label, moment.date(), None)


def write_regression_test(
    project_dir: str | Path,
    target_path: str | Path | None = None,
    *,
    test: str | None = None,
    model: str | None = None,
    condition: str | None = None,
    partition_column: str | None = None,
    dates: Sequence[str] = (),
    profile_path: str | Path | None = None,
    slug_text: str | None = None,
    force: bool = False,
) -> tuple[Path, RegressionTest]:
    """Load the failed run, derive the regression test and write it under the project's test path.

    Without `test` and `model`, the first failing test of the triage (most severe first) is used.
    Affected dates: `dates`, else the partitions flagged in the profile JSON (`profile_path`), else none.

    Raises:
        OutputExists: the file exists and `force` is false. ConfigError, NodeNotInManifest: see
        `build_regression_test`. ArtifactNotFound: no manifest.json.
    """
    from dbt_incident.artifacts import load_artifacts
    from dbt_incident.config import load_project_config
    from dbt_incident.errors import ArtifactNotFound
    from dbt_incident.files import write_atomic
    from dbt_incident.session import resolve_target_path
    from dbt_incident.triage import triage

    folder = resolve_target_path(project_dir, target_path)
    artifacts = load_artifacts(folder)
    if artifacts.manifest is None:
        raise ArtifactNotFound(
            f"{folder / 'manifest.json'}: manifest.json is needed to write a regression test"
        )
    result = triage(artifacts, load_project_config(project_dir))
    chosen_dates = parse_dates(dates)
    if not chosen_dates and profile_path is not None:
        from dbt_incident.containment import affected_dates_from_profile

        affected = affected_dates_from_profile(profile_path)
        chosen_dates = affected.dates
        partition_column = partition_column or affected.partition_column
    if not test and not model:
        test = next(
            (failure.unique_id for failure in result.failures if failure.resource_type == "test"), None
        )
        if test is None:
            raise ConfigError(
                "regression-test: no failing test in the run; pass --test, or --model with --condition"
            )
    compiled = failures = None
    if test:
        node = _find_test(artifacts.manifest, test)
        run = next(
            (
                item
                for item in (artifacts.run_results.results if artifacts.run_results else ())
                if item.unique_id == node.unique_id
            ),
            None,
        )
        failures = run.failures if run else None
        compiled = (run.compiled_code if run else None) or _compiled_file(folder, node)
    generated = build_regression_test(
        artifacts.manifest,
        incident=incident_reference(project_dir, result),
        test_id=test,
        model=model,
        condition=condition,
        compiled_sql=compiled,
        failures=failures,
        partition_column=partition_column,
        dates=chosen_dates,
        slug_text=slug_text,
    )
    destination = regression_folder(project_dir) / generated.file_name
    write_atomic(destination, generated.sql, force=force)
    return destination, generated


def _find_test(manifest: Manifest, wanted: str) -> Node:
    node = manifest.nodes.get(wanted)
    if node is None:
        matches = [
            item
            for item in manifest.nodes.values()
            if item.resource_type == "test" and (item.name == wanted or item.unique_id.endswith("." + wanted))
        ]
        node = matches[0] if len(matches) == 1 else None
    if node is None or node.resource_type != "test":
        raise NodeNotInManifest(f"regression-test: {wanted!r} is not a data test of {manifest.path}")
    return node


def _find_model(manifest: Manifest, wanted: str) -> Node:
    node = manifest.get(wanted)
    if node is None:
        matches = [
            item
            for item in (*manifest.nodes.values(), *manifest.sources.values())
            if item.resource_type in ("model", "seed", "snapshot", "source")
            and (
                item.name == wanted
                or f"{item.source_name}.{item.name}" == wanted
                or f"{item.name}.v{item.version}" == wanted
            )
        ]
        node = matches[0] if matches else None
    if node is None:
        raise NodeNotInManifest(
            f"regression-test: --model {wanted!r} is not a model, seed, snapshot or source of {manifest.path}"
        )
    return node


def _partition(node: Node, override: str | None) -> tuple[str | None, str | None]:
    """(partition column, its data type) from the option, else the node's `partition_by` config."""
    partition_by = node.config.get("partition_by")
    data_type = None
    column = None
    if isinstance(partition_by, Mapping):
        column = partition_by.get("field")
        data_type = partition_by.get("data_type")
    elif isinstance(partition_by, str):
        column = partition_by
    elif isinstance(partition_by, list) and len(partition_by) == 1 and isinstance(partition_by[0], str):
        column = partition_by[0]
    if override:
        data_type = data_type if override == column else None
        column = override
    return (str(column) if column else None), (str(data_type) if data_type else None)


def _no_filter_note(column: str | None, dates: Sequence[date]) -> str:
    if column and not dates:
        return f"no affected dates known (pass --dates or --from-profile): the test checks every {column}"
    if dates and not column:
        return (
            "affected dates given but no partition column (no partition_by config; pass --partition-column)"
        )
    return "not partitioned: the test checks the whole relation"


def _body_from_test(
    test: Node,
    tested: Node | None,
    manifest: Manifest,
    date_filter: str | None,
    dates: Sequence[date],
    compiled_sql: str | None,
    notes: list[str],
) -> tuple[str, str]:
    metadata = test.test_metadata
    if metadata is None:
        if not compiled_sql:
            raise ConfigError(
                f"regression-test: no compiled SQL for the singular test {test.unique_id} "
                "(run_results.json has none and target/compiled has no file): compile it with dbt compile"
            )
        sql, restored = restore_refs(compiled_sql.strip().rstrip(";"), manifest)
        if not restored:
            notes.append(
                "no relation name of the manifest was found in the compiled SQL; it is kept as compiled"
            )
        body = sql + "\n"
        if date_filter:
            notes.append("singular test: the affected dates are not added (its SQL decides its own filter)")
        return body, f"the singular test {test.unique_id}"
    assert tested is not None
    relation = "{{ " + relation_call(tested, manifest.project_name) + " }}"
    kwargs = dict(metadata.kwargs)
    column = kwargs.get("column_name") or test.column_name
    where_parts = [f"({test.config['where']})"] if isinstance(test.config.get("where"), str) else []
    if date_filter:
        where_parts.append(date_filter)
    name, namespace = metadata.name, metadata.namespace
    derived = f"the {name} test {test.unique_id}"
    if namespace in (None, "dbt") and name in CORE_TESTS:
        return _core_body(name, relation, column, kwargs, where_parts), derived
    if name in PACKAGE_TESTS and namespace in (None, "dbt_incident"):
        return _package_body(name, relation, kwargs, test, dates, date_filter is not None), derived
    if compiled_sql:
        sql, _ = restore_refs(compiled_sql.strip().rstrip(";"), manifest)
        notes.append(
            f"{namespace + '.' if namespace else ''}{name} is not a test dbt-incident knows: taken from its compiled SQL"
        )
        return sql + "\n", derived
    raise ConfigError(
        f"regression-test: the generic test {namespace + '.' if namespace else ''}{name} is not one dbt-incident "
        "can rewrite and the run has no compiled SQL for it; use --model with --condition"
    )


def _core_body(
    name: str, relation: str, column: Any, kwargs: Mapping[str, Any], where_parts: list[str]
) -> str:
    if not isinstance(column, str) or not column:
        raise ConfigError(f"regression-test: the {name} test has no column_name in test_metadata.kwargs")
    if name == "not_null":
        conditions = [f"{column} is null", *where_parts]
        return f"select *\nfrom {relation}\nwhere " + "\n  and ".join(conditions) + "\n"
    if name == "unique":
        conditions = [f"{column} is not null", *where_parts]
        return (
            f"select\n    {column} as unique_field,\n    count(*) as n_records\nfrom {relation}\n"
            "where " + "\n  and ".join(conditions) + f"\ngroup by {column}\nhaving count(*) > 1\n"
        )
    if name == "accepted_values":
        values = kwargs.get("values")
        if not isinstance(values, list) or not values:
            raise ConfigError(
                "regression-test: the accepted_values test has no 'values' in test_metadata.kwargs"
            )
        quote = kwargs.get("quote", True) is not False
        listed = ", ".join(_sql_literal(value) if quote else str(value) for value in values)
        filtered = ("\n    where " + "\n      and ".join(where_parts)) if where_parts else ""
        return (
            f"with all_values as (\n    select {column} as value_field, count(*) as n_records\n    from {relation}"
            f"{filtered}\n    group by {column}\n)\n\n"
            f"select *\nfrom all_values\nwhere value_field not in ({listed})\n"
        )
    to, field = kwargs.get("to"), kwargs.get("field")
    if not isinstance(to, str) or not isinstance(field, str):
        raise ConfigError(
            "regression-test: the relationships test needs 'to' and 'field' in test_metadata.kwargs"
        )
    parent = to.strip()
    parent = parent if parent.startswith("{{") else "{{ " + parent + " }}"
    filtered = ("\n    where " + "\n      and ".join(where_parts)) if where_parts else ""
    return (
        f"with child as (\n    select *\n    from {relation}{filtered}\n)\n\n"
        f"select child.{column} as from_field\nfrom child\n"
        f"left join {parent} as parent\n    on child.{column} = parent.{field}\n"
        f"where child.{column} is not null\n  and parent.{field} is null\n"
    )


def _package_body(
    name: str, relation: str, kwargs: Mapping[str, Any], test: Node, dates: Sequence[date], pin: bool
) -> str:
    arguments = {key: value for key, value in kwargs.items() if key != "model"}
    if pin and dates and name in _WINDOWED_PACKAGE_TESTS:
        arguments["as_of"] = max(dates).isoformat()
        arguments["days"] = (max(dates) - min(dates)).days + 1
    rendered = ",\n    ".join(
        [f"model={relation.removeprefix('{{ ').removesuffix(' }}')}"]
        + [f"{key}={_jinja_literal(value)}" for key, value in sorted(arguments.items())]
    )
    where = test.config.get("where")
    config_line = f"{{{{ config(where={_jinja_literal(where)}) }}}}\n" if isinstance(where, str) else ""
    return f"{config_line}{{{{ dbt_incident.test_{name}(\n    {rendered}\n) }}}}\n"


def _header(
    incident: IncidentRef, derived: str, failures: int | None, dates: Sequence[date], filtered: bool
) -> str:
    lines = [f"-- Regression test for {incident.label}" + (f": {incident.title}" if incident.title else "")]
    lines.append(
        f"-- Derived from {derived}"
        + (f", which returned {failures} failing row(s)" if failures is not None else "")
        + "."
    )
    if filtered:
        ranges = ", ".join(
            a.isoformat() if a == b else f"{a.isoformat()} to {b.isoformat()}" for a, b in _contiguous(dates)
        )
        lines.append(f"-- Pinned to the affected partitions: {ranges}.")
    lines.append(
        "-- It returns the bad rows: it fails on the incident's data and passes once the data is fixed."
    )
    lines.append(f"-- Written by dbt-incident regression-test on {datetime.now(timezone.utc):%Y-%m-%d}.")
    return "\n".join(lines) + "\n"


def _compiled_file(target: Path, node: Node) -> str | None:
    """The compiled SQL of a node from `<target>/compiled/<package>/<original_file_path>` (singular tests)."""
    if not node.original_file_path or not node.package_name:
        return None
    candidates = [target / "compiled" / node.package_name / node.original_file_path]
    if node.compiled_path:
        candidates.append(target.parent / node.compiled_path)
    for candidate in candidates:
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8")
    return None


def _contiguous(dates: Sequence[date]) -> list[tuple[date, date]]:
    ranges: list[tuple[date, date]] = []
    for day in sorted(set(dates)):
        if ranges and day == ranges[-1][1] + timedelta(days=1):
            ranges[-1] = (ranges[-1][0], day)
        else:
            ranges.append((day, day))
    return ranges


def _quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _sql_literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def _jinja_literal(value: Any) -> str:
    """A Python value from test_metadata.kwargs as a Jinja literal (strings single-quoted, none/true/false)."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if isinstance(value, str):
        expression = re.fullmatch(r"\{\{\s*(.*?)\s*\}\}", value.strip(), re.S)
        return expression[1] if expression else _quote(value)  # kwargs keep Jinja as text: "{{ var('x') }}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_jinja_literal(item) for item in value) + "]"
    if isinstance(value, Mapping):
        return (
            "{"
            + ", ".join(f"{_quote(str(key))}: {_jinja_literal(item)}" for key, item in value.items())
            + "}"
        )
    return _quote(str(value))
