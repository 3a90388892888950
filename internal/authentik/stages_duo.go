package authentik

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
)

const duoStagesPath = "/stages/authenticator/duo/"

// DuoStage is authentik's AuthenticatorDuoStage as it is read back. The
// secrets client_secret and admin_secret_key are write-only: authentik never
// returns them.
type DuoStage struct {
	PK                  string     `json:"pk"`
	Name                string     `json:"name"`
	FlowSet             []FlowSet  `json:"flow_set"`
	ConfigureFlow       *string    `json:"configure_flow"`
	FriendlyName        NullString `json:"friendly_name"`
	ClientID            string     `json:"client_id"`
	APIHostname         string     `json:"api_hostname"`
	AdminIntegrationKey string     `json:"admin_integration_key"`
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

// DuoStageRequest is the body of a create (POST). Optional members are
// pointers and are left out when nil. flow_set is deliberately absent: up to
// authentik 2025.10 any value sent makes the server fail, and from 2025.12 it
// is read-only.
type DuoStageRequest struct {
	Name                string  `json:"name"`
	ConfigureFlow       *string `json:"configure_flow,omitempty"`
	FriendlyName        *string `json:"friendly_name,omitempty"`
	ClientID            string  `json:"client_id"`
	ClientSecret        string  `json:"client_secret"`
	APIHostname         string  `json:"api_hostname"`
	AdminIntegrationKey *string `json:"admin_integration_key,omitempty"`
	AdminSecretKey      *string `json:"admin_secret_key,omitempty"`
}

// DuoStagePatch is the body of a partial update: only set Fields are sent.
//
// FriendlyName as Null means "clear it": PatchDuoStage sends null or "",
// whichever the server accepts (authentik changed this in 2025.10). To clear
// configure_flow send Null; to clear the admin keys send "" (authentik
// rejects null for them).
type DuoStagePatch struct {
	Name                Field[string] `json:"name,omitzero"`
	ConfigureFlow       Field[string] `json:"configure_flow,omitzero"`
	FriendlyName        Field[string] `json:"friendly_name,omitzero"`
	ClientID            Field[string] `json:"client_id,omitzero"`
	ClientSecret        Field[string] `json:"client_secret,omitzero"`
	APIHostname         Field[string] `json:"api_hostname,omitzero"`
	AdminIntegrationKey Field[string] `json:"admin_integration_key,omitzero"`
	AdminSecretKey      Field[string] `json:"admin_secret_key,omitzero"`
}

// IsEmpty reports whether the patch would change nothing.
func (p DuoStagePatch) IsEmpty() bool { return p == DuoStagePatch{} }

// CreateDuoStage creates a Duo stage with one POST and returns authentik's answer.
func (c *Client) CreateDuoStage(ctx context.Context, r DuoStageRequest) (DuoStage, error) {
	var s DuoStage
	err := c.do(ctx, http.MethodPost, duoStagesPath, nil, r, &s)
	c.friendlyName.observe(s.FriendlyName)
	return s, err
}

// GetDuoStage reads one Duo stage by its uuid.
func (c *Client) GetDuoStage(ctx context.Context, id string) (DuoStage, error) {
	var s DuoStage
	err := c.do(ctx, http.MethodGet, duoStagesPath+url.PathEscape(id)+"/", nil, nil, &s)
	c.friendlyName.observe(s.FriendlyName)
	return s, err
}

// ListDuoStages returns the Duo stages matching f, following pagination.
func (c *Client) ListDuoStages(ctx context.Context, f DuoStageFilter) ([]DuoStage, error) {
	q := url.Values{}
	if f.Name != "" {
		q.Set("name", f.Name) // exact and case-sensitive
	}
	stages, err := listAll[DuoStage](ctx, c, duoStagesPath, q)
	for _, s := range stages {
		c.friendlyName.observe(s.FriendlyName)
	}
	return stages, err
}

// DuoStageFilter narrows ListDuoStages.
type DuoStageFilter struct {
	Name string // exact name
}

// PatchDuoStage sends one PATCH with the set members of p. When p clears
// friendly_name on a server whose semantics are not yet known, it may ask
// /admin/version/ once per Client first.
func (c *Client) PatchDuoStage(ctx context.Context, id string, p DuoStagePatch) (DuoStage, error) {
	path := duoStagesPath + url.PathEscape(id) + "/"
	clearing := p.FriendlyName.IsNull()
	if clearing {
		p.FriendlyName = c.friendlyName.empty(ctx, c)
	}
	var s DuoStage
	err := c.do(ctx, http.MethodPatch, path, nil, p, &s)
	if clearing && isFriendlyNameRejection(err) {
		// The server disagreed with what we learned or guessed: it is the
		// other side of the 2025.10 change. Remember that and try once more.
		c.friendlyName.flip()
		p.FriendlyName = c.friendlyName.empty(ctx, c)
		err = c.do(ctx, http.MethodPatch, path, nil, p, &s)
	}
	c.friendlyName.observe(s.FriendlyName)
	return s, err
}

// DeleteDuoStage deletes a Duo stage. Deleting it also deletes the Duo
// devices users enrolled through it (authentik cascades).
func (c *Client) DeleteDuoStage(ctx context.Context, id string) error {
	return c.do(ctx, http.MethodDelete, duoStagesPath+url.PathEscape(id)+"/", nil, nil, nil)
}

func isFriendlyNameRejection(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.Status == http.StatusBadRequest && len(e.FieldErrors["friendly_name"]) > 0
}

// friendlyNameMode tracks how this server clears friendly_name. authentik up
// to 2025.8 stores NULL for "no friendly name" and rejects ""; from 2025.10
// it stores "" and rejects null. Answers reveal it for free: a stage without
// a friendly name comes back as null on the old servers and "" on the new
// ones. Only when no answer has shown it yet is the version asked, once.
type friendlyNameMode struct{ v atomic.Int32 }

const (
	fnUnknown int32 = iota
	fnNullable
	fnBlank
)

func (m *friendlyNameMode) observe(n NullString) {
	switch {
	case !n.Present:
	case n.Null:
		m.v.Store(fnNullable)
	case n.Value == "":
		m.v.Store(fnBlank)
	}
}

func (m *friendlyNameMode) flip() {
	if m.v.Load() == fnNullable {
		m.v.Store(fnBlank)
	} else {
		m.v.Store(fnNullable)
	}
}

// empty returns the Field that clears friendly_name on this server.
func (m *friendlyNameMode) empty(ctx context.Context, c *Client) Field[string] {
	if m.v.Load() == fnUnknown {
		mode := fnBlank // the current behaviour, if the version cannot be read
		if v, err := c.ServerVersion(ctx); err == nil && versionBefore(v, 2025, 10) {
			mode = fnNullable
		}
		m.v.CompareAndSwap(fnUnknown, mode)
	}
	if m.v.Load() == fnNullable {
		return Null[string]()
	}
	return Set("")
}

// versionBefore reports whether an authentik version such as "2025.8.3" is
// older than year.month. Unparseable versions count as current.
func versionBefore(v string, year, month int) bool {
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return false
	}
	y, err1 := strconv.Atoi(parts[0])
	mo, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil {
		return false
	}
	return y < year || (y == year && mo < month)
}

// FindCreatedDuoStage looks for the stage a create with an unknown outcome
// may have made. Stage names are unique across authentik, so at most one
// stage can carry r.Name: found reports whether it exists and matches what
// was sent. A stage of that name that differs is an error, since it is
// probably someone else's.
func (c *Client) FindCreatedDuoStage(ctx context.Context, r DuoStageRequest) (DuoStage, bool, error) {
	stages, err := c.ListDuoStages(ctx, DuoStageFilter{Name: r.Name})
	if err != nil || len(stages) == 0 {
		return DuoStage{}, false, err
	}
	s := stages[0]
	same := s.ClientID == r.ClientID && s.APIHostname == r.APIHostname &&
		deref(s.ConfigureFlow) == deref(r.ConfigureFlow) && s.FriendlyName.Value == deref(r.FriendlyName) &&
		s.AdminIntegrationKey == deref(r.AdminIntegrationKey)
	if !same {
		return DuoStage{}, false, fmt.Errorf("authentik: a Duo stage named %q (%s) exists but differs from what was sent, "+
			"so it is probably not the one this create made", r.Name, s.PK)
	}
	return s, true, nil
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
