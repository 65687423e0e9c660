#!/bin/sh
# Lets the replica service stream the WAL (runs once, when the primary's volume is created).
set -e
echo "host replication ${POSTGRES_USER} all scram-sha-256" >> "$PGDATA/pg_hba.conf"
