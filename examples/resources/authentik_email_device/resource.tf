# authentik cannot create email devices through its API: the user enrolls the
# device through a flow with an email authenticator setup stage (authentik 2025.2+), then Terraform adopts it by pk.
import {
  to = authentik_email_device.this
  id = "42"
}

resource "authentik_email_device" "this" {
  name = "Work mail"
}
