#!/usr/bin/env bash
# Makes the PostgreSQL the tests use available on 127.0.0.1:5432:
# starts Debian's cluster if it is stopped and creates the test role and database.
# Needs root (or the postgres user) on a machine with Debian's postgresql package.
set -euo pipefail
url="${TSUNAGU_TEST_DATABASE_URL:-postgres://tsunagu:tsunagu@127.0.0.1:5432/tsunagu_test}"
if command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; then :; else
  if ! command -v pg_ctlcluster >/dev/null; then
    echo "PostgreSQL is not running and pg_ctlcluster is missing: install PostgreSQL or set TSUNAGU_TEST_DATABASE_URL" >&2
    exit 1
  fi
  # The cluster on port 5432 (others on the machine, on other ports, are not the tests').
  cluster=$(pg_lsclusters -h | awk '$3 == 5432 {print $1" "$2; exit}')
  [ -n "$cluster" ] || { echo "no PostgreSQL cluster on port 5432 found (pg_lsclusters)" >&2; exit 1; }
  pg_ctlcluster $cluster start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done
fi
if [ "$url" = "postgres://tsunagu:tsunagu@127.0.0.1:5432/tsunagu_test" ]; then
  su postgres -c "psql -qtAc \"select 1 from pg_roles where rolname='tsunagu'\"" | grep -q 1 ||
    su postgres -c "psql -qc \"create role tsunagu login password 'tsunagu'\""
  su postgres -c "psql -qtAc \"select 1 from pg_database where datname='tsunagu_test'\"" | grep -q 1 ||
    su postgres -c "psql -qc 'create database tsunagu_test owner tsunagu'"
fi
echo "PostgreSQL ready for tests"
