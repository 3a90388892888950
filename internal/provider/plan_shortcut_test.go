package provider

import (
	"context"
	"encoding/json"
	"maps"
	"math/big"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

const (
	duoType  = "authentik_stage_authenticator_duo"
	totpType = "authentik_totp_device"
)

// schemaOf returns a resource's schema.
func schemaOf(t testing.TB, r resource.Resource) schema.Schema {
	t.Helper()
	var sr resource.SchemaResponse
	r.Schema(context.Background(), resource.SchemaRequest{}, &sr)
	if sr.Diagnostics.HasError() {
		t.Fatal(sr.Diagnostics)
	}
	return sr.Schema
}

// registeredResources are the type names of every resource the provider
// serves.
func registeredResources(t *testing.T) map[string]resource.Resource {
	t.Helper()
	out := map[string]resource.Resource{}
	for _, newResource := range (&authentikProvider{}).Resources(context.Background()) {
		r := newResource()
		var md resource.MetadataResponse
		r.Metadata(context.Background(), resource.MetadataRequest{ProviderTypeName: "authentik"}, &md)
		out[md.TypeName] = r
	}
	return out
}

// Every resource qualifies today, for unchanged plans, creates and
// upgrades. If this fails after a schema change, the change made a
// resource's plan depend on more than the shortcuts know (a dynamic
// default, a plan modifier): it now goes through the framework, which is
// correct but slower; check that this was meant.
func TestUnchangedPlans_resourcesQualify(t *testing.T) {
	u := newShortcuts(context.Background(), &authentikProvider{})
	for name := range registeredResources(t) {
		if r, ok := u.resources[name]; !ok || !r.plans || !r.creates || !r.updates {
			t.Errorf("%s does not qualify for the plan shortcuts (upgrades %v, plans %v, creates %v, updates %v)", name, ok, r.plans, r.creates, r.updates)
		}
	}
	if got := u.resources[duoType].writeOnly; len(got) != 2 {
		t.Errorf("Duo write-only attributes = %v, want client_secret_wo and admin_secret_key_wo", got)
	}
}

// AUTHENTIK_PLAN_SHORTCUT=off leaves every plan to the framework.
func TestUnchangedPlans_switchedOff(t *testing.T) {
	t.Setenv(envPlanShortcut, "off")
	if u := newShortcuts(context.Background(), &authentikProvider{}); len(u.resources) != 0 {
		t.Errorf("shortcut still covers %d resources", len(u.resources))
	}
}

type modifyPlanResource struct{ resource.Resource }

func (modifyPlanResource) ModifyPlan(context.Context, resource.ModifyPlanRequest, *resource.ModifyPlanResponse) {
}

// Anything that can change an unchanged value keeps the resource on the
// framework's path.
func TestUnchangedPlans_disqualified(t *testing.T) {
	plain := func(a schema.Attribute) schema.Schema {
		return schema.Schema{Attributes: map[string]schema.Attribute{"id": schema.StringAttribute{Computed: true}, "x": a}}
	}
	cases := map[string]struct {
		r resource.Resource
		s schema.Schema
	}{
		"nested default": {newStageResource(duoStage)(), plain(schema.SingleNestedAttribute{Optional: true, Attributes: map[string]schema.Attribute{
			"s": schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString("d")}}})},
		"custom modifier":   {newStageResource(duoStage)(), plain(schema.StringAttribute{Optional: true, PlanModifiers: []planmodifier.String{upperModifier{}}})},
		"ModifyPlan":        {modifyPlanResource{}, plain(schema.StringAttribute{Optional: true})},
		"unknown kind":      {newStageResource(duoStage)(), plain(schema.MapAttribute{Optional: true, ElementType: types.StringType})},
		"nested write-only": {newStageResource(duoStage)(), plain(schema.SingleNestedAttribute{Optional: true, Attributes: map[string]schema.Attribute{"s": schema.StringAttribute{Optional: true, WriteOnly: true}}})},
		"block":             {newStageResource(duoStage)(), schema.Schema{Blocks: map[string]schema.Block{"b": schema.SingleNestedBlock{}}}},
	}
	for name, c := range cases {
		if r, _ := shortcutSchema(context.Background(), c.r, c.s); r.plans || r.creates || r.updates {
			t.Errorf("%s: qualifies, want the framework's path", name)
		}
	}
	// A computed attribute inside an optional one is marked unknown on its
	// own by the framework: unchanged plans qualify, creates do not.
	nested := plain(schema.SingleNestedAttribute{Optional: true, Attributes: map[string]schema.Attribute{"c": schema.StringAttribute{Computed: true}}})
	if r, _ := shortcutSchema(context.Background(), newStageResource(duoStage)(), nested); !r.plans || r.creates {
		t.Errorf("computed below optional: plans %v, creates %v; want true, false", r.plans, r.creates)
	}
	// A plan modifier below the top level runs on updates, which the
	// update shortcut does not walk into: unchanged plans and creates
	// qualify, updates do not.
	nestedModifier := plain(schema.SingleNestedAttribute{Optional: true, Attributes: map[string]schema.Attribute{
		"s": schema.StringAttribute{Optional: true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}}}})
	if r, _ := shortcutSchema(context.Background(), newStageResource(duoStage)(), nestedModifier); !r.plans || !r.creates || r.updates {
		t.Errorf("modifier below the top level: plans %v, creates %v, updates %v; want true, true, false", r.plans, r.creates, r.updates)
	}
	for name, m := range map[string]planmodifier.String{
		"UseStateForUnknown": stringplanmodifier.UseStateForUnknown(),
		"RequiresReplace":    stringplanmodifier.RequiresReplace(), // does nothing while the value equals the state's
		"RequiresReplaceIf": stringplanmodifier.RequiresReplaceIf(func(context.Context, planmodifier.StringRequest, *stringplanmodifier.RequiresReplaceIfFuncResponse) {
		}, "", ""),
	} {
		if r, _ := shortcutSchema(context.Background(), newStageResource(duoStage)(), plain(schema.StringAttribute{Optional: true, PlanModifiers: []planmodifier.String{m}})); !r.plans || !r.creates || !r.updates {
			t.Errorf("%s alone disqualifies", name)
		}
	}
}

// upperModifier is a plan modifier the shortcut cannot know: it could
// change an unchanged value.
type upperModifier struct{}

func (upperModifier) Description(context.Context) string         { return "upper-cases the value" }
func (upperModifier) MarkdownDescription(context.Context) string { return "upper-cases the value" }
func (upperModifier) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	resp.PlanValue = types.StringValue(strings.ToUpper(req.PlanValue.ValueString()))
}

// objectOf builds a value of the resource's type: the given attributes, the
// rest null.
func objectOf(t *testing.T, typ tftypes.Type, set map[string]tftypes.Value) tftypes.Value {
	t.Helper()
	obj := typ.(tftypes.Object)
	vals := map[string]tftypes.Value{}
	for name, at := range obj.AttributeTypes {
		if v, ok := set[name]; ok {
			vals[name] = v
		} else {
			vals[name] = tftypes.NewValue(at, nil)
		}
	}
	return tftypes.NewValue(typ, vals)
}

func dynamic(t *testing.T, typ tftypes.Type, v tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	dv, err := tfprotov6.NewDynamicValue(typ, v)
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

func str(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

func sameJSON(t *testing.T, a, b []byte) bool {
	t.Helper()
	if len(a) == 0 || len(b) == 0 {
		return len(a) == len(b)
	}
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	xs, _ := json.Marshal(x)
	ys, _ := json.Marshal(y)
	return string(xs) == string(ys)
}

// Once the provider deferred its configuration (a setting known only after
// apply), the framework defers every resource, so plans go to it.
func TestUnchangedPlans_notAfterDeferral(t *testing.T) {
	ctx := context.Background()
	ours := NewProtocol6Server("test")().(*releasingServer)
	schemas, err := ours.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	typ := ours.shortcuts.resources[totpType].typ
	v := objectOf(t, typ, map[string]tftypes.Value{"id": str("7"), "name": str("phone"), "user": tftypes.NewValue(tftypes.Number, 4)})
	req := func() *tfprotov6.PlanResourceChangeRequest {
		return &tfprotov6.PlanResourceChangeRequest{TypeName: totpType, PriorState: dynamic(t, typ, v), ProposedNewState: dynamic(t, typ, v), Config: dynamic(t, typ, v),
			PriorIdentity: &tfprotov6.ResourceIdentityData{IdentityData: dynamic(t, idIdentityType, idIdentity(str("7")))}}
	}
	if _, used := ours.shortcuts.plan(req()); !used {
		t.Fatal("shortcut not taken before deferral")
	}

	providerType := schemas.Provider.ValueType()
	cfg := objectOf(t, providerType, map[string]tftypes.Value{"url": tftypes.NewValue(tftypes.String, tftypes.UnknownValue)})
	configured, err := ours.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{
		Config:             dynamic(t, providerType, cfg),
		ClientCapabilities: &tfprotov6.ConfigureProviderClientCapabilities{DeferralAllowed: true},
	})
	if err != nil || len(configured.Diagnostics) != 0 {
		t.Fatalf("configure: %v %v", err, configured.Diagnostics)
	}
	if _, used := ours.shortcuts.plan(req()); used {
		t.Fatal("shortcut taken after the provider deferred")
	}
	planned, err := ours.PlanResourceChange(ctx, req())
	if err != nil {
		t.Fatal(err)
	}
	if planned.Deferred == nil || planned.Deferred.Reason != tfprotov6.DeferredReasonProviderConfigUnknown {
		t.Fatalf("plan deferred = %+v, want the provider's deferral", planned.Deferred)
	}
}

// sampleValue is a known value of t for attribute name: what a refreshed
// state could hold.
func sampleValue(name string, t tftypes.Type) tftypes.Value {
	switch t := t.(type) {
	case tftypes.Object:
		attrs := map[string]tftypes.Value{}
		for n, at := range t.AttributeTypes {
			attrs[n] = sampleValue(n, at)
		}
		return tftypes.NewValue(t, attrs)
	case tftypes.List:
		return tftypes.NewValue(t, []tftypes.Value{sampleValue(name, t.ElementType)})
	case tftypes.Set:
		return tftypes.NewValue(t, []tftypes.Value{sampleValue(name+"-1", t.ElementType), sampleValue(name+"-2", t.ElementType)})
	}
	switch {
	case t.Is(tftypes.Number):
		return tftypes.NewValue(t, 3)
	case t.Is(tftypes.Bool):
		return tftypes.NewValue(t, true)
	case name == "timeouts":
		return tftypes.NewValue(t, "5m")
	default:
		return tftypes.NewValue(t, "v-"+name)
	}
}

// otherValue is a different known value of the same type.
func otherValue(name string, t tftypes.Type) tftypes.Value {
	if o, ok := t.(tftypes.Object); ok {
		attrs := map[string]tftypes.Value{}
		for n, at := range o.AttributeTypes {
			attrs[n] = otherValue(n, at)
		}
		return tftypes.NewValue(t, attrs)
	}
	switch {
	case t.Is(tftypes.Number):
		return tftypes.NewValue(t, 4)
	case t.Is(tftypes.Bool):
		return tftypes.NewValue(t, false)
	case t.Is(tftypes.String):
		return tftypes.NewValue(t, "other-"+name)
	}
	return sampleValue(name+"-other", t)
}

type planCase struct {
	name                      string
	prior, proposed, config   tftypes.Value
	priorIdentity             *tfprotov6.ResourceIdentityData
	wantShortcut, wantIsPrior bool
}

// planCases derives, from a resource's schema alone, the plans whose
// answers the shortcut must get right: unchanged (with and without a
// write-only value, a prior identity, defaults held or not), each
// configurable attribute changed or removed, create and destroy.
func planCases(t *testing.T, s schema.Schema, hasIdentity bool) []planCase {
	ctx := context.Background()
	typ := s.Type().TerraformType(ctx).(tftypes.Object)
	stored, config := map[string]tftypes.Value{}, map[string]tftypes.Value{}
	defaults := map[string]tftypes.Value{}
	for name, a := range s.Attributes {
		at := typ.AttributeTypes[name]
		v := sampleValue(name, at)
		if def, _ := staticDefault(a); def != nil {
			v, defaults[name] = *def, *def
		}
		switch {
		case a.IsWriteOnly():
			stored[name], config[name] = tftypes.NewValue(at, nil), tftypes.NewValue(at, nil)
		case a.IsComputed() && !a.IsOptional() && !a.IsRequired():
			stored[name], config[name] = v, tftypes.NewValue(at, nil)
		default:
			stored[name], config[name] = v, v
		}
	}
	with := func(base map[string]tftypes.Value, k string, v tftypes.Value) map[string]tftypes.Value {
		m := maps.Clone(base)
		m[k] = v
		return m
	}
	obj := func(m map[string]tftypes.Value) tftypes.Value { return tftypes.NewValue(typ, m) }
	var identity *tfprotov6.ResourceIdentityData
	if hasIdentity {
		identity = &tfprotov6.ResourceIdentityData{IdentityData: dynamic(t, idIdentityType, idIdentity(stored["id"]))}
	}
	none := tftypes.NewValue(typ, nil)
	cases := []planCase{
		{"unchanged", obj(stored), obj(stored), obj(config), identity, true, true},
		{"create", none, obj(with(stored, "id", tftypes.NewValue(tftypes.String, tftypes.UnknownValue))), obj(config), nil, true, false},
		{"destroy", obj(stored), none, none, identity, true, false},
		{"destroy, no prior identity", obj(stored), none, none, nil, true, false},
	}
	if hasIdentity {
		cases = append(cases,
			planCase{"unchanged, no prior identity", obj(stored), obj(stored), obj(config), nil, true, true},
			planCase{"create, null prior identity", none, obj(config), obj(config),
				&tfprotov6.ResourceIdentityData{IdentityData: dynamic(t, idIdentityType, tftypes.NewValue(idIdentityType, nil))}, true, false})
	}
	// Creates as Terraform proposes them: the configuration, with null
	// computed values; only the required attributes set, or every
	// attribute set, or one of them unknown until apply.
	minimal := map[string]tftypes.Value{}
	for name, a := range s.Attributes {
		if a.IsRequired() {
			minimal[name] = config[name]
		}
	}
	full := maps.Clone(config)
	for name, a := range s.Attributes {
		if a.IsWriteOnly() || a.IsOptional() {
			full[name] = sampleValue(name, typ.AttributeTypes[name])
		}
	}
	cases = append(cases,
		planCase{"create, required only", none, objectOf(t, typ, minimal), objectOf(t, typ, minimal), nil, true, false},
		planCase{"create, everything set", none, obj(full), obj(full), nil, true, false})
	for _, name := range slices.Sorted(maps.Keys(s.Attributes)) {
		if a := s.Attributes[name]; a.IsOptional() || a.IsRequired() {
			unknown := with(full, name, tftypes.NewValue(typ.AttributeTypes[name], tftypes.UnknownValue))
			cases = append(cases, planCase{"create, " + name + " known after apply", none, obj(unknown), obj(unknown), nil, true, false})
		}
	}
	for _, name := range slices.Sorted(maps.Keys(s.Attributes)) {
		a, at := s.Attributes[name], typ.AttributeTypes[name]
		null := tftypes.NewValue(at, nil)
		switch {
		case a.IsWriteOnly():
			cases = append(cases, planCase{"unchanged, " + name + " configured", obj(stored), obj(with(stored, name, sampleValue(name, at))),
				obj(with(config, name, sampleValue(name, at))), identity, true, true})
		case a.IsComputed() && !a.IsOptional():
		default:
			changed := otherValue(name, at)
			if changed.Equal(stored[name]) { // a bool whose default is otherValue's false
				changed = sampleValue(name, at)
			}
			// An update: the shortcut answers it unless the framework's
			// RequiresReplace modifier has to decide.
			cases = append(cases, planCase{name + " changed", obj(stored), obj(with(stored, name, changed)), obj(with(config, name, changed)), identity, !replaces(a), false})
			if a.IsRequired() {
				continue
			}
			if _, ok := defaults[name]; ok {
				// Removed from the configuration: Terraform proposes the
				// prior value, the framework plans the default.
				cases = append(cases,
					planCase{name + " left at its default", obj(stored), obj(stored), obj(with(config, name, null)), identity, true, true},
					planCase{name + " drifted from its default, not configured", obj(with(stored, name, changed)), obj(with(stored, name, changed)),
						obj(with(config, name, null)), identity, true, false})
				continue
			}
			if a.IsComputed() {
				// Removed from the configuration, an optional computed value
				// stays: Terraform proposes the prior one, an unchanged plan.
				cases = append(cases, planCase{name + " removed, kept as computed", obj(stored), obj(stored), obj(with(config, name, null)), identity, true, true})
				continue
			}
			cases = append(cases, planCase{name + " removed", obj(stored), obj(with(stored, name, null)), obj(with(config, name, null)), identity, !replaces(a), false})
		}
	}
	// Updates of one attribute (the pivot) while each other one is left
	// to the server (an optional computed value removed from the
	// configuration), unknown until apply, or a write-only value is sent.
	pivot := ""
	for _, name := range slices.Sorted(maps.Keys(s.Attributes)) {
		if a := s.Attributes[name]; !a.IsComputed() && !a.IsWriteOnly() && !replaces(a) && (a.IsOptional() || a.IsRequired()) {
			pivot = name
			break
		}
	}
	if pivot == "" {
		return cases
	}
	changed := otherValue(pivot, typ.AttributeTypes[pivot])
	prop, conf := with(stored, pivot, changed), with(config, pivot, changed)
	for _, name := range slices.Sorted(maps.Keys(s.Attributes)) {
		a, at := s.Attributes[name], typ.AttributeTypes[name]
		if name == pivot || (a.IsComputed() && !a.IsOptional()) {
			continue
		}
		unknown := tftypes.NewValue(at, tftypes.UnknownValue)
		cases = append(cases, planCase{pivot + " changed, " + name + " known after apply", obj(stored), obj(with(prop, name, unknown)), obj(with(conf, name, unknown)), identity, !replaces(a), false})
		switch {
		case a.IsWriteOnly():
			v := sampleValue(name, at)
			cases = append(cases, planCase{pivot + " changed, " + name + " sent", obj(stored), obj(with(prop, name, v)), obj(with(conf, name, v)), identity, true, false})
		case a.IsComputed() && !a.IsRequired():
			cases = append(cases, planCase{pivot + " changed, " + name + " not configured", obj(stored), obj(prop), obj(with(conf, name, tftypes.NewValue(at, nil))), identity, true, false})
		}
	}
	return cases
}

// replaces reports whether a has a RequiresReplace modifier, whose
// decision the update shortcut leaves to the framework. (Whether that
// leaves the right cases to it is checked against the framework's answer.)
func replaces(a schema.Attribute) bool {
	return slices.Contains(modifierTypes(a), replaceStringModifier)
}

// frameworkAndOurs are the framework's server and ours, each with its
// schemas loaded, for comparing their answers.
func frameworkAndOurs(t *testing.T) (tfprotov6.ProviderServer, *releasingServer) {
	t.Helper()
	framework := providerserver.NewProtocol6(&authentikProvider{})()
	ours := NewProtocol6Server("test")().(*releasingServer)
	for _, s := range []tfprotov6.ProviderServer{framework, ours} {
		if _, err := s.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{}); err != nil {
			t.Fatal(err)
		}
	}
	return framework, ours
}

// The shortcut's answer is the framework's answer, for every registered
// resource and every case planCases derives from its schema; and it is
// taken exactly for the unchanged ones.
func TestUnchangedPlans_sameAnswerAsFramework(t *testing.T) {
	ctx := context.Background()
	framework, ours := frameworkAndOurs(t)
	for typeName, r := range registeredResources(t) {
		_, hasIdentity := r.(resource.ResourceWithIdentity)
		s := schemaOf(t, r)
		typ := s.Type().TerraformType(ctx)
		for _, c := range planCases(t, s, hasIdentity) {
			t.Run(typeName+"/"+c.name, func(t *testing.T) {
				req := func() *tfprotov6.PlanResourceChangeRequest {
					return &tfprotov6.PlanResourceChangeRequest{
						TypeName:         typeName,
						PriorState:       dynamic(t, typ, c.prior),
						ProposedNewState: dynamic(t, typ, c.proposed),
						Config:           dynamic(t, typ, c.config),
						PriorPrivate:     []byte(`{"k":"InYi"}`),
						PriorIdentity:    c.priorIdentity,
					}
				}
				_, used := ours.shortcuts.plan(req())
				if used != c.wantShortcut {
					t.Fatalf("shortcut taken = %v, want %v", used, c.wantShortcut)
				}
				want, err := framework.PlanResourceChange(ctx, req())
				if err != nil {
					t.Fatal(err)
				}
				if used && len(want.RequiresReplace) > 0 {
					t.Fatalf("shortcut taken where the framework replaces %v", want.RequiresReplace)
				}
				got, err := ours.PlanResourceChange(ctx, req())
				if err != nil {
					t.Fatal(err)
				}
				if len(want.Diagnostics) != 0 || len(got.Diagnostics) != 0 {
					t.Fatalf("diagnostics: framework %v, ours %v", want.Diagnostics, got.Diagnostics)
				}
				wantPlan, _ := want.PlannedState.Unmarshal(typ)
				gotPlan, _ := got.PlannedState.Unmarshal(typ)
				if !gotPlan.Equal(wantPlan) {
					t.Errorf("planned state:\n ours      %s\n framework %s", gotPlan, wantPlan)
				}
				if c.wantIsPrior && !gotPlan.Equal(c.prior) {
					t.Errorf("planned state %s, want the prior state", gotPlan)
				}
				if len(got.RequiresReplace) != len(want.RequiresReplace) || got.Deferred != want.Deferred {
					t.Errorf("requires replace / deferred: ours %v %v, framework %v %v", got.RequiresReplace, got.Deferred, want.RequiresReplace, want.Deferred)
				}
				if !sameJSON(t, got.PlannedPrivate, want.PlannedPrivate) {
					t.Errorf("planned private: ours %q, framework %q", got.PlannedPrivate, want.PlannedPrivate)
				}
				if !sameIdentity(t, got.PlannedIdentity, want.PlannedIdentity) {
					t.Errorf("planned identity: ours %v, framework %v", got.PlannedIdentity, want.PlannedIdentity)
				}
			})
		}
	}
}

func sameIdentity(t *testing.T, a, b *tfprotov6.ResourceIdentityData) bool {
	t.Helper()
	value := func(d *tfprotov6.ResourceIdentityData) tftypes.Value {
		if d == nil || d.IdentityData == nil {
			return tftypes.NewValue(idIdentityType, nil)
		}
		v, err := d.IdentityData.Unmarshal(idIdentityType)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	return value(a).Equal(value(b))
}

// stateJSONOf is v as Terraform stores it in a state file's attributes.
func stateJSONOf(v tftypes.Value) any {
	if v.IsNull() {
		return nil
	}
	switch t := v.Type().(type) {
	case tftypes.Object:
		var attrs map[string]tftypes.Value
		_ = v.As(&attrs)
		out := map[string]any{}
		for n, a := range attrs {
			out[n] = stateJSONOf(a)
		}
		return out
	case tftypes.List, tftypes.Set:
		var elems []tftypes.Value
		_ = v.As(&elems)
		out := []any{}
		for _, e := range elems {
			out = append(out, stateJSONOf(e))
		}
		return out
	default:
		switch {
		case t.Is(tftypes.Number):
			var f big.Float
			_ = v.As(&f)
			n, _ := f.Float64()
			return n
		case t.Is(tftypes.Bool):
			var b bool
			_ = v.As(&b)
			return b
		}
		var s string
		_ = v.As(&s)
		return s
	}
}

// The upgrade shortcut's answer is the framework's, for every registered
// resource: a state as this provider writes it, one with an attribute the
// schema no longer has (a state from another provider, such as the
// official one), one missing an attribute, one of the wrong type, one of
// another schema version and one in the flatmap format of Terraform 0.11;
// the shortcut answers exactly those the framework reads without error.
func TestUpgradeShortcut_sameAnswerAsFramework(t *testing.T) {
	ctx := context.Background()
	framework, ours := frameworkAndOurs(t)
	for typeName, r := range registeredResources(t) {
		s := schemaOf(t, r)
		typ := s.Type().TerraformType(ctx).(tftypes.Object)
		stored := map[string]any{}
		for name, a := range s.Attributes {
			if !a.IsWriteOnly() {
				stored[name] = stateJSONOf(sampleValue(name, typ.AttributeTypes[name]))
			} else {
				stored[name] = nil
			}
		}
		with := func(k string, v any) map[string]any {
			m := maps.Clone(stored)
			m[k] = v
			return m
		}
		without := maps.Clone(stored)
		delete(without, "id")
		raw := func(v any) *tfprotov6.RawState {
			b, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			return &tfprotov6.RawState{JSON: b}
		}
		cases := []struct {
			name     string
			version  int64
			state    *tfprotov6.RawState
			shortcut bool
		}{
			{"as stored", 0, raw(stored), true},
			{"an attribute no longer in the schema", 0, raw(with("gone", "x")), true},
			{"an attribute missing", 0, raw(without), true},
			{"id of the wrong type", 0, raw(with("id", []any{1})), false},
			{"another version", 1, raw(stored), false},
			{"flatmap", 0, &tfprotov6.RawState{Flatmap: map[string]string{"id": "7"}}, false},
		}
		for _, c := range cases {
			t.Run(typeName+"/"+c.name, func(t *testing.T) {
				req := func() *tfprotov6.UpgradeResourceStateRequest {
					return &tfprotov6.UpgradeResourceStateRequest{TypeName: typeName, Version: c.version, RawState: c.state}
				}
				if _, used := ours.shortcuts.upgrade(req()); used != c.shortcut {
					t.Fatalf("shortcut taken = %v, want %v", used, c.shortcut)
				}
				want, err := framework.UpgradeResourceState(ctx, req())
				if err != nil {
					t.Fatal(err)
				}
				got, err := ours.UpgradeResourceState(ctx, req())
				if err != nil {
					t.Fatal(err)
				}
				if len(got.Diagnostics) != len(want.Diagnostics) {
					t.Fatalf("diagnostics: ours %v, framework %v", got.Diagnostics, want.Diagnostics)
				}
				if c.shortcut && len(want.Diagnostics) != 0 {
					t.Fatalf("the framework refused a state the shortcut reads: %v", want.Diagnostics)
				}
				if (got.UpgradedState == nil) != (want.UpgradedState == nil) {
					t.Fatalf("upgraded state: ours %v, framework %v", got.UpgradedState, want.UpgradedState)
				}
				if want.UpgradedState == nil {
					return
				}
				wantState, err1 := want.UpgradedState.Unmarshal(typ)
				gotState, err2 := got.UpgradedState.Unmarshal(typ)
				if err1 != nil || err2 != nil || !gotState.Equal(wantState) {
					t.Errorf("upgraded state:\n ours      %s (%v)\n framework %s (%v)", gotState, err2, wantState, err1)
				}
			})
		}
	}
}
