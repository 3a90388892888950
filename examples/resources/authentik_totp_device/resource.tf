# authentik cannot create TOTP devices through its API: the user enrolls the
# device through a flow (default-authenticator-totp-setup), then Terraform
# adopts it by pk.
import {
  to = authentik_totp_device.phone
  id = "42"
}

resource "authentik_totp_device" "phone" {
  name = "Work phone"
}
