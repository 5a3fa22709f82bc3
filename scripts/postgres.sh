#!/usr/bin/env bash
# Start or stop a throw-away PostgreSQL server for the `postgres` test leg.
#
#   bash scripts/postgres.sh start   # initdb (first time) into .ci/pgdata, listen on 127.0.0.1:$POSTGRES_PORT,
#                                    # create database $POSTGRES_DATABASE (default dbt_incident)
#   bash scripts/postgres.sh stop    # fast shutdown; the data folder stays (gitignored)
#   bash scripts/postgres.sh status
#
# Finds initdb/pg_ctl on PATH or under /usr/lib/postgresql/*/bin (Debian); installs the `postgresql` package
# with apt-get when neither has them and we are root. As root the server runs as the `postgres` user
# (PostgreSQL refuses to run as root). Authentication is `trust` on 127.0.0.1 only: a test server, no secrets.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PGDATA_DIR="${DBT_INCIDENT_PGDATA:-$ROOT/.ci/pgdata}"
PORT="${POSTGRES_PORT:-5432}"
DATABASE="${POSTGRES_DATABASE:-dbt_incident}"
LOG_FILE="$ROOT/.ci/postgres.log"
SOCKET_DIR="${DBT_INCIDENT_PGSOCKET:-/tmp}"

find_bin_dir() {
  if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v pg_ctl)"
    return 0
  fi
  local candidate
  for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [[ -x "$candidate/pg_ctl" && -x "$candidate/initdb" ]]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

ensure_installed() {
  if find_bin_dir >/dev/null; then
    return 0
  fi
  if [[ "$(id -u)" != "0" ]]; then
    echo "postgres.sh: initdb/pg_ctl not found and not root: install PostgreSQL (apt-get install postgresql)" >&2
    exit 2
  fi
  echo "postgres.sh: installing PostgreSQL with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  timeout 600 apt-get update -qq
  timeout 900 apt-get install -y -qq --no-install-recommends postgresql postgresql-client >/dev/null
  # The Debian package starts a cluster of its own on 5432; stop it so ours can listen there.
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    for cluster in $(ls -d /etc/postgresql/*/main 2>/dev/null); do
      version="$(basename "$(dirname "$cluster")")"
      pg_ctlcluster "$version" main stop >/dev/null 2>&1 || true
    done
  fi
  find_bin_dir >/dev/null
}

# psql may live beside pg_ctl (Debian's versioned folder) or only on PATH (/usr/bin wrapper).
psql_bin() {
  local bin="$1"
  if [[ -x "$bin/psql" ]]; then echo "$bin/psql"; else command -v psql; fi
}

# Run a command as the server's owner: `postgres` when we are root, ourselves otherwise.
as_owner() {
  if [[ "$(id -u)" == "0" ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start() {
  ensure_installed
  local bin
  bin="$(find_bin_dir)"
  mkdir -p "$(dirname "$PGDATA_DIR")"
  if [[ "$(id -u)" == "0" ]]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    mkdir -p "$PGDATA_DIR"
    chown postgres "$PGDATA_DIR"
    chmod 700 "$PGDATA_DIR"
    touch "$LOG_FILE"
    chown postgres "$LOG_FILE"
    if ! runuser -u postgres -- test -w "$PGDATA_DIR"; then
      echo "postgres.sh: the postgres user cannot reach $PGDATA_DIR (a parent folder is not o+x); set DBT_INCIDENT_PGDATA" >&2
      exit 2
    fi
  fi
  if [[ ! -f "$PGDATA_DIR/PG_VERSION" ]]; then
    as_owner "$bin/initdb" --pgdata="$PGDATA_DIR" --auth=trust --username=postgres --encoding=UTF8 \
      --locale=C.UTF-8 >/dev/null 2>&1 ||
      as_owner "$bin/initdb" --pgdata="$PGDATA_DIR" --auth=trust --username=postgres --encoding=UTF8 --locale=C >/dev/null
  fi
  if as_owner "$bin/pg_ctl" --pgdata="$PGDATA_DIR" status >/dev/null 2>&1; then
    echo "postgres.sh: already running ($PGDATA_DIR)"
  else
    as_owner "$bin/pg_ctl" --pgdata="$PGDATA_DIR" --log="$LOG_FILE" --wait --timeout=60 \
      -o "-c listen_addresses=127.0.0.1 -p $PORT -k $SOCKET_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null
  fi
  local attempt psql
  psql="$(psql_bin "$bin")"
  for attempt in $(seq 1 30); do
    if as_owner "$psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -Atqc "select 1" >/dev/null 2>&1; then
      break
    fi
    sleep 1
  done
  if ! as_owner "$psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -Atqc \
    "select 1 from pg_database where datname = '$DATABASE'" | grep -q 1; then
    as_owner "$psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -qc "create database \"$DATABASE\"" >/dev/null
  fi
  echo "postgres.sh: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT, database $DATABASE"
}

stop() {
  local bin
  bin="$(find_bin_dir)" || return 0
  if [[ -f "$PGDATA_DIR/postmaster.pid" ]]; then
    as_owner "$bin/pg_ctl" --pgdata="$PGDATA_DIR" --mode=fast --wait --timeout=60 stop >/dev/null || true
    echo "postgres.sh: stopped"
  fi
}

status() {
  local bin
  bin="$(find_bin_dir)" || { echo "not installed"; exit 3; }
  as_owner "$bin/pg_ctl" --pgdata="$PGDATA_DIR" status
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: bash scripts/postgres.sh start|stop|status" >&2; exit 2 ;;
esac
