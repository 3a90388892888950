package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

func resourceTypes(t *testing.T) map[string]bool {
	t.Helper()
	names := map[string]bool{}
	for _, newResource := range (&authentikProvider{}).Resources(context.Background()) {
		var md resource.MetadataResponse
		newResource().Metadata(context.Background(), resource.MetadataRequest{ProviderTypeName: "authentik"}, &md)
		names[md.TypeName] = true
	}
	return names
}

// The benchmark's baselines exist only when the benchmark asks for them.
func TestBenchResources_onlyWhenAsked(t *testing.T) {
	t.Setenv(envBench, "")
	if got := resourceTypes(t); got["authentik_bench_noop"] || got["authentik_bench_duo_shape"] {
		t.Fatalf("bench resources registered without %s=1: %v", envBench, got)
	}
	t.Setenv(envBench, "1")
	if got := resourceTypes(t); !got["authentik_bench_noop"] || !got["authentik_bench_duo_shape"] {
		t.Fatalf("bench resources missing with %s=1: %v", envBench, got)
	}
}

// The Duo-shaped baseline goes through the same lifecycle as a Duo stage,
// with an empty plan after apply, and never calls authentik.
func TestAccBenchDuoShape_lifecycle(t *testing.T) {
	t.Setenv(envBench, "1")
	env := newTestEnv(t)
	cfg := func(friendly string) string {
		return env.config(hcl("authentik_bench_duo_shape", "s", map[string]string{
			"name": q("shape"), "client_id": q("DI1"), "client_secret_wo": q("s"),
			"api_hostname": q("api-1.duosecurity.com"), "friendly_name": q(friendly),
		}))
	}
	tfresource.Test(t, tfresource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		Steps: []tfresource.TestStep{
			{Config: cfg("v1"), Check: tfresource.ComposeTestCheckFunc(
				tfresource.TestCheckResourceAttr("authentik_bench_duo_shape.s", "id", "shape-shape"),
				tfresource.TestCheckResourceAttr("authentik_bench_duo_shape.s", "flows.#", "0"),
				tfresource.TestCheckNoResourceAttr("authentik_bench_duo_shape.s", "client_secret_wo"),
				env.expectCalls(),
			)},
			{Config: cfg("v2"), Check: tfresource.ComposeTestCheckFunc(
				tfresource.TestCheckResourceAttr("authentik_bench_duo_shape.s", "friendly_name", "v2"),
				env.expectCalls(),
			)},
		},
	})
	env.expectNoCalls(t)
}
