package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
)

var _ datasource.DataSourceWithConfigure = (*userDevicesDataSource)(nil)

// NewUserDevicesDataSource returns the authentik_user_devices data source.
// It is named after what it lists, one user's devices of every kind; the
// per-kind resources are authentik_<kind>_device.
func NewUserDevicesDataSource() datasource.DataSource { return &userDevicesDataSource{} }

type userDevicesDataSource struct {
	client *authentik.Client
}

type userDevicesModel struct {
	User    types.Int64       `tfsdk:"user"`
	Devices []userDeviceModel `tfsdk:"devices"`
}

type userDeviceModel struct {
	ID        types.String `tfsdk:"id"`
	Kind      types.String `tfsdk:"kind"`
	Name      types.String `tfsdk:"name"`
	Confirmed types.Bool   `tfsdk:"confirmed"`
	Created   types.String `tfsdk:"created"`
	LastUsed  types.String `tfsdk:"last_used"`
}

func (d *userDevicesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_user_devices"
}

func (d *userDevicesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := func(description string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: description}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the authenticator devices of one user, every kind at once, in one request: for audits " +
			"(who has which second factor, unused devices), and to find the pk that imports a device into " +
			"`authentik_<kind>_device`. Reads `/api/v3/authenticators/admin/all/?user=<pk>` (an admin token), or without `user` " +
			"`/api/v3/authenticators/all/`: the token's own confirmed devices, for any token.",
		Attributes: map[string]schema.Attribute{
			"user": schema.Int64Attribute{
				MarkdownDescription: "pk of the user whose devices to list, confirmed or not. Unset lists the token's own confirmed devices.",
				Optional:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},
			"devices": schema.ListNestedAttribute{
				MarkdownDescription: "The devices, kind by kind, each kind by pk.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id": computed("The device's pk within its kind: the import ID of `authentik_<kind>_device`."),
					"kind": computed("The device's kind: `totp`, `static`, `webauthn`, `duo`, `sms` or `email` " +
						"(the resource is `authentik_<kind>_device`); for any other authenticator, authentik's model label (`<app>.<Model>`)."),
					"name":      computed("The device's name."),
					"confirmed": schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the user finished enrolling the device."},
					"created":   computed("When the device was created (RFC 3339)."),
					"last_used": computed("When the device was last used to log in (RFC 3339); null if never."),
				}},
			},
		},
	}
}

func (d *userDevicesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *userDevicesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg userDevicesModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var user *int
	if !cfg.User.IsNull() {
		pk := int(cfg.User.ValueInt64())
		user = &pk
	}
	devices, err := d.client.ListUserDevices(ctx, user)
	if err != nil {
		addAPIError(&resp.Diagnostics, apiOp{action: "list the user's devices"}, err)
		return
	}
	cfg.Devices = make([]userDeviceModel, len(devices))
	for i, dev := range devices {
		cfg.Devices[i] = userDeviceModel{
			ID: types.StringValue(dev.PK), Kind: types.StringValue(dev.Kind()), Name: types.StringValue(dev.Name),
			Confirmed: types.BoolValue(dev.Confirmed), Created: types.StringValue(dev.Created), LastUsed: types.StringPointerValue(dev.LastUsed),
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}
