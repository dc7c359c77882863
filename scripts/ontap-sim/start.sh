#!/bin/sh
# Starts one ONTAP-style simulator cluster (drivers/ontap/simulator): REST API and a tgtd
# iSCSI target, both on 127.0.0.1. Several clusters run at once, each with its own DIR.
# Usage: scripts/ontap-sim/start.sh DIR CONFIG.json
#   DIR keeps the cluster's state; starting again on the same DIR restarts that cluster
#   with every object (and the same ports, recorded in DIR/ports).
# Prints shell assignments: ONTAP_SIM_DIR, ONTAP_SIM_PID, ONTAP_SIM_URL, ONTAP_SIM_ISCSI_PORT.
# Stop it with scripts/ontap-sim/stop.sh DIR [--keep].
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DIR=$1
CONFIG=$2
for bin in tgtd tgtadm; do
  command -v "$bin" >/dev/null 2>&1 || { echo "$bin is not installed (apt-get install tgt)" >&2; exit 3; }
done
mkdir -p "$DIR"
if [ -f "$DIR/ports" ]; then
  PORTS=$(cat "$DIR/ports")
else
  # Two distinct free ports: both listeners are opened before either is closed.
  PORTS=$(node -e 'const n=require("net");const a=n.createServer(),b=n.createServer();a.listen(0,"127.0.0.1",()=>b.listen(0,"127.0.0.1",()=>{console.log(a.address().port,b.address().port);a.close();b.close()}))')
  echo "$PORTS" >"$DIR/ports"
fi
API_PORT=${PORTS% *}
ISCSI_PORT=${PORTS#* }
# tgtd's control port (-C) only names its local IPC socket and must be below 32768.
CONTROL=$((ISCSI_PORT % 32000 + 500))
node --import tsx "$ROOT/drivers/ontap/simulator/main.ts" --data-dir "$DIR" --config "$CONFIG" \
  --port "$API_PORT" --iscsi-port "$ISCSI_PORT" --tgt-control "$CONTROL" >>"$DIR/simulator.log" 2>&1 &
PID=$!
echo "$PID" >"$DIR/simulator.pid"
i=0
until curl -sS --max-time 1 -o /dev/null "http://127.0.0.1:$API_PORT/api/cluster" 2>/dev/null; do
  i=$((i + 1))
  if [ $i -gt 300 ] || ! kill -0 "$PID" 2>/dev/null; then
    echo "the simulator did not start; see $DIR/simulator.log" >&2
    tail -20 "$DIR/simulator.log" >&2 || true
    kill "$PID" 2>/dev/null || true
    exit 1
  fi
  sleep 0.1
done
echo "ONTAP_SIM_DIR=$DIR"
echo "ONTAP_SIM_PID=$PID"
echo "ONTAP_SIM_URL=http://127.0.0.1:$API_PORT"
echo "ONTAP_SIM_ISCSI_PORT=$ISCSI_PORT"
