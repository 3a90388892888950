data "authentik_flow" "static_setup" {
  slug = "default-authenticator-static-setup"
}

resource "authentik_stage_authenticator_static" "static" {
  name           = "static-setup"
  token_count    = 8
  token_length   = 12
  friendly_name  = "Recovery codes"
  configure_flow = data.authentik_flow.static_setup.id
}
