#!/usr/bin/env bash
# start.sh DIR [--disk-size 4G] [--disks 1] [--vg NAME] [--cpu N] [--mem 512M] [--timeout SECS]
#
# Boots a throwaway UML guest with real device-mapper LVM and leaves a broker serving
# DIR/host.sock. Builds the guest tree first if it is not cached (build.sh). Creates sparse
# PV files DIR/disk<N>.img, a PV on each and the volume group (default "ashlar").
# Every process started is recorded in DIR/pids (stop.sh DIR stops them).
# On success the last (only) stdout line is the path of DIR/host.json.
# Logs: DIR/broker.log (broker + guest messages), DIR/console.log (guest kernel console).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
die() { printf 'lvm-host start: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

[[ $# -ge 1 ]] || usage
dir="$1"; shift
disk_size=4G disks=1 vg=ashlar mem=512M timeout=90
cpu="${ASHLAR_LVM_HOST_CPU:-}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --disk-size) disk_size="$2"; shift 2 ;;
    --disks) disks="$2"; shift 2 ;;
    --vg) vg="$2"; shift 2 ;;
    --cpu) cpu="$2"; shift 2 ;;
    --mem) mem="$2"; shift 2 ;;
    --timeout) timeout="$2"; shift 2 ;;
    -h|--help) usage ;;
    *) die "unknown option $1" ;;
  esac
done
[[ "$disks" =~ ^[1-9]$|^1[0-6]$ ]] || die "--disks must be 1..16"
[[ "$vg" =~ ^[A-Za-z0-9_][A-Za-z0-9_.+-]*$ ]] || die "bad VG name $vg"
[[ "$disk_size" =~ ^[0-9]+[KMGT]?$ ]] || die "bad --disk-size $disk_size"
[[ "$mem" =~ ^[0-9]+[KMG]$ ]] || die "bad --mem $mem"
[[ "$timeout" =~ ^[0-9]+$ ]] || die "bad --timeout $timeout"

mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
# UML's command line is split on whitespace and ubd options on commas.
[[ "$dir" =~ ^[A-Za-z0-9_./+-]+$ ]] || die "DIR must be a plain path (no spaces or commas): $dir"
(( ${#dir} < 80 )) || die "DIR path too long for a Unix socket: $dir"
if [[ -s "$dir/pids" ]]; then
  die "$dir/pids exists: a host may be running there (run stop.sh $dir first)"
fi

command -v node >/dev/null || die "node (20+) is required"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
(( node_major >= 20 )) || die "node 20+ is required (found $(node --version))"
command -v perl >/dev/null || die "perl is required (Debian: perl-base)"
command -v taskset >/dev/null || die "taskset is required (Debian: util-linux)"

cache="$("$here/build.sh")"
[[ -f "$cache/.complete" ]] || die "build failed"

# Gotcha 3: pin the whole UML host to one CPU. Default: the last CPU we may run on.
if [[ -z "$cpu" ]]; then
  cpu="$(taskset -cp $$ | sed 's/.*: //' | tr ',' '\n' | tail -1 | sed 's/.*-//')"
fi

rm -f "$dir/host.json" "$dir/host.json.tmp" "$dir/pids" "$dir/host.sock"
for ((i = 0; i < disks; i++)); do
  rm -f "$dir/disk$i.img"
  truncate -s "$disk_size" "$dir/disk$i.img"
done
: >"$dir/broker.log"
: >"$dir/console.log"

t0=$(date +%s%N)
# setsid: the broker leads a new process group and session (so does nothing else), which
# stop.sh uses to find UML's helper processes; stdin closed so nothing waits on a terminal.
setsid node "$here/broker.mjs" --dir "$dir" --cache "$cache" --vg "$vg" --disks "$disks" \
  --disk-size "$disk_size" --cpu "$cpu" --mem "$mem" --boot-timeout-ms $((timeout * 1000)) \
  </dev/null >>"$dir/broker.log" 2>&1 &
launcher=$!

deadline=$(( $(date +%s) + timeout + 5 ))
while [[ ! -f "$dir/host.json" ]]; do
  if ! kill -0 "$launcher" 2>/dev/null && ! grep -q '^broker ' "$dir/pids" 2>/dev/null; then
    break
  fi
  bpid="$(awk '$1=="broker"{print $2}' "$dir/pids" 2>/dev/null || true)"
  if [[ -n "$bpid" ]] && ! kill -0 "$bpid" 2>/dev/null; then break; fi
  if (( $(date +%s) >= deadline )); then
    printf 'lvm-host start: not ready after %ss\n' "$timeout" >&2
    break
  fi
  sleep 0.05
done

if [[ ! -f "$dir/host.json" ]]; then
  {
    echo "lvm-host start: host did not become ready. broker.log:"
    tail -n 40 "$dir/broker.log"
    echo "--- console.log (tail):"
    tail -n 40 "$dir/console.log"
  } >&2
  "$here/stop.sh" "$dir" >&2 || true
  exit 1
fi
printf 'lvm-host start: ready in %s ms\n' $(( ($(date +%s%N) - t0) / 1000000 )) >&2
printf '%s\n' "$dir/host.json"
