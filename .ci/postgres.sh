#!/usr/bin/env bash
# Start a local PostgreSQL server for khaldun's store tests and print the URL to use.
#
# Idempotent: installs Debian's postgresql package if missing, creates/starts a cluster
# listening on 127.0.0.1 only, and creates the role and database khaldun_test. Prints one
# line, the URL, for: export KHALDUN_TEST_POSTGRES_URL="$(.ci/postgres.sh)"
# Everything else goes to stderr. Must run as root (it uses apt-get and su postgres).
set -euo pipefail

PGUSER_NAME="${KHALDUN_PG_USER:-khaldun}"
PGPASS="${KHALDUN_PG_PASSWORD:-khaldun}"
PGDB="${KHALDUN_PG_DB:-khaldun_test}"
PGPORT="${KHALDUN_PG_PORT:-5432}"

log() { echo "postgres.sh: $*" >&2; }

if ! command -v pg_lsclusters >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    log "installing Debian's postgresql package"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi

VERSION="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
CLUSTER=main

if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$VERSION $CLUSTER"; then
    log "creating cluster $VERSION/$CLUSTER on port $PGPORT"
    pg_createcluster -p "$PGPORT" "$VERSION" "$CLUSTER" >&2
fi
PGPORT="$(pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1==v && $2==c {print $3}')"

if ! pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1==v && $2==c {print $4}' | grep -q online; then
    log "starting cluster $VERSION/$CLUSTER (127.0.0.1:$PGPORT)"
    pg_ctlcluster "$VERSION" "$CLUSTER" start -o "-c listen_addresses=127.0.0.1" >&2
fi

for _ in $(seq 1 30); do
    su postgres -c "pg_isready -q -h 127.0.0.1 -p $PGPORT" && break
    sleep 1
done

psql_admin() { su postgres -c "psql -v ON_ERROR_STOP=1 -q -p $PGPORT -At $*"; }

if [ "$(psql_admin "-c \"SELECT 1 FROM pg_roles WHERE rolname = '$PGUSER_NAME'\"")" != "1" ]; then
    log "creating role $PGUSER_NAME"
    psql_admin "-c \"CREATE ROLE $PGUSER_NAME LOGIN PASSWORD '$PGPASS' CREATEDB\""
fi
if [ "$(psql_admin "-c \"SELECT 1 FROM pg_database WHERE datname = '$PGDB'\"")" != "1" ]; then
    log "creating database $PGDB"
    psql_admin "-c \"CREATE DATABASE $PGDB OWNER $PGUSER_NAME\""
fi

echo "postgresql://$PGUSER_NAME:$PGPASS@127.0.0.1:$PGPORT/$PGDB"
