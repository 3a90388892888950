data "authentik_flow" "sms_setup" {
  slug = "default-authenticator-sms-setup"
}

# Write-only secrets (Terraform 1.11+) never reach state or plan. Feed them
# from ephemeral variables so a saved plan does not hold them either.
variable "twilio_auth_token" {
  type      = string
  ephemeral = true
}

resource "authentik_stage_authenticator_sms" "sms" {
  name            = "sms-setup"
  sms_provider    = "twilio"
  from_number     = "+15555550100"
  account_sid     = "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
  auth_wo         = var.twilio_auth_token
  auth_wo_version = 1 # bump to send a rotated token
  friendly_name   = "Text message"
  configure_flow  = data.authentik_flow.sms_setup.id
}
