# The container storage and settings of the image checks, for buildah and podman alike. Sourced, not run:
#
#   . tools/images/image-storage.sh
#
# Everything lives under CACHE_DIR (default <repo>/.cache/images, ignored by git): the storage (storage/, overlay
# driver) with the stand-in bases, the images and buildah's layer cache, and the state of podman's containers.
# Nothing goes into or depends on the machine's shared image store, and deleting the folder is a cold start.
# containers.conf(5) describes this machine's sandbox for podman: no resource limits may be set (runc's setrlimit
# is refused, so no default ulimits), no cgroup controller may be configured (cgroupfs, which leaves them alone), no
# journald (events go to a file); runc instead of crun, which sets limits regardless.

sms_todo_image_storage() {
  local repo
  repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  export CACHE_DIR="${CACHE_DIR:-$repo/.cache/images}"
  mkdir -p "$CACHE_DIR"
  export CONTAINERS_STORAGE_CONF="$CACHE_DIR/storage.conf"
  export CONTAINERS_CONF="$CACHE_DIR/containers.conf"
  cat >"$CONTAINERS_STORAGE_CONF" <<EOF
[storage]
driver = "overlay"
graphroot = "$CACHE_DIR/storage"
runroot = "$CACHE_DIR/storage-run"
EOF
  cat >"$CONTAINERS_CONF" <<EOF
[containers]
default_ulimits = []

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$CACHE_DIR/podman-events.log"
tmp_dir = "$CACHE_DIR/storage-run/libpod"
EOF
}

sms_todo_image_storage
