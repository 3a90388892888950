# The device's integer pk: the data source authentik_user_devices lists a user's
# devices with their pks, as does GET /api/v3/authenticators/admin/sms/?name=<device name>.
terraform import authentik_sms_device.this 42
