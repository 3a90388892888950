package provider

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/authentik-iac/terraform-provider-authentik/internal/fakeauthentik"
)

// requestsSinceMark returns the requests made since the last mark, without
// moving it (expectCalls moves it).
func (e *testEnv) requestsSinceMark() []fakeauthentik.Request {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.fake.Requests()[e.mark:]
}

// expectServedBy checks that every device request answered with success
// since the mark went to endpoints below prefix (e.g.
// "/authenticators/admin/totp/"), and that at least one did. Only the fake
// logs requests.
func (e *testEnv) expectServedBy(prefix string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if e.real() {
			return nil
		}
		served := 0
		for _, r := range e.requestsSinceMark() {
			if !strings.HasPrefix(r.Path, "/authenticators/") || r.Status >= 300 {
				continue
			}
			if !strings.HasPrefix(r.Path, prefix) {
				return fmt.Errorf("%s %s answered %d: want every device request served below %s", r.Method, r.Path, r.Status, prefix)
			}
			served++
		}
		if served == 0 {
			return fmt.Errorf("no device request was served below %s", prefix)
		}
		return nil
	}
}

// What the provider learned about one token never binds another: a device
// imported with an ordinary user's token is managed through the admin
// endpoints once the configuration switches to an admin token, and back
// through the user endpoints when it switches back (issue 13, bug 2). On
// 2024.10 the user endpoints refuse an admin the device of another user, so
// a remembered "user endpoints" made every refresh fail there.
func TestAccTOTPDevice_tokenSwitch(t *testing.T) {
	t.Parallel()
	for _, version := range testVersions(t, fakeauthentik.V2024_10, fakeauthentik.V2025_12) {
		for _, adminFirst := range []bool{false, true} {
			order := "user-admin-user"
			if adminFirst {
				order = "admin-user-admin"
			}
			t.Run(string(version)+"/"+order, func(t *testing.T) {
				t.Parallel()
				testTOTPTokenSwitch(t, version, adminFirst)
			})
		}
	}
}

func testTOTPTokenSwitch(t *testing.T, version fakeauthentik.Version, adminFirst bool) {
	env := newTestEnvVersion(t, version)
	u := env.newUser("totp-switch")
	userToken := env.apiToken(u)
	pk := env.enrollTOTP(env.login(u), u)
	id := strconv.Itoa(pk)
	type side struct{ token, endpoint string }
	user := side{userToken, "/authenticators/totp/"}
	admin := side{env.token, "/authenticators/admin/totp/"}
	first, second := user, admin
	if adminFirst {
		first, second = admin, user
	}
	// writes are the writes one apply sends: a fresh provider process
	// tries the admin endpoints first, and an ordinary user's token is
	// refused there (403) before the user endpoints serve it.
	writes := func(s side, method, body string) []string {
		w := []string{strings.TrimSpace(method + " " + s.endpoint + "{id}/ " + body)}
		if s == user {
			w = append([]string{strings.TrimSpace(method + " " + admin.endpoint + "{id}/ " + body)}, w...)
		}
		return w
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		CheckDestroy: resource.ComposeTestCheckFunc(env.expectNoTOTPDevice(pk),
			env.expectCalls(writes(first, "DELETE", "")...)),
		Steps: []resource.TestStep{
			{ // adopted with the first token
				PreConfig: env.before(nil),
				Config:    env.configAs(first.token, totpImport(id)+totpHCL(totpEnrolledName)),
				Check:     resource.ComposeTestCheckFunc(env.expectServedBy(first.endpoint), env.expectCalls()),
			},
			{ // the other token: refresh and plan work, nothing to do
				PreConfig:        env.before(nil),
				Config:           env.configAs(second.token, totpHCL(totpEnrolledName)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            resource.ComposeTestCheckFunc(env.expectServedBy(second.endpoint), env.expectCalls()),
			},
			{ // and a rename goes through that token's endpoints
				PreConfig: env.before(nil),
				Config:    env.configAs(second.token, totpHCL("work phone")),
				Check: resource.ComposeTestCheckFunc(env.expectServedBy(second.endpoint), env.expectTOTPName(pk, "work phone"),
					env.expectCalls(writes(second, "PATCH", `{"name":"work phone"}`)...)),
			},
			{ // back to the first token
				PreConfig: env.before(nil),
				Config:    env.configAs(first.token, totpHCL("phone")),
				Check: resource.ComposeTestCheckFunc(env.expectServedBy(first.endpoint), env.expectTOTPName(pk, "phone"),
					env.expectCalls(writes(first, "PATCH", `{"name":"phone"}`)...)),
			},
		},
	})
}
