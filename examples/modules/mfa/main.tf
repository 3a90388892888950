terraform {
  required_version = ">= 1.5"
  required_providers {
    authentik = {
      source = "authentik-iac/authentik"
    }
  }
}

locals {
  # The setup stages this module makes, by the device class authentik's
  # validate stage knows them as.
  setup_stage_ids = merge(
    var.totp ? { totp = authentik_stage_authenticator_totp.this[0].id } : {},
    var.webauthn ? { webauthn = authentik_stage_authenticator_webauthn.this[0].id } : {},
    var.static ? { static = authentik_stage_authenticator_static.this[0].id } : {},
  )
}

resource "authentik_stage_authenticator_totp" "this" {
  count          = var.totp ? 1 : 0
  name           = "${var.name_prefix}-totp-setup"
  friendly_name  = "Authenticator app"
  configure_flow = var.configure_flow_ids.totp
  digits         = var.totp_digits
}

resource "authentik_stage_authenticator_webauthn" "this" {
  count             = var.webauthn ? 1 : 0
  name              = "${var.name_prefix}-webauthn-setup"
  friendly_name     = "Security key or passkey"
  configure_flow    = var.configure_flow_ids.webauthn
  user_verification = var.webauthn_user_verification
}

resource "authentik_stage_authenticator_static" "this" {
  count          = var.static ? 1 : 0
  name           = "${var.name_prefix}-static-setup"
  friendly_name  = "Recovery codes"
  configure_flow = var.configure_flow_ids.static
  token_count    = var.static_token_count
}

# Asks for any enrolled device of the offered classes; a user with none is
# sent through the setup stages (not_configured_action = "configure").
resource "authentik_stage_authenticator_validate" "this" {
  name                  = "${var.name_prefix}-validate"
  device_classes        = keys(local.setup_stage_ids)
  configuration_stages  = values(local.setup_stage_ids)
  not_configured_action = "configure"
  last_auth_threshold   = var.last_auth_threshold

  lifecycle {
    precondition {
      condition     = length(local.setup_stage_ids) > 0
      error_message = "Enable at least one of totp, webauthn and static."
    }
  }
}

# Runs the validate stage in the given flow at binding_order.
resource "authentik_flow_stage_binding" "this" {
  target = var.flow_id
  stage  = authentik_stage_authenticator_validate.this.id
  order  = var.binding_order
}
