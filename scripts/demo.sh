#!/usr/bin/env bash
# The main job end to end on the embedded DuckDB default (run by `make demo`):
#   1. build the integration warehouse healthy (raw load + `dbt build`),
#   2. inject an incident scenario (default null_spike; `make demo SCENARIO=volume_drop`),
#   3. run the nightly job again: source freshness + `dbt build` fail,
#   4. `dbt-incident triage` says what broke, why, how bad and who is affected,
#   5. `dbt-incident profile` shows what the data looks like,
#   6. `dbt-incident report` writes the incident report.
# Everything lands in demo/ (git-ignored): warehouse, dbt target folders, report.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SCENARIO="${SCENARIO:-null_spike}"
BIN="$ROOT/.venv/bin"
DEMO="$ROOT/demo"
rm -rf "$DEMO"
mkdir -p "$DEMO"

export DBT_PROFILES_DIR="$ROOT/integration_tests"
export DBT_INCIDENT_TARGET=duckdb
export DBT_INCIDENT_DUCKDB_PATH="$DEMO/warehouse.duckdb"
export DBT_SEND_ANONYMOUS_USAGE_STATS=False
export DBT_LOG_PATH="$DEMO/logs"
VARS="{incident_scenario: $SCENARIO}"

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
dbt() { (cd "$ROOT/integration_tests" && "$BIN/dbt" "$@"); }

say "Installing the package into the integration project (dbt deps)"
dbt deps --quiet

say "Day 1: the warehouse is healthy (raw load + dbt build)"
dbt run-operation load_raw_warehouse --target-path "$DEMO/healthy" --quiet
dbt build --target-path "$DEMO/healthy" --quiet
echo "healthy build passed"

say "Night 2: the incident '$SCENARIO' happens upstream; the nightly job runs"
dbt run-operation load_raw_warehouse --vars "$VARS" --target-path "$DEMO/target" --quiet
dbt source freshness --vars "$VARS" --target-path "$DEMO/target" --quiet || echo "(source freshness failed)"
if dbt build --vars "$VARS" --target-path "$DEMO/target" --quiet; then
  echo "dbt build passed: scenario '$SCENARIO' was not caught by any test" >&2
else
  echo "dbt build failed, as the on-call engineer sees it at 02:00"
fi

say "dbt-incident triage"
set +e
"$BIN/dbt-incident" triage --project-dir integration_tests --target-path "$DEMO/target"
triage_status=$?
set -e
if [[ $triage_status -ne 1 ]]; then
  echo "expected triage to find failures (exit 1), got $triage_status" >&2
  exit 1
fi
"$BIN/dbt-incident" triage --project-dir integration_tests --target-path "$DEMO/target" --format json \
  --output "$DEMO/triage.json" --force || true

say "dbt-incident triage --failing-rows: read the failing rows, name the affected partitions"
set +e
"$BIN/dbt-incident" triage --project-dir integration_tests --target-path "$DEMO/target" --no-changes \
  --failing-rows --profiles-dir integration_tests --vars "$VARS" --format json --output "$DEMO/triage.json" --force
set -e
"$BIN/python" - "$DEMO/triage.json" <<'PY'
import json, sys
document = json.load(open(sys.argv[1]))
for failure in document["failures"]:
    print(f"{failure['severity']} {failure['unique_id']}: {failure['kind']}/{failure['cause']}; "
          f"affected partitions: {', '.join(failure['affected_partitions']) or 'n/a'}")
PY

say "dbt-incident profile: what the data looks like around the first failure"
PROFILE_COMMAND=$("$BIN/python" - "$DEMO/triage.json" <<'PY'
import json, sys
document = json.load(open(sys.argv[1]))
steps = [step for failure in document["failures"] for step in failure["next_steps"]
         if step.startswith("dbt-incident profile")]
print(steps[0] if steps else "")
PY
)
if [[ -n "$PROFILE_COMMAND" ]]; then
  echo "\$ $PROFILE_COMMAND --as-of 2026-11-30"
  # shellcheck disable=SC2086
  (cd "$ROOT" && PATH="$BIN:$PATH" eval "$PROFILE_COMMAND --as-of 2026-11-30 --project-dir integration_tests \
    --profiles-dir integration_tests --vars \"\$VARS\"") || echo "(profile flagged anomalies: exit 1)"
else
  echo "(no data-test failure to profile in this scenario)"
fi

say "dbt-incident report"
report_path=$("$BIN/dbt-incident" report --project-dir integration_tests --target-path "$DEMO/target" \
  --output-dir "$DEMO" --force --failing-rows --profiles-dir integration_tests --vars "$VARS")
echo "Incident report: $report_path"
