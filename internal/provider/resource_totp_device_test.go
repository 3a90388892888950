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
// path prefix (relative to /api/v3). Only the fake logs requests.
func (e *testEnv) countRequests(method, prefix string, status int) int {
	n := 0
	for _, r := range e.fake.Requests() {
		if r.Method == method && r.Status == status && strings.HasPrefix(r.Path, prefix) {
			n++
		}
	}
	return n
}

// createFails is the diagnostic of a TOTP create on a real authentik.
var createFails = wrapRe(`authentik could not create the TOTP device.*authentik's admin API cannot create TOTP devices: it assigns ` +
	`the new device no user and fails internally \(POST /api/v3/authenticators/admin/totp/ answered 405 with an HTML page, not shown\)\. ` +
	`Nothing was created in authentik or saved to Terraform state\. Enroll the device through a flow instead ` +
	`\(for example default-authenticator-totp-setup.*terraform import authentik_totp_device.<name> <pk>`)

// With a schema-faithful authentik (TOTPCreateSpec) the whole lifecycle
// works: one POST, no drift, import, rename, re-create after a delete.
func TestAccTOTPDevice_createIfAuthentikCould(t *testing.T) {
	skipOnReal(t, skipFaultInjection, "the fake answers TOTP creates as the schema promises, which no authentik release does")
	t.Parallel()
	for _, version := range []fakeauthentik.Version{fakeauthentik.V2024_10, fakeauthentik.V2025_12} {
		t.Run(string(version), func(t *testing.T) {
			t.Parallel()
			env := newTestEnvVersion(t, version)
			env.fake.SetTOTPCreate(fakeauthentik.TOTPCreateSpec)
			name := env.uniqueName("totp")
			cfg := env.config(totpHCL(name))
			user := env.ownerCheck(1) // akadmin, the token's user
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
					{ // deleted in authentik: plan proposes to create it again
						PreConfig: env.before(func() {
							d, _ := env.fakeTOTPByName(name)
							env.must(env.fx.DeleteTOTPDevice(t.Context(), d.PK), "delete the device")
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
	name := env.uniqueName("totp-real")
	cfg := env.config(totpHCL(name))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		CheckDestroy:             func(*terraform.State) error { return nil },
		Steps: []resource.TestStep{
			{PreConfig: env.before(nil), Config: cfg, ExpectError: createFails},
			{ // nothing in state: the next plan proposes the create again, not an update
				Config: cfg, ExpectError: createFails,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(totpAddr, plancheck.ResourceActionCreate),
				}},
			},
		},
	})
	if devices, err := env.fx.TOTPDevicesNamed(t.Context(), name); err != nil || len(devices) != 0 {
		t.Errorf("want no TOTP device named %s in authentik, got %d (%v)", name, len(devices), err)
	}
	if !env.real() {
		if n := env.countRequests("POST", "/authenticators/", 405); n != 2 {
			t.Errorf("want one POST per apply (2), got %d", n)
		}
	}
}

// A token without admin rights is refused by the admin endpoints; each
// provider process learns that once and manages the token owner's own
// device through the user endpoints. Terraform starts a new provider process
// for every command, so the apply's first write is refused too.
func TestAccTOTPDevice_userEndpointsFallback(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	u := env.newUser("totp-owner")
	token := env.apiToken(u)
	pk := env.enrollTOTP(env.login(u), u)
	id := strconv.Itoa(pk)
	owner := env.ownerCheck(u.PK)
	requestLog := func(check func() error) resource.TestCheckFunc {
		return func(*terraform.State) error {
			if env.real() {
				return nil
			}
			return check()
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		CheckDestroy: resource.ComposeTestCheckFunc(env.expectNoTOTPDevice(pk),
			env.expectCalls(`DELETE /authenticators/admin/totp/{id}/`, `DELETE /authenticators/totp/{id}/`)),
		Steps: []resource.TestStep{
			{
				PreConfig: env.before(nil),
				Config:    env.configAs(token, totpImport(id)+totpHCL(totpEnrolledName)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(totpAddr, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(totpAddr, tfjsonpath.New("id"), knownvalue.StringExact(id)),
					statecheck.ExpectKnownValue(totpAddr, tfjsonpath.New("user"), owner),
				},
				Check: resource.ComposeTestCheckFunc(env.expectCalls(), requestLog(func() error {
					if n := env.countRequests("GET", "/authenticators/admin/totp/", 403); n != 1 {
						return fmt.Errorf("want the admin GET refused once, got %d", n)
					}
					return nil
				})),
			},
			{
				PreConfig: env.before(nil),
				Config:    env.configAs(token, totpHCL("work phone")),
				Check: resource.ComposeTestCheckFunc(
					env.expectCalls(`PATCH /authenticators/admin/totp/{id}/ {"name":"work phone"}`, // refused: 403
						`PATCH /authenticators/totp/{id}/ {"name":"work phone"}`),
					env.expectTOTPName(pk, "work phone"),
					requestLog(func() error {
						if n := env.countRequests("PATCH", "/authenticators/admin/", 403); n != 1 {
							return fmt.Errorf("want the admin PATCH refused, got %d refusals", n)
						}
						return nil
					})),
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
