package provider

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// Twenty stages in one configuration: Terraform works on ten at a time (its
// default parallelism), so the provider's client, logging and the fake run
// concurrently, under -race in `make test`. Each operation costs exactly
// one request per stage.
func TestAccDuoStage_parallel(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	const n = 20
	prefix := env.uniqueName("duo-par")
	cfg := func(friendly string) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "resource \"authentik_stage_authenticator_duo\" \"s%d\" {\n  name = %q\n  client_id = \"DI%d\"\n"+
				"  client_secret = \"secret-%d\"\n  api_hostname = \"api-%d.example.com\"\n  friendly_name = %q\n}\n",
				i, fmt.Sprintf("%s-%02d", prefix, i), i, i, i, friendly)
		}
		return env.config(b.String())
	}
	count := func(method string, want int) resource.TestCheckFunc {
		return func(*terraform.State) error {
			if env.real() {
				return nil
			}
			got := 0
			for _, w := range env.writes() {
				if strings.HasPrefix(w, method+" ") {
					got++
				} else {
					return fmt.Errorf("unexpected write %s", w)
				}
			}
			if got != want {
				return fmt.Errorf("%d %s requests, want %d", got, method, want)
			}
			return nil
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		CheckDestroy: func(*terraform.State) error {
			if env.real() {
				return nil
			}
			if left := len(env.fake.DuoStages()); left != 0 {
				return fmt.Errorf("%d stages left in authentik", left)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{PreConfig: env.before(nil), Config: cfg("Duo"), Check: count(http.MethodPost, n)},
			{PreConfig: env.before(nil), Config: cfg("Duo"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
			{PreConfig: env.before(nil), Config: cfg("Duo Push"), Check: count(http.MethodPatch, n)},
		},
	})
}
