package authentik

import (
	"context"
	"net/http"
	"net/url"
)

const webauthnDeviceTypesPath = "/stages/authenticator/webauthn_device_types/"

// WebAuthnDeviceType is one entry of authentik's WebAuthn device catalogue
// (from the FIDO metadata service).
type WebAuthnDeviceType struct {
	AAGUID      string `json:"aaguid"`
	Description string `json:"description"`
}

// WebAuthnDeviceTypeFilter narrows FindWebAuthnDeviceTypes: exact,
// case-sensitive matches. Empty members do not filter.
type WebAuthnDeviceTypeFilter struct {
	AAGUID      string
	Description string
}

// FindWebAuthnDeviceTypes asks for the device types matching f in one
// request: up to a few of them, and how many match in all (so that a caller
// can tell none, one and several apart without following pages).
func (c *Client) FindWebAuthnDeviceTypes(ctx context.Context, f WebAuthnDeviceTypeFilter) ([]WebAuthnDeviceType, int, error) {
	q := url.Values{}
	if f.AAGUID != "" {
		q.Set("aaguid", f.AAGUID)
	}
	if f.Description != "" {
		q.Set("description", f.Description)
	}
	q.Set("page_size", "10")
	var p page[WebAuthnDeviceType]
	if err := c.do(ctx, http.MethodGet, webauthnDeviceTypesPath, q, nil, &p); err != nil {
		return nil, 0, err
	}
	return p.Results, int(p.Pagination.Count), nil
}
