# authentik cannot create SMS devices through its API: the user enrolls the
# device through a flow with an SMS authenticator setup stage, then Terraform adopts it by pk.
import {
  to = authentik_sms_device.this
  id = "42"
}

resource "authentik_sms_device" "this" {
  name = "Work phone"
}
