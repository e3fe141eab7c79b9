#!/usr/bin/env bash
# Runs a command in an image's root filesystem (a `buildah mount` path) roughly the way a container runtime would, for
# machines without one: its own mount and PID namespaces, the root read-only, a fresh /proc, a tmpfs /tmp and a /dev
# holding only null, zero, random and urandom, a numeric user, a working directory and no environment but the given
# one. The network stays the host's, so a server is reached on a loopback port. The mounts disappear with the
# namespace, whatever way the command ends.
#
#   tools/images/run-rootfs.sh ROOT UID:GID WORKDIR [NAME=VALUE...] -- COMMAND [ARG...]
#
# COMMAND becomes PID 1 of the new PID namespace (the image's tini, say): SIGTERM to it is what stopping a container
# sends. Needs root (unshare, mount, chroot).
set -euo pipefail

if [ "${RUN_ROOTFS_INSIDE:-}" != 1 ]; then
  # --kill-child: if this side is killed, the namespace's PID 1 goes too, and with it every process inside.
  exec env RUN_ROOTFS_INSIDE=1 unshare --mount --propagation private --pid --fork --kill-child "$0" "$@"
fi

root="$1" user="$2" workdir="$3"
shift 3
environment=()
while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do
  environment+=("$1")
  shift
done
shift

# A read-only root as with `read_only: true` / readOnlyRootFilesystem; /tmp is the one writable place, as in compose
# (tmpfs, 128 MB) and Kubernetes (emptyDir).
mount --bind "$root" "$root"
mount -o remount,bind,ro "$root"
mount -t proc -o nosuid,nodev,noexec proc "$root/proc"
mount -t tmpfs -o nosuid,nodev,mode=1777,size=128m tmpfs "$root/tmp"
mount -t tmpfs -o nosuid,noexec,mode=0755,size=64k tmpfs "$root/dev"
for device in null zero random urandom; do
  : >"$root/dev/$device"
  mount --bind "/dev/$device" "$root/dev/$device"
done

# chroot switches to the user after entering the root; the shell only changes directory and then replaces itself.
exec chroot --userspec="$user" "$root" /usr/bin/env -i "${environment[@]}" \
  /bin/sh -c 'cd "$1" && shift && exec "$@"' sh "$workdir" "$@"
