#!/usr/bin/env bash
# Install the Debian Ceph packages needed for a throwaway single-node cluster.
# Idempotent: does nothing when ceph-mon, ceph-osd, ceph-mgr and rbd are present.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
export NEEDRESTART_MODE=a

need=(ceph-mon ceph-osd ceph-mgr rbd)
pkgs=(ceph-mon ceph-osd ceph-mgr ceph-common)
missing=()
for b in "${need[@]}"; do
  command -v "$b" >/dev/null 2>&1 || missing+=("$b")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-ceph: already installed ($(ceph --version 2>/dev/null || echo unknown))" >&2
  exit 0
fi
echo "install-ceph: missing ${missing[*]}; installing ${pkgs[*]}" >&2

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "install-ceph: need root or sudo" >&2; exit 1; }
  SUDO=(sudo -n env DEBIAN_FRONTEND=noninteractive)
fi

apt_install() {
  "${SUDO[@]}" apt-get install -y -q -o DPkg::Lock::Timeout=600 \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    --no-install-recommends "${pkgs[@]}" </dev/null
}
apt_update() {
  "${SUDO[@]}" apt-get update -q -o DPkg::Lock::Timeout=600 </dev/null
}

lists_empty=1
if compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then lists_empty=0; fi
if [ "$lists_empty" -eq 1 ]; then
  echo "install-ceph: apt lists empty; running apt-get update" >&2
  apt_update
fi
if ! apt_install; then
  echo "install-ceph: install failed; running apt-get update and retrying" >&2
  apt_update
  apt_install
fi

for b in "${need[@]}"; do
  command -v "$b" >/dev/null 2>&1 || { echo "install-ceph: $b still missing after install" >&2; exit 1; }
done
echo "install-ceph: installed $(ceph --version)" >&2
