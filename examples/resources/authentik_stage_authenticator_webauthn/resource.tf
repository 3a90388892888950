data "authentik_flow" "webauthn_setup" {
  slug = "default-authenticator-webauthn-setup"
}

data "authentik_webauthn_device_type" "yubikey" {
  aaguid = "cb69481e-8ff7-4039-93ec-0a2729a154a8" # YubiKey 5 Series
}

resource "authentik_stage_authenticator_webauthn" "webauthn" {
  name                     = "webauthn-setup"
  friendly_name            = "Security key"
  configure_flow           = data.authentik_flow.webauthn_setup.id
  user_verification        = "required"
  resident_key_requirement = "preferred"
  authenticator_attachment = "cross-platform"
  device_type_restrictions = [data.authentik_webauthn_device_type.yubikey.aaguid]
  max_attempts             = 5 # authentik 2025.8 or later
}
