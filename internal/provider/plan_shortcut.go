package provider

import (
	"context"
	"os"
	"reflect"
	"slices"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/defaults"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// unchangedPlans answers PlanResourceChange for a resource Terraform
// proposes to leave exactly as it is, the common case of every plan, without
// the framework's per-attribute walk.
//
// Why: for such a resource the framework's answer is known in advance. With
// no ModifyPlan and no plan modifier other than UseStateForUnknown (which
// does nothing to a known value) and a string's RequiresReplaceIf (which
// does nothing to a value equal to the state's), it plans the proposed state with
// write-only values removed and static defaults put where the configuration
// is null; when that is the prior state, the identity is the prior identity
// too.
// Getting there costs it three schema lookups, a plan SetAttribute and two
// whole-value transforms per attribute: about a third of the provider's CPU
// in a 1,000-resource Duo plan (BENCHMARKS.md).
//
// Which resources qualify is decided from their schemas when the server
// starts (shortcutSchema), so adding a default or another plan modifier
// sends the resource back through the framework rather than silently
// skipping it. Anything the shortcut does not recognise goes to the
// framework too, and so does everything once the provider deferred its
// configuration, and everything while AUTHENTIK_PLAN_SHORTCUT=off (for
// diagnosing a plan: the framework then plans every resource).
type unchangedPlans struct {
	resources map[string]shortcutResource // by resource type name
	deferred  *atomic.Bool                // the provider's: set when its Configure deferred
}

type shortcutResource struct {
	typ       tftypes.Type // the resource's object type
	writeOnly []string     // top-level write-only attributes, never in state
	// defaults are the top-level static defaults: where the configuration
	// is null the plan holds them, so the prior state must too.
	defaults map[string]tftypes.Value
	identity bool // the resource has an identity, planned as the prior one
}

// envPlanShortcut turns the shortcut off when set to "off".
const envPlanShortcut = "AUTHENTIK_PLAN_SHORTCUT"

// newUnchangedPlans inspects the provider's resources. It never fails: a
// resource it cannot vouch for is simply left to the framework.
func newUnchangedPlans(ctx context.Context, p *authentikProvider) *unchangedPlans {
	var meta provider.MetadataResponse
	p.Metadata(ctx, provider.MetadataRequest{}, &meta)
	u := &unchangedPlans{resources: map[string]shortcutResource{}, deferred: &p.deferred}
	if os.Getenv(envPlanShortcut) == "off" {
		return u
	}
	for _, newResource := range p.Resources(ctx) {
		r := newResource()
		var md resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: meta.TypeName}, &md)
		var sr resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &sr)
		if sr.Diagnostics.HasError() {
			continue
		}
		if res, ok := shortcutSchema(r, sr.Schema); ok {
			u.resources[md.TypeName] = res
		}
	}
	return u
}

// shortcutSchema says whether an unchanged plan of r is its prior state, and
// returns what the shortcut needs to check that a proposal is unchanged.
func shortcutSchema(r resource.Resource, s schema.Schema) (shortcutResource, bool) {
	if _, ok := r.(resource.ResourceWithModifyPlan); ok || len(s.Blocks) > 0 {
		return shortcutResource{}, false
	}
	_, identity := r.(resource.ResourceWithIdentity)
	res := shortcutResource{typ: s.Type().TerraformType(context.Background()), identity: identity, defaults: map[string]tftypes.Value{}}
	for name, a := range s.Attributes {
		def, ok := staticDefault(a)
		if !ok {
			return shortcutResource{}, false
		}
		if def != nil {
			res.defaults[name] = *def
		}
		if !passiveAttribute(a, true, def != nil) {
			return shortcutResource{}, false
		}
		if a.IsWriteOnly() {
			res.writeOnly = append(res.writeOnly, name)
		}
	}
	return res, true
}

// staticDefault returns a top-level attribute's default, which the
// framework plans wherever the configuration is null. ok is false for a
// default whose value cannot be had without a request (none here has one).
func staticDefault(a schema.Attribute) (def *tftypes.Value, ok bool) {
	ctx := context.Background()
	var v attr.Value
	var diags diag.Diagnostics
	switch a := a.(type) {
	case schema.StringAttribute:
		if a.Default != nil {
			v, diags = planDefault(a.Default.DefaultString, func(r defaults.StringResponse) (attr.Value, diag.Diagnostics) { return r.PlanValue, r.Diagnostics })
		}
	case schema.Int64Attribute:
		if a.Default != nil {
			v, diags = planDefault(a.Default.DefaultInt64, func(r defaults.Int64Response) (attr.Value, diag.Diagnostics) { return r.PlanValue, r.Diagnostics })
		}
	case schema.BoolAttribute:
		if a.Default != nil {
			v, diags = planDefault(a.Default.DefaultBool, func(r defaults.BoolResponse) (attr.Value, diag.Diagnostics) { return r.PlanValue, r.Diagnostics })
		}
	case schema.SetAttribute:
		if a.Default != nil {
			v, diags = planDefault(a.Default.DefaultSet, func(r defaults.SetResponse) (attr.Value, diag.Diagnostics) { return r.PlanValue, r.Diagnostics })
		}
	case schema.ListAttribute:
		if a.Default != nil {
			v, diags = planDefault(a.Default.DefaultList, func(r defaults.ListResponse) (attr.Value, diag.Diagnostics) { return r.PlanValue, r.Diagnostics })
		}
	}
	if v == nil {
		return nil, !diags.HasError() // no default, or passiveAttribute decides about the kind
	}
	tv, err := v.ToTerraformValue(ctx)
	if err != nil || diags.HasError() {
		return nil, false
	}
	return &tv, true
}

// planDefault asks one of the framework's Default implementations for the
// value it plans.
func planDefault[Req any, Resp any](call func(context.Context, Req, *Resp), value func(Resp) (attr.Value, diag.Diagnostics)) (attr.Value, diag.Diagnostics) {
	var req Req
	var resp Resp
	call(context.Background(), req, &resp)
	return value(resp)
}

// Plan modifiers that leave a known planned value alone. A string's
// RequiresReplace, RequiresReplaceIf and RequiresReplaceIfConfigured are all
// one type, which returns before its condition when the planned value equals
// the state's, as every value of an unchanged plan does.
var (
	passiveStringModifier = reflect.TypeOf(stringplanmodifier.UseStateForUnknown())
	replaceStringModifier = reflect.TypeOf(stringplanmodifier.RequiresReplace())
	passiveInt64Modifier  = reflect.TypeOf(int64planmodifier.UseStateForUnknown())
	passiveBoolModifier   = reflect.TypeOf(boolplanmodifier.UseStateForUnknown())
	passiveListModifier   = reflect.TypeOf(listplanmodifier.UseStateForUnknown())
)

// passiveAttribute reports whether the framework's planning can change a
// known, unchanged value of a: it can when the attribute has a default or a
// plan modifier other than UseStateForUnknown. Attribute kinds not listed
// here count as active, so a new kind is never trusted by accident.
// Write-only attributes are allowed at the top level only.
// A top-level static default is allowed when the caller checks it
// (defaulted).
func passiveAttribute(a schema.Attribute, top, defaulted bool) bool {
	if a.IsWriteOnly() && !top {
		return false
	}
	switch a := a.(type) {
	case schema.StringAttribute:
		return (a.Default == nil || defaulted) && allOfType(a.PlanModifiers, passiveStringModifier, replaceStringModifier)
	case schema.Int64Attribute:
		return (a.Default == nil || defaulted) && allOfType(a.PlanModifiers, passiveInt64Modifier)
	case schema.BoolAttribute:
		return (a.Default == nil || defaulted) && allOfType(a.PlanModifiers, passiveBoolModifier)
	case schema.SetAttribute:
		return (a.Default == nil || defaulted) && len(a.PlanModifiers) == 0
	case schema.ListAttribute:
		return (a.Default == nil || defaulted) && len(a.PlanModifiers) == 0
	case schema.SingleNestedAttribute:
		return a.Default == nil && len(a.PlanModifiers) == 0 && passiveAttributes(a.Attributes)
	case schema.ListNestedAttribute:
		return a.Default == nil && allOfType(a.PlanModifiers, passiveListModifier) &&
			len(a.NestedObject.PlanModifiers) == 0 && passiveAttributes(a.NestedObject.Attributes)
	default:
		return false
	}
}

func passiveAttributes(attrs map[string]schema.Attribute) bool {
	for _, a := range attrs {
		if !passiveAttribute(a, false, false) {
			return false
		}
	}
	return true
}

func allOfType[M any](modifiers []M, types ...reflect.Type) bool {
	for _, m := range modifiers {
		if !slices.Contains(types, reflect.TypeOf(m)) {
			return false
		}
	}
	return true
}

// plan returns the framework's answer for an unchanged resource, or false
// when the request needs the framework.
func (u *unchangedPlans) plan(req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, bool) {
	r, ok := u.resources[req.TypeName]
	if !ok || u.deferred.Load() || req.PriorState == nil || req.ProposedNewState == nil {
		return nil, false
	}
	// Without a prior identity (Terraform before 1.12, or a state written
	// before the resource had one) the framework plans a null one.
	if r.identity && (req.PriorIdentity == nil || req.PriorIdentity.IdentityData == nil) {
		return nil, false
	}
	if !u.unchanged(r, req.PriorState, req.ProposedNewState, req.Config) {
		return nil, false
	}
	resp := &tfprotov6.PlanResourceChangeResponse{
		PlannedState:   req.PriorState,
		PlannedPrivate: req.PriorPrivate,
	}
	if r.identity {
		resp.PlannedIdentity = req.PriorIdentity
	}
	return resp, true
}

// unchanged reports whether proposed, once its write-only values are
// removed and its defaults applied, is the same known, non-null object as
// prior.
func (u *unchangedPlans) unchanged(r shortcutResource, prior, proposed, config *tfprotov6.DynamicValue) bool {
	p, err := prior.Unmarshal(r.typ)
	if err != nil || p.IsNull() || !p.IsFullyKnown() {
		return false
	}
	n, err := proposed.Unmarshal(r.typ)
	if err != nil || n.IsNull() || !n.IsFullyKnown() {
		return false
	}
	if len(r.writeOnly) > 0 {
		var attrs map[string]tftypes.Value
		if err := n.As(&attrs); err != nil {
			return false
		}
		for _, name := range r.writeOnly {
			attrs[name] = tftypes.NewValue(r.typ.(tftypes.Object).AttributeTypes[name], nil)
		}
		n = tftypes.NewValue(r.typ, attrs)
	}
	if !n.Equal(p) {
		return false
	}
	return len(r.defaults) == 0 || defaultsHeld(r, p, config)
}

// defaultsHeld reports whether every defaulted attribute that the
// configuration leaves null holds its default in prior.
func defaultsHeld(r shortcutResource, prior tftypes.Value, config *tfprotov6.DynamicValue) bool {
	if config == nil {
		return false
	}
	c, err := config.Unmarshal(r.typ)
	if err != nil || !c.IsFullyKnown() {
		return false
	}
	var cfg, old map[string]tftypes.Value
	if c.As(&cfg) != nil || prior.As(&old) != nil {
		return false
	}
	for name, def := range r.defaults {
		if cfg[name].IsNull() && !old[name].Equal(def) {
			return false
		}
	}
	return true
}
