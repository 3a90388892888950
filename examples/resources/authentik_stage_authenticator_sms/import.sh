# By the stage's uuid (shown in the stage's API URL, or by
# GET /api/v3/stages/authenticator/sms/?name=<name>):
terraform import authentik_stage_authenticator_sms.sms 2f1a7c3e-5b6d-4e8f-9a0b-1c2d3e4f5a6b

# Or by its exact name:
terraform import authentik_stage_authenticator_sms.sms name=sms-setup
