#!/bin/sh
# Stops a simulator cluster started by start.sh (by the PIDs it recorded) and, unless
# --keep is given, removes its directory. A simulator that was killed with -9 leaves its
# tgtd running: that recorded PID is stopped too (only if it is still a tgtd).
# Usage: scripts/ontap-sim/stop.sh DIR [--keep]
set -eu
. "$(dirname "$0")/../lib/stop-by-pid.sh"
DIR=$1
stop_by_pid "$DIR/simulator.pid" TERM
if [ -f "$DIR/tgtd.pid" ] && grep -q '^tgtd' "/proc/$(cat "$DIR/tgtd.pid")/cmdline" 2>/dev/null; then
  stop_by_pid "$DIR/tgtd.pid" KILL  # tgtd ignores SIGTERM
fi
[ "${2:-}" = "--keep" ] || remove_state_dir "$DIR"
