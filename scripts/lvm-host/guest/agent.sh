#!/bin/sh
# Command agent of the UML LVM test guest. It owns the serial line /dev/ttyS0 (the host
# broker holds the other end). Lines host -> guest:
#   R <id> <hasStdin>   run the request whose files are /host/<id>.argv (NUL-terminated
#                       arguments), /host/<id>.env (NUL-terminated NAME=VALUE) and, when
#                       hasStdin is 1, /host/<id>.in; output goes to /host/<id>.out/.err
#   K <id>              kill request <id> (its whole process group)
#   H                   power off
# Lines guest -> host:  READY <kernel>;  D <id> <exitCode>;  E <id> <message>
# Arguments are read into "$@" with `read -d ''` and executed with setsid "$@": no element is
# ever parsed by a shell, so `$(reboot)` or `x;rm -rf /` stay plain data.
tty=/dev/ttyS0
stty -F "$tty" raw -echo -onlcr 2>/dev/null
exec 3<>"$tty"
state=/run/agent

run_request() {
	id=$1
	hasin=$2
	set --
	a=
	while IFS= read -r -d '' a; do
		set -- "$@" "$a"
	done <"/host/$id.argv"
	if [ $# -eq 0 ]; then
		echo "E $id empty argv" >&3
		return
	fi
	if [ -e "/host/$id.env" ]; then
		while IFS= read -r -d '' kv; do
			export "$kv"
		done <"/host/$id.env"
	fi
	in=/dev/null
	[ "$hasin" = 1 ] && in="/host/$id.in"
	# setsid makes the command the leader of a new process group (it is never one already
	# here, so busybox setsid does not fork), so a kill reaches everything it started.
	setsid "$@" <"$in" >"/host/$id.out" 2>"/host/$id.err" 3>&- &
	pid=$!
	echo "$pid" >"$state/$id.pid"
	if [ -e "$state/$id.kill" ]; then
		kill -KILL "-$pid" "$pid" 2>/dev/null
	fi
	wait "$pid"
	rc=$?
	rm -f "$state/$id.pid" "$state/$id.kill"
	echo "D $id $rc" >&3
}

kill_request() {
	id=$1
	if [ -e "$state/$id.pid" ]; then
		pid=$(cat "$state/$id.pid")
		kill -KILL "-$pid" "$pid" 2>/dev/null
	else
		: >"$state/$id.kill"
	fi
}

cr=$(printf '\r')
echo "READY $(uname -r)" >&3
while IFS=' ' read -r op id arg <&3; do
	op=${op%"$cr"}
	arg=${arg%"$cr"}
	case "$op" in
	R)
		case "$id" in *[!0-9]*|'') echo "E 0 bad id" >&3; continue ;; esac
		# Double fork: the request runs in an orphan that init reaps, so the agent never
		# accumulates zombies and keeps reading the line (K can arrive meanwhile).
		( run_request "$id" "$arg" & )
		;;
	K)
		case "$id" in *[!0-9]*|'') continue ;; esac
		kill_request "$id"
		;;
	H)
		sync
		poweroff -f
		;;
	P)
		echo "PONG $id" >&3
		;;
	'') ;;
	*)
		echo "E 0 unknown op" >&3
		;;
	esac
done
