package provider

import (
	"context"
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
)

// deviceKind declares one authenticator device resource; deviceResource
// does the rest. Every kind has id, name, user and timeouts; a kind adds
// read-only facts, and create inputs if authentik can create it.
type deviceKind struct {
	api   authentik.DeviceKind
	title string // "TOTP device", for messages
	about string // what the device is, opening the resource's description
	// enroll says how a user gets such a device, completing "Enroll the
	// device through a flow instead (…)".
	enroll  string
	nameMax int    // name's maximum length in characters; 0 means 64
	since   string // first authentik release with this kind, "" for all supported
	facts   []deviceFact
	// create is set for kinds authentik can create; without it Create
	// sends the admin POST, which authentik fails, and explains that.
	create *deviceCreate

	once sync.Once
	s    schema.Schema
	typ  tftypes.Object
}

// deviceFact is a read-only string attribute taken from authentik's answer.
// Facts never change once a device exists, so their plans keep the state.
type deviceFact struct {
	name, description string
	value             func(authentik.Device) *string
}

// deviceCreate is how authentik creates a kind: its inputs (sent once, kept
// from the configuration, never read back), and the create itself. With
// defaultName set, name is optional and authentik's name is kept unless
// the configuration sets another.
type deviceCreate struct {
	inputs      map[string]schema.Attribute
	validators  func() []resource.ConfigValidator
	defaultName string
	run         func(ctx context.Context, r *deviceResource, plan deviceValues, diags *diag.Diagnostics) (authentik.Device, bool)
}

func (k *deviceKind) typeName() string { return string(k.api) + "_device" }

func (k *deviceKind) schema() schema.Schema {
	k.once.Do(k.build)
	return k.s
}

func (k *deviceKind) objectType() tftypes.Object {
	k.once.Do(k.build)
	return k.typ
}

func (k *deviceKind) build() {
	nameMax := k.nameMax
	if nameMax == 0 {
		nameMax = 64
	}
	name := schema.StringAttribute{
		MarkdownDescription: fmt.Sprintf("Device name shown to the user, 1 to %d characters.", nameMax),
		Required:            true,
		Validators:          []validator.String{stringvalidator.UTF8LengthBetween(1, nameMax), noSurroundingSpace{}},
	}
	if k.create != nil && k.create.defaultName != "" {
		name.Required, name.Optional, name.Computed = false, true, true
		name.MarkdownDescription += fmt.Sprintf(" authentik names a new device %q; set `name` to rename it.", k.create.defaultName)
		name.PlanModifiers = []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	}
	attrs := map[string]schema.Attribute{
		"id": schema.StringAttribute{
			MarkdownDescription: "The device's integer pk, as a string.",
			Computed:            true,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"name": name,
		"user": schema.Int64Attribute{
			MarkdownDescription: "pk of the user who owns the device. authentik sends it from 2025.2 on; null on older versions.",
			Computed:            true,
			PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
		},
		"timeouts": timeouts.Attributes(context.Background(), timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}),
	}
	for _, f := range k.facts {
		attrs[f.name] = schema.StringAttribute{MarkdownDescription: f.description, Computed: true,
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}}
	}
	if k.create != nil {
		for n, a := range k.create.inputs {
			attrs[n] = a
		}
	}
	k.s = schema.Schema{MarkdownDescription: k.description(), Attributes: attrs}
	k.typ = k.s.Type().TerraformType(context.Background()).(tftypes.Object)
}

func (k *deviceKind) description() string {
	d := k.about + " "
	if k.create == nil {
		d += fmt.Sprintf("authentik's API cannot create one (it assigns no owner), so enroll it through a flow (%s) and import it; "+
			"then Terraform manages its name and deletion. ", k.enroll)
	}
	if k.since != "" {
		d += fmt.Sprintf("Needs authentik %s or later. ", k.since)
	}
	return d + fmt.Sprintf("Managed through `/api/v3%s`, or `/api/v3%s` for a token without admin rights.",
		k.api.Path(authentik.AdminEndpoints), k.api.Path(authentik.UserEndpoints))
}
