package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
)

// NewFlowStageBindingResource returns the authentik_flow_stage_binding resource.
func NewFlowStageBindingResource() resource.Resource { return newStageResource(flowStageBinding)() }

// The enums of FlowStageBindingRequest, the same in the OpenAPI schemas of
// 2024.10, 2025.12 and the current release.
var (
	policyEngineModes      = []string{"all", "any"}
	invalidResponseActions = []string{"retry", "restart", "restart_with_context"}
)

// flowStageBinding has the life cycle of a stage (one POST, PATCH of what
// changed, 404 on read removes it, identity { id }) but no name; the
// defaults are the official goauthentik/authentik provider's, which it
// always sends, so that its state reads here without a change.
var flowStageBinding = &stageKind{
	typeName: "flow_stage_binding",
	path:     "/flows/bindings/",
	title:    "flow stage binding",
	desc: "Binds a stage into a flow at a position: the flow runs its bound stages by ascending `order`. " +
		"Deleting the binding leaves the flow and the stage in place.",
	unnamed: true,
	api:     func(c *authentik.Client) objectAPI { return bindingAPI{c} },
	fields: []field{
		{name: "target", required: true, stringValidators: []validator.String{isUUID()},
			desc: "uuid of the flow (for example `data.authentik_flow.x.id`)."},
		{name: "stage", required: true, stringValidators: []validator.String{isUUID()},
			desc: "uuid of the stage to run (for example `authentik_stage_authenticator_validate.x.id`)."},
		{name: "order", typ: int64Field, required: true,
			int64Validators: []validator.Int64{int64validator.Between(-2147483648, 2147483647)},
			desc:            "Position in the flow: stages run by ascending order."},
		{name: "evaluate_on_plan", typ: boolField, def: true,
			desc: "Evaluate the binding's policies when the flow is planned."},
		{name: "re_evaluate_policies", typ: boolField, def: false,
			desc: "Evaluate the binding's policies again when the stage is presented to the user."},
		{name: "policy_engine_mode", def: "any", stringValidators: []validator.String{stringvalidator.OneOf(policyEngineModes...)},
			desc: "How the binding's policies combine: `all` must pass, or `any` one."},
		{name: "invalid_response_action", def: "retry",
			stringValidators: []validator.String{stringvalidator.OneOf(invalidResponseActions...)},
			desc: "What the flow executor does on an invalid answer to the stage: `retry` shows the error and the stage again, " +
				"`restart` starts the flow over, `restart_with_context` starts it over keeping its context."},
	},
}

// bindingAPI reaches bindings through the typed binding client. Its answers
// are handed on as authentik.Stage: a pk and the raw members, which is all
// the generic resource reads.
type bindingAPI struct{ c *authentik.Client }

func asObject(b authentik.FlowStageBinding, err error) (authentik.Stage, error) {
	return authentik.Stage{PK: b.PK, Members: b.Members}, err
}

func (a bindingAPI) create(ctx context.Context, body authentik.StageBody) (authentik.Stage, error) {
	return asObject(a.c.CreateFlowStageBinding(ctx, authentik.FlowStageBindingBody(body)))
}

func (a bindingAPI) get(ctx context.Context, id string) (authentik.Stage, error) {
	return asObject(a.c.GetFlowStageBinding(ctx, id))
}

func (a bindingAPI) patch(ctx context.Context, id string, body authentik.StageBody) (authentik.Stage, error) {
	return asObject(a.c.PatchFlowStageBinding(ctx, id, authentik.FlowStageBindingBody(body)))
}

func (a bindingAPI) remove(ctx context.Context, id string) error {
	return a.c.DeleteFlowStageBinding(ctx, id)
}

// find lists the bindings of the same stage in the same flow at the same
// order (the list filters of /flows/bindings/); the caller adopts only a
// single match.
func (a bindingAPI) find(ctx context.Context, body authentik.StageBody) ([]authentik.Stage, error) {
	f := authentik.FlowStageBindingFilter{}
	f.Target, _ = body["target"].(string)
	f.Stage, _ = body["stage"].(string)
	if order, ok := body["order"].(int64); ok {
		f.Order = &order
	}
	bs, err := a.c.ListFlowStageBindings(ctx, f)
	out := make([]authentik.Stage, 0, len(bs))
	for _, b := range bs {
		s, _ := asObject(b, nil)
		out = append(out, s)
	}
	return out, err
}
