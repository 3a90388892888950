# authentik cannot create WebAuthn devices through its API: the user enrolls the
# device through a flow (default-authenticator-webauthn-setup), then Terraform adopts it by pk.
import {
  to = authentik_webauthn_device.this
  id = "42"
}

resource "authentik_webauthn_device" "this" {
  name = "YubiKey 5 NFC"
}
