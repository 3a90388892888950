package authentik

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"sync"
)

// DeviceKind is one kind of authenticator device, named as in its API paths
// (/authenticators/admin/<kind>/).
type DeviceKind string

// The device kinds with admin and user endpoints. Email devices exist from
// authentik 2025.2 on.
const (
	DeviceTOTP     DeviceKind = "totp"
	DeviceStatic   DeviceKind = "static"
	DeviceWebAuthn DeviceKind = "webauthn"
	DeviceDuo      DeviceKind = "duo"
	DeviceSMS      DeviceKind = "sms"
	DeviceEmail    DeviceKind = "email"
)

// DeviceEndpoints chooses which of a kind's two APIs a call uses.
type DeviceEndpoints int

const (
	// AdminEndpoints are /authenticators/admin/<kind>/: every user's
	// devices, unconfirmed ones included. A token without the kind's device
	// permissions gets 403 there, even for its own user's devices.
	AdminEndpoints DeviceEndpoints = iota
	// UserEndpoints are /authenticators/<kind>/: the token user's devices
	// (every user's, for a holder of the global view permission on 2025.2
	// and later). They have no create.
	UserEndpoints
)

// String names the endpoints for logs and diagnostics.
func (e DeviceEndpoints) String() string {
	if e == UserEndpoints {
		return "user"
	}
	return "admin"
}

// Path returns the list path of kind's endpoints below /api/v3.
func (k DeviceKind) Path(e DeviceEndpoints) string {
	if e == UserEndpoints {
		return "/authenticators/" + string(k) + "/"
	}
	return "/authenticators/admin/" + string(k) + "/"
}

func (k DeviceKind) detail(e DeviceEndpoints, pk int) string {
	return k.Path(e) + strconv.Itoa(pk) + "/"
}

// Device is an authenticator device of any kind. Every kind has pk and
// name, and from 2025.2 on the owner; the other fields are sent by one kind
// only and are nil for the rest. Static devices' recovery codes (token_set)
// are secrets and are not decoded.
type Device struct {
	PK   int    `json:"pk"`
	Name string `json:"name"`
	// User is the owner. authentik sends it from 2025.2 on; nil before.
	User *PartialUser `json:"user"`
	// PhoneNumber (SMS) is the number, or "hash:<sha256>" for a device of
	// a verify-only stage.
	PhoneNumber *string `json:"phone_number"`
	// Email (email devices) is the address codes are sent to.
	Email *string `json:"email"`
	// CreatedOn, AAGUID and DeviceType describe a WebAuthn authenticator;
	// DeviceType is the model authentik recognised from its AAGUID (nil
	// for an unknown model), an entry of its device type catalogue.
	CreatedOn  *string             `json:"created_on"`
	AAGUID     *string             `json:"aaguid"`
	DeviceType *WebAuthnDeviceType `json:"device_type"`
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

// DeviceRequest is the body of an admin create. No kind's serializer has a
// writable user, which is why the create fails on every released version
// (see CreateDevice).
type DeviceRequest struct {
	Name string `json:"name"`
}

// DevicePatch is the body of a partial update; name is every kind's only
// writable field.
type DevicePatch struct {
	Name Field[string] `json:"name,omitzero"`
}

// DeviceFilter narrows ListDevices.
type DeviceFilter struct {
	Name     string // exact name
	Ordering string // e.g. "-pk"; authentik's default is by name
}

// CreateDevice sends one POST to kind's admin endpoints. authentik 2024.10
// to 2026.2 validate the name (400) and then fail on the missing owner (NOT
// NULL user_id), which reaches the client as an empty HTML 405
// (IsServerError). The user endpoints have no create at all.
func (c *Client) CreateDevice(ctx context.Context, kind DeviceKind, r DeviceRequest) (Device, error) {
	var d Device
	err := c.do(ctx, http.MethodPost, kind.Path(AdminEndpoints), nil, r, &d)
	return d, err
}

// GetDevice reads one device by its integer pk.
func (c *Client) GetDevice(ctx context.Context, kind DeviceKind, ep DeviceEndpoints, pk int) (Device, error) {
	var d Device
	err := c.do(ctx, http.MethodGet, kind.detail(ep, pk), nil, nil, &d)
	return d, err
}

// PatchDevice sends one PATCH with the set members of p.
func (c *Client) PatchDevice(ctx context.Context, kind DeviceKind, ep DeviceEndpoints, pk int, p DevicePatch) (Device, error) {
	var d Device
	err := c.do(ctx, http.MethodPatch, kind.detail(ep, pk), nil, p, &d)
	return d, err
}

// DeleteDevice deletes a device; its user can no longer log in with it.
func (c *Client) DeleteDevice(ctx context.Context, kind DeviceKind, ep DeviceEndpoints, pk int) error {
	return c.do(ctx, http.MethodDelete, kind.detail(ep, pk), nil, nil, nil)
}

// ListDevices returns the devices matching f, following pagination.
func (c *Client) ListDevices(ctx context.Context, kind DeviceKind, ep DeviceEndpoints, f DeviceFilter) ([]Device, error) {
	return listAll[Device](ctx, c, kind.Path(ep), f.query())
}

func (f DeviceFilter) query() url.Values {
	q := url.Values{}
	if f.Name != "" {
		q.Set("name", f.Name) // exact and case-sensitive
	}
	if f.Ordering != "" {
		q.Set("ordering", f.Ordering)
	}
	return q
}

// WithDeviceEndpoints runs call on kind's admin endpoints and, when they
// answer 403 and the user endpoints do not, on the user endpoints; it
// returns the endpoints whose answer it returns.
//
// Why: the admin endpoints are the only ones that see every device, so they
// come first; but an ordinary user's token gets 403 there even for its own
// devices, while the user endpoints serve exactly those. The answer depends
// on the token (and, with RBAC, on the kind), and a Client has one token:
// it learns the answer once per kind for its lifetime, one provider
// process, and nothing outlives it. While the first call of a kind finds
// out, concurrent calls of that kind wait for it instead of each being
// refused.
func (c *Client) WithDeviceEndpoints(ctx context.Context, kind DeviceKind, call func(DeviceEndpoints) error) (DeviceEndpoints, error) {
	return c.endpoints.of(kind).run(ctx, call)
}

// endpointMemos holds one endpointMemo per device kind.
type endpointMemos struct {
	mu    sync.Mutex
	kinds map[DeviceKind]*endpointMemo
}

func (m *endpointMemos) of(kind DeviceKind) *endpointMemo {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.kinds == nil {
		m.kinds = map[DeviceKind]*endpointMemo{}
	}
	if m.kinds[kind] == nil {
		m.kinds[kind] = &endpointMemo{}
	}
	return m.kinds[kind]
}

// endpointMemo is what one kind's admin endpoints told this Client's token.
type endpointMemo struct {
	mu      sync.Mutex
	learnt  memoState
	probing chan struct{} // closed when the call that is finding out returns
}

type memoState int

const (
	memoUnknown memoState = iota
	memoAdmin             // the admin endpoints answered other than 403
	memoUser              // the admin endpoints refused, the user ones served
)

func (m *endpointMemo) run(ctx context.Context, call func(DeviceEndpoints) error) (DeviceEndpoints, error) {
	for {
		m.mu.Lock()
		learnt, wait := m.learnt, m.probing
		if learnt == memoUnknown && wait == nil {
			m.probing = make(chan struct{})
		}
		m.mu.Unlock()
		switch {
		case learnt == memoUser:
			return UserEndpoints, call(UserEndpoints)
		case learnt == memoAdmin:
			// Known to be let in; a 403 now concerns one object (RBAC), so
			// the user endpoints may still serve it, but nothing is learnt.
			ep, _, err := adminThenUser(call)
			return ep, err
		case wait != nil:
			select {
			case <-wait: // look again: learnt, or this call finds out next
			case <-ctx.Done():
				return AdminEndpoints, ctx.Err()
			}
			continue
		}
		ep, learnt, err := adminThenUser(call)
		m.mu.Lock()
		m.learnt = learnt
		close(m.probing)
		m.probing = nil
		m.mu.Unlock()
		return ep, err
	}
}

// adminThenUser runs call on the admin endpoints, then on the user ones if
// the admin ones refused; it says what that showed about the token.
func adminThenUser(call func(DeviceEndpoints) error) (DeviceEndpoints, memoState, error) {
	err := call(AdminEndpoints)
	switch {
	case err == nil || answered(err) && !IsForbidden(err):
		return AdminEndpoints, memoAdmin, err
	case !IsForbidden(err):
		return AdminEndpoints, memoUnknown, err // no answer: nothing learnt
	case IsTokenRefused(err):
		// The token itself is refused (health.go): the user endpoints would
		// refuse it too, or not even send the request.
		return AdminEndpoints, memoUnknown, err
	}
	userErr := call(UserEndpoints)
	switch {
	case IsForbidden(userErr):
		return AdminEndpoints, memoUnknown, err // the token itself is refused: report the admin answer
	case userErr == nil || answered(userErr):
		return UserEndpoints, memoUser, userErr
	}
	return UserEndpoints, memoUnknown, userErr
}

// answered reports whether err is an answer from authentik, as opposed to
// a request that got none (a transport error, a lost answer, a timeout).
func answered(err error) bool {
	var e *APIError
	return errors.As(err, &e)
}
