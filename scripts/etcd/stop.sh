#!/bin/sh
# Stops an etcd started by start.sh (by the PID it recorded) and removes its directory.
# Usage: scripts/etcd/stop.sh DIR
set -eu
. "$(dirname "$0")/../lib/stop-by-pid.sh"
stop_by_pid "$1/etcd.pid" TERM
remove_state_dir "$1"
