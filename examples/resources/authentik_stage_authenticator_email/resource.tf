# Needs authentik 2025.2 or later.
variable "smtp_password" {
  type      = string
  ephemeral = true
}

resource "authentik_stage_authenticator_email" "email" {
  name                = "email-otp-setup"
  friendly_name       = "Email code"
  use_global_settings = false
  host                = "smtp.example.com"
  port                = 587
  use_tls             = true
  username            = "authentik"
  password_wo         = var.smtp_password
  password_wo_version = 1 # bump to send a rotated password
  from_address        = "authentik@example.com"
  subject             = "Your sign-in code"
  template            = "email/email_otp.html"
  token_expiry        = "minutes=15" # authentik's syntax: key=value pairs separated by ";"
}
