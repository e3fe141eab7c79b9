#!/usr/bin/env bash
# Lets this amd64 machine run arm64 programs, in a chroot or a container too: QEMU's user-mode emulator registered with
# the kernel's binfmt_misc for aarch64 ELF files, with the F flag (the kernel opens qemu-aarch64-static once, here, so
# it need not exist inside the root filesystem that runs the program). QEMU_CPU in a program's environment picks the
# emulated CPU (cortex-a72 is a Raspberry Pi 4, cortex-a76 a Pi 5).
#
#   tools/images/arm64-emulation.sh check   exit 0 if aarch64 programs run through QEMU (any F-flagged registration)
#   tools/images/arm64-emulation.sh on      register ours unless one is there; says which
#   tools/images/arm64-emulation.sh off     remove ours (never one registered by something else)
#
# The registration is the kernel's, for the whole machine, until `off` or a reboot. Needs root.
set -euo pipefail

binfmt=/proc/sys/fs/binfmt_misc
ours="$binfmt/sms-todo-qemu-aarch64"
qemu=/usr/bin/qemu-aarch64-static
# ELF, 64-bit, little-endian, executable or shared object, machine 0xb7 (AArch64): Debian's qemu-user-static pattern.
magic='\x7f\x45\x4c\x46\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00'
mask='\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff'

registered() { # prints the enabled F-flagged registration that hands aarch64 programs to QEMU
  local entry
  [ -d "$binfmt" ] || return 1
  for entry in "$binfmt"/*; do
    case "$(basename "$entry")" in register | status) continue ;; esac
    if grep -qx enabled "$entry" && grep -q '^interpreter .*\(qemu-aarch64\|aarch64-binfmt\)' "$entry" \
      && grep -q '^flags: .*F' "$entry"; then
      echo "$entry"
      return 0
    fi
  done
  return 1
}

case "${1:-}" in
  check)
    registered >/dev/null
    ;;
  on)
    if [ ! -e "$binfmt/register" ]; then
      mount -t binfmt_misc binfmt_misc "$binfmt"
    fi
    if entry="$(registered)"; then
      echo "arm64 emulation: $entry ($(sed -n 's/^interpreter //p' "$entry")) was registered already"
      exit 0
    fi
    [ -x "$qemu" ] || { echo "$qemu is missing (apt-get install qemu-user-static)" >&2; exit 1; }
    printf ':%s:M::%s:%s:%s:F\n' "$(basename "$ours")" "$magic" "$mask" "$qemu" >"$binfmt/register"
    echo "arm64 emulation: registered $ours ($("$qemu" --version | head -1))"
    ;;
  off)
    if [ -e "$ours" ]; then
      echo -1 >"$ours"
      echo "arm64 emulation: removed $ours"
    fi
    ;;
  *)
    echo "usage: tools/images/arm64-emulation.sh check|on|off" >&2
    exit 64
    ;;
esac
