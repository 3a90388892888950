package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// A flow binding made in authentik shows in `flows` at the next refresh,
// without a diff, and an update plans `flows` as known, not "(known after
// apply)".
func TestAccDuoStage_flows(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	name := env.uniqueName("duo-flows")
	attrs := duoAttrs(name)
	flow := env.newFlow("duo-flows") // binding a default flow would change it for every other test
	wantFlows := knownvalue.ListExact([]knownvalue.Check{knownvalue.ObjectExact(map[string]knownvalue.Check{
		"id": knownvalue.StringExact(flow.PK), "slug": knownvalue.StringExact(flow.Slug),
		"name": knownvalue.StringExact(flow.Name), "designation": knownvalue.StringExact("stage_configuration"),
	})})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		Steps: []resource.TestStep{
			{Config: env.config(duoHCL(attrs))},
			{
				PreConfig: func() { // bound in authentik's UI
					st, _ := env.duoStage(name)
					_, err := env.fx.BindStage(t.Context(), flow.PK, st.PK, 10)
					env.must(err, "bind the stage to the flow")
				},
				Config:            env.config(duoHCL(attrs)),
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(duoAddr, tfjsonpath.New("flows"), wantFlows)},
			},
			{
				Config: env.config(duoHCL(with(attrs, "friendly_name", q("Duo")))),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(duoAddr, tfjsonpath.New("flows"), wantFlows),
				}},
			},
		},
	})
}
