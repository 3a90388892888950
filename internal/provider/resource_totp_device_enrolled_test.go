package provider

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/authentik-iac/terraform-provider-authentik/internal/acctest"
	"github.com/authentik-iac/terraform-provider-authentik/internal/fakeauthentik"
)

// Devices enrolled the way users enroll them, through the flow executor
// (fixtures_test.go), on the fake and on a real authentik alike.

// totpName asks authentik (the admin endpoint) for a device's name.
func (e *testEnv) totpName(pk int) (string, bool) {
	e.t.Helper()
	d, err := e.fx.TOTPDevice(context.Background(), pk)
	if acctest.IsStatus(err, http.StatusNotFound) {
		return "", false
	}
	e.must(err, "read the TOTP device")
	return d.Name, true
}

// expectTOTPName checks the name authentik holds for a device.
func (e *testEnv) expectTOTPName(pk int, want string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got, ok := e.totpName(pk); !ok || got != want {
			return fmt.Errorf("authentik holds TOTP device %d named %q (exists: %v), want %q", pk, got, ok, want)
		}
		return nil
	}
}

// expectNoTOTPDevice asks authentik, not the state, whether a device is gone.
func (e *testEnv) expectNoTOTPDevice(pk int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if name, ok := e.totpName(pk); ok {
			return fmt.Errorf("TOTP device %d (%s) still exists in authentik", pk, name)
		}
		return nil
	}
}

// ownerCheck is the state's user for a device of userPK: authentik before
// 2025.2 does not say whose a device is.
func (e *testEnv) ownerCheck(userPK int) knownvalue.Check {
	if !e.atLeast("2025.2") {
		return knownvalue.Null()
	}
	return knownvalue.Int64Exact(int64(userPK))
}

// totpEnrolledName is the name authentik's TOTP setup stage gives a device.
const totpEnrolledName = "TOTP Authenticator"

// A device the user enrolled through default-authenticator-totp-setup (on
// the fake and on a real authentik alike) is imported without a change,
// renamed through Terraform, its rename in authentik is detected and
// undone, and destroying it deletes it in authentik.
func TestAccTOTPDevice_lifecycle(t *testing.T) {
	t.Parallel()
	for _, version := range testVersions(t, fakeauthentik.V2024_10, fakeauthentik.V2025_12) {
		t.Run(string(version), func(t *testing.T) {
			t.Parallel()
			env := newTestEnvVersion(t, version)
			u := env.newUser("totp-owner")
			pk := env.enrollTOTP(env.login(u), u)
			id := strconv.Itoa(pk)
			cfg, renamed := env.config(totpHCL(totpEnrolledName)), env.config(totpHCL("work phone"))
			owner := env.ownerCheck(u.PK)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories,
				CheckDestroy: resource.ComposeTestCheckFunc(env.expectNoTOTPDevice(pk),
					env.expectCalls(`DELETE /authenticators/admin/totp/{id}/`)),
				Steps: []resource.TestStep{
					{ // adopted with an import block: nothing to change, nothing written
						PreConfig: env.before(nil),
						Config:    env.config(totpImport(id) + totpHCL(totpEnrolledName)),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(totpAddr, plancheck.ResourceActionNoop),
						}},
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(totpAddr, tfjsonpath.New("id"), knownvalue.StringExact(id)),
							statecheck.ExpectKnownValue(totpAddr, tfjsonpath.New("name"), knownvalue.StringExact(totpEnrolledName)),
							statecheck.ExpectKnownValue(totpAddr, tfjsonpath.New("user"), owner),
						},
						Check: env.expectCalls(),
					},
					{Config: cfg, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
					{ResourceName: totpAddr, ImportState: true, ImportStateVerify: true},
					{ // renamed through Terraform: one PATCH
						PreConfig: env.before(nil),
						Config:    renamed,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(totpAddr, plancheck.ResourceActionUpdate),
						}},
						Check: resource.ComposeTestCheckFunc(env.expectTOTPName(pk, "work phone"),
							env.expectCalls(`PATCH /authenticators/admin/totp/{id}/ {"name":"work phone"}`)),
					},
					{ // renamed in authentik: plan shows the drift, apply sends the name back
						PreConfig: env.before(func() {
							env.must(env.fx.RenameTOTPDevice(t.Context(), pk, "renamed in the UI"), "rename the device")
						}),
						Config: renamed,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(totpAddr, plancheck.ResourceActionUpdate),
							plancheck.ExpectKnownValue(totpAddr, tfjsonpath.New("name"), knownvalue.StringExact("work phone")),
						}},
						ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(totpAddr, tfjsonpath.New("user"), owner)},
						Check: resource.ComposeTestCheckFunc(env.expectTOTPName(pk, "work phone"),
							env.expectCalls(`PATCH /authenticators/admin/totp/{id}/ {"name":"work phone"}`)),
					},
				},
			})
		})
	}
}

// A device deleted in authentik leaves state at the next refresh; the plan
// proposes to create it again, which authentik cannot do, and says so.
func TestAccTOTPDevice_deletedInAuthentik(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	u := env.newUser("totp-owner")
	pk := env.enrollTOTP(env.login(u), u)
	cfg := env.config(totpHCL(totpEnrolledName))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		CheckDestroy:             func(*terraform.State) error { return nil },
		Steps: []resource.TestStep{
			{Config: env.config(totpImport(strconv.Itoa(pk)) + totpHCL(totpEnrolledName))},
			{
				PreConfig: func() { env.must(env.fx.DeleteTOTPDevice(t.Context(), pk), "delete the device") },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(totpAddr, plancheck.ResourceActionCreate),
				}},
				ExpectError: createFails,
			},
		},
	})
}

// A user with static tokens too: the TOTP device is found by its pk among
// devices of other types, and destroying it leaves the static tokens.
func TestAccTOTPDevice_besideStaticTokens(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	u := env.newUser("totp-static")
	s := env.login(u) // one session: after the first device, logging in asks for a code
	codes, err := s.EnrollStatic(t.Context())
	env.must(err, "enroll static tokens")
	pk := env.enrollTOTP(s, u)
	if len(codes) != 6 || len(env.devicesOf(u, acctest.StaticDeviceType)) != 1 {
		t.Fatalf("want one static device with 6 tokens, got %d tokens and devices %v", len(codes), env.devicesOf(u, acctest.StaticDeviceType))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		CheckDestroy: resource.ComposeTestCheckFunc(env.expectNoTOTPDevice(pk), func(*terraform.State) error {
			if n := len(env.devicesOf(u, acctest.StaticDeviceType)); n != 1 {
				return fmt.Errorf("the user has %d static devices after the destroy, want 1", n)
			}
			return nil
		}),
		Steps: []resource.TestStep{{
			Config: env.config(totpImport(strconv.Itoa(pk)) + totpHCL(totpEnrolledName)),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(totpAddr, plancheck.ResourceActionNoop),
			}},
		}},
	})
}
