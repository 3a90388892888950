package provider

import (
	"context"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
)

var _ datasource.DataSourceWithConfigure = (*flowDataSource)(nil)

// NewFlowDataSource returns the authentik_flow data source.
func NewFlowDataSource() datasource.DataSource { return &flowDataSource{} }

type flowDataSource struct {
	client *authentik.Client
}

type flowModel struct {
	Slug              types.String `tfsdk:"slug"`
	ID                types.String `tfsdk:"id"`
	Name              types.String `tfsdk:"name"`
	Title             types.String `tfsdk:"title"`
	Designation       types.String `tfsdk:"designation"`
	PolicyEngineMode  types.String `tfsdk:"policy_engine_mode"`
	Layout            types.String `tfsdk:"layout"`
	DeniedAction      types.String `tfsdk:"denied_action"`
	CompatibilityMode types.Bool   `tfsdk:"compatibility_mode"`
}

// flowSlugRegexp is Django's SlugField rule, which authentik's Flow.slug
// uses (max_length 50).
var flowSlugRegexp = regexp.MustCompile(`^[-a-zA-Z0-9_]+$`)

// isFlowSlug validates a flow slug such as default-authenticator-totp-setup.
func isFlowSlug() []validator.String {
	return []validator.String{
		stringvalidator.LengthBetween(1, 50), // the regexp allows ASCII only, so bytes are characters
		stringvalidator.RegexMatches(flowSlugRegexp,
			"must be a flow slug: letters, digits, - and _ only, such as default-authenticator-totp-setup"),
	}
}

func (d *flowDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_flow"
}

// flowAttributes are the computed attributes shared by authentik_flow and
// the items of authentik_flows.
func flowAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id":                 schema.StringAttribute{Computed: true, MarkdownDescription: "The flow's uuid (`pk`), e.g. for a stage's `configure_flow`."},
		"name":               schema.StringAttribute{Computed: true, MarkdownDescription: "Flow name."},
		"title":              schema.StringAttribute{Computed: true, MarkdownDescription: "Title shown to users while the flow runs."},
		"designation":        schema.StringAttribute{Computed: true, MarkdownDescription: "What the flow is used for, e.g. `stage_configuration`."},
		"policy_engine_mode": schema.StringAttribute{Computed: true, MarkdownDescription: "`all` or `any`: how the flow's policies combine."},
		"layout":             schema.StringAttribute{Computed: true, MarkdownDescription: "Page layout, e.g. `stacked`."},
		"denied_action":      schema.StringAttribute{Computed: true, MarkdownDescription: "What happens when a user may not run the flow, e.g. `message_continue`."},
		"compatibility_mode": schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the flow runs in compatibility mode (for browsers without Shadow DOM)."},
	}
}

func (d *flowDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := flowAttributes()
	attrs["slug"] = schema.StringAttribute{
		MarkdownDescription: "The flow's slug, as in its URL, e.g. `default-authenticator-totp-setup`.",
		Required:            true,
		Validators:          isFlowSlug(),
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up one flow by its slug (`/api/v3/flows/instances/{slug}/`).",
		Attributes:          attrs,
	}
}

func (d *flowDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *flowDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg flowModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	slug := cfg.Slug.ValueString()
	flow, err := d.client.GetFlow(ctx, slug)
	if authentik.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(path.Root("slug"), "Flow not found",
			fmt.Sprintf("authentik has no flow with slug %q. Slugs are exact and case-sensitive; "+
				"the authentik_flows data source lists the flows there are.", slug))
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, apiOp{action: "read the flow"}, err)
		return
	}
	cfg.setFromAPI(flow)
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}

func (m *flowModel) setFromAPI(f authentik.Flow) {
	m.Slug = types.StringValue(f.Slug)
	m.ID = types.StringValue(f.PK)
	m.Name = types.StringValue(f.Name)
	m.Title = types.StringValue(f.Title)
	m.Designation = types.StringValue(f.Designation)
	m.PolicyEngineMode = types.StringValue(f.PolicyEngineMode)
	m.Layout = types.StringValue(f.Layout)
	m.DeniedAction = types.StringValue(f.DeniedAction)
	m.CompatibilityMode = types.BoolValue(f.CompatibilityMode)
}
