# Only Terraform's built-in `terraform_data` resource is used, so there is no provider to
# download: `terraform init -backend=false && terraform validate` work offline.
terraform {
  # terraform_data arrived in 1.4; 1.5 is the oldest release this configuration is checked with.
  required_version = ">= 1.5.0, < 2.0.0"
}
