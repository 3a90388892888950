package authentik

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
)

// TOTPEndpoints chooses which of authentik's two TOTP device APIs a call uses.
type TOTPEndpoints int

const (
	// TOTPAdminEndpoints are /authenticators/admin/totp/: every user's
	// devices, unconfirmed ones included. A token without the TOTP device
	// permissions gets 403 there, even for its own user's devices.
	TOTPAdminEndpoints TOTPEndpoints = iota
	// TOTPUserEndpoints are /authenticators/totp/: the confirmed devices of
	// the token's user (of every user, for a holder of the global view
	// permission on 2025.2 and later). They have no create.
	TOTPUserEndpoints
)

// Path returns the list path of these endpoints below /api/v3.
func (e TOTPEndpoints) Path() string {
	if e == TOTPUserEndpoints {
		return "/authenticators/totp/"
	}
	return "/authenticators/admin/totp/"
}

func (e TOTPEndpoints) detail(pk int) string { return e.Path() + strconv.Itoa(pk) + "/" }

// String names the endpoints for logs and diagnostics.
func (e TOTPEndpoints) String() string {
	if e == TOTPUserEndpoints {
		return "user"
	}
	return "admin"
}

// TOTPDevice is authentik's TOTPDevice. The API exposes nothing else: the
// secret key, confirmed, digits and the timestamps are never readable.
type TOTPDevice struct {
	PK   int    `json:"pk"`
	Name string `json:"name"`
	// User is the owner. authentik sends it from 2025.2 on; it is nil before.
	User *PartialUser `json:"user"`
}

// PartialUser is the short form of a user that authentik nests in objects.
type PartialUser struct {
	PK       int    `json:"pk"`
	Username string `json:"username"`
	Name     string `json:"name"`
	IsActive bool   `json:"is_active"`
	Email    string `json:"email"`
	UID      string `json:"uid"`
}

// TOTPDeviceRequest is the body of a create. authentik's serializer has no
// writable user, which is why the create fails on every released version
// (see CreateTOTPDevice).
type TOTPDeviceRequest struct {
	Name string `json:"name"`
}

// TOTPDevicePatch is the body of a partial update; name is the only
// writable field.
type TOTPDevicePatch struct {
	Name Field[string] `json:"name,omitzero"`
}

// TOTPDeviceFilter narrows ListTOTPDevices.
type TOTPDeviceFilter struct {
	Name string // exact name
}

// CreateTOTPDevice sends one POST. authentik 2024.10 to 2025.12 validate
// the name (400) and then fail on the missing owner (NOT NULL user_id),
// which reaches the client as an empty HTML 405 (IsServerError). The user
// endpoints have no create at all (JSON 405, or 403 on 2025.12+).
func (c *Client) CreateTOTPDevice(ctx context.Context, ep TOTPEndpoints, r TOTPDeviceRequest) (TOTPDevice, error) {
	var d TOTPDevice
	err := c.do(ctx, http.MethodPost, ep.Path(), nil, r, &d)
	return d, err
}

// GetTOTPDevice reads one device by its integer pk.
func (c *Client) GetTOTPDevice(ctx context.Context, ep TOTPEndpoints, pk int) (TOTPDevice, error) {
	var d TOTPDevice
	err := c.do(ctx, http.MethodGet, ep.detail(pk), nil, nil, &d)
	return d, err
}

// PatchTOTPDevice sends one PATCH with the set members of p.
func (c *Client) PatchTOTPDevice(ctx context.Context, ep TOTPEndpoints, pk int, p TOTPDevicePatch) (TOTPDevice, error) {
	var d TOTPDevice
	err := c.do(ctx, http.MethodPatch, ep.detail(pk), nil, p, &d)
	return d, err
}

// DeleteTOTPDevice deletes a device; its user can no longer log in with it.
func (c *Client) DeleteTOTPDevice(ctx context.Context, ep TOTPEndpoints, pk int) error {
	return c.do(ctx, http.MethodDelete, ep.detail(pk), nil, nil, nil)
}

// ListTOTPDevices returns the devices matching f, following pagination.
func (c *Client) ListTOTPDevices(ctx context.Context, ep TOTPEndpoints, f TOTPDeviceFilter) ([]TOTPDevice, error) {
	q := url.Values{}
	if f.Name != "" {
		q.Set("name", f.Name) // exact and case-sensitive
	}
	return listAll[TOTPDevice](ctx, c, ep.Path(), q)
}

// TOTPEndpointsInUse returns the endpoints this Client uses for TOTP
// devices: the admin ones until they have refused its token.
func (c *Client) TOTPEndpointsInUse() TOTPEndpoints {
	if c.totpUserOnly.Load() {
		return TOTPUserEndpoints
	}
	return TOTPAdminEndpoints
}

// WithTOTPEndpoints runs call on start (normally TOTPEndpointsInUse). When
// the admin endpoints answer 403 and the user endpoints do not, it records
// that for the life of the Client and returns the user endpoints' result.
//
// Why: the admin endpoints are the only ones that see every device, so they
// come first; but an ordinary user's token gets 403 there even for its own
// devices, while the user endpoints serve exactly those. The answer depends
// on the token only, so it is learnt once per Client (one provider
// instance), not paid for with a refused request on every call.
func (c *Client) WithTOTPEndpoints(start TOTPEndpoints, call func(TOTPEndpoints) error) (TOTPEndpoints, error) {
	err := call(start)
	if start != TOTPAdminEndpoints || !IsForbidden(err) {
		return start, err
	}
	userErr := call(TOTPUserEndpoints)
	if IsForbidden(userErr) {
		return start, err // the token itself is refused: report the admin answer
	}
	c.totpUserOnly.Store(true)
	return TOTPUserEndpoints, userErr
}
