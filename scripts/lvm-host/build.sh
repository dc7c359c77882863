#!/usr/bin/env bash
# Builds (or reuses) the root tree of the throwaway UML LVM test host from Debian packages.
#
#   scripts/lvm-host/build.sh            -> prints the cache directory on stdout
#
# Cache: ${ASHLAR_CACHE:-$HOME/.cache/ashlar}/lvm-host/<key>/  (key = hash of this script and
# of guest/*). A finished tree has a .complete marker, so a second run returns at once.
# Layout of a cache entry:
#   root/                 guest root filesystem (mounted read-only over hostfs by the guest)
#   root/usr/bin/linux.uml  the UML kernel (user-mode-linux package)
#   manifest.txt          package=version list the tree was built from
# Needs only what a stock Debian 12 has: bash, apt, dpkg-deb, coreutils, sha256sum.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache_base="${ASHLAR_CACHE:-${HOME:-/root}/.cache/ashlar}/lvm-host"
log() { printf 'lvm-host build: %s\n' "$*" >&2; }

key="$(cat "$0" "$here"/guest/* | sha256sum | cut -c1-16)-$(dpkg --print-architecture)"
dest="$cache_base/$key"
if [[ -f "$dest/.complete" ]]; then
  printf '%s\n' "$dest"
  exit 0
fi

[[ "$(dpkg --print-architecture)" == amd64 ]] || { log "only amd64 is supported"; exit 1; }
mkdir -p "$cache_base"
work="$(mktemp -d "$cache_base/.build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
t0=$(date +%s%N)

# The programs the guest needs; their library dependencies are resolved from apt's metadata.
main_pkgs=(user-mode-linux busybox lvm2 dmsetup thin-provisioning-tools)
# Dependencies that the guest never needs (init scripts, event daemon, the elogind alternative).
skip_re='^(sysvinit-utils|lsb-base|dmeventd|libelogind0|init-system-helpers|debconf|perl.*|dpkg|systemd.*|udev|kmod)$'

apt_opts=(-q -o APT::Sandbox::User=root -o DPkg::Lock::Timeout=600)
apt_update() {
  local i
  for i in 1 2 3 4 5 6; do
    if apt-get "${apt_opts[@]}" update >&2; then return 0; fi
    log "apt-get update failed (lock held by another apt?), retry $i"
    sleep 10
  done
  return 1
}

resolve_pkgs() {
  apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
    --no-replaces --no-enhances "${main_pkgs[@]}" 2>/dev/null \
    | grep -v '^ ' | grep -v '^<' | sort -u | grep -Ev "$skip_re" || true
}

pkgs="$(resolve_pkgs)"
if ! grep -qx lvm2 <<<"$pkgs" || ! grep -qx libc6 <<<"$pkgs"; then
  log "apt lists missing or stale; running apt-get update"
  apt_update
  pkgs="$(resolve_pkgs)"
fi
grep -qx libc6 <<<"$pkgs" || { log "cannot resolve packages: $pkgs"; exit 1; }
mapfile -t pkg_arr <<<"$pkgs"
log "downloading ${#pkg_arr[@]} packages"
mkdir -p "$work/debs"
if ! (cd "$work/debs" && apt-get "${apt_opts[@]}" download "${pkg_arr[@]}" >&2); then
  log "apt-get download failed; running apt-get update and retrying"
  apt_update
  (cd "$work/debs" && apt-get "${apt_opts[@]}" download "${pkg_arr[@]}" >&2)
fi

root="$work/root"
mkdir -p "$root"
: >"$work/manifest.txt"
for deb in "$work"/debs/*.deb; do
  dpkg-deb -x "$deb" "$root"
  dpkg-deb -f "$deb" Package Version | paste -sd= | sed 's/Package: //; s/=Version: /=/' >>"$work/manifest.txt"
done
rm -rf "$work/debs"

# Prune what the guest never uses (docs, locales, charset converters, unused kernel modules).
rm -rf "$root"/usr/share/{doc,man,info,locale,lintian,bug,gdb,initramfs-tools} \
  "$root"/usr/lib/x86_64-linux-gnu/gconv "$root"/etc/init.d "$root"/lib/systemd "$root"/usr/lib/systemd \
  "$root"/etc/initramfs-tools "$root"/lib/udev "$root"/usr/lib/udev
kver="$(ls "$root/usr/lib/uml/modules")"
kdir="$root/usr/lib/uml/modules/$kver/kernel"
for d in "$kdir"/*; do
  case "${d##*/}" in crypto|lib|security|drivers) ;; *) rm -rf "$d" ;; esac
done
for d in "$kdir"/drivers/*; do
  case "${d##*/}" in md|connector) ;; *) rm -rf "$d" ;; esac
done
mkdir -p "$root/lib/modules"
ln -sfn "/usr/lib/uml/modules/$kver" "$root/lib/modules/$kver"

# The packaged dynamic loader (the package's lib64 link points at /lib/..., i.e. the host).
ld="$root/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"
libpath="$root/lib/x86_64-linux-gnu:$root/usr/lib/x86_64-linux-gnu"

# busybox applets as symlinks wherever no real program of that name exists.
for a in $("$ld" --library-path "$libpath" "$root/bin/busybox" --list); do
  [[ "$a" == busybox ]] && continue
  found=0
  for p in bin sbin usr/bin usr/sbin; do [[ -e "$root/$p/$a" || -L "$root/$p/$a" ]] && found=1; done
  ((found)) || ln -s busybox "$root/bin/$a"
done

# Every ELF program and library must resolve against the tree alone.
missing=""
while IFS= read -r f; do
  if head -c4 "$f" 2>/dev/null | grep -q 'ELF'; then
    out="$("$ld" --library-path "$libpath" --list "$f" 2>&1 || true)"
    if grep -q 'not found' <<<"$out"; then missing+="$f: $(grep 'not found' <<<"$out" | tr -s ' \t' ' ')"$'\n'; fi
  fi
done < <(find "$root/bin" "$root/sbin" "$root/usr/sbin" -type f)
if [[ -n "$missing" ]]; then log "unresolved shared libraries:"; printf '%s' "$missing" >&2; exit 1; fi

# Guest configuration and mount points (the root is mounted read-only).
mkdir -p "$root"/{proc,sys,dev,run,tmp,host,var,etc/lvm,etc/gcrypt}
ln -sfn /run/lock "$root/var/lock"
ln -sfn /run "$root/var/run"
install -m 0755 "$here/guest/init" "$root/init"
install -m 0755 "$here/guest/agent.sh" "$root/agent.sh"
install -m 0644 "$here/guest/lvm.conf" "$root/etc/lvm/lvm.conf"
# Gotcha 2 (see README): keep libgcrypt off AVX paths too.
printf "%s\n" intel-avx intel-avx2 intel-fast-vpgather intel-vaes-vpclmul >"$root/etc/gcrypt/hwf.deny"
printf 'root:x:0:0:root:/:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\ndisk:x:6:\n' >"$root/etc/group"
printf '%s\n' "$kver" >"$work/kernel-version"

touch "$work/.complete"
if ! mv -T "$work" "$dest" 2>/dev/null; then
  # Another build finished first; use it.
  [[ -f "$dest/.complete" ]] || { log "could not install $dest"; exit 1; }
  rm -rf "$work"
fi
trap - EXIT
log "built in $(( ($(date +%s%N) - t0) / 1000000 )) ms: $(du -sh "$dest" | cut -f1)"
printf '%s\n' "$dest"
