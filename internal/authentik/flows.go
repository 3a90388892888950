package authentik

import (
	"context"
	"net/http"
	"net/url"
)

const flowsPath = "/flows/instances/"

// Flow is an authentik flow. Only members every supported version sends are
// kept; the rest (background, stages, policies, …) are ignored.
type Flow struct {
	PK                string `json:"pk"`
	Name              string `json:"name"`
	Slug              string `json:"slug"`
	Title             string `json:"title"`
	Designation       string `json:"designation"`
	PolicyEngineMode  string `json:"policy_engine_mode"`
	CompatibilityMode bool   `json:"compatibility_mode"`
	Layout            string `json:"layout"`
	DeniedAction      string `json:"denied_action"`
}

// FlowFilter narrows ListFlows. Empty members do not filter.
type FlowFilter struct {
	Slug        string
	Designation string
}

// GetFlow reads one flow by its slug (flows are addressed by slug, not uuid).
func (c *Client) GetFlow(ctx context.Context, slug string) (Flow, error) {
	var f Flow
	err := c.do(ctx, http.MethodGet, flowsPath+url.PathEscape(slug)+"/", nil, nil, &f)
	return f, err
}

// ListFlows returns the flows matching f, following pagination.
func (c *Client) ListFlows(ctx context.Context, f FlowFilter) ([]Flow, error) {
	q := url.Values{}
	if f.Slug != "" {
		q.Set("slug", f.Slug)
	}
	if f.Designation != "" {
		q.Set("designation", f.Designation)
	}
	return listAll[Flow](ctx, c, flowsPath, q)
}
