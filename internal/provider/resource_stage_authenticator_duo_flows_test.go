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
	env.skipReal("binds the stage in the fake's store")
	name := env.uniqueName("duo-flows")
	attrs := duoAttrs(name)
	flow, _ := env.fake.FlowBySlug("default-authenticator-totp-setup")
	wantFlows := knownvalue.ListExact([]knownvalue.Check{knownvalue.ObjectExact(map[string]knownvalue.Check{
		"id": knownvalue.StringExact(flow.PK), "slug": knownvalue.StringExact(flow.Slug),
		"name": knownvalue.StringExact(flow.Name), "designation": knownvalue.StringExact("stage_configuration"),
	})})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		Steps: []resource.TestStep{
			{Config: env.config(duoHCL(attrs))},
			{
				PreConfig: func() {
					st, _ := env.fake.DuoStageByName(name)
					env.fake.BindStageToFlow(flow.PK, st.PK)
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
