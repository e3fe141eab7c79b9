#!/bin/sh
# Runs locally (local-exec): copies the server's join token into NODE_TOKEN_PATH (mode 0600).
# Remote-exec cannot return data to Terraform, so the token travels through this local file,
# which the agents' file provisioner uploads. It is never printed.
set -eu

: "${SERVER_HOST:?SERVER_HOST is not set}"
: "${NODE_TOKEN_PATH:?NODE_TOKEN_PATH is not set}"
here=$(dirname "$0")

umask 077
mkdir -p "$(dirname "$NODE_TOKEN_PATH")"
tmp="$NODE_TOKEN_PATH.tmp"
trap 'rm -f "$tmp"' EXIT

# The file appears once the server has finished its first start; give it a minute or two.
attempt=1
until sh "$here/ssh-pi.sh" "$SERVER_HOST" 'sudo -n cat /var/lib/rancher/k3s/server/node-token' >"$tmp" && [ -s "$tmp" ]; do
  if [ "$attempt" -ge 24 ]; then
    echo "fetch-node-token: no /var/lib/rancher/k3s/server/node-token on $SERVER_HOST after $attempt attempts" >&2
    exit 1
  fi
  attempt=$((attempt + 1))
  sleep 5
done

mv "$tmp" "$NODE_TOKEN_PATH"
echo "fetch-node-token: join token saved to $NODE_TOKEN_PATH"
