package provider

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/authentik-iac/terraform-provider-authentik/internal/fakeauthentik"
)

const userDevicesAddr = "data.authentik_user_devices.test"

// One request lists a user's devices of every kind, unconfirmed ones
// included; without user, the token's own confirmed devices.
func TestAccUserDevicesDataSource(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	env.skipReal(skipRequestLog, "seeds WebAuthn, Duo, SMS and email devices and unconfirmed ones in the fake's store")
	alice, token := env.fake.AddUser("alice", false)
	used := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	created := time.Date(2025, 12, 24, 18, 0, 0, 123456000, time.UTC)
	key := env.fake.EnrollDevice(fakeauthentik.Device{Kind: fakeauthentik.DeviceWebAuthn, UserPK: alice, Name: "key", Confirmed: true,
		AAGUID: "cb69481e-8ff7-4039-93ec-0a2729a154a8", Created: created, LastUsed: &used})
	phone := env.fake.EnrollTOTPDevice(alice, "phone", true)
	env.fake.EnrollTOTPDevice(alice, "left over", false)
	env.fake.EnrollTOTPDevice(1, "akadmin's phone", true)
	device := func(kind, id, name string, confirmed bool, lastUsed knownvalue.Check) knownvalue.Check {
		return knownvalue.ObjectPartial(map[string]knownvalue.Check{"kind": knownvalue.StringExact(kind), "id": knownvalue.StringExact(id),
			"name": knownvalue.StringExact(name), "confirmed": knownvalue.Bool(confirmed), "last_used": lastUsed})
	}
	never := knownvalue.Null()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		Steps: []resource.TestStep{
			{
				PreConfig: env.before(nil),
				Config:    env.config(fmt.Sprintf("data \"authentik_user_devices\" \"test\" {\n  user = %d\n}\n", alice)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(userDevicesAddr, tfjsonpath.New("devices"), knownvalue.ListExact([]knownvalue.Check{
						device("totp", strconv.Itoa(phone.PK), "phone", true, never),
						device("totp", strconv.Itoa(phone.PK+1), "left over", false, never),
						device("webauthn", strconv.Itoa(key.PK), "key", true, knownvalue.StringExact("2026-01-02T03:04:05.000000Z")),
					})),
					statecheck.ExpectKnownValue(userDevicesAddr, tfjsonpath.New("devices").AtSliceIndex(2).AtMapKey("created"),
						knownvalue.StringExact("2025-12-24T18:00:00.123456Z")),
				},
				Check: env.expectOnly("/authenticators/admin/all/"),
			},
			{
				PreConfig: env.before(nil),
				Config:    env.configAs(token, "data \"authentik_user_devices\" \"test\" {}\n"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(userDevicesAddr, tfjsonpath.New("devices"), knownvalue.ListExact([]knownvalue.Check{
						device("totp", strconv.Itoa(phone.PK), "phone", true, never),
						device("webauthn", strconv.Itoa(key.PK), "key", true, knownvalue.NotNull()),
					})),
				},
				Check: env.expectOnly("/authenticators/all/"),
			},
		},
	})
}

// expectOnly checks that every request since the mark went to path: each
// read of the data source is that one request.
func (e *testEnv) expectOnly(path string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		reqs := e.requestsSinceMark()
		if len(reqs) == 0 {
			return fmt.Errorf("no request to %s", path)
		}
		for _, r := range reqs {
			if r.Method != http.MethodGet || r.Path != path || r.Status != http.StatusOK {
				return fmt.Errorf("%s %s answered %d: want only GET %s", r.Method, r.Path, r.Status, path)
			}
		}
		return nil
	}
}
