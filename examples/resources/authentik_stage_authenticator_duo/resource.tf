data "authentik_flow" "duo_setup" {
  slug = "default-authenticator-totp-setup"
}

# Write-only secrets (Terraform 1.11+) never reach state or plan. Feed them
# from ephemeral variables so a saved plan does not hold them either.
variable "duo_client_secret" {
  type      = string
  ephemeral = true
}

resource "authentik_stage_authenticator_duo" "duo" {
  name                     = "duo-setup"
  client_id                = "DIXXXXXXXXXXXXXXXXXX"
  client_secret_wo         = var.duo_client_secret
  client_secret_wo_version = 1 # bump to send a rotated secret
  api_hostname             = "api-1234abcd.duosecurity.com"
  friendly_name            = "Duo Push"
  configure_flow           = data.authentik_flow.duo_setup.id
}
