#!/usr/bin/env bash
# Create a cephx user with exactly the given caps on a cluster started with
# start-ceph.sh --cephx, write DIR/CLIENT_NAME.keyring and print its path.
#
# usage: add-user.sh DIR CLIENT_NAME CAP_TYPE CAP_SPEC [CAP_TYPE CAP_SPEC]...
#   e.g. add-user.sh DIR client.ashlar mon 'profile rbd' osd 'profile rbd pool=rbd'
# Re-running with the same caps is a no-op; different caps for an existing
# user fail (ceph auth get-or-create refuses to change caps).
# Because ceph.conf sets "keyring = DIR/$name.keyring" for clients,
# `rbd -c DIR/ceph.conf --id ashlar ...` finds the keyring without --keyring.
set -euo pipefail

usage() {
  echo "usage: add-user.sh DIR CLIENT_NAME CAP_TYPE CAP_SPEC [CAP_TYPE CAP_SPEC]..." >&2
  exit 2
}
[ "$#" -ge 4 ] || usage
dir=$1 name=$2
shift 2
[ $(( $# % 2 )) -eq 0 ] || { echo "add-user: caps must be TYPE SPEC pairs" >&2; usage; }
[[ "$name" =~ ^client\.[A-Za-z0-9_.-]+$ ]] \
  || { echo "add-user: CLIENT_NAME must look like client.NAME: $name" >&2; exit 2; }
[ -f "$dir/ceph.conf" ] || { echo "add-user: no $dir/ceph.conf" >&2; exit 1; }
dir=$(cd -- "$dir" && pwd -P)
conf=$dir/ceph.conf
grep -q '^auth client required = cephx$' "$conf" \
  || echo "add-user: warning: cluster in $dir was not started with --cephx; the key is not enforced" >&2

keyring=$dir/$name.keyring
tmp=$keyring.tmp.$$
trap 'rm -f -- "$tmp"' EXIT
(umask 077 && timeout -k 5 30 ceph -c "$conf" auth get-or-create "$name" "$@" -o "$tmp" </dev/null)
mv -- "$tmp" "$keyring"
printf '%s\n' "$keyring"
