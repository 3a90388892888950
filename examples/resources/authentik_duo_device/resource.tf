# The one device kind authentik can create: a Duo setup stage imports a user's
# existing Duo enrollment and gives the device to that authentik user.
variable "duo_stage_id" {
  type        = string
  description = "uuid of an authentik_stage_authenticator_duo"
}

resource "authentik_duo_device" "alice" {
  stage       = var.duo_stage_id
  duo_user_id = "DUXXXXXXXXXXXXXXXXXX" # the user's id in the Duo Admin Panel
  username    = "alice"
  name        = "Alice's phone" # optional; authentik names it "Imported Duo Authenticator"
}
