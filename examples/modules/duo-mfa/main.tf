terraform {
  required_version = ">= 1.11" # write-only client_secret_wo
  required_providers {
    authentik = {
      source = "authentik-iac/authentik"
    }
  }
}

# The flow a signed-in user runs to enroll a Duo device from their settings.
data "authentik_flow" "configure" {
  slug = var.configure_flow_slug
}

resource "authentik_stage_authenticator_duo" "this" {
  name           = var.name
  friendly_name  = var.friendly_name
  api_hostname   = var.api_hostname
  client_id      = var.client_id
  configure_flow = data.authentik_flow.configure.id

  # Never stored in state; bump the version to send a rotated secret.
  client_secret_wo         = var.client_secret
  client_secret_wo_version = var.client_secret_version
}
