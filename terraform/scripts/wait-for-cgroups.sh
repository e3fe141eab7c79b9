#!/bin/sh
# Runs locally (local-exec) after prepare-pi.sh: waits until TARGET_HOST answers over SSH with
# the memory cgroup flags on its running kernel's command line. If prepare-pi.sh scheduled a
# reboot, the old kernel fails the check until the Pi has rebooted, so this also waits it out.
set -eu

: "${TARGET_HOST:?TARGET_HOST is not set}"
timeout="${WAIT_TIMEOUT_SECONDS:-600}"
here=$(dirname "$0")
deadline=$(($(date +%s) + timeout))
errors=$(mktemp)
trap 'rm -f "$errors"' EXIT

check='for f in cgroup_memory=1 cgroup_enable=memory; do tr -s "[:space:]" "\n" </proc/cmdline | grep -qxF -- "$f" || exit 1; done'

while :; do
  if sh "$here/ssh-pi.sh" "$TARGET_HOST" "$check" 2>"$errors"; then
    echo "wait-for-cgroups: $TARGET_HOST is up with the memory cgroup enabled"
    exit 0
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "wait-for-cgroups: $TARGET_HOST did not come back with cgroup_memory=1 cgroup_enable=memory within ${timeout}s" >&2
    if [ -s "$errors" ]; then
      echo "wait-for-cgroups: last ssh error:" >&2
      cat "$errors" >&2
    fi
    exit 1
  fi
  sleep 5
done
