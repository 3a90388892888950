# Every authenticator device of one user, for an audit or to find the pk that
# imports a device into authentik_<kind>_device.
data "authentik_user_devices" "alice" {
  user = 7 # the user's pk
}

output "alice_unused_devices" {
  value = [for d in data.authentik_user_devices.alice.devices : "${d.kind}/${d.id} ${d.name}" if d.last_used == null]
}
