package provider

import (
	"fmt"
	"slices"
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

const duoDeviceAddr = "authentik_duo_device.test"

// duoImportEnv is an authentik with a Duo stage and the user alice, made
// through the API. authentik imports a Duo device without asking Duo, so
// this runs against a real authentik too.
type duoImportEnv struct {
	*testEnv
	stage string
	alice testUser
}

func newDuoImportEnv(t *testing.T) duoImportEnv {
	env := newTestEnv(t)
	st := env.seedDuoStage(map[string]any{"name": env.uniqueName("duo"), "client_id": "DI1", "client_secret": "s", "api_hostname": "api-1.duosecurity.com"})
	return duoImportEnv{testEnv: env, stage: st.PK, alice: env.newUser("duo-alice")}
}

// hcl configures the import of alice's Duo user DUALICE; name "" leaves
// authentik's name.
func (e duoImportEnv) hcl(name string) string {
	attrs := map[string]string{"stage": q(e.stage), "duo_user_id": q("DUALICE"), "username": q(e.alice.Username)}
	if name != "" {
		attrs["name"] = q(name)
	}
	return e.config(hcl("authentik_duo_device", "test", attrs))
}

// importCall is the import request of alice's Duo user duoUserID.
func (e duoImportEnv) importCall(duoUserID string) string {
	return fmt.Sprintf(`POST /stages/authenticator/duo/{id}/import_device_manual/ {"duo_user_id":%q,"username":%q}`, duoUserID, e.alice.Username)
}

// enrollAlice imports a Duo device of alice's through the API, as an admin
// would in the UI, and names it.
func (e duoImportEnv) enrollAlice(name string) int {
	e.t.Helper()
	e.must(e.fx.ImportDuoDevice(e.ctx(), e.stage, "DUALICE", e.alice.Username), "import a Duo device")
	pks := e.devicesOf(e.alice, acctest.DuoDeviceType)
	if len(pks) != 1 {
		e.t.Fatalf("want one Duo device of alice's, got %v", pks)
	}
	if name != fakeauthentik.ImportedDuoDeviceName {
		e.must(e.fx.RenameDeviceOfKind(e.ctx(), "duo", pks[0], name), "rename the Duo device")
	}
	return pks[0]
}

// expectAliceDuo checks alice's Duo devices in authentik: their names, in
// pk order.
func (e duoImportEnv) expectAliceDuo(names ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		var got []string
		for _, pk := range e.devicesOf(e.alice, acctest.DuoDeviceType) {
			name, _ := e.deviceName(fakeauthentik.DeviceDuo, pk)
			got = append(got, name)
		}
		if !slices.Equal(got, names) {
			return fmt.Errorf("alice's Duo devices in authentik are %q, want %q", got, names)
		}
		return nil
	}
}

// authentik creates a Duo device by importing it through a stage, answering
// 204 with no body: the provider finds it in one listing and renames it in
// one PATCH when name is set.
func TestAccDuoDevice_create(t *testing.T) {
	t.Parallel()
	env := newDuoImportEnv(t)
	owner := env.ownerCheck(env.alice.PK)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		CheckDestroy:             env.expectAliceDuo(),
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
					env.expectCalls(env.importCall("DUALICE"), `PATCH /authenticators/admin/duo/{id}/ {"name":"Alice's phone"}`),
					env.expectAliceDuo("Alice's phone")),
			},
			{
				PreConfig:        env.before(nil),
				Config:           env.hcl("Alice's phone"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            env.expectCalls(),
			},
			{ // another Duo user: a new device replaces this one
				PreConfig: env.before(nil),
				Config:    env.config(hcl("authentik_duo_device", "test", map[string]string{"stage": q(env.stage), "duo_user_id": q("DUALICE2"), "username": q(env.alice.Username)})),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(duoDeviceAddr, plancheck.ResourceActionDestroyBeforeCreate)}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(duoDeviceAddr, tfjsonpath.New("name"), knownvalue.StringExact("Imported Duo Authenticator"))},
				Check: resource.ComposeTestCheckFunc(env.expectAliceDuo(fakeauthentik.ImportedDuoDeviceName),
					env.expectCalls(`DELETE /authenticators/admin/duo/{id}/`, env.importCall("DUALICE2"))),
			},
		},
	})
}

// The import's answer is lost: sent again, authentik refuses a duplicate,
// and the device the first attempt made is adopted; there is one device.
func TestAccDuoDevice_lostAnswer(t *testing.T) {
	t.Parallel()
	env := newDuoImportEnv(t)
	env.skipReal(skipFaultInjection, "loses the import's answer")
	env.fake.InjectFault("POST", "/stages/authenticator/duo/", 1, fakeauthentik.Fault{DropAfterHandling: true})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		CheckDestroy:             env.expectAliceDuo(),
		Steps: []resource.TestStep{{
			PreConfig: env.before(nil),
			Config:    env.hcl("Alice's phone"),
			Check: resource.ComposeTestCheckFunc(
				env.expectCalls(env.importCall("DUALICE"), env.importCall("DUALICE"), `PATCH /authenticators/admin/duo/{id}/ {"name":"Alice's phone"}`),
				env.expectAliceDuo("Alice's phone"),
				func(*terraform.State) error {
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
	nobody := env.uniqueName("nobody")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		CheckDestroy:             func(*terraform.State) error { return nil },
		Steps: []resource.TestStep{
			{Config: env.hcl(""), ExpectError: wrapRe(fmt.Sprintf(`The Duo device exists already.*user %q with Duo user id "DUALICE".*`, env.alice.Username) +
				`authentik_user_devices.*terraform import authentik_duo_device.<name> <pk>`)},
			{Config: env.config(hcl("authentik_duo_device", "test", map[string]string{"stage": q(env.stage), "duo_user_id": q("DUBOB"), "username": q(nobody)})),
				ExpectError: wrapRe(fmt.Sprintf(`authentik has no such user.*"User does not exist." for username %q`, nobody))},
		},
	})
	if pks := env.devicesOf(env.alice, acctest.DuoDeviceType); len(pks) != 1 || pks[0] != existing {
		t.Errorf("alice's Duo devices are %v, want only %d", pks, existing)
	}
	if err := env.expectAliceDuo("phone")(nil); err != nil {
		t.Error(err)
	}
}

// A Duo device adopted by import has no create inputs in state; adding them
// to the configuration records them without replacing the device.
func TestAccDuoDevice_importedThenInputs(t *testing.T) {
	t.Parallel()
	env := newDuoImportEnv(t)
	pk := env.enrollAlice("phone")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		CheckDestroy:             env.expectAliceDuo(),
		Steps: []resource.TestStep{
			{Config: env.config(importBlock(duoDeviceAddr, strconv.Itoa(pk)) + hcl("authentik_duo_device", "test", map[string]string{"name": q("phone")}))},
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
