#!/bin/sh
# Command agent of the UML LVM test guest. It owns the serial line /dev/ttyS0 (the host
# broker holds the other end). Lines host -> guest:
#   R <id> <hasStdin>   run the request whose files are /host/<id>.argv (NUL-terminated
#                       arguments), /host/<id>.env (NUL-terminated NAME=VALUE, optional)
#                       and, when hasStdin is 1, /host/<id>.in; output goes to
#                       /host/<id>.out and /host/<id>.err
#   K <id>              kill request <id> and every process it started
#   P <n>               ping (answered with PONG <n>)
#   H                   power off
# Lines guest -> host:  READY <kernel>;  D <id> <exitCode>;  E <id> <message>
# Arguments are read into "$@" with `read -d ''` and executed as "$@": no element is ever
# parsed by a shell, so `$(reboot)` or `x;rm -rf /` stay plain data.
# Forks are what costs in UML (~7 ms each, ~15 ms with exec), so a request costs one fork
# (the subshell) plus the command's own fork+exec, and nothing else forks on that path.
tty=/dev/ttyS0
stty -F "$tty" raw -echo -onlcr 2>/dev/null
exec 3<>"$tty"

run_request() { # id hasStdin   (runs in a background subshell)
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
	"$@" <"$in" >"/host/$id.out" 2>"/host/$id.err" 3>&-
	echo "D $id $?" >&3
}

# Kills every descendant of PID (not PID itself), walking /proc/PID/task/*/children: each
# child is stopped first so it cannot fork more, then its descendants are killed, then it is.
kill_descendants() {
	local t line kids c
	kids=
	for t in /proc/$1/task/*/children; do
		line=
		read -r line <"$t" 2>/dev/null || :
		kids="$kids $line"
	done
	for c in $kids; do
		kill -STOP "$c" 2>/dev/null
		kill_descendants "$c"
		kill -KILL "$c" 2>/dev/null
	done
}

cr=$(printf '\r')
cur_id=
cur_pid=
echo "READY $(uname -r)" >&3
while IFS=' ' read -r op id arg <&3; do
	op=${op%"$cr"}
	arg=${arg%"$cr"}
	case "$op" in
	R)
		case "$id" in *[!0-9]*|'') echo "E 0 bad id" >&3; continue ;; esac
		run_request "$id" "$arg" &
		cur_id=$id
		cur_pid=$!
		;;
	K)
		# The subshell reports the killed command's status (128+9) itself.
		if [ "$id" = "$cur_id" ] && [ -n "$cur_pid" ] && [ -d "/proc/$cur_pid" ]; then
			kill_descendants "$cur_pid"
		fi
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
