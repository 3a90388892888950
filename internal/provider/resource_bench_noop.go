//go:build bench

package provider

import (
	"context"
	"maps"
	"os"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// This file exists only in the benchmark build (`go build -tags bench`,
// which scripts/bench.sh does): the resources below are baselines that never
// call authentik, so the framework's and Terraform's per-resource cost can be
// told apart from ours. The release build has resource_bench_release.go
// instead, and none of them.

var (
	_ resource.ResourceWithConfigValidators = (*benchShapeResource)(nil)
	_ resource.ResourceWithValidateConfig   = (*benchShapeResource)(nil)
)

// benchResources returns authentik_bench_noop, one authentik_bench_duo_shape*
// per shape variant, and authentik_bench_<stage>_stage_shape for every stage
// in stageShapes.
func benchResources() []func() resource.Resource {
	wait := shapeWait()
	rs := []func() resource.Resource{newBenchNoopResource}
	for _, v := range duoShapeVariants {
		rs = append(rs, func() resource.Resource {
			return &benchShapeResource{name: "bench_duo_shape" + v.suffix, variant: v, of: NewDuoStageResource(), wait: wait}
		})
	}
	for base, of := range stageShapes {
		rs = append(rs, func() resource.Resource { return &benchShapeResource{name: stageShapeName(base), of: of(), wait: wait} })
	}
	return rs
}

// envShapeWait makes every create, read, update and delete of a shape wait
// that long (a Go duration) before it answers: one request's round trip,
// without a request. scripts/bench.sh sets it to the fake's latency for its
// *_wait kinds, which tell apart what the wait costs a provider that makes
// requests from what its own code costs.
const envShapeWait = "AUTHENTIK_BENCH_SHAPE_WAIT"

// shapeWait reads envShapeWait; unset, empty or not a duration waits not at
// all (the bench's shape kinds stay what they are).
func shapeWait() time.Duration {
	d, err := time.ParseDuration(os.Getenv(envShapeWait))
	if err != nil || d < 0 {
		return 0
	}
	return d
}

// stageShapes are the stages the bench measures beside the official
// provider's (scripts/bench.sh: <stage>_stage), each served unchanged as
// authentik_bench_<stage>_stage_shape: the floor any provider with that
// stage's schema would stand on, since the shape makes no request and does
// next to nothing.
var stageShapes = map[string]func() resource.Resource{
	"totp_stage":     NewTOTPStageResource,
	"static_stage":   NewStaticStageResource,
	"webauthn_stage": NewWebAuthnStageResource,
	"sms_stage":      NewSMSStageResource,
	"email_stage":    NewEmailStageResource,
	"validate_stage": NewValidateStageResource,
}

// stageShapeName is the type name (after "authentik_") of a stage's shape;
// scripts/bench.sh names the kind <stage>_stage_shape after it.
func stageShapeName(base string) string { return "bench_" + base + "_shape" }

func newBenchNoopResource() resource.Resource { return &benchNoopResource{} }

// benchNoopResource stores its plan as its state and does nothing else. Its
// attributes mirror the Duo stage's shape in the benchmark (name plus an
// optional friendly_name that the update phase changes).
type benchNoopResource struct{}

type benchNoopModel struct {
	ID           types.String `tfsdk:"id"`
	Name         types.String `tfsdk:"name"`
	FriendlyName types.String `tfsdk:"friendly_name"`
}

func (r *benchNoopResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_bench_noop"
}

func (r *benchNoopResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Benchmark baseline only (bench build): keeps its configuration in state, calls nothing.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "Equal to `name`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name":          schema.StringAttribute{MarkdownDescription: "Any string.", Required: true},
			"friendly_name": schema.StringAttribute{MarkdownDescription: "Any string.", Optional: true},
		},
	}
}

func (r *benchNoopResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan benchNoopModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	plan.ID = plan.Name
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *benchNoopResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state benchNoopModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *benchNoopResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan benchNoopModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *benchNoopResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {
}

// shapeVariant is the Duo stage's schema, possibly changed, served as
// authentik_bench_duo_shape<suffix>. The variants measure what a schema
// change would save before anyone makes it (BENCHMARKS.md).
type shapeVariant struct {
	suffix string
	edit   func(attrs map[string]schema.Attribute) // nil: the Duo stage's schema as it is
	// unchecked variants have none of the Duo stage's config validators
	// (they name attributes the variant removed).
	unchecked bool
}

var duoShapeVariants = []shapeVariant{
	{suffix: ""},
	{suffix: "_noflows", edit: withoutAttributes("flows")},
	{suffix: "_notimeouts", edit: withoutAttributes("timeouts")},
	{suffix: "_lean", edit: withoutAttributes("flows", "timeouts")},
	// Only the official provider's attributes: what the framework costs
	// for the official provider's schema, without anything this provider
	// adds (the write-only twins, flows, timeouts).
	{suffix: "_official", unchecked: true, edit: withoutAttributes("flows", "timeouts",
		"client_secret_wo", "client_secret_wo_version", "admin_secret_key_wo", "admin_secret_key_wo_version")},
}

// The variant without Sensitive on the write-only attributes (shape_nosens)
// is gone: the Duo stage itself dropped it after that variant measured it.

func withoutAttributes(names ...string) func(map[string]schema.Attribute) {
	return func(attrs map[string]schema.Attribute) {
		for _, n := range names {
			delete(attrs, n)
		}
	}
}

// benchShapeResource is a resource of a stage's shape without authentik: the
// schema and the config validators are the stage's own (the Duo stage's for
// the duo shapes), taken from its constructor at run time; the CRUD is
// generic and makes no request. It uses nothing else of the stage's code
// (model, mapping, codec), so it keeps being the stage's twin whatever that
// code becomes.
//
// It has no ImportState: an import is refused by the framework ("does not
// support import") instead of reaching the stage's, which needs a client.
type benchShapeResource struct {
	name    string // the type name after "authentik_"
	variant shapeVariant
	of      resource.Resource // the stage resource, never configured
	wait    time.Duration     // each CRUD call's stand-in for a request (envShapeWait)
}

// roundTrip waits as long as one request to authentik would take
// (r.wait), or until ctx ends.
func (r *benchShapeResource) roundTrip(ctx context.Context) {
	if r.wait <= 0 {
		return
	}
	t := time.NewTimer(r.wait)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

func (r *benchShapeResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.name
}

func (r *benchShapeResource) Schema(ctx context.Context, req resource.SchemaRequest, resp *resource.SchemaResponse) {
	r.of.Schema(ctx, req, resp)
	if r.variant.edit != nil {
		// A copy: the stage may hand out a schema it keeps.
		resp.Schema.Attributes = maps.Clone(resp.Schema.Attributes)
		r.variant.edit(resp.Schema.Attributes)
	}
}

func (r *benchShapeResource) ConfigValidators(ctx context.Context) []resource.ConfigValidator {
	if v, ok := r.of.(resource.ResourceWithConfigValidators); ok && !r.variant.unchecked {
		return v.ConfigValidators(ctx)
	}
	return nil
}

func (r *benchShapeResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	if v, ok := r.of.(resource.ResourceWithValidateConfig); ok && !r.variant.unchecked {
		v.ValidateConfig(ctx, req, resp)
	}
}

func (r *benchShapeResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	r.roundTrip(ctx)
	raw, err := knownPlan(req.Plan.Raw)
	if err != nil {
		resp.Diagnostics.AddError("Bench shape: cannot settle the plan", err.Error())
		return
	}
	resp.State.Raw = raw // the framework nulls the write-only values
}

// Read keeps the prior state, which the framework has already put in
// resp.State.
func (r *benchShapeResource) Read(ctx context.Context, _ resource.ReadRequest, _ *resource.ReadResponse) {
	r.roundTrip(ctx)
}

func (r *benchShapeResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	r.roundTrip(ctx)
	raw, err := knownPlan(req.Plan.Raw)
	if err != nil {
		resp.Diagnostics.AddError("Bench shape: cannot settle the plan", err.Error())
		return
	}
	resp.State.Raw = raw
}

func (r *benchShapeResource) Delete(ctx context.Context, _ resource.DeleteRequest, _ *resource.DeleteResponse) {
	r.roundTrip(ctx)
}

// knownPlan is the plan with every unknown value settled, as an API answer
// would settle it: id becomes "shape-<name>", unknown collections (the
// computed flows) become empty, anything else unknown becomes null.
func knownPlan(plan tftypes.Value) (tftypes.Value, error) {
	var name string
	var attrs map[string]tftypes.Value
	if err := plan.As(&attrs); err == nil {
		if v, ok := attrs["name"]; ok && v.IsKnown() && !v.IsNull() {
			_ = v.As(&name)
		}
	}
	id := tftypes.NewAttributePath().WithAttributeName("id")
	return tftypes.Transform(plan, func(p *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if v.IsKnown() {
			return v, nil
		}
		switch t := v.Type().(type) {
		case tftypes.List, tftypes.Set:
			return tftypes.NewValue(t, []tftypes.Value{}), nil
		case tftypes.Map:
			return tftypes.NewValue(t, map[string]tftypes.Value{}), nil
		}
		if p.Equal(id) && v.Type().Is(tftypes.String) {
			return tftypes.NewValue(tftypes.String, "shape-"+name), nil
		}
		return tftypes.NewValue(v.Type(), nil), nil
	})
}
