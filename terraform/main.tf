# k3s on Raspberry Pis over SSH, then the sms-todo manifests, with Terraform's built-in
# terraform_data resource only. Order of the steps (see docs/terraform.md):
#   1. server_node / agent_node: memory cgroup flags in cmdline.txt, reboot only when the running
#      kernel lacks them, wait until the Pi is back (the Pis are prepared in parallel).
#   2. server_k3s: the k3s install script in server mode, version pinned.
#   3. node_token, kubeconfig: copied down from the server over SSH into local files (0600).
#   4. agent_k3s: the install script in agent mode, joining with the copied node-token.
#   5. manifests (optional): kubectl apply -k of the overlay, re-run when its files change.
#
# Why the node-token is copied down rather than only taken from a variable: the node-token file
# holds the "secure" token (K10<CA hash>::server:<secret>), with which a joining agent verifies
# the server's CA before sending credentials. A token chosen by hand is the short form, which
# skips that check. The optional var.cluster_token still lets the operator choose the secret.
#
# Replacing a *_k3s resource (new version or flags) only re-runs the installer, which upgrades
# in place; k3s is uninstalled by the destroy-time provisioner of the *_node resources, which
# are replaced only when the host itself changes.

locals {
  ssh_private_key_path = pathexpand(var.ssh_private_key_path)
  api_server_url       = "https://${var.server_host}:6443"
  kubeconfig_path      = abspath(var.kubeconfig_path)
  node_token_path      = abspath(var.node_token_path)
  overlay_path         = abspath(var.overlay_path)
  manifests_root       = abspath(var.manifests_root)
  secrets_env_file     = var.secrets_env_file == null ? "" : abspath(var.secrets_env_file)
  kube_context         = "sms-todo"
  install_script_url   = "https://get.k3s.io"

  # Private scratch directory on a Pi (created 0700 before anything secret is uploaded into it).
  remote_scratch = "/tmp/sms-todo-k3s"

  # Arguments of `k3s server`, each single-quoted for the remote shell. The kubeconfig stays
  # root-only on the Pi (0600): it is read back through sudo, so it never needs to be world-readable.
  server_args = join(" ", [
    for arg in concat(["--write-kubeconfig-mode=0600", "--tls-san=${var.server_host}"], var.k3s_server_extra_args) :
    "'${replace(arg, "'", "'\\''")}'"
  ])

  # Environment shared by the local scripts that reach the Pis with ssh.
  ssh_env = {
    SSH_USER             = var.ssh_user
    SSH_PORT             = tostring(var.ssh_port)
    SSH_PRIVATE_KEY_PATH = local.ssh_private_key_path
  }

  # One hash over every file under manifests_root (the overlay and its bases): any change applies again.
  manifests_hash = sha256(join("\n", [
    for file in sort(tolist(fileset(local.manifests_root, "**"))) : "${file} ${filesha256("${local.manifests_root}/${file}")}"
  ]))

  # A hash, not the content: the secret values never reach the state.
  secrets_env_hash = local.secrets_env_file == "" ? "" : filesha256(local.secrets_env_file)
}

# 1. The server Pi: memory cgroup on, rebooted if needed. Destroying it uninstalls k3s.
resource "terraform_data" "server_node" {
  triggers_replace = [var.server_host]

  # Everything the destroy-time provisioner needs, since it may only refer to self.
  input = {
    host             = var.server_host
    user             = var.ssh_user
    port             = var.ssh_port
    private_key_path = local.ssh_private_key_path
  }

  connection {
    type        = "ssh"
    host        = self.input.host
    user        = self.input.user
    port        = self.input.port
    private_key = file(self.input.private_key_path)
    timeout     = "5m"
  }

  lifecycle {
    precondition {
      condition     = !contains(var.agent_hosts, var.server_host)
      error_message = "The server_host must not also be listed in agent_hosts."
    }
  }

  provisioner "remote-exec" {
    script = "${path.module}/scripts/prepare-pi.sh"
  }

  provisioner "local-exec" {
    interpreter = ["/bin/sh"]
    command     = "${path.module}/scripts/wait-for-cgroups.sh"
    environment = merge(local.ssh_env, {
      TARGET_HOST          = var.server_host
      WAIT_TIMEOUT_SECONDS = tostring(var.reboot_timeout_seconds)
    })
  }

  provisioner "remote-exec" {
    when       = destroy
    on_failure = continue
    inline = [
      "if [ -x /usr/local/bin/k3s-uninstall.sh ]; then sudo -n /usr/local/bin/k3s-uninstall.sh; else echo 'k3s is not installed'; fi",
    ]
  }
}

# 2. k3s server. Re-created (= installer re-run, an in-place upgrade) when the version or flags change.
resource "terraform_data" "server_k3s" {
  depends_on = [terraform_data.server_node]

  triggers_replace = {
    node    = terraform_data.server_node.id
    version = var.k3s_version
    args    = local.server_args
  }

  connection {
    type        = "ssh"
    host        = var.server_host
    user        = var.ssh_user
    port        = var.ssh_port
    private_key = file(local.ssh_private_key_path)
    timeout     = "5m"
  }

  provisioner "remote-exec" {
    inline = [
      "#!/bin/sh",
      "set -eu",
      "rm -rf '${local.remote_scratch}'",
      "mkdir -m 700 '${local.remote_scratch}'",
    ]
  }

  # Empty when var.cluster_token is null; uploaded into the 0700 directory, never into a command line.
  provisioner "file" {
    content     = var.cluster_token == null ? "" : var.cluster_token
    destination = "${local.remote_scratch}/cluster-token"
  }

  provisioner "remote-exec" {
    inline = [
      "#!/bin/sh",
      "set -eu",
      "d='${local.remote_scratch}'",
      "trap 'rm -rf \"$d\"' EXIT",
      # Downloaded first rather than piped into sh, so that a failed download fails the step.
      "curl -sfL -o \"$d/install.sh\" '${local.install_script_url}'",
      "if [ -s \"$d/cluster-token\" ]; then K3S_TOKEN=\"$(cat \"$d/cluster-token\")\"; export K3S_TOKEN; fi",
      "INSTALL_K3S_VERSION='${var.k3s_version}' sh \"$d/install.sh\" server ${local.server_args}",
      # Informational only: the nodes as the new server sees them.
      "sudo -n k3s kubectl get nodes || true",
    ]
  }
}

# 3a. The join token, copied from the server into a local 0600 file.
resource "terraform_data" "node_token" {
  depends_on = [terraform_data.server_k3s]

  triggers_replace = [terraform_data.server_k3s.id, local.node_token_path]

  input = {
    path = local.node_token_path
  }

  provisioner "local-exec" {
    interpreter = ["/bin/sh"]
    command     = "${path.module}/scripts/fetch-node-token.sh"
    environment = merge(local.ssh_env, {
      SERVER_HOST     = var.server_host
      NODE_TOKEN_PATH = local.node_token_path
    })
  }

  provisioner "local-exec" {
    when        = destroy
    command     = "rm -f \"$TARGET_FILE\""
    environment = { TARGET_FILE = self.input.path }
  }
}

# 3b. The admin kubeconfig, pointed at the server's address instead of 127.0.0.1.
resource "terraform_data" "kubeconfig" {
  depends_on = [terraform_data.server_k3s]

  triggers_replace = [terraform_data.server_k3s.id, local.kubeconfig_path]

  input = {
    path = local.kubeconfig_path
  }

  provisioner "local-exec" {
    interpreter = ["/bin/sh"]
    command     = "${path.module}/scripts/fetch-kubeconfig.sh"
    environment = merge(local.ssh_env, {
      SERVER_HOST     = var.server_host
      KUBECONFIG_PATH = local.kubeconfig_path
      CONTEXT_NAME    = local.kube_context
    })
  }

  provisioner "local-exec" {
    when        = destroy
    command     = "rm -f \"$TARGET_FILE\""
    environment = { TARGET_FILE = self.input.path }
  }
}

# 1'. The agent Pis, prepared like the server and in parallel with it.
resource "terraform_data" "agent_node" {
  for_each = toset(var.agent_hosts)

  triggers_replace = [each.value]

  input = {
    host             = each.value
    user             = var.ssh_user
    port             = var.ssh_port
    private_key_path = local.ssh_private_key_path
  }

  connection {
    type        = "ssh"
    host        = self.input.host
    user        = self.input.user
    port        = self.input.port
    private_key = file(self.input.private_key_path)
    timeout     = "5m"
  }

  provisioner "remote-exec" {
    script = "${path.module}/scripts/prepare-pi.sh"
  }

  provisioner "local-exec" {
    interpreter = ["/bin/sh"]
    command     = "${path.module}/scripts/wait-for-cgroups.sh"
    environment = merge(local.ssh_env, {
      TARGET_HOST          = each.value
      WAIT_TIMEOUT_SECONDS = tostring(var.reboot_timeout_seconds)
    })
  }

  provisioner "remote-exec" {
    when       = destroy
    on_failure = continue
    inline = [
      "if [ -x /usr/local/bin/k3s-agent-uninstall.sh ]; then sudo -n /usr/local/bin/k3s-agent-uninstall.sh; else echo 'k3s agent is not installed'; fi",
    ]
  }
}

# 4. k3s agents, joined with the node-token copied in step 3a.
resource "terraform_data" "agent_k3s" {
  for_each   = toset(var.agent_hosts)
  depends_on = [terraform_data.agent_node, terraform_data.node_token]

  triggers_replace = {
    node       = terraform_data.agent_node[each.value].id
    version    = var.k3s_version
    server     = local.api_server_url
    node_token = terraform_data.node_token.id
  }

  connection {
    type        = "ssh"
    host        = each.value
    user        = var.ssh_user
    port        = var.ssh_port
    private_key = file(local.ssh_private_key_path)
    timeout     = "5m"
  }

  provisioner "remote-exec" {
    inline = [
      "#!/bin/sh",
      "set -eu",
      "rm -rf '${local.remote_scratch}'",
      "mkdir -m 700 '${local.remote_scratch}'",
    ]
  }

  # Read at apply time, after step 3a wrote it; uploaded into the 0700 directory.
  provisioner "file" {
    source      = local.node_token_path
    destination = "${local.remote_scratch}/node-token"
  }

  provisioner "remote-exec" {
    inline = [
      "#!/bin/sh",
      "set -eu",
      "d='${local.remote_scratch}'",
      "trap 'rm -rf \"$d\"' EXIT",
      "curl -sfL -o \"$d/install.sh\" '${local.install_script_url}'",
      "K3S_TOKEN=\"$(cat \"$d/node-token\")\" K3S_URL='${local.api_server_url}' INSTALL_K3S_VERSION='${var.k3s_version}' sh \"$d/install.sh\" agent",
    ]
  }
}

# 5. The manifests. Re-applied when a file under manifests_root, the registry, the hostname, the
#    sender, the secrets file or the cluster changes; `terraform apply -replace=terraform_data.manifests[0]`
#    forces it.
resource "terraform_data" "manifests" {
  count      = var.apply_manifests ? 1 : 0
  depends_on = [terraform_data.kubeconfig, terraform_data.agent_k3s]

  triggers_replace = {
    manifests  = local.manifests_hash
    overlay    = local.overlay_path
    registry   = var.image_registry
    hostname   = var.public_hostname
    sender     = var.twilio_from
    secrets    = local.secrets_env_hash
    kubeconfig = terraform_data.kubeconfig.id
  }

  lifecycle {
    precondition {
      condition     = fileexists("${local.overlay_path}/kustomization.yaml") || fileexists("${local.overlay_path}/kustomization.yml") || fileexists("${local.overlay_path}/Kustomization")
      error_message = "The overlay_path has no kustomization.yaml; set overlay_path, or apply_manifests = false."
    }
  }

  provisioner "local-exec" {
    interpreter = ["/bin/sh"]
    command     = "${path.module}/scripts/apply-manifests.sh"
    environment = {
      KUBECONFIG_PATH  = local.kubeconfig_path
      OVERLAY_DIR      = local.overlay_path
      IMAGE_REGISTRY   = var.image_registry
      PUBLIC_HOSTNAME  = var.public_hostname
      TWILIO_FROM      = var.twilio_from
      SECRETS_ENV_FILE = local.secrets_env_file
      EXPECTED_NODES   = tostring(1 + length(var.agent_hosts))
    }
  }
}
