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
	env.countingFlows()
	flows, err := env.fx.Flows(t.Context(), "stage_configuration") // ordered by slug
	env.must(err, "list the flows")
	var want []knownvalue.Check
	for _, f := range flows {
		want = append(want, knownvalue.ObjectPartial(map[string]knownvalue.Check{
			"slug": knownvalue.StringExact(f.Slug),
			"id":   knownvalue.StringExact(f.PK),
			"name": knownvalue.StringExact(f.Name),
		}))
	}
	if len(want) < 2 {
		t.Fatalf("authentik has %d stage_configuration flows; the test needs several", len(want))
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
	env.countingFlows()
	all, err := env.fx.Flows(t.Context(), "")
	env.must(err, "list the flows")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		Steps: []resource.TestStep{{
			Config: env.config("data \"authentik_flows\" \"test\" {}\n"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(flowsAddr, tfjsonpath.New("flows"), knownvalue.ListSizeExact(len(all))),
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
