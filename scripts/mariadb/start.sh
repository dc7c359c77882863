#!/bin/sh
# Starts a throwaway MariaDB 10.11 (Debian's mariadb-server) on 127.0.0.1 and a free port,
# with its own data directory, socket and PID file in a temp dir.
# Usage: scripts/mariadb/start.sh [DIR]   (DIR defaults to a new temp dir)
# Prints shell assignments on stdout: MARIADB_DIR, MARIADB_PORT, MARIADB_PID, MARIADB_URL.
# MARIADB_URL names a user `ashlar` with a random password that may create databases, and
# its database `ashlar`. The server keeps Debian's case-insensitive default collation on
# purpose: the service must not depend on the server's defaults.
# Stop it with scripts/mariadb/stop.sh DIR (kills the recorded PID, removes DIR).
set -eu
BIN=${MARIADB_BIN:-/usr/sbin/mariadbd}
if [ ! -x "$BIN" ] || ! command -v mariadb-install-db >/dev/null; then
  echo "mariadb-server is not installed (apt-get install mariadb-server)" >&2
  exit 3
fi
DIR=${1:-$(mktemp -d /tmp/ashlar-mariadb.XXXXXX)}
mkdir -p "$DIR"
# mariadbd refuses to run as root unless told a user: run it as the mysql system user.
USER_OPT=""
if [ "$(id -u)" = 0 ]; then
  chown mysql "$DIR"
  USER_OPT="--user=mysql"
fi
PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
SOCK="$DIR/mariadbd.sock"
mariadb-install-db --no-defaults $USER_OPT --datadir="$DIR/data" --auth-root-authentication-method=normal \
  --skip-test-db --skip-name-resolve >"$DIR/install-db.log" 2>&1 || {
  echo "mariadb-install-db failed; see $DIR/install-db.log" >&2
  cat "$DIR/install-db.log" >&2
  exit 1
}
# Durability off and small buffers: a test server, thrown away after the run.
"$BIN" --no-defaults $USER_OPT --datadir="$DIR/data" --socket="$SOCK" --pid-file="$DIR/mariadbd.pid" \
  --bind-address=127.0.0.1 --port="$PORT" --skip-name-resolve --skip-log-bin \
  --log-error="$DIR/mariadbd.log" --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
  --innodb-buffer-pool-size=64M --innodb-log-file-size=32M --innodb-flush-log-at-trx-commit=0 \
  --innodb-doublewrite=0 --sync-binlog=0 --performance-schema=OFF --max-connections=300 \
  >/dev/null 2>&1 &
PID=$!
i=0
until mariadb-admin --no-defaults --socket="$SOCK" -uroot ping >/dev/null 2>&1; do
  i=$((i + 1))
  if [ $i -gt 300 ] || ! kill -0 "$PID" 2>/dev/null; then
    echo "mariadbd did not start; see $DIR/mariadbd.log" >&2
    cat "$DIR/mariadbd.log" >&2 2>/dev/null || true
    kill "$PID" 2>/dev/null || true
    exit 1
  fi
  sleep 0.1
done
# $! is mariadbd itself (it drops to --user on its own, no wrapper in between).
echo "$PID" >"$DIR/server.pid"
PASS=$(node -e 'console.log(require("crypto").randomBytes(12).toString("hex"))')
mariadb --no-defaults --socket="$SOCK" -uroot <<SQL
CREATE USER 'ashlar'@'127.0.0.1' IDENTIFIED BY '$PASS';
GRANT ALL PRIVILEGES ON *.* TO 'ashlar'@'127.0.0.1';
CREATE DATABASE ashlar CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;
SQL
echo "MARIADB_DIR=$DIR"
echo "MARIADB_PORT=$PORT"
echo "MARIADB_PID=$PID"
echo "MARIADB_URL=mysql://ashlar:$PASS@127.0.0.1:$PORT/ashlar"
