resource "authentik_stage_authenticator_totp" "totp" {
  name = "totp-setup"
}

resource "authentik_stage_authenticator_static" "static" {
  name = "static-setup"
}

resource "authentik_stage_authenticator_validate" "validate" {
  name                  = "mfa-validation"
  device_classes        = ["totp", "static", "webauthn"]
  not_configured_action = "configure"
  configuration_stages = [
    authentik_stage_authenticator_totp.totp.id,
    authentik_stage_authenticator_static.static.id,
  ]
  last_auth_threshold        = "hours=12"
  webauthn_user_verification = "preferred"
}
