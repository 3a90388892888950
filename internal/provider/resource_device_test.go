package provider

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/authentik-iac/terraform-provider-authentik/internal/acctest"
	"github.com/authentik-iac/terraform-provider-authentik/internal/fakeauthentik"
)

// deviceCase is one device kind in the table-driven suites: a device as
// its enrollment leaves it, and the facts the resource reads. TOTP and
// static devices are enrolled through the flow executor, on the fake and on
// a real authentik alike; the others are seeded in the fake's store
// (WebAuthn, SMS, email and Duo need hardware, a phone, a mailbox or Duo).
type deviceCase struct {
	kind     fakeauthentik.DeviceKind
	title    string // as in the resource's messages
	enrolled bool   // enrolled through the flow executor; seed.Name is the name it gets
	seed     fakeauthentik.Device
	facts    map[string]knownvalue.Check
}

var webauthnCreated = time.Date(2025, 3, 14, 9, 26, 53, 589793000, time.UTC)

// deviceCases are shaped after the real schemas (authentik-openapi) and,
// for TOTP, the real transcripts.
func deviceCases() []deviceCase {
	return []deviceCase{
		{kind: fakeauthentik.DeviceTOTP, title: "TOTP device", enrolled: true, seed: fakeauthentik.Device{Name: totpEnrolledName}},
		{kind: fakeauthentik.DeviceStatic, title: "static device", enrolled: true, seed: fakeauthentik.Device{Name: staticEnrolledName}},
		{kind: fakeauthentik.DeviceWebAuthn, title: "WebAuthn device",
			seed: fakeauthentik.Device{Name: "YubiKey", AAGUID: "cb69481e-8ff7-4039-93ec-0a2729a154a8",
				DeviceType: "YubiKey 5 Series with NFC", Created: webauthnCreated},
			facts: map[string]knownvalue.Check{
				"aaguid":      knownvalue.StringExact("cb69481e-8ff7-4039-93ec-0a2729a154a8"),
				"device_type": knownvalue.StringExact("YubiKey 5 Series with NFC"),
				"created_on":  knownvalue.StringExact("2025-03-14T09:26:53.589793Z"),
			}},
		{kind: fakeauthentik.DeviceDuo, title: "Duo device",
			seed:  fakeauthentik.Device{Name: "Imported Duo Authenticator", Stage: "a2e47e4a-c9b7-43ac-9f96-4a7d5465e352", DuoUserID: "DUXXXXXXXXXXXXXXXXXX"},
			facts: map[string]knownvalue.Check{"stage": knownvalue.Null(), "duo_user_id": knownvalue.Null(), "username": knownvalue.Null()}},
		{kind: fakeauthentik.DeviceSMS, title: "SMS device", seed: fakeauthentik.Device{Name: "phone", PhoneNumber: "+4917612345678"},
			facts: map[string]knownvalue.Check{"phone_number_last_digits": knownvalue.StringExact("5678")}},
		{kind: fakeauthentik.DeviceEmail, title: "email device", seed: fakeauthentik.Device{Name: "work mail", Email: "alice@example.com"},
			facts: map[string]knownvalue.Check{"email": knownvalue.StringExact("alice@example.com")}},
	}
}

func (c deviceCase) typ() string  { return "authentik_" + string(c.kind) + "_device" }
func (c deviceCase) addr() string { return c.typ() + ".test" }
func (c deviceCase) admin() string {
	return "/authenticators/admin/" + string(c.kind) + "/"
}
func (c deviceCase) user() string { return "/authenticators/" + string(c.kind) + "/" }

func (c deviceCase) hcl(name string) string {
	return hcl(c.typ(), "test", map[string]string{"name": q(name)})
}

func importBlock(addr, id string) string {
	return "import {\n  to = " + addr + "\n  id = " + q(id) + "\n}\n"
}

// enrolledDevice is a device of a new ordinary user, and that user's token.
type enrolledDevice struct {
	PK, UserPK int
	token      string
}

// enroll makes the case's device for a new ordinary user: through the flow
// executor for TOTP and static devices, in the fake's store for the rest.
func (c deviceCase) enroll(env *testEnv) enrolledDevice {
	env.t.Helper()
	if !c.enrolled {
		userPK, token := env.fake.AddUser("tf-acc-"+string(c.kind)+"-owner", false)
		d := c.seed
		d.Kind, d.UserPK, d.Confirmed = c.kind, userPK, true
		return enrolledDevice{PK: env.fake.EnrollDevice(d).PK, UserPK: userPK, token: token}
	}
	u := env.newUser(string(c.kind) + "-owner")
	token := env.apiToken(u)
	pk := 0
	if c.kind == fakeauthentik.DeviceTOTP {
		pk = env.enrollTOTP(env.login(u), u)
	} else {
		pk = env.enrollStatic(env.login(u), u)
	}
	return enrolledDevice{PK: pk, UserPK: u.PK, token: token}
}

// deviceName asks authentik (the kind's admin endpoint) for a device's name.
func (e *testEnv) deviceName(kind fakeauthentik.DeviceKind, pk int) (string, bool) {
	e.t.Helper()
	d, err := e.fx.DeviceOfKind(context.Background(), string(kind), pk)
	if acctest.IsStatus(err, http.StatusNotFound) {
		return "", false
	}
	e.must(err, "read the "+string(kind)+" device")
	return d.Name, true
}

// expectNoDevice asks authentik, not the state, whether a device is gone.
func (e *testEnv) expectNoDevice(kind fakeauthentik.DeviceKind, pk int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if name, ok := e.deviceName(kind, pk); ok {
			return fmt.Errorf("%s device %d (%s) still exists in authentik", kind, pk, name)
		}
		return nil
	}
}

// runDeviceCases runs test for every kind the fake's version has; email
// devices on 2024.10 have their own test.
func runDeviceCases(t *testing.T, test func(t *testing.T, env *testEnv, c deviceCase)) {
	t.Parallel()
	for _, c := range deviceCases() {
		t.Run(string(c.kind), func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t)
			if !c.enrolled {
				env.skipReal(skipRequestLog, "seeds "+c.title+"s in the fake's store")
			}
			if c.kind == fakeauthentik.DeviceEmail && !env.atLeast("2025.2") {
				t.Skip("authentik 2024.10 has no email devices (TestAccEmailDevice_before2025)")
			}
			test(t, env, c)
		})
	}
}

// Adopt by import, an empty second plan, import verified, a rename in one
// PATCH, drift repaired in one PATCH, and the delete: for every kind.
func TestAccDevice_lifecycle(t *testing.T) {
	runDeviceCases(t, func(t *testing.T, env *testEnv, c deviceCase) {
		dev := c.enroll(env)
		id := strconv.Itoa(dev.PK)
		checks := []statecheck.StateCheck{
			statecheck.ExpectKnownValue(c.addr(), tfjsonpath.New("id"), knownvalue.StringExact(id)),
			statecheck.ExpectKnownValue(c.addr(), tfjsonpath.New("name"), knownvalue.StringExact(c.seed.Name)),
			statecheck.ExpectKnownValue(c.addr(), tfjsonpath.New("user"), env.ownerCheck(dev.UserPK)),
		}
		for name, want := range c.facts {
			checks = append(checks, statecheck.ExpectKnownValue(c.addr(), tfjsonpath.New(name), want))
		}
		patch := func(name string) string { return fmt.Sprintf(`PATCH %s{id}/ {"name":%q}`, c.admin(), name) }
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: env.factories,
			CheckDestroy: resource.ComposeTestCheckFunc(env.expectNoDevice(c.kind, dev.PK),
				env.expectCalls("DELETE "+c.admin()+"{id}/")),
			Steps: []resource.TestStep{
				{ // adopted: no write, state from one read
					PreConfig: env.before(nil),
					Config:    env.config(importBlock(c.addr(), id) + c.hcl(c.seed.Name)),
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(c.addr(), plancheck.ResourceActionNoop)}},
					ConfigStateChecks: checks,
					Check:             env.expectCalls(),
				},
				{ // nothing changed
					PreConfig:        env.before(nil),
					Config:           env.config(c.hcl(c.seed.Name)),
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
					Check:            env.expectCalls(),
				},
				{ResourceName: c.addr(), ImportState: true, ImportStateVerify: true, ImportStateId: id},
				{ // renamed in the configuration: one PATCH
					PreConfig: env.before(nil),
					Config:    env.config(c.hcl("renamed by Terraform")),
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(c.addr(), plancheck.ResourceActionUpdate)}},
					ConfigStateChecks: checks[2:],
					Check:             env.expectCalls(patch("renamed by Terraform")),
				},
				{ // renamed by the user: plan shows the drift, apply sends one PATCH back
					PreConfig: env.before(func() {
						env.must(env.fx.RenameDeviceOfKind(t.Context(), string(c.kind), dev.PK, "renamed in the UI"), "rename the device")
					}),
					Config: env.config(c.hcl("renamed by Terraform")),
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(c.addr(), plancheck.ResourceActionUpdate)}},
					Check: env.expectCalls(patch("renamed by Terraform")),
				},
			},
		})
	})
}

// A device deleted in authentik leaves state at the next refresh, so plan
// proposes to create it; authentik cannot, and the apply says what to do.
func TestAccDevice_removedOutOfBand(t *testing.T) {
	runDeviceCases(t, func(t *testing.T, env *testEnv, c deviceCase) {
		dev := c.enroll(env)
		cfg := env.config(c.hcl(c.seed.Name))
		want := fmt.Sprintf(`authentik could not create the %s.*cannot create %ss: it assigns the new device no user.*`+
			`Enroll the device through a flow instead.*terraform import %s.<name> <pk>`, c.title, c.title, c.typ())
		if c.kind == fakeauthentik.DeviceDuo {
			want = `Nothing to create the Duo device from.*set .stage., .duo_user_id. and .username.`
		}
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: env.factories,
			CheckDestroy:             func(*terraform.State) error { return nil },
			Steps: []resource.TestStep{
				{Config: env.config(importBlock(c.addr(), strconv.Itoa(dev.PK)) + c.hcl(c.seed.Name))},
				{
					PreConfig: env.before(func() {
						env.must(env.fx.DeleteDeviceOfKind(t.Context(), string(c.kind), dev.PK), "delete the device")
					}),
					Config: cfg,
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(c.addr(), plancheck.ResourceActionCreate)}},
					ExpectError: wrapRe(want),
				},
			},
		})
		if name, ok := env.deviceName(c.kind, dev.PK); ok {
			t.Errorf("%s device %d (%s) is back", c.kind, dev.PK, name)
		}
		if !env.real() {
			if n := len(env.fake.Devices(c.kind)); n != 0 {
				t.Errorf("want no %s device, got %d", c.kind, n)
			}
		}
	})
}

// An ordinary user's token is refused by the admin endpoints; each provider
// process learns that once and manages the user's own device through the
// user endpoints: the apply's first write is the refused one.
func TestAccDevice_userEndpoints(t *testing.T) {
	runDeviceCases(t, func(t *testing.T, env *testEnv, c deviceCase) {
		dev := c.enroll(env)
		token := dev.token
		refusedThen := func(method, body string) []string {
			return []string{strings.TrimSpace(method + " " + c.admin() + "{id}/ " + body), strings.TrimSpace(method + " " + c.user() + "{id}/ " + body)}
		}
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: env.factories,
			CheckDestroy: resource.ComposeTestCheckFunc(env.expectNoDevice(c.kind, dev.PK),
				env.expectCalls(refusedThen("DELETE", "")...)),
			Steps: []resource.TestStep{
				{
					PreConfig:         env.before(nil),
					Config:            env.configAs(token, importBlock(c.addr(), strconv.Itoa(dev.PK))+c.hcl(c.seed.Name)),
					ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(c.addr(), tfjsonpath.New("user"), env.ownerCheck(dev.UserPK))},
					Check:             resource.ComposeTestCheckFunc(env.expectServedBy(c.user()), env.expectCalls()),
				},
				{
					PreConfig: env.before(nil),
					Config:    env.configAs(token, c.hcl("mine")),
					Check:     env.expectCalls(refusedThen("PATCH", `{"name":"mine"}`)...),
				},
			},
		})
	})
}

// Invalid names and import ids fail at plan, before any request.
func TestAccDevice_validation(t *testing.T) {
	long := func(n int) string { return strings.Repeat("x", n) }
	cases := map[string]struct{ config, want string }{
		"static 65 characters":  {hcl("authentik_static_device", "test", map[string]string{"name": q(long(65))}), `character count must be between 1 and 64, got: 65`},
		"webauthn 201":          {hcl("authentik_webauthn_device", "test", map[string]string{"name": q(long(201))}), `character count must be between 1 and 200, got: 201`},
		"sms white space":       {hcl("authentik_sms_device", "test", map[string]string{"name": q("phone ")}), `Value has surrounding white space`},
		"email import id":       {importBlock("authentik_email_device.test", "me") + hcl("authentik_email_device", "test", map[string]string{"name": q("x")}), `"me" is not an email device pk.*terraform import authentik_email_device.phone 42.*authentik_user_devices`},
		"duo inputs together":   {hcl("authentik_duo_device", "test", map[string]string{"username": q("alice")}), `These attributes must be configured together: \[stage,duo_user_id,username\]`},
		"duo stage not a uuid":  {hcl("authentik_duo_device", "test", map[string]string{"stage": q("duo"), "duo_user_id": q("DU1"), "username": q("alice")}), `must be a UUID`},
		"duo empty duo_user_id": {hcl("authentik_duo_device", "test", map[string]string{"stage": q("a2e47e4a-c9b7-43ac-9f96-4a7d5465e352"), "duo_user_id": q(""), "username": q("alice")}), `duo_user_id`},
	}
	t.Parallel()
	env := newTestEnv(t)
	var steps []resource.TestStep
	for _, name := range sortedKeys(cases) {
		steps = append(steps, resource.TestStep{Config: env.config(cases[name].config), PlanOnly: true, ExpectError: wrapRe(cases[name].want)})
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: env.factories, Steps: steps})
	env.expectNoCalls(t)
}
