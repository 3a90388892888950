package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
)

var (
	_ resource.ResourceWithConfigure        = (*duoStageResource)(nil)
	_ resource.ResourceWithImportState      = (*duoStageResource)(nil)
	_ resource.ResourceWithConfigValidators = (*duoStageResource)(nil)
)

// NewDuoStageResource returns the authentik_stage_authenticator_duo resource.
func NewDuoStageResource() resource.Resource { return &duoStageResource{} }

// duoModels converts between Terraform values and duoStageModel.
var duoModels = mustModelCodec[duoStageModel](&duoStageResource{})

type duoStageResource struct {
	client *authentik.Client
}

func (r *duoStageResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_stage_authenticator_duo"
}

func (r *duoStageResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Duo authenticator setup stage: lets users enroll a Duo device during a flow. " +
			"Managed through `/api/v3/stages/authenticator/duo/`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The stage's uuid (`pk` in the API).",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Stage name, unique across all stages of every type.",
				Required:            true,
				Validators:          nonEmpty(),
			},
			"client_id": schema.StringAttribute{
				MarkdownDescription: "Integration key of the Duo Auth API application.",
				Required:            true,
				Validators:          nonEmpty(),
			},
			"client_secret": schema.StringAttribute{
				MarkdownDescription: "Secret key of the Duo Auth API application. Stored in state; " +
					"prefer `client_secret_wo`. Exactly one of the two must be set. authentik never returns it, so a change made in authentik is not detected.",
				Optional:   true,
				Sensitive:  true,
				Validators: nonEmpty(),
			},
			"client_secret_wo": schema.StringAttribute{
				MarkdownDescription: "Write-only `client_secret` (Terraform 1.11+): sent to authentik, never stored in state or plan. " +
					"It is sent on create, and again whenever `client_secret_wo_version` changes.",
				Optional:   true,
				Sensitive:  true,
				WriteOnly:  true,
				Validators: nonEmpty(),
			},
			"client_secret_wo_version": schema.Int64Attribute{
				MarkdownDescription: "Any number; change it to send `client_secret_wo` again (to rotate the secret).",
				Optional:            true,
				Validators:          []validator.Int64{int64validator.AlsoRequires(path.MatchRoot("client_secret_wo"))},
			},
			"api_hostname": schema.StringAttribute{
				MarkdownDescription: "Duo API host name, such as `api-1234abcd.duosecurity.com` (no `https://`, no path).",
				Required:            true,
				Validators:          append(nonEmpty(), isHostname()),
			},
			"admin_integration_key": schema.StringAttribute{
				MarkdownDescription: "Integration key of the Duo Admin API application, needed to import existing Duo devices. " +
					"Removing it from the configuration clears it in authentik.",
				Optional:   true,
				Validators: nonEmpty(),
			},
			"admin_secret_key": schema.StringAttribute{
				MarkdownDescription: "Secret key of the Duo Admin API application. Stored in state; prefer `admin_secret_key_wo`. " +
					"At most one of the two may be set; removing both clears the key in authentik.",
				Optional:   true,
				Sensitive:  true,
				Validators: append(nonEmpty(), stringvalidator.ConflictsWith(path.MatchRoot("admin_secret_key_wo"))),
			},
			"admin_secret_key_wo": schema.StringAttribute{
				MarkdownDescription: "Write-only `admin_secret_key` (Terraform 1.11+), never stored in state or plan. " +
					"Sent on create, and again whenever `admin_secret_key_wo_version` changes.",
				Optional:   true,
				Sensitive:  true,
				WriteOnly:  true,
				Validators: nonEmpty(),
			},
			"admin_secret_key_wo_version": schema.Int64Attribute{
				MarkdownDescription: "Any number; change it to send `admin_secret_key_wo` again.",
				Optional:            true,
				Validators:          []validator.Int64{int64validator.AlsoRequires(path.MatchRoot("admin_secret_key_wo"))},
			},
			"configure_flow": schema.StringAttribute{
				MarkdownDescription: "uuid of the flow a signed-in user runs to enroll a Duo device from their settings " +
					"(for example `data.authentik_flow.x.id`). Without it, users cannot set up Duo on their own.",
				Optional:   true,
				Validators: []validator.String{isUUID()},
			},
			"friendly_name": schema.StringAttribute{
				MarkdownDescription: "Name shown to users for this authenticator. Removing it from the configuration clears it.",
				Optional:            true,
				Validators:          nonEmpty(),
			},
			"timeouts": timeouts.Attributes(context.Background(), timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}),
			"flows": schema.ListNestedAttribute{
				MarkdownDescription: "The flows this stage is bound to (read-only; bind stages to flows with flow stage bindings). " +
					"Refreshed on every read.",
				Computed: true,
				// An update never changes bindings, so the plan keeps the
				// refreshed value instead of showing "(known after apply)".
				PlanModifiers: []planmodifier.List{listplanmodifier.UseStateForUnknown()},
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":          schema.StringAttribute{Computed: true, MarkdownDescription: "Flow uuid."},
					"slug":        schema.StringAttribute{Computed: true, MarkdownDescription: "Flow slug."},
					"name":        schema.StringAttribute{Computed: true, MarkdownDescription: "Flow name."},
					"designation": schema.StringAttribute{Computed: true, MarkdownDescription: "What the flow is used for, e.g. `stage_configuration`."},
				}},
			},
		},
	}
}

func (r *duoStageResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		exactlyOneOfTwins{plain: "client_secret", writeOnly: "client_secret_wo"},
	}
}

func (r *duoStageResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *duoStageResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan, config duoStageModel
	resp.Diagnostics.Append(duoModels().get(ctx, req.Plan.Raw, &plan)...)
	resp.Diagnostics.Append(duoModels().get(ctx, req.Config.Raw, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, plan.Timeouts.Create, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	body := duoCreateRequest(plan, config)
	stage, err := r.client.CreateDuoStage(ctx, body)
	if authentik.IsOutcomeUnknown(err) {
		stage, err = r.recoverCreate(ctx, body, &resp.Diagnostics)
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, duoOp("create the Duo stage", config), err)
		return
	}
	plan.setFromAPI(stage) // the POST answer is the new state: no read-back
	resp.Diagnostics.Append(duoModels().setState(ctx, &resp.State, &plan)...)
}

func (r *duoStageResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state duoStageModel
	resp.Diagnostics.Append(duoModels().get(ctx, req.State.Raw, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, state.Timeouts.Read, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	stage, err := r.client.GetDuoStage(ctx, state.ID.ValueString())
	if authentik.IsNotFound(err) {
		resp.State.RemoveResource(ctx) // deleted in authentik: plan proposes to create it again
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, duoOp("read the Duo stage", state), err)
		return
	}
	state.setFromAPI(stage)
	// The official goauthentik/authentik provider stores an unset
	// admin_secret_key as ""; after `terraform state replace-provider`
	// that must read as unset, not as a change to send.
	if state.AdminSecretKey.ValueString() == "" {
		state.AdminSecretKey = types.StringNull()
	}
	resp.Diagnostics.Append(duoModels().setState(ctx, &resp.State, &state)...)
}

func (r *duoStageResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state, config duoStageModel
	resp.Diagnostics.Append(duoModels().get(ctx, req.Plan.Raw, &plan)...)
	resp.Diagnostics.Append(duoModels().get(ctx, req.State.Raw, &state)...)
	resp.Diagnostics.Append(duoModels().get(ctx, req.Config.Raw, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	patch := duoPatch(plan, state, config)
	if patch.IsEmpty() {
		// Only Terraform-side values changed (e.g. a _wo_version removed):
		// nothing to send.
		plan.Flows = state.Flows
		resp.Diagnostics.Append(duoModels().setState(ctx, &resp.State, &plan)...)
		return
	}
	ctx, cancel, ok := withTimeout(ctx, plan.Timeouts.Update, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	stage, err := r.client.PatchDuoStage(ctx, state.ID.ValueString(), patch)
	if err != nil {
		addAPIError(&resp.Diagnostics, duoOp("update the Duo stage", config), err)
		return
	}
	plan.setFromAPI(stage)
	// Keep the planned bindings: Terraform requires the applied value to
	// match the plan, and a binding made meanwhile shows at the next refresh.
	plan.Flows = state.Flows
	resp.Diagnostics.Append(duoModels().setState(ctx, &resp.State, &plan)...)
}

func (r *duoStageResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state duoStageModel
	resp.Diagnostics.Append(duoModels().get(ctx, req.State.Raw, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, state.Timeouts.Delete, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	err := r.client.DeleteDuoStage(ctx, state.ID.ValueString())
	if err != nil && !authentik.IsNotFound(err) { // already gone is what we wanted
		addAPIError(&resp.Diagnostics, duoOp("delete the Duo stage", state), err)
	}
}

// recoverCreate runs when a create's answer was lost (the connection broke
// after sending, or a gateway answered 5xx). Stage names are unique, so a
// lookup by name settles it: the stage is there and matches, and is adopted
// into state, or it is provably absent and the POST is sent again. A resend
// whose answer is lost too is looked up the same way, so authentik never
// holds a stage that Terraform does not know about.
func (r *duoStageResource) recoverCreate(ctx context.Context, body authentik.DuoStageRequest, diags *diag.Diagnostics) (authentik.DuoStage, error) {
	const resends = 2
	var err error
	for attempt := 0; ; attempt++ {
		found, ok, lookupErr := r.client.FindCreatedDuoStage(ctx, body)
		switch {
		case lookupErr != nil:
			return authentik.DuoStage{}, lookupErr
		case ok:
			diags.AddWarning("Adopted the Duo stage after a lost answer",
				fmt.Sprintf("authentik's answer to the create was lost, but a stage named %q with the configured settings exists "+
					"(%s); it is now in Terraform state.", body.Name, found.PK))
			return found, nil
		case attempt == resends:
			return authentik.DuoStage{}, err
		}
		var stage authentik.DuoStage
		stage, err = r.client.CreateDuoStage(ctx, body)
		if !authentik.IsOutcomeUnknown(err) {
			return stage, err
		}
	}
}

// ImportState accepts the stage's uuid, or name=<stage name>.
func (r *duoStageResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := req.ID
	if name, ok := strings.CutPrefix(req.ID, "name="); ok {
		stages, err := r.client.ListDuoStages(ctx, authentik.DuoStageFilter{Name: name})
		if err != nil {
			addAPIError(&resp.Diagnostics, duoOp("look up the Duo stage by name", duoStageModel{}), err)
			return
		}
		if len(stages) != 1 {
			resp.Diagnostics.AddError("Duo stage not found",
				fmt.Sprintf("authentik has no Duo stage named %q (names are exact and case-sensitive).", name))
			return
		}
		id = stages[0].PK
	} else if !uuidRegexp.MatchString(id) {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("%q is not a stage uuid. Import with the uuid shown in authentik's admin interface "+
				"(Flows and Stages > Stages, or the stage's API URL), or with name=<stage name>.", id))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
}

// duoOp maps authentik's field names to attributes for error messages. The
// secrets are reported on whichever twin the configuration uses.
func duoOp(action string, config duoStageModel) apiOp {
	return apiOp{
		action: action,
		attribute: func(field string) (path.Path, bool) {
			switch field {
			case "client_secret":
				if !config.ClientSecretWO.IsNull() {
					return path.Root("client_secret_wo"), true
				}
			case "admin_secret_key":
				if !config.AdminSecretKeyWO.IsNull() {
					return path.Root("admin_secret_key_wo"), true
				}
			case "name", "client_id", "api_hostname", "admin_integration_key", "configure_flow", "friendly_name":
			default:
				return path.Path{}, false
			}
			return path.Root(field), true
		},
		hint: func(field, message string) string {
			if field == "name" && strings.Contains(message, "already exists") {
				return "Choose another `name`, or import the existing stage " +
					"(`terraform import authentik_stage_authenticator_duo.<name> name=<stage name>`)."
			}
			return fmt.Sprintf("Fix `%s` in the configuration.", field)
		},
	}
}
