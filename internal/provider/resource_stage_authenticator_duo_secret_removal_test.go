package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// Removing the last source of an optional secret clears it in authentik,
// and the plan says so (issue 13, bug 1). A write-only secret leaves
// nothing in state but its version, so the version is required with it:
// without one, removing the write-only line planned nothing and the admin
// key stayed in authentik.
func TestAccDuoStage_removingWriteOnlySecretClearsIt(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	name := env.uniqueName("duo-admin")
	base := with(duoAttrs(name), "admin_integration_key", q("DIADMIN"))
	secret := `variable "admin_secret" {
  type      = string
  ephemeral = true
  default   = "ADMIN-SECRET"
}
`
	withKey := with(base, "admin_secret_key_wo", "var.admin_secret", "admin_secret_key_wo_version", "1")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		TerraformVersionChecks:   writeOnly,
		CheckDestroy:             env.expectNoDuoStage(name),
		Steps: []resource.TestStep{
			{ // the write-only key without its version is refused at plan, naming the fix
				Config:      env.config(secret + duoHCL(with(base, "admin_secret_key_wo", "var.admin_secret"))),
				ExpectError: regexp.MustCompile(`(?s)admin_secret_key_wo_version.*must be specified`),
			},
			{ // with a version: the key is sent in the POST
				PreConfig: env.before(nil),
				Config:    env.config(secret + duoHCL(withKey)),
				Check: resource.ComposeTestCheckFunc(env.expectStoredAdminKey(name, "ADMIN-SECRET"),
					env.expectCalls(fmt.Sprintf(`POST /stages/authenticator/duo/ {"name":%q,"client_id":"DIXXXXXXXXXXXXXXXXXX",`+
						`"client_secret":"duo-secret","api_hostname":"api-1.example.com","admin_integration_key":"DIADMIN",`+
						`"admin_secret_key":"ADMIN-SECRET"}`, name))),
			},
			{ // the version alone removed, the key kept: refused too
				Config:      env.config(secret + duoHCL(with(withKey, "admin_secret_key_wo_version", ""))),
				ExpectError: regexp.MustCompile(`(?s)admin_secret_key_wo_version.*must be specified`),
			},
			{ // both removed: the plan shows an update, and the apply clears the key
				PreConfig: env.before(nil),
				Config:    env.config(duoHCL(base)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(duoAddr, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeTestCheckFunc(env.expectStoredAdminKey(name, ""),
					env.expectCalls(`PATCH /stages/authenticator/duo/{id}/ {"admin_secret_key":""}`)),
			},
			{ // and nothing is left to do
				Config:           env.config(duoHCL(base)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// expectStoredAdminKey checks the secret the fake holds. authentik never
// returns it, so against a real server the plan checks above are the proof.
func (e *testEnv) expectStoredAdminKey(name, want string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if e.real() {
			return nil
		}
		st, ok := e.fake.DuoStageByName(name)
		if !ok {
			return fmt.Errorf("no Duo stage %q", name)
		}
		if st.AdminSecretKey != want {
			return fmt.Errorf("authentik holds admin_secret_key %q, want %q", st.AdminSecretKey, want)
		}
		return nil
	}
}
