# authentik refuses to create this stage without an enterprise licence.
# The service-account key is a JSON document; the write-only twin keeps it
# out of state and plan (Terraform 1.11+).
variable "gdtc_service_account_key" {
  type      = string
  ephemeral = true
}

resource "authentik_stage_authenticator_endpoint_gdtc" "chrome" {
  name                   = "chrome-device-trust"
  credentials_wo         = var.gdtc_service_account_key # e.g. TF_VAR_gdtc_service_account_key="$(cat sa-key.json)"
  credentials_wo_version = 1                            # bump to send a rotated key
}
