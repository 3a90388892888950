package authentik

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"net/url"
)

// Stage is any of authentik's stages as it is read back. The members every
// stage shares are decoded; Members holds every member of the answer, raw,
// for the fields that are the kind's own. Write-only members (secrets) are
// never in an answer.
type Stage struct {
	PK      string
	Name    string
	FlowSet []FlowSet
	// FriendlyName is set for the authenticator setup stages only.
	FriendlyName NullString
	Members      map[string]json.RawMessage
}

// UnmarshalJSON keeps every member and decodes the shared ones.
func (s *Stage) UnmarshalJSON(b []byte) error {
	var shared struct {
		PK           string     `json:"pk"`
		Name         string     `json:"name"`
		FlowSet      []FlowSet  `json:"flow_set"`
		FriendlyName NullString `json:"friendly_name"`
	}
	if err := json.Unmarshal(b, &shared); err != nil {
		return err
	}
	members := map[string]json.RawMessage{}
	if err := json.Unmarshal(b, &members); err != nil {
		return err
	}
	*s = Stage{PK: shared.PK, Name: shared.Name, FlowSet: shared.FlowSet, FriendlyName: shared.FriendlyName, Members: members}
	return nil
}

// FlowSet is the short form of a flow that binds a stage. authentik 2024.10
// sends "background", 2025.12 "background_url"; neither is kept.
type FlowSet struct {
	PK          string `json:"pk"`
	Name        string `json:"name"`
	Slug        string `json:"slug"`
	Title       string `json:"title"`
	Designation string `json:"designation"`
}

// NullString is a JSON string that may be null. Present tells whether the
// member was in the answer at all.
type NullString struct {
	Value   string
	Null    bool
	Present bool
}

// UnmarshalJSON records the value, null-ness and presence.
func (n *NullString) UnmarshalJSON(b []byte) error {
	n.Present = true
	if string(b) == "null" {
		n.Null, n.Value = true, ""
		return nil
	}
	n.Null = false
	return json.Unmarshal(b, &n.Value)
}

// StageBody is the body of a create (POST) or partial update (PATCH):
// authentik's member names and the values to send, nil for JSON null.
// Members that are not in the map are not sent. flow_set must never be in
// it: up to authentik 2025.10 any value sent makes the server fail, and
// from 2025.12 it is read-only.
type StageBody map[string]any

// ClearFriendlyName is the value of "friendly_name" in a PATCH that clears
// the friendly name with whichever empty value this server accepts: authentik
// changed it from null to "" in 2025.10.
var ClearFriendlyName = clearFriendlyName{}

type clearFriendlyName struct{}

// CreateStage creates a stage below path (e.g. "/stages/authenticator/duo/")
// with one POST and returns authentik's answer.
func (c *Client) CreateStage(ctx context.Context, path string, body StageBody) (Stage, error) {
	var s Stage
	err := c.do(ctx, http.MethodPost, path, nil, body, &s)
	c.friendlyName.observe(s.FriendlyName)
	return s, err
}

// GetStage reads one stage by its uuid.
func (c *Client) GetStage(ctx context.Context, path, id string) (Stage, error) {
	var s Stage
	err := c.do(ctx, http.MethodGet, path+url.PathEscape(id)+"/", nil, nil, &s)
	c.friendlyName.observe(s.FriendlyName)
	return s, err
}

// ListStages returns the stages below path, those named name when it is not
// empty (exact and case-sensitive), following pagination.
func (c *Client) ListStages(ctx context.Context, path, name string) ([]Stage, error) {
	q := url.Values{}
	if name != "" {
		q.Set("name", name)
	}
	stages, err := listAll[Stage](ctx, c, path, q)
	for _, s := range stages {
		c.friendlyName.observe(s.FriendlyName)
	}
	return stages, err
}

// PatchStage sends one PATCH with body. When body clears friendly_name on a
// server whose semantics are not yet known, it may ask /admin/version/ once
// per Client first; when the server refuses the empty value it holds, the
// PATCH is sent once more with the other one.
func (c *Client) PatchStage(ctx context.Context, path, id string, body StageBody) (Stage, error) {
	target := path + url.PathEscape(id) + "/"
	_, clearing := body["friendly_name"].(clearFriendlyName)
	if clearing {
		body = maps.Clone(body)
		body["friendly_name"] = c.friendlyName.empty(ctx, c)
	}
	var s Stage
	err := c.do(ctx, http.MethodPatch, target, nil, body, &s)
	if clearing && isFriendlyNameRejection(err) {
		// The server disagreed with what we learned or guessed: it is the
		// other side of the 2025.10 change. Remember that and try once more.
		c.friendlyName.flip()
		body["friendly_name"] = c.friendlyName.empty(ctx, c)
		err = c.do(ctx, http.MethodPatch, target, nil, body, &s)
	}
	c.friendlyName.observe(s.FriendlyName)
	return s, err
}

// DeleteStage deletes a stage. Deleting an authenticator setup stage also
// deletes the devices users enrolled through it (authentik cascades).
func (c *Client) DeleteStage(ctx context.Context, path, id string) error {
	return c.do(ctx, http.MethodDelete, path+url.PathEscape(id)+"/", nil, nil, nil)
}

func isFriendlyNameRejection(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.Status == http.StatusBadRequest && len(e.FieldErrors["friendly_name"]) > 0
}

// MarshalJSON writes null: PatchStage replaces the marker before sending,
// so this only shows when a body is printed.
func (clearFriendlyName) MarshalJSON() ([]byte, error) { return []byte("null"), nil }
