#!/bin/sh
# Starts a throwaway PostgreSQL 15 (Debian's postgresql-15) on 127.0.0.1 and a free port.
# Usage: scripts/postgres/start.sh [DIR]   (DIR defaults to a new temp dir)
# Prints shell assignments on stdout: PG_DIR, PG_PORT, PG_PID, PG_URL.
# Stop it with scripts/postgres/stop.sh DIR (kills the recorded PID, removes DIR).
set -eu
BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
if [ ! -x "$BIN/postgres" ]; then
  echo "postgresql-15 is not installed (apt-get install postgresql)" >&2
  exit 3
fi
DIR=${1:-$(mktemp -d /tmp/ashlar-pg.XXXXXX)}
mkdir -p "$DIR"
# initdb and postgres refuse to run as root: run them as the postgres system user.
RUN=""
if [ "$(id -u)" = 0 ]; then
  chown postgres "$DIR"
  RUN="runuser -u postgres --"
fi
PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
$RUN "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 --no-sync >"$DIR/initdb.log" 2>&1
$RUN "$BIN/postgres" -D "$DIR/data" -h 127.0.0.1 -p "$PORT" -k "$DIR" -c fsync=off -c synchronous_commit=off -c full_page_writes=off >"$DIR/postgres.log" 2>&1 &
PID=$!
i=0
until "$BIN/pg_isready" -h 127.0.0.1 -p "$PORT" -q; do
  i=$((i + 1))
  if [ $i -gt 100 ] || ! kill -0 "$PID" 2>/dev/null; then
    echo "postgres did not start; see $DIR/postgres.log" >&2
    cat "$DIR/postgres.log" >&2
    exit 1
  fi
  sleep 0.1
done
# The postmaster's own PID (runuser, when used, is only its parent).
PID=$(head -n 1 "$DIR/data/postmaster.pid")
echo "$PID" >"$DIR/postgres.pid"
"$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres ashlar
echo "PG_DIR=$DIR"
echo "PG_PORT=$PORT"
echo "PG_PID=$PID"
echo "PG_URL=postgresql://postgres@127.0.0.1:$PORT/ashlar"
