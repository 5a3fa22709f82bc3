#!/usr/bin/env bash
# Install, start and stop the local BigQuery emulator (`bqemulator`, PyPI) for the `bigquery` test leg.
#
#   bash scripts/bigquery_emulator.sh setup   # .venv-bqemulator with bqemulator + duckdb 1.5.5 + spatial
#   bash scripts/bigquery_emulator.sh start   # REST API on 127.0.0.1:$BQEMULATOR_PORT (default 9050), in memory
#   bash scripts/bigquery_emulator.sh stop
#   bash scripts/bigquery_emulator.sh status
#
# Why a venv of its own: bqemulator pins duckdb 1.5.x while dbt-duckdb in .venv uses a newer duckdb.
# The emulator loads DuckDB's `spatial` extension at start and would download it (no network here), so the
# extension file shipped in the `duckdb-extension-spatial` wheel is copied into DuckDB's extension folder.
# dbt-bigquery reaches the emulator through `api_endpoint` in integration_tests/profiles.yml
# (`method: oauth-secrets`, a fake token): see docs/adapters.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${BQEMULATOR_VENV:-$ROOT/.venv-bqemulator}"
PYTHON="${PYTHON:-python3}"
PORT="${BQEMULATOR_PORT:-9050}"
PROJECT="${BIGQUERY_PROJECT:-dbt-incident-test}"
PID_FILE="$ROOT/.ci/bqemulator.pid"
LOG_FILE="$ROOT/.ci/bqemulator.log"
BQEMULATOR_VERSION="1.4.0"
DUCKDB_VERSION="1.5.5"

setup() {
  if [[ ! -x "$VENV/bin/bqemulator" ]]; then
    timeout 300 "$PYTHON" -m venv "$VENV"
    timeout 600 "$VENV/bin/pip" install --quiet --disable-pip-version-check \
      "bqemulator==$BQEMULATOR_VERSION" "duckdb==$DUCKDB_VERSION" \
      "duckdb-extension-spatial==$DUCKDB_VERSION" numpy
  fi
  local site extension target
  site="$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
  extension="$(ls "$site"/duckdb_extension_spatial/extensions/v$DUCKDB_VERSION/spatial.duckdb_extension)"
  target="$HOME/.duckdb/extensions/v$DUCKDB_VERSION/linux_amd64"
  mkdir -p "$target"
  cp -f "$extension" "$target/"
  echo "bigquery_emulator.sh: bqemulator $BQEMULATOR_VERSION in $VENV (spatial extension in $target)"
}

is_up() {
  "$VENV/bin/python" - "$PORT" "$PROJECT" <<'PY'
import sys, urllib.request
port, project = sys.argv[1], sys.argv[2]
url = f"http://127.0.0.1:{port}/bigquery/v2/projects/{project}/datasets"
try:
    with urllib.request.urlopen(url, timeout=2) as response:
        sys.exit(0 if response.status == 200 else 1)
except Exception:
    sys.exit(1)
PY
}

start() {
  [[ -x "$VENV/bin/bqemulator" ]] || setup
  mkdir -p "$(dirname "$PID_FILE")"
  if is_up; then
    echo "bigquery_emulator.sh: already serving on 127.0.0.1:$PORT"
    return 0
  fi
  # --grpc-port 0: dbt-bigquery only uses the REST API; a random gRPC port avoids clashes.
  nohup "$VENV/bin/bqemulator" start --rest-host 127.0.0.1 --rest-port "$PORT" --grpc-port 0 \
    --ephemeral --project "$PROJECT" --log-level warning --log-format console \
    >"$LOG_FILE" 2>&1 </dev/null &
  echo $! >"$PID_FILE"
  local attempt
  for attempt in $(seq 1 120); do
    if is_up; then
      echo "bigquery_emulator.sh: serving on http://127.0.0.1:$PORT (project $PROJECT, pid $(cat "$PID_FILE"))"
      return 0
    fi
    if ! kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
      echo "bigquery_emulator.sh: the emulator exited; last lines of $LOG_FILE:" >&2
      tail -20 "$LOG_FILE" >&2
      exit 1
    fi
    sleep 0.5
  done
  echo "bigquery_emulator.sh: not serving after 60 s; see $LOG_FILE" >&2
  exit 1
}

stop() {
  if [[ -f "$PID_FILE" ]]; then
    local pid
    pid="$(cat "$PID_FILE")"
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid"
      for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -9 "$pid" 2>/dev/null || true
      echo "bigquery_emulator.sh: stopped (pid $pid)"
    fi
    rm -f "$PID_FILE"
  fi
}

status() {
  if is_up; then echo "serving on 127.0.0.1:$PORT"; else echo "not serving"; exit 3; fi
}

case "${1:-}" in
  setup) setup ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: bash scripts/bigquery_emulator.sh setup|start|stop|status" >&2; exit 2 ;;
esac
