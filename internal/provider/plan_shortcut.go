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

// shortcuts answers the two requests Terraform makes for every resource in
// every plan, whose answers the framework's rules fix in advance, without
// the framework's per-attribute walk:
//
//   - PlanResourceChange for a resource Terraform proposes to leave exactly
//     as it is (the common case of every plan), to create, to update or to
//     destroy;
//   - UpgradeResourceState for a state of the current schema version.
//
// Why: for these the framework's answer is known in advance. With no
// ModifyPlan and no plan modifier other than UseStateForUnknown and a
// string's RequiresReplaceIf, it plans the proposed state with write-only
// values removed and static defaults put where the configuration is null.
// When that is not the prior state (a create or an update), the computed
// attributes the configuration leaves null become unknown, and then, on an
// update, UseStateForUnknown puts the prior value back where the plan is
// unknown and the configuration is not. RequiresReplaceIf does nothing to
// a value equal to the state's; an update that changes such a value goes
// to the framework. The identity is the prior identity. An upgrade to the
// same version reads the stored JSON with the schema's type and answers
// it. Getting there costs the framework three schema lookups, a plan
// SetAttribute and two whole-value transforms per attribute: about a third
// of the provider's CPU in a plan or a create of 1,000 Duo stages, and a
// quarter in an update (BENCHMARKS.md).
//
// Which resources qualify is decided from their schemas when the server
// starts (shortcutSchema), so adding a default or another plan modifier
// sends the resource back through the framework rather than silently
// skipping it. Anything the shortcuts do not recognise goes to the
// framework too, and so does every plan once the provider deferred its
// configuration, and everything while AUTHENTIK_PLAN_SHORTCUT=off (for
// diagnosing a plan: the framework then answers every request).
type shortcuts struct {
	resources map[string]shortcutResource // by resource type name
	deferred  *atomic.Bool                // the provider's: set when its Configure deferred
}

type shortcutResource struct {
	typ     tftypes.Type // the resource's object type
	version int64        // the schema version: upgrades from it are read as they are
	// plans: unchanged plans may be answered (the schema is passive).
	plans bool
	// creates: create plans may be answered too (no computed attribute
	// below one that is not computed-only).
	creates bool
	// updates: plans that change the resource may be answered too (no
	// plan modifier below the top level).
	updates   bool
	writeOnly []string // top-level write-only attributes, never in state
	// computed are the top-level computed attributes without a default: a
	// create plans them unknown where the configuration is null.
	computed []string
	// defaults are the top-level static defaults: where the configuration
	// is null the plan holds them, so the prior state must too.
	defaults map[string]tftypes.Value
	// keepState are the top-level attributes with UseStateForUnknown: an
	// update plans their prior value where it would plan unknown.
	keepState []string
	// replace are the top-level attributes with RequiresReplace: an update
	// that changes one goes to the framework, which decides.
	replace []string
	// nullIdentity is planned when Terraform sends no prior identity
	// (before 1.12, or a create); nil when the resource has none.
	nullIdentity *tfprotov6.DynamicValue
}

// envPlanShortcut turns the shortcuts off when set to "off".
const envPlanShortcut = "AUTHENTIK_PLAN_SHORTCUT"

// newShortcuts inspects the provider's resources. It never fails: a
// resource it cannot vouch for is simply left to the framework.
func newShortcuts(ctx context.Context, p *authentikProvider) *shortcuts {
	var meta provider.MetadataResponse
	p.Metadata(ctx, provider.MetadataRequest{}, &meta)
	u := &shortcuts{resources: map[string]shortcutResource{}, deferred: &p.deferred}
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
		if res, ok := shortcutSchema(ctx, r, sr.Schema); ok {
			u.resources[md.TypeName] = res
		}
	}
	return u
}

// shortcutSchema says which of r's requests the shortcuts may answer, and
// returns what they need to check and build the answers. ok is false when
// none may be.
func shortcutSchema(ctx context.Context, r resource.Resource, s schema.Schema) (shortcutResource, bool) {
	if len(s.Blocks) > 0 {
		return shortcutResource{}, false
	}
	res := shortcutResource{typ: s.Type().TerraformType(ctx), version: s.Version, defaults: map[string]tftypes.Value{}}
	if ri, ok := r.(resource.ResourceWithIdentity); ok {
		var ir resource.IdentitySchemaResponse
		ri.IdentitySchema(ctx, resource.IdentitySchemaRequest{}, &ir)
		if ir.Diagnostics.HasError() {
			return shortcutResource{}, false
		}
		typ := ir.IdentitySchema.Type().TerraformType(ctx)
		null, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, nil))
		if err != nil {
			return shortcutResource{}, false
		}
		res.nullIdentity = &null
	}
	_, modifies := r.(resource.ResourceWithModifyPlan)
	res.plans, res.creates = !modifies, !modifies
	nestedModifiers := false
	for name, a := range s.Attributes {
		def, ok := staticDefault(a)
		if !ok {
			res.plans, res.creates = false, false
			break
		}
		if def != nil {
			res.defaults[name] = *def
		} else if a.IsComputed() {
			res.computed = append(res.computed, name)
		}
		if !passiveAttribute(a, true, def != nil) {
			res.plans, res.creates = false, false
			break
		}
		if a.IsWriteOnly() {
			res.writeOnly = append(res.writeOnly, name)
		}
		// The framework marks nested computed attributes unknown one by
		// one; the create shortcut only knows whole top-level values.
		if (!a.IsComputed() || a.IsOptional()) && anyComputed(nestedAttributes(a)) {
			res.creates = false
		}
		// An update runs every plan modifier; the update shortcut knows
		// the top-level ones only.
		if anyModifier(nestedAttributes(a)) {
			nestedModifiers = true
		}
		for _, m := range modifierTypes(a) {
			switch m {
			case replaceStringModifier:
				res.replace = append(res.replace, name)
			case passiveStringModifier, passiveInt64Modifier, passiveBoolModifier, passiveListModifier:
				res.keepState = append(res.keepState, name)
			}
		}
	}
	res.updates = res.creates && !nestedModifiers
	return res, true
}

// modifierTypes are the types of a's own plan modifiers (and its nested
// object's). Every attribute kind keeps them in a field of that name.
func modifierTypes(a schema.Attribute) []reflect.Type {
	var out []reflect.Type
	add := func(modifiers reflect.Value) {
		for i := 0; modifiers.IsValid() && i < modifiers.Len(); i++ {
			out = append(out, modifiers.Index(i).Elem().Type())
		}
	}
	v := reflect.ValueOf(a)
	if v.Kind() != reflect.Struct {
		return nil
	}
	add(v.FieldByName("PlanModifiers"))
	if nested := v.FieldByName("NestedObject"); nested.IsValid() {
		add(nested.FieldByName("PlanModifiers"))
	}
	return out
}

// anyModifier reports whether an attribute of attrs, or below one, has a
// plan modifier.
func anyModifier(attrs map[string]schema.Attribute) bool {
	for _, a := range attrs {
		if len(modifierTypes(a)) > 0 || anyModifier(nestedAttributes(a)) {
			return true
		}
	}
	return false
}

// anyComputed reports whether an attribute of attrs, or below one, is
// computed.
func anyComputed(attrs map[string]schema.Attribute) bool {
	for _, a := range attrs {
		if a.IsComputed() || anyComputed(nestedAttributes(a)) {
			return true
		}
	}
	return false
}

// nestedAttributes are the attributes of a nested attribute's objects.
func nestedAttributes(a schema.Attribute) map[string]schema.Attribute {
	switch a := a.(type) {
	case schema.SingleNestedAttribute:
		return a.Attributes
	case schema.ListNestedAttribute:
		return a.NestedObject.Attributes
	case schema.SetNestedAttribute:
		return a.NestedObject.Attributes
	case schema.MapNestedAttribute:
		return a.NestedObject.Attributes
	}
	return nil
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

// plan returns the framework's answer for an unchanged resource, a create
// or a destroy, or false when the request needs the framework.
func (u *shortcuts) plan(req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, bool) {
	r, ok := u.resources[req.TypeName]
	if !ok || !r.plans || u.deferred.Load() || req.PriorState == nil || req.ProposedNewState == nil || req.Config == nil {
		return nil, false
	}
	prior, err := req.PriorState.Unmarshal(r.typ)
	if err != nil {
		return nil, false
	}
	resp := &tfprotov6.PlanResourceChangeResponse{PlannedPrivate: req.PriorPrivate}
	if r.nullIdentity != nil {
		// Without a prior identity (a create, Terraform before 1.12, or a
		// state written before the resource had one) the framework plans
		// a null one.
		resp.PlannedIdentity = req.PriorIdentity
		if req.PriorIdentity == nil || req.PriorIdentity.IdentityData == nil {
			resp.PlannedIdentity = &tfprotov6.ResourceIdentityData{IdentityData: r.nullIdentity}
		}
	}
	if proposed, err := req.ProposedNewState.Unmarshal(r.typ); err != nil {
		return nil, false
	} else if proposed.IsNull() {
		if prior.IsNull() {
			return nil, false
		}
		// A destroy: the framework plans the proposed null object.
		resp.PlannedState = req.ProposedNewState
		return resp, true
	}
	if !prior.IsNull() && u.unchanged(r, prior, req.ProposedNewState, req.Config) {
		resp.PlannedState = req.PriorState
		return resp, true
	}
	planned, ok := u.changed(r, prior, req.ProposedNewState, req.Config)
	if !ok {
		return nil, false
	}
	resp.PlannedState = planned
	return resp, true
}

// changed plans a create (prior is null) or an update as the framework
// does: the proposed object with its write-only values removed and the
// defaults where the configuration is null; then, as that differs from
// prior, the computed attributes the configuration leaves null unknown;
// then, on an update, UseStateForUnknown puts the prior value back where
// the plan is unknown and the configuration is not. An update that
// changes an attribute with RequiresReplace goes to the framework, whose
// modifier decides whether it replaces.
func (u *shortcuts) changed(r shortcutResource, prior tftypes.Value, proposed, config *tfprotov6.DynamicValue) (*tfprotov6.DynamicValue, bool) {
	create := prior.IsNull()
	if create && !r.creates || !create && !r.updates {
		return nil, false
	}
	n, err := proposed.Unmarshal(r.typ)
	if err != nil || n.IsNull() || !n.IsKnown() {
		return nil, false
	}
	c, err := config.Unmarshal(r.typ)
	if err != nil || c.IsNull() || !c.IsKnown() {
		return nil, false
	}
	var attrs, cfg, old map[string]tftypes.Value
	if n.As(&attrs) != nil || c.As(&cfg) != nil || (!create && prior.As(&old) != nil) {
		return nil, false
	}
	types := r.typ.(tftypes.Object).AttributeTypes
	for _, name := range r.writeOnly {
		attrs[name] = tftypes.NewValue(types[name], nil)
	}
	for name, def := range r.defaults {
		if cfg[name].IsNull() {
			attrs[name] = def
		}
	}
	if create || !tftypes.NewValue(r.typ, attrs).Equal(prior) {
		for _, name := range r.computed {
			if cfg[name].IsNull() {
				attrs[name] = tftypes.NewValue(types[name], tftypes.UnknownValue)
			}
		}
	}
	if !create {
		for _, name := range r.replace {
			if !attrs[name].Equal(old[name]) {
				return nil, false
			}
		}
		for _, name := range r.keepState {
			if !attrs[name].IsKnown() && cfg[name].IsKnown() {
				attrs[name] = old[name]
			}
		}
	}
	planned, err := tfprotov6.NewDynamicValue(r.typ, tftypes.NewValue(r.typ, attrs))
	if err != nil {
		return nil, false
	}
	return &planned, true
}

// unchanged reports whether proposed, once its write-only values are
// removed and its defaults applied, is the same known, non-null object as
// prior.
func (u *shortcuts) unchanged(r shortcutResource, p tftypes.Value, proposed, config *tfprotov6.DynamicValue) bool {
	if !p.IsFullyKnown() {
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

// upgrade answers an upgrade of a state of the current schema version as
// the framework does: the stored JSON read with the schema's type,
// attributes the schema no longer has left out.
func (u *shortcuts) upgrade(req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, bool) {
	r, ok := u.resources[req.TypeName]
	if !ok || req.RawState == nil || req.RawState.JSON == nil || req.Version != r.version {
		return nil, false
	}
	v, err := req.RawState.UnmarshalWithOpts(r.typ, tfprotov6.UnmarshalOpts{
		ValueFromJSONOpts: tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true},
	})
	if err != nil {
		return nil, false // the framework words the error
	}
	state, err := tfprotov6.NewDynamicValue(r.typ, v)
	if err != nil {
		return nil, false
	}
	return &tfprotov6.UpgradeResourceStateResponse{UpgradedState: &state}, true
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
