package provider

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/authentik-iac/terraform-provider-authentik/internal/fakeauthentik"
)

// expectStages checks how many Duo stages authentik holds, and that the
// one in state is one of them.
func (e *testEnv) expectStages(n int) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		stages := e.fake.DuoStages()
		if len(stages) != n {
			return fmt.Errorf("authentik holds %d Duo stages, want %d", len(stages), n)
		}
		rs, ok := s.RootModule().Resources[duoAddr]
		if n > 0 && (!ok || rs.Primary.ID != stages[0].PK) {
			return fmt.Errorf("state does not hold authentik's stage %s", stages[0].PK)
		}
		return nil
	}
}

// A create whose answer is lost never leaves a stage behind that state
// lacks, and never makes two.
func TestAccDuoStage_lostCreateAnswer(t *testing.T) {
	skipOnReal(t, skipFaultInjection, "answers are lost or fail")
	t.Parallel()
	cases := map[string]struct {
		faults    int
		fault     fakeauthentik.Fault
		then      *fakeauthentik.Fault // injected after fault
		wantPosts int
		wantErr   string
		wantCount int
	}{
		"dropped after authentik created it: adopted": {1, fakeauthentik.Fault{DropAfterHandling: true}, nil, 1, "", 1},
		"dropped before: sent again":                  {1, fakeauthentik.Fault{Drop: true}, nil, 2, "", 1},
		"gateway 504: looked up, sent again":          {1, fakeauthentik.Fault{Status: 504, ContentType: "text/html"}, nil, 2, "", 1},
		"resend's answer lost too: adopted": {1, fakeauthentik.Fault{Drop: true},
			&fakeauthentik.Fault{DropAfterHandling: true}, 2, "", 1},
		"dropped three times: clear error, nothing left": {3, fakeauthentik.Fault{Drop: true}, nil, 3,
			`authentik's answer was lost.*Whether authentik acted on the last attempt is unknown`, 0},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t)
			env.fake.InjectFault(http.MethodPost, "/stages/authenticator/duo/", tc.faults, tc.fault)
			if tc.then != nil {
				env.fake.InjectFault(http.MethodPost, "/stages/authenticator/duo/", 1, *tc.then)
			}
			stageName := env.uniqueName("duo-lost")
			step := resource.TestStep{Config: env.config(duoHCL(duoAttrs(stageName)))}
			posts := func() int {
				n := 0
				for _, r := range env.fake.Requests() {
					if r.Method == http.MethodPost {
						n++
					}
				}
				return n
			}
			if tc.wantErr != "" {
				step.ExpectError = wrapRe(tc.wantErr)
			} else {
				step.Check = resource.ComposeTestCheckFunc(env.expectStages(tc.wantCount), func(*terraform.State) error {
					if got := posts(); got != tc.wantPosts {
						return fmt.Errorf("%d POSTs, want %d", got, tc.wantPosts)
					}
					return nil
				})
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories,
				CheckDestroy:             env.expectNoDuoStage(stageName),
				Steps: []resource.TestStep{step, {
					Config:           step.Config,
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
					SkipFunc:         func() (bool, error) { return tc.wantErr != "", nil },
				}},
			})
			if tc.wantErr != "" && len(env.fake.DuoStages()) != tc.wantCount {
				t.Errorf("authentik holds %d stages after the failure, want %d", len(env.fake.DuoStages()), tc.wantCount)
			}
		})
	}
}

// A short burst of 503s during refresh is ridden out; a server slower than
// the resource's timeout fails that operation with a clear message.
func TestAccDuoStage_transientAndSlow(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	env.skipReal(skipLatency, "a PATCH takes a minute, after a burst of 503s")
	name := env.uniqueName("duo-slow")
	attrs := duoAttrs(name)
	withTimeouts := func(a map[string]string) string {
		return env.config(duoHCL(with(a, "timeouts", `{ update = "1s" }`)))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		Steps: []resource.TestStep{
			{Config: withTimeouts(attrs)},
			{
				PreConfig: func() {
					env.fake.InjectFault(http.MethodGet, "/stages/authenticator/duo/", 2, fakeauthentik.Fault{Status: 503, ContentType: "text/html"})
				},
				Config:           withTimeouts(attrs),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				PreConfig: func() {
					env.fake.InjectFault(http.MethodPatch, "/stages/authenticator/duo/", 1, fakeauthentik.Fault{Delay: time.Minute, Handle: true})
				},
				Config:      withTimeouts(with(attrs, "friendly_name", q("slow"))),
				ExpectError: wrapRe(`Timed out talking to authentik.*could not update the Duo stage in time.*context deadline exceeded`),
			},
		},
	})
}
