package provider

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/authentik-iac/terraform-provider-authentik/internal/fakeauthentik"
)

const duoDeviceAddr = "authentik_duo_device.test"

// duoImportEnv is a fake with a Duo stage and the user alice.
type duoImportEnv struct {
	*testEnv
	stage string
	alice int
}

func newDuoImportEnv(t *testing.T) duoImportEnv {
	env := newTestEnv(t)
	env.skipReal(skipRequestLog, "importing a Duo device needs a Duo account")
	st := env.fake.PutDuoStage(fakeauthentik.DuoStage{Name: env.uniqueName("duo"), ClientID: "DI1", ClientSecret: "s", APIHostname: "api-1.duosecurity.com"})
	alice, _ := env.fake.AddUser("alice", false)
	return duoImportEnv{testEnv: env, stage: st.PK, alice: alice}
}

// hcl configures the import of alice's Duo user DUALICE; name "" leaves
// authentik's name.
func (e duoImportEnv) hcl(name string) string {
	attrs := map[string]string{"stage": q(e.stage), "duo_user_id": q("DUALICE"), "username": q("alice")}
	if name != "" {
		attrs["name"] = q(name)
	}
	return e.config(hcl("authentik_duo_device", "test", attrs))
}

const duoImportCall = `POST /stages/authenticator/duo/{id}/import_device_manual/ {"duo_user_id":"DUALICE","username":"alice"}`

// enrollAlice stores a Duo device of alice's, as an import or a flow leaves it.
func (e duoImportEnv) enrollAlice(name string) fakeauthentik.Device {
	return e.fake.EnrollDevice(fakeauthentik.Device{Kind: fakeauthentik.DeviceDuo, UserPK: e.alice, Name: name,
		Confirmed: true, Stage: e.stage, DuoUserID: "DUALICE"})
}

func (e duoImportEnv) checkDestroy(*terraform.State) error {
	if ds := e.fake.Devices(fakeauthentik.DeviceDuo); len(ds) != 0 {
		return fmt.Errorf("Duo devices left: %+v", ds)
	}
	return nil
}

// authentik creates a Duo device by importing it through a stage, answering
// 204 with no body: the provider finds it in one listing and renames it in
// one PATCH when name is set.
func TestAccDuoDevice_create(t *testing.T) {
	t.Parallel()
	env := newDuoImportEnv(t)
	var owner knownvalue.Check = knownvalue.Int64Exact(int64(env.alice))
	if env.fake.Version() == fakeauthentik.V2024_10 {
		owner = knownvalue.Null()
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		CheckDestroy:             env.checkDestroy,
		Steps: []resource.TestStep{
			{
				PreConfig: env.before(nil),
				Config:    env.hcl("Alice's phone"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(duoDeviceAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(pkRegexp)),
					statecheck.ExpectKnownValue(duoDeviceAddr, tfjsonpath.New("name"), knownvalue.StringExact("Alice's phone")),
					statecheck.ExpectKnownValue(duoDeviceAddr, tfjsonpath.New("user"), owner),
					statecheck.ExpectKnownValue(duoDeviceAddr, tfjsonpath.New("duo_user_id"), knownvalue.StringExact("DUALICE")),
				},
				Check: resource.ComposeTestCheckFunc(
					env.expectCalls(duoImportCall, `PATCH /authenticators/admin/duo/{id}/ {"name":"Alice's phone"}`),
					func(*terraform.State) error {
						ds := env.fake.Devices(fakeauthentik.DeviceDuo)
						if len(ds) != 1 || ds[0].UserPK != env.alice || ds[0].Stage != env.stage || ds[0].Name != "Alice's phone" {
							return fmt.Errorf("authentik holds %+v", ds)
						}
						return nil
					}),
			},
			{
				PreConfig:        env.before(nil),
				Config:           env.hcl("Alice's phone"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            env.expectCalls(),
			},
			{ // another Duo user: a new device replaces this one
				PreConfig: env.before(nil),
				Config:    env.config(hcl("authentik_duo_device", "test", map[string]string{"stage": q(env.stage), "duo_user_id": q("DUALICE2"), "username": q("alice")})),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(duoDeviceAddr, plancheck.ResourceActionDestroyBeforeCreate)}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(duoDeviceAddr, tfjsonpath.New("name"), knownvalue.StringExact("Imported Duo Authenticator"))},
				Check: env.expectCalls(`DELETE /authenticators/admin/duo/{id}/`,
					`POST /stages/authenticator/duo/{id}/import_device_manual/ {"duo_user_id":"DUALICE2","username":"alice"}`),
			},
		},
	})
}

// The import's answer is lost: sent again, authentik refuses a duplicate,
// and the device the first attempt made is adopted; there is one device.
func TestAccDuoDevice_lostAnswer(t *testing.T) {
	t.Parallel()
	env := newDuoImportEnv(t)
	env.fake.InjectFault("POST", "/stages/authenticator/duo/", 1, fakeauthentik.Fault{DropAfterHandling: true})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		CheckDestroy:             env.checkDestroy,
		Steps: []resource.TestStep{{
			PreConfig: env.before(nil),
			Config:    env.hcl("Alice's phone"),
			Check: resource.ComposeTestCheckFunc(
				env.expectCalls(duoImportCall, duoImportCall, `PATCH /authenticators/admin/duo/{id}/ {"name":"Alice's phone"}`),
				func(*terraform.State) error {
					if n := len(env.fake.Devices(fakeauthentik.DeviceDuo)); n != 1 {
						return fmt.Errorf("want one Duo device, got %d", n)
					}
					if n := env.countRequests("POST", "/stages/authenticator/duo/", 400); n != 1 {
						return fmt.Errorf("want the resend refused as a duplicate, got %d refusals", n)
					}
					return nil
				}),
		}},
	})
}

// A device authentik already has for this stage, Duo user and user is not
// taken over by a create: the error says to import it. An unknown user is
// reported on username.
func TestAccDuoDevice_refused(t *testing.T) {
	t.Parallel()
	env := newDuoImportEnv(t)
	existing := env.enrollAlice("phone")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		CheckDestroy:             func(*terraform.State) error { return nil },
		Steps: []resource.TestStep{
			{Config: env.hcl(""), ExpectError: wrapRe(`The Duo device exists already.*user "alice" with Duo user id "DUALICE".*` +
				`authentik_user_devices.*terraform import authentik_duo_device.<name> <pk>`)},
			{Config: env.config(hcl("authentik_duo_device", "test", map[string]string{"stage": q(env.stage), "duo_user_id": q("DUBOB"), "username": q("bob")})),
				ExpectError: wrapRe(`authentik has no such user.*"User does not exist." for username "bob"`)},
		},
	})
	if ds := env.fake.Devices(fakeauthentik.DeviceDuo); len(ds) != 1 || ds[0].PK != existing.PK || ds[0].Name != "phone" {
		t.Errorf("authentik holds %+v", ds)
	}
}

// A Duo device adopted by import has no create inputs in state; adding them
// to the configuration records them without replacing the device.
func TestAccDuoDevice_importedThenInputs(t *testing.T) {
	t.Parallel()
	env := newDuoImportEnv(t)
	dev := env.enrollAlice("phone")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		CheckDestroy:             env.checkDestroy,
		Steps: []resource.TestStep{
			{Config: env.config(importBlock(duoDeviceAddr, strconv.Itoa(dev.PK)) + hcl("authentik_duo_device", "test", map[string]string{"name": q("phone")}))},
			{
				PreConfig: env.before(nil),
				Config:    env.hcl("phone"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(duoDeviceAddr, plancheck.ResourceActionUpdate)}},
				Check: env.expectCalls(),
			},
		},
	})
}
