package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
)

var (
	_ resource.ResourceWithConfigure        = (*deviceResource)(nil)
	_ resource.ResourceWithImportState      = (*deviceResource)(nil)
	_ resource.ResourceWithIdentity         = (*deviceResource)(nil)
	_ resource.ResourceWithConfigValidators = (*deviceResource)(nil)
)

// deviceResource is the resource of one device kind.
type deviceResource struct {
	kind   *deviceKind
	client *authentik.Client
}

type deviceIdentityModel struct {
	ID types.String `tfsdk:"id"`
}

func (r *deviceResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.kind.typeName()
}

func (r *deviceResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = r.kind.schema()
}

func (r *deviceResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{Attributes: map[string]identityschema.Attribute{
		"id": identityschema.StringAttribute{Description: "The device's integer pk, as a string.", RequiredForImport: true},
	}}
}

func (r *deviceResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	if r.kind.create == nil || r.kind.create.validators == nil {
		return nil
	}
	return r.kind.create.validators()
}

func (r *deviceResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *deviceResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	plan, diags := readDeviceValues(req.Plan.Raw)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := plan.timeout(ctx, "create", &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	var dev authentik.Device
	if r.kind.create != nil {
		if dev, ok = r.kind.create.run(ctx, r, plan, &resp.Diagnostics); !ok {
			return
		}
	} else {
		name, _ := plan.str("name")
		var err error
		if dev, err = r.client.CreateDevice(ctx, r.kind.api, authentik.DeviceRequest{Name: name}); err != nil {
			r.addCreateError(ctx, &resp.Diagnostics, err)
			return
		}
	}
	plan.setFromAPI(r.kind, dev) // the create's answer is the new state: no read-back
	resp.Diagnostics.Append(plan.store(ctx, r.kind, &resp.State, resp.Identity)...)
}

// addCreateError explains the create authentik cannot do. Every released
// version fails it internally (no owner), which arrives as an empty HTML
// 405; the generic "failed internally" text would send users to the server
// log for a limitation of the API.
func (r *deviceResource) addCreateError(ctx context.Context, diags *diag.Diagnostics, err error) {
	if r.addVersionError(ctx, diags, err) {
		return
	}
	if !authentik.IsServerError(err) {
		r.addError(ctx, diags, "create the "+r.kind.title, err)
		return
	}
	diags.AddError("authentik could not create the "+r.kind.title,
		fmt.Sprintf("authentik's admin API cannot create %ss: it assigns the new device no user and fails internally "+
			"(%s, not shown). Nothing was created in authentik or saved to Terraform state. Enroll the device through a flow instead "+
			"(%s), then adopt it with `terraform import authentik_%s.<name> <pk>` or an import block.",
			r.kind.title, serverErrorNote(err), r.kind.enroll, r.kind.typeName()))
}

func (r *deviceResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	state, pk, ctx, cancel, ok := r.open(ctx, req.State.Raw, "read", &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	var dev authentik.Device
	_, err := r.client.WithDeviceEndpoints(ctx, r.kind.api, func(ep authentik.DeviceEndpoints) (err error) {
		dev, err = r.client.GetDevice(ctx, r.kind.api, ep, pk)
		return err
	})
	if authentik.IsNotFound(err) {
		resp.Diagnostics.Append(state.storeIdentity(ctx, resp.Identity)...)
		resp.State.RemoveResource(ctx) // deleted in authentik: plan proposes to create it again
		return
	}
	if err != nil {
		r.addError(ctx, &resp.Diagnostics, "read the "+r.kind.title, err)
		return
	}
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, legacyEndpointsKey, nil)...)
	state.setFromAPI(r.kind, dev)
	resp.Diagnostics.Append(state.store(ctx, r.kind, &resp.State, resp.Identity)...)
}

// Update renames the device: name is all the API can change. A plan that
// changes nothing authentik holds (timeouts, or create inputs recorded
// after an import) sends nothing.
func (r *deviceResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	plan, diags := readDeviceValues(req.Plan.Raw)
	resp.Diagnostics.Append(diags...)
	state, diags := readDeviceValues(req.State.Raw)
	resp.Diagnostics.Append(diags...)
	pk := state.pk(&resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	name, _ := plan.str("name")
	if old, _ := state.str("name"); name != old {
		ctx, cancel, ok := plan.timeout(ctx, "update", &resp.Diagnostics)
		if !ok {
			return
		}
		defer cancel()
		dev, err := renameDevice(ctx, r, pk, name)
		if err != nil {
			r.addError(ctx, &resp.Diagnostics, "rename the "+r.kind.title, err)
			return
		}
		plan.setFromAPI(r.kind, dev)
	}
	resp.Diagnostics.Append(plan.store(ctx, r.kind, &resp.State, resp.Identity)...)
}

func (r *deviceResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	_, pk, ctx, cancel, ok := r.open(ctx, req.State.Raw, "delete", &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	_, err := r.client.WithDeviceEndpoints(ctx, r.kind.api, func(ep authentik.DeviceEndpoints) error {
		return r.client.DeleteDevice(ctx, r.kind.api, ep, pk)
	})
	if err != nil && !authentik.IsNotFound(err) { // already gone is what we wanted
		r.addError(ctx, &resp.Diagnostics, "delete the "+r.kind.title, err)
	}
}

// open reads a device's state, its pk, and bounds ctx by its timeout.
func (r *deviceResource) open(ctx context.Context, raw tftypes.Value, op string,
	diags *diag.Diagnostics,
) (state deviceValues, pk int, _ context.Context, cancel context.CancelFunc, ok bool) {
	state, ds := readDeviceValues(raw)
	diags.Append(ds...)
	if diags.HasError() {
		return nil, 0, ctx, nil, false
	}
	if pk = state.pk(diags); diags.HasError() {
		return nil, 0, ctx, nil, false
	}
	ctx, cancel, ok = state.timeout(ctx, op, diags)
	return state, pk, ctx, cancel, ok
}

// renameDevice sends the one PATCH a rename takes.
func renameDevice(ctx context.Context, r *deviceResource, pk int, name string) (authentik.Device, error) {
	var dev authentik.Device
	_, err := r.client.WithDeviceEndpoints(ctx, r.kind.api, func(ep authentik.DeviceEndpoints) (err error) {
		dev, err = r.client.PatchDevice(ctx, r.kind.api, ep, pk, authentik.DevicePatch{Name: authentik.Set(name)})
		return err
	})
	return dev, err
}

var devicePKRegexp = regexp.MustCompile(`^[1-9]\d{0,17}$`)

// ImportState accepts the device's integer pk, as an import ID or as the
// identity's id (Terraform 1.12+).
func (r *deviceResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := req.ID
	if id == "" && req.Identity != nil {
		var ident deviceIdentityModel
		resp.Diagnostics.Append(req.Identity.Get(ctx, &ident)...)
		id = ident.ID.ValueString()
	}
	if !devicePKRegexp.MatchString(id) {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("%q is not %s pk. Import with the device's positive integer pk, for example "+
				"`terraform import authentik_%s.phone 42`; the data source authentik_user_devices lists a user's devices with their pks.",
				id, withArticle(r.kind.title), r.kind.typeName()))
		return
	}
	resource.ImportStatePassthroughWithIdentity(ctx, path.Root("id"), path.Root("id"), req, resp)
}

// addVersionError reports, and returns true for, a kind that is newer than
// the server. Its paths are unrouted there: Django answers a read with an
// HTML 404 and a write with the empty HTML 405 of its 404 view (the same as
// a write failing inside, so only the server's version tells them apart).
func (r *deviceResource) addVersionError(ctx context.Context, diags *diag.Diagnostics, err error) bool {
	var e *authentik.APIError
	if r.kind.since == "" || !errors.As(err, &e) || !e.HTML || e.Status != http.StatusNotFound && e.Status != http.StatusMethodNotAllowed {
		return false
	}
	v, verr := r.client.ServerVersion(ctx)
	if verr != nil || !versionBefore(v, r.kind.since) {
		return false
	}
	diags.AddError(fmt.Sprintf("authentik %s has no %ss", v, r.kind.title),
		fmt.Sprintf("authentik_%s needs authentik %s or later; the server runs %s (%s /api/v3%s answered an HTML %d). "+
			"Upgrade authentik, or remove the resource from the configuration.", r.kind.typeName(), r.kind.since, v, e.Method, e.Path, e.Status))
	return true
}

// addError reports a failed request.
func (r *deviceResource) addError(ctx context.Context, diags *diag.Diagnostics, action string, err error) {
	if r.addVersionError(ctx, diags, err) {
		return
	}
	addAPIError(diags, apiOp{
		action: action,
		attribute: func(field string) (path.Path, bool) {
			_, ok := r.kind.schema().Attributes[field]
			return path.Root(field), ok && field != "id" && field != "user"
		},
		hint: func(field, _ string) string { return fmt.Sprintf("Fix `%s` in the configuration.", field) },
	}, err)
}

// withArticle puts "a" or "an" before a kind's title ("an SMS device").
func withArticle(title string) string {
	if strings.ContainsRune("aeiou", rune(title[0])) || strings.HasPrefix(title, "SMS") {
		return "an " + title
	}
	return "a " + title
}

// versionBefore reports whether authentik version v ("2024.10.5") is older
// than since ("2025.2"). A version it cannot read counts as not older.
func versionBefore(v, since string) bool {
	var vy, vm, sy, sm int
	if _, err := fmt.Sscanf(v, "%d.%d", &vy, &vm); err != nil {
		return false
	}
	if _, err := fmt.Sscanf(since, "%d.%d", &sy, &sm); err != nil {
		return false
	}
	return vy < sy || vy == sy && vm < sm
}

// serverErrorNote names the request and status of an internal failure,
// e.g. "POST /api/v3/authenticators/admin/totp/ answered 405 with an HTML page".
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

// legacyEndpointsKey is the private-state key in which earlier versions of
// the TOTP device resource remembered that a device was last reached through
// the user endpoints. That hint outlived the token it was learnt from: after
// a switch to an admin token every refresh still went to the user endpoints,
// which authentik 2024.10 refuses an admin for another user's device (403),
// so plan and destroy failed. What the endpoints allow depends on the
// token, so only the Client, which has exactly one token, remembers it (for
// one provider process); Read drops the old key.
const legacyEndpointsKey = "totp_endpoints"
