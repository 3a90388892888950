package provider

import (
	"context"
	"fmt"
	"math/big"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
)

// deviceValues is one device resource's values by attribute name, as
// Terraform holds them. Device resources differ only in a few attributes,
// declared per kind, so one map serves every kind instead of a model struct
// per kind; like modelCodec it needs no reflection.
type deviceValues map[string]tftypes.Value

// readDeviceValues unpacks a state, plan or configuration object.
func readDeviceValues(raw tftypes.Value) (deviceValues, diag.Diagnostics) {
	var diags diag.Diagnostics
	var vals map[string]tftypes.Value
	if err := raw.As(&vals); err != nil || vals == nil {
		diags.AddError("Value Conversion Error", fmt.Sprintf("An unexpected error was encountered reading the resource's values: not a known object (%v). "+
			"This is always a problem with the provider; please report it.", err))
	}
	return vals, diags
}

// store saves v as the new state, and the device's identity with it.
func (v deviceValues) store(ctx context.Context, k *deviceKind, state *tfsdk.State, identity *tfsdk.ResourceIdentity) diag.Diagnostics {
	var diags diag.Diagnostics
	typ := k.objectType()
	if err := tftypes.ValidateValue(typ, map[string]tftypes.Value(v)); err != nil {
		diags.AddError("Value Conversion Error", "An unexpected error was encountered storing the resource's values: "+err.Error()+
			". This is always a problem with the provider; please report it.")
		return diags
	}
	state.Raw = tftypes.NewValue(typ, map[string]tftypes.Value(v))
	diags.Append(v.storeIdentity(ctx, identity)...)
	return diags
}

// storeIdentity sets the device's identity, {id}. Read must set it even
// when it removes the resource: framework v1.19 rejects a Read that returns
// no identity, and Terraform before 1.12 sends none to start from.
func (v deviceValues) storeIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity) diag.Diagnostics {
	if identity == nil {
		return nil
	}
	id, _ := v.str("id")
	return identity.Set(ctx, deviceIdentityModel{ID: types.StringValue(id)})
}

// str returns a known, non-null string attribute.
func (v deviceValues) str(name string) (string, bool) {
	var s string
	if val, ok := v[name]; !ok || !val.IsKnown() || val.IsNull() || val.As(&s) != nil {
		return "", false
	}
	return s, true
}

// pk parses the id attribute, the device's integer pk.
func (v deviceValues) pk(diags *diag.Diagnostics) int {
	id, _ := v.str("id")
	pk, err := strconv.Atoi(id)
	if err != nil {
		diags.AddAttributeError(path.Root("id"), "Invalid device id in state",
			fmt.Sprintf("The state holds id %q, which is not an integer pk. Remove the resource from state and import it again by pk.", id))
	}
	return pk
}

// timeout bounds ctx by one entry of the `timeouts` attribute ("create",
// "read", "update" or "delete"), read as the stages read it.
func (v deviceValues) timeout(ctx context.Context, op string, diags *diag.Diagnostics) (context.Context, context.CancelFunc, bool) {
	ctx, cancel := objectValues(v).withTimeout(ctx, op, diags)
	return ctx, cancel, !diags.HasError()
}

// setFromAPI copies what authentik returned: the common attributes and the
// kind's facts. authentik before 2025.2 sends no owner; user is then null
// rather than a guess.
func (v deviceValues) setFromAPI(k *deviceKind, d authentik.Device) {
	v["id"] = tftypes.NewValue(tftypes.String, strconv.Itoa(d.PK))
	v["name"] = tftypes.NewValue(tftypes.String, d.Name)
	v["user"] = tftypes.NewValue(tftypes.Number, nil)
	if d.User != nil {
		v["user"] = tftypes.NewValue(tftypes.Number, big.NewFloat(float64(d.User.PK)))
	}
	for _, f := range k.facts {
		v[f.name] = tftypes.NewValue(tftypes.String, f.value(d))
	}
}
