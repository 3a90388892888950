//go:build bench

package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// Run with `go test -tags bench ./internal/provider -run Bench` (TF_ACC=1 for
// the lifecycle); scripts/bench.sh does before it measures anything.

func benchResourceTypes() map[string]resource.Resource {
	byName := map[string]resource.Resource{}
	for _, newResource := range (&authentikProvider{}).Resources(context.Background()) {
		r := newResource()
		var md resource.MetadataResponse
		r.Metadata(context.Background(), resource.MetadataRequest{ProviderTypeName: "authentik"}, &md)
		byName[md.TypeName] = r
	}
	return byName
}

func benchSchemaOf(t *testing.T, r resource.Resource) schema.Schema {
	t.Helper()
	var sr resource.SchemaResponse
	r.Schema(context.Background(), resource.SchemaRequest{}, &sr)
	if sr.Diagnostics.HasError() {
		t.Fatal(sr.Diagnostics)
	}
	return sr.Schema
}

// The bench build serves every baseline, with no environment switch.
func TestBenchResources_registered(t *testing.T) {
	got := benchResourceTypes()
	for _, name := range []string{"authentik_bench_noop", "authentik_bench_duo_shape",
		"authentik_bench_duo_shape_noflows", "authentik_bench_duo_shape_notimeouts", "authentik_bench_duo_shape_lean", "authentik_bench_duo_shape_official"} {
		if got[name] == nil {
			t.Errorf("%s missing from the bench build", name)
		}
	}
	for base := range stageShapes {
		if got["authentik_"+stageShapeName(base)] == nil {
			t.Errorf("authentik_%s missing from the bench build", stageShapeName(base))
		}
	}
}

// The shape is the Duo stage's schema, and each variant differs from it in
// exactly what its name says. If the Duo stage loses an attribute a variant
// removes, that variant measures nothing and must be rethought.
func TestBenchShape_variants(t *testing.T) {
	rs := benchResourceTypes()
	duo := benchSchemaOf(t, NewDuoStageResource())
	if shape := benchSchemaOf(t, rs["authentik_bench_duo_shape"]); !shape.Type().Equal(duo.Type()) {
		t.Fatalf("shape type %s, Duo stage %s", shape.Type(), duo.Type())
	}
	if duo.Attributes["flows"] == nil || duo.Attributes["timeouts"] == nil {
		t.Fatal("the Duo stage no longer has flows or timeouts: revisit the variants")
	}
	for name, want := range map[string]struct {
		flows, timeouts  bool
		removedAttribute int
	}{
		"authentik_bench_duo_shape_noflows":    {flows: false, timeouts: true, removedAttribute: 1},
		"authentik_bench_duo_shape_notimeouts": {flows: true, timeouts: false, removedAttribute: 1},
		"authentik_bench_duo_shape_lean":       {flows: false, timeouts: false, removedAttribute: 2},
		"authentik_bench_duo_shape_official":   {flows: false, timeouts: false, removedAttribute: 6},
	} {
		s := benchSchemaOf(t, rs[name])
		for n, a := range s.Attributes {
			if d := duo.Attributes[n]; d == nil || d.IsWriteOnly() != a.IsWriteOnly() || d.IsSensitive() != a.IsSensitive() || !d.GetType().Equal(a.GetType()) {
				t.Errorf("%s: attribute %s differs from the Duo stage's", name, n)
			}
		}
		if (s.Attributes["flows"] != nil) != want.flows ||
			(s.Attributes["timeouts"] != nil) != want.timeouts || len(duo.Attributes)-len(s.Attributes) != want.removedAttribute {
			t.Errorf("%s: flows %v, timeouts %v, %d attributes fewer; want %+v", name,
				s.Attributes["flows"] != nil, s.Attributes["timeouts"] != nil, len(duo.Attributes)-len(s.Attributes), want)
		}
	}
	// The variants edit a copy, never the Duo stage's own schema.
	if again := benchSchemaOf(t, NewDuoStageResource()); !again.Type().Equal(duo.Type()) || len(again.Attributes) != len(duo.Attributes) {
		t.Fatal("a variant changed the Duo stage's schema")
	}
}

// Each shape goes through a Duo stage's lifecycle, with an empty plan after
// apply, never calls authentik, and refuses an import instead of panicking
// in the Duo stage's (which needs a client).
func TestAccBenchDuoShape_lifecycle(t *testing.T) {
	for _, v := range duoShapeVariants {
		typ := "authentik_bench_duo_shape" + v.suffix
		t.Run(typ, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t)
			addr := typ + ".s"
			cfg := func(friendly string) string {
				attrs := map[string]string{
					"name": q("shape"), "client_id": q("DI1"), "client_secret_wo": q("s"), "client_secret_wo_version": "1",
					"api_hostname": q("api-1.duosecurity.com"), "friendly_name": q(friendly),
				}
				if v.unchecked { // the official provider's attributes only
					delete(attrs, "client_secret_wo")
					delete(attrs, "client_secret_wo_version")
					attrs["client_secret"] = q("s")
				}
				return env.config(hcl(typ, "s", attrs))
			}
			checks := []tfresource.TestCheckFunc{
				tfresource.TestCheckResourceAttr(addr, "id", "shape-shape"),
				tfresource.TestCheckNoResourceAttr(addr, "client_secret_wo"),
				env.expectCalls(),
			}
			if v.suffix == "" || v.suffix == "_nosens" || v.suffix == "_notimeouts" {
				checks = append(checks, tfresource.TestCheckResourceAttr(addr, "flows.#", "0"))
			}
			tfresource.Test(t, tfresource.TestCase{
				ProtoV6ProviderFactories: env.factories,
				Steps: []tfresource.TestStep{
					{Config: cfg("v1"), Check: tfresource.ComposeTestCheckFunc(checks...)},
					{Config: cfg("v1"), PlanOnly: true}, // fails on a non-empty plan
					{Config: cfg("v2"), Check: tfresource.ComposeTestCheckFunc(
						tfresource.TestCheckResourceAttr(addr, "friendly_name", "v2"),
						tfresource.TestCheckResourceAttr(addr, "id", "shape-shape"),
						env.expectCalls(),
					)},
					{ResourceName: addr, ImportState: true, ImportStateId: "name=shape",
						ExpectError: regexp.MustCompile(`does not support import`)},
				},
			})
			env.expectNoCalls(t)
		})
	}
}

// benchStageAttrs is the configuration scripts/bench.sh's stage_config gives
// each stage (v: the version the update phase moves to).
func benchStageAttrs(base, v string) map[string]string {
	attrs := map[string]string{"name": q("bench-" + base), "friendly_name": q("v" + v)}
	switch base {
	case "totp_stage":
		attrs["digits"] = q("6")
	case "static_stage":
		attrs["token_count"] = "6"
	case "webauthn_stage":
		attrs["user_verification"] = q("preferred")
	case "sms_stage":
		attrs["from_number"], attrs["account_sid"], attrs["auth"] = q("+15555550100"), q("ACBENCH"), q("bench-secret")
	case "email_stage":
		attrs["use_global_settings"] = "true"
	case "validate_stage":
		delete(attrs, "friendly_name")
		attrs["device_classes"], attrs["not_configured_action"], attrs["last_auth_threshold"] = `["totp"]`, q("skip"), q("hours="+v)
	}
	return attrs
}

// Each stage's shape has exactly its stage's schema, goes through the bench's
// lifecycle with an empty plan after apply, and never calls authentik.
func TestAccBenchStageShapes_lifecycle(t *testing.T) {
	rs := benchResourceTypes()
	for base, of := range stageShapes {
		typ := "authentik_" + stageShapeName(base)
		t.Run(typ, func(t *testing.T) {
			t.Parallel()
			if got, want := benchSchemaOf(t, rs[typ]), benchSchemaOf(t, of()); !got.Type().Equal(want.Type()) {
				t.Fatalf("shape type %s, stage %s", got.Type(), want.Type())
			}
			env := newTestEnv(t)
			addr := typ + ".s"
			changed := "friendly_name"
			if base == "validate_stage" {
				changed = "last_auth_threshold"
			}
			tfresource.Test(t, tfresource.TestCase{
				ProtoV6ProviderFactories: env.factories,
				Steps: []tfresource.TestStep{
					{Config: env.config(hcl(typ, "s", benchStageAttrs(base, "1"))), Check: tfresource.ComposeTestCheckFunc(
						tfresource.TestCheckResourceAttr(addr, "id", "shape-bench-"+base),
						env.expectCalls(),
					)},
					{Config: env.config(hcl(typ, "s", benchStageAttrs(base, "1"))), PlanOnly: true},
					{Config: env.config(hcl(typ, "s", benchStageAttrs(base, "2"))), Check: tfresource.ComposeTestCheckFunc(
						tfresource.TestCheckResourceAttrWith(addr, changed, func(v string) error {
							if !strings.HasSuffix(v, "2") {
								return fmt.Errorf("%s = %q after the update", changed, v)
							}
							return nil
						}),
						env.expectCalls(),
					)},
				},
			})
			env.expectNoCalls(t)
		})
	}
}

// AUTHENTIK_BENCH_SHAPE_WAIT is a Go duration; anything else waits not at
// all, so a typo cannot turn the shape kinds into something else.
func TestBenchShapeWait_setting(t *testing.T) {
	for _, c := range []struct {
		env  string
		want time.Duration
	}{{"20ms", 20 * time.Millisecond}, {"1s", time.Second}, {"", 0}, {"20", 0}, {"soon", 0}, {"-5ms", 0}} {
		t.Setenv(envShapeWait, c.env)
		if got := shapeWait(); got != c.want {
			t.Errorf("%s=%q: wait %v, want %v", envShapeWait, c.env, got, c.want)
		}
	}
}

// A shape with a wait answers no sooner than the wait (a timer never fires
// early), and at once when Terraform cancels the call.
func TestBenchShapeWait_roundTrip(t *testing.T) {
	r := &benchShapeResource{wait: 30 * time.Millisecond}
	start := time.Now()
	r.roundTrip(context.Background())
	if took := time.Since(start); took < r.wait {
		t.Errorf("roundTrip took %v, less than its wait %v", took, r.wait)
	}

	r.wait = time.Hour
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	done := make(chan struct{})
	go func() { r.roundTrip(ctx); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("roundTrip kept waiting after its context was canceled")
	}
}
