#!/bin/sh
# Runs locally (local-exec): copies the admin kubeconfig from the server into KUBECONFIG_PATH
# (mode 0600), pointing it at https://SERVER_HOST:6443 instead of 127.0.0.1 and naming its
# cluster, user and context CONTEXT_NAME instead of "default".
set -eu

: "${SERVER_HOST:?SERVER_HOST is not set}"
: "${KUBECONFIG_PATH:?KUBECONFIG_PATH is not set}"
context="${CONTEXT_NAME:-sms-todo}"
here=$(dirname "$0")

umask 077
mkdir -p "$(dirname "$KUBECONFIG_PATH")"
raw="$KUBECONFIG_PATH.raw"
tmp="$KUBECONFIG_PATH.tmp"
trap 'rm -f "$raw" "$tmp"' EXIT

# Read through sudo: k3s writes /etc/rancher/k3s/k3s.yaml readable by root only (0600).
sh "$here/ssh-pi.sh" "$SERVER_HOST" 'sudo -n cat /etc/rancher/k3s/k3s.yaml' >"$raw"

sed \
  -e "s#https://127\.0\.0\.1:6443#https://$SERVER_HOST:6443#" \
  -e "s#https://localhost:6443#https://$SERVER_HOST:6443#" \
  -e "s/^\(  *name\): default\$/\1: $context/" \
  -e "s/^\(  *cluster\): default\$/\1: $context/" \
  -e "s/^\(  *user\): default\$/\1: $context/" \
  -e "s/^\(- *name\): default\$/\1: $context/" \
  -e "s/^current-context: default\$/current-context: $context/" \
  "$raw" >"$tmp"

if ! grep -qF "server: https://$SERVER_HOST:6443" "$tmp"; then
  echo "fetch-kubeconfig: the kubeconfig from $SERVER_HOST has no server line to rewrite" >&2
  exit 1
fi

mv "$tmp" "$KUBECONFIG_PATH"
echo "fetch-kubeconfig: kubeconfig saved to $KUBECONFIG_PATH (context $context)"
