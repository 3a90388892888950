package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/authentik-iac/terraform-provider-authentik/internal/fakeauthentik"
)

// A stage made in authentik's UI is adopted with an import block by name;
// a configuration with a write-only secret and no version then plans no
// change, since nothing tells Terraform the secret differs.
func TestAccDuoStage_importByName(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	name := env.uniqueName("duo-import")
	friendly := "Duo"
	env.seedDuoStage(map[string]any{"name": name, "client_id": "DIXXXXXXXXXXXXXXXXXX", "client_secret": "s",
		"api_hostname": "api-1.example.com", "friendly_name": friendly})
	attrs := with(duoAttrs(name), "client_secret", "", "client_secret_wo", q("s"), "friendly_name", q(friendly))
	importBlock := "import {\n  to = " + duoAddr + "\n  id = \"name=" + name + "\"\n}\n"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		TerraformVersionChecks:   writeOnly,
		Steps: []resource.TestStep{
			{
				PreConfig: env.before(nil),
				Config:    env.config(importBlock + duoHCL(attrs)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(duoAddr, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(duoAddr, tfjsonpath.New("name"), knownvalue.StringExact(name)),
					statecheck.ExpectKnownValue(duoAddr, tfjsonpath.New("admin_integration_key"), knownvalue.Null()),
				},
				Check: env.expectCalls(), // importing writes nothing
			},
			{
				Config:           env.config(duoHCL(attrs)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// With the plain client_secret, authentik cannot say what the secret is, so
// the apply that imports the stage (here by uuid) sends it once, and only it.
func TestAccDuoStage_importPlainSecret(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	name := env.uniqueName("duo-import-plain")
	st := env.seedDuoStage(map[string]any{"name": name, "client_id": "DIXXXXXXXXXXXXXXXXXX", "client_secret": "old",
		"api_hostname": "api-1.example.com"})
	importBlock := "import {\n  to = " + duoAddr + "\n  id = \"" + st.PK + "\"\n}\n"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		Steps: []resource.TestStep{
			{
				PreConfig: env.before(nil),
				Config:    env.config(importBlock + duoHCL(duoAttrs(name))),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(duoAddr, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeTestCheckFunc(
					env.expectCalls(`PATCH /stages/authenticator/duo/{id}/ {"client_secret":"duo-secret"}`),
					func(*terraform.State) error {
						if env.real() {
							return nil // authentik never shows a secret; the PATCH above is the proof
						}
						if got, _ := env.fake.DuoStage(st.PK); got.ClientSecret != "duo-secret" {
							return fmt.Errorf("authentik holds client secret %q, want the configured one", got.ClientSecret)
						}
						return nil
					}),
			},
			{
				Config:           env.config(duoHCL(duoAttrs(name))),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// Changing the plain secret sends it alone; other attributes stay untouched.
func TestAccDuoStage_plainSecretRotation(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	name := env.uniqueName("duo-rotate")
	attrs := with(duoAttrs(name), "admin_secret_key", q("admin-1"))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		CheckDestroy:             env.expectNoDuoStage(name),
		Steps: []resource.TestStep{
			{Config: env.config(duoHCL(attrs)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(duoAddr, tfjsonpath.New("client_secret"), knownvalue.StringExact("duo-secret")),
				}},
			{
				PreConfig: env.before(nil),
				Config:    env.config(duoHCL(with(attrs, "client_secret", q("duo-secret-2"), "admin_secret_key", q("admin-2")))),
				Check:     env.expectCalls(`PATCH /stages/authenticator/duo/{id}/ {"client_secret":"duo-secret-2","admin_secret_key":"admin-2"}`),
			},
			{ // removing the admin secret clears it with "" (authentik refuses null)
				PreConfig: env.before(nil),
				Config:    env.config(duoHCL(with(attrs, "client_secret", q("duo-secret-2"), "admin_secret_key", ""))),
				Check:     env.expectCalls(`PATCH /stages/authenticator/duo/{id}/ {"admin_secret_key":""}`),
			},
		},
	})
}

// friendly_name works on both sides of authentik 2025.10: unset, set,
// changed and removed, each with the request that server accepts and no
// perpetual diff.
func TestAccDuoStage_friendlyNameAcrossVersions(t *testing.T) {
	t.Parallel()
	for _, version := range testVersions(t, fakeauthentik.Versions...) {
		t.Run(string(version), func(t *testing.T) {
			t.Parallel()
			env := newTestEnvVersion(t, version)
			name := env.uniqueName("duo-friendly")
			attrs := duoAttrs(name)
			empty := resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories,
				Steps: []resource.TestStep{
					{Config: env.config(duoHCL(attrs)), ConfigPlanChecks: empty,
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(duoAddr, tfjsonpath.New("friendly_name"), knownvalue.Null()),
						}},
					{PreConfig: env.before(nil), Config: env.config(duoHCL(with(attrs, "friendly_name", q("Duo")))), ConfigPlanChecks: empty,
						Check: env.expectCalls(`PATCH /stages/authenticator/duo/{id}/ {"friendly_name":"Duo"}`)},
					{PreConfig: env.before(nil), Config: env.config(duoHCL(with(attrs, "friendly_name", q("Duo Push")))), ConfigPlanChecks: empty,
						Check: env.expectCalls(`PATCH /stages/authenticator/duo/{id}/ {"friendly_name":"Duo Push"}`)},
					{PreConfig: env.before(nil), Config: env.config(duoHCL(attrs)), ConfigPlanChecks: empty,
						Check: env.expectCalls(`PATCH /stages/authenticator/duo/{id}/ {"friendly_name":` + env.emptyFriendlyName() + `}`)},
				},
			})
		})
	}
}
