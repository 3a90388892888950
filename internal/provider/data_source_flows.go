package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
)

var _ datasource.DataSourceWithConfigure = (*flowsDataSource)(nil)

// flowDesignations is FlowDesignationEnum of authentik's OpenAPI schema
// (identical from 2024.10 to 2026.2).
var flowDesignations = []string{
	"authentication", "authorization", "invalidation", "enrollment",
	"unenrollment", "recovery", "stage_configuration",
}

// NewFlowsDataSource returns the authentik_flows data source.
func NewFlowsDataSource() datasource.DataSource { return &flowsDataSource{} }

type flowsDataSource struct {
	client *authentik.Client
}

type flowsModel struct {
	Designation types.String `tfsdk:"designation"`
	Flows       []flowModel  `tfsdk:"flows"`
}

func (d *flowsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_flows"
}

func (d *flowsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	item := flowAttributes()
	item["slug"] = schema.StringAttribute{Computed: true, MarkdownDescription: "The flow's slug."}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists authentik's flows, optionally only those of one designation (`/api/v3/flows/instances/`).",
		Attributes: map[string]schema.Attribute{
			"designation": schema.StringAttribute{
				MarkdownDescription: "Only flows of this designation: `authentication`, `authorization`, `invalidation`, " +
					"`enrollment`, `unenrollment`, `recovery` or `stage_configuration`. Unset lists every flow.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOf(flowDesignations...)},
			},
			"flows": schema.ListNestedAttribute{
				MarkdownDescription: "The matching flows, ordered by slug.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: item},
			},
		},
	}
}

func (d *flowsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *flowsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg flowsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	flows, err := d.client.ListFlows(ctx, authentik.FlowFilter{Designation: cfg.Designation.ValueString()})
	if err != nil {
		addAPIError(&resp.Diagnostics, apiOp{action: "list the flows"}, err)
		return
	}
	cfg.Flows = make([]flowModel, len(flows))
	for i, f := range flows {
		cfg.Flows[i].setFromAPI(f)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}
