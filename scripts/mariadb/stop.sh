#!/bin/sh
# Stops a MariaDB started by start.sh (by the PID it recorded) and removes its directory.
# Usage: scripts/mariadb/stop.sh DIR
set -eu
. "$(dirname "$0")/../lib/stop-by-pid.sh"
# SIGTERM is mariadbd's normal shutdown.
stop_by_pid "$1/server.pid" TERM
remove_state_dir "$1"
