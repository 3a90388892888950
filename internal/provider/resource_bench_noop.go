package provider

import (
	"context"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
)

// envBench registers authentik_bench_noop and authentik_bench_duo_shape when
// set to 1. scripts/bench.sh uses them as baselines: resources served by
// this same binary that never call authentik, so the framework's
// per-resource cost can be told apart from ours. They are not part of the
// provider's documented schema.
const envBench = "AUTHENTIK_PROVIDER_BENCH"

func benchResources() []func() resource.Resource {
	if os.Getenv(envBench) != "1" {
		return nil
	}
	return []func() resource.Resource{newBenchNoopResource, newBenchDuoShapeResource}
}

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
		MarkdownDescription: "Benchmark baseline only (AUTHENTIK_PROVIDER_BENCH=1): keeps its configuration in state, calls nothing.",
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

func newBenchDuoShapeResource() resource.Resource {
	return &benchDuoShapeResource{stageResource: newStageResource(duoStage)().(*stageResource)}
}

// benchDuoShapeResource is the Duo stage without authentik: the same schema,
// validators and value conversion, and no API call. Beside the real
// resource it shows how much of a Duo stage's cost is the framework's and
// Terraform's work on a resource of that shape, and how much is ours
// (the client, the requests and their latency).
type benchDuoShapeResource struct {
	*stageResource // Schema and ConfigValidators
}

func (r *benchDuoShapeResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_bench_duo_shape"
}

func (r *benchDuoShapeResource) Configure(context.Context, resource.ConfigureRequest, *resource.ConfigureResponse) {
}

func (r *benchDuoShapeResource) Create(_ context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	plan := attributesOf(req.Plan.Raw, &resp.Diagnostics)
	values := r.fromAPI(plan, authentik.Stage{PK: "shape-" + plan.string("name"), Name: plan.string("name")}, &resp.Diagnostics)
	r.store(&resp.State, resp.Identity, values)
}

func (r *benchDuoShapeResource) Read(_ context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	r.store(&resp.State, resp.Identity, attributesOf(req.State.Raw, &resp.Diagnostics))
}

func (r *benchDuoShapeResource) Update(_ context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	plan := attributesOf(req.Plan.Raw, &resp.Diagnostics)
	state := attributesOf(req.State.Raw, &resp.Diagnostics)
	plan["flows"] = state["flows"]
	r.store(&resp.State, resp.Identity, plan)
}

func (r *benchDuoShapeResource) ImportState(_ context.Context, _ resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resp.Diagnostics.AddError("Not importable", "The benchmark resources cannot be imported.")
}

func (r *benchDuoShapeResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {
}
