package provider

import (
	"context"
	"encoding/json"
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

// The Duo stage qualifies today. If this fails after a schema change, the
// change made a resource's unchanged plan differ from its prior state (a
// default, a plan modifier): it now goes through the framework, which is
// correct but slower; check that this was meant. The device resources carry
// a resource identity, which the shortcut does not produce.
func TestUnchangedPlans_resourcesQualify(t *testing.T) {
	u := newUnchangedPlans(context.Background(), &authentikProvider{})
	if _, ok := u.resources[duoType]; !ok {
		t.Errorf("%s does not qualify for the unchanged-plan shortcut", duoType)
	}
	if _, ok := u.resources[totpType]; ok {
		t.Errorf("%s has an identity but qualifies for the unchanged-plan shortcut", totpType)
	}
	if got := u.resources[duoType].writeOnly; len(got) != 2 {
		t.Errorf("Duo write-only attributes = %v, want client_secret_wo and admin_secret_key_wo", got)
	}
}

type modifyPlanResource struct{ resource.Resource }

func (modifyPlanResource) ModifyPlan(context.Context, resource.ModifyPlanRequest, *resource.ModifyPlanResponse) {
}

type identityResource struct{ resource.Resource }

func (identityResource) IdentitySchema(context.Context, resource.IdentitySchemaRequest, *resource.IdentitySchemaResponse) {
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
		"default":           {&duoStageResource{}, plain(schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString("d")})},
		"requires replace":  {&duoStageResource{}, plain(schema.StringAttribute{Optional: true, PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()}})},
		"ModifyPlan":        {modifyPlanResource{}, plain(schema.StringAttribute{Optional: true})},
		"identity":          {identityResource{}, plain(schema.StringAttribute{Optional: true})},
		"unknown kind":      {&duoStageResource{}, plain(schema.MapAttribute{Optional: true, ElementType: types.StringType})},
		"nested write-only": {&duoStageResource{}, plain(schema.SingleNestedAttribute{Optional: true, Attributes: map[string]schema.Attribute{"s": schema.StringAttribute{Optional: true, WriteOnly: true}}})},
		"block":             {&duoStageResource{}, schema.Schema{Blocks: map[string]schema.Block{"b": schema.SingleNestedBlock{}}}},
	}
	for name, c := range cases {
		if _, ok := shortcutSchema(c.r, c.s); ok {
			t.Errorf("%s: qualifies, want the framework's path", name)
		}
	}
	if _, ok := shortcutSchema(&duoStageResource{}, plain(schema.StringAttribute{Optional: true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}})); !ok {
		t.Error("UseStateForUnknown alone disqualifies")
	}
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

// The shortcut's answer is the framework's answer, case by case; and it is
// taken exactly for the unchanged ones.
func TestUnchangedPlans_sameAnswerAsFramework(t *testing.T) {
	ctx := context.Background()
	framework := providerserver.NewProtocol6(&authentikProvider{})()
	ours := NewProtocol6Server("test")().(*releasingServer)
	for _, s := range []tfprotov6.ProviderServer{framework, ours} {
		if _, err := s.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{}); err != nil {
			t.Fatal(err)
		}
	}
	duo := ours.unchanged.resources[duoType].typ
	flowType := duo.(tftypes.Object).AttributeTypes["flows"]
	flows := tftypes.NewValue(flowType, []tftypes.Value{
		tftypes.NewValue(flowType.(tftypes.List).ElementType, map[string]tftypes.Value{
			"id": str("f1"), "slug": str("duo-setup"), "name": str("Duo setup"), "designation": str("stage_configuration"),
		}),
	})
	stored := map[string]tftypes.Value{
		"id": str("2b5b1d0c-8a3e-4f0e-9d55-6d1f8f0a1b2c"), "name": str("duo"), "client_id": str("DI1"),
		"client_secret": str("s"), "api_hostname": str("api-1.duosecurity.com"), "friendly_name": str("Duo"), "flows": flows,
	}
	with := func(base map[string]tftypes.Value, k string, v tftypes.Value) map[string]tftypes.Value {
		m := map[string]tftypes.Value{}
		for a, b := range base {
			m[a] = b
		}
		m[k] = v
		return m
	}
	woStored := with(stored, "client_secret", tftypes.NewValue(tftypes.String, nil))
	private := []byte(`{"authentik_endpoints":"InVzZXIi"}`)

	cases := []struct {
		name            string
		typeName        string
		typ             tftypes.Type
		prior, proposed tftypes.Value
		priorPrivate    []byte
		wantShortcut    bool
		wantPlanIsPrior bool
	}{
		{"unchanged", duoType, duo, objectOf(t, duo, stored), objectOf(t, duo, stored), nil, true, true},
		{"unchanged, write-only secret in the proposal", duoType, duo,
			objectOf(t, duo, woStored), objectOf(t, duo, with(woStored, "client_secret_wo", str("wo"))), nil, true, true},
		{"friendly_name changed", duoType, duo, objectOf(t, duo, stored), objectOf(t, duo, with(stored, "friendly_name", str("New"))), nil, false, false},
		{"optional removed", duoType, duo, objectOf(t, duo, stored), objectOf(t, duo, with(stored, "friendly_name", tftypes.NewValue(tftypes.String, nil))), nil, false, false},
		{"unknown in the proposal", duoType, duo, objectOf(t, duo, stored),
			objectOf(t, duo, with(stored, "name", tftypes.NewValue(tftypes.String, tftypes.UnknownValue))), nil, false, false},
		{"create", duoType, duo, tftypes.NewValue(duo, nil), objectOf(t, duo, with(stored, "id", tftypes.NewValue(tftypes.String, tftypes.UnknownValue))), nil, false, false},
		{"destroy", duoType, duo, objectOf(t, duo, stored), tftypes.NewValue(duo, nil), nil, false, false},
		{"unchanged, private state kept", duoType, duo, objectOf(t, duo, stored), objectOf(t, duo, stored), private, true, true},
		{"renamed, private state kept", duoType, duo, objectOf(t, duo, stored), objectOf(t, duo, with(stored, "name", str("duo-2"))), private, false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := func() *tfprotov6.PlanResourceChangeRequest {
				cfg := c.proposed
				return &tfprotov6.PlanResourceChangeRequest{
					TypeName:         c.typeName,
					PriorState:       dynamic(t, c.typ, c.prior),
					ProposedNewState: dynamic(t, c.typ, c.proposed),
					Config:           dynamic(t, c.typ, cfg),
					PriorPrivate:     c.priorPrivate,
				}
			}
			_, used := ours.unchanged.plan(req())
			if used != c.wantShortcut {
				t.Fatalf("shortcut taken = %v, want %v", used, c.wantShortcut)
			}
			want, err := framework.PlanResourceChange(ctx, req())
			if err != nil {
				t.Fatal(err)
			}
			got, err := ours.PlanResourceChange(ctx, req())
			if err != nil {
				t.Fatal(err)
			}
			if len(want.Diagnostics) != 0 || len(got.Diagnostics) != 0 {
				t.Fatalf("diagnostics: framework %v, ours %v", want.Diagnostics, got.Diagnostics)
			}
			wantPlan, _ := want.PlannedState.Unmarshal(c.typ)
			gotPlan, _ := got.PlannedState.Unmarshal(c.typ)
			if !gotPlan.Equal(wantPlan) {
				t.Errorf("planned state:\n ours      %s\n framework %s", gotPlan, wantPlan)
			}
			if c.wantPlanIsPrior && !gotPlan.Equal(c.prior) {
				t.Errorf("planned state %s, want the prior state", gotPlan)
			}
			if len(got.RequiresReplace) != len(want.RequiresReplace) || got.Deferred != want.Deferred {
				t.Errorf("requires replace / deferred: ours %v %v, framework %v %v", got.RequiresReplace, got.Deferred, want.RequiresReplace, want.Deferred)
			}
			if !sameJSON(t, got.PlannedPrivate, want.PlannedPrivate) {
				t.Errorf("planned private: ours %q, framework %q", got.PlannedPrivate, want.PlannedPrivate)
			}
		})
	}
}

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
	typ := ours.unchanged.resources[duoType].typ
	v := objectOf(t, typ, map[string]tftypes.Value{"id": str("2b5b1d0c-8a3e-4f0e-9d55-6d1f8f0a1b2c"), "name": str("duo"),
		"client_id": str("DI1"), "client_secret": str("s"), "api_hostname": str("api-1.duosecurity.com")})
	req := func() *tfprotov6.PlanResourceChangeRequest {
		return &tfprotov6.PlanResourceChangeRequest{TypeName: duoType, PriorState: dynamic(t, typ, v), ProposedNewState: dynamic(t, typ, v), Config: dynamic(t, typ, v)}
	}
	if _, used := ours.unchanged.plan(req()); !used {
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
	if _, used := ours.unchanged.plan(req()); used {
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
