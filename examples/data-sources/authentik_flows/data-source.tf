data "authentik_flows" "setup" {
  designation = "stage_configuration"
}

output "setup_flow_slugs" {
  value = [for f in data.authentik_flows.setup.flows : f.slug]
}
