package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/authentik-iac/terraform-provider-authentik/internal/acctest"
)

const duoAddr = "authentik_stage_authenticator_duo.test"

// writeOnly gates tests that use write-only attributes.
var writeOnly = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)}

// duoAttrs is the smallest valid stage, with a plain client_secret.
func duoAttrs(name string) map[string]string {
	return map[string]string{
		"name":          q(name),
		"client_id":     q("DIXXXXXXXXXXXXXXXXXX"),
		"client_secret": q("duo-secret"),
		"api_hostname":  q("api-1.example.com"),
	}
}

func duoHCL(attrs map[string]string) string {
	return hcl("authentik_stage_authenticator_duo", "test", attrs)
}

// with returns a copy of attrs with the given changes; an empty value
// removes the attribute.
func with(attrs map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range attrs {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			delete(out, kv[i])
		} else {
			out[kv[i]] = kv[i+1]
		}
	}
	return out
}

// flowID returns the uuid of a flow every authentik install has.
func (e *testEnv) flowID(slug string) string {
	e.t.Helper()
	f, err := e.fx.Flow(e.ctx(), slug)
	e.must(err, "look up flow "+slug)
	return f.PK
}

func (e *testEnv) duoStage(name string) (acctest.DuoStage, bool) {
	e.t.Helper()
	stages, err := e.fx.DuoStagesNamed(context.Background(), name)
	e.must(err, "list Duo stages")
	if len(stages) == 0 {
		return acctest.DuoStage{}, false
	}
	return stages[0], true
}

// editDuoStage changes one field through the API, as an admin would in
// authentik's UI.
func (e *testEnv) editDuoStage(name, field, value string) {
	e.t.Helper()
	st, ok := e.duoStage(name)
	if !ok {
		e.t.Fatalf("no Duo stage %q to edit", name)
	}
	e.must(e.fx.PatchDuoStage(e.ctx(), st.PK, map[string]any{field: value}), "edit the Duo stage")
}

// deleteDuoStage deletes a stage behind Terraform's back.
func (e *testEnv) deleteDuoStage(name string) {
	e.t.Helper()
	st, ok := e.duoStage(name)
	if !ok {
		e.t.Fatalf("no Duo stage %q to delete", name)
	}
	e.must(e.fx.DeleteDuoStage(e.ctx(), st.PK), "delete the Duo stage")
}

// emptyFriendlyName is the JSON value that clears friendly_name on this
// authentik version: null up to 2025.8, "" from 2025.10.
func (e *testEnv) emptyFriendlyName() string {
	if !e.atLeast("2025.10") {
		return "null"
	}
	return `""`
}

// expectNoDuoStage asks authentik, not the state, whether the stage is gone.
func (e *testEnv) expectNoDuoStage(name string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if st, ok := e.duoStage(name); ok {
			return fmt.Errorf("Duo stage %q (%s) still exists in authentik", name, st.PK)
		}
		return nil
	}
}

func TestAccDuoStage_lifecycle(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	name := env.uniqueName("duo")
	flow := env.flowID("default-authenticator-totp-setup")
	full := map[string]string{
		"name":                        q(name),
		"client_id":                   q("DIXXXXXXXXXXXXXXXXXX"),
		"client_secret_wo":            q("wo-secret-1"),
		"client_secret_wo_version":    "1",
		"api_hostname":                q("api-1.example.com"),
		"admin_integration_key":       q("DIADMINXXXXXXXXXXXXX"),
		"admin_secret_key_wo":         q("admin-secret-1"),
		"admin_secret_key_wo_version": "1",
		"configure_flow":              q(flow),
		"friendly_name":               q("Duo Push"),
	}
	cfg := env.config(duoHCL(full))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		TerraformVersionChecks:   writeOnly,
		CheckDestroy:             env.expectNoDuoStage(name),
		Steps: []resource.TestStep{
			{ // create: one POST with every attribute, state from its answer
				PreConfig: env.before(nil),
				Config:    cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(duoAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(uuidRegexp)),
					statecheck.ExpectKnownValue(duoAddr, tfjsonpath.New("name"), knownvalue.StringExact(name)),
					statecheck.ExpectKnownValue(duoAddr, tfjsonpath.New("configure_flow"), knownvalue.StringExact(flow)),
					statecheck.ExpectKnownValue(duoAddr, tfjsonpath.New("friendly_name"), knownvalue.StringExact("Duo Push")),
					statecheck.ExpectKnownValue(duoAddr, tfjsonpath.New("client_secret_wo"), knownvalue.Null()),
					statecheck.ExpectKnownValue(duoAddr, tfjsonpath.New("admin_secret_key_wo"), knownvalue.Null()),
					statecheck.ExpectKnownValue(duoAddr, tfjsonpath.New("client_secret"), knownvalue.Null()),
					statecheck.ExpectKnownValue(duoAddr, tfjsonpath.New("flows"), knownvalue.ListExact(nil)),
				},
				Check: env.expectCalls(fmt.Sprintf(`POST /stages/authenticator/duo/ {"name":%q,"client_id":"DIXXXXXXXXXXXXXXXXXX",`+
					`"client_secret":"wo-secret-1","api_hostname":"api-1.example.com","admin_integration_key":"DIADMINXXXXXXXXXXXXX",`+
					`"admin_secret_key":"admin-secret-1","configure_flow":%q,"friendly_name":"Duo Push"}`, name, flow)),
			},
			{ // nothing changed: an empty plan and no write
				PreConfig:        env.before(nil),
				Config:           cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            env.expectCalls(),
			},
			{ // import by uuid: everything but what lives only in the configuration
				ResourceName: duoAddr, ImportState: true, ImportStateVerify: true,
				ImportStateVerifyIgnore: []string{"client_secret_wo_version", "admin_secret_key_wo_version"},
			},
			{ // edited in the UI: plan shows the drift, apply sends exactly one PATCH back
				PreConfig: env.before(func() { env.editDuoStage(name, "api_hostname", "ui.example.com") }),
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(duoAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(duoAddr, tfjsonpath.New("api_hostname"), knownvalue.StringExact("api-1.example.com")),
				}},
				Check: env.expectCalls(`PATCH /stages/authenticator/duo/{id}/ {"api_hostname":"api-1.example.com"}`),
			},
			{ // rotate one secret: only it is sent
				PreConfig: env.before(nil),
				Config:    env.config(duoHCL(with(full, "client_secret_wo", q("wo-secret-2"), "client_secret_wo_version", "2"))),
				Check:     env.expectCalls(`PATCH /stages/authenticator/duo/{id}/ {"client_secret":"wo-secret-2"}`),
			},
			{ // remove the optional attributes: each is cleared, nothing silently kept
				PreConfig: env.before(nil),
				Config: env.config(duoHCL(with(full, "client_secret_wo", q("wo-secret-2"), "client_secret_wo_version", "2",
					"admin_integration_key", "", "admin_secret_key_wo", "", "admin_secret_key_wo_version", "",
					"configure_flow", "", "friendly_name", ""))),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(duoAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(duoAddr, tfjsonpath.New("friendly_name"), knownvalue.Null()),
					statecheck.ExpectKnownValue(duoAddr, tfjsonpath.New("configure_flow"), knownvalue.Null()),
				},
				Check: env.expectCalls(`PATCH /stages/authenticator/duo/{id}/ {"configure_flow":null,"friendly_name":` +
					env.emptyFriendlyName() + `,"admin_integration_key":"","admin_secret_key":""}`),
			},
			{ // deleted in the UI: plan proposes to create it again
				PreConfig: env.before(func() { env.deleteDuoStage(name) }),
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(duoAddr, plancheck.ResourceActionCreate),
				}},
			},
		},
	})
}
