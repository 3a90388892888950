data "authentik_flow" "login" {
  slug = "default-authentication-flow"
}

resource "authentik_stage_authenticator_validate" "mfa" {
  name                  = "mfa-validate"
  device_classes        = ["totp", "webauthn", "static"]
  not_configured_action = "skip"
}

# Runs the validate stage after the password stage (order 20) of the
# default authentication flow.
resource "authentik_flow_stage_binding" "mfa" {
  target = data.authentik_flow.login.id
  stage  = authentik_stage_authenticator_validate.mfa.id
  order  = 30
}
