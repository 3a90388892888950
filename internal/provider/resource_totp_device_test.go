package provider

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/authentik-iac/terraform-provider-authentik/internal/fakeauthentik"
)

const totpAddr = "authentik_totp_device.test"

var pkRegexp = regexp.MustCompile(`^[1-9][0-9]*$`)

func totpHCL(name string) string {
	return hcl("authentik_totp_device", "test", map[string]string{"name": q(name)})
}

func totpImport(id string) string {
	return "import {\n  to = " + totpAddr + "\n  id = " + q(id) + "\n}\n"
}

// fakeTOTPByName finds a device in the fake's store.
func (e *testEnv) fakeTOTPByName(name string) (fakeauthentik.TOTPDevice, bool) {
	for _, d := range e.fake.TOTPDevices() {
		if d.Name == name {
			return d, true
		}
	}
	return fakeauthentik.TOTPDevice{}, false
}

// countRequests counts the logged requests with this method, status and
// path prefix (relative to /api/v3).
func (e *testEnv) countRequests(method, prefix string, status int) int {
	n := 0
	for _, r := range e.fake.Requests() {
		if r.Method == method && r.Status == status && strings.HasPrefix(r.Path, prefix) {
			n++
		}
	}
	return n
}

// With a schema-faithful authentik (TOTPCreateSpec) the whole lifecycle
// works: one POST, no drift, import, rename, re-create after a delete.
func TestAccTOTPDevice_lifecycle(t *testing.T) {
	t.Parallel()
	for _, version := range []fakeauthentik.Version{fakeauthentik.V2024_10, fakeauthentik.V2025_12} {
		t.Run(string(version), func(t *testing.T) {
			t.Parallel()
			env := newTestEnvVersion(t, version)
			env.skipReal("real authentik cannot create TOTP devices")
			env.fake.SetTOTPCreate(fakeauthentik.TOTPCreateSpec)
			name := env.uniqueName("totp")
			cfg := env.config(totpHCL(name))
			var user knownvalue.Check = knownvalue.Int64Exact(1) // akadmin, the token's user
			if version == fakeauthentik.V2024_10 {
				user = knownvalue.Null() // authentik before 2025.2 does not say
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories,
				CheckDestroy: func(*terraform.State) error {
					if d, ok := env.fakeTOTPByName(name); ok {
						return fmt.Errorf("TOTP device %d still exists", d.PK)
					}
					return nil
				},
				Steps: []resource.TestStep{
					{ // create: one POST, state from its answer
						PreConfig: env.before(nil),
						Config:    cfg,
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(totpAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(pkRegexp)),
							statecheck.ExpectKnownValue(totpAddr, tfjsonpath.New("name"), knownvalue.StringExact(name)),
							statecheck.ExpectKnownValue(totpAddr, tfjsonpath.New("user"), user),
						},
						Check: env.expectCalls(fmt.Sprintf(`POST /authenticators/admin/totp/ {"name":%q}`, name)),
					},
					{ // nothing changed: an empty plan and no write
						PreConfig:        env.before(nil),
						Config:           cfg,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
						Check:            env.expectCalls(),
					},
					{ResourceName: totpAddr, ImportState: true, ImportStateVerify: true},
					{ // renamed by the user: plan shows the drift, apply sends exactly one PATCH back
						PreConfig: env.before(func() {
							d, _ := env.fakeTOTPByName(name)
							env.fake.RenameTOTPDevice(d.PK, "renamed in the UI")
						}),
						Config: cfg,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(totpAddr, plancheck.ResourceActionUpdate),
						}},
						ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(totpAddr, tfjsonpath.New("user"), user)},
						Check:             env.expectCalls(fmt.Sprintf(`PATCH /authenticators/admin/totp/{id}/ {"name":%q}`, name)),
					},
					{ // deleted in authentik: plan proposes to create it again
						PreConfig: env.before(func() {
							d, _ := env.fakeTOTPByName(name)
							env.fake.DeleteTOTPDevice(d.PK)
						}),
						Config: cfg,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(totpAddr, plancheck.ResourceActionCreate),
						}},
					},
				},
			})
		})
	}
}

// Real authentik fails every valid create with an empty HTML 405: the
// provider says why and what to do instead, and keeps nothing.
func TestAccTOTPDevice_createFailsOnRealAuthentik(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	env.skipReal("asserts on the fake's store")
	cfg := env.config(totpHCL(env.uniqueName("totp-real")))
	want := wrapRe(`authentik could not create the TOTP device.*authentik's admin API cannot create TOTP devices: it assigns ` +
		`the new device no user and fails internally \(POST /api/v3/authenticators/admin/totp/ answered 405 with an HTML page, not shown\)\. ` +
		`Nothing was created in authentik or saved to Terraform state\. Enroll the device through a flow instead ` +
		`\(for example default-authenticator-totp-setup.*terraform import authentik_totp_device.<name> <pk>`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		CheckDestroy:             func(*terraform.State) error { return nil },
		Steps: []resource.TestStep{
			{PreConfig: env.before(nil), Config: cfg, ExpectError: want},
			{ // nothing in state: the next plan proposes the create again, not an update
				Config: cfg, ExpectError: want,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(totpAddr, plancheck.ResourceActionCreate),
				}},
			},
		},
	})
	if n := len(env.fake.TOTPDevices()); n != 0 {
		t.Errorf("want no TOTP device in authentik, got %d", n)
	}
	if n := env.countRequests("POST", "/authenticators/", 405); n != 2 {
		t.Errorf("want one POST per apply (2), got %d", n)
	}
}

// A token without admin rights is refused by the admin endpoints; each
// provider process learns that once and manages the token owner's own
// device through the user endpoints. Terraform starts a new provider process
// for every command, so the apply's first write is refused too.
func TestAccTOTPDevice_userEndpointsFallback(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	env.skipReal("creates a user in the fake")
	userPK, token := env.fake.AddUser("tf-acc-totp-owner", false)
	dev := env.fake.EnrollTOTPDevice(userPK, "phone", true)
	id := strconv.Itoa(dev.PK)
	var owner knownvalue.Check = knownvalue.Int64Exact(int64(userPK))
	if env.fake.Version() == fakeauthentik.V2024_10 {
		owner = knownvalue.Null() // authentik before 2025.2 does not say
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		CheckDestroy: func(*terraform.State) error {
			if _, ok := env.fake.TOTPDevice(dev.PK); ok {
				return fmt.Errorf("TOTP device %d still exists", dev.PK)
			}
			return env.expectCalls(`DELETE /authenticators/admin/totp/{id}/`, `DELETE /authenticators/totp/{id}/`)(nil)
		},
		Steps: []resource.TestStep{
			{
				PreConfig: env.before(nil),
				Config:    env.configAs(token, totpImport(id)+totpHCL("phone")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(totpAddr, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(totpAddr, tfjsonpath.New("id"), knownvalue.StringExact(id)),
					statecheck.ExpectKnownValue(totpAddr, tfjsonpath.New("user"), owner),
				},
				Check: resource.ComposeTestCheckFunc(env.expectCalls(), func(*terraform.State) error {
					if n := env.countRequests("GET", "/authenticators/admin/totp/", 403); n != 1 {
						return fmt.Errorf("want the admin GET refused once, got %d", n)
					}
					return nil
				}),
			},
			{
				PreConfig: env.before(nil),
				Config:    env.configAs(token, totpHCL("work phone")),
				Check: resource.ComposeTestCheckFunc(
					env.expectCalls(`PATCH /authenticators/admin/totp/{id}/ {"name":"work phone"}`, // refused: 403
						`PATCH /authenticators/totp/{id}/ {"name":"work phone"}`),
					func(*terraform.State) error {
						if n := env.countRequests("PATCH", "/authenticators/admin/", 403); n != 1 {
							return fmt.Errorf("want the admin PATCH refused, got %d refusals", n)
						}
						if d, _ := env.fake.TOTPDevice(dev.PK); d.Name != "work phone" {
							return fmt.Errorf("authentik holds name %q", d.Name)
						}
						return nil
					}),
			},
		},
	})
}

// Invalid names and import ids fail at plan, before any request.
func TestAccTOTPDevice_validation(t *testing.T) {
	t.Parallel()
	cases := map[string]struct{ config, want string }{
		"65 characters": {totpHCL(strings.Repeat("x", 65)), `Attribute name UTF-8 character count must be between 1 and 64, got: 65`},
		"empty name":    {totpHCL(""), `Attribute name UTF-8 character count must be between 1 and 64, got: 0`},
		"white space":   {totpHCL(" phone"), `Value has surrounding white space`},
		"import id":     {totpImport("phone") + totpHCL("phone"), `Invalid import ID.*"phone" is not a TOTP device pk.*terraform import authentik_totp_device.phone 42`},
		"import id 0":   {totpImport("0") + totpHCL("phone"), `Invalid import ID.*"0" is not a TOTP device pk`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories,
				Steps:                    []resource.TestStep{{Config: env.config(tc.config), PlanOnly: true, ExpectError: wrapRe(tc.want)}},
			})
			env.expectNoCalls(t)
		})
	}
}
