package acctest

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// User is the part of authentik's User object the fixtures need.
type User struct {
	PK       int    `json:"pk"`
	Username string `json:"username"`
}

// CreateUser adds an internal user with no permissions (POST /core/users/).
func (c *Client) CreateUser(ctx context.Context, username string) (User, error) {
	var u User
	err := c.Do(ctx, http.MethodPost, "/core/users/", map[string]any{"username": username, "name": username}, http.StatusCreated, &u)
	return u, err
}

// SetPassword sets a user's password, as an admin does in the UI.
func (c *Client) SetPassword(ctx context.Context, userPK int, password string) error {
	return c.Do(ctx, http.MethodPost, fmt.Sprintf("/core/users/%d/set_password/", userPK),
		map[string]any{"password": password}, http.StatusNoContent, nil)
}

// DeleteUser deletes a user; authentik deletes its tokens and devices with
// it. A user that is already gone is no error.
func (c *Client) DeleteUser(ctx context.Context, userPK int) error {
	err := c.Do(ctx, http.MethodDelete, fmt.Sprintf("/core/users/%d/", userPK), nil, http.StatusNoContent, nil)
	if IsStatus(err, http.StatusNotFound) {
		return nil
	}
	return err
}

// CreateAPIToken makes a non-expiring token with intent "api" for a user
// (POST /core/tokens/) and returns its key, which only view_key shows.
func (c *Client) CreateAPIToken(ctx context.Context, identifier string, userPK int) (string, error) {
	err := c.Do(ctx, http.MethodPost, "/core/tokens/", map[string]any{
		"identifier": identifier, "user": userPK, "intent": "api", "expiring": false,
	}, http.StatusCreated, nil)
	if err != nil {
		return "", err
	}
	var k struct {
		Key string `json:"key"`
	}
	err = c.Do(ctx, http.MethodGet, "/core/tokens/"+url.PathEscape(identifier)+"/view_key/", nil, http.StatusOK, &k)
	return k.Key, err
}

// DeleteToken deletes a token by its identifier; a missing one is no error.
func (c *Client) DeleteToken(ctx context.Context, identifier string) error {
	err := c.Do(ctx, http.MethodDelete, "/core/tokens/"+url.PathEscape(identifier)+"/", nil, http.StatusNoContent, nil)
	if IsStatus(err, http.StatusNotFound) {
		return nil
	}
	return err
}

// Flow is the part of authentik's Flow object the fixtures need.
type Flow struct {
	PK          string `json:"pk"`
	Name        string `json:"name"`
	Slug        string `json:"slug"`
	Title       string `json:"title"`
	Designation string `json:"designation"`
}

// CreateFlow adds a flow (POST /flows/instances/).
func (c *Client) CreateFlow(ctx context.Context, f Flow) (Flow, error) {
	var out Flow
	err := c.Do(ctx, http.MethodPost, "/flows/instances/", map[string]any{
		"name": f.Name, "slug": f.Slug, "title": f.Title, "designation": f.Designation,
	}, http.StatusCreated, &out)
	return out, err
}

// Flow reads one flow by slug.
func (c *Client) Flow(ctx context.Context, slug string) (Flow, error) {
	var f Flow
	err := c.Do(ctx, http.MethodGet, "/flows/instances/"+url.PathEscape(slug)+"/", nil, http.StatusOK, &f)
	return f, err
}

// Flows lists every flow (all pages), optionally of one designation.
func (c *Client) Flows(ctx context.Context, designation string) ([]Flow, error) {
	q := ""
	if designation != "" {
		q = "?designation=" + url.QueryEscape(designation)
	}
	return list[Flow](ctx, c, "/flows/instances/", q)
}

// DeleteFlow deletes a flow by slug; a missing one is no error.
func (c *Client) DeleteFlow(ctx context.Context, slug string) error {
	err := c.Do(ctx, http.MethodDelete, "/flows/instances/"+url.PathEscape(slug)+"/", nil, http.StatusNoContent, nil)
	if IsStatus(err, http.StatusNotFound) {
		return nil
	}
	return err
}

// BindStage binds a stage to a flow at order (POST /flows/bindings/) and
// returns the binding's pk.
func (c *Client) BindStage(ctx context.Context, flowPK, stagePK string, order int) (string, error) {
	var b struct {
		PK string `json:"pk"`
	}
	err := c.Do(ctx, http.MethodPost, "/flows/bindings/", map[string]any{"target": flowPK, "stage": stagePK, "order": order},
		http.StatusCreated, &b)
	return b.PK, err
}

// DeleteBinding removes a flow-stage binding; a missing one is no error.
func (c *Client) DeleteBinding(ctx context.Context, pk string) error {
	err := c.Do(ctx, http.MethodDelete, "/flows/bindings/"+pk+"/", nil, http.StatusNoContent, nil)
	if IsStatus(err, http.StatusNotFound) {
		return nil
	}
	return err
}

// Device is one entry of a user's authenticator devices
// (/authenticators/admin/all/): pk as a string, type the model's label, such
// as "authentik_stages_authenticator_totp.TOTPDevice".
type Device struct {
	PK        string `json:"pk"`
	Name      string `json:"name"`
	Type      string `json:"type"`
	Confirmed bool   `json:"confirmed"`
}

// Device types, as authentik names them.
const (
	TOTPDeviceType   = "authentik_stages_authenticator_totp.TOTPDevice"
	StaticDeviceType = "authentik_stages_authenticator_static.StaticDevice"
	DuoDeviceType    = "authentik_stages_authenticator_duo.DuoDevice"
)

// UserDevices lists a user's authenticator devices of every kind (admin).
func (c *Client) UserDevices(ctx context.Context, userPK int) ([]Device, error) {
	var out []Device
	err := c.Do(ctx, http.MethodGet, fmt.Sprintf("/authenticators/admin/all/?user=%d", userPK), nil, http.StatusOK, &out)
	return out, err
}

// TOTPDevice is a TOTP device as the admin endpoint shows it.
type TOTPDevice struct {
	PK   int    `json:"pk"`
	Name string `json:"name"`
}

// TOTPDevice reads a device through the admin endpoint.
func (c *Client) TOTPDevice(ctx context.Context, pk int) (TOTPDevice, error) {
	var d TOTPDevice
	err := c.Do(ctx, http.MethodGet, fmt.Sprintf("/authenticators/admin/totp/%d/", pk), nil, http.StatusOK, &d)
	return d, err
}

// RenameTOTPDevice renames a device through the admin endpoint, as an
// admin would in the UI.
func (c *Client) RenameTOTPDevice(ctx context.Context, pk int, name string) error {
	return c.Do(ctx, http.MethodPatch, fmt.Sprintf("/authenticators/admin/totp/%d/", pk), map[string]any{"name": name}, http.StatusOK, nil)
}

// DeleteTOTPDevice deletes a device through the admin endpoint.
func (c *Client) DeleteTOTPDevice(ctx context.Context, pk int) error {
	return c.Do(ctx, http.MethodDelete, fmt.Sprintf("/authenticators/admin/totp/%d/", pk), nil, http.StatusNoContent, nil)
}

// TOTPDevicesNamed lists the devices with exactly this name (admin).
func (c *Client) TOTPDevicesNamed(ctx context.Context, name string) ([]TOTPDevice, error) {
	return list[TOTPDevice](ctx, c, "/authenticators/admin/totp/", "?name="+url.QueryEscape(name))
}

// AnyDevice is a device of any kind as its admin endpoint shows it.
type AnyDevice struct {
	PK   int    `json:"pk"`
	Name string `json:"name"`
}

func devicePath(kind string, pk int) string {
	return fmt.Sprintf("/authenticators/admin/%s/%d/", kind, pk)
}

// DeviceOfKind reads a device of kind ("totp", "static", "duo", …) through
// its admin endpoint.
func (c *Client) DeviceOfKind(ctx context.Context, kind string, pk int) (AnyDevice, error) {
	var d AnyDevice
	err := c.Do(ctx, http.MethodGet, devicePath(kind, pk), nil, http.StatusOK, &d)
	return d, err
}

// RenameDeviceOfKind renames a device of kind, as an admin would in the UI.
func (c *Client) RenameDeviceOfKind(ctx context.Context, kind string, pk int, name string) error {
	return c.Do(ctx, http.MethodPatch, devicePath(kind, pk), map[string]any{"name": name}, http.StatusOK, nil)
}

// DeleteDeviceOfKind deletes a device of kind through its admin endpoint.
func (c *Client) DeleteDeviceOfKind(ctx context.Context, kind string, pk int) error {
	return c.Do(ctx, http.MethodDelete, devicePath(kind, pk), nil, http.StatusNoContent, nil)
}

// ImportDuoDevice imports a user's Duo enrollment through a Duo stage, as
// an admin would in the UI; authentik answers 204 and names the device
// "Imported Duo Authenticator".
func (c *Client) ImportDuoDevice(ctx context.Context, stagePK, duoUserID, username string) error {
	return c.Do(ctx, http.MethodPost, duoPath+stagePK+"/import_device_manual/",
		map[string]any{"duo_user_id": duoUserID, "username": username}, http.StatusNoContent, nil)
}

// DuoStage is the part of a Duo authenticator setup stage the fixtures
// need.
type DuoStage struct {
	PK           string  `json:"pk"`
	Name         string  `json:"name"`
	APIHostname  string  `json:"api_hostname"`
	FriendlyName *string `json:"friendly_name"`
}

const duoPath = "/stages/authenticator/duo/"

// CreateDuoStage adds a Duo stage as an admin would in the UI; fields are
// the API's (name, client_id, client_secret, api_hostname, …).
func (c *Client) CreateDuoStage(ctx context.Context, fields map[string]any) (DuoStage, error) {
	var st DuoStage
	err := c.Do(ctx, http.MethodPost, duoPath, fields, http.StatusCreated, &st)
	return st, err
}

// DuoStagesNamed lists the Duo stages with exactly this name.
func (c *Client) DuoStagesNamed(ctx context.Context, name string) ([]DuoStage, error) {
	return list[DuoStage](ctx, c, duoPath, "?name="+url.QueryEscape(name))
}

// PatchDuoStage changes fields of a stage, as an admin would in the UI.
func (c *Client) PatchDuoStage(ctx context.Context, pk string, fields map[string]any) error {
	return c.Do(ctx, http.MethodPatch, duoPath+pk+"/", fields, http.StatusOK, nil)
}

// DeleteDuoStage deletes a stage; a missing one is no error.
func (c *Client) DeleteDuoStage(ctx context.Context, pk string) error {
	err := c.Do(ctx, http.MethodDelete, duoPath+pk+"/", nil, http.StatusNoContent, nil)
	if IsStatus(err, http.StatusNotFound) {
		return nil
	}
	return err
}
