output "validate_stage_id" {
  description = "uuid of the validate stage, to bind into var.flow_id."
  value       = authentik_stage_authenticator_validate.this.id
}

output "setup_stage_ids" {
  description = "uuid of each setup stage the module made, by device class (totp, webauthn, static)."
  value       = local.setup_stage_ids
}

output "binding" {
  description = "The flow stage binding still to make (this provider has no binding resource yet): target, stage and order, ready for the official provider's authentik_flow_stage_binding."
  value = {
    target = var.flow_id
    stage  = authentik_stage_authenticator_validate.this.id
    order  = var.binding_order
  }
}
