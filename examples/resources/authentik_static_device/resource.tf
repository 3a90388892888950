# authentik cannot create static devices through its API: the user enrolls the
# device through a flow (default-authenticator-static-setup), then Terraform adopts it by pk.
import {
  to = authentik_static_device.this
  id = "42"
}

resource "authentik_static_device" "this" {
  name = "Recovery codes"
}
