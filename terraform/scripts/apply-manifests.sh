#!/bin/sh
# Runs locally (local-exec): applies the kustomize overlay OVERLAY_DIR to the cluster of
# KUBECONFIG_PATH. The overlay in git stays untouched: a throw-away kustomization in a temp
# directory wraps it and adds what only the deployment knows:
#   IMAGE_REGISTRY   every image named sms-todo/<svc> or <anything>/sms-todo/<svc> in the rendered
#                    overlay (e.g. its registry.example.com placeholder) is pulled as
#                    $IMAGE_REGISTRY/sms-todo/<svc>, tag unchanged (kustomize `images`)
#   PUBLIC_HOSTNAME  PUBLIC_BASE_URL=https://$PUBLIC_HOSTNAME in ConfigMap sms-todo-config and
#                    the host of the first rule of every Ingress
#   TWILIO_FROM      TWILIO_FROM in ConfigMap sms-todo-config
#   SECRETS_ENV_FILE creates/updates Secret sms-todo-secrets from this env file first
# EXPECTED_NODES: wait until that many nodes are registered and Ready before applying.
# RENDER_ONLY=1 prints the wrapped manifests (kubectl kustomize) instead of touching a cluster.
set -eu

: "${OVERLAY_DIR:?OVERLAY_DIR is not set}"
registry="${IMAGE_REGISTRY:-}"
hostname="${PUBLIC_HOSTNAME:-}"
twilio_from="${TWILIO_FROM:-}"
secrets_env_file="${SECRETS_ENV_FILE:-}"
namespace=sms-todo

if ! command -v kubectl >/dev/null 2>&1; then
  echo "apply-manifests: kubectl is not installed (needed to apply the manifests; or set apply_manifests = false)" >&2
  exit 1
fi
if [ ! -d "$OVERLAY_DIR" ]; then
  echo "apply-manifests: overlay directory $OVERLAY_DIR does not exist" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The image names as the overlay renders them (without tag or digest), one per line.
image_names() {
  kubectl kustomize "$OVERLAY_DIR" |
    sed -n 's/^[[:space:]-]*image:[[:space:]]*//p' |
    tr -d "\"'" |
    sed -e 's/@.*//' -e 's#:[^:/]*$##' |
    sort -u
}

image_overrides=""
if [ -n "$registry" ]; then
  for name in $(image_names); do
    case "$name" in
      sms-todo/* | */sms-todo/*)
        image_overrides="$image_overrides  - name: $name
    newName: $registry/sms-todo/${name##*/}
"
        ;;
    esac
  done
fi

# kustomize refuses absolute resource paths; a symlink keeps the overlay's own relative bases working.
ln -s "$OVERLAY_DIR" "$work/overlay"
{
  echo "apiVersion: kustomize.config.k8s.io/v1beta1"
  echo "kind: Kustomization"
  echo "resources:"
  echo "  - overlay"
  if [ -n "$image_overrides" ]; then
    echo "images:"
    printf '%s' "$image_overrides"
  fi
  if [ -n "$hostname" ] || [ -n "$twilio_from" ]; then
    echo "patches:"
    echo "  - target:"
    echo "      kind: ConfigMap"
    echo "      name: sms-todo-config"
    echo "    patch: |-"
    if [ -n "$hostname" ]; then
      echo "      - op: add"
      echo "        path: /data/PUBLIC_BASE_URL"
      echo "        value: https://$hostname"
    fi
    if [ -n "$twilio_from" ]; then
      echo "      - op: add"
      echo "        path: /data/TWILIO_FROM"
      echo "        value: \"$twilio_from\""
    fi
  fi
  if [ -n "$hostname" ]; then
    echo "  - target:"
    echo "      kind: Ingress"
    echo "    patch: |-"
    echo "      - op: add"
    echo "        path: /spec/rules/0/host"
    echo "        value: $hostname"
  fi
} >"$work/kustomization.yaml"

if [ "${RENDER_ONLY:-}" = 1 ]; then
  kubectl kustomize "$work"
  exit 0
fi

: "${KUBECONFIG_PATH:?KUBECONFIG_PATH is not set}"
k() {
  kubectl --kubeconfig "$KUBECONFIG_PATH" "$@"
}

# Agents register a little after their installer returns.
expected="${EXPECTED_NODES:-1}"
deadline=$(($(date +%s) + 600))
until [ "$(k get nodes --no-headers 2>/dev/null | wc -l)" -ge "$expected" ]; do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "apply-manifests: fewer than $expected nodes registered after 10 minutes" >&2
    k get nodes >&2 || true
    exit 1
  fi
  sleep 5
done
k wait --for=condition=Ready node --all --timeout=300s

if [ -n "$secrets_env_file" ]; then
  # Piped from the file to the API server: the values are neither printed nor kept by Terraform.
  k create namespace "$namespace" --dry-run=client -o yaml | k apply -f -
  kubectl create secret generic sms-todo-secrets --namespace "$namespace" --from-env-file="$secrets_env_file" \
    --dry-run=client -o yaml |
    kubectl label --local -f - -o yaml app.kubernetes.io/name=sms-todo-secrets app.kubernetes.io/part-of=sms-todo |
    k apply -f - >/dev/null
  echo "apply-manifests: secret sms-todo-secrets created or updated from $secrets_env_file"
fi

# A Job's pod template is immutable: remove finished Jobs (the migration) so that a changed
# template can be applied; the apply then runs the migration again with the new spec.
if k get namespace "$namespace" >/dev/null 2>&1; then
  k -n "$namespace" delete job --field-selector status.successful=1 --ignore-not-found
fi

# Retried because CRDs and webhooks of the bundled add-ons (Traefik) may still be starting.
attempt=1
until k apply -k "$work"; do
  if [ "$attempt" -ge 5 ]; then
    echo "apply-manifests: kubectl apply -k failed $attempt times" >&2
    exit 1
  fi
  attempt=$((attempt + 1))
  echo "apply-manifests: retrying in 15s"
  sleep 15
done
echo "apply-manifests: applied $OVERLAY_DIR"
