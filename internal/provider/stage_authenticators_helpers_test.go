package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/authentik-iac/terraform-provider-authentik/internal/fakeauthentik"
)

// planErrorCase is a configuration that must fail at plan with want (a
// wrapRe pattern), before any request reaches authentik.
type planErrorCase struct {
	attrs map[string]string
	want  string
}

// testPlanErrors runs each case as a plan-only test of one resource block.
func testPlanErrors(t *testing.T, resType string, cases map[string]planErrorCase) {
	t.Helper()
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories,
				Steps: []resource.TestStep{{
					Config: env.config(hcl(resType, "x", tc.attrs)), PlanOnly: true,
					ExpectError: wrapRe(tc.want),
				}},
			})
			env.expectNoCalls(t)
		})
	}
}

// testTooOld applies a configuration against a fake of an older authentik
// and expects want: the version check refuses before any write.
func testTooOld(t *testing.T, version fakeauthentik.Version, resType string, attrs map[string]string, want string) {
	t.Helper()
	env := newTestEnvVersion(t, version)
	env.skipReal(skipVersion, "the test pins authentik's version")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		Steps: []resource.TestStep{{
			PreConfig:   env.before(nil),
			Config:      env.config(hcl(resType, "x", attrs)),
			ExpectError: wrapRe(want),
		}},
	})
	if w := env.writes(); len(w) > 0 {
		t.Errorf("want no write, got %q", w)
	}
}
