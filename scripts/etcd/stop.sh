#!/bin/sh
# Stops an etcd started by start.sh (by the PID it recorded) and removes its directory.
# Usage: scripts/etcd/stop.sh DIR
set -eu
DIR=$1
if [ -f "$DIR/etcd.pid" ]; then
  PID=$(cat "$DIR/etcd.pid")
  kill -TERM "$PID" 2>/dev/null || true
  i=0
  while kill -0 "$PID" 2>/dev/null; do
    i=$((i + 1))
    if [ $i -gt 100 ]; then kill -KILL "$PID" 2>/dev/null || true; break; fi
    sleep 0.1
  done
fi
case "$DIR" in
  /tmp/*) rm -rf "$DIR" ;;
  *) echo "left $DIR in place (not under /tmp)" >&2 ;;
esac
