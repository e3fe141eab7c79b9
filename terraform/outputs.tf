output "server_address" {
  description = "The server Pi as given in server_host."
  value       = var.server_host
}

output "api_server_url" {
  description = "URL of the Kubernetes API served by k3s on the server Pi."
  value       = local.api_server_url
}

output "agent_hosts" {
  description = "The Pis joined as agents."
  value       = var.agent_hosts
}

output "kubeconfig_path" {
  description = "Absolute path of the fetched admin kubeconfig (mode 0600; context sms-todo). Treat it like a password."
  value       = local.kubeconfig_path
}

output "kubeconfig_command" {
  description = "How to use the kubeconfig from a shell."
  value       = "export KUBECONFIG='${local.kubeconfig_path}' && kubectl get nodes"
}

output "kubectl_command" {
  description = "A kubectl invocation against the cluster without changing the environment."
  value       = "kubectl --kubeconfig '${local.kubeconfig_path}' -n sms-todo get pods"
}

output "public_base_url" {
  description = "PUBLIC_BASE_URL written into the sms-todo-config ConfigMap (null when public_hostname is empty and the overlay's value is kept)."
  value       = var.public_hostname == "" ? null : "https://${var.public_hostname}"
}
