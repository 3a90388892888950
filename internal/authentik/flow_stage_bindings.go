package authentik

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
)

const flowStageBindingsPath = "/flows/bindings/"

// FlowStageBinding is a stage bound into a flow at an order, as read back.
// Members holds every member of the answer, raw, for callers that map
// members generically.
type FlowStageBinding struct {
	FlowStageBindingFields
	Members map[string]json.RawMessage
}

// FlowStageBindingFields are the members every supported version sends.
type FlowStageBindingFields struct {
	PK                    string `json:"pk"`
	Target                string `json:"target"` // the flow's uuid
	Stage                 string `json:"stage"`  // the stage's uuid
	Order                 int64  `json:"order"`
	EvaluateOnPlan        bool   `json:"evaluate_on_plan"`
	ReEvaluatePolicies    bool   `json:"re_evaluate_policies"`
	PolicyEngineMode      string `json:"policy_engine_mode"`
	InvalidResponseAction string `json:"invalid_response_action"`
}

// UnmarshalJSON keeps every member and decodes the known ones.
func (b *FlowStageBinding) UnmarshalJSON(data []byte) error {
	b.Members = map[string]json.RawMessage{}
	if err := json.Unmarshal(data, &b.Members); err != nil {
		return err
	}
	return json.Unmarshal(data, &b.FlowStageBindingFields)
}

// FlowStageBindingBody is the body of a create (POST) or partial update
// (PATCH): authentik's member names and the values to send. Members that are
// not in the map are not sent.
type FlowStageBindingBody map[string]any

// FlowStageBindingFilter narrows ListFlowStageBindings. Empty members (a nil
// Order) do not filter.
type FlowStageBindingFilter struct {
	Target string
	Stage  string
	Order  *int64
}

// CreateFlowStageBinding binds a stage into a flow with one POST and returns
// authentik's answer.
func (c *Client) CreateFlowStageBinding(ctx context.Context, body FlowStageBindingBody) (FlowStageBinding, error) {
	var b FlowStageBinding
	err := c.do(ctx, http.MethodPost, flowStageBindingsPath, nil, body, &b)
	return b, err
}

// GetFlowStageBinding reads one binding by its uuid.
func (c *Client) GetFlowStageBinding(ctx context.Context, id string) (FlowStageBinding, error) {
	var b FlowStageBinding
	err := c.do(ctx, http.MethodGet, flowStageBindingsPath+url.PathEscape(id)+"/", nil, nil, &b)
	return b, err
}

// PatchFlowStageBinding changes the members in body with one PATCH.
func (c *Client) PatchFlowStageBinding(ctx context.Context, id string, body FlowStageBindingBody) (FlowStageBinding, error) {
	var b FlowStageBinding
	err := c.do(ctx, http.MethodPatch, flowStageBindingsPath+url.PathEscape(id)+"/", nil, body, &b)
	return b, err
}

// DeleteFlowStageBinding unbinds the stage; the flow and the stage stay.
func (c *Client) DeleteFlowStageBinding(ctx context.Context, id string) error {
	return c.do(ctx, http.MethodDelete, flowStageBindingsPath+url.PathEscape(id)+"/", nil, nil, nil)
}

// ListFlowStageBindings returns the bindings matching f, ordered by order,
// following pagination.
func (c *Client) ListFlowStageBindings(ctx context.Context, f FlowStageBindingFilter) ([]FlowStageBinding, error) {
	q := url.Values{}
	for name, v := range map[string]string{"target": f.Target, "stage": f.Stage} {
		if v != "" {
			q.Set(name, v)
		}
	}
	if f.Order != nil {
		q.Set("order", fmt.Sprint(*f.Order))
	}
	return listAll[FlowStageBinding](ctx, c, flowStageBindingsPath, q)
}
