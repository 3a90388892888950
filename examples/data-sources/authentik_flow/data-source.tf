data "authentik_flow" "totp_setup" {
  slug = "default-authenticator-totp-setup"
}

output "totp_setup_flow_id" {
  value = data.authentik_flow.totp_setup.id
}
