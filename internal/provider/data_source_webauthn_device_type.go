package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
)

var (
	_ datasource.DataSourceWithConfigure        = (*webauthnDeviceTypeDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*webauthnDeviceTypeDataSource)(nil)
)

// NewWebAuthnDeviceTypeDataSource returns the authentik_webauthn_device_type data source.
func NewWebAuthnDeviceTypeDataSource() datasource.DataSource { return &webauthnDeviceTypeDataSource{} }

type webauthnDeviceTypeDataSource struct {
	client *authentik.Client
}

type webauthnDeviceTypeModel struct {
	ID          types.String `tfsdk:"id"`
	AAGUID      types.String `tfsdk:"aaguid"`
	Description types.String `tfsdk:"description"`
}

func (d *webauthnDeviceTypeDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webauthn_device_type"
}

func (d *webauthnDeviceTypeDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up one WebAuthn device type (an authenticator model from the FIDO metadata authentik knows) " +
			"by its `description` or its `aaguid`, in one request to `/api/v3/stages/authenticator/webauthn_device_types/`. " +
			"Use its `aaguid` in a WebAuthn stage's `device_type_restrictions` or a validation stage's `webauthn_allowed_device_types`. " +
			"It is an error when nothing or more than one device type matches.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, MarkdownDescription: "The device type's aaguid."},
			"aaguid": schema.StringAttribute{Optional: true, Computed: true,
				Validators: []validator.String{isUUIDOf("device type AAGUID", "the uuid authentik lists for the device type")},
				MarkdownDescription: "The device type's AAGUID (Authenticator Attestation GUID), a uuid. " +
					"Set it to look the device type up by it, or read it after a lookup by `description`."},
			"description": schema.StringAttribute{Optional: true, Computed: true, Validators: nonEmpty(),
				MarkdownDescription: "The device type's name, such as `YubiKey 5 Series`: exact and case-sensitive. " +
					"Some names are shared by several device types (older authentik versions list, for instance, " +
					"three `YubiKey 5 Series`); look those up by `aaguid`."},
		},
	}
}

func (d *webauthnDeviceTypeDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.AtLeastOneOf(path.MatchRoot("description"), path.MatchRoot("aaguid")),
	}
}

func (d *webauthnDeviceTypeDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *webauthnDeviceTypeDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg webauthnDeviceTypeModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	filter := authentik.WebAuthnDeviceTypeFilter{AAGUID: cfg.AAGUID.ValueString(), Description: cfg.Description.ValueString()}
	found, count, err := d.client.FindWebAuthnDeviceTypes(ctx, filter)
	if err != nil {
		addAPIError(&resp.Diagnostics, apiOp{action: "look up the WebAuthn device type"}, err)
		return
	}
	what := describeDeviceTypeFilter(filter)
	switch {
	case count == 0 || len(found) == 0:
		resp.Diagnostics.AddError("WebAuthn device type not found",
			fmt.Sprintf("authentik has no WebAuthn device type with %s. Descriptions are exact and case-sensitive; "+
				"GET /api/v3/stages/authenticator/webauthn_device_types/ lists the device types authentik knows.", what))
		return
	case count > 1:
		var ids []string
		for _, t := range found {
			ids = append(ids, t.AAGUID)
		}
		more := ""
		if count > len(found) {
			more = fmt.Sprintf(" and %d more", count-len(found))
		}
		resp.Diagnostics.AddError("Several WebAuthn device types match",
			fmt.Sprintf("authentik has %d WebAuthn device types with %s (aaguids %s%s). Set `aaguid` to choose one.",
				count, what, strings.Join(ids, ", "), more))
		return
	}
	t := found[0]
	cfg.ID = types.StringValue(t.AAGUID)
	cfg.AAGUID = types.StringValue(t.AAGUID)
	cfg.Description = types.StringValue(t.Description)
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}

func describeDeviceTypeFilter(f authentik.WebAuthnDeviceTypeFilter) string {
	var parts []string
	if f.Description != "" {
		parts = append(parts, fmt.Sprintf("description %q", f.Description))
	}
	if f.AAGUID != "" {
		parts = append(parts, fmt.Sprintf("aaguid %s", f.AAGUID))
	}
	return strings.Join(parts, " and ")
}
