#!/usr/bin/env bash
# The whole test suite on SQLite and then on a private PostgreSQL 15 cluster under var/.
# Installs what is missing (chromium for the browser journeys, libharfbuzz for PDFs) and
# always stops the cluster, also when tests fail.
set -euo pipefail
cd "$(dirname "$0")/.."
UV="python3 -m uv"

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
dpkg -s libharfbuzz-subset0 >/dev/null 2>&1 || need+=(libharfbuzz-subset0)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "Installeren: ${need[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "Ontbrekend: ${need[*]}. Installeer met: sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
fi

# shellcheck source=scripts/pg.sh
source scripts/pg.sh
pg_install_if_missing

echo "== Lint en migraties"
$UV run ruff check .
$UV run ruff format --check .
$UV run mypy .
$UV run lint-imports
$UV run python manage.py makemigrations --check --dry-run >/dev/null

# Both runs spread the tests over worker processes (pytest-xdist), each with its own test
# database (SQLite in memory, or test_ketenregie_gwN on PostgreSQL) and its own live server
# for the browser journeys. `--dist load` hands out runs of consecutive tests from the
# front of the collection, so every worker runs its tests in collection order: the
# permission matrix's tests of one world mostly stay together, and pytest-django's
# transactional tests (the browser journeys, whose flush removes migration-seeded rows)
# stay after the others on each worker. Not worksteal: a stolen tail breaks that order.
# PYTEST_WORKERS=0 runs in one process; arguments to test.sh go last, so they can
# override these (e.g. -n 0, -p no:randomly, -k ...).
PYTEST_PARALLEL=(-n "${PYTEST_WORKERS:-auto}" --dist load)

echo "== Tests op SQLite"
status=0
$UV run pytest "${PYTEST_PARALLEL[@]}" "$@" || status=$?

echo "== Tests op PostgreSQL 15"
pg_start -c fsync=off -c synchronous_commit=off -c full_page_writes=off
pg_status=0
DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/ketenregie" $UV run pytest "${PYTEST_PARALLEL[@]}" \
  -m "not pg_restart" "$@" || pg_status=$?

# The fault test that crashes PostgreSQL (pg_ctl restart -m immediate) drops every
# connection to the cluster, so it runs alone, after the parallel run, in one process,
# on the cluster restarted with the durable defaults: with synchronous_commit=off a crash
# loses commits the clients were told about (and the test says so).
# Exit 5 is "no test selected" (arguments such as -k chose none of them).
echo "== Storingstest: PostgreSQL herstarten tijdens schrijven"
pg_restart
export KETENREGIE_PG_CTL="${PG_AS[*]} $PG_BIN/pg_ctl -D $PGDIR/data -l $PGDIR/log"
fault_status=0
DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/ketenregie" $UV run pytest -m pg_restart \
  "$@" -n 0 || fault_status=$?
[ $fault_status -eq 5 ] || [ $fault_status -eq 0 ] || pg_status=$fault_status

echo "== Uitslag: SQLite exit $status, PostgreSQL exit $pg_status"
[ $status -eq 0 ] && [ $pg_status -eq 0 ]
