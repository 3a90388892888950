package authentik

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// UserDevice is one entry of authentik's lists of every kind of device
// (the core DeviceSerializer). Unlike the per-kind APIs, pk is a string.
type UserDevice struct {
	PK            string `json:"pk"`
	Name          string `json:"name"`
	Type          string `json:"type"` // Django model label, e.g. "authentik_stages_authenticator_totp.TOTPDevice"
	VerboseName   string `json:"verbose_name"`
	MetaModelName string `json:"meta_model_name"`
	Confirmed     bool   `json:"confirmed"`
	Created       string `json:"created"`
	LastUpdated   string `json:"last_updated"`
	// LastUsed is nil for a device never used to log in.
	LastUsed *string `json:"last_used"`
}

const deviceAppPrefix = "authentik_stages_authenticator_"

// Kind returns the device's kind as in the per-kind API paths ("totp",
// "webauthn", …): the suffix of its Django app. Devices of other apps give
// their whole model label.
func (d UserDevice) Kind() string {
	app, _, _ := strings.Cut(d.Type, ".")
	if kind, ok := strings.CutPrefix(app, deviceAppPrefix); ok && kind != "" {
		return kind
	}
	return d.Type
}

// ListUserDevices returns the devices of every kind of one user in one
// request: /authenticators/admin/all/?user=<pk>, which needs an admin
// token. With user nil it returns the token's own confirmed devices
// (/authenticators/all/), which any token may read. Neither list is
// paginated.
func (c *Client) ListUserDevices(ctx context.Context, user *int) ([]UserDevice, error) {
	path, q := "/authenticators/all/", url.Values(nil)
	if user != nil {
		path, q = "/authenticators/admin/all/", url.Values{"user": {strconv.Itoa(*user)}}
	}
	var out []UserDevice
	err := c.do(ctx, http.MethodGet, path, q, nil, &out)
	return out, err
}
