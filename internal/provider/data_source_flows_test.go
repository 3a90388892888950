package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

const flowsAddr = "data.authentik_flows.test"

func flowsHCL(designation string) string {
	return "data \"authentik_flows\" \"test\" {\n  designation = " + q(designation) + "\n}\n"
}

func TestAccFlowsDataSource_byDesignation(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	env.skipReal("compares with the fake's seeded flows")
	var want []knownvalue.Check
	for _, f := range env.fake.Flows() { // ordered by slug, like authentik's list
		if f.Designation == "stage_configuration" {
			want = append(want, knownvalue.ObjectPartial(map[string]knownvalue.Check{
				"slug": knownvalue.StringExact(f.Slug),
				"id":   knownvalue.StringExact(f.PK),
				"name": knownvalue.StringExact(f.Name),
			}))
		}
	}
	if len(want) < 2 {
		t.Fatalf("the fake seeds %d stage_configuration flows; the test needs several", len(want))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		Steps: []resource.TestStep{{
			Config: env.config(flowsHCL("stage_configuration")),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(flowsAddr, tfjsonpath.New("flows"), knownvalue.ListExact(want)),
			},
		}},
	})
}

// Without a designation every flow is listed, across pages.
func TestAccFlowsDataSource_all(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	env.skipReal("compares with the fake's seeded flows")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		Steps: []resource.TestStep{{
			Config: env.config("data \"authentik_flows\" \"test\" {}\n"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(flowsAddr, tfjsonpath.New("flows"), knownvalue.ListSizeExact(len(env.fake.Flows()))),
			},
		}},
	})
}

func TestAccFlowsDataSource_invalidDesignation(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		Steps: []resource.TestStep{{
			Config: env.config(flowsHCL("login")), PlanOnly: true,
			ExpectError: wrapRe(`Attribute designation value must be one of: \["authentication" "authorization"`),
		}},
	})
	env.expectNoCalls(t)
}
