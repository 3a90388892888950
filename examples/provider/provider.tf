terraform {
  required_providers {
    authentik = {
      source = "authentik-iac/authentik"
    }
  }
}

# url and token can also come from AUTHENTIK_URL and AUTHENTIK_TOKEN.
provider "authentik" {
  url   = "https://authentik.example.com"
  token = var.authentik_token
}

variable "authentik_token" {
  type      = string
  sensitive = true
}
