#!/bin/sh
# A streaming replica of `db`: cloned with pg_basebackup -R on first start, then PostgreSQL in standby.
set -e
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -h db -U "$POSTGRES_USER" -q; do sleep 1; done
  PGPASSWORD="$POSTGRES_PASSWORD" pg_basebackup -h db -U "$POSTGRES_USER" -D "$PGDATA" -R -X stream
  chmod 700 "$PGDATA"
fi
exec postgres -c hot_standby=on -c shared_buffers=256MB -c work_mem=16MB -c max_standby_streaming_delay=5s
