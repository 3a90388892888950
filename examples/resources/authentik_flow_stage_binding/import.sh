# By the binding's uuid (GET /api/v3/flows/bindings/?target=<flow uuid> lists
# a flow's bindings):
terraform import authentik_flow_stage_binding.mfa 2f1a7c3e-5b6d-4e8f-9a0b-1c2d3e4f5a6b
