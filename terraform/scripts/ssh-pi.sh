#!/bin/sh
# Runs a command on a Pi over SSH with the identity Terraform's connection blocks use.
# Usage: SSH_USER=... SSH_PORT=... SSH_PRIVATE_KEY_PATH=... ssh-pi.sh HOST COMMAND
# The host key is trusted on first use (accept-new) and checked on every later connection.
set -eu

: "${SSH_USER:?SSH_USER is not set}"
: "${SSH_PRIVATE_KEY_PATH:?SSH_PRIVATE_KEY_PATH is not set}"
host="${1:?usage: ssh-pi.sh HOST COMMAND}"
shift

exec ssh \
  -i "$SSH_PRIVATE_KEY_PATH" \
  -p "${SSH_PORT:-22}" \
  -o BatchMode=yes \
  -o ConnectTimeout=10 \
  -o StrictHostKeyChecking=accept-new \
  -- "$SSH_USER@$host" "$@"
