#!/usr/bin/env bash
# Start a throwaway single-node Ceph cluster (1 mon, 1 memstore OSD, 1 mgr)
# entirely under DIR, in userspace, bound to 127.0.0.1 only.
#
# usage: start-ceph.sh DIR [--cephx] [--pool NAME]
#
# stdout: only the absolute path of DIR/ceph.conf (last and only line).
# stderr: progress. Daemon PIDs are recorded in DIR/pids ("PID NAME" per line).
# Stop with: stop-ceph.sh DIR [--purge]
#
# Environment:
#   ASHLAR_CEPH_START_TIMEOUT  seconds to wait for the cluster to be usable (default 60)
#   ASHLAR_CEPH_OSD_BYTES      memstore size in bytes (default 4294967296 = 4 GiB)
#   ASHLAR_CEPH_MGR_ALL_MODULES=1  also load the mgr's always-on modules (~+90 MiB)
#   ASHLAR_CEPH_KEEP_ON_FAILURE=1  leave daemons running if start fails (for debugging)
set -euo pipefail

prog=start-ceph
log() { printf '%s: %s\n' "$prog" "$*" >&2; }
die() { log "error: $*"; exit 1; }
usage() { echo "usage: start-ceph.sh DIR [--cephx] [--pool NAME]" >&2; exit 2; }

dir=""
cephx=0
pool=rbd
while [ "$#" -gt 0 ]; do
  case "$1" in
    --cephx) cephx=1; shift ;;
    --pool) [ "$#" -ge 2 ] || usage; pool=$2; shift 2 ;;
    --pool=*) pool=${1#--pool=}; shift ;;
    -h|--help) usage ;;
    -*) log "unknown option: $1"; usage ;;
    *) [ -z "$dir" ] || usage; dir=$1; shift ;;
  esac
done
[ -n "$dir" ] || usage
[[ "$pool" =~ ^[A-Za-z0-9_.-]+$ ]] || die "invalid pool name: $pool"

deadline_s=${ASHLAR_CEPH_START_TIMEOUT:-60}
osd_bytes=${ASHLAR_CEPH_OSD_BYTES:-4294967296}
[[ "$deadline_s" =~ ^[0-9]+$ ]] || die "ASHLAR_CEPH_START_TIMEOUT must be an integer"
[[ "$osd_bytes" =~ ^[0-9]+$ ]] || die "ASHLAR_CEPH_OSD_BYTES must be an integer"

for b in ceph-mon ceph-osd ceph-mgr ceph rbd monmaptool ceph-authtool timeout; do
  command -v "$b" >/dev/null 2>&1 || die "$b not found (run scripts/ceph/install-ceph.sh)"
done

mkdir -p -- "$dir"
dir=$(cd -- "$dir" && pwd -P)
case "$dir" in *[[:space:]]*|*,*|*\$*|*=*|*\;*|*#*|*\[*|*\]*)
  die "DIR must not contain whitespace or any of , \$ = ; # [ ] (ceph.conf limitation): $dir" ;;
esac
conf=$dir/ceph.conf
[ ! -e "$conf" ] || die "$conf already exists; stop-ceph.sh $dir --purge first"

start_ts=$(date +%s%N)
elapsed_ms() { echo $(( ($(date +%s%N) - start_ts) / 1000000 )); }
deadline=$(( $(date +%s) + deadline_s ))
remaining() { echo $(( deadline - $(date +%s) )); }

mkdir -p -- "$dir/log" "$dir/crash" "$dir/mon" "$dir/osd" "$dir/mgr" "$dir/tmp"
: > "$dir/pids"

# Admin sockets: a unix socket path must be < 108 bytes (107 + NUL). The longest
# one is "$sockdir/ceph-mon.a.asok"-like; keep a margin of 24 bytes.
sockdir=$dir/run
if [ $(( ${#sockdir} + 24 )) -ge 107 ]; then
  sockdir=$(mktemp -d /tmp/ashlar-ceph.XXXXXX)
else
  mkdir -p -- "$sockdir"
fi
printf '%s\n' "$sockdir" > "$dir/sockdir"

fsid=$(cat /proc/sys/kernel/random/uuid)
printf '%s\n' "$fsid" > "$dir/fsid"

C=(-c "$conf")
# Every CLI call is bounded.
ceph_t() { local t=$1; shift; timeout -k 5 "$t" ceph "${C[@]}" "$@" </dev/null; }
rbd_t() { local t=$1; shift; timeout -k 5 "$t" rbd "${C[@]}" "$@" </dev/null; }

cleanup_on_failure() {
  local rc=$?
  [ "$rc" -ne 0 ] || return 0
  log "start failed (rc=$rc) after $(elapsed_ms) ms; recent daemon logs:"
  local f
  for f in "$dir"/log/*.log "$dir"/log/*.out; do
    [ -s "$f" ] || continue
    printf '==> %s <==\n' "$f" >&2
    tail -n 40 -- "$f" >&2 || true
  done
  if [ "${ASHLAR_CEPH_KEEP_ON_FAILURE:-0}" != 1 ] && [ -s "$dir/pids" ]; then
    log "stopping daemons started so far"
    "$(dirname -- "${BASH_SOURCE[0]}")/stop-ceph.sh" "$dir" >&2 || true
  fi
  exit "$rc"
}
trap cleanup_on_failure EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# ---------------------------------------------------------------- port choice
# Hold a host-wide lock from choosing the port until the mon listens on it, so
# concurrent starts in different DIRs never pick the same port.
port_in_use() { [ -n "$(ss -Hltan "( sport = :$1 )" 2>/dev/null)" ]; }
# fd 9 holds the lock; it is closed in every daemon (else the mon would keep it).
# Opened read-only so users other than the file's creator can lock it too.
lockf=/tmp/ashlar-ceph-port.lock
[ -e "$lockf" ] || (umask 0; : >>"$lockf") 2>/dev/null || true
exec 9<"$lockf"
flock -w "$(remaining)" 9 || die "budget ASHLAR_CEPH_START_TIMEOUT (${deadline_s}s) ran out waiting for the lock /tmp/ashlar-ceph-port.lock"
port=""
for _ in $(seq 1 200); do
  # 20000-32767: below the Linux ephemeral range, away from Ceph's 6800-7300.
  p=$(( 20000 + (RANDOM % 12768) ))
  if ! port_in_use "$p"; then port=$p; break; fi
done
[ -n "$port" ] || die "no free port found"
printf '%s\n' "$port" > "$dir/port"
mon_addr="[v2:127.0.0.1:$port]"

if [ "$cephx" -eq 1 ]; then auth=cephx; else auth=none; fi
# mgr modules never loaded. rbd_support (rbd trash purge/task/perf) and status
# stay. Disabling the "always on" ones (balancer crash devicehealth orchestrator
# pg_autoscaler progress telemetry volumes) cuts mgr RSS from ~155 to ~63 MiB but
# raises MGR_MODULE_ERROR, which is muted (sticky) below.
mgr_optional="alerts diskprediction_local influx insights iostat localpool mirroring nfs osd_perf_query osd_support prometheus restful selftest snap_schedule stats telegraf test_orchestrator zabbix dashboard cephadm k8sevents rook diskprediction_cloud"
mgr_always_on="balancer crash devicehealth orchestrator pg_autoscaler progress telemetry volumes"
if [ "${ASHLAR_CEPH_MGR_ALL_MODULES:-0}" = 1 ]; then
  mgr_disabled=$mgr_optional
else
  mgr_disabled="$mgr_optional $mgr_always_on"
fi

# ---------------------------------------------------------------- ceph.conf
cat > "$conf.tmp" <<EOF
# Generated by start-ceph.sh (throwaway test cluster; do not use in production)
[global]
fsid = $fsid
mon host = $mon_addr
mon initial members = a
public network = 127.0.0.1/32
cluster network = 127.0.0.1/32
ms bind msgr1 = false
ms bind msgr2 = true
ms bind ipv6 = false
auth cluster required = $auth
auth service required = $auth
auth client required = $auth
auth allow insecure global id reclaim = false
mon warn on insecure global id reclaim = false
mon warn on insecure global id reclaim allowed = false
run dir = $sockdir
crash dir = $dir/crash
osd pool default size = 1
osd pool default min size = 1
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000
paxos propose interval = 0.1
mgr stats period = 1
osd mon report interval = 1
mon data avail warn = 1
mon data avail crit = 0

[mon]
mon data = $dir/mon/\$cluster-\$id
log file = $dir/log/\$cluster-\$name.log
mon cluster log file = $dir/log/\$cluster.log
admin socket = $sockdir/\$cluster-\$name.asok
keyring = $dir/mon/\$cluster-\$id/keyring

[osd]
osd data = $dir/osd/\$cluster-\$id
osd objectstore = memstore
memstore device bytes = $osd_bytes
log file = $dir/log/\$cluster-\$name.log
admin socket = $sockdir/\$cluster-\$name.asok
keyring = $dir/osd/\$cluster-\$id/keyring
osd op num shards = 2
osd op num threads per shard = 1

[mgr]
mgr data = $dir/mgr/\$cluster-\$id
log file = $dir/log/\$cluster-\$name.log
admin socket = $sockdir/\$cluster-\$name.asok
keyring = $dir/mgr/\$cluster-\$id/keyring
mgr disabled modules = $mgr_disabled

[client]
keyring = $dir/\$name.keyring
EOF
mv -- "$conf.tmp" "$conf"
log "dir=$dir port=$port auth=$auth pool=$pool sockdir=$sockdir"

# ---------------------------------------------------------------- keyrings
mon_keyring=$dir/tmp/mon-mkfs.keyring
if [ "$cephx" -eq 1 ]; then
  ceph-authtool --create-keyring "$mon_keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
  ceph-authtool --create-keyring "$dir/client.admin.keyring" --gen-key -n client.admin \
    --cap mon 'allow *' --cap osd 'allow *' --cap mds 'allow *' --cap mgr 'allow *' >/dev/null
  ceph-authtool "$mon_keyring" --import-keyring "$dir/client.admin.keyring" >/dev/null
  mkdir -p -- "$dir/mgr/ceph-x"
  ceph-authtool --create-keyring "$dir/mgr/ceph-x/keyring" --gen-key -n mgr.x \
    --cap mon 'allow profile mgr' --cap osd 'allow *' --cap mds 'allow *' >/dev/null
  # Keys in the mkfs keyring are imported into the mon's auth database.
  ceph-authtool "$mon_keyring" --import-keyring "$dir/mgr/ceph-x/keyring" >/dev/null
  chmod 600 "$dir"/client.admin.keyring "$mon_keyring" "$dir/mgr/ceph-x/keyring"
fi

# ---------------------------------------------------------------- daemons
# Run each daemon in the foreground (-f) as a background job in its own
# session; $! is then the daemon's own PID, recorded in DIR/pids.
launch() { # NAME BINARY ARGS...
  local name=$1; shift
  setsid "$@" -f "${C[@]}" </dev/null >>"$dir/log/$name.out" 2>&1 9>&- &
  local pid=$!
  printf '%s %s\n' "$pid" "$name" >> "$dir/pids"
  log "started $name pid=$pid ($(elapsed_ms) ms)"
}
alive_or_die() { # PID NAME
  kill -0 "$1" 2>/dev/null || die "$2 (pid $1) exited; see $dir/log/$2.out and $dir/log/ceph-$2.log"
}
check_deadline() { [ "$(remaining)" -gt 0 ] || die "budget ASHLAR_CEPH_START_TIMEOUT (${deadline_s}s) ran out waiting for: $1"; }

monmaptool --create --fsid "$fsid" --addv a "$mon_addr" --clobber "$dir/tmp/monmap" >/dev/null
mkfs_args=(--mkfs -i a "${C[@]}" --monmap "$dir/tmp/monmap")
[ "$cephx" -eq 0 ] || mkfs_args+=(--keyring "$mon_keyring")
# mkfs shares the start budget (a fixed limit of its own would fail first on a slow machine).
timeout "$(( $(remaining) > 1 ? $(remaining) : 1 ))" ceph-mon "${mkfs_args[@]}" </dev/null >"$dir/log/mon.a.mkfs.out" 2>&1 \
  || die "ceph-mon --mkfs failed: $(cat "$dir/log/mon.a.mkfs.out")"

launch mon.a ceph-mon -i a
mon_pid=$!
# Wait for the mon to listen, then release the port lock.
until [ -n "$(ss -Hltn "( sport = :$port )" 2>/dev/null)" ]; do
  alive_or_die "$mon_pid" mon.a; check_deadline "mon listening on $port"; sleep 0.05
done
exec 9>&-
until ceph_t 10 mon stat >/dev/null 2>&1; do
  alive_or_die "$mon_pid" mon.a; check_deadline "mon quorum"; sleep 0.2
done
log "mon up ($(elapsed_ms) ms)"
if [ "${ASHLAR_CEPH_MGR_ALL_MODULES:-0}" != 1 ]; then
  ceph_t 10 health mute MGR_MODULE_ERROR --sticky >/dev/null 2>&1 \
    || log "warning: could not mute MGR_MODULE_ERROR"
fi

# mgr first: it has no dependency on the OSD and takes longest to load modules.
mkdir -p -- "$dir/mgr/ceph-x"
launch mgr.x ceph-mgr -i x
mgr_pid=$!

osd_uuid=$(cat /proc/sys/kernel/random/uuid)
if [ "$cephx" -eq 1 ]; then
  osd_key=$(ceph-authtool --gen-print-key)
  printf '{"cephx_secret": "%s"}\n' "$osd_key" > "$dir/tmp/osd-secrets.json"
  osd_id=$(ceph_t 20 osd new "$osd_uuid" -i "$dir/tmp/osd-secrets.json")
  rm -f -- "$dir/tmp/osd-secrets.json"
else
  osd_id=$(ceph_t 20 osd new "$osd_uuid")
fi
[[ "$osd_id" =~ ^[0-9]+$ ]] || die "unexpected 'ceph osd new' output: $osd_id"
mkdir -p -- "$dir/osd/ceph-$osd_id"
if [ "$cephx" -eq 1 ]; then
  ceph-authtool --create-keyring "$dir/osd/ceph-$osd_id/keyring" --name "osd.$osd_id" \
    --add-key "$osd_key" >/dev/null
  chmod 600 "$dir/osd/ceph-$osd_id/keyring"
fi
timeout "$(( $(remaining) > 1 ? $(remaining) : 1 ))" ceph-osd -i "$osd_id" "${C[@]}" --mkfs --osd-uuid "$osd_uuid" </dev/null \
  >"$dir/log/osd.$osd_id.mkfs.out" 2>&1 \
  || die "ceph-osd --mkfs failed: $(cat "$dir/log/osd.$osd_id.mkfs.out")"
launch "osd.$osd_id" ceph-osd -i "$osd_id"
osd_pid=$!

until [ "$(ceph_t 10 osd stat -f json 2>/dev/null | grep -o '"num_up_osds":[0-9]*' | cut -d: -f2)" = 1 ]; do
  alive_or_die "$osd_pid" "osd.$osd_id"; check_deadline "osd up"; sleep 0.2
done
log "osd.$osd_id up ($(elapsed_ms) ms)"

ceph_t 20 osd pool create "$pool" 8 8 >/dev/null 2>&1 || die "pool create $pool failed"
t=$(remaining); [ "$t" -gt 1 ] || t=1
rbd_t "$t" pool init "$pool" || die "rbd pool init $pool failed or timed out"
log "pool $pool initialised ($(elapsed_ms) ms)"

until ceph_t 10 mgr stat 2>/dev/null | grep -q '"available": true' \
   && rbd_t 10 ls "$pool" >/dev/null 2>&1; do
  alive_or_die "$mgr_pid" mgr.x; alive_or_die "$osd_pid" "osd.$osd_id"
  check_deadline "mgr available / rbd ls"; sleep 0.2
done
alive_or_die "$mon_pid" mon.a

rm -f -- "$mon_keyring" "$dir/tmp/monmap"
trap - EXIT
log "usable after $(elapsed_ms) ms"
printf '%s\n' "$conf"
