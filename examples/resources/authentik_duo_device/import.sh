# A Duo device enrolled through a flow: its integer pk, from the data source
# authentik_user_devices or GET /api/v3/authenticators/admin/duo/?name=<device name>.
terraform import authentik_duo_device.alice 42
