#!/usr/bin/env bash
# stop.sh DIR — stops the LVM test host started by start.sh DIR.
#
# Only processes recorded in DIR/pids are signalled ("name pid starttime" lines; the start
# time guards against a reused PID), plus the members of the broker's own process group
# (UML forks one helper process per guest address space; they stay in that group).
# TERM first (the broker powers the guest off), a bounded wait, then KILL.
set -uo pipefail
dir="${1:?usage: stop.sh DIR}"
pids_file="$dir/pids"
[[ -f "$pids_file" ]] || { echo "lvm-host stop: no $pids_file; nothing to stop" >&2; exit 0; }

starttime() { local s; s="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1; s="${s##*) }"; set -- $s; echo "${20}"; }
alive() { # pid starttime
  local st; st="$(starttime "$1")" || return 1
  [[ "$st" == "$2" ]] && [[ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]]
}
declare -a recorded=()
broker_pid="" broker_st=""
while read -r name pid st; do
  [[ "$pid" =~ ^[0-9]+$ ]] || continue
  alive "$pid" "$st" || continue
  recorded+=("$pid")
  if [[ "$name" == broker ]]; then broker_pid="$pid"; broker_st="$st"; fi
done <"$pids_file"

# Members of the process groups led by recorded processes (the broker's, and UML's: UML
# calls setsid and its helper processes stay in its group), found while the leaders live.
members() {
  local f s pg p
  ((${#recorded[@]})) || return 0
  for f in /proc/[0-9]*/stat; do
    s="$(cat "$f" 2>/dev/null)" || continue
    s="${s##*) }"; read -r _ _ pg _ <<<"$s"
    for p in "${recorded[@]}"; do
      [[ "$pg" == "$p" ]] && { f="${f#/proc/}"; echo "${f%/stat}"; break; }
    done
  done
}
group=()
mapfile -t group < <(members)

still_running() {
  local p
  for p in "${recorded[@]}" "${group[@]}"; do
    [[ -d "/proc/$p" ]] && [[ "$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)" != Z ]] && return 0
  done
  return 1
}

if [[ -n "$broker_pid" ]]; then kill -TERM "$broker_pid" 2>/dev/null; fi
for _ in $(seq 1 100); do still_running || break; sleep 0.1; done   # broker halts the guest
if still_running; then
  for p in "${recorded[@]}" "${group[@]}"; do kill -TERM "$p" 2>/dev/null; done
  for _ in $(seq 1 30); do still_running || break; sleep 0.1; done
fi
if still_running; then
  for p in "${recorded[@]}" "${group[@]}"; do kill -KILL "$p" 2>/dev/null; done
  for _ in $(seq 1 30); do still_running || break; sleep 0.1; done
fi
if still_running; then echo "lvm-host stop: some processes survived KILL" >&2; exit 1; fi

# Guest RAM: UML keeps it in an (already unlinked) file under its own /dev/shm folder.
shm="$(cat "$dir/shmdir" 2>/dev/null || true)"
if [[ "$shm" == /dev/shm/ashlar-lvm-host.* && "$shm" != *..* ]]; then rm -rf "$shm"; fi
rm -f "$dir/shmdir"
rm -f "$pids_file" "$dir/host.sock" "$dir/host.json"
rm -rf "$dir/xfer" "$dir/uml"
echo "lvm-host stop: stopped" >&2
