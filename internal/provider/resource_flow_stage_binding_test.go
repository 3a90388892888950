package provider

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/authentik-iac/terraform-provider-authentik/internal/authentik"
	"github.com/authentik-iac/terraform-provider-authentik/internal/fakeauthentik"
)

const bindingAddr = "authentik_flow_stage_binding.test"

// bindingFixture is a flow and a stage made through the API, deleted when
// the test ends.
type bindingFixture struct{ flow, stage string }

func (e *testEnv) newBindingFixture() bindingFixture {
	e.t.Helper()
	flow := e.newFlow("binding")
	st, err := e.client.CreateStage(e.ctx(), staticStage.path, authentik.StageBody{"name": e.uniqueName("bound")})
	e.must(err, "create a stage")
	e.cleanup("stage "+st.Name, func(ctx context.Context) error {
		if err := e.client.DeleteStage(ctx, staticStage.path, st.PK); err != nil && !authentik.IsNotFound(err) {
			return err
		}
		return nil
	})
	return bindingFixture{flow: flow.PK, stage: st.PK}
}

// bindingHCL is a binding of the fixture's stage with attrs besides target
// and stage.
func (e *testEnv) bindingHCL(fx bindingFixture, attrs map[string]string) string {
	all := map[string]string{"target": q(fx.flow), "stage": q(fx.stage)}
	for k, v := range attrs {
		all[k] = v
	}
	return e.config(hcl("authentik_flow_stage_binding", "test", all))
}

// bindingsOf asks authentik, not the state.
func (e *testEnv) bindingsOf(flow string) []authentik.FlowStageBinding {
	e.t.Helper()
	bs, err := e.client.ListFlowStageBindings(context.Background(), authentik.FlowStageBindingFilter{Target: flow})
	e.must(err, "list the flow's bindings")
	return bs
}

func (e *testEnv) expectNoBinding(flow string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if bs := e.bindingsOf(flow); len(bs) != 0 {
			return fmt.Errorf("flow %s still has %d bindings", flow, len(bs))
		}
		return nil
	}
}

func TestAccFlowStageBinding_lifecycle(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	fx := env.newBindingFixture()
	minimal := env.bindingHCL(fx, map[string]string{"order": "10"})
	full := env.bindingHCL(fx, map[string]string{"order": "20", "evaluate_on_plan": "false", "re_evaluate_policies": "true",
		"policy_engine_mode": q("all"), "invalid_response_action": q("restart_with_context")})
	value := func(attr string, v knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(bindingAddr, tfjsonpath.New(attr), v)
	}
	action := func(a plancheck.ResourceActionType) resource.ConfigPlanChecks {
		return resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(bindingAddr, a)}}
	}
	empty := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}
	onlyBinding := func() authentik.FlowStageBinding {
		bs := env.bindingsOf(fx.flow)
		if len(bs) != 1 {
			t.Fatalf("want one binding in the flow, got %d", len(bs))
		}
		return bs[0]
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		CheckDestroy:             env.expectNoBinding(fx.flow),
		Steps: []resource.TestStep{
			{ // create: one POST with the official provider's defaults, state from its answer
				PreConfig: env.before(nil),
				Config:    minimal,
				ConfigStateChecks: []statecheck.StateCheck{
					value("id", knownvalue.StringRegexp(uuidRegexp)),
					value("target", knownvalue.StringExact(fx.flow)), value("stage", knownvalue.StringExact(fx.stage)),
					value("order", knownvalue.Int64Exact(10)), value("evaluate_on_plan", knownvalue.Bool(true)),
					value("re_evaluate_policies", knownvalue.Bool(false)), value("policy_engine_mode", knownvalue.StringExact("any")),
					value("invalid_response_action", knownvalue.StringExact("retry")),
				},
				Check: env.expectCalls(fmt.Sprintf(`POST /flows/bindings/ {"target":%q,"stage":%q,"order":10,"evaluate_on_plan":true,`+
					`"re_evaluate_policies":false,"policy_engine_mode":"any","invalid_response_action":"retry"}`, fx.flow, fx.stage)),
			},
			{PreConfig: env.before(nil), Config: minimal, ConfigPlanChecks: empty, Check: env.expectCalls()},
			{ // order and every option in one PATCH of exactly those
				PreConfig: env.before(nil), Config: full, ConfigPlanChecks: action(plancheck.ResourceActionUpdate),
				ConfigStateChecks: []statecheck.StateCheck{value("invalid_response_action", knownvalue.StringExact("restart_with_context"))},
				Check: resource.ComposeTestCheckFunc(
					env.expectCalls(`PATCH /flows/bindings/{id}/ {"order":20,"evaluate_on_plan":false,"re_evaluate_policies":true,`+
						`"policy_engine_mode":"all","invalid_response_action":"restart_with_context"}`),
					func(*terraform.State) error {
						if b := onlyBinding(); b.Order != 20 || b.EvaluateOnPlan || !b.ReEvaluatePolicies || b.PolicyEngineMode != "all" {
							return fmt.Errorf("authentik holds %+v", b)
						}
						return nil
					}),
			},
			{Config: full, ConfigPlanChecks: empty},
			{ResourceName: bindingAddr, ImportState: true, ImportStateVerify: true},
			{ // edited in authentik: the plan shows it, the apply sends one PATCH back
				PreConfig: env.outOfBand(func() {
					_, err := env.client.PatchFlowStageBinding(context.Background(), onlyBinding().PK,
						authentik.FlowStageBindingBody{"order": 99, "policy_engine_mode": "any"})
					env.must(err, "edit the binding")
				}),
				Config: full, ConfigPlanChecks: action(plancheck.ResourceActionUpdate),
				Check: env.expectCalls(`PATCH /flows/bindings/{id}/ {"order":20,"policy_engine_mode":"all"}`),
			},
			{ // deleted in authentik: the plan creates it again
				PreConfig: env.outOfBand(func() {
					env.must(env.client.DeleteFlowStageBinding(context.Background(), onlyBinding().PK), "delete the binding")
				}),
				Config: full, ConfigPlanChecks: action(plancheck.ResourceActionCreate),
			},
		},
	})
}

// The identity (Terraform 1.12+) is set on create and is enough for an
// import block without an id.
func TestAccFlowStageBinding_identity(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	fx := env.newBindingFixture()
	cfg := "terraform {\n  required_providers {\n    authentik = { source = \"authentik-iac/authentik\" }\n  }\n}\n" +
		env.bindingHCL(fx, map[string]string{"order": "5"})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		CheckDestroy:             env.expectNoBinding(fx.flow),
		Steps: []resource.TestStep{
			{Config: cfg, ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectIdentity(bindingAddr, map[string]knownvalue.Check{"id": knownvalue.StringRegexp(uuidRegexp)}),
				statecheck.ExpectIdentityValueMatchesState(bindingAddr, tfjsonpath.New("id")),
			}},
			{ResourceName: bindingAddr, Config: cfg, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity},
		},
	})
}

// Invalid values are refused at plan, before any request.
func TestAccFlowStageBinding_validation(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	fx := bindingFixture{flow: "2f1a7c3e-5b6d-4e8f-9a0b-1c2d3e4f5a6b", stage: "3f1a7c3e-5b6d-4e8f-9a0b-1c2d3e4f5a6b"}
	cases := []struct {
		attrs map[string]string
		want  string
	}{
		{map[string]string{"order": "1", "target": q("default-authentication-flow")}, `(?s)target.*must be a UUID`},
		{map[string]string{"order": "1", "stage": q("42")}, `(?s)stage.*must be a UUID`},
		{map[string]string{"order": "2147483648"}, `(?s)order.*between -2147483648 and 2147483647`},
		{map[string]string{"order": "1", "policy_engine_mode": q("some")}, `(?s)policy_engine_mode.*value must be one of`},
		{map[string]string{"order": "1", "invalid_response_action": q("ignore")}, `(?s)invalid_response_action.*value must be one of`},
		{map[string]string{}, `(?s)"order" is required`},
	}
	var steps []resource.TestStep
	for _, c := range cases {
		steps = append(steps, resource.TestStep{Config: env.bindingHCL(fx, c.attrs), PlanOnly: true, ExpectError: regexp.MustCompile(c.want)})
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: env.factories, Steps: steps})
	env.expectNoCalls(t)
}

// A lost answer to the create neither duplicates nor orphans the binding:
// the provider lists the flow's bindings of the stage at the order and
// adopts the single match.
func TestAccFlowStageBinding_lostCreateAnswerIsAdopted(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	env.skipReal(skipFaultInjection, "drops the answer to a create")
	fx := env.newBindingFixture()
	env.fake.InjectFault("POST", "/flows/bindings/", 1, fakeauthentik.Fault{DropAfterHandling: true})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		Steps: []resource.TestStep{{
			PreConfig:          env.before(nil),
			Config:             env.bindingHCL(fx, map[string]string{"order": "10"}),
			ExpectNonEmptyPlan: false,
			Check: func(*terraform.State) error {
				if bs := env.bindingsOf(fx.flow); len(bs) != 1 {
					return fmt.Errorf("want exactly one binding, got %d", len(bs))
				}
				if w := env.writesTo("/flows/bindings/"); len(w) != 1 {
					return fmt.Errorf("want the one POST whose answer was lost, got %q", w)
				}
				return nil
			},
		}},
	})
}
