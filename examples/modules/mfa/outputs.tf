output "validate_stage_id" {
  description = "uuid of the validate stage (the module binds it into var.flow_id)."
  value       = authentik_stage_authenticator_validate.this.id
}

output "setup_stage_ids" {
  description = "uuid of each setup stage the module made, by device class (totp, webauthn, static)."
  value       = local.setup_stage_ids
}

output "binding_id" {
  description = "uuid of the flow stage binding that runs the validate stage in var.flow_id."
  value       = authentik_flow_stage_binding.this.id
}
