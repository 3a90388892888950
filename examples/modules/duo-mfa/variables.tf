variable "name" {
  description = "Name of the Duo stage, unique across all stages."
  type        = string
}

variable "friendly_name" {
  description = "Name shown to users for this authenticator; null leaves it unset."
  type        = string
  default     = null
}

variable "configure_flow_slug" {
  description = "Slug of the flow users run to enroll a Duo device, e.g. a stage_configuration flow you built for Duo."
  type        = string
}

variable "api_hostname" {
  description = "Duo API host name, such as api-1234abcd.duosecurity.com (no https://)."
  type        = string
}

variable "client_id" {
  description = "Integration key of the Duo Auth API application."
  type        = string
}

variable "client_secret" {
  description = "Secret key of the Duo Auth API application. Ephemeral: never written to state or plan."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "client_secret_version" {
  description = "Any number; change it whenever client_secret changes so the new secret is sent."
  type        = number
  default     = 1
}
