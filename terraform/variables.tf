variable "server_host" {
  description = "Address Terraform and the agents use to reach the k3s server Pi: an IPv4 address or a DNS name (e.g. 192.168.1.50 or pi-server.lan). It is also added to the API server certificate (--tls-san) and written into the fetched kubeconfig."
  type        = string

  validation {
    condition     = length(var.server_host) <= 253 && can(regex("^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$", var.server_host))
    error_message = "The server_host must be an IPv4 address or a DNS name (letters, digits, dots and hyphens)."
  }
}

variable "agent_hosts" {
  description = "Addresses of the Pis that join as k3s agents (workers). Empty for a single-node cluster. Every Pi needs a unique hostname, because k3s names its node after it."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for host in var.agent_hosts : length(host) <= 253 && can(regex("^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$", host))])
    error_message = "Every entry of agent_hosts must be an IPv4 address or a DNS name (letters, digits, dots and hyphens)."
  }

  validation {
    condition     = length(distinct(var.agent_hosts)) == length(var.agent_hosts)
    error_message = "The agent_hosts must not contain the same host twice."
  }
}

variable "ssh_user" {
  description = "User Terraform logs in as on every Pi. It needs passwordless sudo (the default on Raspberry Pi OS for the user created by the imager)."
  type        = string
  default     = "pi"

  validation {
    condition     = can(regex("^[a-z_][a-z0-9_-]{0,31}$", var.ssh_user))
    error_message = "The ssh_user must be a Linux user name: lowercase letters, digits, '_' and '-', starting with a letter or '_'."
  }
}

variable "ssh_private_key_path" {
  description = "Path of the SSH private key authorised on every Pi; '~' is expanded. It must not be passphrase-protected (Terraform's SSH client cannot ask for a passphrase): use a dedicated deploy key."
  type        = string
  default     = "~/.ssh/id_ed25519"

  validation {
    condition     = fileexists(pathexpand(var.ssh_private_key_path))
    error_message = "The ssh_private_key_path must name an existing private key file."
  }
}

variable "ssh_port" {
  description = "SSH port of the Pis."
  type        = number
  default     = 22

  validation {
    condition     = var.ssh_port == floor(var.ssh_port) && var.ssh_port >= 1 && var.ssh_port <= 65535
    error_message = "The ssh_port must be an integer between 1 and 65535."
  }
}

variable "k3s_version" {
  description = "k3s release installed on every node (INSTALL_K3S_VERSION). Pinned so that a re-run never upgrades by surprise; changing it re-runs the installer, which upgrades the nodes in place. Kubernetes >= 1.29 is needed for the native sidecar of transcribe."
  type        = string
  default     = "v1.32.5+k3s1"

  validation {
    condition     = can(regex("^v[0-9]+\\.[0-9]+\\.[0-9]+\\+k3s[0-9]+$", var.k3s_version))
    error_message = "The k3s_version must be a k3s release tag such as v1.32.5+k3s1."
  }
}

variable "cluster_token" {
  description = "Optional server token (K3S_TOKEN) given to the server at its first start. Leave null to let k3s generate one. Either way the agents join with the node-token read back from the server, which also pins the cluster CA. Pass it through TF_VAR_cluster_token rather than a file in git."
  type        = string
  default     = null
  sensitive   = true

  validation {
    condition     = var.cluster_token == null || can(regex("^[A-Za-z0-9._-]{16,128}$", var.cluster_token))
    error_message = "The cluster_token must be 16 to 128 characters of letters, digits, '.', '_' or '-' (or null to let k3s generate one)."
  }
}

variable "node_token_path" {
  description = "Local file the server's join token (/var/lib/rancher/k3s/server/node-token) is copied to (mode 0600) so that the agents can be given it. Relative paths are relative to the terraform/ directory. Keep it out of git."
  type        = string
  default     = "node-token"

  validation {
    condition     = length(trimspace(var.node_token_path)) > 0
    error_message = "The node_token_path must not be empty."
  }
}

variable "kubeconfig_path" {
  description = "Local file the cluster's admin kubeconfig is written to (mode 0600), with the server address in place of 127.0.0.1 and the context named sms-todo. Relative paths are relative to the terraform/ directory. Keep it out of git."
  type        = string
  default     = "kubeconfig.yaml"

  validation {
    condition     = length(trimspace(var.kubeconfig_path)) > 0
    error_message = "The kubeconfig_path must not be empty."
  }
}

variable "image_registry" {
  description = "Registry (and optional path) the sms-todo images are pulled from, without scheme or trailing slash, e.g. ghcr.io/your-account or registry.lan:5000. Every image the overlay names sms-todo/<svc> or <anything>/sms-todo/<svc> (such as its registry.example.com placeholder) is pulled as <registry>/sms-todo/<svc>, with the overlay's tag; other images (postgres, rabbitmq, redis) are left alone. Empty keeps the overlay's names."
  type        = string
  default     = ""

  validation {
    condition     = var.image_registry == "" || can(regex("^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]+)?(/[a-z0-9]([a-z0-9._-]*[a-z0-9])?)*$", var.image_registry))
    error_message = "The image_registry must look like host[:port][/path] in lowercase, without https:// and without a trailing slash (or be empty)."
  }
}

variable "public_hostname" {
  description = "Public DNS name Twilio calls (e.g. todo.example.com). It sets PUBLIC_BASE_URL=https://<hostname> in the sms-todo-config ConfigMap, which the webhook signatures are checked against, and the host of the first rule of every Ingress. Empty keeps the values of the overlay."
  type        = string
  default     = ""

  validation {
    condition     = var.public_hostname == "" || (length(var.public_hostname) <= 253 && can(regex("^([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]([a-z0-9-]*[a-z0-9])?$", var.public_hostname)))
    error_message = "The public_hostname must be a lowercase DNS name such as todo.example.com, without scheme or path (or be empty)."
  }
}

variable "twilio_from" {
  description = "Sender of the outbound SMS written as TWILIO_FROM into the sms-todo-config ConfigMap: an E.164 number (+15551234567) or a Messaging Service SID (MG...). Empty keeps the value of the overlay."
  type        = string
  default     = ""

  validation {
    condition     = var.twilio_from == "" || can(regex("^(\\+[1-9][0-9]{6,14}|MG[0-9a-fA-F]{32})$", var.twilio_from))
    error_message = "The twilio_from must be an E.164 phone number such as +15551234567 or a Messaging Service SID (MG followed by 32 hex digits), or be empty."
  }
}

variable "apply_manifests" {
  description = "Whether Terraform applies the kustomize overlay (kubectl apply -k) once the cluster is up. Needs kubectl on the machine running Terraform."
  type        = bool
  default     = true
}

variable "overlay_path" {
  description = "Directory of the kustomize overlay to apply. Relative paths are relative to the terraform/ directory."
  type        = string
  default     = "../k8s/overlays/pi"

  validation {
    condition     = length(trimspace(var.overlay_path)) > 0
    error_message = "The overlay_path must not be empty."
  }
}

variable "manifests_root" {
  description = "Directory whose files are hashed to decide when the manifests are applied again. It must contain the overlay and every base the overlay references. Relative paths are relative to the terraform/ directory."
  type        = string
  default     = "../k8s"

  validation {
    condition     = length(trimspace(var.manifests_root)) > 0
    error_message = "The manifests_root must not be empty."
  }
}

variable "secrets_env_file" {
  description = "Optional local env file (KEY=value lines) from which the Secret sms-todo-secrets is created or updated before the manifests are applied. Only its path and a hash of it reach the state; its values go straight from the file to the cluster. Null leaves the Secret to be created by hand (see docs/terraform.md)."
  type        = string
  default     = null

  validation {
    condition     = var.secrets_env_file == null || try(fileexists(var.secrets_env_file), false)
    error_message = "The secrets_env_file must name an existing file (or be null)."
  }
}

variable "k3s_server_extra_args" {
  description = "Extra flags for `k3s server`, e.g. [\"--node-taint=CriticalAddonsOnly=true:NoExecute\"] to keep workloads off the server Pi. Changing them re-runs the installer on the server."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arg in var.k3s_server_extra_args : startswith(arg, "--")])
    error_message = "Every entry of k3s_server_extra_args must be a flag starting with '--'."
  }
}

variable "reboot_timeout_seconds" {
  description = "How long to wait for a Pi to come back with the memory cgroup enabled after the reboot that turns it on."
  type        = number
  default     = 600

  validation {
    condition     = var.reboot_timeout_seconds >= 60
    error_message = "The reboot_timeout_seconds must be at least 60."
  }
}
