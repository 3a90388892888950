# By name (exact and case-sensitive; some names are shared by several
# device types, which is an error: then look up by aaguid).
data "authentik_webauthn_device_type" "titan" {
  description = "Google Titan Security Key v2"
}

# By AAGUID.
data "authentik_webauthn_device_type" "yubikey" {
  aaguid = "cb69481e-8ff7-4039-93ec-0a2729a154a8"
}

resource "authentik_stage_authenticator_webauthn" "keys" {
  name = "security-keys"
  device_type_restrictions = [
    data.authentik_webauthn_device_type.titan.aaguid,
    data.authentik_webauthn_device_type.yubikey.aaguid,
  ]
}
