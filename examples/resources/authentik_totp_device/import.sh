# The device's integer pk, from GET /api/v3/authenticators/admin/totp/?name=<device name>.
terraform import authentik_totp_device.phone 42
