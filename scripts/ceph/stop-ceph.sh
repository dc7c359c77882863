#!/usr/bin/env bash
# Stop a cluster started by start-ceph.sh: signals only the PIDs recorded in
# DIR/pids (TERM, up to 10 s grace, then KILL). Never matches processes by name.
#
# usage: stop-ceph.sh DIR [--purge]
#   --purge  also remove DIR (and the /tmp socket dir recorded in DIR/sockdir)
set -euo pipefail

prog=stop-ceph
log() { printf '%s: %s\n' "$prog" "$*" >&2; }
usage() { echo "usage: stop-ceph.sh DIR [--purge]" >&2; exit 2; }

dir=""
purge=0
while [ "$#" -gt 0 ]; do
  case "$1" in
    --purge) purge=1; shift ;;
    -h|--help) usage ;;
    -*) log "unknown option: $1"; usage ;;
    *) [ -z "$dir" ] || usage; dir=$1; shift ;;
  esac
done
[ -n "$dir" ] || usage
if [ ! -d "$dir" ]; then
  log "$dir does not exist; nothing to do"
  exit 0
fi
dir=$(cd -- "$dir" && pwd -P)
conf=$dir/ceph.conf

# A recorded PID is ours only if it is still a live (non-zombie) process whose
# command line carries DIR/ceph.conf (guards against PID reuse after a crash).
ours() {
  local pid=$1 arg state
  [ -r "/proc/$pid/cmdline" ] || return 1
  state=$(awk '/^State:/{print $2}' "/proc/$pid/status" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ] || return 1
  while IFS= read -r -d '' arg; do
    [ "$arg" = "$conf" ] && return 0
  done < "/proc/$pid/cmdline"
  return 1
}

# Daemons first, mon last: an OSD that cannot tell the mon it is going down
# waits osd_mon_shutdown_timeout before exiting.
first=() last=() names=()
if [ -f "$dir/pids" ]; then
  while read -r pid name _; do
    [[ "${pid:-}" =~ ^[0-9]+$ ]] || continue
    ours "$pid" || continue
    names+=("${name:-?}($pid)")
    case "${name:-}" in mon.*) last+=("$pid") ;; *) first+=("$pid") ;; esac
  done < "$dir/pids"
fi

deadline=$(( $(date +%s%N) / 1000000 + 10000 ))   # 10 s grace for everything
wait_gone() { # wait until none of the given PIDs is ours, or the deadline passes
  local pid any
  while :; do
    any=0
    for pid in "$@"; do ours "$pid" && { any=1; break; }; done
    [ "$any" -eq 1 ] || return 0
    [ $(( $(date +%s%N) / 1000000 )) -lt "$deadline" ] || return 1
    sleep 0.1
  done
}

if [ "${#names[@]}" -gt 0 ]; then
  log "stopping ${names[*]}"
  if [ "${#first[@]}" -gt 0 ]; then
    kill -TERM "${first[@]}" 2>/dev/null || true
    wait_gone "${first[@]}" || true
  fi
  if [ "${#last[@]}" -gt 0 ]; then
    kill -TERM "${last[@]}" 2>/dev/null || true
  fi
  if ! wait_gone "${first[@]}" "${last[@]}"; then
    alive=()
    for pid in "${first[@]}" "${last[@]}"; do ours "$pid" && alive+=("$pid"); done
    log "still alive after 10 s, sending KILL to ${alive[*]}"
    kill -KILL "${alive[@]}" 2>/dev/null || true
    deadline=$(( $(date +%s%N) / 1000000 + 5000 ))
    wait_gone "${alive[@]}" || { log "error: could not kill ${alive[*]}"; exit 1; }
  fi
else
  log "no running daemons recorded in $dir/pids"
fi

if [ "$purge" -eq 1 ]; then
  if [ -f "$dir/sockdir" ]; then
    sockdir=$(cat -- "$dir/sockdir")
    case "$sockdir" in
      /tmp/ashlar-ceph.*) rm -rf -- "$sockdir" ;;
    esac
  fi
  rm -rf -- "$dir"
  log "removed $dir"
fi
