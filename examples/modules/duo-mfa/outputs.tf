output "stage_id" {
  description = "uuid of the Duo stage, for binding it to a flow."
  value       = authentik_stage_authenticator_duo.this.id
}

output "configure_flow_id" {
  description = "uuid of the flow users run to enroll a Duo device."
  value       = data.authentik_flow.configure.id
}
