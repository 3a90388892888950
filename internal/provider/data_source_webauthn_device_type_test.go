package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func deviceTypeHCL(attrs map[string]string) string {
	return hcl("x", "y", attrs)[len(`resource "x" "y" `):]
}

func deviceTypeConfig(env *testEnv, attrs map[string]string) string {
	return env.config("data \"authentik_webauthn_device_type\" \"x\" " + deviceTypeHCL(attrs))
}

func TestAccWebAuthnDeviceTypeDataSource_validation(t *testing.T) {
	t.Parallel()
	cases := map[string]planErrorCase{
		"neither":           {map[string]string{}, `Missing Attribute Configuration.*At least one of these attributes must be configured: \[description,aaguid\]`},
		"aaguid not a uuid": {map[string]string{"aaguid": q("yubikey")}, `Attribute aaguid must be a device type AAGUID, a UUID`},
		"empty description": {map[string]string{"description": q("")}, `Attribute description UTF-8 character count must be at least 1`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories,
				Steps:                    []resource.TestStep{{Config: deviceTypeConfig(env, tc.attrs), PlanOnly: true, ExpectError: wrapRe(tc.want)}},
			})
			env.expectNoCalls(t)
		})
	}
}

// Needs authentik's device catalogue: a real server (AUTHENTIK_URL) until
// the fake serves it.
func TestAccWebAuthnDeviceTypeDataSource_lookup(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	if !env.real() {
		t.Skip("the fake authentik has no WebAuthn device catalogue yet")
	}
	check := func(attr, want string) statecheck.StateCheck {
		return statecheck.ExpectKnownValue("data.authentik_webauthn_device_type.x", tfjsonpath.New(attr), knownvalue.StringExact(want))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories,
		Steps: []resource.TestStep{
			{
				Config:            deviceTypeConfig(env, map[string]string{"aaguid": q(yubikey5)}),
				ConfigStateChecks: []statecheck.StateCheck{check("description", "YubiKey 5 Series"), check("id", yubikey5)},
			},
			{
				Config:            deviceTypeConfig(env, map[string]string{"description": q("Google Titan Security Key v2")}),
				ConfigStateChecks: []statecheck.StateCheck{check("aaguid", titanV2)},
			},
			{
				Config:      deviceTypeConfig(env, map[string]string{"description": q("yubikey 5 series nonexistent")}),
				ExpectError: wrapRe(`WebAuthn device type not found.*description "yubikey 5 series nonexistent"`),
			},
		},
	})
}
