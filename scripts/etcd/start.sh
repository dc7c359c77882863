#!/bin/sh
# Starts a throwaway single-member etcd 3.4 (Debian's etcd-server) on 127.0.0.1, free ports.
# Usage: scripts/etcd/start.sh [DIR]   (DIR defaults to a new temp dir)
# Prints shell assignments on stdout: ETCD_DIR, ETCD_PID, ETCD_URL (the client URL).
# Stop it with scripts/etcd/stop.sh DIR (kills the recorded PID, removes DIR).
set -eu
BIN=${ETCD_BIN:-/usr/bin/etcd}
if [ ! -x "$BIN" ]; then
  echo "etcd is not installed (apt-get install etcd-server)" >&2
  exit 3
fi
DIR=${1:-$(mktemp -d /tmp/ashlar-etcd.XXXXXX)}
mkdir -p "$DIR"
# Two distinct free ports: both listeners are opened before either is closed.
PORTS=$(node -e 'const n=require("net");const a=n.createServer(),b=n.createServer();a.listen(0,"127.0.0.1",()=>b.listen(0,"127.0.0.1",()=>{console.log(a.address().port,b.address().port);a.close();b.close()}))')
CLIENT_PORT=${PORTS% *}
PEER_PORT=${PORTS#* }
URL="http://127.0.0.1:$CLIENT_PORT"
PEER="http://127.0.0.1:$PEER_PORT"
# Throwaway: no fsync worth waiting for, a small backend quota, no snapshot churn.
"$BIN" --name ashlar-test --data-dir "$DIR/data" \
  --listen-client-urls "$URL" --advertise-client-urls "$URL" \
  --listen-peer-urls "$PEER" --initial-advertise-peer-urls "$PEER" \
  --initial-cluster "ashlar-test=$PEER" --initial-cluster-state new \
  --initial-cluster-token "ashlar-$$" \
  --unsafe-no-fsync --quota-backend-bytes 268435456 \
  --log-outputs "$DIR/etcd.log" --logger zap >"$DIR/etcd.out" 2>&1 &
PID=$!
echo "$PID" >"$DIR/etcd.pid"
i=0
until curl -fsS --max-time 1 "$URL/health" 2>/dev/null | grep -q '"health":"true"'; do
  i=$((i + 1))
  if [ $i -gt 100 ] || ! kill -0 "$PID" 2>/dev/null; then
    echo "etcd did not start; see $DIR/etcd.log" >&2
    cat "$DIR/etcd.out" "$DIR/etcd.log" >&2 2>/dev/null || true
    kill "$PID" 2>/dev/null || true
    exit 1
  fi
  sleep 0.1
done
echo "ETCD_DIR=$DIR"
echo "ETCD_PID=$PID"
echo "ETCD_URL=$URL"
