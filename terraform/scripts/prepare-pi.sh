#!/bin/sh
# Runs ON a Pi (remote-exec). Makes sure the kernel command line enables the memory cgroup that
# k3s needs (Raspberry Pi OS disables it by default), and reboots only when the running kernel
# still lacks it. Safe to run any number of times.
#
# Test hooks (unset on a Pi): CMDLINE_FILE, PROC_CMDLINE, REBOOT_COMMAND.
set -eu

FLAGS="cgroup_memory=1 cgroup_enable=memory"

SUDO="sudo -n"
if [ "$(id -u)" -eq 0 ]; then
  SUDO=
fi

# Bookworm and later boot from /boot/firmware (where /boot/cmdline.txt is only a pointer to it).
cmdline_file="${CMDLINE_FILE:-}"
if [ -z "$cmdline_file" ]; then
  for candidate in /boot/firmware/cmdline.txt /boot/cmdline.txt; do
    if [ -f "$candidate" ]; then
      cmdline_file=$candidate
      break
    fi
  done
fi
if [ -z "$cmdline_file" ]; then
  echo "prepare-pi: no cmdline.txt in /boot/firmware or /boot; is this Raspberry Pi OS?" >&2
  exit 1
fi
proc_cmdline="${PROC_CMDLINE:-/proc/cmdline}"

# On a Pi the file belongs to root; a file we can write ourselves (the tests' copy) needs no sudo.
EDIT_SUDO=$SUDO
if [ -w "$cmdline_file" ]; then
  EDIT_SUDO=
fi

# True when the whitespace-separated word $1 appears in file $2.
has_word() {
  tr -s '[:space:]' '\n' <"$2" | grep -qxF -- "$1"
}

for flag in $FLAGS; do
  if has_word "$flag" "$cmdline_file"; then
    echo "prepare-pi: $flag already in $cmdline_file"
  else
    # cmdline.txt is a single line: append to it, never add a line.
    $EDIT_SUDO sed -i "1 s/\$/ $flag/" "$cmdline_file"
    echo "prepare-pi: added $flag to $cmdline_file"
  fi
done

missing=""
for flag in $FLAGS; do
  if ! has_word "$flag" "$proc_cmdline"; then
    missing="$missing $flag"
  fi
done

if [ -z "$missing" ]; then
  echo "prepare-pi: the running kernel has the memory cgroup flags; no reboot needed"
  exit 0
fi

echo "prepare-pi: the running kernel lacks$missing; rebooting"
if [ -n "${REBOOT_COMMAND:-}" ]; then
  sh -c "$REBOOT_COMMAND"
elif command -v systemd-run >/dev/null 2>&1; then
  # Scheduled by systemd a few seconds ahead, so this SSH session ends cleanly before the reboot.
  $SUDO systemd-run --quiet --on-active=5 --timer-property=AccuracySec=1s /bin/systemctl reboot
else
  $SUDO sh -c 'nohup sh -c "sleep 5; reboot" >/dev/null 2>&1 &'
fi
