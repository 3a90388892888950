variable "name_prefix" {
  description = "Prefix of the stages' names (stage names are unique across authentik), e.g. \"mfa\" gives mfa-totp-setup, mfa-validate."
  type        = string
  default     = "mfa"
}

variable "flow_id" {
  description = "uuid of the flow the validate stage is bound into (e.g. data.authentik_flow.login.id)."
  type        = string
}

variable "binding_order" {
  description = "Position of the validate stage in that flow: stages run by ascending order (authentik's default authentication flow has its password stage at 20)."
  type        = number
  default     = 30
}

variable "totp" {
  description = "Offer authenticator apps (TOTP)."
  type        = bool
  default     = true
}

variable "webauthn" {
  description = "Offer security keys and passkeys (WebAuthn)."
  type        = bool
  default     = true
}

variable "static" {
  description = "Offer one-time recovery codes."
  type        = bool
  default     = true
}

variable "configure_flow_ids" {
  description = "uuid of the flow a signed-in user runs to enroll each kind of device from their settings; a kind left out cannot be enrolled from the settings."
  type = object({
    totp     = optional(string)
    webauthn = optional(string)
    static   = optional(string)
  })
  default = {}
}

variable "totp_digits" {
  description = "Length of TOTP codes: \"6\" or \"8\"."
  type        = string
  default     = "6"
}

variable "webauthn_user_verification" {
  description = "Whether the WebAuthn authenticator must verify the user (PIN, biometrics): required, preferred or discouraged."
  type        = string
  default     = "preferred"
}

variable "static_token_count" {
  description = "How many recovery codes a user gets."
  type        = number
  default     = 6
}

variable "last_auth_threshold" {
  description = "Skip the check when the user passed it this recently, in authentik's duration syntax (\"hours=12\"); \"seconds=0\" always asks."
  type        = string
  default     = "seconds=0"
}
