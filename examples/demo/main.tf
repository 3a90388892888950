# A minimal configuration for `make demo`: one Duo authenticator stage.
#
# The provider reads AUTHENTIK_URL and AUTHENTIK_TOKEN from the environment;
# `make demo` points them at a local fake authentik. To try it against a real
# authentik, export both variables and run `terraform init && terraform apply`
# in a copy of this directory.

terraform {
  required_providers {
    authentik = {
      source = "authentik-iac/authentik"
    }
  }
}

provider "authentik" {}

variable "duo_client_secret" {
  description = "Duo Admin/Auth API secret key. The default is a placeholder for the demo."
  type        = string
  sensitive   = true
  default     = "demo-secret"
}

resource "authentik_stage_authenticator_duo" "demo" {
  name          = "demo-duo"
  client_id     = "DIXXXXXXXXXXXXXXXXXX"
  client_secret = var.duo_client_secret
  api_hostname  = "api-12345678.duosecurity.com"
  friendly_name = "Duo Push"
}

output "duo_stage_id" {
  description = "ID of the Duo stage created in authentik."
  value       = authentik_stage_authenticator_duo.demo.id
}
