#!/bin/sh
# Stops a PostgreSQL started by start.sh (by the PID it recorded) and removes its directory.
# Usage: scripts/postgres/stop.sh DIR
set -eu
. "$(dirname "$0")/../lib/stop-by-pid.sh"
# SIGINT is PostgreSQL's "fast shutdown".
stop_by_pid "$1/postgres.pid" INT
remove_state_dir "$1"
