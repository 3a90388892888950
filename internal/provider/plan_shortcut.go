package provider

import (
	"context"
	"reflect"
	"sync/atomic"

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
// no defaults, no ModifyPlan, no resource identity and no plan modifier other
// than UseStateForUnknown (which does nothing to a known value), it plans the
// proposed state with write-only values removed, and that is the prior state.
// Getting there costs it three schema lookups, a plan SetAttribute and two
// whole-value transforms per attribute: about a third of the provider's CPU
// in a 1,000-resource Duo plan (BENCHMARKS.md).
//
// Which resources qualify is decided from their schemas when the server
// starts (shortcutSchema), so adding a default or another plan modifier
// sends the resource back through the framework rather than silently
// skipping it. Anything the shortcut does not recognise goes to the
// framework too, and so does everything once the provider deferred its
// configuration.
type unchangedPlans struct {
	resources map[string]shortcutResource // by resource type name
	deferred  *atomic.Bool                // the provider's: set when its Configure deferred
}

type shortcutResource struct {
	typ       tftypes.Type // the resource's object type
	writeOnly []string     // top-level write-only attributes, never in state
}

// newUnchangedPlans inspects the provider's resources. It never fails: a
// resource it cannot vouch for is simply left to the framework.
func newUnchangedPlans(ctx context.Context, p *authentikProvider) *unchangedPlans {
	var meta provider.MetadataResponse
	p.Metadata(ctx, provider.MetadataRequest{}, &meta)
	u := &unchangedPlans{resources: map[string]shortcutResource{}, deferred: &p.deferred}
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
	if _, ok := r.(resource.ResourceWithIdentity); ok { // its plans must carry the identity too
		return shortcutResource{}, false
	}
	var writeOnly []string
	for name, a := range s.Attributes {
		if !passiveAttribute(a, true) {
			return shortcutResource{}, false
		}
		if a.IsWriteOnly() {
			writeOnly = append(writeOnly, name)
		}
	}
	return shortcutResource{typ: s.Type().TerraformType(context.Background()), writeOnly: writeOnly}, true
}

// Plan modifiers that leave a known planned value alone.
var (
	passiveStringModifier = reflect.TypeOf(stringplanmodifier.UseStateForUnknown())
	passiveInt64Modifier  = reflect.TypeOf(int64planmodifier.UseStateForUnknown())
	passiveBoolModifier   = reflect.TypeOf(boolplanmodifier.UseStateForUnknown())
	passiveListModifier   = reflect.TypeOf(listplanmodifier.UseStateForUnknown())
)

// passiveAttribute reports whether the framework's planning can change a
// known, unchanged value of a: it can when the attribute has a default or a
// plan modifier other than UseStateForUnknown. Attribute kinds not listed
// here count as active, so a new kind is never trusted by accident.
// Write-only attributes are allowed at the top level only.
func passiveAttribute(a schema.Attribute, top bool) bool {
	if a.IsWriteOnly() && !top {
		return false
	}
	switch a := a.(type) {
	case schema.StringAttribute:
		return a.Default == nil && allOfType(a.PlanModifiers, passiveStringModifier)
	case schema.Int64Attribute:
		return a.Default == nil && allOfType(a.PlanModifiers, passiveInt64Modifier)
	case schema.BoolAttribute:
		return a.Default == nil && allOfType(a.PlanModifiers, passiveBoolModifier)
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
		if !passiveAttribute(a, false) {
			return false
		}
	}
	return true
}

func allOfType[M any](modifiers []M, t reflect.Type) bool {
	for _, m := range modifiers {
		if reflect.TypeOf(m) != t {
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
	if !u.unchanged(r, req.PriorState, req.ProposedNewState) {
		return nil, false
	}
	return &tfprotov6.PlanResourceChangeResponse{
		PlannedState:   req.PriorState,
		PlannedPrivate: req.PriorPrivate,
	}, true
}

// unchanged reports whether proposed, once its write-only values are
// removed, is the same known, non-null object as prior.
func (u *unchangedPlans) unchanged(r shortcutResource, prior, proposed *tfprotov6.DynamicValue) bool {
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
	return n.Equal(p)
}
