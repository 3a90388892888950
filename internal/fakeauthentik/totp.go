package fakeauthentik

import (
	"net/http"
	"strconv"
)

// TOTP devices are one kind of the generic devices (devices.go); these
// helpers keep the TOTP-specific names tests have always used.

// TOTPDevice is a TOTP device as the server stores it. Only Name, PK and the
// owner are visible through the API; Secret is set for devices enrolled
// through the flow executor.
type TOTPDevice = Device

// TOTPCreateMode chooses how POST /authenticators/admin/totp/ behaves.
type TOTPCreateMode = DeviceCreateMode

const (
	// TOTPCreateReal answers a valid create like every released authentik:
	// an empty text/html 405 (see DeviceCreateReal).
	TOTPCreateReal = DeviceCreateReal
	// TOTPCreateSpec answers what the OpenAPI schema promises: 201 with the
	// new device, owned by the token's user.
	TOTPCreateSpec = DeviceCreateSpec
)

// SetTOTPCreate switches how admin TOTP creates are answered.
func (s *Server) SetTOTPCreate(m TOTPCreateMode) { s.SetDeviceCreate(DeviceTOTP, m) }

// EnrollTOTPDevice stores a device for a user, as the enrollment flow does.
// authentik saves devices only once they are confirmed; confirmed=false
// imitates a device left over unconfirmed (visible to admins only).
func (s *Server) EnrollTOTPDevice(userPK int, name string, confirmed bool) TOTPDevice {
	return s.EnrollDevice(Device{Kind: DeviceTOTP, UserPK: userPK, Name: name, Confirmed: confirmed})
}

// TOTPDevice returns the stored device with this pk.
func (s *Server) TOTPDevice(pk int) (TOTPDevice, bool) { return s.Device(DeviceTOTP, pk) }

// TOTPDevices returns every stored device, ordered by pk.
func (s *Server) TOTPDevices() []TOTPDevice { return s.Devices(DeviceTOTP) }

// RenameTOTPDevice renames a device, as a user would in their settings.
func (s *Server) RenameTOTPDevice(pk int, name string) bool {
	return s.RenameDevice(DeviceTOTP, pk, name)
}

// DeleteTOTPDevice deletes a device behind the API's back.
func (s *Server) DeleteTOTPDevice(pk int) bool { return s.DeleteDevice(DeviceTOTP, pk) }

// totpNotFound is the 404 detail for a well-formed but unknown TOTP pk.
func (s *Server) totpNotFound() string {
	return devicesHandler{s: s, kind: DeviceTOTP, k: deviceKinds[DeviceTOTP]}.notFound()
}

// totpUsedByPermission is has_permission on /authenticators/totp/{id}/used_by/:
// on 2024.10 only superusers pass (an owner gets 403, as recorded); from
// 2025.2 ObjectPermissions lets the owner see their own device's.
func (s *Server) totpUsedByPermission(u *user, _ string) bool {
	return u != nil && (u.superuser || s.version != V2024_10)
}

// totpUsedBy is GET /authenticators/totp/{id}/used_by/: nothing refers to a
// TOTP device, so it is [] for a device the caller can see.
func (s *Server) totpUsedBy(w http.ResponseWriter, c *call) {
	pk, err := strconv.Atoi(c.id)
	s.mu.Lock()
	d, found := s.devices.byKind[DeviceTOTP][pk]
	visible := err == nil && found && d.Confirmed && (c.user.superuser || d.UserPK == c.user.pk)
	s.mu.Unlock()
	if !visible {
		writeDetail(w, http.StatusNotFound, s.totpNotFound())
		return
	}
	writeJSON(w, http.StatusOK, []any{})
}
