package provider

import (
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

const flowAddr = "data.authentik_flow.test"

func flowHCL(slug string) string {
	return "data \"authentik_flow\" \"test\" {\n  slug = " + q(slug) + "\n}\n"
}

func TestAccFlowDataSource_bySlug(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	slug := "default-authenticator-totp-setup"
	want, err := env.fx.Flow(t.Context(), slug)
	env.must(err, "read the flow")
	check := func(attr string, v knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(flowAddr, tfjsonpath.New(attr), v)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		Steps: []resource.TestStep{{
			Config: env.config(flowHCL(slug)),
			ConfigStateChecks: []statecheck.StateCheck{
				check("id", knownvalue.StringExact(want.PK)),
				check("slug", knownvalue.StringExact(slug)),
				check("name", knownvalue.StringExact(want.Name)),
				check("title", knownvalue.StringExact(want.Title)),
				check("designation", knownvalue.StringExact("stage_configuration")),
				check("policy_engine_mode", knownvalue.StringExact("any")),
				check("layout", knownvalue.StringExact("stacked")),
				check("denied_action", knownvalue.StringExact("message_continue")),
				check("compatibility_mode", knownvalue.Bool(false)),
			},
			Check: func(*terraform.State) error { return onlyFlowGETs(env, "/flows/instances/"+slug+"/") },
		}},
	})
}

// onlyFlowGETs checks that every request was a GET of path: one request
// per read, no list and no write (only the fake logs requests).
func onlyFlowGETs(env *testEnv, path string) error {
	if env.real() {
		return nil
	}
	for _, r := range env.fake.Requests() {
		if r.Method != http.MethodGet || r.Path != path {
			return &unexpectedRequest{r.Method + " " + r.Path + "?" + r.RawQuery}
		}
	}
	return nil
}

type unexpectedRequest struct{ what string }

func (e *unexpectedRequest) Error() string { return "unexpected request " + e.what }

func TestAccFlowDataSource_notFound(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		Steps: []resource.TestStep{{
			Config:      env.config(flowHCL("no-such-flow")),
			ExpectError: wrapRe(`Flow not found.*authentik has no flow with slug "no-such-flow"`),
		}},
	})
}

func TestAccFlowDataSource_invalidSlug(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct{ slug, want string }{
		"characters": {"not a slug!", `Attribute slug must be a flow slug: letters, digits, - and _ only`},
		"length":     {strings.Repeat("a", 51), `Attribute slug string length must be between 1 and 50, got: 51`},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories,
				Steps:                    []resource.TestStep{{Config: env.config(flowHCL(tc.slug)), PlanOnly: true, ExpectError: wrapRe(tc.want)}},
			})
			env.expectNoCalls(t)
		})
	}
}
