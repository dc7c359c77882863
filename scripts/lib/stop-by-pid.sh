# Shared by the throwaway-backend stop scripts (sourced, not run).

# stop_by_pid PIDFILE SIGNAL: sends SIGNAL to the PID recorded in PIDFILE (if any), waits up
# to 10 s for it to exit, then kills it. Only ever the recorded PID: never a name or a group.
stop_by_pid() {
  [ -f "$1" ] || return 0
  _pid=$(cat "$1")
  kill "-$2" "$_pid" 2>/dev/null || true
  _i=0
  while kill -0 "$_pid" 2>/dev/null; do
    _i=$((_i + 1))
    if [ $_i -gt 100 ]; then kill -KILL "$_pid" 2>/dev/null || true; break; fi
    sleep 0.1
  done
}

# remove_state_dir DIR: removes DIR when it is under /tmp (where start scripts create
# theirs); anything else is left in place, with a note.
remove_state_dir() {
  case "$1" in
    /tmp/*) rm -rf "$1" ;;
    *) echo "left $1 in place (not under /tmp)" >&2 ;;
  esac
}
