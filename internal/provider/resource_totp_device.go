package provider

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
)

var (
	_ resource.ResourceWithConfigure   = (*totpDeviceResource)(nil)
	_ resource.ResourceWithImportState = (*totpDeviceResource)(nil)
)

// NewTOTPDeviceResource returns the authentik_totp_device resource.
func NewTOTPDeviceResource() resource.Resource { return &totpDeviceResource{} }

type totpDeviceResource struct {
	client *authentik.Client
}

// totpModels converts between Terraform values and totpDeviceModel.
var totpModels = mustModelCodec[totpDeviceModel](&totpDeviceResource{})

type totpDeviceModel struct {
	ID       types.String   `tfsdk:"id"`
	Name     types.String   `tfsdk:"name"`
	User     types.Int64    `tfsdk:"user"`
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

func (r *totpDeviceResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_totp_device"
}

func (r *totpDeviceResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A TOTP authenticator device a user enrolled. authentik's API cannot create one " +
			"(it assigns no owner), so enroll it through a flow and import it; then Terraform manages its name and deletion. " +
			"Managed through `/api/v3/authenticators/admin/totp/`, or `/api/v3/authenticators/totp/` for a token without admin rights.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The device's integer pk, as a string.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Device name shown to the user, 1 to 64 characters.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.UTF8LengthBetween(1, 64), noSurroundingSpace{}},
			},
			"user": schema.Int64Attribute{
				MarkdownDescription: "pk of the user who owns the device. authentik sends it from 2025.2 on; null on older versions.",
				Computed:            true,
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"timeouts": timeouts.Attributes(context.Background(), timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}),
		},
	}
}

func (r *totpDeviceResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

// Create sends the one POST the schema documents. Every released authentik
// fails it internally (no owner), which arrives as an empty HTML 405; that
// case gets its own explanation, because the generic "failed internally"
// text would send users to the server log for a limitation of the API.
func (r *totpDeviceResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan totpDeviceModel
	resp.Diagnostics.Append(totpModels().get(ctx, req.Plan.Raw, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, plan.Timeouts.Create, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	dev, err := r.client.CreateTOTPDevice(ctx, authentik.TOTPAdminEndpoints, authentik.TOTPDeviceRequest{Name: plan.Name.ValueString()})
	if authentik.IsServerError(err) {
		resp.Diagnostics.AddError("authentik could not create the TOTP device",
			fmt.Sprintf("authentik's admin API cannot create TOTP devices: it assigns the new device no user and fails internally "+
				"(%s, not shown). Nothing was created in authentik or saved to Terraform state. Enroll the device through a flow instead "+
				"(for example default-authenticator-totp-setup, from the user's settings), then adopt it with "+
				"`terraform import authentik_totp_device.<name> <pk>` or an import block.", serverErrorNote(err)))
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, totpOp("create the TOTP device"), err)
		return
	}
	plan.setFromAPI(dev) // the POST answer is the new state: no read-back
	resp.Diagnostics.Append(totpModels().setState(ctx, &resp.State, &plan)...)
}

func (r *totpDeviceResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state totpDeviceModel
	resp.Diagnostics.Append(totpModels().get(ctx, req.State.Raw, &state)...)
	pk := devicePK(state.ID, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, state.Timeouts.Read, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	var dev authentik.TOTPDevice
	_, err := r.client.WithTOTPEndpoints(r.client.TOTPEndpointsInUse(), func(ep authentik.TOTPEndpoints) (err error) {
		dev, err = r.client.GetTOTPDevice(ctx, ep, pk)
		return err
	})
	if authentik.IsNotFound(err) {
		resp.State.RemoveResource(ctx) // deleted in authentik: plan proposes to create it again
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, totpOp("read the TOTP device"), err)
		return
	}
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, legacyEndpointsKey, nil)...)
	state.setFromAPI(dev)
	resp.Diagnostics.Append(totpModels().setState(ctx, &resp.State, &state)...)
}

// Update renames the device: name is all the API can change.
func (r *totpDeviceResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state totpDeviceModel
	resp.Diagnostics.Append(totpModels().get(ctx, req.Plan.Raw, &plan)...)
	resp.Diagnostics.Append(totpModels().get(ctx, req.State.Raw, &state)...)
	pk := devicePK(state.ID, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, plan.Timeouts.Update, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	patch := authentik.TOTPDevicePatch{Name: authentik.Set(plan.Name.ValueString())}
	var dev authentik.TOTPDevice
	_, err := r.client.WithTOTPEndpoints(r.client.TOTPEndpointsInUse(), func(ep authentik.TOTPEndpoints) (err error) {
		dev, err = r.client.PatchTOTPDevice(ctx, ep, pk, patch)
		return err
	})
	if err != nil {
		addAPIError(&resp.Diagnostics, totpOp("rename the TOTP device"), err)
		return
	}
	plan.setFromAPI(dev)
	resp.Diagnostics.Append(totpModels().setState(ctx, &resp.State, &plan)...)
}

func (r *totpDeviceResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state totpDeviceModel
	resp.Diagnostics.Append(totpModels().get(ctx, req.State.Raw, &state)...)
	pk := devicePK(state.ID, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, state.Timeouts.Delete, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	_, err := r.client.WithTOTPEndpoints(r.client.TOTPEndpointsInUse(), func(ep authentik.TOTPEndpoints) error {
		return r.client.DeleteTOTPDevice(ctx, ep, pk)
	})
	if err != nil && !authentik.IsNotFound(err) { // already gone is what we wanted
		addAPIError(&resp.Diagnostics, totpOp("delete the TOTP device"), err)
	}
}

var devicePKRegexp = regexp.MustCompile(`^[1-9]\d{0,17}$`)

// ImportState accepts the device's integer pk.
func (r *totpDeviceResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if !devicePKRegexp.MatchString(req.ID) {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("%q is not a TOTP device pk. Import with the device's positive integer pk, for example "+
				"`terraform import authentik_totp_device.phone 42`; GET /api/v3/authenticators/admin/totp/?name=<device name> shows it.", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
}

// setFromAPI copies what authentik returned. authentik before 2025.2 sends
// no owner; user is then null rather than a guess.
func (m *totpDeviceModel) setFromAPI(d authentik.TOTPDevice) {
	m.ID = types.StringValue(strconv.Itoa(d.PK))
	m.Name = types.StringValue(d.Name)
	m.User = types.Int64Null()
	if d.User != nil {
		m.User = types.Int64Value(int64(d.User.PK))
	}
}

// serverErrorNote names the request and status of an internal failure,
// e.g. "POST /api/v3/authenticators/admin/totp/ answered 405 with an empty HTML page".
func serverErrorNote(err error) string {
	var e *authentik.APIError
	if !errors.As(err, &e) {
		return trimPrefix(err)
	}
	note := fmt.Sprintf("%s /api/v3%s answered %d", e.Method, e.Path, e.Status)
	if e.HTML {
		note += " with an HTML page"
	}
	return note
}

func devicePK(id types.String, diags *diag.Diagnostics) int {
	pk, err := strconv.Atoi(id.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("id"), "Invalid TOTP device id in state",
			fmt.Sprintf("The state holds id %q, which is not an integer pk. Remove the resource from state and import it again by pk.", id.ValueString()))
	}
	return pk
}

// legacyEndpointsKey is the private-state key in which earlier versions of
// this resource remembered that a device was last reached through the user
// endpoints. That hint outlived the token it was learnt from: after a switch
// to an admin token every refresh still went to the user endpoints, which
// authentik 2024.10 refuses an admin for another user's device (403), so
// plan and destroy failed. What the endpoints allow depends on the token, so
// only the Client, which has exactly one token, remembers it (for one
// provider process); Read drops the old key.
const legacyEndpointsKey = "totp_endpoints"

func totpOp(action string) apiOp {
	return apiOp{
		action: action,
		attribute: func(field string) (path.Path, bool) {
			if field == "name" {
				return path.Root("name"), true
			}
			return path.Path{}, false
		},
		hint: func(field, _ string) string { return fmt.Sprintf("Fix `%s` in the configuration.", field) },
	}
}
