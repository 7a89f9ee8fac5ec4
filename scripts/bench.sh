#!/usr/bin/env bash
# `make bench [QUICK=1]`: the benchmark of issue 10 on a private PostgreSQL 15 cluster.
# Builds the data sets with fsync off (loading speed is not what is measured), restarts
# the cluster durable (fsync on, as in production) and then measures: verify_audit, the
# Locust load test against two gunicorn instances, the growth table over N. The report is
# bench/results/latest.md and latest.json. The cluster is always stopped and removed.
set -euo pipefail
cd "$(dirname "$0")/.."
UV="python3 -m uv"

# shellcheck source=scripts/pg.sh
source scripts/pg.sh
export BENCH_STARTED="${BENCH_STARTED:-$(date +%s)}"
quick=()
[ -n "${QUICK:-}" ] && [ "${QUICK}" != "0" ] && quick=(--quick)

pg_start -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
  -c max_wal_size=4GB -c checkpoint_timeout=30min
echo "== PostgreSQL 15 (privé) op poort $PG_PORT"
$UV run python -m bench.run data --port "$PG_PORT" "${quick[@]}"
pg_restart -c shared_buffers=256MB -c max_connections=200
$UV run python -m bench.run load --port "$PG_PORT" "${quick[@]}"
